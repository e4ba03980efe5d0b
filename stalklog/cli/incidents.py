"""Recording and reading incidents: add, list, show, search, timeline, amend, withdraw."""

from __future__ import annotations

from typing import Annotated

import typer

from stalklog.cli.console import (
    open_case_file,
    out,
    parse_date_arg,
    parse_when_arg,
    print_json,
    say,
    stdin_is_tty,
    vocab_words,
)
from stalklog.cli.options import CaseOption, JsonOption, complete_person

ListOption = Annotated[list[str] | None, typer.Option()]


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("list")(list_)
    app.command("show")(show)
    app.command("search")(search)
    app.command("timeline")(timeline)
    app.command("amend")(amend)
    app.command("withdraw")(withdraw)


def add(
    summary: Annotated[
        list[str] | None, typer.Argument(help="What happened, in a sentence. Leave out to be asked.")
    ] = None,
    case: CaseOption = None,
    when: Annotated[
        str | None,
        typer.Option("--when", "-w", help='When it happened: "today 5:10pm", "06/11/2024 21:15", "last Tuesday".'),
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="When it ended, if it went on for a while.")] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            help="Key of the person who did it (default: the case's only subject, unless --attribution unknown).",
            autocompletion=complete_person,
        ),
    ] = None,
    towards: Annotated[
        list[str] | None,
        typer.Option(
            "--towards",
            help="Key of the person it was aimed at (default: the only victim).",
            autocompletion=complete_person,
        ),
    ] = None,
    affected: Annotated[
        list[str] | None, typer.Option("--affected", help="Key of someone else it alarmed or distressed.")
    ] = None,
    behaviour: Annotated[
        list[str] | None,
        typer.Option(
            "--behaviour",
            "-b",
            help="following, contacting, loitering, threats, … or everyday words such as gifts or "
            "'hanging around' (repeatable, or comma-separated; see stalklog words).",
        ),
    ] = None,
    effect: Annotated[
        list[str] | None,
        typer.Option(
            "--effect", "-e", help="alarm, distress, fear_of_violence, fear_for_others, serious_alarm_or_distress."
        ),
    ] = None,
    impact: Annotated[
        list[str] | None,
        typer.Option(
            "--impact", "-i", help="changed_routine, moved_home, time_off_work, … (what it changed in daily life)."
        ),
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel",
            help="in_person, phone_call, text_message, messaging_app, email, social_media, letter, via_third_party, online_other, other.",
        ),
    ] = None,
    attribution: Annotated[
        str | None,
        typer.Option(
            "--attribution",
            help="How you know who did it: seen, heard, known_account, told_by_other, suspected, unknown.",
        ),
    ] = None,
    procured_by: Annotated[
        str | None, typer.Option("--procured-by", help="Key of a person who got someone else to do it.")
    ] = None,
    location: Annotated[str | None, typer.Option("--location", "-l", help="Where it happened.")] = None,
    words: Annotated[str | None, typer.Option("--words", help="What was said or written, word for word.")] = None,
    witness: Annotated[list[str] | None, typer.Option("--witness", help="Who saw or heard it (repeatable).")] = None,
    police_ref: Annotated[
        str | None, typer.Option("--police-ref", help="The crime reference number, if reported.")
    ] = None,
    link: Annotated[
        list[str] | None, typer.Option("--link", help="An earlier incident this one is connected to (id or key).")
    ] = None,
    same_occasion_as: Annotated[
        str | None, typer.Option("--same-occasion-as", help="An incident this is part of (id or key).")
    ] = None,
    below_threshold: Annotated[
        bool, typer.Option("--below-threshold", help="Recorded for context only: not harassing on its own.")
    ] = False,
    stated_purpose: Annotated[str | None, typer.Option("--stated-purpose", help="What they said it was for.")] = None,
    private_notes: Annotated[
        str | None, typer.Option("--private-notes", help="Your private reflections: never exported unless you ask.")
    ] = None,
    interactive: Annotated[bool, typer.Option("--interactive", "-I", help="Be walked through the questions.")] = False,
    json_: JsonOption = False,
) -> None:
    """Record an incident.

    Example: stalklog add "He was outside my work again" --when "today 5:10pm" -b loitering -e alarm

    With no summary, in a terminal, stalklog asks plain questions one at a time.
    """
    from stalklog.cli.walkthrough import resolve_case, walk_through

    text = " ".join(summary) if summary else None  # unquoted words are one summary, not "extra arguments"
    if when and not interactive:  # arguments first: a mistyped date never costs a passphrase
        parse_when_arg(when if not until else f"{when} to {until}")
    db = open_case_file()
    case_ref = resolve_case(db, case)
    walked = interactive or (text is None and stdin_is_tty())
    if walked:
        fields = walk_through(db, case_ref, summary=text, when_text=when)
        if fields is None:
            say("Nothing was recorded.")
            raise typer.Exit(1)
    else:
        if text is None or not text.strip():
            raise typer.BadParameter(
                "give a summary of what happened, or use --interactive to be asked.", param_hint="SUMMARY"
            )
        if not when:
            raise typer.BadParameter('say when it happened, e.g. --when "today 5:10pm".', param_hint="--when")
        fields = _fields_from_options(
            db,
            case_ref,
            summary=text,
            when=when,
            until=until,
            by=by,
            towards=towards,
            affected=affected,
            behaviour=behaviour,
            effect=effect,
            impact=impact,
            channel=channel,
            attribution=attribution,
            procured_by=procured_by,
            location=location,
            words=words,
            witness=witness,
            police_ref=police_ref,
            link=link,
            same_occasion_as=same_occasion_as,
            below_threshold=below_threshold,
            stated_purpose=stated_purpose,
            private_notes=private_notes,
        )
    incident = _save(db, case_ref, fields, ask_again=walked)
    from stalklog.dates import describe_stored

    say(
        f"Recorded: {describe_stored(incident['occurred'], incident['precision'], incident['occurred_end'])}"
        f" — incident {incident['id']} ({incident['key']}) in case {case_ref}."
    )
    if walked:  # the walk-through could not know the id when it mentioned photos
        say(f"To keep a photo or screenshot with it: stalklog exhibit add {incident['id']} FILE")
    _say_who_is_missing(db, case_ref, incident)
    if json_:
        print_json(incident)


def _save(db, case_ref: str, fields: dict, *, ask_again: bool) -> dict:
    """Write the incident. After a walk-through, a file kept busy past the busy timeout does
    not lose the answers: they stay in memory (never in a temporary file) while the person
    is asked whether to try again."""
    from stalklog import records
    from stalklog.store.database import driver_errors, transaction

    while True:
        try:
            with transaction(db):
                return records.add_incident(db, case_ref, fields)
        except driver_errors() as e:
            if not (ask_again and ("locked" in str(e) or "busy" in str(e)) and stdin_is_tty()):
                raise
            from rich.console import Console
            from rich.prompt import Confirm

            say("The case file is busy: another stalklog is writing to it. Your answers are kept.")
            try:
                again = Confirm.ask("Try saving again?", default=True, console=Console(stderr=True))
            except EOFError:
                again = False
            if not again:
                raise


def _say_who_is_missing(db, case_ref: str, incident: dict) -> None:
    """Kept either way, but the check counts only incidents that say who did it to whom: say so now,
    not later as "nothing to check"."""
    from stalklog import records

    if not incident["by"] and incident.get("attribution") == "unknown":
        say(
            "Kept with who did it as not known, so the check does not count it against anyone. If you learn "
            f"who it was: stalklog amend {incident['id']} --set by=KEY --set attribution=… --reason …"
        )
        incident = {**incident, "by": ["(not known)"]}  # said above: not listed again below
    people = records.people(db, records.get_case(db, case_ref)["id"])
    missing, fixes = [], []
    for field, role, who in (("by", "subject", "who did it"), ("towards", "victim", "who it was aimed at")):
        if incident[field]:
            continue
        missing.append(who)
        keys = [p["key"] for p in people if p["role"] == role]
        amend = f"stalklog amend {incident['id']} --set {field}={keys[0] if len(keys) == 1 else 'KEY'} --reason …"
        if len(keys) > 1:
            amend += f"  (KEY: {', '.join(keys)})"
        fixes.append(amend if keys else f"stalklog person add --case {case_ref} --role {role} --name …, then {amend}")
    if missing:
        say(
            f"Note: this entry does not say {' or '.join(missing)}, so the check cannot count it yet. Kept as it is; to add it:"
        )
        for fix in fixes:
            say(f"  {fix}")


def _fields_from_options(
    db,
    case_ref: str,
    *,
    summary,
    when,
    until,
    by,
    towards,
    affected,
    behaviour,
    effect,
    impact,
    channel,
    attribution,
    procured_by,
    location,
    words,
    witness,
    police_ref,
    link,
    same_occasion_as,
    below_threshold,
    stated_purpose,
    private_notes,
) -> dict:
    from stalklog.cli.walkthrough import default_people
    from stalklog.records import incident_key

    when_parsed = parse_when_arg(when if not until else f"{when} to {until}")
    default_by, default_towards = default_people(db, case_ref)
    return {
        "occurred": when_parsed.occurred(),
        "occurred_end": when_parsed.occurred_end(),
        "precision": when_parsed.precision,
        "summary": summary,
        "by": by or (default_by if attribution != "unknown" else []),  # "not known" names no one
        "towards": towards or default_towards,
        "affected": affected or [],
        "attribution": attribution,
        "procured_by": procured_by,
        "behaviours": vocab_words(behaviour, "behaviours", "--behaviour"),
        "effects": vocab_words(effect, "effects", "--effect"),
        "impacts": vocab_words(impact, "impacts", "--impact"),
        "channel": vocab_words([channel], "channels", "--channel")[0] if channel else None,
        "location": location or "",
        "words": words or "",
        "witnesses": witness or [],
        "police_ref": police_ref,
        "links": [incident_key(db, case_ref, x) for x in (link or [])],
        "same_occasion_as": incident_key(db, case_ref, same_occasion_as) if same_occasion_as else None,
        "below_threshold": below_threshold,
        "stated_purpose": stated_purpose,
        "private_notes": private_notes,
    }


def list_(
    case: CaseOption = None,
    date_from: Annotated[str | None, typer.Option("--from", help="On or after this date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="On or before this date.")] = None,
    behaviour: Annotated[
        str | None, typer.Option("--behaviour", "-b", help="Only incidents with this behaviour.")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Only incidents by this person key.")] = None,
    withdrawn: Annotated[bool, typer.Option("--withdrawn", help="Include withdrawn entries.")] = False,
    json_: JsonOption = False,
) -> None:
    """List incidents, oldest first.

    Example: stalklog list --case C-2025-001 --from 01/01/2025 --behaviour following
    """
    from stalklog import records

    date_from, date_to = parse_date_arg(date_from, "--from"), parse_date_arg(date_to, "--to")
    db = open_case_file()
    found = records.list_incidents(
        db,
        case_ref=case,
        date_from=date_from,
        date_to=date_to,
        behaviour=vocab_words([behaviour], "behaviours", "--behaviour")[0] if behaviour else None,
        by=by,
        include_withdrawn=withdrawn,
    )
    _print_incidents(found, json_, empty="No incidents match.")


def _print_incidents(found: list[dict], json_: bool, empty: str) -> None:
    if json_:
        print_json([_public(i) for i in found])
        return
    if not found:
        say(empty)
        return
    from stalklog.cli.render import render_incident_list

    render_incident_list(found, out)


def _public(incident: dict) -> dict:
    """An incident for listing: private notes are shown only by ``show``."""
    return {k: v for k, v in incident.items() if k != "private_notes"}


def show(
    incident: Annotated[str, typer.Argument(help="The incident's id (from stalklog list), or its key with --case.")],
    case: CaseOption = None,
    json_: JsonOption = False,
) -> None:
    """Show one incident in full, with its exhibits and the history of its corrections.

    Example: stalklog show 3
    """
    from stalklog import records

    db = open_case_file()
    found = records.get_incident(db, incident, case)
    found["history"] = records.history(db, found["id"])
    if json_:
        print_json(found)
        return
    from stalklog.cli.render import person_names, render_incident

    owner = records.get_case(db, found["case"])
    render_incident(out(), found, person_names(records.people(db, owner["id"]), owner.get("own_diary", False)))


def search(
    text: Annotated[str, typer.Argument(help="Words to look for in summaries, words used and places.")],
    case: CaseOption = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Search every case in the file (the default without --case).")
    ] = False,
    json_: JsonOption = False,
) -> None:
    """Search incidents (full text: summaries, words used, locations).

    Example: stalklog search "car park" --all
    """
    from stalklog import records

    db = open_case_file()
    found = records.search_incidents(db, text, case_ref=None if all_ else case)
    _print_incidents(found, json_, empty=f'No incidents mention "{text}".')


def timeline(
    case: CaseOption = None,
    json_: JsonOption = False,
) -> None:
    """Show a case's incidents over time, with the gaps between them in days.

    Example: stalklog timeline --case C-2025-001
    """
    from stalklog import records
    from stalklog.cli.walkthrough import resolve_case
    from stalklog.timeline import build_timeline

    db = open_case_file()
    case = case or resolve_case(db, None, "show")
    incidents = records.list_incidents(db, case_ref=case, exhibits=False)
    data = build_timeline(incidents)
    from stalklog.orders import list_orders
    from stalklog.timeline import add_order_spans

    add_order_spans(data, list_orders(db, case))  # each protective order as a span
    if json_:
        print_json(data)
        return
    from stalklog.cli.render import render_timeline

    render_timeline(out, case, data)


def amend(
    incident: Annotated[str, typer.Argument(help="The incident's id.")],
    set_: Annotated[
        list[str], typer.Option("--set", help='field=value, e.g. --set location="Mill Road" (repeatable).')
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why the entry is being corrected.")],
    case: CaseOption = None,
    by: Annotated[str | None, typer.Option("--by", help="Who is making the correction (a name).")] = None,
    json_: JsonOption = False,
) -> None:
    """Correct an incident. The old value, the new one, the reason and the time are all kept.

    Example: stalklog amend 12 --set when="05/11/2024 21:15" --reason "I had the wrong day"
    """
    from stalklog import records
    from stalklog.amend import parse_changes
    from stalklog.store.database import transaction

    db = open_case_file()
    current = records.get_incident(db, incident, case)
    changes = parse_changes(db, current, set_, parse_when_arg)
    with transaction(db):
        updated = records.amend_incident(db, current["id"], changes, reason=reason, by=by)
    say(f"Incident {updated['id']} amended ({', '.join(changes)}); the earlier values are kept in its history.")
    if "occurred" in changes:  # read the new date back, as add does
        from stalklog.dates import describe_stored

        say(f"When: {describe_stored(updated['occurred'], updated['precision'], updated['occurred_end'])}.")
    if json_:
        print_json(updated)


def withdraw(
    incident: Annotated[str, typer.Argument(help="The incident's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the entry is withdrawn.")],
    case: CaseOption = None,
    json_: JsonOption = False,
) -> None:
    """Withdraw an incident: it stays in the file and its history, but no longer counts.

    Example: stalklog withdraw 12 --reason "Recorded twice by mistake"
    """
    from stalklog import records
    from stalklog.store.database import transaction

    db = open_case_file()
    current = records.get_incident(db, incident, case)
    with transaction(db):
        updated = records.withdraw_incident(db, current["id"], reason=reason)
    say(f"Incident {updated['id']} withdrawn. It is kept, marked withdrawn, and no longer counts in the check.")
    if json_:
        print_json(updated)
