"""What sums up a course without mixing offences (check-v2 §7): ``strongest`` (the offence
of highest standing, with its own time limit) and ``next_deadline`` (the nearest deadline of
a live summary offence, naming that offence). Pure; used by the check, ``check --all``,
``cases`` and the reports, so that no summary puts one offence's deadline beside another.
"""

from __future__ import annotations

import re
from functools import lru_cache

LIVE = ("indicated", "borderline")
COURSE_DEADLINE_IDS = ("pha-s2", "pha-s2a")  # never pfho-art4: its limit is unverified
RUNNING = ("in_time", "may_have_expired")
_PENALTY = re.compile(r"(\d+)\s+(year|month)")


def severity(offence: dict) -> int:
    """Months of the maximum penalty (the larger where the phrase names two); civil claims
    rank below every offence."""
    if offence.get("kind") == "civil":
        return -1
    return _months(offence.get("max_penalty") or "")


@lru_cache(maxsize=256)
def _months(penalty: str) -> int:
    """The larger number of months a penalty phrase names (a few phrases, over and over)."""
    found = [int(n) * (12 if unit == "year" else 1) for n, unit in _PENALTY.findall(penalty)]
    return max(found, default=0)


def strongest(offences: list[dict]) -> dict | None:
    """The offence of highest status (indicated, then borderline); among equals the longest
    maximum penalty, then list order. ``None`` when none is indicated or borderline."""
    ranked = [(LIVE.index(o["status"]), -severity(o), n, o) for n, o in enumerate(offences) if o["status"] in LIVE]
    if not ranked:
        return None
    best = min(ranked, key=lambda r: r[:3])[3]
    return {
        "offence": best["id"],
        "title": best["title"],
        "status": best["status"],
        "time_limit": best["time_limit"],
        "max_penalty": best["max_penalty"],
    }


def next_deadline(offences: list[dict], singles: list[dict]) -> dict | None:
    """The nearest deadline still running (or that may have passed) among s.2 and s.2A when
    live and the course's single-incident offences with a summary limit; ties in list
    order. ``None`` if none."""
    candidates: list[tuple[str, list[str], dict]] = [
        (o["id"], [], o["time_limit"])
        for o in offences
        if o["id"] in COURSE_DEADLINE_IDS and o["status"] in LIVE and o["time_limit"]["status"] in RUNNING
    ]
    candidates += [
        (s["id"], list(s["incidents"]), s["time_limit"]) for s in singles if s["time_limit"]["status"] in RUNNING
    ]
    if not candidates:
        return None
    offence, incidents, limit = min(enumerate(candidates), key=lambda pair: (pair[1][2]["deadline"], pair[0]))[1]
    return {
        "offence": offence,
        "incidents": incidents,
        "deadline": limit["deadline"],
        "deadline_latest": limit.get("deadline_latest"),
        "status": limit["status"],
        "days_left": limit["days_left"],
    }
