"""dates.md §10–12: hours in words of the day, a day and month with a time, offsets honoured,
and every stored moment shown in the case's local time with its zone (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stalklog.dates import describe_stored, local_moment, moment_text, parse_when
from stalklog.errors import InvalidDate

SUMMER = datetime(2026, 7, 20, 12, 0)  # a Monday, noon, British Summer Time
WINTER = datetime(2025, 3, 12, 12, 0)  # a Wednesday, noon, GMT


@pytest.fixture(autouse=True)
def isolated(monkeypatch):
    monkeypatch.delenv("STALKLOG_NOW", raising=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last night about 10", datetime(2026, 7, 19, 22, 0)),
        ("last night at 10", datetime(2026, 7, 19, 22, 0)),
        ("10 o'clock last night", datetime(2026, 7, 19, 22, 0)),
        ("10 oclock last night", datetime(2026, 7, 19, 22, 0)),
        ("about 10 last night", datetime(2026, 7, 19, 22, 0)),
        ("this morning at 7", datetime(2026, 7, 20, 7, 0)),
        ("yesterday evening at 8", datetime(2026, 7, 19, 20, 0)),
        ("yesterday afternoon at 3", datetime(2026, 7, 19, 15, 0)),
        ("yesterday morning about 9", datetime(2026, 7, 19, 9, 0)),
        ("sunday evening about 9", datetime(2026, 7, 19, 21, 0)),
        ("last night at 2", datetime(2026, 7, 20, 2, 0)),  # the small hours after last night
        ("last night at 12", datetime(2026, 7, 20, 0, 0)),  # midnight: the next calendar day
        ("yesterday at 21", datetime(2026, 7, 19, 21, 0)),  # a 24-hour hour is clear
    ],
)
def test_hour_in_words_of_the_day_is_read_exactly(text, expected):
    """dates.md §10: the part of the day decides am or pm; "about" before an hour keeps the
    date certain (precision exact)."""
    when = parse_when(text, SUMMER)
    assert (when.start, when.precision) == (expected, "exact")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("yesterday at 9", "9am or 9pm?"),
        ("2/12 at 7", "7am or 7pm?"),
        ("Sunday at 10", "10am or 10pm?"),
    ],
)
def test_an_hour_without_a_part_of_the_day_asks_which(text, asks):
    with pytest.raises(InvalidDate, match=asks):
        parse_when(text, SUMMER)


def test_tonight_at_11_typed_at_noon_is_in_the_future():
    with pytest.raises(InvalidDate, match="in the future"):
        parse_when("tonight at 11", SUMMER)


@pytest.mark.parametrize("text", ["2/12 at 7pm", "2/12 19:00", "2/12, 7pm"])
def test_day_and_month_with_a_time(text):
    """dates.md §11: day first, the most recent such day (December 2025, typed in July 2026)."""
    when = parse_when(text, SUMMER)
    assert (when.start, when.precision) == (datetime(2025, 12, 2, 19, 0), "exact")


@pytest.mark.parametrize("text", ["6 Nov 24", "6 Nov 2024", "Wednesday 6 November 2024", "5 days ago"])
def test_numbers_that_belong_to_a_date_are_not_read_as_hours(text):
    assert parse_when(text, SUMMER).precision == "day"


def test_about_before_a_date_still_means_approximate():
    assert parse_when("about 6 Nov 2024", SUMMER).precision == "approximate"


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("2026-07-19T10:00:00Z", datetime(2026, 7, 19, 11, 0)),  # BST is UTC+1
        ("2026-07-19T10:00:00-08:00", datetime(2026, 7, 19, 19, 0)),
        ("2026-07-19T10:00:00+01:00", datetime(2026, 7, 19, 10, 0)),
        ("2025-01-05T10:00:00Z", datetime(2025, 1, 5, 10, 0)),  # GMT
        ("2026-07-19T10:00", datetime(2026, 7, 19, 10, 0)),  # no offset: local already
    ],
)
def test_an_offset_is_honoured_and_converted_to_local_time(text, local):
    """dates.md §12: it used to be stored as 10:00 local whatever the offset said."""
    assert parse_when(text, SUMMER).start == local


def test_an_offset_in_another_case_zone():
    assert parse_when("2026-07-19T10:00:00Z", SUMMER, zone="America/New_York").start == datetime(2026, 7, 19, 6, 0)


def test_an_offset_beyond_14_hours_is_refused():
    with pytest.raises(InvalidDate, match="14:00"):
        parse_when("2026-07-19T10:00:00+15:00", SUMMER)


def test_an_aware_now_is_read_in_local_time():
    # 23:30 UTC on the 19th is 00:30 BST on the 20th: "today" is the 20th
    now = datetime(2026, 7, 19, 23, 30, tzinfo=UTC)
    assert parse_when("today", now).start.date() == datetime(2026, 7, 20).date()


def test_the_echo_names_the_zone():
    assert parse_when("last night at 10", SUMMER).describe() == "Sun 19 Jul 2026 22:00 BST"
    assert parse_when("yesterday 9pm", WINTER).describe() == "Tue 11 Mar 2025 21:00 GMT"
    assert describe_stored("2024-11-05", "day") == "Tue 5 Nov 2024 (time not known)"


def test_moment_text_shows_a_utc_record_in_local_time_with_its_zone():
    """The issue's example: written at 00:40 BST about 00:30 BST; shown in UTC it read
    "23:40" the day before, as if written before the event."""
    recorded = "2026-07-18T23:40:00+00:00"
    assert moment_text(recorded) == "Sun 19 Jul 2026 00:40 BST"
    assert moment_text("2026-07-19T00:30") == "Sun 19 Jul 2026 00:30 BST"
    assert local_moment(recorded) > local_moment("2026-07-19T00:30")
    assert moment_text("2025-01-05T20:10:00+00:00") == "Sun 5 Jan 2025 20:10 GMT"
    assert moment_text("2025-01-05T20:10:00Z") == "Sun 5 Jan 2025 20:10 GMT"
    assert moment_text("2025-01-05") == "Sun 5 Jan 2025"
    assert moment_text(None, missing="not known") == "not known"
    assert moment_text("2025-01-05T20:10:00+00:00", "Asia/Tokyo") == "Mon 6 Jan 2025 05:10 JST"


def test_the_clock_is_london_time_whatever_the_machine_says(monkeypatch):
    """STALKLOG_NOW (and the clock) are the local time people type and read: 00:40 on a
    summer night is 23:40 UTC the day before, and that is what is stored."""
    from stalklog.clock import utc_now_iso

    monkeypatch.setenv("STALKLOG_NOW", "2026-07-19T00:40:00")
    assert utc_now_iso() == "2026-07-18T23:40:00+00:00"
