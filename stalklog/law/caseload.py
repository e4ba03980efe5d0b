"""One row per course over many check documents, most urgent first (``check --all``).

Order (the ``urgency`` field names the group):

1. ``deadline`` — a live (indicated or borderline) summary offence still in time:
   soonest deadline first;
2. ``no_deadline`` — met or borderline courses with no summary deadline running
   (met before borderline);
3. ``expired`` — met or borderline courses whose summary deadline has passed: the most
   recently passed first;
4. ``not_met`` — everything else.

Ties go by case reference, then the order of the courses in their check document.
"""

from __future__ import annotations

import re

SUMMARY_IDS = frozenset({"pha-s2", "pha-s2a", "pfho-art4"})
LIVE = ("indicated", "borderline")
GROUPS = ("deadline", "no_deadline", "expired", "not_met")
_PENALTY = re.compile(r"(\d+)\s+(year|month)")


def caseload_rows(docs: list[dict]) -> list[dict]:
    """Rows for every course of every check document, sorted by urgency."""
    rows = [(_row(doc, course), n) for doc in docs for n, course in enumerate(doc.get("courses", []))]
    rows.sort(key=lambda pair: _urgency(*pair))
    return [row for row, _ in rows]


def _row(doc: dict, course: dict) -> dict:
    strongest = _strongest(course["offences"])
    days, deadline = _nearest_deadline(course["offences"])
    row = {
        "case": doc.get("case"),
        "jurisdiction": doc.get("jurisdiction"),
        "as_of": doc.get("as_of"),
        "subject": course["subject"],
        "victims": list(course["victims"]),
        "kind": course["kind"],
        "status": course["status"],
        "occasions": len(course["occasions"]),
        "strongest": strongest["id"] if strongest else None,
        "strongest_title": strongest["title"] if strongest else None,
        "strongest_status": strongest["status"] if strongest else None,
        "days_left": days,
        "deadline": deadline,
    }
    row["urgency"] = _group(row)
    return row


def severity(offence: dict) -> int:
    """Months of the maximum penalty; civil claims rank below every offence."""
    if offence.get("kind") == "civil":
        return -1
    match = _PENALTY.search(offence.get("max_penalty") or "")
    if not match:
        return 0
    return int(match[1]) * (12 if match[2] == "year" else 1)


def _strongest(offences: list[dict]) -> dict | None:
    """The most serious indicated offence, else the most serious borderline one."""
    for status in LIVE:
        found = [o for o in offences if o["status"] == status]
        if found:
            # of equal penalties the later-listed, more specific one (s.2A over s.2)
            return max(enumerate(found), key=lambda pair: (severity(pair[1]), pair[0]))[1]
    return None


def _nearest_deadline(offences: list[dict]) -> tuple[int | None, str | None]:
    """Days to the nearest in-time deadline; else the most recently passed one."""
    limits = [
        o["time_limit"]
        for o in offences
        if o["id"] in SUMMARY_IDS and o["status"] in LIVE and o["time_limit"].get("deadline")
    ]
    running = [t for t in limits if t["days_left"] >= 0]
    pool = running or limits
    if not pool:
        return None, None
    pick = min(pool, key=lambda t: t["days_left"]) if running else max(pool, key=lambda t: t["days_left"])
    return pick["days_left"], pick["deadline"]


def _group(row: dict) -> str:
    if row["status"] == "not_met":
        return "not_met"
    if row["days_left"] is None:
        return "no_deadline"
    return "deadline" if row["days_left"] >= 0 else "expired"


def _urgency(row: dict, position: int) -> tuple:
    group = GROUPS.index(row["urgency"])
    days = row["days_left"]
    inner = {0: days, 1: 0 if row["status"] == "met" else 1, 2: -days if days is not None else 0, 3: 0}[group]
    return (group, inner, str(row["case"]), position)
