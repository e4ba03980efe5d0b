"""Time limits: MCA 1980 s.127 and DPP v Baker for s.2/s.2A, LA 1980 for s.3."""

from __future__ import annotations

import datetime as dt

import pytest
from law_helpers import bundle, check, codes, course, inc, offence, series

from stalklog.law.incidents import add_months


@pytest.mark.parametrize(
    "start, months, expected",
    [
        ("2025-03-01", 6, "2025-09-01"),
        ("2024-09-30", 6, "2025-03-30"),  # the last day of a 30-day month keeps its day number
        ("2025-04-30", 6, "2025-10-30"),
        ("2025-03-31", 6, "2025-09-30"),  # September is shorter: its last day
        ("2023-08-31", 6, "2024-02-29"),  # leap year
        ("2024-08-31", 6, "2025-02-28"),
        ("2024-02-29", 72, "2030-02-28"),  # s.3: six years
        ("2025-12-15", 1, "2026-01-15"),
    ],
)
def test_mca_s127_calendar_months_corresponding_date_rule(start, months, expected):
    assert add_months(dt.date.fromisoformat(start), months).isoformat() == expected


def test_baker_deadline_runs_from_last_occasion():
    # DPP v Baker: letters and calls over 2 years 8 months; the six months run from the last.
    incidents = series("2023-01-01", [80, 80, 80, 80, 80, 80, 80, 80, 80])
    doc = check(bundle(incidents), as_of="2025-02-01")
    c = course(doc)
    assert c["status"] == "met" and len(c["occasions"]) == 10
    last = dt.date.fromisoformat(c["occasion_detail"][-1]["end"])
    limit = offence(c, "pha-s2")["time_limit"]
    assert limit["deadline"] == add_months(last, 6).isoformat()
    assert limit["status"] == "in_time"
    assert offence(c, "pha-s2a")["time_limit"] == limit


def test_baker_deadline_from_the_end_of_a_spanning_last_occasion():
    incidents = [inc("I1", "2025-01-10"), inc("I2", "2025-02-01", occurred_end="2025-03-10")]
    limit = offence(course(check(bundle(incidents))), "pha-s2")["time_limit"]
    assert limit["deadline"] == "2025-09-10"


def test_baker_deadline_from_the_last_day_of_a_30_day_month():
    doc = check(bundle(series("2024-09-20", [10])), as_of="2025-03-01")
    limit = offence(course(doc), "pha-s2")["time_limit"]
    assert limit["deadline"] == "2025-03-30" and limit["days_left"] == 29
    assert "time_limit_soon" not in codes(doc["warnings"])


def test_baker_deadline_from_31_august_2023_is_29_february_2024():
    doc = check(bundle(series("2023-08-21", [10])), as_of="2024-02-01")
    limit = offence(course(doc), "pha-s2")["time_limit"]
    assert limit["deadline"] == "2024-02-29" and limit["days_left"] == 28


@pytest.mark.parametrize("days_left, warned", [(29, False), (28, True), (1, True), (0, True)])
def test_mca_s127_warning_at_28_days_or_fewer(days_left, warned):
    doc = check(bundle(series("2025-02-01", [28])), as_of=dt.date(2025, 9, 1) - dt.timedelta(days=days_left))
    limit = offence(course(doc), "pha-s2")["time_limit"]
    assert limit["deadline"] == "2025-09-01" and limit["days_left"] == days_left
    assert limit["status"] == "in_time"
    assert ("time_limit_soon" in codes(doc["warnings"])) == warned


def test_mca_s127_warning_names_the_offences_and_days():
    doc = check(bundle(series("2025-02-01", [28])), as_of="2025-08-15")
    warning = next(w for w in doc["warnings"] if w["code"] == "time_limit_soon")
    # check-v2 §7: the deadline is for a prosecution to begin, not "to charge" alone
    assert warning["text"].startswith("17 days left for a prosecution to begin for s.2/s.2A")
    assert "report well before" in warning["text"]
    assert warning["offences"] == ["pha-s2", "pha-s2a"] and warning["days_left"] == 17


def test_mca_s127_expired_the_day_after_the_deadline():
    doc = check(bundle(series("2025-02-01", [28])), as_of="2025-09-02")
    limit = offence(course(doc), "pha-s2")["time_limit"]
    assert limit["status"] == "expired" and limit["days_left"] == -1
    assert "time_limit_soon" not in codes(doc["warnings"])
    expired = next(w for w in doc["warnings"] if w["code"] == "time_limit_expired")
    # check-v2 §7: only offences indicated or borderline with no limit (none here), and the civil claim
    assert "s.4" not in expired["text"] and "PHA 1997 s.3" in expired["text"]


def test_mca_s127_limits_are_reported_whatever_the_status():
    doc = check(bundle([inc("I1", "2025-03-01", effects=[])]))
    c = course(doc)
    for oid in ("pha-s2", "pha-s2a", "pha-s3"):
        off = offence(c, oid)
        assert off["status"] == "not_indicated" and off["time_limit"]["applies"]
    assert offence(c, "pha-s2")["time_limit"]["deadline"] == "2025-09-01"
    assert doc["warnings"] == []  # no warning for offences that are not indicated


def test_mca_s127_2_either_way_offences_have_no_time_limit():
    doc = check(bundle(series("2025-03-01", [10], effects=["fear_of_violence"])))
    c = course(doc)
    for oid in ("pha-s4", "pha-s4a", "sca-s76"):
        assert offence(c, oid)["time_limit"] == {
            "applies": False,
            "deadline": None,
            "deadline_latest": None,
            "status": "none",
            "days_left": None,
        }


def test_limitation_act_s2_civil_claim_six_years_from_the_last_occasion():
    doc = check(bundle(series("2025-02-21", [8])))
    limit = offence(course(doc), "pha-s3")["time_limit"]
    assert limit["deadline"] == "2031-03-01" and limit["status"] == "in_time"


def test_limitation_act_s2_no_soon_warning_for_the_civil_claim():
    doc = check(bundle(series("2019-08-04", [28])), as_of="2025-08-15")
    s3 = offence(course(doc), "pha-s3")["time_limit"]
    assert s3["days_left"] == 17
    assert "time_limit_soon" not in codes(doc["warnings"])


def test_borderline_summary_offence_still_warns():
    doc = check(bundle(series("2025-01-01", [100])), as_of="2025-10-01")
    assert offence(course(doc), "pha-s2")["status"] == "borderline"
    assert "time_limit_soon" in codes(doc["warnings"])


def test_as_of_accepts_a_datetime():
    from stalklog.law import check_case

    doc = check_case(bundle(series("2025-02-01", [28])), dt.datetime(2025, 8, 15, 9, 30))
    assert doc["as_of"] == "2025-08-15"


def test_mca_1980_s127_a_range_that_gives_one_deadline_is_a_certain_date():
    """check-v2 §8: a deadline is a range only when the possible dates give different
    deadlines. 30 and 31 Dec 2021 plus six calendar months are both 30 Jun 2022 (the month
    has no 31st: Dodds v Walker), so the deadline is certain (found by hypothesis)."""
    import datetime as dt

    from stalklog.law.offence import months_limit

    limit = months_limit(dt.date(2021, 12, 30), dt.date(2021, 12, 31), 6, dt.date(2022, 7, 1))
    assert limit["deadline"] == "2022-06-30" and limit["deadline_latest"] is None
    assert limit["status"] == "expired"
