"""Renderings of records for people. Pure: they take a console (or a stream) and data.

Small lists for a person at a terminal are rich tables. Long lists (more than
``PLAIN_ROWS`` rows), and any list written to a pipe or a file, are plain aligned text
with the same columns: rich lays a table out at about 2 ms a row (a 10,000-incident list
took most of a minute), and plain lines are easier to search and to paste.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from stalklog import vocab
from stalklog.cli.markup import escape
from stalklog.safetext import printable

PLAIN_ROWS = 200


if TYPE_CHECKING:
    from rich.table import Table as RichTable


def Table(*args, **kwargs) -> RichTable:  # noqa: N802 - rich's Table, imported only when a table is drawn
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def plain_wanted(rows: int, stream=None) -> bool:
    """Whether a list of ``rows`` rows is written as plain text rather than a rich table."""
    return rows > PLAIN_ROWS or not is_terminal(stream)


def write_plain(stream, headers: list[str], rows: list[list[str]], *, title: str | None = None) -> None:
    """Plain text: one line per row to a pipe or a file (for grep and spreadsheets); at a
    terminal too narrow for those lines, one block per row wrapped at word boundaries."""
    if is_terminal(stream):
        from stalklog.cli.layout import message_width

        width = message_width()
        if _plain_width(headers, rows) > width:
            write_plain_blocks(stream, headers, rows, title=title, width=width)
            return
    write_plain_table(stream, headers, rows, title=title)


def _plain_width(headers: list[str], rows: list[list[str]], widest: int = 40) -> int:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], min(len(text), widest) if i < len(row) - 1 else len(text))
    return sum(widths) + 2 * (len(widths) - 1)


def write_plain_blocks(stream, headers: list[str], rows: list[list[str]], *, title: str | None, width: int) -> None:
    """Each row as its first two cells on a line, then ``label: value`` lines wrapped under
    themselves at spaces (a word is never broken)."""
    import textwrap

    label = max(len(h) for h in headers[2:]) + 3 if len(headers) > 2 else 4
    out = [title] if title else []
    for row in rows:
        out.append("  ".join(c for c in row[:2] if c))
        for name, value in zip(headers[2:], row[2:], strict=False):
            if value:
                out.append(
                    textwrap.fill(
                        value,
                        width=max(width - 1, label + 20),
                        initial_indent=f"  {name}:".ljust(label),
                        subsequent_indent=" " * label,
                        break_long_words=False,
                        break_on_hyphens=False,
                    )
                )
    stream.write("\n".join(out) + "\n")


def _cell(text) -> str:
    """One line of plain text: control characters shown, not obeyed; line breaks as spaces."""
    return printable(str(text)).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")


def write_plain_table(
    stream, headers: list[str], rows: list[list[str]], *, title: str | None = None, widest: int = 40
) -> None:
    """Columns padded to their widest cell (at most ``widest`` characters: a longer cell is
    written whole and pushes the rest of its line along), two spaces apart; one line per row."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, text in enumerate(row):
            if len(text) > widths[i]:
                widths[i] = min(len(text), max(widest, len(headers[i])))
    last = len(headers) - 1

    def line(cells) -> str:
        return "  ".join(c if i == last else c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    out = []
    if title:
        out.append(title)
    out.append(line(headers))
    out.append(line(["-" * w for w in widths]))
    out.extend(line(r) for r in rows)
    stream.write("\n".join(out) + "\n")


def _when(inc: dict) -> str:
    from stalklog.dates import describe_stored

    return describe_stored(inc["occurred"], inc["precision"], inc.get("occurred_end"))


def _words(values: list[str]) -> str:
    return ", ".join(vocab.label(v) for v in values)


def _shown(value) -> str:
    """A corrected value as a person reads it: no Python list syntax, and empty says so."""
    if value in (None, "", []):
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _utc(value: str | None) -> str:
    """A stored moment (``2025-01-05T20:10:00+00:00``) as ``Sun 5 Jan 2025 20:10 GMT``: in the
    case's local time with its zone, as the event's own time is shown (dates.md §12)."""
    from stalklog.dates import moment_text

    return moment_text(value)


def _written(inc: dict) -> str:
    """When it was first written down (a spreadsheet's own column, or when typed in), or
    "not known: imported from a spreadsheet diary on …": never the import time as if it were."""
    from stalklog.dates import moment_text
    from stalklog.records import written_text

    return written_text(inc, moment_text)


INCIDENT_COLUMNS = ["ID", "Case", "When", "What happened", "Behaviour", "Effect"]


def render_incident_list(incidents: list[dict], console_factory, stream=None) -> None:
    """``incidents`` as a rich table on ``console_factory()``, or as plain text on
    ``stream`` (stdout) when there are many or the output is not a terminal."""
    stream = stream or sys.stdout
    if not plain_wanted(len(incidents), stream):
        _show_incidents(console_factory(), incidents)
        return
    rows = []
    for inc in incidents:
        summary = _cell(inc["summary"]) + (" (withdrawn)" if inc.get("withdrawn") else "")
        rows.append(
            [
                str(inc["id"]),
                _cell(f"{inc['case']} {inc['key']}"),
                _when(inc),
                summary,
                _words(inc["behaviours"]),
                _words(inc["effects"]),
            ]
        )
    write_plain(stream, INCIDENT_COLUMNS, rows)
    stream.flush()


def _show_incidents(console, incidents: list[dict]) -> None:
    """A small list at a terminal: a table where every word fits, else one block each."""
    from stalklog.cli.layout import show_table

    rows = []
    for inc in incidents:
        summary = escape(inc["summary"])
        if inc.get("withdrawn"):
            summary = f"[strike]{summary}[/strike] (withdrawn)"
        rows.append(
            [
                str(inc["id"]),
                escape(f"{inc['case']} {inc['key']}"),
                escape(_when(inc)),
                summary,
                escape(_words(inc["behaviours"])),
                escape(_words(inc["effects"])),
            ]
        )
    show_table(
        console,
        columns=[(c, {"no_wrap": c in ("ID", "Case")}) for c in INCIDENT_COLUMNS],
        rows=rows,
        heading=lambda r: f"[bold]{r[0]}[/bold]  {r[1]}  {r[2]}",
        in_heading=(0, 1, 2),
        wide=0,
    )


def field_table(rows: list[tuple[str, object]]) -> RichTable:
    """A two-column table of a record's fields, leaving out the empty ones."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows:
        if value:
            table.add_row(name, escape(str(value)))
    return table


def person_names(people: list[dict], own_diary: bool = False) -> dict[str, str]:
    """A case's people as a person reads them, by key: their names (the key where none is
    recorded), and "you" for the first victim when the case is her own diary."""
    names = {p["key"]: p.get("name") or p["key"] for p in people}
    if own_diary:
        victim = next((p["key"] for p in people if p["role"] == "victim"), None)
        if victim is not None:
            names[victim] = "you"
    return names


def render_incident(console, inc: dict, people: dict[str, str] | None = None) -> None:
    """One incident in full; ``people`` (key → name, see ``person_names``) names who did it
    and towards whom."""
    people = people or {}

    def named(keys) -> str:
        return ", ".join(people.get(k, k) for k in keys)

    console.print(f"[bold]Incident {inc['id']}[/bold] ({escape(inc['key'])}) in case {escape(inc['case'])}")
    if inc.get("withdrawn"):
        console.print(
            f"[red]Withdrawn[/red] {escape(_utc(inc['withdrawn']['at']))}: {escape(inc['withdrawn']['reason'] or '')}"
        )
    rows = [
        ("When", _when(inc)),
        ("Written down", _written(inc)),
        ("Entered", _utc(inc["recorded"]) if inc.get("provenance") or inc.get("written") else ""),
        ("From", inc.get("provenance") or ""),
        ("Where", inc["location"]),
        ("What happened", inc["summary"]),
        ("Words used", inc["words"]),
        ("By", named(inc["by"]) + (f" ({vocab.label(inc['attribution'])})" if inc["attribution"] else "")),
        ("Procured by", named([inc["procured_by"]]) if inc["procured_by"] else ""),
        ("Towards", named(inc["towards"])),
        ("Also affected", named(inc["affected"])),
        ("Behaviour", _words(inc["behaviours"])),
        ("Channel", vocab.label(inc["channel"]) if inc["channel"] else ""),
        ("Effect", _words(inc["effects"])),
        ("Daily life", _words(inc["impacts"])),
        ("Witnesses", "; ".join(inc["witnesses"])),
        ("Police ref", inc["police_ref"] or ""),
        ("Linked to", ", ".join(inc["links"])),
        ("Same occasion as", inc["same_occasion_as"] or ""),
        ("Stated purpose", inc["stated_purpose"] or ""),
        ("Below threshold", "yes (context only)" if inc["below_threshold"] else ""),
        ("Private notes", inc["private_notes"] or ""),
    ]
    console.print(field_table(rows))
    if inc["exhibits"]:
        ex = Table("Exhibit", "Description", "SHA-256", title="Exhibits")
        for e in inc["exhibits"]:
            ex.add_row(escape(e["ref"]), escape(e["description"] or ""), e["sha256"] or "")
        console.print(ex)
    if inc.get("history"):
        hist = Table("When", "Field", "Was (first account)", "Now", "By", "Reason", title="Corrections")
        for h in inc["history"]:
            hist.add_row(
                escape(_utc(h["at"])),
                escape(h["field"]),
                escape(_shown(h["old"])),
                escape(_shown(h["new"])),
                escape(h.get("by") or "not recorded"),
                escape(h["reason"] or ""),
            )
        console.print(hist)


def _day(iso: str | None) -> str:
    """``2025-01-05`` (or a date-time) as ``5 Jan 2025``, the way the check writes days."""
    import datetime as dt

    from stalklog.law.wording import day

    return day(dt.date.fromisoformat(iso[:10])) if iso else ""


def render_case(console, data: dict) -> None:
    from stalklog.law.wording import plural

    console.print(f"[bold]Case {escape(data['ref'])}[/bold]: {escape(data['title'] or '')}")
    console.print(
        f"{data['jurisdiction']}, {data['status']}, opened {_day(data['opened'])}"
        + (f"; context: {_words(data['context'])}" if data["context"] else "")
    )
    if data.get("orders"):  # protective orders first: in force, with the days left
        from stalklog.cli.orders_view import status_words

        names = {p["key"]: p["name"] for p in data.get("people") or [] if p.get("name")}
        for o in data["orders"]:
            style = "bold" if o["in_force"] else "dim"
            against = names.get(o["against"], o["against"])  # a name where a person reads (issue 19)
            line = f"Order {o['key']}: {o['title']} against {against}: {status_words(o)}"
            console.print(f"[{style}]{escape(line)}[/{style}]")
    if data.get("own_diary"):
        console.print('The victim\'s own diary: the check calls her "you" (documents name her).')
    if data["people"]:
        people = Table("Key", "Role", "Name", "Relationship")
        you = person_names(data["people"], data.get("own_diary", False))
        for p in data["people"]:
            name = escape(p["name"] or "") + (" (you)" if you.get(p["key"]) == "you" else "")
            people.add_row(escape(p["key"]), p["role"], name, p["relationship"] or "")
        console.print(people)
    else:
        console.print(f"No people yet: stalklog person add --case {escape(data['ref'])} --role victim --name …")
    if data["incident_count"]:
        console.print(
            f"{plural(data['incident_count'], 'incident')}, {_day(data['first_incident'])} to "
            f"{_day(data['last_incident'])}. See them with: stalklog timeline --case {escape(data['ref'])}"
        )
    else:
        console.print(f'No incidents yet: stalklog add "…" --case {escape(data["ref"])} --when …')
    for imp in data["impacts"]:
        console.print(f"Daily life: {vocab.label(imp['kind'])} {imp['date'] or ''} {escape(imp['detail'] or '')}")


def render_timeline(console, case_ref: str, data: dict, stream=None) -> None:
    """The timeline on ``console``; as plain text on ``stream`` (stdout) when it is long
    or the output is not a terminal (``console`` may then be a function making one)."""
    stream = stream or sys.stdout
    if data["entries"] and plain_wanted(len(data["entries"]), stream):
        _plain_timeline(stream, case_ref, data)
        return
    console = console() if callable(console) else console
    if not data["entries"]:
        console.print(f"No incidents in case {escape(case_ref)} yet.")
        return
    from stalklog.cli.layout import show_table

    rows = []
    for e in _with_order_rows(data):
        if e.get("order_row"):
            rows.append([_order_day(e["day"]), "", f"[bold]{escape(e['order_row'])}[/bold]", "", ""])
            continue
        gap = "" if e["gap_days"] is None else str(e["gap_days"])
        if e["gap_days"] is not None and e["gap_days"] > 90:
            gap = f"[yellow]{gap}[/yellow]"
        summary = escape(_order_mark(e) + e["summary"]) + (" [dim](context only)[/dim]" if e["below_threshold"] else "")
        rows.append([escape(_when(e)), gap, summary, escape(_words(e["behaviours"])), escape(_words(e["effects"]))])
    show_table(
        console,
        title=f"Timeline of {escape(case_ref)}",
        columns=(
            ("When", {}),
            ("Gap (days)", {"justify": "right"}),
            ("What happened", {}),
            ("Behaviour", {}),
            ("Effect", {}),
        ),
        rows=rows,
        heading=lambda r: f"[bold]{r[0]}[/bold]" + (f" [dim](gap {r[1]} days)[/dim]" if r[1] else ""),
        in_heading=(0, 1),
        wide=0,
    )
    peak = max(data["months"].values()) or 1
    console.print("\n[bold]Incidents per month[/bold]")
    for month, n in data["months"].items():
        bar = "█" * max(1 if n else 0, round(20 * n / peak))
        console.print(f"  {month}  {bar} {n}")


def _order_mark(e: dict) -> str:
    """``[in force: O1] `` before an incident inside a protective order's span."""
    return f"[in force: {', '.join(e['orders'])}] " if e.get("orders") else ""


def _order_day(iso: str) -> str:
    import datetime as dt

    d = dt.date.fromisoformat(iso)
    return f"{d:%a} {d.day} {d:%b %Y}"


def _with_order_rows(data: dict) -> list[dict]:
    """The timeline's entries with a row where each protective order begins and ends."""
    spans = data.get("orders") or []
    if not spans:
        return data["entries"]
    marks = []
    for o in spans:
        marks.append((o["made"], 0, {"order_row": f"▶ Order {o['key']} made: {o['title']}", "day": o["made"]}))
        if o["until"]:
            ends = "discharged" if o["discharged"] == o["until"] else "ends (last day in force)"
            marks.append((o["until"], 2, {"order_row": f"■ Order {o['key']} {ends}", "day": o["until"]}))
    rows = [(e["occurred"][:10], 1, e) for e in data["entries"]] + marks
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


def _plain_timeline(stream, case_ref: str, data: dict) -> None:
    rows = []
    for e in _with_order_rows(data):
        if e.get("order_row"):
            rows.append([_order_day(e["day"]), "", _cell(e["order_row"]), "", ""])
            continue
        gap = "" if e["gap_days"] is None else str(e["gap_days"])
        summary = _cell(_order_mark(e) + e["summary"]) + (" (context only)" if e["below_threshold"] else "")
        rows.append([_when(e), gap, summary, _words(e["behaviours"]), _words(e["effects"])])
    write_plain(
        stream,
        ["When", "Gap (days)", "What happened", "Behaviour", "Effect"],
        rows,
        title=f"Timeline of {_cell(case_ref)}",
    )
    peak = max(data["months"].values()) or 1
    lines = ["", "Incidents per month"]
    for month, n in data["months"].items():
        bar = "\u2588" * max(1 if n else 0, round(20 * n / peak))
        lines.append(f"  {month}  {bar} {n}")
    stream.write("\n".join(lines) + "\n")
    stream.flush()
