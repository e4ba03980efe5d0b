"""A process killed with SIGKILL in the middle of a command: the file still opens, SQLite
and ``verify`` find it sound, and the command left all of its changes or none.

Kill points are drawn at random (seeded, printed on failure) two ways: after a random delay,
and the moment the write-ahead log has grown past a random size (that is, certainly inside
the write). The soak (test_rel_soak.py) runs many more of these.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rel_support import (
    HERE,
    assert_file_sound,
    build_base,
    case_incidents,
    cli,
    cli_has,
    env_for,
    make_bundle,
    popen,
    separate_copy,
    write_bundle,
)

BIG = int(os.environ.get("STALKLOG_REL_BIG", "4000"))
SEED = int(os.environ.get("STALKLOG_REL_SEED", str(random.SystemRandom().randrange(1_000_000))))


def kill_when(
    proc: subprocess.Popen, db: Path, *, delay: float | None = None, wal_bytes: int | None = None, limit: float = 60.0
) -> str:
    """SIGKILL ``proc`` after ``delay`` seconds, or once ``db``-wal passes ``wal_bytes``.
    Returns how it ended ("killed" or "finished")."""
    wal = Path(f"{db}-wal")
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() - start < limit:
        if delay is not None and time.monotonic() - start >= delay:
            break
        if wal_bytes is not None and wal.exists() and wal.stat().st_size >= wal_bytes:
            break
        time.sleep(0.005)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        outcome = "killed"
    else:
        outcome = "finished"
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
    return outcome


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory):
    return write_bundle(tmp_path_factory.mktemp("crash") / "big.json", make_bundle("BIG", BIG))


@pytest.fixture
def base(tmp_path, big_bundle):
    """A case file with case C-1 and three incidents, and a big bundle to import into it."""
    return build_base(tmp_path / "base.db"), big_bundle


def _fresh(base_db: Path, tmp_path: Path, name: str) -> Path:
    db = tmp_path / name
    shutil.copyfile(base_db, db)
    return separate_copy(db)


def test_import_killed_at_random_points_is_all_or_nothing(base, tmp_path):
    base_db, big = base
    rng = random.Random(SEED)
    outcomes = []
    plans = [
        ("delay", rng.uniform(0.3, 2.5)),
        ("delay", rng.uniform(0.3, 2.5)),
        ("wal", rng.randrange(20_000, 800_000)),
        ("wal", rng.randrange(800_000, 2_000_000)),
    ]
    reimported = False
    for i, (how, at) in enumerate(plans):
        db = _fresh(base_db, tmp_path, f"import{i}.db")
        proc = popen(db, "import", big)
        outcome = kill_when(proc, db, delay=at if how == "delay" else None, wal_bytes=at if how == "wal" else None)
        outcomes.append((how, at, outcome))
        context = f"seed {SEED}, run {i}: {how}={at} → {outcome}"
        counts = assert_file_sound(db)
        assert case_incidents(db, "BIG") in (None, BIG), context
        assert case_incidents(db, "C-1") == 3, context
        if case_incidents(db, "BIG") is None:
            assert counts["cases"] == 1 and counts["incidents"] == 3, context
        if case_incidents(db, "BIG") is None and not reimported:
            reimported = True
            # Nothing half-done: importing again after the crash works and lands whole.
            again = cli(db, "import", big)
            assert again.returncode == 0, again.stderr
            assert case_incidents(db, "BIG") == BIG
            assert_file_sound(db)
    print("crash outcomes:", outcomes)


def _worker(db: Path, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HERE / "rel_worker.py"), *map(str, args)],
        env=env_for(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def test_amend_killed_at_random_points_keeps_history_consistent(base, tmp_path):
    base_db, _ = base
    rng = random.Random(SEED + 1)
    for i in range(3):
        db = _fresh(base_db, tmp_path, f"amend{i}.db")
        proc = _worker(db, "amend", "1", 200, f"k{i}")
        kill_when(proc, db, delay=rng.uniform(1.0, 3.0))
        assert_file_sound(db)
        conn = sqlite3.connect(str(db))
        amendments = conn.execute(
            "SELECT new_value, old_value FROM amendments WHERE incident_id = 1 ORDER BY id"
        ).fetchall()
        location = conn.execute("SELECT location FROM incidents WHERE id = 1").fetchone()[0]
        conn.close()
        context = f"seed {SEED + 1}, run {i}: {len(amendments)} amendments"
        if amendments:
            # The incident shows exactly the last amendment's value: never an update without
            # its amendment row, nor an amendment row without its update.
            assert json.loads(amendments[-1][0]) == location, context
            for (new_before, _), (_, old_after) in zip(amendments, amendments[1:], strict=False):
                assert json.loads(old_after) == json.loads(new_before), context
        else:
            assert location == "", context


@pytest.mark.skipif(not cli_has("exhibit"), reason="exhibit add is not in this version yet")
def test_exhibit_add_killed_at_random_points_is_all_or_nothing(base, tmp_path):
    base_db, _ = base
    rng = random.Random(SEED + 2)
    content = rng.randbytes(8 * 1024 * 1024)  # a big fictional "video"
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(content)
    for i in range(3):
        db = _fresh(base_db, tmp_path, f"exhibit{i}.db")
        proc = popen(db, "exhibit", "add", "1", clip, "--producer", "Alex Doe", "--description", "Fictional clip")
        how = "wal" if i % 2 else "delay"
        at = rng.randrange(100_000, 8_000_000) if how == "wal" else rng.uniform(0.3, 1.5)
        outcome = kill_when(proc, db, delay=at if how == "delay" else None, wal_bytes=at if how == "wal" else None)
        counts = assert_file_sound(db)
        context = f"seed {SEED + 2}, run {i}: {how}={at} → {outcome}"
        assert counts["exhibits"] in (0, 1), context
        assert counts["exhibit_events"] == counts["exhibits"] * counts["exhibit_events"], context
        if counts["exhibits"]:
            conn = sqlite3.connect(str(db))
            stored, size = conn.execute("SELECT content, size FROM exhibits").fetchone()
            conn.close()
            assert bytes(stored) == content and size == len(content), context
        else:
            assert counts["exhibit_events"] == 0, context
