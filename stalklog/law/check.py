"""``check_case``: a case bundle in, the check document (version 2) out (see docs/check.md)."""

from __future__ import annotations

import datetime as dt

from stalklog.errors import InvalidValue
from stalklog.law import courses as courses_mod
from stalklog.law import england_wales, northern_ireland, scotland
from stalklog.law import wording as text
from stalklog.law.courses import Course
from stalklog.law.findings import (
    aggravation_warnings,
    alternative_warnings,
    course_missing,
    course_warnings,
    imprecise_warnings,
    single_warnings,
)
from stalklog.law.headline import next_deadline, strongest
from stalklog.law.incidents import read_incident, to_date
from stalklog.law.occasions import occasion_roots
from stalklog.law.offence import Facts, Jurisdiction, judge
from stalklog.law.orders import judge_orders
from stalklog.law.relationships import Relationship
from stalklog.law.single import single_incident_offences

JURISDICTIONS: dict[str, Jurisdiction] = {
    j.id: j for j in (england_wales.JURISDICTION, scotland.JURISDICTION, northern_ireland.JURISDICTION)
}


def jurisdiction_of(name: str | None) -> Jurisdiction:
    if name not in JURISDICTIONS:
        known = ", ".join(JURISDICTIONS)
        raise InvalidValue(f"unknown jurisdiction {name!r} (expected one of: {known})")
    return JURISDICTIONS[name]


class Case:
    """The parts of a bundle the check reads, normalised once."""

    def __init__(self, bundle: dict, jurisdiction: str | None):
        case = bundle.get("case") or {}
        self.ref = case.get("ref")
        self.juris = jurisdiction_of(jurisdiction or case.get("jurisdiction"))
        self.context = frozenset(case.get("context") or ())
        self.people = {str(p.get("key")): p for p in bundle.get("people") or []}
        self._rank = {key: n for n, key in enumerate(self.people)}
        self.incidents = [read_incident(raw, n) for n, raw in enumerate(bundle.get("incidents") or [])]
        self.roots = occasion_roots([i for i in self.incidents if not i.withdrawn])
        self.case_impacts = tuple(str(i.get("kind")) for i in bundle.get("impacts") or [] if i.get("kind"))

    def rank(self, key: str) -> tuple:
        return (self._rank.get(key, len(self._rank)), key)

    def relationship(self, subject: str, victim: str) -> Relationship:
        """The relationship recorded for a pair. A person's ``relationship`` is their
        relationship to the victim, so it is read from the subject's record (failing that,
        the victim's) only where one of the two has the role ``victim``: a subject's
        ex-partner is not thereby the ex-partner of a friend or relative they also target."""
        pair = [self.people.get(subject) or {}, self.people.get(victim) or {}]
        if not any(p.get("role") == "victim" for p in pair):
            return Relationship()
        for person in pair:
            if person.get("relationship"):
                until = person.get("lived_together_until")
                ended = person.get("relationship_ended")
                return Relationship(
                    person["relationship"], to_date(until) if until else None, to_date(ended) if ended else None
                )
        return Relationship()


def check_case(bundle: dict, as_of: dt.date, jurisdiction: str | None = None) -> dict:
    """The check document (version 2) for one case bundle; ``jurisdiction`` overrides the case's."""
    as_of = to_date(as_of)
    case = Case(bundle, jurisdiction)
    courses = build_courses(case)
    doc_courses, warnings, missing, alternatives = [], imprecise_warnings(courses), [], []
    juris = case.juris
    for course in courses:
        rel = case.relationship(course.subject, course.victims[0])
        offences = [_judge(case, course, o, as_of, rel) for o in juris.listed(case.context, course.kind)]
        others = [_judge(case, course, o, as_of, rel) for o in juris.other_offences]
        who = {"subject": course.subject, "victims": list(course.victims)}
        singles: list[dict] = []
        if course.kind == "single" and course.status == "not_met":
            alternatives += [{**a, **who} for a in single_incident_offences(course.occasions, juris.id, as_of)]
        elif course.kind == "single":
            listed = frozenset(o["id"] for o in offences)
            singles = [{**a, **who} for a in single_incident_offences(course.occasions, juris.id, as_of, listed)]
        doc_courses.append(course_doc(course, offences, others, singles))
        warnings += course_warnings(course, offences, juris)
        warnings += single_warnings(singles, course)
        missing += course_missing(course, rel, juris.id, case.case_impacts)
    alternatives = _merge_alternatives(alternatives, case.rank)
    warnings += alternative_warnings(alternatives)
    warnings += aggravation_warnings(courses, case.context, juris.id)
    orders = judge_orders(bundle, as_of, case.juris.id, doc_courses, case.incidents)  # orders-v1: always present
    warnings += orders["warnings"]
    return {
        "format": "stalklog.check",
        "version": 2,
        "case": case.ref,
        "jurisdiction": juris.id,
        "as_of": as_of.isoformat(),
        "courses": doc_courses,
        "alternatives": alternatives,
        "warnings": warnings,
        "missing": _dedupe(missing),
        "orders": orders["orders"],
        "possible_breaches": orders["possible_breaches"],
        "protective_options": orders["protective_options"],
        "disclaimer": text.DISCLAIMER,
    }


def build_courses(case: Case) -> list[Course]:
    """Single courses for every pair with an occasion, then s.1(1A) courses, assessed."""
    pairs = courses_mod.group_pairs(case.incidents)
    singles = courses_mod.single_courses(pairs, case.roots)
    multiples = []
    if case.juris.multiple_cite and "intent_to_persuade" in case.context:
        multiples = courses_mod.multiple_courses(singles, pairs, case.roots, case.rank)
    for course in singles:
        courses_mod.assess(course, case.roots, case.context, list(case.juris.course_cite), case.juris.id)
    for course in multiples:
        courses_mod.assess(course, case.roots, case.context, list(case.juris.multiple_cite or ()), case.juris.id)
    everything = singles + multiples
    everything.sort(key=lambda c: (case.rank(c.subject), c.kind == "multiple", [case.rank(v) for v in c.victims]))
    return everything


def _judge(case: Case, course: Course, offence, as_of: dt.date, rel: Relationship | None = None) -> dict:
    """One offence on one course (``rel``: the pair's relationship, where the caller has it)."""
    facts = Facts(
        course=course,
        occasions=course.occasions,
        status=course.status,
        context=case.context,
        relationship=case.relationship(course.subject, course.victims[0]) if rel is None else rel,
        case_impacts=case.case_impacts,
    )
    multiple = course.kind == "multiple"
    cite = list(case.juris.multiple_cite or ()) if multiple else list(case.juris.course_cite)

    def status_of(occasions) -> str:
        if not occasions:
            return "not_met"
        return courses_mod.judge_status(
            occasions, case.roots, case.context, course.victims, cite, multiple, case.juris.id
        )[0]

    return judge(offence, course, facts, as_of, status_of)


def course_doc(
    course: Course, offences: list[dict], others: list[dict] | None = None, singles: list[dict] | None = None
) -> dict:
    return {
        "subject": course.subject,
        "victims": list(course.victims),
        "kind": course.kind,
        "occasions": [o.key for o in course.occasions],
        "excluded": [{"incident": inc.key, "reason": reason} for inc, reason in course.excluded],
        "gaps_days": course.gaps,
        "status": course.status,
        "reasons": course.reasons,
        "flags": course.flags,
        "offences": offences,
        "other_offences": others or [],
        "single_incident_offences": singles or [],
        "strongest": strongest(offences),
        "next_deadline": next_deadline(offences, singles or []),
        "occasion_detail": _detail(course),
    }


def _detail(course: Course) -> list[dict]:
    """Each occasion's incidents and dates (for views and reports)."""
    out = []
    for o in course.occasions:
        parts = o.parts
        item: dict[str, object] = {
            "key": o.key,
            "incidents": [o.key] if len(parts) == 1 else [p.key for p in parts],
            "start": o.start.isoformat(),
            "end": o.end.isoformat(),
        }
        if o.start_lo != o.start_hi or o.end_lo != o.end_hi:  # imprecise
            item["earliest"], item["latest"] = o.start_lo.isoformat(), o.end_hi.isoformat()
        if o.indirect:
            item["indirect"] = True
        out.append(item)
    return out


def _merge_alternatives(items: list[dict], rank) -> list[dict]:
    """One entry per option and incident, naming every victim it was aimed at."""
    merged: dict[tuple, dict] = {}
    for item in items:
        key = (item["id"], tuple(item["incidents"]), item["subject"])
        if key in merged:
            victims = set(merged[key]["victims"]) | set(item["victims"])
            merged[key]["victims"] = sorted(victims, key=rank)
        else:
            merged[key] = dict(item)
    return list(merged.values())


def _dedupe(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        key = (item["code"], tuple(item.get("incidents", ())), item.get("text"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
