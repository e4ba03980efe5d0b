"""The case bundle v1 through ``stalklog import`` / ``stalklog export``: the round trip, the
defaults, and every kind of bad bundle rejected whole (nothing written).

tests/data/bundle_full.json is a fictional case that uses every field of the format.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest

FULL = Path(__file__).resolve().parents[1] / "data" / "bundle_full.json"


def full() -> dict:
    return json.loads(FULL.read_text(encoding="utf-8"))


def minimal() -> dict:
    return {
        "format": "stalklog.case",
        "version": 1,
        "case": {"ref": "M-1", "jurisdiction": "england-wales"},
        "people": [{"key": "V", "role": "victim"}, {"key": "P", "role": "subject"}],
        "incidents": [
            {"key": "I1", "occurred": "2025-01-05", "by": ["P"], "towards": ["V"]},
            {"key": "I2", "occurred": "2025-01-06T18:30", "by": ["P"], "towards": ["V"]},
        ],
    }


def db_file() -> Path:
    return Path(os.environ["STALKLOG_DB"])


def fingerprint(path: Path | None = None) -> str:
    """Everything in the case file (every table, the ledger, the FTS index), as one hash."""
    conn = sqlite3.connect(str(path or db_file()))
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def write(tmp_path: Path, data, name: str = "bundle.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def ledger_ok(path: Path | None = None) -> bool:
    from stalklog.store import ledger
    from stalklog.store.database import open_db

    db = open_db(path or db_file())
    try:
        return ledger.verify(db).ok
    finally:
        db.close()


# ---------------------------------------------------------------- round trip


def test_the_full_bundle_uses_every_field():
    from stalklog import records, vocab

    data = full()
    incidents = data["incidents"]
    for name in records.BUNDLE_INCIDENT_FIELDS:
        assert any(i.get(name) not in (None, [], "", False) for i in incidents), name
    assert {i["precision"] for i in incidents} == set(vocab.PRECISIONS)
    assert any(i.get("withdrawn") for i in incidents) and any(i.get("history") for i in incidents)
    assert data["case"]["context"] and data["impacts"]
    assert all(p.get("relationship") for p in data["people"][1:])
    assert any(p["identifiers"] for p in data["people"]) and any(p["lived_together_until"] for p in data["people"])


def test_round_trip_import_export_import_elsewhere_export(run, tmp_path):
    run("init")
    result = run("import", FULL)
    assert "Imported case C-2025-014: 9 incidents." in result.stderr and result.stdout == ""
    first = json.loads(run("export", "--case", "C-2025-014", "--format", "json", "--include-private").stdout)
    assert first == full()  # every field as written, nothing lost, nothing invented
    assert ledger_ok()

    exported = tmp_path / "out" / "C-2025-014.json"
    exported.parent.mkdir()
    result = run("export", "--case", "C-2025-014", "--include-private", "-o", exported)
    assert result.stdout == "" and str(exported) in result.stderr
    assert oct(exported.stat().st_mode & 0o777) == "0o600"

    elsewhere = tmp_path / "elsewhere.db"
    run("--db", elsewhere, "init")
    run("--db", elsewhere, "import", exported)
    second = json.loads(run("--db", elsewhere, "export", "--case", "C-2025-014", "--include-private").stdout)
    assert second == first
    assert ledger_ok(elsewhere)


def test_what_the_import_stores(run):
    run("init")
    run("import", FULL)
    i8 = run.json("show", "I8", "--case", "C-2025-014")
    assert i8["withdrawn"] == {"at": "2025-02-27T10:00:00+00:00", "reason": "It was someone else; I was mistaken."}
    i9 = run.json("show", "I9", "--case", "C-2025-014")
    assert [h["field"] for h in i9["history"]] == ["location", "behaviours"]
    assert i9["history"][1]["by"] == "advocate"
    i1 = run.json("show", "I1", "--case", "C-2025-014")
    assert [e["ref"] for e in i1["exhibits"]] == ["AD/1", "AD/1/1"]
    assert i1["exhibits"][0]["sha256"] == full()["incidents"][0]["exhibits"][0]["sha256"]
    assert i1["private_notes"].startswith("I could not sleep")
    assert [i["key"] for i in run.json("list", "--case", "C-2025-014")] == [
        "I1",
        "I2",
        "I3",
        "I4",
        "I5",
        "I6",
        "I7",
        "I9",
    ]  # I8 is withdrawn
    shown = run.json("case", "show", "C-2025-014")
    assert [p["key"] for p in shown["people"]] == ["V", "P", "F", "W1", "C"]
    assert [i["kind"] for i in shown["impacts"]] == ["moved_home", "time_off_work", "health_treatment"]


def test_private_notes_are_left_out_unless_asked_for(run, tmp_path):
    run("init")
    run("import", FULL)
    text = run("export", "--case", "C-2025-014").stdout
    assert "not for disclosure" not in text.lower()
    assert all("private_notes" not in i for i in json.loads(text)["incidents"])
    out = tmp_path / "b.json"
    assert "private notes left out" in run("export", "--case", "C-2025-014", "-o", out).stderr
    assert "private_notes" not in out.read_text()
    # a bundle without them imports fine, and its notes are empty
    run("import", out, "--as", "COPY")
    assert run.json("show", "I1", "--case", "COPY")["private_notes"] is None


def test_minimal_bundle_gets_the_defaults(run, tmp_path):
    run("init")
    run("import", write(tmp_path, minimal()))
    out = json.loads(run("export", "--case", "M-1").stdout)
    assert out["case"] == {
        "ref": "M-1",
        "title": None,
        "jurisdiction": "england-wales",
        "opened": "2025-03-12",
        "context": [],
        "notes": None,
    }
    assert out["people"][0] == {
        "key": "V",
        "role": "victim",
        "name": None,
        "relationship": None,
        "lived_together_until": None,
        "identifiers": [],
    }
    first, second = out["incidents"]
    assert first == {
        "key": "I1",
        "occurred": "2025-01-05",
        "occurred_end": None,
        "precision": "day",
        "recorded": None,
        "by": ["P"],
        "attribution": None,
        "procured_by": None,
        "towards": ["V"],
        "affected": [],
        "behaviours": [],
        "channel": None,
        "location": "",
        "summary": "",
        "words": "",
        "effects": [],
        "impacts": [],
        "below_threshold": False,
        "same_occasion_as": None,
        "links": [],
        "stated_purpose": None,
        "witnesses": [],
        "police_ref": None,
        "exhibits": [],
    }
    assert second["precision"] == "exact" and second["occurred"] == "2025-01-06T18:30"
    assert out["impacts"] == []
    # and the defaults round-trip too
    elsewhere = tmp_path / "e.db"
    run("--db", elsewhere, "init")
    run("--db", elsewhere, "import", write(tmp_path, out, "again.json"))
    assert json.loads(run("--db", elsewhere, "export", "--case", "M-1").stdout) == out


def test_import_as_another_ref_and_same_ref_twice(run, tmp_path):
    run("init")
    run("import", FULL)
    before = fingerprint()
    result = run("import", FULL, code=1)
    assert 'case.ref: a case "C-2025-014" is already in this case file' in result.stderr
    assert "--as" in result.stderr and result.stdout == ""
    assert fingerprint() == before
    data = run.json("import", FULL, "--as", "C-COPY")
    assert data == {"case": "C-COPY", "incidents": 9, "people": 5, "warnings": []}
    copy_ = json.loads(run("export", "--case", "C-COPY", "--include-private").stdout)
    assert copy_["case"]["ref"] == "C-COPY"
    assert {**copy_, "case": {**copy_["case"], "ref": "C-2025-014"}} == full()
    assert ledger_ok()


def test_dry_run_writes_nothing(run, case, tmp_path):
    before = fingerprint()
    result = run("import", FULL, "--dry-run")
    assert "Dry run" in result.stderr and "Nothing written" in result.stderr
    data = run.json("import", FULL, "--dry-run")
    assert data["dry_run"] is True and data["incidents"] == 9
    assert fingerprint() == before
    bad = full()
    bad["incidents"][2]["behaviours"] = ["stalking"]
    assert "incidents[2].behaviours[0]" in run("import", write(tmp_path, bad), "--dry-run", code=1).stderr


def test_unknown_top_level_key_is_a_warning(run, case, tmp_path):
    data = minimal()
    data["generator"] = "another tool"
    result = run("import", write(tmp_path, data))
    assert 'Warning: unknown top-level key "generator" ignored' in result.stderr
    assert run.json("import", write(tmp_path, data), "--as", "M-2")["warnings"] == [
        'unknown top-level key "generator" ignored'
    ]


# ---------------------------------------------------------------- bad bundles: rejected whole


def _set(path: str, value):
    """A mutation: set ``incidents.2.behaviours`` (dots; list indexes as numbers) to value."""

    def mutate(data):
        *parents, last = path.split(".")
        target = data
        for p in parents:
            target = target[int(p)] if isinstance(target, list) else target[p]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return data

    return mutate


def _delete(path: str):
    def mutate(data):
        *parents, last = path.split(".")
        target = data
        for p in parents:
            target = target[int(p)] if isinstance(target, list) else target[p]
        del target[last]
        return data

    return mutate


BAD = [
    # (id, mutation, words the message must contain)
    ("no format", _delete("format"), ["format", "stalklog.case"]),
    ("wrong format", _set("format", "other.case"), ["format:", "other.case"]),
    ("newer version", _set("version", 2), ["version:", "expected 1"]),
    ("version as text", _set("version", "1"), ["version:"]),
    ("version true", _set("version", True), ["version:"]),
    ("no case", _delete("case"), ["case:", "required"]),
    ("no case ref", _delete("case.ref"), ["case.ref", "required"]),
    ("bad jurisdiction", _set("case.jurisdiction", "wales"), ["case.jurisdiction", "wales"]),
    ("bad context", _set("case.context", ["stalking"]), ["case.context[0]", "stalking"]),
    ("case opened impossible", _set("case.opened", "2025-02-30"), ["case.opened", "2025-02-30"]),
    ("title not text", _set("case.title", 5), ["case.title", "text"]),
    ("no people", _delete("people"), ["people", "required"]),
    ("no victim", _set("people", [{"key": "P", "role": "subject"}]), ["people", "victim"]),
    ("bad role", _set("people.1.role", "stalker"), ["people[1].role", "stalker"]),
    ("bad relationship", _set("people.1.relationship", "ex"), ["people[1].relationship"]),
    ("person key twice", _set("people.2.key", "P"), ["people[2].key", "twice"]),
    (
        "lived together impossible",
        _set("people.1.lived_together_until", "2024-13-01"),
        ["people[1].lived_together_until"],
    ),
    ("identifiers not a list", _set("people.1.identifiers", "07700 900123"), ["people[1].identifiers", "list"]),
    ("no incidents", _delete("incidents"), ["incidents", "required"]),
    ("incidents not a list", _set("incidents", {}), ["incidents", "list"]),
    ("incident key twice", _set("incidents.3.key", "I1"), ["incidents[3].key", "twice"]),
    ("no occurred", _delete("incidents.1.occurred"), ["incidents[1].occurred", "required", "incident I2"]),
    ("no by", _delete("incidents.1.by"), ["incidents[1].by", "required", "incident I2"]),
    ("no towards", _delete("incidents.4.towards"), ["incidents[4].towards", "required", "incident I5"]),
    (
        "UK-style date",
        _set("incidents.3.occurred", "31/02/2024"),
        ["incidents[3].occurred", "31/02/2024", "is not a date", "incident I4"],
    ),
    (
        "impossible date",
        _set("incidents.1.occurred", "2025-02-29"),
        ["incidents[1].occurred", "2025-02-29", "incident I2"],
    ),
    ("impossible time", _set("incidents.0.occurred", "2025-01-05T25:10"), ["incidents[0].occurred", "incident I1"]),
    ("date not text", _set("incidents.0.occurred", 20250105), ["incidents[0].occurred", "incident I1"]),
    (
        "future date",
        _set("incidents.6.occurred", "2030-01-01T10:00"),
        ["incidents[6].occurred", "2030-01-01T10:00", "future", "incident I7"],
    ),
    (
        "future end",
        _set("incidents.1.occurred_end", "2026-01-10"),
        ["incidents[1].occurred_end", "future", "incident I2"],
    ),
    (
        "end before start",
        _set("incidents.1.occurred_end", "2025-01-01"),
        ["incidents[1].occurred_end", "before", "incident I2"],
    ),
    (
        "exact without time",
        _set("incidents.0.occurred", "2025-01-05"),
        ["incidents[0].occurred", "exact", "incident I1"],
    ),
    ("bad precision", _set("incidents.0.precision", "roughly"), ["incidents[0].precision", "roughly", "incident I1"]),
    ("bad recorded", _set("incidents.0.recorded", "yesterday"), ["incidents[0].recorded", "yesterday", "incident I1"]),
    (
        "unknown behaviour",
        _set("incidents.2.behaviours", ["loitering", "stalking"]),
        ["incidents[2].behaviours[1]", "stalking", "incident I3"],
    ),
    ("unknown effect", _set("incidents.2.effects", ["scared"]), ["incidents[2].effects[0]", "scared", "incident I3"]),
    ("unknown impact", _set("incidents.1.impacts", ["moved"]), ["incidents[1].impacts[0]", "moved", "incident I2"]),
    ("unknown channel", _set("incidents.0.channel", "pigeon"), ["incidents[0].channel", "pigeon", "incident I1"]),
    ("unknown attribution", _set("incidents.0.attribution", "guessed"), ["incidents[0].attribution", "incident I1"]),
    (
        "behaviours not a list",
        _set("incidents.0.behaviours", "following"),
        ["incidents[0].behaviours", "list", "incident I1"],
    ),
    (
        "flag not a bool",
        _set("incidents.6.below_threshold", "yes"),
        ["incidents[6].below_threshold", "true or false", "incident I7"],
    ),
    ("summary not text", _set("incidents.0.summary", ["a"]), ["incidents[0].summary", "text", "incident I1"]),
    ("dangling by", _set("incidents.2.by", ["Q"]), ["incidents[2].by[0]", '"Q"', "incident I3"]),
    ("dangling towards", _set("incidents.2.towards", ["X"]), ["incidents[2].towards[0]", "incident I3"]),
    ("dangling affected", _set("incidents.1.affected", ["Z"]), ["incidents[1].affected[0]", "incident I2"]),
    ("dangling procured_by", _set("incidents.4.procured_by", "Q"), ["incidents[4].procured_by", "incident I5"]),
    ("dangling link", _set("incidents.6.links", ["I5", "I99"]), ["incidents[6].links[1]", "I99", "incident I7"]),
    ("link to itself", _set("incidents.6.links", ["I7"]), ["incidents[6].links[0]", "incident I7"]),
    (
        "dangling same occasion",
        _set("incidents.5.same_occasion_as", "I42"),
        ["incidents[5].same_occasion_as", "I42", "incident I6"],
    ),
    (
        "bad exhibit ref",
        _set("incidents.0.exhibits.0.ref", "exhibit one"),
        ["incidents[0].exhibits[0].ref", "incident I1"],
    ),
    (
        "bad exhibit hash",
        _set("incidents.0.exhibits.0.sha256", "abc"),
        ["incidents[0].exhibits[0].sha256", "64", "incident I1"],
    ),
    (
        "uppercase exhibit hash",
        _set("incidents.0.exhibits.0.sha256", "A" * 64),
        ["incidents[0].exhibits[0].sha256", "incident I1"],
    ),
    (
        "bad exhibit obtained",
        _set("incidents.0.exhibits.0.obtained", "last week"),
        ["incidents[0].exhibits[0].obtained", "incident I1"],
    ),
    ("exhibit ref twice", _set("incidents.1.exhibits", [{"ref": "AD/1"}]), ["AD/1", "twice"]),
    ("withdrawn not an object", _set("incidents.7.withdrawn", "yes"), ["incidents[7].withdrawn", "incident I8"]),
    (
        "history without field",
        _set("incidents.8.history", [{"old": 1}]),
        ["incidents[8].history[0].field", "incident I9"],
    ),
    ("history bad at", _set("incidents.8.history.0.at", "then"), ["incidents[8].history[0].at", "incident I9"]),
    ("impact kind", _set("impacts.0.kind", "moved"), ["impacts[0].kind", "moved"]),
    ("impact date", _set("impacts.0.date", "2025-13"), ["impacts[0].date", "2025-13"]),
    ("impacts not a list", _set("impacts", "moved_home"), ["impacts", "list"]),
    ("bundle is a list", lambda data: [data], ["bundle", "object"]),
]


@pytest.mark.parametrize(("mutation", "needles"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_bundle_is_rejected_whole(run, case, tmp_path, mutation, needles):
    bundle = mutation(copy.deepcopy(full()))
    path = write(tmp_path, bundle)
    before = fingerprint()
    result = run("import", path, code=1)
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    assert "Nothing" in result.stderr and "written" in result.stderr
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("{", ["not valid JSON", "line 1"]),
        ('{"format": "stalklog.case",\n "version": 1,\n}', ["not valid JSON", "line 3"]),
        ("", ["not valid JSON"]),
        ("[" * 100000, ["nested too deeply"]),
        ('{"format": "stalklog.case", "format": "stalklog.case"}', ['"format" appears twice']),
    ],
    ids=["truncated", "trailing comma", "empty", "deeply nested", "duplicate top-level key"],
)
def test_invalid_json_is_rejected(run, case, tmp_path, text, needles):
    before = fingerprint()
    result = run("import", write(tmp_path, text), code=1)
    for needle in needles:
        assert needle in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert fingerprint() == before


def test_duplicate_key_inside_an_incident_names_it(run, case, tmp_path):
    text = json.dumps(full())
    text = text.replace('"summary": "Forty texts', '"summary": "Four texts", "summary": "Forty texts', 1)
    result = run("import", write(tmp_path, text), code=1)
    assert '"summary" appears twice' in result.stderr and 'key "I2"' in result.stderr


def test_not_utf8_and_missing_files(run, case, tmp_path):
    before = fingerprint()
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"case": "café"}'.encode("latin-1"))
    assert "UTF-8" in run("import", bad, code=1).stderr
    assert "no such file" in run("import", tmp_path / "nope.json", code=1).stderr
    assert "folder" in run("import", tmp_path, code=1).stderr
    assert fingerprint() == before


def test_a_failure_late_in_the_import_leaves_nothing(run, case, tmp_path):
    """Validation passes, but the write fails near the end (two exhibits share a ref
    across incidents): everything written before it is rolled back."""
    data = full()
    data["incidents"][8]["exhibits"] = [{"ref": "AD/1"}]
    before = fingerprint()
    result = run("import", write(tmp_path, data), code=1)
    assert "AD/1" in result.stderr
    assert fingerprint() == before
    assert run.json("case", "list")[0]["ref"] == "C-1" and len(run.json("case", "list")) == 1


def test_export_errors(run, case, tmp_path):
    assert 'No case "NOPE"' in run("export", "--case", "NOPE", code=1).stderr
    run("export", "--case", case, "--format", "xml", code=2)
    result = run("export", "--case", case, "-o", tmp_path / "missing" / "x.json", code=1)
    assert "does not exist" in result.stderr and "--output" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_core_validate_and_import_directly():
    """The core functions, without the CLI."""
    from stalklog.errors import BundleError
    from stalklog.interchange import json_bundle as bundle
    from stalklog.store.database import open_db, transaction

    normalised, warnings = bundle.validate(minimal())
    assert warnings == [] and normalised["incidents"][0]["below_threshold"] is False
    with pytest.raises(BundleError) as caught:
        bundle.validate({**minimal(), "people": []})
    assert "victim" in str(caught.value)
    db = open_db(db_file(), create=True)
    with transaction(db):
        result = bundle.import_bundle(db, full())
    assert result == {"case": "C-2025-014", "incidents": 9, "people": 5, "warnings": []}
    assert bundle.export_bundle(db, "C-2025-014", include_private=True) == full()
    db.close()
