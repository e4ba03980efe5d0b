"""Exhibits: references per producer, the file kept inside the case file, export verified
against the hash, and the continuity record."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest

CLIP = b"\x00\x00\x00\x18ftypmp42 fictional doorbell clip"


@pytest.fixture
def incident(run, case):
    run("add", "He waited outside my work", "--case", case, "--when", "03/03/2025 17:10", "-b", "loitering")
    return "1"


@pytest.fixture
def clip(tmp_path):
    path = tmp_path / "doorbell.mp4"
    path.write_bytes(CLIP)
    return path


def ledger_count(tmp_path) -> int:
    conn = sqlite3.connect(tmp_path / "stalklog.db")
    try:
        return conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    finally:
        conn.close()


# ---------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Alex Doe", "AD"),
        ("alex doe", "AD"),
        ("Mary-Jane O'Neil", "MJO"),
        ("Zoë Ó Briain", "ZOB"),
        ("PC 1234 Jo Bloggs", "PJB"),
        ("A B C D E F G H", "ABCDEF"),
    ],
)
def test_initials(name, expected):
    from stalklog.evidence import initials

    assert initials(name) == expected


def test_initials_need_a_letter():
    from stalklog.errors import InvalidValue
    from stalklog.evidence import initials

    with pytest.raises(InvalidValue, match="cannot make initials"):
        initials("1234")


def test_references_are_numbered_per_producer(run, incident, clip):
    refs = [
        run.json("exhibit", "add", incident, clip, "--producer", who)["ref"]
        for who in ("Alex Doe", "Alex Doe", "Sam Roe", "Alex Doe", "Sam Roe")
    ]
    assert refs == ["AD/1", "AD/2", "SR/1", "AD/3", "SR/2"]


def test_reference_by_hand_and_parts(run, incident, clip):
    assert run.json("exhibit", "add", incident, clip, "--ref", "ad/07")["ref"] == "AD/7"
    assert run.json("exhibit", "add", incident, clip, "--producer", "Alex Doe")["ref"] == "AD/8"
    assert run.json("exhibit", "add", incident, clip, "--ref", "AD/7/1")["ref"] == "AD/7/1"
    assert run.json("exhibit", "add", incident, clip, "--part-of", "AD/7")["ref"] == "AD/7/2"
    assert run.json("exhibit", "add", incident, clip, "--part-of", "AD/7/2")["ref"] == "AD/7/2/1"


def test_part_needs_its_parent(run, incident, clip, tmp_path):
    before = ledger_count(tmp_path)
    result = run("exhibit", "add", incident, clip, "--ref", "AD/3/1", code=1)
    assert "AD/3" in result.stderr and "does not exist" in result.stderr
    result = run("exhibit", "add", incident, clip, "--part-of", "AD/3", code=1)
    assert "no exhibit AD/3" in result.stderr
    assert ledger_count(tmp_path) == before


def test_reference_taken_or_malformed(run, incident, clip):
    run("exhibit", "add", incident, clip, "--ref", "AD/1")
    assert "already exists" in run("exhibit", "add", incident, clip, "--ref", "AD/1", code=1).stderr
    assert "not an exhibit reference" in run("exhibit", "add", incident, clip, "--ref", "AD-1", code=1).stderr
    assert "start at 1" in run("exhibit", "add", incident, clip, "--ref", "AD/0", code=1).stderr


def test_producer_defaults_to_the_case_victim_and_is_required_without_one(run, incident, clip):
    """Issue 15: --producer was demanded of a victim who does not know the word; the producer
    is the case's victim unless named, and still required when the case has no single victim."""
    added = run.json("exhibit", "add", incident, clip)
    assert added["ref"] == "AD/1" and added["producer"] == "Alex Doe" and added["added_by"] is None
    run("person", "add", "--case", "C-1", "--role", "victim", "--name", "Kit Doe", "--key", "V2")
    result = run("exhibit", "add", incident, clip, code=1)
    assert "--producer" in result.stderr


def test_numbering_is_per_case(run, incident, clip):
    run("case", "new", "C-2", "--title", "Another (fictional)")
    run("person", "add", "--case", "C-2", "--role", "victim", "--name", "Kim Poe")
    run("person", "add", "--case", "C-2", "--role", "subject", "--name", "Lee Moe")
    run("add", "A note left on the car", "--case", "C-2", "--when", "04/03/2025")
    assert run.json("exhibit", "add", incident, clip, "--producer", "Alex Doe")["ref"] == "AD/1"
    assert run.json("exhibit", "add", "I1", clip, "--case", "C-2", "--producer", "Alex Doe")["ref"] == "AD/1"
    # the same reference in two cases: show needs --case
    assert "several cases" in run("exhibit", "show", "AD/1", code=1).stderr
    assert run.json("exhibit", "show", "AD/1", "--case", "C-2")["case"] == "C-2"


# ---------------------------------------------------------------- adding


def test_add_keeps_bytes_hash_and_details(run, incident, clip, tmp_path):
    data = run.json(
        "exhibit",
        "add",
        incident,
        clip,
        "--producer",
        "Alex Doe",
        "--description",
        "Doorbell clip",
        "--how",
        "native export from the doorbell app",
        "--obtained",
        "03/03/2025 19:00",
    )
    assert data["sha256"] == hashlib.sha256(CLIP).hexdigest()
    assert data["size"] == len(CLIP)
    assert data["file_name"] == "doorbell.mp4"
    assert data["producer"] == "Alex Doe"
    assert data["how_obtained"] == "native export from the doorbell app"
    assert data["obtained"] == "2025-03-03T19:00:00+00:00"  # March: GMT
    assert [e["event"] for e in data["continuity"]] == ["obtained", "added"]
    conn = sqlite3.connect(tmp_path / "stalklog.db")
    assert conn.execute("SELECT content FROM exhibits").fetchone()[0] == CLIP
    conn.close()
    assert run("verify").stdout.startswith("Intact")


def test_obtained_date_without_time(run, incident, clip):
    data = run.json("exhibit", "add", incident, clip, "--producer", "Alex Doe", "--obtained", "03/03/2025")
    assert data["obtained"] == "2025-03-03"


def test_obtained_in_the_future_is_refused(run, incident, clip, tmp_path):
    before = ledger_count(tmp_path)
    result = run("exhibit", "add", incident, clip, "--producer", "Alex Doe", "--obtained", "01/01/2030", code=1)
    assert "--obtained" in result.stderr
    assert ledger_count(tmp_path) == before


@pytest.mark.parametrize("problem", ["missing", "folder", "empty"])
def test_unusable_file_writes_nothing(run, incident, tmp_path, problem):
    path = tmp_path / "thing.jpg"
    if problem == "folder":
        path.mkdir()
    elif problem == "empty":
        path.write_bytes(b"")
    before = ledger_count(tmp_path)
    result = run("exhibit", "add", incident, path, "--producer", "Alex Doe", code=1)
    assert str(path) in result.stderr
    assert {"missing": "no such file", "folder": "folder", "empty": "empty"}[problem] in result.stderr
    assert ledger_count(tmp_path) == before


def test_size_limit(run, incident, clip, tmp_path, monkeypatch):
    from stalklog import evidence

    monkeypatch.setattr(evidence, "MAX_EXHIBIT_BYTES", 10)
    before = ledger_count(tmp_path)
    result = run("exhibit", "add", incident, clip, "--producer", "Alex Doe", code=1)
    assert "larger than" in result.stderr and "Nothing was added" in result.stderr
    assert ledger_count(tmp_path) == before


def test_read_file_hashes_what_it_reads(tmp_path, monkeypatch):
    from stalklog import evidence

    monkeypatch.setattr(evidence, "CHUNK", 7)  # several chunks
    path = tmp_path / "chat.txt"
    path.write_bytes(b"x" * 50)
    data, digest = evidence.read_file(path)
    assert data == b"x" * 50 and digest == hashlib.sha256(data).hexdigest()


def test_withdrawn_incident_and_closed_case(run, case, clip):
    run("add", "one", "--case", case, "--when", "03/03/2025")
    run("add", "two", "--case", case, "--when", "04/03/2025")
    run("withdraw", "1", "--reason", "duplicate")
    assert "withdrawn" in run("exhibit", "add", "1", clip, "--producer", "Alex Doe", code=1).stderr
    run("case", "close", case, "--reason", "finished")
    assert "closed" in run("exhibit", "add", "2", clip, "--producer", "Alex Doe", code=1).stderr


def test_incident_by_key(run, incident, clip):
    data = run.json("exhibit", "add", "I1", clip, "--case", "C-1", "--producer", "Alex Doe")
    assert data["incident_key"] == "I1"


# ---------------------------------------------------------------- list and show


def test_list_and_show(run, incident, clip):
    run("exhibit", "add", incident, clip, "--producer", "Alex Doe", "--description", "Doorbell clip")
    listed = run.json("exhibit", "list", "--case", "C-1")
    assert [e["ref"] for e in listed] == ["AD/1"]
    assert listed[0]["has_file"] is True
    assert run.json("exhibit", "list", "--incident", "1")[0]["ref"] == "AD/1"
    table = run("exhibit", "list").stdout
    assert "AD/1" in table and "Doorbell clip" in table
    shown = run("exhibit", "show", "AD/1").stdout
    assert "Continuity" in shown and "added" in shown and "Alex Doe" in shown
    assert hashlib.sha256(CLIP).hexdigest() in shown


def test_list_empty(run, case):
    result = run("exhibit", "list")
    assert result.stdout == "" and "No exhibits" in result.stderr
    assert run.json("exhibit", "list") == []


def test_show_unknown(run, case):
    assert "No exhibit AD/9" in run("exhibit", "show", "AD/9", code=1).stderr


# ---------------------------------------------------------------- export


def test_export_writes_original_bytes_private(run, incident, clip, tmp_path):
    run("exhibit", "add", incident, clip, "--producer", "Alex Doe")
    target = tmp_path / "out" / "copy.mp4"
    target.parent.mkdir()
    data = run.json("exhibit", "export", "AD/1", "-o", target, "--by", "PC Jo Bloggs")
    assert target.read_bytes() == CLIP
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    exported = data["continuity"][-1]
    assert exported["event"] == "exported" and exported["by"] == "PC Jo Bloggs"
    assert run("verify").stdout.startswith("Intact")  # the export was ledgered
    # no stray temporary files
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.mp4"]


def test_export_to_folder_and_no_overwrite(run, incident, clip, tmp_path):
    run("exhibit", "add", incident, clip, "--producer", "Alex Doe")
    folder = tmp_path / "out"
    folder.mkdir()
    run("exhibit", "export", "AD/1", "-o", folder)
    assert (folder / "doorbell.mp4").read_bytes() == CLIP
    assert "already exists" in run("exhibit", "export", "AD/1", "-o", folder, code=1).stderr
    run("exhibit", "export", "AD/1", "-o", folder, "--force")


def test_export_refuses_altered_bytes(run, incident, clip, tmp_path):
    run("exhibit", "add", incident, clip, "--producer", "Alex Doe")
    conn = sqlite3.connect(tmp_path / "stalklog.db")
    conn.execute("UPDATE exhibits SET content = ?", [CLIP[:-1] + b"!"])
    conn.commit()
    conn.close()
    target = tmp_path / "copy.mp4"
    result = run("exhibit", "export", "AD/1", "-o", target, code=3)
    assert "do not match its SHA-256" in result.stderr
    assert not target.exists()


def test_export_without_the_file(run, case, tmp_path):
    import json

    bundle = {
        "format": "stalklog.case",
        "version": 1,
        "case": {"ref": "C-9", "jurisdiction": "england-wales"},
        "people": [{"key": "V", "role": "victim"}, {"key": "P", "role": "subject"}],
        "incidents": [
            {
                "key": "I1",
                "occurred": "2025-03-01",
                "by": ["P"],
                "towards": ["V"],
                "exhibits": [{"ref": "AD/1", "file": "exhibits/clip.mp4", "sha256": hashlib.sha256(CLIP).hexdigest()}],
            }
        ],
    }
    path = tmp_path / "c9.json"
    path.write_text(json.dumps(bundle))
    run("import", path)
    shown = run.json("exhibit", "show", "AD/1", "--case", "C-9")
    assert shown["has_file"] is False
    result = run("exhibit", "export", "AD/1", "--case", "C-9", "-o", tmp_path / "x.mp4", code=1)
    assert "reference only" in result.stderr
    assert run("verify").stdout.startswith("Intact")


# ---------------------------------------------------------------- encrypted case files


def test_exhibit_in_encrypted_file(run, tmp_path, clip, monkeypatch):
    pytest.importorskip("sqlcipher3")
    from stalklog import evidence, records
    from stalklog.store import ledger
    from stalklog.store.database import open_db, transaction

    path = tmp_path / "secret.db"
    db = open_db(path, "correct horse", create=True)
    with transaction(db):
        records.create_case(db, "C-1")
        records.add_person(db, "C-1", role="victim", name="Alex Doe")
        records.add_person(db, "C-1", role="subject", name="Sam Roe")
        records.add_incident(
            db,
            "C-1",
            {"occurred": "2025-03-03", "precision": "day", "by": ["P"], "towards": ["V"], "summary": "fictional"},
        )
    with transaction(db):
        ex = evidence.add_exhibit(db, 1, CLIP, file_name="doorbell.mp4", producer="Alex Doe")
    assert ex["ref"] == "AD/1"
    assert ledger.verify(db).ok
    db.close()
    assert CLIP not in path.read_bytes()
