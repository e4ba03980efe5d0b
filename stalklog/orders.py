"""Protective orders of a case: record, list, show, vary, discharge (orders-v1; docs/orders.md).

Every function takes a ``Database`` and returns plain dicts in the case bundle's order shape
(``key``, ``kind``, ``against``, ``protects``, ``made``, ``expires``, ``interim``,
``conditions``, ``court``, ``reference``, ``history``). A variation, renewal or discharge
changes the order's current terms and keeps what they were as a ``history`` entry (an
``order_changes`` row): nothing is overwritten. Every write is in the ledger; callers wrap a
command in ``transaction()``. Dates arrive here already read (ISO ``YYYY-MM-DD``).
"""

from __future__ import annotations

import datetime as dt
import json
import re

from stalklog import records
from stalklog.clock import local_now, utc_now_iso
from stalklog.errors import BundleError, InvalidValue, NotFound
from stalklog.law.orders import KINDS, kinds_for
from stalklog.law.wording import day as _shown
from stalklog.store.database import Database
from stalklog.store.ledger import Appender

BUNDLE_KEYS = (
    "key",
    "kind",
    "against",
    "protects",
    "made",
    "expires",
    "interim",
    "conditions",
    "court",
    "reference",
    "history",
)
HISTORY_KEYS = ("at", "change", "field", "old", "new", "on", "reason")
CHANGES = ("varied", "renewed", "discharged")
VARIABLE = ("expires", "court", "reference", "interim", "conditions")
_COLUMNS = (
    "id",
    "key",
    "kind",
    "against",
    "protects",
    "made",
    "expires",
    "interim",
    "conditions",
    "court",
    "reference",
    "discharged_on",
)


# ---------------------------------------------------------------- reading


def _history(db: Database, order_id: int) -> list[dict]:
    cur = db.execute(
        "SELECT at_utc, change, field, old_value, new_value, on_date, reason FROM order_changes"
        " WHERE order_id = ? ORDER BY id",
        [order_id],
    )
    return [
        {
            "at": at,
            "change": change,
            "field": field,
            "old": json.loads(old) if old is not None else None,
            "new": json.loads(new) if new is not None else None,
            "on": on,
            "reason": reason,
        }
        for at, change, field, old, new, on, reason in cur.fetchall()
    ]


def _order(db: Database, row: tuple, case_ref: str) -> dict:
    r = dict(zip(_COLUMNS, row, strict=True))
    return {
        "key": r["key"],
        "kind": r["kind"],
        "against": r["against"],
        "protects": json.loads(r["protects"]),
        "made": r["made"],
        "expires": r["expires"],
        "interim": bool(r["interim"]),
        "conditions": json.loads(r["conditions"]),
        "court": r["court"],
        "reference": r["reference"],
        "history": _history(db, r["id"]),
        "discharged": r["discharged_on"],
        "title": KINDS[r["kind"]].title if r["kind"] in KINDS else r["kind"],
        "case": case_ref,
        "id": r["id"],
    }


def list_orders(db: Database, case_ref: str) -> list[dict]:
    """Every order of a case, in the order they were recorded (with ``discharged``, ``title``,
    ``case`` and ``id`` beside the bundle's keys)."""
    case = records.get_case(db, case_ref)
    cur = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM orders WHERE case_id = ? ORDER BY id",
        [case["id"]],
    )
    return [_order(db, row, case["ref"]) for row in cur.fetchall()]


def get_order(db: Database, case_ref: str, key: str) -> dict:
    case = records.get_case(db, case_ref)
    row = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM orders WHERE case_id = ? AND key = ?", [case["id"], key]
    ).fetchone()
    if row is None:
        keys = [r[0] for r in db.execute("SELECT key FROM orders WHERE case_id = ? ORDER BY id", [case["id"]])]
        hint = (
            f"Orders of case {case['ref']}: {', '.join(keys)}"
            if keys
            else f"Record one with: stalklog order add --case {case['ref']} --kind …"
        )
        raise NotFound(f'No order "{key}" in case {case["ref"]}.', hint=hint)
    return _order(db, row, case["ref"])


def bundle_order(order: dict) -> dict:
    """An order as the case bundle carries it."""
    return {k: order[k] for k in BUNDLE_KEYS}


def bundle_orders(db: Database, case_id: int) -> list[dict]:
    cur = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM orders WHERE case_id = ? ORDER BY id", [case_id])
    return [bundle_order(_order(db, row, "")) for row in cur.fetchall()]


# ---------------------------------------------------------------- checks


def _today() -> dt.date:
    return local_now().date()


def _iso(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    return _day(value, field)


def _day(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidValue(f'{field}: "{value}" is not a date (expected YYYY-MM-DD).') from None


def check_kind(kind: str, jurisdiction: str, where: str = "--kind") -> list[str]:
    """Raise for an unknown kind (listing the case's kinds); a kind of another jurisdiction
    gives a warning (orders can be made elsewhere)."""
    mine = kinds_for(jurisdiction)
    if kind not in KINDS:
        listed = "; ".join(f"{k} ({KINDS[k].title})" for k in mine)
        raise InvalidValue(f'{where}: "{kind}" is not a kind of order. Kinds for {jurisdiction}: {listed}.')
    if kind not in mine:
        return [
            f'"{kind}" is an order of {KINDS[kind].jurisdiction}, but the case is in {jurisdiction}: '
            "recorded as given (orders can be made elsewhere); check the kind"
        ]
    return []


def _check_people(against: str, protects: list[str], keys: set[str], where: str = "-") -> None:
    hint = f"People of this case: {', '.join(sorted(keys)) or 'none yet'}"
    if not against:
        raise InvalidValue(f"{where}-against: say who the order is against (a person key such as P).", hint=hint)
    if against not in keys:
        raise InvalidValue(f'{where}-against: "{against}" is not a person of this case.', hint=hint)
    if not protects:
        raise InvalidValue(f"{where}-protects: say who the order protects (a person key such as V).", hint=hint)
    for p in protects:
        if p not in keys:
            raise InvalidValue(f'{where}-protects: "{p}" is not a person of this case.', hint=hint)
    if against in protects:
        raise InvalidValue(f'{where}-protects: "{against}" is the person the order is against.')


def _check_dates(made: dt.date, expires: dt.date | None, what: str = "--expires") -> None:
    if made > _today():
        raise InvalidValue(
            f"--made: {_shown(made)} is in the future (today is {_shown(_today())}): "
            "record an order once it has been made."
        )
    if expires is not None and expires < made:
        raise InvalidValue(
            f"{what}: {_shown(expires)} is before the order was made ({_shown(made)}).",
            hint="An order ends on or after the day it is made; for an order until further order leave it out.",
        )


def _texts(values, where: str) -> list[str]:
    out = []
    for v in values or []:
        if not isinstance(v, str):
            raise InvalidValue(f"{where}: expected text, got {json.dumps(v)[:40]}.")
        if v.strip():
            out.append(v.strip())
    return out


def _next_key(db: Database, case_id: int) -> str:
    n = db.execute(
        "SELECT max(CAST(substr(key, 2) AS INTEGER)) FROM orders WHERE case_id = ?"
        " AND key GLOB 'O[0-9]*' AND substr(key, 2) NOT GLOB '*[^0-9]*'",
        [case_id],
    ).fetchone()[0]
    return f"O{(n or 0) + 1}"


# ---------------------------------------------------------------- writing


def add_order(
    db: Database,
    case_ref: str,
    *,
    kind: str,
    against: str,
    protects: list[str],
    made: str,
    expires: str | None = None,
    interim: bool = False,
    conditions: list[str] | None = None,
    court: str | None = None,
    reference: str | None = None,
    key: str | None = None,
) -> dict:
    """Record an order. Returns ``{"order": …, "warnings": [...]}``; raises before writing
    anything when a value is wrong."""
    case = records.get_case(db, case_ref)
    if case["status"] == "closed":
        raise InvalidValue(f'Case "{case_ref}" is closed.', hint=f"Reopen it with: stalklog case reopen {case_ref}")
    warnings = check_kind(kind, case["jurisdiction"])
    people_keys = {p["key"] for p in records.people(db, case["id"])}
    protects = list(dict.fromkeys(protects))
    _check_people(against, protects, people_keys)
    _check_dates(_day(made, "--made"), _iso(expires, "--expires"))
    conditions = _texts(conditions, "--condition")
    if key:
        records.check_key(key, "--key")
        if db.execute("SELECT 1 FROM orders WHERE case_id = ? AND key = ?", [case["id"], key]).fetchone():
            raise InvalidValue(f'Case {case["ref"]} already has an order "{key}".', hint="Choose another --key.")
    else:
        key = _next_key(db, case["id"])
    row = {
        "case_id": case["id"],
        "key": key,
        "kind": kind,
        "against": against,
        "protects": json.dumps(protects, ensure_ascii=False),
        "made": made,
        "expires": expires,
        "interim": 1 if interim else 0,
        "conditions": json.dumps(conditions, ensure_ascii=False),
        "court": court or None,
        "reference": reference or None,
        "created_utc": utc_now_iso(),
    }
    oid = db["orders"].insert(row).last_pk
    appender = Appender(db)
    appender.record("create", "orders", oid, case["id"])
    appender.flush()
    return {"order": get_order(db, case["ref"], key), "warnings": warnings}


def _current(db: Database, case_ref: str, key: str, doing: str) -> tuple[dict, dict]:
    case = records.get_case(db, case_ref)
    order = get_order(db, case["ref"], key)
    if order["discharged"]:
        raise InvalidValue(
            f"Order {key} was discharged on {_shown(dt.date.fromisoformat(order['discharged']))}: it cannot be {doing}.",
            hint="Record a new order with: stalklog order add",
        )
    return case, order


def _change_row(order_id: int, change: str, field, old, new, on, reason: str, at: str) -> dict:
    return {
        "order_id": order_id,
        "change": change,
        "field": field,
        "old_value": None if field is None else json.dumps(old, ensure_ascii=False),
        "new_value": None if field is None else json.dumps(new, ensure_ascii=False),
        "on_date": on,
        "reason": reason,
        "at_utc": at,
    }


def vary_order(
    db: Database,
    case_ref: str,
    key: str,
    *,
    changes: dict | None = None,
    add_conditions: list[str] | None = None,
    reason: str,
    renew: bool = False,
) -> dict:
    """Vary (or, with ``renew``, renew) an order: ``changes`` maps ``expires``, ``court``,
    ``reference`` or ``interim`` to the new value; ``add_conditions`` adds conditions. Each
    changed field is kept as a history entry (old value, new value, reason, when)."""
    if not reason or not reason.strip():
        raise InvalidValue("--reason: say why the order was varied (e.g. the court's decision and its date).")
    case, order = _current(db, case_ref, key, "varied")
    changes = dict(changes or {})
    for name in changes:
        if name not in VARIABLE or name == "conditions":
            raise InvalidValue(
                f'--set: "{name}" is not a term that can be varied. Use expires, court, reference or interim '
                "(and --add-condition for conditions)."
            )
    if "expires" in changes:
        _check_dates(_day(order["made"], "made"), _iso(changes["expires"], "--set expires"), "--set expires")
    if "interim" in changes:
        changes["interim"] = bool(changes["interim"])
    added = _texts(add_conditions, "--add-condition")
    if added:
        changes["conditions"] = order["conditions"] + [c for c in added if c not in order["conditions"]]
    if renew and "expires" not in changes:
        raise InvalidValue("--renew: give the new end date with --set expires=DATE.")
    changed = {k: v for k, v in changes.items() if v != order[k]}
    if not changed:
        raise InvalidValue("Nothing to change: the new terms are the same as the old.")
    at = utc_now_iso()
    appender = Appender(db)
    for name, new in changed.items():
        label = "renewed" if renew and name == "expires" else "varied"
        cid = (
            db["order_changes"]
            .insert(_change_row(order["id"], label, name, order[name], new, None, reason.strip(), at))
            .last_pk
        )
        appender.record("create", "order_changes", cid, case["id"])
    update: dict[str, object] = {}
    for name, new in changed.items():
        if name == "conditions":
            update[name] = json.dumps(new, ensure_ascii=False)
        elif name == "interim":
            update[name] = 1 if new else 0
        else:
            update[name] = new or None
    db["orders"].update(order["id"], update)
    appender.record("renew" if renew else "vary", "orders", order["id"], case["id"])
    appender.flush()
    return get_order(db, case["ref"], key)


def discharge_order(db: Database, case_ref: str, key: str, *, on: str, reason: str) -> dict:
    """Record that an order was discharged on a day (it was in force through that day)."""
    if not reason or not reason.strip():
        raise InvalidValue("--reason: say why the order was discharged (e.g. the court's decision).")
    case, order = _current(db, case_ref, key, "discharged again")
    day = _day(on, "--on")
    if day > _today():
        raise InvalidValue(f"--on: {_shown(day)} is in the future: record a discharge once it has happened.")
    made = _day(order["made"], "made")
    if day < made:
        raise InvalidValue(f"--on: {_shown(day)} is before the order was made ({_shown(made)}).")
    at = utc_now_iso()
    appender = Appender(db)
    cid = (
        db["order_changes"]
        .insert(_change_row(order["id"], "discharged", None, None, None, on, reason.strip(), at))
        .last_pk
    )
    appender.record("create", "order_changes", cid, case["id"])
    db["orders"].update(order["id"], {"discharged_on": on})
    appender.record("discharge", "orders", order["id"], case["id"])
    appender.flush()
    return get_order(db, case["ref"], key)


# ---------------------------------------------------------------- bundles

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _fail(where: str, words: str) -> BundleError:
    return BundleError(f"{where}: {words}", hint="Nothing from this bundle was written.")


def _bundle_date(value, where: str, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise _fail(where, "is required (a date such as 2025-03-02)")
        return None
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise _fail(where, f"{json.dumps(value)[:40]} is not a date (expected YYYY-MM-DD)")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(where, f'"{value}" is not a date') from None
    return value


def _bundle_text(value, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _fail(where, f"expected text, got {json.dumps(value)[:40]}")
    return value


def validate_bundle_orders(orders, people_keys: set[str], jurisdiction: str) -> tuple[list[dict], list[str]]:
    """The bundle's ``orders`` checked and normalised, and warnings (a kind of another
    jurisdiction). Raises ``BundleError`` naming the field (``orders[0].against``)."""
    if orders is None:
        return [], []
    if not isinstance(orders, list):
        raise _fail("orders", "expected a list")
    out, warnings, seen = [], [], set()
    for i, o in enumerate(orders):
        where = f"orders[{i}]"
        if not isinstance(o, dict):
            raise _fail(where, "expected an object")
        key = o.get("key")
        if not isinstance(key, str) or not key:
            raise _fail(f"{where}.key", "is required")
        try:
            records.check_key(key, f"{where}.key")
        except InvalidValue as e:
            raise _fail(f"{where}.key", e.message.split(": ", 1)[-1]) from None
        if key in seen:
            raise _fail(f"{where}.key", f'"{key}" is used twice')
        seen.add(key)
        kind = o.get("kind")
        if kind not in KINDS:
            raise _fail(f"{where}.kind", f"{json.dumps(kind)[:40]} is not one of {', '.join(KINDS)}")
        warnings += [f"{where}.kind: {w}" for w in check_kind(kind, jurisdiction)]
        against = o.get("against")
        if against not in people_keys:
            raise _fail(f"{where}.against", f"{json.dumps(against)[:40]} is not a person of this case")
        protects = o.get("protects")
        if not isinstance(protects, list) or not protects:
            raise _fail(f"{where}.protects", "expected a list of person keys (at least one)")
        for j, p in enumerate(protects):
            if p not in people_keys:
                raise _fail(f"{where}.protects[{j}]", f"{json.dumps(p)[:40]} is not a person of this case")
        made = _bundle_date(o.get("made"), f"{where}.made", required=True) or ""
        expires = _bundle_date(o.get("expires"), f"{where}.expires")
        if expires is not None and expires < made:
            raise _fail(f"{where}.expires", f"{expires} is before the order was made ({made})")
        interim = o.get("interim", False)
        if interim is None:
            interim = False
        if not isinstance(interim, bool):
            raise _fail(f"{where}.interim", "expected true or false")
        conditions = o.get("conditions") or []
        if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
            raise _fail(f"{where}.conditions", "expected a list of text")
        history = o.get("history") or []
        if not isinstance(history, list):
            raise _fail(f"{where}.history", "expected a list")
        checked_history = [_bundle_history(h, f"{where}.history[{j}]") for j, h in enumerate(history)]
        out.append(
            {
                "key": key,
                "kind": kind,
                "against": against,
                "protects": list(protects),
                "made": made,
                "expires": expires,
                "interim": interim,
                "conditions": list(conditions),
                "court": _bundle_text(o.get("court"), f"{where}.court"),
                "reference": _bundle_text(o.get("reference"), f"{where}.reference"),
                "history": checked_history,
            }
        )
    return out, warnings


def _bundle_history(h, where: str) -> dict:
    if not isinstance(h, dict):
        raise _fail(where, "expected an object")
    if h.get("change") not in CHANGES:
        raise _fail(f"{where}.change", f"{json.dumps(h.get('change'))[:40]} is not one of {', '.join(CHANGES)}")
    at = h.get("at")
    if not isinstance(at, str):
        raise _fail(f"{where}.at", "is required (when the change was recorded)")
    try:
        dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(f"{where}.at", f'"{at}" is not a date-time') from None
    on = _bundle_date(h.get("on"), f"{where}.on", required=h["change"] == "discharged")
    field = h.get("field")
    if h["change"] != "discharged" and field not in VARIABLE:
        raise _fail(f"{where}.field", f"{json.dumps(field)[:40]} is not one of {', '.join(VARIABLE)}")
    return {
        "at": at,
        "change": h["change"],
        "field": field,
        "old": h.get("old"),
        "new": h.get("new"),
        "on": on,
        "reason": str(h.get("reason") or ""),
    }


def import_orders(db: Database, case_id: int, orders: list[dict], appender: Appender) -> int:
    """Write a bundle's checked orders and their history (inside the import's transaction)."""
    for o in orders:
        discharged = [h["on"] for h in o["history"] if h["change"] == "discharged"]
        oid = (
            db["orders"]
            .insert(
                {
                    "case_id": case_id,
                    "key": o["key"],
                    "kind": o["kind"],
                    "against": o["against"],
                    "protects": json.dumps(o["protects"], ensure_ascii=False),
                    "made": o["made"],
                    "expires": o["expires"],
                    "interim": 1 if o["interim"] else 0,
                    "conditions": json.dumps(o["conditions"], ensure_ascii=False),
                    "court": o["court"],
                    "reference": o["reference"],
                    "discharged_on": discharged[-1] if discharged else None,
                    "created_utc": appender.at,
                }
            )
            .last_pk
        )
        appender.record("import", "orders", oid, case_id)
        for h in o["history"]:
            has_field = h["field"] is not None
            cid = (
                db["order_changes"]
                .insert(
                    {
                        "order_id": oid,
                        "change": h["change"],
                        "field": h["field"],
                        "old_value": json.dumps(h["old"], ensure_ascii=False) if has_field else None,
                        "new_value": json.dumps(h["new"], ensure_ascii=False) if has_field else None,
                        "on_date": h["on"],
                        "reason": h["reason"],
                        "at_utc": h["at"],
                    }
                )
                .last_pk
            )
            appender.record("import", "order_changes", cid, case_id)
    return len(orders)


def orders_protecting(db: Database, case_ref: str, towards: list[str], by: list[str] | None = None) -> list[dict]:
    """The case's orders that protect one of ``towards`` (and, when ``by`` is given, are
    against one of them): the orders guided ``add`` asks about."""
    return [
        o for o in list_orders(db, case_ref) if set(o["protects"]) & set(towards) and (not by or o["against"] in by)
    ]
