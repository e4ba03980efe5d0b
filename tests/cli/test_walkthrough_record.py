"""The guided walk-through keeps exactly what she said (issue 15): a no/none/nobody/nothing/n/-
answer is a skip in every question, never stored as words, a witness or a reference; it asks
how she knows who did it, and "I don't know who" names no one. All names are fictional.

Questions, in order (one victim, one subject): when · right? · where · what happened ·
behaviours · words · how do you know it was him · witnesses · feel · daily life · police? ·
(reference) · private notes · save?
"""

from __future__ import annotations

import json

import pytest


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def walk(
    run,
    case,
    *,
    where="",
    behaviours="",
    words="",
    knowing="",
    witnesses="",
    feel="",
    life="",
    police="n",
    ref=None,
    notes="",
    who=(),
):
    lines = ["yesterday 9pm", "y", where, "He stood at the gate (fictional)", behaviours, words, knowing, *who]
    lines += [witnesses, feel, life, police] + ([ref] if ref is not None else []) + [notes, "y"]
    result = run("add", "-I", "--case", case, "--json", input=answers(*lines))
    return json.loads(result.stdout), result.stderr


SKIPS = ["no", "none", "nobody", "nothing", "n", "-", "No.", "  NONE "]


@pytest.mark.parametrize("skip", SKIPS)
def test_a_skip_answer_to_where_stores_no_place(run, case, skip):
    inc, _ = walk(run, case, where=skip)
    assert inc["location"] == ""


@pytest.mark.parametrize("skip", SKIPS)
def test_a_skip_answer_to_words_said_stores_no_words(run, case, skip):
    """The issue: "no" to "Was anything said or written?" was stored as the words "no"."""
    inc, _ = walk(run, case, words=skip)
    assert inc["words"] == ""


@pytest.mark.parametrize("skip", SKIPS)
def test_a_skip_answer_to_witnesses_stores_no_witness(run, case, skip):
    """The issue: "none" became a witness called "none" ("Witnesses: no" in the police summary)."""
    inc, _ = walk(run, case, witnesses=skip)
    assert inc["witnesses"] == []


def test_a_skip_item_among_witnesses_is_dropped(run, case):
    inc, _ = walk(run, case, witnesses="a neighbour; none")
    assert inc["witnesses"] == ["a neighbour"]


@pytest.mark.parametrize("skip", ["no", "none", "nothing", "-"])
def test_a_skip_answer_to_the_choice_questions_chooses_nothing(run, case, skip):
    inc, err = walk(run, case, behaviours=skip, feel=skip, life=skip, knowing=skip)
    assert inc["behaviours"] == [] and inc["effects"] == [] and inc["impacts"] == []
    assert inc["attribution"] is None
    assert "Please give numbers" not in err


@pytest.mark.parametrize("skip", ["no", "none", "-"])
def test_a_skip_answer_to_the_crime_reference_stores_none(run, case, skip):
    inc, _ = walk(run, case, police="y", ref=skip)
    assert inc["police_ref"] is None


@pytest.mark.parametrize("skip", ["no", "nothing", "n", "-"])
def test_a_skip_answer_to_private_notes_stores_none(run, case, skip):
    inc, _ = walk(run, case, notes=skip)
    assert inc["private_notes"] is None


def test_private_notes_are_offered_and_kept(run, case):
    inc, err = walk(run, case, notes="I think he knows my new shifts (fictional)")
    assert "Anything private to note?" in err
    assert inc["private_notes"] == "I think he knows my new shifts (fictional)"


@pytest.mark.parametrize("skip", ["nobody", "none", "-"])
def test_a_skip_answer_to_who_did_it_names_no_one(run, case, skip):
    run("person", "add", "--case", case, "--role", "subject", "--name", "Jo Bloggs (fictional)", "--key", "J")
    inc, err = walk(run, case, who=(skip,))
    assert "Who did it?" in err and inc["by"] == []


@pytest.mark.parametrize("skip", ["nobody", "no one", "-"])
def test_a_skip_answer_to_who_it_was_aimed_at_names_no_one(run, case, skip):
    run("person", "add", "--case", case, "--role", "victim", "--name", "Kit Doe (fictional)", "--key", "V2")
    inc, err = walk(run, case, who=(skip,))
    assert "Who was it aimed at?" in err and inc["towards"] == []


@pytest.mark.parametrize(
    ("answer", "word"),
    [("1", "seen"), ("2", "heard"), ("3", "known_account"), ("4", "told_by_other"), ("5", "suspected")],
)
def test_how_she_knows_it_was_him_is_asked_and_kept(run, case, answer, word):
    inc, err = walk(run, case, knowing=answer)
    assert "How do you know it was Sam Roe?" in err
    assert "It came from their number or account" in err
    assert inc["attribution"] == word and inc["by"] == ["P"]


def test_i_dont_know_who_names_no_one(run, case):
    """The issue: "I don't know who it was" still stored the case's only subject in `by`."""
    inc, err = walk(run, case, knowing="6")
    assert inc["attribution"] == "unknown" and inc["by"] == []
    assert inc["towards"] == ["V"]
    assert "who did it as not known" in err and "--set by=P" not in err


def test_only_one_answer_is_taken_for_how_she_knows(run, case):
    lines = ["yesterday 9pm", "y", "", "x (fictional)", "", "", "1,2", "3", "", "", "", "n", "", "y"]
    result = run("add", "-I", "--case", case, "--json", input=answers(*lines))
    assert json.loads(result.stdout)["attribution"] == "known_account"
    assert "Please give numbers from 1 to 6" in result.stderr


def test_attribution_unknown_on_the_command_line_names_no_one(run, case):
    inc = run.json("add", "Anonymous card (fictional)", "--when", "yesterday", "--attribution", "unknown")
    assert inc["by"] == [] and inc["attribution"] == "unknown"
    inc = run.json("add", "He called (fictional)", "--when", "yesterday", "--attribution", "heard")
    assert inc["by"] == ["P"]
    inc = run.json("add", "Card (fictional)", "--when", "yesterday", "--attribution", "unknown", "--by", "P")
    assert inc["by"] == ["P"]  # named on purpose: kept
