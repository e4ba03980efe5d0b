"""Issue 19: the words people use — behaviours, effects, impacts and channels typed with
spaces, hyphens or everyday synonyms; ``stalklog words``; offences by short name."""

from __future__ import annotations

import json

import pytest

from stalklog import vocab


def test_every_synonym_names_one_word_of_its_own_vocabulary():
    for name, table in vocab.SYNONYMS.items():
        assert set(table) <= set(vocab.VOCABULARIES[name]), name
        seen: dict[str, str] = {}
        for word, others in table.items():
            for other in others:
                key = vocab.typed(other)
                assert seen.setdefault(key, word) == word, f"{name}: {other!r} names {seen[key]} and {word}"
                assert vocab.find_word(other, name) == word, f"{name}: {other!r} is taken by another word"


def test_words_with_spaces_hyphens_labels_and_synonyms():
    assert vocab.find_word("gifts", "behaviours") == "leaving_items"
    assert vocab.find_word("Hanging around", "behaviours") == "loitering"
    assert vocab.find_word("watching-or-spying", "behaviours") == "watching_or_spying"
    assert vocab.find_word("followed me", "behaviours") == "following"  # its label
    assert vocab.find_word("texts", "behaviours") == "contacting"
    assert vocab.find_word("texts", "channels") == "text_message"
    assert vocab.find_word("WhatsApp", "channels") == "messaging_app"
    assert vocab.find_word("fear of violence", "effects") == "fear_of_violence"
    assert vocab.find_word("moved house", "impacts") == "moved_home"
    assert vocab.find_word("bananas", "behaviours") is None


def test_a_feeling_is_never_read_as_fear_of_violence():
    # PRODUCT clarification: feelings map only to alarm or distress; the serious effects are
    # recorded only when named.
    for feeling in ("scared", "frightened", "terrified", "anxious", "afraid"):
        assert vocab.find_word(feeling, "effects") not in (
            "fear_of_violence",
            "fear_for_others",
            "serious_alarm_or_distress",
        )


def test_add_reads_everyday_words(run, case):
    inc = run.json(
        "add",
        "Flowers on the doorstep (fictional)",
        "--case",
        case,
        "--when",
        "yesterday",
        "-b",
        "gifts",
        "-b",
        "hanging around",
        "-e",
        "upset",
        "--channel",
        "in person",
        "-i",
        "new locks",
    )
    assert inc["behaviours"] == ["leaving_items", "loitering"]
    assert inc["effects"] == ["distress"]
    assert inc["channel"] == "in_person"
    assert inc["impacts"] == ["extra_security"]
    found = run.json("list", "--case", case, "--behaviour", "gifts")
    assert [i["id"] for i in found] == [inc["id"]]
    run("amend", str(inc["id"]), "--set", "behaviours=texts,threatened", "--reason", "typo")
    assert run.json("show", str(inc["id"]))["behaviours"] == ["contacting", "threats"]


def test_an_unknown_word_says_where_to_see_them_all(run, case):
    result = run("add", "x", "--case", case, "--when", "yesterday", "-b", "bananas", code=1)
    assert '--behaviour: "bananas" is not a behaviour word' in result.stderr
    assert "stalklog words behaviours" in " ".join(result.stderr.split())


def test_words_lists_each_vocabulary(run):
    out = run("words", "behaviours", env={"COLUMNS": "80"}).stdout
    assert "leaving items" in out and "gifts" in out
    data = run.json("words")
    assert set(data) == {"behaviours", "effects", "impacts", "channels"}
    leaving = next(e for e in data["behaviours"] if e["word"] == "leaving_items")
    assert "gifts" in leaving["also"] and leaving["meaning"].startswith("left gifts")
    offences = run.json("words", "offences")
    stalking = next(e for e in offences if e["word"] == "pha-s2a")
    assert stalking["meaning"] == "Stalking (PHA 1997 s.2A)" and stalking["also"] == ["stalking"]
    assert "choose one of" in run("words", "nonsense", code=2).stderr


def test_offence_by_short_name(run, case):
    for day in ("2025-01-05", "2025-02-05"):
        run("add", "Followed me home (fictional)", "--case", case, "--when", day, "-b", "following", "-e", "alarm")
    chosen = json.loads(
        run("report", "--case", case, "--kind", "evidence", "--format", "json", "--offence", "stalking").stdout
    )
    assert chosen["offence"] == "pha-s2a"
    result = run("report", "--case", case, "--kind", "evidence", "--format", "md", "--offence", "stalk", code=1)
    assert "could be any of 2 offences" in result.stderr and "pha-s4a (Stalking involving" in " ".join(
        result.stderr.split()
    )
    missing = run("report", "--case", case, "--kind", "evidence", "--format", "md", "--offence", "burglary", code=1)
    assert "pha-s2a (Stalking (PHA 1997 s.2A))" in " ".join(missing.stderr.split())


@pytest.mark.parametrize("typed", ["fear-of-violence", "Fear of violence", "fear_of_violence"])
def test_spaces_and_hyphens_are_the_same_word(typed):
    assert vocab.find_word(typed, "effects") == "fear_of_violence"
