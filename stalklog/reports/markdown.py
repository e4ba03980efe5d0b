"""Markdown: the same report as plain text that reads well unrendered and renders inert.

Every piece of recorded text goes through ``esc``: HTML is escaped (a Markdown viewer would
otherwise run ``<script>``) and Markdown's own punctuation is backslashed, so a record cannot
make a heading, a link or a table of its own.
"""

from __future__ import annotations

import re

from stalklog.reports import renderer
from stalklog.reports.phrases import join

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
    lines = [f"# {m['title']} — case {esc(m['case']['ref'])}", ""]
    lines.append(
        f"Case reference: **{esc(m['case']['ref'])}**"
        + (f" — {esc(m['case']['title'])}" if m["case"].get("title") else "")
    )
    lines.append(
        f"Jurisdiction: {m['case']['jurisdiction_text']} · check as of {m['as_of']} · "
        f"generated {m['integrity']['generated_text']} by stalklog {m['version']}"
    )
    lines.append("")
    if m.get("redacted"):
        lines += [f"> **Redacted.** {esc(m['redaction_statement'])}", ""]
    if m["include_private"]:
        lines += ["> **This copy includes private notes**, shown only because they were asked for by name.", ""]
    return lines


def _footer(m: dict) -> list[str]:
    return ["", "---", "", esc(m["disclaimer"]), ""]


def _incident_fields(lines: list[str], p: dict, m: dict) -> None:
    recorded = p["recorded_text"] or "(time not recorded)"
    if p["recorded_after_days"]:
        recorded += f", {p['recorded_after_days']} days after the event"
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
        _field(lines, "Private note", esc(p["private_notes"]))


def _exhibit(lines: list[str], e: dict) -> None:
    lines.append(f"### Exhibit {esc(e['ref'])}")
    lines.append("")
    _field(lines, "Description", esc(e["description"]) or "No description recorded")
    if e.get("occasion"):
        _field(lines, "Relates to", f"occasion {e['occasion']} (record {esc(e['incident'])})")
    _field(lines, "Produced by", esc(e["producer"]) or "Not recorded")
    _field(lines, "When obtained", e["obtained_text"] or "Not recorded")
    _field(lines, "How obtained", esc(e["how_obtained"]) or "Not recorded")
    _field(lines, "Original file name", esc(e["file"]))
    _field(lines, "Size", e["size_text"])
    _field(lines, "Where held", e["where_held"])
    _field(lines, "SHA-256", f"`{e['sha256']}`" if e["sha256"] else "not recorded")
    lines.append("")


@renderer("md", kinds=("evidence",))
def render_evidence(m: dict) -> str:
    lines = _header(m)
    lines += [
        "This summary sets out what is recorded in the case file, in neutral language. It draws no conclusion "
        "about guilt and is not a witness statement.",
        "",
        "## 1. Headline",
        "",
        esc(m["headline"]),
        "",
    ]
    if m["offence"]:
        o = m["offence"]
        lines += [
            f"Offence considered: **{esc(o['title'])}** ({o['id']}) — status in the check: "
            f"{o['status'].replace('_', ' ')}.",
            "",
        ]
    lines += ["## 2. The occasions, in date order", ""]
    if not m["occasions"]:
        lines += ["No occasions are set out: the check found no course of conduct.", ""]
    for o in m["occasions"]:
        gap = f" ({o['gap_days']} days after occasion {o['n'] - 1})" if o["gap_days"] is not None else ""
        lines += [f"### Occasion {o['n']} — {esc(o['when'])}{gap}", ""]
        for p in o["parts"]:
            if len(o["parts"]) > 1:
                lines += [f"*Part: record {esc(p['key'])}*", ""]
            _incident_fields(lines, p, m)
            lines.append("")
    lines += [f"## 3. Points to prove{': ' + esc(m['offence']['title']) if m['offence'] else ''}", ""]
    if m["points"]:
        lines += ["| Point | In the record | Occasions | Exhibits |", "|---|---|---|---|"]
        for pt in m["points"]:
            occ = ", ".join(str(n) for n in pt["occasions"]) or "none"
            lines.append(
                f"| {esc(pt['title'])}: {esc(pt['text'])} | {'Could be supported' if pt['met'] else 'Not shown'} "
                f"| {occ} | {', '.join(esc(x) for x in pt['exhibits']) or 'none'} |"
            )
        for item in m["for_review"]:
            lines.append(f"| {esc(item)} | For review | — | — |")
    else:
        lines.append("The check lists no offence for this case.")
    lines += ["", "## 4. Matters that point the other way or need review", ""]
    for n, r in enumerate(m["review"], 1):
        lines.append(f"{n}. **{esc(r['title'])}.** {esc(r['text'])}")
    if not m["review"]:
        lines.append("None identified by the check.")
    lines += ["", "## 5. Exhibit schedule", ""]
    for e in m["exhibit_schedule"]:
        _exhibit(lines, e)
    if not m["exhibit_schedule"]:
        lines += ["No exhibits are attached to the occasions relied on.", ""]
    lines += ["## 6. Logged items not relied on", ""]
    for item in m["not_relied_on"]:
        i = item["incident"]
        lines += [f"### Item {item['n']} — record {esc(i['key'])}, {esc(i['when'])}", ""]
        _field(lines, "Why not relied on", esc(item["reason"]))
        _field(lines, "Description", esc(i["summary"]) or "No description recorded")
        _field(lines, "Place", esc(i["location"]))
        _field(lines, "Words used", f"“{esc(i['words'])}”" if i["words"] else "")
        for e in i["exhibits"]:
            _field(lines, f"Exhibit {esc(e['ref'])}", f"{esc(e['description'])}; SHA-256 `{e['sha256']}`")
        if m["include_private"] and i["private_notes"]:
            _field(lines, "Private note", esc(i["private_notes"]))
        lines.append("")
    if not m["not_relied_on"]:
        lines += ["Every logged item is relied on above.", ""]
    ig = m["integrity"]
    lines += [
        "## 7. Integrity record",
        "",
        f"- **Ledger head:** `{ig['head_hash']}` (entry {ig['head_seq']})",
        "- **Check at generation:** "
        + (
            "the hash chain and every record and exhibit of this case matched"
            if ig["verified"]
            else f"problems found ({ig['problem_count']}): " + esc("; ".join(ig["problems"]))
        ),
        f"- **Generated:** {ig['generated_text']}, by stalklog {m['version']}",
        f"- **How to check:** run `stalklog verify --case {esc(m['case']['ref'])}`; it recomputes every hash "
        f"and prints the ledger head (this hash, or a later one if more was recorded since entry {ig['head_seq']})",
    ]
    return "\n".join(lines + _footer(m))


@renderer("md", kinds=("diary",))
def render_diary(m: dict) -> str:
    lines = _header(m)
    lines += [esc(m["summary_line"]), "", "## What happened", ""]
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
            f"Answers as recorded on {s['taken_text']}. No score is given here.",
            "",
        ]
        lines += [
            f"- {esc(a['question'])} **{esc(a['answer'])}**" + (f" — {esc(a['notes'])}" if a["notes"] else "")
            for a in s["answers"]
        ]
    if m["withdrawn"]:
        lines += ["", "## Entries I withdrew", ""]
        lines += [f"- {esc(i['when'])}: {esc(i['summary'])} — {esc(i['withdrawn_text'])}" for i in m["withdrawn"]]
    lines += ["", f"Ledger head when this diary was made: `{m['integrity']['head_hash']}`"]
    return "\n".join(lines + _footer(m))
