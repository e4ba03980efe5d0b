"""Case files written by every released schema open in this version with every record and
exhibit intact and ``verify`` passing (fixtures: tests/fixtures/schema-*.db)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from rel_support import assert_file_sound, cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)


def test_there_is_a_fixture_for_every_released_schema():
    from stalklog.store.migrations import migrations

    names = {m.name.split("_", 1)[0] for m in migrations._migrations}  # noqa: SLF001
    have = {p.stem.removeprefix("schema-") for p in FIXTURES.glob("schema-*.db")}
    assert have, "no schema fixtures"
    # The newest schema needs its fixture (make it with tests/fixtures/make_fixtures.py).
    assert max(names) in have, f"no fixture for {max(names)}: run tests/fixtures/make_fixtures.py"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.db")), ids=lambda p: p.stem)
def test_old_case_file_opens_with_everything_intact(fixture, tmp_path):
    db = tmp_path / fixture.name
    shutil.copyfile(fixture, db)
    counts = assert_file_sound(db)  # opens (migrating if needed), integrity_check, verify
    expected = make_fixtures.EXPECTED
    for table in ("cases", "people", "incidents", "amendments", "case_impacts", "exhibits"):
        assert counts[table] == expected[table], table

    cases = json.loads(cli(db, "case", "list", "--json").stdout)
    assert sorted(c["ref"] for c in cases) == ["FIX-1", "FIX-2"]
    listed = json.loads(cli(db, "list", "--withdrawn", "--json").stdout)
    assert len(listed) == expected["incidents"]
    assert sum(1 for i in listed if i["withdrawn"]) == expected["withdrawn"]
    shown = json.loads(cli(db, "show", "2", "--json").stdout)
    assert shown["location"] == "Station Road (fictional)"
    assert [h["field"] for h in shown["history"]] == ["location", "effects"]
    assert shown["effects"] == ["alarm", "distress"]
    markup = json.loads(cli(db, "show", "3", "--json").stdout)
    assert "[bold]with a note[/bold]" in markup["summary"] and markup["private_notes"] == "private: fictional"

    conn = sqlite3.connect(str(db))
    content, digest, size = conn.execute("SELECT content, sha256, size FROM exhibits").fetchone()
    conn.close()
    assert bytes(content) == make_fixtures.EXHIBIT_BYTES
    assert digest == hashlib.sha256(make_fixtures.EXHIBIT_BYTES).hexdigest() and size == len(content)

    # It can be written to as it is, and still verifies.
    added = cli(db, "add", "After the upgrade", "--case", "FIX-1", "--when", "yesterday")
    assert added.returncode == 0, added.stderr
    assert assert_file_sound(db)["incidents"] == expected["incidents"] + 1


def test_fixtures_are_never_rebuilt_in_place(tmp_path):
    target = tmp_path / "schema-test.db"
    target.write_bytes(b"")
    with pytest.raises(SystemExit):
        make_fixtures.build(target)
