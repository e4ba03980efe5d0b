"""Occasions: incidents tied by ``same_occasion_as`` grouped into one, and the gaps between
occasions (PHA 1997 s.7(3); Lau v DPP; Pratt v DPP). Pure.
"""

from __future__ import annotations

from operator import attrgetter, sub

from stalklog.law.incidents import Incident


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
    if all(inc.same_occasion_as is None for inc in incidents):
        return {i.key: i.key for i in incidents}  # each its own occasion (what the union gives)
    uf = UnionFind(i.key for i in incidents)
    for inc in incidents:
        if inc.same_occasion_as is not None and inc.same_occasion_as in uf.parent:
            uf.union(inc.key, inc.same_occasion_as)
    return {k: uf.find(k) for k in uf.parent}


class Occasion:
    """One or more incidents that are one occasion (merged by ``same_occasion_as``).

    ``key`` is the incident the others are part of; dates run from the earliest start
    to the latest end (``start_lo`` … ``end_hi`` the possible range, check-v2 §8);
    behaviours, acts, effects and impacts are those of all its parts. ``indirect``: every
    part reaches the victim only through ``affected`` (check-v2 §10)."""

    __slots__ = (
        "root",
        "parts",
        "key",
        "start",
        "end",
        "start_lo",
        "start_hi",
        "end_lo",
        "end_hi",
        "behaviours",
        "acts",
        "effects",
        "impacts",
        "order",
        "indirect",
    )

    def __init__(self, root: str, parts: list[Incident]):
        self.root = root
        self.parts = parts
        if len(parts) == 1:
            one = parts[0]
            self.key, self.start, self.end = one.key, one.start, one.end
            self.start_lo, self.start_hi, self.end_lo, self.end_hi = one.start_lo, one.start_hi, one.end_lo, one.end_hi
            self.behaviours, self.effects, self.impacts = one.behaviours, one.effects, one.impacts
            self.acts = one.acts
            self.indirect = one.indirect
            self.order = one.order  # (start_lo, time, end, key): the incident's own
        else:
            self._merge()
            self.order = (self.start_lo, parts[0].time, self.end, self.key)

    def _merge(self) -> None:
        parts = self.parts
        parts.sort(key=lambda i: i.order)
        keys = {p.key for p in parts}
        heads = [p for p in parts if p.same_occasion_as not in keys]
        self.key = (heads or parts)[0].key
        self.start = min(p.start for p in parts)
        self.end = max(p.end for p in parts)
        self.start_lo = min(p.start_lo for p in parts)
        self.start_hi = min(p.start_hi for p in parts)
        self.end_lo = max(p.end_lo for p in parts)
        self.end_hi = max(p.end_hi for p in parts)
        self.behaviours = frozenset().union(*(p.behaviours for p in parts))
        self.acts = frozenset().union(*(p.acts for p in parts))
        self.effects = frozenset().union(*(p.effects for p in parts))
        self.impacts = frozenset().union(*(p.impacts for p in parts))
        self.indirect = all(p.indirect for p in parts)

    @property
    def keys(self) -> list[str]:
        if len(self.parts) == 1:
            return [self.key]
        return [p.key for p in self.parts]

    @property
    def imprecise(self) -> bool:
        return self.start_lo != self.start_hi or self.end_lo != self.end_hi

    def __repr__(self) -> str:
        return f"Occasion({self.key!r}, {self.start}..{self.end}, parts={self.keys})"


def build_occasions(parts: list[Incident], roots: dict[str, str]) -> list[Occasion]:
    """Merge incidents into occasions and sort them in time (sorted once)."""
    if all(roots[inc.key] == inc.key for inc in parts) and len({inc.key for inc in parts}) == len(parts):
        occasions = [Occasion(inc.key, [inc]) for inc in parts]  # one incident an occasion (the grouping below)
        occasions.sort(key=_order)
        return occasions
    groups: dict[str, list[Incident]] = {}
    for inc in parts:
        root = roots[inc.key]
        if root in groups:
            groups[root].append(inc)
        else:
            groups[root] = [inc]
    occasions = [Occasion(root, items) for root, items in groups.items()]
    occasions.sort(key=_order)
    return occasions


_order = attrgetter("order")


def gaps_between(occasions: list[Occasion]) -> list[int]:
    """Calendar days from the end of each occasion to the start of the next (≥ 0): the
    smallest possible gap where a date is imprecise (check-v2 §8), 0 where they overlap."""
    if len(occasions) < 2:
        return []
    ends = [o.end_hi.toordinal() for o in occasions]
    starts = [o.start_lo.toordinal() for o in occasions]
    return [d if d > 0 else 0 for d in map(sub, starts[1:], ends)]


NEAR_GAP = 90
FAR_GAP = 180  # check-v2 §9 (v1: 365)


def gap_limit(index: int, count: int) -> int:
    """Days beyond which a gap is wide: 90 with 2–3 occasions or before the last
    occasion; 180 otherwise (Lau v DPP; DPP v Baker; check-v2 §9)."""
    return NEAR_GAP if count <= 3 or index == count - 2 else FAR_GAP


def wide_gaps(gaps: list[int]) -> list[tuple[int, int]]:
    """(gap index, days) of the gaps wider than ``gap_limit`` (``gaps``: ``gaps_between``)."""
    count = len(gaps) + 1
    if count <= 3:
        return [(i, g) for i, g in enumerate(gaps) if g > NEAR_GAP]
    last = count - 2
    return [(i, g) for i, g in enumerate(gaps) if g > FAR_GAP or (g > NEAR_GAP and i == last)]


def unbridged_wide_gaps(
    occasions: list[Occasion], roots: dict[str, str], gaps: list[int] | None = None
) -> list[tuple[int, int]]:
    """(gap index, days) of wide gaps that no later incident ``links`` across (``gaps``:
    ``gaps_between(occasions)``, where the caller has it)."""
    wide = wide_gaps(gaps_between(occasions) if gaps is None else gaps)
    if not wide:
        return []
    index = {o.root: n for n, o in enumerate(occasions)}
    earliest_link = [len(occasions)] * (len(occasions) + 1)
    for n in range(len(occasions) - 1, -1, -1):
        reach = earliest_link[n + 1]
        for part in occasions[n].parts:
            for link in part.links:
                target = index.get(roots.get(link, ""))
                if target is not None and target < n:
                    reach = min(reach, target)
        earliest_link[n] = reach
    return [(i, g) for i, g in wide if earliest_link[i + 1] > i]


def bridged_gaps(
    occasions: list[Occasion],
    roots: dict[str, str],
    gaps: list[int] | None = None,
    unbridged: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """Wide gaps that a recorded link does bridge (``gaps`` and ``unbridged``, where the
    caller has them: ``gaps_between`` and ``unbridged_wide_gaps`` of the same occasions)."""
    if gaps is None:
        gaps = gaps_between(occasions)
    wide = wide_gaps(gaps)
    if not wide:
        return []
    if unbridged is None:
        unbridged = unbridged_wide_gaps(occasions, roots, gaps)
    return sorted(set(wide) - set(unbridged))
