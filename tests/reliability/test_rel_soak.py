"""The soak: the concurrency and crash scenarios again and again, with fresh random kill
points, for as long as asked (run by hand; CI skips it):

    python -m pytest tests/reliability -m soak --soak-minutes 10 -s

Each round: several writers and two imports at once into one file, then a big import killed
at a random moment; after each, the file must be sound, verify, and hold every committed
record. A failure prints the round and seed to reproduce it (STALKLOG_REL_SEED).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time

import pytest
from rel_support import (
    HERE,
    assert_file_sound,
    build_base,
    case_incidents,
    env_for,
    make_bundle,
    popen,
    write_bundle,
)
from test_rel_crash import kill_when

pytestmark = pytest.mark.soak


def test_soak(tmp_path, soak_budget):
    seed = random.SystemRandom().randrange(1_000_000)
    rng = random.Random(seed)
    base = build_base(tmp_path / "base.db", incidents=50)
    big_n = 20_000
    big = write_bundle(tmp_path / "big.json", make_bundle("BIG", big_n))
    small = [write_bundle(tmp_path / f"s{i}.json", make_bundle(f"S-{i}", 500, seed=i)) for i in range(2)]
    deadline = time.monotonic() + soak_budget
    rounds = kills = 0
    while time.monotonic() < deadline:
        rounds += 1
        where = f"seed {seed}, round {rounds}"
        # Concurrent writers.
        db = tmp_path / f"round{rounds}.db"
        shutil.copyfile(base, db)
        workers, adds = rng.randint(3, 6), rng.randint(5, 25)
        procs = [
            subprocess.Popen(
                [sys.executable, str(HERE / "rel_worker.py"), "add", f"w{w}", str(adds)],
                env=env_for(db),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for w in range(workers)
        ]
        procs += [popen(db, "import", s) for s in small]
        for p in procs:
            out, err = p.communicate(timeout=600)
            assert p.returncode == 0, f"{where}: {out}{err}"
        assert_file_sound(db)
        assert case_incidents(db, "C-1") == 50 + workers * adds, where
        # A big import killed at a random point.
        how = rng.choice(["delay", "wal"])
        at = rng.uniform(0.2, 30.0) if how == "delay" else rng.randrange(10_000, 30_000_000)
        proc = popen(db, "import", big)
        outcome = kill_when(
            proc, db, delay=at if how == "delay" else None, wal_bytes=at if how == "wal" else None, limit=600
        )
        kills += outcome == "killed"
        assert_file_sound(db)
        assert case_incidents(db, "BIG") in (None, big_n), f"{where}: {how}={at} → {outcome}"
        db.unlink()
        for suffix in ("-wal", "-shm"):
            (tmp_path / f"round{rounds}.db{suffix}").unlink(missing_ok=True)
    print(f"soak: {rounds} rounds, {kills} imports killed mid-way, seed {seed}")
    assert rounds >= 1
