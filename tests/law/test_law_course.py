"""Occasions and course status: PHA 1997 s.7(3), (3A) and the cases on linking incidents."""

from __future__ import annotations

import datetime as dt

import pytest
from law_helpers import bundle, check, codes, course, inc, offence, series

# ---------------------------------------------------------------- s.7(3)(a): two occasions


def test_s7_3_a_one_occasion_is_not_a_course():
    doc = check(bundle([inc("I1", "2025-03-01")]))
    c = course(doc)
    assert c["status"] == "not_met"
    assert codes(c["reasons"]) == ["fewer_than_two_occasions"]
    assert c["reasons"][0]["cite"] == ["PHA 1997 s.7(3)(a)"]


def test_s7_3_a_two_occasions_close_together_are_met_with_reasons():
    doc = check(bundle(series("2025-01-05", [36])))
    c = course(doc)
    assert c["status"] == "met"
    assert c["occasions"] == ["I1", "I2"] and c["gaps_days"] == [36]
    assert "two_or_more_occasions" in codes(c["reasons"])
    assert "gaps_within_limits" in codes(c["reasons"])


def test_s7_3_a_no_courses_listed_without_incidents():
    doc = check(bundle([]))
    assert doc["courses"] == [] and doc["alternatives"] == []


# ---------------------------------------------------------------- Conn, Kelly: what an occasion is


def test_conn_below_threshold_incident_is_excluded():
    doc = check(bundle([inc("I1", "2025-02-01", below_threshold=True), inc("I2", "2025-02-20")]))
    c = course(doc)
    assert c["occasions"] == ["I2"]
    assert c["excluded"] == [{"incident": "I1", "reason": "below_threshold"}]
    assert c["status"] == "not_met"


def test_kelly_calls_minutes_apart_are_separate_occasions():
    calls = [
        inc("I1", "2025-02-01T02:10", behaviours=["contacting"], channel="phone_call", effects=["distress"]),
        inc("I2", "2025-02-01T02:12", behaviours=["contacting"], channel="phone_call", effects=[]),
        inc("I3", "2025-02-01T02:15", behaviours=["contacting"], channel="phone_call", effects=[]),
    ]
    c = course(check(bundle(calls)))
    assert c["occasions"] == ["I1", "I2", "I3"]
    assert c["gaps_days"] == [0, 0]
    assert c["status"] == "met"
    assert "separate_acts_same_day" in codes(c["reasons"])


def test_kelly_occasions_on_one_day_are_ordered_by_time_not_entry():
    calls = [inc("late", "2025-02-01T23:00"), inc("early", "2025-02-01T01:00")]
    assert course(check(bundle(calls)))["occasions"] == ["early", "late"]


# ---------------------------------------------------------------- Lau, Pratt, Hills: gaps


@pytest.mark.parametrize("gap, expected", [(90, "met"), (91, "borderline")])
def test_lau_gap_of_90_days_is_met_and_91_is_borderline(gap, expected):
    c = course(check(bundle(series("2025-01-01", [gap]))))
    assert c["gaps_days"] == [gap]
    assert c["status"] == expected
    assert ("wide_gap" in codes(c["reasons"])) == (expected == "borderline")


def test_lau_two_incidents_four_months_apart_is_borderline():
    # Lau v DPP: two incidents about four months apart (Nov 1998 - Mar 1999).
    c = course(check(bundle([inc("I1", "2024-11-15"), inc("I2", "2025-03-19")])))
    assert c["status"] == "borderline"
    gap = next(r for r in c["reasons"] if r["code"] == "wide_gap")
    assert "124 days" in gap["text"]
    assert any("Lau v DPP" in cite for cite in gap["cite"])


def test_pratt_two_incidents_three_months_apart_is_met_at_the_margin():
    # Pratt v DPP: about three months apart, "marginally" a course of conduct.
    c = course(check(bundle(series("2025-01-10", [89]))))
    assert c["status"] == "met"


def test_lau_three_occasions_use_the_90_day_limit():
    c = course(check(bundle(series("2024-01-01", [30, 120]))))
    assert c["status"] == "borderline"


def test_v2_s9_four_occasions_allow_gaps_up_to_180_days():
    # check-v2 §9 (v1 allowed 365): with four or more occasions a gap over 180 days is wide.
    assert course(check(bundle(series("2023-01-01", [180, 180, 60]))))["status"] == "met"
    c = course(check(bundle(series("2023-01-01", [181, 30, 60]))))
    assert c["status"] == "borderline" and "wide_gap" in codes(c["reasons"])


def test_lau_four_occasions_with_a_366_day_gap_are_borderline():
    c = course(check(bundle(series("2023-01-01", [366, 30, 60]))))
    assert c["status"] == "borderline"


def test_baker_gap_before_the_last_occasion_is_wide_beyond_90_days_whatever_the_count():
    c = course(check(bundle(series("2024-01-01", [10, 10, 10, 10, 91]))))
    assert c["status"] == "borderline"
    assert c["gaps_days"][-1] == 91


def test_lau_annual_event_linked_across_a_long_gap_is_met():
    # Lau v DPP: incidents a year apart can be linked (e.g. tied to an annual event).
    incidents = [inc("I1", "2024-03-01"), inc("I2", "2025-03-01", links=["I1"])]
    c = course(check(bundle(incidents)))
    assert c["status"] == "met"
    assert "linked_across_gap" in codes(c["reasons"])


def test_hipgrave_link_to_an_earlier_occasion_bridges_only_the_gaps_it_spans():
    # Hipgrave v Jones: eight months apart yet one course within an ongoing dispute.
    incidents = [
        inc("I1", "2024-01-01"),
        inc("I2", "2024-09-01", links=["I1"]),
        inc("I3", "2025-03-01"),  # 181 days after I2, no link: wide before the last occasion
    ]
    c = course(check(bundle(incidents)))
    assert c["status"] == "borderline"
    assert codes(c["reasons"]).count("wide_gap") == 1


def test_lau_link_to_an_excluded_incident_does_not_bridge():
    incidents = [
        inc("I0", "2024-06-01", below_threshold=True),
        inc("I1", "2024-01-01"),
        inc("I2", "2024-09-01", links=["I0"]),
    ]
    assert course(check(bundle(incidents)))["status"] == "borderline"


def test_hills_reconciled_between_incidents_is_borderline():
    # R v Hills: partners who kept living together between incidents six months apart.
    doc = check(bundle(series("2025-01-01", [20]), context=["reconciled_between_incidents"]))
    c = course(doc)
    assert c["status"] == "borderline"
    assert "reconciled_between_incidents" in codes(c["reasons"])


def test_curtis_volatile_mutual_relationship_is_borderline_even_with_six_incidents():
    # R v Curtis: six incidents in a volatile relationship; the count is not decisive.
    doc = check(bundle(series("2025-01-01", [20, 20, 20, 20, 20]), context=["volatile_mutual_relationship"]))
    c = course(doc)
    assert c["status"] == "borderline"
    reason = next(r for r in c["reasons"] if r["code"] == "volatile_mutual_relationship")
    assert any("Curtis" in x for x in reason["cite"]) and any("Widdows" in x for x in reason["cite"])


def test_widdows_context_does_not_make_one_occasion_a_course():
    doc = check(bundle([inc("I1", "2025-01-01")], context=["volatile_mutual_relationship"]))
    assert course(doc)["status"] == "not_met"


# ---------------------------------------------------------------- dates of an occasion


def test_occurred_end_span_counts_the_gap_from_its_end():
    incidents = [inc("I1", "2025-01-01", occurred_end="2025-01-20"), inc("I2", "2025-04-20")]
    c = course(check(bundle(incidents)))
    assert c["gaps_days"] == [90]
    assert c["status"] == "met"


def test_same_occasion_as_merges_parts_into_one_occasion_for_gaps():
    incidents = [
        inc("I1", "2025-01-01"),
        inc("I1b", "2025-01-10", same_occasion_as="I1"),
        inc("I2", "2025-04-10"),
    ]
    c = course(check(bundle(incidents)))
    assert c["occasions"] == ["I1", "I2"]
    assert c["gaps_days"] == [90]
    assert c["occasion_detail"][0]["incidents"] == ["I1", "I1b"]
    assert c["occasion_detail"][0]["end"] == "2025-01-10"


def test_same_occasion_as_chain_is_one_occasion_whatever_the_order():
    incidents = [
        inc("C", "2025-01-03", same_occasion_as="B"),
        inc("B", "2025-01-02", same_occasion_as="A"),
        inc("A", "2025-01-01"),
    ]
    c = course(check(bundle(incidents)))
    assert c["occasions"] == ["A"] and c["status"] == "not_met"


def test_month_precision_gap_is_the_smallest_possible_with_a_warning():
    # check-v2 §8: a month-only date may be any day of its month; gaps use the nearest ends.
    incidents = [inc("I1", "2024-12-20"), inc("I2", "2025-03-17", precision="month")]
    doc = check(bundle(incidents))
    c = course(doc)
    assert c["gaps_days"] == [(dt.date(2025, 3, 1) - dt.date(2024, 12, 20)).days]
    detail = c["occasion_detail"][1]
    assert detail["start"] == "2025-03-01" and (detail["earliest"], detail["latest"]) == ("2025-03-01", "2025-03-31")
    warning = next(w for w in doc["warnings"] if w["code"] == "imprecise_date")
    assert warning["incidents"] == ["I2"] and "1 Mar 2025" in warning["text"] and "31 Mar 2025" in warning["text"]


def test_month_precision_accepts_a_bare_year_and_month():
    # check-v2 §8: January 2025 may end on 31 Jan, one day before 1 Feb.
    doc = check(bundle([inc("I1", "2025-01", precision="month"), inc("I2", "2025-02-01")]))
    assert course(doc)["gaps_days"] == [1]


# ---------------------------------------------------------------- who counts


def test_attribution_unknown_is_not_counted():
    incidents = [inc("I1", "2025-02-01", attribution="unknown"), inc("I2", "2025-02-10")]
    doc = check(bundle(incidents))
    c = course(doc)
    assert c["occasions"] == ["I2"] and c["status"] == "not_met"
    assert {"incident": "I1", "reason": "attribution_unknown"} in c["excluded"]
    assert "attribution_unknown" in codes(doc["missing"])


@pytest.mark.parametrize("attribution", ["suspected", "told_by_other"])
def test_attribution_suspected_counts_with_attribution_review_flag(attribution):
    incidents = [inc("I1", "2025-02-01", attribution=attribution), inc("I2", "2025-02-10")]
    c = course(check(bundle(incidents)))
    assert c["occasions"] == ["I1", "I2"] and c["status"] == "met"
    assert c["flags"] == ["attribution_review"]


def test_s7_3A_procured_conduct_counts_for_the_procurer():
    incidents = [inc("I1", "2025-02-01", by=["Q"], procured_by="P"), inc("I2", "2025-02-10")]
    doc = check(bundle(incidents))
    c = course(doc, "P")
    assert c["occasions"] == ["I1", "I2"] and c["status"] == "met"
    procured = next(r for r in c["reasons"] if r["code"] == "procured_conduct")
    assert procured["cite"] == ["PHA 1997 s.7(3A)"]
    assert course(doc, "Q")["status"] == "not_met"


def test_s7_3A_procured_conduct_counts_even_when_the_doer_is_unknown():
    incidents = [inc("I1", "2025-02-01", by=["Q"], attribution="unknown", procured_by="P"), inc("I2", "2025-02-10")]
    doc = check(bundle(incidents))
    assert course(doc, "P")["status"] == "met"
    assert [c["subject"] for c in doc["courses"]] == ["P"]


def test_buckley_two_subjects_acting_together_each_have_a_course():
    # Buckley & Smith v DPP: two defendants acting with each other.
    incidents = series("2025-01-01", [10], by=["P", "Q"])
    doc = check(bundle(incidents))
    assert course(doc, "P")["status"] == "met" and course(doc, "Q")["status"] == "met"


def test_levi_v_bates_affected_person_has_a_course_through_indirect_conduct():
    # check-v2 §10 (v1 followed `towards` only): conduct aimed at V that alarms W is conduct
    # "in relation to" W (PHA 1997 s.7(3)(a); Levi v Bates [2015] EWCA Civ 206).
    doc = check(bundle(series("2025-01-01", [10], affected=["W"])))
    assert [(c["subject"], c["victims"]) for c in doc["courses"]] == [("P", ["V"]), ("P", ["W"])]
    w = course(doc, victims=("W",))
    assert "indirect_conduct" in w["flags"] and w["status"] == "borderline"
    assert "indirect_conduct" in codes(w["reasons"])


def test_one_incident_towards_two_people_is_an_occasion_for_each():
    doc = check(bundle(series("2025-01-01", [10], towards=["V", "W"])))
    assert course(doc, victims=("V",))["status"] == "met"
    assert course(doc, victims=("W",))["status"] == "met"


def test_roles_do_not_decide_who_can_be_a_subject():
    # a "victim" who is also in `by` of incidents towards another person gets a course too
    doc = check(bundle(series("2025-01-01", [10], by=["V"], towards=["W"])))
    assert course(doc, "V", ("W",))["status"] == "met"


def test_withdrawn_incident_is_ignored_and_listed_as_excluded():
    incidents = [
        inc("I1", "2025-02-01", withdrawn={"at": "2025-03-01T10:00:00+00:00", "reason": "typed twice"}),
        inc("I2", "2025-02-10"),
    ]
    c = course(check(bundle(incidents)))
    assert c["occasions"] == ["I2"] and c["status"] == "not_met"
    assert c["excluded"] == [{"incident": "I1", "reason": "withdrawn"}]


def test_withdrawn_incident_breaks_a_same_occasion_chain_and_cannot_bridge_a_gap():
    incidents = [
        inc("I1", "2024-01-01"),
        inc("X", "2024-03-01", withdrawn={"at": "2024-04-01T00:00:00+00:00", "reason": "wrong"}),
        inc("I2", "2024-09-01", links=["X"]),
    ]
    assert course(check(bundle(incidents)))["status"] == "borderline"


def test_extension_keys_are_tolerated():
    incidents = [inc("I1", "2025-01-01", history=[{"at": "x"}], colour="blue"), inc("I2", "2025-01-05")]
    doc = check({**bundle(incidents), "x-extra": {"anything": 1}})
    assert course(doc)["status"] == "met"


# ---------------------------------------------------------------- s.1(1A): several victims


def test_s1_1A_multiple_course_with_intent_to_persuade():
    incidents = [inc("I1", "2025-01-01", towards=["V"]), inc("I2", "2025-01-20", towards=["W"])]
    doc = check(bundle(incidents, context=["intent_to_persuade"]))
    multiple = course(doc, victims=("V", "W"), kind="multiple")
    assert multiple["status"] == "met" and multiple["occasions"] == ["I1", "I2"]
    assert "PHA 1997 s.1(1A)" in multiple["reasons"][0]["cite"]
    # the single courses stay listed beside it
    assert course(doc, victims=("V",))["status"] == "not_met"
    assert course(doc, victims=("W",))["status"] == "not_met"
    assert [c["kind"] for c in doc["courses"]] == ["single", "single", "multiple"]


def test_williams_s1_1A_without_intent_each_victim_is_judged_alone():
    # DPP v Williams: one incident towards each of two women is not one course under s.1(1).
    incidents = [inc("I1", "2025-01-01", towards=["V"]), inc("I2", "2025-01-20", towards=["W"])]
    doc = check(bundle(incidents))
    assert all(c["kind"] == "single" and c["status"] == "not_met" for c in doc["courses"])
    assert len(doc["courses"]) == 2


def test_s1_1A_one_act_towards_several_people_is_borderline():
    # check-v2 §5 (v1 said met): whether one act can be a course of conduct is untested.
    doc = check(bundle([inc("I1", "2025-01-01", towards=["V", "W"])], context=["intent_to_persuade"]))
    multiple = course(doc, victims=("V", "W"), kind="multiple")
    assert multiple["status"] == "borderline"
    assert codes(multiple["reasons"]) == ["occasion_towards_each", "single_act_several_people"]
    assert offence(multiple, "pha-s2")["status"] == "borderline"


def test_s1_1A_needs_two_victims_with_an_occasion_each():
    doc = check(bundle(series("2025-01-01", [5]), context=["intent_to_persuade"]))
    assert [c["kind"] for c in doc["courses"]] == ["single"]


def test_crawford_two_victims_with_two_occasions_each_are_two_courses():
    # Crawford v CPS: former wife and her new partner, two counts.
    incidents = series("2025-01-01", [10], prefix="A", towards=["V"]) + series(
        "2025-02-01", [10], prefix="B", towards=["W"]
    )
    doc = check(bundle(incidents))
    assert course(doc, victims=("V",))["status"] == "met"
    assert course(doc, victims=("W",))["status"] == "met"
