"""The shared options (stalklog/cli/options.py): one definition each, choices as usage
errors, arguments checked before a passphrase is asked for, and shell completion."""

from __future__ import annotations

import pytest
from case_files import FAST_KEY
from typer.testing import CliRunner

from stalklog.cli.app import all_commands, app
from stalklog.store.maintenance import create_encrypted


def _options(cmd, name: str):
    return [p for p in cmd.params if name in getattr(p, "opts", [])]


def test_each_shared_option_has_one_help_text_everywhere():
    helps: dict[str, set[str]] = {"--case": set(), "--as-of": set(), "--jurisdiction": set(), "--json": set()}

    def walk(cmd):
        subs = getattr(cmd, "commands", None)
        if subs:
            for sub in subs.values():
                walk(sub)
            return
        for name in helps:
            for p in _options(cmd, name):
                helps[name].add(p.help)

    for cmd in all_commands().values():
        walk(cmd)
    for name, texts in helps.items():
        assert len(texts) == 1, f"{name} has {len(texts)} help texts: {sorted(texts)}"


@pytest.mark.parametrize("args", [["check", "-j", "wales"], ["cases", "--jurisdiction", "mars"], ["law", "wales"]])
def test_a_jurisdiction_not_among_the_choices_is_a_usage_error_listing_them(run, args):
    result = run(*args, code=2)
    assert "england-wales" in result.stderr and "northern-ireland" in result.stderr


@pytest.fixture
def locked(isolated, monkeypatch):
    """An encrypted case file, a person at a terminal, and a prompt that must not be shown."""
    db = create_encrypted(isolated / "stalklog.db", FAST_KEY)
    db.close()
    monkeypatch.setattr("stalklog.cli.console.stdin_is_tty", lambda: True)

    def never(prompt=""):
        raise AssertionError(f"asked for a passphrase: {prompt}")

    monkeypatch.setattr("getpass.getpass", never)


@pytest.mark.parametrize(
    "args, field",
    [
        (["add", "He was at the gate", "--when", "31/02/2024", "--case", "C-1"], "--when"),
        (["list", "--from", "yesterday-ish"], "--from"),
        (["check", "--case", "C-1", "--as-of", "31/02/2024"], "--as-of"),
        (["cases", "--as-of", "not a date"], "--as-of"),
        (["case", "new", "C-2", "--opened", "31/02/2024"], "--opened"),
        (["person", "add", "--case", "C-1", "--role", "subject", "--lived-together-until", "32/01/2020"], "--lived"),
        (["screening", "record", "--case", "C-1", "--date", "31/02/2024"], "--date"),
    ],
)
def test_a_mistyped_argument_is_refused_before_any_passphrase_is_asked_for(run, locked, args, field):
    result = run(*args, code=1)
    assert field in result.stderr
    assert "asked for a passphrase" not in result.stderr


def _complete(words: str, env: dict | None = None) -> list[str]:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    result = CliRunner().invoke(
        app,
        [],
        prog_name="stalklog",
        env={"_STALKLOG_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword), **(env or {})},
    )
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if line]


def test_completion_of_commands_and_options(run):
    assert _complete("stalklog ch") == ["check"]
    assert _complete("stalklog case sh") == ["show"]
    assert set(_complete("stalklog check --j")) == {"--jurisdiction", "--json"}


def test_completion_of_case_references_and_person_keys(run):
    run("init")
    for ref in ("C-2025-001", "C-2025-002", "D-1"):
        run("case", "new", ref)
    run("person", "add", "--case", "C-2025-001", "--role", "subject", "--name", "Sam Roe")
    assert _complete("stalklog check --case C-2025") == ["C-2025-001", "C-2025-002"]
    assert _complete("stalklog case show D") == ["D-1"]
    assert _complete("stalklog add --case C-2025-001 --by P") == ["P"]


def test_completion_of_an_encrypted_file_never_asks_and_never_fails(run, isolated, monkeypatch):
    create_encrypted(isolated / "stalklog.db", FAST_KEY).close()

    def never(prompt=""):
        raise AssertionError("a completion asked for a passphrase")

    monkeypatch.setattr("getpass.getpass", never)
    assert _complete("stalklog check --case C") == []
    run("case", "new", "C-9", env={"STALKLOG_PASSPHRASE": FAST_KEY})
    assert _complete("stalklog check --case C", env={"STALKLOG_PASSPHRASE": FAST_KEY}) == ["C-9"]


def test_show_completion_prints_a_script_for_the_shell(monkeypatch):
    # Typer's switch for naming the shell instead of detecting it from the parent process
    # (which may be sh, or a test runner): --show-completion then takes the shell's name.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", "bash"], prog_name="stalklog")
    assert result.exit_code == 0 and "_STALKLOG_COMPLETE=complete_bash" in result.output
