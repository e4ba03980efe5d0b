"""The guided way to record an incident: plain questions, one at a time."""

from __future__ import annotations

from stalklog import records, vocab
from stalklog.cli.console import us_dates
from stalklog.errors import InvalidDate
from stalklog.records import resolve_case as resolve_case  # the commands import it from here


def default_people(db, case_ref: str) -> tuple[list[str], list[str]]:
    """With one subject and one victim in the case, they are who ``--by``/``--towards`` mean."""
    return vocab.sole_parties(records.people(db, records.get_case(db, case_ref)["id"]))


def _choose(console, question: str, words: tuple[str, ...], labels: dict[str, str]) -> list[str]:
    from rich.prompt import Prompt

    console.print(f"\n[bold]{question}[/bold] (numbers separated by commas; Enter to skip)")
    for n, w in enumerate(words, 1):
        console.print(f"  {n:>2}. {labels.get(w, vocab.label(w))}")
    while True:
        answer = Prompt.ask("  ", default="", show_default=False, console=console).strip()
        if not answer:
            return []
        try:
            picks = [int(x) for x in answer.replace(" ", "").split(",") if x]
            if all(1 <= p <= len(words) for p in picks):
                return [words[p - 1] for p in picks]
        except ValueError:
            pass
        console.print(f"  [red]Please give numbers from 1 to {len(words)}, e.g. 1,3.[/red]")


def _ask_when(console, when_text: str | None):
    from rich.prompt import Confirm, Prompt

    from stalklog.dates import parse_when

    while True:
        text = when_text or Prompt.ask(
            "[bold]When did it happen?[/bold] (e.g. today 5:10pm, yesterday 9pm, 06/11/2024 21:15, last Tuesday)",
            console=console,
        )
        when_text = None
        try:
            when = parse_when(text, us_dates=us_dates())  # not parse_when_arg: no "--when:" in a question's answer
        except InvalidDate as e:
            from stalklog.cli.markup import escape

            console.print(f"  [red]{escape(e.message)}[/red]")
            continue
        if Confirm.ask(f"  That is [bold]{when.describe()}[/bold]. Is that right?", default=True, console=console):
            return when
        if us_dates():
            console.print("  (Dates are read month first because of --us-dates.)")


def walk_through(db, case_ref: str, summary: str | None = None, when_text: str | None = None) -> dict | None:
    """Ask the questions; return the incident's fields, or None if the person stops."""
    try:
        return _walk_through(db, case_ref, summary, when_text)
    except EOFError:  # Ctrl-D, or input ran out: stop, saving nothing
        return None


def _walk_through(db, case_ref: str, summary: str | None, when_text: str | None) -> dict | None:
    from rich.console import Console
    from rich.prompt import Confirm, Prompt

    from stalklog.cli.markup import escape

    console = Console(stderr=True, highlight=False, emoji=False)
    console.print(
        f"Recording an incident in case [bold]{escape(case_ref)}[/bold]. Press Ctrl+C at any time to stop: "
        "nothing is saved until the end."
    )
    when = _ask_when(console, when_text)
    location = Prompt.ask("[bold]Where did it happen?[/bold]", default="", show_default=False, console=console)
    summary = summary or ""
    while not summary.strip():
        summary = Prompt.ask("[bold]What happened?[/bold] (a sentence or two)", console=console)
    behaviours = _choose(console, "Which of these describe it?", vocab.BEHAVIOURS, vocab.BEHAVIOUR_LABELS)
    words = Prompt.ask(
        "[bold]Was anything said or written?[/bold] Word for word if you can (Enter to skip)",
        default="",
        show_default=False,
        console=console,
    )
    people = records.people(db, records.get_case(db, case_ref)["id"])
    by, towards = vocab.sole_parties(people)
    if not by:
        by = _ask_person(console, "Who did it?", people, "subject")
    if not towards:
        towards = _ask_person(console, "Who was it aimed at?", people, "victim")
    witnesses = Prompt.ask(
        "[bold]Did anyone else see or hear it?[/bold] Names or descriptions, separated by ; (Enter if no one)",
        default="",
        show_default=False,
        console=console,
    )
    effects = _choose(console, "How did it make you feel?", vocab.EFFECTS, vocab.EFFECT_LABELS)
    impacts = _choose(console, "Did it change anything in your daily life?", vocab.IMPACTS, vocab.IMPACT_LABELS)
    police_ref = None
    if Confirm.ask("[bold]Did you report it to the police?[/bold]", default=False, console=console):
        police_ref = (
            Prompt.ask("  The crime reference number, if you have it", default="", show_default=False, console=console)
            or None
        )
    console.print("\n[dim]If you have a photo or screenshot, you can add it once this is saved.[/dim]")
    if not Confirm.ask(f"Save this incident ({when.describe()})?", default=True, console=console):
        return None
    return {
        "occurred": when.occurred(),
        "occurred_end": when.occurred_end(),
        "precision": when.precision,
        "summary": summary.strip(),
        "location": location.strip(),
        "words": words.strip(),
        "behaviours": behaviours,
        "effects": effects,
        "impacts": impacts,
        "by": by,
        "towards": towards,
        "witnesses": [w.strip() for w in witnesses.split(";") if w.strip()],
        "police_ref": police_ref,
    }


def _ask_person(console, question: str, people: list[dict], role: str) -> list[str]:
    from rich.prompt import Prompt

    keys = [p["key"] for p in people]
    if not keys:
        console.print(f"  (No people in this case yet; add them with stalklog person add --role {role} …)")
        return []
    from stalklog.cli.markup import escape

    listing = escape(", ".join(f"{p['key']} = {p['name'] or p['role']}" for p in people))
    answer = Prompt.ask(
        f"[bold]{question}[/bold] ({listing}; Enter to skip)", default="", show_default=False, console=console
    )
    return [k.strip() for k in answer.split(",") if k.strip() in keys]
