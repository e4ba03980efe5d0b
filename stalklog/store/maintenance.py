"""Encrypted case files: create, encrypt, decrypt, rekey, back up, restore and check.

Encryption is SQLCipher's (through ``sqlcipher3``): every page of the file, exhibits
included, is encrypted with AES-256 under a key derived from the passphrase
(PBKDF2-HMAC-SHA512, 256,000 iterations by default in SQLCipher 4). Nothing here writes
a plaintext temporary file of an encrypted case: conversions go page by page from one
SQLite file to another in the same folder, created 0600.

How a conversion (``encrypt``/``decrypt``) keeps the case safe:

1. the file is taken for exclusive use (out of WAL mode, then an exclusive lock held to
   the end), which fails at once, changing nothing, if another stalklog has it open;
2. ``sqlcipher_export`` copies it into a new file beside it;
3. the new file is checked: SQLite's integrity check, the same row count in every
   table, the same ledger head, the same ``verify`` result and exhibit hashes;
4. only then does the new file replace the old (``os.replace``), and the old file's
   bytes are overwritten, flushed to disk and the file removed (best effort: SSDs and
   journaling or copy-on-write filesystems may keep old copies of blocks).

Passphrases are passed to SQLite as bound parameters where SQLite allows it (``ATTACH …
KEY ?``) and never appear in an exception message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from stalklog.errors import CaseFileError, IntegrityError, PassphraseError
from stalklog.store.database import BUSY_TIMEOUT_SECONDS, Database, driver_errors, is_encrypted, open_db, quote_key
from stalklog.store.private_files import make_private_dir, new_private_file

WRONG_PASSPHRASE = "Wrong passphrase, or not a stalklog case file."
SHRED_CHUNK = 1 << 20


# ---------------------------------------------------------------- passphrases and connections


def check_new_passphrase(passphrase: str | None) -> str:
    """A passphrase chosen for a case file: refuse an empty one (it would not encrypt)."""
    if passphrase is None or not passphrase.strip():
        raise PassphraseError(
            "An empty passphrase is not allowed: it would leave the case readable.",
            hint="Choose a passphrase of several words that you will remember.",
        )
    return passphrase


def _cipher(path: Path, passphrase: str | None):
    """A raw sqlcipher3 connection, keyed when ``passphrase`` is given (plain otherwise).

    Used for every connection of a conversion so that one SQLite library holds all the
    locks of the file (two libraries in one process do not see each other's locks).
    """
    try:
        from sqlcipher3 import dbapi2 as sqlcipher
    except ImportError:
        raise CaseFileError(
            "Encryption needs sqlcipher3, which is not installed.", hint="Install it with: pip install sqlcipher3"
        ) from None
    conn = sqlcipher.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    if passphrase is not None:
        conn.execute(f"PRAGMA key = {quote_key(passphrase)}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver_errors() as e:
        conn.close()
        if "not a database" in str(e) or "encrypted" in str(e):
            if passphrase is not None:
                raise PassphraseError(WRONG_PASSPHRASE, hint=str(path)) from None
            raise CaseFileError(f"{path} is not a stalklog case file (or it is damaged).") from None
        raise
    return conn


def _temp_beside(path: Path, purpose: str) -> Path:
    return path.with_name(f".{path.name}.{purpose}-{os.getpid()}")


def _companions(path: Path) -> list[Path]:
    """The file and the files SQLite keeps beside it."""
    return [path] + [Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal")]


def _remove(path: Path) -> None:
    for p in _companions(path):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


# ---------------------------------------------------------------- what a case file holds


@dataclass
class Snapshot:
    """What must be the same before and after a conversion, backup or restore."""

    counts: dict[str, int] = field(default_factory=dict)
    head: str | None = None
    problems: list[dict] = field(default_factory=list)
    records: int = 0
    exhibits_checked: int = 0
    user_version: int = 0
    application_id: int = 0

    def differences(self, other: Snapshot) -> list[str]:
        out = []
        for table in sorted(set(self.counts) | set(other.counts)):
            a, b = self.counts.get(table), other.counts.get(table)
            if a != b:
                out.append(f"table {table}: {a} rows before, {b} after")
        for name in ("head", "problems", "records", "exhibits_checked", "user_version", "application_id"):
            if getattr(self, name) != getattr(other, name):
                out.append(f"{name} differs")
        return out


def integrity_check(conn) -> list[str]:
    """SQLite's ``PRAGMA integrity_check``: an empty list when the file is sound."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def snapshot(conn) -> Snapshot:
    """Row counts of every table, the ledger head and the ``verify`` result."""
    from stalklog.store import ledger

    snap = Snapshot()
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    for t in tables:
        snap.counts[t] = conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
    snap.user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    snap.application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if "ledger" in snap.counts:
        report = ledger.verify(Database(conn))
        snap.head = report.head
        snap.problems = [p.as_dict() for p in report.problems]
        snap.records = report.records
        snap.exhibits_checked = report.exhibits_checked
    return snap


def _sound(conn, path: Path, what: str) -> Snapshot:
    """Refuse a file that fails the integrity check; return its snapshot."""
    problems = integrity_check(conn)
    if problems:
        raise CaseFileError(
            f"{what} {path} fails SQLite's integrity check: {problems[0]}",
            hint="Nothing was changed. Restore from a backup with: stalklog db restore BACKUP",
        )
    from stalklog.store import schema_check

    schema_check.check(conn, f"{what} {path}")  # a planted trigger is never copied on
    return snapshot(conn)


def ensure_case_file(path: Path, passphrase: str | None) -> None:
    """Open with the usual checks (and migrations), then close again."""
    db = open_db(path, passphrase)
    db.close()


# ---------------------------------------------------------------- exclusive use


def _take_exclusive(conn, path: Path) -> None:
    """Hold the file alone until ``conn`` closes: out of WAL, then an exclusive lock.

    Leaving WAL mode fails while any other connection has the file open, so a
    conversion never runs under another stalklog's feet.
    """
    conn.execute("PRAGMA busy_timeout = 2000")
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
        conn.execute("PRAGMA main.locking_mode = EXCLUSIVE").fetchall()
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except driver_errors() as e:
        if "locked" in str(e) or "busy" in str(e):
            raise CaseFileError(
                f"{path} is open in another stalklog (or another program). Nothing was changed.",
                hint="Close it there and try again.",
            ) from None
        raise
    for companion in _companions(path)[1:]:
        if companion.exists():  # a leftover of the WAL: only the file itself should remain
            shred(companion)


def _back_to_wal(conn) -> None:
    with contextlib.suppress(*driver_errors()):
        conn.execute("PRAGMA main.locking_mode = NORMAL").fetchall()
        conn.execute("PRAGMA journal_mode = WAL").fetchall()


# ---------------------------------------------------------------- secure removal


def shred(path: Path) -> bool:
    """Overwrite a file with zeros, flush it to disk and remove it. Best effort only:
    SSDs, journaling and copy-on-write filesystems and backups may keep old blocks."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return False
    try:
        _overwrite(fd)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)
    return True


def _overwrite(fd: int) -> None:
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    zeros = bytes(SHRED_CHUNK)
    left = size
    while left > 0:
        n = os.write(fd, zeros[: min(left, SHRED_CHUNK)])
        left -= n
    os.fsync(fd)


# ---------------------------------------------------------------- create, encrypt, decrypt, rekey


def create_encrypted(path: Path, passphrase: str) -> Database:
    """A new, empty, encrypted case file (0600, in a 0700 folder when the folder is new)."""
    check_new_passphrase(passphrase)
    path = Path(path).expanduser()
    if path.exists() and path.stat().st_size > 0:
        raise CaseFileError(f"A case file already exists at {path}; it was left as it is.")
    return open_db(path, passphrase, create=True)


def encrypt(path: Path, passphrase: str) -> dict:
    """Encrypt a plain case file in place (new file, verified, swapped; the plain one shredded)."""
    check_new_passphrase(passphrase)
    path = existing_file(path)
    if is_encrypted(path):
        raise CaseFileError(f"{path} is already encrypted.", hint="To change its passphrase: stalklog db rekey")
    return _convert(path, None, passphrase)


def decrypt(path: Path, passphrase: str) -> dict:
    """Turn an encrypted case file back into a plain one (anyone who can read it can read the case)."""
    path = existing_file(path)
    if not is_encrypted(path):
        raise CaseFileError(f"{path} is not encrypted.")
    return _convert(path, passphrase, None)


def existing_file(path: Path) -> Path:
    path = Path(path).expanduser()
    if not path.exists():
        raise CaseFileError(f"No case file at {path}.", hint="Create one with: stalklog init --encrypt")
    if path.is_dir():
        raise CaseFileError(f"{path} is a folder, not a case file.")
    return path


def _convert(path: Path, old_key: str | None, new_key: str | None) -> dict:
    ensure_case_file(path, old_key)  # wrong passphrase, not ours, too new: stop here
    tmp = _temp_beside(path, "encrypting" if new_key is not None else "decrypting")
    _remove(tmp)
    conn = _cipher(path, old_key)
    done = False
    try:
        _take_exclusive(conn, path)
        before = _sound(conn, path, "The case file")
        new_private_file(tmp)
        conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(tmp), new_key if new_key is not None else ""))
        try:
            conn.execute("BEGIN IMMEDIATE")  # one transaction: one sync, and all or nothing
            conn.execute("SELECT sqlcipher_export('converted')").fetchall()
            conn.execute(f"PRAGMA converted.user_version = {int(before.user_version)}")
            conn.execute(f"PRAGMA converted.application_id = {int(before.application_id)}")
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE converted")
        _verify_copy(tmp, new_key, before, "converted file")
        done = _swap(tmp, path, conn, overwrite_old=old_key is None)  # a plain file's bytes are the case
    finally:
        if not done:
            _back_to_wal(conn)
        conn.close()
        if not done:
            _remove(tmp)
    return {
        "path": str(path),
        "encrypted": new_key is not None,
        "tables": len(before.counts),
        "records": before.records,
        "exhibits": before.exhibits_checked,
        "ledger_head": before.head,
    }


def _swap(new: Path, path: Path, conn, *, overwrite_old: bool) -> bool:
    """Put ``new`` in place of ``path``, then overwrite (or just drop) the old file's bytes.

    On POSIX the old file stays open (and locked by ``conn``) until its bytes are gone.
    Windows cannot replace an open file: there the lock is released first, the old file
    renamed aside, the new one renamed in (the old one put back if that fails).
    """
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        conn.close()
        aside = _temp_beside(path, "old")
        os.replace(path, aside)
        try:
            os.replace(new, path)
        except BaseException:
            os.replace(aside, path)
            raise
        _after_swap(lambda: shred(aside) if overwrite_old else aside.unlink(), path)
        return True
    keep = os.open(path, os.O_WRONLY)  # the old file's bytes, to overwrite once it is replaced
    try:
        os.replace(new, path)
        if overwrite_old:
            _after_swap(lambda: _overwrite(keep), path)
    finally:
        os.close(keep)
    return True


def _after_swap(step, path: Path) -> None:
    try:
        step()
    except OSError as e:
        raise CaseFileError(
            f"{path} was converted, but the old copy could not be overwritten ({e.strerror}).",
            hint="The case file itself is fine; see docs/privacy.md about secure deletion.",
        ) from None


def _verify_copy(copy: Path, key: str | None, before: Snapshot, what: str) -> Snapshot:
    """Open the copy afresh and compare it with the original; leave it in WAL mode."""
    check = _cipher(copy, key)
    try:
        after = _sound(check, copy, f"The {what}")
        differences = before.differences(after)
        if differences:
            raise CaseFileError(
                f"The {what} does not match the case file ({differences[0]}). Nothing was changed.",
                hint="Please report this; your case file is as it was.",
            )
        check.execute("PRAGMA journal_mode = WAL").fetchall()
    finally:
        check.close()
    if any(c.exists() for c in _companions(copy)[1:]):  # closed cleanly, the copy is one file
        raise CaseFileError(f"The {what} was not closed cleanly. Nothing was changed.", hint="Try again.")
    return after


def rekey(path: Path, old: str, new: str) -> dict:
    """Change an encrypted file's passphrase (``PRAGMA rekey``), then check the file opens with it."""
    check_new_passphrase(new)
    path = existing_file(path)
    if not is_encrypted(path):
        raise CaseFileError(f"{path} is not encrypted.", hint="Encrypt it with: stalklog db encrypt")
    ensure_case_file(path, old)
    conn = _cipher(path, old)
    try:
        _take_exclusive(conn, path)
        before = _sound(conn, path, "The case file")
        conn.execute(f"PRAGMA rekey = {quote_key(new)}")
        _back_to_wal(conn)
    finally:
        conn.close()
    check = _cipher(path, new)
    try:
        after = snapshot(check)
    finally:
        check.close()
    if before.differences(after):
        raise CaseFileError(
            f"{path}: after the passphrase change the file does not match what it held.",
            hint="Run: stalklog db check (with the new passphrase)",
        )
    return {"path": str(path), "records": after.records}


# ---------------------------------------------------------------- backup and restore


def backup_name(path: Path, folder: Path, today: dt.date | None = None) -> Path:
    from stalklog.clock import local_now

    day = (today or local_now().date()).isoformat()
    name = folder / f"{path.stem}-backup-{day}{path.suffix or '.db'}"
    n = 1
    while name.exists():  # a second backup the same day gets a number, never replaces the first
        n += 1
        name = folder / f"{path.stem}-backup-{day}-{n}{path.suffix or '.db'}"
    return name


def backup(path: Path, passphrase: str | None, target: Path, *, force: bool = False, into_folder: bool = False) -> dict:
    """Copy the case file with SQLite's online backup (consistent while in use).

    An encrypted case gives an encrypted backup under the same passphrase. The backup is
    one self-contained file (not WAL), 0600, checked before it takes its final name.
    With ``into_folder`` (or when ``target`` is a folder) it is named
    ``<name>-backup-<date>.db`` in that folder (created 0700 if need be).
    """
    path = existing_file(path)
    target = Path(target).expanduser()
    if into_folder or target.is_dir():
        target = backup_name(path, target)
    if target.exists() and not force:
        raise CaseFileError(
            f"{target} already exists; it was left as it is.", hint="Choose another name, or replace it with --force."
        )
    if target.resolve() == path.resolve():
        raise CaseFileError("The backup cannot be the case file itself.")
    if not target.parent.exists():
        make_private_dir(target.parent)  # every new folder on the way 0700, not only the last
    key = passphrase if is_encrypted(path) else None
    ensure_case_file(path, key)
    tmp = _temp_beside(target, "backup")
    _remove(tmp)
    source = _cipher(path, key)
    done = False
    try:
        new_private_file(tmp)
        dest = _cipher(tmp, key)
        try:
            source.execute("BEGIN")  # one read snapshot for both the copy and the comparison
            before = snapshot(source)
            source.backup(dest)
            source.execute("COMMIT")
            dest.execute("PRAGMA journal_mode = DELETE").fetchall()
        finally:
            dest.close()
        after = _sound_copy(tmp, key)
        if before.differences(after):
            raise CaseFileError(
                "The backup does not match the case file (it changed while copying?).",
                hint="Try again; nothing was written.",
            )
        os.replace(tmp, target)
        done = True
    finally:
        source.close()
        if not done:
            _remove(tmp)
    return {
        "path": str(path),
        "backup": str(target),
        "encrypted": key is not None,
        "records": after.records,
        "exhibits": after.exhibits_checked,
        "ledger_head": after.head,
        "bytes": target.stat().st_size,
    }


def _sound_copy(copy: Path, key: str | None) -> Snapshot:
    conn = _cipher(copy, key)
    try:
        return _sound(conn, copy, "The backup")
    finally:
        conn.close()


class RollbackRefused(CaseFileError):
    """Restoring this backup would roll back entries written after it: the user must say so."""


def rollback(live_conn, backup_conn) -> dict | None:
    """What restoring ``backup_conn`` over ``live_conn`` would roll back, or None when
    nothing would be lost (the backup's history is the live file's, or newer).

    ``{"live_seq", "backup_seq", "entries", "records": {table: n}, "diverged"}``: the
    ledger entries after the backup's head (by the table they touched), and whether the
    two histories differ (the backup is not an earlier state of this file).
    """
    try:
        live = live_conn.execute("SELECT max(seq) FROM ledger").fetchone()[0] or 0
        back = backup_conn.execute("SELECT max(seq) FROM ledger").fetchone()[0] or 0
        common = min(live, back)
        diverged = bool(common) and (
            live_conn.execute("SELECT entry_hash FROM ledger WHERE seq = ?", [common]).fetchone()
            != backup_conn.execute("SELECT entry_hash FROM ledger WHERE seq = ?", [common]).fetchone()
        )
        if live <= back and not diverged:
            return None
        since = common if not diverged else 0
        counts = dict(
            live_conn.execute(
                "SELECT entity, count(DISTINCT entity_id) FROM ledger WHERE seq > ? GROUP BY entity ORDER BY entity",
                [since],
            ).fetchall()
        )
    except driver_errors():
        return None  # a live file this damaged has nothing to lose by being replaced
    return {"live_seq": live, "backup_seq": back, "entries": live - since, "records": counts, "diverged": diverged}


def describe_rollback(found: dict) -> str:
    names = {
        "incidents": "incident",
        "people": "person",
        "amendments": "amendment",
        "exhibits": "exhibit",
        "exhibit_events": "exhibit event",
        "cases": "case",
        "case_impacts": "case impact",
        "screenings": "screening",
    }
    parts = []
    for table, n in found["records"].items():
        word = names.get(table, table.rstrip("s").replace("_", " "))
        parts.append(
            f"{n} {word}{'' if n == 1 else ('s' if not word.endswith('son') else '')}".replace("persons", "people")
        )
    what = ", ".join(parts) or "nothing"
    if found["diverged"]:
        return (
            f"The backup is not an earlier state of this case file: their histories differ. Restoring it would "
            f"roll back all {found['live_seq']} ledger entries of the current file ({what} written or changed)."
        )
    return (
        f"The backup is behind the case file: restoring it would roll back {found['entries']} ledger "
        f"{'entry' if found['entries'] == 1 else 'entries'} written after it ({what} added or changed since)."
    )


def _lock_live(path: Path, key: str | None):
    """The live case file, held for exclusive use (as ``encrypt`` holds it), or None when
    it is missing or so damaged that it does not open at all."""
    if not path.exists():
        return None
    try:
        live = _cipher(path, key)
    except PassphraseError:
        raise PassphraseError(
            f"The current case file {path} does not open with that passphrase, so it cannot be locked "
            "for the restore. Nothing was changed.",
            hint="Give the current file's passphrase (STALKLOG_PASSPHRASE), or move the file away first.",
        ) from None
    except CaseFileError:
        return None  # not a database any more: nothing can be using it
    try:
        _take_exclusive(live, path)
    except CaseFileError:
        live.close()
        raise
    except driver_errors():
        return live  # damaged, but open: hold what lock we have
    return live


def restore(
    path: Path,
    backup_path: Path,
    passphrase: str | None,
    *,
    live_passphrase: str | None = None,
    allow_rollback: bool = False,
) -> dict:
    """Put a backup in place of the case file, after checking the backup fully.

    The current case file is first taken for exclusive use (a restore never happens under
    another stalklog's feet: a write in progress elsewhere makes it stop, changing nothing).
    A backup behind the current file (or with another history) is refused unless
    ``allow_rollback`` (``RollbackRefused`` says what would be rolled back). The backup must
    open (with ``passphrase`` when it is encrypted), pass SQLite's integrity check, the
    schema check and ``verify``. The current case file is never deleted: it is renamed
    ``<name>.before-restore-<time>``, so nothing is lost.
    """
    path = Path(path).expanduser()
    backup_path = Path(backup_path).expanduser()
    if not backup_path.is_file():
        raise CaseFileError(f"No backup file at {backup_path}.", hint="Check the path (stalklog db backup wrote it).")
    if path.exists() and backup_path.resolve() == path.resolve():
        raise CaseFileError("That is the case file itself, not a backup.")
    key = passphrase if is_encrypted(backup_path) else None
    if key is None and is_encrypted(backup_path):
        raise PassphraseError(f"{backup_path} is encrypted: a passphrase is needed.")
    live_key = (live_passphrase if live_passphrase is not None else passphrase) if is_encrypted(path) else None
    source = _cipher(backup_path, key)
    live = None
    try:
        _check_is_stalklog(source, backup_path)
        before = _sound(source, backup_path, "The backup")
        if before.problems:
            raise IntegrityError(
                f"The backup {backup_path} does not pass verify: {before.problems[0]['text']}",
                hint="Nothing was changed. Try an older backup.",
            )
        live = _lock_live(path, live_key)
        lost = rollback(live, source) if live is not None else None
        if lost and not allow_rollback:
            raise RollbackRefused(
                describe_rollback(lost) + " Nothing was changed.",
                hint="The current file would be kept beside it; to restore anyway: stalklog db restore BACKUP --force",
            )
        if not path.parent.exists():
            make_private_dir(path.parent)
        tmp = _temp_beside(path, "restoring")
        _remove(tmp)
        new_private_file(tmp)
        done = False
        try:
            dest = _cipher(tmp, key)
            try:
                source.backup(dest)
            finally:
                dest.close()
            _verify_copy(tmp, key, before, "restored copy")
            kept = _set_aside(path)
            os.replace(tmp, path)
            done = True
        finally:
            if not done:
                _remove(tmp)
    finally:
        source.close()
        if live is not None:
            live.close()  # the lock goes with it, once the restored file is in place
    db = open_db(path, key)  # brings an older backup to the current schema
    try:
        from stalklog.store import anchor

        anchor.update(db, force=True)  # the restored history is now the one kept on this computer
    finally:
        db.close()
    return {
        "path": str(path),
        "backup": str(backup_path),
        "kept": str(kept) if kept else None,
        "encrypted": key is not None,
        "records": before.records,
        "exhibits": before.exhibits_checked,
        "ledger_head": before.head,
        "rolled_back": lost,
    }


def _check_is_stalklog(conn, path: Path) -> None:
    from stalklog.store.migrations import APPLICATION_ID

    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if "_sqlite_migrations" not in tables or app_id not in (0, APPLICATION_ID):
        raise CaseFileError(f"{path} is not a stalklog case file (or a backup of one). Nothing was changed.")


def _set_aside(path: Path) -> Path | None:
    """Rename the current case file (and its WAL) out of the way; return its new name."""
    if not path.exists():
        for companion in _companions(path)[1:]:
            companion.unlink(missing_ok=True)  # stale WAL of a missing file must not meet the restored one
        return None
    from stalklog.clock import utc_now

    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.before-restore-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.before-restore-{stamp}-{n}")
    for suffix in ("-wal", "-shm", "-journal"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            os.replace(src, Path(f"{kept}{suffix}"))
    os.replace(path, kept)
    os.chmod(kept, 0o600)
    return kept


# ---------------------------------------------------------------- check


def check(db: Database) -> dict:
    """Every check ``verify`` makes (SQLite's and SQLCipher's page checks, the schema, the
    ledger, the search index, the anchor); ``ok`` says whether all of them pass."""
    from stalklog.store import integrity

    report = integrity.check(db)
    damage = [p.text for p in report.problems if p.code == "damaged"]
    rest = [p for p in report.problems if p.code != "damaged"]
    return {
        "path": str(getattr(db, "path", "")),
        "encrypted": bool(getattr(db, "encrypted", False)),
        "integrity_check": damage or ["ok"],
        "schema": [p.text for p in rest if p.code == "schema_changed"] or ["ok"],
        "ok": report.ok,
        "ledger": {
            "ok": not rest,
            "entries": report.entries,
            "records": report.records,
            "exhibits_checked": report.exhibits_checked,
            "head": report.head,
            "problems": [p.as_dict() for p in rest],
        },
    }
