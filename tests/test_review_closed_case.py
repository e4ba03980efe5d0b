"""A closed case can still be read and reported on (it was often closed because it was
handed over); only recording into it is refused."""

from __future__ import annotations


def _closed(run):
    run("add", "Fictional: waited at the gate", "--when", "01/03/2025 10:15", "--case", "C-1")
    run("case", "close", "C-1")


def test_report_of_a_named_closed_case(run, case):
    _closed(run)
    result = run("report", "--kind", "diary", "--case", "C-1")
    assert "C-1" in result.stdout and "Fictional: waited at the gate" in result.stdout


def test_report_without_a_case_names_the_closed_one(run, case):
    _closed(run)
    result = run("report", "--kind", "diary", code=1)
    assert "no open case to report on" in result.stderr and "--case C-1" in result.stderr


def test_recording_into_a_closed_case_is_still_refused(run, case):
    _closed(run)
    result = run("add", "Fictional: again", "--when", "02/03/2025", "--case", "C-1", code=1)
    assert 'Case "C-1" is closed' in result.stderr
    assert [i["key"] for i in run.json("list", "--case", "C-1")] == ["I1"]
