"""Read a case bundle from a file a piece at a time, so memory does not grow with it.

The standard library's JSON decoder reads one value from a string at a given place
(``JSONDecoder.raw_decode``). This module walks the bundle's top-level object itself (its
braces, keys, colons and commas) and hands each value to that decoder; the incidents'
list is walked the same way, one incident at a time. Only the text of the value being
read is held (a chunk of the file and the rest of that value), never the whole file.

Measured against the streaming parser ijson (its C backend) on a 100,000-incident
bundle: the same speed (0.7 s each), but ijson keeps the last of a key given twice in
one object, which a bundle must refuse; with a check for that it took twice as long. This
keeps the json module's own reading (numbers, strings, the duplicate-key refusal) for
every value, so a bundle read this way gives the same dicts as ``json.loads`` of it.

A bundle is read in two passes. ``open_bundle`` reads the whole file once: every
top-level value except the incidents (small: the case, the people, the impacts and any
key it does not know) is kept, and of each incident only its key. Syntax errors,
duplicate keys and text that is not UTF-8 are all found in that pass, before anything
is written, as with the whole-file reading. Iterating ``bundle["incidents"]`` then reads
the incidents again, one at a time. Any JSON error sends the caller back to the
whole-file reading (``load_json``), so the message is exactly the one it gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import IO

CHUNK = 1 << 20  # characters read at a time
_WS = re.compile(r"[ \t\n\r]*")


class NotStreamable(Exception):
    """The text is not a JSON object this reader can walk (a syntax error, or another
    kind of value): the caller reads it whole instead, for the json module's own message."""


class _Text:
    """A text file read a chunk at a time: ``buf[pos:]`` is what has not been read yet."""

    def __init__(self, f: IO[str]):
        self.f = f
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.dropped = 0  # characters of the file before ``buf``

    def _more(self, size: int = 0) -> bool:
        if self.eof:
            return False
        data = self.f.read(size or CHUNK)
        if not data:
            self.eof = True
            return False
        self.dropped += self.pos
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def offset(self) -> int:
        """Characters of the file read so far."""
        return self.dropped + self.pos

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), not taken."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]  # \s* always matches
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise NotStreamable
        self.pos += 1

    def value(self, decode: Callable):
        """The JSON value that starts here (after white space), read with ``decode``."""
        self.peek()
        size = CHUNK
        while True:
            try:
                found, end = decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if self._more(size):  # the value goes on past the text read so far
                    size *= 2
                    continue
                raise NotStreamable from None
            # A value that ends exactly where the text read so far ends may go on (a
            # number cut in two): read on and decode it again.
            if end < len(self.buf) or not self._more(size):
                self.pos = end
                return found
            size *= 2


def _object_pairs(t: _Text, decode: Callable, on_incidents: Callable) -> list[tuple]:
    """Walk the top-level object; ``on_incidents(t)`` reads the incidents' value and
    returns what stands for it."""
    t.take("{")
    pairs: list[tuple] = []
    if t.peek() == "}":
        t.pos += 1
        return pairs
    while True:
        if t.peek() != '"':
            raise NotStreamable
        key = t.value(decode)
        t.take(":")
        if key == "incidents" and t.peek() == "[":
            pairs.append((key, on_incidents(t)))
        else:
            pairs.append((key, t.value(decode)))
        char = t.peek()
        t.pos += 1
        if char == "}":
            return pairs
        if char != ",":
            raise NotStreamable


def _items(t: _Text, decode: Callable) -> Iterator:
    """The values of the list that starts here, one at a time."""
    t.take("[")
    if t.peek() == "]":
        t.pos += 1
        return
    while True:
        yield t.value(decode)
        char = t.peek()
        t.pos += 1
        if char == "]":
            return
        if char != ",":
            raise NotStreamable


class IncidentStream:
    """A bundle's incidents, read from the file one at a time each time it is iterated.

    ``len()`` is their number and ``stubs()`` gives, for each, ``{"key": …}`` (or the item
    itself when it is not an object), so the keys can be checked before any incident is."""

    def __init__(self, opener: Callable[[], IO[str]], offset: int, keys: list, plain: Callable):
        self._opener, self._offset, self._keys, self._plain = opener, offset, keys, plain

    def __len__(self) -> int:
        return len(self._keys)

    def stubs(self) -> Iterator:
        for k in self._keys:
            yield k if k.__class__ is not str else {"key": k}

    def __iter__(self) -> Iterator[dict]:
        with self._opener() as f:
            skipped = 0
            while skipped < self._offset:  # the head again, unread (it was read in the first pass)
                got = len(f.read(min(CHUNK, self._offset - skipped)))
                if not got:
                    raise NotStreamable
                skipped += got
            t = _Text(f)
            try:
                yield from _items(t, self._plain)
            except NotStreamable:  # the file changed since the first pass
                from stalklog.errors import BundleError

                raise BundleError(
                    "the bundle changed while it was being read.", hint="Nothing from this bundle was written."
                ) from None


def open_bundle(opener: Callable[[], IO[str]], pairs_hook: Callable) -> dict:
    """The bundle in ``opener()``'s text: a dict of its top-level values, with an
    ``IncidentStream`` for ``incidents`` when that is a list. Raises ``NotStreamable`` for
    text that is not a JSON object (or not valid JSON); ``UnicodeDecodeError`` and the
    errors of ``pairs_hook`` (a key given twice) come through as they are raised."""
    checking = json.JSONDecoder(object_pairs_hook=pairs_hook).raw_decode
    plain = json.JSONDecoder().raw_decode  # the second pass: every object was checked in the first
    found: dict = {}

    def incidents(t: _Text) -> IncidentStream:
        offset = t.offset()
        keys: list = []
        for item in _items(t, checking):
            if item.__class__ is dict and (k := item.get("key")).__class__ is str and k:
                keys.append(k)
            else:  # not an object, or no usable key: kept as it is, for the key check's message
                keys.append(item if item.__class__ is not dict else {"key": item.get("key")})
        found["stream"] = IncidentStream(opener, offset, keys, plain)
        return found["stream"]

    with opener() as f:
        t = _Text(f)
        if t.peek() != "{":
            raise NotStreamable
        pairs = _object_pairs(t, checking, incidents)
        if t.peek() != "":  # something after the object
            raise NotStreamable
    try:
        bundle = pairs_hook(pairs)
    except Exception:
        # A duplicate key at the top level: the whole-file reading names it alike
        raise NotStreamable from None
    return bundle
