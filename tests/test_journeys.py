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
    from stalklog.bundle import bundle_incident

    inc = {k: None for k in __import__("stalklog.records", fromlist=["x"]).BUNDLE_INCIDENT_FIELDS}
    inc.update(exhibits=[], private_notes="new note")
    history = [{"field": "private_notes", "old": "old note", "new": "new note", "reason": "r", "by": None, "at": "x"}]
    assert "history" not in bundle_incident(inc, history=history)
    assert bundle_incident(inc, include_private=True, history=history)["history"] == history
