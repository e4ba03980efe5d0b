"""``stalklog import`` and ``stalklog export``: the case bundle (JSON or zip) in and out, and a
CSV diary in. The core (``stalklog.interchange``) chooses the format, checks and writes; this
module parses and renders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stalklog.cli.console import open_case_file, out, print_json, say
from stalklog.cli.options import CaseOption, JsonOption, RequiredCaseOption


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)


def import_(
    file: Annotated[
        Path, typer.Argument(help="A case bundle (.json), a zip bundle, or a spreadsheet diary (.csv).", exists=False)
    ],
    as_ref: Annotated[str | None, typer.Option("--as", help="Import under this case reference instead.")] = None,
    case: CaseOption = None,
    map_: Annotated[
        str | None, typer.Option("--map", help="For a CSV diary: field=Column,… (e.g. summary=What happened).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and preview only; write nothing.")] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="For a CSV diary: import the good rows, report the bad.")
    ] = False,
    expect_manifest: Annotated[
        str | None,
        typer.Option(
            "--expect-manifest",
            metavar="SHA256",
            help="For a zip bundle: the manifest SHA-256 the sender gave you; any other bundle is refused.",
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Import a case bundle (JSON or zip) as a new case, or a CSV diary into a case.

    A bundle with any error is rejected whole, naming the field and incident; nothing is written.

    Example: stalklog import C-2025-014.json
    """
    from stalklog import interchange
    from stalklog.cli.console import us_dates
    from stalklog.cli.progress import THRESHOLD, progress_bar

    big = file.is_file() and file.stat().st_size > THRESHOLD * 500  # about 500 bytes an incident
    with progress_bar("Importing", None if big and not dry_run else 0) as bar:
        done = interchange.import_file(
            file,
            open_case_file,
            as_ref=as_ref,
            case=case,
            mapping=map_,
            us_dates=us_dates,
            dry_run=dry_run,
            skip_bad=skip_bad,
            expect_manifest=expect_manifest,
            progress=bar,
        )
    if done.format == "csv":
        _report_csv(done, json_)
        return
    if done.format == "zip" and not json_:
        result = done.result
        say(
            f"Every file matched its SHA-256 in the manifest ({_plural(result['exhibit_files'], 'exhibit file')}). "
            f"Manifest SHA-256: {result['manifest_sha256']}"
        )
        if result.get("ledger_head_checked"):
            head = result["sender_ledger_head"]
            say(
                f"The sender's ledger head {head['hash']} (entry {head['seq']}) follows from the bundle's content: "
                f"{_plural(result['records_checked_against_ledger'], 'record')} checked against the ledger entries "
                "it carries."
            )
        if expect_manifest is not None:
            say("It is the manifest SHA-256 you expected: this is the bundle the sender made.")
        else:
            say(
                "This shows the bundle is whole, not who made it: anyone can change a bundle and write a new "
                "manifest. Ask the sender to confirm that their stalklog export printed this manifest SHA-256 "
                f"(by phone or in person, not by replying to the message that brought it): {result['manifest_sha256']}"
                " — or import with --expect-manifest SHA256."
            )
    _report_import(done.result, json_, dry_run)


def _report_import(result: dict, json_: bool, dry_run: bool) -> None:
    for w in result.get("warnings", []):
        say(f"Warning: {w}")
    if json_:
        print_json(result)
    elif dry_run:
        say(
            f"Dry run: case {result['case']} with {_plural(result['incidents'], 'incident')} would be imported. "
            "Nothing written."
        )
    else:
        say(f"Imported case {result['case']}: {_plural(result['incidents'], 'incident')}.")


def _report_csv(done, json_: bool) -> None:
    """``stalklog import diary.csv``: the preview of every row, then what was written."""
    preview, case_ref = done.result, done.case
    if json_:
        print_json(preview)
    else:
        _render_csv_preview(out(), preview)
    for note in preview["notes"]:
        say(f"Note: {note}")
    if done.problem is not None:
        raise done.problem
    skipped = [r["row"] for r in preview["rows"] if not r["ok"]]
    skipped_text = f" Skipped rows: {', '.join(map(str, skipped))}." if skipped else ""
    if done.dry_run:
        say(
            f"Dry run: {preview['good']} row{'s' if preview['good'] != 1 else ''} would be recorded in case "
            f"{case_ref}.{skipped_text} Nothing was written."
        )
    else:
        keys = [w["key"] for w in preview["written"]]
        span = f" ({keys[0]} to {keys[-1]})" if len(keys) > 1 else (f" ({keys[0]})" if keys else "")
        n = len(keys)
        say(
            f"Imported {n} incident{'s' if n != 1 else ''} into case {case_ref}{span}."
            f"{skipped_text} Check them with: stalklog timeline --case {case_ref}"
        )


def _render_csv_preview(console, preview: dict) -> None:
    from rich.table import Table

    from stalklog.cli.markup import escape

    mapping = Table(
        "Column",
        "Becomes",
        title=f"Reading {escape(preview['file'] or 'the CSV')} "
        f"({preview['delimiter']}-separated, {preview['encoding']})",
        title_justify="left",
    )
    for m in preview["mapping"]:
        mapping.add_row(escape(m["column"]), escape(m["becomes"]))
    for h in preview["unused_columns"]:
        mapping.add_row(escape(h), "[dim]not used (map it with --map field=Column)[/dim]")
    console.print(mapping)
    rows = Table(
        "Row", "Date as typed", "Read as", "What happened", "Effects", "Problem", title="Rows", title_justify="left"
    )
    for r in preview["rows"]:
        read = escape(r["when_text"] or "")
        if r["ambiguous"]:
            read += f"\n[yellow]{escape(r['ambiguous'])}[/yellow]"
        summary = (r["fields"] or {}).get("summary", "").split("\n")[0]
        effects = ", ".join(f"{escape(w)} → {e}" for w, e in r["effects_from"].items())
        problem = "[red]" + escape("; ".join(r["errors"])) + "[/red]" if r["errors"] else "[green]ok[/green]"
        rows.add_row(str(r["row"]), escape(r["as_typed"]), read, escape(summary[:60]), effects, problem)
    console.print(rows)
    blank = f", {preview['blank']} blank skipped" if preview["blank"] else ""
    console.print(
        f"{preview['good']} good, {preview['bad']} with problems{blank}. Effects are set only from "
        "the clear words shown; everything written under 'how it made me feel' is kept with what happened."
    )


def export(
    case: RequiredCaseOption,
    format_: Annotated[
        str,
        typer.Option("--format", "-f", help="json (the case bundle) or zip (bundle, exhibit files and a manifest)."),
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout for json).")
    ] = None,
    include_private: Annotated[
        bool, typer.Option("--include-private", help="Include private notes (left out by default).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file of that name.")] = False,
) -> None:
    """Export a case as a case bundle.

    Private notes are left out unless you ask for them by name with --include-private.

    Example: stalklog export --case C-2025-014 --format json -o C-2025-014.json
    """
    from stalklog.errors import InvalidValue

    if format_ not in ("json", "zip"):
        raise typer.BadParameter("choose json or zip.", param_hint="--format")
    if output is not None and not output.parent.is_dir():
        raise InvalidValue(f"--output: the folder {output.parent} does not exist.", hint="Nothing was written.")
    if output is not None and output.exists() and not force:
        raise InvalidValue(
            f"--output: {output} already exists; it was left as it is.",
            hint="Choose another name, or replace it with --force.",
        )
    db = open_case_file()
    if format_ == "zip":
        if output is None:
            raise InvalidValue("--output: a zip bundle needs a file name, e.g. -o case.zip.")
        _export_zip(db, case, output, include_private=include_private)
        return
    from stalklog.interchange import json_bundle as bundle

    # Written as it is read, one incident at a time: memory does not grow with the case.
    if output is None:
        import sys

        from stalklog.safetext import JsonSafeWriter

        bundle.write_bundle(db, case, JsonSafeWriter(sys.stdout), include_private=include_private)
        sys.stdout.flush()
    else:
        import io

        from stalklog import records
        from stalklog.cli.progress import progress_bar
        from stalklog.store.private_files import private_file

        total = next((c["incidents"] for c in records.list_cases(db) if c["ref"] == case), 0)
        with private_file(output) as raw, progress_bar("Exporting", total) as bar:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
            n = bundle.write_bundle(db, case, text, include_private=include_private, progress=bar)
            text.flush()
            text.detach()  # private_file closes the file itself (after fsync)
        say(
            f"Exported case {case} ({_plural(n, 'incident')}) to {output}"
            + (" (private notes included)." if include_private else " (private notes left out).")
        )
        if getattr(db, "encrypted", False):
            say(
                "Note: the exported file itself is not encrypted. Keep it somewhere only you (and who you give it to) "
                "can read."
            )


def _plural(n: int, noun: str) -> str:
    from stalklog.law.wording import plural

    return plural(n, noun)


# ---------------------------------------------------------------- zip bundles


def _export_zip(db, case_ref: str, output: Path, include_private: bool = False) -> None:
    """``stalklog export --format zip``: the bundle, every exhibit file and a manifest."""
    from stalklog.interchange import zip_bundle
    from stalklog.law.wording import plural

    result = zip_bundle.write_zip(db, case_ref, output, include_private=include_private)
    if not result["source_verified"]:
        say(
            f"Warning: this case file does not verify ({result['source_problems'][0]}). "
            "The bundle says so; run stalklog verify."
        )
    say(
        f"Exported case {case_ref} ({plural(result['incidents'], 'incident')}, {plural(result['exhibit_files'], 'exhibit file')}) "
        f"to {result['output']}" + ("." if include_private else " (private notes left out).")
    )
    say(
        f"Ledger head: {result['ledger_head']['hash']} (entry {result['ledger_head']['seq']}). "
        f"Manifest SHA-256: {result['manifest_sha256']}"
    )
    if getattr(db, "encrypted", False):
        say("Note: the zip itself is not encrypted. Keep it somewhere only you (and who you give it to) can read.")
