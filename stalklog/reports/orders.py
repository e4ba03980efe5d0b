"""Protective orders in the reports: each order (court, reference, conditions, dates, history)
with the incidents that may break it, for the evidence summary (before the courses of
conduct) and the diary ("orders protecting me"). Built from the check's ``orders`` and
``possible_breaches``; no rich, no typer."""

from __future__ import annotations

import datetime as dt

from stalklog.dates import describe_stored, moment_text


def _day(iso: str | None) -> str:
    if not iso:
        return ""
    d = dt.date.fromisoformat(iso[:10])
    return f"{d.day} {d:%b %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def status_text(o: dict, as_of: str) -> str:
    """``in force on 12 Mar 2025: 20 days left`` / ``ended on 1 Mar 2025`` / ``discharged on …``."""
    if o.get("in_force"):
        if o.get("days_to_expiry") is None:
            return f"in force on {_day(as_of)}, until further order"
        return f"in force on {_day(as_of)}: {_plural(o['days_to_expiry'], 'day')} left"
    if o.get("discharged"):
        return f"discharged on {_day(o['discharged'])}"
    if o.get("expires") and o.get("days_to_expiry") is not None and o["days_to_expiry"] < 0:
        return f"ended on {_day(o['expires'])}"
    return f"not yet in force on {_day(as_of)}"


def _history_text(h: dict) -> str:
    when = moment_text(h.get("at"))
    if h.get("change") == "discharged":
        return f"{when}: discharged on {_day(h.get('on'))}. Reason: {h.get('reason') or 'not given'}"
    old, new = h.get("old"), h.get("new")
    if h.get("field") == "expires":
        old, new = _day(old) or "until further order", _day(new) or "until further order"
        return f"{when}: {h['change']}: end date {old} → {new}. Reason: {h.get('reason') or 'not given'}"
    if h.get("field") == "conditions":
        added = [c for c in new or [] if c not in (old or [])]
        removed = [c for c in old or [] if c not in (new or [])]
        parts = ([f"added “{'”; “'.join(added)}”"] if added else []) + (
            [f"removed “{'”; “'.join(removed)}”"] if removed else []
        )
        return f"{when}: {h['change']}: conditions {', '.join(parts)}. Reason: {h.get('reason') or 'not given'}"
    return f"{when}: {h['change']}: {h.get('field')} {old} → {new}. Reason: {h.get('reason') or 'not given'}"


def order_views(check: dict, names: dict, incidents: dict[str, dict]) -> list[dict]:
    """The report's ``orders``: every order of the case, those in force first, each with its
    possible breaches (for review)."""
    breaches: dict[str, list[dict]] = {}
    for b in check.get("possible_breaches") or []:
        inc = incidents.get(b["incident"]) or {}
        when = (
            describe_stored(inc["occurred"], inc.get("precision") or "day", inc.get("occurred_end"))
            if inc.get("occurred")
            else _day(b["date"])
        )
        breaches.setdefault(b["order"], []).append(
            {
                "incident": b["incident"],
                "when": when,
                "summary": inc.get("summary") or "",
                "offence": b["title"],
                "offence_id": b["offence"],
                "max_penalty": b.get("max_penalty") or "none given",
                "time_limit_text": "no time limit"
                if b["offence"] != "dvpo-contempt"
                else "not a prosecution: contempt, dealt with by the magistrates' court",
                "notes": [r["text"] for r in b.get("reasons") or []],
                "cite": b.get("cite") or [],
            }
        )
    out = []
    for o in check.get("orders") or []:
        title = o.get("title") or o["kind"]
        out.append(
            {
                "key": o["key"],
                "title": ("Interim " if o.get("interim") else "") + title[0].upper() + title[1:],
                "kind": o["kind"],
                "against": names.get(o["against"], o["against"]),
                "protects": [names.get(p, p) for p in o.get("protects") or []],
                "protects_keys": list(o.get("protects") or []),
                "court": o.get("court") or "",
                "reference": o.get("reference") or "",
                "conditions": list(o.get("conditions") or []),
                "made_text": _day(o["made"]),
                "ends_text": _day(o.get("expires")) or "until further order",
                "in_force": bool(o.get("in_force")),
                "status_text": status_text(o, check["as_of"]),
                "history": [_history_text(h) for h in o.get("history") or []],
                "breaches": breaches.get(o["key"], []),
            }
        )
    out.sort(key=lambda o: not o["in_force"])
    return out


def protecting(orders: list[dict], victims: list[str]) -> list[dict]:
    """The orders that protect one of ``victims`` (person keys): the diary's list."""
    return [o for o in orders if set(o["protects_keys"]) & set(victims)]
