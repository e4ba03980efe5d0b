"""The package says what it is: the licence pyproject declares is the LICENSE file's, and the
changelog is in Keep a Changelog form with a section for the package's version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
VERSION_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$")


def test_the_licence_file_is_the_declared_licence():
    assert PROJECT["license"] == "MIT"
    assert "LICENSE" in PROJECT["license-files"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The stalklog engineers" in text
    assert PROJECT["authors"] == [{"name": "The stalklog engineers"}]


def test_no_licence_classifier_beside_the_licence_expression():
    """PEP 639: with ``license = "MIT"`` a licence classifier is refused by setuptools >= 77."""
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]


def test_the_changelog_is_in_keep_a_changelog_form():
    headings = [line for line in CHANGELOG.splitlines() if line.startswith("## ")]
    assert headings[0] == "## [Unreleased]"
    assert "https://keepachangelog.com/" in CHANGELOG and "https://semver.org/" in CHANGELOG
    released = [VERSION_HEADING.match(h) for h in headings[1:]]
    assert all(released), [h for h, m in zip(headings[1:], released, strict=True) if not m]
    versions = [tuple(map(int, m.group(1).split("."))) for m in released]
    dates = [m.group(2) for m in released]
    assert versions == sorted(versions, reverse=True) and dates == sorted(dates, reverse=True)  # newest first


def test_the_packages_version_has_its_changelog_section():
    assert any(line.startswith(f"## [{PROJECT['version']}] - ") for line in CHANGELOG.splitlines())


def test_ci_lints_and_checks_the_format_before_the_readmes_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    steps = [
        "python -m pip install -q -e '.[test]'",
        "ruff check stalklog tests bench",
        "ruff format --check stalklog tests bench",
        "python -m pytest -q",
    ]
    assert [lines.index(step) for step in steps] == sorted(lines.index(step) for step in steps)
    assert "python -m pytest -q" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert any(dep.startswith("ruff") for dep in PROJECT["optional-dependencies"]["test"])
