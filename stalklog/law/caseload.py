"""One row per course over many check documents, most urgent first (``check --all``,
``cases``). Each row takes the course's own ``strongest`` and ``next_deadline`` (check-v2
§7), so a deadline is always shown with the offence it belongs to.

Order (the ``urgency`` field names the group):

1. ``deadline`` — a live summary deadline still running (or that may have passed, where a
   date is imprecise): soonest first;
2. ``no_deadline`` — met or borderline courses whose strongest offence has no time limit
   running out (met before borderline);
3. ``expired`` — met or borderline courses whose strongest offence's own limit has passed:
   the most recently passed first;
4. ``not_met`` — everything else.

Ties go by case reference, then the order of the courses in their check document.
"""

from __future__ import annotations

from stalklog.law.headline import next_deadline, severity, strongest

__all__ = ["GROUPS", "caseload_rows", "severity"]

GROUPS = ("deadline", "no_deadline", "expired", "not_met")


def caseload_rows(docs: list[dict]) -> list[dict]:
    """Rows for every course of every check document, sorted by urgency."""
    rows = [(_row(doc, course), n) for doc in docs for n, course in enumerate(doc.get("courses", []))]
    rows.sort(key=lambda pair: _urgency(*pair))
    return [row for row, _ in rows]


def _row(doc: dict, course: dict) -> dict:
    best = course["strongest"] if "strongest" in course else strongest(course["offences"])
    if "next_deadline" in course:
        nxt = course["next_deadline"]
    else:
        nxt = next_deadline(course["offences"], course.get("single_incident_offences", []))
    days, deadline, deadline_offence, deadline_status = None, None, None, None
    if nxt is not None:
        days, deadline, deadline_offence, deadline_status = (
            nxt["days_left"],
            nxt["deadline"],
            nxt["offence"],
            nxt["status"],
        )
    elif best and best["time_limit"]["status"] == "expired":
        limit = best["time_limit"]
        days, deadline, deadline_offence, deadline_status = (
            limit["days_left"],
            limit["deadline"],
            best["offence"],
            "expired",
        )
    titles = {o["id"]: o["title"] for o in course["offences"]}
    titles.update({s["id"]: s["title"] for s in course.get("single_incident_offences", [])})
    row = {
        "case": doc.get("case"),
        "jurisdiction": doc.get("jurisdiction"),
        "as_of": doc.get("as_of"),
        "subject": course["subject"],
        "victims": list(course["victims"]),
        "kind": course["kind"],
        "status": course["status"],
        "occasions": len(course["occasions"]),
        "strongest": best["offence"] if best else None,
        "strongest_title": titles.get(best["offence"]) if best else None,
        "strongest_status": best["status"] if best else None,
        "strongest_time_limit": best["time_limit"] if best else None,
        "next_deadline": nxt,
        "days_left": days,
        "deadline": deadline,
        "deadline_offence": deadline_offence,
        "deadline_offence_title": titles.get(deadline_offence) if deadline_offence else None,
        "deadline_status": deadline_status,
    }
    row["urgency"] = _group(row)
    return row


def _group(row: dict) -> str:
    if row["status"] == "not_met" and row["next_deadline"] is None:
        return "not_met"
    if row["next_deadline"] is not None:
        return "deadline"
    if row["deadline_status"] == "expired":
        return "expired"
    return "no_deadline"


def _urgency(row: dict, position: int) -> tuple:
    group = GROUPS.index(row["urgency"])
    days = row["days_left"]
    inner = {0: days, 1: 0 if row["status"] == "met" else 1, 2: -days if days is not None else 0, 3: 0}[group]
    return (group, inner, str(row["case"]), position)
