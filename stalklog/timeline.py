"""A case's incidents over time: gaps in days, counts per month. Pure functions."""

from __future__ import annotations

import datetime as dt
from collections import Counter


def start_date(incident: dict) -> dt.date:
    return dt.date.fromisoformat(incident["occurred"][:10])


def end_date(incident: dict) -> dt.date:
    return dt.date.fromisoformat((incident.get("occurred_end") or incident["occurred"])[:10])


def build_timeline(incidents: list[dict]) -> dict:
    """``{"entries": [{id, key, occurred, precision, gap_days, summary, behaviours}], "months": {YYYY-MM: n}}``.

    The gap is counted in calendar days from the end of the previous incident to the start
    of this one, as the check counts gaps between occasions.
    """
    ordered = sorted(incidents, key=lambda i: (i["occurred"], i["id"]))
    entries: list[dict] = []
    previous_end: dt.date | None = None
    for inc in ordered:
        gap = (start_date(inc) - previous_end).days if previous_end else None
        entries.append(
            {
                "id": inc["id"],
                "key": inc["key"],
                "occurred": inc["occurred"],
                "occurred_end": inc.get("occurred_end"),
                "precision": inc["precision"],
                "gap_days": gap,
                "summary": inc["summary"],
                "behaviours": inc["behaviours"],
                "effects": inc["effects"],
                "below_threshold": inc["below_threshold"],
            }
        )
        previous_end = max(previous_end, end_date(inc)) if previous_end else end_date(inc)
    months = Counter(i["occurred"][:7] for i in ordered)
    filled = {}
    if ordered:
        y, m = map(int, ordered[0]["occurred"][:7].split("-"))
        last = ordered[-1]["occurred"][:7]
        while f"{y:04d}-{m:02d}" <= last:
            key = f"{y:04d}-{m:02d}"
            filled[key] = months.get(key, 0)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return {"entries": entries, "months": filled}
