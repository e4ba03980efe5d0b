"""A spreadsheet diary keeps its provenance (issue 15): its time of writing comes from its own
column or is "not known" (never the import time), "recorded late" only from a real time of
writing, rows without behaviour words are counted and explained, feelings map to alarm or
distress through one table shown in the preview, and a stray quote is refused with its line.
All names and events are fictional."""

from __future__ import annotations

import json

HEAD = "Date,Time,What happened,How it made me feel"
ROWS = [
    "06/01/2025,17:10,Banged on the door (fictional),terrified",
    "14/01/2025,20:30,Waiting by my car (fictional),couldn't sleep",
    "20/01/2025,21:00,Waiting by my car again (fictional),scared and shaking",
]


def diary(tmp_path, lines, name="diary.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_imported_row_is_not_presented_as_written_today(run, case, tmp_path):
    """The issue: a diary kept at the time imported as written today, so the summary said
    "first recorded 65 days after the event" and listed Recorded late five times."""
    run("import", diary(tmp_path, [HEAD, *ROWS]), "--case", case)
    shown = run.json("show", "1")
    assert shown["written"] is None and shown["provenance"] == "csv:diary.csv row 2"
    text = run("show", "1").stdout
    assert "not known: imported from a spreadsheet diary on Wed 12 Mar 2025 12:00 GMT (diary.csv row 2)" in text
    md = run("report", "--case", case, "--kind", "evidence").stdout
    assert "Recorded late" not in md and "days after the event" not in md


def test_a_mapped_written_column_is_the_time_of_writing(run, case, tmp_path):
    lines = [
        HEAD + ",Written",
        ROWS[0] + ",06/01/2025 18:00",
        ROWS[1] + ",20/02/2025 09:00",  # written 37 days later: late, from a real time of writing
    ]
    preview = run.json("import", diary(tmp_path, lines), "--case", case, "--map", "written=Written", "--dry-run")
    assert preview["rows"][0]["written"] == "2025-01-06T18:00:00+00:00"
    run("import", diary(tmp_path, lines), "--case", case, "--map", "written=Written")
    assert run.json("show", "1")["written"] == "2025-01-06T18:00:00+00:00"
    assert "Mon 6 Jan 2025 18:00 GMT" in run("show", "1").stdout
    md = run("report", "--case", case, "--kind", "evidence").stdout
    assert "Recorded late" in md and "I2 (14 Jan 2025) was recorded 37 days after the event" in md
    assert "I1 (6 Jan 2025) was recorded" not in md


def test_written_before_it_happened_is_a_row_problem(run, case, tmp_path):
    lines = [HEAD + ",Written", ROWS[0] + ",01/01/2025"]
    preview = run.json(
        "import", diary(tmp_path, lines), "--case", case, "--map", "written=Written", "--dry-run", code=1
    )
    assert "before it happened" in preview["rows"][0]["errors"][0]


def test_rows_without_behaviour_words_are_counted_and_explained(run, case, tmp_path):
    result = run("import", diary(tmp_path, [HEAD, *ROWS]), "--case", case, "--dry-run")
    assert "3 of 3 rows say nothing about what he did" in result.stderr
    assert "--map behaviours=Column" in result.stderr and "stalklog amend ID --set behaviours=" in result.stderr
    result = run("import", diary(tmp_path, [HEAD, *ROWS]), "--case", case)
    assert "3 of 3 rows say nothing about what he did" in result.stderr  # the summary says it too
    lines = [HEAD + ",Behaviour", "07/01/2025,17:10,Followed me (fictional),scared,following"]
    result = run("import", diary(tmp_path, lines, "other.csv"), "--case", case, "--dry-run")
    assert "say nothing about what he did" not in result.stderr


def test_feeling_words_map_to_alarm_or_distress_and_are_shown(run, case, tmp_path):
    preview = run.json("import", diary(tmp_path, [HEAD, *ROWS]), "--case", case, "--dry-run")
    rows = preview["rows"]
    assert rows[0]["effects_from"] == {"terrified": "alarm"}
    assert rows[1]["effects_from"] == {"couldn't sleep": "distress"}
    assert rows[2]["effects_from"] == {"scared": "alarm", "shaking": "alarm"} and rows[2]["effects"] == ["alarm"]
    shown = run("import", diary(tmp_path, [HEAD, *ROWS]), "--case", case, "--dry-run").stdout
    assert "terrified → alarm" in shown


def test_fear_of_violence_is_never_inferred(run, case, tmp_path):
    lines = [HEAD, "06/01/2025,17:10,He shouted (fictional),afraid he would hurt me; seriously alarmed"]
    preview = run.json("import", diary(tmp_path, lines), "--case", case, "--dry-run")
    assert preview["rows"][0]["effects"] == ["alarm"]


def test_a_stray_quote_that_swallows_rows_is_refused_with_its_line(run, case, tmp_path):
    """The issue: one stray quote merged every later row into one incident, silently."""
    lines = [HEAD, '06/01/2025,17:10,"Banged on the door (fictional),terrified', *ROWS[1:], ROWS[0]]
    result = run("import", diary(tmp_path, lines), "--case", case, code=1)
    assert "line 2 of the file" in result.stderr and "stray quote" in result.stderr
    assert run.json("list", "--case", case) == []


def test_provenance_travels_in_the_bundle(run, case, tmp_path):
    run("import", diary(tmp_path, [HEAD, *ROWS]), "--case", case)
    bundle = json.loads(run("export", "--case", case, "--format", "json").stdout)
    first = bundle["incidents"][0]
    assert first["provenance"] == "csv:diary.csv row 2" and "written" not in first
    run("add", "Typed in (fictional)", "--when", "yesterday 9pm")
    bundle = json.loads(run("export", "--case", case, "--format", "json").stdout)
    assert "provenance" not in bundle["incidents"][-1]


def test_the_check_asks_what_he_did_when_no_behaviour_is_recorded(run, case, tmp_path):
    """PHA 1997 s.7(3): the course is conduct; rows without behaviour words cannot show it."""
    run("import", diary(tmp_path, [HEAD, *ROWS]), "--case", case)
    doc = run.json("check", "--case", case)
    asks = [m for m in doc["missing"] if m["code"] == "no_behaviour_recorded"]
    assert asks and asks[0]["incidents"] == ["I1", "I2", "I3"]
    assert asks[0]["text"].startswith("what did P do?")
    md = run("report", "--case", case, "--kind", "evidence").stdout
    assert "including ." not in md and "including  " not in md
