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
from dataclasses import dataclass, field, replace
from typing import Any

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
    """One point the check looks at, in plain words, with its source. ``multiple``: the
    words and sources for a course towards several people (PHA 1997 s.1(1A)), where they
    differ (check-v2 §13)."""

    code: str
    text: str
    cite: tuple[str, ...]
    test: Test
    missing: str
    multiple: tuple[str, tuple[str, ...]] | None = None

    def words(self, kind: str) -> tuple[str, tuple[str, ...]]:
        if kind == "multiple" and self.multiple:
            return self.multiple
        return self.text, self.cite


@dataclass(frozen=True)
class TimeLimit:
    """A limit counted in calendar months from the end of the last occasion.
    ``unverified``: whether it applies has not been confirmed (check-v2 §7, NI art.4)."""

    months: int
    summary: bool
    rule: str
    cite: tuple[str, ...]
    unverified: bool = False


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
    # "course": all occasions, a course that began before the date of force is borderline
    # (PHA 1997 itself, Scotland); "from_force": only occasions from the date count, with
    # that straddling rule; "own_course": the occasions from the date alone make the course
    # (check-v2 §3); "each_occasion": one occasion can do, whatever the course status.
    scope: str = "course"
    listed_if: str | None = None
    for_review: tuple[str, ...] = ()
    # Points the research could not confirm: for ``stalklog law --sources`` and the docs,
    # never the check's output (check-v2 §13).
    caveats: tuple[str, ...] = field(default_factory=tuple)
    # (behaviour word or "stated_purpose", caveat): shown only where the case records it.
    notes: tuple[tuple[str, str], ...] = ()
    extra_dates: tuple[tuple[dt.date, str], ...] = ()
    only_kind: str | None = None  # listed only on a course of this kind (pha-s3 / pha-s3a)
    follows: tuple[Offence, ...] = ()  # the aggravated forms follow the stronger base
    custom: Callable | None = None  # an offence with its own test (s.76)

    def max_penalty(self, last: dt.date, last_hi: dt.date | None = None) -> str:
        """The maximum for a course ending on ``last``; where the end is imprecise and a
        penalty date falls within its range, both are named (check-v2 §8)."""
        phrase = self._phrase(last)
        if last_hi is None or last_hi == last:
            return phrase
        later = self._phrase(last_hi)
        if later == phrase:
            return phrase
        since = max(d for d, _ in self.penalty if d is not None and d <= last_hi)
        return f"{phrase}, or {later} if on or after {text.day(since)}"

    def _phrase(self, last: dt.date) -> str:
        phrase = self.penalty[0][1]
        for since, words in self.penalty:
            if since is None or last >= since:
                phrase = words
        return phrase

    def penalty_text(self) -> str:
        parts = [self.penalty[0][1]]
        for since, words in self.penalty[1:]:
            if since is not None:
                parts.append(f"{words} where the course ends on or after {text.day(since)}")
        return "; ".join(parts)


NO_LIMIT = {"applies": False, "deadline": None, "deadline_latest": None, "status": "none", "days_left": None}
STATUS_RANK = {"indicated": 0, "borderline": 1, "not_indicated": 2, "not_available": 3}


def months_limit(
    end_lo: dt.date, end_hi: dt.date, months: int, as_of: dt.date, unverified: bool = False
) -> dict[str, Any]:
    """The one time-limit shape (check-v2 §7): ``deadline`` from the earliest end,
    ``deadline_latest`` from the latest where the date is imprecise (§8)."""
    deadline = add_months(end_lo, months)
    latest = add_months(end_hi, months) if end_hi > end_lo else None
    if latest is not None and latest <= deadline:  # both ends give one date (30 and 31 Dec + 6 months: 30 Jun)
        latest = None
    if unverified:
        status = "unverified"
    elif as_of <= deadline:
        status = "in_time"
    elif latest is None or as_of > latest:
        status = "expired"
    else:
        status = "may_have_expired"
    return {
        "applies": True,
        "deadline": deadline.isoformat(),
        "deadline_latest": latest.isoformat() if latest else None,
        "status": status,
        "days_left": (deadline - as_of).days,
    }


def counted(offence: Offence, course: Course) -> list[Occasion]:
    """The occasions the offence may rest on (an occasion that may end on or after the date
    of force counts; one that spans it by imprecision makes the result borderline). All of
    them is the course's own list (the same object)."""
    if offence.scope == "course" or not course.occasions or course.first_end_hi >= offence.in_force:
        return course.occasions
    return [o for o in course.occasions if o.end_hi >= offence.in_force]


def judge(offence: Offence, course: Course, facts: Facts, as_of: dt.date, status_of) -> dict:
    """The offence entry of a course in the check document."""
    if offence.follows:
        return _judge_aggravated(offence, course, facts, as_of, status_of)
    if not course.occasions or course.last_hi < offence.in_force:  # no occasion may end on or after it
        return _entry(offence, course, "not_available", [], [_not_in_force(offence)], as_of)
    if offence.custom is not None:
        status, met, reasons, occasions = offence.custom(offence, course, facts, status_of)
        return _entry(offence, course, status, met, reasons, as_of, occasions)
    occasions = counted(offence, course)
    facts.occasions = occasions
    if offence.scope == "own_course" and len(occasions) != len(course.occasions):
        facts.status = status_of(occasions)  # the later occasions alone (check-v2 §3)
    if occasions is course.occasions:
        met = [(r, *_tested(r, facts, course)) for r in offence.requirements]
    else:
        met = [(r, *r.test(facts)) for r in offence.requirements]
    status, reasons = _status(offence, course, facts, met)
    return _entry(offence, course, status, met, reasons, as_of, occasions)


def _tested(requirement: Requirement, facts: Facts, course: Course) -> tuple:
    """``requirement.test(facts)`` on all the course's occasions, worked out once a course
    and course status: several offences share a requirement (the course of conduct, the
    harassing effect, the acts associated with stalking), and the rest of the facts (the
    context, the relationship, the case's impacts) are the case's and the course's own."""
    key = (id(requirement), facts.status)
    found = course.memo.get(key)
    if found is None:
        found = course.memo[key] = (requirement, requirement.test(facts))
    result = found[1]
    if len(result) == 2:
        return (result[0], list(result[1]))
    return (result[0], list(result[1]), *result[2:])


def _judge_aggravated(offence: Offence, course: Course, facts: Facts, as_of: dt.date, status_of) -> dict:
    """CDA 1998 s.32(1): the aggravated form of the stronger of its base offences
    (s.2 or s.2A; s.4 or s.4A), counting only conduct from its own date of force (§6)."""
    best = None
    for base in offence.follows:
        variant = replace(
            offence,
            requirements=base.requirements + offence.requirements,
            in_force=max(base.in_force, offence.in_force),
            force_cite=base.force_cite if base.in_force > offence.in_force else offence.force_cite,
            scope="own_course",
            follows=(),
        )
        entry = judge(variant, course, replace(facts), as_of, status_of)
        if best is None or STATUS_RANK[entry["status"]] < STATUS_RANK[best["status"]]:
            best = entry
    assert best is not None
    return best


def status_from(offence: Offence, course: Course, facts: Facts, met) -> tuple[str, list[dict]]:
    """(status, reasons) from the requirements met, in the contract's order of precedence."""
    return _status(offence, course, facts, met)


def _status(offence: Offence, course: Course, facts: Facts, met) -> tuple[str, list[dict]]:
    failed = [r for r, ok, *_ in met if not ok]
    if failed:
        reasons = [_r(r.code, r.missing, r.words(course.kind)[1]) for r in failed]
        if offence.scope == "own_course" and facts.status == "not_met" and course.first_end_hi < offence.in_force:
            early = [o for o in course.occasions if o.end_hi < offence.in_force]
            reasons.insert(0, _before_force(offence, early))
        return "not_indicated", reasons
    reasons = []
    if offence.scope != "each_occasion" and facts.status == "borderline":
        reasons.append(_r("course_borderline", "the course of conduct is borderline (see its reasons)", ()))
    if offence.scope in ("course", "from_force") and course.first < offence.in_force:
        words = (
            f"the course began before {offence.short} came into force on "
            f"{text.day(offence.in_force)}; only conduct from that date can count"
        )
        reasons.append(_r("straddles_in_force", words, (offence.force_cite,)))
    reasons += _imprecise_force(offence, facts.occasions, course)
    if reasons:
        return "borderline", reasons
    words = (
        "the recorded facts could support each point the check looks at; what the subject "
        "knew and any defence are for review"
    )
    return "indicated", [_r("points_recorded", words, offence.cite)]


def _imprecise_force(offence: Offence, occasions: list[Occasion], course: Course | None = None) -> list[dict]:
    """An occasion whose possible dates span the date of force (check-v2 §3, §8)."""
    if offence.scope == "course" or not occasions:
        return []
    if course is not None and occasions is course.occasions and course.first_end_lo >= offence.in_force:
        return []  # every occasion ends on or after the date of force
    keys = [o.key for o in occasions if o.end_lo < offence.in_force <= o.end_hi]
    if not keys:
        return []
    return [imprecise_reason(keys, f"{offence.short} came into force on {text.day(offence.in_force)}")]


def imprecise_reason(keys: list[str], what: str) -> dict:
    words = f"the date of {text.names(keys)} is not precise enough to say whether it was before or after {what}"
    return {"code": "imprecise_date", "text": words, "cite": [], "incidents": list(keys)}


def _before_force(offence: Offence, early: list[Occasion]) -> dict:
    keys = [o.key for o in early]
    words = (
        f"{text.names(keys)} {'is' if len(keys) == 1 else 'are'} before {offence.short} came into force on "
        f"{text.day(offence.in_force)} and cannot count; too few occasions are left"
    )
    return {**_r("before_force", words, (offence.force_cite,)), "incidents": keys}


def _not_in_force(offence: Offence) -> dict:
    words = f"{offence.short} applies from {text.day(offence.in_force)}; every occasion here is earlier"
    return _r("not_in_force", words, (offence.force_cite,))


def _r(code: str, words: str, cite) -> dict:
    return {"code": code, "text": words, "cite": list(cite)}


def _entry(offence: Offence, course: Course, status: str, met, reasons, as_of: dt.date, occasions=None) -> dict:
    requirements = []
    for r, ok, keys, *note in met:
        words, cite = r.words(course.kind)
        if note and note[0]:
            words = f"{words} ({note[0]})"
        requirements.append({"code": r.code, "met": bool(ok), "incidents": keys, "cite": list(cite), "text": words})
    if not occasions or occasions is course.occasions:
        last_lo, last_hi = course.last_lo, course.last_hi
    else:
        last_lo = max(o.end_lo for o in occasions)
        last_hi = max(o.end_hi for o in occasions)
    return {
        "id": offence.id,
        "title": offence.title,
        "kind": offence.kind,
        "status": status,
        "requirements": requirements,
        "time_limit": time_limit(offence, course, status, as_of),
        "max_penalty": offence.max_penalty(last_lo, last_hi),
        "cite": list(offence.cite),
        "reasons": reasons,
        "for_review": list(offence.for_review),
        "caveats": _caveats(offence, course),
    }


def _caveats(offence: Offence, course: Course) -> list[str]:
    """Caveats whose facts are in the case (check-v2 §13)."""
    if not offence.notes:
        return []
    out = []
    for word, caveat in offence.notes:
        key = ("caveat", word)
        hit = course.memo.get(key)
        if hit is None:
            if word == "stated_purpose":
                hit = any(p.stated_purpose for o in course.occasions for p in o.parts)
            else:  # an occasion's behaviours are all its parts' behaviours
                hit = any(word in o.behaviours for o in course.occasions)
            course.memo[key] = hit
        if hit:
            out.append(caveat)
    return out


LINKED_IDS = ("pha-s2", "pha-s2a")


def time_limit(offence: Offence, course: Course, status: str, as_of: dt.date) -> dict:
    """Deadline from the end of the course's last occasion (DPP v Baker), as a range where
    the date is imprecise; ``if_last_not_linked`` where the last occasion may stand apart."""
    limit = offence.time_limit
    if limit is None or status == "not_available":
        out: dict = dict(NO_LIMIT)
        if offence.id in LINKED_IDS:
            out["if_last_not_linked"] = None
        return out
    out = months_limit(course.last_lo, course.last_hi, limit.months, as_of, limit.unverified)
    out["rule"] = limit.rule
    out["cite"] = list(limit.cite)
    if offence.id in LINKED_IDS:
        out["if_last_not_linked"] = if_last_not_linked(course, limit.months, as_of)
    return out


def if_last_not_linked(course: Course, months: int, as_of: dt.date) -> dict | None:
    """DPP v Baker: if the last occasion, after a wide gap, is not part of the course, the
    earlier occasions had their own limit — counted from the occasion before the gap. Only
    with at least two occasions before it (one occasion is not a course)."""
    n = len(course.occasions)
    last_gap = [i for i, _ in course.wide_gaps if i == n - 2]
    if course.status != "borderline" or not last_gap or course.juris != "england-wales" or n - 1 < 2:
        return None
    before = course.occasions[:-1]
    out = months_limit(max(o.end_lo for o in before), max(o.end_hi for o in before), months, as_of)
    return out


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
    summary_labels: dict[str, str] = field(default_factory=dict)
    # Offences the law brief names but check-v1 does not list for this jurisdiction: judged
    # the same way and reported apart, under a course's ``other_offences``.
    other_offences: tuple[Offence, ...] = ()
    civil_ids: tuple[str, ...] = ()

    def listed(self, context: frozenset[str], kind: str = "single") -> list[Offence]:
        return [
            o
            for o in self.offences
            if (o.listed_if is None or o.listed_if in context) and (o.only_kind is None or o.only_kind == kind)
        ]


def _dates(offence: Offence) -> list[dict]:
    """Every date that changes how the offence applies: force, penalty changes, others."""
    out = [{"date": offence.in_force.isoformat(), "what": f"in force ({offence.force_cite})"}]
    out += [
        {"date": since.isoformat(), "what": f"maximum penalty {words}"} for since, words in offence.penalty if since
    ]
    out += [{"date": since.isoformat(), "what": what} for since, what in offence.extra_dates]
    return sorted(out, key=lambda d: d["date"])
