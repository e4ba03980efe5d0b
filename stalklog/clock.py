"""The clock. ``STALKLOG_NOW`` (an ISO date-time, local) replaces it everywhere, so demos
and tests are reproducible."""

from __future__ import annotations

import datetime as dt
import os

from stalklog.errors import InvalidDate


def local_now() -> dt.datetime:
    """Now, as a naive local date-time (to the second)."""
    text = os.environ.get("STALKLOG_NOW")
    if text:
        try:
            value = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise InvalidDate(
                f'STALKLOG_NOW="{text}" is not an ISO date-time.',
                hint="Use a form such as 2025-03-10T12:00, or unset it.",
            ) from None
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        return value
    return dt.datetime.now().replace(microsecond=0)


def utc_now() -> dt.datetime:
    return local_now().astimezone(dt.UTC)


def utc_now_iso() -> str:
    """Now in UTC, as stored in ``recorded`` and ``*_utc`` columns: 2025-01-05T20:10:00+00:00."""
    return utc_now().isoformat(timespec="seconds")
