"""Several processes writing one case file at once: every command succeeds, every record is
there afterwards, and the ledger is one unbroken chain (no fork from two writers reading the
same head)."""

from __future__ import annotations

import subprocess
import sys

from rel_support import (
    HERE,
    assert_file_sound,
    case_incidents,
    cli,
    env_for,
    init_case,
    make_bundle,
    popen,
    write_bundle,
)

WORKERS = 5
ADDS = 20
IMPORTS = 2
IMPORT_SIZE = 1500


def _worker(db, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HERE / "rel_worker.py"), *map(str, args)],
        env=env_for(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_adds_and_imports_all_land(tmp_path):
    db = tmp_path / "shared.db"
    init_case(db)
    bundles = [
        write_bundle(tmp_path / f"b{i}.json", make_bundle(f"BULK-{i}", IMPORT_SIZE, seed=i)) for i in range(IMPORTS)
    ]
    procs = [_worker(db, "add", f"writer{w}", ADDS) for w in range(WORKERS)]
    procs += [popen(db, "import", b) for b in bundles]
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, f"{p.args}: exit {p.returncode}\n{out}\n{err}"

    counts = assert_file_sound(db)
    assert case_incidents(db, "C-1") == WORKERS * ADDS
    for i in range(IMPORTS):
        assert case_incidents(db, f"BULK-{i}") == IMPORT_SIZE
    assert counts["cases"] == 1 + IMPORTS
    # One ledger entry per record written: nothing written twice, nothing unlogged.
    expected = (1 + 2 + WORKERS * ADDS) + IMPORTS * (1 + 2 + IMPORT_SIZE + 1)
    assert counts["ledger"] == expected

    # Every writer's every incident is there, by its summary.
    import sqlite3

    conn = sqlite3.connect(str(db))
    summaries = {s for (s,) in conn.execute("SELECT summary FROM incidents")}
    conn.close()
    for w in range(WORKERS):
        for n in range(ADDS):
            assert f"writer{w} {n}" in summaries
    # Keys stay unique within the case even though the writers raced for the next one.
    listed = cli(db, "list", "--case", "C-1", "--json")
    assert listed.returncode == 0
    import json

    keys = [i["key"] for i in json.loads(listed.stdout)]
    assert len(keys) == len(set(keys)) == WORKERS * ADDS


def test_concurrent_amendments_keep_every_old_value(tmp_path):
    db = tmp_path / "amend.db"
    init_case(db)
    assert cli(db, "add", "First", "--case", "C-1", "--when", "yesterday").returncode == 0
    procs = [_worker(db, "amend", "1", 10, f"w{w}") for w in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, out + err
    counts = assert_file_sound(db)
    assert counts["amendments"] == 30
    history = cli(db, "show", "1", "--json")
    import json

    hist = json.loads(history.stdout)["history"]
    # Each amendment's old value is the previous amendment's new value: no lost update.
    for before, after in zip(hist, hist[1:], strict=False):
        assert after["old"] == before["new"]


def test_two_first_opens_at_once(tmp_path):
    """Two people run ``init`` on the same new path at the same moment: one makes it,
    the other is told clearly, and the file is sound."""
    db = tmp_path / "new" / "race.db"
    procs = [popen(db, "init") for _ in range(3)]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert sum(1 for code, _ in results if code == 0) >= 1
    for code, err in results:
        assert "Traceback" not in err
        if code != 0:
            assert code == 1 and "Error:" in err, err
    assert_file_sound(db)


def test_busy_file_is_a_clear_error_after_a_bounded_wait(tmp_path, run, monkeypatch):
    """A write lock held by someone else for longer than the busy timeout gives a clear
    "busy" error, exit 1, and changes nothing (the wait is shortened here; it is 30 s)."""
    import sqlite3

    from stalklog.store import database as dbmod

    path = tmp_path / "busy.db"
    init_case(path)
    monkeypatch.setenv("STALKLOG_DB", str(path))
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_SECONDS", 0.3)
    holder = sqlite3.connect(str(path), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run("impact", "add", "--case", "C-1", "changed_routine", "--detail", "fictional", code=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "Error:" in result.stderr and "busy" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert assert_file_sound(path)["case_impacts"] == 0
