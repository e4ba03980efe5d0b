"""The root of the CLI: global options, the command groups, and the one place where
errors become messages and exit codes."""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
import typer.core
import typer.main

from stalklog import __version__
from stalklog.cli.console import state

# Every command and group of the root, in the order the help lists them, with the module
# under stalklog/cli/ whose ``register(app)`` adds it. A module is imported, and its
# commands turned into Click commands, only when one of its commands runs or the help
# lists them (Click's documented lazy-loading pattern: ``list_commands`` and
# ``get_command`` on a custom group), so ``stalklog add`` builds one module's commands,
# not forty (docs/performance.md).
COMMANDS: dict[str, str] = {
    "init": "start",
    "demo": "start",
    "add": "incidents",
    "list": "incidents",
    "show": "incidents",
    "search": "incidents",
    "timeline": "incidents",
    "amend": "incidents",
    "withdraw": "incidents",
    "import": "interchange",
    "export": "interchange",
    "check": "check",
    "law": "check",
    "order": "orders",
    "verify": "evidence",
    "report": "reports",
    "cases": "desk",
    "pattern": "desk",
    "config": "start",
    "case": "cases",
    "person": "cases",
    "impact": "cases",
    "exhibit": "evidence",
    "db": "privacy",
    "screening": "desk",
    "words": "words",
}


@functools.cache
def _registered(module: str) -> typer.Typer:
    """A Typer app holding what ``stalklog.cli.<module>`` registers (not yet turned into Click)."""
    holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    holder.callback()(_no_op)  # a callback makes a group even for one command, so each is found by name
    importlib.import_module(f"stalklog.cli.{module}").register(holder)
    return holder


def module_commands(module: str) -> dict[str, typer.core.TyperCommand | typer.core.TyperGroup]:
    """The Click commands and groups that ``stalklog.cli.<module>`` registers, by name."""
    holder = _registered(module)
    names = [c.name for c in holder.registered_commands]
    names += [g.name or (g.typer_instance.info.name if g.typer_instance else None) for g in holder.registered_groups]
    return {name: built_command(module, name) for name in names if isinstance(name, str)}


@functools.cache
def built_command(module: str, name: str) -> typer.core.TyperCommand | typer.core.TyperGroup:
    """One command or group of ``stalklog.cli.<module>`` as Click's, its options built. Only
    this one: Typer's turning a signature into options is most of a command's start-up
    (``stalklog add`` would otherwise build every incident command)."""
    holder = _registered(module)
    single = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    single.callback()(_no_op)
    single.registered_commands = [c for c in holder.registered_commands if c.name == name]
    single.registered_groups = [
        g
        for g in holder.registered_groups
        if (g.name or (g.typer_instance.info.name if g.typer_instance else None)) == name
    ]
    for function in _callbacks(single):
        evaluate_annotations(function)
    group = typer.main.get_command(single)
    return group.commands[name]  # type: ignore[attr-defined]


def _callbacks(holder: typer.Typer) -> Iterator[Callable]:
    """Every function of a Typer app whose parameters Typer turns into options: its commands',
    and its groups' callbacks and commands (nested groups too)."""
    for command in holder.registered_commands:
        if command.callback is not None:
            yield command.callback
    for group in holder.registered_groups:
        yield from (f for f in (group.callback, group.typer_instance and group.typer_instance.info.callback) if f)
        sub = group.typer_instance
        if sub is not None:
            if sub.registered_callback is not None and sub.registered_callback.callback is not None:
                yield sub.registered_callback.callback
            yield from _callbacks(sub)


def evaluate_annotations(function) -> None:
    """Evaluate a command function's annotations once, in place. With ``from __future__ import
    annotations`` they are text, and Typer evaluates the text again each time it looks at the
    function (``inspect.signature(eval_str=True)`` and ``typing.get_type_hints``, twice each
    while building a command: a fifth of ``stalklog add``'s own start-up). Evaluated here,
    Typer is given the very objects it would have made itself; the option and completion
    callbacks an option names are evaluated too. Anything that cannot be evaluated is left
    as text, for Typer to report as it always did."""
    notes = getattr(function, "__annotations__", None)
    if not inspect.isfunction(function) or not notes or not any(isinstance(a, str) for a in notes.values()):
        return
    try:
        function.__annotations__ = typing.get_type_hints(function, include_extras=True)
    except Exception:  # noqa: BLE001 - Typer evaluates it again and says what is wrong
        return
    for hint in function.__annotations__.values():
        for extra in getattr(hint, "__metadata__", ()):
            for named in (getattr(extra, "callback", None), getattr(extra, "autocompletion", None)):
                evaluate_annotations(named)


def listed_help(name: str) -> str:
    """The help text of a top-level command or group, read from what its module registered
    without building its options (the root's help lists forty of them)."""
    holder = _registered(COMMANDS[name])
    for command in holder.registered_commands:
        if command.name == name:
            return command.help or inspect.getdoc(command.callback) or ""
    for group in holder.registered_groups:
        sub = group.typer_instance
        if sub is not None and (group.name or sub.info.name) == name:
            callback = sub.registered_callback.callback if sub.registered_callback else None
            return group.help or sub.info.help or inspect.getdoc(callback) or ""
    raise KeyError(name)


def _no_op() -> None:
    """Never shown: the holder group's callback."""


class StalklogGroup(typer.core.TyperGroup):
    """The root group: commands loaded when needed, and the one place where errors
    become messages and exit codes."""

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, cmd_name: str):
        module = COMMANDS.get(cmd_name)
        return built_command(module, cmd_name) if module else None

    def format_commands(self, ctx, formatter) -> None:
        """The command list of the root's help, as Click writes it, from each command's help
        text alone: listing them does not build their options."""
        listed = [(name, typer.core.TyperCommand(name, help=listed_help(name))) for name in self.list_commands(ctx)]
        limit = formatter.width - 6 - max(len(name) for name, _ in listed)
        with formatter.section("Commands"):
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in listed])

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as e:  # noqa: BLE001 - translated below, never shown as a traceback
            if type(e).__module__.startswith(("typer", "click")):
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
    add_completion=True,
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


evaluate_annotations(root)  # built on every run: evaluated once here, not by Typer three times


def all_commands() -> dict[str, typer.core.TyperCommand | typer.core.TyperGroup]:
    """Every top-level command and group by name (loads them all: for docs and tests)."""
    return {name: module_commands(module)[name] for name, module in COMMANDS.items()}


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
    from stalklog.cli.console import wrapped
    from stalklog.safetext import printable

    sys.stderr.write(wrapped(printable(f"Error: {e.message}"), "  ") + "\n")
    if e.hint:
        sys.stderr.write(wrapped(printable(f"  {e.hint}"), "  ") + "\n")
    if os.environ.get("STALKLOG_DEBUG"):
        import traceback

        traceback.print_exception(e)
    return e.exit_code


def report_unexpected(e: Exception) -> int:
    from stalklog.store.database import driver_errors, translate_error

    if isinstance(e, driver_errors()):
        return report_error(translate_error(e, state._db))
    if isinstance(e, OSError):  # the file name is the user's own text: shown, not obeyed
        import errno

        from stalklog.safetext import printable

        if e.errno == errno.ENOSPC:  # an export, a report or a backup onto a full disk
            where = f" holding {e.filename}" if e.filename else ""
            sys.stderr.write(printable(f"Error: the disk{where} is full. Nothing was written.") + "\n")
            sys.stderr.write("  Free some space and try again.\n")
            return 1
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
