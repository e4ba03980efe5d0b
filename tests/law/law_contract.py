"""A small checker for the check-v1 contract (docs/check.md), used on every scenario."""

from __future__ import annotations

import datetime as dt
import json

JURISDICTION_OFFENCES = {
    "england-wales": ["pha-s2", "cda-s32-s2", "pha-s2a", "pha-s4", "cda-s32-s4", "pha-s4a", "sca-s76", "pha-s3"],
    "scotland": ["cjlsa-s39", "cjlsa-s38"],
    "northern-ireland": ["pfsa-s1", "pfho-art4"],
}
# Our extension: offences the law brief names beyond check-v1's lists, kept apart.
OTHER_OFFENCES = {
    "england-wales": [],
    "scotland": ["dasa-s1", "pha-s8"],
    "northern-ireland": ["pfho-art6", "dacpa-s1"],
}
AGGRAVATED = {"cda-s32-s2", "cda-s32-s4"}
COURSE_STATUS = {"met", "borderline", "not_met"}
OFFENCE_STATUS = {"indicated", "borderline", "not_indicated", "not_available"}
LIMIT_STATUS = {"in_time", "expired", "none"}
EXCLUDED_REASONS = {"below_threshold", "withdrawn", "attribution_unknown"}
FLAGS = {"attribution_review", "defence_review"}
SUMMARY = {"pha-s2", "pha-s2a", "pfho-art4"}
ALTERNATIVES = {"england-wales": {"osa-s181", "mca-s1"}, "scotland": {"cjlsa-s38"}, "northern-ireland": {"osa-s181"}}
FORBIDDEN = ("guilty", "offence committed", "offence was committed")


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
    assert doc["format"] == "stalklog.check" and doc["version"] == 1
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
        assert alt["id"] in ALTERNATIVES[doc["jurisdiction"]]
        assert isinstance(alt["title"], str) and isinstance(alt["why"], str)
        assert alt["incidents"] and set(alt["incidents"]) <= all_keys
    text = json.dumps(doc).lower()
    for word in FORBIDDEN:
        assert word not in text, f"forbidden wording {word!r} in the output"


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
    _offences(course, doc, all_keys)


def _offences(course: dict, doc: dict, all_keys: set) -> None:
    ids = [o["id"] for o in course["offences"]]
    expected = [i for i in JURISDICTION_OFFENCES[doc["jurisdiction"]] if i in ids or i not in AGGRAVATED]
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
        if course["status"] == "not_met" and off["id"] != "cjlsa-s38":
            assert off["status"] in ("not_indicated", "not_available")
        if course["kind"] == "multiple" and off["id"] not in ("pha-s2", "pha-s3", "cda-s32-s2"):
            assert off["status"] in ("not_indicated", "not_available")
        _limit(off)


def _limit(off: dict) -> None:
    limit = off["time_limit"]
    assert {"applies", "deadline", "status", "days_left"} <= set(limit)
    assert limit["status"] in LIMIT_STATUS and isinstance(limit["applies"], bool)
    if limit["status"] == "none":
        assert limit["deadline"] is None and limit["days_left"] is None
        assert off["id"] not in SUMMARY or off["status"] == "not_available"
    else:
        _date(limit["deadline"])
        assert isinstance(limit["days_left"], int)
        assert (limit["status"] == "in_time") == (limit["days_left"] >= 0)
