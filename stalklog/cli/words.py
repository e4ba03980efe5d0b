"""``stalklog words``: the words stalklog understands for behaviours, effects, impacts and
channels, with the everyday words it reads as each — and the offences' short names."""

from __future__ import annotations

from typing import Annotated

import typer

from stalklog.cli.console import out, print_json
from stalklog.cli.options import JsonOption

KINDS = ("behaviours", "effects", "impacts", "channels", "offences")


def register(app: typer.Typer) -> None:
    app.command("words")(words)


def words(
    kind: Annotated[
        str | None,
        typer.Argument(help="behaviours, effects, impacts, channels or offences (default: all but offences)."),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """List the words stalklog understands, with what each means and the everyday words it
    also accepts (with spaces or hyphens, in any case).

    Example: stalklog words behaviours
    """
    from stalklog import vocab

    if kind is not None:
        found = vocab.find_choice(kind, {k: k for k in KINDS}) or vocab.find_choice(
            kind.rstrip("s") + "s", {k: k for k in KINDS}
        )
        if len(found) != 1:
            raise typer.BadParameter(f"choose one of {', '.join(KINDS)}.", param_hint="KIND")
        kind = found[0]
    chosen = [kind] if kind else [k for k in KINDS if k != "offences"]
    data: dict[str, list[dict]] = {}
    for name in chosen:
        if name == "offences":
            from stalklog.law import catalogue

            data[name] = [
                {
                    "word": e["id"],
                    "jurisdiction": e["jurisdiction"],
                    "meaning": e["title"],
                    "also": [vocab.typed(e["title"].split(" (")[0]).replace("_", " ")],
                }
                for e in catalogue()
            ]
            continue
        labels = vocab.WORD_LABELS.get(name, {})
        data[name] = [
            {
                "word": w,
                "meaning": labels.get(w, vocab.label(w)),
                "also": list(vocab.SYNONYMS[name].get(w, ())),
            }
            for w in vocab.VOCABULARIES[name]
        ]
    if json_:
        print_json(data if kind is None else data[kind])
        return
    _render(out(), data)


def _render(console, data: dict[str, list[dict]]) -> None:
    from stalklog.cli import layout
    from stalklog.cli.markup import escape

    for name, entries in data.items():
        console.print(layout.m(f"[bold]{name.capitalize()}[/bold]"))
        rows = [
            [
                escape(e["word"].replace("_", " "))
                + (f" [dim]({e['jurisdiction']})[/dim]" if "jurisdiction" in e else ""),
                escape(e["meaning"]),
                escape(", ".join(e["also"])),
            ]
            for e in entries
        ]
        layout.show_table(
            console,
            columns=(("Word", {"no_wrap": True}), ("Means", {}), ("Also understood", {})),
            rows=rows,
            heading=lambda r: f"[bold]{r[0]}[/bold]",
            wide=0,
        )
        console.print()
    console.print(
        layout.m(
            '[dim]Type any of these with spaces or hyphens, e.g. -b gifts or -b "hanging around"; '
            "offences by their id or short name, e.g. --offence stalking.[/dim]"
        )
    )
