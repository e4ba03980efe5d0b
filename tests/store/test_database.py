"""The store's core operations, run against both a plain and an encrypted case file.

Encrypted files here use a raw 256-bit key (``x'…'``), which SQLCipher takes as the key
itself, skipping the deliberately slow passphrase derivation, so these tests stay fast.
Real passphrases are used in test_maintenance.py and tests/cli/test_privacy_cli.py.
"""

from __future__ import annotations

import json
import stat

import pytest
from case_files import EXHIBIT, FAST_KEY, MARKER, add_exhibit_case, file_bytes

from stalklog import records
from stalklog.store import ledger
from stalklog.store.database import is_encrypted, open_db, transaction


@pytest.fixture(params=["plain", "encrypted"])
def case_file(request, run, isolated, monkeypatch):
    """A case file with case C-1 (victim V, subject P), plain or encrypted (built through the core)."""
    from stalklog.store.maintenance import create_encrypted

    path = isolated / "stalklog.db"
    if request.param == "encrypted":
        monkeypatch.setenv("STALKLOG_PASSPHRASE", FAST_KEY)
        db = create_encrypted(path, FAST_KEY)
    else:
        db = open_db(path, create=True)
    try:
        with transaction(db):
            records.create_case(db, "C-1", title="Test case (fictional)")
            records.add_person(db, "C-1", role="victim", name="Alex Doe")
            records.add_person(db, "C-1", role="subject", name="Sam Roe", relationship="ex-partner")
    finally:
        db.close()
    assert is_encrypted(path) == (request.param == "encrypted")
    return {"kind": request.param, "path": path, "key": FAST_KEY if request.param == "encrypted" else None}


def test_battery_of_operations(case_file, run, isolated):
    """record, amend, withdraw, list, search, export, import, verify: the same on both kinds."""
    run("add", f"He waited outside my work {MARKER}", "--when", "2025-03-10 17:10", "-b", "loitering", "-e", "alarm")
    run(
        "add",
        "Twenty texts in an hour",
        "--when",
        "2025-03-11 21:00",
        "-b",
        "contacting",
        "--words",
        "You can't hide from me",
    )
    run("amend", "1", "--set", "location=Mill Road car park", "--reason", "I forgot where")
    run("withdraw", "2", "--reason", "Entered twice")

    listed = run.json("list", "--case", "C-1")
    assert [i["summary"] for i in listed][0].endswith(MARKER)
    assert listed[0]["location"] == "Mill Road car park"
    found = run.json("search", MARKER)
    assert [i["id"] for i in found] == [1]

    out = isolated / "out.json"
    run("export", "--case", "C-1", "-o", out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    run("import", out, "--as", "C-2")
    assert len(run.json("list", "--case", "C-2")) == 1  # the withdrawn one is listed only on request

    add_exhibit_case(case_file["path"], case_file["key"])
    bundle_zip = isolated / "out.zip"  # the zip bundle (with the exhibit's bytes) is private too
    run("export", "--case", "C-EX", "--format", "zip", "-o", bundle_zip)
    assert stat.S_IMODE(bundle_zip.stat().st_mode) == 0o600
    checked = run.json("db", "check")
    assert checked["ok"] and checked["encrypted"] == (case_file["kind"] == "encrypted")
    assert checked["ledger"]["exhibits_checked"] == 1

    db = open_db(case_file["path"], case_file["key"])
    try:
        assert ledger.verify(db).ok
        assert records.history(db, 1)[0]["field"] == "location"
        content = db.execute("SELECT content FROM exhibits").fetchone()[0]
        assert bytes(content) == EXHIBIT
    finally:
        db.close()

    on_disk = file_bytes(case_file["path"])
    if case_file["kind"] == "encrypted":
        assert MARKER.encode() not in on_disk
        assert b"Mill Road" not in on_disk
        assert b"PNG fictional" not in on_disk
    else:  # the control: the same search finds it in a plain file, so the test can fail
        assert MARKER.encode() in on_disk


def test_files_and_companions_are_private(case_file):
    """The case file and the WAL/SHM files SQLite creates beside it are 0600; an encrypted
    file's WAL holds nothing readable while the file is in use."""
    path = case_file["path"]
    db = open_db(path, case_file["key"])  # held open so the WAL files exist
    try:
        with transaction(db):
            records.add_incident(
                db,
                "C-1",
                {"occurred": "2025-03-10", "precision": "day", "summary": MARKER, "by": ["P"], "towards": ["V"]},
            )
        wal = path.parent / f"{path.name}-wal"
        for suffix in ("", "-wal", "-shm"):
            p = path.parent / f"{path.name}{suffix}"
            assert p.exists(), suffix
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, suffix
        assert (MARKER.encode() in wal.read_bytes()) == (case_file["kind"] == "plain")
    finally:
        db.close()


def test_wrong_key_is_one_clear_error(case_file, run, monkeypatch):
    """A wrong passphrase: one line, exit 1. A plain file ignores a passphrase it does not need."""
    monkeypatch.setenv("STALKLOG_PASSPHRASE", "not the passphrase")
    if case_file["kind"] == "plain":
        assert run.json("list") == []
        return
    r = run("list", code=1)
    assert r.stderr.splitlines()[0] == "Error: Wrong passphrase, or not a stalklog case file."
    assert len(r.stderr.splitlines()) <= 2
    assert r.stdout == ""


def test_exports_of_an_encrypted_case_are_plain_json(case_file, run, isolated):
    """Exports are readable JSON by design (to hand to the police): 0600, and the docs warn."""
    run("add", MARKER, "--when", "2025-03-10")
    out = isolated / "export.json"
    run("export", "--case", "C-1", "-o", out)
    assert MARKER in json.loads(out.read_text())["incidents"][0]["summary"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
