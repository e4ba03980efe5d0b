"""check-v2, section by section: each test is named for its source (statute section or case)
and for the check-v2 section that decides it. The facts of issue #14 come first, each
answered as check-v2 says. Fictional people only.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from law_helpers import bundle, check, codes, course, inc, offence, person, requirement, series, status

from stalklog import vocab
from stalklog.law import caseload_rows, incidents
from stalklog.law.wording import prosecution_sentence


def _ex_partner(**extra) -> dict:
    return {"relationship": "ex-partner", **extra}


# ---------------------------------------------------------------- the facts of issue #14


def test_issue_two_threatening_texts_with_serious_alarm_support_s2A_and_s4A():
    # PHA 1997 s.2A(3)(b): a text is "contacting … by any means"; s.4A has no time limit.
    incidents = series(
        "2025-06-01",
        [10],
        behaviours=["threats"],
        channel="text_message",
        effects=["serious_alarm_or_distress"],
        impacts=["changed_routine"],
    )
    c = course(check(bundle(incidents)))
    assert offence(c, "pha-s2a")["status"] == "indicated"
    s4a = offence(c, "pha-s4a")
    assert s4a["status"] == "indicated" and s4a["time_limit"]["status"] == "none"
    assert c["strongest"]["offence"] == "pha-s4a" and c["strongest"]["time_limit"]["status"] == "none"


def test_issue_two_threats_to_hurt_her_children_are_harassment():
    # PHA 1997 s.7(2): fear for her children is alarm.
    incidents = series("2025-06-01", [10], behaviours=["threats"], effects=["fear_for_others"])
    doc = check(bundle(incidents))
    assert status(doc, "pha-s2") == "indicated"
    assert "no_effect_recorded" not in codes(doc["missing"])
    assert status(doc, "pha-s4") == "not_indicated"  # s.4(1): violence "against him"


def test_issue_controlling_behaviour_for_a_year_continuously_is_s76():
    # Serious Crime Act 2015 s.76(1)(a): "repeatedly or continuously".
    incident = inc(
        "I1",
        "2024-01-01",
        occurred_end="2024-12-31",
        behaviours=["controlling_or_coercive"],
        effects=["serious_alarm_or_distress"],
        impacts=["stopped_socialising"],
    )
    doc = check(bundle([incident], subject={"relationship": "partner"}, context=["reconciled_between_incidents"]))
    c = course(doc)
    assert c["status"] == "not_met"
    off = offence(c, "sca-s76")
    assert off["status"] == "indicated", off["reasons"]
    assert "reconciled_between_incidents" not in codes(off["reasons"])


def test_issue_brothers_controlling_behaviour_in_2020_needs_them_to_live_together():
    # s.76(6) before the Domestic Abuse Act 2021 s.68 (5 Apr 2023): family only if living together.
    incidents = series("2020-03-01", [10], behaviours=["controlling_or_coercive"], effects=["fear_of_violence"])
    apart = check(bundle(incidents, subject={"relationship": "family", "lived_together_until": "2015-01-01"}))
    assert status(apart, "sca-s76") == "not_indicated"
    unknown = check(bundle(incidents, subject={"relationship": "family"}))
    off = offence(course(unknown), "sca-s76")
    assert off["status"] == "borderline" and "lived_together_unknown" in codes(off["reasons"])
    missing = next(m for m in unknown["missing"] if m["code"] == "lived_together_unknown")
    assert missing["incidents"] == ["I1", "I2"] and "live together" in missing["text"]


def test_issue_threatening_message_in_2023_is_not_osa_s181_and_threat_to_kill_in_person_is_oapa_s16():
    message = check(bundle([inc("I1", "2023-06-01", behaviours=["threats"], channel="text_message")]))
    assert "osa-s181" not in [a["id"] for a in message["alternatives"]]
    assert "mca-s1" in [a["id"] for a in message["alternatives"]]
    in_person = check(bundle([inc("I1", "2025-06-01", behaviours=["threats"], channel="in_person")]))
    oapa = next(a for a in in_person["alternatives"] if a["id"] == "oapa-s16")
    assert "kill" in oapa["why"] and oapa["max_penalty"] == "10 years" and oapa["time_limit"]["status"] == "none"


def test_issue_last_incident_recorded_as_february_2024_gives_a_range():
    # check-v2 §8: never a deadline to the day from a month-only date.
    incidents = [inc("I1", "2024-01-10"), inc("I2", "2024-02", precision="month")]
    doc = check(bundle(incidents), as_of="2024-08-15")
    limit = offence(course(doc), "pha-s2")["time_limit"]
    assert (limit["deadline"], limit["deadline_latest"]) == ("2024-08-01", "2024-08-29")
    assert limit["status"] == "may_have_expired" and limit["days_left"] == -14
    assert "time_limit_may_have_expired" in codes(doc["warnings"])
    assert "time_limit_soon" not in codes(doc["warnings"])


# ---------------------------------------------------------------- §1 fear for others


@pytest.mark.parametrize("oid", ["pha-s2", "pha-s2a", "pha-s3"])
def test_s7_2_fear_for_children_is_alarm(oid):
    doc = check(bundle(series("2025-03-01", [10], effects=["fear_for_others"])))
    assert status(doc, oid) == "indicated"


def test_s4_1_fear_for_others_is_not_fear_of_violence_for_s4A_or_s76():
    incidents = series(
        "2025-03-01", [10], behaviours=["controlling_or_coercive", "following"], effects=["fear_for_others"]
    )
    doc = check(bundle(incidents, subject={"relationship": "partner"}))
    assert status(doc, "pha-s4a") == "not_indicated" and status(doc, "sca-s76") == "not_indicated"


def test_cjlsa_s39_and_pfsa_s1_fear_for_others_is_fear():
    scot = check(bundle(series("2025-03-01", [10], effects=["fear_for_others"]), jurisdiction="scotland"))
    assert status(scot, "cjlsa-s39") == "indicated"
    ni = check(bundle(series("2025-03-01", [10], effects=["fear_for_others"]), jurisdiction="northern-ireland"))
    assert status(ni, "pfsa-s1") == "indicated" and status(ni, "pfho-art4") == "indicated"


# ---------------------------------------------------------------- §2 contacting by any means


@pytest.mark.parametrize(
    "channel", ["phone_call", "text_message", "messaging_app", "email", "social_media", "letter", "online_other"]
)
def test_s2A_3b_text_messages_are_contacting_by_any_means(channel):
    doc = check(bundle(series("2025-03-01", [10], behaviours=["abusive"], channel=channel)))
    off = offence(course(doc), "pha-s2a")
    assert off["status"] == "indicated"
    req = requirement(off, "stalking_behaviour")
    assert req["incidents"] == ["I1", "I2"] and "is contact by any means" in req["text"]


def test_s2A_3b_via_a_third_party_is_contact_and_third_party_contact():
    doc = check(bundle(series("2025-03-01", [10], behaviours=["abusive"], channel="via_third_party")))
    assert status(doc, "pha-s2a") == "indicated"
    record = incidents.read_incident(inc("I1", "2025-03-01", behaviours=["abusive"], channel="via_third_party"), 0)
    assert {"contacting", "third_party_contact"} <= record.acts and record.behaviours == {"abusive"}


def test_s2A_3b_words_spoken_in_person_are_contact_but_silence_is_not():
    spoken = check(bundle(series("2025-03-01", [10], behaviours=["abusive"], words="You can't hide")))
    assert status(spoken, "pha-s2a") == "indicated"
    silent = check(bundle(series("2025-03-01", [10], behaviours=["abusive"])))
    assert status(silent, "pha-s2a") == "not_indicated"
    assert incidents.contact_by_any_means({"channel": "email", "behaviours": []})
    assert not incidents.contact_by_any_means({"channel": "in_person", "behaviours": ["abusive"]})


def test_cjlsa_s39_6_b_contact_by_any_means_in_scotland():
    doc = check(
        bundle(
            series("2025-03-01", [10], behaviours=["abusive"], channel="email", effects=["distress"]),
            jurisdiction="scotland",
        )
    )
    req = requirement(offence(course(doc), "cjlsa-s39"), "conduct_in_list")
    assert req["met"] is True and "is contact by any means" in req["text"]


# ---------------------------------------------------------------- §3 commencement


def test_pofa_2012_s111_s2A_counts_only_conduct_from_25_november_2012():
    incidents = [inc("I1", "2012-10-01"), inc("I2", "2012-12-01"), inc("I3", "2012-12-10")]
    c = course(check(bundle(incidents)))
    off = offence(c, "pha-s2a")
    assert off["status"] == "indicated" and "straddles_in_force" not in codes(off["reasons"])
    assert requirement(off, "course_of_conduct")["incidents"] == ["I2", "I3"]
    assert offence(c, "pha-s2")["status"] == "indicated"


def test_pofa_2012_s111_later_occasions_are_judged_again_for_gaps():
    # check-v2 decisions §3: the gap rules apply again to the occasions from the date.
    incidents = [inc("I1", "2012-11-01"), inc("I2", "2012-11-28"), inc("I3", "2013-06-01")]
    c = course(check(bundle(incidents)))
    assert c["status"] == "borderline"
    off = offence(c, "pha-s2a")
    assert off["status"] == "borderline" and "course_borderline" in codes(off["reasons"])


def test_pofa_2012_s111_month_only_date_spanning_commencement_is_imprecise_date():
    incidents = [inc("I1", "2012-11", precision="month"), inc("I2", "2012-12-05")]
    off = offence(course(check(bundle(incidents))), "pha-s2a")
    assert off["status"] == "borderline"
    reason = next(r for r in off["reasons"] if r["code"] == "imprecise_date")
    assert reason["incidents"] == ["I1"]


def test_osa_2023_s181_only_from_its_commencement_on_31_january_2024():
    before = check(bundle([inc("I1", "2024-01-30", behaviours=["threats"], channel="email")]))
    after = check(bundle([inc("I1", "2024-01-31", behaviours=["threats"], channel="email")]))
    assert "osa-s181" not in [a["id"] for a in before["alternatives"]]
    assert "osa-s181" in [a["id"] for a in after["alternatives"]]


# ---------------------------------------------------------------- §4 s.76's own test


def test_sca_2015_s76_behaviour_before_29_december_2015_is_named_as_before_force():
    incidents = series("2015-12-01", [40], behaviours=["controlling_or_coercive"], effects=["fear_of_violence"])
    off = offence(course(check(bundle(incidents, subject={"relationship": "spouse"}))), "sca-s76")
    assert off["status"] == "not_indicated"
    before = next(r for r in off["reasons"] if r["code"] == "before_force")
    assert before["incidents"] == ["I1"]


def test_sca_2015_s76_reconciliation_and_wide_gaps_are_not_borderline_for_s76():
    incidents = series("2024-01-01", [200], behaviours=["controlling_or_coercive"], effects=["fear_of_violence"])
    doc = check(bundle(incidents, subject={"relationship": "spouse"}, context=["volatile_mutual_relationship"]))
    c = course(doc)
    assert c["status"] == "borderline"
    assert offence(c, "sca-s76")["status"] == "indicated"
    assert offence(c, "pha-s2")["status"] == "borderline"


def test_sca_2015_s76_one_incident_on_one_day_is_not_repeated_or_continuous():
    one = inc("I1", "2024-01-01", behaviours=["controlling_or_coercive"], effects=["fear_of_violence"])
    assert status(check(bundle([one], subject={"relationship": "partner"})), "sca-s76") == "not_indicated"


def test_sca_2015_s76_6_relationship_ended_counts_as_partners_before_it():
    # check-v2 decisions §4: occasions before `relationship_ended` are a partner's.
    incidents = series("2021-03-01", [10], behaviours=["controlling_or_coercive"], effects=["fear_of_violence"])
    doc = check(bundle(incidents, subject=_ex_partner(relationship_ended="2021-06-30")))
    assert status(doc, "sca-s76") == "indicated"
    after = check(
        bundle(incidents, subject=_ex_partner(relationship_ended="2020-06-30", lived_together_until="2020-06-30"))
    )
    assert status(after, "sca-s76") == "not_indicated"


def test_domestic_abuse_act_2021_s68_imprecise_date_across_5_april_2023_is_borderline():
    incidents = [
        inc("I1", "2023-04", precision="month", behaviours=["controlling_or_coercive"], effects=["fear_of_violence"]),
        inc("I2", "2023-04-20", behaviours=["controlling_or_coercive"], effects=["fear_of_violence"]),
    ]
    doc = check(bundle(incidents, subject=_ex_partner(lived_together_until="2022-01-01")))
    off = offence(course(doc), "sca-s76")
    assert off["status"] == "borderline" and "imprecise_date" in codes(off["reasons"])


# ---------------------------------------------------------------- §5 several people


def test_s1_1A_a_needs_harassment_of_two_or_more_persons():
    incidents = [inc("I1", "2025-03-01", towards=["V"]), inc("I2", "2025-03-05", towards=["W"], effects=[])]
    doc = check(bundle(incidents, context=["intent_to_persuade"]))
    multiple = course(doc, victims=("V", "W"), kind="multiple")
    assert multiple["status"] == "not_met" and codes(multiple["reasons"]) == ["fewer_than_two_harassed"]


def test_s3A_is_the_civil_remedy_of_a_multiple_course_with_no_limitation_period():
    incidents = [inc("I1", "2025-03-01", towards=["V"]), inc("I2", "2025-03-05", towards=["W"])]
    doc = check(bundle(incidents, context=["intent_to_persuade"]))
    multiple = course(doc, victims=("V", "W"), kind="multiple")
    s3a = offence(multiple, "pha-s3a")
    assert s3a["kind"] == "civil" and s3a["status"] == "indicated" and s3a["time_limit"]["status"] == "none"
    assert "pha-s3" not in [o["id"] for o in multiple["offences"]]
    assert "pha-s3a" not in [o["id"] for o in course(doc, victims=("V",))["offences"]]


# ---------------------------------------------------------------- §6 aggravated forms


def test_cda_1998_s32_1_a_follows_s2A_where_it_is_stronger():
    # s.2's course has a wide gap before 2012; s.2A's own course (from 25 Nov 2012) does not.
    incidents = [inc("I0", "2012-01-01"), inc("I1", "2013-01-01"), inc("I2", "2013-01-10")]
    c = course(check(bundle(incidents, context=["racial_or_religious_hostility"])))
    assert offence(c, "pha-s2")["status"] == "borderline" and offence(c, "pha-s2a")["status"] == "indicated"
    cda = offence(c, "cda-s32-s2")
    assert cda["status"] == "indicated" and cda["time_limit"]["status"] == "none" and cda["max_penalty"] == "2 years"


def test_cda_1998_s32_1_b_follows_s4A_and_policing_and_crime_act_2017_s175_penalty():
    incidents = series("2025-03-01", [10], effects=["serious_alarm_or_distress"], impacts=["moved_home"])
    c = course(check(bundle(incidents, context=["racial_or_religious_hostility"])))
    assert offence(c, "pha-s4")["status"] == "not_indicated" and offence(c, "pha-s4a")["status"] == "indicated"
    cda = offence(c, "cda-s32-s4")
    assert cda["status"] == "indicated" and cda["max_penalty"] == "14 years"
    early = course(
        check(
            bundle(series("2016-03-01", [10], effects=["fear_of_violence"]), context=["racial_or_religious_hostility"])
        )
    )
    assert offence(early, "cda-s32-s4")["max_penalty"] == "7 years"


def test_atcsa_2001_s39_religious_aggravation_only_from_14_december_2001():
    doc = check(bundle(series("2001-11-01", [10]), context=["racial_or_religious_hostility"]))
    warning = next(w for w in doc["warnings"] if w["code"] == "religious_aggravation_from_2001")
    assert warning["incidents"] == ["I1", "I2"]
    later = check(bundle(series("2002-11-01", [10]), context=["racial_or_religious_hostility"]))
    assert "religious_aggravation_from_2001" not in codes(later["warnings"])


# ---------------------------------------------------------------- §7 time limits


def test_mca_1980_s127_strongest_and_next_deadline_name_their_own_offence():
    incidents = series("2025-06-01", [10], effects=["fear_of_violence"])
    c = course(check(bundle(incidents)))
    assert c["strongest"]["offence"] == "pha-s4" and c["strongest"]["time_limit"]["status"] == "none"
    assert c["next_deadline"] == {
        "offence": "pha-s2",
        "incidents": [],
        "deadline": "2025-12-11",
        "deadline_latest": None,
        "status": "in_time",
        "days_left": 118,
    }


def test_mca_1980_s127_no_next_deadline_once_it_has_passed():
    c = course(check(bundle(series("2024-01-01", [10]))))
    assert c["next_deadline"] is None and c["strongest"]["time_limit"]["status"] == "expired"


def test_DPP_v_Baker_if_last_not_linked():
    # The last occasion after a wide gap may stand apart: the earlier ones had their own limit.
    incidents = [inc("I1", "2025-01-01"), inc("I2", "2025-01-10"), inc("I3", "2025-06-01")]
    c = course(check(bundle(incidents)))
    assert c["status"] == "borderline"
    for oid in ("pha-s2", "pha-s2a"):
        limit = offence(c, oid)["time_limit"]
        assert limit["deadline"] == "2025-12-01"
        assert limit["if_last_not_linked"] == {
            "applies": True,
            "deadline": "2025-07-10",
            "deadline_latest": None,
            "status": "expired",
            "days_left": -36,
        }
    assert offence(c, "pha-s3")["time_limit"].get("if_last_not_linked") is None


def test_DPP_v_Baker_one_occasion_before_the_gap_is_not_a_course():
    c = course(check(bundle([inc("I1", "2025-01-01"), inc("I2", "2025-06-01")])))
    assert offence(c, "pha-s2")["time_limit"]["if_last_not_linked"] is None


def test_mca_1980_s127_after_expiry_names_only_live_offences_without_a_limit():
    incidents = series("2024-01-01", [10], effects=["fear_of_violence"])
    doc = check(bundle(incidents))
    expired = next(w for w in doc["warnings"] if w["code"] == "time_limit_expired")
    assert "PHA 1997 s.4)" in expired["text"] and "PHA 1997 s.4A" in expired["text"]
    assert "s.76" not in expired["text"] and "stalking protection order" not in expired["text"]


def test_pfho_1997_art4_time_limit_is_unverified_not_expired():
    doc = check(bundle(series("2020-01-01", [10]), jurisdiction="northern-ireland"))
    limit = offence(course(doc), "pfho-art4")["time_limit"]
    assert limit["status"] == "unverified" and limit["deadline"] == "2020-07-11"
    assert "time_limit_expired" not in codes(doc["warnings"])
    assert prosecution_sentence(limit).startswith("If the six-month limit applies, it ended on 11 Jul 2020;")
    running = dict(limit, days_left=10)
    assert prosecution_sentence(running).startswith(
        "If the six-month limit applies, the police must start a prosecution for this by 11 Jul 2020."
    )


def test_mca_1980_s127_the_sentence_says_prosecution_and_report_well_before():
    sentence = prosecution_sentence({"applies": True, "status": "in_time", "deadline": "2025-09-01", "days_left": 17})
    assert sentence == "The police must start a prosecution for this by 1 Sep 2025. Report well before then."
    ranged = prosecution_sentence(
        {"applies": True, "status": "may_have_expired", "deadline": "2024-08-01", "deadline_latest": "2024-08-29"}
    )
    assert "may already have passed on 1 Aug 2024; at the latest it ends on 29 Aug 2024" in ranged
    assert (
        prosecution_sentence({"applies": False, "status": "none"})
        == "There is no time limit for a prosecution for this."
    )


# ---------------------------------------------------------------- §8 imprecise dates


def test_approximate_date_is_within_three_days_either_side():
    incidents = [inc("I1", "2025-03-01"), inc("I2", "2025-03-20", precision="approximate")]
    doc = check(bundle(incidents), as_of="2025-09-18")
    c = course(doc)
    assert c["gaps_days"] == [16]
    limit = offence(c, "pha-s2")["time_limit"]
    assert (limit["deadline"], limit["deadline_latest"], limit["status"]) == (
        "2025-09-17",
        "2025-09-23",
        "may_have_expired",
    )
    assert "imprecise_date" in codes(doc["warnings"])


def test_policing_and_crime_act_2017_s175_imprecise_end_names_both_penalties():
    incidents = [
        inc("I1", "2017-03-20", effects=["fear_of_violence"]),
        inc("I2", "2017-04", precision="month", effects=["fear_of_violence"]),
    ]
    c = course(check(bundle(incidents)))
    assert offence(c, "pha-s4")["max_penalty"] == "5 years, or 10 years if on or after 3 Apr 2017"
    assert offence(c, "pha-s4")["status"] == "indicated"  # only the penalty depends on it


def test_imprecise_date_order_is_by_earliest_start():
    incidents = [inc("I1", "2025-03", precision="month"), inc("I2", "2025-03-02")]
    assert course(check(bundle(incidents)))["occasions"] == ["I1", "I2"]


# ---------------------------------------------------------------- §9 gaps


def test_lau_v_DPP_four_occasions_gap_over_180_days_is_wide():
    assert course(check(bundle(series("2022-01-01", [181, 10, 10]))))["status"] == "borderline"
    assert course(check(bundle(series("2022-01-01", [180, 10, 10]))))["status"] == "met"


def test_pfs_ni_2022_wide_gap_is_flagged_for_review_in_northern_ireland():
    c = course(check(bundle(series("2024-01-01", [200]), jurisdiction="northern-ireland")))
    assert c["status"] == "met" and c["flags"] == ["wide_gap_review"]
    assert "if_last_not_linked" not in offence(c, "pfho-art4")["time_limit"]


# ---------------------------------------------------------------- §10 indirect conduct


def test_levi_v_bates_affected_carries_alarm_only_never_the_aimed_at_persons_effects():
    incidents = [
        inc(
            "I1", "2025-03-01", towards=["W"], affected=["V"], effects=["fear_of_violence", "serious_alarm_or_distress"]
        ),
        inc("I2", "2025-03-10"),
        inc("I3", "2025-03-20"),
    ]
    doc = check(bundle(incidents))
    v = course(doc, victims=("V",))
    assert v["occasions"] == ["I1", "I2", "I3"] and v["status"] == "met" and "indirect_conduct" in v["flags"]
    assert requirement(offence(v, "pha-s4"), "fear_of_violence_twice")["incidents"] == []
    assert [d.get("indirect", False) for d in v["occasion_detail"]] == [True, False, False]


def test_cjlsa_2010_s39_6_conduct_towards_any_other_person_is_judged_as_usual_in_scotland():
    doc = check(bundle(series("2025-03-01", [10], towards=["W"], affected=["V"]), jurisdiction="scotland"))
    v = course(doc, victims=("V",))
    assert v["status"] == "met" and "indirect_conduct" in v["flags"]
    assert "indirect_conduct_counted" in codes(v["reasons"])
    assert offence(v, "cjlsa-s39")["status"] == "indicated"


def test_s1_1A_affected_does_not_count_towards_a_multiple_course():
    incidents = [inc("I1", "2025-03-01", towards=["V"], affected=["W"]), inc("I2", "2025-03-05", towards=["V"])]
    doc = check(bundle(incidents, context=["intent_to_persuade"]))
    assert [c["kind"] for c in doc["courses"]] == ["single", "single"]


# ---------------------------------------------------------------- §11 Northern Ireland


def test_pfs_ni_2022_s1_1_b_ii_no_recorded_effect_is_for_the_objective_test():
    doc = check(bundle(series("2024-03-01", [10], effects=[]), jurisdiction="northern-ireland"))
    off = offence(course(doc), "pfsa-s1")
    assert off["status"] == "borderline" and "objective_test_review" in codes(off["reasons"])


def test_pfs_ni_2022_s2_a_single_threatening_occasion_on_a_course_and_as_an_alternative():
    ni = {"jurisdiction": "northern-ireland"}
    c = course(check(bundle([inc("I1", "2024-03-01"), inc("I2", "2024-03-05", behaviours=["threats"])], **ni)))
    s2 = offence(c, "pfsa-s2")
    assert s2["status"] == "indicated" and s2["time_limit"]["status"] == "none" and s2["max_penalty"] == "5 years"
    alone = check(bundle([inc("I1", "2024-03-01", behaviours=["abusive"])], **ni))
    assert "pfsa-s2" in [a["id"] for a in alone["alternatives"]]
    early = check(bundle([inc("I1", "2022-03-01", behaviours=["abusive"])], **ni))
    assert "pfsa-s2" not in [a["id"] for a in early["alternatives"]]


# ---------------------------------------------------------------- §12 single-incident offences


def test_mca_1988_s1_before_13_april_2015_had_a_six_month_limit():
    old = check(bundle([inc("I1", "2015-01-10", behaviours=["abusive"], channel="letter")]), as_of="2015-06-20")
    mca = next(a for a in old["alternatives"] if a["id"] == "mca-s1")
    assert mca["time_limit"]["deadline"] == "2015-07-10" and mca["max_penalty"] == "6 months"
    assert "time_limit_soon" in codes(old["warnings"])
    new = check(bundle([inc("I1", "2016-01-10", behaviours=["abusive"], channel="letter")]))
    mca = next(a for a in new["alternatives"] if a["id"] == "mca-s1")
    assert mca["time_limit"]["status"] == "none" and mca["max_penalty"] == "2 years"


def test_osa_2023_s181_repealed_the_mca_1988_threat_limb_and_a_span_gets_both():
    span = inc("I1", "2024-01-20", occurred_end="2024-02-05", behaviours=["threats"], channel="email")
    ids = [a["id"] for a in check(bundle([span]))["alternatives"]]
    assert "mca-s1" in ids and "osa-s181" in ids


def test_poa_1986_s4A_threats_in_person_within_a_course_have_their_own_limit():
    incidents = [inc("I1", "2025-06-01"), inc("I2", "2025-06-10", behaviours=["threats"], channel="in_person")]
    c = course(check(bundle(incidents, context=["volatile_mutual_relationship"]), as_of="2025-12-01"))
    singles = {s["id"]: s for s in c["single_incident_offences"]}
    assert set(singles) == {"oapa-s16", "poa-s4a"}
    poa = singles["poa-s4a"]
    assert (
        poa["incidents"] == ["I2"]
        and poa["time_limit"]["deadline"] == "2025-12-10"
        and poa["max_penalty"] == "6 months"
    )
    assert c["next_deadline"]["offence"] == "pha-s2" and c["next_deadline"]["deadline"] == "2025-12-10"


def test_mca_1980_s127_single_incident_deadline_can_be_the_next_deadline():
    incidents = [
        inc("I1", "2025-06-01", behaviours=["threats"], channel="in_person"),
        inc("I2", "2025-07-20", effects=[]),
    ]
    c = course(check(bundle(incidents, context=["volatile_mutual_relationship"]), as_of="2025-11-20"))
    assert c["next_deadline"]["offence"] == "poa-s4a" and c["next_deadline"]["incidents"] == ["I1"]
    assert c["next_deadline"]["deadline"] == "2025-12-01"


# ---------------------------------------------------------------- §13 words


def test_s7_3_single_courses_cite_s7_3_a_and_only_multiple_courses_cite_s1_1A():
    single = requirement(offence(course(check(bundle(series("2025-03-01", [10])))), "pha-s2"), "course_of_conduct")
    assert "PHA 1997 s.1(1A)" not in single["cite"] and "PHA 1997 s.7(3)(a)" in single["cite"]
    assert "intent to persuade" not in single["text"]
    incidents = [inc("I1", "2025-03-01", towards=["V"]), inc("I2", "2025-03-05", towards=["W"])]
    multiple = course(check(bundle(incidents, context=["intent_to_persuade"])), victims=("V", "W"), kind="multiple")
    req = requirement(offence(multiple, "pha-s2"), "course_of_conduct")
    assert "PHA 1997 s.1(1A)" in req["cite"] and "intent to persuade" in req["text"]


@pytest.mark.parametrize("jurisdiction", ["scotland", "northern-ireland"])
def test_no_scottish_or_ni_offence_cites_pha_s7_or_conn(jurisdiction):
    c = course(check(bundle(series("2025-03-01", [10]), jurisdiction=jurisdiction)))
    text = json.dumps(c["offences"] + c["other_offences"])
    assert "PHA 1997 s.7" not in text and "Conn v" not in text


def test_r_v_musharraf_caveat_only_where_a_report_to_the_authorities_is_recorded():
    plain = course(check(bundle(series("2025-03-01", [10]))))
    assert offence(plain, "pha-s2a")["caveats"] == []
    assert not any("Musharraf" in c for r in plain["reasons"] for c in r["cite"])
    incidents = series("2025-03-01", [10])
    incidents[0]["behaviours"] = ["reporting_to_authorities", "following"]
    reported = course(check(bundle(incidents)))
    assert any("Musharraf" in c for c in offence(reported, "pha-s2a")["caveats"])
    review = next(r for r in reported["reasons"] if r["code"] == "defence_review")
    assert any("Musharraf" in c for c in review["cite"]) and not any("Hayes" in c for c in review["cite"])


def test_check_output_never_says_needs_checking_or_cites_uncertain_cases():
    b = bundle(
        series("2025-03-01", [10], effects=["fear_for_others", "fear_of_violence"]),
        context=["racial_or_religious_hostility"],
    )
    for jurisdiction in vocab.JURISDICTIONS:
        text = json.dumps(check(b, jurisdiction=jurisdiction)).lower()
        assert "needs checking" not in text and "henley" not in text and "qosja" not in text


def test_caseload_rows_take_strongest_and_next_deadline_from_the_course():
    doc = check(bundle(series("2025-06-01", [10], effects=["fear_of_violence"])))
    row = caseload_rows([doc])[0]
    assert row["strongest"] == "pha-s4" and row["deadline_offence"] == "pha-s2" and row["days_left"] == 118


# ---------------------------------------------------------------- #13: vocabulary and dates


def test_law_vocabulary_subsets_are_words_of_the_bundle_vocabulary():
    assert incidents.STALKING_BEHAVIOURS <= set(vocab.BEHAVIOURS)
    assert incidents.HARASSING_EFFECTS <= set(vocab.EFFECTS) and incidents.FEAR_OR_ALARM <= set(vocab.EFFECTS)
    assert incidents.MESSAGE_CHANNELS <= set(vocab.CHANNELS) and incidents.CONTACT_CHANNELS <= set(vocab.CHANNELS)
    with pytest.raises(AssertionError, match="not in the bundle vocabulary"):
        incidents.vocab_subset(vocab.BEHAVIOURS, "following", "stalking_by_drone")


def test_law_package_imports_only_itself_errors_vocab_dateutil_and_the_stdlib():
    import ast
    import sys
    from pathlib import Path

    allowed = {"stalklog.law", "stalklog.errors", "stalklog.vocab", "stalklog", "dateutil", "__future__"}
    root = Path(incidents.__file__).parent
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                ok = top in sys.stdlib_module_names or any(name == a or name.startswith(a + ".") for a in allowed)
                assert ok, f"{path.name} imports {name}"


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2023-08-31", "2024-02-29"),
        ("2024-08-31", "2025-02-28"),
        ("2025-03-31", "2025-09-30"),
        ("2025-03-01", "2025-09-01"),
    ],
)
def test_mca_1980_s127_calendar_months_by_relativedelta(start, expected):
    assert incidents.add_months(dt.date.fromisoformat(start), 6).isoformat() == expected


def test_people_relationship_ended_is_read_from_the_bundle():
    persons = [person("V"), person("P", "subject", relationship="ex-partner", relationship_ended="2021-06-30")]
    incidents = series("2021-03-01", [10], behaviours=["controlling_or_coercive"], effects=["fear_of_violence"])
    assert status(check(bundle(incidents, persons=persons)), "sca-s76") == "indicated"


def test_mca_1980_s127_the_sentence_without_advice_states_only_the_limit():
    running = {"applies": True, "status": "in_time", "deadline": "2025-09-01", "days_left": 17}
    assert prosecution_sentence(running, advice=False) == "The police must start a prosecution for this by 1 Sep 2025."
    ranged = {"applies": True, "status": "may_have_expired", "deadline": "2024-08-01", "deadline_latest": "2024-08-29"}
    assert not prosecution_sentence(ranged, advice=False).endswith("Report as soon as you can.")
