"""Patterns over time (stalklog.desk.patterns): indicators on constructed cases, and none on flat ones."""

from __future__ import annotations

import datetime as dt
import json

from stalklog.desk import patterns as analysis


def inc(n: int, day: str, *, behaviours=("contacting",), channel="text_message", effects=("distress",), **extra):
    return {
        "id": n,
        "key": f"I{n}",
        "occurred": day,
        "precision": "day" if len(day) == 10 else "exact",
        "behaviours": list(behaviours),
        "channel": channel,
        "effects": list(effects),
        **extra,
    }


def series(days: list[str], **kwargs) -> list[dict]:
    return [inc(n, d, **kwargs) for n, d in enumerate(days, 1)]


def weekly(start: str, count: int, step: int = 7) -> list[str]:
    first = dt.date.fromisoformat(start)
    return [(first + dt.timedelta(days=step * k)).isoformat() for k in range(count)]


def codes(result: dict) -> list[str]:
    return [x["code"] for x in result["indicators"]]


def test_flat_case_has_no_indicators():
    result = analysis.patterns(series(weekly("2025-01-06", 8)))
    assert result["trend"]["direction"] == "steady"
    assert result["indicators"] == []
    assert analysis.escalation_summary(result) == ""
    assert result["by"] == "week"
    assert [r["count"] for r in result["counts"]] == [1] * 8
    assert result["counts"][0] == {"period": "2025-01-06", "label": "w/c 6 Jan 2025", "count": 1}


def test_rising_frequency_names_the_later_incidents():
    days = [
        "2025-01-02",
        "2025-01-20",
        "2025-02-10",
        "2025-02-24",
        "2025-02-26",
        "2025-02-28",
        "2025-03-02",
        "2025-03-04",
    ]
    result = analysis.patterns(series(days))
    assert result["trend"]["direction"] == "rising"
    rising = next(x for x in result["indicators"] if x["code"] == "frequency_rising")
    assert rising["escalation"] is True
    assert rising["incidents"] == ["I3", "I4", "I5", "I6", "I7", "I8"]
    assert "more frequent" in rising["text"] and "6 in the later half" in rising["text"]
    shorter = next(x for x in result["indicators"] if x["code"] == "gaps_shortening")
    assert shorter["gaps"] == [18, 21, 14, 2, 2, 2, 2]
    assert "more frequent" in analysis.escalation_summary(result)


def test_falling_frequency_is_a_trend_not_an_escalation():
    days = ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-05", "2025-01-07", "2025-02-15", "2025-03-10"]
    result = analysis.patterns(series(days))
    assert result["trend"]["direction"] == "falling"
    assert "frequency_rising" not in codes(result)
    longer = [x for x in result["indicators"] if x["code"] == "gaps_lengthening"]
    assert longer and longer[0]["escalation"] is False
    assert analysis.escalation_summary(result) == ""


def test_too_few_incidents_for_a_trend():
    result = analysis.patterns(series(["2025-01-01", "2025-02-01"]))
    assert result["trend"]["direction"] == "too_few"
    assert result["indicators"] == []


def test_new_threats_after_incidents_without_them():
    incidents = series(weekly("2025-01-06", 5))
    incidents[3]["behaviours"] = ["contacting", "threats"]
    incidents[4]["behaviours"] = ["threats"]
    result = analysis.patterns(incidents)
    threats = next(x for x in result["indicators"] if x["code"] == "new_behaviour_threats")
    assert threats["incidents"] == ["I4", "I5"]
    assert threats["text"].startswith("Threats first recorded on 27 Jan 2025 (I4), after 3 incidents without threats")
    assert "new: threats" in analysis.escalation_summary(result)


def test_threats_from_the_start_are_not_new():
    incidents = series(weekly("2025-01-06", 5), behaviours=("threats",))
    assert analysis.patterns(incidents)["indicators"] == []


def test_turning_up_in_person_after_only_messages():
    incidents = series(weekly("2025-01-06", 5))
    incidents[2]["channel"] = "email"
    incidents[3].update(channel="in_person", behaviours=["loitering"])
    result = analysis.patterns(incidents)
    found = next(x for x in result["indicators"] if x["code"] == "in_person_after_remote")
    assert found["incidents"] == ["I4"]
    assert "after 3 incidents only by email or text message" in found["text"]


def test_in_person_from_the_start_is_not_a_change():
    incidents = series(weekly("2025-01-06", 4))
    incidents[0]["channel"] = "in_person"
    assert "in_person_after_remote" not in codes(analysis.patterns(incidents))


def test_effects_becoming_more_serious():
    incidents = series(weekly("2025-01-06", 5), effects=("alarm",))
    incidents[3]["effects"] = ["fear_of_violence"]
    result = analysis.patterns(incidents)
    found = next(x for x in result["indicators"] if x["code"] == "effects_escalating")
    assert found["incidents"] == ["I4"]
    assert "fear of violence from 27 Jan 2025 (I4)" in found["text"]


def test_withdrawn_incidents_do_not_count():
    incidents = series(weekly("2025-01-06", 5))
    incidents[3].update(behaviours=["threats"], withdrawn={"at": "2025-02-01T00:00:00+00:00", "reason": "typo"})
    result = analysis.patterns(incidents)
    assert result["incidents"] == 4
    assert result["indicators"] == []


def test_month_only_incidents_are_counted_by_month_and_left_out_of_gaps():
    incidents = series(["2024-10-01", "2025-01-06", "2025-01-13", "2025-01-20"])
    incidents[0]["precision"] = "month"
    result = analysis.patterns(incidents)
    assert result["by"] == "month"
    assert result["month_only"] == 1
    assert [(r["period"], r["count"]) for r in result["counts"]] == [
        ("2024-10", 1),
        ("2024-11", 0),
        ("2024-12", 0),
        ("2025-01", 3),
    ]
    weekly_view = analysis.patterns(incidents, by="week")
    assert sum(r["count"] for r in weekly_view["counts"]) == 3


def test_the_words_are_indicators_for_review_never_a_prediction():
    incidents = series(weekly("2025-01-06", 6), effects=("alarm",))
    incidents[4].update(behaviours=["violence"], channel="in_person", effects=["fear_of_violence"])
    text = json.dumps(analysis.patterns(incidents)).lower()
    assert "indicators for review" in text
    for word in ("prediction", "predict", "risk score", "likely to", "will happen next"):
        assert word not in text
