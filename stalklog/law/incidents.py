"""Incidents as the check reads them: dates, the vocabulary subsets the rules use, and
``read_incident`` (one bundle incident, checked and normalised). Pure.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from stalklog.errors import InvalidValue

# Behaviour words associated with stalking (PHA 1997 s.2A(3) and the Scottish and
# Northern Irish conduct lists: entering premises, giving or leaving items).
STALKING_BEHAVIOURS = frozenset(
    {
        "following",
        "contacting",
        "publishing",
        "monitoring_communications",
        "loitering",
        "interfering_with_property",
        "watching_or_spying",
        "entering_premises",
        "leaving_items",
        "tracking",
        "third_party_contact",
    }
)
HARASSING_EFFECTS = frozenset({"alarm", "distress", "fear_of_violence", "serious_alarm_or_distress"})
FEAR_OR_ALARM = frozenset({"alarm", "fear_of_violence", "serious_alarm_or_distress"})
MESSAGE_CHANNELS = frozenset({"text_message", "messaging_app", "email", "social_media", "letter", "online_other"})
REVIEW_ATTRIBUTIONS = frozenset({"suspected", "told_by_other"})

# Dates of force used by more than one jurisdiction.
PHA_IN_FORCE = dt.date(1997, 6, 16)
PENALTY_RISE = dt.date(2017, 4, 3)  # Policing and Crime Act 2017 s.175


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` calendar months later, or the last day of a shorter
    month (31 Aug 2023 + 6 → 29 Feb 2024). MCA 1980 s.127; Dodds v Walker."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def to_date(value: object) -> dt.date:
    """A ``date`` from a date, a datetime or an ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def parse_when(text: object, month_only: bool, where: tuple = ()) -> tuple[dt.date, str]:
    """(date, time text) of an ISO date or date-time; ``month_only`` takes the 1st."""
    raw = str(text or "").strip()
    try:
        if len(raw) == 7:  # "2025-03": a month
            day = dt.date(int(raw[:4]), int(raw[5:7]), 1)
        else:
            day = dt.date.fromisoformat(raw[:10])
    except ValueError:
        place = "incidents[{}].{} ({})".format(*where) if where else "date"
        raise InvalidValue(f"{place}: {raw!r} is not a date") from None
    if month_only:
        return day.replace(day=1), ""
    return day, raw[11:19] if len(raw) > 10 else ""


def _as_tuple(value: object) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


_EMPTY: frozenset[str] = frozenset()


def _as_set(value: object) -> frozenset[str]:
    if not value:
        return _EMPTY
    return frozenset((value,) if isinstance(value, str) else value)


@dataclass(slots=True)
class Incident:
    """One incident of the bundle, normalised for the check (treat as read-only)."""

    key: str
    start: dt.date
    end: dt.date
    time: str
    precision: str
    by: tuple[str, ...]
    attribution: str | None
    procured_by: tuple[str, ...]
    towards: tuple[str, ...]
    behaviours: frozenset[str]
    channel: str | None
    effects: frozenset[str]
    impacts: frozenset[str]
    below_threshold: bool
    same_occasion_as: str | None
    links: tuple[str, ...]
    stated_purpose: str | None
    withdrawn: bool
    order: tuple = ()

    def __post_init__(self) -> None:
        self.order = (self.start, self.time, self.end, self.key)

    def counts_for(self, subject: str) -> bool:
        """s.7(3A): procured conduct is the procurer's too; unknown attribution is not."""
        if subject in self.procured_by:
            return True
        return subject in self.by and self.attribution != "unknown"


def read_incident(raw: dict, position: int) -> Incident:
    """Normalise one bundle incident (extension keys are ignored)."""
    key = str(raw.get("key"))
    month = raw.get("precision") == "month"
    start, time = parse_when(raw.get("occurred"), month, (position, "occurred", key))
    end = start
    if raw.get("occurred_end"):
        end, _ = parse_when(raw["occurred_end"], month, (position, "occurred_end", key))
        end = max(end, start)
    get = raw.get
    return Incident(
        key,
        start,
        end,
        time,
        get("precision") or "exact",
        _as_tuple(get("by")),
        get("attribution"),
        _as_tuple(get("procured_by")),
        _as_tuple(get("towards")),
        _as_set(get("behaviours")),
        get("channel"),
        _as_set(get("effects")),
        _as_set(get("impacts")),
        bool(get("below_threshold")),
        get("same_occasion_as") or None,
        _as_tuple(get("links")),
        get("stated_purpose") or None,
        bool(get("withdrawn")),
    )
