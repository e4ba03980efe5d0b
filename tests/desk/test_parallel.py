"""``check --all`` and ``cases`` in worker processes (stalklog.desk.parallel, issue 20): the
same bytes as one process, in the same order, for plain and encrypted files; an error in a
worker is the same one-line error; a worker that dies stops the command, never hangs it."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from stalklog import records
from stalklog.desk import parallel
from stalklog.store.database import open_db, transaction

BUNDLE_FULL = Path(__file__).parent.parent / "data" / "bundle_full.json"
AS_OF = ("--as-of", "12/03/2025")

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked copies (Linux)")


def _case(db, ref, days, jurisdiction="england-wales"):
    records.create_case(db, ref, title=f"Fictional {ref}", jurisdiction=jurisdiction)
    records.add_person(db, ref, role="victim", name=f"Victim {ref}")
    records.add_person(db, ref, role="subject", name=f"Subject {ref} ☃", relationship="ex-partner")
    for day in days:
        records.add_incident(
            db,
            ref,
            {
                "occurred": day,
                "precision": "day",
                "summary": f"Messages on {day} — “quoted” \u202e",
                "by": ["P"],
                "towards": ["V"],
                "behaviours": ["contacting"],
                "channel": "text_message",
                "effects": ["distress"],
            },
        )


def _fill(run, path, key=None):
    """Open cases with deadlines near and far, one passed, one empty, one in Scotland, the
    full bundle twice, and a closed case (all fictional), as of 12 March 2025."""
    run("import", str(BUNDLE_FULL))
    run("import", str(BUNDLE_FULL), "--as", "COPY-2")
    db = open_db(path, key)
    with transaction(db):
        _case(db, "LATER", ["2025-02-01", "2025-02-10"])
        _case(db, "SOON", ["2024-09-01", "2024-09-20"])
        _case(db, "PASSED", ["2024-01-01", "2024-01-05"])
        _case(db, "EMPTY", [])
        _case(db, "NORTH", ["2024-12-02", "2024-12-20", "2025-01-10"], jurisdiction="scotland")
        _case(db, "SHUT", ["2024-09-05", "2024-09-15"])
        records.close_case(db, "SHUT", "Moved away (fictional)")
        for n in range(12):  # enough cases for many batches
            _case(db, f"MORE-{n:02}", [f"2025-01-{d:02}" for d in range(1 + n % 3, 20, 4 + n % 5)])
    db.close()


@pytest.fixture
def plain(run, isolated):
    run("init")
    _fill(run, isolated / "stalklog.db")


@pytest.fixture
def encrypted(run, isolated, monkeypatch):
    from case_files import FAST_KEY

    from stalklog.store.maintenance import create_encrypted

    monkeypatch.setenv("STALKLOG_PASSPHRASE", FAST_KEY)
    create_encrypted(isolated / "stalklog.db", FAST_KEY).close()
    _fill(run, isolated / "stalklog.db", FAST_KEY)


COMMANDS = [
    ["check", "--all", "--json"],
    ["check", "--all"],
    ["check", "--all", "--json", "--jurisdiction", "scotland"],
    ["cases", "--json"],
    ["cases", "--json", "--status", "all"],
    ["cases"],
]


def _both_ways(run, monkeypatch, command):
    """The command's stdout in one process, and with two workers and a case a batch (so
    batches are waited on out of the order they finish in)."""
    from stalklog.cli.console import state

    monkeypatch.setenv("STALKLOG_WORKERS", "1")
    serial = run(*command, *AS_OF).stdout
    state.reset()
    monkeypatch.setenv("STALKLOG_WORKERS", "2")
    monkeypatch.setattr(parallel, "BATCH_INCIDENTS", 1)
    monkeypatch.setattr(parallel, "AHEAD", 2)
    started = []
    real = parallel.CaseWorkers.__enter__

    def enter(self):
        started.append(self.workers)
        return real(self)

    monkeypatch.setattr(parallel.CaseWorkers, "__enter__", enter)
    forked = run(*command, *AS_OF).stdout
    state.reset()
    assert started == [2], started  # it did run in two workers
    return serial, forked


@pytest.mark.parametrize("command", COMMANDS)
def test_workers_write_what_one_process_writes(run, plain, monkeypatch, command):
    serial, forked = _both_ways(run, monkeypatch, command)
    assert forked == serial
    if "--json" in command:
        assert len(json.loads(forked)) >= 7


@pytest.mark.parametrize("command", [COMMANDS[0], COMMANDS[1], COMMANDS[3]])
def test_workers_open_an_encrypted_file_themselves(run, encrypted, monkeypatch, command):
    serial, forked = _both_ways(run, monkeypatch, command)
    assert forked == serial and "SOON" in forked


def test_the_workers_table_is_caseload_rows_of_every_document(run, plain, monkeypatch):
    """merged_rows (each case's caseload_rows, merged) is caseload_rows of all the
    documents at once: the check's own order, ties by case and course."""
    import datetime as dt

    from stalklog.cli import check_view
    from stalklog.cli.check import check_one
    from stalklog.cli.console import state
    from stalklog.law import caseload_rows

    seen = []
    monkeypatch.setattr(check_view, "render_caseload", lambda rows, console, people=None: seen.append(rows))
    monkeypatch.setenv("STALKLOG_WORKERS", "2")
    run("check", "--all", *AS_OF)
    state.reset()
    db = open_db(os.environ["STALKLOG_DB"])
    try:
        docs = [check_one(db, c["ref"], dt.date(2025, 3, 12))[0] for c in records.list_cases(db, status="open")]
    finally:
        db.close()
    assert seen == [caseload_rows(docs)] and len(seen[0]) >= 18


def test_an_error_in_a_worker_is_the_same_one_line_error(run, plain, monkeypatch):
    from stalklog import law
    from stalklog.cli.console import state
    from stalklog.errors import InvalidValue

    real = law.check_case

    def check_case(bundle, *a, **k):
        if bundle["case"]["ref"] == "MORE-05":
            raise InvalidValue("incident 3: occurred is not a date (fictional damage).", hint="Fix it with: amend")
        return real(bundle, *a, **k)

    monkeypatch.setattr(law, "check_case", check_case)  # a forked worker has it too
    errors = []
    for workers in ("1", "2"):
        monkeypatch.setenv("STALKLOG_WORKERS", workers)
        for command in (["check", "--all", "--json"], ["cases"]):
            result = run(*command, *AS_OF, code=1)
            state.reset()
            errors.append(result.stderr)
    assert errors[0].startswith("Error: incident 3: occurred is not a date") and "Traceback" not in errors[0]
    assert errors[:2] == errors[2:]


def test_a_worker_that_dies_stops_the_command_with_an_error(run, plain, monkeypatch):
    from stalklog import law

    real = law.check_case

    def check_case(bundle, *a, **k):
        if bundle["case"]["ref"] == "MORE-03":
            os._exit(9)  # as if killed (out of memory)
        return real(bundle, *a, **k)

    monkeypatch.setattr(law, "check_case", check_case)
    monkeypatch.setenv("STALKLOG_WORKERS", "2")
    result = run("check", "--all", "--json", *AS_OF, code=1)
    assert "A worker process checking the cases stopped unexpectedly" in result.stderr
    assert "STALKLOG_WORKERS=1" in result.stderr


def test_a_small_caseload_stays_in_one_process_and_a_large_one_uses_every_cpu(monkeypatch):
    monkeypatch.delenv("STALKLOG_WORKERS", raising=False)
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)
    small = [{"ref": f"S{n}", "incidents": 20} for n in range(100)]  # 2,000 incidents
    large = [{"ref": f"L{n}", "incidents": 20} for n in range(500)]  # 10,000
    assert parallel.chosen_workers(small) == 1
    assert parallel.chosen_workers(large) == 2
    # an encrypted file: each worker derives the key again (0.2 s), so more cases first
    assert parallel.chosen_workers(large, encrypted=True) == 1
    assert parallel.chosen_workers(large * 3, encrypted=True) == 2
    monkeypatch.setenv("STALKLOG_WORKERS", "1")
    assert parallel.chosen_workers(large) == 1
    monkeypatch.setenv("STALKLOG_WORKERS", "3")
    assert parallel.chosen_workers(small[:2]) == 2  # never more workers than cases
    monkeypatch.setenv("STALKLOG_WORKERS", "none")
    from stalklog.errors import StalklogError

    with pytest.raises(StalklogError, match="STALKLOG_WORKERS"):
        parallel.chosen_workers(large)


def test_batches_keep_the_cases_in_order():
    cases = [{"ref": f"C{n}", "incidents": n % 7} for n in range(50)]
    out = list(parallel.batches(cases, size=10))
    assert [c for b in out for c in b] == cases
    assert all(sum(c["incidents"] or 1 for c in b[:-1]) < 10 for b in out)


def test_a_workers_key_never_travels(isolated):
    """The reader that workers open the file with holds an encrypted file's key in a
    closure: it cannot be pickled (so never sent to a process), only inherited by fork."""
    from case_files import FAST_KEY

    from stalklog.store.maintenance import create_encrypted

    create_encrypted(isolated / "stalklog.db", FAST_KEY).close()
    db = open_db(isolated / "stalklog.db", FAST_KEY)
    try:
        with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
            pickle.dumps(db.reader)
        other = db.reader()
        try:
            assert other.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
            with pytest.raises(Exception, match="readonly|read-only|query_only"):
                other.execute("INSERT INTO cases (ref) VALUES ('X')")
        finally:
            other.close()
    finally:
        db.close()


def test_a_long_caseload_from_cases_is_plain_lines_in_the_json_order(run, plain, monkeypatch):
    """More cases than render.PLAIN_ROWS are plain aligned text (rich laid out every row of a
    helpline's caseload first: most of the time of ``cases``), one line per case in the
    order of ``cases --json``, each with its why, and no markup."""
    from stalklog.cli import render
    from stalklog.cli.console import state

    order = [r["case"] for r in run.json("cases", *AS_OF)]
    state.reset()
    monkeypatch.setattr(render, "PLAIN_ROWS", 5)
    text = run("cases", *AS_OF).stdout
    lines = text.splitlines()
    assert lines[0] == "Caseload, most urgent first" and lines[1].split()[:2] == ["Case", "Why"]
    body = lines[3 : 3 + len(order)]
    assert [line.split()[0] for line in body] == order
    assert "time limit" in body[0] and "[" not in text
    assert lines[-1].startswith("Why: what placed each case") and "Not legal advice" in lines[-1]


def test_what_cases_reads_for_a_case_scans_no_table(run, plain):
    """Every query ``cases`` makes for one case (its bundle and its latest screening) uses an
    index: a full scan costs time in every case, so the caseload grew with its square
    (screenings had no index on case_id until migration m007)."""
    import datetime as dt

    from stalklog.cli.console import state
    from stalklog.desk.caseload import checked_row

    run("screening", "record", "--case", "SOON", "--answers", ",".join(["no"] * 11), "--by", "Advocate (fictional)")
    state.reset()
    db = open_db(os.environ["STALKLOG_DB"])
    try:
        case = next(c for c in records.list_cases(db, status="open") if c["ref"] == "SOON")
        seen: list[str] = []
        db.conn.set_trace_callback(seen.append)
        row = checked_row(db, case, dt.date(2025, 3, 12))
        db.conn.set_trace_callback(None)
        assert row["case"] == "SOON"
        selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        assert any("FROM screenings" in s for s in selects)
        for sql in selects:
            plan = db.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
            scans = [p[3] for p in plan if p[3].startswith("SCAN ") and "USING" not in p[3]]
            assert not scans, (sql, scans)
    finally:
        db.close()


def test_a_worker_that_cannot_open_the_file_is_a_one_line_error(run, plain, monkeypatch):
    from stalklog.errors import CaseFileError
    from stalklog.store.database import Database

    def reader(self):
        raise CaseFileError("The case file could not be opened again (fictional).", hint="Try again.")

    monkeypatch.setattr(Database, "reader", reader)
    monkeypatch.setenv("STALKLOG_WORKERS", "2")
    result = run("check", "--all", "--json", *AS_OF, code=1)
    assert result.stderr.startswith("Error: The case file could not be opened again (fictional).")
    assert "Traceback" not in result.stderr and "initializer" not in result.stderr
    assert result.stdout == ""
