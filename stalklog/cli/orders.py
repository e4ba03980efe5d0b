"""``stalklog order add|list|show|vary|discharge``: protective orders (docs/orders.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from stalklog.cli.console import open_case_file, out, parse_date_arg, print_json, say
from stalklog.cli.options import CaseOption, JsonOption, complete_person

order_app = typer.Typer(
    no_args_is_help=True,
    help="Record protective orders (stalking protection, restraining, non-molestation …) and their changes.",
)


def register(app: typer.Typer) -> None:
    app.add_typer(order_app, name="order")


def _day(iso: str | None) -> str:
    if not iso:
        return "until further order"
    import datetime as dt

    from stalklog.law.wording import day

    return day(dt.date.fromisoformat(iso))


def _case(db, case: str | None, doing: str) -> str:
    from stalklog.records import resolve_case

    return resolve_case(db, case, doing)


@order_app.command("add")
def order_add(
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="spo, restraining-order, non-molestation-order, dapo, pha-injunction, dvpo (England and Wales); "
            "nho (Scotland); ni-restraining-order, ni-spo (Northern Ireland); other.",
        ),
    ],
    made: Annotated[str, typer.Option("--made", help="The day the order was made: 02/03/2025 (day first).")],
    case: CaseOption = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="Key of the person the order is against (default: the only subject).",
            autocompletion=complete_person,
        ),
    ] = None,
    protects: Annotated[
        list[str] | None,
        typer.Option(
            "--protects",
            help="Key of a person it protects (repeatable; default: the only victim).",
            autocompletion=complete_person,
        ),
    ] = None,
    expires: Annotated[
        str | None, typer.Option("--expires", help="The last day it is in force; leave out for 'until further order'.")
    ] = None,
    interim: Annotated[bool, typer.Option("--interim", help="An interim order.")] = False,
    condition: Annotated[
        list[str] | None, typer.Option("--condition", help="A condition, in the order's words (repeatable).")
    ] = None,
    court: Annotated[str | None, typer.Option("--court", help="The court that made it.")] = None,
    reference: Annotated[str | None, typer.Option("--reference", help="The court's or police reference.")] = None,
    key: Annotated[str | None, typer.Option("--key", help="A key for the order (default: O1, O2 …).")] = None,
    json_: JsonOption = False,
) -> None:
    """Record a protective order of a case.

    Example: stalklog order add --case C-2025-014 --kind spo --against P --protects V
    --made 02/03/2025 --expires 02/03/2027 --condition "must not contact V by any means"
    """
    from stalklog import orders, records, vocab
    from stalklog.store.database import transaction

    made_iso = parse_date_arg(made, "--made") or ""  # a typo is caught before a passphrase is asked for
    expires_iso = parse_date_arg(expires, "--expires")
    db = open_case_file()
    ref = _case(db, case, "record into")
    subjects, victims = vocab.sole_parties(records.people(db, records.get_case(db, ref)["id"]))
    against = against or (subjects[0] if len(subjects) == 1 else "")
    protects = list(protects or (victims if len(victims) == 1 else []))
    with transaction(db):
        result = orders.add_order(
            db,
            ref,
            kind=kind.strip().lower(),
            against=against,
            protects=protects,
            made=made_iso,
            expires=expires_iso,
            interim=interim,
            conditions=condition,
            court=court,
            reference=reference,
            key=key,
        )
    order = result["order"]
    for warning in result["warnings"]:
        say(f"Warning: {warning}")
    if json_:
        print_json(order)
        return
    say(
        f"Order {order['key']} recorded in case {ref}: {order['title']} against {order['against']}, "
        f"protecting {', '.join(order['protects'])}; made {_day(order['made'])}, "
        f"{'in force until ' + _day(order['expires']) if order['expires'] else 'until further order'}."
    )


@order_app.command("list")
def order_list(case: CaseOption = None, json_: JsonOption = False) -> None:
    """List a case's orders: in force today first, with the days left.

    Example: stalklog order list --case C-2025-014
    """
    from stalklog import orders

    db = open_case_file()
    ref = _case(db, case, "show")
    found = [with_status(o) for o in orders.list_orders(db, ref)]
    if json_:
        print_json(found)
        return
    if not found:
        say(f"No orders recorded in case {ref}. Record one with: stalklog order add --case {ref} --kind …")
        return
    render_orders(out(), found)


def with_status(order: dict, as_of=None) -> dict:
    """An order with ``in_force`` and ``days_to_expiry`` on ``as_of`` (default today)."""
    from stalklog.cli.console import as_of_date
    from stalklog.law.orders import read_order

    day = as_of or as_of_date(None)
    read = read_order(order)
    return {
        **order,
        "in_force": read.in_force_on(day),
        "days_to_expiry": (read.expires - day).days if read.expires else None,
    }


def status_words(o: dict) -> str:
    """An order's state in words (orders_view, which loads rich, imported only when used)."""
    from stalklog.cli.orders_view import status_words as words

    return words(o)


def sorted_orders(found: list[dict]) -> list[dict]:
    """In force first (fewest days left first), then the rest as recorded."""
    live = [o for o in found if o["in_force"]]
    live.sort(key=lambda o: (o["days_to_expiry"] is None, o["days_to_expiry"] or 0))
    return live + [o for o in found if not o["in_force"]]


def render_orders(console, found: list[dict]) -> None:
    from rich.table import Table

    from stalklog.cli.markup import escape

    table = Table("Key", "Order", "Against", "Protects", "Made", "Status", "Court / reference")
    for o in sorted_orders(found):
        style = "bold" if o["in_force"] else "dim"
        table.add_row(
            escape(o["key"]),
            escape(o["title"] + (" (interim)" if o["interim"] else "")),
            escape(o["against"]),
            escape(", ".join(o["protects"])),
            _day(o["made"]),
            f"[{style}]{escape(status_words(o))}[/{style}]",
            escape(" · ".join(x for x in (o["court"], o["reference"]) if x)),
        )
    console.print(table)


@order_app.command("show")
def order_show(
    key: Annotated[str, typer.Argument(help="The order's key, e.g. O1.")],
    case: CaseOption = None,
    json_: JsonOption = False,
) -> None:
    """Show an order: its terms, its conditions and its history.

    Example: stalklog order show O1 --case C-2025-014
    """
    from stalklog import orders

    db = open_case_file()
    ref = _case(db, case, "show")
    order = with_status(orders.get_order(db, ref, key))
    if json_:
        print_json(order)
        return
    render_order(out(), order)


def render_order(console, o: dict) -> None:
    from stalklog.cli.markup import escape

    lines = [
        f"[bold]{escape(o['key'])}: {escape(o['title'])}{' (interim)' if o['interim'] else ''}[/bold]  ({escape(o['kind'])})",
        f"Against:    {escape(o['against'])}",
        f"Protects:   {escape(', '.join(o['protects']))}",
        f"Made:       {_day(o['made'])}",
        f"Expires:    {_day(o['expires'])}",
        f"Status:     {escape(status_words(o))}",
    ]
    if o["court"]:
        lines.append(f"Court:      {escape(o['court'])}")
    if o["reference"]:
        lines.append(f"Reference:  {escape(o['reference'])}")
    lines.append("Conditions:" if o["conditions"] else "Conditions: none recorded")
    lines += [f"  • {escape(c)}" for c in o["conditions"]]
    if o["history"]:
        lines.append("History:")
        for h in o["history"]:
            lines.append("  " + escape(history_line(h)))
    for line in lines:
        console.print(line)


def history_line(h: dict) -> str:
    from stalklog.cli.render import _utc

    when = _utc(h["at"])
    if h["change"] == "discharged":
        return f"{when}: discharged on {_day(h['on'])}. Reason: {h['reason']}"
    old, new = h["old"], h["new"]
    if h["field"] == "expires":
        old, new = _day(old), _day(new)
    elif h["field"] == "conditions":
        added = [c for c in new or [] if c not in (old or [])]
        return f"{when}: {h['change']}: conditions added: {'; '.join(added)}. Reason: {h['reason']}"
    return f"{when}: {h['change']}: {h['field']} {old} → {new}. Reason: {h['reason']}"


@order_app.command("vary")
def order_vary(
    key: Annotated[str, typer.Argument(help="The order's key, e.g. O1.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. the court's decision and its date).")],
    case: CaseOption = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="FIELD=VALUE: expires=02/03/2028 (or none), court=…, reference=…, interim=yes|no."),
    ] = None,
    add_condition: Annotated[
        list[str] | None, typer.Option("--add-condition", help="A condition added to the order (repeatable).")
    ] = None,
    renew: Annotated[
        bool, typer.Option("--renew", help="A renewal: the new end date is given with --set expires=…")
    ] = False,
    json_: JsonOption = False,
) -> None:
    """Vary or renew an order; the old terms are kept in its history.

    Example: stalklog order vary O1 --set expires=02/03/2028 --renew --reason "Renewed by the court on 1/3/2027"
    """
    from stalklog import orders
    from stalklog.store.database import transaction

    changes: dict = {}
    for item in set_ or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise typer.BadParameter(f'"{item}" is not FIELD=VALUE (e.g. expires=02/03/2028).', param_hint="--set")
        value = value.strip()
        if name == "expires":
            changes[name] = None if value.lower() in ("", "none", "never") else parse_date_arg(value, "--set expires")
        elif name == "interim":
            if value.lower() not in ("yes", "no", "true", "false"):
                raise typer.BadParameter("interim=yes or interim=no.", param_hint="--set")
            changes[name] = value.lower() in ("yes", "true")
        else:
            changes[name] = value or None
    db = open_case_file()
    ref = _case(db, case, "record into")
    with transaction(db):
        order = orders.vary_order(
            db, ref, key, changes=changes, add_conditions=add_condition, reason=reason, renew=renew
        )
    if json_:
        print_json(with_status(order))
        return
    say(
        f"Order {key} {'renewed' if renew else 'varied'}: now {status_words(with_status(order))}. The old terms are kept in its history."
    )


@order_app.command("discharge")
def order_discharge(
    key: Annotated[str, typer.Argument(help="The order's key, e.g. O1.")],
    on: Annotated[str, typer.Option("--on", help="The day it was discharged: 01/09/2025.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. the court's decision).")],
    case: CaseOption = None,
    json_: JsonOption = False,
) -> None:
    """Record that an order was discharged (it stays in the case file, in force through that day).

    Example: stalklog order discharge O1 --on 01/09/2025 --reason "Discharged on the subject's application"
    """
    from stalklog import orders
    from stalklog.store.database import transaction

    on_iso = parse_date_arg(on, "--on") or ""
    db = open_case_file()
    ref = _case(db, case, "record into")
    with transaction(db):
        order = orders.discharge_order(db, ref, key, on=on_iso, reason=reason)
    if json_:
        print_json(with_status(order))
        return
    say(f"Order {key} discharged on {_day(on_iso)}. It stays in the case file with its history.")
