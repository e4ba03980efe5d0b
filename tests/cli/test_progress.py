"""Issue 19: long work shows a progress bar on stderr at a terminal — never in data, never to
a pipe — and the core functions report their progress through a plain callback."""

from __future__ import annotations

import io
import json

from stalklog.cli import console as console_module
from stalklog.cli.progress import THRESHOLD, progress_bar


def test_no_bar_to_a_pipe_or_for_little_work(monkeypatch):
    with progress_bar("Checking", THRESHOLD * 10) as bar:
        assert bar is None  # stderr is not a terminal here
    monkeypatch.setattr(console_module, "stderr_is_tty", lambda: True)
    with progress_bar("Checking", THRESHOLD - 1) as bar:
        assert bar is None  # quick work: no flicker
    with progress_bar("Checking", THRESHOLD) as bar:
        assert callable(bar)
        bar(THRESHOLD)
    with progress_bar("Importing", None) as bar:  # a stream: counts without an end
        assert callable(bar)


def _bigger_case(run, case, n=7):
    for day in range(1, n + 1):
        run("add", f"Fictional entry {day}", "--case", case, "--when", f"{day:02d}/02/2025 10:00", "-b", "texts")


def test_export_import_and_verify_report_progress(run, case, tmp_path, isolated):
    from stalklog.interchange import json_bundle
    from stalklog.store import ledger
    from stalklog.store.database import open_db, transaction

    _bigger_case(run, case)
    db = open_db(isolated / "stalklog.db")
    told: list[int] = []
    text = io.StringIO()
    n = json_bundle.write_bundle(db, case, text, progress=told.append)
    assert n == 7 and sum(told) == 7
    data = json.loads(text.getvalue())
    told.clear()
    with transaction(db):
        json_bundle.import_bundle(db, data, as_ref="C-COPY", progress=told.append)
    assert sum(told) == 7
    told.clear()
    report = ledger.verify(db, progress=told.append)
    assert report.ok and sum(told) == report.records // 1000 * 1000
    assert ledger.record_count(db) == report.records
    db.close()


def test_the_commands_keep_their_data_clean(run, case, tmp_path):
    _bigger_case(run, case, 3)
    out = tmp_path / "b.json"
    result = run("export", "--case", case, "-o", out)
    assert "Exporting" not in result.stderr
    assert json.loads(run("check", "--all", "--json").stdout)[0]["case"] == case
    assert run("verify").stdout.count("\n") <= 3
