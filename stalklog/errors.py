"""Errors a person can act on.

The core raises these; the CLI turns each into one ``Error: …`` line on stderr and
exit status 1 (see ``stalklog.cli.app.main``). Nothing here imports typer or rich.
"""

from __future__ import annotations


class StalklogError(Exception):
    """A problem the user can fix. ``str(error)`` is the whole message."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InvalidDate(StalklogError):
    """A typed date that cannot be read, is impossible, or is in the future."""


class NotFound(StalklogError):
    """A case, person, incident or exhibit that does not exist."""


class InvalidValue(StalklogError):
    """A field value that is not allowed (an unknown vocabulary word, say)."""


class BundleError(StalklogError):
    """A case bundle that cannot be imported; nothing of it was written."""


class PassphraseError(StalklogError):
    """A wrong passphrase, or a file that is not a stalklog case file."""


class CaseFileError(StalklogError):
    """A case file that cannot be opened or used (corrupt, too new, read-only…)."""


class IntegrityError(StalklogError):
    """``verify`` found a record that does not match the ledger."""

    exit_code = 3
