"""CSV (one row per incident, for spreadsheets) and JSON (the check plus the records)."""

from __future__ import annotations

import csv
import io
import json

from stalklog.reports import renderer

# (key, heading): the headings are what a spreadsheet shows; the keys name the model's fields.
EVIDENCE_CSV = (
    ("case", "Case"),
    ("record", "Record"),
    ("occurred", "Occurred (as stored)"),
    ("occurred_end", "Occurred until"),
    ("precision", "Precision"),
    ("when", "When (local time)"),
    ("recorded", "First recorded (UTC)"),
    ("recorded_days_after", "Days from event to record"),
    ("relied_on", "Relied on"),
    ("occasion", "Occasion"),
    ("not_relied_on_reason", "Why not relied on"),
    ("by", "By"),
    ("attribution", "How it is known"),
    ("towards", "Towards"),
    ("channel", "Channel"),
    ("location", "Place"),
    ("summary", "What happened"),
    ("words", "Words used"),
    ("behaviours", "Conduct recorded"),
    ("effects", "Effect"),
    ("impacts", "Effect on daily life"),
    ("witnesses", "Witnesses"),
    ("police_ref", "Police reference"),
    ("exhibits", "Exhibits"),
    ("exhibit_sha256", "Exhibit SHA-256"),
    ("below_threshold", "Below threshold"),
    ("stated_purpose", "Stated purpose"),
    ("withdrawn", "Withdrawn"),
    ("private_notes", "Private notes"),
)
CSV_COLUMNS = tuple(key for key, _ in EVIDENCE_CSV)
DIARY_CSV = (
    ("date", "Date"),
    ("when", "When (local time)"),
    ("where", "Where"),
    ("what_happened", "What happened"),
    ("what_they_did", "What they did"),
    ("what_was_said", "What was said"),
    ("how_it_made_me_feel", "How it made me feel"),
    ("what_changed", "What changed"),
    ("who_saw", "Who saw or heard"),
    ("reported", "Police reference"),
    ("evidence_kept", "Evidence kept"),
    ("written_down", "Written down"),
    ("note", "Note"),
    ("private_note", "Private note"),
)
LABEL_CSV = (
    ("ref", "Exhibit reference"),
    ("description", "Description"),
    ("producer", "Produced by"),
    ("obtained", "Obtained"),
    ("how_obtained", "How obtained"),
    ("case", "Case reference"),
    ("urn", "URN"),
    ("record", "Record"),
    ("relates", "Relates to"),
    ("sha256", "SHA-256"),
)
BOM = "\ufeff"  # so Excel reads the file as UTF-8
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @ gain a leading quote)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_rows(model: dict) -> list[dict]:
    reasons = {item["incident"]["key"]: item["reason"] for item in model.get("not_relied_on") or []}
    rows = []
    for i in model["incidents"]:
        rows.append(
            {
                "case": model["case"]["ref"],
                "record": i["key"],
                "occurred": i["occurred"],
                "occurred_end": i["occurred_end"] or "",
                "precision": i["precision"],
                "when": i["when"],
                "recorded": i["recorded"] or "",
                "recorded_days_after": "" if i["recorded_after_days"] is None else i["recorded_after_days"],
                "relied_on": i["relied_on"],
                "occasion": i["relied_text"],
                "not_relied_on_reason": reasons.get(i["key"], ""),
                "by": i["by_text"],
                "attribution": i["attribution_text"],
                "towards": i["towards_text"],
                "channel": i["channel_text"],
                "location": i["location"],
                "summary": i["summary"],
                "words": i["words"],
                "behaviours": "; ".join(i["behaviours_text"]),
                "effects": "; ".join(i["effects_text"]),
                "impacts": "; ".join(i["impacts_text"]),
                "witnesses": "; ".join(i["witnesses"]),
                "police_ref": i["police_ref"],
                "exhibits": "; ".join(e["ref"] for e in i["exhibits"]),
                "exhibit_sha256": "; ".join(e["sha256"] for e in i["exhibits"]),
                "below_threshold": i["below_threshold"],
                "stated_purpose": i["stated_purpose"],
                "withdrawn": i["withdrawn_text"],
                "private_notes": i["private_notes"] if model["include_private"] else "",
            }
        )
    return rows


def diary_rows(model: dict) -> list[dict]:
    from stalklog.reports.contents import plural
    from stalklog.reports.phrases import join

    rows = []
    for i in model["live"]:
        rows.append(
            {
                "date": i["date_text"],
                "when": i["when"],
                "where": i["location"],
                "what_happened": i["summary"],
                "what_they_did": join(i["behaviours_plain"]) + (f" ({i['channel_text']})" if i["channel_text"] else ""),
                "what_was_said": i["words"],
                "how_it_made_me_feel": join(i["effects_plain"]),
                "what_changed": ("I " + join(i["impacts_plain"])) if i["impacts_plain"] else "",
                "who_saw": "; ".join(i["witnesses"]),
                "reported": i["police_ref"],
                "evidence_kept": "; ".join(
                    f"{e['ref']} {e['description']} (SHA-256 {e['sha256']})".strip() for e in i["exhibits"]
                ),
                "written_down": plural(i["recorded_after_days"], "day") + " later" if i["late"] else "",
                "note": "Kept for context." if i["below_threshold"] else "",
                "private_note": i["private_notes"] if model["include_private"] else "",
            }
        )
    return rows


def label_rows(model: dict) -> list[dict]:
    return [
        {
            "ref": e["ref"],
            "description": e["description"],
            "producer": e["producer"],
            "obtained": e["obtained_text"],
            "how_obtained": e["how_obtained"],
            "case": model["case"]["ref"],
            "urn": model["case"]["urn"],
            "record": e["incident"],
            "relates": e["relates"],
            "sha256": e["sha256"],
        }
        for e in model["labels"]
    ]


def _csv(columns: tuple, rows: list[dict]) -> str:
    from stalklog.safetext import printable

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([heading for _, heading in columns])
    for row in rows:
        writer.writerow([safe_cell(printable(v) if isinstance(v, str) else v) for v in (row[k] for k, _ in columns)])
    return BOM + buf.getvalue()


@renderer("csv", kinds=("evidence",))
def render_csv(model: dict) -> str:
    return _csv(EVIDENCE_CSV, csv_rows(model))


@renderer("csv", kinds=("diary",))
def render_diary_csv(model: dict) -> str:
    return _csv(DIARY_CSV, diary_rows(model))


@renderer("csv", kinds=("labels",))
def render_labels_csv(model: dict) -> str:
    return _csv(LABEL_CSV, label_rows(model))


@renderer("json")
def render_json(model: dict) -> str:
    offence = model.get("offence")
    doc = {
        "format": "stalklog.report",
        "version": 2,
        "kind": model["kind"],
        "case": model["case"]["ref"],
        "generated": model["generated"],
        "as_of": model["as_of"],
        "stalklog_version": model["version"],
        "marking": model.get("marking"),
        "urn": model["case"].get("urn") or None,
        "crime_ref": model["case"].get("crime_ref") or None,
        "oic": model["case"].get("oic") or None,
        "courses": [
            {
                "n": c["n"],
                "subject": c["subject_key"],
                "victims": list(c["course"]["victims"]),
                "offence": c["offence"]["id"] if c["offence"] else None,
                "occasions": [
                    {"n": o["n"], "records": [p["key"] for p in o["parts"]], "exhibits": o["exhibits"]}
                    for o in c["occasions"]
                ],
                "points": [
                    {"code": p["code"], "met": p["met"], "occasions": p["occasions"], "exhibits": p["exhibits"]}
                    for p in c["points"]
                ],
                "deadlines": [{"offence": d["id"], "text": d["text"]} for d in c["deadlines"]],
            }
            for c in model.get("courses") or []
        ],
        "offence": offence["id"] if offence else None,
        "exhibits": [e["ref"] for e in model.get("exhibit_schedule") or []],
        "not_relied_on": [
            {"n": x["n"], "record": x["incident"]["key"], "reason": x["reason_code"], "why": x["reason"]}
            for x in model.get("not_relied_on") or []
        ],
        "include_private": model["include_private"],
        "redacted": model.get("redacted") or [],
        "integrity": {
            k: model["integrity"][k]
            for k in (
                "head_hash",
                "head_seq",
                "verified",
                "problem_count",
                "problems",
                "entries",
                "records",
                "exhibits_checked",
            )
        },
        "check": model["check"],
        "records": model["records"],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
