"""Reusable requirements ("points to prove") that the jurisdictions combine.

Each builder returns a ``Requirement`` whose test looks at the occasions that count for
the offence and answers (met, incident keys relied on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stalklog.law.occasions import Occasion
from stalklog.law.offence import Facts, Requirement
from stalklog.law.relationships import Relationship


def _keys(occasions: list[Occasion]) -> list[str]:
    return [o.key for o in occasions]


def course(
    text: str, cite: tuple[str, ...], missing: str = "", multiple: tuple[str, tuple[str, ...]] | None = None
) -> Requirement:
    """At least two occasions (or one towards each of several people, s.1(1A))."""

    def test(f: Facts) -> tuple[bool, list[str]]:
        return f.status != "not_met", _keys(f.occasions)

    missing = missing or "there is no course of conduct yet: fewer than two occasions"
    return Requirement("course_of_conduct", text, cite, test, missing, multiple)


def occasions_with(
    code: str, pick: Callable[[Occasion], bool], at_least: int, text: str, cite, missing: str
) -> Requirement:
    """At least ``at_least`` occasions for which ``pick`` is true."""

    def test(f: Facts) -> tuple[bool, list[str]]:
        found = [o for o in f.occasions if pick(o)]
        return len(found) >= at_least, _keys(found)

    return Requirement(code, text, tuple(cite), test, missing)


def effect(code: str, effects: frozenset[str], at_least: int, text: str, cite, missing: str) -> Requirement:
    """At least ``at_least`` occasions recording one of ``effects`` (``occasions_with``
    written out: it runs on every occasion of every course)."""

    def test(f: Facts) -> tuple[bool, list[str]]:
        found = [o.key for o in f.occasions if not effects.isdisjoint(o.effects)]
        return len(found) >= at_least, found

    return Requirement(code, text, tuple(cite), test, missing)


def behaviour(code: str, words: frozenset[str], at_least: int, text: str, cite, missing: str) -> Requirement:
    """At least ``at_least`` occasions recording one of ``words`` as a behaviour."""

    def test(f: Facts) -> tuple[bool, list[str]]:
        found = [o.key for o in f.occasions if not words.isdisjoint(o.behaviours)]
        return len(found) >= at_least, found

    return Requirement(code, text, tuple(cite), test, missing)


def single_victim(cite) -> Requirement:
    """s.2A, s.4, s.4A, s.76 need conduct towards one person (a breach of s.1(1))."""

    def test(f: Facts) -> tuple[bool, list[str]]:
        return f.course.kind == "single", []

    return Requirement(
        "single_victim",
        "conduct towards one person (not the several-people course of s.1(1A))",
        tuple(cite),
        test,
        "this course is towards several people (s.1(1A)); this offence needs conduct towards one person",
    )


def context_word(code: str, word: str, text: str, cite, missing: str) -> Requirement:
    def test(f: Facts) -> tuple[bool, list[str]]:
        return word in f.context, []

    return Requirement(code, text, tuple(cite), test, missing)


def serious_effect(cite, text: str) -> Requirement:
    """s.4A(1)(b) / s.76(4): fear of violence twice, or serious alarm or distress with a
    substantial adverse effect on day-to-day activities (Tanner v R)."""

    def test(f: Facts) -> tuple[bool, list[str]]:
        fear = [o for o in f.occasions if "fear_of_violence" in o.effects]
        if len(fear) >= 2:
            return True, _keys(fear)
        serious = [o for o in f.occasions if "serious_alarm_or_distress" in o.effects]
        impact = [o for o in f.occasions if o.impacts]
        ok = bool(serious) and bool(impact or f.case_impacts)
        return ok, _keys(sorted(set(serious + impact), key=lambda o: o.order)) if ok else []

    missing = (
        "neither fear of violence on two occasions, nor serious alarm or distress together "
        "with a recorded change to day-to-day life (distress alone is not enough)"
    )
    return Requirement("serious_effect", text, tuple(cite), test, missing)


def connected_behaviour(
    code: str,
    words: frozenset[str],
    connected: Callable[[Relationship, dt.date], bool],
    text: str,
    cite,
    missing: str,
    fear_counts: bool = False,
) -> Requirement:
    """At least two occasions of ``words`` while the two were personally connected."""

    def pick(o: Occasion, f: Facts) -> bool:
        hit = bool(o.behaviours & words) or (fear_counts and "fear_of_violence" in o.effects)
        rel = f.relationship
        return hit and (connected(rel, o.start) or connected(rel, o.end))

    def test(f: Facts) -> tuple[bool, list[str]]:
        found = [o for o in f.occasions if pick(o, f)]
        return len(found) >= 2, _keys(found)

    return Requirement(code, text, tuple(cite), test, missing)


def acts(code: str, words: frozenset[str], text: str, cite, missing: str, also=None) -> Requirement:
    """At least one occasion whose acts (behaviours, plus contact by any means implied by
    its channel: PHA 1997 s.2A(3)(b)) include one of ``words``; ``also`` may admit an
    occasion on other grounds (the Scottish and Northern Irish catch-alls). The entry's text
    says where the channel made it contact ("a text message is contact by any means")."""

    def test(f: Facts):
        if also is None:
            found = [o for o in f.occasions if not words.isdisjoint(o.acts)]
            by_channel = [o for o in found if o.acts is not o.behaviours and words.isdisjoint(o.behaviours)]
        else:
            found = [o for o in f.occasions if not words.isdisjoint(o.acts) or also(o)]
            by_channel = [o for o in found if words.isdisjoint(o.behaviours) and not also(o)]
        implied = [
            (p.key, p.contact_why)
            for o in by_channel
            for p in o.parts
            if p.contact_why and not words.isdisjoint(p.acts)
        ]
        note = "; ".join(f"{key}: {why}" for key, why in implied)
        return bool(found), _keys(found), note

    return Requirement(code, text, tuple(cite), test, missing)
