"""Speed on a large case, and the contract checker itself."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from law_contract import assert_contract
from law_helpers import bundle, check, inc, series

from stalklog.law import check_case


def big_case(n: int = 10_000) -> dict:
    start = dt.date(2015, 1, 1)
    incidents = []
    for i in range(n):
        day = start + dt.timedelta(days=i // 4)
        incidents.append(
            inc(
                f"I{i}",
                f"{day.isoformat()}T{(i % 4) * 5 + 1:02d}:15",
                towards=["V"] if i % 7 else ["V", "W"],
                effects=["alarm"] if i % 3 else [],
                same_occasion_as=f"I{i - 1}" if i % 9 == 1 else None,
                links=[f"I{i - 40}"] if i % 50 == 0 and i >= 40 else [],
                below_threshold=i % 17 == 0,
                precision="month" if i % 500 == 0 else "exact",
            )
        )
    return bundle(incidents, context=["intent_to_persuade"])


def test_a_large_case_keeps_the_contract():
    # Speed is measured in bench/, not asserted here (no timing assertions in tests).
    b = big_case(2_000)
    doc = check_case(b, dt.date(2025, 8, 15))
    assert len(doc["courses"]) == 3
    assert_contract(doc, b)


# ---------------------------------------------------------------- the checker catches breaks


def _good():
    b = bundle(series("2025-03-01", [10]))
    return b, check(b)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.pop("disclaimer"),
        lambda d: d.update(format="stalklog.case"),
        lambda d: d["courses"][0].update(status="maybe"),
        lambda d: d["courses"][0]["offences"][0].update(status="guilty"),
        lambda d: d["courses"][0]["occasions"].append("NOPE"),
        lambda d: d["courses"][0]["gaps_days"].append(3),
        lambda d: d["courses"][0].update(reasons=[]),
        lambda d: d["courses"][0]["offences"].reverse(),
        lambda d: d["courses"][0]["offences"][0]["time_limit"].update(status="none"),
        lambda d: d["courses"][0]["offences"][0]["requirements"][0].update(met="yes"),
        lambda d: d["warnings"].append({"code": "x", "text": "the offence committed was"}),
    ],
)
def test_contract_checker_catches_a_broken_document(breakage):
    b, doc = _good()
    broken = copy.deepcopy(doc)
    breakage(broken)
    with pytest.raises((AssertionError, KeyError)):
        assert_contract(broken, b)


def test_contract_checker_accepts_the_spec_example_shape():
    b, doc = _good()
    assert_contract(doc, b)
    assert doc["courses"][0]["offences"][0]["time_limit"]["status"] == "in_time"
