"""SHA-256 for the ledger's hashes and the schema check: the same digests as
``hashlib.sha256``, without loading OpenSSL for a command that makes only a few.

``new(data)`` is CPython's own SHA-256 (``_sha2`` from Python 3.12, ``_sha256`` before) for
the first 64 small hashes of a process: importing hashlib (OpenSSL) costs every
``stalklog add``, which makes four hashes of less than a kilobyte, a few ms
(docs/performance.md). From the 65th on (an import or a verify makes thousands), and for
anything of 64 KiB or more, ``new`` is hashlib's OpenSSL one, several times faster per hash.
tests/test_perf_guards.py checks both give the same digest at every length.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

SMALL = 65536  # bytes: anything larger goes to hashlib at once


def _builtin_sha256():
    """CPython's own SHA-256, or None where this Python was built without it."""
    for name in ("_sha2", "_sha256"):
        try:
            return importlib.import_module(name).sha256
        except ImportError:
            continue
    return None


BUILTIN = _builtin_sha256()
_first_left = 64


def _first(data: bytes):
    global _first_left, new
    if BUILTIN is not None and _first_left > 0 and len(data) < SMALL:
        _first_left -= 1
        return BUILTIN(data)
    import hashlib

    new = hashlib.sha256  # from now on, straight to OpenSSL
    return new(data)


new: Callable[[bytes], Any] = _first
"""``hashlib.sha256(data)``'s equal: a hash object (``.hexdigest()``)."""


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data`` in hexadecimal."""
    return new(data).hexdigest()
