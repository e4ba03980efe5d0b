"""Encrypt, decrypt, rekey, back up, restore: every record and exhibit kept, nothing readable left."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from case_files import EXHIBIT, FAST_KEY, MARKER, add_exhibit_case, file_bytes

from stalklog.errors import CaseFileError, IntegrityError, PassphraseError
from stalklog.store import ledger, maintenance
from stalklog.store.database import is_encrypted, open_db

PASSPHRASE = "tulip river lantern 42"  # a real passphrase: goes through SQLCipher's (slow) key derivation
OTHER_KEY = "x'" + "a7" * 32 + "'"


@pytest.fixture
def plain(isolated):
    """A plain case file holding the marker phrase in a record and in an exhibit's bytes."""
    path = isolated / "stalklog.db"
    open_db(path, create=True).close()
    add_exhibit_case(path, None)
    return path


def fingerprint(path, key):
    """Every table's rows (exhibit bytes as their SHA-256) and the ledger head."""
    db = open_db(path, key)
    try:
        out = {}
        for table in ledger.ENTITIES + ("ledger",):
            rows = db.execute(f"SELECT * FROM [{table}] ORDER BY rowid").fetchall()
            out[table] = [tuple(hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for v in r) for r in rows]
        report = ledger.verify(db)
        assert report.ok, report.problems
        out["head"] = report.head
        out["exhibit_sha"] = [
            hashlib.sha256(bytes(c)).hexdigest() for (c,) in db.execute("SELECT content FROM exhibits ORDER BY id")
        ]
        return out
    finally:
        db.close()


def leftovers(path):
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name and path.name in p.name)


def test_encrypt_then_decrypt_keeps_every_record_and_exhibit(plain):
    before = fingerprint(plain, None)
    assert before["exhibit_sha"] == [hashlib.sha256(EXHIBIT).hexdigest()]
    assert MARKER.encode() in file_bytes(plain)  # the control

    result = maintenance.encrypt(plain, PASSPHRASE)
    assert result["encrypted"] and result["exhibits"] == 1
    assert is_encrypted(plain)
    assert MARKER.encode() not in file_bytes(plain)
    assert stat.S_IMODE(plain.stat().st_mode) == 0o600
    assert leftovers(plain) == []  # no temporary file, no plain WAL left behind
    assert fingerprint(plain, PASSPHRASE) == before

    maintenance.decrypt(plain, PASSPHRASE)
    assert not is_encrypted(plain)
    assert fingerprint(plain, None) == before
    assert leftovers(plain) == []


def test_the_old_plain_bytes_are_overwritten_before_removal(plain, monkeypatch):
    """The inode that held the plain case is zeroed (checked through a hard link to it)."""
    witness = plain.with_name("witness-link")
    os.link(plain, witness)
    maintenance.encrypt(plain, FAST_KEY)
    assert witness.read_bytes() == bytes(witness.stat().st_size)
    assert witness.stat().st_size > 0


def test_encrypt_refuses_an_encrypted_file_and_empty_passphrases(plain):
    with pytest.raises(PassphraseError, match="empty passphrase"):
        maintenance.encrypt(plain, "   ")
    assert not is_encrypted(plain)
    maintenance.encrypt(plain, FAST_KEY)
    with pytest.raises(CaseFileError, match="already encrypted"):
        maintenance.encrypt(plain, FAST_KEY)


def test_decrypt_with_a_wrong_passphrase_changes_nothing(plain):
    maintenance.encrypt(plain, FAST_KEY)
    data = plain.read_bytes()
    with pytest.raises(PassphraseError) as e:
        maintenance.decrypt(plain, "wrong")
    assert str(e.value) == "Wrong passphrase, or not a stalklog case file."
    assert plain.read_bytes() == data


def test_encrypt_refuses_while_another_process_has_the_file_open(plain):
    """Another stalklog (another process) with the file open: refused, nothing changed."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM incidents').fetchone(); print('open', flush=True); sys.stdin.read()",
            str(plain),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        before = fingerprint(plain, None)
        with pytest.raises(CaseFileError, match="open in another stalklog"):
            maintenance.encrypt(plain, FAST_KEY)
        assert not is_encrypted(plain)
        assert not any("encrypting" in n for n in leftovers(plain))
    finally:
        holder.communicate("")
    assert fingerprint(plain, None) == before
    maintenance.encrypt(plain, FAST_KEY)  # and once it is closed, it works
    assert is_encrypted(plain)


def test_rekey_changes_the_passphrase(plain):
    maintenance.encrypt(plain, FAST_KEY)
    before = fingerprint(plain, FAST_KEY)
    maintenance.rekey(plain, FAST_KEY, OTHER_KEY)
    with pytest.raises(PassphraseError):
        open_db(plain, FAST_KEY)
    assert fingerprint(plain, OTHER_KEY) == before
    assert MARKER.encode() not in file_bytes(plain)


def test_encrypted_backup_stays_encrypted_and_opens(plain, isolated):
    maintenance.encrypt(plain, FAST_KEY)
    db = open_db(plain, FAST_KEY)  # in use while the backup runs, with a WAL
    try:
        target = isolated / "backups" / "copy.db"
        result = maintenance.backup(plain, FAST_KEY, target)
    finally:
        db.close()
    assert result["encrypted"] and result["exhibits"] == 1
    assert is_encrypted(target)
    assert MARKER.encode() not in file_bytes(target)
    assert b"PNG fictional" not in file_bytes(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert leftovers(target) == []  # one self-contained file
    assert fingerprint(target, FAST_KEY) == fingerprint(plain, FAST_KEY)
    with pytest.raises(PassphraseError):
        open_db(target, "wrong")


def test_backup_into_a_folder_is_named_and_never_replaces(plain, isolated):
    folder = isolated / "bk"
    folder.mkdir()
    first = maintenance.backup(plain, None, folder)["backup"]
    second = maintenance.backup(plain, None, folder)["backup"]
    assert first != second and first.endswith("stalklog-backup-2025-03-12.db")
    with pytest.raises(CaseFileError, match="already exists"):
        maintenance.backup(plain, None, folder / "stalklog-backup-2025-03-12.db")
    assert not is_encrypted(folder / "stalklog-backup-2025-03-12.db")


def test_restore_checks_the_backup_and_keeps_the_current_file(plain, isolated):
    maintenance.encrypt(plain, FAST_KEY)
    backup = isolated / "b.db"
    maintenance.backup(plain, FAST_KEY, backup)
    before = fingerprint(plain, FAST_KEY)

    db = open_db(plain, FAST_KEY)  # a later change, then the restore puts the backup back
    db.execute("BEGIN")
    from stalklog import records

    records.add_incident(
        db, "C-EX", {"occurred": "2025-03-11", "precision": "day", "summary": "later", "by": ["P"], "towards": ["V"]}
    )
    db.execute("COMMIT")
    db.close()

    with pytest.raises(maintenance.RollbackRefused, match="1 incident"):  # it says what would be rolled back
        maintenance.restore(plain, backup, FAST_KEY)
    result = maintenance.restore(plain, backup, FAST_KEY, allow_rollback=True)
    assert fingerprint(plain, FAST_KEY) == before
    kept = isolated / os.path.basename(result["kept"])
    assert kept.name.startswith("stalklog.db.before-restore-")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    kept_db = open_db(kept, FAST_KEY)
    try:
        assert kept_db.execute("SELECT count(*) FROM incidents WHERE summary = 'later'").fetchone()[0] == 1
    finally:
        kept_db.close()


def test_restore_refuses_a_backup_that_fails_verify(plain, isolated):
    backup = isolated / "b.db"
    maintenance.backup(plain, None, backup)
    import sqlite3

    conn = sqlite3.connect(backup)
    conn.execute("UPDATE incidents SET summary = 'tampered'")
    conn.commit()
    conn.close()
    current = plain.read_bytes()
    with pytest.raises(IntegrityError, match="does not pass verify"):
        maintenance.restore(plain, backup, None)
    assert plain.read_bytes() == current
    assert leftovers(plain) == [] or all(n.endswith(("-wal", "-shm")) for n in leftovers(plain))


def test_restore_onto_a_new_computer(plain, isolated):
    """No case file yet (a new machine): the backup simply becomes the case file."""
    maintenance.encrypt(plain, FAST_KEY)
    backup = isolated / "b.db"
    maintenance.backup(plain, FAST_KEY, backup)
    target = isolated / "new-machine" / "stalklog.db"
    result = maintenance.restore(target, backup, FAST_KEY)
    assert result["kept"] is None
    assert fingerprint(target, FAST_KEY) == fingerprint(plain, FAST_KEY)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    with pytest.raises(CaseFileError, match="No backup file"):
        maintenance.restore(target, isolated / "missing.db", FAST_KEY)


def test_restore_refuses_a_file_that_is_not_a_case_file(plain, isolated):
    other = isolated / "other.db"
    import sqlite3

    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(CaseFileError, match="not a stalklog case file"):
        maintenance.restore(plain, other, None)


def test_restore_needs_the_backups_passphrase(plain, isolated):
    maintenance.encrypt(plain, FAST_KEY)
    backup = isolated / "b.db"
    maintenance.backup(plain, FAST_KEY, backup)
    with pytest.raises(PassphraseError):
        maintenance.restore(plain, backup, "wrong")
    with pytest.raises(PassphraseError):
        maintenance.restore(plain, backup, None)


def test_check_reports_sqlite_and_ledger(plain):
    db = open_db(plain)
    try:
        assert maintenance.check(db)["ok"]
        db.execute("UPDATE incidents SET summary = 'changed outside'")
        result = maintenance.check(db)
    finally:
        db.close()
    assert not result["ok"] and result["integrity_check"] == ["ok"]
    assert result["ledger"]["problems"][0]["code"] == "record_changed"


def test_create_encrypted_refuses_an_existing_file(plain):
    with pytest.raises(CaseFileError, match="already exists"):
        maintenance.create_encrypted(plain, FAST_KEY)


def test_shred_overwrites_then_removes(isolated):
    p = isolated / "secret.txt"
    p.write_bytes(MARKER.encode() * 1000)
    link = isolated / "link"
    os.link(p, link)
    assert maintenance.shred(p)
    assert not p.exists()
    assert link.read_bytes() == bytes(len(MARKER) * 1000)
    assert not maintenance.shred(p)
