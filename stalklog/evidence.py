"""Exhibits: files kept inside the case file, with their hash, reference and continuity.

An exhibit's bytes live in the ``exhibits.content`` column, so they are encrypted with
the case file and travel with its backups. Its reference follows the UK police
convention: the producer's initials, a slash and the next number for those initials in
the case (``AD/1``, ``AD/2``); a part of an exhibit adds another number (``AD/1/1``).
Every step in an exhibit's life (obtained, added, imported, exported) is a continuity
event in ``exhibit_events``; every write appends to the ledger in the same transaction.

Functions take a ``Database`` and return plain dicts; the caller wraps writes in
``db.transaction()``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from stalklog import records
from stalklog.clock import utc_now_iso
from stalklog.errors import IntegrityError, InvalidValue, NotFound
from stalklog.store.database import Database
from stalklog.store.ledger import Appender
from stalklog.store.private_files import write_private

MAX_EXHIBIT_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024
EVENTS = ("obtained", "added", "imported", "exported")
CARRIED = "[carried in the bundle]"  # marks continuity events brought in by a zip bundle
# ASCII letters and digits only (\d would take any script's digits), and \Z: $ also matches
# before a trailing newline, so "AD/1\n" would pass.
REF_RE = re.compile(r"([A-Za-z]{1,6})/([0-9]+)((?:/[0-9]+)*)\Z")
_COLUMNS = (
    "id",
    "case_id",
    "incident_id",
    "ref",
    "description",
    "file_name",
    "size",
    "sha256",
    "producer",
    "obtained",
    "how_obtained",
    "created_utc",
    "added_by",
)


# ---------------------------------------------------------------- references


def initials(name: str) -> str:
    """A producer's initials for an exhibit reference: "Alex Doe" → "AD", "Mary-Jane O'Neil" → "MJO".

    Accents are dropped (``Zoë Ó Briain`` → ``ZOB``); at most six letters are kept.
    """
    plain = unicodedata.normalize("NFKD", name or "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = [w for w in re.split(r"[\s\-]+", plain) if w]
    letters = ""
    for w in words:
        first = next((ch for ch in w if "A" <= ch.upper() <= "Z" and ch.isascii()), "")
        letters += first.upper()
    if not letters:
        raise InvalidValue(
            f'--producer: cannot make initials from "{name}" for the exhibit reference.',
            hint="Give the reference by hand, e.g. --ref AD/1.",
        )
    return letters[:6]


def normalise_ref(ref: str) -> str:
    """``ad/01`` → ``AD/1``; raises ``InvalidValue`` for anything that is not a reference."""
    text = (ref or "").strip()
    m = REF_RE.match(text)
    if not m:
        raise InvalidValue(
            f'--ref: "{ref}" is not an exhibit reference such as AD/1 or AD/1/1.',
            hint="Initials (letters), a slash and a number; a part of an exhibit adds /number.",
        )
    numbers = [m.group(2)] + [n for n in m.group(3).split("/") if n]
    if any(int(n) == 0 for n in numbers):
        raise InvalidValue(f'--ref: "{ref}": exhibit numbers start at 1.')
    return "/".join([m.group(1).upper()] + [str(int(n)) for n in numbers])


def parent_ref(ref: str) -> str | None:
    """``AD/1/2`` → ``AD/1``; ``AD/1`` → ``None``."""
    parts = ref.split("/")
    return "/".join(parts[:-1]) if len(parts) > 2 else None


def _refs(db: Database, case_id: int) -> set[str]:
    return {r for (r,) in db.execute("SELECT ref FROM exhibits WHERE case_id = ?", [case_id])}


def next_ref(db: Database, case_id: int, prefix: str) -> str:
    """The next free number under ``prefix``: initials (``AD`` → ``AD/3``) or an exhibit
    (``AD/1`` → ``AD/1/2``)."""
    pattern = re.compile(re.escape(prefix) + r"/(\d+)$", re.IGNORECASE)
    numbers = [int(m.group(1)) for r in _refs(db, case_id) if (m := pattern.match(r))]
    return f"{prefix}/{max(numbers, default=0) + 1}"


def allocate_ref(db: Database, case_id: int, *, producer: str | None, ref: str | None, part_of: str | None) -> str:
    existing = _refs(db, case_id)
    if ref and part_of:
        raise InvalidValue("--ref and --part-of: give one or the other.")
    if part_of:
        parent = normalise_ref(part_of)
        if parent not in existing:
            raise NotFound(
                f"--part-of: there is no exhibit {parent} in this case.",
                hint="See the exhibits with: stalklog exhibit list --case REF",
            )
        return next_ref(db, case_id, parent)
    if ref:
        ref = normalise_ref(ref)
        if ref in existing:
            raise InvalidValue(
                f"--ref: exhibit {ref} already exists in this case.",
                hint="Leave out --ref to be given the next number.",
            )
        whole = parent_ref(ref)
        if whole and whole not in existing:
            raise NotFound(
                f"--ref: {ref} is a part of exhibit {whole}, which does not exist in this case.",
                hint=f"Add {whole} first.",
            )
        return ref
    if not producer or not producer.strip():
        raise InvalidValue(
            "--producer: say who produced the exhibit (its reference starts with their initials); "
            "the case has no single named victim to take it as.",
            hint='For example: --producer "Alex Doe" gives AD/1. Or set the reference with --ref.',
        )
    return next_ref(db, case_id, initials(producer))


# ---------------------------------------------------------------- reading a file


def read_file(path: Path, limit: int | None = None) -> tuple[bytes, str]:
    """Read a file once, hashing while reading. Returns ``(bytes, sha256 hex)``."""
    limit = MAX_EXHIBIT_BYTES if limit is None else limit
    path = Path(path)
    if not path.exists():
        raise NotFound(f"{path}: no such file. Nothing was added.")
    if path.is_dir():
        raise InvalidValue(
            f"{path} is a folder, not a file. Nothing was added.",
            hint="Add each file on its own, or zip the folder first.",
        )
    too_big = InvalidValue(
        f"{path} is larger than {limit // (1024 * 1024)} MB, the limit for one exhibit. Nothing was added.",
        hint="Keep the original safe elsewhere and add a smaller copy or an extract, "
        "noting what it is in --description.",
    )
    if path.stat().st_size > limit:
        raise too_big
    digest = hashlib.sha256()
    data = bytearray()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            data += chunk
            if len(data) > limit:
                raise too_big
            digest.update(chunk)
    if not data:
        raise InvalidValue(f"{path} is empty (0 bytes). Nothing was added.")
    return bytes(data), digest.hexdigest()


# ---------------------------------------------------------------- writing


def obtained_text(when) -> str:
    """A parsed ``When`` as stored in ``obtained``: a UTC date-time, or a date when no time is known."""
    import datetime as dt

    if not when.has_time:
        return when.start.date().isoformat()
    from stalklog.clock import zone

    return when.start.replace(tzinfo=zone()).astimezone(dt.UTC).isoformat(timespec="seconds")


def default_producer(db: Database, case: dict) -> str | None:
    """Who produced an exhibit when no one is named: the case's only victim, by name (the
    person keeping the diary captures her own screenshots); None if that is not clear."""
    victims = [p for p in records.people(db, case["id"]) if p["role"] == "victim"]
    return victims[0]["name"] if len(victims) == 1 and victims[0]["name"] else None


def add_exhibit(
    db: Database,
    incident: int | str,
    content: bytes,
    *,
    file_name: str,
    case_ref: str | None = None,
    sha256: str | None = None,
    producer: str | None = None,
    description: str | None = None,
    how_obtained: str | None = None,
    obtained: str | None = None,
    ref: str | None = None,
    part_of: str | None = None,
    by: str | None = None,
) -> dict:
    """Keep a file's bytes as an exhibit of an incident, with its continuity events."""
    inc = records.get_incident(db, incident, case_ref)
    if inc["withdrawn"]:
        raise InvalidValue(f"Incident {inc['id']} is withdrawn; exhibits cannot be added to it.")
    case = records.get_case(db, inc["case"])
    if case["status"] == "closed":
        raise InvalidValue(
            f'Case "{case["ref"]}" is closed.', hint=f"Reopen it with: stalklog case reopen {case['ref']}"
        )
    digest = hashlib.sha256(content).hexdigest()
    if sha256 is not None and sha256 != digest:
        raise IntegrityError("The file changed while it was being read. Nothing was added.")
    if not content:
        raise InvalidValue(f"{file_name} is empty (0 bytes). Nothing was added.")
    producer = producer.strip() if producer and producer.strip() else None
    if producer is None and not ref and not part_of:
        producer = default_producer(db, case)
    added_by = by.strip() if by and by.strip() else None
    the_ref = allocate_ref(db, case["id"], producer=producer, ref=ref, part_of=part_of)
    appender = Appender(db)
    now = appender.at
    eid = (
        db["exhibits"]
        .insert(
            {
                "case_id": case["id"],
                "incident_id": inc["id"],
                "ref": the_ref,
                "description": description,
                "file_name": file_name,
                "size": len(content),
                "sha256": digest,
                "content": content,
                "producer": producer,
                "obtained": obtained,
                "how_obtained": how_obtained,
                "created_utc": now,
                "added_by": added_by,
            }
        )
        .last_pk
    )
    appender.record("create", "exhibits", eid, case["id"])
    if obtained:
        _event(db, appender, eid, case["id"], "obtained", by=producer, at=obtained, detail=how_obtained)
    _event(
        db,
        appender,
        eid,
        case["id"],
        "added",
        by=added_by,  # who put it in the case file: never assumed to be the producer
        at=now,
        detail=f"{file_name}, {len(content)} bytes, SHA-256 {digest}",
    )
    appender.flush()
    return get_exhibit(db, the_ref, case["ref"])


def _event(
    db: Database,
    appender: Appender,
    exhibit_id: int,
    case_id: int,
    event: str,
    *,
    by: str | None,
    at: str,
    detail: str | None,
    action: str = "create",
) -> None:
    ev = (
        db["exhibit_events"]
        .insert({"exhibit_id": exhibit_id, "event": event, "by": by, "at_utc": at, "detail": detail})
        .last_pk
    )
    appender.record(action, "exhibit_events", ev, case_id)


def record_event(
    db: Database,
    exhibit_id: int,
    case_id: int,
    event: str,
    *,
    by: str | None = None,
    at: str | None = None,
    detail: str | None = None,
    action: str = "create",
    appender: Appender | None = None,
) -> None:
    """Add one continuity event (and its ledger entry)."""
    if event not in EVENTS:
        raise InvalidValue(f'"{event}" is not a continuity event: expected {", ".join(EVENTS)}.')
    own = appender is None
    appender = appender or Appender(db)
    _event(db, appender, exhibit_id, case_id, event, by=by, at=at or appender.at, detail=detail, action=action)
    if own:
        appender.flush()


# ---------------------------------------------------------------- reading


def _exhibit_dict(row: dict, case_ref: str, incident_key: str) -> dict:
    return {
        "ref": row["ref"],
        "case": case_ref,
        "incident": row["incident_id"],
        "incident_key": incident_key,
        "description": row["description"],
        "file_name": row["file_name"],
        "size": row["size"],
        "sha256": row["sha256"],
        "producer": row["producer"],
        "obtained": row["obtained"],
        "how_obtained": row["how_obtained"],
        "added_utc": row["created_utc"],
        "added_by": row["added_by"],
        "has_file": bool(row["has_file"]),
        "id": row["id"],
    }


_SELECT = (
    f"SELECT {', '.join('exhibits.' + c for c in _COLUMNS)}, exhibits.content IS NOT NULL AS has_file, "
    "cases.ref AS case_ref, incidents.key AS incident_key FROM exhibits "
    "JOIN cases ON cases.id = exhibits.case_id JOIN incidents ON incidents.id = exhibits.incident_id"
)


def _fetch(db: Database, where: str, params: list) -> list[dict]:
    cur = db.execute(f"{_SELECT} {where}", params)
    cols = [d[0] for d in cur.description]
    out = []
    for values in cur:
        row = dict(zip(cols, values, strict=True))
        out.append(_exhibit_dict(row, row["case_ref"], row["incident_key"]))
    return out


def list_exhibits(db: Database, *, case_ref: str | None = None, incident: int | str | None = None) -> list[dict]:
    """Exhibits, in the order they were added; of one case, or of one incident."""
    if incident is not None:
        inc = records.get_incident(db, incident, case_ref)
        return _fetch(db, "WHERE exhibits.incident_id = ? ORDER BY exhibits.id", [inc["id"]])
    if case_ref:
        case = records.get_case(db, case_ref)
        return _fetch(db, "WHERE exhibits.case_id = ? ORDER BY exhibits.id", [case["id"]])
    return _fetch(db, "ORDER BY cases.ref, exhibits.id", [])


def get_exhibit(db: Database, ref: str, case_ref: str | None = None) -> dict:
    """One exhibit with its continuity events. Without ``case_ref`` the reference must be
    unique in the file."""
    try:
        the_ref = normalise_ref(ref)
    except InvalidValue:
        the_ref = ref
    if case_ref:
        case = records.get_case(db, case_ref)
        found = _fetch(db, "WHERE exhibits.case_id = ? AND exhibits.ref = ?", [case["id"], the_ref])
    else:
        found = _fetch(db, "WHERE exhibits.ref = ? ORDER BY cases.ref", [the_ref])
    if not found:
        raise NotFound(
            f"No exhibit {ref}" + (f" in case {case_ref}." if case_ref else " in this case file."),
            hint="See the exhibits with: stalklog exhibit list",
        )
    if len(found) > 1:
        raise InvalidValue(
            f"Exhibit {the_ref} is in several cases; say which with --case.",
            hint="Cases: " + ", ".join(e["case"] for e in found[:10]),
        )
    exhibit = found[0]
    exhibit["continuity"] = events(db, exhibit["id"])
    return exhibit


def events(db: Database, exhibit_id: int) -> list[dict]:
    """An exhibit's continuity, oldest first (events carried in from a bundle sort by their time)."""
    cur = db.execute(
        "SELECT event, by, at_utc, detail FROM exhibit_events WHERE exhibit_id = ? "
        "ORDER BY at_utc, coalesce(detail, '') LIKE ? DESC, id",
        [exhibit_id, "%" + CARRIED],
    )
    return [{"event": e, "by": b, "at": a, "detail": d} for e, b, a, d in cur.fetchall()]


def content(db: Database, exhibit: dict) -> bytes:
    """An exhibit's bytes, checked against its SHA-256 and size. Raises ``IntegrityError``."""
    row = db.execute("SELECT content, sha256, size FROM exhibits WHERE id = ?", [exhibit["id"]]).fetchone()
    if row is None or row[0] is None:
        raise NotFound(
            f"Exhibit {exhibit['ref']} has no file in this case file (it came as a reference only).",
            hint="Ask whoever holds the original for the file, or a zip bundle that carries it.",
        )
    data, digest, size = bytes(row[0]), row[1], row[2]
    if hashlib.sha256(data).hexdigest() != digest or (size is not None and len(data) != size):
        raise IntegrityError(
            f"Exhibit {exhibit['ref']}: the stored bytes do not match its SHA-256. Nothing was written.",
            hint="Run: stalklog verify — the case file may have been changed outside stalklog.",
        )
    return data


def export_exhibit(
    db: Database, ref: str, output: Path, *, case_ref: str | None = None, by: str | None = None, overwrite: bool = False
) -> dict:
    """Write an exhibit's original bytes to ``output`` (mode 0600), verified against its
    hash before and after writing, and record an ``exported`` continuity event.

    When ``output`` is a folder the file keeps its original name inside it.
    """
    exhibit = get_exhibit(db, ref, case_ref)
    data = content(db, exhibit)
    output = Path(output)
    if output.is_dir():
        output = output / safe_name(exhibit["file_name"] or exhibit["ref"].replace("/", "_"))
    if output.exists() and not overwrite:
        raise InvalidValue(
            f"{output} already exists. Nothing was written.", hint="Choose another name, or add --force to replace it."
        )
    write_private(output, data)
    with open(output, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != exhibit["sha256"]:
            output.unlink(missing_ok=True)
            raise IntegrityError(
                f"{output}: the written file does not match exhibit {exhibit['ref']}'s SHA-256; it was removed.",
                hint="Check the disk, then try again.",
            )
    case = records.get_case(db, exhibit["case"])
    record_event(
        db, exhibit["id"], case["id"], "exported", by=by, at=utc_now_iso(), detail=f"to {output.name}, SHA-256 checked"
    )
    return {**get_exhibit(db, exhibit["ref"], exhibit["case"]), "output": str(output)}


def safe_name(name: str, limit: int = 100) -> str:
    """A file name safe on every system: letters, digits, ``.``, ``_`` and ``-`` only."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base)
    base = "".join(ch for ch in base if not unicodedata.combining(ch))
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "file"
    if len(base) > limit:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: limit - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else base[:limit]
    return base
