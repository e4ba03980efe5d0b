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
from stalklog.cli.console import state


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
    only_needed(sys.argv[1:])(prog_name="stalklog")


_ROOT_OPTIONS_WITH_VALUE = ("--db",)


def _listing_only() -> typer.Typer:
    """The app for the root's help: every command and group by name and help only, so
    that listing them does not build each one's options (and every group's commands)."""
    import copy

    from typer.main import solve_typer_info_defaults
    from typer.models import CommandInfo

    def stub() -> None:  # pragma: no cover - never run: the root help only lists it
        pass

    listed = []
    for c in app.registered_commands:
        listed.append(
            CommandInfo(
                name=_name(c),
                callback=stub,
                help=c.help or _doc(c.callback),
                short_help=c.short_help,
                hidden=c.hidden,
                deprecated=c.deprecated,
            )
        )
    for g in app.registered_groups:
        info = solve_typer_info_defaults(g)
        listed.append(
            CommandInfo(
                name=info.name,
                callback=stub,
                help=info.help,
                short_help=info.short_help,
                hidden=info.hidden,
                deprecated=info.deprecated,
            )
        )
    if any(c.name is None for c in listed):
        return app
    pruned = copy.copy(app)
    pruned.registered_commands = listed
    pruned.registered_groups = []
    return pruned


def _doc(callback) -> str | None:
    import inspect

    return inspect.getdoc(callback)


def _command_word(args: list[str]) -> str | None:
    """The command named on the command line (after the root options), if any; None
    too when the root's help is asked for first."""
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--" or a in ("-h", "--help"):
            return None
        if a in _ROOT_OPTIONS_WITH_VALUE:
            i += 2
        elif a.startswith("-"):
            i += 1
        else:
            return a
    return None


def _name(info) -> str | None:
    """A registered command's or group's name, or None when it cannot be told."""
    name = getattr(info, "name", None)
    if isinstance(name, str):
        return name
    instance = getattr(info, "typer_instance", None)
    if instance is not None:
        name = getattr(instance.info, "name", None)
        return name if isinstance(name, str) else None
    callback = getattr(info, "callback", None)
    return callback.__name__.lower().replace("_", "-") if callback is not None else None


def only_needed(args: list[str]) -> typer.Typer:
    """The app with only the command that will run.

    Typer turns every command's signature into options each time the program starts:
    with some forty commands that cost more than all of ``stalklog add``'s own work
    (docs/performance.md). So ``stalklog add …`` builds ``add`` alone, and ``--version``
    builds none; ``--help`` at the root, an unknown word or anything unclear keeps them
    all, so help and error messages are exactly the full app's.
    """
    import copy

    word = _command_word(args)
    if word is None:
        if {"-h", "--help"} & set(args) or not args:
            return _listing_only()
        if "--version" not in args:
            return app
        commands, groups = [], []
    else:
        names = [_name(i) for i in (*app.registered_commands, *app.registered_groups)]
        if None in names:
            return app
        commands = [c for c in app.registered_commands if _name(c) == word]
        groups = [g for g in app.registered_groups if _name(g) == word]
        if not commands and not groups:
            return app
    pruned = copy.copy(app)
    pruned.registered_commands = commands
    pruned.registered_groups = groups
    return pruned


def handle_exception(e: Exception) -> int:
    """Print one clear message for an error and return the exit status."""
    from stalklog.errors import StalklogError

    if isinstance(e, StalklogError):
        return report_error(e)
    return report_unexpected(e)


def report_error(e) -> int:
    from stalklog.safetext import printable

    sys.stderr.write(printable(f"Error: {e.message}") + "\n")
    if e.hint:
        sys.stderr.write(printable(f"  {e.hint}") + "\n")
    if os.environ.get("STALKLOG_DEBUG"):
        import traceback

        traceback.print_exception(e)
    return e.exit_code


def report_unexpected(e: Exception) -> int:
    from stalklog.store.database import driver_errors, translate_error

    if isinstance(e, driver_errors()):
        return report_error(translate_error(e, state._db))
    if isinstance(e, OSError):  # the file name is the user's own text: shown, not obeyed
        from stalklog.safetext import printable

        sys.stderr.write(printable(f"Error: {e.strerror or e}{': ' + str(e.filename) if e.filename else ''}") + "\n")
        return 1
    if isinstance(e, UnicodeError):  # e.g. "\ud800" in a bundle, or bytes that are not UTF-8 in an argument
        sys.stderr.write(
            "Error: some of the text given is not valid Unicode (a stray surrogate or a byte that "
            "is not UTF-8), so it cannot be stored. Nothing was changed.\n"
            "  Save the file as UTF-8, or type the text again.\n"
        )
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
