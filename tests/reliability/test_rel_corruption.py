"""Damaged, foreign and too-new case files: a clear ``Error:`` with a next step, never a
traceback, and the file left exactly as it was."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from rel_support import assert_clean_failure, assert_file_sound, build_base, case_incidents, cli, integrity_ok

NEXT_STEPS = ("stalklog db restore", "stalklog db check", "--db", "Upgrade stalklog")
COMMANDS = (
    ("list", "--case", "C-1"),
    ("add", "Fictional", "--case", "C-1", "--when", "today"),
    ("verify",),
    ("db", "check"),
)


@pytest.fixture
def base(tmp_path):
    return build_base(tmp_path / "base.db", incidents=300)


def invoke(db: Path, *args):
    """The CLI in-process, against ``db``; the result has returncode/stdout/stderr."""
    from typer.testing import CliRunner

    from stalklog.cli.app import app

    result = CliRunner().invoke(app, ["--db", str(db), *map(str, args)], catch_exceptions=False)
    result.returncode = result.exit_code
    return result


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _truncate_half(p: Path) -> None:
    with open(p, "r+b") as f:
        f.truncate(p.stat().st_size // 2)


def _truncate_odd(p: Path) -> None:
    with open(p, "r+b") as f:
        f.truncate(1000)


def _overwrite_header(p: Path) -> None:
    with open(p, "r+b") as f:
        f.write(random.Random(1).randbytes(100))


def _overwrite_pages(p: Path) -> None:
    with open(p, "r+b") as f:
        f.seek(4096 * 3)
        f.write(random.Random(2).randbytes(4096 * 8))


def _plain_text(p: Path) -> None:
    p.write_text("Dear diary (fictional): this is not a case file.\n", encoding="utf-8")


def _other_sqlite(p: Path) -> None:
    p.unlink()
    conn = sqlite3.connect(str(p))
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()


def _newer_version(p: Path) -> None:
    conn = sqlite3.connect(str(p))
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('stalklog', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()


DAMAGE = {
    "truncated": (_truncate_half, "damaged"),
    "truncated-mid-page": (_truncate_odd, "damaged"),
    "header-overwritten": (_overwrite_header, "encrypted"),  # random bytes look like an encrypted file
    "pages-overwritten": (_overwrite_pages, "damaged"),
    "plain-text": (_plain_text, "not a stalklog case file"),
    "other-sqlite": (_other_sqlite, "not a stalklog case file"),
    "newer-version": (_newer_version, "newer version of stalklog"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_or_foreign_file_gives_a_clear_error_and_is_left_alone(base, tmp_path, kind):
    damage, words = DAMAGE[kind]
    db = tmp_path / f"{kind}.db"
    shutil.copyfile(base, db)
    damage(db)
    before = _digest(db)
    # In-process for speed, and once as a real process (where a traceback would show).
    for command in [*COMMANDS, "subprocess"]:
        proc = cli(db, *COMMANDS[0]) if command == "subprocess" else invoke(db, *command)
        if proc.returncode == 3:  # db check / verify finding the damage is also a clear answer
            assert "Traceback" not in proc.stderr and ("Error:" in proc.stderr or "NOT intact" in proc.stdout)
            continue
        assert_clean_failure(proc)
        assert words in proc.stderr, (command, proc.stderr)
        assert any(step in proc.stderr for step in NEXT_STEPS), (command, proc.stderr)
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    assert _digest(db) == before, "a failed command changed the damaged file"


def test_damaged_file_can_be_replaced_from_a_backup(base, tmp_path, monkeypatch):
    """The next step the messages suggest works: a backup restores every record."""
    db = tmp_path / "case.db"
    shutil.copyfile(base, db)
    backup = tmp_path / "backup.db"
    assert cli(db, "db", "backup", backup).returncode == 0
    _overwrite_pages(db)
    assert_clean_failure(cli(db, "list", "--case", "C-1"))
    restored = cli(db, "db", "restore", backup)
    assert restored.returncode == 0, restored.stderr
    assert case_incidents(db, "C-1") == 300
    assert_file_sound(db)


def test_case_file_copied_without_its_wal_is_an_older_sound_file(base, tmp_path):
    """A naive copy (or sync tool) that takes the case file but not its -wal while stalklog
    is in use gets the file as it was at the last checkpoint: older, but sound and verified.
    (docs/reliability.md: copy with ``stalklog db backup``, which includes everything.)"""
    db = tmp_path / "live.db"
    shutil.copyfile(base, db)
    holder = sqlite3.connect(str(db))  # another stalklog still has the file open: no checkpoint on close
    holder.execute("SELECT count(*) FROM incidents").fetchone()
    try:
        assert cli(db, "add", "Written while another copy was open", "--case", "C-1", "--when", "today").returncode == 0
        assert Path(f"{db}-wal").stat().st_size > 0
        copy = tmp_path / "copy.db"
        shutil.copyfile(db, copy)  # without copy.db-wal
    finally:
        holder.close()
    assert integrity_ok(copy) == "ok"
    assert case_incidents(copy, "C-1") in (300, 301)
    assert case_incidents(db, "C-1") == 301  # the original, with its WAL, has everything
    # The copy's chain is sound, but it is behind the head kept on this computer after the
    # last write: verify says entries are missing from it rather than "Intact".
    proc = cli(copy, "verify")
    if case_incidents(copy, "C-1") == 300:
        assert proc.returncode == 3 and "rolled back" in proc.stdout, proc.stdout + proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr


def test_garbage_wal_is_ignored_and_nothing_committed_is_lost(base, tmp_path):
    db = tmp_path / "case.db"
    shutil.copyfile(base, db)
    Path(f"{db}-wal").write_bytes(random.Random(3).randbytes(64 * 1024))
    counts = assert_file_sound(db)
    assert counts["incidents"] == 300


def test_empty_wal_and_stale_shm_are_harmless(base, tmp_path):
    db = tmp_path / "case.db"
    shutil.copyfile(base, db)
    Path(f"{db}-wal").write_bytes(b"")
    Path(f"{db}-shm").write_bytes(os.urandom(32 * 1024))
    assert cli(db, "add", "After a crash", "--case", "C-1", "--when", "today").returncode == 0
    assert assert_file_sound(db)["incidents"] == 301


def test_commits_are_durable_against_power_loss(base):
    """Every connection uses synchronous=FULL (WAL's NORMAL may lose the last commits on power loss)."""
    from stalklog.store.database import open_db

    d = open_db(base)
    try:
        assert d.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert d.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert d.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    finally:
        d.close()
