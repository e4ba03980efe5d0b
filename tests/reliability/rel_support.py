"""Shared helpers for the reliability suite: run the real CLI in a subprocess, build big
fictional bundles, and check a case file the way a person would after an accident."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COVERED = ("cases", "people", "incidents", "case_impacts", "amendments", "exhibits", "exhibit_events", "screenings")


def env_for(db: Path, **extra: str) -> dict:
    """The environment for a CLI subprocess: the test's settings, this case file."""
    env = dict(os.environ)
    env["STALKLOG_DB"] = str(db)
    env.pop("STALKLOG_DEBUG", None)
    # this checkout's stalklog, not an installed copy (a worker script's own folder is first on its path)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra)
    return env


def cli(
    db: Path, *args, timeout: float = 120, input: str | None = None, **extra_env: str
) -> subprocess.CompletedProcess:
    """``python -m stalklog ARGS`` against ``db``; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, "-m", "stalklog", *map(str, args)],
        env=env_for(db, **extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input if input is not None else "",
        check=False,
    )


def popen(db: Path, *args, **extra_env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "stalklog", *map(str, args)],
        env=env_for(db, **extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def assert_clean_failure(proc, *, code: int = 1) -> None:
    """A failure a person can act on: one ``Error:`` line, the expected status, no traceback."""
    err = proc.stderr
    assert proc.returncode == code, f"exit {proc.returncode} != {code}\nstdout:\n{proc.stdout}\nstderr:\n{err}"
    assert "Error:" in err, err
    assert "Traceback" not in err and "Traceback" not in proc.stdout, err
    assert "unexpected problem" not in err, err


def init_case(db: Path, ref: str = "C-1") -> None:
    """A case file with one case, a victim V and a subject P (all fictional)."""
    for args in (
        ("init",),
        ("case", "new", ref, "--title", "Reliability test (fictional)"),
        ("person", "add", "--case", ref, "--role", "victim", "--name", "Alex Doe"),
        ("person", "add", "--case", ref, "--role", "subject", "--name", "Sam Roe", "--relationship", "ex-partner"),
    ):
        proc = cli(db, *args)
        assert proc.returncode == 0, proc.stderr


def make_bundle(ref: str, n: int, *, seed: int = 0) -> dict:
    """A valid fictional case bundle with ``n`` incidents (dates spread over the past years)."""
    import datetime as dt

    start = dt.date(2020, 1, 1)
    behaviours = ["contacting", "following", "loitering", "watching_or_spying", "threats"]
    incidents = []
    for i in range(n):
        day = start + dt.timedelta(days=(i * 7 + seed) % 1800)
        incidents.append(
            {
                "key": f"I{i + 1}",
                "occurred": f"{day.isoformat()}T{(i % 24):02d}:{(i * 7) % 60:02d}",
                "precision": "exact",
                "by": ["P"],
                "towards": ["V"],
                "behaviours": [behaviours[i % len(behaviours)]],
                "summary": f"Fictional incident {i + 1} of case {ref}.",
                "effects": ["alarm"] if i % 3 == 0 else [],
            }
        )
    return {
        "format": "stalklog.case",
        "version": 1,
        "case": {
            "ref": ref,
            "title": f"Bulk fictional case {ref}",
            "jurisdiction": "england-wales",
            "opened": "2020-01-01",
            "context": [],
            "notes": None,
        },
        "people": [
            {"key": "V", "role": "victim", "name": "Alex Doe (fictional)"},
            {"key": "P", "role": "subject", "name": "Sam Roe (fictional)", "relationship": "ex-partner"},
        ],
        "incidents": incidents,
        "impacts": [{"kind": "changed_routine", "date": "2020-02", "detail": "fictional"}],
    }


def write_bundle(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def integrity_ok(db: Path) -> str:
    """SQLite's own ``PRAGMA integrity_check`` on a raw connection ("ok" when sound)."""
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def counts(db: Path) -> dict:
    """Rows in every covered table, plus the ledger head, read through stalklog."""
    from stalklog.store import ledger
    from stalklog.store.database import open_db

    d = open_db(db)
    try:
        out = {t: d.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in COVERED}
        out["ledger"] = d.execute("SELECT count(*) FROM ledger").fetchone()[0]
        out["head"] = (ledger.head(d) or {}).get("hash")
        return out
    finally:
        d.close()


def case_incidents(db: Path, ref: str) -> int | None:
    """How many incidents case ``ref`` has, or None when the case is absent."""
    conn = sqlite3.connect(str(db))
    try:
        row = conn.execute("SELECT id FROM cases WHERE ref = ?", [ref]).fetchone()
        if row is None:
            return None
        return conn.execute("SELECT count(*) FROM incidents WHERE case_id = ?", [row[0]]).fetchone()[0]
    finally:
        conn.close()


def cli_has(command: str) -> bool:
    """Whether the CLI has this top-level command (some land from other work in progress)."""
    from stalklog.cli.app import COMMANDS

    return command in COMMANDS


def assert_file_sound(db: Path) -> dict:
    """After any accident: the file opens, SQLite finds it sound, the ledger verifies
    (through ``stalklog verify`` when that command exists). Returns ``counts``."""
    assert integrity_ok(db) == "ok"
    from stalklog.store import ledger
    from stalklog.store.database import open_db

    d = open_db(db)
    try:
        report = ledger.verify(d)
        assert report.ok, [p.text for p in report.problems]
    finally:
        d.close()
    if cli_has("verify"):
        proc = cli(db, "verify")
        assert proc.returncode == 0, proc.stderr
    return counts(db)


def build_base(db: Path, ref: str = "C-1", incidents: int = 3) -> Path:
    """Like ``init_case`` plus a few incidents, made in-process through the core (fast)."""
    from stalklog import records
    from stalklog.store.database import open_db, transaction

    d = open_db(db, create=True)
    try:
        with transaction(d):
            records.create_case(d, ref, title="Reliability test (fictional)")
            records.add_person(d, ref, role="victim", name="Alex Doe")
            records.add_person(d, ref, role="subject", name="Sam Roe", relationship="ex-partner")
        with transaction(d):  # one transaction: fsync once, not per incident
            for n in range(incidents):
                records.add_incident(
                    d,
                    ref,
                    {
                        "occurred": f"2025-01-{n % 28 + 1:02d}",
                        "precision": "day",
                        "summary": f"Base incident {n}",
                        "by": ["P"],
                        "towards": ["V"],
                    },
                )
    finally:
        d.close()
    return db


def separate_copy(db: Path) -> Path:
    """Make a copied case file a case file of its own: a new anchor id, so that writing to
    it and to the original (as these tests do with copies of one base file) does not look
    like one file's history being rolled back (docs/integrity.md, "Copies")."""
    conn = sqlite3.connect(str(db))
    conn.execute("UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = 'anchor_id'")
    conn.commit()
    conn.close()
    return db
