"""Properties of the check that must hold for any case (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from law_helpers import bundle, check, inc, people

from stalklog.vocab import ATTRIBUTIONS, BEHAVIOURS, CHANNELS, CONTEXTS, EFFECTS, IMPACTS, JURISDICTIONS, RELATIONSHIPS

BASE = dt.date(2021, 6, 1)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def incident_lists(draw, max_size: int = 9) -> list[dict]:
    count = draw(st.integers(0, max_size))
    keys = [f"I{n}" for n in range(count)]
    out = []
    for key in keys:
        day = BASE + dt.timedelta(days=draw(st.integers(0, 1100)))
        time = draw(st.sampled_from(["", "T09:00", "T21:30"]))
        others = [k for k in keys if k != key]
        extra = {
            "by": draw(st.sampled_from([["P"], ["Q"], ["P", "Q"]])),
            "towards": draw(st.sampled_from([["V"], ["W"], ["V", "W"]])),
            "attribution": draw(st.sampled_from(ATTRIBUTIONS)),
            "behaviours": draw(st.lists(st.sampled_from(BEHAVIOURS), min_size=1, max_size=3, unique=True)),
            "effects": draw(st.lists(st.sampled_from(EFFECTS), max_size=2, unique=True)),
            "impacts": draw(st.lists(st.sampled_from(IMPACTS), max_size=1)),
            "channel": draw(st.sampled_from(CHANNELS)),
            "below_threshold": draw(st.booleans().map(lambda b: b and draw(st.booleans()))),
            "precision": draw(st.sampled_from(["day", "day", "month"])) if not time else "exact",
            "same_occasion_as": draw(st.none() | st.sampled_from(others))
            if others and draw(st.integers(0, 3)) == 0
            else None,
            "links": draw(st.lists(st.sampled_from(others), max_size=1)) if others else [],
            "procured_by": "P" if draw(st.integers(0, 9)) == 0 else None,
            "stated_purpose": "reporting a crime" if draw(st.integers(0, 9)) == 0 else None,
        }
        if draw(st.integers(0, 5)) == 0:
            extra["occurred_end"] = (day + dt.timedelta(days=draw(st.integers(0, 40)))).isoformat()
        out.append(inc(key, day.isoformat() + time, **extra))
    return out


@st.composite
def bundles(draw) -> dict:
    subject = {
        "relationship": draw(st.sampled_from(RELATIONSHIPS)),
        "lived_together_until": draw(st.sampled_from([None, "2022-01-01", "2023-06-30"])),
    }
    return bundle(
        draw(incident_lists()),
        context=draw(st.lists(st.sampled_from(CONTEXTS), max_size=2, unique=True)),
        jurisdiction=draw(st.sampled_from(JURISDICTIONS)),
        impacts=draw(st.sampled_from([[], [{"kind": "moved_home", "date": "2023-01"}]])),
        persons=people(subject),
    )


def statuses(doc: dict) -> dict:
    return {
        (c["subject"], tuple(c["victims"]), c["kind"]): (c["status"], [(o["id"], o["status"]) for o in c["offences"]])
        for c in doc["courses"]
    }


@SETTINGS
@given(bundles(), st.randoms(use_true_random=False))
def test_verdict_does_not_depend_on_the_order_incidents_were_entered(b, rnd):
    shuffled = dict(b, incidents=rnd.sample(b["incidents"], len(b["incidents"])))
    assert json.dumps(check(b)) == json.dumps(check(shuffled))


@SETTINGS
@given(bundles(), st.data())
def test_adding_a_below_threshold_incident_never_changes_a_status(b, data):
    keys = [i["key"] for i in b["incidents"]]
    day = BASE + dt.timedelta(days=data.draw(st.integers(0, 1200)))
    extra = inc(
        "NEW",
        day.isoformat(),
        by=data.draw(st.sampled_from([["P"], ["Q"]])),
        towards=data.draw(st.sampled_from([["V"], ["W"], ["V", "W"]])),
        effects=["serious_alarm_or_distress", "fear_of_violence"],
        behaviours=["threats", "controlling_or_coercive", "following"],
        impacts=["moved_home"],
        below_threshold=True,
        same_occasion_as=data.draw(st.none() | st.sampled_from(keys)) if keys else None,
        links=keys[:1],
    )
    before = check(b)
    after = check(dict(b, incidents=b["incidents"] + [extra]))
    assert statuses(after) == statuses(before)


@SETTINGS
@given(bundles(), st.data())
def test_splitting_an_occasion_into_parts_never_adds_an_occasion(b, data):
    if not b["incidents"]:
        return
    target = data.draw(st.sampled_from(b["incidents"]))
    parts = data.draw(st.integers(2, 4))
    chain = data.draw(st.booleans())
    pieces = []
    for n in range(1, parts):
        head = target["key"] if not chain or n == 1 else f"{target['key']}~{n - 1}"
        pieces.append(
            dict(
                target,
                key=f"{target['key']}~{n}",
                same_occasion_as=head,
                links=[],
                behaviours=target["behaviours"][:1],
                effects=target["effects"][:1],
            )
        )
    split = dict(b, incidents=b["incidents"] + pieces)
    before = {k: len(c) for k, c in _occasions(check(b)).items()}
    after = {k: len(c) for k, c in _occasions(check(split)).items()}
    assert after == before


def _occasions(doc: dict) -> dict:
    return {(c["subject"], tuple(c["victims"]), c["kind"]): c["occasions"] for c in doc["courses"]}


@SETTINGS
@given(bundles(), st.data())
def test_s7_2_adding_fear_for_others_never_removes_an_indicated_offence(b, data):
    # check-v2 §1: fear for someone else is alarm; recording it can only add to what is indicated.
    if not b["incidents"]:
        return
    target = data.draw(st.sampled_from(b["incidents"]))
    more = [
        dict(i, effects=sorted(set(i["effects"]) | {"fear_for_others"})) if i is target else i for i in b["incidents"]
    ]
    before = statuses(check(b))
    after = statuses(check(dict(b, incidents=more)))
    for key, (_, offences) in before.items():
        indicated = {oid for oid, s in offences if s == "indicated"}
        assert key in after
        now = dict(after[key][1])
        assert all(now[oid] == "indicated" for oid in indicated), (key, indicated, now)
