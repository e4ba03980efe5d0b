"""``stalklog cases`` (urgency order, deadlines, closed cases, filters), ``pattern`` and ``search --all``."""

from __future__ import annotations

import pytest

from stalklog import records
from stalklog.store.database import open_db, transaction


def _case(db, ref: str, incidents: list[tuple], jurisdiction: str = "england-wales") -> None:
    """A fictional case: victim V, subject P, and incidents (day, summary, behaviours, channel, effects)."""
    records.create_case(db, ref, title=f"Fictional {ref}", jurisdiction=jurisdiction)
    records.add_person(db, ref, role="victim", name=f"Victim {ref}")
    records.add_person(db, ref, role="subject", name=f"Subject {ref}", relationship="ex-partner")
    for day, summary, behaviours, channel, effects in incidents:
        records.add_incident(
            db,
            ref,
            {
                "occurred": day,
                "precision": "day",
                "summary": summary,
                "by": ["P"],
                "towards": ["V"],
                "behaviours": behaviours,
                "channel": channel,
                "effects": effects,
            },
        )


def texts(*days: str) -> list[tuple]:
    return [(d, f"Messages on {d}", ["contacting"], "text_message", ["distress"]) for d in days]


@pytest.fixture
def caseload(run, isolated):
    """Five cases, as of 12 March 2025: deadlines in 8 days and 151 days, one long passed,
    one single incident, one with no incidents — and one closed."""
    run("init")
    db = open_db(isolated / "stalklog.db")
    with transaction(db):
        _case(db, "LATER", texts("2025-02-01", "2025-02-10"))
        _case(db, "SOON", texts("2024-09-01", "2024-09-20"))
        _case(db, "PASSED", texts("2024-01-01", "2024-01-05"))
        _case(db, "SINGLE", texts("2025-03-01"))
        _case(db, "EMPTY", [])
        _case(
            db,
            "ESCALATING",
            texts("2024-12-02", "2024-12-20", "2025-01-10")
            + [
                (
                    "2025-02-03",
                    "Waited outside my house and said he would hurt me",
                    ["loitering", "threats"],
                    "in_person",
                    ["fear_of_violence"],
                )
            ],
            jurisdiction="scotland",
        )
        _case(db, "SHUT", texts("2024-09-05", "2024-09-15"))
        records.close_case(db, "SHUT", "Moved away (fictional)")
    db.close()


def test_cases_are_ordered_by_the_most_urgent_course(run, caseload):
    # A deadline within 28 days first; then a case with new threats, in person and more
    # serious effects (it ranked below a quiet case with a later deadline: issue 19); then
    # the later deadline, a passed one, a single incident and an empty case.
    rows = run.json("cases")
    assert [r["case"] for r in rows] == ["SOON", "ESCALATING", "LATER", "PASSED", "SINGLE", "EMPTY"]
    assert [r["priority"] for r in rows] == ["deadline_soon", "escalation", "deadline", "course", "quiet", "quiet"]
    assert rows[0]["why"] == [{"code": "deadline", "text": "time limit 20 Mar 2025 for PHA 1997 s.2 (8 days left)"}]
    assert "new: threats" in [w["text"] for w in rows[1]["why"]]
    soon = rows[0]
    assert soon["days_left"] == 8 and soon["deadline"] == "2025-03-20"
    assert soon["course_status"] == "met"
    # check-v2 §7: of equal penalties the first listed; the deadline names its own offence
    assert soon["strongest"] == "pha-s2" and soon["strongest_status"] == "indicated"
    assert soon["deadline_offence"] == "pha-s2"
    assert soon["subjects"] == [{"key": "P", "name": "Subject SOON"}]
    assert soon["incidents"] == 2 and soon["last_incident"] == "2024-09-20"
    assert rows[2]["days_left"] == 151
    assert rows[3]["days_left"] < 0 and rows[3]["urgency"] == "expired"
    assert rows[4]["course_status"] == "not_met" and rows[4]["strongest"] is None
    assert rows[5]["course_status"] is None and rows[5]["incidents"] == 0


def test_escalation_indicators_are_named_with_their_incidents(run, caseload):
    esc = next(r for r in run.json("cases") if r["case"] == "ESCALATING")
    assert esc["jurisdiction"] == "scotland"
    assert {"now in person", "new: threats", "effects more serious"} <= set(esc["escalation"].split("; "))
    threats = next(x for x in esc["indicators"] if x["code"] == "new_behaviour_threats")
    assert threats["incidents"] == ["I4"]
    flat = next(r for r in run.json("cases") if r["case"] == "LATER")
    assert flat["escalation"] == "" and flat["indicators"] == []


def test_closed_cases_are_left_out_unless_asked_for(run, caseload):
    assert "SHUT" not in [r["case"] for r in run.json("cases")]
    assert [r["case"] for r in run.json("cases", "--status", "closed")] == ["SHUT"]
    every = [r["case"] for r in run.json("cases", "--status", "all")]
    assert every[-1] == "SHUT" and len(every) == 7  # closed after every open case, however urgent


def test_jurisdiction_filter_and_as_of(run, caseload):
    assert [r["case"] for r in run.json("cases", "--jurisdiction", "scotland")] == ["ESCALATING"]
    later = run.json("cases", "--as-of", "01/04/2025")
    soon = next(r for r in later if r["case"] == "SOON")
    assert soon["days_left"] < 0
    assert [r["case"] for r in later[:2]] == ["ESCALATING", "LATER"]


def test_bad_options_are_usage_errors(run, caseload):
    assert "open, closed or all" in run("cases", "--status", "shut", code=2).stderr
    assert "--jurisdiction" in run("cases", "--jurisdiction", "wales", code=2).stderr


def test_the_table_shows_why(run, caseload):
    out = run("cases").stdout
    assert out.index("SOON") < out.index("LATER") < out.index("PASSED")
    assert "8 (20 Mar 2025)" in out
    assert "passed" in out
    assert "Subject SOON" in out
    assert "new: threats" in out
    assert "for review" in out and "Not legal advice" in out


def test_no_cases_says_how_to_start(run):
    run("init")
    result = run("cases")
    assert result.stdout == "" and "case new" in result.stderr
    assert run.json("cases") == []


def test_pattern_command(run, caseload):
    data = run.json("pattern", "--case", "ESCALATING")
    assert data["case"] == "ESCALATING"
    assert "in_person_after_remote" in [x["code"] for x in data["indicators"]]
    out = run("pattern", "--case", "ESCALATING", "--by", "week").stdout
    assert "Incidents per week" in out and "w/c 2 Dec 2024" in out and "█" in out
    assert "Indicators for review" in out and "Incidents: incident 4 (3 Feb)" in out  # names, not keys (issue 19)
    assert "predict" not in out.lower()
    flat = run("pattern", "--case", "LATER").stdout
    assert "No change in frequency, gaps, kinds of behaviour or effects stands out" in flat


def test_case_show_includes_the_patterns(run, caseload):
    shown = run.json("case", "show", "ESCALATING")
    assert shown["pattern"]["incidents"] == 4 and shown["screening"] is None
    human = run("case", "show", "ESCALATING").stdout
    assert "Indicators for review" in human and "Threats first recorded on 3 Feb 2025 (incident 4)" in human


def test_search_all_finds_incidents_in_every_case(run, caseload):
    found = run.json("search", "Messages", "--all")
    assert {i["case"] for i in found} == {"LATER", "SOON", "PASSED", "SINGLE", "ESCALATING", "SHUT"}
    assert [i["case"] for i in run.json("search", "hurt", "--all")] == ["ESCALATING"]
    assert all(i["case"] == "SOON" for i in run.json("search", "Messages", "--case", "SOON"))
    assert "No incidents mention" in run("search", "nothing-like-this", "--all").stderr


def test_a_recent_possible_breach_comes_before_every_deadline(run, caseload):
    # Issue 19: a possible breach of an order in the last 28 days outranks the case whose
    # deadline is 8 days away; an older breach does not.
    run(
        "order",
        "add",
        "--case",
        "LATER",
        "--kind",
        "spo",
        "--against",
        "P",
        "--protects",
        "V",
        "--made",
        "01/01/2025",
        "--expires",
        "01/01/2026",
        "--condition",
        "must not contact V by any means",
    )
    run("add", "Texted again (fictional)", "--case", "LATER", "--when", "01/03/2025 09:00", "-b", "texts")
    rows = run.json("cases")
    assert [r["case"] for r in rows][:2] == ["LATER", "SOON"]
    assert rows[0]["priority"] == "possible_breach"
    assert rows[0]["why"][0] == {"code": "possible_breach", "text": "possible breach of an order on 1 Mar 2025"}
    later = run.json("cases", "--as-of", "15/04/2025")  # 45 days on: no longer a recent breach
    assert next(r for r in later if r["case"] == "LATER")["priority"] != "possible_breach"


def test_s_dash_answers_on_fear_and_violence_raise_a_quiet_case(run, caseload):
    # Issue 19: S-DASH yes to question 1 (very frightened) or 6 (threats of violence) puts a
    # case with no near deadline among the escalating ones; the answers are listed, not scored.
    run("screening", "record", "--case", "SINGLE", "--answers", "yes,no,no,no,no,yes,no,no,no,no,no")
    rows = run.json("cases")
    single = next(r for r in rows if r["case"] == "SINGLE")
    assert single["priority"] == "escalation"
    assert [f["number"] for f in single["screening_flags"]] == [1, 6]
    assert {"code": "screening", "text": "S-DASH yes to 1, 6: specialist referral for review"} in single["why"]
    order = [r["case"] for r in rows]
    assert order.index("SINGLE") < order.index("LATER")  # above a quiet case with a later deadline
    text = " ".join(run("cases", env={"COLUMNS": "80"}).stdout.split())
    assert "SINGLE — S-DASH yes to 1, 6: specialist referral for review" in text
