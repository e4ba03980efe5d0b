"""The report model: one case's records, its check and its integrity record, arranged for
the reader of an evidence summary or a diary.

``build_report`` reads the case file (through ``bundle.export_bundle``, the check, the ledger
and the latest screening) and returns a plain dict. Renderers only lay that dict out, so a
PDF, an HTML page, Markdown, CSV and JSON of one report always say the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace

from stalklog import __version__, records
from stalklog import vocab as model
from stalklog.dates import describe_stored, local_moment, moment_text
from stalklog.errors import InvalidValue
from stalklog.interchange.json_bundle import export_bundle
from stalklog.reports import phrases as W
from stalklog.store import ledger
from stalklog.store.database import Database

KINDS = ("evidence", "diary", "labels")
LATE_DAYS = 7  # an entry written more than this many days after the event is flagged for review
WIDE_GAP_DAYS = 90

# Strongest first: the default offence of an evidence summary is the first indicated one.
STRENGTH = (
    "pha-s4a",
    "cda-s32-s4",
    "pha-s4",
    "sca-s76",
    "pfsa-s1",
    "cjlsa-s39",
    "pha-s2a",
    "cda-s32-s2",
    "pha-s2",
    "pfho-art4",
    "cjlsa-s38",
    "pha-s3",
)
FALLBACK = {"england-wales": "pha-s2", "scotland": "cjlsa-s39", "northern-ireland": "pfho-art4"}
STATUS_RANK = {"indicated": 0, "borderline": 1, "not_indicated": 2, "not_available": 3}
# Course reasons that say why the course holds together rather than what needs review.
SUPPORTING_REASONS = {"two_or_more_occasions", "gaps_within_limits", "separate_acts_same_day"}


MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL", "NOT PROTECTIVELY MARKED")
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


def build_report(
    db: Database,
    case_ref: str,
    *,
    kind: str,
    as_of: dt.date,
    offence: str | None = None,
    subject: str | None = None,
    course: int | None = None,
    include_private: bool = False,
    now_utc: str | None = None,
    marking: str | None = None,
    prepared_by: str | None = None,
) -> dict:
    """The report model for one case (see the module docstring).

    An evidence summary covers every course of conduct the check finds, each with its own
    headline, points to prove and time limits; ``subject`` (a person key or name) or
    ``course`` (its number, from 1, in the check's order) narrows it to some of them."""
    from stalklog.clock import utc_now_iso
    from stalklog.law import check_case

    if kind not in KINDS:
        raise InvalidValue(f'"{kind}" is not a kind of report: use {", ".join(KINDS)}.')
    bundle = export_bundle(db, case_ref, include_private=include_private)
    check = check_case(bundle, as_of)
    case = records.get_case(db, case_ref)
    report = {
        "kind": kind,
        "title": TITLES[kind],
        "generated": now_utc or utc_now_iso(),
        "as_of": as_of.isoformat(),
        "as_of_text": _date_text(as_of.isoformat()),
        "version": __version__,
        "include_private": include_private,
        "redacted": [],
        "marking": _marking(marking),
        "prepared_by": " ".join((prepared_by or "").split()),
        "case": _case_view(case, bundle["case"]),
        "people": [_person_view(p) for p in bundle["people"]],
        "check": check,
        "records": bundle,
        "disclaimer": check["disclaimer"],
    }
    names = {p["key"]: p["display"] for p in report["people"]}
    held = _exhibit_files(db, case["id"])
    continuity = _continuity(db, case["id"])
    incidents = [
        _incident_view(i, names, held, continuity, db_encrypted=getattr(db, "encrypted", False))
        for i in bundle["incidents"]
    ]
    incidents.sort(key=lambda i: (i["occurred"], natural_key(i["key"])))
    report["incidents"] = incidents
    report["impacts"] = [_impact_view(i) for i in bundle["impacts"]]
    from stalklog.reports.orders import order_views, protecting

    report["orders"] = order_views(check, names, {i["key"]: i for i in bundle["incidents"]})  # orders-v1
    victims = [p["key"] for p in bundle["people"] if p["role"] == "victim"]
    report["orders_protecting"] = protecting(report["orders"], victims)
    report["screening"] = latest_screening(db, case["id"])
    report["integrity"] = _integrity(db, case["id"], report["generated"])
    chosen = choose_courses(check, subject=subject, number=course, names=names)
    report["courses_total"] = len(check["courses"])
    report["course_choice"] = _choice_text(chosen, len(check["courses"]), subject, course)
    report["offences_available"] = offence_ids(check)
    _arrange(report, names, chosen, offence)
    return report


TITLES = {"evidence": "Evidence summary", "diary": "Incident diary", "labels": "Exhibit labels"}


def _marking(marking: str | None) -> str:
    text = " ".join((marking or DEFAULT_MARKING).split()).upper()
    if not text or len(text) > 60:
        raise InvalidValue(
            "--marking: give a protective marking of at most 60 characters, e.g. OFFICIAL-SENSITIVE or OFFICIAL."
        )
    return text


def natural_key(text: str) -> tuple:
    """A sort key that puts I107 before I1008 and AD/2 before AD/10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in _DIGITS.split(text) if part)


_DIGITS = re.compile(r"(\d+)")


def number_ranges(numbers) -> str:
    """``[1, 2, 3, 5, 7, 8]`` → ``1–3, 5, 7–8``."""
    nums = sorted(set(numbers))
    out: list[str] = []
    start: int | None = None
    prev: int | None = None
    for n in [*nums, None]:
        if start is not None and prev is not None and (n is None or n != prev + 1):
            out.append(str(start) if start == prev else f"{start}\u2013{prev}")
            start = None
        if n is not None and start is None:
            start = n
        prev = n
    return ", ".join(out)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


# ---------------------------------------------------------------- choosing courses and offences


def choose_courses(check: dict, *, subject: str | None, number: int | None, names: dict) -> list[tuple[int, dict]]:
    """(number, course) of the courses the summary covers: all, or those chosen."""
    courses = list(enumerate(check["courses"], 1))
    if number is not None:
        if not 1 <= number <= len(courses):
            raise InvalidValue(
                f"--course: the check finds {plural(len(courses), 'course')} of conduct in case {check['case']}"
                + (f"; choose a number from 1 to {len(courses)}." if courses else "."),
                hint=_course_hint(courses, names),
            )
        courses = [courses[number - 1]]
    if subject is not None:
        wanted = subject.strip().lower()
        found = [
            (n, c)
            for n, c in courses
            if c["subject"].lower() == wanted or names.get(c["subject"], "").lower() == wanted
        ]
        if not found:
            raise InvalidValue(
                f'--subject: no course of conduct in the check has the subject "{subject}".',
                hint=_course_hint(courses, names),
            )
        courses = found
    return courses


def _course_hint(courses: list[tuple[int, dict]], names: dict) -> str:
    if not courses:
        return "The check finds no course of conduct yet (no incident has a subject and a victim)."
    return "Courses: " + "; ".join(
        f"{n}: {names.get(c['subject'], c['subject'])} ({c['subject']}) towards "
        + W.join([names.get(v, v) for v in c["victims"]])
        for n, c in courses
    )


def _choice_text(chosen: list, total: int, subject: str | None, number: int | None) -> str:
    if not total:
        return ""
    if subject is None and number is None:
        return (
            "This summary covers the one course of conduct the check finds."
            if total == 1
            else f"This summary covers all {total} courses of conduct the check finds."
        )
    listed = W.join([str(n) for n, _ in chosen])
    return (
        f"This summary covers course{'s' if len(chosen) != 1 else ''} {listed} of the {plural(total, 'course')} "
        "of conduct the check finds (chosen when it was made); entries the other courses rely on are listed "
        "as not relied on here, with the course that relies on them."
    )


def offence_ids(check: dict) -> list[str]:
    """Every offence id the check lists for the case, in its order, once each."""
    return list(dict.fromkeys(o["id"] for c in check["courses"] for o in c["offences"]))


def choose_offence(check: dict, wanted: str | None, jurisdiction: str) -> tuple[dict | None, dict | None]:
    """(course, offence) the summary is about: ``wanted``, else the strongest indicated."""
    pairs = [(c, o) for c in check["courses"] for o in c["offences"]]
    if wanted is not None:
        wanted = offence_named(check, wanted)
        found = [p for p in pairs if p[1]["id"] == wanted]
        if not found:
            raise _no_offence(check, wanted)
        return min(found, key=_pair_rank)
    return _strongest(pairs, jurisdiction)


def offence_named(check: dict, wanted: str) -> str:
    """The id of the offence ``wanted`` names: an id, or a short name such as "stalking"
    (``vocab.find_choice``); unchanged when it names none (the caller says so)."""
    from stalklog.vocab import find_choice

    titles = {o["id"]: o["title"] for c in check["courses"] for o in c["offences"]}
    named = find_choice(wanted, titles)
    if len(named) > 1:
        raise InvalidValue(
            f'--offence: "{wanted}" could be any of {len(named)} offences for case {check["case"]}.',
            hint="Choose one: " + "; ".join(f"{i} ({titles[i]})" for i in named) + ".",
        )
    return named[0] if named else wanted


def _no_offence(check: dict, wanted: str) -> InvalidValue:
    listed = offence_ids(check)
    titles = {o["id"]: o["title"] for c in check["courses"] for o in c["offences"]}
    return InvalidValue(
        f'--offence: the check lists no offence "{wanted}" for case {check["case"]}.',
        hint="Choose one of: " + "; ".join(f"{i} ({titles[i]})" for i in listed) + "."
        if listed
        else "The check lists no offence for this case yet (no incident has a subject and a victim).",
    )


def _strongest(pairs: list[tuple[dict, dict]], jurisdiction: str) -> tuple[dict | None, dict | None]:
    if not pairs:
        return None, None
    strength = {oid: n for n, oid in enumerate(STRENGTH)}
    for status in ("indicated", "borderline"):
        found = [p for p in pairs if p[1]["status"] == status and p[1].get("kind") != "civil"]
        if found:
            return min(found, key=lambda p: (strength.get(p[1]["id"], len(STRENGTH)), -len(p[0]["occasions"])))
    fallback = [p for p in pairs if p[1]["id"] == FALLBACK.get(jurisdiction)]
    return min(fallback or pairs, key=_pair_rank)


def _pair_rank(pair: tuple[dict, dict]):
    course, offence = pair
    return (STATUS_RANK.get(offence["status"], 9), -len(course["occasions"]))


# ---------------------------------------------------------------- views of the records


def _case_view(stored: dict, case: dict) -> dict:
    return {
        **case,
        "urn": stored.get("urn") or "",
        "crime_ref": stored.get("crime_ref") or "",
        "oic": stored.get("oic") or "",
        "status": stored.get("status") or "open",
        "opened_text": _date_text(case.get("opened")),
        "jurisdiction_text": W.JURISDICTIONS.get(case["jurisdiction"], case["jurisdiction"]),
        "context_text": W.words(W.CONTEXTS, case.get("context")),
    }


def _person_view(p: dict) -> dict:
    display = p.get("name") or f"{W.ROLES.get(p['role'], p['role'])} {p['key']}"
    return {
        "key": p["key"],
        "role": p["role"],
        "role_text": W.ROLES.get(p["role"], p["role"]),
        "name": p.get("name"),
        "display": display,
        "relationship": p.get("relationship"),
        "relationship_text": W.RELATIONSHIPS.get(p.get("relationship") or "", ""),
        "identifiers": list(p.get("identifiers") or []),
    }


def _utc_text(value: str | None) -> str:
    """A stored moment in the case's local time with its zone: ``Sun 5 Jan 2025 20:10 GMT``
    (dates.md §12; one helper for every view, ``dates.moment_text``)."""
    return moment_text(value)


def _date_text(value: str | None) -> str:
    if not value:
        return ""
    try:
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01").strftime("%B %Y")
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {day:%b %Y}"


def _recorded_after(inc: dict) -> int | None:
    """Whole days from the end of the event to when it was first written down."""
    written = records.time_of_writing(inc)  # a real time of writing only, never an import's
    if not written:
        return None
    recorded = local_moment(written)
    if recorded is None:
        return None
    event = dt.date.fromisoformat((inc.get("occurred_end") or inc["occurred"])[:10])
    if inc.get("precision") == "month":
        event = event.replace(day=28)  # the benefit of the doubt: late in the month
    return max((recorded.date() - event).days, 0)


EVENT_WORDS = {
    "obtained": "obtained",
    "added": "added to the case file",
    "imported": "imported into the case file",
    "exported": "copied out of the case file",
}


def _continuity(db: Database, case_id: int) -> dict[str, list[dict]]:
    """Each exhibit's continuity events, oldest first, by exhibit reference (one query)."""
    from stalklog.evidence import CARRIED

    rows = db.execute(
        "SELECT x.ref, e.event, e.by, e.at_utc, e.detail FROM exhibit_events e JOIN exhibits x ON x.id = e.exhibit_id "
        "WHERE x.case_id = ? ORDER BY x.id, e.at_utc, coalesce(e.detail, '') LIKE ? DESC, e.id",
        [case_id, "%" + CARRIED],
    )
    out: dict[str, list[dict]] = {}
    for ref, event, by, at, detail in rows:
        out.setdefault(ref, []).append(
            {
                "event": event,
                "text": EVENT_WORDS.get(event, event),
                "by": by or "",
                "at_text": _utc_text(at),
                "detail": (detail or "").replace(CARRIED, "(carried in a bundle)").strip(),
            }
        )
    return out


def _exhibit_files(db: Database, case_id: int) -> dict[str, dict]:
    rows = db.execute("SELECT ref, size, content IS NOT NULL FROM exhibits WHERE case_id = ?", [case_id])
    return {ref: {"size": size, "held": bool(held)} for ref, size, held in rows}


def _size_text(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    unit = "kilobytes" if size < 1024 * 1024 else "megabytes"
    value = size / 1024 if size < 1024 * 1024 else size / (1024 * 1024)
    return f"{value:.1f} {unit} ({size:,} bytes)"


def _exhibit_view(e: dict, held: dict, continuity: dict, db_encrypted: bool) -> dict:
    info = held.get(e["ref"], {})
    if info.get("held"):
        where = "held in the case file" + (" (encrypted)" if db_encrypted else "")
    else:
        where = "reference and hash only: the file itself was not supplied with the record"
    return {
        "ref": e["ref"],
        "description": e.get("description") or "",
        "file": e.get("file") or "",
        "sha256": e.get("sha256") or "",
        "producer": e.get("producer") or "",
        "obtained": e.get("obtained"),
        "obtained_text": _utc_text(e.get("obtained")),
        "how_obtained": e.get("how_obtained") or "",
        "size_text": _size_text(info.get("size")),
        "where_held": where,
        "continuity": continuity.get(e["ref"], []),
    }


def _by_text(inc: dict, names: dict) -> str:
    """Who did it, in words; "not known" when she said she does not know (never a name put
    there for her: issue 15)."""
    named = W.join([names.get(k, k) for k in inc["by"]])
    if inc.get("attribution") == "unknown":
        return f"not known (the entry names {named})" if named else "not known"
    return named


def _incident_view(inc: dict, names: dict, held: dict, continuity: dict, *, db_encrypted: bool) -> dict:
    late = _recorded_after(inc)
    withdrawn = inc.get("withdrawn")
    return {
        "key": inc["key"],
        "occurred": inc["occurred"],
        "occurred_end": inc.get("occurred_end"),
        "precision": inc["precision"],
        "when": describe_stored(inc["occurred"], inc["precision"], inc.get("occurred_end")),
        "date_text": _date_text(inc["occurred"]) if inc["precision"] != "month" else _date_text(inc["occurred"][:7]),
        "precision_text": W.PRECISIONS.get(inc["precision"], inc["precision"]),
        "recorded": inc.get("recorded"),
        "recorded_text": records.written_text(inc, moment_text),
        "recorded_after_days": late,
        "late": late is not None and late > LATE_DAYS,
        "by": list(inc["by"]),
        "procured_by": inc.get("procured_by"),
        "towards": list(inc["towards"]),
        "by_text": _by_text(inc, names),
        "procured_by_text": names.get(inc.get("procured_by"), inc.get("procured_by") or ""),
        "towards_text": W.join([names.get(k, k) for k in inc["towards"]]),
        "affected_text": W.join([names.get(k, k) for k in inc.get("affected") or []]),
        "attribution": inc.get("attribution"),
        "attribution_text": W.ATTRIBUTIONS.get(inc.get("attribution") or "", ""),
        "channel": inc.get("channel"),
        "channel_text": W.CHANNELS.get(inc.get("channel") or "", ""),
        "location": inc.get("location") or "",
        "summary": inc.get("summary") or "",
        "words": inc.get("words") or "",
        "behaviours": list(inc.get("behaviours") or []),
        "behaviours_text": W.words(W.BEHAVIOURS, inc.get("behaviours")),
        "behaviours_plain": W.words(model.BEHAVIOUR_LABELS, inc.get("behaviours")),
        "effects": list(inc.get("effects") or []),
        "effects_text": W.words(W.EFFECTS, inc.get("effects")),
        "effects_plain": W.words(model.EFFECT_LABELS, inc.get("effects")),
        "impacts_text": W.words(W.IMPACTS, inc.get("impacts")),
        "impacts_plain": W.words(model.IMPACT_LABELS, inc.get("impacts")),
        "witnesses": list(inc.get("witnesses") or []),
        "police_ref": inc.get("police_ref") or "",
        "stated_purpose": inc.get("stated_purpose") or "",
        "below_threshold": bool(inc.get("below_threshold")),
        "same_occasion_as": inc.get("same_occasion_as"),
        "links": list(inc.get("links") or []),
        "exhibits": [_exhibit_view(e, held, continuity, db_encrypted) for e in inc.get("exhibits") or []],
        "private_notes": inc.get("private_notes") or "",
        "withdrawn": bool(withdrawn),
        "withdrawn_text": (
            f"withdrawn on {_utc_text(withdrawn.get('at'))}: {withdrawn.get('reason') or 'no reason given'}"
            if withdrawn
            else ""
        ),
        "history": [_amendment_view(h) for h in inc.get("history") or []],
        "relied_on": False,
        "occasion": None,
        "relied": [],  # (course number, occasion number) for each course that relies on it
        "relied_text": "",
    }


def _amendment_view(h: dict) -> dict:
    def shown(v):
        if v in (None, "", []):
            return "(empty)"
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)

    return {
        "field": h["field"].replace("_", " "),
        "old": shown(h.get("old")),
        "new": shown(h.get("new")),
        "reason": h.get("reason") or "",
        "at_text": _utc_text(h.get("at")),
        "made_by": h.get("by") or "",
    }


def _correction_text(h: dict) -> str:
    """One correction with the first account: what it said, what it says now, who changed
    it, when and why (the earlier account is relevant material for disclosure)."""
    return (
        f'{h["field"]} changed from "{h["old"]}" to "{h["new"]}" on {h["at_text"]}'
        f" by {h['made_by'] or 'a person not recorded'} ({h['reason'] or 'no reason given'})"
    )


def _impact_view(imp: dict) -> dict:
    return {
        "kind": imp["kind"],
        "plain": model.IMPACT_LABELS.get(imp["kind"], imp["kind"]),
        "text": W.IMPACTS.get(imp["kind"], imp["kind"]),
        "date": imp.get("date"),
        "date_text": _date_text(imp.get("date")),
        "detail": imp.get("detail") or "",
    }


def latest_screening(db: Database, case_id: int) -> dict | None:
    """The latest S-DASH screening recorded for the case, answers as recorded (no score)."""
    row = db.execute(
        "SELECT taken, by, answers FROM screenings WHERE case_id = ? ORDER BY taken DESC, id DESC LIMIT 1", [case_id]
    ).fetchone()
    if row is None:
        return None
    try:
        answers = json.loads(row[2] or "[]")
    except json.JSONDecodeError:
        answers = []
    items = []
    for a in answers if isinstance(answers, list) else []:
        if isinstance(a, dict):
            number, text = a.get("question"), a.get("text")
            question = f"{number}. {text}" if text and isinstance(number, int) else str(text or number or "")
            items.append({"question": question, "answer": _answer(a.get("answer")), "notes": str(a.get("notes") or "")})
    return {"taken": row[0], "taken_text": _date_text(row[0]), "taken_by": row[1] or "", "answers": items}


def _answer(value) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return "" if value is None else str(value).replace("_", " ").capitalize()


def _integrity(db: Database, case_id: int, generated: str) -> dict:
    report = ledger.verify(db, case_id)
    head = ledger.head(db)
    return {
        "head_hash": head["hash"] if head else report.head,
        "head_seq": head["seq"] if head else 0,
        "verified": report.ok,
        "problems": [p.text for p in report.problems[:20]],
        "problem_count": len(report.problems),
        "entries": report.entries,
        "records": report.records,
        "exhibits_checked": report.exhibits_checked,
        "generated_text": _utc_text(generated),
    }


# ---------------------------------------------------------------- arranging for the reader


def _arrange(report: dict, names: dict, chosen: list[tuple[int, dict]], wanted: str | None) -> None:
    incidents = report["incidents"]
    by_key = {i["key"]: i for i in incidents}
    jurisdiction = report["case"]["jurisdiction"]
    if wanted is not None:
        wanted = offence_named(report["check"], wanted)
    if wanted is not None and not any(o["id"] == wanted for _, c in chosen for o in c["offences"]):
        raise _no_offence(report["check"], wanted)
    sections = []
    for number, course in chosen:
        pairs = [(course, o) for o in course["offences"]]
        if wanted is not None and any(o["id"] == wanted for o in course["offences"]):
            offence = next(o for o in course["offences"] if o["id"] == wanted)
        else:
            offence = _strongest(pairs, jurisdiction)[1]
        sections.append(_course_section(report, number, course, offence, names, by_key))
    single = len(sections) == 1
    for inc in incidents:
        inc["relied_on"] = bool(inc["relied"])
        inc["occasion"] = inc["relied"][0][1] if inc["relied"] else None
        inc["relied_text"] = "; ".join(
            f"occasion {o}" if single else f"course {c}, occasion {o}" for c, o in inc["relied"]
        )
    report["courses"] = sections
    report["single_course"] = single
    # The first course's offence and occasions, for readers that look at one course only.
    first = sections[0] if sections else None
    report["offence"] = first["offence"] if first else None
    report["occasions"] = first["occasions"] if first else []
    report["points"] = first["points"] if first else []
    report["not_relied_on"] = _not_relied_on(report, chosen, names)
    report["exhibit_schedule"] = sorted(
        (
            dict(e, incident=i["key"], relates=i["relied_text"])
            for i in incidents
            if i["relied_on"]
            for e in i["exhibits"]
        ),
        key=lambda e: natural_key(e["ref"]),
    )
    report["labels"] = sorted(
        (
            dict(e, incident=i["key"], relates=i["relied_text"] or "not relied on")
            for i in incidents
            for e in i["exhibits"]
        ),
        key=lambda e: natural_key(e["ref"]),
    )
    report["review"] = _case_review(report)
    report["headline"] = _headline(report)
    report["live"] = [i for i in incidents if not i["withdrawn"]]
    report["withdrawn"] = [i for i in incidents if i["withdrawn"]]
    report["summary_line"] = _check_line(report)
    report["long"] = len(report["live"]) > LONG_CASE
    report["chart_points"] = [
        {
            "date": i["occurred"][:10],
            "behaviours": i["behaviours"] or ["other"],
            "relied_on": i["relied_on"],
            "below_threshold": i["below_threshold"],
        }
        for i in incidents
        if not i["withdrawn"]
    ]


LONG_CASE = 150  # more live incidents than this: the compact table layout (a PDF of 1,000 in seconds)


def _course_section(report: dict, number: int, course: dict, offence: dict | None, names: dict, by_key: dict) -> dict:
    occasions = _occasions(number, course, report["incidents"])
    occasion_of = {p["key"]: o["n"] for o in occasions for p in o["parts"]}
    section = {
        "n": number,
        "subject_key": course["subject"],
        "subject": names.get(course["subject"], course["subject"]),
        "victims": W.join([names.get(v, v) for v in course["victims"]]),
        "kind": course.get("kind") or "",
        "course": course,
        "offence": offence,
        "occasions": occasions,
        "occasion_range": number_ranges([o["n"] for o in occasions]),
        "points": _points(offence, occasion_of, occasions) if offence else [],
        "for_review": list(offence.get("for_review") or []) if offence else [],
        "deadlines": _deadlines(course, advice=report["kind"] != "evidence"),
        "exhibits": list(dict.fromkeys(e for o in occasions for e in o["exhibits"])),
    }
    rel = next((p["relationship_text"] for p in report["people"] if p["key"] == course["subject"]), "")
    section["subject_text"] = section["subject"] + (f" ({rel})" if rel else "")
    section["review"] = _course_review(section, course, offence)
    section["headline"] = _course_headline(section, report)
    return section


def _course_parts(course: dict, incidents: list[dict]) -> list[list[dict]]:
    """The live entries a course relies on, grouped by occasion, in date order."""
    from stalklog.law.occasions import occasion_roots

    live = [i for i in incidents if not i["withdrawn"]]
    roots = occasion_roots(
        [SimpleNamespace(key=i["key"], same_occasion_as=i["same_occasion_as"]) for i in live]  # type: ignore[misc]
    )
    excluded = {e["incident"] for e in course.get("excluded") or []}
    subject, victims = course["subject"], set(course["victims"])
    wanted = {roots.get(k, k) for k in course["occasions"]}
    groups: dict[str, list[dict]] = {}
    for inc in live:
        counts = subject in inc["by"] or subject == inc["procured_by"]
        if roots.get(inc["key"]) in wanted and inc["key"] not in excluded and counts and victims & set(inc["towards"]):
            groups.setdefault(roots[inc["key"]], []).append(inc)
    return sorted(groups.values(), key=lambda parts: (parts[0]["occurred"], natural_key(parts[0]["key"])))


def _occasions(number: int, course: dict, incidents: list[dict]) -> list[dict]:
    ordered = _course_parts(course, incidents)
    gaps = list(course.get("gaps_days") or [])
    out = []
    for n, parts in enumerate(ordered, 1):
        for p in parts:
            p["relied"].append((number, n))
        gap = gaps[n - 2] if n > 1 and n - 2 < len(gaps) else None
        out.append(
            {
                "n": n,
                "parts": parts,
                "when": parts[0]["when"],
                "date_text": parts[0]["date_text"],
                "gap_days": gap,
                "gap_text": f"{plural(gap, 'day')} after occasion {n - 1}" if gap is not None else "",
                "wide_gap": gap is not None and gap > WIDE_GAP_DAYS,
                "exhibits": [e["ref"] for p in parts for e in p["exhibits"]],
            }
        )
    return out


def _deadlines(course: dict, *, advice: bool) -> list[dict]:
    """Each offence's own time limit, beside that offence only, in the check's words (the
    advice to report well before it only where the victim reads it, not in a police file)."""
    from stalklog.law.wording import prosecution_sentence

    out = []
    for o in course["offences"]:
        limit = o.get("time_limit") or {}
        civil = o.get("kind") == "civil"
        out.append(
            {
                "offence": o["title"],
                "id": o["id"],
                "kind": o.get("kind") or "",
                "status": o["status"],
                "text": prosecution_sentence(limit, civil=civil, advice=advice),
                "rule": limit.get("rule") or "",
            }
        )
    return out


def _not_relied_on(report: dict, chosen: list[tuple[int, dict]], names: dict) -> list[dict]:
    """Every entry no course of this summary relies on, numbered, each with why."""
    in_summary = {n for n, _ in chosen}
    all_courses = [
        (n, c, set() if n in in_summary else {p["key"] for g in _course_parts(c, report["incidents"]) for p in g})
        for n, c in enumerate(report["check"]["courses"], 1)
    ]
    out: list[dict] = []
    for inc in report["incidents"]:
        if inc["relied_on"]:
            continue
        code, reason = _why_not(inc, all_courses, in_summary, names)
        out.append(
            {
                "n": len(out) + 1,
                "incident": inc,
                "reason_code": code,
                "reason": reason,
                "sensitive": bool(inc["private_notes"]),
            }
        )
    return out


def _why_not(inc: dict, courses: list[tuple[int, dict, set]], in_summary: set[int], names: dict) -> tuple[str, str]:
    if inc["withdrawn"]:
        return "withdrawn", inc["withdrawn_text"][:1].upper() + inc["withdrawn_text"][1:] + "."
    if inc["below_threshold"]:
        return "below_threshold", W.EXCLUSIONS["below_threshold"][:1].upper() + W.EXCLUSIONS["below_threshold"][
            1:
        ] + "."
    elsewhere = [n for n, _, keys in courses if inc["key"] in keys]
    if elsewhere:
        return "other_course", (
            f"Relied on by course {W.join([str(n) for n in elsewhere])} of the check, which this summary does not cover."
        )
    for n, c, _ in courses:
        for e in c.get("excluded") or []:
            if e["incident"] == inc["key"]:
                why = W.EXCLUSIONS.get(e["reason"], e["reason"].replace("_", " "))
                who = names.get(c["subject"], c["subject"])
                return e["reason"], f"Left out of course {n} ({who}): {why}."
    if not inc["by"] and not inc["procured_by"] and inc.get("attribution") == "unknown":
        return "attribution_unknown", "Who did it is not known, so it belongs to no course of conduct."
    if not inc["by"] and not inc["procured_by"]:
        return "no_subject", "No subject is named as having done it, so it belongs to no course of conduct."
    if not inc["towards"]:
        return "no_victim", "It is not recorded as directed at a named person, so it belongs to no course of conduct."
    by = W.join([names.get(k, k) for k in inc["by"]]) or names.get(inc["procured_by"], "")
    return "not_in_course", (
        f"The check finds no course of conduct by {by} towards {inc['towards_text']} that includes it "
        "(for example the only occasion of that person's conduct towards that person)."
    )


def _points(offence: dict, occasion_of: dict, occasions: list[dict]) -> list[dict]:
    out = []
    for req in offence.get("requirements") or []:
        keys = list(req.get("incidents") or [])
        nums = sorted({occasion_of[k] for k in keys if k in occasion_of})
        whole = bool(req.get("met")) and not nums and bool(occasions)
        if whole:  # a point about the course as a whole (e.g. conduct towards one person)
            nums = [o["n"] for o in occasions]
        title = W.REQUIREMENTS.get(req["code"], req["code"].replace("_", " ").capitalize())
        text = req.get("text") or ""
        if text.lower().startswith(title.lower()):
            text = text[len(title) :].lstrip(" :;,")
        met = bool(req.get("met")) and bool(nums)
        exhibits = [e for o in occasions if o["n"] in set(nums) and not whole for e in o["exhibits"]]
        out.append(
            {
                "code": req["code"],
                "title": title,
                "text": text,
                "met": met,
                "status_text": "Could be supported" if met else "Not shown",
                "occasions": nums,
                "occasions_text": ("the course as a whole: " if whole else "")
                + (occasion_words(nums) if nums else "none"),
                "incidents": keys,
                "exhibits": list(dict.fromkeys(exhibits)),
                "cite": list(req.get("cite") or []),
            }
        )
    return out


def occasion_words(numbers) -> str:
    numbers = sorted(set(numbers or []))
    if not numbers:
        return "none"
    return ("occasion " if len(numbers) == 1 else "occasions ") + number_ranges(numbers)


def _course_review(section: dict, course: dict, offence: dict | None) -> list[dict]:
    items: list[dict] = []

    def add(title: str, text: str, keys=()):
        text = text[:1].upper() + text[1:]
        items.append({"title": title, "text": text, "incidents": sorted(keys, key=natural_key)})

    for r in course.get("reasons") or []:
        if r["code"] not in SUPPORTING_REASONS:
            add(r["code"].replace("_", " ").capitalize(), r["text"], r.get("incidents") or [])
    for occ in section["occasions"]:
        if occ["wide_gap"]:
            add(
                "Gap between occasions",
                f"{plural(occ['gap_days'], 'day')} passed between occasion {occ['n'] - 1} and occasion {occ['n']} "
                f"({occ['date_text']}). The fewer and further apart the incidents, the less likely they "
                "form one course of conduct (Lau v DPP).",
                [p["key"] for p in occ["parts"]],
            )
    if offence:
        for req in offence.get("requirements") or []:
            if not req.get("met"):
                add("Point not shown", req.get("text") or req["code"].replace("_", " "), req.get("incidents") or [])
        for r in offence.get("reasons") or []:
            if r["code"] != "points_recorded":
                add(r["code"].replace("_", " ").capitalize(), r["text"], r.get("incidents") or [])
        for c in offence.get("caveats") or []:
            add("Caveat", c)
    return items


def _case_review(report: dict) -> list[dict]:
    """Matters about single entries or the whole record, for review whatever the course."""
    items: list[dict] = []

    def add(title: str, text: str, keys=()):
        text = text[:1].upper() + text[1:]
        items.append({"title": title, "text": text, "incidents": sorted(keys, key=natural_key)})

    for inc in report["incidents"]:
        if inc["withdrawn"]:
            continue
        if inc["below_threshold"]:
            add(
                "Below threshold",
                f"{inc['key']} ({inc['date_text']}) was recorded for context and judged "
                "not harassing on its own; it is not relied on.",
                [inc["key"]],
            )
        if inc["stated_purpose"]:
            add(
                "Stated purpose",
                f"{inc['key']} ({inc['date_text']}): the subject's stated purpose was "
                f"\u201c{inc['stated_purpose']}\u201d. It is not weighed here; for review "
                "(Protection from Harassment Act 1997 s.1(3)).",
                [inc["key"]],
            )
        if inc["late"]:
            add(
                "Recorded late",
                f"{inc['key']} ({inc['date_text']}) was recorded {plural(inc['recorded_after_days'], 'day')} "
                "after the event.",
                [inc["key"]],
            )
        if inc["history"]:
            changes = "; ".join(_correction_text(h) for h in inc["history"])
            add(
                "Corrected after recording",
                f"{inc['key']} ({inc['date_text']}): {changes}. The earlier values are kept in the record.",
                [inc["key"]],
            )
    for w in report["check"].get("warnings") or []:
        add(w["code"].replace("_", " ").capitalize(), w.get("text") or "", w.get("incidents") or [])
    for m in report["check"].get("missing") or []:
        add("Not yet recorded", m.get("text") or m["code"].replace("_", " "), m.get("incidents") or [])
    return items


def _course_headline(section: dict, report: dict) -> str:
    occasions, offence = section["occasions"], section["offence"]
    if not occasions or not offence:
        return (
            f"The check sets out no occasions of conduct by {section['subject']} towards {section['victims']} "
            "that it could rely on."
        )
    first, last = occasions[0], occasions[-1]
    behaviours = list(dict.fromkeys(b for o in occasions for p in o["parts"] for b in p["behaviours_text"]))
    n_ex = len(section["exhibits"])
    span = (
        f"On {first['date_text']}"
        if first["date_text"] == last["date_text"]
        else f"Between {first['date_text']} and {last['date_text']}"
    )
    return (
        f"{span}, {plural(len(occasions), 'occasion')} of conduct attributed to {section['subject_text']} towards "
        f"{section['victims']} {'were' if len(occasions) != 1 else 'was'} recorded"
        + (f", including {W.join(behaviours[:5])}" if behaviours else "")
        + f". The stalklog check (as of {report['as_of_text']}) finds that for {offence['title']} "
        f"{W.STATUS.get(offence['status'], offence['status'])}. "
        + (
            f"{plural(n_ex, 'exhibit')} {'is' if n_ex == 1 else 'are'} listed for this course."
            if n_ex
            else "No exhibits are listed for this course."
        )
    )


def _headline(report: dict) -> str:
    sections = report["courses"]
    live = [i for i in report["incidents"] if not i["withdrawn"]]
    if not sections or not any(s["occasions"] for s in sections):
        return (
            f"The record of case {report['case']['ref']} holds {plural(len(live), 'incident')}; "
            "no course of conduct by a named subject towards a named person is set out by the check. "
            "The incidents are listed below for review."
        )
    if len(sections) == 1:
        return sections[0]["headline"]
    relied = sum(1 for i in live if i["relied_on"])
    parts = [
        f"course {s['n']}: {s['subject']} towards {s['victims']}, {plural(len(s['occasions']), 'occasion')}"
        for s in sections
    ]
    return (
        f"The record of case {report['case']['ref']} holds {plural(len(live), 'incident')}, of which {relied} "
        f"{'is' if relied == 1 else 'are'} relied on in {plural(len(sections), 'course')} of conduct set out "
        f"below ({'; '.join(parts)}). Each course has its own headline, points to prove and time limits."
    )


def _check_line(report: dict) -> str:
    """One plain sentence on what the check says, for the diary."""
    indicated = [
        o["title"]
        for c in report["check"]["courses"]
        for o in c["offences"]
        if o["status"] == "indicated" and o.get("kind") != "civil"
    ]
    indicated = list(dict.fromkeys(indicated))
    if indicated:
        return (
            f"On {report['as_of_text']} the stalklog check found the recorded incidents could support: "
            f"{W.join(indicated)}. This is for review by the police or a lawyer, not a finding."
        )
    return (
        f"On {report['as_of_text']} the stalklog check did not find every point for an offence in the "
        "recorded incidents. That does not mean nothing wrong happened; keep recording."
    )
