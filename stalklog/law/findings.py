"""Warnings (deadlines, imprecise dates) and what to record next, per course."""

from __future__ import annotations

import datetime as dt

from stalklog.law import wording as text
from stalklog.law.courses import Course
from stalklog.law.incidents import HARASSING_EFFECTS
from stalklog.law.offence import Jurisdiction
from stalklog.law.relationships import EX_PARTNERS, SCA_EX_PARTNER_RULE, Relationship
from stalklog.law.scotland import ABUSIVE

SOON_DAYS = 28
LIVE = ("indicated", "borderline")


def course_warnings(course: Course, offences: list[dict], juris: Jurisdiction) -> list[dict]:
    """``time_limit_soon`` / ``time_limit_expired`` for live summary offences, and
    ``time_limit_unverified`` wherever the NI art.4 deadline is shown."""
    who = {"subject": course.subject, "victims": list(course.victims)}
    out = []
    summary = [o for o in offences if o["id"] in juris.summary_labels and o["status"] in LIVE]
    if summary:
        limit = summary[0]["time_limit"]
        labels = [juris.summary_labels[o["id"]] for o in summary]
        ids = [o["id"] for o in summary]
        deadline = text_date(limit["deadline"])
        extra = {**who, "offences": ids, "deadline": limit["deadline"], "days_left": limit["days_left"]}
        if 0 <= limit["days_left"] <= SOON_DAYS:
            words = text.deadline_soon(limit["days_left"], labels, course.subject, course.victims, deadline)
            out.append({"code": "time_limit_soon", "text": words, **extra})
        elif limit["days_left"] < 0:
            words = text.deadline_passed(labels, course.subject, course.victims, deadline)
            out.append({"code": "time_limit_expired", "text": f"{words}; {juris.after_expiry}", **extra})
    for o in offences:
        if o["id"] == "pfho-art4" and o["time_limit"]["applies"]:
            words = (
                "the six-month limit shown for art.4 has not been confirmed for current law "
                "in Northern Ireland: needs checking"
            )
            out.append({"code": "time_limit_unverified", "text": words, **who, "offences": ["pfho-art4"]})
    return out


def text_date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def imprecise_warnings(courses: list[Course]) -> list[dict]:
    """``imprecise_date`` for every month-only incident used as an occasion."""
    seen = {}
    for course in courses:
        for occasion in course.occasions:
            for part in occasion.parts:
                if part.precision == "month":
                    seen[part.key] = part
    out = []
    for part in sorted(seen.values(), key=lambda p: p.order):
        words = (
            f"{part.key} is dated only to the month ({part.start.strftime('%B %Y')}); it is "
            f"taken as {text.day(part.start)} for gaps and time limits"
        )
        out.append({"code": "imprecise_date", "incidents": [part.key], "text": words})
    return out


def course_missing(course: Course, rel: Relationship, juris_id: str, case_impacts=()) -> list[dict]:
    """What to record next to make the picture complete (never a verdict)."""
    if course.kind != "single":
        return []
    victim = course.victims[0]
    who = {"subject": course.subject, "victims": [victim]}
    out = []
    for code, keys, words in _gaps_to_fill(course, rel, juris_id, victim, case_impacts):
        if keys is not None:
            out.append({"code": code, "incidents": keys, "text": words, **who})
    return out


def _gaps_to_fill(course: Course, rel: Relationship, juris_id: str, victim: str, case_impacts):
    occ = course.occasions
    subject = course.subject
    yield (
        "no_second_occasion",
        [o.key for o in occ] if len(occ) == 1 else None,
        f"has anything else happened? one occasion is not a course of conduct: record any other time {subject} did something towards {victim}",
    )
    # s.7(2): alarm, distress or fear; fear for someone else alone does not count.
    no_effect = [o.key for o in occ if not o.effects & HARASSING_EFFECTS]
    yield "no_effect_recorded", no_effect or None, f"how did this affect {victim}?"
    after_gap = [occ[i + 1].key for i, _ in course.wide_gaps]
    yield (
        "no_link_recorded",
        after_gap or None,
        "is this connected to the earlier incidents (same dispute, refers back to them, a yearly pattern)? if so, record the link",
    )
    serious = any("serious_alarm_or_distress" in o.effects for o in occ)
    impacts = any(o.impacts for o in occ) or bool(case_impacts)
    yield (
        "no_impact_recorded",
        [o.key for o in occ if "serious_alarm_or_distress" in o.effects] if serious and not impacts else None,
        f"what has changed in {victim}'s daily life because of this (routine, route, work, home, security, health)?",
    )
    unknown = [i.key for i, reason in course.excluded if reason == "attribution_unknown"]
    yield "attribution_unknown", unknown or None, "who did this, and how is that known?"
    yield from _relationship_gaps(course, rel, juris_id, victim)


def _relationship_gaps(course: Course, rel: Relationship, juris_id: str, victim: str):
    abusive = [o for o in course.occasions if o.behaviours & ABUSIVE]
    controlling = [o for o in course.occasions if "controlling_or_coercive" in o.behaviours]
    relevant = controlling if juris_id == "england-wales" else abusive
    yield (
        "relationship_not_recorded",
        [o.key for o in relevant] if relevant and rel.kind in (None, "", "unknown") else None,
        f"what is {course.subject}'s relationship to {victim} (partner, ex-partner, family…)?",
    )
    early = [o.key for o in controlling if o.start < SCA_EX_PARTNER_RULE]
    needs_date = juris_id == "england-wales" and rel.kind in EX_PARTNERS and rel.lived_together_until is None
    yield (
        "lived_together_not_recorded",
        early if needs_date and early else None,
        f"did {course.subject} and {victim} live together, and until when? before 5 Apr 2023 it decides whether s.76 can apply",
    )
