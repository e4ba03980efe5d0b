"""Everything ``verify`` and ``db check`` look at, in one place, and never a crash.

1. SQLite's ``integrity_check`` (every page, every index against its table) and, for an
   encrypted file, SQLCipher's ``cipher_integrity_check`` (every page's HMAC);
2. the schema against what the migrations create (``schema_check``);
3. the ledger: the chain, every record and every exhibit's bytes (``ledger.verify``);
4. the full-text index against the incidents it indexes (FTS5's ``integrity-check``), so
   an incident cannot be hidden from ``search``;
5. the head kept outside the file (``anchor``), and a head given with ``--head``.

Whatever is damaged or altered is reported as a problem (the file is then NOT intact,
exit status 3); a driver error on the way is one more problem, not a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stalklog.store import anchor, ledger, schema_check
from stalklog.store.database import Database, driver_errors

HEX = re.compile(r"^[0-9a-f]{16,64}$")


def _damaged(text: str) -> ledger.Problem:
    return ledger.Problem("damaged", None, None, text)


def sqlite_problems(conn, encrypted: bool) -> list[str]:
    """SQLite's and (encrypted) SQLCipher's page checks: an empty list when sound."""
    out: list[str] = []
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            out += [f"SQLite's integrity check: {r}" for r in rows[:20]]
    except driver_errors() as e:
        out.append(f"SQLite cannot read the whole file: {e}")
    if encrypted:
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
            out += [f"SQLCipher's page check: {r}" for r in rows[:20]]
        except driver_errors() as e:
            out.append(f"SQLCipher's page check could not run: {e}")
    return out


def fts_problem(conn) -> str | None:
    """FTS5's own check of the search index against the incidents table (None when sound
    or when there is no index). It needs to write-lock the file for a moment; a file that
    cannot be written is reported as not checked."""
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'incidents_fts'").fetchone():
            return None
        conn.execute("INSERT INTO incidents_fts(incidents_fts, rank) VALUES ('integrity-check', 1)")
    except driver_errors() as e:
        if "readonly" in str(e) or "read-only" in str(e):
            return None
        return (
            "the search index does not match the incidents (changed outside stalklog?): "
            "search could hide or invent incidents"
        )
    return None


def check(
    db: Database,
    case_id: int | None = None,
    *,
    head: str | None = None,
    use_anchor: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ledger.Report:
    """Every check, problems in order: damage, schema, ledger, search index, anchor, ``head``.
    ``progress`` is told of the records the ledger check compares (``ledger.verify``)."""
    encrypted = bool(getattr(db, "encrypted", False))
    report = ledger.Report()
    damage = sqlite_problems(db.conn, encrypted)
    report.problems += [_damaged(t) for t in damage]
    try:
        diffs = schema_check.differences(db.conn)
    except driver_errors() as e:
        diffs = []
        report.problems.append(_damaged(f"the schema cannot be read: {e}"))
    report.problems += [ledger.Problem("schema_changed", None, None, d.text) for d in diffs]
    try:
        led = ledger.verify(db, case_id, progress=progress)
    except driver_errors() as e:
        report.problems.append(_damaged(f"the ledger or a record cannot be read: {e}"))
    except (TypeError, ValueError, OverflowError) as e:  # a value stalklog never writes (text for a number…)
        report.problems.append(
            ledger.Problem("chain_broken", "ledger", None, f"the ledger holds a value stalklog never writes ({e})")
        )
    else:
        report.entries, report.records, report.exhibits_checked = led.entries, led.records, led.exhibits_checked
        report.head = led.head
        report.problems += led.problems
    if not damage and not any(d.name.startswith("incidents") for d in diffs):
        text = fts_problem(db.conn)
        if text:
            report.problems.append(ledger.Problem("index_changed", "incidents", None, text))
    if use_anchor:
        try:
            finding = anchor.check(db)
        except driver_errors() as e:
            report.problems.append(_damaged(f"the ledger cannot be read: {e}"))
        else:
            report.anchor = finding
            if finding.problem:
                report.problems.append(ledger.Problem("anchor_mismatch", None, None, finding.problem))
    if head is not None:
        text = head_problem(db, head)
        if text:
            report.problems.append(ledger.Problem("head_not_found", None, None, text))
    return report


def head_problem(db: Database, given: str) -> str | None:
    """None when the chain passes through ``given`` (a head written down elsewhere)."""
    value = given.strip().lower()
    if not HEX.match(value):
        from stalklog.errors import InvalidValue

        raise InvalidValue(
            "--head: a ledger head is 64 hexadecimal characters (at least the first 16).",
            hint="Copy it from stalklog verify's output, a report or a bundle's manifest.",
        )
    try:
        rows = db.execute(
            "SELECT seq FROM ledger WHERE substr(entry_hash, 1, ?) = ? ORDER BY seq", [len(value), value]
        ).fetchall()
    except driver_errors() as e:
        return f"the ledger cannot be read: {e}"
    if not rows:
        return (
            f"the ledger does not pass through the head you gave ({value[:16]}…): entries were removed "
            "or the history was rewritten since it was written down (or it is another case file's head)"
        )
    return None
