"""The clock. ``STALKLOG_NOW`` (an ISO date-time, local) replaces it everywhere, so demos
and tests are reproducible."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from stalklog.errors import InvalidDate

# The zone a case's times are in and shown in, unless the case says otherwise (dates.md §12).
DEFAULT_ZONE = "Europe/London"


def zone(name: str | None = None) -> ZoneInfo:
    """The named time zone (IANA), or the default one."""
    return ZoneInfo(name or DEFAULT_ZONE)


def local_now() -> dt.datetime:
    """Now, as a naive date-time in the default zone (to the second): the local time in
    which times are typed and shown, whatever zone the machine itself is set to."""
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
            value = value.astimezone(zone()).replace(tzinfo=None)
        return value
    return dt.datetime.now(zone()).replace(microsecond=0, tzinfo=None)


def utc_now() -> dt.datetime:
    return local_now().replace(tzinfo=zone()).astimezone(dt.UTC)


def utc_now_iso() -> str:
    """Now in UTC, as stored in ``recorded`` and ``*_utc`` columns: 2025-01-05T20:10:00+00:00."""
    return utc_now().isoformat(timespec="seconds")
