"""The integrity anchor: the ledger head kept outside the case file.

Nothing stored only in a case file can show that its history was not cut short, rolled
back or rewritten with a recomputed chain: whoever can write the file can write all of it.
So after each command that wrote to a case file, its ledger head (the newest entry's
``seq`` and ``entry_hash``) and the hash of its first entry are kept in the user's settings
folder, in ``anchors/<anchor id>.json`` (0600, in 0700 folders). ``verify`` then reports a
file whose chain no longer passes through the anchored head.

The anchor id is a random value kept in the case file's ``meta`` table (``anchor_id``): the
anchor's name says nothing about where the case file is or what it is called, and the
anchor holds only hashes and a count (docs/privacy.md). A copy of the file (a backup) has
the same id, so restoring an old backup over a newer file is noticed too.

An anchor is only moved forward: a command that writes to a file whose chain does not pass
through the anchored head leaves the anchor as it is (the evidence stays), and ``verify``
says so. Writing it costs one small file write per command, not per record.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

META_KEY = "anchor_id"
FORMAT = "stalklog.anchor"


def folder() -> Path:
    from stalklog import config

    return config.path().parent / "anchors"


def _file(anchor_id: str) -> Path | None:
    if not anchor_id or not all(c in "0123456789abcdef" for c in anchor_id) or len(anchor_id) != 32:
        return None  # not one stalklog made: never a path outside the folder
    return folder() / f"{anchor_id}.json"


def anchor_id(db) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [META_KEY]).fetchone()
    return row[0] if row else None


def ensure_id(db) -> str:
    """The file's anchor id, created (inside the caller's write transaction) if it has none."""
    cached = db.__dict__.get("_anchor_id")
    if cached:
        return cached
    value = anchor_id(db)
    if not value:
        value = os.urandom(16).hex()
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [META_KEY, value])
    db.__dict__["_anchor_id"] = value
    return value


class Anchor:
    """What is kept: the head's ``seq`` and ``entry_hash``, and entry 1's hash."""

    __slots__ = ("seq", "head", "first")

    def __init__(self, seq: int, head: str, first: str | None):
        self.seq, self.head, self.first = seq, head, first

    def as_dict(self) -> dict:
        return {"format": FORMAT, "version": 1, "seq": self.seq, "head": self.head, "first": self.first}


def load(anchor_id_: str | None) -> Anchor | None:
    p = _file(anchor_id_ or "")
    if p is None:
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return Anchor(int(data["seq"]), str(data["head"]), data.get("first"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _all() -> list[tuple[str, Anchor]]:
    try:
        names = sorted(p.stem for p in folder().glob("*.json"))
    except OSError:
        return []
    found = []
    for name in names:
        a = load(name)
        if a is not None:
            found.append((name, a))
    return found


def _entry_hash(db, seq: int) -> str | None:
    row = db.execute("SELECT entry_hash FROM ledger WHERE seq = ?", [seq]).fetchone()
    return row[0] if row else None


def _head(db) -> tuple[int, str] | None:
    row = db.execute("SELECT seq, entry_hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def save(anchor_id_: str, anchor: Anchor) -> None:
    from stalklog.store.private_files import make_private_dir, write_quick

    p = _file(anchor_id_)
    if p is None:
        return
    if not p.parent.is_dir():
        make_private_dir(p.parent)
    # No fsync: an anchor lost in a power cut is an older head of the same chain, no false alarm.
    write_quick(p, json.dumps(anchor.as_dict()))


def update(db, *, force: bool = False) -> bool:
    """After a command wrote to ``db``: move its anchor to the current head.

    Only forward (the chain must pass through the anchored head), unless ``force`` (a
    restore the user confirmed). Best effort: an anchor that cannot be written (a read-only
    settings folder) is left as it was. Returns whether the anchor now holds the head.
    """
    aid = db.__dict__.get("_anchor_id") or anchor_id(db)
    if not aid:
        return False
    h = _head(db)
    if h is None:
        return False
    current = load(aid)
    if current is not None and not force:
        if current.seq == h[0] and current.head == h[1]:
            return True
        if current.seq > h[0] or _entry_hash(db, current.seq) != current.head:
            return False  # this file's chain does not pass through the anchor: keep the evidence
    try:
        save(aid, Anchor(h[0], h[1], _entry_hash(db, 1)))
    except OSError:
        return False
    return True


class Finding:
    """What ``check`` found: whether an anchor was kept, and a problem or a note."""

    def __init__(self, anchored: bool, seq: int | None = None, head: str | None = None, note: str | None = None):
        self.anchored = anchored  # an anchor for this file was found
        self.seq, self.head = seq, head
        self.problem: str | None = None
        self.note = note


def check(db) -> Finding:
    """Compare the file's chain with the anchor kept on this computer (after ``ledger.verify``
    has checked that the chain itself is sound)."""
    aid = anchor_id(db)
    found = load(aid) if aid else None
    first = _entry_hash(db, 1)
    if found is None and not aid and first is not None:
        # The id was removed: find the anchor by the file's first entry (only hashes compared).
        matches = [a for _, a in _all() if a.first == first]
        if len(matches) == 1:
            found = matches[0]
    if found is None:
        return Finding(
            False,
            note="no anchor for this case file is kept on this computer (it was never written to here, "
            "or the settings folder was cleared)",
        )
    result = Finding(True, found.seq, found.head)
    h = _head(db)
    last_seq = h[0] if h else 0
    if found.seq > last_seq:
        result.problem = (
            f"the ledger ends at entry {last_seq}, but entry {found.seq} ({found.head[:16]}…) was kept as its head "
            "on this computer: entries were removed (the file was cut short, emptied or rolled back — "
            "or it is an older copy of the case file, such as a backup)"
        )
    elif _entry_hash(db, found.seq) != found.head:
        result.problem = (
            f"ledger entry {found.seq} is not the one kept as its head on this computer ({found.head[:16]}…): "
            "the history was rewritten (or this is a copy of the case file that was written to separately)"
        )
    return result
