"""stalklog.dates: how a typed date is read (contract: dates.md)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stalklog import dates
from stalklog.dates import When, describe_stored, from_stored, parse_date, parse_when
from stalklog.errors import InvalidDate, StalklogError

NOW = datetime(2025, 3, 12, 12, 0)  # a Wednesday, noon


@pytest.fixture(autouse=True)
def isolated(monkeypatch):
    """Replaces conftest's fixture of that name: dates touch no file, so no temporary folder
    per test (it would make this file of ~250 cases several times slower)."""
    monkeypatch.delenv("STALKLOG_NOW", raising=False)


def D(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s)


# (text, start, end, precision); every case read with now = NOW.
CASES = [
    # ISO 8601 first, never day-first
    ("2024-11-06", D(2024, 11, 6), None, "day"),
    ("2024-01-02", D(2024, 1, 2), None, "day"),
    ("2024-11-06 21:15", D(2024, 11, 6, 21, 15), None, "exact"),
    ("2024-11-06T21:15", D(2024, 11, 6, 21, 15), None, "exact"),
    ("2024-11-06t21:15", D(2024, 11, 6, 21, 15), None, "exact"),
    ("2024-11-06T21:15:30", D(2024, 11, 6, 21, 15, 30), None, "exact"),
    ("2024-11-06T21:15:30.250Z", D(2024, 11, 6, 21, 15, 30), None, "exact"),
    ("2024-11-06T21:15+05:00", D(2024, 11, 6, 16, 15), None, "exact"),  # that moment, in London (dates.md §12)
    ("2024-11-06 at 9pm", D(2024, 11, 6, 21), None, "exact"),
    ("2024/11/06", D(2024, 11, 6), None, "day"),
    ("2024-1-6", D(2024, 1, 6), None, "day"),
    ("2024-11", D(2024, 11, 1), None, "month"),
    # day-first numeric forms
    ("06/11/2024", D(2024, 11, 6), None, "day"),
    ("6/11/24", D(2024, 11, 6), None, "day"),
    ("6.11.24", D(2024, 11, 6), None, "day"),
    ("6.11.2024", D(2024, 11, 6), None, "day"),
    ("6-11-2024", D(2024, 11, 6), None, "day"),
    ("06/11/2024 21:15", D(2024, 11, 6, 21, 15), None, "exact"),
    ("06/11/2024, 9pm", D(2024, 11, 6, 21), None, "exact"),
    ("6/11", D(2024, 11, 6), None, "day"),
    ("12/3", D(2025, 3, 12), None, "day"),
    ("13/3", D(2024, 3, 13), None, "day"),
    ("11/2024", D(2024, 11, 1), None, "month"),
    ("22042011", D(2011, 4, 22), None, "day"),
    ("22042011 at 9pm", D(2011, 4, 22, 21), None, "exact"),
    # month names, either order
    ("6 Nov 2024", D(2024, 11, 6), None, "day"),
    ("6th November 2024", D(2024, 11, 6), None, "day"),
    ("Nov 6 2024", D(2024, 11, 6), None, "day"),
    ("Nov 6, 2024", D(2024, 11, 6), None, "day"),
    ("November 6th 2024", D(2024, 11, 6), None, "day"),
    ("Wednesday 6 November 2024", D(2024, 11, 6), None, "day"),
    ("Wed, 6th of November 2024", D(2024, 11, 6), None, "day"),
    ("on the 1st of March 2025", D(2025, 3, 1), None, "day"),
    ("6 Sept 2024", D(2024, 9, 6), None, "day"),
    ("6 sep 2024", D(2024, 9, 6), None, "day"),
    ("6 Nov. 2024", D(2024, 11, 6), None, "day"),
    ("6 Nov 24", D(2024, 11, 6), None, "day"),
    ("  6   NOV   2024.  ", D(2024, 11, 6), None, "day"),
    ("November 2024", D(2024, 11, 1), None, "month"),
    ("in Nov 2024", D(2024, 11, 1), None, "month"),
    ("november", D(2024, 11, 1), None, "month"),
    ("March", D(2025, 3, 1), None, "month"),
    ("6 November", D(2024, 11, 6), None, "day"),
    ("12 March", D(2025, 3, 12), None, "day"),
    ("13 March", D(2024, 3, 13), None, "day"),
    ("29 February", D(2024, 2, 29), None, "day"),
    ("Tuesday 11 March", D(2025, 3, 11), None, "day"),
    # times joined by a space, "at" or a comma
    ("6 Nov 2024 21:15", D(2024, 11, 6, 21, 15), None, "exact"),
    ("6 Nov 2024 9pm", D(2024, 11, 6, 21), None, "exact"),
    ("6 Nov 2024 at 9pm", D(2024, 11, 6, 21), None, "exact"),
    ("6 Nov 2024, 9pm", D(2024, 11, 6, 21), None, "exact"),
    ("6 Nov 2024 9.15pm", D(2024, 11, 6, 21, 15), None, "exact"),
    ("6 Nov 2024 9:15 pm", D(2024, 11, 6, 21, 15), None, "exact"),
    ("6 Nov 2024 9 p.m.", D(2024, 11, 6, 21), None, "exact"),
    ("6 Nov 2024 21.15", D(2024, 11, 6, 21, 15), None, "exact"),
    ("6 Nov 2024 noon", D(2024, 11, 6, 12), None, "exact"),
    ("6 Nov 2024 12 noon", D(2024, 11, 6, 12), None, "exact"),
    ("6 Nov 2024 midnight", D(2024, 11, 6, 0), None, "exact"),
    ("6 Nov 2024 12am", D(2024, 11, 6, 0), None, "exact"),
    ("6 Nov 2024 12pm", D(2024, 11, 6, 12), None, "exact"),
    ("6 Nov 2024 7am", D(2024, 11, 6, 7), None, "exact"),
    ("9pm 6 Nov 2024", D(2024, 11, 6, 21), None, "exact"),
    ("6 November 9pm", D(2024, 11, 6, 21), None, "exact"),
    # a bare time: the most recent such moment
    ("9pm", D(2025, 3, 11, 21), None, "exact"),
    ("11:30", D(2025, 3, 12, 11, 30), None, "exact"),
    ("12:00", D(2025, 3, 12, 12), None, "exact"),
    ("12:01", D(2025, 3, 11, 12, 1), None, "exact"),
    ("noon", D(2025, 3, 12, 12), None, "exact"),
    ("midnight", D(2025, 3, 12, 0), None, "exact"),
    # relative words, from now
    ("today", D(2025, 3, 12), None, "day"),
    ("Today!", D(2025, 3, 12), None, "day"),
    ("yesterday", D(2025, 3, 11), None, "day"),
    ("yesterday 9pm", D(2025, 3, 11, 21), None, "exact"),
    ("yesterday, 21:15", D(2025, 3, 11, 21, 15), None, "exact"),
    ("9pm yesterday", D(2025, 3, 11, 21), None, "exact"),
    ("yesterday at 9pm", D(2025, 3, 11, 21), None, "exact"),
    ("today 11am", D(2025, 3, 12, 11), None, "exact"),
    ("the day before yesterday", D(2025, 3, 10), None, "day"),
    ("3 days ago", D(2025, 3, 9), None, "day"),
    ("1 day ago", D(2025, 3, 11), None, "day"),
    ("0 days ago", D(2025, 3, 12), None, "day"),
    ("two days ago", D(2025, 3, 10), None, "day"),
    ("2 weeks ago", D(2025, 2, 26), None, "day"),
    ("a week ago", D(2025, 3, 5), None, "day"),
    ("a fortnight ago", D(2025, 2, 26), None, "day"),
    ("3 days ago at 18:30", D(2025, 3, 9, 18, 30), None, "exact"),
    ("last Tuesday", D(2025, 3, 11), None, "day"),
    ("last Wednesday", D(2025, 3, 5), None, "day"),
    ("last Thursday", D(2025, 3, 6), None, "day"),
    ("last Tuesday at 18:30", D(2025, 3, 11, 18, 30), None, "exact"),
    ("Tuesday", D(2025, 3, 11), None, "day"),
    ("tues", D(2025, 3, 11), None, "day"),
    ("Wednesday", D(2025, 3, 12), None, "day"),
    ("Wednesday 9am", D(2025, 3, 12, 9), None, "exact"),
    ("Thursday", D(2025, 3, 6), None, "day"),
    ("on Saturday", D(2025, 3, 8), None, "day"),
    # parts of the day: approximate, unless a time is given
    ("this morning", D(2025, 3, 12, 9), None, "approximate"),
    ("this morning at 8:15", D(2025, 3, 12, 8, 15), None, "exact"),
    ("last night", D(2025, 3, 11, 22), None, "approximate"),
    ("last night at 11pm", D(2025, 3, 11, 23), None, "exact"),
    ("last night at 2am", D(2025, 3, 12, 2), None, "exact"),
    ("yesterday evening", D(2025, 3, 11, 19), None, "approximate"),
    ("yesterday afternoon", D(2025, 3, 11, 15), None, "approximate"),
    ("yesterday in the afternoon", D(2025, 3, 11, 15), None, "approximate"),
    ("Tuesday night", D(2025, 3, 11, 22), None, "approximate"),
    ("6 Nov 2024 evening", D(2024, 11, 6, 19), None, "approximate"),
    # approximate words, anywhere; the time is kept
    ("about 9pm yesterday", D(2025, 3, 11, 21), None, "approximate"),
    ("yesterday about 9pm", D(2025, 3, 11, 21), None, "approximate"),
    ("~9pm yesterday", D(2025, 3, 11, 21), None, "approximate"),
    ("around 6 Nov 2024", D(2024, 11, 6), None, "approximate"),
    ("approx. 6 Nov 2024 21:00", D(2024, 11, 6, 21), None, "approximate"),
    ("approximately 2024-11-06", D(2024, 11, 6), None, "approximate"),
    ("c. 6 Nov 2024", D(2024, 11, 6), None, "approximate"),
    ("roughly 3 days ago", D(2025, 3, 9), None, "approximate"),
    ("circa November 2024", D(2024, 11, 1), None, "month"),
    # spans
    ("5 Nov 2024 9pm to 10pm", D(2024, 11, 5, 21), D(2024, 11, 5, 22), "exact"),
    ("5 Nov 2024 9pm to 10:30pm", D(2024, 11, 5, 21), D(2024, 11, 5, 22, 30), "exact"),
    ("5 Nov 2024 9pm - 10pm", D(2024, 11, 5, 21), D(2024, 11, 5, 22), "exact"),
    ("5 Nov 2024 9pm-10pm", D(2024, 11, 5, 21), D(2024, 11, 5, 22), "exact"),
    ("5 Nov 2024 21:00-22:30", D(2024, 11, 5, 21), D(2024, 11, 5, 22, 30), "exact"),
    ("5 Nov 2024 21:00 \u2013 22:30", D(2024, 11, 5, 21), D(2024, 11, 5, 22, 30), "exact"),
    ("5 Nov 2024 9pm until 10pm", D(2024, 11, 5, 21), D(2024, 11, 5, 22), "exact"),
    ("5 Nov 2024 23:00 to 6 Nov 2024 01:00", D(2024, 11, 5, 23), D(2024, 11, 6, 1), "exact"),
    ("from 3 Nov to 5 Nov 2024", D(2024, 11, 3), D(2024, 11, 5), "day"),
    ("from 3 Nov to 5 Nov 2023", D(2023, 11, 3), D(2023, 11, 5), "day"),
    ("3 Nov 2024 until 5 Nov 2024", D(2024, 11, 3), D(2024, 11, 5), "day"),
    ("from 30 Dec to 2 Jan 2025", D(2024, 12, 30), D(2025, 1, 2), "day"),
    ("between 3 Nov and 5 Nov 2024", D(2024, 11, 3), D(2024, 11, 5), "day"),
    ("October 2024 to December 2024", D(2024, 10, 1), D(2024, 12, 1), "month"),
    ("yesterday 9pm to 10pm", D(2025, 3, 11, 21), D(2025, 3, 11, 22), "exact"),
    ("about 9pm to 10pm yesterday", D(2025, 3, 11, 21), D(2025, 3, 11, 22), "approximate"),
    ("Monday to Tuesday", D(2025, 3, 10), D(2025, 3, 11), "day"),
    ("from 3 days ago to yesterday", D(2025, 3, 9), D(2025, 3, 11), "day"),
]


@pytest.mark.parametrize(("text", "start", "end", "precision"), CASES)
def test_reads(text, start, end, precision):
    when = parse_when(text, NOW)
    assert (when.start, when.end, when.precision) == (start, end, precision)
    assert when.has_time == (precision == "exact" or (precision == "approximate" and start.hour > 0))
    assert from_stored(when.occurred(), when.precision, when.occurred_end()) == when


@pytest.mark.parametrize(
    ("text", "now", "start"),
    [
        ("29 February", D(2024, 3, 1, 8), D(2024, 2, 29)),
        ("29 February", D(2025, 2, 28, 12), D(2024, 2, 29)),
        ("29 February", D(2024, 2, 28, 12), D(2020, 2, 29)),
        ("6 November", D(2024, 11, 6, 10), D(2024, 11, 6)),
        ("6 November 9am", D(2024, 11, 6, 10), D(2024, 11, 6, 9)),
        ("31 December", D(2025, 1, 1, 0, 5), D(2024, 12, 31)),
        ("11pm", D(2025, 1, 1, 0, 5), D(2024, 12, 31, 23)),
        ("yesterday", D(2025, 1, 1, 9), D(2024, 12, 31)),
        ("last Sunday", D(2025, 3, 16, 9), D(2025, 3, 9)),
        ("Sunday", D(2025, 3, 16, 9), D(2025, 3, 16)),
        ("last Monday", D(2025, 3, 16, 9), D(2025, 3, 10)),
        ("this evening", D(2025, 3, 12, 21), D(2025, 3, 12, 19)),
        ("December", D(2025, 1, 15), D(2024, 12, 1)),
        ("1/1/26", D(2026, 6, 1), D(2026, 1, 1)),
    ],
)
def test_missing_parts_count_back_from_now(text, now, start):
    assert parse_when(text, now).start == start


ERRORS = [
    ("31/02/2024", "February 2024 has 29 days"),
    ("29/02/2025", "February 2025 has 28 days"),
    ("2025-02-29", "February 2025 has 28 days"),
    ("31 April 2024", "April 2024 has 30 days"),
    ("32/1/2024", "January 2024 has 31 days"),
    ("0/1/2024", "there is no day 0"),
    ("13/13/2024", "there is no month 13"),
    ("30 February", "February 2000 has 29 days"),
    ("01/01/2099", "is in the future (now is Wed 12 Mar 2025 12:00)"),
    ("6 Nov 2099", "is in the future"),
    ("1/1/26", "two-digit years are read as 20xx"),
    ("today 5:10pm", "read as Wed 12 Mar 2025 17:10"),
    ("12 March 1pm", "is in the future"),
    ("Wednesday 9pm", "is in the future"),
    ("this evening", "is in the future"),
    ("tonight", "is in the future"),
    ("yesterday 9pm to today 1pm", "is in the future"),
    ("", "it is empty"),
    ("   ", "it is empty"),
    ("banana", 'did not understand "banana"'),
    ("tomorrow", '"tomorrow" is in the future'),
    ("next Tuesday", '"next tuesday" is in the future'),
    ("in 3 days", 'did you mean "3 days ago"'),
    ("yesterday banana", 'did not understand "yesterday banana"'),
    ("2024", "a year alone is not enough"),
    ("about", "no date or time found"),
    ("at 9", 'did not understand "9"'),
    ("25:00", "there is no hour 25"),
    ("yesterday 24:00", "there is no hour 24"),
    ("21:60", "there is no minute 60"),
    ("13pm", 'so "13pm" is not a time'),
    ("0am", 'so "0am" is not a time'),
    ("6 Nov 2024 9pm 10pm", "it gives a time twice"),
    ("Tuesday 6 November 2024", "6 November 2024 is a Wednesday, not a Tuesday"),
    ("Monday 11 March", "11 March 2025 is a Tuesday, not a Monday"),
    ("Tuesday November 2024", "a weekday needs a day"),
    ("November 2024 9pm", "a time needs a day"),
    ("this morning 9pm", "21:00 is not in the morning"),
    ("last morning", 'did not understand "last"'),
    ("20241106", "eight digits are read as DDMMYYYY, and there is no month 24"),
    ("12345678", "eight digits are read as DDMMYYYY"),
    ("2204201", 'did not understand "2204201"'),
    ("1/1/1800", "the year 1800 is before 1900"),
    ("99999 days ago", "is before 1900"),
    ("5 Nov 2024 10pm to 9pm", "it ends (Tue 5 Nov 2024 21:00) before it starts (Tue 5 Nov 2024 22:00)"),
    ("5 Nov 2024 to 4 Nov 2024", "it ends (Mon 4 Nov 2024) before it starts"),
    ("5 Nov 2024 to 10pm", "both ends of a span must be given alike"),
    ("October 2024 to 5 Nov 2024", "both ends of a span must be given alike"),
    ("1 Nov 2024 to 2 Nov 2024 to 3 Nov 2024", "a span has two ends"),
    ("9pm to", 'did not understand "to"'),
]


@pytest.mark.parametrize(("text", "reason"), ERRORS)
def test_errors_name_the_input_and_the_reason(text, reason):
    with pytest.raises(InvalidDate) as caught:
        parse_when(text, NOW)
    message = str(caught.value)
    assert message.startswith(f'"{text.strip()}" is ')
    assert reason in message
    assert "Expected" in message
    assert isinstance(caught.value, StalklogError)


def test_the_brief_s_example_message_word_for_word():
    with pytest.raises(InvalidDate) as caught:
        parse_when("31/02/2024", NOW)
    assert str(caught.value) == (
        '"31/02/2024" is not a date: February 2024 has 29 days. '
        "Expected a date such as 06/11/2024, 6 Nov 2024 or yesterday 9pm"
    )


def test_a_long_input_is_shortened_in_the_message():
    with pytest.raises(InvalidDate) as caught:
        parse_when("x" * 500, NOW)
    assert len(str(caught.value)) < 250


# --- the dateutil traps -----------------------------------------------------------------


@pytest.mark.parametrize("us_dates", [False, True])
def test_iso_is_never_read_day_first(us_dates):
    # dateutil.parser.parse("2024-11-06", dayfirst=True) gives 11 June 2024
    assert parse_when("2024-11-06", NOW, us_dates=us_dates).start == D(2024, 11, 6)
    assert parse_when("2024-11-06 21:15", NOW, us_dates=us_dates).start == D(2024, 11, 6, 21, 15)
    assert parse_when("2024-02-01", NOW, us_dates=us_dates).start == D(2024, 2, 1)
    assert parse_date("2024-11-06", NOW, us_dates=us_dates) == date(2024, 11, 6)


def test_eight_digits_are_ddmmyyyy_never_the_year_2204():
    # dateutil.parser.parse("22042011", dayfirst=True) gives 20 November 2204
    when = parse_when("22042011", NOW)
    assert when.start == D(2011, 4, 22)
    assert parse_date("22042011", NOW).year == 2011
    with pytest.raises(InvalidDate, match="DDMMYYYY"):
        parse_when("04222011", NOW)  # month 22


def test_eight_digits_that_name_a_far_year_are_refused_as_future():
    with pytest.raises(InvalidDate, match="in the future"):
        parse_when("20112204", NOW)


def test_dateutil_is_not_imported():
    code = "import sys, stalklog.dates; print(sorted(m for m in ('dateutil', 'typer', 'rich') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- month-first (--us-dates) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("11/06/2024", D(2024, 11, 6)),
        ("11/6/24", D(2024, 11, 6)),
        ("6/11", D(2024, 6, 11)),
        ("11062024", D(2024, 11, 6)),
        ("Nov 6 2024", D(2024, 11, 6)),
        ("6 Nov 2024", D(2024, 11, 6)),
        ("2024-11-06", D(2024, 11, 6)),
    ],
)
def test_us_dates_read_month_first(text, start):
    assert parse_when(text, NOW, us_dates=True).start == start


def test_us_dates_refuse_a_thirteenth_month():
    with pytest.raises(InvalidDate, match="there is no month 13"):
        parse_when("13/1/2024", NOW, us_dates=True)
    assert parse_when("13/1/2024", NOW).start == D(2024, 1, 13)


# --- future, clock, parse_date ----------------------------------------------------------


def test_allow_future():
    assert parse_when("01/01/2099", NOW, allow_future=True).start == D(2099, 1, 1)
    assert parse_when("today 5pm", NOW, allow_future=True).start == D(2025, 3, 12, 17)


def test_parse_date_returns_the_start_date_and_may_look_ahead():
    assert parse_date("yesterday 9pm", NOW) == date(2025, 3, 11)
    assert parse_date("from 3 Nov to 5 Nov 2024", NOW) == date(2024, 11, 3)
    assert parse_date("November 2024", NOW) == date(2024, 11, 1)
    assert parse_date("2025-12-31", NOW) == date(2025, 12, 31)
    with pytest.raises(InvalidDate):
        parse_date("2025-12-31", NOW, allow_future=False)


def test_stalklog_now_replaces_the_clock(monkeypatch):
    monkeypatch.setenv("STALKLOG_NOW", "2025-03-10T12:00")
    assert dates.now() == D(2025, 3, 10, 12)
    assert parse_when("yesterday").start == D(2025, 3, 9)
    assert parse_date("today") == date(2025, 3, 10)
    with pytest.raises(InvalidDate, match=r"now is Mon 10 Mar 2025 12:00"):
        parse_when("today 1pm")
    monkeypatch.setenv("STALKLOG_NOW", "2025-03-10")
    assert dates.now() == D(2025, 3, 10)


@pytest.mark.parametrize("bad", ["soon", "10/03/2025", "2025-02-30T12:00"])
def test_a_bad_stalklog_now_is_named(monkeypatch, bad):
    monkeypatch.setenv("STALKLOG_NOW", bad)
    with pytest.raises(InvalidDate, match=f'STALKLOG_NOW="{bad}"'):
        dates.now()
    with pytest.raises(InvalidDate, match="STALKLOG_NOW"):
        parse_when("yesterday")


def test_without_stalklog_now_the_clock_is_the_local_time(monkeypatch):
    monkeypatch.delenv("STALKLOG_NOW", raising=False)
    assert abs(dates.now() - datetime.now()) < timedelta(seconds=5)
    monkeypatch.setenv("STALKLOG_NOW", "")
    assert abs(dates.now() - datetime.now()) < timedelta(seconds=5)


def test_an_aware_now_keeps_its_wall_time():
    assert parse_when("yesterday 9pm", NOW.replace(tzinfo=UTC)).start == D(2025, 3, 11, 21)


# --- describe and the stored form -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "described", "occurred", "occurred_end"),
    [
        ("5 Nov 2024 21:15", "Tue 5 Nov 2024 21:15 GMT", "2024-11-05T21:15", None),
        ("5 Nov 2024", "Tue 5 Nov 2024 (time not known)", "2024-11-05", None),
        ("November 2024", "November 2024 (month only)", "2024-11-01", None),
        ("about 5 Nov 2024 9pm", "about Tue 5 Nov 2024 21:00 GMT", "2024-11-05T21:00", None),
        ("about 5 Nov 2024", "about Tue 5 Nov 2024", "2024-11-05", None),
        ("5 Nov 2024 9pm to 10pm", "Tue 5 Nov 2024 21:00 to 22:00 GMT", "2024-11-05T21:00", "2024-11-05T22:00"),
        (
            "5 Nov 2024 23:00 to 6 Nov 2024 1am",
            "Tue 5 Nov 2024 23:00 to Wed 6 Nov 2024 01:00 GMT",
            "2024-11-05T23:00",
            "2024-11-06T01:00",
        ),
        ("3 Nov to 5 Nov 2024", "Sun 3 Nov 2024 to Tue 5 Nov 2024 (time not known)", "2024-11-03", "2024-11-05"),
        ("Oct 2024 to Dec 2024", "October 2024 to December 2024 (month only)", "2024-10-01", "2024-12-01"),
        ("2024-11-05T21:15:30", "Tue 5 Nov 2024 21:15:30 GMT", "2024-11-05T21:15:30", None),
        ("this morning", "about Wed 12 Mar 2025 09:00 GMT", "2025-03-12T09:00", None),
        ("1 Sep 2024", "Sun 1 Sep 2024 (time not known)", "2024-09-01", None),
    ],
)
def test_describe_and_stored_form(text, described, occurred, occurred_end):
    when = parse_when(text, NOW)
    assert when.describe() == described
    assert when.occurred() == occurred
    assert when.occurred_end() == occurred_end
    assert from_stored(occurred, when.precision, occurred_end) == when
    assert describe_stored(occurred, when.precision, occurred_end) == described


def test_when_defaults_has_time_from_precision():
    assert When(D(2024, 11, 5, 21), "exact").has_time is True
    assert When(D(2024, 11, 5, 21), "exact").occurred() == "2024-11-05T21:00"
    assert When(D(2024, 11, 5), "day").has_time is False
    assert When(D(2024, 11, 5), "month").occurred() == "2024-11-01"
    with pytest.raises(InvalidDate, match='"sometime" is not a precision'):
        When(D(2024, 11, 5), "sometime")


@pytest.mark.parametrize(
    ("occurred", "precision", "expected"),
    [
        ("2025-01-05T18:30", "exact", D(2025, 1, 5, 18, 30)),
        ("2025-01-05 18:30:15", "exact", D(2025, 1, 5, 18, 30, 15)),
        ("2025-01-05T18:30:00+05:00", "exact", D(2025, 1, 5, 13, 30)),
        ("2025-01-05T18:30Z", "approximate", D(2025, 1, 5, 18, 30)),
        ("2025-01-05", "approximate", D(2025, 1, 5)),
        ("2025-01-05", "day", D(2025, 1, 5)),
        ("2025-01-05", "month", D(2025, 1, 1)),
    ],
)
def test_from_stored_reads_iso(occurred, precision, expected):
    assert from_stored(occurred, precision).start == expected


@pytest.mark.parametrize(
    ("occurred", "precision", "occurred_end", "reason"),
    [
        ("31/02/2024", "day", None, '"31/02/2024" is not a date: expected ISO 8601'),
        ("06/11/2024", "day", None, '"06/11/2024" is not a date'),
        ("yesterday", "day", None, '"yesterday" is not a date'),
        ("2024-02-30", "day", None, '"2024-02-30" is not a date: February 2024 has 29 days'),
        ("2024-11-06T25:00", "exact", None, "there is no hour 25"),
        ("", "day", None, '"" is not a date'),
        (20241106, "day", None, "20241106 is not a date"),
        ("2024-11-06", "exact", None, 'has no time, but precision "exact" needs one'),
        ("2024-11-06T21:00", "day", None, 'precision "day" means the time is not known'),
        ("2024-11-06", "sometime", None, '"sometime" is not a precision'),
        ("2024-11-06", "day", "2024-11-05", '"2024-11-05" is before "2024-11-06"'),
        ("2024-11-06T21:00", "approximate", "2024-11-07", "both ends need a time, or neither"),
        ("2024-11-06", "day", "2024-13-01", '"2024-13-01" is not a date: there is no month 13'),
    ],
)
def test_from_stored_refuses_what_is_malformed(occurred, precision, occurred_end, reason):
    with pytest.raises(InvalidDate) as caught:
        from_stored(occurred, precision, occurred_end)
    assert reason in str(caught.value)


# --- properties -------------------------------------------------------------------------

past_minutes = st.datetimes(min_value=D(1900, 1, 1), max_value=NOW).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


@given(past_minutes)
def test_any_past_minute_reads_back_day_first_and_iso(moment):
    for text in (moment.strftime("%d/%m/%Y %H:%M"), moment.isoformat(timespec="minutes")):
        when = parse_when(text, NOW)
        assert (when.start, when.precision, when.end) == (moment, "exact", None)


MONTHS = "January February March April May June July August September October November December".split()


@given(past_minutes)
def test_any_past_day_reads_back_with_a_month_name(moment):
    when = parse_when(f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}", NOW)
    assert (when.start, when.precision) == (datetime.combine(moment.date(), datetime.min.time()), "day")


WORDS = [
    "today", "yesterday", "last", "this", "tuesday", "sun", "morning", "night", "tonight", "at",
    "about", "c.", "to", "-", "from", "between", "and", "until", "ago", "days", "a", "week",
    "9pm", "13pm", "21:15", "25:61", "9.15pm", "noon", "midnight", "6", "29th", "31", "feb",
    "november", "sept", "2024", "24", "2099", "1899", "06/11/2024", "31/02/2024", "6.11.24",
    "2024-11-06", "2024-11-06T21:15", "22042011", "99999999", "0", ",", "!", "~", "p.m.",
]  # fmt: skip


@settings(max_examples=150)
@given(st.one_of(st.text(max_size=40), st.lists(st.sampled_from(WORDS), max_size=7).map(" ".join)))
def test_any_text_reads_as_a_past_when_or_an_invalid_date(text):
    for us_dates in (False, True):
        try:
            when = parse_when(text, NOW, us_dates=us_dates)
        except InvalidDate as error:
            assert str(error)
            continue
        assert when.start <= NOW
        assert when.end is None or when.start <= when.end <= NOW
        assert when.precision in ("exact", "day", "approximate", "month")
        assert from_stored(when.occurred(), when.precision, when.occurred_end()) == when


@pytest.mark.parametrize("text", ["tomorrow", "tomorrow 9pm", "next Tuesday"])
def test_words_for_the_future_are_refused_as_future(text):
    with pytest.raises(InvalidDate, match="in the future"):
        parse_when(text, datetime(2025, 3, 12, 12, 0))


def test_last_month_is_the_previous_month_at_month_precision():
    when = parse_when("last month", datetime(2025, 1, 12, 12, 0))
    assert (when.start, when.precision) == (datetime(2024, 12, 1), "month")


@pytest.mark.parametrize(
    "text,hint",
    [
        ("last week", "last Tuesday"),
        ("in 3 days", '"3 days ago"'),
        ("2 weeks", '"2 weeks ago"'),
    ],
)
def test_vague_or_forward_phrases_get_a_hint(text, hint):
    with pytest.raises(InvalidDate, match=hint):
        parse_when(text, datetime(2025, 3, 12, 12, 0))
