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

import hashlib
import io
import json
import re

from stalklog.errors import BundleError
from stalklog.interchange.json_stream import NotStreamable, _items, _Text
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


def _is_key(value) -> bool:
    """Whether ``value`` is an [entity, id] pair as the ledger writes one (a table's name and
    a row's id)."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    )


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


def check(source, manifest: dict, bundle: dict) -> dict:
    """Check a carried ledger against the manifest's head and the bundle; return a summary
    (``head``, ``records_checked``, ``withheld``, ``unmatched``). Raises ``BundleError`` on
    any mismatch — except, for a bundle whose manifest says the sender's file did not verify
    when it was made, records that do not match their entries: those are counted
    (``unmatched``) and reported, as that file's own ``verify`` reported them.

    ``source`` is the member's bytes or a callable that opens it as text (a zip member is
    read that way, a piece at a time: ``json_stream``). The document is walked once, each
    entry and record checked as it comes; only the chain's last hash, each record's latest
    content hash and, per carried record, a digest of the fields ``bundle.json`` is bound
    to are kept (docs/performance.md, round 4, the zip import)."""
    opener = source if callable(source) else _bytes_opener(source)
    walk = _Walk(manifest, opener)
    try:
        with opener() as f:
            walk.document(_Text(f))
    except NotStreamable:
        _not_an_object(opener)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse("not valid JSON.") from None
    walk.finish()
    _bind(bundle, walk.carried, walk.chosen, skip={(k[0], n) for k, n in walk.unmatched.items()}, opener=opener)
    return {
        "head": {"seq": walk.n, "hash": walk.prev},
        "records_checked": walk.checked - len(walk.unmatched),
        "withheld": len(walk.withheld),
        "unmatched": len(walk.unmatched),
    }


def _is_carried(kept) -> bool:
    return kept.__class__ is tuple or (kept.__class__ is bytes and len(kept) == 33)


def _not_an_object(opener):
    """The walk stopped: the document is not valid JSON, or is JSON but not an object (read
    whole, only to tell which)."""
    try:
        with opener() as f:
            doc = json.loads(f.read())
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse("not valid JSON.") from None
    if not isinstance(doc, dict):
        raise _refuse(f'not a stalklog ledger (expected format "{FORMAT}", version {VERSION}).')
    raise _refuse("not valid JSON.")  # pragma: no cover - an object the walk could not read


def _hash_value(value):
    """A content hash as kept: 32 bytes for the lowercase hex stalklog writes, else as given."""
    if value.__class__ is str and len(value) == 64 and _HEX.fullmatch(value):
        return bytes.fromhex(value)
    return value


def _bytes_opener(data: bytes):
    return lambda: io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


_HEX = re.compile(r"[0-9a-f]{64}")
_ORDER = "its parts (case_id, entries, records) are not in the order stalklog writes them: the bundle was changed."


class _Walk:
    """One pass over ``ledger.json``. Faults are noted, not raised, until the whole document
    has been read (``finish``), so a document that is not valid JSON is refused as such and
    every other fault is named in the order the whole-document check found them."""

    def __init__(self, manifest: dict, opener):
        self.opener = opener
        self.claimed = manifest["ledger_head"]
        self.strict = manifest.get("source_verified", True) is not False
        self.doc_fault: str | None = None  # format or version
        self.seen: set[str] = set()
        self.case_id = None
        self.entries_list = self.records_list = False
        self.order_fault = False
        # entries
        self.entry_fault: str | None = None  # the form of an entry, or a number given twice
        self.expected = 1  # the next entry's number, while they run 1, 2, 3…
        self.disorder_at: int | None = None  # the number expected when they stopped doing so
        self.after: set[int] = set()  # the numbers seen since then (to find one given twice)
        self.chain_fault: str | None = None
        self.prev = ledger.GENESIS
        # entity -> id -> its latest content hash (32 bytes; a 33rd, "!", once the record is carried)
        self.latest: dict[object, dict] = {}
        self.missing = 0  # records of the case's tables the entries name and not yet carried
        # records
        self.record_fault: tuple[int, str] | None = None  # (position, message): the first of its kind
        self.pending: list[tuple[int, tuple, object]] = []  # records that did not match, before withheld was read
        self.index = 0
        self.checked = 0
        # entity -> natural key -> digest of the bound fields, for ``_bind``; ``chosen``: the
        # record a natural key given by two records stands for (the later, as a dict keeps it)
        self.carried: dict[object, dict] = {}
        self.chosen: dict[tuple, tuple] = {}
        self.repeats: dict[tuple, int] = {}
        self.unmatched: dict[tuple, object] = {}  # (entity, id) -> natural key
        self.withheld: set[tuple] = set()
        self.withheld_read = False

    @property
    def n(self) -> int:
        return self.expected - 1

    def document(self, t: _Text) -> None:
        decode = json.JSONDecoder().raw_decode
        t.take("{")
        if t.peek() == "}":
            t.pos += 1
        else:
            while True:
                if t.peek() != '"':
                    raise NotStreamable
                key = t.value(decode)
                t.take(":")
                if key in self.seen:
                    self.order_fault = True  # a part given twice: json.loads would keep the last
                self.seen.add(key)
                if key == "entries" and t.peek() == "[":
                    self.entries_list = True
                    if "records" in self.seen:
                        self.order_fault = True
                    for e in _items(t, decode):
                        self.entry(e)
                elif key == "records" and t.peek() == "[":
                    self.records_list = True
                    if "entries" not in self.seen or self.doc_fault:
                        self.order_fault = True
                    self.entries_done()
                    for r in _items(t, decode):
                        self.record(r)
                else:
                    value = t.value(decode)
                    if key in ("entries", "records"):
                        if key == "entries":
                            self.entries_list = False
                        else:
                            self.records_list = False
                    elif key == "case_id":
                        if "entries" in self.seen:
                            self.order_fault = True
                        self.case_id = value
                    elif key == "withheld":
                        self.read_withheld(value)
                    elif key == "format" and value != FORMAT or key == "version" and value != VERSION:
                        self.doc_fault = key
                char = t.peek()
                t.pos += 1
                if char == "}":
                    break
                if char != ",":
                    raise NotStreamable
        if t.peek() != "":
            raise NotStreamable

    def entry(self, e) -> None:
        if self.entry_fault:
            return
        if not isinstance(e, list) or len(e) != len(ledger.LEDGER_COLUMNS):
            self.entry_fault = "an entry is not in the form the ledger writes, or appears twice."
            return
        try:
            seq = int(e[0])
        except (TypeError, ValueError):
            self.entry_fault = "an entry's number is not a number."
            return
        if self.disorder_at is None:
            if 1 <= seq < self.expected:
                self.entry_fault = "an entry is not in the form the ledger writes, or appears twice."
            elif seq == self.expected:
                self.expected += 1
                self.follow(seq, e)
            else:  # a gap, or the entries out of order: refused (the builder writes them in order)
                self.disorder_at = self.expected
                self.after.add(seq)
            return
        if 1 <= seq < self.disorder_at or seq in self.after:
            self.entry_fault = "an entry is not in the form the ledger writes, or appears twice."
        self.after.add(seq)

    def follow(self, seq: int, e: list) -> None:
        """Entry ``seq`` (in order): its hash, and what it says of the case's records."""
        if self.chain_fault:
            return
        fields = dict(zip(ledger.LEDGER_COLUMNS, e, strict=True))
        try:
            same = fields["prev_hash"] == self.prev and ledger.entry_hash(fields) == fields["entry_hash"]
        except (TypeError, ValueError):
            same = False
        if not same:
            self.chain_fault = f"ledger entry {seq} does not follow from the one before it: the bundle was changed."
            return
        self.prev = fields["entry_hash"]
        if e[5] == self.case_id:
            ids = self.latest.setdefault(e[3], {})
            if e[3] in ledger.ENTITIES and e[4] not in ids:
                self.missing += 1
            ids[e[4]] = _hash_value(e[6])

    def entries_done(self) -> None:
        if self.entry_fault or self.disorder_at is not None or self.n != self.claimed.get("seq"):
            self.chain_fault = self.chain_fault or "broken"  # records are not checked against a broken chain

    def read_withheld(self, value) -> None:
        if self.withheld_read:
            self.order_fault = True
            return
        self.withheld_read = True
        if value is not None and not (isinstance(value, list) and all(_is_key(w) for w in value)):
            raise _refuse("withheld is not a list of [entity, id] pairs as stalklog writes it: the bundle was changed.")
        self.withheld = {tuple(w) for w in value or []}

    def record(self, r) -> None:
        i, self.index = self.index, self.index + 1
        if self.record_fault or self.chain_fault or self.order_fault:
            return
        if not (isinstance(r, list) and len(r) == 3 and _is_key(r[:2]) and isinstance(r[2], dict)):
            self.record_fault = (i, "a record is not [entity, id, row].")
            return
        key = (r[0], r[1])
        ids = self.latest.get(r[0])
        if ids is None or r[1] not in ids:
            self.record_fault = (i, f"{r[0]} {r[1]} is carried but not in the ledger: the bundle was changed.")
            return
        kept = ids[r[1]]
        carried = _is_carried(kept)
        if carried:
            kept = kept[0] if kept.__class__ is tuple else kept[:32]
        try:
            same = _hash_value(ledger.row_hash(r[0], r[2])) == kept
        except TypeError:
            same = False
        natural = _natural(r[0], r[2])[1]
        if not same:
            if self.withheld_read:
                self.mismatch(i, key, natural)
            else:
                self.pending.append((i, key, natural))
        if carried:  # the same record again (its hash is its latest, as the first's was)
            self.repeats[key] = self.repeats.get(key, 0) + 1
            return
        ids[r[1]] = kept + b"!" if kept.__class__ is bytes and len(kept) == 32 else (kept,)
        if r[0] in ledger.ENTITIES:
            self.missing -= 1
        if r[0] not in BOUND:
            return  # not something bundle.json is bound to
        by_natural = self.carried.setdefault(r[0], {})
        if natural in by_natural:
            self.chosen[(r[0], natural)] = key
        by_natural[natural] = _row_digest(r[0], r[2])

    def mismatch(self, i: int, key: tuple, natural) -> None:
        if key in self.withheld:
            return
        if self.strict:
            if self.record_fault is None or i < self.record_fault[0]:
                self.record_fault = (i, f"{key[0]} {key[1]} does not match its ledger entry: the bundle was changed.")
        else:
            self.unmatched[key] = natural

    def finish(self) -> None:
        """Raise the first fault, in the order the whole-document check looks for them."""
        if self.doc_fault:
            raise _refuse(f'not a stalklog ledger (expected format "{FORMAT}", version {VERSION}).')
        if "format" not in self.seen or "version" not in self.seen:
            raise _refuse(f'not a stalklog ledger (expected format "{FORMAT}", version {VERSION}).')
        if not (self.entries_list and self.records_list):
            raise _refuse("expected entries and records.")
        if self.order_fault:
            raise _refuse(_ORDER)
        if self.entry_fault:
            raise _refuse(self.entry_fault)
        if self.disorder_at is not None or self.n != self.claimed.get("seq"):
            raise _refuse(
                f"the entries do not run unbroken from 1 to the manifest's head (entry {self.claimed.get('seq')}): "
                "the bundle was changed."
            )
        if self.chain_fault:
            raise _refuse(self.chain_fault)
        if self.prev != self.claimed.get("hash"):
            raise _refuse(
                "the sender's ledger head in the manifest does not follow from the ledger entries the bundle "
                "carries: the bundle was changed."
            )
        for i, key, natural in self.pending:
            self.mismatch(i, key, natural)
        self.pending = []
        if self.record_fault:
            raise _refuse(self.record_fault[1])
        self.checked = self.index - sum(1 + self.repeats.get(k, 0) for k in self.withheld if self.is_carried(k))
        if self.missing:
            key = self.first_missing()
            raise _refuse(f"{key[0]} {key[1]} is in the ledger but not carried: the bundle was changed.")
        self.latest = {}

    def is_carried(self, key) -> bool:
        try:
            return _is_carried(self.latest.get(key[0], {}).get(key[1]))
        except TypeError:
            return False

    def first_missing(self) -> tuple:
        """The first record, in the entries' order, that is named and not carried (the entries
        read again: this is only for the message)."""
        for e in _part(self.opener, "entries"):
            if e[5] == self.case_id and e[3] in ledger.ENTITIES and not self.is_carried((e[3], e[4])):
                return (e[3], e[4])
        raise AssertionError("a record counted missing was not found again")  # pragma: no cover


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


# Bound fields stored as 0/1 that bundle.json gives as true/false
_FLAGS = frozenset({"below_threshold", "interim"})
# Bound fields bundle.json may leave out where the record has them (an exhibit's size): left out
# of the digest; an item that gives one is compared the careful way
_OPTIONAL = {"exhibits": frozenset({"size"})}
_PENDING = 2000  # items kept for the careful comparison before the ledger is read again for their rows


def _digest(values: list) -> bytes | None:
    """A digest of bound values in one form (None: a value with no one form, such as NaN)."""
    try:
        text = json.dumps(values, ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _row_digest(entity: str, row: dict) -> bytes | None:
    """The digest of the bundle values that say exactly what ``row`` says, in the form stalklog
    writes them (a stored list as the list, a stored 0/1 flag as false/true). Equal digests
    mean ``_same`` holds for every bound field; any other form is compared the careful way."""
    fields = BOUND.get(entity)
    if fields is None:
        return None
    values = []
    optional = _OPTIONAL.get(entity, ())
    for f in fields:
        if f in optional:
            continue
        v = row.get(f)
        if isinstance(v, list | dict):
            return None  # not how stalklog stores a value: compared the careful way
        if v.__class__ is str and v[:1] in ("[", "{"):
            try:
                parsed = json.loads(v)
            except (ValueError, RecursionError):
                parsed = None
            if isinstance(parsed, list | dict):
                v = parsed
        elif f in _FLAGS and v.__class__ is int and v in (0, 1):
            v = bool(v)
        values.append(v)
    return _digest(values)


def _item_digest(entity: str, item: dict) -> bytes | None:
    optional = _OPTIONAL.get(entity, ())
    if any(f in item for f in optional):
        return None
    return _digest([item.get(f) for f in BOUND[entity] if f not in optional])


def _bind(bundle: dict, carried: dict, chosen: dict, skip: set, opener) -> None:
    """What bundle.json says of the case, its people, incidents and exhibits is what the
    carried (ledger-checked) records say (``skip``: records known not to match, reported).

    ``carried`` gives, by entity and natural key, the digest of each record's bound fields:
    an item whose digest is its record's says the same; any other is compared field by field
    (``_same``) with its record, read again from ``opener`` (``chosen``: the record a natural
    key given by two records stands for)."""
    pending: list[tuple[str, object, dict]] = []

    def careful() -> None:
        if not pending:
            return
        rows = _rows_again(opener, {(entity, natural) for entity, natural, _item in pending}, chosen)
        for entity, natural, item in pending:
            _compare(entity, natural, item, rows.get((entity, natural), {}))
        pending.clear()

    for entity, item in _bundle_items(bundle):
        if not isinstance(item, dict):
            continue
        natural = item.get("ref") if entity in ("cases", "exhibits") else item.get("key")
        if (entity, natural) in skip:
            continue
        by_natural = carried.get(entity, {})
        try:
            known = natural in by_natural
        except TypeError:  # not a key a record could have
            known = False
        if not known:
            careful()  # a field changed in an item before this one is named first, as it always was
            raise _refuse(
                f"bundle.json holds {_what(entity, natural)}, which the sender's ledger does not: the bundle was changed."
            )
        digest = by_natural[natural]
        if digest is None or _item_digest(entity, item) != digest:
            pending.append((entity, natural, {f: item[f] for f in BOUND[entity] if f in item}))
            if len(pending) >= _PENDING:
                careful()
    careful()


def _what(entity: str, natural) -> str:
    return f"{entity[:-1] if entity != 'people' else 'person'} {natural}"


def _compare(entity: str, natural, item: dict, row: dict) -> None:
    for field in BOUND[entity]:
        if field in item and not _same(item[field], row.get(field)):
            raise _refuse(
                f"bundle.json's {_what(entity, natural)} ({field}) is not what the sender's ledger records: "
                "the bundle was changed."
            )


def _bundle_items(bundle):
    case = bundle.get("case") if isinstance(bundle, dict) else None
    if isinstance(case, dict):
        yield "cases", case
    for p in bundle.get("people") or []:
        yield "people", p
    for inc in bundle.get("incidents") or []:
        yield "incidents", inc
        for ex in (inc.get("exhibits") if isinstance(inc, dict) else None) or []:
            yield "exhibits", ex
    for order in (bundle.get("orders") if isinstance(bundle, dict) else None) or []:  # orders-v1
        yield "orders", order


def _part(opener, name: str):
    """The values of the top-level list ``name`` of the (already checked) ledger, read again."""
    decode = json.JSONDecoder().raw_decode
    with opener() as f:
        t = _Text(f)
        t.take("{")
        while True:
            key = t.value(decode)
            t.take(":")
            if key == name and t.peek() == "[":
                yield from _items(t, decode)
            else:
                t.value(decode)
            if t.peek() == "}":
                t.pos += 1
                return
            t.take(",")


def _rows_again(opener, wanted: set, chosen: dict) -> dict:
    """The carried rows of the ``wanted`` (entity, natural key) pairs, read again."""
    rows: dict = {}
    for entity, id_, row in _part(opener, "records"):
        try:
            natural = _natural(entity, row)
            hash(natural)
        except (TypeError, AttributeError):
            continue  # not a record the check let through with that key
        if natural in wanted and chosen.get(natural, (entity, id_)) == (entity, id_):
            rows[natural] = row
    return rows
