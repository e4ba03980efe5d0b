"""The stalking screening questions (S-DASH): recorded, kept with their date, shown, never scored."""

from __future__ import annotations

import json

import pytest

from stalklog.desk import screening
from stalklog.errors import InvalidValue
from stalklog.store import ledger
from stalklog.store.database import open_db, transaction

ANSWERS = "yes,no,no,unknown,yes,yes,no,no,no,not known,n"


def test_the_eleven_questions_and_their_source():
    assert len(screening.QUESTIONS) == 11
    assert screening.QUESTIONS[0] == {"number": 1, "text": "Is the victim very frightened?"}
    assert "more than 3 times per week" in screening.QUESTIONS[3]["text"]
    assert screening.QUESTIONS[10]["text"].startswith("Is the suspect known to have been violent in the past")
    assert "S-DASH (2009)" in screening.SOURCE and "Laura Richards" in screening.SOURCE


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Y", "yes"),
        ("yes", "yes"),
        ("n", "no"),
        ("unknown", "not_known"),
        ("Not known", "not_known"),
        ("?", "not_known"),
        ("not-known", "not_known"),
    ],
)
def test_answers_are_normalised(typed, kept):
    assert screening.normalise_answer(typed) == kept


def test_an_answer_that_is_not_one_is_refused():
    with pytest.raises(InvalidValue, match="maybe"):
        screening.normalise_answer("maybe")


def test_round_trip_through_the_cli(run, case, isolated):
    kept = run.json(
        "screening",
        "record",
        "--case",
        case,
        "--answers",
        ANSWERS,
        "--note",
        "6=said he would hurt me",
        "--by",
        "ISAC (fictional)",
        "--date",
        "10/03/2025",
    )
    assert kept["taken"] == "2025-03-10"
    assert [a["answer"] for a in kept["answers"]] == [
        "yes",
        "no",
        "no",
        "not_known",
        "yes",
        "yes",
        "no",
        "no",
        "no",
        "not_known",
        "no",
    ]
    assert kept["answers"][5]["notes"] == "said he would hurt me"
    assert kept["answers"][0]["question"] == "Is the victim very frightened?"
    assert kept["answers"][0]["number"] == 1
    shown = run.json("screening", "show", "--case", case)
    assert shown == kept
    # nothing here adds the answers up
    assert not {"score", "total", "risk", "level"} & set(shown)
    # the ledger covers it
    db = open_db(isolated / "stalklog.db")
    assert ledger.verify(db).ok
    assert db.execute("SELECT count(*) FROM ledger WHERE entity = 'screenings'").fetchone()[0] == 1


def test_every_screening_is_kept_and_the_latest_shown(run, case):
    run("screening", "record", "--case", case, "--answers", ANSWERS, "--date", "01/02/2025")
    run("screening", "record", "--case", case, "--answers", ",".join(["no"] * 11), "--date", "01/03/2025")
    every = run.json("screening", "show", "--case", case, "--all")
    assert [s["taken"] for s in every] == ["2025-02-01", "2025-03-01"]
    assert run.json("screening", "show", "--case", case)["taken"] == "2025-03-01"
    shown = run.json("case", "show", case)
    assert shown["screening"]["taken"] == "2025-03-01"
    human = run("case", "show", case).stdout
    assert "Latest stalking screening (S-DASH), 1 Mar 2025" in human
    assert "Is the victim very frightened?" in human


def test_asked_one_question_at_a_time(run, case):
    typed = "y\nfrightened to go out\nn\n\nmaybe\nn\n\n" + "?\n\n" * 8 + "y\n"
    result = run("screening", "record", "--case", case, input=typed)
    assert "Please answer y, n or ?" in result.stderr
    assert "kept with case C-1" in result.stderr
    kept = run.json("screening", "show", "--case", case)
    assert kept["answers"][0] == {
        "number": 1,
        "question": "Is the victim very frightened?",
        "answer": "yes",
        "notes": "frightened to go out",
    }
    assert [a["answer"] for a in kept["answers"][2:]] == ["no"] + ["not_known"] * 8
    assert result.stdout == ""  # the questions go to stderr


def test_declining_to_keep_records_nothing(run, case):
    typed = "y\n\n" * 11 + "n\n"
    run("screening", "record", "--case", case, input=typed, code=1)
    assert run.json("screening", "show", "--case", case) is None


def test_running_out_of_input_records_nothing(run, case):
    result = run("screening", "record", "--case", case, input="y\n\n", code=1)
    assert "Nothing was recorded" in result.stderr
    assert run.json("screening", "show", "--case", case, "--all") == []


def test_wrong_number_of_answers_is_a_usage_error(run, case):
    result = run("screening", "record", "--case", case, "--answers", "yes,no", code=2)
    assert "11 answers" in result.stderr


def test_a_bad_answer_names_its_question(run, case):
    result = run("screening", "record", "--case", case, "--answers", "yes,no,perhaps" + ",no" * 8, code=1)
    assert 'question 3: "perhaps" is not an answer' in result.stderr
    assert run.json("screening", "show", "--case", case, "--all") == []


def test_show_without_a_screening_says_how_to_record_one(run, case):
    result = run("screening", "show", "--case", case)
    assert "screening record --case C-1" in result.stderr
    assert "No stalking screening (S-DASH) recorded" in run("case", "show", case).stdout


def test_core_record_and_latest(tmp_path):
    db = open_db(tmp_path / "core.db", create=True)
    from stalklog import records

    with transaction(db):
        records.create_case(db, "C-9")
    assert screening.latest(db, "C-9") is None
    with transaction(db):
        kept = screening.record(db, "C-9", [{"answer": "y", "notes": " a note "}] + ["n"] * 10, taken="2025-01-05")
    assert kept["answers"][0]["notes"] == "a note"
    assert screening.latest(db, "C-9")["id"] == kept["id"]
    stored = json.loads(db.execute("SELECT answers FROM screenings").fetchone()[0])
    assert stored[0]["answer"] == "yes"
    with pytest.raises(InvalidValue, match="each of the 11"):
        screening.record(db, "C-9", ["yes"] * 10)
