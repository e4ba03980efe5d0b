"""Occasions: incidents tied by ``same_occasion_as`` grouped into one, and the gaps between
occasions (PHA 1997 s.7(3); Lau v DPP; Pratt v DPP). Pure.
"""

from __future__ import annotations

from itertools import pairwise

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
