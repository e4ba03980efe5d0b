"""Who produced an exhibit and who added it are two people, kept apart (issue 15: the
producer was recorded as the person who added it). Fictional names."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def clip(tmp_path):
    path = tmp_path / "screenshot.png"
    path.write_bytes(b"not really a png, fictional test bytes")
    return path


def test_producer_and_adder_are_recorded_separately(run, case, clip):
    run("add", "Texts all night (fictional)", "--when", "yesterday 9pm")
    added = run.json("exhibit", "add", "1", clip, "--by", "Jo Case (advocate)", "--obtained", "yesterday 10pm")
    assert added["producer"] == "Alex Doe" and added["added_by"] == "Jo Case (advocate)"
    shown = run.json("exhibit", "show", added["ref"])
    events = {e["event"]: e for e in shown["continuity"]}
    assert events["obtained"]["by"] == "Alex Doe" and events["added"]["by"] == "Jo Case (advocate)"
    text = run("exhibit", "show", added["ref"]).stdout
    assert "Alex Doe (made or found it)" in text and "Jo Case (advocate) (put it in the case file)" in text
    assert "obtained (by its producer)" in text and "added to the case file" in text
    assert "Tue 11 Mar 2025 22:00 GMT" in text  # obtained, in local time with its zone


def test_the_adder_is_not_assumed_to_be_the_producer(run, case, clip):
    run("add", "Texts all night (fictional)", "--when", "yesterday 9pm")
    added = run.json("exhibit", "add", "1", clip, "--producer", "Kit Doe")
    [event] = run.json("exhibit", "show", added["ref"])["continuity"]
    assert event["event"] == "added" and event["by"] is None  # not assumed to be Kit Doe


def test_added_by_travels_in_the_bundle(run, case, clip, tmp_path):
    run("add", "Texts all night (fictional)", "--when", "yesterday 9pm")
    run("exhibit", "add", "1", clip, "--by", "Jo Case")
    bundle = json.loads(run("export", "--case", case, "--format", "json").stdout)
    [exhibit] = bundle["incidents"][0]["exhibits"]
    assert exhibit["producer"] == "Alex Doe" and exhibit["added_by"] == "Jo Case"
