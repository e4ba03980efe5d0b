"""The options many commands share, each defined once with one help text.

A command takes them as annotated parameters::

    def check(case: CaseOption = None, as_of: AsOfOption = None, json_: JsonOption = False): ...

Choices (the jurisdiction) are Click choices, so a wrong value is a usage error (exit 2)
that lists the choices, before the case file is opened or a passphrase asked for.
Completion of case references and person keys reads the case file only when it can be
opened without asking (a plain file, or STALKLOG_PASSPHRASE set): a completion never
prompts and never prints an error.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from stalklog.vocab import JURISDICTIONS


def _completion_db(ctx: typer.Context):
    """The case file for a completion, or None when it cannot be read without asking."""
    from stalklog.store.database import default_path, is_encrypted, open_db

    chosen = ctx.find_root().params.get("db") or os.environ.get("STALKLOG_DB")
    path = Path(chosen) if chosen else default_path()
    if not path.is_file():
        return None
    passphrase = os.environ.get("STALKLOG_PASSPHRASE")
    if is_encrypted(path) and not passphrase:
        return None
    return open_db(path, passphrase_source=(lambda: passphrase) if passphrase else None)


def complete_case(ctx: typer.Context, incomplete: str) -> list[str]:
    """Case references that start with what has been typed."""
    try:
        db = _completion_db(ctx)
        if db is None:
            return []
        try:
            refs = [r for (r,) in db.execute("select ref from cases order by ref").fetchall()]
        finally:
            db.close()
    except Exception:  # noqa: BLE001 - a completion must never fail loudly
        return []
    return [r for r in refs if r.startswith(incomplete)]


def complete_person(ctx: typer.Context, incomplete: str) -> list[str]:
    """Person keys (P1, V1 …) of the case named by --case, or of every case."""
    case = ctx.params.get("case")
    try:
        db = _completion_db(ctx)
        if db is None:
            return []
        try:
            sql = "select distinct p.key from people p join cases c on c.id = p.case_id"
            rows = db.execute(sql + (" where c.ref = ?" if case else "") + " order by p.key", [case] if case else [])
            keys = [k for (k,) in rows.fetchall()]
        finally:
            db.close()
    except Exception:  # noqa: BLE001 - a completion must never fail loudly
        return []
    return [k for k in keys if k.startswith(incomplete)]


CASE_HELP = (
    "The case reference, e.g. C-2025-001 (where it may be left out: the only open case; list and search: every case)."
)

CaseOption = Annotated[
    str | None, typer.Option("--case", "-c", help=CASE_HELP, autocompletion=complete_case, show_default=False)
]
"""``--case REF``, optional: commands that can choose say their default in their help."""

RequiredCaseOption = Annotated[str, typer.Option("--case", "-c", help=CASE_HELP, autocompletion=complete_case)]
"""``--case REF`` where a command cannot choose for you."""

CaseArgument = Annotated[str, typer.Argument(help="The case reference.", autocompletion=complete_case)]

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="The date time limits are counted to (default today).", show_default=False),
]

Jurisdiction = Enum("Jurisdiction", {j.replace("-", "_"): j for j in JURISDICTIONS}, type=str)  # type: ignore[misc]
"""The jurisdictions as a choice: a value not among them is a usage error listing them."""


def chosen(value: Enum | None) -> str | None:
    """The plain value of a choice option (``Jurisdiction``), or None."""
    return None if value is None else value.value


JurisdictionOption = Annotated[
    Jurisdiction | None,
    typer.Option(
        "--jurisdiction",
        "-j",
        help="england-wales, scotland or northern-ireland.",
        show_default=False,
    ),
]

JurisdictionArgument = Annotated[
    Jurisdiction | None,
    typer.Argument(
        metavar="[JURISDICTION]",
        help="england-wales, scotland or northern-ireland (default: all three).",
        show_default=False,
    ),
]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON to stdout instead of text.")]
