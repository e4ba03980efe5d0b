"""The advocate's desk: ``stalklog cases``, ``pattern`` and ``screening …`` (the CSV diary
import is ``stalklog import``, in cli/interchange.py).

Everything here parses, calls the core (``records``, ``law``, ``analysis``, ``screening``)
and renders. Patterns and screenings are shown as records for a
professional to weigh: indicators for review, never a score.
"""

from __future__ import annotations

from typing import Annotated

import typer

from stalklog.cli.console import open_case_file, out, print_json, say
from stalklog.cli.options import AsOfOption, JsonOption, JurisdictionOption, RequiredCaseOption, chosen

screening_app = typer.Typer(no_args_is_help=True, help="The stalking screening questions (S-DASH), kept with a case.")

SOON = 28  # days: a deadline closer than this is coloured
COURSE_WORDS = {"met": "could be a course", "borderline": "borderline", "not_met": "not yet", None: "no incidents"}
OFFENCE_WORDS = {"indicated": "could support", "borderline": "for review"}


def register(app: typer.Typer) -> None:
    app.command("cases")(cases)
    app.command("pattern")(pattern)
    app.add_typer(screening_app, name="screening")


# ---------------------------------------------------------------- stalklog cases


def cases(
    status: Annotated[str, typer.Option("--status", help="open, closed or all.")] = "open",
    jurisdiction: JurisdictionOption = None,
    as_of: AsOfOption = None,
    json_: JsonOption = False,
) -> None:
    """The caseload: every case with its subjects, incidents, course, strongest offence the
    records could support, days to the nearest deadline and escalation indicators — the
    case that needs you first at the top.

    Example: stalklog cases --status open --as-of 15/08/2025
    """
    from stalklog.cli.console import as_of_date

    if status not in ("open", "closed", "all"):
        raise typer.BadParameter("choose open, closed or all.", param_hint="--status")
    from stalklog.desk.caseload import caseload, caseload_cases

    day = as_of_date(as_of)
    db = open_case_file()
    from stalklog.cli.progress import progress_bar
    from stalklog.desk.parallel import CaseWorkers

    cases = caseload_cases(db, status=status, jurisdiction=chosen(jurisdiction))
    # the workers (for a large caseload) start before the progress bar's thread
    with CaseWorkers(db, cases) as workers, progress_bar("Reading cases", sum(c["incidents"] for c in cases)) as bar:
        rows = caseload(db, status=status, jurisdiction=chosen(jurisdiction), as_of=day, progress=bar, workers=workers)
    if json_:
        from stalklog.cli.console import print_json_list

        print_json_list(rows)
        return
    if not rows:
        say(
            "No cases match."
            if status != "open" or jurisdiction
            else "No open cases. Create one with: stalklog case new REF --title …"
        )
        return
    render_caseload(out(), rows)


def _days_cell(days: int | None, deadline: str | None, title: str | None = None, status: str | None = None) -> str:
    """Days to the deadline, naming the offence it belongs to (check-v2 §7)."""
    from stalklog.cli.markup import escape
    from stalklog.law.wording import source_of

    if days is None:
        return "—"
    owner = f"{escape(source_of(title))}: " if title else ""
    if status == "may_have_expired":
        return f"[red]{owner}may already have passed ({_day(deadline)})[/red]"
    if days < 0:
        return f"[dim]{owner}passed {-days} days ago[/dim]"
    text = f"{owner}{days} ({_day(deadline)})"
    if days < 8:
        return f"[bold red]{text}[/bold red]"
    return f"[yellow]{text}[/yellow]" if days < SOON else text


def _day(iso: str | None) -> str:
    """``2025-01-05`` → ``5 Jan 2025`` (as the check writes dates); empty for none."""
    import datetime as dt

    from stalklog.law.wording import day

    return day(dt.date.fromisoformat(iso[:10])) if iso else ""


def render_caseload(console, rows: list[dict]) -> None:
    """The caseload as a table on a wide screen, else one block per case; each with why it
    is where it is."""
    from stalklog.cli import layout
    from stalklog.cli.markup import escape
    from stalklog.cli.render import PLAIN_ROWS

    table_rows = []
    for c in rows:
        subjects = ", ".join(s["name"] or s["key"] for s in c["subjects"]) or "—"
        strongest = "—"
        if c["strongest"]:
            strongest = (
                f"{escape(c['strongest_title'])} ({OFFENCE_WORDS.get(c['strongest_status'], c['strongest_status'])})"
            )
        ref = escape(c["case"]) + (" [dim](closed)[/dim]" if c["status"] == "closed" else "")
        reasons = "; ".join(escape(w["text"]) for w in c.get("why", []))
        style = {"possible_breach": "bold red", "deadline_soon": "bold red", "escalation": "yellow"}.get(
            c.get("priority", "")
        )
        table_rows.append(
            [
                ref,
                f"[{style}]{reasons}[/]" if style and reasons else reasons,
                escape(subjects),
                f"{c['incidents']:,}" + (f", last {_day(c['last_incident'])}" if c["last_incident"] else ""),
                COURSE_WORDS.get(c["course_status"], c["course_status"]),
                strongest,
                _days_cell(c["days_left"], c["deadline"], c.get("deadline_offence_title"), c.get("deadline_status")),
            ]
        )
    if len(table_rows) > PLAIN_ROWS:  # a helpline's caseload: rich would lay out every row first
        _plain_caseload(console, table_rows)
        return
    layout.show_table(
        console,
        title="Caseload, most urgent first",
        columns=(
            ("Case", {"no_wrap": True}),
            ("Why", {}),
            ("Subject(s)", {}),
            ("Incidents", {}),
            ("Course", {}),
            ("Strongest offence", {}),
            ("Days to deadline", {}),
        ),
        rows=table_rows,
        heading=lambda r: f"[bold]{r[0]}[/bold]" + (f" — {r[1]}" if r[1] else ""),
        in_heading=(0, 1),
        wide=120,
    )
    console.print(layout.m(f"[italic]{escape(_caseload_note())}[/italic]"))


CASES_COLUMNS = ("Case", "Why", "Subject(s)", "Incidents", "Course", "Strongest offence", "Days to deadline")


def _caseload_note() -> str:
    from stalklog.law.wording import SHORT_DISCLAIMER

    return (
        "Why: what placed each case (a possible breach of an order, a near deadline, "
        "escalation indicators and S-DASH answers, for review; see stalklog pattern --case REF), "
        f"not a score. {SHORT_DISCLAIMER}"
    )


def _plain_caseload(console, table_rows: list[list[str]]) -> None:
    """More than ``render.PLAIN_ROWS`` cases: plain aligned text with the table's cells (as
    ``check --all`` writes a long caseload), one line per case to a pipe or a file."""
    from stalklog.cli import layout
    from stalklog.cli.render import write_plain

    lines = [[layout.m(cell).plain.replace("\n", " ") for cell in row] for row in table_rows]
    write_plain(console.file, list(CASES_COLUMNS), lines, title="Caseload, most urgent first")
    console.file.write(_caseload_note() + "\n")
    console.file.flush()


# ---------------------------------------------------------------- stalklog pattern


def pattern(
    case: RequiredCaseOption,
    by: Annotated[
        str, typer.Option("--by", help="Count per week, month, or auto (weeks for up to 16 weeks).")
    ] = "auto",
    json_: JsonOption = False,
) -> None:
    """Patterns over time in a case: how often, gaps shortening or lengthening, new kinds of
    behaviour, effects becoming more serious — each with the incidents behind it, as
    indicators for review.

    Example: stalklog pattern --case C-2025-001 --by week
    """
    from stalklog import records
    from stalklog.desk import patterns as analysis

    if by not in ("auto", "week", "month"):
        raise typer.BadParameter("choose week, month or auto.", param_hint="--by")
    db = open_case_file()
    incidents = records.list_incidents(db, case_ref=case, exhibits=False)
    result = analysis.patterns(incidents, by=by)
    if json_:
        print_json({"case": case, **result})
        return
    render_pattern(out(), result, case, incidents={i["key"]: i for i in incidents})


def render_pattern(
    console, result: dict, case: str | None = None, *, chart: bool = True, incidents: dict | None = None
) -> None:
    from rich.table import Table
    from rich.text import Text

    from stalklog.cli.check_view import Reader
    from stalklog.cli.markup import escape
    from stalklog.clock import local_now

    reader = Reader(incidents=incidents, as_of=local_now().date().isoformat())

    title = f"Patterns over time{f' in case {escape(case)}' if case else ''}"
    console.print(f"[bold]{title}[/bold]")
    if not result["incidents"]:
        console.print("No incidents recorded yet.")
        return
    console.print(f"[italic]{escape(result['wording'])}[/italic]")
    console.print(escape(result["trend"]["text"]))
    if chart and result["counts"]:
        peak = max(r["count"] for r in result["counts"]) or 1
        console.print(f"\n[bold]Incidents per {result['by']}[/bold]")
        width = max(len(r["label"]) for r in result["counts"])
        for r in result["counts"]:
            bar = "█" * (round(20 * r["count"] / peak) if r["count"] else 0)
            console.print(f"  {r['label']:<{width}}  {bar} {r['count']}")
    if result["month_only"]:
        n = result["month_only"]
        console.print(
            f"[dim]{n} incident{'s' if n != 1 else ''} known only to the month "
            f"{'are' if n != 1 else 'is'} left out of the trend and the gaps.[/dim]"
        )
    console.print()
    if not result["indicators"]:
        console.print("No change in frequency, gaps, kinds of behaviour or effects stands out in the record so far.")
        return
    console.print("[bold]Indicators for review[/bold]")
    # a hanging indent: a wrapped line starts under the text, not at the margin
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, no_wrap=True)
    grid.add_column(ratio=1)
    for x in result["indicators"]:
        style = "yellow" if x["escalation"] else ""
        grid.add_row("  •", Text(_incident_words(x["text"], x["incidents"]), style=style))
        grid.add_row("", Text(f"Incidents: {reader.incident_list(x['incidents'])}", style="dim"))
    console.print(grid)


def _incident_words(text: str, keys: list[str]) -> str:
    """An indicator's sentence with its incident keys as words: "(I3)" → "(incident 3)" (the
    sentence already gives the date)."""
    import re

    for key in keys:
        number = key[1:] if re.fullmatch(r"[Ii]\d+", key) else key
        text = re.sub(rf"(?<![\w-]){re.escape(key)}(?![\w-])", f"incident {number}", text)
    return text


# ---------------------------------------------------------------- stalklog screening


@screening_app.command("record")
def screening_record(
    case: RequiredCaseOption,
    answers: Annotated[
        str | None,
        typer.Option("--answers", help="All 11 answers in order, comma-separated: yes, no or not known (unknown)."),
    ] = None,
    note: Annotated[
        list[str] | None,
        typer.Option(
            "--note", help='A note on one answer: N=text, e.g. --note "6=threatened to hurt me" (repeatable).'
        ),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="When the questions were asked (default today).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who asked them (e.g. your name or role).")] = None,
    json_: JsonOption = False,
) -> None:
    """Ask and keep the 11 stalking screening questions (S-DASH) for a case.

    Each answer is yes, no or not known, with optional notes. Every screening is kept with its
    date. stalklog records the answers; it does not add them up or grade them.

    Example: stalklog screening record --case C-2025-001

    Example: stalklog screening record --case C-2025-001 --answers yes,no,no,unknown,yes,yes,no,no,no,unknown,no
    """
    from stalklog import records
    from stalklog.cli.console import parse_date_arg
    from stalklog.desk import screening
    from stalklog.store.database import transaction

    taken = parse_date_arg(date, "--date")  # arguments first: a mistyped date never costs a passphrase
    notes = _notes(note)
    db = open_case_file()
    records.get_case(db, case)
    if answers is not None:
        words = [a.strip() for a in answers.split(",")]
        if len(words) != len(screening.QUESTIONS):
            raise typer.BadParameter(
                f"give {len(screening.QUESTIONS)} answers, one per question ({len(words)} given).",
                param_hint="--answers",
            )
        given = [{"answer": w, "notes": notes.get(n)} for n, w in enumerate(words, 1)]
    else:
        asked = _ask(case, notes)
        if asked is None:
            say("Nothing was recorded.")
            raise typer.Exit(1)
        given = asked
    with transaction(db):
        kept = screening.record(db, case, given, taken=taken, by=by)
    say(f"Screening of {_day(kept['taken'])} kept with case {case} (screening {kept['id']}).")
    if json_:
        print_json(kept)


def _notes(values: list[str] | None) -> dict[int, str]:
    notes: dict[int, str] = {}
    for value in values or []:
        number, sep, text = value.partition("=")
        if not sep or not number.strip().isdigit() or not 1 <= int(number) <= 11:
            raise typer.BadParameter(f'"{value}" should be N=text with N from 1 to 11.', param_hint="--note")
        notes[int(number)] = text.strip()
    return notes


def _ask(case: str, notes: dict[int, str]) -> list[dict] | None:
    """Ask each question in turn (messages on stderr); None if the person stops."""
    from rich.prompt import Confirm, Prompt

    from stalklog.cli.console import err
    from stalklog.cli.markup import escape
    from stalklog.desk import screening
    from stalklog.errors import InvalidValue

    console = err()
    console.print(f"[bold]Stalking screening questions (S-DASH) for case {escape(case)}[/bold]")
    console.print(
        f"[dim]{escape(screening.SOURCE)}. Answer y (yes), n (no) or ? (not known); "
        "then add a note if you wish (Enter to skip).[/dim]"
    )
    given = []
    try:
        for q in screening.QUESTIONS:
            console.print(f"\n[bold]{q['number']}. {escape(q['text'])}[/bold]")
            while True:
                raw = Prompt.ask("  Answer (y / n / ?)", console=console)
                try:
                    answer = screening.normalise_answer(raw)
                    break
                except InvalidValue:
                    console.print("  [red]Please answer y, n or ? (not known).[/red]")
            text = Prompt.ask("  Notes", default=notes.get(q["number"], ""), show_default=False, console=console)
            given.append({"answer": answer, "notes": text})
        console.print()
        for q, g in zip(screening.QUESTIONS, given, strict=True):
            console.print(
                f"  {q['number']:>2}. {screening.ANSWER_LABELS[g['answer']]}"
                + (f" — {escape(g['notes'])}" if g["notes"] else "")
            )
        if not Confirm.ask("Keep this screening?", default=True, console=console):
            return None
    except (EOFError, KeyboardInterrupt):
        return None
    return given


@screening_app.command("show")
def screening_show(
    case: RequiredCaseOption,
    all_: Annotated[
        bool, typer.Option("--all", help="Every screening of the case, oldest first (default: the latest).")
    ] = False,
    json_: JsonOption = False,
) -> None:
    """Show the latest screening of a case (or every one with --all).

    Example: stalklog screening show --case C-2025-001 --all
    """
    from stalklog.desk import screening

    db = open_case_file()
    found = screening.list_screenings(db, case)
    chosen = found if all_ else found[-1:]
    if json_:
        print_json(chosen if all_ else (chosen[0] if chosen else None))
        return
    if not chosen:
        say(f"No screening recorded for case {case}. Record one with: stalklog screening record --case {case}")
        return
    console = out()
    for s in chosen:
        render_screening(console, s)


def render_screening(console, s: dict, *, heading: str | None = None) -> None:
    from rich.table import Table

    from stalklog.cli.markup import escape
    from stalklog.desk import screening

    who = f", asked by {escape(s['by'])}" if s.get("by") else ""
    table = Table(
        "No.",
        "Question",
        "Answer",
        "Notes",
        title_justify="left",
        title=heading or f"Stalking screening (S-DASH) of {_day(s['taken'])}{who}",
    )
    for a in s["answers"]:
        word = screening.ANSWER_LABELS.get(a["answer"], a["answer"])
        table.add_row(
            str(a["number"]),
            escape(a["question"]),
            f"[bold]{word}[/bold]" if a["answer"] == "yes" else word,
            escape(a.get("notes") or ""),
        )
    console.print(table)
    console.print(f"[dim]Source: {escape(s['source'])}. Recorded as answered; not scored.[/dim]")


# ---------------------------------------------------------------- case show


def render_case_extras(console, data: dict, incidents: dict | None = None) -> None:
    result = data.get("pattern")
    if result and result["incidents"]:
        console.print()
        render_pattern(console, result, chart=False, incidents=incidents)
    console.print()
    if data.get("screening"):
        render_screening(
            console,
            data["screening"],
            heading=f"Latest stalking screening (S-DASH), {_day(data['screening']['taken'])}",
        )
    else:
        console.print(f"No stalking screening (S-DASH) recorded: stalklog screening record --case {data['ref']}")
