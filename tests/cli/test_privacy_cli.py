"""``stalklog init --encrypt`` and ``stalklog db …`` through the CLI (and a real subprocess)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import keyring
import pytest
from case_files import FAST_KEY, MARKER, file_bytes
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from stalklog.store.database import is_encrypted

WRONG_LINE = "Error: Wrong passphrase, or not a stalklog case file."
OTHER_KEY = "x'" + "3e" * 32 + "'"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict = {}
        self.reads = 0

    def get_password(self, service, username):
        self.reads += 1
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.store:
            raise PasswordDeleteError("not there")
        del self.store[(service, username)]


class ExplodingKeyring(KeyringBackend):
    """A keyring that must not be touched (a headless machine would block on it)."""

    priority = 1

    def get_password(self, service, username):
        raise AssertionError("the keyring was consulted for a file never remembered")

    set_password = delete_password = get_password


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(previous)


@pytest.fixture
def encrypted(isolated, monkeypatch):
    """An encrypted case file with one case (C-1) and one incident holding the marker phrase."""
    from stalklog import records
    from stalklog.store.database import transaction
    from stalklog.store.maintenance import create_encrypted

    monkeypatch.setenv("STALKLOG_PASSPHRASE", FAST_KEY)
    path = isolated / "stalklog.db"
    db = create_encrypted(path, FAST_KEY)
    try:
        with transaction(db):
            records.create_case(db, "C-1")
            records.add_person(db, "C-1", role="victim", name="Alex Doe")
            records.add_person(db, "C-1", role="subject", name="Sam Roe")
            records.add_incident(
                db,
                "C-1",
                {
                    "occurred": "2025-03-10",
                    "precision": "day",
                    "summary": f"Left a note {MARKER}",
                    "by": ["P"],
                    "towards": ["V"],
                },
            )
    finally:
        db.close()
    return path


def stalklog(*args, env=None):
    """Run ``python -m stalklog`` for real: SQLCipher writes to the real stderr (fd 2)."""
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "stalklog", *map(str, args)],
        capture_output=True,
        text=True,
        env=full,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


# ---------------------------------------------------------------- init --encrypt


def test_init_encrypt_from_the_environment(run, isolated, monkeypatch):
    monkeypatch.setenv("STALKLOG_PASSPHRASE", FAST_KEY)
    out = run.json("init", "--encrypt")
    path = isolated / "stalklog.db"
    assert out == {"path": str(path), "encrypted": True}
    assert is_encrypted(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    info = run.json("db", "path")
    assert info["encrypted"] and info["exists"] and not info["remembered"]


def test_init_encrypt_without_a_terminal_or_passphrase_is_a_clear_error(run, isolated):
    r = run("init", "--encrypt", code=1)
    assert r.stderr.startswith("Error: A new passphrase for the case file is needed")
    assert "STALKLOG_PASSPHRASE" in r.stderr
    assert not (isolated / "stalklog.db").exists()


def test_init_encrypt_refuses_an_empty_passphrase(run, isolated, monkeypatch):
    monkeypatch.setenv("STALKLOG_PASSPHRASE", "")
    r = run("init", "--encrypt", code=1)
    assert "empty passphrase" in r.stderr
    assert not (isolated / "stalklog.db").exists()


def test_init_encrypt_asks_twice_at_a_hidden_prompt(run, isolated, monkeypatch):
    answers = iter(["maple anchor violet", "maple anchor violet"])
    monkeypatch.setattr("stalklog.cli.privacy._tty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    folder = isolated / "new" / "place"
    run("--db", folder / "case.db", "init", "--encrypt")
    assert is_encrypted(folder / "case.db")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_init_encrypt_asks_again_when_the_two_answers_differ(run, isolated, monkeypatch):
    answers = iter(["maple anchor violet", "maple anchor violent", "maple anchor violet", "maple anchor violet"])
    monkeypatch.setattr("stalklog.cli.privacy._tty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    r = run("init", "--encrypt")
    assert "not the same; type them again" in r.stderr
    assert is_encrypted(isolated / "stalklog.db")
    assert next(answers, None) is None  # all four answers were asked for


def test_init_encrypt_gives_up_after_three_mismatched_pairs(run, isolated, monkeypatch):
    answers = iter(["one two three", "one two four"] * 3)
    monkeypatch.setattr("stalklog.cli.privacy._tty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    r = run("init", "--encrypt", code=1)
    assert "not the same 3 times" in r.stderr
    assert not (isolated / "stalklog.db").exists()


def test_init_encrypt_asks_again_after_an_empty_passphrase(run, isolated, monkeypatch):
    answers = iter(["", "maple anchor violet", "maple anchor violet"])
    monkeypatch.setattr("stalklog.cli.privacy._tty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    r = run("init", "--encrypt")
    assert "empty passphrase is not allowed" in r.stderr
    assert is_encrypted(isolated / "stalklog.db")


# ---------------------------------------------------------------- wrong passphrase, stderr, tracebacks


def test_wrong_passphrase_in_a_real_process_is_one_line(encrypted):
    r = stalklog("list", env={"STALKLOG_PASSPHRASE": "wrong"})
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0] == WRONG_LINE
    assert len(lines) <= 2, r.stderr  # the message, and at most a hint
    assert "hmac" not in r.stderr and "ERROR" not in r.stderr and "sqlcipher" not in r.stderr.lower()
    assert r.stdout == ""


def test_no_passphrase_and_no_terminal_in_a_real_process(encrypted):
    env = {k: v for k, v in os.environ.items() if k != "STALKLOG_PASSPHRASE"}
    r = subprocess.run(
        [sys.executable, "-m", "stalklog", "list"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert r.returncode == 1
    assert "a passphrase is needed" in r.stderr
    assert len(r.stderr.splitlines()) == 2


def test_the_passphrase_never_reaches_a_debug_traceback(encrypted):
    secret = "hunter-secret-passphrase-991"
    r = stalklog("db", "rekey", env={"STALKLOG_PASSPHRASE": secret, "STALKLOG_DEBUG": "1"})
    assert r.returncode == 1
    assert "Traceback" in r.stderr  # the debug traceback was shown …
    assert secret not in r.stderr and secret not in r.stdout  # … without the passphrase


# ---------------------------------------------------------------- db encrypt / decrypt / rekey


def test_db_encrypt_and_decrypt(run, case, isolated, monkeypatch):
    path = isolated / "stalklog.db"
    run("add", MARKER, "--when", "2025-03-10")
    monkeypatch.setenv("STALKLOG_PASSPHRASE", FAST_KEY)
    r = run("db", "encrypt")
    assert "Encrypted" in r.stderr and "overwritten and removed" in r.stderr
    assert is_encrypted(path) and MARKER.encode() not in file_bytes(path)
    assert run.json("search", MARKER)[0]["summary"] == MARKER

    r = run("db", "decrypt", code=1)  # no terminal to confirm: refused
    assert "Warning" in r.stderr and "--yes" in r.stderr
    assert is_encrypted(path)
    run("db", "decrypt", "--yes")
    assert not is_encrypted(path)
    assert run.json("search", MARKER)[0]["summary"] == MARKER


def test_db_encrypt_refuses_an_encrypted_file_before_asking(run, encrypted):
    r = run("db", "encrypt", code=1)
    assert "already encrypted" in r.stderr


def test_db_rekey(run, encrypted, monkeypatch):
    monkeypatch.setenv("STALKLOG_NEW_PASSPHRASE", OTHER_KEY)
    run("db", "rekey")
    monkeypatch.delenv("STALKLOG_NEW_PASSPHRASE")
    r = run("list", code=1)
    assert r.stderr.splitlines()[0] == WRONG_LINE
    monkeypatch.setenv("STALKLOG_PASSPHRASE", OTHER_KEY)
    assert len(run.json("list")) == 1


def test_db_rekey_with_a_wrong_current_passphrase_asks_nothing_more(run, encrypted, monkeypatch):
    monkeypatch.setenv("STALKLOG_PASSPHRASE", "wrong")
    monkeypatch.setenv("STALKLOG_NEW_PASSPHRASE", OTHER_KEY)
    r = run("db", "rekey", code=1)
    assert r.stderr.splitlines()[0] == WRONG_LINE


# ---------------------------------------------------------------- keyring


def test_remember_and_forget(run, encrypted, monkeypatch, memory_keyring):
    r = run("db", "remember")
    assert "undo with: stalklog db forget" in r.stderr
    assert list(memory_keyring.store.values()) == [FAST_KEY]
    monkeypatch.delenv("STALKLOG_PASSPHRASE")
    assert len(run.json("list")) == 1  # the passphrase came from the keyring
    assert run.json("db", "path")["remembered"]

    monkeypatch.setenv("STALKLOG_NEW_PASSPHRASE", OTHER_KEY)
    r = run("db", "rekey")
    assert "keyring now holds the new one" in r.stderr
    assert list(memory_keyring.store.values()) == [OTHER_KEY]
    assert len(run.json("list")) == 1

    run("db", "forget")
    assert memory_keyring.store == {}
    r = run("list", code=1)
    assert "a passphrase is needed" in r.stderr
    assert "No passphrase was remembered" in run("db", "forget").stderr


def test_remember_refuses_a_wrong_passphrase(run, encrypted, monkeypatch, memory_keyring):
    monkeypatch.setenv("STALKLOG_PASSPHRASE", "wrong")
    r = run("db", "remember", code=1)
    assert r.stderr.splitlines()[0] == WRONG_LINE
    assert memory_keyring.store == {}


def test_remember_without_a_keyring_is_a_clear_error(run, encrypted):
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        r = run("db", "remember", code=1)
    finally:
        keyring.set_keyring(previous)
    assert r.stderr.startswith("Error: No system keyring is available here")
    assert not run.json("db", "path")["remembered"]


def test_the_keyring_is_never_consulted_for_a_file_not_remembered(run, encrypted, monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(ExplodingKeyring())
    try:
        monkeypatch.delenv("STALKLOG_PASSPHRASE")
        r = run("list", code=1)
        assert "a passphrase is needed" in r.stderr
    finally:
        keyring.set_keyring(previous)


def test_the_remembered_list_is_private_and_holds_no_passphrase(run, encrypted, memory_keyring, isolated):
    from stalklog.store import passphrases

    run("db", "remember")
    listed = passphrases.list_path()
    assert stat.S_IMODE(listed.stat().st_mode) == 0o600
    assert FAST_KEY not in listed.read_text()
    assert str(encrypted) in listed.read_text()


# ---------------------------------------------------------------- backup, restore, check


def test_backup_restore_and_check_through_the_cli(run, encrypted, isolated):
    target = isolated / "usb" / "case-backup.db"
    result = run.json("db", "backup", target)
    assert result["encrypted"] and is_encrypted(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert MARKER.encode() not in target.read_bytes()
    run("db", "backup", target, code=1)  # never replaced without --force
    run("db", "backup", target, "--force")

    folder_result = run.json("db", "backup", f"{isolated / 'folder'}/")
    assert folder_result["backup"].endswith("stalklog-backup-2025-03-12.db")

    run("add", "A later entry", "--when", "2025-03-11")
    run("db", "restore", target, code=1)  # it would roll back the later entry: not without --force
    restored = run.json("db", "restore", target, "--force")
    assert restored["rolled_back"]["records"] == {"incidents": 1}
    assert restored["kept"] and ".before-restore-" in restored["kept"]
    assert [i["summary"] for i in run.json("list")] == [f"Left a note {MARKER}"]

    checked = run.json("db", "check")
    assert checked["ok"] and checked["integrity_check"] == ["ok"]
    assert "OK: the file is sound" in run("db", "check").stderr


def test_db_check_exits_3_on_a_changed_record(run, case, isolated):
    import sqlite3

    run("add", "Something", "--when", "2025-03-10")
    conn = sqlite3.connect(isolated / "stalklog.db")
    conn.execute("UPDATE incidents SET summary = 'edited outside'")
    conn.commit()
    conn.close()
    r = run("db", "check", code=3)
    assert "verify found 1 problem" in r.stderr


def test_db_path_for_a_plain_file(run, case, isolated):
    r = run("db", "path")
    assert r.stdout.strip() == str(isolated / "stalklog.db")
    assert "not encrypted" in r.stderr
