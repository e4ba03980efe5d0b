"""England and Wales offences: PHA 1997 ss.2, 2A, 3, 4, 4A; CDA 1998 s.32; SCA 2015 s.76."""

from __future__ import annotations

import pytest
from law_helpers import bundle, check, codes, course, inc, offence, requirement, series, status

ALL_EW = ["pha-s2", "pha-s2a", "pha-s4", "pha-s4a", "sca-s76", "pha-s3"]


def fear(key, day, **extra):
    return inc(key, day, effects=["fear_of_violence"], **extra)


# ---------------------------------------------------------------- listing


def test_every_course_lists_every_offence_of_its_jurisdiction_in_order():
    doc = check(bundle([inc("I1", "2025-01-01")]))
    assert [o["id"] for o in course(doc)["offences"]] == ALL_EW


def test_not_met_course_lists_every_offence_as_not_indicated():
    c = course(check(bundle([inc("I1", "2025-01-01")])))
    assert {o["status"] for o in c["offences"]} == {"not_indicated"}


# ---------------------------------------------------------------- s.2 harassment


def test_s7_2_harassment_needs_alarm_or_distress_on_some_occasion():
    doc = check(bundle(series("2025-03-01", [10], effects=[])))
    assert status(doc, "pha-s2") == "not_indicated"
    assert status(doc, "pha-s3") == "not_indicated"
    missing = next(m for m in doc["missing"] if m["code"] == "no_effect_recorded")
    assert missing["incidents"] == ["I1", "I2"] and missing["text"] == "how did this affect V?"


def test_iqbal_alarm_need_not_follow_every_occasion():
    # Kelly v DPP; Iqbal v Dean Manson: the course as a whole; one letter colours the others.
    incidents = [
        inc("I1", "2025-03-01", effects=[]),
        inc("I2", "2025-03-05", effects=[]),
        inc("I3", "2025-03-09", effects=["distress"]),
    ]
    doc = check(bundle(incidents))
    off = offence(course(doc), "pha-s2")
    assert off["status"] == "indicated"
    assert requirement(off, "harassing_effect")["incidents"] == ["I3"]


def test_borderline_course_makes_its_offences_borderline():
    doc = check(bundle(series("2025-01-01", [100])))
    off = offence(course(doc), "pha-s2")
    assert off["status"] == "borderline"
    assert "course_borderline" in codes(off["reasons"])


def test_s7_2_fear_for_others_alone_is_alarm_for_harassment():
    # check-v2 §1 (v1 said not indicated): fear for one's children is alarm (PHA 1997 s.7(2)).
    doc = check(bundle(series("2025-03-01", [10], effects=["fear_for_others"])))
    assert status(doc, "pha-s2") == "indicated"
    assert "no_effect_recorded" not in codes(doc["missing"])


# ---------------------------------------------------------------- s.2A stalking


def test_s2A_3_following_makes_stalking_indicated():
    doc = check(bundle(series("2025-03-01", [10])))
    off = offence(course(doc), "pha-s2a")
    assert off["status"] == "indicated"
    assert requirement(off, "stalking_behaviour")["cite"] == ["PHA 1997 s.2A(3)"]


@pytest.mark.parametrize(
    "behaviour",
    [
        "following",
        "contacting",
        "publishing",
        "monitoring_communications",
        "loitering",
        "interfering_with_property",
        "watching_or_spying",
        "entering_premises",
        "leaving_items",
        "tracking",
        "third_party_contact",
    ],
)
def test_s2A_3_each_stalking_behaviour_counts(behaviour):
    doc = check(bundle(series("2025-03-01", [10], behaviours=[behaviour])))
    assert status(doc, "pha-s2a") == "indicated"


def test_kellett_contacting_an_employer_is_third_party_stalking_behaviour():
    # Kellett v DPP: calls to the victim's employer; the effect on her was foreseeable.
    doc = check(bundle(series("2025-03-01", [10], behaviours=["third_party_contact"], channel="phone_call")))
    assert status(doc, "pha-s2a") == "indicated"


def test_musharraf_reports_to_authorities_are_not_stalking_behaviour_and_flag_defence_review():
    # R v Musharraf: complaints to employer and regulator; never auto-classified.
    doc = check(bundle(series("2025-03-01", [10], behaviours=["reporting_to_authorities"])))
    c = course(doc)
    assert offence(c, "pha-s2")["status"] == "indicated"
    assert offence(c, "pha-s2a")["status"] == "not_indicated"
    assert "defence_review" in c["flags"]


def test_hayes_v_willoughby_stated_purpose_flags_defence_review_but_changes_no_status():
    # Hayes v Willoughby: the crime-prevention purpose must be rational; never applied here.
    plain = check(bundle(series("2025-03-01", [10])))
    purpose = check(bundle(series("2025-03-01", [10], stated_purpose="reporting a crime")))
    assert course(purpose)["flags"] == ["defence_review"]
    assert [o["status"] for o in course(purpose)["offences"]] == [o["status"] for o in course(plain)["offences"]]


def test_s2A_needs_a_stalking_behaviour():
    doc = check(bundle(series("2025-03-01", [10], behaviours=["abusive"])))
    assert status(doc, "pha-s2a") == "not_indicated"
    assert status(doc, "pha-s2") == "indicated"


# ---------------------------------------------------------------- dates of force


def test_pofa_s111_course_straddling_25_nov_2012_counts_only_later_occasions():
    # check-v2 §3 (v1 said borderline): s.2A and s.4A are judged on occasions from
    # 25 Nov 2012 alone; one occasion left is too few.
    incidents = [fear("I1", "2012-11-01"), fear("I2", "2012-12-01")]
    doc = check(bundle(incidents))
    c = course(doc)
    assert offence(c, "pha-s2")["status"] == "indicated"
    for oid in ("pha-s2a", "pha-s4a"):
        off = offence(c, oid)
        assert off["status"] == "not_indicated"
        before = next(r for r in off["reasons"] if r["code"] == "before_force")
        assert before["incidents"] == ["I1"]
    later = check(bundle([fear("I1", "2012-11-01"), fear("I2", "2012-12-01"), fear("I3", "2012-12-20")]))
    assert offence(course(later), "pha-s2a")["status"] == "indicated"


def test_pofa_s111_course_wholly_before_25_nov_2012_is_not_available():
    doc = check(bundle([fear("I1", "2012-10-01"), fear("I2", "2012-11-24")]))
    c = course(doc)
    for oid in ("pha-s2a", "pha-s4a"):
        off = offence(c, oid)
        assert off["status"] == "not_available"
        limit = {k: v for k, v in off["time_limit"].items() if k != "if_last_not_linked"}
        assert limit == {
            "applies": False,
            "deadline": None,
            "deadline_latest": None,
            "status": "none",
            "days_left": None,
        }
        assert codes(off["reasons"]) == ["not_in_force"]
    assert offence(c, "pha-s4")["status"] == "indicated"


def test_pha_1997_course_wholly_before_16_june_1997_is_not_available():
    doc = check(bundle(series("1997-03-01", [10])))
    assert {o["status"] for o in course(doc)["offences"]} == {"not_available"}


def test_not_available_takes_precedence_over_a_not_met_course():
    doc = check(bundle([inc("I1", "2012-10-01")]))
    assert status(doc, "pha-s2a") == "not_available"
    assert status(doc, "pha-s2") == "not_indicated"


# ---------------------------------------------------------------- s.4 fear of violence


def test_s4_needs_fear_of_violence_on_two_occasions():
    doc = check(bundle([fear("I1", "2025-03-01"), inc("I2", "2025-03-10")]))
    assert status(doc, "pha-s4") == "not_indicated"
    doc = check(bundle([fear("I1", "2025-03-01"), fear("I2", "2025-03-10")]))
    assert status(doc, "pha-s4") == "indicated"


def test_s4_1_fear_for_others_is_not_fear_of_violence_against_him():
    # PHA 1997 s.4(1) "violence will be used against him"; check-v2 §1 and §13: the output
    # cites the statute, not the cases the research marks for checking.
    incidents = series("2025-03-01", [10], effects=["alarm", "fear_for_others"])
    doc = check(bundle(incidents))
    off = offence(course(doc), "pha-s4")
    assert off["status"] == "not_indicated"
    assert off["caveats"] == [] and all("Henley" not in c for c in off["cite"])
    fear = next(r for r in off["requirements"] if r["code"] == "fear_of_violence_twice")
    assert fear["cite"] == ["PHA 1997 s.4(1)"]


def test_qosja_entering_premises_with_fear_twice_is_s4A():
    # R v Qosja: unauthorised entry to her home; fear need not be of immediate violence.
    incidents = [
        fear("I1", "2025-03-01", behaviours=["contacting"]),
        fear("I2", "2025-03-05", behaviours=["entering_premises"]),
    ]
    doc = check(bundle(incidents))
    assert status(doc, "pha-s4a") == "indicated"
    assert status(doc, "pha-s4") == "indicated"


@pytest.mark.parametrize("last, penalty", [("2017-04-02", "5 years"), ("2017-04-03", "10 years")])
def test_pca_2017_s175_max_penalty_5_or_10_years_by_the_last_occasion(last, penalty):
    doc = check(bundle([fear("I1", "2017-03-01"), fear("I2", last)]))
    c = course(doc)
    assert offence(c, "pha-s4")["max_penalty"] == penalty
    assert offence(c, "pha-s4a")["max_penalty"] == penalty
    assert offence(c, "pha-s2")["max_penalty"] == "6 months"


def test_pca_2017_s175_4_a_span_ending_after_3_april_2017_takes_10_years():
    doc = check(bundle([fear("I1", "2017-03-01"), fear("I2", "2017-03-20", occurred_end="2017-04-03")]))
    assert offence(course(doc), "pha-s4")["max_penalty"] == "10 years"


# ---------------------------------------------------------------- s.4A and Tanner


def test_tanner_distress_without_daily_impact_is_not_s4a():
    # Tanner v R: serious alarm or distress with no concrete change to daily life; s.2A substituted.
    doc = check(bundle(series("2025-03-01", [10], effects=["serious_alarm_or_distress"])))
    c = course(doc)
    assert offence(c, "pha-s4a")["status"] == "not_indicated"
    assert offence(c, "pha-s2a")["status"] == "indicated"
    assert "no_impact_recorded" in codes(doc["missing"])


def test_tanner_serious_distress_with_an_incident_impact_is_s4a():
    incidents = [
        inc("I1", "2025-03-01", effects=["serious_alarm_or_distress"]),
        inc("I2", "2025-03-10", impacts=["changed_route"]),
    ]
    doc = check(bundle(incidents))
    off = offence(course(doc), "pha-s4a")
    assert off["status"] == "indicated"
    assert requirement(off, "serious_effect")["incidents"] == ["I1", "I2"]


def test_tanner_serious_distress_with_a_case_impact_is_s4a():
    incidents = series("2025-03-01", [10], effects=["serious_alarm_or_distress"])
    doc = check(bundle(incidents, impacts=[{"kind": "moved_home", "date": "2025-04", "detail": "moved"}]))
    assert status(doc, "pha-s4a") == "indicated"


def test_s4A_needs_stalking_too():
    doc = check(bundle(series("2025-03-01", [10], behaviours=["abusive"], effects=["fear_of_violence"])))
    assert status(doc, "pha-s4") == "indicated"
    assert status(doc, "pha-s4a") == "not_indicated"


# ---------------------------------------------------------------- CDA 1998 s.32


def test_cda_s32_aggravated_forms_are_listed_only_with_hostility():
    plain = course(check(bundle(series("2025-03-01", [10]))))
    assert "cda-s32-s2" not in [o["id"] for o in plain["offences"]]
    hostile = course(
        check(
            bundle(series("2025-03-01", [10], effects=["fear_of_violence"]), context=["racial_or_religious_hostility"])
        )
    )
    assert [o["id"] for o in hostile["offences"]] == [
        "pha-s2",
        "cda-s32-s2",
        "pha-s2a",
        "pha-s4",
        "cda-s32-s4",
        "pha-s4a",
        "sca-s76",
        "pha-s3",
    ]
    s2 = offence(hostile, "cda-s32-s2")
    assert s2["status"] == "indicated" and s2["time_limit"]["status"] == "none"
    s4 = offence(hostile, "cda-s32-s4")
    assert s4["status"] == "indicated" and s4["max_penalty"] == "14 years"


def test_cda_s32_s4_needs_the_s4_conditions():
    doc = check(bundle(series("2025-03-01", [10]), context=["racial_or_religious_hostility"]))
    assert status(doc, "cda-s32-s4") == "not_indicated"
    assert status(doc, "cda-s32-s2") == "indicated"


# ---------------------------------------------------------------- SCA 2015 s.76


def controlling(key, day, **extra):
    return inc(key, day, behaviours=["controlling_or_coercive"], effects=["fear_of_violence"], **extra)


def ex_partner(until=None):
    return {"relationship": "ex-partner", "lived_together_until": until}


def test_sca_s76_partner_with_controlling_behaviour_and_serious_effect_is_indicated():
    doc = check(
        bundle([controlling("I1", "2024-03-01"), controlling("I2", "2024-03-20")], subject={"relationship": "partner"})
    )
    off = offence(course(doc), "sca-s76")
    assert off["status"] == "indicated" and off["time_limit"]["status"] == "none"
    assert off["max_penalty"] == "5 years"


def test_sca_s76_ex_partner_living_apart_before_5_april_2023_is_not_connected():
    doc = check(
        bundle([controlling("I1", "2023-03-01"), controlling("I2", "2023-04-04")], subject=ex_partner("2022-12-31"))
    )
    off = offence(course(doc), "sca-s76")
    assert off["status"] == "not_indicated"
    assert not requirement(off, "personally_connected")["met"]


def test_sca_s76_ex_partner_living_apart_from_5_april_2023_is_connected():
    # Domestic Abuse Act 2021 s.68 substituted s.76(6) from 5 April 2023.
    doc = check(
        bundle([controlling("I1", "2023-04-05"), controlling("I2", "2023-05-01")], subject=ex_partner("2022-12-31"))
    )
    assert status(doc, "sca-s76") == "indicated"


def test_sca_s76_ex_partner_while_living_together_is_connected_before_2023():
    doc = check(
        bundle([controlling("I1", "2022-06-01"), controlling("I2", "2022-07-01")], subject=ex_partner("2022-12-31"))
    )
    assert status(doc, "sca-s76") == "indicated"


def test_sca_s76_ex_partner_without_a_living_together_date_asks_for_it():
    # check-v2 §4 (v1 said not indicated): borderline, reason and missing lived_together_unknown.
    doc = check(bundle([controlling("I1", "2022-06-01"), controlling("I2", "2022-07-01")], subject=ex_partner()))
    off = offence(course(doc), "sca-s76")
    assert off["status"] == "borderline" and "lived_together_unknown" in codes(off["reasons"])
    assert "lived_together_unknown" in codes(doc["missing"])


def test_sca_s76_nothing_before_29_december_2015_counts():
    early = check(
        bundle([controlling("I1", "2015-11-01"), controlling("I2", "2015-12-01")], subject={"relationship": "spouse"})
    )
    assert status(early, "sca-s76") == "not_available"
    one_after = check(
        bundle([controlling("I1", "2015-12-01"), controlling("I2", "2016-01-05")], subject={"relationship": "spouse"})
    )
    assert status(one_after, "sca-s76") == "not_indicated"


def test_sca_s76_course_straddling_29_december_2015_counts_the_later_behaviour():
    # check-v2 §3 (v1 said borderline): s.76 is judged on behaviour from 29 Dec 2015 alone.
    incidents = [inc("I0", "2015-12-01"), controlling("I1", "2016-01-05"), controlling("I2", "2016-02-01")]
    doc = check(bundle(incidents, subject={"relationship": "spouse"}))
    off = offence(course(doc), "sca-s76")
    assert off["status"] == "indicated" and "straddles_in_force" not in codes(off["reasons"])


def test_sca_s76_needs_a_serious_effect():
    incidents = series("2024-03-01", [10], behaviours=["controlling_or_coercive"], effects=["distress"])
    doc = check(bundle(incidents, subject={"relationship": "partner"}))
    off = offence(course(doc), "sca-s76")
    assert off["status"] == "not_indicated" and codes(off["reasons"]) == ["serious_effect"]


def test_sca_s76_stranger_is_not_connected_and_missing_relationship_is_asked():
    incidents = [controlling("I1", "2024-03-01"), controlling("I2", "2024-03-20")]
    stranger = check(bundle(incidents, subject={"relationship": "stranger"}))
    assert status(stranger, "sca-s76") == "not_indicated"
    unknown = check(bundle(incidents))
    assert "relationship_not_recorded" in codes(unknown["missing"])


# ---------------------------------------------------------------- s.1(1A) offences


def test_s1_1A_multiple_course_supports_only_s2_s3_and_cda_s32_s2():
    incidents = [fear("I1", "2025-03-01", towards=["V"]), fear("I2", "2025-03-10", towards=["W"])]
    doc = check(bundle(incidents, context=["intent_to_persuade", "racial_or_religious_hostility"]))
    multiple = course(doc, victims=("V", "W"), kind="multiple")
    statuses = {o["id"]: o["status"] for o in multiple["offences"]}
    assert statuses["pha-s2"] == "indicated" and statuses["pha-s3a"] == "indicated"  # check-v2 §5
    assert "pha-s3" not in statuses
    assert statuses["cda-s32-s2"] == "indicated"
    for oid in ("pha-s2a", "pha-s4", "cda-s32-s4", "pha-s4a", "sca-s76"):
        assert statuses[oid] == "not_indicated", oid


# ---------------------------------------------------------------- alternatives


def test_osa_s181_single_threatening_message_is_an_alternative():
    # check-v2 §12: threats to kill (OAPA 1861 s.16) are offered too; from 31 Jan 2024 the
    # MCA 1988 threat limb is repealed, so an unabusive threat is not offered under mca-s1.
    doc = check(bundle([inc("I1", "2025-03-01", behaviours=["threats"], channel="text_message")]))
    ids = [a["id"] for a in doc["alternatives"]]
    assert ids == ["oapa-s16", "osa-s181"]
    osa = doc["alternatives"][1]
    assert osa["incidents"] == ["I1"] and "death or serious harm" in osa["why"]
    assert osa["subject"] == "P" and osa["victims"] == ["V"]


def test_mca_s1_single_abusive_message_is_an_alternative():
    doc = check(bundle([inc("I1", "2025-03-01", behaviours=["abusive"], channel="email")]))
    assert [a["id"] for a in doc["alternatives"]] == ["mca-s1"]


def test_v2_s12_threats_in_person_get_oapa_s16_and_poa_s4a_not_message_offences():
    doc = check(bundle([inc("I1", "2025-03-01", behaviours=["threats"], channel="in_person")]))
    assert [a["id"] for a in doc["alternatives"]] == ["oapa-s16", "poa-s4a"]


def test_alternatives_are_not_offered_where_there_is_a_course():
    doc = check(bundle(series("2025-03-01", [10], behaviours=["threats"], channel="text_message")))
    assert doc["alternatives"] == []


def test_alternative_for_one_message_to_two_people_names_both():
    doc = check(bundle([inc("I1", "2025-03-01", behaviours=["threats"], channel="email", towards=["V", "W"])]))
    assert [a["victims"] for a in doc["alternatives"]] == [["V", "W"], ["V", "W"]]
    assert [a["id"] for a in doc["alternatives"]] == ["oapa-s16", "osa-s181"]


def test_osa_2023_s181_is_not_offered_before_31_january_2024():
    # check-v2 §12: s.181 did not exist before 31 Jan 2024; the MCA 1988 threat limb did.
    doc = check(bundle([inc("I1", "2023-03-01", behaviours=["threats"], channel="letter")]))
    assert [a["id"] for a in doc["alternatives"]] == ["oapa-s16", "mca-s1"]
    assert "threatening" in doc["alternatives"][1]["why"]
