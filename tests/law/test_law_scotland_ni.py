"""Scotland (CJL(S)A 2010 ss.38-39, DA(S)A 2018 s.1, PHA 1997 s.8) and Northern Ireland
(PfS(NI)A 2022 s.1, PfH(NI)O 1997 arts 4 and 6, DACP(NI)A 2021 s.1)."""

from __future__ import annotations

import pytest
from law_helpers import bundle, check, codes, course, inc, offence, requirement, series, status

# check-v1 "Scotland and Northern Ireland": the offences its contract names; the law brief's
# domestic abuse offences, the Scottish civil action and NI art.6 go under other_offences.
SCOTS = ["cjlsa-s39", "cjlsa-s38"]
SCOTS_OTHER = ["dasa-s1", "pha-s8"]
NI = ["pfsa-s1", "pfho-art4", "pfsa-s2"]  # pfsa-s2: check-v2 §11
NI_OTHER = ["pfho-art6", "dacpa-s1"]


def scot(incidents, **kw):
    return check(bundle(incidents, jurisdiction="scotland", **kw))


def ni(incidents, **kw):
    return check(bundle(incidents, jurisdiction="northern-ireland", **kw))


# ---------------------------------------------------------------- Scotland


def test_cjlsa_scotland_lists_only_its_own_offences():
    doc = scot(series("2025-03-01", [10]))
    assert doc["jurisdiction"] == "scotland"
    assert [o["id"] for o in course(doc)["offences"]] == SCOTS
    assert [o["id"] for o in course(doc)["other_offences"]] == SCOTS_OTHER


def test_jurisdiction_argument_overrides_the_case():
    doc = check(bundle(series("2025-03-01", [10])), jurisdiction="scotland")
    assert doc["jurisdiction"] == "scotland"
    assert [o["id"] for o in course(doc)["offences"]] == SCOTS
    assert [o["id"] for o in course(doc)["other_offences"]] == SCOTS_OTHER


def test_cjlsa_s39_following_with_alarm_is_stalking():
    doc = scot(series("2025-03-01", [10]))
    off = offence(course(doc), "cjlsa-s39")
    assert off["status"] == "indicated" and off["time_limit"]["status"] == "none"
    assert off["max_penalty"] == "5 years"


def test_cjlsa_s39_6_e_h_entering_premises_and_leaving_items_are_listed_conduct():
    doc = scot(
        [
            inc("I1", "2025-03-01", behaviours=["entering_premises"]),
            inc("I2", "2025-03-09", behaviours=["leaving_items"]),
        ]
    )
    assert requirement(offence(course(doc), "cjlsa-s39"), "conduct_in_list")["incidents"] == ["I1", "I2"]


def test_cjlsa_s39_6_j_any_other_conduct_causing_fear_or_alarm_counts():
    doc = scot(series("2025-03-01", [10], behaviours=["other"], effects=["fear_of_violence"]))
    assert status(doc, "cjlsa-s39") == "indicated"


def test_cjlsa_s39_2_c_needs_actual_fear_or_alarm_not_distress_alone():
    doc = scot(series("2025-03-01", [10], effects=["distress"]))
    c = course(doc)
    assert offence(c, "cjlsa-s39")["status"] == "not_indicated"
    assert offence(c, "pha-s8")["status"] == "indicated"


def test_cjlsa_s39_has_no_six_month_limit_and_no_warning():
    doc = check(bundle(series("2025-02-01", [28]), jurisdiction="scotland"), as_of="2025-08-15")
    assert "time_limit_soon" not in codes(doc["warnings"])


def test_cjlsa_s39_straddling_13_december_2010_is_borderline():
    doc = scot([inc("I1", "2010-12-01"), inc("I2", "2010-12-20")])
    assert status(doc, "cjlsa-s39") == "borderline"


def test_cjlsa_s38_single_occasion_of_threats_can_do():
    doc = scot([inc("I1", "2025-03-01", behaviours=["threats"], channel="in_person")])
    c = course(doc)
    assert c["status"] == "not_met"
    assert offence(c, "cjlsa-s38")["status"] == "indicated"
    assert offence(c, "cjlsa-s39")["status"] == "not_indicated"
    assert [a["id"] for a in doc["alternatives"]] == ["cjlsa-s38"]


@pytest.mark.parametrize("behaviour", ["threats", "violence", "abusive"])
def test_cjlsa_s38_threats_violence_or_abuse_on_a_course(behaviour):
    incidents = [inc("I1", "2025-03-01"), inc("I2", "2025-03-10", behaviours=[behaviour])]
    off = offence(course(scot(incidents)), "cjlsa-s38")
    assert off["status"] == "indicated" and requirement(off, "threatening_or_abusive")["incidents"] == ["I2"]


def test_cjlsa_s38_indicated_even_on_a_borderline_course():
    doc = scot(series("2025-01-01", [10], behaviours=["abusive"]), context=["volatile_mutual_relationship"])
    assert course(doc)["status"] == "borderline"
    assert status(doc, "cjlsa-s38") == "indicated"


def test_v2_s9_scotland_wide_gap_is_for_review_not_borderline():
    # check-v2 §9: no reported Scottish case sets a gap rule like Lau v DPP.
    c = course(scot(series("2025-01-01", [100], behaviours=["abusive"])))
    assert c["status"] == "met" and "wide_gap_review" in c["flags"]
    assert not any("Lau v DPP" in cite for r in c["reasons"] for cite in r["cite"])


def test_cjlsa_s38_not_indicated_without_threats_or_abuse():
    doc = scot([inc("I1", "2025-03-01")])
    assert status(doc, "cjlsa-s38") == "not_indicated"
    assert doc["alternatives"] == []


def test_cjlsa_s38_before_6_october_2010_is_not_available():
    doc = scot([inc("I1", "2010-09-01", behaviours=["threats"])])
    assert status(doc, "cjlsa-s38") == "not_available"
    assert doc["alternatives"] == []


def test_pha_s8_scotland_civil_three_years_from_the_last_occasion():
    # Prescription and Limitation (Scotland) Act 1973 s.18B.
    off = offence(course(scot(series("2025-02-21", [8]))), "pha-s8")
    assert off["kind"] == "civil" and off["status"] == "indicated"
    assert off["time_limit"]["deadline"] == "2028-03-01"


def test_dasa_s1_ex_partner_abusive_behaviour_twice_is_indicated():
    incidents = series("2024-03-01", [10], behaviours=["controlling_or_coercive"])
    doc = scot(incidents, subject={"relationship": "ex-partner"})
    off = offence(course(doc), "dasa-s1")
    assert off["status"] == "indicated" and off["time_limit"]["status"] == "none"
    assert off["caveats"] == []  # check-v2 §13: uncertain points go to `law --sources`


def test_dasa_s1_not_for_family_members():
    doc = scot(series("2024-03-01", [10], behaviours=["threats"]), subject={"relationship": "family"})
    assert status(doc, "dasa-s1") == "not_indicated"


def test_dasa_s1_before_1_april_2019_is_not_available():
    doc = scot(series("2019-01-01", [10], behaviours=["threats"]), subject={"relationship": "partner"})
    assert status(doc, "dasa-s1") == "not_available"


def test_scotland_has_no_s1_1A_multiple_course():
    incidents = [inc("I1", "2025-01-01", towards=["V"]), inc("I2", "2025-01-20", towards=["W"])]
    doc = scot(incidents, context=["intent_to_persuade"])
    assert {c["kind"] for c in doc["courses"]} == {"single"}


# ---------------------------------------------------------------- Northern Ireland


def test_ni_lists_only_its_own_offences():
    doc = ni(series("2025-03-01", [10]))
    assert [o["id"] for o in course(doc)["offences"]] == NI
    assert [o["id"] for o in course(doc)["other_offences"]] == NI_OTHER


def test_pfsa_s1_counts_only_occasions_from_27_april_2022():
    doc = ni([inc("I1", "2022-03-01"), inc("I2", "2022-04-01"), inc("I3", "2022-05-01")])
    c = course(doc)
    assert c["status"] == "met"
    off = offence(c, "pfsa-s1")
    assert off["status"] == "not_indicated"
    assert requirement(off, "course_of_conduct")["incidents"] == ["I3"]
    assert offence(c, "pfho-art4")["status"] == "indicated"


def test_pfsa_s1_two_occasions_after_the_date_are_indicated_without_straddling():
    doc = ni([inc("I1", "2022-04-01"), inc("I2", "2022-04-27"), inc("I3", "2022-05-10")])
    off = offence(course(doc), "pfsa-s1")
    assert off["status"] == "indicated"
    assert requirement(off, "course_of_conduct")["incidents"] == ["I2", "I3"]


def test_pfsa_s1_wholly_before_27_april_2022_is_not_available():
    doc = ni(series("2022-01-01", [10]))
    assert status(doc, "pfsa-s1") == "not_available"
    assert status(doc, "pfho-art4") == "indicated"


def test_pfsa_s1_is_judged_on_its_own_occasions_not_the_earlier_gap():
    # check-v2 §9: in Northern Ireland a wide gap is flagged for review, not borderline.
    incidents = [inc("I1", "2021-01-01"), inc("I2", "2022-05-01"), inc("I3", "2022-05-10")]
    doc = ni(incidents)
    c = course(doc)
    assert c["status"] == "met" and "wide_gap_review" in c["flags"]
    assert offence(c, "pfsa-s1")["status"] == "indicated"
    assert offence(c, "pfho-art4")["status"] == "indicated"


def test_pfsa_s1_1_b_ii_distress_only_is_for_the_objective_test():
    # check-v2 §11 (v1 said not indicated): a reasonable person may consider it likely to
    # cause fear, alarm or substantial distress (PfS(NI)A 2022 s.1(1)(b)(ii)).
    for effects in (["distress"], []):
        doc = ni(series("2023-03-01", [10], effects=effects))
        off = offence(course(doc), "pfsa-s1")
        assert off["status"] == "borderline" and "objective_test_review" in codes(off["reasons"])
    assert status(ni(series("2023-03-01", [10], effects=["fear_for_others"])), "pfsa-s1") == "indicated"


def test_pfho_art4_time_limit_is_unverified_never_expired():
    # check-v2 §7: whether the six-month limit applies is unconfirmed: `unverified`, with
    # the date it would end, no time_limit_soon and no expiry.
    doc = check(bundle(series("2025-02-01", [28]), jurisdiction="northern-ireland"), as_of="2025-08-15")
    off = offence(course(doc), "pfho-art4")
    assert off["time_limit"]["deadline"] == "2025-09-01" and off["time_limit"]["days_left"] == 17
    assert off["time_limit"]["status"] == "unverified"
    assert codes(doc["warnings"]) == ["time_limit_unverified"]
    late = check(bundle(series("2023-02-01", [28]), jurisdiction="northern-ireland"), as_of="2025-08-15")
    assert offence(course(late), "pfho-art4")["time_limit"]["status"] == "unverified"
    assert codes(late["warnings"]) == ["time_limit_unverified"]
    assert course(late)["next_deadline"] is None


def test_pfho_art6_fear_of_violence_twice():
    doc = ni(series("2025-03-01", [10], effects=["fear_of_violence"]))
    assert status(doc, "pfho-art6") == "indicated"
    assert status(ni(series("2025-03-01", [10])), "pfho-art6") == "not_indicated"


def test_dacpa_s1_family_member_abusive_behaviour_is_indicated():
    doc = ni(series("2023-03-01", [10], behaviours=["abusive"]), subject={"relationship": "family"})
    assert status(doc, "dacpa-s1") == "indicated"


def test_dacpa_s1_before_21_february_2022_is_not_available():
    doc = ni(series("2022-01-01", [10], behaviours=["abusive"]), subject={"relationship": "family"})
    assert status(doc, "dacpa-s1") == "not_available"


def test_dacpa_s1_needs_a_personal_connection():
    doc = ni(series("2023-03-01", [10], behaviours=["abusive"]), subject={"relationship": "neighbour"})
    assert status(doc, "dacpa-s1") == "not_indicated"


def test_ni_osa_s181_alternative_but_no_mca():
    doc = ni([inc("I1", "2025-03-01", behaviours=["threats", "abusive"], channel="social_media")])
    assert [a["id"] for a in doc["alternatives"]] == ["oapa-s16", "osa-s181", "pfsa-s2"]


def test_ni_osa_2023_s181_only_from_31_jan_2024():
    # check-v2 §12: s.181 is not offered for a message sent before it came into force.
    early = ni([inc("I1", "2023-06-01", behaviours=["threats"], channel="text_message")])
    later = ni([inc("I1", "2025-03-01", behaviours=["threats"], channel="text_message")])
    assert [a["id"] for a in early["alternatives"]] == ["oapa-s16", "pfsa-s2"]
    assert [a["id"] for a in later["alternatives"]] == ["oapa-s16", "osa-s181", "pfsa-s2"]
