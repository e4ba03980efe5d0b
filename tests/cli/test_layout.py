"""Issue 19: every screen reads at 60, 80 and 120 columns and to a pipe, with no word broken.

A word is broken when a narrow rendering holds a fragment ("Harassm", "Magistrat") that the
same screen drawn 400 columns wide does not: every word of the narrow view must be a word of
the wide one (the few words only blocks use are listed).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from stalklog.cli import render
from stalklog.cli.layout import wrap_message

WORD = re.compile(r"[A-Za-z]{3,}")
BLOCK_WORDS = {"Occasion", "gap"}


def words(text: str) -> set[str]:
    return set(WORD.findall(text))


def assert_reads(narrow: str, wide: str, width: int) -> None:
    broken = words(narrow) - words(wide) - BLOCK_WORDS
    assert not broken, f"broken or cut words at {width} columns: {sorted(broken)}"
    too_long = [line for line in narrow.splitlines() if len(line.rstrip()) > width]
    assert not too_long, too_long
    assert "…" not in narrow  # nothing cut short with an ellipsis


@pytest.fixture
def demo(run, isolated):
    run("demo")
    return str(isolated / "data" / "stalklog" / "demo.db")


SCREENS = (
    ("check",),
    ("check", "--sources"),
    ("check", "--all"),
    ("cases",),
    ("cases", "--status", "all"),
    ("pattern", "--case", "DEMO-001"),
    ("list",),
    ("show", "3"),
    ("timeline", "--case", "DEMO-001"),
    ("case", "show", "DEMO-001"),
    ("law",),
)


@pytest.mark.parametrize("screen", SCREENS, ids=[" ".join(s) for s in SCREENS])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_no_word_is_broken_at_any_width(run, demo, screen, width, monkeypatch):
    monkeypatch.setattr(render, "is_terminal", lambda stream=None: True)  # as a person sees it
    wide = run("--db", demo, *screen, env={"COLUMNS": "400"}).stdout
    narrow = run("--db", demo, *screen, env={"COLUMNS": str(width)}).stdout
    assert narrow.strip()
    assert_reads(narrow, wide, width)


def test_check_at_80_columns_stacks_offences_and_names_people(run, demo):
    out = run("--db", demo, "check", env={"COLUMNS": "80"}).stdout
    assert "Sam Roe (fictional) → Alex Doe (fictional)" in out
    assert "Harassment (PHA 1997 s.2) — could support" in out
    assert "  Time limit:" in out and "Magistrates' Courts Act" not in out  # sources: --sources
    assert "┃ Offence" not in out
    with_sources = run("--db", demo, "check", "--sources", env={"COLUMNS": "80"}).stdout
    assert "Magistrates' Courts Act 1980 s.127" in with_sources
    wide = run("--db", demo, "check", env={"COLUMNS": "140"}).stdout
    assert "┃ Offence" in wide  # a wide screen keeps the table


def test_check_all_names_people_and_offences(run, demo):
    out = run("--db", demo, "check", "--all", env={"COLUMNS": "80"}).stdout
    assert "Sam Roe (fictional) → Alex Doe (fictional)" in out
    assert "P → V" not in out and "one person" not in out
    assert "Strongest offence:" in out and "(PHA 1997 s.4)" in out


def test_output_to_a_pipe_reads_at_80_columns_without_colour(demo):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-m", "stalklog", "--db", demo, "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert "\x1b[" not in done.stdout
    assert all(len(line.rstrip()) <= 80 for line in done.stdout.splitlines())
    assert "Harassment (PHA 1997 s.2) — could support" in done.stdout


def test_messages_wrap_at_spaces_and_keep_paths_whole():
    path = "/home/someone/.local/share/stalklog/a-rather-long-folder-name/stalklog.db"
    text = wrap_message(f"Error: the case file {path} is encrypted and needs its passphrase to open.", width=40)
    lines = text.splitlines()
    assert path in lines  # whole, on a line of its own
    assert all(len(line) <= 40 for line in lines if path not in line)
    assert " ".join(text.split()) == f"Error: the case file {path} is encrypted and needs its passphrase to open."


def test_error_messages_wrap_at_word_boundaries(run, monkeypatch):
    from stalklog.cli import console

    run("init")
    piped = run("check", "--case", "NO-SUCH-CASE-WITH-A-LONG-NAME", env={"COLUMNS": "40"}, code=1)
    assert len(piped.stderr.splitlines()) == 2  # to a pipe or a log: one line per message
    monkeypatch.setattr(console, "stderr_is_tty", lambda: True)
    result = run("check", "--case", "NO-SUCH-CASE-WITH-A-LONG-NAME", env={"COLUMNS": "40"}, code=1)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error:") and len(lines) > 2
    assert all(len(line) <= 40 for line in lines), lines
    flat = " ".join(result.stderr.split())
    assert 'No case "NO-SUCH-CASE-WITH-A-LONG-NAME"' in flat


def test_pattern_names_incidents_and_wraps_under_its_text(run, demo, monkeypatch):
    monkeypatch.setattr(render, "is_terminal", lambda stream=None: True)
    out = run("--db", demo, "pattern", "--case", "DEMO-001", env={"COLUMNS": "80"}).stdout
    indicators = out.split("\nIndicators for review\n", 1)[1]
    assert re.search(r"\(incident \d+\)", indicators)
    assert re.search(r"Incidents: incident \d+ \(\d+ [A-Z][a-z]{2}\)", indicators)
    assert not re.search(r"\bI\d+\b", indicators)  # no bare keys where a person reads
    lines = [line for line in indicators.splitlines() if line.strip()]
    assert all(line.startswith(("  •", "    ")) for line in lines), lines  # a wrapped line stays indented
