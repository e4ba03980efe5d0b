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


def add_order_spans(data: dict, orders: list[dict]) -> dict:
    """Each protective order as a span (made → the day it ends) beside the timeline:
    ``data["orders"]`` lists them with the incidents whose possible dates fall inside, and
    each such entry gets ``orders`` (the keys). Nothing is added for a case without orders."""
    if not orders:
        return data
    from stalklog.law.orders import possible_days, read_order

    spans = []
    for raw in orders:
        o = read_order(raw)
        inside = []
        for e in data["entries"]:
            first, last = possible_days(e)
            if last >= o.made and (o.until is None or first <= o.until):
                inside.append(e["key"])
                e.setdefault("orders", []).append(o.key)
        spans.append(
            {
                "key": o.key,
                "kind": o.kind.id,
                "title": o.kind.title,
                "made": o.made.isoformat(),
                "until": o.until.isoformat() if o.until else None,
                "discharged": o.discharged.isoformat() if o.discharged else None,
                "incidents": inside,
            }
        )
    data["orders"] = spans
    return data
