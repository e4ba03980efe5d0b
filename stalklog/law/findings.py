"""Warnings (deadlines, imprecise dates) and what to record next, per course."""

from __future__ import annotations

import datetime as dt

from stalklog.law import wording as text
from stalklog.law.courses import Course
from stalklog.law.incidents import HARASSING_EFFECTS
from stalklog.law.offence import Jurisdiction
from stalklog.law.relationships import EX_PARTNERS, Relationship, sca_connection
from stalklog.law.scotland import ABUSIVE

SOON_DAYS = 28
LIVE = ("indicated", "borderline")


def course_warnings(course: Course, offences: list[dict], juris: Jurisdiction) -> list[dict]:
    """``time_limit_soon``, ``time_limit_may_have_expired`` and ``time_limit_expired`` for
    live summary offences whose limit is confirmed; ``time_limit_unverified`` wherever NI
    art.4 is listed (check-v2 §7)."""
    who = {"subject": course.subject, "victims": list(course.victims)}
    out = []
    summary = [
        o
        for o in offences
        if o["id"] in juris.summary_labels and o["status"] in LIVE and o["time_limit"]["status"] != "unverified"
    ]
    if summary:
        limit = summary[0]["time_limit"]
        labels = [juris.summary_labels[o["id"]] for o in summary]
        ids = [o["id"] for o in summary]
        deadline = text_date(limit["deadline"])
        extra = {**who, "offences": ids, "deadline": limit["deadline"], "days_left": limit["days_left"]}
        if limit["status"] == "in_time" and limit["days_left"] <= SOON_DAYS:
            words = text.deadline_soon(limit["days_left"], labels, course.subject, course.victims, deadline)
            out.append({"code": "time_limit_soon", "text": words, **extra})
        elif limit["status"] == "may_have_expired":
            latest = text_date(limit["deadline_latest"])
            words = text.deadline_may_have_passed(labels, course.subject, course.victims, deadline, latest)
            out.append({"code": "time_limit_may_have_expired", "text": words, **extra})
        elif limit["status"] == "expired":
            words = text.deadline_passed(labels, course.subject, course.victims, deadline)
            still = still_open(offences, juris)
            if still:
                words += f"; {still}"
            out.append({"code": "time_limit_expired", "text": words, **extra})
    if any(o["id"] == "pfho-art4" for o in offences):
        words = (
            "whether the six-month limit for art.4 still applies in Northern Ireland has not been "
            "confirmed: the date shown is when it would end if it applies"
        )
        out.append({"code": "time_limit_unverified", "text": words, **who, "offences": ["pfho-art4"]})
    return out


def still_open(offences: list[dict], juris: Jurisdiction) -> str:
    """What may still be open after the summary limit: offences of the course's jurisdiction
    that are indicated or borderline and have no time limit, and the civil claim where one
    is (check-v2 §7). Never an offence that is not available or not indicated."""
    live = [o for o in offences if o["status"] in LIVE]
    criminal = [o["title"] for o in live if o["kind"] != "civil" and o["time_limit"]["status"] == "none"]
    civil = [o["title"] for o in live if o["kind"] == "civil" and o["time_limit"]["status"] != "expired"]
    parts = []
    if criminal:
        parts.append(f"{text.names(criminal)} ({'it has' if len(criminal) == 1 else 'they have'} no time limit)")
    if civil:
        parts.append(f"the civil route ({text.names(civil)})")
    return "may still be open: " + " and ".join(parts) if parts else ""


def single_warnings(items: list[dict], course: Course | None = None) -> list[dict]:
    """``time_limit_soon`` / ``time_limit_may_have_expired`` for single-incident offences
    with a summary limit (check-v2 §12)."""
    out = []
    for item in items:
        limit = item["time_limit"]
        who = {"subject": item["subject"], "victims": list(item["victims"])}
        extra = {**who, "offences": [item["id"]], "incidents": list(item["incidents"]), "deadline": limit["deadline"]}
        if limit["status"] == "in_time" and limit["days_left"] <= SOON_DAYS:
            words = (
                f"{text.plural(limit['days_left'], 'day')} left for a prosecution to begin for "
                f"{item['title']} ({text.names(item['incidents'])}): the limit ends on "
                f"{text.day(text_date(limit['deadline']))}; report well before then"
            )
            out.append({"code": "time_limit_soon", "text": words, **extra, "days_left": limit["days_left"]})
        elif limit["status"] == "may_have_expired":
            words = (
                f"the time limit for {item['title']} ({text.names(item['incidents'])}) may already have passed on "
                f"{text.day(text_date(limit['deadline']))}; at the latest it ends on "
                f"{text.day(text_date(limit['deadline_latest']))}"
            )
            out.append({"code": "time_limit_may_have_expired", "text": words, **extra, "days_left": limit["days_left"]})
    return out


def alternative_warnings(alternatives: list[dict]) -> list[dict]:
    return single_warnings(alternatives)


RELIGIOUS_DATE = dt.date(2001, 12, 14)


def aggravation_warnings(courses: list[Course], context, juris_id: str) -> list[dict]:
    """Religious aggravation counts only from 14 Dec 2001 (Anti-terrorism, Crime and
    Security Act 2001 s.39; check-v2 §6)."""
    if juris_id != "england-wales" or "racial_or_religious_hostility" not in context:
        return []
    out = []
    for course in courses:
        early = [o.key for o in course.occasions if o.start_lo < RELIGIOUS_DATE]
        if early:
            words = (
                f"{text.names(early)} {'is' if len(early) == 1 else 'are'} before 14 Dec 2001: only racial "
                "aggravation can count for them; religious aggravation applies from that date"
            )
            out.append(
                {
                    "code": "religious_aggravation_from_2001",
                    "text": words,
                    "incidents": early,
                    "subject": course.subject,
                    "victims": list(course.victims),
                }
            )
    return out


def text_date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def imprecise_warnings(courses: list[Course]) -> list[dict]:
    """``imprecise_date`` for every month-only or approximate incident used as an occasion."""
    seen = {}
    for course in courses:
        for occasion in course.occasions:
            for part in occasion.parts:
                if part.precision in ("month", "approximate"):
                    seen[part.key] = part
    out = []
    for part in sorted(seen.values(), key=lambda p: p.order):
        if part.precision == "month":
            words = (
                f"{part.key} is dated only to the month ({part.start.strftime('%B %Y')}); it may be any day "
                f"from {text.day(part.start_lo)} to {text.day(part.end_hi)}, so gaps and time limits are given as ranges"
            )
        else:
            words = (
                f"{part.key} is dated only approximately; it may be any day from {text.day(part.start_lo)} "
                f"to {text.day(part.end_hi)}, so gaps and time limits are given as ranges"
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
    # PHA 1997 s.7(3): a course of conduct is conduct; an entry that says nothing about what
    # was done (a spreadsheet row without behaviour words) cannot show it (issue 15).
    no_behaviour = [o.key for o in occ if not o.behaviours]
    yield (
        "no_behaviour_recorded",
        no_behaviour or None,
        f"what did {subject} do? record the behaviour (following, loitering, contacting, threats, …)",
    )
    # s.7(2): alarm, distress or fear, including fear for someone else (check-v2 §1).
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
    early = [o.key for o in controlling if sca_connection(rel, o.start_lo) == "unknown"]
    needs_date = juris_id == "england-wales" and (rel.kind in EX_PARTNERS or rel.kind == "family")
    yield (
        "lived_together_unknown",
        early if needs_date and early else None,
        f"did {course.subject} and {victim} live together then, and until when? before 5 Apr 2023 it decides whether s.76 can apply",
    )
