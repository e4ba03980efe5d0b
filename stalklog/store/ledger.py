"""The ledger: a hash chain over every write to a case file.

Each write appends one entry per record it touched::

    content_sha256 = SHA-256(canonical(row))
    entry_hash     = SHA-256(canonical({seq, at_utc, action, entity, entity_id,
                                         case_id, content_sha256, prev_hash}))

where ``canonical`` is JSON with sorted keys, no spaces, UTF-8 (``ensure_ascii=False``),
``row`` is every column of the record as stored, except columns that are NULL and an
exhibit's ``content`` bytes (its ``sha256`` column stands for them and is checked against
the bytes separately), and ``prev_hash`` is the previous entry's ``entry_hash`` (64 zeros for
the first). ``verify`` recomputes all of it from the data; docs/integrity.md describes
it for anyone who wants to check a case file without stalklog.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from typing import Any

from stalklog.clock import utc_now_iso
from stalklog.store import digest
from stalklog.store.database import Database

GENESIS = "0" * 64

# Tables whose every row the ledger covers, in the order verify reads them.
ENTITIES = (
    "cases",
    "people",
    "incidents",
    "case_impacts",
    "amendments",
    "exhibits",
    "exhibit_events",
    "screenings",
    "orders",
    "order_changes",
    "person_amendments",
)
ENTITY_PK = dict.fromkeys(ENTITIES, "id")
BLOB_COLUMNS = {"exhibits": ("content",)}


def canonical(obj) -> bytes:
    return _canonical_bytes(obj)


def _not_text(value):
    """Bytes where text belongs can only come from outside stalklog: hash them as something
    no stored text can equal, so verify reports the record instead of failing."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": bytes(value).hex()}
    raise TypeError(f"cannot hash a {type(value).__name__}")


# One encoder for every call (``json.dumps`` with options builds a new one each time, a
# tenth of a 100,000-incident import): the same output as json.dumps(obj, sort_keys=True,
# separators=(",", ":"), ensure_ascii=False, default=_not_text).
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_not_text).encode
try:  # the C encoder behind that, made once (``JSONEncoder.encode`` makes one on every call)
    from json.encoder import c_make_encoder as _c_make_encoder  # type: ignore[attr-defined]
    from json.encoder import encode_basestring as _encode_basestring

    _c_canonical = _c_make_encoder(None, _not_text, _encode_basestring, None, ":", ",", True, False, True)

    def _canonical(obj, _encoder=_canonical) -> str:  # type: ignore[misc]  # noqa: F811 - the same text, faster
        if isinstance(obj, dict):
            return "".join(_c_canonical(obj, 0))
        return _encoder(obj)
except (ImportError, TypeError):  # no C accelerator (another Python): the plain encoder
    pass


_SAME_IN_ORJSON = frozenset({str, int, bool, type(None)})
_FIRST_BY_JSON = 64  # a command that hashes a few records (add) does not load orjson for them


def _canonical_bytes(obj) -> bytes:
    """``canonical(obj)``: after the first ``_FIRST_BY_JSON`` of a process (an import or a
    verify hashes thousands), a dict whose values are all text, integers, booleans or None
    (every row and entry the ledger hashes) is written by orjson, which writes those byte
    for byte as the json module does (tests/interchange/test_fast_import.py: non-ASCII,
    control characters, escapes, empty text, integers to 64 bits); anything else (a float,
    which orjson writes otherwise, bytes, a nested value, an integer past 64 bits, a lone
    surrogate, a key that is not text) by the json module's encoder, as before."""
    global _FIRST_BY_JSON
    if _FIRST_BY_JSON > 0:
        _FIRST_BY_JSON -= 1
    elif obj.__class__ is dict and _SAME_IN_ORJSON.issuperset(map(type, obj.values())):
        try:
            return _orjson_dumps(obj)
        except TypeError:  # an integer past 64 bits, a surrogate, a key that is not text
            pass
    return _canonical(obj).encode()


def _load_orjson(obj) -> bytes:
    """The first call of ``_orjson_dumps``: load orjson (or, without it, the json module's encoder)."""
    global _orjson_dumps
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; the json module's encoder then

        def _orjson_dumps(obj) -> bytes:  # type: ignore[misc]
            raise TypeError("no orjson")

    else:
        _orjson_dumps = functools.partial(orjson.dumps, option=orjson.OPT_SORT_KEYS)
    return _orjson_dumps(obj)


_orjson_dumps: Callable[[Any], bytes] = _load_orjson


def sha256(data: bytes) -> str:
    return digest.new(data).hexdigest()


def row_hash(entity: str, row: dict) -> str:
    """SHA-256 of a record: every column except the blob ones and those that are NULL (so a
    new nullable column added by a later migration leaves every earlier hash valid)."""
    skip = BLOB_COLUMNS.get(entity)
    if skip:
        kept = {k: v for k, v in row.items() if k not in skip and v is not None}
    else:
        kept = {k: v for k, v in row.items() if v is not None}
    return digest.new(_canonical_bytes(kept)).hexdigest()


def entry_hash(entry: dict) -> str:
    keys = ("seq", "at_utc", "action", "entity", "entity_id", "case_id", "content_sha256", "prev_hash")
    return sha256(canonical({k: entry[k] for k in keys}))


def _columns(db: Database, entity: str) -> list[str]:
    cache = db.__dict__.setdefault("_stalklog_columns", {})
    if entity not in cache:
        skip = BLOB_COLUMNS.get(entity, ())
        cache[entity] = [r[1] for r in db.execute(f"PRAGMA table_info([{entity}])").fetchall() if r[1] not in skip]
    return cache[entity]


def head(db: Database) -> dict | None:
    row = db.execute("SELECT seq, entry_hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    return {"seq": row[0], "hash": row[1]} if row else None


class EntryTemplate:
    """The canonical text of a ledger entry (``entry_hash``'s: its eight keys in sorted
    order, no spaces) for one time, action, entity and case, as a template: the same text
    as the JSON encoder writes, for hex digests and integer ids."""

    def __init__(self, at: str, action: str, entity: str, case_id: int | None):
        if not all(isinstance(v, str) for v in (at, action, entity)) or not (case_id is None or type(case_id) is int):
            raise TypeError("an entry template needs text and an integer case id")
        self.head = (
            '{"action":'
            + _canonical(action)
            + ',"at_utc":'
            + _canonical(at)
            + ',"case_id":'
            + ("null" if case_id is None else int.__repr__(case_id))
            + ',"content_sha256":"'
        )
        self.middle = '","entity":' + _canonical(entity) + ',"entity_id":'

    def text(self, content: str, entity_id: int, prev: str, seq: int) -> str:
        """The entry's canonical text (``content`` and ``prev`` are hex digests)."""
        return f'{self.head}{content}{self.middle}{int.__repr__(entity_id)},"prev_hash":"{prev}","seq":{int.__repr__(seq)}}}'


class Appender:
    """Appends ledger entries within one transaction, keeping the chain head in memory."""

    def __init__(self, db: Database):
        self.db = db
        h = head(db)
        self.seq = h["seq"] if h else 0
        self.prev = h["hash"] if h else GENESIS
        self.at = utc_now_iso()
        self.pending: list[tuple] = []

    def record(self, action: str, entity: str, entity_id: int, case_id: int | None, row: dict | None = None) -> str:
        if row is None:
            cols = _columns(self.db, entity)
            cur = self.db.execute(
                f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{entity}] WHERE id = ?",
                [entity_id],
            )
            values = cur.fetchone()
            row = dict(zip(cols, values, strict=True))
        return self.record_content(action, entity, entity_id, case_id, row_hash(entity, row))

    def record_content(
        self,
        action: str,
        entity: str,
        entity_id: int,
        case_id: int | None,
        content: str,
        template: EntryTemplate | None = None,
    ) -> str:
        """``record`` for a record whose ``row_hash`` is ``content`` already; ``template``
        (made for the same action, entity and case) writes the entry's canonical text."""
        self.seq += 1
        prev = self.prev
        if template is None:
            entry = {
                "seq": self.seq,
                "at_utc": self.at,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "case_id": case_id,
                "content_sha256": content,
                "prev_hash": prev,
            }
            data = _canonical_bytes(entry)  # entry_hash(entry): exactly the hashed keys
        else:
            data = template.text(content, entity_id, prev, self.seq).encode()
        entry_digest = digest.new(data).hexdigest()
        self.prev = entry_digest
        self.pending.append((self.seq, self.at, action, entity, entity_id, case_id, content, prev, entry_digest))
        if len(self.pending) >= 5000:
            self.flush()
        return entry_digest

    def flush(self) -> None:
        if self.pending:
            self.db.conn.executemany(
                f"INSERT INTO ledger ({', '.join(LEDGER_COLUMNS)}) VALUES ({', '.join('?' * len(LEDGER_COLUMNS))})",
                self.pending,
            )
            self.pending = []


LEDGER_COLUMNS = (
    "seq",
    "at_utc",
    "action",
    "entity",
    "entity_id",
    "case_id",
    "content_sha256",
    "prev_hash",
    "entry_hash",
)


def append(db: Database, action: str, entity: str, entity_id: int, case_id: int | None) -> str:
    """Append one entry for the record as it now stands; returns the new head hash."""
    appender = Appender(db)
    h = appender.record(action, entity, entity_id, case_id)
    appender.flush()
    return h


class Problem:
    """One thing verify found wrong. (A plain class, not a dataclass: making the dataclasses
    of the modules ``add`` imports cost it a few ms at every start.)"""

    __slots__ = ("code", "entity", "entity_id", "text")

    def __init__(self, code: str, entity: str | None, entity_id: int | None, text: str):
        self.code = code  # chain_broken | record_changed | record_missing | record_unlogged | exhibit_bytes_changed
        self.entity = entity
        self.entity_id = entity_id
        self.text = text

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.as_dict() == other.as_dict()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return f"Problem(code={self.code!r}, entity={self.entity!r}, entity_id={self.entity_id!r}, text={self.text!r})"

    def as_dict(self) -> dict:
        return {"code": self.code, "entity": self.entity, "id": self.entity_id, "text": self.text}


class Report:
    """What verify found: counts, the head of the chain, the problems."""

    def __init__(
        self,
        entries: int = 0,
        records: int = 0,
        exhibits_checked: int = 0,
        head: str = GENESIS,
        problems: list[Problem] | None = None,
        anchor: Any = None,
    ):
        self.entries = entries
        self.records = records
        self.exhibits_checked = exhibits_checked
        self.head = head
        self.problems: list[Problem] = [] if problems is None else problems
        self.anchor = anchor  # anchor.Finding, when the anchor was checked

    def __repr__(self) -> str:
        return (
            f"Report(entries={self.entries!r}, records={self.records!r}, exhibits_checked={self.exhibits_checked!r}, "
            f"head={self.head!r}, problems={self.problems!r}, anchor={self.anchor!r})"
        )

    @property
    def ok(self) -> bool:
        return not self.problems


def _walk_chain(db: Database, report: Report) -> dict[tuple[str, int], tuple[int, str, int | None]]:
    """Check every link; return the latest entry per record."""
    latest: dict[tuple[str, int], tuple[int, str, int | None]] = {}
    prev = GENESIS
    expected_seq = 1
    cur = db.execute(f"SELECT {', '.join(LEDGER_COLUMNS)} FROM ledger ORDER BY seq")
    hashed = LEDGER_COLUMNS[:-1]  # entry_hash(): every column but the entry's own hash
    for values in cur:
        seq, _at, _action, entity, entity_id, case_id, content, prev_hash, own_hash = values
        report.entries += 1
        if not report.problems:
            if seq != expected_seq:
                report.problems.append(
                    Problem(
                        "chain_broken", entity, entity_id, f"ledger entry {expected_seq} is missing (next is {seq})"
                    )
                )
            elif prev_hash != prev:
                report.problems.append(
                    Problem("chain_broken", entity, entity_id, f"ledger entry {seq} does not follow entry {seq - 1}")
                )
            elif sha256(_canonical_bytes(dict(zip(hashed, values[:-1], strict=True)))) != own_hash:
                report.problems.append(Problem("chain_broken", entity, entity_id, f"ledger entry {seq} was altered"))
        prev = own_hash
        expected_seq = seq + 1
        latest[(entity, entity_id)] = (seq, content, case_id)
    report.head = prev
    return latest


def _rows(db: Database, entity: str, case_id: int | None) -> Iterator[dict]:
    cols = _columns(db, entity)
    sql = f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{entity}]"
    params: list = []
    if case_id is not None:
        if entity == "cases":
            sql += " WHERE id = ?"
        elif entity == "amendments":
            sql += " WHERE incident_id IN (SELECT id FROM incidents WHERE case_id = ?)"
        elif entity == "exhibit_events":
            sql += " WHERE exhibit_id IN (SELECT id FROM exhibits WHERE case_id = ?)"
        elif entity == "order_changes":
            sql += " WHERE order_id IN (SELECT id FROM orders WHERE case_id = ?)"
        else:
            sql += " WHERE case_id = ?"
        params.append(case_id)
    cur = db.execute(sql + " ORDER BY id", params)
    for values in cur:  # NULL columns left out, as row_hash leaves them out (blob columns are not read)
        yield {k: v for k, v in zip(cols, values, strict=True) if v is not None}


def _stored_row_hash(row: dict) -> str:
    """``row_hash`` of a row from ``_rows`` (no NULLs, no blob columns in it already)."""
    return digest.new(_canonical_bytes(row)).hexdigest()


def verify(db: Database, case_id: int | None = None, progress: Callable[[int], None] | None = None) -> Report:
    """Recompute every record's hash, the chain and every exhibit's bytes.

    With ``case_id`` only that case's records are compared (the chain is always walked
    whole: it is one chain for the file). ``progress`` is told of every 1,000 records
    compared (``record_count`` is how many there are).
    """
    report = Report()
    latest = _walk_chain(db, report)
    seen: set[tuple[str, int]] = set()
    present = set(db.table_names())
    for entity in ENTITIES:
        if entity not in present:  # a dropped table: the schema check names it
            continue
        for row in _rows(db, entity, case_id):
            key = (entity, row["id"])
            seen.add(key)
            report.records += 1
            if progress is not None and report.records % 1000 == 0:
                progress(1000)
            logged = latest.get(key)
            if logged is None:
                report.problems.append(
                    Problem(
                        "record_unlogged",
                        entity,
                        row["id"],
                        f"{_name(entity)} {row['id']} is not in the ledger (added outside stalklog?)",
                    )
                )
            elif logged[1] != _stored_row_hash(row):
                report.problems.append(
                    Problem(
                        "record_changed",
                        entity,
                        row["id"],
                        f"{_name(entity)} {row['id']} does not match its ledger entry {logged[0]} (changed outside stalklog?)",
                    )
                )
    for (entity, entity_id), (seq, _, logged_case) in latest.items():
        if (entity, entity_id) in seen or entity not in ENTITIES or entity not in present:
            continue
        if case_id is not None and logged_case != case_id:
            continue
        report.problems.append(
            Problem(
                "record_missing",
                entity,
                entity_id,
                f"{_name(entity)} {entity_id} is in the ledger (entry {seq}) but missing from the file (deleted outside stalklog?)",
            )
        )
    if "exhibits" in present:
        _check_exhibit_bytes(db, case_id, report)
    return report


def record_count(db: Database) -> int | None:
    """How many records ``verify`` compares in the whole file; None when a table cannot be
    read (a damaged or altered file: ``verify`` itself says what is wrong)."""
    from stalklog.store.database import driver_errors

    try:
        return sum(db.execute(f"SELECT count(*) FROM [{entity}]").fetchone()[0] for entity in ENTITIES)  # noqa: S608
    except driver_errors():
        return None


def _check_exhibit_bytes(db: Database, case_id: int | None, report: Report) -> None:
    # ``size`` is the length of the bytes held; it is NULL only for an exhibit that came as a
    # reference (hash only), so bytes that vanish while ``size`` stays are caught too.
    sql = "SELECT id, ref, sha256, size, content FROM exhibits WHERE (content IS NOT NULL OR size IS NOT NULL)"
    params: list = []
    if case_id is not None:
        sql += " AND case_id = ?"
        params.append(case_id)
    for ex_id, ref, stored_sha256, size, content in db.execute(sql + " ORDER BY id", params):
        report.exhibits_checked += 1
        if content is None:
            report.problems.append(
                Problem(
                    "exhibit_bytes_changed",
                    "exhibits",
                    ex_id,
                    f"exhibit {ref} (id {ex_id}): the file's bytes are missing (removed outside stalklog?)",
                )
            )
        elif not isinstance(content, bytes | bytearray | memoryview):
            report.problems.append(
                Problem(
                    "exhibit_bytes_changed",
                    "exhibits",
                    ex_id,
                    f"exhibit {ref} (id {ex_id}): the file's bytes were replaced by a {type(content).__name__} "
                    "value (changed outside stalklog?)",
                )
            )
        elif sha256(bytes(content)) != stored_sha256 or (size is not None and len(content) != size):
            report.problems.append(
                Problem(
                    "exhibit_bytes_changed",
                    "exhibits",
                    ex_id,
                    f"exhibit {ref} (id {ex_id}): the file's bytes do not match its SHA-256 (changed outside stalklog?)",
                )
            )


def _name(entity: str) -> str:
    return {
        "cases": "case",
        "people": "person",
        "incidents": "incident",
        "case_impacts": "case impact",
        "amendments": "amendment",
        "exhibits": "exhibit",
        "exhibit_events": "exhibit event",
        "screenings": "screening",
        "orders": "order",
        "order_changes": "order change",
        "person_amendments": "correction to a person",
    }[entity]
