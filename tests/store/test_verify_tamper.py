"""``stalklog verify`` catches every change made to a case file outside stalklog, naming it.

Each test builds a small case through the CLI, then changes one thing directly in SQLite
(as someone with the file and a SQLite tool could), and checks that verify exits 3 and
names the record and how it does not match.
"""

from __future__ import annotations

import json
import sqlite3

import pytest


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """C-1 with three incidents (one amended, one withdrawn) and an exhibit, built once
    through the CLI; each test gets its own copy."""
    from typer.testing import CliRunner

    from stalklog.cli.app import app

    folder = tmp_path_factory.mktemp("tamper")
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STALKLOG_DB", str(folder / "template.db"))
        mp.setenv("STALKLOG_NOW", "2025-03-12T12:00:00")
        mp.setenv("XDG_DATA_HOME", str(folder / "data"))
        mp.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        mp.setenv("STALKLOG_CONFIG", str(folder / "config" / "config.toml"))
        mp.delenv("STALKLOG_PASSPHRASE", raising=False)
        run("init")
        run("case", "new", "C-1", "--title", "Test case (fictional)")
        run("person", "add", "--case", "C-1", "--role", "victim", "--name", "Alex Doe")
        run("person", "add", "--case", "C-1", "--role", "subject", "--name", "Sam Roe")
        run("add", "He waited outside my work", "--case", "C-1", "--when", "03/03/2025 17:10", "-b", "loitering")
        run("add", "Twelve texts overnight", "--case", "C-1", "--when", "05/03/2025 23:00", "-b", "contacting")
        run("amend", "2", "--set", "location=home", "--reason", "forgot the place")
        run("add", "Entered by mistake", "--case", "C-1", "--when", "06/03/2025")
        run("withdraw", "3", "--reason", "duplicate entry")
        clip = folder / "doorbell.mp4"
        clip.write_bytes(b"\x00\x00\x00\x18ftypmp42 fictional doorbell clip")
        run(
            "exhibit",
            "add",
            "1",
            clip,
            "--producer",
            "Alex Doe",
            "--description",
            "Doorbell clip",
            "--obtained",
            "03/03/2025 19:00",
        )
    return folder / "template.db"


@pytest.fixture
def filled(template, tmp_path):
    target = tmp_path / "stalklog.db"
    src, dst = sqlite3.connect(template), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def sql(path, statement, params=()):
    conn = sqlite3.connect(path)
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def not_intact(run, *args):
    result = run("verify", *args, code=3)
    first = result.stdout.splitlines()[0]
    assert first.startswith("NOT intact"), result.stdout
    data = json.loads(run("verify", *args, "--json", code=3).stdout)
    assert data["ok"] is False
    return first, data


def test_untouched_file_is_intact(run, filled):
    result = run("verify")
    assert result.stdout.startswith("Intact: ")
    data = run.json("verify")
    assert data["ok"] is True and data["problems"] == []
    assert data["exhibits_checked"] == 1
    # 1 case, 2 people, 3 incidents, 1 amendment, 1 exhibit, 2 exhibit events
    assert data["records"] == 10
    assert data["entries"] >= data["records"]
    assert len(data["head"]) == 64 and data["head"] in result.stdout


def test_changed_summary(run, filled):
    sql(filled, "UPDATE incidents SET summary = 'He was not there' WHERE id = 1")
    first, data = not_intact(run)
    assert "incident 1 does not match its ledger entry" in first
    assert data["problems"][0] == {
        "code": "record_changed",
        "entity": "incidents",
        "id": 1,
        "text": data["problems"][0]["text"],
    }


def test_changed_date(run, filled):
    sql(filled, "UPDATE incidents SET occurred = '2025-03-04T17:10' WHERE id = 1")
    first, _ = not_intact(run)
    assert "incident 1 does not match" in first


def test_changed_amendment_reason(run, filled):
    sql(filled, "UPDATE amendments SET reason = 'changed later' WHERE id = 1")
    first, data = not_intact(run)
    assert "amendment 1 does not match" in first
    assert data["problems"][0]["entity"] == "amendments"


def test_undone_withdrawal(run, filled):
    sql(filled, "UPDATE incidents SET withdrawn_utc = NULL, withdrawn_reason = NULL WHERE id = 3")
    first, _ = not_intact(run)
    assert "incident 3 does not match" in first


def test_changed_exhibit_bytes(run, filled):
    sql(filled, "UPDATE exhibits SET content = ? WHERE id = 1", [b"\x00\x00\x00\x18ftypmp42 fictional doorbell clap"])
    first, data = not_intact(run)
    assert "exhibit AD/1" in first and "do not match its SHA-256" in first
    assert data["problems"][0]["code"] == "exhibit_bytes_changed"


def test_exhibit_bytes_and_hash_changed_together(run, filled):
    import hashlib

    new = b"a different clip"
    sql(
        filled,
        "UPDATE exhibits SET content = ?, sha256 = ?, size = ? WHERE id = 1",
        [new, hashlib.sha256(new).hexdigest(), len(new)],
    )
    first, data = not_intact(run)
    assert "exhibit 1 does not match its ledger entry" in first


def test_removed_exhibit_bytes(run, filled):
    sql(filled, "UPDATE exhibits SET content = NULL WHERE id = 1")
    first, _ = not_intact(run)
    assert "exhibit AD/1" in first and "missing" in first


def test_changed_ledger_entry(run, filled):
    sql(filled, "UPDATE ledger SET at_utc = '2024-01-01T00:00:00+00:00' WHERE seq = 3")
    first, data = not_intact(run)
    assert "ledger entry 3 was altered" in first
    assert data["problems"][0]["code"] == "chain_broken"


def test_rewritten_ledger_entry_with_its_own_hash(run, filled):
    """Recomputing the altered entry's own hash does not help: the next entry no longer follows."""
    from stalklog.store.ledger import entry_hash

    conn = sqlite3.connect(filled)
    cols = ("seq", "at_utc", "action", "entity", "entity_id", "case_id", "content_sha256", "prev_hash", "entry_hash")
    # entry 3 is the only entry for the subject (person 2)
    entry = dict(zip(cols, conn.execute(f"SELECT {', '.join(cols)} FROM ledger WHERE seq = 3").fetchone(), strict=True))
    assert entry["entity"] == "people"
    entry["content_sha256"] = "0" * 64
    conn.execute(
        "UPDATE ledger SET content_sha256 = ?, entry_hash = ? WHERE seq = 3",
        [entry["content_sha256"], entry_hash(entry)],
    )
    conn.commit()
    conn.close()
    first, data = not_intact(run)
    assert "ledger entry 4 does not follow entry 3" in first
    # and the record that entry stood for no longer matches it
    assert any(p["code"] == "record_changed" for p in data["problems"])


def test_deleted_ledger_entry(run, filled):
    sql(filled, "DELETE FROM ledger WHERE seq = 4")
    first, _ = not_intact(run)
    assert "ledger entry 4 is missing" in first


def test_deleted_row(run, filled):
    sql(filled, "DELETE FROM incidents WHERE id = 2")
    first, data = not_intact(run)
    missing = [p for p in data["problems"] if p["code"] == "record_missing"]
    assert any(p["entity"] == "incidents" and p["id"] == 2 for p in missing)
    assert "incident 2" in " ".join(p["text"] for p in data["problems"])
    assert "missing from the file" in first or "incident 2" in first


def test_inserted_row(run, filled):
    sql(
        filled,
        "INSERT INTO incidents (case_id, key, occurred, precision, created_utc, summary) "
        "VALUES (1, 'I9', '2025-03-01', 'day', '2025-03-12T12:00:00+00:00', 'made up')",
    )
    first, data = not_intact(run)
    assert "is not in the ledger" in first
    assert data["problems"][0]["code"] == "record_unlogged"


def test_inserted_exhibit_event(run, filled):
    sql(filled, "INSERT INTO exhibit_events (exhibit_id, event, by, at_utc) VALUES (1, 'exported', 'X', '2025-01-01')")
    first, _ = not_intact(run)
    assert "exhibit event" in first and "not in the ledger" in first


def test_value_of_another_type(run, filled):
    """Bytes where text belongs (only possible outside stalklog) are reported, not a crash."""
    sql(filled, "UPDATE incidents SET summary = CAST(summary AS BLOB) WHERE id = 1")
    first, _ = not_intact(run)
    assert "incident 1 does not match" in first


def test_case_scope(run, filled):
    run("case", "new", "C-2", "--title", "Another (fictional)")
    run("person", "add", "--case", "C-2", "--role", "victim", "--name", "Kim Poe")
    sql(filled, "UPDATE incidents SET summary = 'changed' WHERE id = 1")
    assert run("verify", "--case", "C-2").stdout.startswith("Intact (case C-2)")
    first, _ = not_intact(run, "--case", "C-1")
    assert "incident 1" in first


def test_human_output_lists_every_problem(run, filled):
    sql(filled, "UPDATE incidents SET summary = 'changed' WHERE id = 1")
    sql(filled, "UPDATE incidents SET summary = 'changed too' WHERE id = 2")
    result = run("verify", code=3)
    lines = result.stdout.splitlines()
    assert "incident 1" in lines[0]
    assert any(line.startswith("  also: ") and "incident 2" in line for line in lines)
    assert "Ledger head: " in lines[-1]
    assert "Keep a copy" in result.stderr


def test_core_report(filled):
    from stalklog.store import ledger
    from stalklog.store.database import open_db

    sql(filled, "UPDATE people SET name = 'Someone Else' WHERE id = 2")
    db = open_db(filled)
    try:
        report = ledger.verify(db)
    finally:
        db.close()
    assert not report.ok
    assert [(p.code, p.entity, p.entity_id) for p in report.problems] == [("record_changed", "people", 2)]


def test_new_nullable_column_keeps_hashes_valid(filled, run, monkeypatch):
    """A later migration that adds a nullable column must not make every record 'changed'
    (and the schema check expects the column, as the migrations now create it)."""
    from stalklog.store.migrations import migrations

    def m999_later_field(db):
        db.execute("ALTER TABLE incidents ADD COLUMN later_field TEXT")

    step = type(migrations._migrations[0])("m999_later_field", m999_later_field)  # noqa: SLF001
    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, step])  # noqa: SLF001
    assert run("verify").stdout.startswith("Intact")
