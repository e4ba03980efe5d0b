"""check-v1, line by line: one test per rule and per "Decision on the fine points".

Each test is named for its source: ``test_spec_rule_N_…`` for the numbered rules,
``test_spec_fine_point_…`` for the decisions, ``test_spec_output_…`` for the JSON shape,
and the case or statute where one decides the point. Fictional people only.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from law_helpers import bundle, check, codes, course, inc, offence, person, requirement, series, status

from stalklog.law import check_case

EW_IDS = ["pha-s2", "pha-s2a", "pha-s4", "pha-s4a", "sca-s76", "pha-s3"]


def _ids(c: dict) -> list[str]:
    return [o["id"] for o in c["offences"]]


# ---------------------------------------------------------------- output shape


def test_spec_output_shape_keys_and_types_match_the_example():
    b = bundle(
        [inc("I0", "2025-01-01", below_threshold=True)]
        + series("2025-01-05", [36, 19])
        + [inc("J1", "2025-04-01", by=["Q"], behaviours=["threats"], channel="text_message")]
    )
    doc = check(b)
    assert doc["format"] == "stalklog.check" and doc["version"] == 2 and isinstance(doc["version"], int)
    assert doc["case"] == "T-2025-001" and doc["jurisdiction"] == "england-wales" and doc["as_of"] == "2025-08-15"
    for key in ("courses", "alternatives", "warnings", "missing"):
        assert isinstance(doc[key], list)
    assert isinstance(doc["disclaimer"], str) and doc["disclaimer"]
    c = course(doc)
    assert c["subject"] == "P" and c["victims"] == ["V"] and c["kind"] == "single"
    assert c["occasions"] == ["I1", "I2", "I3"]
    assert c["excluded"] == [{"incident": "I0", "reason": "below_threshold"}]
    assert c["gaps_days"] == [36, 19] and c["status"] == "met"
    assert all(set(r) >= {"code", "text", "cite"} and isinstance(r["cite"], list) for r in c["reasons"])
    assert c["reasons"][0]["code"] == "two_or_more_occasions"
    assert c["reasons"][0]["cite"] == ["PHA 1997 s.7(3)(a)"]
    assert isinstance(c["flags"], list) and all(isinstance(f, str) for f in c["flags"])
    off = offence(c, "pha-s2a")
    assert set(off) >= {"id", "title", "status", "requirements", "time_limit", "max_penalty", "cite"}
    assert off["title"] == "Stalking (PHA 1997 s.2A)" and off["max_penalty"] == "6 months"
    req = requirement(off, "stalking_behaviour")
    assert req["met"] is True and req["incidents"] == ["I1", "I2", "I3"] and req["cite"] == ["PHA 1997 s.2A(3)"]
    assert set(off["time_limit"]) >= {"applies", "deadline", "status", "days_left"}
    assert off["time_limit"]["applies"] is True and isinstance(off["time_limit"]["days_left"], int)
    alt = doc["alternatives"][0]
    assert set(alt) >= {"id", "title", "incidents", "why"} and alt["incidents"] == ["J1"]
    json.dumps(doc)  # plain JSON, nothing else


def test_spec_output_time_limit_without_a_limit_is_the_none_shape():
    c = course(check(bundle(series("2025-03-01", [10]))))
    for oid in ("pha-s4", "pha-s4a", "sca-s76"):
        assert offence(c, oid)["time_limit"] == {  # check-v2 §7: one shape, with deadline_latest
            "applies": False,
            "deadline": None,
            "deadline_latest": None,
            "status": "none",
            "days_left": None,
        }


def test_spec_fine_point_output_shapes_missing_and_warnings_are_coded_objects():
    doc = check(bundle([inc("I1", "2025-03", precision="month", effects=[])]))
    assert all(isinstance(m["code"], str) and isinstance(m["incidents"], list) for m in doc["missing"])
    assert "no_effect_recorded" in codes(doc["missing"])
    assert all(isinstance(w["code"], str) and isinstance(w["text"], str) for w in doc["warnings"])


# ---------------------------------------------------------------- rule 1: occasions


def test_spec_rule_1_merged_occasion_is_named_by_the_incident_the_others_are_part_of():
    # I1b is recorded as part of I1 although it started earlier: the occasion is I1's.
    doc = check(
        bundle(
            [
                inc("I1", "2025-03-01T18:30"),
                inc("I1b", "2025-03-01T18:00", same_occasion_as="I1"),
                inc("I2", "2025-03-11"),
            ]
        )
    )
    c = course(doc)
    assert c["occasions"] == ["I1", "I2"] and c["gaps_days"] == [10]
    assert c["occasion_detail"][0]["incidents"] == ["I1b", "I1"]


def test_spec_fine_point_gap_runs_from_the_end_of_one_occasion_to_the_start_of_the_next():
    incidents = [inc("I1", "2025-01-01", occurred_end="2025-01-10"), inc("I2", "2025-01-20")]
    assert course(check(bundle(incidents)))["gaps_days"] == [10]


def test_spec_fine_point_merged_occasion_runs_from_earliest_start_to_latest_end():
    incidents = [
        inc("I1", "2025-01-01"),
        inc("I1b", "2025-01-03", occurred_end="2025-01-05", same_occasion_as="I1"),
        inc("I2", "2025-04-06"),  # 91 days after the merged end: wide
    ]
    c = course(check(bundle(incidents)))
    assert c["gaps_days"] == [91] and c["status"] == "borderline"


def test_spec_fine_point_month_precision_overlapping_a_later_date_has_no_gap():
    # check-v2 §8: "March 2025" may be 20 March or later: the smallest possible gap is 0.
    incidents = [inc("I1", "2025-03", precision="month"), inc("I2", "2025-03-20")]
    doc = check(bundle(incidents))
    assert course(doc)["gaps_days"] == [0]
    warning = next(w for w in doc["warnings"] if w["code"] == "imprecise_date")
    assert warning["incidents"] == ["I1"] and "I1" in warning["text"]


def test_spec_fine_point_month_precision_last_occasion_sets_the_deadline_from_the_first():
    incidents = [inc("I1", "2025-02-10"), inc("I2", "2025-03-17", precision="month")]
    off = offence(course(check(bundle(incidents))), "pha-s2")
    assert off["time_limit"]["deadline"] == "2025-09-01"


def test_kelly_separate_acts_minutes_apart_are_separate_occasions():
    incidents = [
        inc(f"I{n}", f"2025-03-01T02:0{n}", channel="phone_call", behaviours=["contacting"]) for n in (1, 2, 3)
    ]
    c = course(check(bundle(incidents)))
    assert c["occasions"] == ["I1", "I2", "I3"] and c["status"] == "met" and c["gaps_days"] == [0, 0]


def test_conn_below_threshold_is_listed_as_excluded_and_not_counted():
    incidents = [inc("I1", "2025-03-01"), inc("I2", "2025-03-05", below_threshold=True)]
    c = course(check(bundle(incidents)))
    assert c["status"] == "not_met" and c["excluded"] == [{"incident": "I2", "reason": "below_threshold"}]


# ---------------------------------------------------------------- rule 2: the wide gap


@pytest.mark.parametrize(("gaps", "expected"), [([90, 10], "met"), ([91, 10], "borderline"), ([10, 91], "borderline")])
def test_lau_three_occasions_any_gap_over_90_days_is_wide(gaps, expected):
    c = course(check(bundle(series("2024-01-01", gaps))))
    assert c["status"] == expected
    assert ("wide_gap" in codes(c["reasons"])) == (expected == "borderline")


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [([180, 10, 10], "met"), ([181, 10, 10], "borderline"), ([10, 180, 90], "met"), ([10, 10, 91], "borderline")],
)
def test_baker_four_occasions_180_days_except_the_gap_before_the_last_at_90(gaps, expected):
    # check-v2 §9: 180 days with four or more occasions (v1: 365).
    assert course(check(bundle(series("2022-01-01", gaps))))["status"] == expected


def test_lau_link_from_any_incident_after_the_gap_to_one_before_it_bridges():
    # I3 (after the wide gap, but not the first after it) links back to I1.
    incidents = series("2024-01-01", [100, 10])
    incidents[2]["links"] = ["I1"]
    c = course(check(bundle(incidents)))
    assert c["status"] == "met" and "linked_across_gap" in codes(c["reasons"])


def test_lau_link_to_a_part_of_an_earlier_merged_occasion_bridges():
    incidents = [
        inc("I1", "2024-01-01"),
        inc("I1b", "2024-01-01T10:00", same_occasion_as="I1"),
        inc("I2", "2024-06-01", links=["I1b"]),
    ]
    assert course(check(bundle(incidents)))["status"] == "met"


def test_lau_link_from_before_the_gap_to_after_it_does_not_bridge():
    incidents = [inc("I1", "2024-01-01", links=["I2"]), inc("I2", "2024-06-01")]
    c = course(check(bundle(incidents)))
    assert c["status"] == "borderline" and "wide_gap" in codes(c["reasons"])
    assert [m["incidents"] for m in check(bundle(incidents))["missing"] if m["code"] == "no_link_recorded"] == [["I2"]]


def test_lau_link_to_an_incident_of_another_victim_does_not_bridge():
    incidents = [inc("X1", "2024-02-01", towards=["W"]), inc("I1", "2024-01-01"), inc("I2", "2024-06-01", links=["X1"])]
    assert course(check(bundle(incidents)))["status"] == "borderline"


@pytest.mark.parametrize("word", ["volatile_mutual_relationship", "reconciled_between_incidents"])
def test_curtis_hills_relationship_context_is_borderline_with_its_own_code(word):
    c = course(check(bundle(series("2025-03-01", [5, 5]), context=[word])))
    assert c["status"] == "borderline" and word in codes(c["reasons"])
    assert all(o["status"] in ("borderline", "not_indicated") for o in c["offences"])


def test_spec_rule_2_met_always_carries_its_reasons():
    c = course(check(bundle(series("2025-03-01", [5]))))
    assert c["status"] == "met" and len(c["reasons"]) >= 2


# ---------------------------------------------------------------- rule 3 and fine point: which courses


def test_spec_fine_point_every_pair_with_an_occasion_is_listed_whatever_the_roles():
    persons = [person("V"), person("P", "witness"), person("F", "other")]
    incidents = [
        inc("I1", "2025-03-01", by=["P"], towards=["V", "F"]),
        inc("I2", "2025-03-02", by=["F"], towards=["P"]),
        inc("I3", "2025-03-03", by=["F"], towards=["V"], below_threshold=True),
    ]
    doc = check(bundle(incidents, persons=persons))
    listed = {(c["subject"], tuple(c["victims"])) for c in doc["courses"]}
    assert listed == {("P", ("V",)), ("P", ("F",)), ("F", ("P",))}  # F->V has no occasion: not listed


def test_s1_1A_multiple_course_victims_are_everyone_in_towards_whatever_their_roles():
    persons = [person("V"), person("P", "subject"), person("W", "witness")]
    incidents = [inc("I1", "2025-03-01", towards=["V"]), inc("I2", "2025-03-05", towards=["W"])]
    doc = check(bundle(incidents, persons=persons, context=["intent_to_persuade"]))
    multiple = course(doc, victims=("V", "W"), kind="multiple")
    assert multiple["status"] == "met"
    assert status(doc, "pha-s2", victims=("V", "W"), kind="multiple") == "indicated"
    assert status(doc, "pha-s3a", victims=("V", "W"), kind="multiple") == "indicated"  # check-v2 §5
    for oid in ("pha-s2a", "pha-s4", "pha-s4a", "sca-s76"):
        assert status(doc, oid, victims=("V", "W"), kind="multiple") in ("not_indicated", "not_available")
    assert course(doc, victims=("V",))["status"] == "not_met"  # singles stay listed


def test_s1_1A_multiple_course_wide_gap_is_borderline():
    incidents = [inc("I1", "2025-01-01", towards=["V"]), inc("I2", "2025-05-01", towards=["W"])]
    doc = check(bundle(incidents, context=["intent_to_persuade"]))
    assert course(doc, victims=("V", "W"), kind="multiple")["status"] == "borderline"


# ---------------------------------------------------------------- rule 4 and precedence


def test_spec_fine_point_every_course_lists_every_offence_of_england_and_wales_in_order():
    doc = check(bundle([inc("I1", "2025-03-01")]))
    assert _ids(course(doc)) == EW_IDS
    doc = check(bundle(series("2025-03-01", [5]), context=["racial_or_religious_hostility"]))
    assert _ids(course(doc)) == [
        "pha-s2",
        "cda-s32-s2",
        "pha-s2a",
        "pha-s4",
        "cda-s32-s4",
        "pha-s4a",
        "sca-s76",
        "pha-s3",
    ]


def test_spec_fine_point_not_available_comes_first_then_not_indicated():
    # Wholly before 25 Nov 2012 and no stalking behaviour: not_available, not not_indicated.
    doc = check(bundle(series("2011-03-01", [5], behaviours=["other"])))
    assert status(doc, "pha-s2a") == "not_available" and status(doc, "pha-s4a") == "not_available"
    assert status(doc, "pha-s2") == "indicated"


def test_spec_fine_point_an_occasion_that_ends_after_the_date_of_force_is_in_force():
    # check-v2 decisions §3: an incident counts as from the date if it ends on or after it.
    incidents = [inc("I1", "2012-11-20", occurred_end="2012-11-26"), inc("I2", "2012-11-30")]
    assert status(check(bundle(incidents)), "pha-s2a") == "indicated"


def test_spec_fine_point_derived_offences_include_the_base_conditions():
    # s.2A needs s.2's harassing effect; s.4A needs s.2A's stalking behaviour.
    doc = check(bundle(series("2025-03-01", [5], effects=[])))
    assert status(doc, "pha-s2") == "not_indicated" and status(doc, "pha-s2a") == "not_indicated"
    doc = check(bundle(series("2025-03-01", [5], behaviours=["threats"], effects=["fear_of_violence"])))
    assert status(doc, "pha-s4") == "indicated"
    assert status(doc, "pha-s2a") == "not_indicated" and status(doc, "pha-s4a") == "not_indicated"


def test_spec_rule_4_s2_without_effect_asks_how_it_affected_the_victim():
    # check-v2 §1: fear for others now counts, so only no effect at all asks.
    doc = check(bundle(series("2025-03-01", [5], effects=[])))
    assert status(doc, "pha-s2") == "not_indicated"
    missing = next(m for m in doc["missing"] if m["code"] == "no_effect_recorded")
    assert missing["incidents"] == ["I1", "I2"] and "V" in missing["text"]


def test_spec_rule_4_s4A_by_fear_of_violence_on_two_occasions():
    doc = check(bundle(series("2025-03-01", [5], effects=["fear_of_violence"])))
    assert status(doc, "pha-s4a") == "indicated"


def test_tanner_s4A_serious_distress_on_one_occasion_and_impact_on_another():
    incidents = [
        inc("I1", "2025-03-01", effects=["serious_alarm_or_distress"]),
        inc("I2", "2025-03-06", effects=["alarm"], impacts=["changed_route"]),
    ]
    assert status(check(bundle(incidents)), "pha-s4a") == "indicated"
    incidents[1]["impacts"] = []
    doc = check(bundle(incidents))
    assert status(doc, "pha-s4a") == "not_indicated" and "no_impact_recorded" in codes(doc["missing"])
    case_impact = [{"kind": "moved_home", "date": "2025-04", "detail": ""}]
    assert status(check(bundle(incidents, impacts=case_impact)), "pha-s4a") == "indicated"


def test_tanner_s4A_borderline_when_s2A_is_borderline():
    doc = check(bundle(series("2025-01-01", [120], effects=["fear_of_violence"])))
    assert status(doc, "pha-s2a") == "borderline" and status(doc, "pha-s4a") == "borderline"


def test_henley_fear_for_others_does_not_count_for_s4():
    incidents = [
        inc("I1", "2025-03-01", effects=["fear_of_violence"]),
        inc("I2", "2025-03-05", effects=["fear_for_others", "alarm"]),
    ]
    assert status(check(bundle(incidents)), "pha-s4") == "not_indicated"


def test_cda_s32_forms_follow_their_base_and_have_no_time_limit():
    doc = check(
        bundle(series("2025-03-01", [5], effects=["fear_of_violence"]), context=["racial_or_religious_hostility"])
    )
    c = course(doc)
    for oid in ("cda-s32-s2", "cda-s32-s4"):
        assert offence(c, oid)["status"] == "indicated"
        assert offence(c, oid)["time_limit"]["status"] == "none"
    assert status(check(bundle(series("2025-03-01", [5]))), "pha-s2") == "indicated"
    assert "cda-s32-s2" not in _ids(course(check(bundle(series("2025-03-01", [5])))))


# ---------------------------------------------------------------- s.76


def _s76(relationship, dates, until=None, **extra):
    subject = {"relationship": relationship, "lived_together_until": until}
    incidents = [
        inc(f"I{n}", d, behaviours=["controlling_or_coercive"], effects=["fear_of_violence"], **extra)
        for n, d in enumerate(dates, 1)
    ]
    return check(bundle(incidents, subject=subject))


@pytest.mark.parametrize("relationship", ["partner", "spouse"])
def test_sca_s76_partner_spouse_always_connected(relationship):
    assert status(_s76(relationship, ["2018-03-01", "2018-03-10"]), "sca-s76") == "indicated"


def test_sca_s76_6_family_before_5_april_2023_only_while_living_together():
    # check-v2 §4 (v1 treated family as always connected): s.76(6) before the Domestic Abuse
    # Act 2021 s.68 needed family members to live together.
    assert status(_s76("family", ["2020-03-01", "2020-03-10"], until="2021-01-01"), "sca-s76") == "indicated"
    assert status(_s76("family", ["2020-03-01", "2020-03-10"], until="2019-01-01"), "sca-s76") == "not_indicated"
    assert status(_s76("family", ["2020-03-01", "2020-03-10"]), "sca-s76") == "borderline"
    assert status(_s76("family", ["2023-04-05", "2023-04-10"], until="2019-01-01"), "sca-s76") == "indicated"


def test_sca_s76_ex_spouse_connected_only_while_living_together_before_2023():
    assert status(_s76("ex-spouse", ["2020-03-01", "2020-03-10"], until="2020-03-10"), "sca-s76") == "indicated"
    assert status(_s76("ex-spouse", ["2020-03-01", "2020-03-10"], until="2020-03-09"), "sca-s76") == "not_indicated"
    assert status(_s76("ex-spouse", ["2023-04-05", "2023-04-10"]), "sca-s76") == "indicated"
    # check-v2 §4: not recorded whether they lived together: for review, not "not indicated"
    assert status(_s76("ex-spouse", ["2023-03-01", "2023-04-04"]), "sca-s76") == "borderline"


def test_sca_s76_nothing_before_29_december_2015_counts():
    doc = _s76("partner", ["2015-12-01", "2015-12-28"])
    assert status(doc, "sca-s76") == "not_available"
    doc = _s76("partner", ["2015-12-01", "2015-12-28", "2016-01-05"])
    assert status(doc, "sca-s76") == "not_indicated"  # one occasion from the date of force
    doc = _s76("partner", ["2015-12-01", "2016-01-01", "2016-01-05"])
    assert status(doc, "sca-s76") == "indicated"  # check-v2 §3: judged on the two from the date


def test_sca_s76_needs_two_controlling_occasions_and_a_serious_effect():
    doc = check(
        bundle(
            [
                inc("I1", "2025-03-01", behaviours=["controlling_or_coercive"], effects=["fear_of_violence"]),
                inc("I2", "2025-03-05", effects=["fear_of_violence"]),
            ],
            subject={"relationship": "partner"},
        )
    )
    assert status(doc, "sca-s76") == "not_indicated"
    doc = _s76("partner", ["2025-03-01", "2025-03-05"])
    assert status(doc, "sca-s76") == "indicated"
    doc = check(
        bundle(
            series("2025-03-01", [5], behaviours=["controlling_or_coercive"], effects=["distress"]),
            subject={"relationship": "partner"},
        )
    )
    assert status(doc, "sca-s76") == "not_indicated"


def test_sca_s76_ex_partner_of_the_victim_is_not_connected_to_a_friend_they_also_target():
    persons = [person("V"), person("W", "other"), person("P", "subject", relationship="partner")]
    incidents = [
        inc(
            f"I{n}",
            f"2025-03-0{n}",
            towards=["V", "W"],
            behaviours=["controlling_or_coercive"],
            effects=["fear_of_violence"],
        )
        for n in (1, 2)
    ]
    doc = check(bundle(incidents, persons=persons))
    assert status(doc, "sca-s76", victims=("V",)) == "indicated"
    assert status(doc, "sca-s76", victims=("W",)) == "not_indicated"


# ---------------------------------------------------------------- rule 5: time limits


@pytest.mark.parametrize(
    ("last", "deadline"),
    [
        ("2025-03-01", "2025-09-01"),
        ("2024-08-31", "2025-02-28"),
        ("2023-08-31", "2024-02-29"),
        ("2025-03-31", "2025-09-30"),
    ],
)
def test_mca_s127_deadline_is_six_calendar_months_same_day_or_month_end(last, deadline):
    incidents = [inc("I1", dt.date.fromisoformat(last) - dt.timedelta(days=3)), inc("I2", last)]
    off = offence(course(check(bundle(incidents))), "pha-s2")
    assert off["time_limit"]["deadline"] == deadline


@pytest.mark.parametrize(("as_of", "state", "days"), [("2025-09-01", "in_time", 0), ("2025-09-02", "expired", -1)])
def test_mca_s127_in_time_on_the_deadline_day_and_negative_days_after(as_of, state, days):
    off = offence(course(check(bundle(series("2025-02-25", [4])), as_of=as_of)), "pha-s2a")
    assert off["time_limit"]["status"] == state and off["time_limit"]["days_left"] == days


def test_baker_deadline_runs_from_the_latest_end_of_any_occasion():
    # A span that started first but ended last is the end of the course.
    incidents = [inc("I1", "2025-01-01", occurred_end="2025-03-10"), inc("I2", "2025-01-15")]
    off = offence(course(check(bundle(incidents))), "pha-s2")
    assert off["time_limit"]["deadline"] == "2025-09-10"


def test_spec_fine_point_time_limits_reported_whatever_the_status_but_not_when_not_available():
    c = course(check(bundle([inc("I1", "2025-03-01", effects=[])])))  # not_met
    for oid in ("pha-s2", "pha-s2a"):
        assert offence(c, oid)["time_limit"]["deadline"] == "2025-09-01"
    assert offence(c, "pha-s3")["time_limit"]["deadline"] == "2031-03-01"
    c = course(check(bundle(series("2011-03-01", [5]))))
    assert offence(c, "pha-s2a")["time_limit"] == {
        "applies": False,
        "deadline": None,
        "deadline_latest": None,
        "status": "none",
        "days_left": None,
        "if_last_not_linked": None,
    }
    assert offence(c, "pha-s2")["time_limit"]["status"] == "expired"


def test_limitation_act_s3_six_years_from_a_29_february():
    off = offence(course(check(bundle(series("2024-02-20", [9])))), "pha-s3")
    assert off["time_limit"]["deadline"] == "2030-02-28" and off["kind"] == "civil"


def test_mca_s127_soon_warning_only_for_live_summary_offences():
    as_of = "2025-08-20"  # 12 days before 1 Sep 2025
    doc = check(bundle(series("2025-02-25", [4], effects=[])), as_of=as_of)  # s.2/s.2A not indicated
    assert "time_limit_soon" not in codes(doc["warnings"])
    doc = check(bundle(series("2025-02-25", [4])), as_of=as_of)
    soon = [w for w in doc["warnings"] if w["code"] == "time_limit_soon"]
    assert len(soon) == 1 and "12 days left for a prosecution to begin for s.2/s.2A" in soon[0]["text"]
    doc = check(bundle(series("2025-02-25", [4])), as_of="2025-08-03")  # 29 days
    assert "time_limit_soon" not in codes(doc["warnings"])


def test_pfho_art4_no_time_limit_soon_in_northern_ireland_only_unverified():
    # check-v2 §7: no time_limit_soon for pfho-art4, whose limit is unverified.
    doc = check(bundle(series("2025-02-25", [4]), jurisdiction="northern-ireland"), as_of="2025-08-20")
    assert codes(doc["warnings"]) == ["time_limit_unverified"]


@pytest.mark.parametrize(("last", "penalty"), [("2017-04-02", "5 years"), ("2017-04-03", "10 years")])
def test_pca_2017_s175_max_penalty_phrase_for_s4_and_s4A(last, penalty):
    incidents = [inc("I1", "2017-03-20", effects=["fear_of_violence"]), inc("I2", last, effects=["fear_of_violence"])]
    c = course(check(bundle(incidents)))
    assert offence(c, "pha-s4")["max_penalty"] == penalty and offence(c, "pha-s4a")["max_penalty"] == penalty
    assert offence(c, "pha-s2")["max_penalty"] == "6 months"


# ---------------------------------------------------------------- attribution and defences


def test_spec_fine_point_unknown_attribution_does_not_count():
    doc = check(bundle(series("2025-03-01", [5], attribution="unknown")))
    assert doc["courses"] == []


@pytest.mark.parametrize("attribution", ["suspected", "told_by_other"])
def test_spec_fine_point_doubtful_attribution_counts_and_flags(attribution):
    incidents = series("2025-03-01", [5])
    incidents[1]["attribution"] = attribution
    c = course(check(bundle(incidents)))
    assert c["status"] == "met" and c["flags"] == ["attribution_review"]


@pytest.mark.parametrize(
    "extra", [{"stated_purpose": "reporting a crime"}, {"behaviours": ["reporting_to_authorities"]}]
)
def test_hayes_v_willoughby_defence_review_flag_never_applies_a_defence(extra):
    incidents = series("2025-03-01", [5])
    incidents[0].update(extra)
    c = course(check(bundle(incidents)))
    assert "defence_review" in c["flags"] and c["status"] == "met"
    assert offence(c, "pha-s2")["status"] == "indicated"


# ---------------------------------------------------------------- rule 7: alternatives


def test_spec_fine_point_osa_s181_and_mca_s1_for_one_threatening_message():
    doc = check(
        bundle([inc("I1", "2025-03-01", behaviours=["threats"], channel="email", effects=["fear_of_violence"])])
    )
    alts = {a["id"]: a for a in doc["alternatives"]}
    # check-v2 §12: from 31 Jan 2024 mca-s1 no longer covers threats (OSA 2023 repealed the limb)
    assert set(alts) == {"oapa-s16", "osa-s181"} and alts["osa-s181"]["incidents"] == ["I1"]
    assert "if the threat was of death or serious harm" in alts["osa-s181"]["why"]
    assert alts["osa-s181"]["max_penalty"] == "5 years" and alts["osa-s181"]["time_limit"]["status"] == "none"


def test_spec_fine_point_mca_s1_alone_for_one_abusive_letter():
    doc = check(bundle([inc("I1", "2025-03-01", behaviours=["abusive"], channel="letter")]))
    assert [a["id"] for a in doc["alternatives"]] == ["mca-s1"]


def test_spec_fine_point_no_message_alternative_for_threats_in_person():
    # check-v2 §12: threats in person get threats to kill and POA 1986 s.4A, no message offence.
    doc = check(bundle([inc("I1", "2025-03-01", behaviours=["threats"], channel="in_person")]))
    assert [a["id"] for a in doc["alternatives"]] == ["oapa-s16", "poa-s4a"]


def test_cjlsa_s38_alternative_in_scotland_for_one_occasion_in_person():
    doc = check(bundle([inc("I1", "2025-03-01", behaviours=["violence"])], jurisdiction="scotland"))
    assert [a["id"] for a in doc["alternatives"]] == ["cjlsa-s38"]
    assert status(doc, "cjlsa-s38") == "indicated" and status(doc, "cjlsa-s39") == "not_indicated"


# ---------------------------------------------------------------- Scotland and Northern Ireland


def test_spec_fine_point_scotland_and_ni_list_only_their_own_offences():
    for juris, ids in (
        ("scotland", ["cjlsa-s39", "cjlsa-s38"]),
        ("northern-ireland", ["pfsa-s1", "pfho-art4", "pfsa-s2"]),  # pfsa-s2: check-v2 §11
    ):
        c = course(check(bundle(series("2025-03-01", [5]), jurisdiction=juris)))
        assert _ids(c) == ids


def test_cjlsa_s39_any_behaviour_with_alarm_is_listed_conduct():
    doc = check(bundle(series("2025-03-01", [5], behaviours=["abusive"], effects=["alarm"]), jurisdiction="scotland"))
    assert status(doc, "cjlsa-s39") == "indicated"
    doc = check(
        bundle(series("2025-03-01", [5], behaviours=["abusive"], effects=["distress"]), jurisdiction="scotland")
    )
    assert status(doc, "cjlsa-s39") == "not_indicated"


def test_pfsa_s1_only_occasions_from_27_april_2022_count():
    ni = {"jurisdiction": "northern-ireland"}
    assert status(check(bundle(series("2022-04-01", [5]), **ni)), "pfsa-s1") == "not_available"
    assert status(check(bundle([inc("I1", "2022-04-20"), inc("I2", "2022-04-27")], **ni)), "pfsa-s1") == "not_indicated"
    assert (
        status(
            check(bundle([inc("I1", "2022-04-20"), inc("I2", "2022-04-27"), inc("I3", "2022-05-01")], **ni)), "pfsa-s1"
        )
        == "indicated"
    )


def test_pfsa_s1_effects_are_alarm_fear_or_serious_distress():
    ni = {"jurisdiction": "northern-ireland"}
    for effect, expected in (
        ("distress", "borderline"),  # check-v2 §11: the objective limb is for review
        ("serious_alarm_or_distress", "indicated"),
        ("fear_of_violence", "indicated"),
    ):
        doc = check(bundle(series("2025-03-01", [5], effects=[effect]), **ni))
        assert status(doc, "pfsa-s1") == expected, effect


def test_pfho_art4_takes_the_deadline_of_pha_s2():
    doc = check(bundle(series("2025-02-25", [4]), jurisdiction="northern-ireland"))
    off = offence(course(doc), "pfho-art4")
    assert off["time_limit"]["deadline"] == "2025-09-01" and off["status"] == "indicated"
    assert "time_limit_unverified" in codes(doc["warnings"])


# ---------------------------------------------------------------- words and robustness


def test_spec_words_never_guilty_and_a_disclaimer():
    b = bundle(series("2025-03-01", [5], effects=["fear_of_violence"]))
    text = json.dumps(check(b)).lower()
    assert "guilty" not in text and "offence committed" not in text and "offence was committed" not in text
    assert "not legal advice" in text


def _minimal(incidents, people_=None):
    return {
        "format": "stalklog.case",
        "version": 1,
        "case": {"ref": "T-odd", "jurisdiction": "england-wales"},
        "people": people_ if people_ is not None else [{"key": "V", "role": "victim"}],
        "incidents": incidents,
    }


@pytest.mark.parametrize(
    "incidents",
    [
        [],
        [{"key": "I1", "occurred": "2025-03-01", "by": [], "towards": ["V"]}],
        [{"key": "I1", "occurred": "2025-03-01", "by": ["P"], "towards": []}],
        [
            {
                "key": "I1",
                "occurred": "2025-03-01",
                "by": ["P"],
                "towards": ["V"],
                "withdrawn": {"at": "2025-03-02T00:00:00+00:00", "reason": ""},
            }
        ],
        [
            {"key": "I1", "occurred": "2025-03", "precision": "month", "by": ["P"], "towards": ["V"]},
            {"key": "I2", "occurred": "2025-03-09T10:00", "by": ["P"], "towards": ["V"], "procured_by": "Q"},
        ],
        [{"key": "I1", "occurred": "2025-03-01", "by": ["P"], "towards": ["P"]}],
        [
            {
                "key": "I1",
                "occurred": "2025-03-01",
                "by": ["P"],
                "towards": ["V"],
                "same_occasion_as": "I1",
                "links": ["I9"],
            }
        ],
    ],
)
def test_spec_robustness_odd_but_valid_bundles_do_not_crash(incidents):
    b = _minimal(incidents)
    for juris in ("england-wales", "scotland", "northern-ireland"):
        doc = check_case(b, dt.date(2025, 8, 15), juris)
        assert doc["format"] == "stalklog.check" and isinstance(doc["courses"], list)


def test_spec_robustness_people_without_relationship_or_subject():
    b = _minimal(
        [
            {
                "key": f"I{n}",
                "occurred": f"2025-03-0{n}",
                "by": ["P"],
                "towards": ["V"],
                "behaviours": ["controlling_or_coercive"],
            }
            for n in (1, 2)
        ],
        [{"key": "V", "role": "victim"}],
    )
    doc = check_case(b, dt.date(2025, 8, 15))
    assert status(doc, "sca-s76") == "not_indicated"
    assert "relationship_not_recorded" in codes(doc["missing"])


# ---------------------------------------------------------------- through the CLI


def test_spec_cli_check_json_on_the_full_bundle(run, tmp_path):
    from pathlib import Path

    source = Path(__file__).parent.parent / "data" / "bundle_full.json"
    run("init")
    run("import", str(source))
    doc = run.json("check", "--case", "C-2025-014", "--as-of", "2025-08-15")
    assert doc["format"] == "stalklog.check" and doc["as_of"] == "2025-08-15"
    p_to_v = course(doc)
    assert p_to_v["status"] == "borderline" and "reconciled_between_incidents" in codes(p_to_v["reasons"])
    assert p_to_v["excluded"] == [
        {"incident": "I7", "reason": "below_threshold"},
        {"incident": "I8", "reason": "withdrawn"},
    ]
    assert set(p_to_v["flags"]) == {"attribution_review", "defence_review"}
    assert "imprecise_date" in codes(doc["warnings"])
    result = run("check", "--case", "C-2025-014", "--as-of", "2025-08-15")
    assert "for review" in result.stdout and "guilty" not in result.stdout.lower()
    run("check", "--case", "NO-SUCH", code=1)


def test_s1_1A_multiple_course_with_two_occasions_gives_the_usual_count_reason():
    incidents = [inc("I1", "2025-03-01", towards=["V"]), inc("I2", "2025-03-05", towards=["W"])]
    multiple = course(check(bundle(incidents, context=["intent_to_persuade"])), victims=("V", "W"), kind="multiple")
    assert multiple["reasons"][0]["code"] == "two_or_more_occasions"
    assert "each of V and W" in multiple["reasons"][0]["text"]
