"""Reading ``--set field=value`` for ``stalklog amend``."""

from __future__ import annotations

from stalklog import records
from stalklog.errors import InvalidValue

# Friendly names people type, mapped to the bundle's field names.
ALIASES = {
    "when": "occurred",
    "date": "occurred",
    "until": "occurred_end",
    "behaviour": "behaviours",
    "behavior": "behaviours",
    "effect": "effects",
    "impact": "impacts",
    "witness": "witnesses",
    "link": "links",
    "what": "summary",
    "where": "location",
    "notes": "private_notes",
}
LISTS = set(records.LIST_FIELDS)


def parse_changes(db, current: dict, assignments: list[str], parse_when) -> dict:
    """``["location=Mill Road", "behaviours=following,loitering"]`` → field values."""
    changes: dict = {}
    explicit_end = False
    for item in assignments:
        if "=" not in item:
            raise InvalidValue(f'--set "{item}": expected field=value, e.g. --set location="Mill Road".')
        typed, _, value = item.partition("=")
        name = ALIASES.get(typed.strip().lower(), typed.strip().lower())
        value = value.strip()
        if name == "occurred":
            when = parse_when(value, f"--set {typed.strip()}")
            changes["occurred"], changes["precision"] = when.occurred(), when.precision
            # a new "when" replaces the whole moment: without a span, any old end goes
            # (unless an explicit until= is given too, in any order)
            if not explicit_end:
                changes["occurred_end"] = when.occurred_end()
        elif name == "occurred_end":
            explicit_end = True
            changes["occurred_end"] = parse_when(value, f"--set {typed.strip()}").occurred() if value else None
        elif name == "below_threshold":
            if value.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise InvalidValue(f"--set below_threshold: expected true or false, got {value!r}.")
            changes[name] = value.lower() in ("true", "yes", "1")
        elif name in LISTS:
            words = [w.strip() for w in value.split(",") if w.strip()]
            if name in ("behaviours", "effects", "impacts"):
                from stalklog.vocab import find_word
                from stalklog.vocab import typed as as_typed  # not the --set text, also named typed here

                words = [find_word(w, name) or as_typed(w) for w in words]
            changes[name] = words
        elif name == "summary" and not value:
            raise InvalidValue(
                "--set summary: say what happened; it cannot be empty.",
                hint="To take an entry out of the count, use: stalklog withdraw ID --reason …",
            )
        else:
            changes[name] = value or None
    if "links" in changes:
        changes["links"] = [_key(db, current, x) for x in changes["links"]]
    if changes.get("same_occasion_as"):
        changes["same_occasion_as"] = _key(db, current, changes["same_occasion_as"])
    return changes


def _key(db, current: dict, ref: str) -> str:
    return records.incident_key(db, current["case"], ref)
