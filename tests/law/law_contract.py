"""A small checker for the check contract (check-v2 over check-v1; docs/check.md), used on
every scenario."""

from __future__ import annotations

import datetime as dt
import json

JURISDICTION_OFFENCES = {
    "england-wales": [
        "pha-s2",
        "cda-s32-s2",
        "pha-s2a",
        "pha-s4",
        "cda-s32-s4",
        "pha-s4a",
        "sca-s76",
        "pha-s3",
        "pha-s3a",
    ],
    "scotland": ["cjlsa-s39", "cjlsa-s38"],
    "northern-ireland": ["pfsa-s1", "pfho-art4", "pfsa-s2"],
}
# check-v2 §5: a single course lists pha-s3, a multiple course pha-s3a, never both.
NOT_ON_KIND = {"single": {"pha-s3a"}, "multiple": {"pha-s3"}}
# Our extension: offences the law brief names beyond check-v1's lists, kept apart.
OTHER_OFFENCES = {
    "england-wales": [],
    "scotland": ["dasa-s1", "pha-s8"],
    "northern-ireland": ["pfho-art6", "dacpa-s1"],
}
AGGRAVATED = {"cda-s32-s2", "cda-s32-s4"}
COURSE_STATUS = {"met", "borderline", "not_met"}
OFFENCE_STATUS = {"indicated", "borderline", "not_indicated", "not_available"}
LIMIT_STATUS = {"in_time", "expired", "none", "may_have_expired", "unverified"}
LIMIT_KEYS = {"applies", "deadline", "deadline_latest", "status", "days_left"}
EXCLUDED_REASONS = {"below_threshold", "withdrawn", "attribution_unknown"}
FLAGS = {"attribution_review", "defence_review", "indirect_conduct", "wide_gap_review"}
SUMMARY = {"pha-s2", "pha-s2a", "pfho-art4"}
ALTERNATIVES = {
    "england-wales": {"oapa-s16", "osa-s181", "mca-s1", "poa-s4a"},
    "scotland": {"cjlsa-s38"},
    "northern-ireland": {"oapa-s16", "osa-s181", "pfsa-s2"},
}
FORBIDDEN = ("guilty", "offence committed", "offence was committed", "needs checking", "henley", "caurti", "qosja")


def _keys(value) -> list:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _coded(items, where: str) -> None:
    assert isinstance(items, list), where
    for item in items:
        assert isinstance(item, dict) and isinstance(item.get("code"), str) and item["code"], where
        assert isinstance(item.get("text"), str) and item["text"], f"{where}: {item}"


def assert_contract(doc: dict, bundle: dict) -> None:
    """Raise AssertionError where ``doc`` breaks the contract for ``bundle``."""
    keys = {
        "format",
        "version",
        "case",
        "jurisdiction",
        "as_of",
        "courses",
        "alternatives",
        "warnings",
        "missing",
        "disclaimer",
    }
    assert keys <= set(doc), f"missing top-level keys: {keys - set(doc)}"
    assert doc["format"] == "stalklog.check" and doc["version"] == 2
    assert doc["case"] == bundle["case"]["ref"]
    assert doc["jurisdiction"] in JURISDICTION_OFFENCES
    _date(doc["as_of"])
    assert "not legal advice" in doc["disclaimer"].lower()
    live = {i["key"]: i for i in bundle["incidents"]}
    all_keys = set(live)
    persons = {p["key"] for p in bundle["people"]} | {
        k for i in live.values() for k in i.get("by", []) + i.get("towards", []) + _keys(i.get("procured_by"))
    }
    seen = set()
    for course in doc["courses"]:
        _course(course, doc, all_keys, persons, live)
        ident = (course["subject"], tuple(course["victims"]), course["kind"])
        assert ident not in seen, f"course listed twice: {ident}"
        seen.add(ident)
    for group in ("warnings", "missing"):
        _coded(doc[group], group)
        for item in doc[group]:
            assert set(item.get("incidents", [])) <= all_keys
    for alt in doc["alternatives"]:
        _single(alt, doc, all_keys)
    text = json.dumps(doc).lower()
    for word in FORBIDDEN:
        assert word not in text, f"forbidden wording {word!r} in the output"


def _single(alt: dict, doc: dict, all_keys: set) -> None:
    """A single-incident offence (check-v2 §12): one incident, its own limit and maximum."""
    assert alt["id"] in ALTERNATIVES[doc["jurisdiction"]], alt["id"]
    assert isinstance(alt["title"], str) and isinstance(alt["why"], str)
    assert len(alt["incidents"]) == 1 and set(alt["incidents"]) <= all_keys
    assert alt["subject"] and alt["victims"]
    assert isinstance(alt["max_penalty"], str) and alt["max_penalty"]
    _shape(alt["time_limit"])


def _course(course: dict, doc: dict, all_keys: set, persons: set, live: dict) -> None:
    assert course["subject"] in persons and course["victims"]
    assert set(course["victims"]) <= persons and course["subject"] not in course["victims"]
    assert course["kind"] in ("single", "multiple")
    assert course["kind"] == "multiple" or len(course["victims"]) == 1
    assert course["occasions"], "a listed course has at least one occasion"
    assert set(course["occasions"]) <= all_keys
    assert not any(live[k].get("withdrawn") for k in course["occasions"]), "a withdrawn incident is never an occasion"
    for item in course["excluded"]:
        assert item["incident"] in all_keys and item["reason"] in EXCLUDED_REASONS
    assert all(isinstance(g, int) and g >= 0 for g in course["gaps_days"])
    assert len(course["gaps_days"]) == len(course["occasions"]) - 1
    assert course["status"] in COURSE_STATUS
    assert course["reasons"], "every status carries its reasons"
    for reason in course["reasons"]:
        assert isinstance(reason["code"], str) and isinstance(reason["text"], str) and isinstance(reason["cite"], list)
    assert isinstance(course["flags"], list) and set(course["flags"]) <= FLAGS
    if course["status"] == "not_met":
        assert len(course["occasions"]) < 2 or course["kind"] == "multiple"
        assert course["single_incident_offences"] == []
    for alt in course["single_incident_offences"]:
        _single(alt, doc, all_keys)
        assert set(alt["incidents"]) <= {k for o in course["occasion_detail"] for k in o["incidents"]}
    _offences(course, doc, all_keys)
    _summary(course)


def _summary(course: dict) -> None:
    """check-v2 §7: ``strongest`` and ``next_deadline`` name their own offence."""
    live = [o for o in course["offences"] if o["status"] in ("indicated", "borderline")]
    strongest = course["strongest"]
    if not live:
        assert strongest is None
    else:
        assert set(strongest) >= {"offence", "status", "time_limit", "max_penalty"}
        own = next(o for o in course["offences"] if o["id"] == strongest["offence"])
        assert own["time_limit"] == strongest["time_limit"] and own["status"] == strongest["status"]
    nxt = course["next_deadline"]
    if nxt is not None:
        assert set(nxt) == {"offence", "incidents", "deadline", "deadline_latest", "status", "days_left"}
        assert nxt["offence"] != "pfho-art4" and nxt["status"] in ("in_time", "may_have_expired")
        ids = {o["id"] for o in course["offences"]} | {s["id"] for s in course["single_incident_offences"]}
        assert nxt["offence"] in ids


def _offences(course: dict, doc: dict, all_keys: set) -> None:
    ids = [o["id"] for o in course["offences"]]
    expected = [
        i
        for i in JURISDICTION_OFFENCES[doc["jurisdiction"]]
        if (i in ids or i not in AGGRAVATED) and i not in NOT_ON_KIND[course["kind"]]
    ]
    assert ids == expected, f"offences {ids} != {expected}"
    assert [o["id"] for o in course.get("other_offences", [])] == OTHER_OFFENCES[doc["jurisdiction"]]
    for off in course["offences"] + course.get("other_offences", []):
        assert off["status"] in OFFENCE_STATUS
        assert isinstance(off["title"], str) and off["title"]
        assert isinstance(off["max_penalty"], str) and off["max_penalty"]
        assert isinstance(off["cite"], list) and off["cite"]
        for req in off["requirements"]:
            assert isinstance(req["code"], str) and isinstance(req["met"], bool)
            assert set(req["incidents"]) <= all_keys and isinstance(req["cite"], list)
        if off["status"] in ("indicated", "borderline"):
            assert all(r["met"] for r in off["requirements"])
        if course["status"] == "not_met" and off["id"] not in ("cjlsa-s38", "pfsa-s2", "sca-s76"):
            assert off["status"] in ("not_indicated", "not_available")
        if course["kind"] == "multiple" and off["id"] not in ("pha-s2", "pha-s3a", "cda-s32-s2"):
            assert off["status"] in ("not_indicated", "not_available")
        _limit(off)


def _shape(limit: dict) -> None:
    """check-v2 §7: one shape for every time limit."""
    assert LIMIT_KEYS <= set(limit), set(limit)
    assert set(limit) <= LIMIT_KEYS | {"rule", "cite", "if_last_not_linked"}
    assert limit["status"] in LIMIT_STATUS and isinstance(limit["applies"], bool)
    if limit["status"] == "none":
        assert limit["deadline"] is None and limit["days_left"] is None and limit["deadline_latest"] is None
        return
    _date(limit["deadline"])
    assert isinstance(limit["days_left"], int)
    if limit["deadline_latest"] is not None:
        assert _date(limit["deadline_latest"]) > _date(limit["deadline"])
    if limit["status"] in ("in_time", "expired"):
        assert (limit["status"] == "in_time") == (limit["days_left"] >= 0)
    if limit["status"] == "may_have_expired":
        assert limit["days_left"] < 0 and limit["deadline_latest"]


def _limit(off: dict) -> None:
    limit = off["time_limit"]
    _shape(limit)
    if limit["status"] == "none":
        assert off["id"] not in SUMMARY or off["status"] == "not_available"
    if off["id"] == "pfho-art4":
        assert limit["status"] in ("unverified", "none")
    linked = limit.get("if_last_not_linked")
    if linked is not None:
        assert off["id"] in ("pha-s2", "pha-s2a")
        _shape(linked)
