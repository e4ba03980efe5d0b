"""One way in: ``open_db()`` for every command.

It connects with the standard ``sqlite3`` module, or with ``sqlcipher3`` when the file is
encrypted, checks that the file is a stalklog case file this version can read, applies
migrations, turns on WAL, a busy timeout and foreign keys. ``transaction()`` wraps one
command's writes so that they land whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from stalklog.errors import CaseFileError, PassphraseError


class DamagedFile(CaseFileError):
    """SQLite found the case file damaged (malformed pages, a bad checksum); ``verify`` and
    ``db check`` report it as NOT intact (exit status 3)."""


SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 30.0

PassphraseSource = Callable[[], str]


class Database:
    """A case file's connection and the whole API the core uses on it: ``execute``,
    ``executemany``, ``atomic``, ``table_names``, ``close`` and ``db[table]`` (a thin
    table with ``insert(row)`` and ``update(id, changes)``).

    What sqlite-utils does best (the migrations' ``create``, ``create_index`` and
    ``enable_fts``, introspection, bulk work) is asked for explicitly through
    ``utils()``, a real ``sqlite_utils.Database`` on the same connection, imported only
    then: importing sqlite-utils costs about 0.1 s, and more when numpy is installed
    (it imports numpy), which is too much for ``stalklog add`` (docs/performance.md).
    Nothing falls through to sqlite-utils unasked, so one call always runs one code path.
    """

    def __init__(self, conn, path: Path | None = None, *, encrypted: bool = False):
        self.conn = conn
        self.path = path
        self.encrypted = encrypted
        self.anchor_dirty = False  # a write since opening: the anchor outside the file is updated on close
        self._utils = None
        self._reopen: Callable[[], Database] | None = None  # open_db's: see ``reader``
        conn.execute("PRAGMA recursive_triggers = on")  # as sqlite-utils does

    def reader(self) -> Database:
        """Another connection to this case file, for reading only: what a worker process
        checking cases opens (a connection must not cross a fork). An encrypted file's
        passphrase stays in ``open_db``'s closure, in memory: a closure cannot be pickled,
        so it is never sent anywhere."""
        if self._reopen is None:
            raise CaseFileError("This case file was not opened by stalklog.open_db: it cannot be opened again here.")
        return self._reopen()

    def utils(self):
        """The same connection as a ``sqlite_utils.Database``."""
        if self._utils is None:
            from sqlite_utils import Database as UtilsDatabase

            self._utils = UtilsDatabase(self.conn, execute_plugins=False)
        return self._utils

    def __getitem__(self, table: str) -> Table:
        return Table(self, table)

    def execute(self, sql: str, parameters=None):
        if parameters is not None:
            return self.conn.execute(sql, parameters)
        return self.conn.execute(sql)

    @property
    def journal_mode(self) -> str:
        return self.conn.execute("PRAGMA journal_mode").fetchone()[0]

    def enable_wal(self) -> None:
        self.conn.execute("PRAGMA journal_mode = wal")

    def executemany(self, sql: str, rows):
        return self.conn.executemany(sql, rows)

    def close(self) -> None:
        if self.anchor_dirty:  # a command wrote: keep the new head outside the file
            self.anchor_dirty = False
            from stalklog.store import anchor

            # sqlcipher3 is imported only for an encrypted file (it costs a plain add a few ms)
            with contextlib.suppress(OSError, *(driver_errors() if self.encrypted else (sqlite3.Error,))):
                anchor.update(self)
        self.conn.close()

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction, or a savepoint inside one (as ``sqlite_utils.Database.atomic``)."""
        if self.conn.in_transaction:
            savepoint = f"stalklog_{os.urandom(8).hex()}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise


def _value(v):
    """A value as sqlite-utils stores it (its ``jsonify_if_needed``): lists and dicts as JSON."""
    if v is None or isinstance(v, (str, int, float, bytes)):
        return v
    if isinstance(v, (dict, list, tuple)):
        import json

        return json.dumps(v, default=repr, ensure_ascii=False)
    import datetime as dt
    import decimal
    import uuid

    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (dt.time, dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (dt.timedelta, uuid.UUID)):
        return str(v)
    return v


class Table:
    """``db[table].insert(row)`` and ``.update(id, changes)`` for a table keyed by ``id``,
    storing values as sqlite-utils would (lists and dicts as JSON)."""

    def __init__(self, db: Database, name: str):
        self.db = db
        self.name = name
        self.last_pk: int = 0
        self.last_rowid: int = 0

    def insert(self, record: dict) -> Table:
        cols = list(record)
        cur = self.db.conn.execute(
            f"INSERT INTO [{self.name}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' * len(cols))})",
            [_value(record[c]) for c in cols],
        )
        self.last_rowid = cur.lastrowid
        self.last_pk = record.get("id", cur.lastrowid)
        return self

    def update(self, pk_values: int, updates: dict | None = None) -> Table:
        if not self.db.conn.execute(f"SELECT 1 FROM [{self.name}] WHERE id = ?", [pk_values]).fetchone():
            from stalklog.errors import NotFound

            raise NotFound(f"{self.name}: no row {pk_values}.")
        if updates:
            cols = list(updates)
            self.db.conn.execute(
                f"UPDATE [{self.name}] SET {', '.join(f'[{c}] = ?' for c in cols)} WHERE id = ?",
                [*(_value(updates[c]) for c in cols), pk_values],
            )
        self.last_pk = pk_values
        return self


def default_path() -> Path:
    """The case file used when neither ``--db`` nor ``STALKLOG_DB`` says otherwise."""
    env = os.environ.get("STALKLOG_DB")
    if env:
        return Path(env).expanduser()
    from stalklog.config import user_dir

    return user_dir("data") / "stalklog.db"


def is_encrypted(path: Path) -> bool:
    """True when the file exists, is not empty and is not a plain SQLite file."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        return False
    except OSError as e:
        raise CaseFileError(f"Cannot read {path}: {e.strerror}") from None
    return bool(head) and head != SQLITE_HEADER


def driver_errors() -> tuple[type[BaseException], ...]:
    """The ``Error`` classes of every SQLite driver in use (sqlcipher3's are not sqlite3's)."""
    errors: list[type[BaseException]] = [sqlite3.Error]
    with contextlib.suppress(ImportError):
        from sqlcipher3 import dbapi2

        errors.append(dbapi2.Error)
    return tuple(errors)


def quote_key(passphrase: str) -> str:
    """The passphrase as an SQL string literal for ``PRAGMA key``."""
    return "'" + passphrase.replace("'", "''") + "'"


def connect(path: Path, passphrase: str | None = None):
    """A raw DB-API connection (no migrations): sqlcipher3 when a passphrase is given."""
    if passphrase is None:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        return conn
    try:
        from sqlcipher3 import dbapi2 as sqlcipher
    except ImportError:
        raise CaseFileError(
            "This case file is encrypted, but sqlcipher3 is not installed.",
            hint="Install it with: pip install sqlcipher3",
        ) from None
    conn = sqlcipher.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    # SQLCipher logs "hmac check failed" lines to stderr on a wrong key: silence them.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {quote_key(passphrase)}")
    return conn


def open_db(
    path: Path | str,
    passphrase: str | None = None,
    *,
    create: bool = False,
    passphrase_source: PassphraseSource | None = None,
    migrate: bool = True,
    check_schema: bool = True,
) -> Database:
    """Open (or with ``create=True`` create) a case file and bring it to the current schema.

    ``passphrase_source`` is called only when the file turns out to be encrypted and no
    ``passphrase`` was given. Raises ``CaseFileError`` or ``PassphraseError`` with a
    message a person can act on, and ``SchemaChanged`` (exit status 3) when the file holds
    a trigger, view, index or table stalklog did not create (``check_schema=False`` for
    ``verify`` and ``db check``, which report it with everything else).
    """
    path = Path(path).expanduser()
    if not path.exists():
        if not create:
            raise CaseFileError(
                f"No case file at {path}.",
                hint="Create one with: stalklog init (or choose another with --db PATH)",
            )
        from stalklog.store.private_files import new_private_file

        new_private_file(path)
    elif path.is_dir():
        raise CaseFileError(f"{path} is a folder, not a case file.")
    if passphrase is None and is_encrypted(path):
        if path.stat().st_size % 512:  # SQLCipher files are whole pages: this is neither kind
            raise CaseFileError(
                f"{path} is not a stalklog case file: it is not an SQLite database, nor an encrypted one.",
                hint="Check the path (--db PATH or STALKLOG_DB). If it was your case file, it is damaged: "
                "restore it from a backup with: stalklog db restore BACKUP",
            )
        if passphrase_source is None:
            raise PassphraseError(
                f"{path} is encrypted (or is not a stalklog case file): a passphrase is needed.",
                hint="Set STALKLOG_PASSPHRASE, or run the command in a terminal to be asked.",
            )
        passphrase = passphrase_source()
    try:
        conn = connect(path, passphrase)
        _check_readable(conn, path, passphrase is not None)
        db = Database(conn, path, encrypted=passphrase is not None)
        if migrate:
            _migrate(db, path)
            if check_schema:
                from stalklog.store import schema_check

                schema_check.check_on_open(conn)
        db.execute("PRAGMA foreign_keys = ON")
    except driver_errors() as e:
        raise _translate(e, path) from None
    db._reopen = _reopener(path, passphrase)
    return db


def _reopener(path: Path, passphrase: str | None) -> Callable[[], Database]:
    def reopen() -> Database:
        db = open_db(path, passphrase, migrate=False)  # the first opening migrated and checked it
        db.execute("PRAGMA query_only = ON")
        return db

    return reopen


def _check_readable(conn, path: Path, encrypted: bool) -> None:
    errors = driver_errors() if encrypted else sqlite3.Error  # sqlcipher3 only when in use
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except errors as e:
        if "not a database" in str(e) or "encrypted" in str(e):
            if encrypted:
                raise PassphraseError("Wrong passphrase, or not a stalklog case file.", hint=str(path)) from None
            raise CaseFileError(
                f"{path} is not a stalklog case file (or it is damaged).",
                hint="Check the path; if it is your case file, run: stalklog db check, "
                "or restore it from a backup with: stalklog db restore BACKUP",
            ) from None
        raise
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    # A commit survives power loss, not only a crash: WAL's NORMAL (some builds' default)
    # can lose the last entries. Costs one fsync per command (docs/reliability.md).
    conn.execute("PRAGMA synchronous = FULL")


def _known_migrations() -> tuple[int, frozenset[str]] | None:
    """The application id and migration names in migrations.py, read from its source
    without importing it (that imports sqlite-utils); None when they cannot be read for
    certain, and then ``_migrate`` asks the migrations themselves."""
    try:
        src = Path(__file__).with_name("migrations.py").read_text(encoding="utf-8")
    except OSError:
        return None
    return _migrations_in(src)


def _migrations_in(src: str) -> tuple[int, frozenset[str]] | None:
    """The application id and migration names in the text of migrations.py, or None."""
    # Read line by line (no regular expression to compile on every command's open): the
    # line ``APPLICATION_ID = <number>``, and each ``@migrations()`` line's ``def NAME(``.
    lines = src.split("\n")
    app_id, names = [], []
    for at, line in enumerate(lines):
        if line.startswith("APPLICATION_ID = "):
            value = line[len("APPLICATION_ID = ") :].rstrip()
            digits = value[2:] if value[:2] == "0x" else value
            hexadecimal = "0123456789abcdefABCDEF" if value[:2] == "0x" else "0123456789"
            if digits and all(c in hexadecimal for c in digits):
                app_id.append(value)
        elif line == "@migrations()" and at + 1 < len(lines) and lines[at + 1].startswith("def "):
            name, bracket, _ = lines[at + 1][4:].partition("(")
            if bracket and name and all(c.isalnum() or c == "_" for c in name):
                names.append(name)
    if len(app_id) != 1 or not names or len(names) != src.count("@migrations"):
        return None
    return int(app_id[0], 0), frozenset(names)


def _up_to_date(db: Database) -> bool:
    """True when every migration is applied and nothing newer is: the usual case, decided
    with two reads and no import of the migrations."""
    known = _known_migrations()
    if known is None:
        return False
    if db.execute("PRAGMA application_id").fetchone()[0] != known[0]:
        return False
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone():
        return False
    applied = {
        r[0] for r in db.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'stalklog'").fetchall()
    }
    return applied == known[1]


def _migrate(db: Database, path: Path) -> None:
    if _up_to_date(db):
        return
    from stalklog.store.migrations import APPLICATION_ID, migrations

    tables = set(db.table_names())
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if tables and (app_id not in (0, APPLICATION_ID) or "_sqlite_migrations" not in tables):
        raise CaseFileError(
            f"{path} is an SQLite file, but not a stalklog case file.",
            hint="Choose your case file with --db PATH, or create one with: stalklog init",
        )
    if "_sqlite_migrations" in tables:
        known = {m.name for m in migrations._migrations}  # noqa: SLF001
        applied = {
            r[0] for r in db.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'stalklog'").fetchall()
        }
        if applied - known:
            raise CaseFileError(
                f"{path} was written by a newer version of stalklog.",
                hint="Upgrade stalklog (pip install -U stalklog) to open it; nothing was changed.",
            )
        if not migrations.pending(db.utils()):
            return
    with write_lock(db):
        migrations.apply(db.utils())
    if db.journal_mode != "wal":
        db.enable_wal()


@contextlib.contextmanager
def write_lock(db: Database) -> Iterator[Database]:
    """Take the write lock at once (``BEGIN IMMEDIATE``), so a second writer waits."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One command's writes: all of them land, or none do.

    Starts with ``BEGIN IMMEDIATE`` so that two processes writing at once queue on the
    busy timeout instead of failing halfway; nested calls become savepoints.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    with write_lock(db):
        with db.atomic():
            yield db
            from stalklog.store import anchor

            anchor.ensure_id(db)
    db.anchor_dirty = True  # the anchor is written once, when the file is closed


def _no_space_left(path: Path, margin: int = 64 * 1024) -> bool:
    """Whether the disk holding ``path`` is full (less than ``margin`` bytes free)."""
    import shutil

    folder = Path(path).expanduser().absolute().parent
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < margin
    except OSError:
        return False


def _translate(e: BaseException, path: Path) -> Exception:
    text = str(e)
    if "locked" in text or "busy" in text:
        return CaseFileError(
            f"{path} is busy: another stalklog is writing to it. Nothing was changed.",
            hint="Try again in a moment.",
        )
    if "readonly" in text or "read-only" in text:
        return CaseFileError(
            f"{path} cannot be written (read-only). Nothing was changed.",
            hint="Check the file's permissions, or copy it somewhere writable.",
        )
    if "full" in text or (("I/O error" in text or "unable to open" in text) and _no_space_left(path)):
        # SQLITE_FULL; or, at 0 bytes free, the "disk I/O error" (ENOSPC) or failed open it gives then
        return CaseFileError(
            f"The disk holding {path} is full. Nothing was changed.",
            hint="Free some space and try again.",
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DamagedFile(
            f"{path} is damaged ({text}).",
            hint="Run: stalklog db check; restore from a backup with: stalklog db restore BACKUP",
        )
    if "unable to open" in text:  # e.g. a read-only folder: SQLite cannot make the -wal/-shm files beside it
        return CaseFileError(
            f"Cannot open {path}: its folder may be read-only (stalklog writes its -wal and -shm "
            "files beside the case file). Nothing was changed.",
            hint="Copy the case file to a folder you can write to and use it there with --db PATH.",
        )
    return CaseFileError(f"{path}: {text}")


def translate_error(e: BaseException, db: Database | None) -> Exception:
    """A driver error raised while a command ran, as a message for a person."""
    path = getattr(db, "path", Path("the case file"))
    return _translate(e, path)
