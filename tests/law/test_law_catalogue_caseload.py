"""``catalogue`` (the rules as data) and ``caseload_rows`` (many cases by urgency)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from law_contract import JURISDICTION_OFFENCES, OTHER_OFFENCES
from law_helpers import bundle, check, inc, series

from stalklog.errors import InvalidValue
from stalklog.law import DISCLAIMER, caseload_rows, catalogue, check_case, uncertain_sources


@pytest.mark.parametrize("jurisdiction", list(JURISDICTION_OFFENCES))
def test_catalogue_lists_each_offence_of_a_jurisdiction(jurisdiction):
    entries = catalogue(jurisdiction)
    offences = [
        e["id"]
        for e in entries
        if not e.get("alternative") and not e.get("other_offence") and not e.get("order_breach")
    ]
    assert offences == JURISDICTION_OFFENCES[jurisdiction]  # with pha-s3a (check-v2 §5), pfsa-s2 (§11)
    others = [e["id"] for e in entries if e.get("other_offence")]
    assert others == OTHER_OFFENCES[jurisdiction]
    for e in entries:
        assert e["jurisdiction"] == jurisdiction
        if e.get("order_breach"):  # breaches of protective orders: tests/law/test_law_orders.py
            continue
        assert e["kind"] in ("criminal", "civil")
        assert e["title"] and e["requirements"] and e["cite"]
        assert isinstance(e["time_limit"], str) and isinstance(e["max_penalty"], str)
        dt.date.fromisoformat(e["in_force"])
        assert e["dates"] and all(dt.date.fromisoformat(d["date"]) and d["what"] for d in e["dates"])


def test_catalogue_without_a_jurisdiction_lists_all_three():
    assert {e["jurisdiction"] for e in catalogue()} == set(JURISDICTION_OFFENCES)


def test_catalogue_unknown_jurisdiction_is_an_error():
    with pytest.raises(InvalidValue):
        catalogue("wales")


def test_v2_s13_unsettled_points_only_with_sources_marked_needs_checking():
    # check-v2 §13: uncertain points go to `stalklog law --sources`, never the other output.
    assert "needs checking" not in json.dumps(catalogue()).lower()
    by_id = {e["id"]: e for e in catalogue("northern-ireland", sources=True)}
    assert any("not confirmed" in c for c in by_id["pfho-art4"]["caveats"])
    assert "applies" in by_id["pfho-art4"]["time_limit"]
    points = uncertain_sources("england-wales")
    assert all(p["status"] == "needs checking" for p in points)
    assert any("Henley" in p["point"] and p["id"] == "pha-s4" for p in points)
    assert any(p["title"].startswith("R v Qosja") for p in points)
    ew = {e["id"]: e for e in catalogue("england-wales")}
    assert "10 years" in ew["pha-s4"]["max_penalty"] and "3 Apr 2017" in ew["pha-s4"]["max_penalty"]
    assert ew["pha-s2a"]["in_force"] == "2012-11-25"
    assert ew["pha-s2"]["time_limit"].startswith("summary only: 6 calendar months")
    assert "2023-04-05" in [d["date"] for d in ew["sca-s76"]["dates"]]
    assert "2017-04-03" in [d["date"] for d in ew["pha-s4a"]["dates"]]
    fear = next(r for r in ew["pha-s4"]["requirements"] if r["code"] == "fear_of_violence_twice")
    assert "against the person herself" in fear["text"] and fear["cite"] == ["PHA 1997 s.4(1)"]


def test_v2_s12_catalogue_includes_the_single_incident_offences():
    ids = [e["id"] for e in catalogue("england-wales") if e.get("alternative")]
    assert ids == ["oapa-s16", "osa-s181", "mca-s1", "poa-s4a"]
    ni = [e["id"] for e in catalogue("northern-ireland") if e.get("alternative")]
    assert ni == ["oapa-s16", "osa-s181", "pfsa-s2"]


def test_catalogue_and_disclaimer_never_say_guilty():
    text = json.dumps(catalogue()).lower() + DISCLAIMER.lower()
    assert "guilty" not in text and "offence committed" not in text


def test_check_unknown_jurisdiction_is_an_error():
    with pytest.raises(InvalidValue):
        check_case(bundle([]), dt.date(2025, 1, 1), "mars")


def test_check_unreadable_date_names_the_incident():
    with pytest.raises(InvalidValue, match=r"incidents\[0\]\.occurred \(I1\)"):
        check_case(bundle([inc("I1", "31/02/2024")]), dt.date(2025, 1, 1))


# ---------------------------------------------------------------- caseload


def _doc(ref, incidents, as_of="2025-08-15", **kw):
    b = bundle(incidents, **kw)
    b["case"]["ref"] = ref
    return check(b, as_of=as_of)


def test_caseload_orders_by_urgency():
    docs = [
        _doc("NOT-MET", [inc("I1", "2025-08-01")]),
        _doc("EXPIRED", series("2024-01-01", [10])),
        _doc("NO-LIMIT", series("2024-01-01", [10], effects=["fear_of_violence"]), jurisdiction="scotland"),
        _doc("LATER", series("2025-07-01", [10])),
        _doc("SOON", series("2025-02-01", [28])),
    ]
    rows = caseload_rows(docs)
    assert [r["case"] for r in rows] == ["SOON", "LATER", "NO-LIMIT", "EXPIRED", "NOT-MET"]
    assert [r["urgency"] for r in rows] == ["deadline", "deadline", "no_deadline", "expired", "not_met"]
    soon = rows[0]
    assert soon["days_left"] == 17 and soon["deadline"] == "2025-09-01" and soon["deadline_offence"] == "pha-s2"
    # check-v2 §7: among equal penalties the first listed (s.2 before s.2A)
    assert soon["strongest"] == "pha-s2" and soon["strongest_status"] == "indicated"
    assert rows[2]["strongest"] == "cjlsa-s39" and rows[2]["days_left"] is None
    assert rows[3]["days_left"] < 0 and rows[3]["deadline_offence"] == rows[3]["strongest"] == "pha-s2"
    assert rows[4]["strongest"] is None and rows[4]["days_left"] is None


def test_caseload_strongest_is_the_most_serious_indicated_offence():
    doc = _doc("C", series("2025-07-01", [10], effects=["fear_of_violence"]))
    row = caseload_rows([doc])[0]
    assert row["strongest"] == "pha-s4"  # 10 years; check-v2 §7: equals go by list order


def test_v2_s7_caseload_never_puts_s2_expiry_beside_s4a():
    # check-v2 §7: "Strongest: s.4A" must not sit beside "ended 391 days ago" (s.2's limit).
    incidents = series("2024-01-01", [10], behaviours=["following"], effects=["serious_alarm_or_distress"])
    doc = _doc("C", incidents, impacts=[{"kind": "moved_home", "date": "2024-02"}])
    row = caseload_rows([doc])[0]
    assert row["strongest"] == "pha-s4a" and row["strongest_time_limit"]["status"] == "none"
    assert row["days_left"] is None and row["deadline"] is None and row["urgency"] == "no_deadline"


def test_caseload_strongest_falls_back_to_borderline():
    doc = _doc("C", series("2025-01-01", [100]))
    row = caseload_rows([doc])[0]
    assert row["status"] == "borderline" and row["strongest_status"] == "borderline"


def test_caseload_ignores_deadlines_of_offences_not_indicated():
    doc = _doc("C", series("2025-07-01", [10], effects=[]))
    row = caseload_rows([doc])[0]
    assert row["status"] == "met" and row["days_left"] is None and row["strongest"] is None


def test_caseload_one_row_per_course():
    incidents = [inc("I1", "2025-07-01", towards=["V", "W"]), inc("I2", "2025-07-09", towards=["V", "W"])]
    doc = _doc("C", incidents, context=["intent_to_persuade"])
    rows = caseload_rows([doc])
    assert [(r["victims"], r["kind"]) for r in rows] == [(["V"], "single"), (["W"], "single"), (["V", "W"], "multiple")]


def test_caseload_of_nothing_is_empty():
    assert caseload_rows([]) == []
