"""The guided way to record an incident: plain questions, one at a time."""

from __future__ import annotations

from stalklog import records, vocab
from stalklog.cli.console import us_dates
from stalklog.errors import InvalidDate
from stalklog.records import resolve_case as resolve_case  # the commands import it from here


def default_people(db, case_ref: str) -> tuple[list[str], list[str]]:
    """With one subject and one victim in the case, they are who ``--by``/``--towards`` mean."""
    return vocab.sole_parties(records.people(db, records.get_case(db, case_ref)["id"]))


# Answers that mean "nothing to say" to any guided question: kept as a skip, never as the
# words themselves (a witness called "none", words said "no").
SKIP_ANSWERS = frozenset(
    ("no", "n", "none", "nobody", "no one", "noone", "no-one", "nothing", "-", "--", "n/a", "na", "nil", "nope")
)


def skipped(answer: str | None) -> bool:
    """Whether a typed answer is a skip: empty, or a word such as no, none, nobody, nothing, n, -."""
    text = " ".join((answer or "").lower().split()).rstrip(".!")
    return not text or text in SKIP_ANSWERS


def _ask_text(console, question: str) -> str:
    """A free-text question that may be skipped; a skip answer is returned as empty."""
    from rich.prompt import Prompt

    answer = Prompt.ask(question, default="", show_default=False, console=console).strip()
    return "" if skipped(answer) else answer


# How she knows who did it: the answers offered, in her words, and the ATTRIBUTIONS word each means.
KNOWING = (
    ("seen", "I saw them"),
    ("heard", "I heard them (their voice)"),
    ("known_account", "It came from their number or account"),
    ("told_by_other", "Someone told me"),
    ("suspected", "I suspect it, but cannot be sure"),
    ("unknown", "I don't know who it was"),
)


def _choose(console, question: str, words: tuple[str, ...], labels: dict[str, str], *, one: bool = False) -> list[str]:
    from rich.prompt import Prompt

    how = "a number" if one else "numbers separated by commas"
    console.print(f"\n[bold]{question}[/bold] ({how}; Enter to skip)")
    for n, w in enumerate(words, 1):
        console.print(f"  {n:>2}. {labels.get(w, vocab.label(w))}")
    while True:
        answer = Prompt.ask("  ", default="", show_default=False, console=console).strip()
        if skipped(answer):
            return []
        try:
            picks = [int(x) for x in answer.replace(" ", "").split(",") if x]
            if all(1 <= p <= len(words) for p in picks) and not (one and len(picks) > 1):
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
    location = _ask_text(console, "[bold]Where did it happen?[/bold]")
    summary = summary or ""
    while not summary.strip() or skipped(summary):
        summary = Prompt.ask("[bold]What happened?[/bold] (a sentence or two)", console=console)
    behaviours = _choose(console, "Which of these describe it?", vocab.BEHAVIOURS, vocab.BEHAVIOUR_LABELS)
    words = _ask_text(console, "[bold]Was anything said or written?[/bold] Word for word if you can (Enter to skip)")
    people = records.people(db, records.get_case(db, case_ref)["id"])
    by, towards = vocab.sole_parties(people)
    attribution = _ask_attribution(console, people, by)
    if attribution == "unknown":
        by = []  # "I don't know who": no one is named for her
    elif not by:
        by = _ask_person(console, "Who did it?", people, "subject")
    if not towards:
        towards = _ask_person(console, "Who was it aimed at?", people, "victim")
    witnesses = _ask_text(
        console,
        "[bold]Did anyone else see or hear it?[/bold] Names or descriptions, separated by ; (Enter if no one)",
    )
    effects = _choose(console, "How did it make you feel?", vocab.EFFECTS, vocab.EFFECT_LABELS)
    impacts = _choose(console, "Did it change anything in your daily life?", vocab.IMPACTS, vocab.IMPACT_LABELS)
    police_ref = None
    if Confirm.ask("[bold]Did you report it to the police?[/bold]", default=False, console=console):
        police_ref = _ask_text(console, "  The crime reference number, if you have it") or None
    private_notes = _ask_text(
        console,
        "[bold]Anything private to note?[/bold] Kept in the case file, left out of every export and report"
        " (Enter to skip)",
    )
    said = ask_order_in_force(console, db, case_ref, people, by, towards)  # orders-v1
    console.print("\n[dim]If you have a photo or screenshot, you can add it once this is saved.[/dim]")
    if not Confirm.ask(f"Save this incident ({when.describe()})?", default=True, console=console):
        return None
    return {
        "occurred": when.occurred(),
        "occurred_end": when.occurred_end(),
        "precision": when.precision,
        "summary": summary.strip(),
        "location": location,
        "words": words,
        "behaviours": behaviours,
        "effects": effects,
        "impacts": impacts,
        "by": by,
        "attribution": attribution,
        "towards": towards,
        "witnesses": [w.strip() for w in witnesses.split(";") if w.strip() and not skipped(w)],
        "police_ref": police_ref,
        "private_notes": private_notes or None,
        **({"order_in_force_said": said} if said != "skip" else {}),
    }


def _ask_attribution(console, people: list[dict], sole_subject: list[str]) -> str | None:
    """How she knows who did it (seen, heard, their number or account, told, suspected, don't
    know), as an ATTRIBUTIONS word; None if skipped."""
    names = {p["key"]: p["name"] for p in people}
    name = names.get(sole_subject[0]) if sole_subject else None
    from stalklog.cli.markup import escape

    question = f"How do you know it was {escape(name)}?" if name else "How do you know who did it?"
    words = tuple(w for w, _ in KNOWING)
    picked = _choose(console, question, words, dict(KNOWING), one=True)
    return picked[0] if picked else None


def ask_order_in_force(console, db, case_ref: str, people: list[dict], by: list[str], towards: list[str]):
    """When an order protects the person it was aimed at: "Did this happen while it was in
    force?" → True, False or None (don't know); "skip" when no order was asked about."""
    from rich.prompt import Prompt

    from stalklog.cli.markup import escape
    from stalklog.orders import orders_protecting

    if not towards or not orders_protecting(db, case_ref, towards, by):
        return "skip"
    names = {p["key"]: p["name"] or p["key"] for p in people}
    against = ", ".join(names.get(k, k) for k in by) or "the person it is against"
    answer = Prompt.ask(
        f"[bold]There is an order against {escape(against)}. Did this happen while it was in force?[/bold]",
        choices=["yes", "no", "don't know"],
        default="don't know",
        console=console,
    )
    return {"yes": True, "no": False}.get(answer)


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
    if skipped(answer):
        return []
    return [k.strip() for k in answer.split(",") if k.strip() in keys]
