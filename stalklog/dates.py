"""How stalklog reads a date a person types (contract: dates.md).

``parse_when(text, now)`` reads ISO 8601 first, then UK day-first numeric dates, month names,
times, relative words (``yesterday 9pm``, ``last Tuesday``, ``3 days ago``) and spans
(``5 Nov 2024 9pm to 10pm``). It returns a ``When`` with its precision, or raises
``InvalidDate`` saying what it understood and what it expects. It never guesses silently:
``When.describe()`` is echoed back before anything is kept.

python-dateutil is not used: with ``dayfirst=True`` it reads ``2024-11-06`` as 11 June and
``22042011`` as the year 2204.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from stalklog.errors import InvalidDate
from stalklog.vocab import PRECISIONS

EXPECTED = "Expected a date such as 06/11/2024, 6 Nov 2024 or yesterday 9pm"
EARLIEST_YEAR = 1900

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTHS = {n.lower(): i for i, n in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {n[:3].lower(): i for i, n in enumerate(_MONTH_NAMES, 1)} | {"sept": 9}
_WEEKDAYS = {n.lower(): i for i, n in enumerate(_DAY_NAMES)}
_WEEKDAYS |= {n[:3].lower(): i for i, n in enumerate(_DAY_NAMES)}
_WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}

_APPROX = {"about", "around", "approx", "approximately", "roughly", "circa", "ca", "c"}
_FILLER = {"at", "on", "the", "of", "in"}
# A part of the day: its representative hour, and the hours a time given with it may have.
_PERIOD_TIME = {"morning": 9, "afternoon": 15, "evening": 19, "night": 22}
_PERIOD_HOURS = {
    "morning": range(0, 12),
    "afternoon": range(12, 18),
    "evening": range(16, 24),
    "night": (*range(18, 24), *range(0, 6)),
}
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_COUNTS |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "fortnights": 14}


class _Pattern:
    """A pattern of this module, compiled the first time it is used rather than when stalklog
    starts (compiling them all cost every command, ``add`` included, a few ms; most readings
    use two or three). On first use the module's name is bound to the compiled pattern
    itself, so every later use is ``re.compile``'s pattern, with nothing in between."""

    __slots__ = ("name", "pattern", "flags")

    def __init__(self, name: str, pattern: str, flags: int = 0):
        self.name, self.pattern, self.flags = name, pattern, flags

    def __getattr__(self, attribute: str):
        compiled = re.compile(self.pattern, self.flags)
        globals()[self.name] = compiled
        return getattr(compiled, attribute)


_ISO = _Pattern(
    "_ISO",
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?\s?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?",
    re.IGNORECASE,
)
_TIME = _Pattern("_TIME", r"([0-9]{1,2})(?:([:.])([0-9]{2})(?::([0-9]{2}))?)?(am|pm)?")
_YMD = _Pattern("_YMD", r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
_DMY = _Pattern("_DMY", r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})")
_DM = _Pattern("_DM", r"([0-9]{1,2})[-/]([0-9]{1,2})")
_MY = _Pattern("_MY", r"([0-9]{1,2})[-/.]([0-9]{4})")
_YM = _Pattern("_YM", r"([0-9]{4})-([0-9]{1,2})")
_EIGHT = _Pattern("_EIGHT", r"([0-9]{2})([0-9]{2})([0-9]{4})")


class _Unread(Exception):
    """Why a text is not a date; the caller adds the text itself."""


class When:
    """A moment or span as read, with how precisely it is known.

    ``start`` (and ``end``) are naive local date-times; without a time of day they are at
    00:00, and with ``month`` precision on the first of the month. ``has_time`` defaults
    to ``precision == "exact"``.

    Immutable, compared and hashed by its four fields, as the frozen dataclass it was;
    written out because making a dataclass costs every ``stalklog add`` its start-up
    (tests/test_perf_guards.py checks it behaves as the dataclass did).
    """

    __match_args__ = ("start", "precision", "end", "has_time")
    start: dt.datetime
    precision: str
    end: dt.datetime | None
    has_time: bool

    def __init__(
        self, start: dt.datetime, precision: str, end: dt.datetime | None = None, has_time: bool | None = None
    ):
        if precision not in PRECISIONS:
            raise InvalidDate(f'"{precision}" is not a precision: expected {", ".join(PRECISIONS)}')
        fields = self.__dict__
        fields["start"], fields["precision"], fields["end"] = start, precision, end
        fields["has_time"] = precision == "exact" if has_time is None else has_time

    def _fields(self) -> tuple:
        return (self.start, self.precision, self.end, self.has_time)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"When(start={self.start!r}, precision={self.precision!r}, end={self.end!r}, has_time={self.has_time!r})"

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def occurred(self) -> str:
        """The stored form: ``2024-11-05T21:15``, ``2024-11-05``; a month as its first day."""
        return self._stored(self.start)

    def occurred_end(self) -> str | None:
        return None if self.end is None else self._stored(self.end)

    def describe(self, zone: str | None = None) -> str:
        """The moment in words, to echo to the person who typed it: a time with its zone's
        name in the case's local time (``Sun 19 Jul 2026 00:30 BST``; dates.md §12)."""
        if self.precision == "month":
            text = _month_text(self.start)
            if self.end is not None:
                text += " to " + _month_text(self.end)
            return text + " (month only)"
        text = _moment_text(self.start, self.has_time)
        if self.end is not None:
            same_day = self.has_time and self.end.date() == self.start.date()
            text += " to " + (_time_text(self.end) if same_day else _moment_text(self.end, self.has_time))
        if self.has_time:
            text += " " + zone_name(self.end or self.start, zone)
        if self.precision == "approximate":
            return "about " + text
        return text if self.has_time else text + " (time not known)"

    def _stored(self, moment: dt.datetime) -> str:
        if self.precision == "month":
            return moment.date().replace(day=1).isoformat()
        return _iso_text(moment, self.has_time)


def now() -> dt.datetime:
    """The clock: ``STALKLOG_NOW`` (ISO date or date-time) when set, else the local time.

    One clock for the whole tool: see ``stalklog.clock.local_now``."""
    from stalklog.clock import local_now

    return local_now()


_clock = now  # parse_when's parameter ``now`` hides the function


def parse_when(
    text: str,
    now: dt.datetime | None = None,
    *,
    us_dates: bool = False,
    allow_future: bool = False,
    zone: str | None = None,
) -> When:
    """Read a date, time or span as a person types it (see the module docstring).

    ``zone`` is the case's time zone (IANA name; the default zone if None): a typed
    date-time with an offset becomes the local time there, and an aware ``now`` is read there."""
    current = _clock() if now is None else _naive_local(now, zone)
    shown = _shown(text)
    try:
        when, short_year = _parse(text or "", current, us_dates, zone)
    except _Unread as problem:
        raise InvalidDate(f'"{shown}" is not a date: {problem}. {EXPECTED}') from None
    if not allow_future:
        _refuse_future(when, current, shown, short_year)
    return when


def parse_date(text: str, now=None, *, us_dates=False, allow_future=True) -> dt.date:
    """The start date of anything ``parse_when`` reads, for filters (``--from``, ``--as-of``).

    A future date is allowed here by default: a filter or an as-of date may look ahead.
    """
    return parse_when(text, now, us_dates=us_dates, allow_future=allow_future).start.date()


def from_stored(occurred: str, precision: str, occurred_end: str | None = None) -> When:
    """Rebuild a ``When`` from its stored strings (ISO 8601; an offset is dropped)."""
    fast = _fast_stored(occurred, precision)  # the shapes stalklog itself writes
    if fast is not None:
        fast_end = None if occurred_end is None else _fast_stored(occurred_end, precision)
        if occurred_end is None or (fast_end is not None and fast_end[1] == fast[1] and fast_end[0] >= fast[0]):
            first, last = fast[0], fast_end[0] if fast_end else None
            if precision == "month":
                first = first.replace(day=1)
                last = last and last.replace(day=1)
            return When(first, precision, last, fast[1])
    if precision not in PRECISIONS:
        raise InvalidDate(f'"{precision}" is not a precision: expected {", ".join(PRECISIONS)}')
    start, has_time = _stored_moment(occurred, precision)
    end = None
    if occurred_end is not None:
        end, end_has_time = _stored_moment(occurred_end, precision)
        if end_has_time != has_time:
            raise InvalidDate(f'"{occurred}" and "{occurred_end}" do not match: both ends need a time, or neither')
        if end < start:
            raise InvalidDate(f'"{occurred_end}" is before "{occurred}": a span cannot end before it starts')
    if precision == "month":
        start = start.replace(day=1)
        end = end and end.replace(day=1)
    return When(start, precision, end, has_time)


_STORED = _Pattern("_STORED", r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?")


def _fast_stored(text, precision: str) -> tuple[dt.datetime, bool] | None:
    """``_stored_moment`` for ``2025-01-05``, ``2025-01-05T18:30`` and ``…:45`` that are
    valid as they stand; None for anything else (the full reading then says what is wrong)."""
    if text.__class__ is not str:
        return None
    match = _STORED.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = match.groups()
    has_time = hour is not None
    if not (
        precision == "approximate"
        or (precision == "exact" and has_time)
        or (precision in ("day", "month") and not has_time)
    ):
        return None  # exact without a time, day or month with one, or no such precision
    if int(year) < EARLIEST_YEAR:
        return None
    try:
        if has_time:
            return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0)), True
        return dt.datetime(int(year), int(month), int(day)), False
    except ValueError:
        return None


def describe_stored(occurred: str, precision: str, occurred_end: str | None = None, zone: str | None = None) -> str:
    return from_stored(occurred, precision, occurred_end).describe(zone)


def zone_name(local: dt.datetime, zone: str | None = None) -> str:
    """The zone's name at a local moment: ``GMT`` or ``BST`` for Europe/London."""
    from stalklog.clock import zone as zone_info

    return local.replace(tzinfo=zone_info(zone)).tzname() or (zone or "")


def moment_text(value: str | dt.datetime | None, zone: str | None = None, *, missing: str = "") -> str:
    """A stored moment for a person, in the case's local time with its zone's name: the ONE
    way to show when something happened, was written down, corrected, withdrawn or an
    exhibit obtained (dates.md §12), so an entry can never look written before its event.

    ``2026-07-18T23:40:00+00:00`` (a UTC time stalklog stored) → ``Sun 19 Jul 2026 00:40 BST``;
    a date-time without an offset is already local (``2026-07-19T00:30`` → ``… 00:30 BST``);
    a date alone → ``Sun 19 Jul 2026``. ``missing`` is what an empty value shows as; text that
    is not ISO 8601 is shown as it is."""
    from stalklog.clock import zone as zone_info

    if value is None or value == "":
        return missing
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = value.strip()
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            try:
                return _day_text(dt.date.fromisoformat(text))
            except ValueError:
                return value
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone_info(zone)).replace(tzinfo=None)
    return f"{_day_text(moment)} {moment:%H:%M} {zone_name(moment, zone)}"


def local_moment(value: str | None, zone: str | None = None) -> dt.datetime | None:
    """A stored moment as a naive local date-time in the zone (None if empty or unreadable):
    for comparing a time of writing with the event, both in the same local time."""
    from stalklog.clock import zone as zone_info

    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone_info(zone)).replace(tzinfo=None)
    return moment


# --- reading ------------------------------------------------------------------------------


class _DatePart(NamedTuple):
    resolve: Callable[[dt.date], dt.date]  # the day, given the anchor day missing parts count from
    month_only: bool = False
    short_year: bool = False  # a two-digit year, read as 20xx


class _Reading:
    """One end of a span as typed, before its missing parts are filled in."""

    __slots__ = ("day", "month_only", "short_year", "time", "period", "approx")

    def __init__(self) -> None:
        self.day: Callable[[dt.date], dt.date] | None = None
        self.month_only = False
        self.short_year = False  # a two-digit year, read as 20xx
        self.time: dt.time | None = None
        self.period: str | None = None
        self.approx = False


def _naive_local(moment: dt.datetime, zone: str | None) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    from stalklog.clock import zone as zone_info

    return moment.astimezone(zone_info(zone)).replace(tzinfo=None)


def _parse(text: str, current: dt.datetime, us_dates: bool, zone: str | None = None) -> tuple[When, bool]:
    found = _from_iso(text.strip(), zone)
    if found is not None:
        moment, has_time = found
        return When(moment, "exact" if has_time else "day", has_time=has_time), False
    normal = _normalise(text)
    if not normal:
        raise _Unread("it is empty")
    first, last = _split_span(normal)
    start = _read(first, current, us_dates)
    if last is None:
        when = When(_resolve(start, current), _precision(start), has_time=_detail(start) == "time")
        return when, start.short_year
    end = _read(last, current, us_dates)
    return _span(start, end, current), start.short_year or end.short_year


def _normalise(text: str) -> str:
    s = text.lower().replace("\u2013", " - ").replace("\u2014", " - ").replace("~", " about ")
    # Each rewrite runs only when the text holds what every match of it must hold, so a
    # plain "06/11/2024 21:15" compiles none of these patterns (test_dates checks the
    # guarded rewrites against the unguarded ones).
    if "." in s:
        s = re.sub(r"(?<![a-z])([ap])\.\s?m\b\.?", r"\1m", s)  # p.m. -> pm
    if "am" in s or "pm" in s:
        s = re.sub(r"([0-9])\s+([ap]m)\b", r"\1\2", s)  # 9 pm -> 9pm
    if "noon" in s:
        s = re.sub(r"\b12\s*noon\b", "noon", s)
    if "tonight" in s:
        s = re.sub(r"\btonight\b", "this night", s)
    if "clock" in s:
        s = re.sub(r"(?<=[0-9])\s*o['\u2019 ]?\s?clock\b", " oclock", s)  # 10 o'clock
    if "-" in s:
        s = re.sub(r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})t(?=[0-9])", r"\1 ", s)  # ISO's T
        s = re.sub(r"(?<=[ap]m)-(?=[0-9])|(?<=[0-9]:[0-9]{2})-(?=[0-9])", " - ", s)  # 9pm-10pm
    s = s.replace(",", " ").replace(";", " ")
    if s and (s[-1].isspace() or s[-1] in ".:!?\"'"):
        s = re.sub(r"[\s.:!?\"']+$", "", s)
    return " ".join(s.split()).lstrip("\"'")


def _split_span(text: str) -> tuple[str, str | None]:
    between = re.fullmatch(r"between (.+) and (.+)", text) if text.startswith("between ") else None
    if between:
        return between[1], between[2]
    text = text.removeprefix("from ")
    spans = any(f" {word} " in text for word in ("to", "until", "till", "til", "-"))
    parts = re.split(r" (?:to|until|till|til|-) ", text) if spans else [text]
    if len(parts) > 2:
        raise _Unread("a span has two ends, this has more")
    return parts[0], parts[1] if len(parts) == 2 else None


def _read(text: str, current: dt.datetime, us_dates: bool) -> _Reading:
    reading, words = _Reading(), []
    tokens = [t[:-1] if t.endswith(".") and t[:-1].isalpha() else t for t in text.split()]
    hour_at = _bare_hour_at(tokens, current.date(), us_dates)
    for at, token in enumerate(tokens):
        if at == hour_at or (token == "oclock" and at == (hour_at or 0) + 1):
            continue
        if token in _APPROX:
            if hour_at is not None and _next_word_at(tokens, at) == hour_at:
                continue  # "about 10": the hour is given, the date is certain (dates.md §10)
            reading.approx = True
        elif token in _PERIOD_TIME:
            reading.period = _once(reading.period, token, "a part of the day")
        elif (clock := _time_of_day(token)) is not None:
            reading.time = _once(reading.time, clock, "a time")
        elif token not in _FILLER:
            words.append(token)
    if reading.period and reading.time and reading.time.hour not in _PERIOD_HOURS[reading.period]:
        raise _Unread(f"{_time_text(reading.time)} is not in the {reading.period}")
    if hour_at is not None:
        if reading.time is not None:
            raise _Unread("it gives a time twice")
        reading.time = _hour_in_words(int(tokens[hour_at]), reading.period)
    if reading.period and words == ["this"]:
        words = ["today"]
    elif reading.period == "night" and words == ["last"]:
        words = ["yesterday"]
    if words:
        reading.day, reading.month_only, reading.short_year = _date_words(words, current.date(), us_dates)
        if reading.month_only and (reading.time or reading.period):
            raise _Unread("a time needs a day, not only a month")
    elif reading.time is None and reading.period is None:
        raise _Unread("no date or time found in it")
    return reading


_BARE_HOUR = _Pattern("_BARE_HOUR", r"[0-9]{1,2}")


def _next_word_at(tokens: list[str], at: int) -> int | None:
    """The index of the next token after ``at`` that is not a filler word such as ``at``."""
    for following in range(at + 1, len(tokens)):
        if tokens[following] not in _FILLER:
            return following
    return None


def _bare_hour_at(tokens: list[str], today: dt.date, us_dates: bool) -> int | None:
    """Where a bare hour is (``last night about 10``, ``10 o'clock last night``, ``yesterday
    at 9``, ``2/12 at 7``: dates.md §10–11), or None: a number followed by ``o'clock``, or the
    last bare number when the other words are a part of the day or name a day without it."""
    for at, token in enumerate(tokens[1:], 1):
        if token == "oclock":
            if not _BARE_HOUR.fullmatch(tokens[at - 1]):
                raise _Unread("o'clock needs an hour before it, such as 10 o'clock")
            return at - 1
    numbers = [at for at, token in enumerate(tokens) if _BARE_HOUR.fullmatch(token)]
    if not numbers:
        return None
    at = numbers[-1]
    rest = [
        t
        for n, t in enumerate(tokens)
        if n != at and t not in _APPROX and t not in _FILLER and t not in _PERIOD_TIME and _time_of_day(t) is None
    ]
    if any(t in _PERIOD_TIME for t in tokens) and rest in ([], ["this"], ["last"]):
        return at
    if not rest:
        return None
    whole = [t for t in tokens if t not in _APPROX and t not in _FILLER and t not in _PERIOD_TIME]
    try:
        _date_words([t for t in whole if _time_of_day(t) is None], today, us_dates)
        return None  # the number belongs to the date: "6 Nov 24"
    except _Unread:
        pass
    try:
        part = _date_words(rest, today, us_dates)
    except _Unread:
        return None
    return None if part.month_only else at


def _hour_in_words(hour: int, period: str | None) -> dt.time:
    """A bare hour, given a part of the day (dates.md §10): night and evening 6–11 are pm,
    12 is midnight and 1–5 the small hours after it; morning am; afternoon pm. Without one
    an hour of 1–12 is refused, asking which (0 and 13–23 are clear)."""
    if hour > 23:
        raise _Unread(f"there is no hour {hour} (hours go from 0 to 23)")
    if hour == 0 or hour > 12:
        if period is not None and hour not in _PERIOD_HOURS[period]:
            raise _Unread(f"{hour:02d}:00 is not in the {period}")
        return dt.time(hour)
    if period is None:
        raise _Unread(f"{hour}am or {hour}pm? Say which, e.g. {hour}pm")
    if period in ("night", "evening"):
        return dt.time(0 if hour == 12 else hour if hour < 6 else hour + 12)
    if period == "morning":
        if hour == 12:
            raise _Unread("12 in the morning: say noon or midnight")
        return dt.time(hour)
    if hour == 12 or 1 <= hour <= 6:  # afternoon
        return dt.time(hour % 12 + 12)
    raise _Unread(f"{hour} is not in the afternoon: say {hour}am or {hour}pm")


def _once(old, new, what: str):
    if old is not None:
        raise _Unread(f"it gives {what} twice")
    return new


def _time_of_day(token: str) -> dt.time | None:
    """The time a token gives (``21:15``, ``9pm``, ``9.15pm``, ``noon``), or None if none."""
    if token in ("noon", "midday"):
        return dt.time(12)
    if token == "midnight":
        return dt.time(0)
    match = _TIME.fullmatch(token)
    if match is None or (match[2] is None and match[5] is None):
        return None
    hour, minute, second = int(match[1]), int(match[3] or 0), int(match[4] or 0)
    if match[5]:
        if not 1 <= hour <= 12:
            raise _Unread(f'with am or pm the hour is 1 to 12, so "{token}" is not a time')
        hour = hour % 12 + (12 if match[5] == "pm" else 0)
    return _make_time(hour, minute, second)


def _date_words(words: list[str], today: dt.date, us_dates: bool) -> _DatePart:
    stated = None
    if len(words) > 1 and words[0] in _WEEKDAYS:
        stated, words = _WEEKDAYS[words[0]], words[1:]
    part = _relative(words, today) or _numeric(words, us_dates) or _named(words)
    if part is None:
        if words[0] in _FUTURE_WORDS:
            raise _Unread(f'"{" ".join(words)}" is in the future: record what has already happened')
        if len(words) == 1 and re.fullmatch("[0-9]{4}", words[0]):
            raise _Unread("a year alone is not enough: give at least the month, such as November 2024")
        raise _Unread(f'did not understand "{_shown(" ".join(words), 40)}"')
    if stated is None:
        return part
    if part.month_only:
        raise _Unread("a weekday needs a day, not only a month")
    return part._replace(resolve=_checked_weekday(part.resolve, stated))


_FUTURE_WORDS = ("tomorrow", "next")


def _checked_weekday(resolve: Callable[[dt.date], dt.date], stated: int):
    def check(anchor: dt.date) -> dt.date:
        day = resolve(anchor)
        if day.weekday() != stated:
            raise _Unread(
                f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year} is a "
                f"{_DAY_NAMES[day.weekday()]}, not a {_DAY_NAMES[stated]}"
            )
        return day

    return check


def _relative(words: list[str], today: dt.date) -> _DatePart | None:
    """today, yesterday, N days/weeks ago, last Tuesday (from now); Tuesday (from the anchor)."""
    if len(words) == 1 and words[0] in _WEEKDAYS:
        weekday = _WEEKDAYS[words[0]]
        return _DatePart(lambda anchor: _shift(anchor, -((anchor.weekday() - weekday) % 7)))
    if words == ["today"]:
        day = today
    elif words == ["yesterday"]:
        day = _shift(today, -1)
    elif words == ["day", "before", "yesterday"]:
        day = _shift(today, -2)
    elif len(words) == 3 and words[1] in _UNIT_DAYS and words[2] == "ago":
        day = _shift(today, -_count(words[0]) * _UNIT_DAYS[words[1]])
    elif words == ["last", "month"]:
        previous = _shift(today.replace(day=1), -1)
        return _DatePart(lambda _anchor: previous.replace(day=1), month_only=True)
    elif words == ["last", "week"]:
        raise _Unread('say which day, e.g. "last Tuesday", or "about 7 days ago"')
    elif len(words) == 2 and words[1] in _UNIT_DAYS:
        raise _Unread(f'did you mean "{words[0]} {words[1]} ago"? Only past dates can be recorded')
    elif len(words) == 2 and words[0] == "last" and words[1] in _WEEKDAYS:
        day = _shift(today, -((today.weekday() - _WEEKDAYS[words[1]] - 1) % 7 + 1))
    else:
        return None
    return _fixed(day)


def _numeric(words: list[str], us_dates: bool) -> _DatePart | None:
    """One token of digits: 06/11/2024, 6.11.24, 2024/11/06, 6/11, 11/2024, 2024-11, 22042011."""
    if len(words) != 1:
        return None
    token = words[0]
    if match := _YMD.fullmatch(token):
        return _fixed(_make_date(int(match[1]), int(match[3]), int(match[4])))
    if match := _DMY.fullmatch(token):
        day, month = _day_month(int(match[1]), int(match[3]), us_dates)
        year, short = int(match[4]), len(match[4]) == 2
        return _fixed(_make_date(year + (2000 if short else 0), month, day), short_year=short)
    if match := _DM.fullmatch(token):
        return _year_less(*_day_month(int(match[1]), int(match[2]), us_dates))
    if match := _MY.fullmatch(token):
        return _fixed(_make_date(int(match[2]), int(match[1]), 1), month_only=True)
    if match := _YM.fullmatch(token):
        return _fixed(_make_date(int(match[1]), int(match[2]), 1), month_only=True)
    if match := _EIGHT.fullmatch(token):
        day, month = _day_month(int(match[1]), int(match[2]), us_dates)
        try:
            return _fixed(_make_date(int(match[3]), month, day))
        except _Unread as problem:
            order = "MMDDYYYY" if us_dates else "DDMMYYYY"
            raise _Unread(f"eight digits are read as {order}, and {problem}") from None
    return None


def _day_month(first: int, second: int, us_dates: bool) -> tuple[int, int]:
    return (second, first) if us_dates else (first, second)


def _named(words: list[str]) -> _DatePart | None:
    """Month names either way round: 6 Nov 2024, 6th November, Nov 6 2024, November 2024."""
    kinds = "".join(_kind(word) for word in words)
    if kinds in ("M", "MY"):
        return _month(_MONTHS[words[0]], int(words[1]) if len(words) == 2 else None)
    if kinds in ("NM", "OM", "NMY", "OMY", "NMN", "OMN"):
        day_word, month_word = words[0], words[1]
    elif kinds in ("MN", "MO", "MNY", "MOY"):
        month_word, day_word = words[0], words[1]
    else:
        return None
    day, month = int(re.match("[0-9]+", day_word)[0]), _MONTHS[month_word]  # type: ignore[index]  # the kinds say it starts with digits
    if len(words) == 2:
        return _year_less(day, month)
    year = words[2]
    if len(year) == 1:
        return None
    short = len(year) == 2
    return _fixed(_make_date(int(year) + (2000 if short else 0), month, day), short_year=short)


def _kind(word: str) -> str:
    if word in _MONTHS:
        return "M"
    if re.fullmatch("[0-9]{1,2}", word):
        return "N"
    if re.fullmatch("[0-9]{1,2}(?:st|nd|rd|th)", word):
        return "O"
    return "Y" if re.fullmatch("[0-9]{4}", word) else "?"


def _count(word: str) -> int:
    if re.fullmatch("[0-9]{1,6}", word):
        return int(word)
    if word in _COUNTS:
        return _COUNTS[word]
    raise _Unread(f'"{word}" is not a number')


def _fixed(day: dt.date, month_only: bool = False, short_year: bool = False) -> _DatePart:
    return _DatePart(lambda anchor: day, month_only, short_year)


def _month(month: int, year: int | None) -> _DatePart:
    if year is not None:
        return _fixed(_make_date(year, month, 1), month_only=True)

    def resolve(anchor: dt.date) -> dt.date:  # the most recent such month
        return _make_date(anchor.year - (month > anchor.month), month, 1)

    return _DatePart(resolve, month_only=True)


def _year_less(day: int, month: int) -> _DatePart:
    """A day and month without a year: the most recent such day not after the anchor."""
    _make_date(2000, month, day)  # a leap year: refuses 30 February, allows 29 February

    def resolve(anchor: dt.date) -> dt.date:
        year = anchor.year - ((month, day) > (anchor.month, anchor.day))
        while day > _days_in(year, month):  # 29 February: the most recent leap year's
            year -= 1
        return _make_date(year, month, day)

    return _DatePart(resolve)


# --- resolving ----------------------------------------------------------------------------


def _detail(reading: _Reading) -> str:
    if reading.month_only:
        return "month"
    return "time" if reading.time is not None or reading.period else "day"


def _precision(reading: _Reading) -> str:
    if reading.month_only:
        return "month"
    if reading.approx or (reading.period and reading.time is None):
        return "approximate"
    return "exact" if reading.time is not None else "day"


def _resolve(reading: _Reading, anchor: dt.datetime, on: dt.date | None = None) -> dt.datetime:
    """The moment a reading means; missing parts are the most recent not after ``anchor``."""
    if reading.time is not None:
        clock = reading.time
    else:
        clock = dt.time(_PERIOD_TIME[reading.period]) if reading.period else dt.time()
    if reading.day is not None:
        day = reading.day(anchor.date())
        if reading.period in ("night", "evening") and reading.time is not None and reading.time.hour < 6:
            day = _shift(day, 1)  # "last night at 2am" is in the small hours after it
        return dt.datetime.combine(day, clock)
    if on is not None:
        return dt.datetime.combine(on, clock)
    moment = dt.datetime.combine(anchor.date(), clock)
    return moment if moment <= anchor else dt.datetime.combine(_shift(anchor.date(), -1), clock)


def _span(first: _Reading, last: _Reading, current: dt.datetime) -> When:
    if _detail(first) != _detail(last):
        raise _Unread("both ends of a span must be given alike: both with a time, both as days, or both as months")
    if last.day is None:  # "9pm to 10pm": the end is on the start's day
        start = _resolve(first, current)
        end = _resolve(last, current, on=start.date())
    else:  # the start's missing parts count back from the end
        end = _resolve(last, current)
        start = _resolve(first, end)
    has_time = _detail(first) == "time"
    if end < start:
        raise _Unread(
            f"it ends ({_moment_text(end, has_time)}) before it starts ({_moment_text(start, has_time)}); "
            "for a span past midnight give the end's date too"
        )
    precisions = {_precision(first), _precision(last)}
    precision = "approximate" if "approximate" in precisions else precisions.pop()
    return When(start, precision, end, has_time)


def _refuse_future(when: When, current: dt.datetime, shown: str, short_year: bool) -> None:
    if (when.end or when.start) <= current:
        return
    hint = "; two-digit years are read as 20xx, so write an earlier year in full" if short_year else ""
    raise InvalidDate(
        f'"{shown}" is in the future (now is {_day_text(current)} {_time_text(current)}): '
        f"read as {when.describe()}{hint}. Expected a moment that has passed, "
        "such as 06/11/2024, 6 Nov 2024 or yesterday 9pm"
    )


# --- checked building blocks and formatting ------------------------------------------------


def _from_iso(text: str, zone: str | None = None) -> tuple[dt.datetime, bool] | None:
    """An ISO 8601 date or date-time, or None. A date-time with an offset or ``Z`` is that
    moment, given as the local time in ``zone`` (the default zone unless named; dates.md §12);
    without one it is local time already."""
    match = _ISO.fullmatch(text) if text[4:5] == "-" else None  # 2024-11-06…: nothing else can match
    if match is None:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    date = _make_date(int(year), int(month), int(day))
    if hour is None:
        return dt.datetime.combine(date, dt.time()), False
    moment = dt.datetime.combine(date, _make_time(int(hour), int(minute), int(second or 0)))
    if offset is not None:
        moment = _to_local(moment, offset, zone)
    return moment, True


def _to_local(moment: dt.datetime, offset: str, zone: str | None) -> dt.datetime:
    """``moment`` at UTC ``offset`` (``Z``, ``+01:00``, ``-0800``, ``+05``) as local time in ``zone``."""
    from stalklog.clock import zone as zone_info

    if offset.upper() == "Z":
        delta = dt.timedelta(0)
    else:
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if minutes > 59 or hours * 60 + minutes > 14 * 60:
            raise _Unread(f"the offset {offset} is beyond \u00b114:00, so it is not a time zone")
        delta = dt.timedelta(hours=hours, minutes=minutes) * (-1 if offset[0] == "-" else 1)
    aware = moment.replace(tzinfo=dt.timezone(delta))
    try:
        return aware.astimezone(zone_info(zone)).replace(tzinfo=None)
    except OverflowError:
        raise _Unread("that date is out of range") from None


def _stored_moment(text: str, precision: str) -> tuple[dt.datetime, bool]:
    expected = "expected ISO 8601 such as 2025-01-05 or 2025-01-05T18:30"
    if not isinstance(text, str):
        raise InvalidDate(f"{text!r} is not a date: {expected}")
    try:
        found = _from_iso(text.strip())
    except _Unread as problem:
        raise InvalidDate(f'"{text}" is not a date: {problem}') from None
    if found is None:
        raise InvalidDate(f'"{text}" is not a date: {expected}')
    if precision == "exact" and not found[1]:
        raise InvalidDate(f'"{text}" has no time, but precision "exact" needs one')
    if precision in ("day", "month") and found[1]:
        raise InvalidDate(f'"{text}" has a time, but precision "{precision}" means the time is not known')
    return found


def _make_date(year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise _Unread(f"there is no month {month}")
    _check_year(year)
    if day < 1:
        raise _Unread(f"there is no day {day}")
    if day > _days_in(year, month):
        raise _Unread(f"{_MONTH_NAMES[month - 1]} {year} has {_days_in(year, month)} days")
    return dt.date(year, month, day)


def _make_time(hour: int, minute: int, second: int = 0) -> dt.time:
    if hour > 23:
        raise _Unread(f"there is no hour {hour} (hours go from 0 to 23)")
    if minute > 59:
        raise _Unread(f"there is no minute {minute} (minutes go from 0 to 59)")
    if second > 59:
        raise _Unread(f"there is no second {second} (seconds go from 0 to 59)")
    return dt.time(hour, minute, second)


def _check_year(year: int) -> None:
    if year < EARLIEST_YEAR:
        raise _Unread(f"the year {year} is before {EARLIEST_YEAR}")


def _days_in(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _shift(day: dt.date, days: int) -> dt.date:
    try:
        moved = day + dt.timedelta(days=days)
    except OverflowError:
        raise _Unread("that date is out of range") from None
    _check_year(moved.year)
    return moved


def _shown(text: str, limit: int = 80) -> str:
    shown = (text or "").strip()
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _day_text(moment: dt.date) -> str:
    return f"{_DAY_NAMES[moment.weekday()][:3]} {moment.day} {_MONTH_NAMES[moment.month - 1][:3]} {moment.year}"


def _month_text(moment: dt.date) -> str:
    return f"{_MONTH_NAMES[moment.month - 1]} {moment.year}"


def _time_text(moment: dt.datetime | dt.time) -> str:
    return f"{moment:%H:%M:%S}" if moment.second else f"{moment:%H:%M}"


def _moment_text(moment: dt.datetime, has_time: bool) -> str:
    return f"{_day_text(moment)} {_time_text(moment)}" if has_time else _day_text(moment)


def _iso_text(moment: dt.datetime, has_time: bool) -> str:
    day = moment.date().isoformat()
    return f"{day}T{_time_text(moment)}" if has_time else day
