"""The docs stay true: every command is in the README's list and has help with an example."""

from __future__ import annotations

from pathlib import Path

import pytest

from stalklog.cli.app import all_commands

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands():
    for name, cmd in sorted(all_commands().items()):
        subs = getattr(cmd, "commands", None)
        if subs:
            for sub_name, sub in sorted(subs.items()):
                yield f"{name} {sub_name}", sub
        else:
            yield name, cmd


COMMANDS = list(_commands())


def test_there_are_commands_to_check():
    names = {n for n, _ in COMMANDS}
    assert {"add", "list", "check", "case new", "exhibit add", "report", "db backup"} <= names


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help(name, cmd):
    assert (cmd.help or "").strip(), f"stalklog {name} has no help text"


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_is_in_the_readme(name, cmd):
    assert f"`stalklog {name}" in README, f"stalklog {name} is not in README.md's command list"


def test_every_doc_the_readme_links_exists():
    import re

    for link in re.findall(r"\((docs/[^)]+\.md)\)", README):
        assert (ROOT / link).exists(), link


def test_the_readme_quick_start_is_two_commands():
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert len(lines) == 2
    assert "stalklog demo" in lines[0] and "pytest" in lines[1]


def test_every_package_is_in_the_architecture_page():
    """docs/architecture.md names every package of stalklog/ (a new one is explained there)."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(p.parent.name for p in (ROOT / "stalklog").glob("*/__init__.py"))
    assert {"cli", "store", "interchange", "desk", "law", "reports"} <= set(packages)
    missing = [name for name in packages if f"`stalklog/{name}/`" not in page]
    assert not missing, f"docs/architecture.md does not name: {', '.join(missing)}"
