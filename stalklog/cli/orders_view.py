"""The check's protective-order sections for a person: orders in force and possible breaches
(above the courses: usually the most urgent thing on the page), and the orders the facts could
support an application for. Rich renderers only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.console import Console
from rich.text import Text

from stalklog.cli.markup import escape
from stalklog.law.wording import day, plural

OPTION_WORDS = {
    "could_support": "could support an application",
    "borderline": "for review",
    "not_indicated": "not indicated",
}
OPTION_STYLE = {"could_support": "bold green", "borderline": "bold yellow", "not_indicated": "dim"}


def _d(iso: str | None) -> str:
    return day(dt.date.fromisoformat(iso)) if iso else "until further order"


def _who(key: str, people: dict[str, str] | None) -> str:
    """A person by name (issue 19: no keys where a person reads); the key when no name is recorded."""
    return (people or {}).get(key) or key


def _plain(text: str) -> str:
    return text


def _print(console: Console, markup: str = "", style: str | None = None) -> None:
    """A line; a bulleted or indented one wraps under its own text, not under the bullet."""
    text = markup.lstrip(" ")
    lead = markup[: len(markup) - len(text)]
    if text.startswith(("• ", "[dim]• ")):
        mark = "[dim]•[/dim]" if text.startswith("[dim]") else "•"
        lead, text = lead + mark, text.replace("• ", "", 1)
    if not lead:
        console.print(Text.from_markup(markup, emoji=False), style=style)
        return
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(style=style)
    grid.add_row(
        Text.from_markup(lead.rstrip() or " " * (len(lead) - 1), emoji=False), Text.from_markup(text, emoji=False)
    )
    console.print(grid)


def order_line(o: dict, people: dict[str, str] | None = None) -> str:
    """``stalking protection order O1 against Sam Roe (P), protecting Alex Doe (V): in force, 20 days left (ends 1 Apr 2025)``."""
    protects = ", ".join(_who(p, people) for p in o.get("protects") or [])
    if o.get("in_force"):
        if o.get("days_to_expiry") is None:
            state = "in force, until further order"
        else:
            state = f"in force, {plural(o['days_to_expiry'], 'day')} left (ends {_d(o['expires'])})"
    elif o.get("discharged"):
        state = f"discharged on {_d(o['discharged'])}"
    elif o.get("days_to_expiry") is not None and o["days_to_expiry"] < 0:
        state = f"ended on {_d(o['expires'])}"
    else:
        state = f"made {_d(o['made'])}, not yet in force on this date"
    interim = "interim " if o.get("interim") else ""
    return f"{interim}{o.get('title') or o['kind']} {o['key']} against {_who(o['against'], people)}, protecting {protects}: {state}"


def render_orders_section(
    console: Console,
    doc: dict,
    people: dict[str, str] | None = None,
    *,
    words: Callable[[str], str] = _plain,
    incident: Callable[[str], str] | None = None,
) -> None:
    """Orders in force, then each possible breach with the order's conditions beside it.
    ``words``: how an engine sentence is written for the reader (names for keys);
    ``incident``: how an incident is referred to ("incident 4 (12 Nov)")."""
    orders = doc.get("orders") or []
    breaches = doc.get("possible_breaches") or []
    if not orders:
        return
    _print(console)
    console.rule(Text.from_markup("[bold]Protective orders[/bold]"), align="left")
    live = [o for o in orders if o.get("in_force")]
    for o in live:
        _print(console, f"• [bold]{escape(order_line(o, people))}[/bold]")
    if not live:
        _print(console, "No order is in force on this date.")
    for o in orders:
        if not o.get("in_force"):
            _print(console, f"[dim]• {escape(order_line(o, people))}[/dim]")
    if not breaches:
        _print(console, "No recorded incident falls within an order's days as a possible breach.")
        return
    by_order = {o["key"]: o for o in orders}
    _print(console)
    _print(console, f"[bold red]{plural(len(breaches), 'possible breach', 'possible breaches')}, for review[/bold red]")
    for b in breaches:
        order = by_order.get(b["order"], {})
        when = _d(b["date"]) if b["date"] == b["date_latest"] else f"between {_d(b['date'])} and {_d(b['date_latest'])}"
        penalty = f"maximum {b['max_penalty']}" if b.get("max_penalty") else "no maximum given"
        limit = "no time limit" if b["offence"] != "dvpo-contempt" else "contempt, not a prosecution"
        _print(
            console,
            f"• [bold]possible breach[/bold] of {escape(order.get('title') or b['order'])} {escape(b['order'])}: "
            f"{escape(incident(b['incident']) if incident else 'incident ' + b['incident'])}, {when} — {escape(b['title'])}; {penalty}; {limit}; for review",
        )
        conditions = b.get("conditions") or []
        if conditions:
            _print(console, "    Conditions of the order: " + escape("; ".join(conditions)))
        else:
            _print(console, "    Conditions of the order: none recorded")
        for r in b.get("reasons") or []:
            _print(console, f"    [yellow]{escape(words(r['text']))}[/yellow]")
    _print(
        console,
        "[dim]One incident can break an order. Whether it broke a condition, and whether there was a "
        "reasonable excuse, is for the police, a prosecutor and the court.[/dim]",
    )


def render_options_section(
    console: Console, doc: dict, people: dict[str, str] | None = None, *, words: Callable[[str], str] = _plain
) -> None:
    """The orders the recorded facts could support an application for (``words``: as above)."""
    options = doc.get("protective_options") or []
    if not options:
        return
    _print(console)
    console.rule(Text.from_markup("[bold]Orders that could be applied for[/bold]"), align="left")
    for o in options:
        status = o["status"]
        reason = "; ".join(words(r["text"]) for r in o.get("reasons") or [])
        _print(
            console,
            f"• {escape(o['title'])}, {escape(_who(o['subject'], people))} → {escape(_who(o['victim'], people))}: "
            f"[{OPTION_STYLE[status]}]{OPTION_WORDS[status]}[/{OPTION_STYLE[status]}]",
        )
        if status != "not_indicated":
            _print(console, f"    {escape(o['who_applies'])}")
        if reason:
            _print(console, f"    [dim]{escape(reason)}[/dim]")


def status_words(o: dict) -> str:
    """An order's state on the day asked about, in words."""
    if o["in_force"]:
        if o["days_to_expiry"] is None:
            return "in force, until further order"
        return f"in force, {plural(o['days_to_expiry'], 'day')} left (ends {_d(o['expires'])})"
    if o.get("discharged"):
        return f"discharged on {_d(o['discharged'])}"
    if o["days_to_expiry"] is not None and o["days_to_expiry"] < 0:
        return f"expired on {_d(o['expires'])}"
    return f"not yet in force (made {_d(o['made'])})"
