"""From incidents to courses: who did what towards whom, on how many occasions.

PHA 1997 s.7(3): a course of conduct needs conduct on at least two occasions towards one
person (s.7(3)(a)), or on at least one occasion towards each of two or more people where
the subject means to persuade someone (s.1(1A), s.7(3)(b)). The status rules are in
``docs/check.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise

from stalklog.law import wording as text
from stalklog.law.incidents import REVIEW_ATTRIBUTIONS, Incident
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
DEFENCE_CITE = ["PHA 1997 s.1(3)", "Hayes v Willoughby [2013] UKSC 17", "R v Musharraf [2022] EWCA Crim 1482"]


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


def group_pairs(incidents: list[Incident]) -> dict[tuple[str, str], Pair]:
    """Every (subject, victim) pair of the incidents, one pass."""
    pairs: dict[tuple[str, str], Pair] = {}
    for inc in incidents:
        for subject in dict.fromkeys(inc.by + inc.procured_by):
            reason = exclusion(inc, subject)
            if reason == "attribution_unknown" and inc.withdrawn:
                continue  # a withdrawn record is not evidence of anything
            for victim in dict.fromkeys(inc.towards):
                if victim == subject:
                    continue
                pair = pairs.setdefault((subject, victim), Pair([], []))
                (pair.excluded.append((inc, reason)) if reason else pair.parts.append(inc))
    return pairs


def judge_status(
    occasions: list[Occasion], roots: dict[str, str], context, victims, cite: list[str], multiple: bool = False
) -> tuple[str, list[dict], list[tuple[int, int]]]:
    """(status, reasons, unbridged wide gaps) for occasions towards ``victims``.

    ``multiple``: a s.1(1A) course, where the count is taken per victim (s.7(3)(b)): at
    least one occasion towards each, which its builder guarantees."""
    last = max((o.end for o in occasions), default=None)
    if multiple:
        # Two or more occasions in all keep the usual code; one act towards several people
        # says so.
        code = "two_or_more_occasions" if len(occasions) > 1 else "occasion_towards_each"
        reasons = [_reason(code, text.each_victim(len(occasions), victims, occasions[0].start, last), cite)]
        if len(occasions) < 2:
            reasons.append(_one_act_many(victims, cite))
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
    wide = unbridged_wide_gaps(occasions, roots)
    borderline = [_gap_reason(occasions, i, g) for i, g in wide]
    borderline += [_reason(c, CONTEXT_TEXT[c], CONTEXT_CITES[c]) for c in CONTEXT_TEXT if c in context]
    reasons += [_bridged_reason(occasions, i, g) for i, g in bridged_gaps(occasions, roots)]
    if not borderline:
        if len(occasions) > 1 and not any(r["code"] == "linked_across_gap" for r in reasons):
            reasons.append(_reason("gaps_within_limits", text.gaps_ok(len(occasions)), GAP_CITE[:1]))
        return "met", reasons, []
    return "borderline", reasons + borderline, wide


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
    same_day = sum(1 for a, b in pairwise(occasions) if b.start == a.end)
    if not same_day:
        return []
    words = (
        "separate acts on the same day count as separate occasions "
        f"({text.plural(same_day, 'pair')} of occasions on the same day)"
    )
    return [_reason("separate_acts_same_day", words, KELLY)]


def assess(course: Course, roots: dict[str, str], context, cite: list[str]) -> Course:
    """Fill in a course's status, reasons and flags."""
    multiple = course.kind == "multiple"
    status, reasons, wide = judge_status(course.occasions, roots, context, course.victims, cite, multiple)
    course.status, course.reasons, course.wide_gaps = status, reasons, wide
    course.reasons += _review_reasons(course)
    course.flags = [r["code"] for r in course.reasons if r["code"] in ("attribution_review", "defence_review")]
    return course


def _one_act_many(victims, cite: list[str]) -> dict:
    words = (
        f"a single act towards {text.names(victims)}: s.7(3)(b) asks only for conduct on at "
        "least one occasion towards each person"
    )
    return _reason("single_act_several_victims", words, cite)


def _review_reasons(course: Course) -> list[dict]:
    parts = [p for o in course.occasions for p in o.parts]
    out = []
    procured = sorted(p.key for p in parts if course.subject in p.procured_by)
    if procured:
        words = f"{text.names(procured)} counted as {course.subject}'s conduct because {course.subject} got someone else to do it"
        out.append({**_reason("procured_conduct", words, ["PHA 1997 s.7(3A)"]), "incidents": procured})
    doubtful = sorted(p.key for p in parts if course.subject in p.by and p.attribution in REVIEW_ATTRIBUTIONS)
    if doubtful:
        words = f"who did {text.names(doubtful)} is only suspected or reported by someone else: for review"
        out.append({**_reason("attribution_review", words, ["PHA 1997 s.7(3)"]), "incidents": doubtful})
    purpose = sorted(p.key for p in parts if p.stated_purpose or "reporting_to_authorities" in p.behaviours)
    if purpose:
        verb = "records" if len(purpose) == 1 else "record"
        words = (
            f"{text.names(purpose)} {verb} a stated purpose or a report to the authorities: "
            "whether a defence applies is for review (the check never applies one)"
        )
        out.append({**_reason("defence_review", words, DEFENCE_CITE), "incidents": purpose})
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
        by_subject.setdefault(course.subject, []).append(course)
    out = []
    for subject, courses in by_subject.items():
        if len(courses) < 2:
            continue
        victims = tuple(sorted((c.victims[0] for c in courses), key=order))
        parts = {p.key: p for c in courses for o in c.occasions for p in o.parts}
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
