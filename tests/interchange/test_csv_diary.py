"""CSV diary import: every row's date checked and previewed; all rows or none (unless --skip-bad)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stalklog.errors import InvalidValue
from stalklog.interchange import csv_diary
from stalklog.store import ledger
from stalklog.store.database import open_db

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = DATA / "desk_diary_good.csv"
MIXED = DATA / "desk_diary_mixed.csv"
CUSTOM = DATA / "desk_diary_custom.csv"


def incidents(run, case="C-1") -> list[dict]:
    return run.json("list", "--case", case)


def ledger_entries(isolated) -> int:
    db = open_db(isolated / "stalklog.db")
    try:
        return db.execute("SELECT count(*) FROM ledger").fetchone()[0]
    finally:
        db.close()


def test_dry_run_previews_every_row_and_writes_nothing(run, case, isolated):
    before = ledger_entries(isolated)
    preview = run.json("import", GOOD, "--case", case, "--dry-run")
    assert preview["dry_run"] is True and preview["written"] == []
    assert (preview["good"], preview["bad"]) == (5, 0)
    assert [m["field"] for m in preview["mapping"]] == [
        "date",
        "time",
        "summary",
        "location",
        "witnesses",
        "feelings",
        "police_ref",
    ]
    rows = {r["row"]: r for r in preview["rows"]}
    assert sorted(rows) == [2, 3, 4, 5, 6]  # the header is row 1
    assert rows[2]["when"] == "2025-01-06T17:10"
    assert rows[2]["ambiguous"] == "ambiguous (read as 6 January 2025, day first)"
    assert rows[3]["when"] == "2025-01-14T20:30" and rows[3]["ambiguous"] is None
    assert rows[4]["when_text"] == "about Mon 20 Jan 2025 21:00 GMT"
    assert rows[5]["when"] == "2025-01-27" and rows[5]["when_text"].endswith("(time not known)")
    assert rows[6]["when"] == "2025-02-03T22:00" and "3 February 2025" in rows[6]["ambiguous"]
    assert incidents(run) == []
    assert ledger_entries(isolated) == before


def test_import_writes_every_row_as_written(run, case, isolated):
    result = run("import", GOOD, "--case", case)
    assert "Imported 5 incidents into case C-1 (I1 to I5)" in result.stderr
    found = incidents(run)
    assert [i["occurred"] for i in found] == [
        "2025-01-06T17:10",
        "2025-01-14T20:30",
        "2025-01-20T21:00",
        "2025-01-27",
        "2025-02-03T22:00",
    ]
    first, _, third, fourth, fifth = found
    assert first["summary"] == "He was waiting outside my work\nHow it made me feel: Scared and upset"
    assert first["location"] == "Office car park (fictional)"
    assert first["witnesses"] == ["Jo (colleague)"]
    assert first["effects"] == ["alarm", "distress"]
    assert first["by"] == ["P"] and first["towards"] == ["V"]
    assert first["recorded"].startswith("2025-03-12")  # written down now, at the import
    assert third["witnesses"] == ["Neighbour at no. 12", "my sister"]
    assert third["effects"] == []  # "Not scared" is not an effect
    assert third["police_ref"] == "CR/000123/25"
    assert third["precision"] == "approximate"
    assert fourth["precision"] == "day" and fourth["police_ref"] is None
    assert fifth["summary"].startswith('Said "you\'ll regret this" in a voicemail')
    assert fifth["effects"] == ["alarm"]  # a feeling is read only as alarm or distress (PRODUCT.md clarifications)
    assert ledger.verify(open_db(isolated / "stalklog.db")).ok


def test_the_preview_says_what_was_read_and_which_words_became_effects(run, case):
    out = run("import", GOOD, "--case", case, "--dry-run").stdout
    assert "ambiguous (read as 6 January 2025, day first)" in out
    assert "Scared → alarm" in out and "upset → distress" in out
    assert "What happened" in out and "Police reference" in out


def test_bad_rows_are_listed_by_number_and_nothing_is_written(run, case, isolated):
    before = ledger_entries(isolated)
    result = run("import", MIXED, "--case", case, "--json", code=1)
    preview = json.loads(result.stdout)
    assert preview["delimiter"] == "semicolon" and preview["blank"] == 1
    errors = {r["row"]: r["errors"] for r in preview["rows"] if not r["ok"]}
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "February 2025 has 28 days" in errors[3][0]
    assert errors[4] == ["no date"]
    assert "no month 13" in errors[5][0]
    assert "in the future" in errors[6][0]
    assert errors[7] == ["'what happened' is empty"]
    assert "5 rows of the CSV cannot be read (rows 3, 4, 5, 6, 7: see the preview), so nothing was written" in (
        result.stderr
    )
    assert "--skip-bad" in result.stderr
    assert "Expected a date such as" not in result.stdout  # each row says its own problem only
    assert "--us-dates" in result.stderr  # 04/13/2025 looks month first
    assert incidents(run) == []
    assert ledger_entries(isolated) == before


def test_a_dry_run_with_bad_rows_fails_and_writes_nothing(run, case):
    result = run("import", MIXED, "--case", case, "--dry-run", code=1)
    assert "an import now would write nothing" in result.stderr
    assert "no date" in result.stdout
    assert incidents(run) == []


def test_skip_bad_imports_the_good_rows_and_reports_the_rest(run, case):
    result = run("import", MIXED, "--case", case, "--skip-bad")
    assert "Imported 2 incidents" in result.stderr
    assert "Skipped rows: 3, 4, 5, 6, 7." in result.stderr
    found = incidents(run)
    assert [(i["occurred"], i["effects"]) for i in found] == [("2025-02-05", ["alarm"]), ("2025-02-09", ["alarm"])]
    assert found[0]["location"] == "High Street (fictional)"


def test_importing_the_same_diary_twice_is_refused(run, case):
    run("import", GOOD, "--case", case)
    result = run("import", GOOD, "--case", case, "--json", code=1)
    assert "nothing was written" in result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert rows[0]["errors"] == ["already in the case as I1 (same date and words)"]
    assert len(incidents(run)) == 5


def test_map_names_the_columns(run, case):
    mapping = "date=Entry date,summary=Entry,location=Place,behaviours=Kind,channel=Via"
    run("import", CUSTOM, "--case", case, "--map", mapping)
    first, second = incidents(run)
    assert (first["occurred"], first["behaviours"], first["channel"]) == (
        "2025-02-10T19:00",
        ["contacting", "leaving_items"],
        "letter",
    )
    assert (second["occurred"], second["channel"]) == ("2025-02-11T08:15", "in_person")


def test_without_a_date_column_the_error_lists_the_columns(run, case):
    result = run("import", CUSTOM, "--case", case, code=1)
    assert "no column for the date it happened or what happened" in result.stderr
    assert "Entry date, Entry, Place, Kind, Via" in result.stderr
    assert "--map date=…,summary=…" in result.stderr


def test_map_to_a_column_that_is_not_there(run, case):
    result = run("import", CUSTOM, "--case", case, "--map", "date=Datum,summary=Entry", code=1)
    assert 'the file has no column "Datum"' in result.stderr


def test_map_to_a_field_that_is_not_there(run, case):
    result = run("import", CUSTOM, "--case", case, "--map", "mood=Entry", code=1)
    assert '"mood" is not a field' in result.stderr


def test_us_dates_read_month_first(run, case, tmp_path):
    sheet = tmp_path / "us.csv"
    sheet.write_text("Date,What happened\n02/13/2025,Called 20 times\n03/02/2025,Called again\n", encoding="utf-8")
    preview = run.json("--us-dates", "import", sheet, "--case", case)
    assert [r["when"] for r in preview["rows"]] == ["2025-02-13", "2025-03-02"]
    assert preview["rows"][1]["ambiguous"] == "ambiguous (read as 2 March 2025, month first)"


def test_a_bad_behaviour_word_is_a_row_error(run, case, tmp_path):
    sheet = tmp_path / "tab.csv"
    sheet.write_text("Date\tWhat happened\tBehaviour\n01/02/2025\tStood at the gate\tstaring\n", encoding="utf-8")
    result = run("import", sheet, "--case", case, "--json", code=1)
    assert json.loads(result.stdout)["rows"][0]["errors"][0].startswith('"staring" is not a behaviour word')


def test_a_csv_needs_a_case_when_the_file_has_several(run, case):
    run("case", "new", "C-2")
    result = run("import", GOOD, code=1)
    assert "several open cases" in result.stderr


# ---------------------------------------------------------------- the core


@pytest.mark.parametrize(
    ("text", "effects"),
    [
        ("Scared and upset", ["alarm", "distress"]),
        ("not scared", []),
        ("I was not at all scared", []),
        ("No, I was scared", ["alarm"]),
        ("I was afraid of violence", ["alarm"]),  # never inferred: fear of violence (PRODUCT.md clarifications)
        ("seriously alarmed", ["alarm"]),  # never inferred: serious alarm or distress
        ("angry", []),
        ("scarred", []),
    ],
)
def test_only_clear_words_become_effects(text, effects):
    assert csv_diary.effects_from(text)[0] == effects


def test_read_table_tab_bom_and_windows_text():
    table = csv_diary.read_table("\ufeffDate\tWhat happened\n01/02/2025\tCafé\n".encode())
    assert table["headers"] == ["Date", "What happened"] and table["delimiter"] == "\t"
    assert table["rows"] == [(2, ["01/02/2025", "Café"])]
    old = csv_diary.read_table("Date,What happened\n01/02/2025,Café\n".encode("cp1252"))
    assert old["encoding"] == "windows-1252" and old["rows"][0][1][1] == "Café"


def test_headings_are_matched_loosely_and_map_wins():
    headers = ["DATE", "Time of incident", "Description of incident", "Witness name(s)", "Crime Reference Number"]
    columns = csv_diary.resolve_mapping(headers)
    assert columns == {"date": 0, "time": 1, "summary": 2, "witnesses": 3, "police_ref": 4}
    assert csv_diary.resolve_mapping(headers, {"summary": "witness name(s)"})["summary"] == 3


def test_parse_mapping_refuses_a_part_without_equals():
    with pytest.raises(InvalidValue, match="field=Column"):
        csv_diary.parse_mapping("date")
