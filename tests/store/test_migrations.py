"""The case file's schema: a blank file reaches it, re-applying changes nothing, files this
version must not touch are refused untouched, and docs/schema.md is the schema."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from stalklog.errors import CaseFileError, PassphraseError
from stalklog.store.database import open_db
from stalklog.store.migrations import APPLICATION_ID

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schema.md"

TABLES = {
    "meta": {"key", "value"},
    "cases": {
        "id",
        "ref",
        "title",
        "jurisdiction",
        "opened",
        "context",
        "notes",
        "status",
        "closed_utc",
        "closed_reason",
        "urn",
        "crime_ref",
        "oic",
        "own_diary",
        "created_utc",
    },
    "people": {
        "id",
        "case_id",
        "key",
        "role",
        "name",
        "relationship",
        "lived_together_until",
        "identifiers",
        "created_utc",
    },
    "incidents": {
        "id",
        "case_id",
        "key",
        "occurred",
        "occurred_end",
        "precision",
        "recorded",
        "by",
        "attribution",
        "procured_by",
        "towards",
        "affected",
        "behaviours",
        "channel",
        "location",
        "summary",
        "words",
        "effects",
        "impacts",
        "below_threshold",
        "same_occasion_as",
        "links",
        "stated_purpose",
        "witnesses",
        "police_ref",
        "private_notes",
        "withdrawn_utc",
        "withdrawn_reason",
        "created_utc",
        "order_in_force_said",
        "written",
        "provenance",
    },
    "case_impacts": {"id", "case_id", "kind", "date", "detail", "created_utc"},
    "amendments": {"id", "incident_id", "field", "old_value", "new_value", "reason", "by", "at_utc"},
    "exhibits": {
        "id",
        "case_id",
        "incident_id",
        "ref",
        "description",
        "file_name",
        "size",
        "sha256",
        "content",
        "producer",
        "obtained",
        "how_obtained",
        "created_utc",
        "added_by",
    },
    "exhibit_events": {"id", "exhibit_id", "event", "by", "at_utc", "detail"},
    "screenings": {"id", "case_id", "taken", "by", "answers", "created_utc"},
    "orders": {
        "id",
        "case_id",
        "key",
        "kind",
        "against",
        "protects",
        "made",
        "expires",
        "interim",
        "conditions",
        "court",
        "reference",
        "discharged_on",
        "created_utc",
    },
    "order_changes": {"id", "order_id", "change", "field", "old_value", "new_value", "on_date", "reason", "at_utc"},
    "person_amendments": {"id", "case_id", "person_id", "field", "old_value", "new_value", "reason", "by", "at_utc"},
    "ledger": {
        "seq",
        "at_utc",
        "action",
        "entity",
        "entity_id",
        "case_id",
        "content_sha256",
        "prev_hash",
        "entry_hash",
    },
}
UNIQUE_INDEXES = {
    "idx_cases_ref": ("cases", ["ref"]),
    "idx_people_case_id_key": ("people", ["case_id", "key"]),
    "idx_incidents_case_id_key": ("incidents", ["case_id", "key"]),
    "idx_exhibits_case_id_ref": ("exhibits", ["case_id", "ref"]),
}
INDEXES = {
    "idx_incidents_case_id_occurred",
    "idx_amendments_incident_id",
    "idx_exhibits_incident_id",
    "idx_exhibit_events_exhibit_id",
    "idx_ledger_entity_entity_id",
    "idx_person_amendments_person_id",
}


def db_file() -> Path:
    return Path(os.environ["STALKLOG_DB"])


def schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_blank_file_reaches_the_schema(run):
    run("init")
    conn = sqlite3.connect(str(db_file()))
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, columns in TABLES.items():
            assert table in names, table
            found = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
            assert found == columns, (table, found ^ columns)
        assert "incidents_fts" in names and "_sqlite_migrations" in names
        fts = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'incidents_fts'").fetchone()[0]
        assert "fts5" in fts.lower() and "porter" in fts
        for name, (table, cols) in UNIQUE_INDEXES.items():
            info = conn.execute(f"PRAGMA index_list([{table}])").fetchall()
            assert any(r[1] == name and r[2] == 1 for r in info), name
            assert [r[2] for r in conn.execute(f"PRAGMA index_info([{name}])")] == cols
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert INDEXES <= indexes
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"incidents_ai", "incidents_ad", "incidents_au"} <= triggers
        fks = {(r[2], r[3]) for r in conn.execute("PRAGMA foreign_key_list(incidents)")}
        assert ("cases", "case_id") in fks
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        applied = [
            r[0]
            for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'stalklog' ORDER BY id")
        ]
        assert applied[0] == "m001_case_file"
    finally:
        conn.close()


def test_open_db_turns_on_foreign_keys_busy_timeout_and_wal(run):
    run("init")
    db = open_db(db_file())
    try:
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert db.journal_mode == "wal"
        assert db.path == db_file() and db.encrypted is False
        with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced
            db.execute("INSERT INTO people (case_id, key, role, identifiers) VALUES (999, 'V', 'victim', '[]')")
    finally:
        db.close()


def test_applying_twice_changes_nothing(run):
    from stalklog.store.migrations import migrations

    run("init")
    before = schema(db_file())
    db = open_db(db_file())
    assert not migrations.pending(db.utils())
    migrations.apply(db.utils())  # again, by hand
    count = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    db.close()
    db = open_db(db_file())
    db.close()
    assert schema(db_file()) == before
    assert count == len(migrations._migrations)  # noqa: SLF001


def test_an_empty_file_becomes_a_case_file(run):
    db_file().touch()
    run("init")  # an empty file is not a case file yet: init may use it
    assert "cases" in {r[1] for r in schema(db_file())}


def test_a_file_from_a_newer_version_is_refused_untouched(run):
    run("init")
    conn = sqlite3.connect(str(db_file()))
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('stalklog', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = digest(db_file())
    result = run("list", code=1)
    assert "newer version of stalklog" in result.stderr and "Upgrade" in result.stderr
    run("case", "new", "C-9", code=1)
    assert digest(db_file()) == before
    with pytest.raises(CaseFileError, match="newer version"):
        open_db(db_file())
    assert digest(db_file()) == before


def test_a_sqlite_file_that_is_not_stalklogs_is_refused_untouched(run):
    conn = sqlite3.connect(str(db_file()))
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()
    before = digest(db_file())
    result = run("list", code=1)
    assert "not a stalklog case file" in result.stderr
    assert "already exists" in run("init", code=1).stderr
    run("case", "new", "C-9", code=1)
    assert digest(db_file()) == before
    assert [r[1] for r in schema(db_file())] == ["recipes"]


def test_random_bytes_without_a_passphrase_is_a_clear_error(run):
    db_file().write_bytes(os.urandom(4096))
    before = digest(db_file())
    result = run("list", code=1)
    assert "passphrase" in result.stderr and "STALKLOG_PASSPHRASE" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    with pytest.raises(PassphraseError):
        open_db(db_file())
    assert digest(db_file()) == before


def test_random_bytes_with_a_passphrase_is_a_clear_error(run):
    pytest.importorskip("sqlcipher3")
    db_file().write_bytes(os.urandom(4096))
    before = digest(db_file())
    result = run("list", code=1, env={"STALKLOG_PASSPHRASE": "not the one"})
    assert "Wrong passphrase, or not a stalklog case file" in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(db_file()) == before


def test_a_folder_is_not_a_case_file(run, tmp_path):
    folder = tmp_path / "afolder"
    folder.mkdir()
    assert "folder" in run("--db", folder, "list", code=1).stderr


def test_the_fts_index_follows_inserts_amendments_and_withdrawals(run, case):
    run("add", "Followed from the station (fictional)", "--case", case, "--when", "yesterday")
    run("amend", "1", "--set", "summary=Followed from the bus stop", "--reason", "it was the bus")
    assert run.json("search", "station") == []
    assert [i["id"] for i in run.json("search", "bus")] == [1]
    conn = sqlite3.connect(str(db_file()))
    (n,) = conn.execute("SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH 'bus'").fetchone()
    conn.close()
    assert n == 1


def test_docs_schema_md_is_generated_from_the_code():
    from stalklog.store.schema_doc import render

    text = render()
    assert DOCS.read_text(encoding="utf-8") == text, (
        "docs/schema.md is out of date: run  python -m stalklog.store.schema_doc > docs/schema.md"
    )
    for table in TABLES:
        assert f"### `{table}`" in text
    assert "ledger" in text and "JSON" in text and "incidents_au" in text
