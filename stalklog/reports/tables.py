"""CSV (one row per incident, for spreadsheets) and JSON (the check plus the records)."""

from __future__ import annotations

import csv
import io
import json

from stalklog.reports import renderer

CSV_COLUMNS = (
    "case",
    "record",
    "occurred",
    "occurred_end",
    "precision",
    "when",
    "recorded",
    "recorded_days_after",
    "relied_on",
    "occasion",
    "not_relied_on_reason",
    "by",
    "attribution",
    "towards",
    "channel",
    "location",
    "summary",
    "words",
    "behaviours",
    "effects",
    "impacts",
    "witnesses",
    "police_ref",
    "exhibits",
    "exhibit_sha256",
    "below_threshold",
    "stated_purpose",
    "withdrawn",
    "private_notes",
)
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
                "occasion": i["occasion"] or "",
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


@renderer("csv")
def render_csv(model: dict) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in csv_rows(model):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buf.getvalue()


@renderer("json")
def render_json(model: dict) -> str:
    offence = model.get("offence")
    doc = {
        "format": "stalklog.report",
        "version": 1,
        "kind": model["kind"],
        "case": model["case"]["ref"],
        "generated": model["generated"],
        "as_of": model["as_of"],
        "stalklog_version": model["version"],
        "offence": offence["id"] if offence else None,
        "occasions": [
            {"n": o["n"], "records": [p["key"] for p in o["parts"]], "exhibits": o["exhibits"]}
            for o in model.get("occasions") or []
        ],
        "not_relied_on": [
            {"n": x["n"], "record": x["incident"]["key"], "reason": x["reason_code"]}
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
