"""The case bundle v1 (``stalklog.case``): export a case, import one whole or not at all.

docs/bundle.md is the format in our words. Export writes every field, with ``null`` or
``[]`` for what is absent, so that import → export → import elsewhere → export gives the
same bundle. Two optional extensions ride on incidents: ``withdrawn`` (when an entry was
withdrawn, and why) and ``history`` (its amendments); both are read back on import.
Private notes are left out unless asked for by name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Container, Iterable, Mapping

from stalklog import records, vocab
from stalklog.clock import utc_now_iso
from stalklog.errors import BundleError, InvalidDate, InvalidValue, StalklogError
from stalklog.interchange.bundle_rules import (  # the limits on free text, shared with fast_rows
    _CONTROL,
    _CONTROL_IN_KEY,
    KEY_TEXT,
    LONG_TEXT,
    NAME_TEXT,
    SHORT_TEXT,
    _stored_dates,
)
from stalklog.interchange.json_stream import IncidentStream
from stalklog.store.database import Database
from stalklog.store.ledger import Appender, _columns

FORMAT = "stalklog.case"
VERSION = 1
TOP_KEYS = ("format", "version", "case", "people", "incidents", "impacts", "orders")
CASE_KEYS = ("ref", "title", "jurisdiction", "opened", "context", "notes")
CASE_OPTIONAL = ("urn", "crime_ref", "oic")  # police details: written only when recorded
EXHIBIT_KEYS = ("ref", "description", "file", "sha256", "obtained", "producer", "how_obtained")
_SHA_RE = re.compile(r"[0-9a-f]{64}\Z")  # \Z: $ would accept a trailing newline


def _free_text(value, where: str, limit: int) -> str | None:
    """Free text: a string (or null) of at most ``limit`` characters, no control characters."""
    if value is None:
        return None
    _type_check(value, str, where, "text")
    if len(value) > limit:
        raise _fail(
            where,
            f"is {len(value):,} characters long; at most {limit:,} are accepted "
            "(shorten it, or keep the full text as an exhibit)",
        )
    if _CONTROL.search(value):
        raise _fail(where, "holds a control character; only text, tabs and line breaks are accepted")
    return value


def _key_text(value, where: str, what: str = "key") -> str:
    """A key or reference: non-empty text of at most KEY_TEXT characters, no control characters."""
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, "is required")
    if len(value) > KEY_TEXT:
        raise _fail(where, f"is {len(value)} characters long; a {what} has at most {KEY_TEXT}")
    if _CONTROL_IN_KEY.search(value):
        raise _fail(where, f"holds a control character or line break; a {what} is one line of text")
    return value


# ---------------------------------------------------------------- export


def export_bundle(db: Database, case_ref: str, *, include_private: bool = False) -> dict:
    case = records.get_case(db, case_ref)
    return {
        **_bundle_head(db, case),
        "incidents": list(iter_bundle_incidents(db, case, include_private=include_private)),
        "impacts": records.case_impacts(db, case["id"]),
        **_orders(db, case),
    }


def _orders(db: Database, case: dict) -> dict:
    """``{"orders": [...]}`` when the case has protective orders (orders-v1), else nothing."""
    from stalklog.orders import bundle_orders

    found = bundle_orders(db, case["id"])
    return {"orders": found} if found else {}


def _bundle_exhibit(e: dict) -> dict:
    """An exhibit in the bundle's shape; ``added_by`` (an addition) only when recorded."""
    out = {k: e.get(k) for k in EXHIBIT_KEYS}
    if e.get("added_by"):
        out["added_by"] = e["added_by"]
    return out


def _bundle_head(db: Database, case: dict) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "case": {k: case[k] for k in CASE_KEYS} | {k: case[k] for k in CASE_OPTIONAL if case.get(k)},
        "people": _people_with_history(db, case["id"]),
    }


def _people_with_history(db: Database, case_id: int) -> list[dict]:
    """The case's people; one renamed or corrected (``person edit``) carries its ``history``
    (an addition: the first account of who someone is is disclosable too)."""
    people = records.people(db, case_id)
    changes = records.people_history(db, case_id)
    for p in people:
        if p["key"] in changes:
            p["history"] = changes[p["key"]]
    return people


def iter_bundle_incidents(db: Database, case: dict, *, include_private: bool = False):
    """The case's incidents in the bundle's shape, in id order, one at a time."""
    # The same dicts as ``bundle_incident`` makes, made by trimming each freshly read record
    # (whose keys are already in the bundle's order) instead of copying it key by key.
    for inc in records.iter_case_incidents(db, case["id"], with_history=True):
        del inc["id"], inc["case"]
        if inc["exhibits"]:
            inc["exhibits"] = [_bundle_exhibit(e) for e in inc["exhibits"]]
        if not include_private:
            del inc["private_notes"]
        if inc["order_in_force_said"] is None:  # orders-v1: written only when answered
            del inc["order_in_force_said"]
        if not inc["withdrawn"]:
            del inc["withdrawn"]
        for name in ("written", "provenance"):  # additions: written only when recorded
            if inc[name] is None:
                del inc[name]
        history = inc.pop("history", None)
        if history and not include_private:  # a corrected private note must not leak through its history
            history = [h for h in history if h["field"] != "private_notes"]
        if history:
            inc["history"] = history
        yield inc


def write_bundle(
    db: Database, case_ref: str, out, *, include_private: bool = False, progress: Callable[[int], None] | None = None
) -> int:
    """Write the case's bundle to the text file ``out`` as it is read, one incident at a
    time; returns the number of incidents. The text is exactly
    ``json.dumps(export_bundle(…), indent=2, ensure_ascii=False) + "\n"``. ``progress`` is
    told of every ``PROGRESS_STEP`` incidents written."""
    case = records.get_case(db, case_ref)
    head = {
        **_bundle_head(db, case),
        "incidents": [],
        "impacts": records.case_impacts(db, case["id"]),
        **_orders(db, case),
    }
    text = json.dumps(head, indent=2, ensure_ascii=False)
    # Strings never hold a raw line break, so this is the one place the empty list stands.
    marker = '\n  "incidents": [],\n'
    before, after = text.split(marker)
    out.write(before + '\n  "incidents": [')
    n = 0
    for inc in iter_bundle_incidents(db, case, include_private=include_private):
        out.write(("\n    " if n == 0 else ",\n    ") + _indented(inc, "    "))
        n += 1
        if progress is not None and n % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP)
    if progress is not None and n % PROGRESS_STEP:
        progress(n % PROGRESS_STEP)
    out.write(("\n  ]," if n else "],") + "\n" + after + "\n")
    return n


_json_value = json.JSONEncoder(ensure_ascii=False).encode
_text = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


def _scalar(value) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for a value that is not a list or dict."""
    kind = value.__class__
    if kind is str:
        return _text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    return _json_value(value)  # floats, and anything JSON refuses (the same error)


def _indented(value, pad: str) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` for a value nested ``pad`` deep:
    the same text, written without the pure-Python encoder's generators (which
    ``indent`` forces) for the shapes a bundle has."""
    kind = value.__class__
    if kind is dict or isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + "  "
        parts = []
        for k, v in value.items():
            if k.__class__ is not str:  # JSON would turn the key into text: leave that to json
                return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)
            c = v.__class__
            parts.append(
                f"{inner}{_text(k)}: " + (_text(v) if c is str else "null" if v is None else _indented(v, inner))
            )
        return "{\n" + ",\n".join(parts) + "\n" + pad + "}"
    if kind is list or kind is tuple or isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = pad + "  "
        return (
            "[\n"
            + ",\n".join(inner + (_text(v) if v.__class__ is str else _indented(v, inner)) for v in value)
            + "\n"
            + pad
            + "]"
        )
    return _scalar(value)


def bundle_incident(inc: dict, *, include_private: bool = False, history: list | None = None) -> dict:
    out = {k: inc[k] for k in records.BUNDLE_INCIDENT_FIELDS if k != "private_notes"}
    out["exhibits"] = [_bundle_exhibit(e) for e in inc["exhibits"]]
    if include_private:
        out["private_notes"] = inc["private_notes"]
    if inc.get("order_in_force_said") is not None:
        out["order_in_force_said"] = inc["order_in_force_said"]
    if inc.get("withdrawn"):
        out["withdrawn"] = inc["withdrawn"]
    for name in ("written", "provenance"):  # additions: written only when recorded
        if inc.get(name) is not None:
            out[name] = inc[name]
    if history and not include_private:  # a corrected private note must not leak through its history
        history = [h for h in history if h["field"] != "private_notes"]
    if history:
        out["history"] = history
    return out


# ---------------------------------------------------------------- validation


def _fail(where: str, text: str) -> BundleError:
    return BundleError(f"{where}: {text}", hint="Nothing from this bundle was written.")


def _type_check(value, kind: type | tuple, where: str, expected: str):
    if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise _fail(where, f"expected {expected}, got {json.dumps(value)}")
    if not isinstance(value, kind):
        raise _fail(where, f"expected {expected}, got {json.dumps(value, default=str)[:60]}")
    return value


def _date(value, where: str, *, month_ok: bool = False) -> str | None:
    if value is None:
        return None
    _type_check(value, str, where, "a date such as 2025-01-05")
    if month_ok and re.fullmatch(r"\d{4}-\d{2}", value):
        try:
            dt.date.fromisoformat(value + "-01")
            return value
        except ValueError:
            pass
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(where, f'"{value}" is not a date (expected YYYY-MM-DD)') from None
    return value


def _utc(value, where: str) -> str | None:
    if value is None:
        return None
    _type_check(value, str, where, "an ISO date-time")
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(where, f'"{value}" is not a date-time (expected e.g. 2025-01-05T20:10:00+00:00)') from None
    return value


def validate(bundle, *, keep: bool = True) -> tuple[dict, list[str]]:
    """Check a whole bundle; return it normalised, and warnings. Raises ``BundleError``.
    With ``keep=False`` the incidents are checked one at a time and none is kept (the
    returned bundle has none): for a bundle read a piece at a time (``read_bundle``)."""
    head, warnings, all_keys = _validate_head(bundle)
    people_keys = {p["key"] for p in head["people"]}
    limit = _future_limit()
    checked = (_checked_incident(i, inc, people_keys, all_keys, limit) for i, inc in enumerate(bundle["incidents"]))
    incidents = list(checked) if keep else []
    if not keep:
        for _ in checked:  # each incident checked, none kept
            pass
    impacts = _validate_impacts(bundle.get("impacts", []))
    orders, more = _validate_orders(bundle, head)
    extra = {"orders": orders} if orders else {}
    return {**head, "incidents": incidents, "impacts": impacts, **extra}, warnings + more


def _validate_orders(bundle: dict, head: dict) -> tuple[list[dict], list[str]]:
    """The bundle's optional ``orders`` (orders-v1), checked against its people."""
    if bundle.get("orders") is None:
        return [], []
    from stalklog.orders import validate_bundle_orders

    orders: list = bundle["orders"] if isinstance(bundle["orders"], list) else []
    for i, o in enumerate(orders):
        if not isinstance(o, dict):
            continue
        conditions: list = o["conditions"] if isinstance(o.get("conditions"), list) else []
        for j, c in enumerate(conditions):
            _free_text(c, f"orders[{i}].conditions[{j}]", SHORT_TEXT)
        _free_text(o.get("court"), f"orders[{i}].court", NAME_TEXT)
        if o.get("reference") is not None:
            _key_text(o["reference"], f"orders[{i}].reference", "order reference")
        history: list = o["history"] if isinstance(o.get("history"), list) else []
        for j, h in enumerate(history):
            if isinstance(h, dict):
                _free_text(h.get("reason"), f"orders[{i}].history[{j}].reason", SHORT_TEXT)
    return validate_bundle_orders(bundle["orders"], {p["key"] for p in head["people"]}, head["case"]["jurisdiction"])


def check(bundle) -> list[str]:
    """``validate`` keeping nothing (a dry run of a bundle read with ``read_bundle``, one
    incident at a time): the same checks; returns the warnings."""
    return validate(bundle, keep=False)[1]


def _validate_head(bundle) -> tuple[dict, list[str], set[str]]:
    """Everything before the incidents themselves: the format, the case, the people, and
    the incidents' keys (each present and used once). Returns the normalised head (format,
    version, case, people), the warnings and the set of incident keys."""
    warnings = []
    _type_check(bundle, dict, "bundle", "a JSON object")
    if bundle.get("format") != FORMAT:
        raise _fail("format", f'expected "{FORMAT}", got {json.dumps(bundle.get("format"))[:40]}')
    if bundle.get("version") != VERSION or isinstance(bundle.get("version"), bool):
        raise _fail(
            "version",
            f"expected {VERSION}, got {json.dumps(bundle.get('version'))[:20]} (a newer stalklog may have written it)",
        )
    for key in bundle:
        if key not in TOP_KEYS:
            warnings.append(f'unknown top-level key "{key}" ignored')
    case = _validate_case(bundle.get("case"))
    people = _validate_people(bundle.get("people"))
    all_keys = _incident_keys(bundle.get("incidents"))
    return {"format": FORMAT, "version": VERSION, "case": case, "people": people}, warnings, all_keys


def _validate_case(case) -> dict:
    if case is None:
        raise _fail("case", "is required")
    _type_check(case, dict, "case", "an object")
    if not case:
        raise _fail("case", "is an empty object: it needs at least ref and jurisdiction")
    ref = case.get("ref")
    if not isinstance(ref, str) or not ref.strip():
        raise _fail("case.ref", "is required (the case's reference)")
    _key_text(ref, "case.ref", "case reference")
    _free_text(case.get("title"), "case.title", NAME_TEXT)
    _free_text(case.get("notes"), "case.notes", LONG_TEXT)
    for k in CASE_OPTIONAL:
        _free_text(case.get(k), f"case.{k}", NAME_TEXT)
    juris = case.get("jurisdiction")
    if juris not in vocab.JURISDICTIONS:
        raise _fail("case.jurisdiction", f"{json.dumps(juris)[:40]} is not one of {', '.join(vocab.JURISDICTIONS)}")
    context = case.get("context") or []
    _type_check(context, list, "case.context", "a list")
    for i, c in enumerate(context):
        if c not in vocab.CONTEXTS:
            raise _fail(f"case.context[{i}]", f"{json.dumps(c)[:40]} is not one of {', '.join(vocab.CONTEXTS)}")
    for k in ("title", "notes", *CASE_OPTIONAL):
        if case.get(k) is not None:
            _type_check(case[k], str, f"case.{k}", "text")
    return {
        **{k: case[k] for k in CASE_OPTIONAL if case.get(k)},
        "ref": ref,
        "title": case.get("title"),
        "jurisdiction": juris,
        "opened": _date(case.get("opened"), "case.opened"),
        "context": list(context),
        "notes": case.get("notes"),
    }


def _validate_people(people) -> list[dict]:
    if people is None:
        raise _fail("people", "is required (at least one victim)")
    _type_check(people, list, "people", "a list")
    out, seen = [], set()
    for i, p in enumerate(people):
        where = f"people[{i}]"
        _type_check(p, dict, where, "an object")
        if not p:
            raise _fail(where, "is an empty object: a person needs at least key and role")
        key = _key_text(p.get("key"), f"{where}.key")
        _free_text(p.get("name"), f"{where}.name", NAME_TEXT)
        if key in seen:
            raise _fail(f"{where}.key", f'"{key}" is used twice')
        seen.add(key)
        if p.get("role") not in vocab.ROLES:
            raise _fail(f"{where}.role", f"{json.dumps(p.get('role'))[:40]} is not one of {', '.join(vocab.ROLES)}")
        rel = p.get("relationship")
        if rel is not None and rel not in vocab.RELATIONSHIPS:
            raise _fail(
                f"{where}.relationship", f"{json.dumps(rel)[:40]} is not one of {', '.join(vocab.RELATIONSHIPS)}"
            )
        if p.get("name") is not None:
            _type_check(p["name"], str, f"{where}.name", "text")
        idents = p.get("identifiers") or []
        _type_check(idents, list, f"{where}.identifiers", "a list")
        for j, ident in enumerate(idents):
            _type_check(ident, str, f"{where}.identifiers[{j}]", "text")
            _key_text(ident, f"{where}.identifiers[{j}]", "phone number, handle or address")
        history = _validate_history(p.get("history") or [], where)
        for j, h in enumerate(history):
            if h["field"] not in records.PERSON_EDITABLE:
                raise _fail(
                    f"{where}.history[{j}].field",
                    f"{json.dumps(h['field'])[:40]} is not one of {', '.join(records.PERSON_EDITABLE)}",
                )
        out.append(
            {
                "key": key,
                "role": p["role"],
                "name": p.get("name"),
                "relationship": rel,
                "lived_together_until": _date(p.get("lived_together_until"), f"{where}.lived_together_until"),
                "identifiers": list(idents),
                "history": history,
            }
        )
    if not any(p["role"] == "victim" for p in out):
        raise _fail("people", 'needs at least one person with role "victim"')
    return out


def _incident_keys(incidents) -> set[str]:
    if incidents is None:
        raise _fail("incidents", "is required (it may be an empty list)")
    if isinstance(incidents, IncidentStream):  # read from the file: each incident's key, read ahead
        incidents = incidents.stubs()
    else:
        _type_check(incidents, list, "incidents", "a list")
    all_keys = set()
    for i, inc in enumerate(incidents):
        _type_check(inc, dict, f"incidents[{i}]", "an object")
        if not inc:
            raise _fail(
                f"incidents[{i}]", "is an empty object: an incident needs at least key, occurred, by and towards"
            )
        key = _key_text(inc.get("key"), f"incidents[{i}].key")
        if key in all_keys:
            raise _fail(f"incidents[{i}].key", f'"{key}" is used twice')
        all_keys.add(key)
    return all_keys


def _checked_incident(i: int, inc: dict, people_keys: set[str], all_keys: Container[str], limit: dt.datetime) -> dict:
    try:
        return _validate_incident(i, inc, people_keys, all_keys, limit)
    except BundleError as e:  # every message names the field and the incident's key
        if f"(incident {inc['key']})" not in e.message:
            e.message = f"{e.message} (incident {inc['key']})"
            e.args = (e.message,)
        raise


class _KeysBut:
    """The bundle's incident keys except one, without copying the set for every incident
    (a copy per incident made a 20,000-incident import quadratic)."""

    def __init__(self, keys: Container[str], but: str):
        self.keys, self.but = keys, but

    def __contains__(self, key) -> bool:
        return key != self.but and key in self.keys


# Bundles may come from another machine a few time zones ahead: a day's grace.
_FUTURE_GRACE = dt.timedelta(days=1)


def _future_limit() -> dt.datetime:
    from stalklog.clock import local_now

    return local_now() + _FUTURE_GRACE


def _validate_incident(i: int, inc: dict, people_keys: set[str], all_keys: Container[str], limit: dt.datetime) -> dict:
    from stalklog.dates import from_stored

    where = f"incidents[{i}]"
    for req in ("occurred", "by", "towards"):
        if req not in inc:
            raise _fail(f"{where}.{req}", "is required")
    for name, longest in _INCIDENT_TEXT_LIMITS:
        if inc.get(name) is not None:
            _free_text(inc[name], f"{where}.{name}", longest)
    for name in ("witnesses",):
        for j, item in enumerate(inc.get(name) or [] if isinstance(inc.get(name), list) else []):
            _free_text(item, f"{where}.{name}[{j}]", NAME_TEXT)
    if inc.get("police_ref") is not None:
        _key_text(inc["police_ref"], f"{where}.police_ref", "police reference")
    precision = inc.get("precision") or ("exact" if "T" in str(inc["occurred"]) else "day")
    if precision not in vocab.PRECISIONS:
        raise _fail(f"{where}.precision", f"{json.dumps(precision)[:30]} is not one of {', '.join(vocab.PRECISIONS)}")
    if not isinstance(inc["occurred"], str):
        raise _fail(f"{where}.occurred", f"{json.dumps(inc['occurred'])[:40]} is not a date")
    end = inc.get("occurred_end")
    if end is not None and not isinstance(end, str):
        raise _fail(f"{where}.occurred_end", f"{json.dumps(end)[:40]} is not a date")
    stored = _stored_dates(inc["occurred"], precision, end, limit)
    if stored is None:  # not in the shapes stalklog writes, or wrong: the full reading says why
        try:
            when = from_stored(inc["occurred"], precision)
        except InvalidDate as e:
            raise _fail(f"{where}.occurred", e.message) from None
        if end is not None:
            try:
                when = from_stored(inc["occurred"], precision, end)
            except InvalidDate as e:
                raise _fail(f"{where}.occurred_end", e.message) from None
        if (when.end or when.start) > limit:
            raise _fail(
                f"{where}.occurred_end" if when.end else f"{where}.occurred",
                f'"{end if when.end else inc["occurred"]}" is in the future',
            )
        stored = when.occurred(), when.occurred_end()
    fields = dict(zip(_COPIED_FIELDS, map(inc.get, _COPIED_FIELDS), strict=True))
    fields["occurred"], fields["occurred_end"], fields["precision"] = stored[0], stored[1], precision
    fields["recorded"] = _utc(inc.get("recorded"), f"{where}.recorded")
    fields["written"] = _utc(inc.get("written"), f"{where}.written")
    fields["provenance"] = inc.get("provenance")
    try:
        norm = records.validate_incident(
            fields, where=where, people_keys=people_keys, incident_keys=_KeysBut(all_keys, inc["key"]), copy=False
        )
    except InvalidValue as e:
        raise BundleError(
            f"{e.message} (incident {inc['key']})", hint="Nothing from this bundle was written."
        ) from None
    norm["exhibits"] = _validate_exhibits(inc.get("exhibits") or [], where)
    said = inc.get("order_in_force_said")
    if said is not None and not isinstance(said, bool):
        raise _fail(f"{where}.order_in_force_said", "expected true, false or null")
    norm["order_in_force_said"] = said
    norm["withdrawn"] = _validate_withdrawn(inc.get("withdrawn"), where)
    norm["history"] = _validate_history(inc.get("history") or [], where)
    return norm


_INCIDENT_TEXT_LIMITS = (
    ("summary", LONG_TEXT),
    ("words", LONG_TEXT),
    ("private_notes", LONG_TEXT),
    ("location", SHORT_TEXT),
    ("stated_purpose", SHORT_TEXT),
    ("provenance", NAME_TEXT),
)

_COPIED_FIELDS = tuple(k for k in records.BUNDLE_INCIDENT_FIELDS if k != "exhibits")


def _validate_exhibits(exhibits, where: str) -> list[dict]:
    _type_check(exhibits, list, f"{where}.exhibits", "a list")
    out = []
    for j, e in enumerate(exhibits):
        w = f"{where}.exhibits[{j}]"
        _type_check(e, dict, w, "an object")
        ref = e.get("ref")
        if not isinstance(ref, str) or not _exhibit_ref(ref):
            raise _fail(f"{w}.ref", f"{json.dumps(ref)[:30]} is not an exhibit reference such as AD/1 or AD/1/1")
        digest = e.get("sha256")
        if digest is not None and (not isinstance(digest, str) or not _SHA_RE.match(digest)):  # \Z-anchored
            raise _fail(f"{w}.sha256", "expected 64 lowercase hex digits")
        for k, limit in (
            ("description", SHORT_TEXT),
            ("how_obtained", SHORT_TEXT),
            ("producer", NAME_TEXT),
            ("added_by", NAME_TEXT),
        ):
            _free_text(e.get(k), f"{w}.{k}", limit)
        if _free_text(e.get("file"), f"{w}.file", NAME_TEXT) is not None:
            if _CONTROL_IN_KEY.search(e["file"]):
                raise _fail(f"{w}.file", "holds a control character or line break; a file name is one line")
        out.append(
            {
                **{k: e.get(k) for k in EXHIBIT_KEYS},
                "obtained": _utc(e.get("obtained"), f"{w}.obtained"),
                "added_by": e.get("added_by"),
            }
        )
    return out


def _validate_withdrawn(value, where: str) -> dict | None:
    if value is None:
        return None
    _type_check(value, dict, f"{where}.withdrawn", "an object")
    if not value:
        raise _fail(f"{where}.withdrawn", "is an empty object: give at least the reason (or leave withdrawn out)")
    _free_text(value.get("reason"), f"{where}.withdrawn.reason", SHORT_TEXT)
    return {
        "at": _utc(value.get("at"), f"{where}.withdrawn.at") or utc_now_iso(),
        "reason": str(value.get("reason") or ""),
    }


def _correction_row(h: dict) -> dict:
    """A correction from the bundle's ``history`` as stored (an incident's or a person's)."""
    return {
        "field": h["field"],
        "old_value": json.dumps(h["old"], ensure_ascii=False),
        "new_value": json.dumps(h["new"], ensure_ascii=False),
        "reason": h["reason"],
        "by": h["by"],
        "at_utc": h["at"],
    }


def _insert_person_history(db: Database, case_id: int, person_id: int, history: list[dict], appender) -> None:
    """A person's corrections (``person edit``) as the bundle carries them: the first
    account of a name travels with the case, as an incident's corrections do."""
    for h in history:
        aid = db["person_amendments"].insert({"case_id": case_id, "person_id": person_id, **_correction_row(h)}).last_pk
        appender.record("import", "person_amendments", aid, case_id)


def _validate_history(value, where: str) -> list[dict]:
    _type_check(value, list, f"{where}.history", "a list")
    out = []
    for j, h in enumerate(value):
        _type_check(h, dict, f"{where}.history[{j}]", "an object")
        if not isinstance(h.get("field"), str):
            raise _fail(f"{where}.history[{j}].field", "is required")
        _key_text(h["field"], f"{where}.history[{j}].field", "field name")
        _free_text(h.get("reason"), f"{where}.history[{j}].reason", SHORT_TEXT)
        _free_text(h.get("by"), f"{where}.history[{j}].by", NAME_TEXT)
        for side in ("old", "new"):
            if len(json.dumps(h.get(side), ensure_ascii=False)) > LONG_TEXT:
                raise _fail(f"{where}.history[{j}].{side}", f"is longer than {LONG_TEXT:,} characters")
        out.append(
            {
                "field": h["field"],
                "old": h.get("old"),
                "new": h.get("new"),
                "reason": str(h.get("reason") or ""),
                "by": h.get("by"),
                "at": _utc(h.get("at"), f"{where}.history[{j}].at") or utc_now_iso(),
            }
        )
    return out


# ---------------------------------------------------------------- import


def import_bundle(
    db: Database,
    bundle,
    *,
    as_ref: str | None = None,
    exhibit_files: Mapping[str, bytes] | None = None,
    consume: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Validate and write a whole bundle as a new case. ``exhibit_files`` maps an exhibit's
    ``file`` to its bytes (from a zip bundle). Returns ``{"case": ref, "incidents": n, "warnings": […]}``.

    All or nothing: the case, its people and their keys are checked first; then each
    incident is checked and written in one pass, inside a transaction (a savepoint within
    the caller's), so an error in the last incident undoes everything before it. With
    ``consume``, each incident of ``bundle`` is dropped once written, so the parsed
    bundle's memory is given back as the import goes (the caller must not use it after)."""
    from stalklog.store.database import transaction

    head, warnings, all_keys = _validate_head(bundle)
    orders, order_warnings = _validate_orders(bundle, head)
    warnings += order_warnings
    ref = as_ref or head["case"]["ref"]
    if db.execute("SELECT 1 FROM cases WHERE ref = ?", [ref]).fetchone():
        check(bundle)  # a bundle that is also invalid says so first, as it always has
        raise BundleError(
            f'case.ref: a case "{ref}" is already in this case file.',
            hint="Import it under another reference with --as NEWREF. Nothing was written.",
        )
    with transaction(db):
        appender = Appender(db)
        case = _write_case(db, head, ref, appender)
        people_keys = {p["key"] for p in head["people"]}
        n = _insert_incidents(
            db,
            case["id"],
            bundle["incidents"],
            people_keys,
            all_keys,
            appender,
            exhibit_files or {},
            consume=consume,
            progress=progress,
        )
        _write_impacts_and_orders(db, case, _validate_impacts(bundle.get("impacts", [])), orders, appender)
        appender.flush()
    return {"case": ref, "incidents": n, "people": len(head["people"]), "warnings": warnings}


def _write_case(db: Database, head: dict, ref: str, appender: Appender) -> dict:
    """The bundle's case (as ``ref``) and its people, with their corrections."""
    c = head["case"]
    case = records.create_case(
        db,
        ref,
        title=c["title"],
        jurisdiction=c["jurisdiction"],
        opened=c["opened"],
        context=c["context"],
        notes=c["notes"],
        appender=appender,
        police={k: c[k] for k in CASE_OPTIONAL if c.get(k)},
    )
    for p in head["people"]:
        person = records.add_person(
            db,
            ref,
            role=p["role"],
            name=p["name"],
            relationship=p["relationship"],
            key=p["key"],
            lived_together_until=p["lived_together_until"],
            identifiers=p["identifiers"],
            appender=appender,
            case=case,
        )
        _insert_person_history(db, case["id"], person["id"], p.get("history") or [], appender)
    return case


def _write_impacts_and_orders(db: Database, case: dict, impacts: list[dict], orders: list, appender: Appender) -> None:
    """What the bundle writes after the incidents: the case's impacts, then its orders."""
    for imp in impacts:
        iid = (
            db["case_impacts"]
            .insert(
                {
                    "case_id": case["id"],
                    "kind": imp["kind"],
                    "date": imp["date"],
                    "detail": imp["detail"],
                    "created_utc": appender.at,
                }
            )
            .last_pk
        )
        appender.record("import", "case_impacts", iid, case["id"])
    if orders:
        from stalklog.orders import import_orders

        import_orders(db, case["id"], orders, appender)


def _validate_impacts(impacts) -> list[dict]:
    _type_check(impacts, list, "impacts", "a list")
    out = []
    for i, imp in enumerate(impacts):
        _type_check(imp, dict, f"impacts[{i}]", "an object")
        if imp.get("kind") not in vocab.IMPACTS:
            raise _fail(f"impacts[{i}].kind", f"{json.dumps(imp.get('kind'))[:40]} is not a day-to-day impact word")
        detail = _free_text(imp.get("detail"), f"impacts[{i}].detail", SHORT_TEXT)
        out.append(
            {"kind": imp["kind"], "date": _date(imp.get("date"), f"impacts[{i}].date", month_ok=True), "detail": detail}
        )
    return out


def _next_id(db: Database, table: str) -> int:
    return (db.execute(f"SELECT max(id) FROM [{table}]").fetchone()[0] or 0) + 1


_BATCH = 5000
PROGRESS_STEP = 500  # incidents between calls of a progress callback


def _insert_incidents(
    db: Database,
    case_id: int,
    incidents: Iterable,
    people_keys: set[str],
    all_keys: Container[str],
    appender: Appender,
    exhibit_files: Mapping[str, bytes],
    *,
    consume: bool = False,
    progress: Callable[[int], None] | None = None,
    as_json_reads: Callable[[dict], dict] | None = None,
) -> int:
    """Check each incident and write it (rows in batches, ledger entries in the same pass);
    then the corrections and exhibits of those that have any. Returns how many.
    ``as_json_reads(raw)`` gives an incident as the json module reads it, for the full way
    (one_pass may read an incident with orjson, which reads some numbers otherwise)."""
    from stalklog.interchange.fast_rows import NULL, NULL_PARAM, FastRows

    cols = _columns(db, "incidents")
    # NULL is bound as a stand-in integer (fast_rows.NULL) that the statement turns back
    # into NULL: the sqlite3 module binds None several times slower than a number
    sql = (
        f"INSERT INTO [incidents] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join([NULL_PARAM] * len(cols))})"
    )
    next_id = _next_id(db, "incidents")
    now = appender.at
    limit = _future_limit()
    batch: list[tuple] = []
    later: list[tuple[int, list, list]] = []  # (id, history, exhibits) of the few that have any
    incident_row = records._incident_row  # noqa: SLF001
    record = appender.record
    # The usual incident the quick way (the same checks, row and hashes); any other the full way
    from stalklog.store.ledger import EntryTemplate

    fast_row = FastRows(cols, case_id, now, people_keys, all_keys, limit).row
    template = EntryTemplate(appender.at, "import", "incidents", case_id)
    record_content = appender.record_content
    # a stream holds one incident at a time anyway; a list lets each go once it is written
    drop = incidents.__setitem__ if consume and isinstance(incidents, list) else None
    n = 0
    with _fts_in_bulk(db, "incidents", case_id):
        for i, raw in enumerate(incidents):
            n += 1
            fast = fast_row(raw, next_id)
            if fast is not None:
                if drop is not None:
                    drop(i, None)
                batch.append(fast[0])
                record_content("import", "incidents", next_id, case_id, fast[1], template)
                next_id += 1
                if len(batch) >= _BATCH:
                    db.conn.executemany(sql, batch)
                    batch.clear()
                if progress is not None and n % PROGRESS_STEP == 0:
                    progress(PROGRESS_STEP)
                continue
            if as_json_reads is not None:
                raw = as_json_reads(raw)
            inc = _checked_incident(i, raw, people_keys, all_keys, limit)
            if drop is not None:
                drop(i, None)
            row = incident_row(case_id, inc["key"], inc, now)
            withdrawn = inc["withdrawn"]
            row["withdrawn_utc"] = withdrawn["at"] if withdrawn else None
            row["withdrawn_reason"] = withdrawn["reason"] if withdrawn else None
            row["id"] = next_id
            if inc["history"] or inc["exhibits"]:
                later.append((next_id, inc["history"], inc["exhibits"]))
            batch.append(tuple([NULL if (v := row.get(c)) is None else v for c in cols]))
            record("import", "incidents", next_id, case_id, row=row)
            next_id += 1
            if len(batch) >= _BATCH:
                db.conn.executemany(sql, batch)
                batch.clear()
            if progress is not None and n % PROGRESS_STEP == 0:
                progress(PROGRESS_STEP)
        if batch:
            db.conn.executemany(sql, batch)
        if progress is not None and n % PROGRESS_STEP:
            progress(n % PROGRESS_STEP)
    for iid, history, exhibits in later:
        for h in history:
            aid = db["amendments"].insert({"incident_id": iid, **_correction_row(h)}).last_pk
            appender.record("import", "amendments", aid, case_id)
        for e in exhibits:
            _insert_exhibit(db, case_id, iid, e, exhibit_files, appender)
    return n


class _fts_in_bulk:  # noqa: N801 - a context manager used like a function
    """Index a case's new rows in the full-text index once, at the end, instead of row by
    row through the insert trigger (which costs more than the insert itself).

    Inside the caller's transaction the trigger is dropped and made again from its own SQL,
    and the new rows are indexed with one INSERT … SELECT, read in rowid order from the
    first new rowid (the case's rows in one sweep of the table, as the trigger would have
    indexed them; through the case's index they were read all over the table, twice the
    time): if anything fails, the transaction's rollback restores the trigger with
    everything else."""

    def __init__(self, db: Database, table: str, case_id: int):
        self.db, self.table, self.case_id = db, table, case_id
        self.trigger = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [f"{table}_ai"]
        ).fetchone()
        fts = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [f"{table}_fts"]).fetchone()
        match = re.search(r'INSERT INTO "(\w+)" \(rowid, ([^)]*)\) VALUES', self.trigger[1]) if self.trigger else None
        self.columns = match.group(2) if match and fts and match.group(1) == f"{table}_fts" else None

    def __enter__(self):
        if self.columns is not None:
            self.first = (self.db.execute(f"SELECT max(rowid) FROM [{self.table}]").fetchone()[0] or 0) + 1
            self.db.execute(f'DROP TRIGGER "{self.trigger[0]}"')
        return self

    def __exit__(self, kind, *_):
        if self.columns is None or kind is not None:  # on an error the rollback restores the trigger
            return False
        self.db.execute(
            f"INSERT INTO [{self.table}_fts] (rowid, {self.columns}) "
            f"SELECT rowid, {self.columns} FROM [{self.table}] WHERE rowid >= ? AND +case_id = ? ORDER BY rowid",
            [self.first, self.case_id],
        )
        self.db.execute(self.trigger[1])
        return False


def _original_name(exhibit: dict) -> str:
    """An exhibit file's own name, not its path inside a zip bundle."""
    from stalklog.interchange.exhibit_paths import original_name

    return original_name(exhibit["ref"], exhibit["file"])


def _insert_exhibit(
    db: Database, case_id: int, incident_id: int, e: dict, files: Mapping[str, bytes], appender: Appender
) -> None:
    content = files.get(e["file"]) if e.get("file") else None
    if db.execute("SELECT 1 FROM exhibits WHERE case_id = ? AND ref = ?", [case_id, e["ref"]]).fetchone():
        raise BundleError(
            f"exhibit {e['ref']} appears twice in the bundle.", hint="Nothing from this bundle was written."
        )
    eid = (
        db["exhibits"]
        .insert(
            {
                "case_id": case_id,
                "incident_id": incident_id,
                "ref": e["ref"],
                "description": e["description"],
                "file_name": _original_name(e) if content is not None else e["file"],
                "size": len(content) if content is not None else e.get("size"),
                "sha256": e["sha256"],
                "content": content,
                "producer": e["producer"],
                "obtained": e["obtained"],
                "how_obtained": e["how_obtained"],
                "created_utc": appender.at,
                "added_by": e.get("added_by"),
            }
        )
        .last_pk
    )
    appender.record("import", "exhibits", eid, case_id)
    ev = (
        db["exhibit_events"]
        .insert(
            {
                "exhibit_id": eid,
                "event": "imported",
                "by": None,
                "at_utc": appender.at,
                "detail": "with its file" if content is not None else "reference only",
            }
        )
        .last_pk
    )
    appender.record("import", "exhibit_events", ev, case_id)


def _no_duplicate_keys(pairs: list) -> dict:
    """JSON allows a key twice in one object and keeps the last: a bundle must not be that
    ambiguous (which ``summary`` did the person mean?)."""
    found = dict(pairs)
    if len(found) == len(pairs):  # the usual case, checked in C
        return found
    seen: dict = {}
    for k, v in pairs:
        if k in seen:
            owner = dict(pairs).get("key")
            where = f' (in the object with key "{owner}")' if isinstance(owner, str) else ""
            raise BundleError(
                f'"{k}" appears twice in one JSON object{where}; which one is meant is unclear.',
                hint="Nothing was written.",
            )
        seen[k] = v
    return seen


def read_bundle(path, source: str | None = None) -> dict:
    """A bundle file, read a piece at a time (``json_stream``): the top-level values as a
    dict, ``incidents`` an ``IncidentStream`` read from the file each time it is iterated.
    The same dicts and the same errors as ``load_json`` of the whole text: any JSON error
    is left to ``load_json`` to name. Raises ``BundleError``."""
    from pathlib import Path

    path = Path(path)
    source = source or str(path)

    def not_text() -> BundleError:
        return BundleError(f"{source} is not a text (UTF-8) JSON file.", hint="Nothing was written.")

    def whole() -> str:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise not_text() from None

    return stream_bundle(lambda: open(path, encoding="utf-8"), whole, source, not_text)  # noqa: SIM115


def stream_bundle(opener, whole_text, source: str, not_text) -> dict:
    """``read_bundle`` for any text: ``opener()`` opens it as a text file (each pass
    opens it again), ``whole_text()`` gives all of it (only to name a JSON error in the
    json module's words) and ``not_text()`` is the error for bytes that are not UTF-8."""
    from stalklog.interchange.json_stream import NotStreamable, open_bundle

    try:
        return open_bundle(opener, _no_duplicate_keys)
    except UnicodeDecodeError:
        raise not_text() from None
    except (NotStreamable, RecursionError, ValueError):
        pass  # not valid JSON, or not an object: the whole-file reading says why, in its words
    return load_json(whole_text(), source)


def load_json(text: str, source: str) -> dict:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as e:
        raise BundleError(
            f"{source} is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}).", hint="Nothing was written."
        ) from None
    except RecursionError:
        raise BundleError(f"{source} is nested too deeply to be a case bundle.", hint="Nothing was written.") from None
    except ValueError as e:  # e.g. a number of more than 4,300 digits
        raise BundleError(f"{source} is not a usable JSON file ({e}).", hint="Nothing was written.") from None


__all__ = ["export_bundle", "import_bundle", "validate", "check", "load_json", "read_bundle", "StalklogError"]


def _exhibit_ref(ref: str) -> bool:
    """Whether ``ref`` is an exhibit reference (AD/1, AD/1/1): evidence.REF_RE is the rule."""
    from stalklog.evidence import REF_RE

    return REF_RE.match(ref) is not None  # anchored with \Z: no trailing newline
