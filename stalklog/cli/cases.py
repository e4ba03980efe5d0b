"""``stalklog case …`` and ``stalklog person …``."""

from __future__ import annotations

from typing import Annotated

import typer

from stalklog.cli.console import open_case_file, out, print_json, say, split_words
from stalklog.cli.options import CaseArgument, JsonOption, Jurisdiction, JurisdictionOption, RequiredCaseOption, chosen

case_app = typer.Typer(no_args_is_help=True, help="Create, list, show and close cases.")
person_app = typer.Typer(no_args_is_help=True, help="Add the people of a case (victim, subject, witnesses).")
impact_app = typer.Typer(no_args_is_help=True, help="Record day-to-day impacts that belong to the case as a whole.")


def register(app: typer.Typer) -> None:
    app.add_typer(case_app, name="case")
    app.add_typer(person_app, name="person")
    app.add_typer(impact_app, name="impact")


@case_app.command("new")
def case_new(
    ref: Annotated[str, typer.Argument(help="A reference for the case, unique in this file (e.g. C-2025-001).")],
    title: Annotated[str | None, typer.Option("--title", "-t", help="A short title.")] = None,
    jurisdiction: JurisdictionOption = Jurisdiction("england-wales"),
    context: Annotated[
        list[str] | None,
        typer.Option(
            "--context",
            help="Relationship context: volatile_mutual_relationship, "
            "reconciled_between_incidents, intent_to_persuade, racial_or_religious_hostility.",
        ),
    ] = None,
    opened: Annotated[str | None, typer.Option("--opened", help="When the case was opened (default today).")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free-text notes about the case.")] = None,
    json_: JsonOption = False,
) -> None:
    """Create a case.

    Example: stalklog case new C-2025-001 --title "Messages from former partner"
    """
    from stalklog import records
    from stalklog.cli.console import parse_date_arg
    from stalklog.store.database import transaction

    opened = parse_date_arg(opened, "--opened")  # arguments first: a mistyped date never costs a passphrase
    db = open_case_file()
    with transaction(db):
        case = records.create_case(
            db,
            ref,
            title=title,
            jurisdiction=chosen(jurisdiction) or "england-wales",
            opened=opened,
            context=split_words(context),
            notes=notes,
        )
    if json_:
        print_json(case)
    else:
        say(
            f"Case {case['ref']} created ({case['jurisdiction']}). Next: add the people with "
            f"stalklog person add --case {case['ref']} --role victim --name …"
        )


@case_app.command("list")
def case_list(
    status: Annotated[str | None, typer.Option("--status", help="open or closed (default: all).")] = None,
    json_: JsonOption = False,
) -> None:
    """List the cases in the case file.

    Example: stalklog case list --status open
    """
    from stalklog import records

    if status is not None and status not in ("open", "closed"):
        raise typer.BadParameter("choose open or closed.", param_hint="--status")
    db = open_case_file()
    cases = records.list_cases(db, status=status)
    if json_:
        print_json(cases)
        return
    if not cases:
        say("No cases yet. Create one with: stalklog case new REF --title …")
        return
    from rich.table import Table

    from stalklog.cli.markup import escape

    table = Table("Ref", "Title", "Jurisdiction", "Status", "Incidents", "Last incident")
    for c in cases:
        table.add_row(
            escape(c["ref"]),
            escape(c["title"] or ""),
            c["jurisdiction"],
            c["status"],
            str(c["incidents"]),
            (c["last_incident"] or "")[:10],
        )
    out().print(table)


@case_app.command("show")
def case_show(ref: CaseArgument, json_: JsonOption = False) -> None:
    """Show a case: its people, its incidents in brief, and its status.

    Example: stalklog case show C-2025-001
    """
    from stalklog import records

    db = open_case_file()
    case = records.get_case(db, ref)
    people = records.people(db, case["id"])
    incidents = records.list_incidents(db, case_ref=ref, exhibits=False)
    impacts = records.case_impacts(db, case["id"])
    data = {
        **case,
        "people": people,
        "incident_count": len(incidents),
        "first_incident": incidents[0]["occurred"] if incidents else None,
        "last_incident": incidents[-1]["occurred"] if incidents else None,
        "impacts": impacts,
        "orders": _case_orders(db, case["ref"]),
    }
    extra = _case_show_extras(db, case, incidents)
    data.update(extra)
    if json_:
        print_json(data)
        return
    from stalklog.cli.render import render_case

    console = out()
    render_case(console, data)
    if extra:
        from stalklog.cli.desk import render_case_extras

        render_case_extras(console, data, incidents={i["key"]: i for i in incidents})


def _case_orders(db, ref: str) -> list[dict]:
    """The case's protective orders, in force first (fewest days left first)."""
    from stalklog import orders
    from stalklog.cli.orders import sorted_orders, with_status

    return sorted_orders([with_status(o) for o in orders.list_orders(db, ref)])


def _case_show_extras(db, case, incidents: list[dict]) -> dict:
    """Sections other features add to ``case show`` (patterns, screening)."""
    from stalklog.desk.caseload import case_show_extras

    return case_show_extras(db, case, incidents)


@case_app.command("close")
def case_close(
    ref: CaseArgument,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the case is closed.")] = None,
    json_: JsonOption = False,
) -> None:
    """Close a case. Nothing is deleted; reopen it with: stalklog case reopen REF.

    Example: stalklog case close C-2025-001 --reason "Handed to the police"
    """
    from stalklog import records
    from stalklog.store.database import transaction

    db = open_case_file()
    with transaction(db):
        case = records.close_case(db, ref, reason)
    print_json(case) if json_ else say(f"Case {ref} closed. Its records are kept.")


@case_app.command("set")
def case_set(
    ref: Annotated[str, typer.Argument(help="The case reference.")],
    urn: Annotated[
        str | None, typer.Option("--urn", help="The police Unique Reference Number (on every page of the summary).")
    ] = None,
    crime_ref: Annotated[str | None, typer.Option("--crime-ref", help="The police crime reference.")] = None,
    oic: Annotated[
        str | None,
        typer.Option(
            "--oic", help='The officer in the case: rank, collar number and name, e.g. "PC 4521 Jane Walters".'
        ),
    ] = None,
    own_diary: Annotated[
        bool | None,
        typer.Option(
            "--own-diary/--not-own-diary",
            help="Whether the victim keeps this case as her own diary: the check and the case's "
            'screens then call her "you" (documents and bundles always name her).',
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Set a case's police details, shown in the evidence summary's running head, and whether
    the case is the victim's own diary.

    An empty value ("") clears a detail. The change is recorded in the ledger.

    Example: stalklog case set C-2025-001 --urn 01YE0123425 --crime-ref CR/0456/25 --oic "PC 4521 Jane Walters"

    Example: stalklog case set C-2025-001 --own-diary
    """
    from stalklog import records
    from stalklog.store.database import transaction

    db = open_case_file()
    with transaction(db):
        case = records.set_case_details(db, ref, own_diary=own_diary, urn=urn, crime_ref=crime_ref, oic=oic)
    if json_:
        print_json(case)
        return
    shown = [
        f"{label} {case[key]}"
        for key, label in (("urn", "URN"), ("crime_ref", "crime reference"), ("oic", "officer in the case"))
        if case[key]
    ]
    if own_diary is not None:
        shown.append(
            'the victim\'s own diary (she is called "you")' if own_diary else "kept by someone other than the victim"
        )
    say(f"Case {ref}: " + ("; ".join(shown) if shown else "no police details set") + ".")


@case_app.command("reopen")
def case_reopen(ref: CaseArgument, json_: JsonOption = False) -> None:
    """Reopen a closed case.

    Example: stalklog case reopen C-2025-001
    """
    from stalklog import records
    from stalklog.store.database import transaction

    db = open_case_file()
    with transaction(db):
        case = records.reopen_case(db, ref)
    print_json(case) if json_ else say(f"Case {ref} reopened.")


@person_app.command("add")
def person_add(
    case: RequiredCaseOption,
    role: Annotated[str, typer.Option("--role", help="victim, subject, witness or other.")],
    name: Annotated[str | None, typer.Option("--name", help="The person's name (or a description).")] = None,
    relationship: Annotated[
        str | None,
        typer.Option(
            "--relationship",
            help="The subject's relationship to the victim: partner, ex-partner, spouse, "
            "ex-spouse, family, acquaintance, colleague, neighbour, stranger, unknown.",
        ),
    ] = None,
    key: Annotated[str | None, typer.Option("--key", help="A short key (default: V, P, W1…).")] = None,
    lived_together_until: Annotated[
        str | None,
        typer.Option("--lived-together-until", help="For a former partner: when you stopped living together."),
    ] = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--identifier", help="A phone number, handle or email they use (repeatable).")
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Add a person to a case.

    Example: stalklog person add --case C-2025-001 --role subject --name "Sam Roe" --relationship ex-partner
    """
    from stalklog import records
    from stalklog.cli.console import parse_date_arg
    from stalklog.store.database import transaction

    lived_together_until = parse_date_arg(lived_together_until, "--lived-together-until")
    db = open_case_file()
    with transaction(db):
        person = records.add_person(
            db,
            case,
            role=role,
            name=name,
            relationship=relationship,
            key=key,
            lived_together_until=lived_together_until,
            identifiers=identifier or [],
        )
    if json_:
        print_json(person)
    else:
        say(
            f"Added {person['role']} {person['key']}"
            + (f" ({person['name']})" if person["name"] else "")
            + f" to case {case}."
        )


@person_app.command("edit")
def person_edit(
    key: Annotated[str, typer.Argument(help="The person's key (from stalklog person list), e.g. V or P.")],
    case: RequiredCaseOption,
    reason: Annotated[str, typer.Option("--reason", help="Why the details are being changed.")],
    name: Annotated[str | None, typer.Option("--name", help="The name to use from now on.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="victim, subject, witness or other.")] = None,
    relationship: Annotated[
        str | None, typer.Option("--relationship", help="The subject's relationship to the victim.")
    ] = None,
    lived_together_until: Annotated[
        str | None,
        typer.Option("--lived-together-until", help="For a former partner: when you stopped living together."),
    ] = None,
    identifier: Annotated[
        list[str] | None,
        typer.Option("--identifier", help="The phone numbers, handles or emails they use (replaces the list)."),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who is making the change (a name).")] = None,
    json_: JsonOption = False,
) -> None:
    """Rename or correct a person. The old value, the new one, who, when and why are kept.

    Example: stalklog person edit V --case C-2025-001 --name "Alex Doe" --reason "was entered as Me"
    """
    from stalklog import records
    from stalklog.cli.console import parse_date_arg
    from stalklog.store.database import transaction

    changes: dict = {}
    for field, value in (("name", name), ("role", role), ("relationship", relationship)):
        if value is not None:
            changes[field] = value.strip()
    if lived_together_until is not None:
        changes["lived_together_until"] = parse_date_arg(lived_together_until, "--lived-together-until")
    if identifier is not None:
        changes["identifiers"] = [i.strip() for i in identifier if i.strip()]
    if not changes:
        raise typer.BadParameter(
            "say what to change: --name, --role, --relationship, --lived-together-until or --identifier.",
            param_hint="--name",
        )
    db = open_case_file()
    with transaction(db):
        person = records.edit_person(db, case, key, changes, reason=reason, by=by)
    if json_:
        print_json(person)
    else:
        say(f"Person {key} in case {case} changed ({', '.join(changes)}); the earlier values are kept in its history.")


@person_app.command("list")
def person_list(case: RequiredCaseOption, json_: JsonOption = False) -> None:
    """List the people of a case.

    Example: stalklog person list --case C-2025-001
    """
    from stalklog import records

    db = open_case_file()
    people = records.people(db, records.get_case(db, case)["id"])
    if json_:
        print_json(people)
        return
    from rich.table import Table

    from stalklog.cli.markup import escape

    table = Table("Key", "Role", "Name", "Relationship", "Identifiers")
    for p in people:
        table.add_row(
            escape(p["key"]),
            p["role"],
            escape(p["name"] or ""),
            p["relationship"] or "",
            escape(", ".join(p["identifiers"])),
        )
    out().print(table)


@impact_app.command("add")
def impact_add(
    case: RequiredCaseOption,
    kind: Annotated[str, typer.Argument(help="changed_routine, moved_home, time_off_work, extra_security, …")],
    date: Annotated[str | None, typer.Option("--date", help="When it happened (a date, or a month: 2025-03).")] = None,
    detail: Annotated[str | None, typer.Option("--detail", help="What changed, in your words.")] = None,
    json_: JsonOption = False,
) -> None:
    """Record a change to daily life that belongs to the case as a whole.

    Example: stalklog impact add --case C-2025-001 moved_home --date 2025-03 --detail "moved to a friend's flat"
    """
    import re

    from stalklog import records
    from stalklog.cli.console import parse_date_arg
    from stalklog.store.database import transaction

    if date and not re.fullmatch(r"\d{4}-\d{2}", date):
        date = parse_date_arg(date, "--date")
    db = open_case_file()
    with transaction(db):
        impact = records.add_case_impact(db, case, kind.replace("-", "_"), date, detail)
    print_json(impact) if json_ else say(f"Recorded: {kind.replace('_', ' ')} for case {case}.")
