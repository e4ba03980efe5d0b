"""``stalklog import`` and ``stalklog export``: the case bundle in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stalklog.cli.console import open_case_file, print_json, say
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
    json_: JsonOption = False,
) -> None:
    """Import a case bundle (JSON or zip) as a new case, or a CSV diary into a case.

    A bundle with any error is rejected whole, naming the field and incident; nothing is written.

    Example: stalklog import C-2025-014.json
    """
    from stalklog.errors import BundleError

    if not file.exists():
        raise BundleError(f"{file}: no such file.")
    if file.is_dir():
        raise BundleError(f"{file} is a folder, not a bundle.")
    suffix = file.suffix.lower()
    if suffix == ".csv":
        from stalklog.cli.desk import import_csv

        import_csv(file, case=case, mapping=map_, dry_run=dry_run, skip_bad=skip_bad, json_=json_)
        return
    if suffix == ".zip":
        from stalklog.cli.evidence import import_zip

        import_zip(file, as_ref=as_ref, dry_run=dry_run, json_=json_)
        return
    _import_json(file, as_ref=as_ref, dry_run=dry_run, json_=json_)


def _import_json(file: Path, *, as_ref, dry_run: bool, json_: bool) -> None:
    import gc

    from stalklog.interchange import json_bundle as bundle
    from stalklog.store.database import transaction

    # A parsed bundle is a tree of a great many small dicts and lists with no cycles: the
    # cyclic garbage collector would walk all of them again and again while they are
    # made (it tripled the time of a 100,000-incident import). Reference counting frees
    # everything here; the collector is back on before the result is reported.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Read a piece at a time: the head now, each incident as it is checked and written
        data = bundle.read_bundle(file)
        if dry_run:
            warnings = bundle.check(data)
            result = {
                "case": as_ref or data["case"]["ref"],
                "incidents": len(data["incidents"]),
                "dry_run": True,
                "warnings": warnings,
            }
        else:
            db = open_case_file()
            with transaction(db):
                # consume: each incident is let go once written, so memory falls as the import goes
                result = bundle.import_bundle(db, data, as_ref=as_ref, consume=True)
    finally:
        if collecting:
            gc.enable()
    _report_import(result, json_, dry_run)


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
    db = open_case_file()
    if format_ == "zip":
        if output is None:
            raise InvalidValue("--output: a zip bundle needs a file name, e.g. -o case.zip.")
        from stalklog.cli.evidence import export_zip

        export_zip(db, case, output, include_private=include_private)
        return
    from stalklog.interchange import json_bundle as bundle

    # Written as it is read, one incident at a time: memory does not grow with the case.
    if output is None:
        import sys

        bundle.write_bundle(db, case, sys.stdout, include_private=include_private)
        sys.stdout.flush()
    else:
        import io

        from stalklog.store.private_files import private_file

        with private_file(output) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
            n = bundle.write_bundle(db, case, text, include_private=include_private)
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
