"""Evidence: ``stalklog exhibit add|list|show|export``, ``stalklog verify``, and the zip
bundle behind ``stalklog export --format zip`` / ``stalklog import FILE.zip``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stalklog.cli.console import open_case_file, out, parse_when_arg, print_json, say, stdin_is_tty
from stalklog.cli.options import CaseOption, JsonOption

exhibit_app = typer.Typer(
    name="exhibit",
    help="Exhibits: files kept inside the case file with their SHA-256, reference and continuity.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

ByOpt = Annotated[
    str | None, typer.Option("--by", help="Who is doing this (adding, exporting), for the continuity record (a name).")
]


def register(app: typer.Typer) -> None:
    app.add_typer(exhibit_app, name="exhibit")
    app.command("verify")(verify)


# ---------------------------------------------------------------- exhibit add


@exhibit_app.command("add")
def add(
    incident: Annotated[str, typer.Argument(help="The incident's id (from stalklog list), or its key with --case.")],
    file: Annotated[Path, typer.Argument(help="The file: a screenshot, photo, recording, exported chat…")],
    case: CaseOption = None,
    producer: Annotated[
        str | None,
        typer.Option(
            "--producer",
            "-p",
            help='Who produced (found, captured) it: "Alex Doe" gives AD/1, AD/2… (default: the case\'s victim).',
        ),
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="What it is, without abbreviations.")
    ] = None,
    how: Annotated[
        str | None, typer.Option("--how", help='How it was obtained, e.g. "native export from the doorbell app".')
    ] = None,
    obtained: Annotated[
        str | None, typer.Option("--obtained", help='When it was obtained: "05/01/2025 19:00", "yesterday".')
    ] = None,
    ref: Annotated[
        str | None, typer.Option("--ref", help="Set the reference by hand, e.g. AD/4 or a part of one: AD/1/1.")
    ] = None,
    part_of: Annotated[
        str | None, typer.Option("--part-of", help="Make it the next part of this exhibit (AD/1 → AD/1/1).")
    ] = None,
    by: ByOpt = None,
    json_: JsonOption = False,
) -> None:
    """Keep a file as an exhibit of an incident, with its SHA-256, size and continuity.

    The file's bytes are stored inside the case file (encrypted with it when it is encrypted),
    so you can keep them safe with your backups. The original stays where it is: keep it too.

    Example: stalklog exhibit add 3 doorbell.mp4 --producer "Alex Doe" --description "Doorbell camera clip" --how "native export from the doorbell app" --obtained "05/01/2025 19:00"
    """
    from stalklog import evidence
    from stalklog.store.database import transaction

    content, digest = evidence.read_file(file)
    obtained_at = evidence.obtained_text(parse_when_arg(obtained, "--obtained")) if obtained else None
    db = open_case_file()
    if not json_ and stdin_is_tty() and not (ref or part_of):
        producer, by = _ask_who(db, incident, case, producer, by)
    with transaction(db):
        exhibit = evidence.add_exhibit(
            db,
            incident,
            content,
            file_name=file.name,
            case_ref=case,
            sha256=digest,
            producer=producer,
            description=description,
            how_obtained=how,
            obtained=obtained_at,
            ref=ref,
            part_of=part_of,
            by=by,
        )
    say(
        f"Added exhibit {exhibit['ref']} to incident {exhibit['incident']} ({exhibit['incident_key']}) "
        f"in case {exhibit['case']}: {exhibit['size']} bytes, SHA-256 {exhibit['sha256']}."
    )
    same = [
        e["ref"]
        for e in evidence.list_exhibits(db, case_ref=exhibit["case"])
        if e["sha256"] == exhibit["sha256"] and e["ref"] != exhibit["ref"]
    ]
    if same:  # kept (it may belong to two incidents), but a person adding it twice by mistake should know
        say(f"Note: the same file (same SHA-256) is already exhibit {', '.join(same)} in this case.")
    if json_:
        print_json(_public(exhibit))


# The continuity says which person is which: the producer obtained it, another may have added it.
_EVENT_WHO = {"obtained": "obtained (by its producer)", "added": "added to the case file"}


def _ask_who(db, incident: str, case: str | None, producer: str | None, by: str | None) -> tuple:
    """In a terminal: who produced (made or found) the file, and who is adding it: two people
    a continuity record keeps apart. Enter takes the case's victim, then the producer."""
    from rich.console import Console
    from rich.prompt import Prompt

    from stalklog import evidence, records

    console = Console(stderr=True, highlight=False, emoji=False)
    inc = records.get_incident(db, incident, case)
    default = evidence.default_producer(db, records.get_case(db, inc["case"])) or ""
    if producer is None:
        producer = Prompt.ask(
            "[bold]Who made or found this file?[/bold] (took the photo, saved the screenshot)",
            default=default or None,
            console=console,
        )
    if by is None:
        by = Prompt.ask("[bold]Who is adding it to the case file?[/bold]", default=producer or None, console=console)
    return producer, by


def _public(exhibit: dict) -> dict:
    return {k: v for k, v in exhibit.items() if k != "id"}


# ---------------------------------------------------------------- exhibit list / show


@exhibit_app.command("list")
def list_(
    case: CaseOption = None,
    incident: Annotated[
        str | None, typer.Option("--incident", "-i", help="Only this incident's exhibits (id, or key with --case).")
    ] = None,
    json_: JsonOption = False,
) -> None:
    """List exhibits: reference, incident, description, size and SHA-256.

    Example: stalklog exhibit list --case C-2025-001
    """
    from stalklog import evidence

    db = open_case_file()
    found = evidence.list_exhibits(db, case_ref=case, incident=incident)
    if json_:
        print_json([_public(e) for e in found])
        return
    if not found:
        say("No exhibits yet. Add one with: stalklog exhibit add INCIDENT FILE --producer NAME")
        return
    from rich.table import Table

    from stalklog.cli.markup import escape

    table = Table("Case", "Exhibit", "Incident", "Description", "Producer", "Size", "SHA-256")
    for e in found:
        table.add_row(
            escape(e["case"]),
            e["ref"],
            f"{e['incident']} ({e['incident_key']})",
            escape(e["description"] or ""),
            escape(e["producer"] or ""),
            _size(e["size"]) if e["has_file"] else "reference only",
            e["sha256"] or "",
        )
    out().print(table)


def _size(size: int | None) -> str:
    if size is None:
        return ""
    n = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


@exhibit_app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="The exhibit reference, e.g. AD/1.")],
    case: CaseOption = None,
    json_: JsonOption = False,
) -> None:
    """Show one exhibit and its continuity: obtained, added, imported, exported — by whom, when.

    Example: stalklog exhibit show AD/1 --case C-2025-001
    """
    from stalklog import evidence

    db = open_case_file()
    exhibit = evidence.get_exhibit(db, ref, case)
    if json_:
        print_json(_public(exhibit))
        return
    from rich.table import Table

    from stalklog.cli.markup import escape
    from stalklog.cli.render import field_table
    from stalklog.dates import moment_text

    console = out()
    console.print(
        f"[bold]Exhibit {escape(exhibit['ref'])}[/bold] — case {escape(exhibit['case'])}, "
        f"incident {exhibit['incident']} ({escape(exhibit['incident_key'])})"
    )
    rows = [
        ("Description", exhibit["description"]),
        ("Original name", exhibit["file_name"]),
        ("Size", f"{exhibit['size']} bytes" if exhibit["size"] is not None else None),
        ("SHA-256", exhibit["sha256"]),
        ("File held", "yes, inside the case file" if exhibit["has_file"] else "no (reference only)"),
        ("Produced by", f"{exhibit['producer']} (made or found it)" if exhibit["producer"] else "not recorded"),
        ("Added by", f"{exhibit['added_by']} (put it in the case file)" if exhibit["added_by"] else "not recorded"),
        ("Added", moment_text(exhibit["added_utc"])),
        ("Obtained", moment_text(exhibit["obtained"])),
        ("How obtained", exhibit["how_obtained"]),
    ]
    console.print(field_table(rows))
    cont = Table("When", "Event", "By", "Detail", title="Continuity")
    for ev in exhibit["continuity"]:
        # "at" may come from an imported zip's manifest, which checks only that it is text
        cont.add_row(
            escape(moment_text(ev["at"])),
            _EVENT_WHO.get(ev["event"], ev["event"]),
            escape(ev["by"] or "not recorded"),
            escape(ev["detail"] or ""),
        )
    console.print(cont)


# ---------------------------------------------------------------- exhibit export


@exhibit_app.command("export")
def export(
    ref: Annotated[str, typer.Argument(help="The exhibit reference, e.g. AD/1.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The file to write (or a folder: the original name is kept).")
    ],
    case: CaseOption = None,
    by: ByOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    json_: JsonOption = False,
) -> None:
    """Write an exhibit's original bytes back out, checked against its SHA-256.

    The file is readable only by you (mode 0600). The export is recorded in the exhibit's
    continuity.

    Example: stalklog exhibit export AD/1 -o doorbell.mp4 --by "PC Jo Bloggs"
    """
    from stalklog import evidence
    from stalklog.store.database import transaction

    db = open_case_file()
    with transaction(db):
        exhibit = evidence.export_exhibit(db, ref, output, case_ref=case, by=by, overwrite=force)
    say(
        f"Wrote exhibit {exhibit['ref']} to {exhibit['output']} ({exhibit['size']} bytes); "
        f"SHA-256 {exhibit['sha256']} checked."
    )
    if json_:
        print_json(_public(exhibit))


# ---------------------------------------------------------------- verify


def verify(
    case: CaseOption = None,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            metavar="SHA",
            help="A ledger head written down elsewhere (an email, a statement): the chain must pass through it.",
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Check that nothing in the case file was changed outside stalklog.

    Checks every page of the file, its schema (no planted trigger, view or index), the
    ledger's hash chain, every record's hash, every exhibit's SHA-256, the search index,
    and that the chain still passes through the head kept on this computer after the last
    write (and through --head SHA, a head kept somewhere else). Exit status 0 when intact,
    3 when anything does not match (the first problem is named). The ledger head printed at
    the end lets someone else check a copy against this one (docs/integrity.md).

    Example: stalklog verify --case C-2025-001
    """
    from stalklog import records
    from stalklog.errors import IntegrityError
    from stalklog.law.wording import plural
    from stalklog.safetext import printable
    from stalklog.store import integrity
    from stalklog.store.database import DamagedFile

    try:
        db = open_case_file(check_schema=False)
    except DamagedFile as e:
        sys.stdout.write(printable(f"NOT intact: {e.message}") + "\n")
        raise IntegrityError(
            "The case file is damaged: SQLite cannot read it all.",
            hint="Keep a copy of it exactly as it is; restore a backup with: stalklog db restore BACKUP",
        ) from None
    case_id = records.get_case(db, case)["id"] if case else None
    from stalklog.cli.progress import progress_bar
    from stalklog.store import ledger

    with progress_bar("Verifying", ledger.record_count(db) if case_id is None else None, unit="records") as bar:
        report = integrity.check(db, case_id, head=head, progress=bar)
    last = _head_seq(db)
    anchor = report.anchor
    if json_:
        print_json(
            {
                "ok": report.ok,
                "case": case,
                "head": report.head,
                "head_seq": last,
                "entries": report.entries,
                "records": report.records,
                "exhibits_checked": report.exhibits_checked,
                "anchor": None
                if anchor is None
                else {"kept": anchor.anchored, "seq": anchor.seq, "head": anchor.head, "note": anchor.note},
                "problems": [p.as_dict() for p in report.problems],
            }
        )
    else:
        scope = f" (case {case})" if case else ""
        counts = (
            f"{plural(report.records, 'record')}, {plural(report.entries, 'ledger entry', 'ledger entries')}, "
            f"{plural(report.exhibits_checked, 'exhibit file')} checked"
        )
        if report.ok:
            lines = [f"Intact{scope}: {counts}. Ledger head: {report.head}"]
        else:
            lines = [f"NOT intact{scope}: {report.problems[0].text}"]
            lines += [f"  also: {p.text}" for p in report.problems[1:]]
            lines.append(f"{counts[0].upper()}{counts[1:]}. Ledger head: {report.head}")
        sys.stdout.write(printable("\n".join(lines)) + "\n")
        if report.ok and anchor is not None and not anchor.anchored and report.entries:
            say(f"Note: {anchor.note}; write the ledger head down somewhere safe (docs/integrity.md).")
    if not report.ok:
        raise IntegrityError(
            "Something in the case file no longer matches what stalklog wrote: "
            f"{plural(len(report.problems), 'problem')} found.",
            hint="Keep a copy of the file exactly as it is now and ask for advice before changing it; "
            "nothing was changed by this check.",
        )


def _head_seq(db) -> int:
    from stalklog.store.database import driver_errors

    try:
        row = db.execute("SELECT max(seq) FROM ledger").fetchone()
    except driver_errors():
        return 0
    return row[0] or 0
