"""The guided walk-through of ``stalklog add --interactive``, driven by scripted answers.

The questions, in order (one victim and one subject in the case, so "who" is not asked):
when · is that right · where · what happened · which behaviours · words said · who saw it ·
how did it make you feel · daily life · reported to police (and the reference) · save?
All names and events are fictional.
"""

from __future__ import annotations

import json
import sqlite3
from os import environ


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def count(table: str = "incidents") -> int:
    conn = sqlite3.connect(environ["STALKLOG_DB"])
    try:
        return conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    finally:
        conn.close()


FULL = answers(
    "yesterday 5:10pm",  # when
    "y",  # that is Tue 11 Mar 2025 17:10: right
    "Outside my work, Mill Road",  # where
    "He was waiting by the door again (fictional)",  # what happened
    "1,5",  # following, loitering
    "I'll always find you",  # words
    "1",  # how she knows it was him: seen
    "a colleague; the security guard",  # witnesses
    "1,3",  # alarm, fear of violence
    "2",  # changed route
    "y",  # reported to the police
    "CC-25-000999",  # the reference
    "",  # private notes: none
    "y",  # save
)


def test_walk_through_records_every_answer(run, case):
    result = run("add", "--interactive", "--case", case, "--json", input=FULL)
    inc = json.loads(result.stdout)
    assert inc["occurred"] == "2025-03-11T17:10" and inc["precision"] == "exact"
    assert inc["location"] == "Outside my work, Mill Road"
    assert inc["summary"] == "He was waiting by the door again (fictional)"
    assert inc["behaviours"] == ["following", "loitering"]
    assert inc["words"] == "I'll always find you"
    assert inc["witnesses"] == ["a colleague", "the security guard"]
    assert inc["effects"] == ["alarm", "fear_of_violence"]
    assert inc["impacts"] == ["changed_route"]
    assert inc["police_ref"] == "CC-25-000999"
    assert inc["by"] == ["P"] and inc["towards"] == ["V"]
    # the questions and the echo go to stderr, in plain language
    for question in (
        "When did it happen?",
        "Where did it happen?",
        "What happened?",
        "Which of these describe it?",
        "Did anyone else see or hear it?",
        "How did it make you feel?",
        "Did it change anything in your daily life?",
        "Did you report it to the police?",
    ):
        assert question in result.stderr
    assert "That is Tue 11 Mar 2025 17:10 GMT. Is that right?" in result.stderr
    assert "Recorded:" in result.stderr
    assert count() == 1


def test_summary_on_the_command_line_is_not_asked_again(run, case):
    script = answers("yesterday", "", "", "", "", "", "", "", "", "n", "", "")  # Enter takes the defaults
    result = run("add", "Texts all evening (fictional)", "--interactive", "--case", case, "--json", input=script)
    inc = json.loads(result.stdout)
    assert inc["summary"] == "Texts all evening (fictional)" and "What happened?" not in result.stderr
    assert inc["occurred"] == "2025-03-11" and inc["precision"] == "day"
    assert inc["behaviours"] == [] and inc["police_ref"] is None and inc["location"] == ""


def test_when_given_as_an_option_is_still_confirmed(run, case):
    script = answers("y", "", "", "", "", "", "", "", "n", "", "y")
    result = run("add", "x (fictional)", "-I", "--when", "2 days ago", "--case", case, "--json", input=script)
    assert json.loads(result.stdout)["occurred"] == "2025-03-10"
    assert "That is Mon 10 Mar 2025 (time not known). Is that right?" in result.stderr


def test_a_bad_date_is_asked_again(run, case):
    script = answers(
        "31/02/2025", "next year", "05/03/2025 9pm", "y", "", "x (fictional)", "", "", "", "", "", "", "n", "", "y"
    )
    result = run("add", "-I", "--case", case, "--json", input=script)
    assert json.loads(result.stdout)["occurred"] == "2025-03-05T21:00"
    assert "February 2025 has 28 days" in result.stderr
    assert result.stderr.count("When did it happen?") == 3


def test_a_date_that_is_not_confirmed_is_asked_again(run, case):
    script = answers("05/03/2025", "n", "03/05/2024", "y", "", "x (fictional)", "", "", "", "", "", "", "n", "", "y")
    result = run("add", "-I", "--case", case, "--json", input=script)
    assert json.loads(result.stdout)["occurred"] == "2024-05-03"
    assert "Wed 5 Mar 2025" in result.stderr and "Fri 3 May 2024" in result.stderr


def test_a_bad_choice_number_is_asked_again(run, case):
    script = answers("yesterday", "y", "", "x (fictional)", "99", "abc", "2", "", "", "", "", "", "n", "", "y")
    result = run("add", "-I", "--case", case, "--json", input=script)
    assert json.loads(result.stdout)["behaviours"] == ["contacting"]
    assert "Please give numbers from 1 to" in result.stderr


def test_answering_no_at_the_end_saves_nothing(run, case):
    script = FULL.rsplit("y\n", 1)[0] + "n\n"
    result = run("add", "-I", "--case", case, input=script, code=1)
    assert "Nothing was recorded." in result.stderr
    assert result.stdout == ""
    assert count() == 0 and count("ledger") == 3  # the case and its two people only


def test_running_out_of_answers_saves_nothing(run, case):
    result = run("add", "-I", "--case", case, input=answers("yesterday", "y", "Mill Road"), code=1)
    assert "Nothing was recorded." in result.stderr
    assert "Traceback" not in result.stderr
    assert count() == 0


def test_ctrl_c_saves_nothing(run, case, monkeypatch):
    import rich.prompt

    real = rich.prompt.Confirm.ask

    def ask(prompt, *args, **kwargs):
        if "Save this incident" in str(prompt):
            raise KeyboardInterrupt
        return real(prompt, *args, **kwargs)

    monkeypatch.setattr(rich.prompt.Confirm, "ask", ask)
    result = run("add", "-I", "--case", case, input=FULL, code=130)
    assert "Interrupted: nothing was changed." in result.stderr
    assert count() == 0 and count("ledger") == 3


def test_who_is_asked_when_the_case_has_several_subjects(run, case):
    run("person", "add", "--case", case, "--role", "subject", "--name", "[bold]Jo[/bold] (fictional)", "--key", "J")
    script = answers("yesterday", "y", "", "x (fictional)", "", "", "", "J", "", "", "", "n", "", "y")
    result = run("add", "-I", "--case", case, "--json", input=script)
    assert json.loads(result.stdout)["by"] == ["J"]
    assert "Who did it?" in result.stderr and "[bold]Jo[/bold]" in result.stderr  # names printed literally


def test_us_dates_are_read_month_first_in_the_walk_through(run, case):
    script = answers("03/11/2024", "y", "", "x (fictional)", "", "", "", "", "", "", "n", "", "y")
    result = run("--us-dates", "add", "-I", "--case", case, "--json", input=script)
    assert json.loads(result.stdout)["occurred"] == "2024-03-11"


def test_a_closed_case_is_refused_before_any_question(run, case):
    run("case", "close", case)
    result = run("add", "-I", "--case", case, input=FULL, code=1)
    assert "is closed" in result.stderr and "When did it happen?" not in result.stderr
