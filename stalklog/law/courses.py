"""From incidents to courses: who did what towards whom, on how many occasions.

PHA 1997 s.7(3): a course of conduct needs conduct on at least two occasions towards one
person (s.7(3)(a)), or on at least one occasion towards each of two or more people where
the subject means to persuade someone (s.1(1A), s.7(3)(b)). The status rules are in
``docs/check.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from itertools import pairwise

from stalklog.law import wording as text
from stalklog.law.incidents import HARASSING_EFFECTS, REVIEW_ATTRIBUTIONS, Incident
from stalklog.law.occasions import Occasion, bridged_gaps, build_occasions, gaps_between, unbridged_wide_gaps

GAP_CITE = ["Lau v DPP [2000] EWHC QB 182", "Pratt v DPP [2001] EWHC Admin 483", "R v Hills [2001] 1 FLR 580"]
CONTEXT_CITES = {
    "volatile_mutual_relationship": ["R v Curtis [2010] EWCA Crim 123", "R v Widdows [2011] EWCA Crim 1500"],
    "reconciled_between_incidents": ["R v Hills [2001] 1 FLR 580", "R v Widdows [2011] EWCA Crim 1500"],
}
CONTEXT_TEXT = {
    "volatile_mutual_relationship": (
        "the case notes a volatile relationship on both sides: outbursts within such a "
        "relationship may not be a course of conduct amounting to harassment"
    ),
    "reconciled_between_incidents": (
        "the case notes that the two reconciled or kept living together between incidents, "
        "which weighs against one course of conduct"
    ),
}
KELLY = ["Kelly v DPP [2002] EWHC 1428 (Admin)"]
HAYES = "Hayes v Willoughby [2013] UKSC 17"
MUSHARRAF = "R v Musharraf [2022] EWCA Crim 1482"
INDIRECT_EFFECTS = frozenset({"alarm"})
PROCURED_CITE = {"england-wales": ["PHA 1997 s.7(3A)"]}
ATTRIBUTION_CITE = {"england-wales": ["PHA 1997 s.7(3)"]}
DEFENCE_STATUTE = {
    "england-wales": "PHA 1997 s.1(3)",
    "scotland": "CJL(S)A 2010 s.39(5)",
    "northern-ireland": "PfH(NI) Order 1997 art.3(3)",
}
INDIRECT_CITE = {
    "england-wales": ["PHA 1997 s.7(3)(a)", "Levi v Bates [2015] EWCA Civ 206"],
    "scotland": ["CJL(S)A 2010 s.39(6)"],
    "northern-ireland": ["PfS(NI)A 2022 s.1(4)"],
}


@dataclass
class Pair:
    """Incidents of one subject towards one victim: counted and left out."""

    parts: list[Incident]
    excluded: list[tuple[Incident, str]]


def exclusion(inc: Incident, subject: str) -> str | None:
    """Why an incident is left out of a subject's course, or None if it counts."""
    if not inc.counts_for(subject):
        return "attribution_unknown"
    if inc.withdrawn:
        return "withdrawn"
    if inc.below_threshold:
        return "below_threshold"
    return None


def group_pairs(incidents: list[Incident], fast: bool = True) -> dict[tuple[str, str], Pair]:
    """Every (subject, victim) pair of the incidents, one pass. A victim only in
    ``affected`` gets the incident as conduct in relation to her (PHA 1997 s.7(3)(a);
    Levi v Bates; check-v2 §10): a copy marked ``indirect`` whose effect for her is alarm
    only (the recorded effects are those of the person it was aimed at). ``fast``: the
    common record (one subject, one victim) on a short path that gives the same pairs
    (``tests/test_perf_guards.py``)."""
    pairs: dict[tuple[str, str], Pair] = {}
    for inc in incidents:
        by, towards = inc.by, inc.towards
        if fast and len(by) == 1 and len(towards) == 1 and not inc.procured_by and not inc.affected:
            # The common record, one person towards one other: the loop below, written out.
            subject, victim = by[0], towards[0]
            if inc.attribution == "unknown":
                if inc.withdrawn:
                    continue  # a withdrawn record is not evidence of anything
                reason: str | None = "attribution_unknown"
            else:
                reason = "withdrawn" if inc.withdrawn else "below_threshold" if inc.below_threshold else None
            if victim == subject:
                continue
            pair = pairs.get((subject, victim))
            if pair is None:
                pair = pairs[(subject, victim)] = Pair([], [])
            (pair.excluded.append((inc, reason)) if reason else pair.parts.append(inc))
            continue
        indirect_copy = None
        for subject in dict.fromkeys(inc.by + inc.procured_by):
            reason = exclusion(inc, subject)
            if reason == "attribution_unknown" and inc.withdrawn:
                continue  # a withdrawn record is not evidence of anything
            targets = [(v, inc) for v in dict.fromkeys(inc.towards)]
            for victim in dict.fromkeys(inc.affected):
                if victim in inc.towards:
                    continue
                if indirect_copy is None:
                    indirect_copy = replace(inc, effects=INDIRECT_EFFECTS, impacts=frozenset(), indirect=True)
                targets.append((victim, indirect_copy))
            for victim, record in targets:
                if victim == subject:
                    continue
                pair = pairs.setdefault((subject, victim), Pair([], []))
                (pair.excluded.append((record, reason)) if reason else pair.parts.append(record))
    return pairs


def judge_status(
    occasions: list[Occasion],
    roots: dict[str, str],
    context,
    victims,
    cite: list[str],
    multiple: bool = False,
    juris: str = "england-wales",
    gaps: list[int] | None = None,
) -> tuple[str, list[dict], list[tuple[int, int]]]:
    """(status, reasons, unbridged wide gaps) for occasions towards ``victims``.

    ``multiple``: a s.1(1A) course, which needs harassment of two or more persons
    (check-v2 §5): at least two victims each with an occasion towards them that has a
    harassing effect. Outside England and Wales a wide gap is for review only (§9)."""
    last = max([o.end for o in occasions], default=dt.date.min)
    borderline: list[dict] = []
    if multiple:
        harassed = harassed_victims(occasions, victims)
        if len(harassed) < 2:
            words = (
                f"a course towards several people needs harassment of two or more of them: "
                f"{'only ' + text.names(harassed) if harassed else 'none of them'} has an occasion "
                "recorded with alarm, distress or fear"
            )
            return "not_met", [_reason("fewer_than_two_harassed", words, cite)], []
        code = "two_or_more_occasions" if len(occasions) > 1 else "occasion_towards_each"
        reasons = [_reason(code, text.each_victim(len(occasions), victims, occasions[0].start, last), cite)]
        if len(occasions) < 2:
            borderline.append(_one_act_many(victims, cite))
    elif len(occasions) < 2:
        when = occasions[0].start if occasions else None
        reason = text.one_occasion(victims, when) if when else "no occasion recorded"
        return "not_met", [_reason("fewer_than_two_occasions", reason, cite)], []
    else:
        reasons = [
            _reason(
                "two_or_more_occasions", text.occasions_towards(len(occasions), victims, occasions[0].start, last), cite
            )
        ]
    reasons += _kelly(occasions)
    if gaps is None:
        gaps = gaps_between(occasions)
    wide = unbridged_wide_gaps(occasions, roots, gaps)
    if juris == "england-wales":
        borderline += [_gap_reason(occasions, i, g) for i, g in wide]
    else:
        reasons += [_gap_review(occasions, i, g, cite) for i, g in wide]
    borderline += [_reason(c, CONTEXT_TEXT[c], CONTEXT_CITES[c]) for c in CONTEXT_TEXT if c in context]
    borderline += _indirect(occasions, juris)
    reasons += [_bridged_reason(occasions, i, g) for i, g in bridged_gaps(occasions, roots, gaps, wide)]
    if not borderline:
        if len(occasions) > 1 and not any(r["code"] in ("linked_across_gap", "wide_gap_review") for r in reasons):
            reasons.append(_reason("gaps_within_limits", text.gaps_ok(len(occasions)), GAP_CITE[:1]))
        return "met", reasons, wide
    return "borderline", reasons + borderline, wide


def harassed_victims(occasions: list[Occasion], victims) -> list[str]:
    """Victims with an occasion towards them that records a harassing effect (s.7(2))."""
    hit = {v for o in occasions for p in o.parts if p.effects & HARASSING_EFFECTS for v in p.towards}
    return [v for v in victims if v in hit]


def _indirect(occasions: list[Occasion], juris: str) -> list[dict]:
    """England and Wales: a course that has two occasions only by counting conduct aimed at
    others is for review (check-v2 §10)."""
    indirect = [o.key for o in occasions if o.indirect]
    if juris != "england-wales" or not indirect or len(occasions) - len(indirect) >= 2:
        return []
    words = (
        f"{text.names(indirect)} reached the person through conduct aimed at someone else; the "
        "course has two occasions only by counting it: whether it is conduct in relation to her is for review"
    )
    return [{**_reason("indirect_conduct", words, INDIRECT_CITE[juris]), "incidents": indirect}]


def _gap_review(occasions: list[Occasion], i: int, days: int, cite: list[str]) -> dict:
    words = (
        f"a gap of {days} days between {text.day(occasions[i].end)} and {text.day(occasions[i + 1].start)}: "
        "no reported case here sets a rule on gaps, so whether the occasions are one course is for review"
    )
    return _reason("wide_gap_review", words, cite)


def _reason(code: str, words: str, cite: list[str]) -> dict:
    return {"code": code, "text": words, "cite": list(cite)}


def _gap_reason(occasions: list[Occasion], i: int, days: int) -> dict:
    words = text.wide_gap(days, occasions[i].end, occasions[i + 1].start)
    return _reason("wide_gap", words, GAP_CITE + ["DPP v Baker [2004] EWHC 2782 (Admin)"])


def _bridged_reason(occasions: list[Occasion], i: int, days: int) -> dict:
    words = text.bridged_gap(days, occasions[i].end, occasions[i + 1].start)
    return _reason(
        "linked_across_gap", words, ["Lau v DPP [2000] EWHC QB 182", "Hipgrave v Jones [2004] EWHC 2901 (QB)"]
    )


def _kelly(occasions: list[Occasion]) -> list[dict]:
    same_day = len([1 for a, b in pairwise(occasions) if b.start == a.end])
    if not same_day:
        return []
    words = (
        "separate acts on the same day count as separate occasions "
        f"({text.plural(same_day, 'pair')} of occasions on the same day)"
    )
    return [_reason("separate_acts_same_day", words, KELLY)]


def assess(course: Course, roots: dict[str, str], context, cite: list[str], juris: str = "england-wales") -> Course:
    """Fill in a course's status, reasons and flags."""
    multiple = course.kind == "multiple"
    course._gaps = gaps_between(course.occasions)  # once for the status and the document
    status, reasons, wide = judge_status(
        course.occasions, roots, context, course.victims, cite, multiple, juris, course._gaps
    )
    course.status, course.reasons, course.wide_gaps = status, reasons, wide
    course.juris = juris
    course.reasons += _review_reasons(course, juris)
    indirect = [o.key for o in course.occasions if o.indirect]
    if indirect and not any(r["code"] == "indirect_conduct" for r in course.reasons):
        words = (
            f"{text.names(indirect)} reached {text.names(course.victims)} through conduct aimed at someone else: "
            "counted as alarm only, never the effects recorded for the person it was aimed at"
        )
        course.reasons.append(
            {**_reason("indirect_conduct_counted", words, INDIRECT_CITE[juris]), "incidents": indirect}
        )
    codes = {r["code"] for r in course.reasons}
    course.flags = [c for c in FLAG_CODES if c in codes]
    if indirect:  # any occasion reached the victim only through ``affected``
        course.flags.append("indirect_conduct")
    return course


FLAG_CODES = ("attribution_review", "defence_review", "wide_gap_review")


def _one_act_many(victims, cite: list[str]) -> dict:
    words = (
        f"a single act towards {text.names(victims)}: s.7(3)(b) asks for conduct on at least one "
        "occasion towards each person, but whether one act can be a course of conduct is untested"
    )
    return _reason("single_act_several_people", words, cite)


def _review_reasons(course: Course, juris: str = "england-wales") -> list[dict]:
    parts = [p for o in course.occasions for p in o.parts]
    out = []
    procured = sorted([p.key for p in parts if p.procured_by and course.subject in p.procured_by])
    if procured:
        words = f"{text.names(procured)} counted as {course.subject}'s conduct because {course.subject} got someone else to do it"
        out.append({**_reason("procured_conduct", words, PROCURED_CITE.get(juris, [])), "incidents": procured})
    doubtful = sorted([p.key for p in parts if p.attribution in REVIEW_ATTRIBUTIONS and course.subject in p.by])
    if doubtful:
        words = f"who did {text.names(doubtful)} is only suspected or reported by someone else: for review"
        out.append({**_reason("attribution_review", words, ATTRIBUTION_CITE.get(juris, [])), "incidents": doubtful})
    stated = sorted([p.key for p in parts if p.stated_purpose])
    reported = (
        sorted([p.key for p in parts if "reporting_to_authorities" in p.behaviours])
        if any("reporting_to_authorities" in o.behaviours for o in course.occasions)  # its parts' words
        else []
    )
    purpose = sorted(set(stated) | set(reported))
    if purpose:
        verb = "records" if len(purpose) == 1 else "record"
        words = (
            f"{text.names(purpose)} {verb} a stated purpose or a report to the authorities: "
            "whether a defence applies is for review (the check never applies one)"
        )
        cite = [DEFENCE_STATUTE.get(juris, "PHA 1997 s.1(3)")] if juris in DEFENCE_STATUTE else []
        cite += ([HAYES] if stated and juris == "england-wales" else []) + (
            [MUSHARRAF] if reported and juris == "england-wales" else []
        )
        out.append({**_reason("defence_review", words, cite), "incidents": purpose})
    return out


def single_courses(pairs: dict, roots: dict[str, str]) -> list[Course]:
    """One course per pair with at least one occasion (status not yet assessed)."""
    courses = []
    for (subject, victim), pair in pairs.items():
        if pair.parts:
            occasions = build_occasions(pair.parts, roots)
            courses.append(Course(subject, (victim,), "single", occasions, _sorted_excluded(pair.excluded)))
    return courses


def multiple_courses(singles: list[Course], pairs: dict, roots: dict[str, str], order) -> list[Course]:
    """s.1(1A): for each subject with occasions towards two or more victims."""
    by_subject: dict[str, list[Course]] = {}
    for course in singles:
        if any(not o.indirect for o in course.occasions):  # affected does not count (check-v2 §5)
            by_subject.setdefault(course.subject, []).append(course)
    out = []
    for subject, courses in by_subject.items():
        if len(courses) < 2:
            continue
        victims = tuple(sorted((c.victims[0] for c in courses), key=order))
        parts = {p.key: p for c in courses for o in c.occasions for p in o.parts if not p.indirect}
        excluded = {(i.key, r): (i, r) for v in victims for i, r in pairs[(subject, v)].excluded}
        occasions = build_occasions(list(parts.values()), roots)
        out.append(Course(subject, victims, "multiple", occasions, _sorted_excluded(excluded.values())))
    return out


def _sorted_excluded(items) -> list[tuple[Incident, str]]:
    return sorted(items, key=lambda item: (item[0].order, item[1]))


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
    juris: str = "england-wales"

    # Worked out once from the occasions (which never change once the course is made), and
    # what the offences' tests found on them (offence.judge): the same for every offence.
    _ends: tuple | None = field(default=None, init=False, repr=False, compare=False)
    _gaps: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def first(self) -> dt.date:
        return self.occasions[0].start

    def _end_dates(self) -> tuple:
        if self._ends is None:
            occasions = self.occasions
            lows, highs = [o.end_lo for o in occasions], [o.end_hi for o in occasions]
            self._ends = (max([o.end for o in occasions]), max(lows), max(highs), min(lows), min(highs))
        return self._ends

    @property
    def last(self) -> dt.date:
        """The end of the course: the latest end of any occasion (a long span may end
        after a later-starting occasion). DPP v Baker."""
        return self._end_dates()[0]

    @property
    def last_lo(self) -> dt.date:
        """The earliest the course can have ended (check-v2 §8)."""
        return self._end_dates()[1]

    @property
    def last_hi(self) -> dt.date:
        """The latest the course can have ended (check-v2 §8)."""
        return self._end_dates()[2]

    @property
    def first_end_lo(self) -> dt.date:
        """The earliest any occasion can have ended."""
        return self._end_dates()[3]

    @property
    def first_end_hi(self) -> dt.date:
        """The earliest latest end of any occasion: every occasion may end on or after it."""
        return self._end_dates()[4]

    @property
    def gaps(self) -> list[int]:
        if self._gaps is None:
            self._gaps = gaps_between(self.occasions)
        return list(self._gaps)
