"""Every test runs against throwaway case files: nothing touches the real user folders.

The tests mirror the packages (tests/store, tests/interchange, tests/desk, tests/law,
tests/reports, tests/cli for command-level tests, tests/reliability); the fixtures here are
shared by all of them, and helpers shared across folders (case_files.py) live beside this file.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:  # so every folder can import the shared helpers (case_files)
    sys.path.insert(0, HERE)
# Programs the tests start (python -m stalklog, workers) run this checkout's stalklog, not
# whichever copy happens to be installed.
CHECKOUT = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (CHECKOUT, os.environ.get("PYTHONPATH")) if p)

NOW = "2025-03-12T12:00:00"  # a Wednesday


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("STALKLOG_DB", str(tmp_path / "stalklog.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("STALKLOG_CONFIG", str(tmp_path / "config" / "stalklog" / "config.toml"))
    monkeypatch.setenv("STALKLOG_NOW", NOW)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("STALKLOG_PASSPHRASE", raising=False)
    monkeypatch.delenv("STALKLOG_DEBUG", raising=False)
    monkeypatch.delenv("STALKLOG_US_DATES", raising=False)
    return tmp_path


class Run:
    """Invoke the CLI and keep stdout and stderr apart."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args, input=None, env=None, code=0):
        from stalklog.cli.app import app

        result = self.runner.invoke(app, [str(a) for a in args], input=input, env=env, catch_exceptions=False)
        assert result.exit_code == code, (
            f"exit {result.exit_code} != {code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
        return result

    def json(self, *args, **kwargs):
        result = self(*args, "--json", **kwargs)
        return json.loads(result.stdout)


@pytest.fixture
def run():
    return Run()


@pytest.fixture
def case(run):
    """A case file with one case, one victim and one subject."""
    run("init")
    run("case", "new", "C-1", "--title", "Test case (fictional)")
    run("person", "add", "--case", "C-1", "--role", "victim", "--name", "Alex Doe")
    run("person", "add", "--case", "C-1", "--role", "subject", "--name", "Sam Roe", "--relationship", "ex-partner")
    return "C-1"
