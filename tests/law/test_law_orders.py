"""Protective orders in the check (orders-v1): orders in force, possible breaches, and the
orders the facts could support an application for. Pure: bundles in, check documents out."""

from __future__ import annotations

import datetime as dt

import pytest

from stalklog.law import check_case
from stalklog.law.orders import KINDS, catalogue, kinds_for

AS_OF = dt.date(2025, 6, 1)


def bundle(orders=(), incidents=(), jurisdiction="england-wales", relationship="ex-partner", people=None):
    return {
        "format": "stalklog.case",
        "version": 1,
        "case": {"ref": "C-1", "jurisdiction": jurisdiction, "context": []},
        "people": people
        or [
            {"key": "V", "role": "victim", "name": "Alex Doe (fictional)"},
            {"key": "P", "role": "subject", "name": "Sam Roe (fictional)", "relationship": relationship},
            {"key": "W", "role": "witness", "name": "Jo (fictional)"},
        ],
        "incidents": list(incidents),
        "impacts": [],
        "orders": list(orders),
    }


def order(kind="spo", made="2025-03-02", expires="2025-05-01", **extra):
    return {
        "key": "O1",
        "kind": kind,
        "against": "P",
        "protects": ["V"],
        "made": made,
        "expires": expires,
        "interim": False,
        "conditions": ["must not contact V by any means"],
        "court": "Cambridge Magistrates' Court",
        "reference": "SPO/2025/114",
        "history": [],
        **extra,
    }


def incident(key, occurred, **extra):
    return {
        "key": key,
        "occurred": occurred,
        "precision": extra.pop("precision", "day"),
        "by": ["P"],
        "attribution": "seen",
        "towards": ["V"],
        "behaviours": ["contacting"],
        "channel": "text_message",
        "effects": ["distress"],
        **extra,
    }


def check(b, as_of=AS_OF):
    return check_case(b, as_of)


def breaches(b, as_of=AS_OF):
    return [(x["order"], x["incident"]) for x in check(b, as_of)["possible_breaches"]]


# ---------------------------------------------------------------- the lists are always there


def test_orders_v1_three_lists_always_present_even_without_orders():
    doc = check({k: v for k, v in bundle().items() if k != "orders"})
    assert doc["orders"] == [] and doc["possible_breaches"] == [] and doc["protective_options"] == []


# ---------------------------------------------------------------- possible breaches


def test_SPA_2019_s8_breach_one_incident_is_enough():
    doc = check(bundle([order()], [incident("I1", "2025-04-01")]))
    [b] = doc["possible_breaches"]
    assert b["order"] == "O1" and b["incident"] == "I1"
    assert b["offence"] == "spa-s8" and b["status"] == "possible_breach" and b["max_penalty"] == "5 years"
    assert b["time_limit"] == {
        "applies": False,
        "deadline": None,
        "deadline_latest": None,
        "status": "none",
        "days_left": None,
    }
    assert b["conditions"] == ["must not contact V by any means"]
    assert "for review" in b["why"] and "Stalking Protection Act 2019 s.8" in b["cite"]
    # one incident is no course of conduct, yet the breach is listed
    assert all(c["status"] == "not_met" for c in doc["courses"])


def test_SPA_2019_s8_in_force_window_both_ends_included():
    incs = [
        incident("I1", "2025-03-01"),  # the day before it was made
        incident("I2", "2025-03-02"),  # the day it was made
        incident("I3", "2025-05-01"),  # its last day
        incident("I4", "2025-05-02"),  # the day after it expired
    ]
    assert breaches(bundle([order()], incs)) == [("O1", "I2"), ("O1", "I3")]


def test_SPA_2019_s8_until_further_order_has_no_end():
    assert breaches(bundle([order(expires=None)], [incident("I1", "2025-05-30")])) == [("O1", "I1")]


def test_SPA_2019_s8_discharged_order_in_force_through_the_discharge_day():
    hist = [
        {
            "at": "2025-04-10T09:00:00+00:00",
            "change": "discharged",
            "field": None,
            "old": None,
            "new": None,
            "on": "2025-04-10",
            "reason": "discharged on application (fictional)",
        }
    ]
    incs = [incident("I1", "2025-04-10"), incident("I2", "2025-04-11")]
    doc = check(bundle([order(history=hist)], incs))
    assert [(b["order"], b["incident"]) for b in doc["possible_breaches"]] == [("O1", "I1")]
    assert doc["orders"][0]["discharged"] == "2025-04-10" and doc["orders"][0]["in_force"] is False


def test_SPA_2019_s8_withdrawn_incident_not_listed():
    inc = incident("I1", "2025-04-01", withdrawn={"at": "2025-04-02T10:00:00+00:00", "reason": "mistake"})
    assert breaches(bundle([order()], [inc])) == []


def test_SPA_2019_s8_below_threshold_incident_counts():
    doc = check(bundle([order()], [incident("I1", "2025-04-01", below_threshold=True)]))
    [b] = doc["possible_breaches"]
    assert [r["code"] for r in b["reasons"]] == ["below_threshold"]


def test_SPA_2019_s8_needs_the_subject_and_a_protected_person():
    incs = [
        incident("I1", "2025-04-01", by=["W"]),  # someone else did it
        incident("I2", "2025-04-02", towards=["W"]),  # aimed at someone the order does not protect
        incident("I3", "2025-04-03", attribution="unknown"),  # who did it is not known
        incident("I4", "2025-04-04", towards=["W"], affected=["V"]),  # it reached V through W
        incident("I5", "2025-04-05", by=["W"], procured_by="P"),  # P got W to do it (PHA 1997 s.7(3A))
    ]
    assert breaches(bundle([order()], incs)) == [("O1", "I4"), ("O1", "I5")]


def test_SPA_2019_s8_imprecise_date_overlapping_the_window_listed_for_review():
    incs = [
        incident("I1", "2025-05", precision="month"),  # May 2025: its first day is in force, the rest not
        incident("I2", "2025-03-01", precision="approximate"),  # 26 Feb – 4 Mar: overlaps the start
        incident("I3", "2025-02", precision="month"),  # all of February: before the order
    ]
    doc = check(bundle([order()], incs))
    found = {b["incident"]: [r["code"] for r in b["reasons"]] for b in doc["possible_breaches"]}
    assert found == {"I1": ["imprecise_date"], "I2": ["imprecise_date"]}


@pytest.mark.parametrize(
    ("kind", "offence", "penalty", "cite"),
    [
        ("spo", "spa-s8", "5 years", "Stalking Protection Act 2019 s.8"),
        ("restraining-order", "ro-breach", "5 years", "Sentencing Act 2020 s.363"),
        ("non-molestation-order", "fla-s42a", "5 years", "Family Law Act 1996 s.42A"),
        ("dapo", "daa-s39", "5 years", "Domestic Abuse Act 2021 s.39"),
        ("pha-injunction", "pha-s3-6", "5 years", "PHA 1997 s.3(6)"),
        ("dvpo", "dvpo-contempt", "2 months", "Magistrates' Courts Act 1980 s.63(3)"),
        ("other", "order-breach-review", None, None),
    ],
)
def test_each_england_wales_kind_has_its_breach_offence(kind, offence, penalty, cite):
    [b] = check(bundle([order(kind)], [incident("I1", "2025-04-01")]))["possible_breaches"]
    assert (b["offence"], b["max_penalty"]) == (offence, penalty)
    assert b["time_limit"]["status"] == "none"
    if cite:
        assert cite in b["cite"]


def test_MCA_1980_s63_dvpo_breach_is_contempt_not_a_prosecution():
    [b] = check(bundle([order("dvpo")], [incident("I1", "2025-04-01")]))["possible_breaches"]
    assert "not an offence" in b["why"] and "contempt" in b["why"] and "not a prosecution" in b["why"]


@pytest.mark.parametrize(
    ("jurisdiction", "kind", "offence"),
    [
        ("scotland", "nho", "nho-breach"),
        ("northern-ireland", "ni-restraining-order", "ni-ro-breach"),
        ("northern-ireland", "ni-spo", "ni-spo-breach"),
    ],
)
def test_CPSA_1995_s234A_and_PfHNIO_1997_art7_breaches(jurisdiction, kind, offence):
    doc = check(bundle([order(kind)], [incident("I1", "2025-04-01")], jurisdiction=jurisdiction))
    [b] = doc["possible_breaches"]
    assert b["offence"] == offence and b["max_penalty"] == "5 years"
    assert "needs checking" not in str(doc["possible_breaches"])  # check-v2 §13
    assert doc["protective_options"] == []  # England and Wales only in this version


def test_FLA_1996_s42A_breach_before_2007_flagged_as_contempt():
    b = bundle(
        [order("non-molestation-order", made="2006-01-01", expires="2008-01-01")], [incident("I1", "2007-03-01")]
    )
    [found] = check(b, dt.date(2008, 6, 1))["possible_breaches"]
    assert [r["code"] for r in found["reasons"]] == ["before_force"]


def test_kinds_per_jurisdiction():
    assert kinds_for("scotland") == ["nho", "other"]
    assert kinds_for("northern-ireland") == ["ni-restraining-order", "ni-spo", "other"]
    assert "spo" in kinds_for("england-wales") and "nho" not in kinds_for("england-wales")
    assert set(KINDS) == {
        "spo",
        "restraining-order",
        "non-molestation-order",
        "dapo",
        "pha-injunction",
        "dvpo",
        "nho",
        "ni-restraining-order",
        "ni-spo",
        "other",
    }


# ---------------------------------------------------------------- orders and expiry


def test_order_in_force_and_days_to_expiry_and_expires_soon_warning():
    doc = check(bundle([order(expires="2025-06-29")]), dt.date(2025, 6, 1))
    [o] = doc["orders"]
    assert o["in_force"] is True and o["days_to_expiry"] == 28
    [w] = [w for w in doc["warnings"] if w["code"] == "order_expires_soon"]
    assert w["order"] == "O1" and w["days_left"] == 28


def test_order_expires_soon_not_raised_at_29_days_nor_after_expiry():
    assert not [
        w for w in check(bundle([order(expires="2025-06-30")]))["warnings"] if w["code"] == "order_expires_soon"
    ]
    doc = check(bundle([order(expires="2025-05-31")]))
    assert doc["orders"][0]["in_force"] is False and doc["orders"][0]["days_to_expiry"] == -1
    assert not [w for w in doc["warnings"] if w["code"] == "order_expires_soon"]


def test_order_expiring_on_as_of_is_in_force_with_zero_days():
    doc = check(bundle([order(expires="2025-06-01")]))
    assert doc["orders"][0]["in_force"] is True and doc["orders"][0]["days_to_expiry"] == 0
    assert [w["code"] for w in doc["warnings"]].count("order_expires_soon") == 1


def test_order_not_yet_made_on_as_of_is_not_in_force():
    doc = check(bundle([order(made="2025-06-02", expires=None)]))
    assert doc["orders"][0]["in_force"] is False


# ---------------------------------------------------------------- protective options


def options(doc, option_id):
    return [o for o in doc["protective_options"] if o["id"] == option_id]


def test_SPA_2019_s1_stalking_protection_order_could_support_one_act():
    doc = check(bundle([], [incident("I1", "2025-05-01")]))
    [spo] = options(doc, "spa-s1")
    assert spo["status"] == "could_support" and (spo["subject"], spo["victim"]) == ("P", "V")
    assert "the police apply" in spo["who_applies"] and "no course of conduct" in spo["who_applies"]


def test_SPA_2019_s1_contact_by_any_means_counts_whatever_the_words():
    # check-v2 §2: a text message is contact, whatever its behaviour words
    doc = check(bundle([], [incident("I1", "2025-05-01", behaviours=["abusive"])]))
    assert options(doc, "spa-s1")[0]["status"] == "could_support"
    doc = check(bundle([], [incident("I1", "2025-05-01", behaviours=["abusive"], channel="in_person")]))
    assert options(doc, "spa-s1")[0]["status"] == "not_indicated"
    doc = check(bundle([], [incident("I1", "2025-05-01", behaviours=["abusive"], channel="in_person", words="x")]))
    assert options(doc, "spa-s1")[0]["status"] == "could_support"


def test_SPA_2019_s1_risk_may_not_be_current_after_12_months():
    doc = check(bundle([], [incident("I1", "2024-05-01")]))
    [spo] = options(doc, "spa-s1")
    assert spo["status"] == "borderline" and spo["reasons"][0]["code"] == "risk_may_not_be_current"


def test_SPA_2019_s1_not_indicated_when_an_spo_is_already_in_force():
    doc = check(bundle([order(expires="2026-01-01")], [incident("I1", "2025-05-01")]))
    [spo] = options(doc, "spa-s1")
    assert spo["status"] == "not_indicated" and spo["reasons"][0]["code"] == "already_in_force"
    # an expired one does not stand in the way
    doc = check(bundle([order(expires="2025-05-10")], [incident("I1", "2025-05-01")]))
    assert options(doc, "spa-s1")[0]["status"] == "could_support"


def test_SPA_2019_s1_unknown_attribution_is_not_his_act():
    doc = check(bundle([], [incident("I1", "2025-05-01", attribution="unknown")]))
    assert options(doc, "spa-s1") == []  # no pair: nothing is recorded as his


@pytest.mark.parametrize(
    ("relationship", "status", "code"),
    [
        ("ex-partner", "could_support", "associated_person"),
        ("spouse", "could_support", "associated_person"),
        ("family", "could_support", "associated_person"),
        (None, "borderline", "relationship_not_recorded"),
        ("unknown", "borderline", "relationship_not_recorded"),
        ("stranger", "not_indicated", "not_associated"),
        ("neighbour", "not_indicated", "not_associated"),
    ],
)
def test_FLA_1996_s42_non_molestation_order_needs_an_associated_person_s62(relationship, status, code):
    doc = check(bundle([], [incident("I1", "2025-05-01")], relationship=relationship))
    [nmo] = options(doc, "fla-s42")
    assert nmo["status"] == status and nmo["reasons"][0]["code"] == code
    assert "the victim applies" in nmo["who_applies"]


def test_PHA_1997_s3_injunction_follows_the_civil_remedy_on_the_course():
    incs = [incident(f"I{n}", f"2025-05-0{n}") for n in range(1, 4)]
    doc = check(bundle([], incs))
    civil = next(o for c in doc["courses"] for o in c["offences"] + c["other_offences"] if o["id"] == "pha-s3")
    [injunction] = options(doc, "pha-s3")
    assert civil["status"] == "indicated" and injunction["status"] == "could_support"
    doc = check(bundle([], incs[:1]))
    assert options(doc, "pha-s3")[0]["status"] == "not_indicated"


def test_protective_options_one_entry_per_option_and_pair():
    incs = [incident("I1", "2025-05-01"), incident("I2", "2025-05-02", towards=["W"])]
    doc = check(bundle([], incs))
    pairs = [(o["id"], o["subject"], o["victim"]) for o in doc["protective_options"]]
    assert pairs == [
        ("spa-s1", "P", "V"),
        ("fla-s42", "P", "V"),
        ("pha-s3", "P", "V"),
        ("spa-s1", "P", "W"),
        ("fla-s42", "P", "W"),
        ("pha-s3", "P", "W"),
    ]


# ---------------------------------------------------------------- words and the catalogue


def test_orders_output_never_says_guilty_or_offence_committed():
    incs = [incident("I1", "2025-04-01"), incident("I2", "2025-05", precision="month")]
    words = str(check(bundle([order()], incs))).lower()
    assert "guilty" not in words and "offence committed" not in words and "breached" not in words


def test_catalogue_lists_every_breach_offence_with_sources():
    ids = {e["id"] for e in catalogue()}
    assert {k.breach for k in KINDS.values()} <= ids
    ni = [e for e in catalogue("northern-ireland") if e["id"] == "ni-ro-breach"]
    assert ni and "needs checking" in " ".join(ni[0]["caveats"]).lower()
    spo = next(e for e in catalogue("england-wales") if e["id"] == "spa-s8")
    assert spo["cite"] == ["Stalking Protection Act 2019 s.8"] and spo["time_limit"] == "no time limit"


def test_SPA_2019_s1_below_threshold_entries_are_not_counted_as_acts():
    doc = check(bundle([], [incident("I1", "2025-05-01", below_threshold=True)]))
    [spo] = options(doc, "spa-s1")
    assert spo["status"] == "not_indicated" and spo["reasons"][0]["code"] == "no_stalking_act"


def test_discharged_spo_does_not_stand_in_the_way_of_a_new_application():
    hist = [
        {
            "at": "2025-04-10T09:00:00+00:00",
            "change": "discharged",
            "field": None,
            "old": None,
            "new": None,
            "on": "2025-04-10",
            "reason": "discharged (fictional)",
        }
    ]
    doc = check(bundle([order(expires=None, history=hist)], [incident("I1", "2025-05-01")]))
    assert options(doc, "spa-s1")[0]["status"] == "could_support"
