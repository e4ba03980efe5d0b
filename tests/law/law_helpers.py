"""Tiny builders for case bundles in the law tests (fictional people only).

``check`` runs the check and the contract checker on every document it returns, so every
scenario in the law tests is also checked against the check-v1 contract.
"""

from __future__ import annotations

import datetime as dt

from law_contract import assert_contract

from stalklog.law import check_case

AS_OF = dt.date(2025, 8, 15)


def person(key: str, role: str = "victim", **extra) -> dict:
    names = {"V": "Alex Doe", "P": "Sam Roe", "Q": "Jo Bloggs", "W": "Chris Poe"}
    return {"key": key, "role": role, "name": names.get(key, f"Person {key}"), **extra}


def people(subject_extra: dict | None = None, victims=("V", "W"), subjects=("P", "Q")) -> list[dict]:
    out = [person(v) for v in victims]
    out += [person(s, "subject", **(subject_extra or {})) for s in subjects]
    return out


def inc(key: str, occurred, by=("P",), towards=("V",), **extra) -> dict:
    """One incident: following with alarm by P towards V unless told otherwise."""
    when = occurred.isoformat() if isinstance(occurred, dt.date) else occurred
    record = {
        "key": key,
        "occurred": when,
        "occurred_end": None,
        "precision": "exact" if "T" in when else "day",
        "by": list(by),
        "attribution": "seen",
        "procured_by": None,
        "towards": list(towards),
        "affected": [],
        "behaviours": ["following"],
        "channel": "in_person",
        "effects": ["alarm"],
        "impacts": [],
        "below_threshold": False,
        "same_occasion_as": None,
        "links": [],
        "stated_purpose": None,
        "summary": "fictional test incident",
    }
    record.update(extra)
    return record


def series(start: str | dt.date, gaps: list[int], prefix: str = "I", **extra) -> list[dict]:
    """Incidents on ``start`` and then after each gap in days (day-precision dates)."""
    day = dt.date.fromisoformat(start) if isinstance(start, str) else start
    out = [inc(f"{prefix}1", day, **extra)]
    for n, gap in enumerate(gaps, 2):
        day = day + dt.timedelta(days=gap)
        out.append(inc(f"{prefix}{n}", day, **extra))
    return out


def bundle(
    incidents: list[dict],
    *,
    context=(),
    jurisdiction: str = "england-wales",
    impacts=(),
    subject: dict | None = None,
    persons: list[dict] | None = None,
) -> dict:
    return {
        "format": "stalklog.case",
        "version": 1,
        "case": {
            "ref": "T-2025-001",
            "title": "fictional test case",
            "jurisdiction": jurisdiction,
            "opened": "2025-01-01",
            "context": list(context),
            "notes": "",
        },
        "people": persons if persons is not None else people(subject),
        "incidents": incidents,
        "impacts": list(impacts),
    }


def check(b: dict, as_of=AS_OF, jurisdiction: str | None = None) -> dict:
    as_of = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    doc = check_case(b, as_of, jurisdiction)
    assert_contract(doc, b)
    return doc


def course(doc: dict, subject: str = "P", victims=("V",), kind: str = "single") -> dict:
    found = [
        c for c in doc["courses"] if c["subject"] == subject and c["victims"] == list(victims) and c["kind"] == kind
    ]
    assert len(found) == 1, (
        f"no single {kind} course {subject}->{victims}: {[(c['subject'], c['victims'], c['kind']) for c in doc['courses']]}"
    )
    return found[0]


def offence(c: dict, offence_id: str) -> dict:
    """An offence of a course: in ``offences`` (check-v1) or ``other_offences`` (our extension)."""
    found = [o for o in c["offences"] + c.get("other_offences", []) if o["id"] == offence_id]
    assert len(found) == 1, f"{offence_id} not listed: {[o['id'] for o in c['offences']]}"
    return found[0]


def status(doc: dict, offence_id: str, subject: str = "P", victims=("V",), kind: str = "single") -> str:
    return offence(course(doc, subject, victims, kind), offence_id)["status"]


def requirement(off: dict, code: str) -> dict:
    found = [r for r in off["requirements"] if r["code"] == code]
    assert len(found) == 1, f"{code} not in {[r['code'] for r in off['requirements']]}"
    return found[0]


def codes(items: list[dict]) -> list[str]:
    return [i["code"] for i in items]
