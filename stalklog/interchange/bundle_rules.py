"""The bundle's rules an import checks in two places (``json_bundle``'s full way and
``fast_rows``' quick way): how long free text may be, the control characters refused, and
an incident's dates in the shapes stalklog writes."""

from __future__ import annotations

import datetime as dt
import re

# Free text is limited, so one bundle cannot fill the disk or the report with one field; a
# longer text belongs in an exhibit. Keys, references and names are short and hold no
# control characters (a key with a newline in it would print as two lines of a report).
LONG_TEXT = 100_000
SHORT_TEXT = 2_000
NAME_TEXT = 500
KEY_TEXT = 64
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # free text may hold tabs and line breaks
_CONTROL_IN_KEY = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
_EARLIEST = "1900"  # dates.EARLIEST_YEAR (not imported here: dates is not needed until then; a test compares)
_fromisoformat = dt.datetime.fromisoformat


def _moment(text, precision: str) -> tuple[dt.datetime, bool] | None:
    """``dates._fast_stored``: ``2025-01-05``, ``2025-01-05T18:30`` and ``…:45`` that are
    valid as they stand, read by ``datetime.fromisoformat`` once the shape is known (one
    call in C); None for anything else."""
    if text.__class__ is not str or _SHAPE.fullmatch(text) is None:
        return None
    has_time = len(text) > 10
    if not (
        precision == "approximate"
        or (precision == "exact" and has_time)
        or (precision in ("day", "month") and not has_time)
    ):
        return None  # exact without a time, day or month with one, or no such precision
    if text[:4] < _EARLIEST or (has_time and text[11:13] == "24"):  # 24:00: some Pythons read it as the next day
        return None
    try:
        return _fromisoformat(text), has_time
    except ValueError:
        return None


def _stored_dates(occurred: str, precision: str, end: str | None, limit: dt.datetime) -> tuple | None:
    """(occurred, occurred_end) as stored, for dates in the shapes stalklog writes that are
    valid and not in the future: the same text as ``from_stored(…).occurred()`` and
    ``.occurred_end()``, without building a ``When``. None for anything else."""
    start = _moment(occurred, precision)
    if start is None:
        return None
    last = start
    if end is not None:
        found = _moment(end, precision)
        if found is None or found[1] != start[1] or found[0] < start[0]:
            return None
        last = found
    latest = last[0].replace(day=1) if precision == "month" else last[0]
    if latest > limit:
        return None
    return _stored_text(occurred, precision), None if end is None else _stored_text(end, precision)


def _stored_text(text: str, precision: str) -> str:
    """``2025-01-05``, ``2025-01-05T18:30``, ``2025-01-05T18:30:45`` as ``When`` stores them:
    a month as its first day, no ``:00`` seconds."""
    if precision == "month":
        return text[:8] + "01"
    if len(text) == 19 and text.endswith(":00"):
        return text[:16]
    return text
