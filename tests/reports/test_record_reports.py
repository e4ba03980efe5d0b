"""What the reports and `show` say about who did it, corrections and times (issue 15).
All names and events are fictional."""

from __future__ import annotations


def test_report_says_not_known_when_she_does_not_know_who(run, case):
    run(
        "add",
        "A card left on my car (fictional)",
        "--when",
        "yesterday 9pm",
        "-b",
        "leaving_items",
        "--attribution",
        "unknown",
    )
    md = run("report", "--case", case, "--kind", "evidence").stdout
    assert "not known" in md
    assert "By Sam Roe" not in md and "**By:** Sam Roe" not in md


def test_report_gives_each_correction_with_the_first_account(run, case):
    run(
        "add",
        "He followed me (fictional)",
        "--when",
        "yesterday 9pm",
        "-b",
        "following",
        "-e",
        "alarm",
        "--location",
        "Mill Road",
    )
    run("amend", "1", "--set", "location=Mill Lane", "--reason", "I had the street wrong")
    md = run("report", "--case", case, "--kind", "evidence").stdout
    assert 'location changed from "Mill Road" to "Mill Lane" on Wed 12 Mar 2025 12:00 GMT' in md
    assert "(I had the street wrong)" in md


def test_show_gives_the_first_account_who_when_and_why(run, case):
    run("add", "He followed me (fictional)", "--when", "yesterday 9pm", "--location", "Mill Road")
    run("amend", "1", "--set", "location=Mill Lane", "--reason", "wrong street", "--by", "Alex Doe")
    shown = run("show", "1").stdout
    assert "Was (first account)" in shown
    for part in ("Mill Road", "Mill Lane", "Alex Doe", "wrong street", "Wed 12 Mar 2025 12:00 GMT"):
        assert part in shown
    [change] = run.json("show", "1")["history"]
    assert (change["old"], change["new"], change["by"]) == ("Mill Road", "Mill Lane", "Alex Doe")
    md = run("report", "--case", case, "--kind", "evidence").stdout
    assert 'changed from "Mill Road" to "Mill Lane"' in md and "by Alex Doe (wrong street)" in md
