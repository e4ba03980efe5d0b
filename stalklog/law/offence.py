"""The shape every offence shares, and how one offence is judged on one course.

Each jurisdiction is a list of ``Offence`` values. An offence lists its requirements as
small functions of the recorded facts; ``judge`` turns them into a status in the order
of precedence the contract fixes: ``not_available`` (not in force for any occasion),
``not_indicated`` (the course is not met or a requirement fails), ``borderline`` (the
course is borderline, or straddles the date of force), else ``indicated``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from stalklog.law import wording as text
from stalklog.law.courses import Course
from stalklog.law.incidents import add_months
from stalklog.law.occasions import Occasion
from stalklog.law.relationships import Relationship


@dataclass
class Facts:
    """What a requirement may look at: the occasions that count for the offence."""

    course: Course
    occasions: list[Occasion]
    status: str
    context: frozenset[str]
    relationship: Relationship
    case_impacts: tuple[str, ...]


Test = Callable[[Facts], tuple[bool, list[str]]]


@dataclass(frozen=True)
class Requirement:
    """One point the check looks at, in plain words, with its source."""

    code: str
    text: str
    cite: tuple[str, ...]
    test: Test
    missing: str


@dataclass(frozen=True)
class TimeLimit:
    """A limit counted in calendar months from the end of the last occasion."""

    months: int
    summary: bool
    rule: str
    cite: tuple[str, ...]


@dataclass(frozen=True)
class Offence:
    """An offence (or civil claim) of one jurisdiction, judged the same way as the rest."""

    id: str
    title: str
    short: str
    jurisdiction: str
    kind: str  # "criminal" or "civil"
    in_force: dt.date
    force_cite: str
    requirements: tuple[Requirement, ...]
    cite: tuple[str, ...]
    penalty: tuple[tuple[dt.date | None, str], ...]
    time_limit: TimeLimit | None = None
    summary: str = ""
    # "course": all occasions; "from_force": only occasions from the date of force count;
    # "own_course": those occasions alone make the course (no straddling rule);
    # "each_occasion": one occasion can do, whatever the course status.
    scope: str = "course"
    listed_if: str | None = None
    for_review: tuple[str, ...] = ()
    caveats: tuple[str, ...] = field(default_factory=tuple)
    extra_dates: tuple[tuple[dt.date, str], ...] = ()

    def max_penalty(self, last: dt.date) -> str:
        phrase = self.penalty[0][1]
        for since, words in self.penalty:
            if since is None or last >= since:
                phrase = words
        return phrase

    def penalty_text(self) -> str:
        parts = [self.penalty[0][1]]
        for since, words in self.penalty[1:]:
            parts.append(f"{words} where the course ends on or after {text.day(since)}")
        return "; ".join(parts)


NO_LIMIT = {"applies": False, "deadline": None, "status": "none", "days_left": None}


def counted(offence: Offence, course: Course) -> list[Occasion]:
    """The occasions the offence may rest on."""
    if offence.scope == "course":
        return course.occasions
    return [o for o in course.occasions if o.end >= offence.in_force]


def judge(offence: Offence, course: Course, facts: Facts, as_of: dt.date, status_of) -> dict:
    """The offence entry of a course in the check-v1 document."""
    occasions = counted(offence, course)
    if not any(o.end >= offence.in_force for o in course.occasions):
        return _entry(offence, course, "not_available", [], [_not_in_force(offence)], as_of)
    facts.occasions = occasions
    if offence.scope == "own_course":
        facts.status = status_of(occasions)
    met = [(r, *r.test(facts)) for r in offence.requirements]
    status, reasons = _status(offence, course, facts, met)
    return _entry(offence, course, status, met, reasons, as_of)


def _status(offence: Offence, course: Course, facts: Facts, met) -> tuple[str, list[dict]]:
    failed = [r for r, ok, _ in met if not ok]
    if failed:
        return "not_indicated", [_r(r.code, r.missing, r.cite) for r in failed]
    reasons = []
    if offence.scope != "each_occasion" and facts.status == "borderline":
        reasons.append(_r("course_borderline", "the course of conduct is borderline (see its reasons)", ()))
    if offence.scope in ("course", "from_force") and course.first < offence.in_force:
        words = (
            f"the course began before {offence.short} came into force on "
            f"{text.day(offence.in_force)}; only conduct from that date can count"
        )
        reasons.append(_r("straddles_in_force", words, (offence.force_cite,)))
    if reasons:
        return "borderline", reasons
    words = (
        "the recorded facts could support each point the check looks at; what the subject "
        "knew and any defence are for review"
    )
    return "indicated", [_r("points_recorded", words, offence.cite)]


def _not_in_force(offence: Offence) -> dict:
    words = f"{offence.short} applies from {text.day(offence.in_force)}; every occasion here is earlier"
    return _r("not_in_force", words, (offence.force_cite,))


def _r(code: str, words: str, cite) -> dict:
    return {"code": code, "text": words, "cite": list(cite)}


def _entry(offence: Offence, course: Course, status: str, met, reasons, as_of: dt.date) -> dict:
    return {
        "id": offence.id,
        "title": offence.title,
        "kind": offence.kind,
        "status": status,
        "requirements": [
            {"code": r.code, "met": bool(ok), "incidents": keys, "cite": list(r.cite), "text": r.text}
            for r, ok, keys in met
        ],
        "time_limit": time_limit(offence, course, status, as_of),
        "max_penalty": offence.max_penalty(course.last),
        "cite": list(offence.cite),
        "reasons": reasons,
        "for_review": list(offence.for_review),
        "caveats": list(offence.caveats),
    }


def time_limit(offence: Offence, course: Course, status: str, as_of: dt.date) -> dict:
    """Deadline from the end of the course's last occasion (DPP v Baker)."""
    limit = offence.time_limit
    if limit is None or status == "not_available":
        return dict(NO_LIMIT)
    deadline = add_months(course.last, limit.months)
    return {
        "applies": True,
        "deadline": deadline.isoformat(),
        "status": "in_time" if as_of <= deadline else "expired",
        "days_left": (deadline - as_of).days,
        "rule": limit.rule,
        "cite": list(limit.cite),
    }


def catalogue_entry(offence: Offence) -> dict:
    """The offence as data for ``stalklog law``."""
    limit = offence.time_limit
    return {
        "id": offence.id,
        "title": offence.title,
        "jurisdiction": offence.jurisdiction,
        "kind": offence.kind,
        "summary": offence.summary,
        "requirements": [{"code": r.code, "text": r.text, "cite": list(r.cite)} for r in offence.requirements],
        "for_review": list(offence.for_review),
        "time_limit": limit.rule if limit else "no time limit",
        "max_penalty": offence.penalty_text(),
        "in_force": offence.in_force.isoformat(),
        "in_force_cite": offence.force_cite,
        "dates": _dates(offence),
        "cite": list(offence.cite),
        "caveats": list(offence.caveats),
    }


@dataclass(frozen=True)
class Jurisdiction:
    """One legal system: its offences, how it cites a course, and its alternatives."""

    id: str
    name: str
    offences: tuple[Offence, ...]
    course_cite: tuple[str, ...]
    multiple_cite: tuple[str, ...] | None
    alternatives: Callable[[Course], list[dict]]
    after_expiry: str
    summary_labels: dict[str, str] = field(default_factory=dict)
    # Offences the law brief names but check-v1 does not list for this jurisdiction: judged
    # the same way and reported apart, under a course's ``other_offences``.
    other_offences: tuple[Offence, ...] = ()

    def listed(self, context: frozenset[str]) -> list[Offence]:
        return [o for o in self.offences if o.listed_if is None or o.listed_if in context]


def _dates(offence: Offence) -> list[dict]:
    """Every date that changes how the offence applies: force, penalty changes, others."""
    out = [{"date": offence.in_force.isoformat(), "what": f"in force ({offence.force_cite})"}]
    out += [
        {"date": since.isoformat(), "what": f"maximum penalty {words}"} for since, words in offence.penalty if since
    ]
    out += [{"date": since.isoformat(), "what": what} for since, what in offence.extra_dates]
    return sorted(out, key=lambda d: d["date"])
