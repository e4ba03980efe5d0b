"""`stalklog person edit`: a person renamed or corrected, the change kept in history and
covered by the ledger (issue 15: the README suggested --name "Me", which then read "towards
Me" in a police document, and a name could not be changed). Fictional names."""

from __future__ import annotations

import sqlite3
from os import environ


def test_rename_keeps_the_old_name_in_history(run, case):
    run("person", "add", "--case", case, "--role", "witness", "--name", "Me")
    person = run.json(
        "person", "edit", "W1", "--case", case, "--name", "Kit Doe", "--reason", "was entered as Me", "--by", "Alex"
    )
    assert person["name"] == "Kit Doe"
    [change] = person["history"]
    assert (change["field"], change["old"], change["new"]) == ("name", "Me", "Kit Doe")
    assert change["reason"] == "was entered as Me" and change["by"] == "Alex" and change["at"]
    listed = {p["key"]: p for p in run.json("person", "list", "--case", case)}
    assert listed["W1"]["name"] == "Kit Doe"


def test_the_new_name_reaches_the_report(run, case):
    run("add", "He followed me (fictional)", "--when", "yesterday 9pm", "-b", "following")
    run("person", "edit", "V", "--case", case, "--name", "Alex Q. Doe", "--reason", "full name")
    md = run("report", "--case", case, "--kind", "evidence").stdout
    assert "Alex Q. Doe" in md


def test_relationship_and_identifiers_can_be_corrected(run, case):
    person = run.json(
        "person",
        "edit",
        "P",
        "--case",
        case,
        "--relationship",
        "ex-spouse",
        "--identifier",
        "07700 900123",
        "--reason",
        "we were married",
    )
    assert person["relationship"] == "ex-spouse" and person["identifiers"] == ["07700 900123"]
    assert [h["field"] for h in person["history"]] == ["relationship", "identifiers"]


def test_a_bad_edit_is_refused_and_changes_nothing(run, case):
    result = run("person", "edit", "P", "--case", case, "--relationship", "boss", "--reason", "x", code=1)
    assert "relationship" in result.stderr
    result = run("person", "edit", "Z", "--case", case, "--name", "X", "--reason", "x", code=1)
    assert 'no person "Z"' in result.stderr
    run("person", "edit", "P", "--case", case, "--reason", "x", code=2)
    result = run("person", "edit", "P", "--case", case, "--name", "Sam Roe", "--reason", "x", code=1)
    assert "Nothing to change" in result.stderr


def test_the_change_is_covered_by_the_ledger(run, case):
    run("person", "edit", "P", "--case", case, "--name", "Samuel Roe", "--reason", "full name")
    assert "Intact" in run("verify", "--case", case).stdout
    conn = sqlite3.connect(environ["STALKLOG_DB"])
    try:
        conn.execute("UPDATE person_amendments SET old_value = '\"Somebody else\"'")
        conn.commit()
    finally:
        conn.close()
    result = run("verify", "--case", case, code=3)
    assert "correction to a person" in result.stdout + result.stderr


def test_a_correction_to_a_person_travels_in_the_bundle(run, case, tmp_path):
    import json

    run("person", "edit", "V", "--case", case, "--name", "Alex Q. Doe", "--reason", "full name")
    bundle = json.loads(run("export", "--case", case, "--format", "json").stdout)
    victim = next(p for p in bundle["people"] if p["key"] == "V")
    assert victim["name"] == "Alex Q. Doe"
    [change] = victim["history"]
    assert (change["field"], change["old"], change["new"], change["reason"]) == (
        "name",
        "Alex Doe",
        "Alex Q. Doe",
        "full name",
    )
    assert "history" not in next(p for p in bundle["people"] if p["key"] == "P")
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    other = tmp_path / "other.db"
    run("--db", other, "init")
    run("--db", other, "import", path)  # still imports
    # …and the first account of the name arrives with it: the round trip loses nothing
    again = json.loads(run("--db", other, "export", "--case", case, "--format", "json").stdout)
    assert next(p for p in again["people"] if p["key"] == "V")["history"] == victim["history"]
    assert json.dumps(again["people"], sort_keys=True) == json.dumps(bundle["people"], sort_keys=True)
    run("--db", other, "verify")  # the imported corrections are in the ledger


def test_a_bundle_person_history_with_a_field_that_cannot_change_is_refused(run, case, tmp_path):
    import json

    run("person", "edit", "V", "--case", case, "--name", "Alex Q. Doe", "--reason", "full name")
    bundle = json.loads(run("export", "--case", case, "--format", "json").stdout)
    next(p for p in bundle["people"] if p["key"] == "V")["history"][0]["field"] = "key"
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    other = tmp_path / "other.db"
    run("--db", other, "init")
    result = run("--db", other, "import", path, code=1)
    assert "people[" in result.stderr and "history[0].field" in result.stderr
    assert run.json("--db", other, "case", "list") == []
