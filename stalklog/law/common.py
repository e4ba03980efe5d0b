"""Shared building blocks of the check: dates, incidents, occasions, courses.

Everything here is pure: plain data in, plain data out. The jurisdiction modules
(``england_wales``, ``scotland``, ``northern_ireland``) use these to judge offences;
``check`` assembles the check-v1 document.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise

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


class UnionFind:
    """Groups incidents tied by ``same_occasion_as`` (near-linear time)."""

    def __init__(self, keys):
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def occasion_roots(incidents: list[Incident]) -> dict[str, str]:
    """Map each incident key to the key naming its occasion group."""
    uf = UnionFind(i.key for i in incidents)
    for inc in incidents:
        if inc.same_occasion_as in uf.parent:
            uf.union(inc.key, inc.same_occasion_as)
    return {k: uf.find(k) for k in uf.parent}


class Occasion:
    """One or more incidents that are one occasion (merged by ``same_occasion_as``).

    ``key`` is the incident the others are part of; dates run from the earliest start
    to the latest end; behaviours, effects and impacts are those of all its parts."""

    __slots__ = ("root", "parts", "key", "start", "end", "behaviours", "effects", "impacts", "order")

    def __init__(self, root: str, parts: list[Incident]):
        self.root = root
        self.parts = parts
        if len(parts) == 1:
            one = parts[0]
            self.key, self.start, self.end = one.key, one.start, one.end
            self.behaviours, self.effects, self.impacts = one.behaviours, one.effects, one.impacts
        else:
            self._merge()
        self.order = (self.start, parts[0].time, self.end, self.key)

    def _merge(self) -> None:
        parts = self.parts
        parts.sort(key=lambda i: i.order)
        keys = {p.key for p in parts}
        heads = [p for p in parts if p.same_occasion_as not in keys]
        self.key = (heads or parts)[0].key
        self.start = parts[0].start
        self.end = max(p.end for p in parts)
        self.behaviours = frozenset().union(*(p.behaviours for p in parts))
        self.effects = frozenset().union(*(p.effects for p in parts))
        self.impacts = frozenset().union(*(p.impacts for p in parts))

    @property
    def keys(self) -> list[str]:
        if len(self.parts) == 1:
            return [self.key]
        return [p.key for p in self.parts]

    def __repr__(self) -> str:
        return f"Occasion({self.key!r}, {self.start}..{self.end}, parts={self.keys})"


def build_occasions(parts: list[Incident], roots: dict[str, str]) -> list[Occasion]:
    """Merge incidents into occasions and sort them in time (sorted once)."""
    groups: dict[str, list[Incident]] = {}
    for inc in parts:
        groups.setdefault(roots[inc.key], []).append(inc)
    occasions = [Occasion(root, items) for root, items in groups.items()]
    occasions.sort(key=_order)
    return occasions


def _order(o: Occasion) -> tuple:
    return o.order


def gaps_between(occasions: list[Occasion]) -> list[int]:
    """Calendar days from the end of each occasion to the start of the next (≥ 0)."""
    return [max(0, (b.start - a.end).days) for a, b in pairwise(occasions)]


def gap_limit(index: int, count: int) -> int:
    """Days beyond which a gap is wide: 90 with 2–3 occasions or before the last
    occasion; 365 otherwise (Lau v DPP; DPP v Baker)."""
    return 90 if count <= 3 or index == count - 2 else 365


def unbridged_wide_gaps(occasions: list[Occasion], roots: dict[str, str]) -> list[tuple[int, int]]:
    """(gap index, days) of wide gaps that no later incident ``links`` across."""
    gaps = gaps_between(occasions)
    wide = [(i, g) for i, g in enumerate(gaps) if g > gap_limit(i, len(occasions))]
    if not wide:
        return []
    index = {o.root: n for n, o in enumerate(occasions)}
    earliest_link = [len(occasions)] * (len(occasions) + 1)
    for n in range(len(occasions) - 1, -1, -1):
        reach = earliest_link[n + 1]
        for part in occasions[n].parts:
            for link in part.links:
                target = index.get(roots.get(link))
                if target is not None and target < n:
                    reach = min(reach, target)
        earliest_link[n] = reach
    return [(i, g) for i, g in wide if earliest_link[i + 1] > i]


def bridged_gaps(occasions: list[Occasion], roots: dict[str, str]) -> list[tuple[int, int]]:
    """Wide gaps that a recorded link does bridge."""
    gaps = gaps_between(occasions)
    wide = {(i, g) for i, g in enumerate(gaps) if g > gap_limit(i, len(occasions))}
    return sorted(wide - set(unbridged_wide_gaps(occasions, roots)))


@dataclass
class Relationship:
    """The subject's relationship to a victim, as the bundle records it."""

    kind: str | None = None
    lived_together_until: dt.date | None = None


EX_PARTNERS = frozenset({"ex-partner", "ex-spouse"})
PARTNERS = frozenset({"partner", "spouse"})
SCA_EX_PARTNER_RULE = dt.date(2023, 4, 5)  # Domestic Abuse Act 2021 s.68


def connected_sca(rel: Relationship, day: dt.date) -> bool:
    """Serious Crime Act 2015 s.76(6): personally connected on ``day``."""
    if rel.kind in PARTNERS or rel.kind == "family":
        return True
    if rel.kind in EX_PARTNERS:
        living = rel.lived_together_until is not None and day <= rel.lived_together_until
        return living or day >= SCA_EX_PARTNER_RULE
    return False


def connected_partner(rel: Relationship, day: dt.date) -> bool:
    """Domestic Abuse (Scotland) Act 2018 s.11: partner or ex-partner."""
    return rel.kind in PARTNERS or rel.kind in EX_PARTNERS


def connected_ni(rel: Relationship, day: dt.date) -> bool:
    """Domestic Abuse and Civil Proceedings Act (NI) 2021 s.5: (former) partners, family."""
    return connected_partner(rel, day) or rel.kind == "family"


@dataclass
class Course:
    """A subject's occasions towards one victim (``single``) or several (``multiple``)."""

    subject: str
    victims: tuple[str, ...]
    kind: str
    occasions: list[Occasion]
    excluded: list[tuple[Incident, str]] = field(default_factory=list)
    status: str = "not_met"
    reasons: list[dict] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    wide_gaps: list[tuple[int, int]] = field(default_factory=list)

    @property
    def first(self) -> dt.date:
        return self.occasions[0].start

    @property
    def last(self) -> dt.date:
        """The end of the course: the latest end of any occasion (a long span may end
        after a later-starting occasion). DPP v Baker."""
        return max(o.end for o in self.occasions)

    @property
    def gaps(self) -> list[int]:
        return gaps_between(self.occasions)
