"""The advocate's caseload (``stalklog cases``): every case, the one that needs you first at
the top, and why.

A case's place comes from four things the record shows, in this order (``priority``):

1. ``possible_breach`` — the check found a possible breach of an order in the last
   ``BREACH_DAYS`` days (most recent first);
2. ``deadline_soon`` — a live summary offence whose time limit ends within ``SOON`` days
   (soonest first);
3. ``escalation`` — escalation indicators in the patterns (new behaviours, rising
   frequency, threats…) or a latest S-DASH screening answering yes to a question on fear or
   violence (``SCREENING_QUESTIONS``): the more of these, the higher;
4. ``deadline`` — a live summary deadline further off (soonest first);
5. ``course`` — a course (or one for review) with no summary deadline running, or one that
   has passed;
6. ``quiet`` — nothing of the above (no course yet, or no incidents).

Ties keep the order of ``stalklog check --all`` (``stalklog.law.caseload``); closed cases
come after every open one. ``why`` says in a few words what placed each case. These are
indicators for a professional to weigh, not a score or a risk level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from stalklog.store.database import Database

if TYPE_CHECKING:
    from stalklog.desk.parallel import CaseWorkers

SOON = 28  # days: a deadline this close outranks escalation
BREACH_DAYS = 28  # days: a possible breach this recent outranks every deadline
PRIORITIES = ("possible_breach", "deadline_soon", "escalation", "deadline", "course", "quiet")
COURSE_RANK = {"met": 0, "borderline": 1, "not_met": 2}
# S-DASH questions on fear and violence: 1 very frightened, 6 threats of physical or sexual
# violence, 8 violence towards people in the current incidents, 11 violent in the past. A
# yes to any of them raises the case for a professional to consider a specialist referral.
# Which questions raise a case is stalklog's choice for ordering, not an S-DASH threshold:
# S-DASH itself is not scored.
SCREENING_QUESTIONS = (1, 6, 8, 11)


def caseload_cases(db: Database, *, status: str, jurisdiction: str | None) -> list[dict]:
    """The cases ``caseload`` ranks (``status``: open, closed or all)."""
    from stalklog import records

    return records.list_cases(db, status=None if status == "all" else status, jurisdiction=jurisdiction)


def caseload(
    db: Database,
    *,
    status: str,
    jurisdiction: str | None,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
    workers: CaseWorkers | None = None,
) -> list[dict]:
    """One row per case (``status``: open, closed or all), most urgent first. ``progress``
    is told of each case's incidents once it is read. ``workers``: started by the caller
    over ``caseload_cases(db, status=…, jurisdiction=…)`` (else this makes its own)."""
    if workers is None:
        from stalklog.desk.parallel import CaseWorkers

        with CaseWorkers(db, caseload_cases(db, status=status, jurisdiction=jurisdiction)) as started:
            return caseload(
                db, status=status, jurisdiction=jurisdiction, as_of=as_of, progress=progress, workers=started
            )
    # case by case: each case's bundle and check let go once its row is made
    found = list(workers.map(checked_row, as_of, progress=progress))
    # A case is as urgent as its most urgent course in the check's own order (ties); its
    # priority (possible breach, near deadline, escalation …) comes first.
    place: dict[str, int] = {}
    for n, course in enumerate(merged_rows(c for row in found for c in row["courses"])):
        place.setdefault(course["case"], n)
    return sorted(found, key=lambda c: order_key(c, place))


def checked_row(db: Database, case: dict, as_of: dt.date) -> dict:
    """One case's caseload row: read, checked and let go (in a worker process, or here)."""
    from stalklog.desk import screening
    from stalklog.interchange.json_bundle import export_bundle
    from stalklog.law import check_case

    bundle = export_bundle(db, case["ref"])
    doc = check_case(bundle, as_of)
    return case_row(case, bundle, doc, screening.latest(db, case["ref"]), as_of)


def merged_rows(rows: Iterable[dict]) -> list[dict]:
    """``caseload_rows`` of many check documents from each document's own
    ``caseload_rows``, in the caseload's order: the same rows in the same order (within
    a case they are already in the order of its courses, and the sort is stable)."""
    from stalklog.law.caseload import _urgency

    return sorted(rows, key=lambda row: _urgency(row, 0))


def case_row(case: dict, bundle: dict, doc: dict, latest_screening: dict | None, as_of: dt.date) -> dict:
    """A case's caseload row from its record, its bundle, its check and its latest screening."""
    from stalklog.desk import patterns as analysis
    from stalklog.law import caseload_rows

    rows = caseload_rows([doc])
    result = analysis.patterns(bundle["incidents"])
    lead = rows[0] if rows else {}
    names = {p["key"]: p.get("name") for p in bundle["people"]}
    row = {
        "case": case["ref"],
        "title": case["title"],
        "jurisdiction": case["jurisdiction"],
        "status": case["status"],
        "subjects": [{"key": p["key"], "name": p.get("name")} for p in bundle["people"] if p["role"] == "subject"],
        "victims": [{"key": p["key"], "name": p.get("name")} for p in bundle["people"] if p["role"] == "victim"],
        "incidents": case["incidents"],
        "last_incident": case["last_incident"],
        "course_status": min((r["status"] for r in rows), key=lambda status: COURSE_RANK[status], default=None),
        "strongest": lead.get("strongest"),
        "strongest_title": lead.get("strongest_title"),
        "strongest_status": lead.get("strongest_status"),
        "strongest_time_limit": lead.get("strongest_time_limit"),
        "days_left": lead.get("days_left"),
        "deadline": lead.get("deadline"),
        "deadline_offence": lead.get("deadline_offence"),
        "deadline_offence_title": lead.get("deadline_offence_title"),
        "deadline_status": lead.get("deadline_status"),
        "urgency": lead.get("urgency"),
        "escalation": analysis.escalation_summary(result),
        "indicators": [
            {"code": x["code"], "text": x["text"], "short": x["short"], "incidents": x["incidents"]}
            for x in result["indicators"]
            if x["escalation"]
        ],
        "possible_breaches": recent_breaches(doc, as_of),
        "screening_flags": screening_flags(latest_screening),
        "courses": [{**r, "subject_name": names.get(r["subject"])} for r in rows],
    }
    row["priority"] = priority(row)
    row["why"] = why(row)
    return row


def recent_breaches(doc: dict, as_of: dt.date) -> list[dict]:
    """Possible breaches of an order the check lists (``possible_breaches``) that happened in
    the last ``BREACH_DAYS`` days, most recent first."""
    out = []
    for breach in doc.get("possible_breaches") or []:
        when = _day_of(breach)
        if when is not None and 0 <= (as_of - when).days <= BREACH_DAYS:
            out.append({**breach, "date": when.isoformat()})
    return sorted(out, key=lambda b: b["date"], reverse=True)


def _day_of(item: dict) -> dt.date | None:
    for field in ("date", "occurred", "when", "on"):
        value = item.get(field)
        if isinstance(value, str) and len(value) >= 10:
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def screening_flags(latest: dict | None) -> list[dict]:
    """The latest screening's yes answers to the questions in ``SCREENING_QUESTIONS``."""
    if not latest:
        return []
    return [
        {"number": a["number"], "question": a["question"], "taken": latest["taken"]}
        for a in latest["answers"]
        if a["number"] in SCREENING_QUESTIONS and a["answer"] == "yes"
    ]


def priority(row: dict) -> str:
    days = row["days_left"]
    if row["possible_breaches"]:
        return "possible_breach"
    if days is not None and 0 <= days <= SOON:
        return "deadline_soon"
    if row["indicators"] or row["screening_flags"]:
        return "escalation"
    if days is not None and days >= 0:
        return "deadline"
    if row["course_status"] in ("met", "borderline"):
        return "course"
    return "quiet"


def order_key(row: dict, place: dict[str, int]) -> tuple:
    group = PRIORITIES.index(row["priority"])
    if group == 0:
        inner: tuple = (-dt.date.fromisoformat(row["possible_breaches"][0]["date"]).toordinal(),)
    elif group in (1, 3):
        inner = (row["days_left"],)
    elif group == 2:
        inner = (-(len(row["indicators"]) + (1 if row["screening_flags"] else 0)),)
    else:
        inner = ()
    return (row["status"] == "closed", group, *inner, place.get(row["case"], len(place)), row["case"])


def why(row: dict) -> list[dict]:
    """What placed the case: each reason as ``{"code", "text"}``, the weightiest first."""
    from stalklog.law.wording import day

    out = []
    for b in row["possible_breaches"][:1]:
        text = f"possible breach of an order on {day(dt.date.fromisoformat(b['date']))}"
        more = len(row["possible_breaches"]) - 1
        out.append({"code": "possible_breach", "text": text + (f" (and {more} more)" if more else "")})
    days = row["days_left"]
    if days is not None and days >= 0:
        when = day(dt.date.fromisoformat(row["deadline"]))
        left = "last day today" if days == 0 else f"{days} day{'s' if days != 1 else ''} left"
        owner = _source(row.get("deadline_offence_title"))
        out.append({"code": "deadline", "text": f"time limit {when}{owner} ({left})"})
    for x in row["indicators"]:
        out.append({"code": x["code"], "text": x["short"]})
    if row["screening_flags"]:
        numbers = ", ".join(str(f["number"]) for f in row["screening_flags"])
        out.append({"code": "screening", "text": f"S-DASH yes to {numbers}: specialist referral for review"})
    if not out and row["course_status"] in ("met", "borderline") and days is not None:
        out.append({"code": "deadline_passed", "text": "summary time limit passed"})
    return out


def _source(title: str | None) -> str:
    """ " for PHA 1997 s.2" from an offence title (the statute in its brackets), or ""."""
    if not title or not title.endswith(")") or "(" not in title:
        return ""
    return f" for {title[title.rindex('(') + 1 : -1]}"


def case_show_extras(db: Database, case: dict, incidents: list[dict]) -> dict:
    """What ``case show`` adds for the desk, from the incidents it has already read: the
    patterns and the latest screening."""
    from stalklog.desk import patterns as analysis
    from stalklog.desk import screening

    return {"pattern": analysis.patterns(incidents), "screening": screening.latest(db, case["ref"])}
