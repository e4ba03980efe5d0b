"""Passphrases kept in the system keyring, only when the user asks (``stalklog db remember``)."""

from __future__ import annotations

from pathlib import Path

SERVICE = "stalklog"


def _account(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


def remembered(path: Path) -> str | None:
    """The passphrase remembered for this case file, or None (also when there is no keyring)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(SERVICE, _account(path))
    except (KeyringError, RuntimeError):
        return None
