"""Bundles stay sane (issue 15): free text has size limits with an error naming the field,
keys and references hold no control characters, reference patterns accept only what they
mean (ASCII digits, no trailing newline), empty objects are refused. Nothing is written
when any of it is wrong. All names are fictional."""

from __future__ import annotations

import copy
import json

import pytest

from stalklog.errors import BundleError, InvalidValue
from stalklog.interchange.json_bundle import validate
from stalklog.records import check_key

SHA = "a" * 64
BASE = {
    "format": "stalklog.case",
    "version": 1,
    "case": {"ref": "S-1", "jurisdiction": "england-wales", "title": "Sanity (fictional)"},
    "people": [{"key": "V", "role": "victim", "name": "Alex Doe"}, {"key": "P", "role": "subject", "name": "Sam Roe"}],
    "incidents": [
        {
            "key": "I1",
            "occurred": "2025-01-05T18:30",
            "by": ["P"],
            "towards": ["V"],
            "summary": "He followed me (fictional)",
            "exhibits": [{"ref": "AD/1", "sha256": SHA, "producer": "Alex Doe"}],
        }
    ],
}


def bundle(change) -> dict:
    b = copy.deepcopy(BASE)
    change(b)
    return b


def refused(change, field: str, words: str = ""):
    with pytest.raises((BundleError, InvalidValue)) as e:
        validate(bundle(change))
    assert field in e.value.message, e.value.message
    assert words in e.value.message, e.value.message


def test_the_base_bundle_is_valid():
    validate(bundle(lambda b: None))


@pytest.mark.parametrize(
    ("path", "size", "field"),
    [
        (("incidents", 0, "summary"), 100_001, "incidents[0].summary"),
        (("incidents", 0, "words"), 100_001, "incidents[0].words"),
        (("incidents", 0, "location"), 2_001, "incidents[0].location"),
        (("case", "notes"), 100_001, "case.notes"),
        (("case", "title"), 501, "case.title"),
        (("people", 0, "name"), 501, "people[0].name"),
    ],
)
def test_free_text_over_its_limit_is_refused_naming_the_field(path, size, field):
    def change(b):
        target = b
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = "x" * size

    refused(change, field, "characters long; at most")


def test_text_within_the_limit_is_kept():
    validate(bundle(lambda b: b["incidents"][0].update(summary="x" * 100_000)))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["people"][0].update(key="V\n"), "people[0].key"),
        (lambda b: b["incidents"][0].update(key="I1\x1b[2J"), "incidents[0].key"),
        (lambda b: b["case"].update(ref="S-1\r\nX"), "case.ref"),
        (lambda b: b["incidents"][0].update(police_ref="CC-1\n"), "incidents[0].police_ref"),
        (lambda b: b["people"][1].update(identifiers=["07700\x00900123"]), "people[1].identifiers[0]"),
        (lambda b: b["incidents"][0].update(summary="bell \x07 in the text"), "incidents[0].summary"),
    ],
)
def test_control_characters_in_keys_references_and_text_are_refused(change, field):
    refused(change, field, "control character")


@pytest.mark.parametrize("ref", ["AD/1\n", "AD/\u0661", "AD/1/\u0662", "AD/1\n/2", "ÄD/1"])
def test_exhibit_references_accept_only_ascii_digits_and_no_trailing_newline(ref):
    refused(lambda b: b["incidents"][0]["exhibits"][0].update(ref=ref), "incidents[0].exhibits[0].ref")


def test_a_sha256_with_a_trailing_newline_is_refused():
    refused(lambda b: b["incidents"][0]["exhibits"][0].update(sha256=SHA + "\n"), "exhibits[0].sha256")


@pytest.mark.parametrize("key", ["P\n", "P\r", "V\x00"])
def test_a_person_key_typed_with_a_newline_is_refused(key):
    with pytest.raises(InvalidValue):
        check_key(key, "--key")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.update(case={}), "case"),
        (lambda b: b["people"].append({}), "people[2]"),
        (lambda b: b["incidents"].append({}), "incidents[1]"),
        (lambda b: b["incidents"][0].update(withdrawn={}), "incidents[0].withdrawn"),
    ],
)
def test_empty_objects_are_refused(change, field):
    refused(change, field)


@pytest.mark.parametrize("version", [True, 1.5, 2, "1", None])
def test_the_version_must_be_the_number_1(version):
    refused(lambda b: b.update(version=version), "version")


def test_a_refused_bundle_writes_nothing(run, tmp_path):
    run("init")
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle(lambda b: b["incidents"][0].update(location="x" * 5000))))
    result = run("import", path, code=1)
    assert "incidents[0].location: is 5,000 characters long; at most 2,000" in result.stderr
    assert run.json("case", "list") == []
