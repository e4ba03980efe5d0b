"""Problems found by walking the users' journeys (victim, advocate, police) on a fresh install.

Each test names the journey step that showed the problem. Data is fictional.
"""

from __future__ import annotations

import json

PRIVATE = "I think my sister told him where I live"


def _add(run, text, when="03/03/2025 21:00", *extra):
    return run("add", text, "--case", "C-1", "--when", when, "-b", "contacting", *extra)


# ---------------------------------------------------------------- victim: hand the diary over, private notes left out


def test_an_amended_private_note_does_not_leak_through_the_history_of_an_export(run, case):
    _add(run, "Drove past slowly", "03/03/2025 15:00", "--private-notes", PRIVATE)
    run("amend", "1", "--set", "private_notes=Actually my cousin told him", "--reason", "remembered")
    run("amend", "1", "--set", "location=Mill Road", "--reason", "forgot where")
    bundle = run("export", "--case", "C-1").stdout
    assert "sister" not in bundle and "cousin" not in bundle
    history = json.loads(bundle)["incidents"][0]["history"]
    assert [h["field"] for h in history] == ["location"]  # the other corrections are still handed over
    report = run("report", "--case", "C-1", "--kind", "evidence", "--format", "json").stdout
    assert "sister" not in report and "cousin" not in report
    # asked for by name, the private notes and their history go with it
    full = run("export", "--case", "C-1", "--include-private").stdout
    assert "sister" in full and "cousin" in full


def test_core_bundle_leaves_private_history_out():
    from stalklog.interchange.json_bundle import bundle_incident
    from stalklog.records import BUNDLE_INCIDENT_FIELDS

    inc = dict.fromkeys(BUNDLE_INCIDENT_FIELDS)
    inc.update(exhibits=[], private_notes="new note")
    history = [{"field": "private_notes", "old": "old note", "new": "new note", "reason": "r", "by": None, "at": "x"}]
    assert "history" not in bundle_incident(inc, history=history)
    assert bundle_incident(inc, include_private=True, history=history)["history"] == history


# ---------------------------------------------------------------- victim: recording and correcting


def test_an_empty_summary_is_refused_not_recorded_blank(run, case):
    result = run("add", "", "--case", "C-1", "--when", "yesterday", code=2)
    assert "summary" in result.stderr.lower() and "Traceback" not in result.stderr
    run("add", "   ", "--case", "C-1", "--when", "yesterday", code=2)
    assert run.json("list") == []


def test_walk_through_date_errors_do_not_mention_an_option_the_person_never_typed(run, case):
    from test_log_interactive import FULL

    result = run("add", "--interactive", "--case", "C-1", input="31/02/2025\n" + FULL)
    assert "February 2025 has 28 days" in result.stderr
    assert "--when" not in result.stderr
    # once saved, the photo hint names the real incident id, not "ID"
    assert "stalklog exhibit add 1 FILE" in result.stderr
    assert "exhibit add ID" not in result.stderr


def test_flag_add_does_not_print_the_walk_through_photo_hint(run, case):
    assert "exhibit add" not in _add(run, "Texts again").stderr


def test_corrections_read_as_words_not_python_lists(run, case):
    _add(run, "Called 8 times")
    run("amend", "1", "--set", "behaviours=contacting,threats", "--reason", "forgot the threat")
    run("amend", "1", "--set", "location=Mill Road", "--reason", "forgot where")
    shown = run("show", "1").stdout
    assert "['contacting']" not in shown and "[]" not in shown
    assert "contacting, threats" in shown
    assert "(empty)" in shown  # the location was empty before


def test_amending_when_reads_the_new_date_back(run, case):
    _add(run, "Called 8 times", "06/03/2025")
    result = run("amend", "1", "--set", "when=05/03/2025 21:15", "--reason", "wrong day")
    assert "Wed 5 Mar 2025 21:15" in result.stderr
    assert "When:" not in run("amend", "1", "--set", "location=Home", "--reason", "x").stderr


# ---------------------------------------------------------------- every command's help has an example


def _leaf_commands():
    from stalklog.cli.app import all_commands

    def walk(cmd, path):
        if getattr(cmd, "commands", None):  # a group (typer 0.28 vendors its own click)
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path

    return [leaf for name, cmd in all_commands().items() for leaf in walk(cmd, [name])]


def test_every_command_help_has_an_example(run):
    missing = [" ".join(c) for c in _leaf_commands() if "Example:" not in run(*c, "--help").stdout]
    assert not missing, f"no example in --help: {missing}"


def test_command_list_summaries_are_not_cut_off_mid_phrase(run):
    top = run("--help").stdout
    assert "(e.g." not in top


def test_screening_examples_are_on_separate_lines(run):
    text = run("screening", "record", "--help").stdout
    assert all("C-2025-001 Example:" not in line for line in text.splitlines())
    assert text.count("Example:") == 2


# ---------------------------------------------------------------- police: the law catalogue


def test_law_names_its_argument_not_an_option_when_the_jurisdiction_is_wrong(run):
    result = run("law", "wales", code=2)
    assert "JURISDICTION" in result.stderr and "--jurisdiction" not in result.stderr
    assert "--jurisdiction" in run("check", "--case", "X", "-j", "wales", code=2).stderr


def test_amend_cannot_blank_what_happened(run, case):
    _add(run, "Called 8 times")
    result = run("amend", "1", "--set", "summary=", "--reason", "oops", code=1)
    assert "withdraw" in result.stderr
    assert run.json("show", "1")["summary"] == "Called 8 times"


def test_adding_the_same_file_twice_is_kept_but_noted(run, case, tmp_path):
    _add(run, "Texts again")
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"\x89PNG fictional screenshot bytes")
    first = run("exhibit", "add", "1", shot, "--producer", "Alex Doe")
    assert "same file" not in first.stderr
    second = run("exhibit", "add", "1", shot, "--producer", "Alex Doe")
    assert "already exhibit AD/1" in second.stderr
    assert [e["ref"] for e in run.json("exhibit", "list")] == ["AD/1", "AD/2"]


def test_an_entry_without_a_subject_says_so_at_once_and_how_to_fix_it(run):
    run("init")
    run("case", "new", "C-1")
    run("person", "add", "--case", "C-1", "--role", "victim", "--name", "Alex Doe")
    result = _add(run, "He shouted at me in the street")
    assert "does not say who did it" in result.stderr and "who it was aimed at" not in result.stderr
    assert "stalklog person add --case C-1 --role subject" in result.stderr
    assert run.json("list")[0]["by"] == []  # kept as typed, not refused
    run("person", "add", "--case", "C-1", "--role", "subject", "--name", "Sam Roe")
    run("amend", "1", "--set", "by=P", "--reason", "added who")
    assert "does not say" not in _add(run, "Again").stderr  # the only subject is the default now


def test_an_entry_with_two_possible_subjects_names_their_keys(run, case):
    run("person", "add", "--case", "C-1", "--role", "subject", "--name", "Kim Roe")
    result = _add(run, "Someone left a note")
    assert "--set by=KEY" in result.stderr and "(KEY: P, P2)" in result.stderr


# ---------------------------------------------------------------- victim: nothing readable left behind without saying so


def test_documents_from_an_encrypted_file_say_they_are_not_encrypted(run, isolated, monkeypatch):
    from case_files import FAST_KEY

    from stalklog.store.maintenance import create_encrypted

    monkeypatch.setenv("STALKLOG_PASSPHRASE", FAST_KEY)
    create_encrypted(isolated / "stalklog.db", FAST_KEY).close()
    run("case", "new", "C-1")
    for args in (
        ("report", "--kind", "diary", "-o", isolated / "d.html"),
        ("export", "--case", "C-1", "-o", isolated / "c.json"),
    ):
        assert "itself is not encrypted" in run(*args).stderr
    assert "(private notes left out)." in run("export", "--case", "C-1", "-o", isolated / "c2.json").stderr
    assert (
        "(private notes included)."
        in run("export", "--case", "C-1", "-o", isolated / "c3.json", "--include-private").stderr
    )


def test_documents_from_a_plain_file_do_not_warn(run, case, isolated):
    assert "not encrypted" not in run("report", "--kind", "diary", "-o", isolated / "d.html").stderr
    assert "not encrypted" not in run("export", "--case", "C-1", "-o", isolated / "c.json").stderr


# ---------------------------------------------------------------- victim: one diary, no --case to remember


def test_check_and_timeline_use_the_only_open_case_like_add_and_report(run, case):
    _add(run, "Texts again", "03/03/2025 21:00")
    _add(run, "Outside my work", "05/03/2025 17:10", "-e", "alarm")
    assert run.json("check")["case"] == "C-1"
    assert len(run.json("timeline")["entries"]) == 2
    run("case", "new", "C-2")
    several = run("check", code=1)
    assert "several open cases" in several.stderr and "C-1, C-2" in several.stderr
    run("timeline", code=1)
    run("check", "--all", "--case", "C-1", code=2)


def test_with_every_case_closed_check_says_how_to_name_one(run, case):
    run("case", "close", "C-1")
    result = run("check", code=1)
    assert "no open case to check" in result.stderr and "--case C-1" in result.stderr
    assert run.json("check", "--case", "C-1")["case"] == "C-1"  # a closed case can still be checked by name
    assert "record into" in run("add", "x", "--when", "yesterday", code=1).stderr


def test_show_gives_times_as_people_read_them(run, case):
    _add(run, "Called 8 times")
    run("amend", "1", "--set", "location=Mill Road", "--reason", "forgot where")
    run("withdraw", "1", "--reason", "recorded twice")
    shown = run("show", "1").stdout
    assert "+00:00" not in shown and "T12:00" not in shown
    assert shown.count(" Mar 2025 ") >= 3 and shown.count(" GMT") >= 4  # recorded, corrected, withdrawn


# ---------------------------------------------------------------- police: a document from a file that does not verify


def test_a_report_from_a_file_that_does_not_verify_warns_whoever_makes_it(run, case, isolated):
    import os
    import sqlite3

    _add(run, "Eleven texts in an hour")
    assert "did not verify" not in run("report", "--kind", "evidence", "--format", "md").stderr
    conn = sqlite3.connect(os.environ["STALKLOG_DB"])
    conn.execute("UPDATE incidents SET summary = 'Twelve texts' WHERE id = 1")  # changed outside stalklog
    conn.commit()
    conn.close()
    run("verify", code=3)
    result = run("report", "--kind", "evidence", "-o", isolated / "s.md")
    assert "Warning: the case file did not verify" in result.stderr and "incident 1" in result.stderr


def test_unquoted_words_are_one_summary_not_extra_arguments(run, case):
    inc = run.json("add", "He", "was", "outside", "my", "work", "--case", "C-1", "--when", "yesterday")
    assert inc["summary"] == "He was outside my work"
    assert run.json("add", "Quoted as before", "--case", "C-1", "--when", "yesterday")["summary"] == "Quoted as before"
