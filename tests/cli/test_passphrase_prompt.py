"""Opening an encrypted case file: where the passphrase came from, and a second try at the prompt."""

from __future__ import annotations

import pytest

FAST_KEY = "x'" + "2d" * 32 + "'"  # a raw SQLCipher key: skips the slow key derivation in tests


@pytest.fixture
def encrypted(isolated):
    from stalklog import records
    from stalklog.store.database import transaction
    from stalklog.store.maintenance import create_encrypted

    db = create_encrypted(isolated / "stalklog.db", FAST_KEY)
    with transaction(db):
        records.create_case(db, "C-1")
    db.close()


def _prompt(monkeypatch, answers):
    answers = iter(answers)
    asked = []
    monkeypatch.setattr("stalklog.cli.console.stdin_is_tty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": asked.append(prompt) or next(answers))
    return asked


def test_a_mistyped_passphrase_can_be_typed_again(run, encrypted, monkeypatch):
    asked = _prompt(monkeypatch, ["x'" + "00" * 32 + "'", FAST_KEY])
    result = run("case", "list", "--json")
    assert [c["ref"] for c in __import__("json").loads(result.stdout)] == ["C-1"]
    assert len(asked) == 2 and "Wrong passphrase; try again." in result.stderr


def test_three_wrong_passphrases_at_the_prompt_stop(run, encrypted, monkeypatch):
    wrong = "x'" + "00" * 32 + "'"
    asked = _prompt(monkeypatch, [wrong, wrong, wrong, FAST_KEY])
    result = run("case", "list", code=1)
    assert len(asked) == 3
    assert "Error: Wrong passphrase, or not a stalklog case file." in result.stderr


def test_a_wrong_passphrase_from_the_environment_says_so(run, encrypted, monkeypatch):
    monkeypatch.setenv("STALKLOG_PASSPHRASE", "not the passphrase")
    result = run("case", "list", code=1)
    assert "Wrong passphrase" in result.stderr and "STALKLOG_PASSPHRASE" in result.stderr
