"""``stalklog db …``: encrypt, decrypt, rekey, remember/forget, backup, restore, check, path.

Passphrases come from ``STALKLOG_PASSPHRASE``, the system keyring (only for a file the
user chose to remember) or a hidden prompt; never from a command-line argument, so they
never reach the shell history.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from stalklog.cli.console import db_path, passphrase_source, print_json, say
from stalklog.cli.options import JsonOption

db_app = typer.Typer(
    no_args_is_help=True,
    help="The case file itself: encrypt it, back it up, restore it, check it.",
)

NEW_PASSPHRASE_ENV = "STALKLOG_NEW_PASSPHRASE"
SHORT_PASSPHRASE = 10


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


# ---------------------------------------------------------------- passphrases


def _tty() -> bool:
    """Whether a person is there to answer a hidden prompt."""
    from stalklog.cli.console import stdin_is_tty

    return stdin_is_tty()


def new_passphrase(env: str = "STALKLOG_PASSPHRASE", what: str = "the case file") -> str:
    """A passphrase being chosen: from ``env``, else a hidden prompt asked twice."""
    from stalklog.errors import PassphraseError
    from stalklog.store.maintenance import check_new_passphrase

    value = os.environ.get(env)
    if value is None:
        if not _tty():
            raise PassphraseError(
                f"A new passphrase for {what} is needed, and there is no terminal to ask for it.",
                hint=f"Run the command in a terminal to be asked, or set {env}.",
            )
        value = _ask_new_passphrase(what)
    check_new_passphrase(value)
    if len(value) < SHORT_PASSPHRASE:
        say("Warning: a short passphrase is easier to guess; several unrelated words are stronger.")
    return value


def _ask_new_passphrase(what: str) -> str:
    """A new passphrase typed twice at a hidden prompt; a mistyped pair or an empty one is
    asked again (three tries, as opening a file allows)."""
    import getpass

    from stalklog.cli.console import PROMPT_TRIES
    from stalklog.errors import PassphraseError
    from stalklog.store.maintenance import check_new_passphrase

    for attempt in range(1, PROMPT_TRIES + 1):
        value = getpass.getpass(f"New passphrase for {what}: ")
        try:
            check_new_passphrase(value)
        except PassphraseError as e:
            if attempt == PROMPT_TRIES:
                raise
            say(f"{e.message} Try again.")
            continue
        if getpass.getpass("The same passphrase again: ") == value:
            return value
        if attempt < PROMPT_TRIES:
            say("The two passphrases are not the same; type them again.")
    raise PassphraseError(f"The two passphrases were not the same {PROMPT_TRIES} times. Nothing was changed.")


def current_passphrase(path: Path) -> str | None:
    """The passphrase of an existing encrypted file (env, remembered, or asked); None if plain."""
    from stalklog.store.database import is_encrypted

    return passphrase_source(path)() if is_encrypted(path) else None


def init_encrypted(path: Path) -> None:
    """``stalklog init --encrypt``: a new encrypted case file."""
    from stalklog.store.maintenance import create_encrypted

    passphrase = new_passphrase()
    db = create_encrypted(path, passphrase)
    db.close()
    say("Keep the passphrase safe: without it the case file cannot be opened, by anyone — including you.")


def _confirm(question: str, yes: bool) -> None:
    from stalklog.errors import StalklogError

    if yes:
        return
    if not _tty():
        raise StalklogError("This needs your confirmation.", hint="Run it in a terminal, or add --yes.")
    if not typer.confirm(question, default=False, err=True):
        say("Nothing was changed.")
        raise typer.Exit(1)


# ---------------------------------------------------------------- commands


@db_app.command("path")
def path_(json_: JsonOption = False) -> None:
    """Show which case file is in use, and whether it is encrypted.

    Example: stalklog db path
    """
    from stalklog.store import passphrases as secrets
    from stalklog.store.database import is_encrypted

    path = db_path()
    exists = path.exists()
    info = {
        "path": str(path),
        "exists": exists,
        "encrypted": exists and is_encrypted(path),
        "remembered": secrets.is_remembered(path),
        "bytes": path.stat().st_size if exists else None,
    }
    if json_:
        print_json(info)
        return
    sys.stdout.write(f"{path}\n")
    if not exists:
        say("(no case file there yet: create one with stalklog init --encrypt)")
    else:
        say(
            "encrypted" + (", passphrase remembered in the system keyring" if info["remembered"] else "")
            if info["encrypted"]
            else "not encrypted (encrypt it with: stalklog db encrypt)"
        )


@db_app.command("encrypt")
def encrypt(json_: JsonOption = False) -> None:
    """Encrypt the case file with a passphrase, in place.

    A new encrypted copy is written beside it and checked record by record; only then
    does it replace the plain file, whose bytes are overwritten before it is removed.

    Example: stalklog db encrypt
    """
    from stalklog.errors import CaseFileError
    from stalklog.store import maintenance as privacy

    path = privacy.existing_file(db_path())
    if _encrypted(path):
        raise CaseFileError(f"{path} is already encrypted.", hint="To change its passphrase: stalklog db rekey")
    privacy.ensure_case_file(path, None)  # not a case file, or too new: stop before asking for a passphrase
    result = privacy.encrypt(path, new_passphrase())
    _report(
        result,
        json_,
        f"Encrypted {path}: {result['records']} records and {result['exhibits']} exhibit"
        f" files checked; the plain copy was overwritten and removed.",
    )
    if not json_:
        say("Keep the passphrase safe: without it the case file cannot be opened, by anyone — including you.")


def _encrypted(path: Path) -> bool:
    from stalklog.store.database import is_encrypted

    return is_encrypted(path)


@db_app.command("decrypt")
def decrypt(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json_: JsonOption = False,
) -> None:
    """Remove the encryption: anyone who can read the file can then read the case.

    Example: stalklog db decrypt
    """
    from stalklog.errors import CaseFileError
    from stalklog.store import maintenance as privacy
    from stalklog.store import passphrases as secrets

    path = privacy.existing_file(db_path())
    if not _encrypted(path):
        raise CaseFileError(f"{path} is not encrypted.")
    passphrase = current_passphrase(path)
    privacy.ensure_case_file(path, passphrase)  # a wrong passphrase stops here, before the question
    say("Warning: after this, anyone who can read the file (or a backup of your computer) can read the case.")
    _confirm("Remove the encryption from the case file?", yes)
    result = privacy.decrypt(path, passphrase or "")
    forgotten = secrets.is_remembered(path) and _forget_quietly(path)
    _report(
        result,
        json_,
        f"Decrypted {path}: {result['records']} records checked. It is no longer encrypted."
        + (" Its passphrase was removed from the keyring." if forgotten else ""),
    )


def _forget_quietly(path: Path) -> bool:
    from stalklog.errors import StalklogError
    from stalklog.store import passphrases as secrets

    try:
        return secrets.forget(path)
    except StalklogError as e:
        say(f"Warning: {e.message}")
        return False


@db_app.command("rekey")
def rekey(json_: JsonOption = False) -> None:
    """Change the passphrase of the encrypted case file.

    Asks for the current passphrase, then the new one twice (or reads STALKLOG_PASSPHRASE
    and STALKLOG_NEW_PASSPHRASE).

    Example: stalklog db rekey
    """
    from stalklog.errors import CaseFileError, StalklogError
    from stalklog.store import maintenance as privacy
    from stalklog.store import passphrases as secrets

    path = db_path()
    if not path.exists() or not _encrypted(path):
        raise CaseFileError(f"{path} is not an encrypted case file.", hint="Encrypt it with: stalklog db encrypt")
    old = current_passphrase(path)
    privacy.ensure_case_file(path, old)  # a wrong passphrase stops here, before the new one is asked
    new = new_passphrase(NEW_PASSPHRASE_ENV)
    result = privacy.rekey(path, old or "", new)
    message = f"Changed the passphrase of {path}."
    if secrets.is_remembered(path):
        try:
            secrets.remember(path, new)
            message += " The keyring now holds the new one."
        except StalklogError as e:  # the passphrase did change; only the keyring is stale
            message += f" The keyring could not be updated ({getattr(e, 'message', type(e).__name__)})."
    _report(result, json_, message)


@db_app.command("remember")
def remember(json_: JsonOption = False) -> None:
    """Keep the passphrase in the system keyring, so you are not asked each time.

    Anyone who can use your unlocked computer account can then open the case file.

    Example: stalklog db remember
    """
    from stalklog.errors import CaseFileError
    from stalklog.store import maintenance as privacy
    from stalklog.store import passphrases as secrets

    path = db_path()
    if not path.exists() or not _encrypted(path):
        raise CaseFileError(f"{path} is not an encrypted case file: there is no passphrase to remember.")
    passphrase = os.environ.get("STALKLOG_PASSPHRASE")
    if passphrase is None:
        if not _tty():
            from stalklog.errors import PassphraseError

            raise PassphraseError(
                "The passphrase is needed, and there is no terminal to ask for it.",
                hint="Run the command in a terminal.",
            )
        import getpass

        passphrase = getpass.getpass("Passphrase for the case file: ")
    privacy.ensure_case_file(path, passphrase)  # only a passphrase that opens the file is kept
    backend = secrets.remember(path, passphrase)
    if json_:
        print_json({"path": str(path), "remembered": True, "keyring": backend})
        return
    say(
        f"The passphrase is now kept in {backend}. Anyone who can use your unlocked account can open the case;"
        " undo with: stalklog db forget"
    )


@db_app.command("forget")
def forget(json_: JsonOption = False) -> None:
    """Remove the case file's passphrase from the system keyring.

    Example: stalklog db forget
    """
    from stalklog.store import passphrases as secrets

    path = db_path()
    removed = secrets.forget(path)
    if json_:
        print_json({"path": str(path), "forgotten": removed})
        return
    say(
        "The passphrase was removed from the keyring."
        if removed
        else "No passphrase was remembered for this case file."
    )


@db_app.command("backup")
def backup(
    target: Annotated[
        str, typer.Argument(metavar="PATH", help="The backup file to write (or a folder to write it in).")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing backup file of that name.")] = False,
    json_: JsonOption = False,
) -> None:
    """Back up the case file (safe while it is in use). An encrypted case stays encrypted.

    Example: stalklog db backup /media/usb/stalklog-backup.db
    """
    from stalklog.store import maintenance as privacy

    path = db_path()
    passphrase = current_passphrase(path) if path.exists() else None
    folder = target.endswith(("/", os.sep)) or Path(target).is_dir()
    result = privacy.backup(path, passphrase, Path(target), force=force, into_folder=folder)
    kind = "an encrypted backup (same passphrase)" if result["encrypted"] else "a backup (NOT encrypted)"
    _report(
        result,
        json_,
        f"Wrote {kind} to {result['backup']}: {result['records']} records, "
        f"{result['exhibits']} exhibit files, checked.",
    )


@db_app.command("restore")
def restore(
    backup_file: Annotated[Path, typer.Argument(metavar="BACKUP", help="A backup made with stalklog db backup.")],
    force: Annotated[
        bool, typer.Option("--force", help="Restore even if it rolls back entries written after the backup.")
    ] = False,
    json_: JsonOption = False,
) -> None:
    """Replace the case file with a backup, after checking the backup in full.

    The case file is first taken for exclusive use (it stops, changing nothing, if another
    stalklog has it open). A backup behind the case file would roll back what was written
    since: it says what, and asks (or needs --force). The current case file is not
    deleted: it is kept beside it as <name>.before-restore-<time>, so nothing is lost.

    Example: stalklog db restore /media/usb/stalklog-backup.db
    """
    from stalklog.store import maintenance as privacy
    from stalklog.store.database import is_encrypted

    path = db_path()
    passphrase = passphrase_source(backup_file)() if backup_file.exists() and is_encrypted(backup_file) else None
    live_passphrase = None
    if path.exists() and is_encrypted(path):
        live_passphrase = passphrase if passphrase is not None else passphrase_source(path)()
    try:
        result = privacy.restore(path, backup_file, passphrase, live_passphrase=live_passphrase, allow_rollback=force)
    except privacy.RollbackRefused as e:
        if not _tty():
            raise
        say(e.message.removesuffix(" Nothing was changed."))
        _confirm("Restore the backup anyway (the current file is kept beside it)?", False)
        result = privacy.restore(path, backup_file, passphrase, live_passphrase=live_passphrase, allow_rollback=True)
    message = f"Restored {path} from {backup_file}: {result['records']} records checked."
    if result["rolled_back"]:
        message += f" {result['rolled_back']['entries']} ledger entries written after the backup were rolled back."
    if result["kept"]:
        message += f" The previous case file was kept as {result['kept']}."
    _report(result, json_, message)


@db_app.command("check")
def check(json_: JsonOption = False) -> None:
    """Check the case file: every page (SQLite's integrity check, and SQLCipher's for an
    encrypted file), its schema, the search index, then verify (the ledger, the head kept
    on this computer and exhibit hashes).

    Exit status 3 when a problem is found.

    Example: stalklog db check
    """
    from stalklog.cli.console import open_case_file
    from stalklog.errors import IntegrityError
    from stalklog.safetext import printable
    from stalklog.store import maintenance as privacy
    from stalklog.store.database import DamagedFile

    try:
        db = open_case_file(check_schema=False)
    except DamagedFile as e:
        if json_:
            print_json({"ok": False, "integrity_check": [e.message], "ledger": None})
        else:
            sys.stdout.write(printable(f"NOT intact: {e.message}") + "\n")
        raise IntegrityError(
            "The case file is damaged: SQLite cannot read it all.",
            hint="Restore it from a backup with: stalklog db restore BACKUP",
        ) from None
    result = privacy.check(db)
    if json_:
        print_json(result)
    if result["ok"]:
        if not json_:
            led = result["ledger"]
            say(
                f"OK: the file is sound and {led['records']} records, {led['entries']} ledger entries and "
                f"{led['exhibits_checked']} exhibit files match."
            )
        return
    damage = [t for t in result["integrity_check"] if t != "ok"]
    problems = damage + [p["text"] for p in result["ledger"]["problems"]]
    if not json_:
        sys.stdout.write(
            printable("\n".join([f"NOT intact: {problems[0]}", *(f"  also: {t}" for t in problems[1:])])) + "\n"
        )
    if damage:
        raise IntegrityError(
            f"The case file is damaged: {damage[0]}",
            hint="Restore it from a backup with: stalklog db restore BACKUP",
        )
    raise IntegrityError(
        f"verify found {len(problems)} problem(s): {problems[0]}",
        hint="See stalklog db check --json; restore from a backup if the file was changed.",
    )


def _report(result: dict, json_: bool, message: str) -> None:
    if json_:
        print_json(result)
    else:
        say(message)
