"""Getting started: ``stalklog init``, ``stalklog demo`` and ``stalklog config``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stalklog.cli.console import db_path, open_case_file, print_json, say, state
from stalklog.cli.options import JsonOption

config_app = typer.Typer(no_args_is_help=True, help="Show or change your settings, such as US-style dates.")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.add_typer(config_app, name="config")


def init(
    encrypt: Annotated[
        bool, typer.Option("--encrypt", help="Encrypt the case file with a passphrase (SQLCipher).")
    ] = False,
    json_: JsonOption = False,
) -> None:
    """Create a case file (default: in your user data folder; choose with --db or STALKLOG_DB).

    Example: stalklog init --encrypt
    """
    from stalklog.errors import CaseFileError

    path = db_path()
    if path.exists() and path.stat().st_size > 0:
        raise CaseFileError(
            f"A case file already exists at {path}; it was left as it is.",
            hint="Use it as it is, or choose another with --db PATH.",
        )
    if encrypt:
        from stalklog.cli.privacy import init_encrypted

        init_encrypted(path)
    else:
        open_case_file(create=True)
    if json_:
        print_json({"path": str(path), "encrypted": encrypt})
    else:
        say(f"Created {'an encrypted' if encrypt else 'a'} case file at {path}.")
        say('Next: stalklog case new C-001 --title "…", then stalklog person add and stalklog add.')


def demo_path() -> Path:
    if state.db_path:
        return state.db_path
    import platformdirs

    return Path(platformdirs.user_data_dir("stalklog", appauthor=False)) / "demo.db"


def demo(
    json_: JsonOption = False,
) -> None:
    """Build a fictional case in a demo case file and show it: the timeline and the check.

    Your own case file is not touched. Run it again to start the demo afresh.

    Example: stalklog demo
    """
    import datetime as dt

    from stalklog import records
    from stalklog.clock import local_now
    from stalklog.demo import demo_bundle
    from stalklog.store.database import open_db, transaction

    path = demo_path()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    state._db = db = open_db(path, create=True)
    today = local_now().date()
    data = demo_bundle(today - dt.timedelta(days=20))
    from stalklog.interchange.json_bundle import import_bundle

    with transaction(db):
        import_bundle(db, data)
    ref = data["case"]["ref"]
    incidents = records.list_incidents(db, case_ref=ref)
    check = _check(db, ref, today)
    if json_:
        print_json({"case_file": str(path), "case": ref, "incidents": incidents, "check": check})
        return
    from stalklog.cli.console import out
    from stalklog.cli.render import render_timeline
    from stalklog.timeline import build_timeline

    console = out()
    say(f"Demo case file: {path} (fictional people and events).")
    render_timeline(console, ref, build_timeline(incidents))
    if check is not None:
        from stalklog.cli.check_view import render_check

        console.print()
        render_check(
            check,
            console,
            people={p["key"]: p.get("name") or p["key"] for p in data["people"]},
            incidents={i["key"]: i for i in incidents},
        )
    say(f"\nTry: stalklog --db {path} show 3    ·    stalklog --db {path} check --case {ref}")


def _check(db, ref: str, today):
    from stalklog.interchange.json_bundle import export_bundle
    from stalklog.law import check_case

    return check_case(export_bundle(db, ref), today)


@config_app.command("show")
def config_show(json_: JsonOption = False) -> None:
    """Show your settings and where they are kept.

    Example: stalklog config show
    """
    from stalklog import config

    settings = config.load()
    if json_:
        print_json({"path": str(config.path()), "settings": settings})
        return
    say(f"Settings file: {config.path()}")
    for k in config.KNOWN:
        say(f"  {k} = {settings.get(k, False)}")


@config_app.command("set")
def config_set(
    name: Annotated[str, typer.Argument(help="The setting: us_dates.")],
    value: Annotated[str, typer.Argument(help="true or false.")],
) -> None:
    """Change a setting.

    Example: stalklog config set us_dates true
    """
    from stalklog import config

    if name not in config.KNOWN:
        raise typer.BadParameter(f"unknown setting; known: {', '.join(config.KNOWN)}.", param_hint="NAME")
    if value.lower() not in ("true", "false", "yes", "no", "1", "0"):
        raise typer.BadParameter("expected true or false.", param_hint="VALUE")
    settings = config.load()
    settings[name] = value.lower() in ("true", "yes", "1")
    path = config.save(settings)
    say(f"{name} = {settings[name]} (saved in {path})")
