"""The ledger a zip bundle carries (``ledger.json``), so the receiver can recompute the
sender's ledger head from the content instead of taking the manifest's word for it.

The member holds, for the sender's case file at the moment of export:

- ``entries``: every ledger entry of the file up to the head, in full (``seq``, ``at_utc``,
  ``action``, ``entity``, ``entity_id``, ``case_id``, ``content_sha256``, ``prev_hash``,
  ``entry_hash``) — for other cases in the file that is when each of their records was
  written and of which kind, never what it holds (docs/privacy.md);
- ``records``: the exported case's records as stored (``[entity, id, row]``, the row as the
  ledger hashes it: no NULL columns, no exhibit bytes); a record whose private notes were
  left out is carried without them and listed in ``withheld``.

The receiver checks, before anything is written, that the chain of entries runs unbroken
from the first entry to the manifest's ``ledger_head`` (every full entry's hash recomputed),
that each carried record hashes to its latest entry, that every record the entries name is
carried, and that ``bundle.json`` says what the records say (case, people, incidents,
exhibits: the fields listed in ``BOUND``). A bundle changed and re-signed is then refused
unless the forger also rewrote the chain — which changes the head, and the head (or the
manifest's SHA-256) confirmed with the sender over another channel shows it.
"""

from __future__ import annotations

import json

from stalklog.errors import BundleError
from stalklog.store import ledger

NAME = "ledger.json"
FORMAT = "stalklog.zip-ledger"
VERSION = 1
_NOTHING = "Nothing from this bundle was written."

# The fields of bundle.json bound to the carried records, by entity: (bundle key, natural key).
BOUND = {
    "cases": ("ref", "title", "jurisdiction", "opened", "notes"),
    "people": ("key", "role", "name", "relationship", "lived_together_until", "identifiers"),
    "incidents": (
        "key",
        "occurred",
        "occurred_end",
        "precision",
        "by",
        "towards",
        "affected",
        "behaviours",
        "channel",
        "location",
        "summary",
        "words",
        "effects",
        "impacts",
        "witnesses",
        "police_ref",
        # what changes the check's answer or the record's weight must be bound too: who did
        # it and how that is known, context only, same occasion and links, when written
        "recorded",
        "attribution",
        "procured_by",
        "below_threshold",
        "same_occasion_as",
        "links",
        "stated_purpose",
        "written",
        "provenance",
    ),
    "exhibits": ("ref", "description", "sha256", "size", "producer"),
    "orders": ("key", "kind", "against", "protects", "made", "expires", "interim", "conditions", "court", "reference"),
}


def _refuse(text: str) -> BundleError:
    return BundleError(f"{NAME}: {text}", hint=_NOTHING)


def build(db, case_id: int, head: dict | None, *, include_private: bool) -> bytes:
    """The ``ledger.json`` member for ``case_id`` as the file stands at ``head``."""
    last = head["seq"] if head else 0
    entries = [
        list(values)
        for values in db.execute(
            f"SELECT {', '.join(ledger.LEDGER_COLUMNS)} FROM ledger WHERE seq <= ? ORDER BY seq", [last]
        )
    ]
    records, withheld = [], []
    named = {(e[3], e[4]) for e in entries if e[5] == case_id}
    for entity in ledger.ENTITIES:  # one read per table (the rows as verify reads and hashes them)
        if not any(k[0] == entity for k in named):
            continue
        for row in ledger._rows(db, entity, case_id):  # noqa: SLF001 - the same rows verify hashes
            if (entity, row["id"]) not in named:
                continue  # not in the ledger: the receiver could not check it (verify names it)
            if not include_private and "private_notes" in row:
                del row["private_notes"]
                withheld.append([entity, row["id"]])
            if any(isinstance(v, bytes) for v in row.values()):
                continue  # not something stalklog writes: the receiver will see it missing
            records.append([entity, row["id"], row])
    doc = {"format": FORMAT, "version": VERSION, "case_id": case_id, "entries": entries, "records": records}
    if withheld:
        doc["withheld"] = withheld
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def check(data: bytes, manifest: dict, bundle: dict) -> dict:
    """Check a carried ledger against the manifest's head and the bundle; return a summary
    (``head``, ``records_checked``, ``withheld``, ``unmatched``). Raises ``BundleError`` on
    any mismatch — except, for a bundle whose manifest says the sender's file did not verify
    when it was made, records that do not match their entries: those are counted
    (``unmatched``) and reported, as that file's own ``verify`` reported them."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse("not valid JSON.") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise _refuse(f'not a stalklog ledger (expected format "{FORMAT}", version {VERSION}).')
    entries, records, case_id = doc.get("entries"), doc.get("records"), doc.get("case_id")
    if not isinstance(entries, list) or not isinstance(records, list):
        raise _refuse("expected entries and records.")
    strict = manifest.get("source_verified", True) is not False
    chain: dict[int, list] = {}
    try:
        for e in entries:
            if not isinstance(e, list) or len(e) != len(ledger.LEDGER_COLUMNS) or int(e[0]) in chain:
                raise _refuse("an entry is not in the form the ledger writes, or appears twice.")
            chain[int(e[0])] = e
    except (TypeError, ValueError):
        raise _refuse("an entry's number is not a number.") from None
    claimed = manifest["ledger_head"]
    n = len(chain)
    if sorted(chain) != list(range(1, n + 1)) or n != claimed.get("seq"):
        raise _refuse(
            f"the entries do not run unbroken from 1 to the manifest's head (entry {claimed.get('seq')}): "
            "the bundle was changed."
        )
    prev = ledger.GENESIS
    for seq in range(1, n + 1):
        e = chain[seq]
        fields = dict(zip(ledger.LEDGER_COLUMNS, e, strict=True))
        if fields["prev_hash"] != prev or ledger.entry_hash(fields) != fields["entry_hash"]:
            raise _refuse(f"ledger entry {seq} does not follow from the one before it: the bundle was changed.")
        prev = fields["entry_hash"]
    if prev != claimed.get("hash"):
        raise _refuse(
            "the sender's ledger head in the manifest does not follow from the ledger entries the bundle "
            "carries: the bundle was changed."
        )
    latest: dict[tuple[str, int], str] = {}
    for e in entries:
        if e[5] == case_id:
            latest[(e[3], e[4])] = e[6]
    withheld = {tuple(w) for w in doc.get("withheld") or [] if isinstance(w, list) and len(w) == 2}
    carried: dict[tuple[str, int], dict] = {}
    checked = 0
    unmatched: set[tuple[str, int]] = set()
    for r in records:
        if not (isinstance(r, list) and len(r) == 3 and isinstance(r[2], dict)):
            raise _refuse("a record is not [entity, id, row].")
        key = (r[0], r[1])
        if key not in latest:
            raise _refuse(f"{r[0]} {r[1]} is carried but not in the ledger: the bundle was changed.")
        if key not in withheld:
            try:
                same = ledger.row_hash(r[0], r[2]) == latest[key]
            except TypeError:
                same = False
            if not same:
                if strict:
                    raise _refuse(f"{r[0]} {r[1]} does not match its ledger entry: the bundle was changed.")
                unmatched.add(key)
            checked += 1
        carried[key] = r[2]
    for key in latest:
        if key[0] in ledger.ENTITIES and key not in carried:
            raise _refuse(f"{key[0]} {key[1]} is in the ledger but not carried: the bundle was changed.")
    _bind(bundle, carried, skip={_natural(k[0], carried[k]) for k in unmatched})
    return {
        "head": {"seq": n, "hash": prev},
        "records_checked": checked - len(unmatched),
        "withheld": len(withheld),
        "unmatched": len(unmatched),
    }


def _same(bundle_value, row_value) -> bool:
    if bundle_value is None:
        return row_value in (None, "")
    if isinstance(bundle_value, (list, dict)):
        if row_value is None:
            return not bundle_value
        if (
            bundle_value.__class__ is list
            and row_value.__class__ is str
            and all(v.__class__ is str for v in bundle_value)
            and row_value == _list_text(bundle_value)
        ):
            return True  # a list of text stored as stalklog stores it (json.dumps of it): the same list, unread
        try:
            return isinstance(row_value, str) and json.loads(row_value) == bundle_value
        except ValueError:
            return False
    if isinstance(bundle_value, bool):
        return int(bundle_value) == row_value
    return bundle_value == row_value


def _list_text(value: list) -> str | None:
    """A list as stalklog stores it (``records._json_list``: ``json.dumps``), or None."""
    from stalklog.records import _json_list

    try:
        return _json_list(value)
    except (TypeError, ValueError, RecursionError):
        return None


def _natural(entity: str, row: dict) -> tuple[str, object]:
    return entity, row.get("ref") if entity in ("cases", "exhibits") else row.get("key")


def _bind(bundle: dict, carried: dict, skip: set) -> None:
    """What bundle.json says of the case, its people, incidents and exhibits is what the
    carried (ledger-checked) records say (``skip``: records known not to match, reported)."""
    by_entity: dict[str, dict] = {}
    for (entity, _id), row in carried.items():
        by_entity.setdefault(entity, {})[_natural(entity, row)[1]] = row
    case = bundle.get("case") if isinstance(bundle, dict) else None
    items = [("cases", case)] if isinstance(case, dict) else []
    for p in bundle.get("people") or []:
        items.append(("people", p))
    for inc in bundle.get("incidents") or []:
        items.append(("incidents", inc))
        for ex in (inc.get("exhibits") if isinstance(inc, dict) else None) or []:
            items.append(("exhibits", ex))
    for order in (bundle.get("orders") if isinstance(bundle, dict) else None) or []:  # orders-v1
        items.append(("orders", order))
    for entity, item in items:
        if not isinstance(item, dict):
            continue
        natural = item.get("ref") if entity in ("cases", "exhibits") else item.get("key")
        if (entity, natural) in skip:
            continue
        row = by_entity.get(entity, {}).get(natural)
        what = f"{entity[:-1] if entity != 'people' else 'person'} {natural}"
        if row is None:
            raise _refuse(f"bundle.json holds {what}, which the sender's ledger does not: the bundle was changed.")
        for field in BOUND[entity]:
            if field in item and not _same(item[field], row.get(field)):
                raise _refuse(
                    f"bundle.json's {what} ({field}) is not what the sender's ledger records: the bundle was changed."
                )
