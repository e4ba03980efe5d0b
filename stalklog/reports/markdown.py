"""Markdown: the same report as plain text that reads well unrendered and renders inert.

Every piece of recorded text goes through ``esc``: HTML is escaped (a Markdown viewer would
otherwise run ``<script>``) and Markdown's own punctuation is backslashed, so a record cannot
make a heading, a link or a table of its own.
"""

from __future__ import annotations

import re

from stalklog.reports import renderer
from stalklog.reports.contents import plural
from stalklog.reports.phrases import TEXT, join

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # inline markup; every line starts with our own text


def esc(value) -> str:
    from stalklog.safetext import printable

    text = printable("" if value is None else str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())  # no line breaks: a record stays inside its bullet


def _field(lines: list[str], label: str, value) -> None:
    if value not in (None, "", []):
        lines.append(f"- **{label}:** {value}")


def _header(m: dict) -> list[str]:
    police = m["kind"] != "diary"
    lines = []
    if police:
        lines += [f"**{esc(m['marking'])}**", ""]
    lines += [f"# {m['title']} — case {esc(m['case']['ref'])}", ""]
    c = m["case"]
    rows = [("Case reference", f"**{esc(c['ref'])}**" + (f" — {esc(c['title'])}" if c.get("title") else ""))]
    if police:
        rows += [
            ("Unique Reference Number", esc(c["urn"]) or f"not recorded (stalklog case set {esc(c['ref'])} --urn …)"),
            ("Crime reference", esc(c["crime_ref"]) or "not recorded"),
            ("Officer in the case", esc(c["oic"]) or "not recorded"),
        ]
    rows += [
        ("Jurisdiction", c["jurisdiction_text"]),
        (
            "Dates",
            (f"case opened {c['opened_text']}; " if c.get("opened_text") else "")
            + f"check as of {m['as_of_text']}; made {m['integrity']['generated_text']} by stalklog {m['version']}",
        ),
    ]
    if police:
        rows.append(("Protective marking", esc(m["marking"])))
    lines += [f"- **{k}:** {v}" for k, v in rows]
    lines.append("")
    if m.get("redacted"):
        lines += [f"> **Redacted.** {esc(m['redaction_statement'])}", ""]
    if m["include_private"]:
        lines += ["**Includes private notes**", ""]
        lines += [f"> **This copy includes private notes.** {esc(TEXT['private'])}", ""]
    return lines


def _footer(m: dict) -> list[str]:
    lines = ["", "---", ""]
    if m["kind"] == "evidence":
        lines += [
            "## Prepared by",
            "",
            f"- **Name, rank and number:** {esc(m['prepared_by'])}",
            "- **Role:**",
            "- **Signature:**",
            "- **Date:**",
            "",
            f"Prepared from the case file by stalklog {m['version']} on {m['integrity']['generated_text']}. "
            "This is a summary of the record, not a witness statement; it carries no witness declaration.",
            "",
            "---",
            "",
        ]
    lines += [
        esc(m["disclaimer"]),
        "",
        f"Made by stalklog {m['version']} on {m['integrity']['generated_text']} from case file records; "
        f"ledger head {m['integrity']['head_hash'][:16]}….",
        "",
    ]
    if m["kind"] != "diary":
        lines += [f"**{esc(m['marking'])}**", ""]
    return lines


def _incident_fields(lines: list[str], p: dict, m: dict) -> None:
    recorded = p["recorded_text"] or "(time not recorded)"
    if p["recorded_after_days"] == 0:
        recorded += ", the same day"
    elif p["recorded_after_days"]:
        recorded += f", {plural(p['recorded_after_days'], 'day')} after the event"
    _field(lines, "Date and time", f"{esc(p['when'])} — precision: {p['precision_text']}; local time")
    _field(lines, "Record", f"{esc(p['key'])}; first recorded {recorded}")
    _field(lines, "Place", esc(p["location"]) or "Not recorded")
    _field(
        lines, "By", (esc(p["by_text"]) or "Not recorded") + (f" – {p['channel_text']}" if p["channel_text"] else "")
    )
    _field(lines, "Towards", esc(p["towards_text"]))
    _field(lines, "What happened", esc(p["summary"]) or "No description recorded")
    _field(lines, "Conduct recorded", join(p["behaviours_text"]))
    _field(lines, "Words used", f"“{esc(p['words'])}”" if p["words"] else "")
    _field(lines, "How it is known", p["attribution_text"] or "Not recorded")
    _field(lines, "Effect", join(p["effects_text"]) or "No effect recorded")
    _field(lines, "Effect on daily life", join(p["impacts_text"]))
    _field(lines, "Witnesses", join([esc(w) for w in p["witnesses"]]) or "None recorded")
    _field(lines, "Reported", f"police reference {esc(p['police_ref'])}" if p["police_ref"] else "")
    _field(lines, "Exhibits", ", ".join(esc(e["ref"]) for e in p["exhibits"]) or "None")
    _field(lines, "Stated purpose", f"“{esc(p['stated_purpose'])}” (for review)" if p["stated_purpose"] else "")
    if m["include_private"] and p["private_notes"]:
        _field(lines, f"Private note on record {esc(p['key'])}", esc(p["private_notes"]))


def _cell(text) -> str:
    return str(text).replace("\n", " ")


def _review_list(lines: list[str], items: list[dict], none: str) -> None:
    for n, r in enumerate(items, 1):
        refs = f" (records {', '.join(esc(k) for k in r['incidents'])})" if r["incidents"] else ""
        lines.append(f"{n}. **{esc(r['title'])}.** {esc(r['text'])}{refs}")
    if not items:
        lines.append(none)
    lines.append("")


def _course(lines: list[str], m: dict, c: dict, number: int) -> None:
    title = f"Course {c['n']}: " if m["courses_total"] > 1 else ""
    lines += [f"## {number}. {title}{esc(c['subject'])} towards {esc(c['victims'])}", "", esc(c["headline"]), ""]
    if c["offence"]:
        o = c["offence"]
        lines += [
            f"Offence considered: **{esc(o['title'])}** ({o['id']}) — status in the check: "
            f"{o['status'].replace('_', ' ')}."
            + (f" Maximum penalty: {esc(o['max_penalty'])}." if o.get("max_penalty") else ""),
            "",
        ]
    if c["deadlines"]:
        lines += ["### Time limits", "", "| Offence | Time limit | Rule |", "|---|---|---|"]
        for d in c["deadlines"]:
            civil = " (civil claim)" if d["kind"] == "civil" else ""
            status = d["status"].replace("_", " ")
            lines.append(
                f"| {esc(d['offence'])}{civil} (in the check: {status}) | {esc(d['text'])} | {esc(d['rule'])} |"
            )
        lines.append("")
    rng = f" (occasions {c['occasion_range']})" if c["occasions"] else ""
    lines += [f"### The occasions, in date order{rng}", ""]
    if not c["occasions"]:
        lines += ["No occasions are set out for this course.", ""]
    for o in c["occasions"]:
        gap = f" ({o['gap_text']})" if o["gap_text"] else ""
        lines += [f"#### Occasion {o['n']} — {esc(o['when'])}{gap}", ""]
        for p in o["parts"]:
            if len(o["parts"]) > 1:
                lines += [f"*Part: record {esc(p['key'])}*", ""]
            _incident_fields(lines, p, m)
            lines.append("")
    lines += [f"### Points to prove{': ' + esc(c['offence']['title']) if c['offence'] else ''}", ""]
    if c["points"]:
        lines += [
            esc(TEXT["points"]),
            "",
            "| Point | In the record | Occasions | Exhibits |",
            "|---|---|---|---|",
        ]
        for pt in c["points"]:
            cite = f" ({esc('; '.join(pt['cite']))})" if pt["cite"] else ""
            lines.append(
                f"| **{esc(pt['title'])}**: {esc(pt['text'])}{cite} | {pt['status_text']} "
                f"| {pt['occasions_text']} | {', '.join(esc(x) for x in pt['exhibits']) or 'none'} |"
            )
        for item in c["for_review"]:
            lines.append(f"| {esc(item)} | For review | Not something a log can show: for the investigation. | |")
    else:
        lines.append("The check lists no offence for this course.")
    lines += ["", "### Matters that point the other way or need review", ""]
    _review_list(
        lines,
        c["review"],
        "None identified by the check for this course. This does not mean there are none: the record is one "
        "person's account.",
    )


def _order_section(lines: list[str], orders: list[dict], number: int) -> None:
    lines += [
        f"## {number}. Protective orders and possible breaches",
        "",
        "Breaking an order is an offence on its own: one incident can be enough, and no course of conduct is "
        "needed. Whether an incident broke a condition of the order, and whether there was a reasonable excuse, "
        "is for review.",
        "",
    ]
    for o in orders:
        lines += [f"### {esc(o['title'])} {esc(o['key'])} against {esc(o['against'])}", ""]
        _field(lines, "Protects", esc(", ".join(o["protects"])))
        _field(lines, "Made", o["made_text"])
        _field(lines, "Ends", o["ends_text"])
        _field(lines, "Status", o["status_text"])
        _field(lines, "Court", esc(o["court"]))
        _field(lines, "Reference", esc(o["reference"]))
        _field(lines, "Conditions", esc("; ".join(o["conditions"])) or "none recorded")
        _field(lines, "History", esc(" · ".join(o["history"])))
        lines.append("")
        if not o["breaches"]:
            lines += ["No recorded incident falls within this order's days as a possible breach.", ""]
            continue
        lines += ["| Incident | When | What happened | Possible breach, for review |", "|---|---|---|---|"]
        for b in o["breaches"]:
            notes = "".join(f" *{esc(n)}*" for n in b["notes"])
            lines.append(
                f"| {_cell(b['incident'])} | {_cell(b['when'])} | {_cell(b['summary'])} | "
                f"{_cell(b['offence'])}; maximum {_cell(b['max_penalty'])}; {_cell(b['time_limit_text'])}{notes} |"
            )
        lines.append("")


@renderer("md", kinds=("evidence",))
def render_evidence(m: dict) -> str:
    lines = _header(m)
    lines += [
        f"> {TEXT['notice']}",
        "",
        "## 1. Headline",
        "",
        esc(m["headline"]),
        "",
    ]
    if m["course_choice"]:
        lines += [esc(m["course_choice"]), ""]
    people = "; ".join(
        f"{esc(p['display'])} ({p['role_text']}{', ' + p['relationship_text'] if p['relationship_text'] else ''})"
        for p in m["people"]
    )
    lines += [f"People: {people or 'none recorded'}.", ""]
    if m["chart_points"]:
        lines += [f"*{TEXT['chart']} {TEXT['chart_evidence']}*", ""]
    number = 1
    if m.get("orders"):  # protective orders and possible breaches, before the courses (orders-v1)
        number += 1
        _order_section(lines, m["orders"], number)
    if not m["courses"]:
        number += 1
        lines += [
            f"## {number}. The occasions, in date order",
            "",
            "No occasions are set out: the check found no course of conduct by a named subject towards a named person.",
            "",
        ]
    for c in m["courses"]:
        number += 1
        _course(lines, m, c, number)
    number += 1
    lines += [f"## {number}. Other matters for review", ""]
    _review_list(lines, m["review"], "None identified about single entries or the record as a whole.")
    number += 1
    lines += [f"## {number}. Exhibit schedule (MG12 order)", ""]
    if m["exhibit_schedule"]:
        lines += [
            esc(TEXT["mg12"]),
            "",
            "| Exhibit reference | Description | Produced by | When and how obtained | SHA-256 | Continuity |",
            "|---|---|---|---|---|---|",
        ]
        for e in m["exhibit_schedule"]:
            desc = (esc(e["description"]) or "No description recorded") + (
                f" — Relates to {esc(e['relates'])} (record {esc(e['incident'])})."
            )
            if e["file"]:
                desc += f" Original file name: {esc(e['file'])}."
            if e["size_text"]:
                desc += f" Size: {e['size_text']}."
            desc += f" {e['where_held'][:1].upper()}{e['where_held'][1:]}."
            continuity = (
                "; ".join(
                    f"{ev['at_text']}: {ev['text']}"
                    + (f" by {esc(ev['by'])}" if ev["by"] else "")
                    + (f" ({esc(ev['detail'])})" if ev["detail"] else "")
                    for ev in e["continuity"]
                )
                or "no continuity events recorded"
            )
            obtained = f"{e['obtained_text'] or 'not recorded'}; {esc(e['how_obtained']) or 'how not recorded'}"
            sha = f"`{e['sha256']}`" if e["sha256"] else "not recorded"
            lines.append(
                f"| **{esc(e['ref'])}** | {desc} | {esc(e['producer']) or 'Not recorded'} | {obtained} | {sha} | {continuity} |"
            )
        lines.append("")
    else:
        lines += ["No exhibits are attached to the occasions relied on.", ""]
    number += 1
    lines += [f"## {number}. Logged items not relied on (schedule of unused material, MG6C shape)", ""]
    if m["not_relied_on"]:
        lines += [
            esc(TEXT["mg6c"]) + ("" if m["include_private"] else " The notes are not shown."),
            "",
            "| Item | Description and relative location | Why not relied on | Sensitive? |",
            "|---|---|---|---|",
        ]
        for item in m["not_relied_on"]:
            i = item["incident"]
            desc = f"{esc(i['when'])}: {esc(i['summary']) or 'No description recorded'}"
            if i["channel_text"]:
                desc += f" ({i['channel_text']})"
            desc += "."
            if i["location"]:
                desc += f" Place: {esc(i['location'])}."
            if i["words"]:
                desc += f" Words: “{esc(i['words'])}”."
            desc += f" By {esc(i['by_text']) or 'not recorded'}, towards {esc(i['towards_text']) or 'not recorded'}."
            if i["witnesses"]:
                desc += f" Witnesses: {join([esc(w) for w in i['witnesses']])}."
            for e in i["exhibits"]:
                desc += (
                    f" Exhibit {esc(e['ref'])}: {esc(e['description']) or 'no description'}, produced by "
                    f"{esc(e['producer']) or 'not recorded'}, SHA-256 `{e['sha256'] or 'not recorded'}`."
                )
            desc += f" Case file record {esc(i['key'])}."
            if m["include_private"] and i["private_notes"]:
                desc += f" **Private note on record {esc(i['key'])}:** {esc(i['private_notes'])}"
            sensitive = "Possibly: private notes" if item["sensitive"] else "No"
            lines.append(f"| {item['n']} | {desc} | {esc(item['reason'])} | {sensitive} |")
        lines.append("")
    else:
        lines += ["Every logged item is relied on above.", ""]
    ig = m["integrity"]
    number += 1
    lines += [
        f"## {number}. Integrity record",
        "",
        f"- **Ledger head:** `{ig['head_hash']}` (entry {ig['head_seq']})",
        "- **Check at generation:** "
        + (
            f"the hash chain and every record and exhibit of this case matched ({plural(ig['entries'], 'ledger entry', 'ledger entries')}, "
            f"{plural(ig['records'], 'record')}, {plural(ig['exhibits_checked'], 'exhibit file')} checked)"
            if ig["verified"]
            else f"problems found ({ig['problem_count']}): " + esc("; ".join(ig["problems"]))
        ),
        f"- **Generated:** {ig['generated_text']}, by stalklog {m['version']}",
        "- **How to check:** " + esc(TEXT["how_to_check"].format(ref=m["case"]["ref"], seq=ig["head_seq"])),
    ]
    return "\n".join(lines + _footer(m))


@renderer("md", kinds=("labels",))
def render_labels(m: dict) -> str:
    lines = _header(m)
    lines += [esc(TEXT["labels"]), ""]
    if not m["labels"]:
        lines += ["No exhibits are recorded for this case.", ""]
    for e in m["labels"]:
        urn = f"; URN {esc(m['case']['urn'])}" if m["case"]["urn"] else ""
        lines += [
            f"## Exhibit {esc(e['ref'])}",
            "",
            f"**{esc(m['marking'])}** — EXHIBIT",
            "",
            f"- **Description:** {esc(e['description']) or 'No description recorded'}",
            f"- **Produced by:** {esc(e['producer']) or 'Not recorded'}",
            f"- **Obtained:** {e['obtained_text'] or 'Not recorded'}",
            f"- **Case reference:** {esc(m['case']['ref'])}{urn}",
            f"- **Record:** {esc(e['incident'])} ({esc(e['relates'])})",
            f"- **SHA-256:** `{e['sha256'] or 'not recorded'}`",
            "- **Signature:**",
            "",
        ]
    return "\n".join(lines + _footer(m))


@renderer("md", kinds=("diary",))
def render_diary(m: dict) -> str:
    lines = _header(m)
    live = m["live"]
    span = f", from {live[0]['date_text']} to {live[-1]['date_text']}" if live else ""
    lines += [
        "This diary lists what happened, in date order, with how each incident affected me and what changed in "
        "daily life. It was made from the entries kept in stalklog.",
        "",
        f"{plural(len(live), 'entry', 'entries')}{span}. {esc(m['summary_line'])}",
        "",
    ]
    if m["chart_points"]:
        lines += [f"*{TEXT['chart']} {TEXT['chart_diary']}*", ""]
    if m.get("orders_protecting"):
        lines += ["## Orders protecting me", ""]
        for o in m["orders_protecting"]:
            where = ", ".join(x for x in (o["court"], o["reference"]) if x)
            lines.append(
                f"- {esc(o['title'])} against {esc(o['against'])}, made {o['made_text']}, ends {o['ends_text']} "
                f"({o['status_text']})"
                + (f" – {esc(where)}" if where else "")
                + (f". Conditions: {esc('; '.join(o['conditions']))}" if o["conditions"] else "")
            )
        lines.append("")
    lines += ["## What happened", ""]
    if not live:
        lines += ["No entries yet.", ""]
    for i in m["live"]:
        lines += [f"### {esc(i['when'])}", ""]
        _field(lines, "Where", esc(i["location"]))
        _field(lines, "What happened", esc(i["summary"]) or "(no description written)")
        _field(lines, "What they did", join(i["behaviours_plain"]))
        _field(lines, "What was said", f"“{esc(i['words'])}”" if i["words"] else "")
        _field(lines, "How it made me feel", join(i["effects_plain"]) or "not written down")
        _field(lines, "What changed", ("I " + join(i["impacts_plain"])) if i["impacts_plain"] else "")
        _field(lines, "Who saw or heard", join([esc(w) for w in i["witnesses"]]))
        _field(lines, "Reported", f"police reference {esc(i['police_ref'])}" if i["police_ref"] else "")
        _field(
            lines,
            "Evidence kept",
            "; ".join(f"{esc(e['ref'])} {esc(e['description'])} (SHA-256 `{e['sha256']}`)" for e in i["exhibits"]),
        )
        _field(lines, "Note", "Kept for context." if i["below_threshold"] else "")
        _field(lines, "Written down", f"{plural(i['recorded_after_days'], 'day')} later" if i["late"] else "")
        if m["include_private"] and i["private_notes"]:
            _field(lines, "Private note", esc(i["private_notes"]))
        lines.append("")
    lines += ["## Changes to my daily life", ""]
    changes = [
        f"- {imp['date_text'] + ': ' if imp['date_text'] else ''}I {imp['plain']}"
        + (f" — {esc(imp['detail'])}" if imp["detail"] else "")
        for imp in m["impacts"]
    ]
    changes += [f"- After {i['date_text']}: I {join(i['impacts_plain'])}" for i in m["live"] if i["impacts_plain"]]
    lines += changes or ["None written down yet."]
    if m["screening"]:
        s = m["screening"]
        lines += [
            "",
            "## Stalking screening questions (S-DASH)",
            "",
            f"Answers as recorded on {s['taken_text']}"
            + (f" with {esc(s['taken_by'])}" if s["taken_by"] else "")
            + ". No score is given here.",
            "",
        ]
        lines += [
            f"- {esc(a['question'])} **{esc(a['answer'])}**" + (f" — {esc(a['notes'])}" if a["notes"] else "")
            for a in s["answers"]
        ]
    if m["withdrawn"]:
        lines += ["", "## Entries I withdrew", ""]
        lines += [f"- {esc(i['when'])}: {esc(i['summary'])} — {esc(i['withdrawn_text'])}" for i in m["withdrawn"]]
    ig = m["integrity"]
    problems = "" if ig["verified"] else f" – **the integrity check found problems ({ig['problem_count']})**"
    lines += [
        "",
        "## About this diary",
        "",
        f"Times are local times as written down. Ledger head at the time this diary was made: `{ig['head_hash']}`"
        f"{problems}.",
    ]
    return "\n".join(lines + _footer(m))
