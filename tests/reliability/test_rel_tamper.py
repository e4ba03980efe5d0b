"""Issue 16: the ways an abuser with the victim's laptop (or a careless handover) got past
``verify``, each attacked again. Every test here failed on the code before the fix.

Attacks are made as that person would: with a SQLite tool on the case file, and, for the
cleverer ones, recomputing hashes with the published recipe (docs/integrity.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

PASSPHRASE = "correct horse battery staple (fictional)"


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        for s in statements:
            conn.execute(s)
    finally:
        conn.close()


def rows(path: Path, query: str) -> list:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


@pytest.fixture
def diary(run, case, isolated):
    """C-1 with three incidents and an exhibit, written through the CLI."""
    run("add", "He waited outside my work", "--case", "C-1", "--when", "03/03/2025 17:10", "-b", "loitering")
    run("add", "Twelve texts overnight", "--case", "C-1", "--when", "05/03/2025 23:00", "-b", "contacting")
    run("add", "Flowers left on the doorstep", "--case", "C-1", "--when", "07/03/2025 08:00", "-b", "contacting")
    clip = isolated / "doorbell.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42 fictional doorbell clip")
    run("exhibit", "add", "1", clip, "--producer", "Alex Doe", "--description", "Doorbell clip")
    return isolated / "stalklog.db"


def not_intact(run, *args) -> str:
    result = run(*args, code=3)
    assert result.stdout.startswith("NOT intact"), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "unexpected problem" not in result.stderr
    return result.stdout


# ---------------------------------------------------------------- 1. the schema is verified

TRIGGER = (
    "CREATE TRIGGER quiet_edit AFTER INSERT ON ledger BEGIN "
    "UPDATE incidents SET summary = 'nothing happened' WHERE id = new.entity_id; END"
)


def test_planted_trigger_stops_every_command_and_nothing_is_written(run, diary):
    sql(diary, TRIGGER)
    before = rows(diary, "SELECT count(*) FROM incidents")
    result = run("add", "He followed me home", "--case", "C-1", "--when", "08/03/2025", code=3)
    assert "quiet_edit" in result.stderr and "trigger" in result.stderr
    assert rows(diary, "SELECT count(*) FROM incidents") == before
    assert "quiet_edit" in not_intact(run, "verify")
    assert "quiet_edit" in not_intact(run, "db", "check")


def test_planted_trigger_is_never_copied_into_a_backup_or_an_encrypted_file(run, diary, monkeypatch):
    sql(diary, TRIGGER)
    target = diary.parent / "backup.db"
    run("db", "backup", target, code=3)
    assert not target.exists()
    monkeypatch.setenv("STALKLOG_PASSPHRASE", PASSPHRASE)
    run("db", "encrypt", code=3)
    assert diary.read_bytes()[:16] == b"SQLite format 3\x00"  # still the plain file, as it was
    assert rows(diary, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'quiet_edit'")


def test_restore_refuses_a_backup_holding_a_planted_trigger(run, diary):
    backup = diary.parent / "backup.db"
    run("db", "backup", backup)
    sql(backup, TRIGGER)
    result = run("db", "restore", backup, code=3)
    assert "quiet_edit" in result.stderr
    assert not rows(diary, "SELECT name FROM sqlite_master WHERE name = 'quiet_edit'")


@pytest.mark.parametrize(
    "change, words",
    [
        ("CREATE VIEW incidents_shown AS SELECT * FROM incidents WHERE id > 1", "view 'incidents_shown'"),
        ("CREATE INDEX idx_sneaky ON incidents (summary)", "index 'idx_sneaky'"),
        ("ALTER TABLE incidents ADD COLUMN hidden_note TEXT", "definition of the table 'incidents'"),
        ("DROP INDEX idx_cases_ref", "index 'idx_cases_ref' is missing"),
        ("DROP TABLE screenings", "table 'screenings' is missing"),
    ],
)
def test_any_schema_change_is_tampering(run, diary, change, words):
    sql(diary, change)
    assert words in not_intact(run, "verify")
    assert words in not_intact(run, "db", "check")


def test_a_cached_expected_schema_is_never_trusted_by_verify(run, diary, isolated):
    """Opening uses a cache of the expected schema (speed); verify derives it afresh."""
    caches = list((isolated / "config" / "stalklog" / "cache").glob("schema-*.json"))
    assert caches
    sql(diary, TRIGGER)
    trigger_sql = rows(diary, "SELECT sql FROM sqlite_master WHERE name = 'quiet_edit'")[0][0]
    from stalklog.store import schema_check

    for cache in caches:  # the attacker also "teaches" the cache their trigger
        data = json.loads(cache.read_text())
        data["objects"].append(["trigger", "quiet_edit", schema_check.normalise(trigger_sql)])
        cache.write_text(json.dumps(data))
    assert "quiet_edit" in not_intact(run, "verify")


def test_definitions_quoted_the_old_way_still_match(run, diary):
    """A file written by an older sqlite-utils ([brackets] rather than "quotes", other
    spacing) is not tampering."""
    sql(
        diary,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'CREATE TABLE [meta] ( [key] TEXT PRIMARY KEY,  [value] TEXT )' "
        "WHERE name = 'meta'",
        "PRAGMA writable_schema = OFF",
    )
    assert run("verify").stdout.startswith("Intact")


# ---------------------------------------------------------------- 2. an anchor outside the file


def _drop_newest_incident(db: Path) -> None:
    seq, entity_id = rows(db, "SELECT seq, entity_id FROM ledger WHERE entity = 'incidents' ORDER BY seq DESC")[0]
    # the newest entries after it (the exhibit's) go too, as a careful attacker would
    sql(db, f"DELETE FROM ledger WHERE seq >= {seq}", "DELETE FROM exhibit_events", "DELETE FROM exhibits")
    sql(db, f"DELETE FROM incidents WHERE id = {entity_id}")


def test_truncation_is_caught(run, diary):
    _drop_newest_incident(diary)
    assert "entries were removed" in not_intact(run, "verify")


def test_emptied_file_is_caught(run, diary):
    from stalklog.store.ledger import ENTITIES

    sql(diary, "DELETE FROM ledger", *[f"DELETE FROM {t}" for t in reversed(ENTITIES)])
    assert "entries were removed" in not_intact(run, "verify")


def _rechain(db: Path, from_seq: int = 1) -> None:
    """Recompute every record hash and entry from ``from_seq`` on, with the published recipe."""
    from stalklog.store import ledger

    conn = sqlite3.connect(str(db), isolation_level=None)
    try:
        prev = (
            conn.execute("SELECT entry_hash FROM ledger WHERE seq = ?", [from_seq - 1]).fetchone() or [ledger.GENESIS]
        )[0]
        entries = conn.execute(
            f"SELECT {', '.join(ledger.LEDGER_COLUMNS)} FROM ledger WHERE seq >= ? ORDER BY seq", [from_seq]
        ).fetchall()
        for values in entries:
            e = dict(zip(ledger.LEDGER_COLUMNS, values, strict=True))
            cur = conn.execute(f"SELECT * FROM {e['entity']} WHERE id = ?", [e["entity_id"]])
            names = [d[0] for d in cur.description]
            row = dict(zip(names, cur.fetchone(), strict=True))
            e["content_sha256"] = ledger.row_hash(e["entity"], row)
            e["prev_hash"] = prev
            e["entry_hash"] = prev = ledger.entry_hash(e)
            conn.execute(
                "UPDATE ledger SET content_sha256 = ?, prev_hash = ?, entry_hash = ? WHERE seq = ?",
                [e["content_sha256"], e["prev_hash"], e["entry_hash"], e["seq"]],
            )
    finally:
        conn.close()


def test_forged_record_with_a_recomputed_chain_is_caught(run, diary):
    sql(diary, "UPDATE incidents SET summary = 'Flowers, nothing more' WHERE id = 3")
    _rechain(diary, from_seq=1)  # the whole history rewritten consistently
    from stalklog.store import ledger
    from stalklog.store.database import open_db

    db = open_db(diary)
    try:
        assert ledger.verify(db).ok  # what verify alone used to see
    finally:
        db.close()
    assert "history was rewritten" in not_intact(run, "verify")


def test_removing_the_anchor_id_from_the_file_does_not_hide_truncation(run, diary):
    sql(diary, "DELETE FROM meta WHERE key = 'anchor_id'")
    _drop_newest_incident(diary)
    assert "entries were removed" in not_intact(run, "verify")


def test_head_kept_elsewhere_is_checked_with_verify_head(run, diary, isolated):
    head = run.json("verify")["head"]
    run("verify", "--head", head)
    run("verify", "--head", head[:16])
    _drop_newest_incident(diary)
    shutil.rmtree(isolated / "config" / "stalklog" / "anchors")  # the laptop's settings wiped too
    assert run("verify").stdout.startswith("Intact")  # nothing on this computer remembers
    assert "does not pass through the head you gave" in not_intact(run, "verify", "--head", head)


def test_the_anchor_holds_only_hashes_in_private_folders(run, diary, isolated):
    folder = isolated / "config" / "stalklog" / "anchors"
    files = list(folder.iterdir())
    assert len(files) == 1
    anchor = files[0]
    assert stat.S_IMODE(anchor.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    assert "stalklog" not in anchor.name and diary.stem not in anchor.name
    data = json.loads(anchor.read_text())
    assert set(data) == {"format", "version", "seq", "head", "first"}
    assert data["head"] == run.json("verify")["head"]
    assert str(diary) not in anchor.read_text() and "C-1" not in anchor.read_text()


def test_the_anchor_is_written_once_per_command(run, case, monkeypatch):
    """One small file write per command, however many records it writes (not one per row)."""
    from stalklog.store import anchor

    saved = []
    real = anchor.save
    monkeypatch.setattr(anchor, "save", lambda *a: (saved.append(a), real(*a)))
    run("import", Path(__file__).resolve().parents[1] / "data" / "bundle_full.json")
    assert len(saved) == 1


def test_a_copy_written_to_separately_is_told_apart(run, diary, isolated):
    """A backup used as a case file of its own on the same computer is noticed (it is not
    the history kept here); the case file itself still verifies."""
    backup = isolated / "copy.db"
    run("db", "backup", backup)
    run("add", "Later, in the real file", "--case", "C-1", "--when", "08/03/2025")
    run("--db", backup, "add", "Written in the copy", "--case", "C-1", "--when", "08/03/2025")
    assert run("verify").stdout.startswith("Intact")
    assert "written to separately" in not_intact(run, "--db", backup, "verify")


# ---------------------------------------------------------------- 6. damage is tampering, never a crash


def test_exhibit_bytes_stored_as_text_is_not_intact(run, diary):
    sql(diary, "UPDATE exhibits SET content = 'just some text' WHERE id = 1")
    assert "exhibit" in not_intact(run, "verify")
    not_intact(run, "db", "check")


def test_deleted_search_index_row_is_caught(run, diary):
    sql(diary, "DELETE FROM incidents_fts WHERE rowid = 2")
    assert "Twelve texts" not in run("search", "texts").stdout  # search no longer finds incident 2 …
    assert "search index" in not_intact(run, "verify")  # … and verify says so
    assert "search index" in not_intact(run, "db", "check")


def test_damaged_plain_file_is_not_intact_with_exit_3(run, diary):
    """(A plain file has no checksums: bytes changed in a page's unused space are harmless
    and cannot be seen; damage to what a page holds can.)"""
    sql(diary, "PRAGMA wal_checkpoint(TRUNCATE)")
    page = rows(diary, "SELECT rootpage FROM sqlite_master WHERE name = 'incidents'")[0][0]
    with open(diary, "r+b") as f:
        f.seek(4096 * (page - 1))
        f.write(b"\xff" * 200)
    not_intact(run, "verify")
    not_intact(run, "db", "check")


def test_every_damaged_page_of_an_encrypted_file_is_not_intact(run, case, isolated, monkeypatch):
    """Every page but the first: SQLCipher cannot tell a damaged first page from a wrong
    passphrase (docs/integrity.md)."""
    monkeypatch.setenv("STALKLOG_PASSPHRASE", PASSPHRASE)
    run("db", "encrypt")
    for i in range(12):
        run("add", f"Fictional incident {i} " * 20, "--case", "C-1", "--when", "01/03/2025")
    src = isolated / "stalklog.db"
    pages = src.stat().st_size // 4096
    assert pages > 5
    for page in range(1, pages):
        damaged = isolated / f"damaged-{page}.db"
        shutil.copyfile(src, damaged)
        with open(damaged, "r+b") as f:
            f.seek(page * 4096 + 1000)
            f.write(os.urandom(32))
        not_intact(run, "--db", damaged, "verify")
        not_intact(run, "--db", damaged, "db", "check")


# ---------------------------------------------------------------- 4. restore: the lock first, and no silent rollback


def test_restore_refuses_while_another_stalklog_has_the_file_open(run, diary):
    """A restore under a running import used to put the import's rows into the set-aside
    file; now it stops first, changing nothing."""
    import subprocess
    import sys

    backup = diary.parent / "backup.db"
    run("db", "backup", backup)
    holder = subprocess.Popen(  # another stalklog, mid-import: holding the write lock
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(diary)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "c.execute(\"INSERT INTO meta (key, value) VALUES ('x-busy', '1')\")\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = run("db", "restore", backup, "--force", code=1)
    finally:
        holder.kill()
        holder.wait()
    assert "open in another stalklog" in result.stderr
    assert not list(diary.parent.glob("*.before-restore-*"))  # the live file was not set aside


def test_restoring_an_older_backup_says_what_would_be_rolled_back(run, diary):
    backup = diary.parent / "backup.db"
    run("db", "backup", backup)
    run("add", "Written after the backup", "--case", "C-1", "--when", "08/03/2025")
    run("add", "Also after the backup", "--case", "C-1", "--when", "09/03/2025")
    result = run("db", "restore", backup, code=1)  # no terminal to ask, no --force
    assert "2 incidents" in result.stderr and "roll back" in result.stderr
    assert rows(diary, "SELECT count(*) FROM incidents")[0][0] == 5  # nothing was changed
    result = run("db", "restore", backup, "--force")
    assert rows(diary, "SELECT count(*) FROM incidents")[0][0] == 3
    assert run("verify").stdout.startswith("Intact")  # the restore moved the anchor, knowingly


def test_restoring_an_older_backup_asks_at_a_terminal(run, diary, monkeypatch):
    backup = diary.parent / "backup.db"
    run("db", "backup", backup)
    run("add", "Written after the backup", "--case", "C-1", "--when", "08/03/2025")
    import stalklog.cli.console as console

    monkeypatch.setattr(console, "stdin_is_tty", lambda: True)
    run("db", "restore", backup, input="n\n", code=1)
    assert rows(diary, "SELECT count(*) FROM incidents")[0][0] == 4
    run("db", "restore", backup, input="y\n")
    assert rows(diary, "SELECT count(*) FROM incidents")[0][0] == 3


def test_restoring_a_backup_that_is_not_behind_needs_no_question(run, diary):
    backup = diary.parent / "backup.db"
    run("db", "backup", backup)
    run("db", "restore", backup)


# ---------------------------------------------------------------- 5. the keyring: real ones only


@pytest.mark.parametrize("kind", ["plaintext", "encrypted-file", "low-priority", "null"])
def test_remember_refuses_a_keyring_that_is_not_a_real_one(run, isolated, monkeypatch, kind):
    import keyring
    from keyring.backend import KeyringBackend

    class Stored(KeyringBackend):
        priority = 1
        store: dict = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    if kind == "plaintext":  # as keyrings.alt.file.PlaintextKeyring would be
        Stored.__module__, Stored.__name__, Stored.priority = "keyrings.alt.file", "PlaintextKeyring", 0.5
    elif kind == "encrypted-file":
        Stored.__module__, Stored.__name__, Stored.priority = "keyrings.alt.file", "EncryptedKeyring", 0.6
    elif kind == "low-priority":
        Stored.priority = 0.1
    else:
        from keyring.backends import null

        Stored = null.Keyring  # noqa: N806
    monkeypatch.setenv("STALKLOG_PASSPHRASE", PASSPHRASE)
    run("init", "--encrypt", env={"STALKLOG_PASSPHRASE": PASSPHRASE})
    previous = keyring.get_keyring()
    backend = Stored()
    keyring.set_keyring(backend)
    try:
        result = run("db", "remember", code=1)
    finally:
        keyring.set_keyring(previous)
    assert "not a system keyring" in result.stderr or "No system keyring" in result.stderr
    assert getattr(backend, "store", {}) == {} or PASSPHRASE not in getattr(backend, "store", {}).values()
    assert not run.json("db", "path")["remembered"]


# ---------------------------------------------------------------- 3. bundles: confirmed over another channel


def _resign(src: Path, dst: Path) -> str:
    """Change the bundle's text and write a new manifest for it, as a forger would; returns
    the forged manifest's SHA-256."""
    import hashlib
    import zipfile

    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    text = members["bundle.json"].decode().replace("He waited outside my work", "He walked past my work")
    members["bundle.json"] = text.encode()
    manifest = json.loads(members["manifest.json"])
    for f in manifest["files"]:
        if f["path"] == "bundle.json":
            f["sha256"] = hashlib.sha256(members["bundle.json"]).hexdigest()
            f["size"] = len(members["bundle.json"])
    members["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    with zipfile.ZipFile(dst, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return hashlib.sha256(members["manifest.json"]).hexdigest()


def test_a_resigned_zip_is_refused_by_its_own_ledger(run, diary, isolated):
    """Text changed and the manifest re-signed: the ledger entries the zip carries no longer
    lead to the records, so it is refused even without the sender's hash."""
    bundle = isolated / "C-1.zip"
    run("export", "--case", "C-1", "--format", "zip", "-o", bundle)
    forged = isolated / "forged.zip"
    _resign(bundle, forged)
    receiver = isolated / "police.db"
    run("--db", receiver, "init")
    result = run("--db", receiver, "import", forged, code=1)
    assert "is not what the sender's ledger records" in result.stderr
    assert rows(receiver, "SELECT count(*) FROM incidents")[0][0] == 0


@pytest.mark.parametrize(
    "field, forged_value",
    [("attribution", "seen"), ("below_threshold", True), ("links", ["I3"]), ("stated_purpose", "a delivery")],
)
def test_a_resigned_zip_changing_what_the_check_weighs_is_refused(run, diary, isolated, field, forged_value):
    """Not only the words: who did it and how that is known, context-only entries, links and
    a stated purpose change what the check could support, so a re-signed change to any of
    them is refused too."""
    import hashlib
    import zipfile

    run("amend", "2", "--set", "attribution=suspected", "--reason", "not sure it was him")
    bundle = isolated / "C-1.zip"
    run("export", "--case", "C-1", "--format", "zip", "-o", bundle)
    with zipfile.ZipFile(bundle) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    doc = json.loads(members["bundle.json"])
    target = next(i for i in doc["incidents"] if i["summary"] == "Twelve texts overnight")
    assert target.get(field) != forged_value
    target[field] = forged_value
    members["bundle.json"] = json.dumps(doc).encode()
    manifest = json.loads(members["manifest.json"])
    for f in manifest["files"]:
        if f["path"] == "bundle.json":
            f["sha256"] = hashlib.sha256(members["bundle.json"]).hexdigest()
            f["size"] = len(members["bundle.json"])
    members["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode()
    forged = isolated / "forged.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    receiver = isolated / "police.db"
    run("--db", receiver, "init")
    result = run("--db", receiver, "import", forged, code=1)
    assert f"({field}) is not what the sender's ledger records" in result.stderr
    assert rows(receiver, "SELECT count(*) FROM incidents")[0][0] == 0


def _rewrite_everything(src: Path, dst: Path) -> str:
    """The cleverer forger: the text, the carried record, every ledger entry after it and
    the manifest's head all recomputed, consistently. Returns the forged manifest's SHA-256."""
    import hashlib
    import zipfile

    from stalklog.store import ledger

    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members["bundle.json"] = members["bundle.json"].replace(b"He waited outside my work", b"He walked past my work")
    doc = json.loads(members["ledger.json"])
    for entity, _id, row in doc["records"]:
        if entity == "incidents" and row.get("summary") == "He waited outside my work":
            row["summary"] = "He walked past my work"
            digest = ledger.row_hash(entity, row)
            for e in doc["entries"]:
                if e[3] == entity and e[4] == _id:
                    e[6] = digest
    prev = ledger.GENESIS
    for e in doc["entries"]:
        fields = dict(zip(ledger.LEDGER_COLUMNS, e, strict=True))
        fields["prev_hash"] = prev
        e[7], e[8] = prev, ledger.entry_hash(fields)
        prev = e[8]
    members["ledger.json"] = (json.dumps(doc) + "\n").encode()
    manifest = json.loads(members["manifest.json"])
    manifest["ledger_head"]["hash"] = prev
    for f in manifest["files"]:
        f["sha256"] = hashlib.sha256(members[f["path"]]).hexdigest()
        f["size"] = len(members[f["path"]])
    members["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    with zipfile.ZipFile(dst, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return hashlib.sha256(members["manifest.json"]).hexdigest()


def test_a_zip_rewritten_with_its_whole_ledger_is_caught_by_the_senders_hash(run, diary, isolated):
    bundle = isolated / "C-1.zip"
    exported = run("export", "--case", "C-1", "--format", "zip", "-o", bundle)
    sent_manifest = exported.stderr.split("Manifest SHA-256: ")[1].split()[0]
    sent_head = exported.stderr.split("Ledger head: ")[1].split()[0]
    forged = isolated / "forged.zip"
    _rewrite_everything(bundle, forged)
    receiver = isolated / "police.db"
    run("--db", receiver, "init")
    result = run("--db", receiver, "import", forged, "--expect-manifest", sent_manifest, code=1)
    assert "not the bundle the sender made" in result.stderr
    assert rows(receiver, "SELECT count(*) FROM incidents")[0][0] == 0
    # without the hash it imports, but the head it recomputes is not the one the sender has
    result = run("--db", receiver, "import", forged)
    assert sent_head not in result.stderr and "Ask the sender to confirm" in result.stderr
    run("--db", receiver, "import", bundle, "--as", "C-2", "--expect-manifest", sent_manifest)


def test_import_says_plainly_which_hash_the_sender_should_confirm(run, diary, isolated):
    bundle = isolated / "C-1.zip"
    exported = run("export", "--case", "C-1", "--format", "zip", "-o", bundle)
    sent_manifest = exported.stderr.split("Manifest SHA-256: ")[1].split()[0]
    sent_head = exported.stderr.split("Ledger head: ")[1].split()[0]
    receiver = isolated / "police.db"
    run("--db", receiver, "init")
    result = run("--db", receiver, "import", bundle)
    assert "Sender's ledger head:" not in result.stderr  # the manifest's claim is not shown as if it vouched
    assert f"{sent_head} (entry" in result.stderr and "follows from the bundle's content" in result.stderr
    assert "Ask the sender to confirm" in result.stderr and sent_manifest in result.stderr


# ---------------------------------------------------------------- 7. the smaller gaps


def test_no_bytes_free_says_the_disk_is_full(tmp_path):
    """At 0 bytes free SQLite says "disk I/O error" (ENOSPC), not "disk is full": the message
    must still say what is wrong and what to do."""
    from rel_support import assert_clean_failure, build_base, cli
    from test_rel_diskfull import _fill, tmpfs

    base = build_base(tmp_path / "base.db", incidents=5)
    with tmpfs("1m") as folder:
        db = folder / "case.db"
        shutil.copyfile(base, db)
        _fill(folder)
        for args in (("add", "Fictional", "--case", "C-1", "--when", "today"), ("list", "--case", "C-1")):
            proc = cli(db, *args)
            if proc.returncode == 0:
                continue  # a read that needs no new page may still work
            assert_clean_failure(proc)
            assert "is full" in proc.stderr and "Free some space" in proc.stderr, proc.stderr


def test_json_output_escapes_c1_controls_and_bidi_overrides(run, case):
    hostile = "Flowers\x9b2J\u202eevil\u2066 left\x1b[8m hidden\u2028"
    run("add", hostile, "--case", "C-1", "--when", "01/03/2025")
    out = run("show", "1", "--json").stdout
    for raw in ("\x9b", "\u202e", "\u2066", "\x1b", "\u2028"):
        assert raw not in out
    assert json.loads(out)["summary"] == hostile  # escaped, not changed
    exported = run("export", "--case", "C-1").stdout
    assert "\x9b" not in exported and "\u202e" not in exported
    assert json.loads(exported)["incidents"][0]["summary"] == hostile


def test_csv_and_html_show_controls_and_bidi_overrides_as_symbols(run, case, isolated):
    hostile = "Flowers\x9b2J \u202eevil\u202c left\x1b[8m hidden"
    run("add", hostile, "--case", "C-1", "--when", "01/03/2025", "-b", "contacting")
    for fmt in ("csv", "html"):
        out = isolated / f"diary.{fmt}"
        run("report", "--case", "C-1", "--kind", "diary", "-o", out)
        text = out.read_text(encoding="utf-8-sig")
        for raw in ("\x9b", "\u202e", "\u202c", "\x1b"):
            assert raw not in text, (fmt, raw)
        assert "<U+202E>" in text or "&lt;U+202E&gt;" in text


def test_export_and_report_refuse_an_existing_file_without_force(run, case, isolated):
    run("add", "Fictional", "--case", "C-1", "--when", "01/03/2025")
    for args in (("export", "--case", "C-1"), ("report", "--case", "C-1", "--kind", "diary")):
        target = isolated / "precious.txt"
        target.write_text("someone's statement")
        result = run(*args, "-o", target, code=1)
        assert "already exists" in result.stderr
        assert target.read_text() == "someone's statement"
        run(*args, "-o", target, "--force")
        assert target.read_text() != "someone's statement"


def test_every_folder_stalklog_creates_is_private(run, diary, isolated):
    backup = isolated / "usb" / "deep" / "er" / "backup.db"
    run("db", "backup", backup)
    for folder in (backup.parent, backup.parent.parent, backup.parent.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    config = isolated / "config" / "stalklog"
    for folder in (config, config / "anchors", config / "cache"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_a_busy_file_keeps_the_walk_throughs_answers(run, case, monkeypatch):
    """The file kept busy past the busy timeout: the answers are not lost — the person is
    asked to try again, and the incident is saved once the other writer is done."""
    import subprocess
    import sys

    import stalklog.cli.incidents as incidents
    import stalklog.store.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 0.3)
    monkeypatch.setattr(incidents, "stdin_is_tty", lambda: True)
    db = Path(os.environ["STALKLOG_DB"])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, time\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('ready', flush=True)\n"
            "time.sleep(1.5)\n"
            "c.execute('ROLLBACK')\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        script = "\n".join(["y", "", "", "", "", "", "", "n", "y", *["y"] * 30]) + "\n"
        result = run(
            "add", "Waited by the gate (fictional)", "-I", "--when", "01/03/2025", "--case", "C-1", input=script
        )
    finally:
        holder.wait(timeout=30)
    assert "Your answers are kept" in result.stderr and "Recorded:" in result.stderr
    assert rows(db, "SELECT summary FROM incidents")[0][0] == "Waited by the gate (fictional)"
