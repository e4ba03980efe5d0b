"""Issue 19: the screens as a person sees them, in a real pseudo-terminal (stdlib ``pty``):
80 columns, colour and all — no broken word, no line wider than the terminal, and a long
import shows its progress bar on stderr only."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def in_terminal(args: list[str], env: dict, columns: int = 80) -> str:
    """Run ``python -m stalklog ARGS`` with stdout and stderr on a pseudo-terminal of
    ``columns`` columns; the text it showed, colour codes removed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environment = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    environment.update(TERM="xterm-256color", PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "stalklog", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=environment,
        cwd=ROOT,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the program has ended
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    return ANSI.sub("", b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"))


@pytest.fixture
def demo(run, isolated):
    run("demo")
    return str(isolated / "data" / "stalklog" / "demo.db")


@pytest.mark.parametrize("screen", [["check"], ["cases"], ["list"], ["timeline", "--case", "DEMO-001"]])
def test_screens_read_at_80_columns_in_a_terminal(demo, screen):
    shown = in_terminal(["--db", demo, *screen], dict(os.environ))
    wide = in_terminal(["--db", demo, *screen], dict(os.environ), columns=300)
    assert shown.strip()
    lines = shown.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines), [line for line in lines if len(line.rstrip()) > 80]
    broken = set(re.findall(r"[A-Za-z]{3,}", shown)) - set(re.findall(r"[A-Za-z]{3,}", wide)) - {"Occasion", "gap"}
    assert not broken, sorted(broken)


def test_check_in_a_terminal_stacks_offences(demo):
    shown = in_terminal(["--db", demo, "check"], dict(os.environ))
    assert "Harassment (PHA 1997 s.2) — could support" in shown and "Time limit:" in shown


def test_an_error_in_a_terminal_wraps_at_spaces(run, isolated):
    run("init")
    shown = in_terminal(["check", "--case", "NO-SUCH-CASE-WITH-QUITE-A-LONG-REFERENCE"], dict(os.environ), columns=40)
    lines = [line for line in shown.splitlines() if line.strip()]
    assert lines[0].startswith("Error:") and all(len(line) <= 40 or len(line.split()) == 1 for line in lines), lines
    assert 'No case "NO-SUCH-CASE-WITH-QUITE-A-LONG-REFERENCE"' in " ".join(shown.split())


@pytest.mark.slow
def test_a_long_import_and_verify_show_a_bar_on_stderr_only(run, isolated, tmp_path):
    run("init")
    bundle = tmp_path / "big.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "bundle", "--incidents", "3000", "-o", str(bundle)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    env = dict(os.environ)
    shown = in_terminal(["import", str(bundle)], env)
    assert "Importing" in shown and "Imported case" in shown
    assert "Verifying" in in_terminal(["verify"], env)
    piped = subprocess.run(
        [sys.executable, "-m", "stalklog", "verify"], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    assert "Verifying" not in piped.stderr + piped.stdout
