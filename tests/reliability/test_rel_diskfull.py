"""A full disk and a read-only location: a clear error, exit 1, and nothing half-written.

Where the machine allows it (root, and mount permitted: the CI machine is one), the case
file sits on a real size-limited tmpfs, or one remounted read-only. Everywhere, the same is
also checked by limiting the file at SQLite's storage layer (``PRAGMA max_page_count``,
which makes SQLite itself report "database or disk is full") and by opening it read-only
(``mode=ro``), so the suite never depends on mount rights.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from rel_support import (
    assert_clean_failure,
    assert_file_sound,
    build_base,
    case_incidents,
    cli,
    counts,
    make_bundle,
    write_bundle,
)


@contextlib.contextmanager
def tmpfs(size: str):
    """A fresh tmpfs of ``size`` mounted on a temporary folder; skips where mounting is not allowed."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a size-limited tmpfs needs root")
    point = Path("/tmp") / f"stalklog-rel-{uuid.uuid4().hex[:8]}"
    point.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)
        with contextlib.suppress(OSError):
            point.rmdir()


def _fill(folder: Path) -> Path:
    """Fill the file system holding ``folder`` to the last byte."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        block = b"\0" * 65536
        while True:
            try:
                os.write(fd, block)
            except OSError:
                if len(block) == 1:
                    break
                block = block[: len(block) // 2]
    finally:
        os.close(fd)
    return filler


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory):
    return write_bundle(tmp_path_factory.mktemp("full") / "big.json", make_bundle("BIG", 3000))


@pytest.fixture
def base(tmp_path):
    return build_base(tmp_path / "base.db", incidents=100)


def _assert_unchanged(db: Path, before: dict) -> None:
    after = assert_file_sound(db)
    assert after == before
    assert case_incidents(db, "BIG") is None


# ---------------------------------------------------------------- a real small disk


def test_import_onto_a_full_disk_writes_nothing(base, big_bundle):
    with tmpfs("1m") as folder:
        db = folder / "case.db"
        shutil.copyfile(base, db)
        before = counts(db)
        proc = cli(db, "import", big_bundle)
        assert_clean_failure(proc)
        assert "full" in proc.stderr and "Nothing was changed" in proc.stderr
        _assert_unchanged(db, before)


def test_add_on_a_full_disk_then_space_freed(base):
    with tmpfs("2m") as folder:
        db = folder / "case.db"
        shutil.copyfile(base, db)
        # Open once so that -wal and -shm exist, as they do while stalklog is in use.
        holder = sqlite3.connect(str(db))
        holder.execute("SELECT count(*) FROM incidents").fetchone()
        try:
            before = counts(db)
            filler = _fill(folder)
            big_text = "fictional " * 9_000  # 90 kB (one argument may be at most 128 kB): new WAL pages
            proc = cli(db, "add", big_text, "--case", "C-1", "--when", "today")
            assert_clean_failure(proc)
            assert "full" in proc.stderr, proc.stderr
            filler.unlink()
        finally:
            holder.close()
        _assert_unchanged(db, before)
        proc = cli(db, "add", "After freeing space", "--case", "C-1", "--when", "today")
        assert proc.returncode == 0, proc.stderr
        assert assert_file_sound(db)["incidents"] == before["incidents"] + 1


def test_read_only_location_is_a_clear_error(base):
    with tmpfs("4m") as folder:
        db = folder / "case.db"
        shutil.copyfile(base, db)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        for command in (("add", "Fictional", "--case", "C-1", "--when", "today"), ("list", "--case", "C-1")):
            proc = cli(db, *command)
            assert_clean_failure(proc)
            assert "read-only" in proc.stderr and "Nothing was changed" in proc.stderr, proc.stderr
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
        assert assert_file_sound(db)["incidents"] == 100


def test_immutable_case_file_is_a_clear_error(base, tmp_path):
    """Root ignores file permissions, so the read-only file is made with chattr +i."""
    db = tmp_path / "locked.db"
    shutil.copyfile(base, db)
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("chattr +i needs root")
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True, check=False).returncode != 0:
        pytest.skip("this file system has no immutable flag")
    try:
        proc = cli(db, "add", "Fictional", "--case", "C-1", "--when", "today")
        assert_clean_failure(proc)
        assert "read-only" in proc.stderr and "Nothing was changed" in proc.stderr
        listed = cli(db, "list", "--case", "C-1", "--json")
        assert listed.returncode == 0, listed.stderr  # reading still works
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=False)
    assert assert_file_sound(db)["incidents"] == 100


# ---------------------------------------------------------------- simulated at the storage layer


@pytest.fixture
def limited_connect(monkeypatch):
    """Make every case-file connection unable to grow by more than ``extra_pages`` pages."""
    from stalklog.store import database as dbmod

    real = dbmod.connect
    limit = {"extra_pages": 0}

    def connect(path, passphrase=None):
        conn = real(path, passphrase)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + limit['extra_pages']}")
        return conn

    monkeypatch.setattr(dbmod, "connect", connect)
    return limit


def test_simulated_full_disk_during_import(base, big_bundle, limited_connect, run, monkeypatch):
    monkeypatch.setenv("STALKLOG_DB", str(base))
    before = counts(base)
    limited_connect["extra_pages"] = 50  # room for some of the import, not all of it
    result = run("import", big_bundle, code=1)
    assert "full" in result.stderr and "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    limited_connect["extra_pages"] = 10**6
    _assert_unchanged(base, before)


def test_simulated_full_disk_during_amend(base, limited_connect, run, monkeypatch):
    monkeypatch.setenv("STALKLOG_DB", str(base))
    limited_connect["extra_pages"] = 0
    before = counts(base)
    result = run("amend", "1", "--set", "location=" + "x" * 50_000, "--reason", "fictional", code=1)
    assert "full" in result.stderr
    limited_connect["extra_pages"] = 10**6
    assert counts(base) == before
    assert_file_sound(base)


def test_simulated_read_only_open(base, run, monkeypatch):
    from stalklog.store import database as dbmod

    def connect(path, passphrase=None):
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1, isolation_level=None)

    monkeypatch.setattr(dbmod, "connect", connect)
    monkeypatch.setenv("STALKLOG_DB", str(base))
    before = _digest(base)
    result = run("add", "Fictional", "--case", "C-1", "--when", "today", code=1)
    assert "read-only" in result.stderr and "Nothing was changed" in result.stderr
    assert _digest(base) == before


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
