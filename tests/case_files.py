"""Case-file helpers shared by the store and CLI tests (plain and encrypted files).

Encrypted files here use a raw 256-bit key (``x'…'``), which SQLCipher takes as the key
itself, skipping the deliberately slow passphrase derivation, so the tests stay fast.
"""

from __future__ import annotations

import hashlib

from stalklog.interchange import json_bundle as bundle
from stalklog.store.database import open_db, transaction

FAST_KEY = "x'" + "5c" * 32 + "'"
MARKER = "Zanzibar-orchid-7781"  # a phrase found nowhere else in a case file
EXHIBIT = b"\x89PNG fictional screenshot bytes " + MARKER.encode()


def file_bytes(path) -> bytes:
    """Everything stalklog leaves on disk for a case file: the file, its WAL and SHM."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = path.parent / f"{path.name}{suffix}"
        if p.exists():
            data += p.read_bytes()
    return data


def add_exhibit_case(path, key, ref="C-EX"):
    """Import a second case carrying an exhibit file (through the core)."""
    data = {
        "format": "stalklog.case",
        "version": 1,
        "case": {"ref": ref, "title": "Exhibit case (fictional)", "jurisdiction": "england-wales"},
        "people": [
            {"key": "V", "role": "victim", "name": "Vic Tim"},
            {"key": "P", "role": "subject", "name": "Sub Ject"},
        ],
        "incidents": [
            {
                "key": "I1",
                "occurred": "2025-03-01T10:00:00",
                "precision": "exact",
                "summary": f"Screenshot {MARKER}",
                "by": ["P"],
                "towards": ["V"],
                "behaviours": ["contacting"],
                "exhibits": [
                    {
                        "ref": "VT/1",
                        "description": "Screenshot",
                        "file": "shot.png",
                        "sha256": hashlib.sha256(EXHIBIT).hexdigest(),
                    }
                ],
            }
        ],
    }
    db = open_db(path, key)
    try:
        with transaction(db):
            bundle.import_bundle(db, data, exhibit_files={"shot.png": EXHIBIT})
    finally:
        db.close()
