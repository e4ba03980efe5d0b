"""Cases, people, incidents, amendments and withdrawals: the case file's records.

Every function takes a ``Database`` and returns plain dicts. Incidents come back in the
case bundle's incident shape (docs/bundle.md) with two extra keys, ``id`` (stable within
the file) and ``case`` (the case reference). Every write also appends to the ledger;
callers wrap a command's writes in ``db.transaction()``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Container, Iterable, Iterator
from typing import Any

from stalklog import vocab
from stalklog.clock import utc_now_iso
from stalklog.errors import InvalidValue, NotFound
from stalklog.store.database import Database
from stalklog.store.ledger import Appender

LIST_FIELDS = ("by", "towards", "affected", "behaviours", "effects", "impacts", "links", "witnesses")
TEXT_FIELDS = (
    "channel",
    "location",
    "summary",
    "words",
    "stated_purpose",
    "police_ref",
    "private_notes",
    "attribution",
    "procured_by",
    "same_occasion_as",
    "occurred_end",
    "written",
    "provenance",
)
BUNDLE_INCIDENT_FIELDS = (
    "key",
    "occurred",
    "occurred_end",
    "precision",
    "recorded",
    "by",
    "attribution",
    "procured_by",
    "towards",
    "affected",
    "behaviours",
    "channel",
    "location",
    "summary",
    "words",
    "effects",
    "impacts",
    "below_threshold",
    "same_occasion_as",
    "links",
    "stated_purpose",
    "witnesses",
    "police_ref",
    "exhibits",
    "private_notes",
)
PERSON_FIELDS = ("key", "role", "name", "relationship", "lived_together_until", "identifiers")


# ---------------------------------------------------------------- cases


def _case_dict(row: dict) -> dict:
    return {
        "id": row["id"],
        "ref": row["ref"],
        "title": row["title"],
        "jurisdiction": row["jurisdiction"],
        "opened": row["opened"],
        "context": json.loads(row["context"] or "[]"),
        "notes": row["notes"],
        "status": row["status"],
        "closed_utc": row["closed_utc"],
        "closed_reason": row["closed_reason"],
        "urn": row.get("urn"),
        "crime_ref": row.get("crime_ref"),
        "oic": row.get("oic"),
        "own_diary": bool(row.get("own_diary")),
    }


def check_word(value: str, allowed: Iterable[str], what: str, where: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        article = "an" if what[:1] in "aeiou" else "a"
        raise InvalidValue(f'{where}: "{value}" is not {article} {what} word. Use one of: {", ".join(allowed)}.')
    return value


def create_case(
    db: Database,
    ref: str,
    *,
    title: str | None = None,
    jurisdiction: str = "england-wales",
    opened: str | None = None,
    context: Iterable[str] = (),
    notes: str | None = None,
    appender: Appender | None = None,
    police: dict | None = None,
) -> dict:
    ref = (ref or "").strip()
    if not ref:
        raise InvalidValue("case ref: give the case a reference, e.g. C-2025-001.")
    check_word(jurisdiction, vocab.JURISDICTIONS, "jurisdiction", "case jurisdiction")
    context = [check_word(c, vocab.CONTEXTS, "context", "case context") for c in context]
    if db.execute("SELECT 1 FROM cases WHERE ref = ?", [ref]).fetchone():
        raise InvalidValue(f'A case "{ref}" already exists in this case file.', hint="Choose another reference.")
    now = utc_now_iso()
    row = {
        "ref": ref,
        "title": title,
        "jurisdiction": jurisdiction,
        "opened": opened or now[:10],
        "context": json.dumps(context),
        "notes": notes,
        "status": "open",
        "created_utc": now,
    }
    row.update({k: v for k, v in (police or {}).items() if k in POLICE_FIELDS and v})
    case_id = db["cases"].insert(row).last_pk
    (appender or _single(db)).record("create", "cases", case_id, case_id)
    return get_case(db, ref)


class _single:
    """An appender for one write outside a larger batch."""

    def __init__(self, db: Database):
        self.appender = Appender(db)

    def record(self, *args, **kwargs):
        h = self.appender.record(*args, **kwargs)
        self.appender.flush()
        return h


def get_case(db: Database, ref: str) -> dict:
    cur = db.execute("SELECT * FROM cases WHERE ref = ?", [ref])
    row = cur.fetchone()
    if row is None:
        refs = [r[0] for r in db.execute("SELECT ref FROM cases ORDER BY ref LIMIT 10")]
        hint = f"Cases in this file: {', '.join(refs)}" if refs else "Create one with: stalklog case new REF --title …"
        raise NotFound(f'No case "{ref}" in this case file.', hint=hint)
    cols = [d[0] for d in cur.description]
    return _case_dict(dict(zip(cols, row, strict=True)))


def list_cases(db: Database, *, status: str | None = None, jurisdiction: str | None = None) -> list[dict]:
    sql = "SELECT * FROM cases WHERE 1=1"
    params: list = []
    if status:
        sql += " AND status = ?"
        params.append(status)
    if jurisdiction:
        sql += " AND jurisdiction = ?"
        params.append(jurisdiction)
    cur = db.execute(sql + " ORDER BY ref", params)
    cols = [d[0] for d in cur.description]
    cases = [_case_dict(dict(zip(cols, r, strict=True))) for r in cur.fetchall()]
    totals = {
        case_id: (n, latest)
        for case_id, n, latest in db.execute(
            "SELECT case_id, count(*), max(occurred) FROM incidents WHERE withdrawn_utc IS NULL GROUP BY case_id"
        )
    }
    for c in cases:
        c["incidents"], c["last_incident"] = totals.get(c["id"], (0, None))
    return cases


def resolve_case(db: Database, case: str | None, doing: str = "record into") -> str:
    """The case to record into (or to show, check, report on: ``doing``): the one named, or
    the only open case. Only recording refuses a named case that is closed; reading it is fine."""
    if case:
        status = get_case(db, case)["status"]  # an unknown case is refused here either way
        if status == "closed" and doing == "record into":  # refuse before any question is asked
            raise InvalidValue(f'Case "{case}" is closed.', hint=f"Reopen it with: stalklog case reopen {case}")
        return case
    open_cases = list_cases(db, status="open")
    if len(open_cases) == 1:
        return open_cases[0]["ref"]
    closed = list_cases(db, status="closed")
    if not open_cases and closed:
        raise InvalidValue(
            f"There is no open case to {doing}: "
            f"{', '.join(c['ref'] for c in closed[:10])} {'is' if len(closed) == 1 else 'are'} closed.",
            hint=f"Reopen one with: stalklog case reopen {closed[0]['ref']}"
            if doing == "record into"
            else f"Name one with --case {closed[0]['ref']}, or reopen it: stalklog case reopen {closed[0]['ref']}",
        )
    if not open_cases:
        raise NotFound(f"There is no open case to {doing}.", hint='Create one with: stalklog case new REF --title "…"')
    raise InvalidValue(
        "--case: this file has several open cases; say which one with --case REF.",
        hint=f"Open cases: {', '.join(c['ref'] for c in open_cases[:10])}",
    )


def close_case(db: Database, ref: str, reason: str | None = None) -> dict:
    case = get_case(db, ref)
    if case["status"] == "closed":
        raise InvalidValue(f'Case "{ref}" is already closed.')
    db.execute(
        "UPDATE cases SET status = 'closed', closed_utc = ?, closed_reason = ? WHERE id = ?",
        [utc_now_iso(), reason, case["id"]],
    )
    _single(db).record("close", "cases", case["id"], case["id"])
    return get_case(db, ref)


POLICE_FIELDS = {"urn": "--urn", "crime_ref": "--crime-ref", "oic": "--oic"}


def set_case_details(db: Database, ref: str, own_diary: bool | None = None, **values: str | None) -> dict:
    """Set a case's police details (``urn``, ``crime_ref``, ``oic``); an empty string clears
    one, ``None`` leaves it as it is. ``own_diary``: True when the victim keeps the case as
    her own diary (screens call her "you"), False when someone else keeps it. One ledger
    entry for the change."""
    case = get_case(db, ref)
    changes: dict[str, str | int | None] = {}
    if own_diary is not None:
        changes["own_diary"] = 1 if own_diary else None
    for key, value in values.items():
        if key not in POLICE_FIELDS:
            raise InvalidValue(f'case details: "{key}" is not a police detail of a case.')
        if value is None:
            continue
        value = " ".join(value.split())
        if len(value) > 200:
            raise InvalidValue(f"{POLICE_FIELDS[key]}: at most 200 characters.")
        changes[key] = value or None
    if not changes:
        raise InvalidValue(
            "case set: nothing to set.",
            hint="Give --urn, --crime-ref or --oic (an empty value clears one), or --own-diary / --not-own-diary.",
        )
    sets = ", ".join(f"{k} = ?" for k in changes)
    db.execute(f"UPDATE cases SET {sets} WHERE id = ?", [*changes.values(), case["id"]])  # noqa: S608 - fixed names
    _single(db).record("update", "cases", case["id"], case["id"])
    return get_case(db, ref)


def reopen_case(db: Database, ref: str) -> dict:
    case = get_case(db, ref)
    if case["status"] == "open":
        raise InvalidValue(f'Case "{ref}" is already open.')
    db.execute("UPDATE cases SET status = 'open', closed_utc = NULL, closed_reason = NULL WHERE id = ?", [case["id"]])
    _single(db).record("reopen", "cases", case["id"], case["id"])
    return get_case(db, ref)


# ---------------------------------------------------------------- people

_KEY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}\Z")  # \Z: $ would let "P\n" through


def _person_dict(row: dict) -> dict:
    return {
        "key": row["key"],
        "role": row["role"],
        "name": row["name"],
        "relationship": row["relationship"],
        "lived_together_until": row["lived_together_until"],
        "identifiers": json.loads(row["identifiers"] or "[]"),
    }


def people(db: Database, case_id: int) -> list[dict]:
    cur = db.execute("SELECT * FROM people WHERE case_id = ? ORDER BY id", [case_id])
    cols = [d[0] for d in cur.description]
    return [_person_dict(dict(zip(cols, r, strict=True))) for r in cur.fetchall()]


def _next_person_key(existing: set[str], role: str) -> str:
    base = {"victim": "V", "subject": "P", "witness": "W", "other": "O"}[role]
    if base not in existing and role in ("victim", "subject"):
        return base
    n = 1 if role in ("witness", "other") else 2
    while f"{base}{n}" in existing:
        n += 1
    return f"{base}{n}"


def check_key(key: str, where: str) -> str:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise InvalidValue(f'{where}: "{key}" is not a usable key (letters, digits, _ . - ; up to 32).')
    return key


def add_person(
    db: Database,
    case_ref: str,
    *,
    role: str,
    name: str | None,
    relationship: str | None = None,
    key: str | None = None,
    lived_together_until: str | None = None,
    identifiers: Iterable[str] = (),
    appender: Appender | None = None,
    case: dict | None = None,
) -> dict:
    case = case or get_case(db, case_ref)
    check_word(role, vocab.ROLES, "role", "person role")
    if relationship is not None:
        check_word(relationship, vocab.RELATIONSHIPS, "relationship", "person relationship")
    existing = {p["key"] for p in people(db, case["id"])}
    key = check_key(key, "person key") if key else _next_person_key(existing, role)
    if key in existing:
        raise InvalidValue(f'Case {case["ref"]} already has a person with key "{key}".', hint="Choose another --key.")
    row = {
        "case_id": case["id"],
        "key": key,
        "role": role,
        "name": name,
        "relationship": relationship,
        "lived_together_until": lived_together_until,
        "identifiers": json.dumps(list(identifiers)),
        "created_utc": utc_now_iso(),
    }
    pid = db["people"].insert(row).last_pk
    (appender or _single(db)).record("create", "people", pid, case["id"])
    return {**_person_dict(row), "id": pid}


PERSON_EDITABLE = ("name", "role", "relationship", "lived_together_until", "identifiers")


def edit_person(db: Database, case_ref: str, key: str, changes: dict, *, reason: str, by: str | None = None) -> dict:
    """Rename or correct a person. The old value, the new one, the reason, who and when are
    kept in ``person_amendments`` (ledger-covered, like an incident's corrections)."""
    if not reason or not reason.strip():
        raise InvalidValue("--reason: say why the person's details are being changed.")
    case = get_case(db, case_ref)
    row = db.execute("SELECT * FROM people WHERE case_id = ? AND key = ?", [case["id"], key]).fetchone()
    if row is None:
        keys = [p["key"] for p in people(db, case["id"])]
        raise NotFound(f'Case {case_ref} has no person "{key}".', hint=f"People: {', '.join(keys) or 'none yet'}")
    cur = db.execute("SELECT * FROM people WHERE id = ?", [row[0]])
    cols = [d[0] for d in cur.description]
    stored = dict(zip(cols, cur.fetchone(), strict=True))
    current = _person_dict(stored)
    for name in changes:
        if name not in PERSON_EDITABLE:
            raise InvalidValue(f'"{name}" cannot be changed. Fields: {", ".join(PERSON_EDITABLE)}.')
    if "role" in changes:
        check_word(changes["role"], vocab.ROLES, "role", "--role")
    if changes.get("relationship") is not None:
        check_word(changes["relationship"], vocab.RELATIONSHIPS, "relationship", "--relationship")
    if "name" in changes and not (changes["name"] or "").strip():
        raise InvalidValue("--name: give the name (or a description) to use.")
    appender = Appender(db)
    now = utc_now_iso()
    changed = {}
    for name, new in changes.items():
        old = current[name]
        if old == new:
            continue
        changed[name] = json.dumps(list(new)) if name == "identifiers" else new
        aid = (
            db["person_amendments"]
            .insert(
                {
                    "case_id": case["id"],
                    "person_id": stored["id"],
                    "field": name,
                    "old_value": json.dumps(old, ensure_ascii=False),
                    "new_value": json.dumps(new, ensure_ascii=False),
                    "reason": reason.strip(),
                    "by": by,
                    "at_utc": now,
                }
            )
            .last_pk
        )
        appender.record("create", "person_amendments", aid, case["id"])
    if not changed:
        raise InvalidValue("Nothing to change: the new values are the same as the old.")
    db["people"].update(stored["id"], changed)
    appender.record("amend", "people", stored["id"], case["id"])
    appender.flush()
    return {**_person_dict({**stored, **changed}), "history": person_history(db, stored["id"])}


def person_history(db: Database, person_id: int) -> list[dict]:
    cur = db.execute(
        "SELECT field, old_value, new_value, reason, by, at_utc FROM person_amendments WHERE person_id = ? ORDER BY id",
        [person_id],
    )
    return [_amendment(*a) for a in cur.fetchall()]


def people_history(db: Database, case_id: int) -> dict[str, list[dict]]:
    """Each person's corrections, by person key (only people that have any)."""
    cur = db.execute(
        "SELECT people.key, a.field, a.old_value, a.new_value, a.reason, a.by, a.at_utc"
        " FROM person_amendments AS a JOIN people ON people.id = a.person_id"
        " WHERE a.person_id IN (SELECT id FROM people WHERE case_id = ?) ORDER BY a.id",  # by the person_id index
        [case_id],
    )
    found: dict[str, list[dict]] = {}
    for key, *rest in cur.fetchall():
        found.setdefault(key, []).append(_amendment(*rest))
    return found


# ---------------------------------------------------------------- incidents


_LIST_CACHE: dict[str, tuple] = {}


def _list(text: str | None) -> list:
    """A stored JSON list, as a new list. Most are empty, and the others repeat (``["P"]``,
    ``["V"]``, a few behaviour words): each distinct text is parsed once per process."""
    if text is None or text == "[]":
        return []
    found = _LIST_CACHE.get(text)
    if found is None:
        found = tuple(json.loads(text))
        if len(_LIST_CACHE) > 20_000:  # a bound, for files whose lists are all different
            _LIST_CACHE.clear()
        _LIST_CACHE[text] = found
    return list(found)


_VOCAB_CHECKS = tuple(
    (
        name,
        words,
        frozenset(words),
        {"behaviours": "behaviour", "effects": "effect", "impacts": "day-to-day impact"}[name],
    )
    for name, words in vocab.VOCAB_LIST_FIELDS.items()
)


_WORD_CHECKS = tuple(
    (name, words, frozenset(words))
    for name, words in (
        ("channel", vocab.CHANNELS),
        ("attribution", vocab.ATTRIBUTIONS),
        ("precision", vocab.PRECISIONS),
    )
)


def validate_incident(
    fields: dict, *, where: str, people_keys: set[str], incident_keys: Container[str], copy: bool = True
) -> dict:
    """Check an incident's fields against the vocabularies and the case's keys.

    ``where`` prefixes every message (``incidents[3]`` for a bundle, ``incident`` for the CLI).
    Returns the fields normalised: lists as lists, flags as bools, blanks as ``None``
    (in ``fields`` itself with ``copy=False``, for a caller that made the dict for this).
    """
    out = dict(fields) if copy else fields
    for name in LIST_FIELDS:
        value = out.get(name)
        if not value:  # absent, null or empty (most of them)
            out[name] = []
            continue
        if isinstance(value, str) or not isinstance(value, list):
            raise InvalidValue(f"{where}.{name}: expected a list, got {json.dumps(value)[:60]}.")
        for v in value:
            if not isinstance(v, str):
                raise InvalidValue(f"{where}.{name}: expected text items, got {json.dumps(v)[:60]}.")
        out[name] = list(value)
    for name, words, allowed, what in _VOCAB_CHECKS:
        if out[name] and not allowed.issuperset(out[name]):  # one set test; check_word says what is wrong
            for i, w in enumerate(out[name]):
                check_word(w, words, what, f"{where}.{name}[{i}]")
    for name in ("by", "towards", "affected"):
        for i, k in enumerate(out[name]):
            if k not in people_keys:
                raise InvalidValue(
                    f'{where}.{name}[{i}]: "{k}" is not a person in this case.',
                    hint=f"People: {', '.join(sorted(people_keys)) or 'none yet'}",
                )
    procured = out.get("procured_by")  # a list or object is not text: said below, not a crash here
    if procured and not isinstance(procured, list | dict) and procured not in people_keys:
        raise InvalidValue(f'{where}.procured_by: "{out["procured_by"]}" is not a person in this case.')
    for name, words, allowed in _WORD_CHECKS:
        value = out.get(name)
        if value and (value.__class__ is not str or value not in allowed):
            check_word(value, words, name, f"{where}.{name}")
    for name, value in zip(TEXT_FIELDS, map(out.get, TEXT_FIELDS), strict=True):
        if value is not None and not isinstance(value, str):
            raise InvalidValue(f"{where}.{name}: expected text, got {json.dumps(value)[:60]}.")
    if out.get("same_occasion_as") and out["same_occasion_as"] not in incident_keys:
        raise InvalidValue(f'{where}.same_occasion_as: "{out["same_occasion_as"]}" is not an incident of this case.')
    for i, k in enumerate(out["links"]):
        if k not in incident_keys:
            raise InvalidValue(f'{where}.links[{i}]: "{k}" is not an incident of this case.')
    flag = out.get("below_threshold")
    if flag is None:  # an absent flag is false (bundle spec)
        flag = False
    if not isinstance(flag, bool):
        raise InvalidValue(f"{where}.below_threshold: expected true or false, got {json.dumps(flag)[:30]}.")
    out["below_threshold"] = flag
    return out


# json.dumps(value, ensure_ascii=False) with one encoder for every call (an import
# stores eight lists for each of its incidents).
_json_text = json.JSONEncoder(ensure_ascii=False).encode
_encode_text = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring


def _json_list(value: list) -> str:
    """``json.dumps(value, ensure_ascii=False)`` of a list, at C speed when it holds text only."""
    try:
        return "[" + ", ".join(map(_encode_text, value)) + "]"
    except TypeError:  # not all text
        return _json_text(value)


def _incident_row(case_id: int, key: str, inc: dict, now: str) -> dict:
    row = {"case_id": case_id, "key": key, "created_utc": now}
    for name in (
        "occurred",
        "occurred_end",
        "precision",
        "recorded",
        "attribution",
        "procured_by",
        "channel",
        "location",
        "summary",
        "words",
        "same_occasion_as",
        "stated_purpose",
        "police_ref",
        "private_notes",
        "written",
        "provenance",
    ):
        row[name] = inc.get(name)
    for name in ("location", "summary", "words"):
        row[name] = row[name] or ""
    for name in LIST_FIELDS:
        value = inc.get(name)
        row[name] = _json_list(value) if value else "[]"
    row["below_threshold"] = 1 if inc.get("below_threshold") else 0
    said = inc.get("order_in_force_said")  # orders-v1: the answer to "was the order in force?"
    if said is not None:
        row["order_in_force_said"] = 1 if said else 0
    return row


def next_incident_key(db: Database, case_id: int) -> str:
    """``I`` and one more than the largest ``I<number>`` key of the case (counted in SQLite:
    a 10,000-incident case is not read into Python for each new entry)."""
    n = db.execute(
        "SELECT max(CAST(substr(key, 2) AS INTEGER)) FROM incidents WHERE case_id = ?"
        " AND key GLOB 'I[0-9]*' AND substr(key, 2) NOT GLOB '*[^0-9]*'",
        [case_id],
    ).fetchone()[0]
    return f"I{(n or 0) + 1}"


class CaseKeys:
    """``key in CaseKeys(db, case_id)``: whether the case has an incident with that key,
    one indexed look-up per key asked about (rather than every key of the case read first)."""

    def __init__(self, db: Database, case_id: int):
        self.db, self.case_id = db, case_id

    def __contains__(self, key) -> bool:
        return (
            isinstance(key, str)
            and self.db.execute("SELECT 1 FROM incidents WHERE case_id = ? AND key = ?", [self.case_id, key]).fetchone()
            is not None
        )


def incident_key(db: Database, case_ref: str, ref: str) -> str:
    """An incident given by id (``12``) or key (``I3``), as its key within the case."""
    found = get_incident(db, ref, case_ref)
    if found["case"] != case_ref:
        raise InvalidValue(f"Incident {ref} belongs to case {found['case']}, not {case_ref}.")
    return found["key"]


def incident_keys(db: Database, case_id: int) -> dict[str, int]:
    return dict(db.execute("SELECT key, id FROM incidents WHERE case_id = ?", [case_id]).fetchall())


def add_incident(db: Database, case_ref: str, fields: dict) -> dict:
    """Record one incident. ``fields`` uses the bundle's names; ``occurred`` and
    ``precision`` must already be parsed (see ``dates.parse_when``)."""
    case = get_case(db, case_ref)
    if case["status"] == "closed":
        raise InvalidValue(f'Case "{case_ref}" is closed.', hint=f"Reopen it with: stalklog case reopen {case_ref}")
    keys = {p["key"] for p in people(db, case["id"])}
    inc = validate_incident(fields, where="incident", people_keys=keys, incident_keys=CaseKeys(db, case["id"]))
    now = utc_now_iso()
    inc.setdefault("recorded", now)
    inc["recorded"] = inc["recorded"] or now
    key = next_incident_key(db, case["id"])
    iid = db["incidents"].insert(_incident_row(case["id"], key, inc, now)).last_pk
    _single(db).record("create", "incidents", iid, case["id"])
    return get_incident(db, iid)


# The columns an incident is read from, in this order (``_tuple_to_incident``): named, so
# rows come back as tuples and no dict is built per row before the incident itself.
_READ_COLUMNS = (
    "id",
    "key",
    "occurred",
    "occurred_end",
    "precision",
    "recorded",
    "by",
    "attribution",
    "procured_by",
    "towards",
    "affected",
    "behaviours",
    "channel",
    "location",
    "summary",
    "words",
    "effects",
    "impacts",
    "below_threshold",
    "same_occasion_as",
    "links",
    "stated_purpose",
    "witnesses",
    "police_ref",
    "private_notes",
    "withdrawn_utc",
    "withdrawn_reason",
    "order_in_force_said",
    "written",
    "provenance",
)
_INCIDENT_QUERY = (
    "SELECT "
    + ", ".join(f"incidents.[{c}]" for c in _READ_COLUMNS)
    + ", cases.ref FROM incidents JOIN cases ON cases.id = incidents.case_id"
)


def _tuple_to_incident(r: tuple) -> dict:
    """An incident from a row of ``_INCIDENT_QUERY``."""
    (
        iid,
        key,
        occurred,
        occurred_end,
        precision,
        recorded,
        by,
        attribution,
        procured_by,
        towards,
        affected,
        behaviours,
        channel,
        location,
        summary,
        words,
        effects,
        impacts,
        below,
        same_occasion,
        links,
        purpose,
        witnesses,
        police_ref,
        private_notes,
        withdrawn_utc,
        withdrawn_reason,
        said,
        written,
        provenance,
        case_ref,
    ) = r
    return {
        "id": iid,
        "case": case_ref,
        "key": key,
        "occurred": occurred,
        "occurred_end": occurred_end,
        "precision": precision,
        "recorded": recorded,
        "written": written,
        "provenance": provenance,
        "by": _list(by),
        "attribution": attribution,
        "procured_by": procured_by,
        "towards": _list(towards),
        "affected": _list(affected),
        "behaviours": _list(behaviours),
        "channel": channel,
        "location": location or "",
        "summary": summary or "",
        "words": words or "",
        "effects": _list(effects),
        "impacts": _list(impacts),
        "below_threshold": bool(below),
        "same_occasion_as": same_occasion,
        "links": _list(links),
        "stated_purpose": purpose,
        "witnesses": _list(witnesses),
        "police_ref": police_ref,
        "exhibits": [],
        "private_notes": private_notes,
        "order_in_force_said": None if said is None else bool(said),
        "withdrawn": {"at": withdrawn_utc, "reason": withdrawn_reason} if withdrawn_utc else None,
    }


def _fetch(db: Database, where: str, params: list) -> list[dict]:
    return [_tuple_to_incident(r) for r in db.execute(f"{_INCIDENT_QUERY} {where}", params)]


_EXHIBIT_COLUMNS = "incident_id, ref, description, file_name, sha256, obtained, producer, how_obtained, size, added_by"


def _exhibit(ref, desc, fname, digest, obtained, producer, how, size, added_by) -> dict:
    return {
        "ref": ref,
        "description": desc,
        "file": fname,
        "sha256": digest,
        "obtained": obtained,
        "producer": producer,
        "how_obtained": how,
        "size": size,
        "added_by": added_by,
    }


def _attach_exhibits(db: Database, incidents: list[dict]) -> list[dict]:
    if not incidents:
        return incidents
    by_id = {i["id"]: i for i in incidents}
    if not db.execute("SELECT 1 FROM exhibits LIMIT 1").fetchone():  # most files have none
        return incidents
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        cur = db.execute(
            f"SELECT {_EXHIBIT_COLUMNS} FROM exhibits WHERE incident_id IN ({', '.join('?' * len(chunk))}) ORDER BY id",
            chunk,
        )
        for iid, *rest in cur:
            by_id[iid]["exhibits"].append(_exhibit(*rest))
    return incidents


def iter_case_incidents(
    db: Database, case_id: int, *, include_withdrawn: bool = True, with_history: bool = False
) -> Iterator[dict]:
    """Every incident of a case in id order, with its exhibits (and, with ``with_history``,
    its corrections as ``history``: only for incidents that have any), one at a time.

    Three cursors read in step, each in index order: the incidents, the case's exhibits and
    its amendments, so memory does not grow with the case (export streams from this)."""
    where = "WHERE incidents.case_id = ?" + ("" if include_withdrawn else " AND incidents.withdrawn_utc IS NULL")
    rows = db.execute(f"{_INCIDENT_QUERY} {where} ORDER BY incidents.id", [case_id])
    exhibits = _grouped(
        db.execute(
            f"SELECT {_EXHIBIT_COLUMNS} FROM exhibits WHERE case_id = ? AND incident_id IS NOT NULL"
            " ORDER BY incident_id, id",
            [case_id],
        )
    )
    amendments = (
        _grouped(
            db.execute(
                "SELECT incident_id, field, old_value, new_value, reason, by, at_utc FROM amendments"
                " WHERE incident_id IN (SELECT id FROM incidents WHERE case_id = ?) ORDER BY incident_id, id",
                [case_id],
            )
        )
        if with_history
        else _grouped(iter(()))
    )
    next_ex, next_am = next(exhibits, None), next(amendments, None)
    for r in rows:
        inc = _tuple_to_incident(r)
        iid = inc["id"]
        while next_ex is not None and next_ex[0] < iid:  # exhibits of withdrawn incidents left out
            next_ex = next(exhibits, None)
        if next_ex is not None and next_ex[0] == iid:
            inc["exhibits"] = [_exhibit(*e) for e in next_ex[1]]
            next_ex = next(exhibits, None)
        while next_am is not None and next_am[0] < iid:
            next_am = next(amendments, None)
        if next_am is not None and next_am[0] == iid:
            inc["history"] = [_amendment(*a) for a in next_am[1]]
            next_am = next(amendments, None)
        yield inc


def _grouped(rows) -> Iterator[tuple[int, list[list]]]:
    """Rows ordered by their first column, as (first column, [the rest of each row])."""
    current: Any = None
    group: list[list] = []
    for first, *rest in rows:
        if first != current and group:
            yield current, group
            group = []
        current = first
        group.append(rest)
    if group:
        yield current, group


def get_incident(db: Database, incident: int | str, case_ref: str | None = None) -> dict:
    """An incident by its id (``12``) or, with ``case_ref``, by its key (``I3``)."""
    if isinstance(incident, str) and not incident.isdigit():
        if not case_ref:
            raise NotFound(
                f'"{incident}" is not an incident id.',
                hint="Give the number shown by stalklog list, or --case with a key.",
            )
        found = _fetch(db, "WHERE cases.ref = ? AND incidents.key = ?", [case_ref, incident])
    elif int(incident) > 2**63 - 1:  # beyond SQLite's integers: no such id
        found = []
    else:
        found = _fetch(db, "WHERE incidents.id = ?", [int(incident)])
    if not found:
        raise NotFound(f"No incident {incident} in this case file.", hint="See the ids with: stalklog list")
    return _attach_exhibits(db, found)[0]


def list_incidents(
    db: Database,
    *,
    case_ref: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    behaviour: str | None = None,
    by: str | None = None,
    include_withdrawn: bool = False,
    exhibits: bool = True,
) -> list[dict]:
    clauses, params = [], []
    if case_ref:
        get_case(db, case_ref)
        clauses.append("cases.ref = ?")
        params.append(case_ref)
    if date_from:
        clauses.append("substr(incidents.occurred, 1, 10) >= ?")
        params.append(date_from)
    if date_to:
        clauses.append("substr(incidents.occurred, 1, 10) <= ?")
        params.append(date_to)
    if behaviour:
        check_word(behaviour, vocab.BEHAVIOURS, "behaviour", "--behaviour")
        clauses.append("EXISTS (SELECT 1 FROM json_each(incidents.behaviours) WHERE value = ?)")
        params.append(behaviour)
    if by:
        clauses.append(
            "(EXISTS (SELECT 1 FROM json_each(incidents.[by]) WHERE value = ?) OR incidents.procured_by = ?)"
        )
        params += [by, by]
    if not include_withdrawn:
        clauses.append("incidents.withdrawn_utc IS NULL")
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    found = _fetch(db, f"{where} ORDER BY incidents.occurred, incidents.id", params)
    return _attach_exhibits(db, found) if exhibits else found


def search_incidents(db: Database, text: str, *, case_ref: str | None = None) -> list[dict]:
    if not text.strip():
        raise InvalidValue("search: give some words to look for.")
    if case_ref:
        get_case(db, case_ref)
    query = fts_query(text)
    if not query:
        raise InvalidValue("search: give some words to look for.")
    sql = (
        "WHERE incidents.id IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)"
        " AND incidents.withdrawn_utc IS NULL"
    )
    params: list = [query]
    if case_ref:
        sql += " AND cases.ref = ?"
        params.append(case_ref)
    return _fetch(db, sql + " ORDER BY incidents.occurred, incidents.id", params)


def fts_query(text: str) -> str:
    """Typed words as an FTS5 query that never has a syntax error: every word and every
    "quoted phrase" becomes a quoted string (so AND, OR, NOT, NEAR, *, -, ( are plain text);
    all of them must match. A stray double quote is dropped."""
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|([^\s"]+)', text):
        item = (phrase or word).strip()
        prefix = bool(word) and len(item) > 1 and item.endswith("*")  # mill* : words starting "mill"
        item = item.rstrip("*") if prefix else item
        if item:
            parts.append('"' + item.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts)


def time_of_writing(inc: dict) -> str | None:
    """When the entry was first written down, as stored, if that is known: a spreadsheet
    diary's own column (``written``); for an entry typed into stalklog, when it was recorded;
    None for an imported entry whose time of writing is not known (never the import time)."""
    if inc.get("written"):
        return inc["written"]
    return None if inc.get("provenance") else inc.get("recorded")


def written_text(inc: dict, moment_text) -> str:
    """The time of writing in words (``moment_text`` formats a stored moment): "not known:
    imported from a spreadsheet diary on …" when it is not known."""
    known = time_of_writing(inc)
    if known:
        return moment_text(known)
    if inc.get("provenance"):
        source = inc["provenance"]
        kind = "a spreadsheet diary" if source.startswith("csv:") else source
        where = f" ({source[4:]})" if source.startswith("csv:") else ""
        return f"not known: imported from {kind} on {moment_text(inc.get('recorded'))}{where}"
    return "not known"


# ---------------------------------------------------------------- corrections

AMENDABLE = (
    "occurred",
    "occurred_end",
    "precision",
    "by",
    "attribution",
    "procured_by",
    "towards",
    "affected",
    "behaviours",
    "channel",
    "location",
    "summary",
    "words",
    "effects",
    "impacts",
    "below_threshold",
    "same_occasion_as",
    "links",
    "stated_purpose",
    "witnesses",
    "police_ref",
    "private_notes",
)


def amend_incident(db: Database, incident_id: int, changes: dict, *, reason: str, by: str | None = None) -> dict:
    """Change fields of an incident, keeping the old value, the new one, the reason and when."""
    if not reason or not reason.strip():
        raise InvalidValue("--reason: say why the entry is being corrected.")
    current = get_incident(db, incident_id)
    if current["withdrawn"]:
        raise InvalidValue(f"Incident {incident_id} is withdrawn; it cannot be amended.")
    for name in changes:
        if name not in AMENDABLE:
            raise InvalidValue(f'--set: "{name}" is not a field that can be amended. Fields: {", ".join(AMENDABLE)}.')
    case = get_case(db, current["case"])
    keys = {p["key"] for p in people(db, case["id"])}
    others = set(incident_keys(db, case["id"])) - {current["key"]}
    merged = validate_incident({**current, **changes}, where="incident", people_keys=keys, incident_keys=others)
    if {"occurred", "occurred_end", "precision"} & set(changes):
        from stalklog.dates import from_stored
        from stalklog.errors import InvalidDate

        try:  # the dates must still make sense together (end after start, time or no time on both)
            from_stored(merged["occurred"], merged["precision"] or "day", merged["occurred_end"])
        except InvalidDate as e:
            raise InvalidValue(f"--set: {e.message}.") from None
    appender = Appender(db)
    now = utc_now_iso()
    changed = {}
    for name in changes:
        old, new = current[name], merged[name]
        if old == new:
            continue
        changed[name] = new
        aid = (
            db["amendments"]
            .insert(
                {
                    "incident_id": incident_id,
                    "field": name,
                    "old_value": json.dumps(old, ensure_ascii=False),
                    "new_value": json.dumps(new, ensure_ascii=False),
                    "reason": reason.strip(),
                    "by": by,
                    "at_utc": now,
                }
            )
            .last_pk
        )
        appender.record("create", "amendments", aid, case["id"])
    if not changed:
        raise InvalidValue("Nothing to change: the new values are the same as the old.")
    row = _incident_row(case["id"], current["key"], merged, now)
    db["incidents"].update(incident_id, {k: row[k] for k in changed})
    appender.record("amend", "incidents", incident_id, case["id"])
    appender.flush()
    return get_incident(db, incident_id)


def withdraw_incident(db: Database, incident_id: int, *, reason: str) -> dict:
    """Mark an incident withdrawn. Nothing is deleted: it stays in the file and the ledger."""
    if not reason or not reason.strip():
        raise InvalidValue("--reason: say why the entry is being withdrawn.")
    current = get_incident(db, incident_id)
    if current["withdrawn"]:
        raise InvalidValue(f"Incident {incident_id} is already withdrawn.")
    db["incidents"].update(incident_id, {"withdrawn_utc": utc_now_iso(), "withdrawn_reason": reason.strip()})
    case = get_case(db, current["case"])
    _single(db).record("withdraw", "incidents", incident_id, case["id"])
    return get_incident(db, incident_id)


def history(db: Database, incident_id: int) -> list[dict]:
    cur = db.execute(
        "SELECT field, old_value, new_value, reason, by, at_utc FROM amendments WHERE incident_id = ? ORDER BY id",
        [incident_id],
    )
    return [_amendment(*a) for a in cur.fetchall()]


def _amendment(field, old, new, reason, by, at) -> dict:
    return {"field": field, "old": json.loads(old), "new": json.loads(new), "reason": reason, "by": by, "at": at}


def add_case_impact(db: Database, case_ref: str, kind: str, date: str | None, detail: str | None) -> dict:
    case = get_case(db, case_ref)
    check_word(kind, vocab.IMPACTS, "day-to-day impact", "impact kind")
    iid = (
        db["case_impacts"]
        .insert({"case_id": case["id"], "kind": kind, "date": date, "detail": detail, "created_utc": utc_now_iso()})
        .last_pk
    )
    _single(db).record("create", "case_impacts", iid, case["id"])
    return {"kind": kind, "date": date, "detail": detail}


def case_impacts(db: Database, case_id: int) -> list[dict]:
    cur = db.execute("SELECT kind, date, detail FROM case_impacts WHERE case_id = ? ORDER BY id", [case_id])
    return [{"kind": k, "date": d, "detail": t} for k, d, t in cur.fetchall()]
