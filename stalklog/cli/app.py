"""The root of the CLI: global options, the command groups, and the one place where
errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
import typer.core

from stalklog import __version__
from stalklog.cli import cases, incidents, interchange, start
from stalklog.cli.common import state


class StalklogGroup(typer.core.TyperGroup):
    """Runs every command inside the one place where errors become messages."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as e:  # noqa: BLE001 - translated below, never shown as a traceback
            if type(e).__module__.startswith("typer"):
                raise  # usage errors (exit 2), typer.Exit and typer.Abort keep their meaning
            raise typer.Exit(handle_exception(e)) from None
        except KeyboardInterrupt:
            sys.stderr.write("\nInterrupted: nothing was changed.\n")
            raise typer.Exit(130) from None
        finally:
            close_db()


app = typer.Typer(
    cls=StalklogGroup,
    name="stalklog",
    help="An incident log and course-of-conduct checker for stalking and harassment.\n\n"
    "Record incidents as they happen; see whether the pattern could support an offence. "
    "Not legal advice: results are for review by the police, a prosecutor or a lawyer.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"stalklog {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="The case file to use (default: STALKLOG_DB, else your user data folder)."),
    ] = None,
    us_dates: Annotated[bool, typer.Option("--us-dates", help="Read 06/11/2024 as June 11th (month first).")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    state.reset()
    state.db_path = db
    state.us_dates = us_dates


start.register(app)
cases.register(app)
incidents.register(app)
interchange.register(app)


def _register_optional() -> None:
    """Feature modules add their commands here (each module has ``register(app)``)."""
    import importlib

    for name in ("check", "evidence", "privacy", "reports", "desk"):
        try:
            module = importlib.import_module(f"stalklog.cli.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"stalklog.cli.{name}":
                raise
            continue
        module.register(app)


_register_optional()


def main() -> None:
    """The console script: ``stalklog …``."""
    app(prog_name="stalklog")


def handle_exception(e: Exception) -> int:
    """Print one clear message for an error and return the exit status."""
    from stalklog.errors import StalklogError

    if isinstance(e, StalklogError):
        return report_error(e)
    return report_unexpected(e)


def report_error(e) -> int:
    sys.stderr.write(f"Error: {e.message}\n")
    if e.hint:
        sys.stderr.write(f"  {e.hint}\n")
    if os.environ.get("STALKLOG_DEBUG"):
        import traceback

        traceback.print_exception(e)
    return e.exit_code


def report_unexpected(e: Exception) -> int:
    from stalklog.db import driver_errors, translate_error

    if isinstance(e, driver_errors()):
        return report_error(translate_error(e, state._db))
    if isinstance(e, OSError):
        sys.stderr.write(f"Error: {e.strerror or e}{': ' + str(e.filename) if e.filename else ''}\n")
        return 1
    if os.environ.get("STALKLOG_DEBUG"):
        import traceback

        traceback.print_exception(e)
    else:
        sys.stderr.write(
            f"Error: stalklog hit an unexpected problem ({type(e).__name__}). Nothing more was changed.\n"
            "  Run again with STALKLOG_DEBUG=1 to see the details (they may include your data).\n"
        )
    return 1


def close_db() -> None:
    if state._db is not None:
        try:
            state._db.close()
        finally:
            state._db = None
