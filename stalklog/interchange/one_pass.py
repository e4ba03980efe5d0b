"""Import a bundle file in one reading, when it is well formed and its head comes first.

The careful import (``json_bundle.read_bundle`` then ``import_bundle``) reads a bundle
twice: once to check all of it (its JSON, its keys, each incident's key) before anything is
written, then again to check and write each incident. For a bundle that is right, the
first reading only finds what the second finds too, so this reads the file once and checks
and writes as it goes, inside a savepoint: the case and people when the incidents begin
(so they must come first, as stalklog writes them), each incident as it is read (its key
checked as the first reading checks it), the rest after. A link to an incident not read
yet is noted and looked up at the end.

It never reports an error itself. Whatever it does not accept (a JSON error, a key given
twice, bytes that are not UTF-8, a bad incident, a case that exists, the head after the
incidents) raises, the caller rolls the savepoint back and imports the careful way, which
refuses the bundle in its own words or imports it. So the errors, their words and which
comes first are the careful way's; what this one writes, when it succeeds, is what the
careful way writes (tests/test_perf_guards.py compares the two files byte for byte).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import IO

from stalklog.interchange import json_bundle as jb
from stalklog.interchange.json_stream import _WS, NotStreamable, _Text
from stalklog.store.database import Database
from stalklog.store.ledger import Appender

try:
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - a dependency; the json module reads everything then
    _loads = None  # type: ignore[assignment]


class NotInOnePass(Exception):
    """This bundle is for the careful import to read (or to refuse, in its words)."""


class _KeysSoFar:
    """The bundle's incident keys read so far; a key asked about that is not among them yet
    is taken as there and noted, to be looked up once all are read (``missing``)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.later: list = []

    def __contains__(self, key) -> bool:
        if key not in self.seen:
            self.later.append(key)
        return True

    def missing(self) -> bool:
        return any(k not in self.seen for k in self.later)


_HEAD = ("format", "version", "case", "people")


def import_in_one_pass(
    db: Database,
    opener: Callable[[], IO[str]],
    *,
    as_ref: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """``import_bundle(db, read_bundle(…))`` for the text ``opener()`` gives, read once.
    Raises (anything) when the careful way must decide; call it inside a savepoint."""
    checking = json.JSONDecoder(object_pairs_hook=jb._no_duplicate_keys).raw_decode  # noqa: SLF001
    pairs: list[tuple] = []
    done: dict | None = None
    with opener() as f:
        t = _Text(f)
        if t.peek() != "{":
            raise NotInOnePass
        t.pos += 1
        if t.peek() == "}":
            raise NotInOnePass
        while True:
            if t.peek() != '"':
                raise NotInOnePass
            name = t.value(checking)
            t.take(":")
            if name == "incidents":
                if done is not None or t.peek() != "[":
                    raise NotInOnePass
                quick = _Quick(checking)
                done = _head_and_incidents(db, dict(pairs), _objects(t, checking, quick), quick, as_ref, progress)
                pairs.append((name, []))
            else:
                pairs.append((name, t.value(checking)))
            char = t.peek()
            t.pos += 1
            if char == "}":
                break
            if char != ",":
                raise NotInOnePass
        if t.peek() != "":  # something after the bundle
            raise NotInOnePass
    if done is None or len({k for k, _ in pairs}) != len(pairs):
        raise NotInOnePass
    bundle = dict(pairs)
    head, warnings, _ = jb._validate_head(bundle)  # noqa: SLF001 - the warnings, in the bundle's order
    orders, more = jb._validate_orders(bundle, head)  # noqa: SLF001
    jb._write_impacts_and_orders(  # noqa: SLF001
        db,
        done["case"],
        jb._validate_impacts(bundle.get("impacts", [])),
        orders,
        done["appender"],  # noqa: SLF001
    )
    done["appender"].flush()
    return {"case": done["ref"], "incidents": done["n"], "people": len(head["people"]), "warnings": warnings + more}


def _head_and_incidents(
    db: Database,
    sofar: dict,
    items: Iterator,
    quick: _Quick,
    as_ref: str | None,
    progress: Callable[[int], None] | None,
) -> dict:
    """At the start of the incidents: check the head read so far and write the case and its
    people; then check and write each incident as it is read."""
    if not all(k in sofar for k in _HEAD):
        raise NotInOnePass
    head, _, _ = jb._validate_head({**sofar, "incidents": []})  # noqa: SLF001
    ref = as_ref or head["case"]["ref"]
    if db.execute("SELECT 1 FROM cases WHERE ref = ?", [ref]).fetchone():
        raise NotInOnePass
    appender = Appender(db)
    case = jb._write_case(db, head, ref, appender)  # noqa: SLF001
    keys = _KeysSoFar()
    n = jb._insert_incidents(  # noqa: SLF001
        db,
        case["id"],
        _keyed(items, keys.seen),
        {p["key"] for p in head["people"]},
        keys,
        appender,
        {},
        progress=progress,
        as_json_reads=quick.as_json_reads,
    )
    if keys.missing():
        raise NotInOnePass
    return {"case": case, "ref": ref, "n": n, "appender": appender}


def _keyed(items: Iterator, seen: set[str]) -> Iterator[dict]:
    """The incidents, each with a key the careful reading accepts and not used before."""
    for i, inc in enumerate(items):
        if inc.__class__ is not dict or not inc:
            raise NotInOnePass
        key = jb._key_text(inc.get("key"), f"incidents[{i}].key")  # noqa: SLF001
        if key in seen:
            raise NotInOnePass
        seen.add(key)
        yield inc


# a key with white space before its colon. Without a backslash in the text every '"'
# delimits a string, so when there is none each key ends '":' and counting those counts the
# keys (a string value that starts with a colon is counted too, which only sends the object
# the careful way); an object with one goes the careful way, so a key given twice is never
# let through however it is spaced.
_SPACED_KEY = re.compile(r'"[ \t\n\r]+:')


class _Quick:
    """Reading a flat object (no object inside it) with orjson, where that reads it as the
    json module does: its text up to the first ``}`` parses as one object, holds no
    backslash (so no escape, and every ``"`` delimits a string: with no key spaced before its
    colon, each ``":`` ends a key, and counting them finds a key given twice, which orjson
    would keep quietly) and is short
    (so no 4,300-digit number, which the json module refuses). Text and true, false and
    null are then read alike; numbers may not be (orjson reads a big integer as a float), so
    an incident the quick row does not take is read again by the json module for the full
    way (``as_json_reads``), whose words an error must be in."""

    MAX = 4000

    def __init__(self, decode: Callable):
        self.decode = decode
        self.text: str | None = None  # the last object's text, when orjson read it

    def read(self, buf: str, pos: int) -> tuple[dict, int] | None:
        self.text = None
        if _loads is None or buf[pos] != "{":
            return None
        close = buf.find("}", pos)
        if close < 0 or close - pos >= self.MAX:
            return None
        text = buf[pos : close + 1]
        if "\\" in text:
            return None
        try:
            value = _loads(text)
        except ValueError:  # orjson.JSONDecodeError: not one flat object, or not JSON
            return None
        if value.__class__ is not dict or text.count('":') != len(value) or _SPACED_KEY.search(text):
            return None
        self.text = text
        return value, close + 1

    def as_json_reads(self, raw):
        """The object just read, as the json module reads it."""
        return raw if self.text is None else self.decode(self.text)[0]


def _objects(t: _Text, decode: Callable, quick: _Quick | None = None) -> Iterator:
    """``json_stream._items`` for a list of objects: each decoded where it stands in the text
    read so far (by ``quick`` when it can), and the text around it walked without the
    general reader's calls; anything else (a value that goes past the text read so far, one
    that is not an object, the end of the text read) goes through ``_Text``, which reads on."""
    t.take("[")
    if t.peek() == "]":
        t.pos += 1
        return
    skip = _WS.match
    while True:
        found = quick.read(t.buf, t.pos) if quick is not None else None
        if found is not None:
            value, t.pos = found
        else:
            try:
                value, end = decode(t.buf, t.pos)
            except ValueError:  # a JSON error, or the object goes on past the text read so far
                value = None
            if value.__class__ is dict:
                t.pos = end
            else:
                value = t.value(decode)
        yield value
        pos = skip(t.buf, t.pos).end()  # type: ignore[union-attr]  # \s* always matches
        if pos + 1 < len(t.buf):
            char = t.buf[pos]
            t.pos = skip(t.buf, pos + 1).end()  # type: ignore[union-attr]
        else:
            t.pos = pos
            char = t.peek()
            t.pos += 1
        if char == "]":
            return
        if char != ",":
            raise NotStreamable
        if t.pos >= len(t.buf):
            t.peek()  # read on, to the next value
