"""Passphrases kept in the system keyring, only when the user asks (``stalklog db remember``).

The keyring is consulted only for a case file the user chose to remember: a small list
of those files' paths (no passphrases) is kept in the settings folder
(``remembered-files.json``), read before the case file is opened. A file not on the
list never touches the keyring, so a machine without one (a server, a container) never
waits on a keyring backend.
"""

from __future__ import annotations

import json
from pathlib import Path

from stalklog.errors import StalklogError

SERVICE = "stalklog"
LIST_NAME = "remembered-files.json"


class KeyringUnavailable(StalklogError):
    """No usable system keyring (or it refused)."""


def _account(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


def list_path() -> Path:
    """Where the list of remembered case files is kept (beside the settings file)."""
    from stalklog import config

    return config.path().parent / LIST_NAME


def remembered_files() -> list[str]:
    p = list_path()
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return []
    return [x for x in data if isinstance(x, str)] if isinstance(data, list) else []


def _save_list(paths: list[str]) -> None:
    p = list_path()
    from stalklog.store.private_files import make_private_dir

    make_private_dir(p.parent)
    if not paths:
        p.unlink(missing_ok=True)
        return
    from stalklog.store.private_files import write_private

    write_private(p, json.dumps(sorted(set(paths)), indent=1))


def is_remembered(path: Path) -> bool:
    return _account(path) in remembered_files()


def remembered(path: Path) -> str | None:
    """The passphrase remembered for this case file, or None.

    None too when the file was never remembered (the keyring is then not touched), or
    when the keyring is missing or refuses.
    """
    if not is_remembered(path):
        return None
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(SERVICE, _account(path))
    except (KeyringError, RuntimeError):
        return None


def _keyring():
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:
        raise KeyringUnavailable(
            "The keyring package is not installed.",
            hint="Install it with: pip install keyring, or use STALKLOG_PASSPHRASE.",
        ) from None
    return keyring, KeyringError, NoKeyringError


# Backends that keep secrets in a file stalklog cannot vouch for (keyrings.alt's plaintext
# and "encrypted file" keyrings, whose key sits beside them or is asked for separately), or
# that keep nothing (null, fail). A real keyring (macOS Keychain, Windows Credential
# Manager, Secret Service, KWallet) has a priority of at least 1.
_NOT_A_SYSTEM_KEYRING = ("keyrings.alt",)
_NO_KEYRING = ("keyring.backends.null", "keyring.backends.fail")
NONE_AVAILABLE = "no system keyring is available here"
MIN_PRIORITY = 1


def refusal(backend) -> str | None:
    """Why ``backend`` is not a system keyring stalklog will trust with a passphrase (None if it is)."""
    subs = getattr(backend, "backends", None)
    if subs is not None and type(backend).__module__.startswith("keyring.backends.chainer"):
        if not subs:
            return NONE_AVAILABLE
        reasons = [refusal(b) for b in subs]
        return next((r for r in reasons if r), None)
    module, name = type(backend).__module__, type(backend).__name__
    label = f"{module}.{name}"
    if module.startswith(_NO_KEYRING):
        return NONE_AVAILABLE
    if module.startswith(_NOT_A_SYSTEM_KEYRING) or "plaintext" in name.lower():
        return f"{label} keeps passwords in a file, not in a system keyring"
    try:
        priority = float(getattr(backend, "priority", 0))
    except (TypeError, ValueError):
        priority = 0
    if priority < MIN_PRIORITY:
        return f"{label} is a low-priority keyring (priority {priority:g}), not a system keyring"
    return None


def remember(path: Path, passphrase: str) -> str:
    """Keep the passphrase in the system keyring and note that this file may use it.

    Only a real system keyring: a plaintext or "encrypted file" keyring (keyrings.alt), a
    null one or a low-priority one is refused, so ``db path`` never says "remembered in the
    system keyring" of a passphrase lying in a file."""
    keyring, KeyringError, NoKeyringError = _keyring()
    account = _account(path)
    try:
        backend = keyring.get_keyring()
    except (KeyringError, RuntimeError):
        backend = None
    why = refusal(backend) if backend is not None else NONE_AVAILABLE
    if why == NONE_AVAILABLE:
        raise KeyringUnavailable(
            "No system keyring is available here, so the passphrase was not remembered.",
            hint="You will be asked for it each time (or set STALKLOG_PASSPHRASE for one session).",
        )
    if why:
        raise KeyringUnavailable(
            f"The passphrase was not remembered: {why}. It is not a system keyring stalklog will trust with it.",
            hint="You will be asked for it each time (or set STALKLOG_PASSPHRASE for one session); "
            "see docs/privacy.md about keyrings.",
        )
    try:
        keyring.set_password(SERVICE, account, passphrase)
    except NoKeyringError:
        raise KeyringUnavailable(
            "No system keyring is available here, so the passphrase was not remembered.",
            hint="You will be asked for it each time (or set STALKLOG_PASSPHRASE for one session).",
        ) from None
    except (KeyringError, RuntimeError) as e:
        raise KeyringUnavailable(
            f"The system keyring refused: {type(e).__name__}. Nothing was remembered.",
            hint="Unlock the keyring and try again.",
        ) from None
    _save_list([*remembered_files(), account])
    return _keyring_name(keyring)


def forget(path: Path) -> bool:
    """Remove the passphrase from the keyring and the file from the list; True if it was there."""
    account = _account(path)
    files = remembered_files()
    listed = account in files
    _save_list([p for p in files if p != account])
    keyring, KeyringError, NoKeyringError = _keyring()
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, account)
    except (NoKeyringError, PasswordDeleteError):  # nothing stored there
        return listed
    except (KeyringError, RuntimeError) as e:
        raise KeyringUnavailable(
            f"The system keyring refused to remove the passphrase ({type(e).__name__}).",
            hint="stalklog will no longer look it up; remove the 'stalklog' entry in your keyring app.",
        ) from None
    return True


def _keyring_name(keyring) -> str:
    try:
        k = keyring.get_keyring()
        return getattr(k, "name", type(k).__name__)
    except Exception:  # noqa: BLE001 - only a label
        return "the system keyring"
