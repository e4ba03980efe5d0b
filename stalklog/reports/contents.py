"""The report model: one case's records, its check and its integrity record, arranged for
the reader of an evidence summary or a diary.

``build_report`` reads the case file (through ``bundle.export_bundle``, the check, the ledger
and the latest screening) and returns a plain dict. Renderers only lay that dict out, so a
PDF, an HTML page, Markdown, CSV and JSON of one report always say the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

from stalklog import __version__, records
from stalklog import vocab as model
from stalklog.dates import describe_stored
from stalklog.errors import InvalidValue
from stalklog.interchange.json_bundle import export_bundle
from stalklog.reports import phrases as W
from stalklog.store import ledger
from stalklog.store.database import Database

KINDS = ("evidence", "diary")
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


def build_report(
    db: Database,
    case_ref: str,
    *,
    kind: str,
    as_of: dt.date,
    offence: str | None = None,
    include_private: bool = False,
    now_utc: str | None = None,
) -> dict:
    """The report model for one case (see the module docstring)."""
    from stalklog.clock import utc_now_iso
    from stalklog.law import check_case

    if kind not in KINDS:
        raise InvalidValue(f'"{kind}" is not a kind of report: use {" or ".join(KINDS)}.')
    bundle = export_bundle(db, case_ref, include_private=include_private)
    check = check_case(bundle, as_of)
    case = records.get_case(db, case_ref)
    course, chosen = choose_offence(check, offence, bundle["case"]["jurisdiction"])
    report = {
        "kind": kind,
        "title": "Evidence summary" if kind == "evidence" else "Incident diary",
        "generated": now_utc or utc_now_iso(),
        "as_of": as_of.isoformat(),
        "version": __version__,
        "include_private": include_private,
        "redacted": [],
        "case": _case_view(bundle["case"]),
        "people": [_person_view(p) for p in bundle["people"]],
        "check": check,
        "records": bundle,
        "disclaimer": check["disclaimer"],
    }
    names = {p["key"]: p["display"] for p in report["people"]}
    held = _exhibit_files(db, case["id"])
    incidents = [
        _incident_view(i, names, held, db_encrypted=getattr(db, "encrypted", False)) for i in bundle["incidents"]
    ]
    incidents.sort(key=lambda i: (i["occurred"], i["key"]))
    report["incidents"] = incidents
    report["impacts"] = [_impact_view(i) for i in bundle["impacts"]]
    report["screening"] = latest_screening(db, case["id"])
    report["integrity"] = _integrity(db, case["id"], report["generated"])
    report["course"] = course
    report["offence"] = chosen
    report["offences_available"] = offence_ids(check)
    _arrange(report, names)
    return report


# ---------------------------------------------------------------- choosing the offence


def offence_ids(check: dict) -> list[str]:
    """Every offence id the check lists for the case, in its order, once each."""
    return list(dict.fromkeys(o["id"] for c in check["courses"] for o in c["offences"]))


def choose_offence(check: dict, wanted: str | None, jurisdiction: str) -> tuple[dict | None, dict | None]:
    """(course, offence) the summary is about: ``wanted``, else the strongest indicated."""
    pairs = [(c, o) for c in check["courses"] for o in c["offences"]]
    if wanted is not None:
        found = [p for p in pairs if p[1]["id"] == wanted]
        if not found:
            listed = offence_ids(check)
            raise InvalidValue(
                f'--offence: the check lists no offence "{wanted}" for case {check["case"]}.',
                hint=f"Choose one of: {', '.join(listed)}."
                if listed
                else "The check lists no offence for this case yet (no incident has a subject and a victim).",
            )
        return min(found, key=_pair_rank)
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


def _case_view(case: dict) -> dict:
    return {
        **case,
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
    """``2025-01-05T20:10:00+00:00`` → ``Sun 5 Jan 2025 20:10 UTC``."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M} UTC"


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
    if not inc.get("recorded"):
        return None
    try:
        recorded = dt.datetime.fromisoformat(inc["recorded"].replace("Z", "+00:00"))
    except ValueError:
        return None
    if recorded.tzinfo is not None:
        recorded = recorded.astimezone().replace(tzinfo=None)
    event = dt.date.fromisoformat((inc.get("occurred_end") or inc["occurred"])[:10])
    if inc.get("precision") == "month":
        event = event.replace(day=28)  # the benefit of the doubt: late in the month
    return max((recorded.date() - event).days, 0)


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


def _exhibit_view(e: dict, held: dict, db_encrypted: bool) -> dict:
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
    }


def _incident_view(inc: dict, names: dict, held: dict, *, db_encrypted: bool) -> dict:
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
        "recorded_text": _utc_text(inc.get("recorded")),
        "recorded_after_days": late,
        "late": late is not None and late > LATE_DAYS,
        "by": list(inc["by"]),
        "procured_by": inc.get("procured_by"),
        "towards": list(inc["towards"]),
        "by_text": W.join([names.get(k, k) for k in inc["by"]]),
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
        "exhibits": [_exhibit_view(e, held, db_encrypted) for e in inc.get("exhibits") or []],
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


def _arrange(report: dict, names: dict) -> None:
    incidents = report["incidents"]
    by_key = {i["key"]: i for i in incidents}
    course = report["course"]
    occasions = _occasions(course, incidents, by_key) if course else []
    report["occasions"] = occasions
    report["subject"] = names.get(course["subject"], course["subject"]) if course else ""
    report["victims"] = W.join([names.get(v, v) for v in course["victims"]]) if course else ""
    report["not_relied_on"] = _not_relied_on(course, incidents)
    report["exhibit_schedule"] = [
        dict(e, occasion=i["occasion"], incident=i["key"]) for i in incidents if i["relied_on"] for e in i["exhibits"]
    ]
    report["points"] = _points(report["offence"], by_key) if report["offence"] else []
    report["for_review"] = list(report["offence"].get("for_review") or []) if report["offence"] else []
    report["review"] = _review(report, by_key)
    report["headline"] = _headline(report)
    report["live"] = [i for i in incidents if not i["withdrawn"]]
    report["withdrawn"] = [i for i in incidents if i["withdrawn"]]
    report["summary_line"] = _check_line(report)
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


def _occasions(course: dict, incidents: list[dict], by_key: dict) -> list[dict]:
    from stalklog.law.occasions import occasion_roots

    live = [i for i in incidents if not i["withdrawn"]]
    roots = occasion_roots([SimpleNamespace(key=i["key"], same_occasion_as=i["same_occasion_as"]) for i in live])
    excluded = {e["incident"] for e in course.get("excluded") or []}
    subject, victims = course["subject"], set(course["victims"])
    wanted = {roots.get(k, k) for k in course["occasions"]}
    groups: dict[str, list[dict]] = {}
    for inc in live:
        counts = subject in inc["by"] or subject == inc["procured_by"]
        if roots.get(inc["key"]) in wanted and inc["key"] not in excluded and counts and victims & set(inc["towards"]):
            groups.setdefault(roots[inc["key"]], []).append(inc)
    ordered = sorted(groups.values(), key=lambda parts: (parts[0]["occurred"], parts[0]["key"]))
    gaps = list(course.get("gaps_days") or [])
    out = []
    for n, parts in enumerate(ordered, 1):
        for p in parts:
            p["relied_on"], p["occasion"] = True, n
        gap = gaps[n - 2] if n > 1 and n - 2 < len(gaps) else None
        out.append(
            {
                "n": n,
                "parts": parts,
                "when": parts[0]["when"],
                "date_text": parts[0]["date_text"],
                "gap_days": gap,
                "wide_gap": gap is not None and gap > WIDE_GAP_DAYS,
                "exhibits": [e["ref"] for p in parts for e in p["exhibits"]],
            }
        )
    return out


def _not_relied_on(course: dict | None, incidents: list[dict]) -> list[dict]:
    reasons = {e["incident"]: e["reason"] for e in (course or {}).get("excluded") or []}
    out = []
    for inc in incidents:
        if inc["relied_on"]:
            continue
        if inc["withdrawn"]:
            code = "withdrawn"
        elif inc["below_threshold"]:
            code = "below_threshold"
        else:
            code = reasons.get(inc["key"], "not_in_course")
        reason = W.EXCLUSIONS.get(code, code.replace("_", " "))
        if code == "withdrawn":
            reason = inc["withdrawn_text"]
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


def _occasion_numbers(keys: list[str], by_key: dict) -> list[int]:
    return sorted({by_key[k]["occasion"] for k in keys if k in by_key and by_key[k]["occasion"]})


def _points(offence: dict, by_key: dict) -> list[dict]:
    out = []
    for req in offence.get("requirements") or []:
        keys = list(req.get("incidents") or [])
        nums = _occasion_numbers(keys, by_key)
        # every part of an occasion named supports the point
        parts = [i for i in by_key.values() if i["occasion"] in nums]
        title = W.REQUIREMENTS.get(req["code"], req["code"].replace("_", " ").capitalize())
        text = req.get("text") or ""
        if text.lower().startswith(title.lower()):
            text = text[len(title) :].lstrip(" :;,")
        out.append(
            {
                "code": req["code"],
                "title": title,
                "text": text,
                "met": bool(req.get("met")),
                "occasions": nums,
                "incidents": keys,
                "exhibits": list(dict.fromkeys(e["ref"] for i in parts for e in i["exhibits"])),
                "cite": list(req.get("cite") or []),
            }
        )
    return out


def _review(report: dict, by_key: dict) -> list[dict]:
    """Matters that point the other way or need review, each with the incidents it concerns."""
    items: list[dict] = []

    def add(title: str, text: str, keys=()):
        text = text[:1].upper() + text[1:]
        items.append({"title": title, "text": text, "incidents": list(keys)})

    course, offence = report["course"], report["offence"]
    if course:
        for r in course.get("reasons") or []:
            if r["code"] not in SUPPORTING_REASONS:
                add(r["code"].replace("_", " ").capitalize(), r["text"], r.get("incidents") or [])
        for occ in report["occasions"]:
            if occ["wide_gap"] and not any(i["title"] == "Wide gap" and str(occ["n"]) in i["text"] for i in items):
                add(
                    "Gap between occasions",
                    f"{occ['gap_days']} days passed between occasion {occ['n'] - 1} and occasion {occ['n']} "
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
    for inc in report["incidents"]:
        if inc["below_threshold"] and not inc["withdrawn"]:
            add(
                "Below threshold",
                f"{inc['key']} ({inc['date_text']}) was recorded for context and judged "
                "not harassing on its own; it is not relied on.",
                [inc["key"]],
            )
        if inc["stated_purpose"] and not inc["withdrawn"]:
            add(
                "Stated purpose",
                f"{inc['key']} ({inc['date_text']}): the subject's stated purpose was "
                f"\u201c{inc['stated_purpose']}\u201d. It is not weighed here; for review "
                "(Protection from Harassment Act 1997 s.1(3)).",
                [inc["key"]],
            )
        if inc["late"] and not inc["withdrawn"]:
            add(
                "Recorded late",
                f"{inc['key']} ({inc['date_text']}) was recorded {inc['recorded_after_days']} days after the event.",
                [inc["key"]],
            )
        if inc["history"] and not inc["withdrawn"]:
            changes = "; ".join(
                f"{h['field']} changed on {h['at_text']} ({h['reason'] or 'no reason given'})" for h in inc["history"]
            )
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


def _headline(report: dict) -> str:
    occasions, offence = report["occasions"], report["offence"]
    if not occasions or not offence:
        n = len([i for i in report["incidents"] if not i["withdrawn"]])
        return (
            f"The record of case {report['case']['ref']} holds {n} incident{'s' if n != 1 else ''}; "
            "no course of conduct by a named subject towards a named person is set out by the check. "
            "The incidents are listed below for review."
        )
    first, last = occasions[0], occasions[-1]
    behaviours = list(dict.fromkeys(b for o in occasions for p in o["parts"] for b in p["behaviours_text"]))
    rel = next((p["relationship_text"] for p in report["people"] if p["key"] == report["course"]["subject"]), "")
    subject = report["subject"] + (f" ({rel})" if rel else "")
    n_ex = len(report["exhibit_schedule"])
    text = (
        f"Between {first['date_text']} and {last['date_text']}, {len(occasions)} occasion"
        f"{'s' if len(occasions) != 1 else ''} of conduct attributed to {subject} towards {report['victims']} "
        f"{'were' if len(occasions) != 1 else 'was'} recorded, including {W.join(behaviours[:5])}. "
        f"The stalklog check (as of {_date_text(report['as_of'])}) finds that for {offence['title']} "
        f"{W.STATUS.get(offence['status'], offence['status'])}. "
        + (f"{n_ex} exhibit{'s are' if n_ex != 1 else ' is'} listed." if n_ex else "No exhibits are listed.")
    )
    limit = offence.get("time_limit") or {}
    if limit.get("status") == "in_time" and limit.get("deadline"):
        text += f" The time limit for this summary offence runs to {_date_text(limit['deadline'])}."
    elif limit.get("status") == "expired":
        text += f" The time limit for this summary offence passed on {_date_text(limit['deadline'])}."
    return text


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
            f"On {_date_text(report['as_of'])} the stalklog check found the recorded incidents could support: "
            f"{W.join(indicated)}. This is for review by the police or a lawyer, not a finding."
        )
    return (
        f"On {_date_text(report['as_of'])} the stalklog check did not find every point for an offence in the "
        "recorded incidents. That does not mean nothing wrong happened; keep recording."
    )
