"""Bad input through the CLI: one clear ``Error:`` line naming the field, exit 1, nothing on
stdout, nothing written. Bad arguments: exit 2. Never a traceback."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest


def fingerprint() -> str:
    conn = sqlite3.connect(os.environ["STALKLOG_DB"])
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


@pytest.fixture
def filled(run, case):
    """The case fixture plus one incident (id 1) and a second, closed case."""
    run("add", "Followed from the station (fictional)", "--case", case, "--when", "yesterday 6pm", "-b", "following")
    run("case", "new", "C-2")
    run("case", "close", "C-2")
    return case


ADD = ["add", "x (fictional)", "--case", "C-1"]

BAD_INPUT = [
    # (args, words the message must contain)
    ([*ADD, "--when", "31/02/2024"], ["--when", "31/02/2024", "29 days"]),
    ([*ADD, "--when", "2030-01-01"], ["--when", "future"]),
    ([*ADD, "--when", "the other day"], ["--when", "is not a date"]),
    ([*ADD, "--when", "yesterday", "--until", "the day before"], ["--when"]),
    (["add", "x", "--case", "NOPE", "--when", "yesterday"], ['No case "NOPE"', "C-1"]),
    (["add", "x", "--case", "C-2", "--when", "yesterday"], ['Case "C-2" is closed', "case reopen C-2"]),
    (
        [*ADD, "--when", "yesterday", "-b", "following,stalking"],
        ["--behaviour", '"stalking"', "behaviour word", "stalklog words"],
    ),
    ([*ADD, "--when", "yesterday", "-e", "scared"], ["--effect", '"scared"']),
    ([*ADD, "--when", "yesterday", "-i", "relocated"], ["--impact", '"relocated"']),
    ([*ADD, "--when", "yesterday", "--channel", "pigeon"], ["channel", '"pigeon"']),
    ([*ADD, "--when", "yesterday", "--attribution", "guess"], ["attribution", '"guess"']),
    ([*ADD, "--when", "yesterday", "--by", "Z"], ["by[0]", '"Z"', "not a person"]),
    ([*ADD, "--when", "yesterday", "--towards", "Z"], ["towards[0]", '"Z"']),
    ([*ADD, "--when", "yesterday", "--affected", "Z"], ["affected[0]", '"Z"']),
    ([*ADD, "--when", "yesterday", "--procured-by", "Z"], ["procured_by", '"Z"']),
    ([*ADD, "--when", "yesterday", "--link", "99"], ["No incident 99"]),
    ([*ADD, "--when", "yesterday", "--link", "I9"], ["No incident I9"]),
    ([*ADD, "--when", "yesterday", "--same-occasion-as", "42"], ["No incident 42"]),
    (["case", "new", "C-1"], ['"C-1" already exists']),
    (["case", "new", "C-3", "--context", "feud"], ["context", '"feud"']),
    (["case", "new", "C-3", "--opened", "31/02/2024"], ["--opened", "31/02/2024"]),
    (["case", "new", "  "], ["case ref"]),
    (["case", "show", "NOPE"], ['No case "NOPE"']),
    (["case", "close", "NOPE"], ['No case "NOPE"']),
    (["case", "close", "C-2"], ["already closed"]),
    (["case", "reopen", "C-1"], ["already open"]),
    (["person", "add", "--case", "NOPE", "--role", "victim"], ['No case "NOPE"']),
    (["person", "add", "--case", "C-1", "--role", "boss"], ["role", '"boss"']),
    (["person", "add", "--case", "C-1", "--role", "subject", "--relationship", "ex"], ["relationship", '"ex"']),
    (["person", "add", "--case", "C-1", "--role", "subject", "--key", "P"], ['"P"', "--key"]),
    (
        ["person", "add", "--case", "C-1", "--role", "subject", "--lived-together-until", "soonish"],
        ["--lived-together-until", "soonish"],
    ),
    (["person", "list", "--case", "NOPE"], ['No case "NOPE"']),
    (["impact", "add", "--case", "C-1", "sad"], ["impact kind", '"sad"']),
    (["impact", "add", "--case", "C-1", "moved_home", "--date", "31/02/2025"], ["--date", "31/02/2025"]),
    (["impact", "add", "--case", "NOPE", "moved_home"], ['No case "NOPE"']),
    (["list", "--from", "31/02/2025"], ["--from", "31/02/2025"]),
    (["list", "--to", "never"], ["--to", "never"]),
    (["list", "--case", "NOPE"], ['No case "NOPE"']),
    (["list", "--behaviour", "stalking"], ["--behaviour", '"stalking"']),
    (["show", "99"], ["No incident 99"]),
    (["show", "I1"], ['"I1" is not an incident id', "--case"]),
    (["show", "I7", "--case", "C-1"], ["No incident I7"]),
    (["search", "   "], ["search", "give some words"]),
    (["search", '"'], ["search", "give some words"]),
    (["search", "x", "--case", "NOPE"], ['No case "NOPE"']),
    (["timeline", "--case", "NOPE"], ['No case "NOPE"']),
    (["amend", "99", "--set", "location=x", "--reason", "r"], ["No incident 99"]),
    (["amend", "1", "--set", "when=31/02/2024", "--reason", "r"], ["--set when", "31/02/2024"]),
    (["amend", "1", "--set", "when=2030-01-01", "--reason", "r"], ["--set when", "future"]),
    (["amend", "1", "--set", "behaviours=stalking", "--reason", "r"], ["behaviours[0]", '"stalking"']),
    (["amend", "1", "--set", "height=2m", "--reason", "r"], ["--set", '"height"']),
    (["amend", "1", "--set", "location=x", "--reason", ""], ["--reason"]),
    (["withdraw", "99", "--reason", "r"], ["No incident 99"]),
    (["withdraw", "1", "--reason", " "], ["--reason"]),
    (["export", "--case", "NOPE"], ['No case "NOPE"']),
    (["import", "missing.json"], ["missing.json", "no such file"]),
]


@pytest.mark.parametrize(("args", "needles"), BAD_INPUT, ids=[" ".join(a)[:60] for a, _ in BAD_INPUT])
def test_bad_input_is_a_clear_error_and_writes_nothing(run, filled, args, needles):
    before = fingerprint()
    result = run(*args, code=1)
    assert result.stdout == ""
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    assert fingerprint() == before


@pytest.mark.parametrize(
    "args", [[*a, "--json"] for a, _ in BAD_INPUT if a[0] in ("list", "show", "search", "timeline", "case")][:8]
)
def test_errors_with_json_print_nothing_on_stdout(run, filled, args):
    result = run(*args, code=1)
    assert result.stdout == "" and result.stderr.startswith("Error: ")


BAD_ARGUMENTS = [
    ["frobnicate"],
    ["add", "x", "--case", "C-1"],  # no --when
    ["add", "x", "--case", "C-1", "--when", "yesterday", "--colour", "red"],
    ["case", "new"],
    ["case", "list", "--status", "pending"],
    ["person", "add", "--case", "C-1"],  # no --role
    ["impact", "add", "--case", "C-1"],  # no kind
    ["list", "--from"],
    ["show"],
    ["amend", "1", "--reason", "r"],  # no --set
    ["amend", "1", "--set", "location=x"],  # no --reason
    ["withdraw", "1"],
    ["timeline", "--case"],  # no value (without --case, the only open case is used)
    ["export", "--case", "C-1", "--format", "xml"],
    ["export"],
    ["import"],
    ["config", "set", "colour", "blue"],
    ["config", "set", "us_dates", "maybe"],
    ["--db"],
    ["case", "new", "C-3", "--jurisdiction", "mars"],  # a choice: listed in the usage error
    ["check", "--jurisdiction", "wales"],
    ["cases", "-j", "wales"],
]


@pytest.mark.parametrize("args", BAD_ARGUMENTS, ids=[" ".join(a) for a in BAD_ARGUMENTS])
def test_bad_arguments_exit_2(run, filled, args):
    before = fingerprint()
    result = run(*args, code=2)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "Usage:" in result.stderr or "Error" in result.stderr
    assert fingerprint() == before


def test_an_unexpected_error_is_one_message_no_traceback(run, filled, monkeypatch):
    from stalklog import records

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail from the data")

    monkeypatch.setattr(records, "list_incidents", boom)
    result = run("list", code=1)
    assert "unexpected problem (RuntimeError)" in result.stderr
    assert "secret detail" not in result.stderr  # details may hold personal data: only with STALKLOG_DEBUG
    assert "Traceback" not in result.stderr and result.stdout == ""
    result = run("list", code=1, env={"STALKLOG_DEBUG": "1"})
    assert "secret detail" in result.stderr


def test_a_failing_write_leaves_nothing_half_done(run, filled, monkeypatch):
    """The ledger append fails after the incident row is inserted: the whole command is rolled back."""
    from stalklog.store import ledger

    def fail(self):
        raise sqlite3.OperationalError("disk is full")

    before = fingerprint()
    with monkeypatch.context() as patch:
        patch.setattr(ledger.Appender, "flush", fail)
        result = run("add", "x (fictional)", "--case", "C-1", "--when", "yesterday", code=1)
    assert "full" in result.stderr and "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint() == before
    assert [i["id"] for i in run.json("list")] == [1]


def test_a_read_only_case_file_is_a_clear_error(run, filled):
    if os.geteuid() == 0:
        pytest.skip("root can write to read-only files")
    path = Path(os.environ["STALKLOG_DB"])
    path.chmod(0o400)
    try:
        result = run("add", "x (fictional)", "--case", "C-1", "--when", "yesterday", code=1)
        assert "read-only" in result.stderr or "cannot be written" in result.stderr
    finally:
        path.chmod(0o600)
