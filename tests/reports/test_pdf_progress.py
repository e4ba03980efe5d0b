"""While a PDF is made, the core tells whatever shows progress (the CLI's bar on stderr,
stalklog/cli/progress.py) each step in words; the core itself draws nothing."""

from __future__ import annotations

import datetime as dt

from stalklog.reports.typeset import typeset


class Steps:
    def __init__(self):
        self.seen: list[str] = []
        self.open = False

    def __enter__(self):
        self.open = True
        return self

    def __exit__(self, *exc):
        self.open = False
        return False

    def step(self, text: str) -> None:
        assert self.open, "a step told outside the progress's lifetime"
        self.seen.append(text)


def _model(isolated):
    from test_reports_police import REF, police_bundle  # tests/reports is on the path (no packages)

    from stalklog.interchange import json_bundle
    from stalklog.reports.contents import build_report
    from stalklog.store.database import open_db, transaction

    db = open_db(isolated / "stalklog.db", create=True)
    with transaction(db):
        json_bundle.import_bundle(db, police_bundle())
    return build_report(db, REF, kind="evidence", as_of=dt.date(2025, 3, 12))


def test_typesetting_steps_reach_the_progress_in_words_and_it_closes(isolated):
    steps = Steps()
    pdf = typeset(_model(isolated), steps)
    assert pdf.startswith(b"%PDF")
    assert steps.seen == ["Arranging the report", "Typesetting the pages"]
    assert not steps.open


def test_without_a_progress_the_pdf_is_the_same_document(isolated):
    model = _model(isolated)
    assert typeset(model).startswith(b"%PDF")
