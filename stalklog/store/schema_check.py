"""The case file's schema is part of what is verified.

A trigger, view or index planted in a case file runs (or changes what is read) every time
stalklog writes to it: a trigger can rewrite every later entry before the ledger hashes it.
So the objects in ``sqlite_master`` are compared with the ones stalklog's own migrations
create. The expected set is derived, never listed by hand: the migrations that the file
records as applied are run on an empty in-memory database and its ``sqlite_master`` read
back, so a new migration is covered the moment it is added.

Definitions are compared after a light normalisation (identifier quotes and whitespace),
so a file written by an older sqlite-utils, which quoted names differently, still matches.

Opening a case file (``open_db``) checks the schema against a cached expected set (deriving
it costs a fifth of a second: too much for every ``stalklog add``); the cache is keyed by
the migrations' source and kept in the settings folder. ``verify``, ``db check``,
``encrypt``, ``backup`` and ``restore`` always derive it afresh and trust no cache.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from stalklog.errors import IntegrityError
from stalklog.store.digest import sha256

# SQLite's own bookkeeping tables: created by SQLite itself (AUTOINCREMENT, ANALYZE), never
# by a CREATE statement anyone can plant.
_SQLITE_TABLES = frozenset(("sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"))
_CACHE_VERSION = 1


class SchemaChanged(IntegrityError):
    """The case file holds a table, index, trigger or view stalklog did not create (or one
    whose definition was changed): tampering, exit status 3."""


class Difference:
    """One schema object that is not as the migrations make it."""

    __slots__ = ("kind", "type", "name")

    def __init__(self, kind: str, type_: str, name: str):
        self.kind = kind  # unknown | missing | changed
        self.type = type_  # table | index | trigger | view
        self.name = name

    def __repr__(self) -> str:
        return f"Difference({self.kind!r}, {self.type!r}, {self.name!r})"

    @property
    def text(self) -> str:
        if self.kind == "unknown":
            return f"the case file holds an unknown {self.type} {self.name!r}, which stalklog did not create (added outside stalklog?)"
        if self.kind == "missing":
            return f"the {self.type} {self.name!r} is missing from the case file (removed outside stalklog?)"
        return f"the definition of the {self.type} {self.name!r} was changed (outside stalklog?)"


_PATTERNS: list = []


def normalise(sql: str | None) -> str | None:
    """A definition with identifier quoting and spacing made uniform."""
    if sql is None:
        return None
    if not _PATTERNS:  # compiled only when a definition has to be compared
        import re

        _PATTERNS[:] = [
            re.compile(r'"((?:[^"]|"")*)"|\[([^\]]*)\]|`([^`]*)`|\'([A-Za-z_][A-Za-z0-9_]*)\''),
            re.compile(r"\s+"),
            re.compile(r"\s*([(),;=])\s*"),
        ]
    _QUOTED, _SPACE, _AROUND = _PATTERNS

    def unquote(m: re.Match) -> str:
        for g in m.groups():
            if g is not None:
                return g.replace('""', '"')
        return m.group()

    text = _QUOTED.sub(unquote, sql)
    text = _SPACE.sub(" ", text)
    text = _AROUND.sub(r"\1", text)
    return text.strip().lower()


def _raw(conn) -> list[tuple[str, str, str | None]]:
    out = []
    for type_, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name"):
        if type_ == "table" and name in _SQLITE_TABLES:
            continue
        if type_ == "index" and sql is None and str(name).startswith("sqlite_autoindex_"):
            continue  # made by SQLite for a UNIQUE or PRIMARY KEY in a table's definition
        out.append((str(type_), str(name), sql if sql is None else str(sql)))
    return out


def _normalised(raw: list) -> dict[tuple[str, str], str | None]:
    return {(t, n): normalise(s) for t, n, s in raw}


def objects(conn) -> dict[tuple[str, str], str | None]:
    """``{(type, name): normalised sql}`` of every schema object the file holds."""
    return _normalised(_raw(conn))


def applied_migrations(conn) -> list[str]:
    """The stalklog migrations the file records as applied, in the order they were applied."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone():
        return []
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'stalklog' ORDER BY rowid"
    ).fetchall()
    return [r[0] for r in rows]


_derived: dict[tuple[str, ...], dict[tuple[str, str], str | None]] = {}


def expected(applied: list[str] | tuple[str, ...] | None = None) -> dict[tuple[str, str], str | None]:
    """The schema objects the migrations create (all of them, or only those ``applied``),
    derived by running them on an empty in-memory database; cached for the process."""
    from sqlite_utils import Database as UtilsDatabase

    from stalklog.store.migrations import migrations

    names = [m.name for m in migrations._migrations]  # noqa: SLF001
    wanted = tuple(names if applied is None else [n for n in names if n in set(applied)])
    if wanted not in _derived:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            db = UtilsDatabase(conn, execute_plugins=False)
            stop = [n for n in names if n not in wanted]
            migrations.apply(db, stop_before=stop[0] if stop else None)
            _derived[wanted] = objects(conn)
        finally:
            conn.close()
    return _derived[wanted]


def compare(found: dict, wanted: dict) -> list[Difference]:
    out: list[Difference] = []
    for key in sorted(found.keys() - wanted.keys(), key=_order):
        out.append(Difference("unknown", *key))
    for key in sorted(wanted.keys() - found.keys(), key=_order):
        out.append(Difference("missing", *key))
    for key in sorted(found.keys() & wanted.keys(), key=_order):
        if found[key] != wanted[key]:
            out.append(Difference("changed", *key))
    return out


def _order(key: tuple[str, str]) -> tuple[int, str]:
    # triggers and views first: they are what can act or mislead
    return ({"trigger": 0, "view": 1, "table": 2, "index": 3}.get(key[0], 4), key[1])


def differences(conn) -> list[Difference]:
    """Every difference between the file's schema and what its applied migrations create
    (derived afresh: what ``verify`` and ``db check`` use)."""
    return compare(objects(conn), expected(applied_migrations(conn)))


def check(conn, what: str = "The case file") -> None:
    """Raise ``SchemaChanged`` naming the first difference (derived afresh)."""
    raise_for(differences(conn), what)


def raise_for(diffs: list[Difference], what: str = "The case file") -> None:
    if diffs:
        more = f" (and {len(diffs) - 1} more)" if len(diffs) > 1 else ""
        raise SchemaChanged(
            f"{what} was changed outside stalklog: {diffs[0].text}{more}. Nothing was changed.",
            hint="Keep a copy of the file as it is and run: stalklog verify. Restore a backup with: "
            "stalklog db restore BACKUP (docs/integrity.md).",
        )


# ---------------------------------------------------------------- the cached check on open


def _cache_key() -> str | None:
    try:
        src = Path(__file__).with_name("migrations.py").read_bytes()
    except OSError:
        return None
    return sha256(src + sqlite3.sqlite_version.encode())[:32]


def _cache_path(key: str) -> Path:
    from stalklog import config

    return config.path().parent / "cache" / f"schema-{key}.json"


def _load_cache(p: Path) -> dict | None:
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if data.get("version") == _CACHE_VERSION and isinstance(data.get("accepted"), list):
            return data
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    return None


def _save_cache(p: Path, data: dict) -> None:
    try:
        from stalklog.store.private_files import make_private_dir, write_quick

        make_private_dir(p.parent)
        write_quick(p, json.dumps(data))
    except OSError:
        pass  # a read-only settings folder: derived again next time


def check_on_open(conn) -> None:
    """The schema check every command makes when it opens a fully migrated case file.

    The usual case costs one read of ``sqlite_master`` and one hash: the exact schema
    text is compared with the ones already found to match (kept in the cache). Anything
    else is normalised and compared with the expected set (from the cache, or derived).
    """
    raw = _raw(conn)
    digest = sha256(json.dumps(raw).encode())
    key = _cache_key()
    p = _cache_path(key) if key else None
    data = _load_cache(p) if p else None
    if data is not None and digest in data["accepted"]:
        return
    found = _normalised(raw)
    wanted = {(t, n): s for t, n, s in data["objects"]} if data is not None else expected()
    if compare(found, wanted):
        raise_for(compare(found, expected()))  # never trust the cache to accuse a file
    if p is not None:
        if data is None:
            data = {"version": _CACHE_VERSION, "objects": [[t, n, s] for (t, n), s in sorted(wanted.items())]}
        data["accepted"] = [*data["accepted"][-7:], digest] if "accepted" in data else [digest]
        _save_cache(p, data)
