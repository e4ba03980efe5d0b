"""``stalklog report``: an evidence summary for the police, or a diary to hand over."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stalklog.cli.console import say
from stalklog.cli.options import AsOfOption, CaseOption, JsonOption

SUFFIXES = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
}


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="evidence (a summary for the police), diary (for the victim and advocate) "
            "or labels (one printable label per exhibit).",
            metavar="evidence|diary|labels",
        ),
    ],
    case: CaseOption = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="pdf, html, md, csv or json (default: from the -o file's extension, else md).",
            metavar="FORMAT",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (readable by you only). Without it, text formats go to stdout; pdf needs -o.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file of that name.")] = False,
    offence: Annotated[
        str | None,
        typer.Option(
            "--offence",
            help="The offence whose points to prove the evidence summary sets out: its id or "
            "short name, e.g. pha-s2a or stalking (default: the strongest the check indicates; "
            "see them with stalklog words offences).",
        ),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option("--subject", help="Only the courses of conduct of this subject (person key or name)."),
    ] = None,
    course: Annotated[
        int | None,
        typer.Option("--course", help="Only this course of conduct (its number in stalklog check, from 1).", min=1),
    ] = None,
    marking: Annotated[
        str | None,
        typer.Option("--marking", help="The protective marking on every page (default OFFICIAL-SENSITIVE)."),
    ] = None,
    prepared_by: Annotated[
        str | None,
        typer.Option(
            "--prepared-by",
            help='Who prepared the summary, e.g. "PC 4521 Jane Walters" (default: left blank to fill in).',
        ),
    ] = None,
    redact: Annotated[
        list[str] | None,
        typer.Option(
            "--redact",
            help="For a disclosure copy, withhold: address, phone, "
            "email, names-of-witnesses, names, identifiers (comma-separated). "
            "The case file is not changed.",
        ),
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private", help="Include private notes (the document says so). Left out unless you ask."
        ),
    ] = False,
    as_of: AsOfOption = None,
    json_: JsonOption = False,
) -> None:
    """Make an evidence summary, a diary or exhibit labels: PDF, HTML, Markdown, CSV or JSON.

    The evidence summary carries the protective marking, case reference, URN and "Page x of y"
    on every page; it covers every course of conduct the check finds (or those chosen with
    --subject / --course), each with a headline, the occasions in date order, the points to
    prove mapped to occasions and exhibits, time limits and matters for review; then an
    exhibit schedule (MG12 order), a schedule of unused material (MG6C shape) and the
    integrity record. Not legal advice: "could support" means for review.

    Example: stalklog report --case C-2025-014 --kind evidence -o summary.pdf
    """
    from stalklog.reports import FORMATS, KINDS
    from stalklog.reports import redact as redaction

    if kind not in KINDS:
        raise typer.BadParameter(f"choose {', '.join(KINDS[:-1])} or {KINDS[-1]}.", param_hint="--kind")
    fmt = _format(fmt, output, json_, FORMATS)
    if fmt == "pdf" and output is None:
        raise typer.BadParameter("a PDF needs a file to go to: add -o FILE.pdf.", param_hint="--format")
    if output is not None and output.exists() and not force:
        from stalklog.errors import InvalidValue

        raise InvalidValue(
            f"--output: {output} already exists; it was left as it is.",
            hint="Choose another name, or replace it with --force.",
        )
    kinds = redaction.parse(redact)
    model = _build(
        case,
        kind,
        offence,
        include_private,
        as_of,
        subject=subject,
        course=course,
        marking=marking,
        prepared_by=prepared_by,
    )
    model = redaction.redact(model, kinds)
    document = _render(model, fmt)
    if fmt == "json" and isinstance(document, str):
        from stalklog.safetext import json_safe

        document = json_safe(document)  # C1 controls and bidi overrides as \\u escapes
    integrity = model.get("integrity") or {}
    if integrity and not integrity.get("verified", True):  # the document says so too; the person making it must see it
        say(
            f"Warning: the case file did not verify ({integrity.get('problem_count')} problem(s), first: "
            f"{(integrity.get('problems') or ['see stalklog verify'])[0]}). The document records this; "
            "run stalklog verify and ask for advice before relying on it."
        )
    if output is None:
        import sys

        assert isinstance(document, str)  # a PDF always goes to a file (checked above)
        sys.stdout.write(document)
        return
    from stalklog.store.private_files import write_private

    write_private(output, document)
    what = {"evidence": "evidence summary", "diary": "diary", "labels": "exhibit labels"}[kind]
    extras = [
        w
        for w, on in (("private notes included", include_private), (f"redacted: {', '.join(kinds)}", bool(kinds)))
        if on
    ]
    say(
        f"Wrote the {what} for case {model['case']['ref']} to {output} ({fmt}"
        + "".join(f"; {e}" for e in extras)
        + ")."
    )
    from stalklog.cli.console import open_case_file

    if getattr(open_case_file(), "encrypted", False):  # as export says of a zip
        say("Note: the document itself is not encrypted. Keep it somewhere only you (and who you give it to) can read.")


def _format(fmt: str | None, output: Path | None, json_: bool, formats: tuple[str, ...]) -> str:
    if json_:
        if fmt not in (None, "json"):
            raise typer.BadParameter("--json and --format disagree.", param_hint="--json")
        return "json"
    if fmt is None:
        return SUFFIXES.get(output.suffix.lower(), "md") if output is not None else "md"
    fmt = fmt.lower().lstrip(".")
    fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
    if fmt not in formats:
        raise typer.BadParameter(f"choose one of {', '.join(formats)}.", param_hint="--format")
    return fmt


def _render(model: dict, fmt: str) -> str | bytes:
    """The document; a PDF with a progress bar on stderr while it is typeset (at a terminal)."""
    from stalklog.reports import render

    if fmt != "pdf":
        return render(model, fmt)
    from stalklog.reports.documents import render_pdf

    return render_pdf(model, progress=_progress())


def _progress():
    """A rich progress bar on stderr, or None when stderr is not a terminal."""
    import sys

    if not sys.stderr.isatty():
        return None
    from stalklog.cli.progress import PdfProgress

    return PdfProgress()


def _build(
    case: str | None,
    kind: str,
    offence: str | None,
    include_private: bool,
    as_of: str | None,
    **options,
) -> dict:
    from stalklog.cli.console import as_of_date, open_case_file
    from stalklog.cli.walkthrough import resolve_case
    from stalklog.reports.contents import build_report

    db = open_case_file()
    ref = resolve_case(db, case, "report on")
    day = as_of_date(as_of)
    return build_report(db, ref, kind=kind, as_of=day, offence=offence, include_private=include_private, **options)
