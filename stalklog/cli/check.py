"""``stalklog check`` and ``stalklog law``: the course-of-conduct check from the CLI."""

from __future__ import annotations

from typing import Annotated

import typer

from stalklog.cli.console import as_of_date, open_case_file, out, print_json, say
from stalklog.cli.options import AsOfOption, CaseOption, JsonOption, JurisdictionArgument, JurisdictionOption, chosen


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("law")(law)


def check_one(db, case_ref: str, as_of, jurisdiction: str | None = None) -> tuple[dict, dict]:
    """The check-v1 document for one case, and the bundle it was made from."""
    from stalklog.interchange.json_bundle import export_bundle
    from stalklog.law import check_case

    bundle = export_bundle(db, case_ref)
    return check_case(bundle, as_of, jurisdiction), bundle


def check(
    case: CaseOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Check every open case; one line per course, most urgent first.")
    ] = False,
    as_of: AsOfOption = None,
    jurisdiction: JurisdictionOption = None,
    sources: Annotated[bool, typer.Option("--sources", help="List the statutes and cases behind each result.")] = False,
    json_: JsonOption = False,
) -> None:
    """Check whether a case's incidents could make a course of conduct, which offences the
    recorded facts could support, and how long is left to charge. Without --case, the only
    open case; without --jurisdiction, the case's own.

    Not legal advice: the results are for review by the police, a prosecutor or a lawyer.

    Example: stalklog check --case C-2025-014 --as-of 15/08/2025
    """
    if all_ and case:
        raise typer.BadParameter("give --case REF, or --all for every open case.", param_hint="--case")
    # The check reads whole cases into many small objects that live until the command ends:
    # the cyclic garbage collector would walk them again and again (half the time of
    # check --all over 100,000 incidents). Reference counting still frees what is done with;
    # the collector is back on when the command ends (for anyone running it in-process).
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        _check(case, all_, as_of, chosen(jurisdiction), json_, sources)
    finally:
        if collecting:
            gc.enable()


def _check(
    case: str | None, all_: bool, as_of: str | None, jurisdiction: str | None, json_: bool, sources: bool = False
) -> None:
    day = as_of_date(as_of)  # arguments first: a mistyped date never costs a passphrase
    db = open_case_file()
    if not all_ and not case:  # like add and report: the only open case
        from stalklog.cli.walkthrough import resolve_case

        case = resolve_case(db, None, "check")
    if all_:
        _check_all(db, day, jurisdiction, json_)
        return
    assert case is not None  # resolve_case chose one or refused
    doc, bundle = check_one(db, case, day, jurisdiction)
    if json_:
        print_json(doc)
        return
    from stalklog.cli.check_view import render_check

    render_check(
        doc,
        out(),
        people=people_names(bundle),
        incidents={i["key"]: i for i in bundle["incidents"]},
        you=diary_owner(db, case, bundle),
        sources=sources,
    )


def people_names(bundle: dict) -> dict[str, str]:
    """A case's people's names by key (the key where no name is recorded)."""
    return {p["key"]: p.get("name") or p["key"] for p in bundle["people"]}


def diary_owner(db, case_ref: str, bundle: dict) -> str | None:
    """The key of the victim who keeps this case file as her own diary (``case set REF
    --own-diary``): the case's first victim. None for a case kept by someone else."""
    from stalklog import records

    if not records.get_case(db, case_ref).get("own_diary"):
        return None
    return next((p["key"] for p in bundle["people"] if p["role"] == "victim"), None)


def _check_all(db, day, jurisdiction: str | None, json_: bool) -> None:
    """Case by case: each case is read, checked and written out (or made into its table
    rows) before the next is read, so memory depends on the largest case, not on all. A
    large caseload is shared between worker processes (stalklog.desk.parallel), its cases
    written in the same order."""
    from stalklog import records
    from stalklog.cli.console import write_json_texts
    from stalklog.cli.progress import progress_bar
    from stalklog.desk.caseload import merged_rows
    from stalklog.desk.parallel import CaseWorkers

    cases = records.list_cases(db, status="open")
    people: dict[str, dict[str, str]] = {}  # each case's names, for the rows (not the documents)
    # the workers (for a large caseload) start before the progress bar's thread
    with CaseWorkers(db, cases) as workers, progress_bar("Checking cases", sum(c["incidents"] for c in cases)) as bar:
        if json_:
            write_json_texts(workers.map(checked_json, day, jurisdiction, progress=bar))
            return
        if not cases:
            say("No open cases to check.")
            return
        found: list[dict] = []
        for ref, rows, names in workers.map(checked_rows, day, jurisdiction, progress=bar):
            people[ref] = names
            found += rows
        rows = merged_rows(found)  # caseload_rows of every document, in its order
    from stalklog.cli.check_view import render_caseload

    render_caseload(rows, out(), people)


def checked_json(db, case: dict, day, jurisdiction: str | None) -> str:
    """One case's check document as ``check --all --json`` writes it in the list."""
    from stalklog.cli.console import json_text
    from stalklog.safetext import json_safe

    return json_safe(json_text(check_one(db, case["ref"], day, jurisdiction)[0], "  "))


def checked_rows(db, case: dict, day, jurisdiction: str | None) -> tuple[str, list[dict], dict[str, str]]:
    """One case's rows of the caseload table (``caseload_rows``) and its people's names."""
    from stalklog.law import caseload_rows

    doc, bundle = check_one(db, case["ref"], day, jurisdiction)
    return case["ref"], caseload_rows([doc]), people_names(bundle)


def law(
    jurisdiction: JurisdictionArgument = None,
    sources: Annotated[
        bool,
        typer.Option(
            "--sources", help="List the points and citations the research could not confirm (needs checking)."
        ),
    ] = False,
    json_: JsonOption = False,
) -> None:
    """List the offences the check knows: requirements, time limits, maximum penalties and citations.

    Example: stalklog law scotland
    """
    from stalklog.law import catalogue, uncertain_sources

    if sources:
        points = uncertain_sources(chosen(jurisdiction))
        if json_:
            print_json(points)
            return
        from stalklog.cli.check_view import render_sources

        render_sources(points, out())
        return
    entries = catalogue(chosen(jurisdiction))
    if json_:
        print_json(entries)
        return
    from stalklog.cli.check_view import render_catalogue

    render_catalogue(entries, out())
