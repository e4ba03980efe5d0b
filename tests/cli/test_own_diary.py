"""Issue 19 and the PRODUCT clarification: the victim is "you" only when the case is marked
as her own diary (``case set REF --own-diary``); otherwise, and in every document and
bundle, she is named."""

from __future__ import annotations

import json


def _two_incidents(run, case):
    run("add", "Followed me home (fictional)", "--case", case, "--when", "01/03/2025 18:00", "-b", "following")
    run("add", "Texts all night (fictional)", "--case", case, "--when", "05/03/2025 23:00", "-b", "texts")


def test_the_check_names_the_victim_unless_it_is_her_own_diary(run, case):
    _two_incidents(run, case)
    named = " ".join(run("check", "--case", case, env={"COLUMNS": "80"}).stdout.split())
    assert "Sam Roe → Alex Doe" in named
    assert "How did this affect Alex Doe?" in named and "(incident 1 (1 Mar); incident 2 (5 Mar))" in named
    assert " V?" not in named and "(V)" not in named and "(P)" not in named

    assert not run.json("case", "show", case)["own_diary"]
    run("case", "set", case, "--own-diary")
    assert run.json("case", "show", case)["own_diary"] is True
    mine = " ".join(run("check", "--case", case, env={"COLUMNS": "80"}).stdout.split())
    assert "Sam Roe → you" in mine and "How did this affect you?" in mine
    assert "Alex Doe" not in mine
    shown = run("show", "1").stdout
    assert "Sam Roe" in shown and "you" in shown
    assert "(you)" in run("case", "show", case).stdout

    run("case", "set", case, "--not-own-diary")
    assert "Sam Roe → Alex Doe" in run("check", "--case", case).stdout


def test_own_diary_is_in_the_ledger_and_not_in_the_bundle(run, case, tmp_path):
    _two_incidents(run, case)
    run("case", "set", case, "--own-diary")
    run("verify")  # the change is a ledger entry; the file still verifies
    out = tmp_path / "bundle.json"
    run("export", "--case", case, "-o", out)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert "own_diary" not in bundle["case"]  # whoever imports it sees her name


def test_an_advocate_caseload_always_names_the_victim(run, case):
    _two_incidents(run, case)
    run("case", "set", case, "--own-diary")
    out = " ".join(run("check", "--all", env={"COLUMNS": "80"}).stdout.split())
    assert "Sam Roe → Alex Doe" in out and "you" not in out
