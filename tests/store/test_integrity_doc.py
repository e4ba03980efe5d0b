"""docs/integrity.md describes the hash chain precisely enough to check a case file without
stalklog: its recipe is run here against intact and tampered files, and must agree with
``stalklog verify``."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrity.md"


def recipe() -> str:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- recipe[^>]*-->\s*```python\n(.*?)```", text, re.S)
    assert found, "docs/integrity.md has no recipe block"
    return found.group(1)


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "check_stalklog.py"
    path.write_text(recipe(), encoding="utf-8")
    return path


@pytest.fixture
def filled(run, case, tmp_path):
    run(
        "add",
        "He waited outside my work — “again”",
        "--case",
        case,
        "--when",
        "03/03/2025 17:10",
        "-b",
        "loitering",
        "--words",
        "Ça va? I'll be back",
    )
    run("add", "Twelve texts overnight", "--case", case, "--when", "05/03/2025 23:00", "-b", "contacting")
    run("amend", "2", "--set", "location=home", "--reason", "forgot the place")
    run("withdraw", "1", "--reason", "entered twice")
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"fictional clip bytes")
    run("add", "Left a note", "--case", case, "--when", "06/03/2025")
    run("exhibit", "add", "3", clip, "--producer", "Alex Doe", "--obtained", "06/03/2025 10:00")
    run("exhibit", "export", "AD/1", "-o", tmp_path / "copy.mp4", "--by", "PC Jo Bloggs")
    return tmp_path / "stalklog.db"


def check(script, db) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-I", str(script), str(db)], capture_output=True, text=True, timeout=60, check=False
    )
    return done.returncode, done.stdout


def test_recipe_uses_only_the_standard_library():
    imports = re.findall(r"^\s*(?:import|from)\s+([\w., ]+)", recipe(), re.M)
    modules = {m.strip().split(".")[0] for line in imports for m in line.split(",")}
    assert modules <= {"hashlib", "json", "sqlite3", "sys"}


def test_recipe_matches_the_code():
    """The tables and entry fields the doc names are the ones stalklog hashes."""
    from stalklog.store import ledger

    text = recipe()
    tables = re.search(r"TABLES = \[(.*?)\]", text, re.S).group(1)
    assert re.findall(r'"(\w+)"', tables) == list(ledger.ENTITIES)
    fields = re.search(r"FIELDS = \[(.*?)\]", text, re.S).group(1)
    entry = {k: k for k in re.findall(r'"(\w+)"', fields)}
    ledger.entry_hash(entry)  # raises KeyError if the doc misses a field
    assert set(entry) == set(ledger.LEDGER_COLUMNS) - {"entry_hash"}
    assert ledger.GENESIS == "0" * 64 and '"0" * 64' in text


def test_recipe_agrees_with_verify_on_an_intact_file(run, filled, script):
    code, out = check(script, filled)
    verify = run.json("verify")
    assert code == 0, out
    assert f"Ledger head: {verify['head']}" in out
    assert "Intact" in out


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE incidents SET summary = 'changed' WHERE id = 2",
        "UPDATE incidents SET occurred = '2025-03-04' WHERE id = 3",
        "UPDATE incidents SET withdrawn_utc = NULL, withdrawn_reason = NULL WHERE id = 1",
        "UPDATE exhibits SET content = X'00' WHERE id = 1",
        "UPDATE exhibits SET content = NULL WHERE id = 1",
        "UPDATE exhibit_events SET by = 'Someone else' WHERE id = 3",
        "UPDATE ledger SET action = 'deleted' WHERE seq = 6",
        "DELETE FROM ledger WHERE seq = 2",
        "DELETE FROM amendments WHERE id = 1",
        "INSERT INTO people (case_id, key, role, identifiers, created_utc) VALUES (1, 'W9', 'witness', '[]', 'x')",
    ],
)
def test_recipe_and_verify_both_catch_tampering(run, filled, script, tamper):
    conn = sqlite3.connect(filled)
    conn.execute(tamper)
    conn.commit()
    conn.close()
    code, out = check(script, filled)
    assert code == 3, out
    assert "NOT intact" in out
    run("verify", code=3)
