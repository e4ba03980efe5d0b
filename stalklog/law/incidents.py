"""Incidents as the check reads them: dates (as ranges where the record is imprecise), the
vocabulary subsets the rules use, and ``read_incident`` (one bundle incident, checked and
normalised). Pure.

The subsets are taken from ``stalklog.vocab``: a word that is not in the bundle's vocabulary
fails at import (and a test names it), so the law can never rest on a word nobody records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

from stalklog import vocab
from stalklog.errors import InvalidValue


def vocab_subset(vocabulary: tuple[str, ...], *words: str) -> frozenset[str]:
    """``words`` as a frozenset, each checked to be a word of ``vocabulary``."""
    unknown = [w for w in words if w not in vocabulary]
    if unknown:
        raise AssertionError(f"not in the bundle vocabulary: {unknown}")
    return frozenset(vocabulary) & frozenset(words)


# Behaviour words associated with stalking (PHA 1997 s.2A(3) and the Scottish and
# Northern Irish conduct lists: entering premises, giving or leaving items).
STALKING_BEHAVIOURS = vocab_subset(
    vocab.BEHAVIOURS,
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
)
# PHA 1997 s.7(2): harassing includes alarming or causing distress; fear for one's children
# or partner is alarm (check-v2 §1).
HARASSING_EFFECTS = vocab_subset(
    vocab.EFFECTS, "alarm", "distress", "fear_of_violence", "fear_for_others", "serious_alarm_or_distress"
)
# Fear or alarm (CJL(S)A 2010 s.39; PfS(NI)A 2022 s.1): distress alone is not enough.
FEAR_OR_ALARM = vocab_subset(vocab.EFFECTS, "alarm", "fear_of_violence", "fear_for_others", "serious_alarm_or_distress")
# Channels that carry a message (a single message can be an offence of its own).
MESSAGE_CHANNELS = vocab_subset(
    vocab.CHANNELS, "text_message", "messaging_app", "email", "social_media", "letter", "online_other"
)
# "Contacting, or attempting to contact, a person by any means" (PHA 1997 s.2A(3)(b)).
CONTACT_CHANNELS = MESSAGE_CHANNELS | vocab_subset(vocab.CHANNELS, "phone_call")
THIRD_PARTY_CHANNEL = "via_third_party"
REVIEW_ATTRIBUTIONS = vocab_subset(vocab.ATTRIBUTIONS, "suspected", "told_by_other")
THREATS = vocab_subset(vocab.BEHAVIOURS, "threats")
THREATS_OR_ABUSE = vocab_subset(vocab.BEHAVIOURS, "threats", "abusive")
assert THIRD_PARTY_CHANNEL in vocab.CHANNELS

# Dates of force used by more than one jurisdiction.
PHA_IN_FORCE = dt.date(1997, 6, 16)
PENALTY_RISE = dt.date(2017, 4, 3)  # Policing and Crime Act 2017 s.175
APPROXIMATE_DAYS = 3  # check-v2 §8: "approximate" is within 3 days either side


@lru_cache(maxsize=65536)
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` calendar months later, or the last day of a shorter
    month (31 Aug 2023 + 6 → 29 Feb 2024). MCA 1980 s.127; Dodds v Walker."""
    return day + relativedelta(months=months)


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
    return tuple(value)  # type: ignore[arg-type]  # a list from the bundle


_EMPTY: frozenset[str] = frozenset()


def _as_set(value: object) -> frozenset[str]:
    if not value:
        return _EMPTY
    return frozenset((value,) if isinstance(value, str) else value)  # type: ignore[call-overload]  # a list from the bundle


def _month_end(day: dt.date) -> dt.date:
    return day + relativedelta(day=31)


@lru_cache(maxsize=65536)
def date_range(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """The earliest and latest date a recorded date may stand for (check-v2 §8)."""
    if precision == "month":
        return day.replace(day=1), _month_end(day)
    if precision == "approximate":
        spread = dt.timedelta(days=APPROXIMATE_DAYS)
        return day - spread, day + spread
    return day, day


@dataclass(slots=True)
class Incident:
    """One incident of the bundle, normalised for the check (treat as read-only).

    ``start``/``end`` are the recorded dates (a month-only date is its first day);
    ``start_lo`` … ``end_hi`` the earliest and latest each may be (check-v2 §8).
    ``acts`` are its behaviours plus what its channel makes it: contact by any means
    (PHA 1997 s.2A(3)(b)). ``indirect``: it reaches the victim of the course it is read for
    only through ``affected`` (check-v2 §10)."""

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
    affected: tuple[str, ...] = ()
    has_words: bool = False
    order: tuple = ()
    start_lo: dt.date = dt.date.min
    start_hi: dt.date = dt.date.min
    end_lo: dt.date = dt.date.min
    end_hi: dt.date = dt.date.min
    acts: frozenset[str] = field(default_factory=frozenset)
    contact_why: str = ""
    indirect: bool = False

    def __post_init__(self) -> None:
        self.start_lo, self.start_hi = date_range(self.start, self.precision)
        self.end_lo, self.end_hi = date_range(self.end, self.precision)
        self.end_lo = max(self.end_lo, self.start_lo)
        self.end_hi = max(self.end_hi, self.start_hi)
        self.order = (self.start_lo, self.time, self.end, self.key)
        self.acts, self.contact_why = implied_acts(self.behaviours, self.channel, self.has_words)

    @property
    def imprecise(self) -> bool:
        return self.start_lo != self.start_hi or self.end_lo != self.end_hi

    @property
    def spans_days(self) -> bool:
        """It runs over a period: it ends on a later day than it began (s.76 "continuously")."""
        return self.end > self.start

    def counts_for(self, subject: str) -> bool:
        """s.7(3A): procured conduct is the procurer's too; unknown attribution is not."""
        if subject in self.procured_by:
            return True
        return subject in self.by and self.attribution != "unknown"


CHANNEL_WHY = {
    "phone_call": "a phone call",
    "text_message": "a text message",
    "messaging_app": "a message by app",
    "email": "an email",
    "social_media": "a social media message or post",
    "letter": "a letter",
    "online_other": "an online message",
    "via_third_party": "a message passed on by someone else",
    "in_person": "speaking to the person",
}


def implied_acts(behaviours: frozenset[str], channel: str | None, has_words: bool) -> tuple[frozenset[str], str]:
    """Behaviours plus ``contacting`` (and ``third_party_contact``) where the channel makes
    the incident contact by any means (PHA 1997 s.2A(3)(b); CJLSA 2010 s.39(6)(b);
    PfS(NI)A 2022 s.1(4)), and the words that say why ("" when nothing is implied)."""
    extra: set[str] = set()
    if channel in CONTACT_CHANNELS or channel == THIRD_PARTY_CHANNEL or (channel == "in_person" and has_words):
        extra.add("contacting")
    if channel == THIRD_PARTY_CHANNEL:
        extra.add("third_party_contact")
    extra -= behaviours
    if not extra:
        return behaviours, ""
    return behaviours | extra, f"{CHANNEL_WHY[channel or '']} is contact by any means"


def contact_by_any_means(raw: dict) -> bool:
    """Whether a bundle incident is contacting "by any means" (PHA 1997 s.2A(3)(b)), whatever
    its behaviour words: for the protective-order checks as for the offences."""
    behaviours = _as_set(raw.get("behaviours"))
    acts, _ = implied_acts(behaviours, raw.get("channel"), bool(str(raw.get("words") or "").strip()))
    return "contacting" in acts


def read_incident(raw: dict, position: int) -> Incident:
    """Normalise one bundle incident (extension keys are ignored).

    The common record (ISO date strings, lists of words) is read on a fast path that sets
    the fields directly; anything else goes the general way (``read_incident_slowly``),
    which gives the same ``Incident`` (``tests/test_perf_guards.py`` checks the two)."""
    get = raw.get
    occurred = get("occurred")
    precision = get("precision")
    end_text = get("occurred_end")
    if (
        type(occurred) is not str
        or len(occurred) < 10
        or occurred[0] in _SPACE
        or occurred[-1] in _SPACE
        or precision == "month"
        or (end_text and (type(end_text) is not str or len(end_text) < 10 or end_text[0] in _SPACE))
    ):
        return read_incident_slowly(raw, position)
    try:
        start = _fromiso(occurred[:10])
        end = _fromiso(end_text[:10]) if end_text else start
    except ValueError:
        return read_incident_slowly(raw, position)  # says which field is wrong
    if end < start:
        end = start
    precision = precision or "exact"
    inc = _new(Incident)
    inc.key = str(get("key"))
    inc.start = start
    inc.end = end
    inc.time = occurred[11:19]
    inc.precision = precision
    v = get("by")
    inc.by = tuple(v) if type(v) is list else _as_tuple(v)
    inc.attribution = get("attribution")
    v = get("procured_by")
    inc.procured_by = () if v is None else _as_tuple(v)
    v = get("towards")
    inc.towards = tuple(v) if type(v) is list else _as_tuple(v)
    v = get("behaviours")
    behaviours = inc.behaviours = _word_set(v) if type(v) is list else _as_set(v)
    channel = inc.channel = get("channel")
    v = get("effects")
    inc.effects = _word_set(v) if type(v) is list else _as_set(v)
    v = get("impacts")
    inc.impacts = frozenset(v) if type(v) is list else _as_set(v)
    inc.below_threshold = bool(get("below_threshold"))
    inc.same_occasion_as = get("same_occasion_as") or None
    v = get("links")
    inc.links = tuple(v) if type(v) is list else _as_tuple(v)
    inc.stated_purpose = get("stated_purpose") or None
    inc.withdrawn = bool(get("withdrawn"))
    v = get("affected")
    inc.affected = tuple(v) if type(v) is list else _as_tuple(v)
    words = get("words")
    has_words = inc.has_words = bool(words.strip()) if type(words) is str else bool(str(words or "").strip())
    inc.indirect = False
    if precision == "approximate":
        start_lo, start_hi = date_range(start, precision)
        end_lo, end_hi = date_range(end, precision)
        inc.start_lo, inc.start_hi = start_lo, start_hi
        inc.end_lo = max(end_lo, start_lo)
        inc.end_hi = max(end_hi, start_hi)
    else:
        inc.start_lo = inc.start_hi = start
        inc.end_lo = inc.end_hi = end
    inc.order = (inc.start_lo, inc.time, end, inc.key)
    if channel is None or channel in _NO_CONTACT:
        inc.acts, inc.contact_why = behaviours, ""
    else:
        implied = (behaviours, channel, has_words)
        found = _IMPLIED.get(implied)
        if found is None:
            if len(_IMPLIED) > _KEEP:
                _IMPLIED.clear()
            found = _IMPLIED[implied] = implied_acts(behaviours, channel, has_words)
        inc.acts, inc.contact_why = found
    return inc


def _word_set(words: list) -> frozenset[str]:
    """``frozenset(words)``, one shared set for each list of words seen (a case uses a few
    dozen combinations over and over, and a shared set is hashed once)."""
    key = tuple(words)
    found = _SETS.get(key)
    if found is None:
        if len(_SETS) > _KEEP:
            _SETS.clear()
        found = _SETS[key] = frozenset(key)
    return found


_KEEP = 4096  # the most combinations remembered (then it starts again)
_SETS: dict[tuple, frozenset[str]] = {}
_IMPLIED: dict[tuple, tuple[frozenset[str], str]] = {}


_SPACE = " \t\n\r\x0b\x0c"
_fromiso = dt.date.fromisoformat
_new = object.__new__
# Channels that never imply contact, whatever the words (implied_acts adds nothing).
_NO_CONTACT = frozenset({"other"})


def read_incident_slowly(raw: dict, position: int) -> Incident:
    """``read_incident`` the general way: any value the bundle may hold, and the error that
    names the field."""
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
        _as_tuple(get("affected")),
        bool(str(get("words") or "").strip()),
    )
