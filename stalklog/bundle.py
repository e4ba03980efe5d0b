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

from stalklog import model, records
from stalklog.clock import utc_now_iso
from stalklog.db import Database
from stalklog.errors import BundleError, InvalidDate, InvalidValue, StalklogError
from stalklog.ledger import Appender, _columns

FORMAT = "stalklog.case"
VERSION = 1
TOP_KEYS = ("format", "version", "case", "people", "incidents", "impacts")
CASE_KEYS = ("ref", "title", "jurisdiction", "opened", "context", "notes")
EXHIBIT_KEYS = ("ref", "description", "file", "sha256", "obtained", "producer", "how_obtained")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_REF_RE = re.compile(r"^[A-Za-z]{1,6}/\d+(/\d+)*$")


# ---------------------------------------------------------------- export


def export_bundle(db: Database, case_ref: str, *, include_private: bool = False) -> dict:
    case = records.get_case(db, case_ref)
    return {**_bundle_head(db, case), "incidents": list(iter_bundle_incidents(db, case, include_private=include_private)),
            "impacts": records.case_impacts(db, case["id"])}


def _bundle_head(db: Database, case: dict) -> dict:
    return {"format": FORMAT, "version": VERSION, "case": {k: case[k] for k in CASE_KEYS},
            "people": records.people(db, case["id"])}


def iter_bundle_incidents(db: Database, case: dict, *, include_private: bool = False):
    """The case's incidents in the bundle's shape, in id order, one at a time."""
    # The same dicts as ``bundle_incident`` makes, made by trimming each freshly read record
    # (whose keys are already in the bundle's order) instead of copying it key by key.
    for inc in records.iter_case_incidents(db, case["id"], with_history=True):
        del inc["id"], inc["case"]
        if inc["exhibits"]:
            inc["exhibits"] = [{k: e.get(k) for k in EXHIBIT_KEYS} for e in inc["exhibits"]]
        if not include_private:
            del inc["private_notes"]
        if not inc["withdrawn"]:
            del inc["withdrawn"]
        history = inc.pop("history", None)
        if history and not include_private:  # a corrected private note must not leak through its history
            history = [h for h in history if h["field"] != "private_notes"]
        if history:
            inc["history"] = history
        yield inc


def write_bundle(db: Database, case_ref: str, out, *, include_private: bool = False) -> int:
    """Write the case's bundle to the text file ``out`` as it is read, one incident at a
    time; returns the number of incidents. The text is exactly
    ``json.dumps(export_bundle(…), indent=2, ensure_ascii=False) + "\n"``."""
    case = records.get_case(db, case_ref)
    head = {**_bundle_head(db, case), "incidents": [], "impacts": records.case_impacts(db, case["id"])}
    text = json.dumps(head, indent=2, ensure_ascii=False)
    # Strings never hold a raw line break, so this is the one place the empty list stands.
    marker = '\n  "incidents": [],\n'
    before, after = text.split(marker)
    out.write(before + '\n  "incidents": [')
    n = 0
    for inc in iter_bundle_incidents(db, case, include_private=include_private):
        out.write(("\n    " if n == 0 else ",\n    ") + _indented(inc, "    "))
        n += 1
    out.write(("\n  ]," if n else "],") + "\n" + after + "\n")
    return n


_scalar = json.JSONEncoder(ensure_ascii=False).encode


def _indented(value, pad: str) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` for a value nested ``pad`` deep:
    the same text, written without the pure-Python encoder's generators (which
    ``indent`` forces) for the shapes a bundle has."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = pad + "  "
        if not all(isinstance(k, str) for k in value):
            return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad)
        return ("{\n" + ",\n".join(f"{inner}{_scalar(k)}: {_indented(v, inner)}" for k, v in value.items())
                + "\n" + pad + "}")
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + "\n" + pad + "]"
    if isinstance(value, tuple):
        return _indented(list(value), pad)
    return _scalar(value)


def bundle_incident(inc: dict, *, include_private: bool = False, history: list | None = None) -> dict:
    out = {k: inc[k] for k in records.BUNDLE_INCIDENT_FIELDS if k != "private_notes"}
    out["exhibits"] = [{k: e.get(k) for k in EXHIBIT_KEYS} for e in inc["exhibits"]]
    if include_private:
        out["private_notes"] = inc["private_notes"]
    if inc.get("withdrawn"):
        out["withdrawn"] = inc["withdrawn"]
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


def validate(bundle) -> tuple[dict, list[str]]:
    """Check a whole bundle; return it normalised, and warnings. Raises ``BundleError``."""
    warnings = []
    _type_check(bundle, dict, "bundle", "a JSON object")
    if bundle.get("format") != FORMAT:
        raise _fail("format", f'expected "{FORMAT}", got {json.dumps(bundle.get("format"))[:40]}')
    if bundle.get("version") != VERSION or isinstance(bundle.get("version"), bool):
        raise _fail("version", f"expected {VERSION}, got {json.dumps(bundle.get('version'))[:20]} "
                    "(a newer stalklog may have written it)")
    for key in bundle:
        if key not in TOP_KEYS:
            warnings.append(f'unknown top-level key "{key}" ignored')
    case = _validate_case(bundle.get("case"))
    people = _validate_people(bundle.get("people"))
    keys = {p["key"] for p in people}
    incidents = _validate_incidents(bundle.get("incidents"), keys)
    impacts = _validate_impacts(bundle.get("impacts", []))
    return {"format": FORMAT, "version": VERSION, "case": case, "people": people,
            "incidents": incidents, "impacts": impacts}, warnings


def _validate_case(case) -> dict:
    if case is None:
        raise _fail("case", "is required")
    _type_check(case, dict, "case", "an object")
    ref = case.get("ref")
    if not isinstance(ref, str) or not ref.strip():
        raise _fail("case.ref", "is required (the case's reference)")
    juris = case.get("jurisdiction")
    if juris not in model.JURISDICTIONS:
        raise _fail("case.jurisdiction", f"{json.dumps(juris)[:40]} is not one of {', '.join(model.JURISDICTIONS)}")
    context = case.get("context") or []
    _type_check(context, list, "case.context", "a list")
    for i, c in enumerate(context):
        if c not in model.CONTEXTS:
            raise _fail(f"case.context[{i}]", f"{json.dumps(c)[:40]} is not one of {', '.join(model.CONTEXTS)}")
    for k in ("title", "notes"):
        if case.get(k) is not None:
            _type_check(case[k], str, f"case.{k}", "text")
    return {"ref": ref, "title": case.get("title"), "jurisdiction": juris,
            "opened": _date(case.get("opened"), "case.opened"), "context": list(context), "notes": case.get("notes")}


def _validate_people(people) -> list[dict]:
    if people is None:
        raise _fail("people", "is required (at least one victim)")
    _type_check(people, list, "people", "a list")
    out, seen = [], set()
    for i, p in enumerate(people):
        where = f"people[{i}]"
        _type_check(p, dict, where, "an object")
        key = p.get("key")
        if not isinstance(key, str) or not key:
            raise _fail(f"{where}.key", "is required")
        if key in seen:
            raise _fail(f"{where}.key", f'"{key}" is used twice')
        seen.add(key)
        if p.get("role") not in model.ROLES:
            raise _fail(f"{where}.role", f"{json.dumps(p.get('role'))[:40]} is not one of {', '.join(model.ROLES)}")
        rel = p.get("relationship")
        if rel is not None and rel not in model.RELATIONSHIPS:
            raise _fail(f"{where}.relationship", f"{json.dumps(rel)[:40]} is not one of {', '.join(model.RELATIONSHIPS)}")
        if p.get("name") is not None:
            _type_check(p["name"], str, f"{where}.name", "text")
        idents = p.get("identifiers") or []
        _type_check(idents, list, f"{where}.identifiers", "a list")
        for j, ident in enumerate(idents):
            _type_check(ident, str, f"{where}.identifiers[{j}]", "text")
        out.append({"key": key, "role": p["role"], "name": p.get("name"), "relationship": rel,
                    "lived_together_until": _date(p.get("lived_together_until"), f"{where}.lived_together_until"),
                    "identifiers": list(idents)})
    if not any(p["role"] == "victim" for p in out):
        raise _fail("people", "needs at least one person with role \"victim\"")
    return out


def _validate_incidents(incidents, people_keys: set[str]) -> list[dict]:
    if incidents is None:
        raise _fail("incidents", "is required (it may be an empty list)")
    _type_check(incidents, list, "incidents", "a list")
    all_keys = set()
    for i, inc in enumerate(incidents):
        _type_check(inc, dict, f"incidents[{i}]", "an object")
        key = inc.get("key")
        if not isinstance(key, str) or not key:
            raise _fail(f"incidents[{i}].key", "is required")
        if key in all_keys:
            raise _fail(f"incidents[{i}].key", f'"{key}" is used twice')
        all_keys.add(key)
    out = []
    for i, inc in enumerate(incidents):
        try:
            out.append(_validate_incident(i, inc, people_keys, all_keys))
        except BundleError as e:  # every message names the field and the incident's key
            if f"(incident {inc['key']})" not in e.message:
                e.message = f"{e.message} (incident {inc['key']})"
                e.args = (e.message,)
            raise
    return out


class _KeysBut:
    """The bundle's incident keys except one, without copying the set for every incident
    (a copy per incident made a 20,000-incident import quadratic)."""

    def __init__(self, keys: set[str], but: str):
        self.keys, self.but = keys, but

    def __contains__(self, key) -> bool:
        return key != self.but and key in self.keys


# Bundles may come from another machine a few time zones ahead: a day's grace.
_FUTURE_GRACE = dt.timedelta(days=1)


def _validate_incident(i: int, inc: dict, people_keys: set[str], all_keys: set[str]) -> dict:
    from stalklog.clock import local_now
    from stalklog.dates import from_stored

    where = f"incidents[{i}]"
    for req in ("occurred", "by", "towards"):
        if req not in inc:
            raise _fail(f"{where}.{req}", "is required")
    precision = inc.get("precision") or ("exact" if "T" in str(inc["occurred"]) else "day")
    if precision not in model.PRECISIONS:
        raise _fail(f"{where}.precision", f"{json.dumps(precision)[:30]} is not one of {', '.join(model.PRECISIONS)}")
    if not isinstance(inc["occurred"], str):
        raise _fail(f"{where}.occurred", f"{json.dumps(inc['occurred'])[:40]} is not a date")
    end = inc.get("occurred_end")
    if end is not None and not isinstance(end, str):
        raise _fail(f"{where}.occurred_end", f"{json.dumps(end)[:40]} is not a date")
    try:
        from_stored(inc["occurred"], precision)
    except InvalidDate as e:
        raise _fail(f"{where}.occurred", e.message) from None
    try:
        when = from_stored(inc["occurred"], precision, end)
    except InvalidDate as e:
        raise _fail(f"{where}.occurred_end", e.message) from None
    if (when.end or when.start) > local_now() + _FUTURE_GRACE:
        raise _fail(f"{where}.occurred_end" if when.end else f"{where}.occurred",
                    f'"{end if when.end else inc["occurred"]}" is in the future')
    fields = {k: inc.get(k) for k in records.BUNDLE_INCIDENT_FIELDS if k not in ("exhibits",)}
    fields["occurred"], fields["occurred_end"], fields["precision"] = when.occurred(), when.occurred_end(), precision
    fields["recorded"] = _utc(inc.get("recorded"), f"{where}.recorded")
    try:
        norm = records.validate_incident(fields, where=where, people_keys=people_keys,
                                         incident_keys=_KeysBut(all_keys, inc["key"]))
    except InvalidValue as e:
        raise BundleError(f"{e.message} (incident {inc['key']})", hint="Nothing from this bundle was written.") from None
    norm["exhibits"] = _validate_exhibits(inc.get("exhibits") or [], where)
    norm["withdrawn"] = _validate_withdrawn(inc.get("withdrawn"), where)
    norm["history"] = _validate_history(inc.get("history") or [], where)
    return norm


def _validate_exhibits(exhibits, where: str) -> list[dict]:
    _type_check(exhibits, list, f"{where}.exhibits", "a list")
    out = []
    for j, e in enumerate(exhibits):
        w = f"{where}.exhibits[{j}]"
        _type_check(e, dict, w, "an object")
        ref = e.get("ref")
        if not isinstance(ref, str) or not _REF_RE.match(ref):
            raise _fail(f"{w}.ref", f"{json.dumps(ref)[:30]} is not an exhibit reference such as AD/1 or AD/1/1")
        digest = e.get("sha256")
        if digest is not None and (not isinstance(digest, str) or not _SHA_RE.match(digest)):
            raise _fail(f"{w}.sha256", "expected 64 lowercase hex digits")
        for k in ("description", "file", "producer", "how_obtained"):
            if e.get(k) is not None:
                _type_check(e[k], str, f"{w}.{k}", "text")
        out.append({**{k: e.get(k) for k in EXHIBIT_KEYS}, "obtained": _utc(e.get("obtained"), f"{w}.obtained")})
    return out


def _validate_withdrawn(value, where: str) -> dict | None:
    if value is None:
        return None
    _type_check(value, dict, f"{where}.withdrawn", "an object")
    return {"at": _utc(value.get("at"), f"{where}.withdrawn.at") or utc_now_iso(), "reason": str(value.get("reason") or "")}


def _validate_history(value, where: str) -> list[dict]:
    _type_check(value, list, f"{where}.history", "a list")
    out = []
    for j, h in enumerate(value):
        _type_check(h, dict, f"{where}.history[{j}]", "an object")
        if not isinstance(h.get("field"), str):
            raise _fail(f"{where}.history[{j}].field", "is required")
        out.append({"field": h["field"], "old": h.get("old"), "new": h.get("new"),
                    "reason": str(h.get("reason") or ""), "by": h.get("by"),
                    "at": _utc(h.get("at"), f"{where}.history[{j}].at") or utc_now_iso()})
    return out


# ---------------------------------------------------------------- import


def import_bundle(db: Database, bundle, *, as_ref: str | None = None, exhibit_files: dict | None = None) -> dict:
    """Validate and write a whole bundle as a new case. ``exhibit_files`` maps an exhibit's
    ``file`` to its bytes (from a zip bundle). Returns ``{"case": ref, "incidents": n, "warnings": […]}``."""
    data, warnings = validate(bundle)
    ref = as_ref or data["case"]["ref"]
    if db.execute("SELECT 1 FROM cases WHERE ref = ?", [ref]).fetchone():
        raise BundleError(f'case.ref: a case "{ref}" is already in this case file.',
                          hint="Import it under another reference with --as NEWREF. Nothing was written.")
    appender = Appender(db)
    c = data["case"]
    case = records.create_case(db, ref, title=c["title"], jurisdiction=c["jurisdiction"], opened=c["opened"],
                               context=c["context"], notes=c["notes"], appender=appender)
    # create_case recorded "create"; imports say so in the ledger's action
    for p in data["people"]:
        records.add_person(db, ref, role=p["role"], name=p["name"], relationship=p["relationship"], key=p["key"],
                           lived_together_until=p["lived_together_until"], identifiers=p["identifiers"],
                           appender=appender, case=case)
    _insert_incidents(db, case["id"], data["incidents"], appender, exhibit_files or {})
    for imp in data["impacts"]:
        iid = db["case_impacts"].insert({"case_id": case["id"], "kind": imp["kind"], "date": imp["date"],
                                          "detail": imp["detail"], "created_utc": appender.at}).last_pk
        appender.record("import", "case_impacts", iid, case["id"])
    appender.flush()
    return {"case": ref, "incidents": len(data["incidents"]), "people": len(data["people"]), "warnings": warnings}


def _validate_impacts(impacts) -> list[dict]:
    _type_check(impacts, list, "impacts", "a list")
    out = []
    for i, imp in enumerate(impacts):
        _type_check(imp, dict, f"impacts[{i}]", "an object")
        if imp.get("kind") not in model.IMPACTS:
            raise _fail(f"impacts[{i}].kind", f"{json.dumps(imp.get('kind'))[:40]} is not a day-to-day impact word")
        detail = imp.get("detail")
        if detail is not None:
            _type_check(detail, str, f"impacts[{i}].detail", "text")
        out.append({"kind": imp["kind"], "date": _date(imp.get("date"), f"impacts[{i}].date", month_ok=True),
                    "detail": detail})
    return out


def _next_id(db: Database, table: str) -> int:
    return (db.execute(f"SELECT max(id) FROM [{table}]").fetchone()[0] or 0) + 1


def _insert_incidents(db: Database, case_id: int, incidents: list[dict], appender: Appender,
                      exhibit_files: dict) -> None:
    cols = _columns(db, "incidents")
    next_id = _next_id(db, "incidents")
    now = appender.at
    batch: list[dict] = []
    ids: dict[str, int] = {}
    for inc in incidents:
        row = records._incident_row(case_id, inc["key"], inc, now)  # noqa: SLF001
        row["withdrawn_utc"] = inc["withdrawn"]["at"] if inc["withdrawn"] else None
        row["withdrawn_reason"] = inc["withdrawn"]["reason"] if inc["withdrawn"] else None
        row["id"] = next_id
        ids[inc["key"]] = next_id
        next_id += 1
        full = {c: row.get(c) for c in cols}
        batch.append(full)
        appender.record("import", "incidents", full["id"], case_id, row=full)
        if len(batch) >= 2000:
            _flush_rows(db, "incidents", cols, batch)
    _flush_rows(db, "incidents", cols, batch)
    for inc in incidents:
        iid = ids[inc["key"]]
        for h in inc["history"]:
            aid = db["amendments"].insert({
                "incident_id": iid, "field": h["field"], "old_value": json.dumps(h["old"], ensure_ascii=False),
                "new_value": json.dumps(h["new"], ensure_ascii=False), "reason": h["reason"], "by": h["by"],
                "at_utc": h["at"]}).last_pk
            appender.record("import", "amendments", aid, case_id)
        for e in inc["exhibits"]:
            _insert_exhibit(db, case_id, iid, e, exhibit_files, appender)


def _flush_rows(db: Database, table: str, cols: list[str], batch: list[dict]) -> None:
    if not batch:
        return
    appender_sql = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
    db.conn.executemany(appender_sql, [tuple(r[c] for c in cols) for r in batch])
    batch.clear()


def _original_name(exhibit: dict) -> str:
    """An exhibit file's own name, not its path inside a zip bundle."""
    from stalklog.zipbundle import original_name

    return original_name(exhibit["ref"], exhibit["file"])


def _insert_exhibit(db: Database, case_id: int, incident_id: int, e: dict, files: dict, appender: Appender) -> None:
    content = files.get(e["file"]) if e.get("file") else None
    if db.execute("SELECT 1 FROM exhibits WHERE case_id = ? AND ref = ?", [case_id, e["ref"]]).fetchone():
        raise BundleError(f'exhibit {e["ref"]} appears twice in the bundle.', hint="Nothing from this bundle was written.")
    eid = db["exhibits"].insert({
        "case_id": case_id, "incident_id": incident_id, "ref": e["ref"], "description": e["description"],
        "file_name": _original_name(e) if content is not None else e["file"],
        "size": len(content) if content is not None else e.get("size"),
        "sha256": e["sha256"], "content": content, "producer": e["producer"], "obtained": e["obtained"],
        "how_obtained": e["how_obtained"], "created_utc": appender.at}).last_pk
    appender.record("import", "exhibits", eid, case_id)
    ev = db["exhibit_events"].insert({"exhibit_id": eid, "event": "imported", "by": None, "at_utc": appender.at,
                                      "detail": "with its file" if content is not None else "reference only"}).last_pk
    appender.record("import", "exhibit_events", ev, case_id)


def _no_duplicate_keys(pairs: list) -> dict:
    """JSON allows a key twice in one object and keeps the last: a bundle must not be that
    ambiguous (which ``summary`` did the person mean?)."""
    seen: dict = {}
    for k, v in pairs:
        if k in seen:
            owner = dict(pairs).get("key")
            where = f' (in the object with key "{owner}")' if isinstance(owner, str) else ""
            raise BundleError(f'"{k}" appears twice in one JSON object{where}; which one is meant is unclear.',
                              hint="Nothing was written.")
        seen[k] = v
    return seen


def load_json(text: str, source: str) -> dict:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as e:
        raise BundleError(f"{source} is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}).",
                          hint="Nothing was written.") from None
    except RecursionError:
        raise BundleError(f"{source} is nested too deeply to be a case bundle.", hint="Nothing was written.") from None
    except ValueError as e:  # e.g. a number of more than 4,300 digits
        raise BundleError(f"{source} is not a usable JSON file ({e}).", hint="Nothing was written.") from None


__all__ = ["export_bundle", "import_bundle", "validate", "load_json", "StalklogError"]
