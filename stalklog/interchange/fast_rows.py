"""The import's quick way for an incident in the usual shape, and its ledger hashes.

An imported incident is checked by ``json_bundle._validate_incident`` (the bundle's own
checks and ``records.validate_incident``), made into a row by ``records._incident_row``
and hashed by ``ledger.row_hash``. For the incidents almost every bundle holds (text
fields that are text, lists of words from the vocabularies, the case's own people and
keys, dates in the shapes stalklog writes, no exhibits, corrections or withdrawal),
``FastRows.row`` does the same in one pass: the same checks, the same row, the same
hash, without the intermediate dicts. It never refuses anything: whatever it is not
certain of (an odd type, an unknown word, a control character, a date to read in full)
it hands back as ``None``, and the caller goes the full way, which accepts it or says
what is wrong in its own words. So an error's message, and which error comes first, are
the full way's. ``tests/test_perf_guards.py`` checks both ways against each other.

The row's hash is the ledger's canonical JSON (sorted keys, no spaces, UTF-8) made by
orjson, which writes text and integers exactly as the json module does (floats it
writes otherwise: a row here holds none); any value orjson refuses (a lone surrogate)
goes to the ledger's own encoder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Container

from stalklog import records, vocab
from stalklog.interchange import bundle_rules as rules
from stalklog.store import ledger

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; the ledger's encoder does the same
    orjson = None  # type: ignore[assignment]

# The incidents table's columns, as migrations m001-m006 made them: the quick way writes
# tuples in this order, so any other table (a later migration) goes the full way.
COLUMNS = (
    "id",
    "case_id",
    "key",
    "occurred",
    "occurred_end",
    "precision",
    "recorded",
    "by",
    "attribution",
    "procured_by",
    "towards",
    "affected",
    "behaviours",
    "channel",
    "location",
    "summary",
    "words",
    "effects",
    "impacts",
    "below_threshold",
    "same_occasion_as",
    "links",
    "stated_purpose",
    "witnesses",
    "police_ref",
    "private_notes",
    "withdrawn_utc",
    "withdrawn_reason",
    "created_utc",
    "order_in_force_said",
    "written",
    "provenance",
)

_PRECISIONS = frozenset(vocab.PRECISIONS)
_CHANNELS = frozenset(vocab.CHANNELS)
_ATTRIBUTIONS = frozenset(vocab.ATTRIBUTIONS)
_BEHAVIOURS = frozenset(vocab.VOCAB_LIST_FIELDS["behaviours"])
_EFFECTS = frozenset(vocab.VOCAB_LIST_FIELDS["effects"])
_IMPACTS = frozenset(vocab.VOCAB_LIST_FIELDS["impacts"])
_encode = records._encode_text  # noqa: SLF001 - json's own C string encoder
_fromisoformat = dt.datetime.fromisoformat


def _text_list(value) -> str | None:
    """``records._json_list`` of a list of text, or None for anything else (no list, an
    item that is not text): the C encoder refuses what is not a str."""
    if value.__class__ is not list:
        return None
    try:
        return "[" + ", ".join(map(_encode, value)) + "]"
    except TypeError:
        return None


def _plain(text: str, limit: int) -> bool:
    """Free text the bundle accepts (``json_bundle._free_text``): short enough, no control
    character (printable ASCII has none; anything else is searched as the full way does)."""
    if len(text) > limit:
        return False
    if text.isascii() and text.isprintable():
        return True
    return rules._CONTROL.search(text) is None  # noqa: SLF001


def _utc_ok(value) -> bool:
    """``json_bundle._utc`` would accept it (None, or an ISO date-time)."""
    if value is None:
        return True
    if value.__class__ is not str:
        return False
    try:
        _fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def canonical_hash(row: dict) -> str:
    """``ledger.row_hash("incidents", row)`` for a row of text, integers and None."""
    kept = {k: v for k, v in row.items() if v is not None}
    if orjson is not None:
        try:
            return hashlib.sha256(orjson.dumps(kept, option=orjson.OPT_SORT_KEYS)).hexdigest()
        except TypeError:  # e.g. a lone surrogate: the ledger's encoder decides
            pass
    return ledger.row_hash("incidents", row)


class FastRows:
    """The quick way for one import: ``row(raw)`` gives the row tuple (in ``COLUMNS``'
    order) and its ledger content hash, or None when the full way must decide."""

    def __init__(
        self,
        columns: list[str],
        case_id: int,
        now: str,
        people_keys: set[str],
        all_keys: Container[str],
        limit: dt.datetime,
    ):
        self.usable = tuple(columns) == COLUMNS
        self.case_id, self.now = case_id, now
        self.people = frozenset(people_keys)
        self.keys = all_keys
        self.limit = limit
        from stalklog.dates import _fast_stored

        self._fast_stored: Callable = _fast_stored

    def row(self, inc, next_id: int) -> tuple[tuple, str] | None:  # noqa: C901, PLR0911, PLR0912 - one pass, on purpose
        if not self.usable or inc.__class__ is not dict:
            return None
        get = inc.get
        key = get("key")
        occurred = get("occurred")
        if key.__class__ is not str or occurred.__class__ is not str:
            return None
        # nothing the full way treats specially: exhibits, corrections, withdrawal
        if get("exhibits") not in (None, []) or get("history") not in (None, []) or get("withdrawn") is not None:
            return None
        people = self.people
        # the lists: text items, the vocabularies' words, the case's people
        by = _text_list(get("by"))
        towards = _text_list(get("towards"))
        if by is None or towards is None or not people.issuperset(inc["by"]) or not people.issuperset(inc["towards"]):
            return None
        lists = []
        for name, allowed in (
            ("affected", people),
            ("behaviours", _BEHAVIOURS),
            ("effects", _EFFECTS),
            ("impacts", _IMPACTS),
        ):
            value = get(name)
            if value is None or value == []:
                lists.append("[]")
                continue
            text = _text_list(value)
            if text is None or not allowed.issuperset(value):
                return None
            lists.append(text)
        affected, behaviours, effects, impacts = lists
        keys = self.keys
        links: str | None
        witnesses: str | None
        value = get("links")
        if value is None or value == []:
            links = "[]"
        else:
            links = _text_list(value)
            if links is None or key in value or not all(k in keys for k in value):
                return None
        value = get("witnesses")
        if value is None or value == []:
            witnesses = "[]"
        else:
            witnesses = _text_list(value)
            if witnesses is None or not all(_plain(w, rules.NAME_TEXT) for w in value):
                return None
        # words from the vocabularies, and people and incidents of this case
        attribution, channel, procured = get("attribution"), get("channel"), get("procured_by")
        if attribution is not None and (attribution.__class__ is not str or attribution not in _ATTRIBUTIONS):
            return None
        if channel is not None and (channel.__class__ is not str or channel not in _CHANNELS):
            return None
        if procured is not None and (procured.__class__ is not str or procured not in people):
            return None
        same = get("same_occasion_as")
        if same is not None and (same.__class__ is not str or same == key or same not in keys):
            return None
        # free text
        summary, words, location = get("summary"), get("words"), get("location")
        purpose, notes, provenance, police = (
            get("stated_purpose"),
            get("private_notes"),
            get("provenance"),
            get("police_ref"),
        )
        for text, limit in (
            (summary, rules.LONG_TEXT),
            (words, rules.LONG_TEXT),
            (notes, rules.LONG_TEXT),
            (location, rules.SHORT_TEXT),
            (purpose, rules.SHORT_TEXT),
            (provenance, rules.NAME_TEXT),
        ):
            if text is not None and (text.__class__ is not str or not _plain(text, limit)):
                return None
        if police is not None and (
            police.__class__ is not str
            or not police.strip()
            or len(police) > rules.KEY_TEXT
            or rules._CONTROL_IN_KEY.search(police)  # noqa: SLF001
        ):
            return None
        # flags
        below = get("below_threshold")
        if below is not None and below.__class__ is not bool:
            return None
        said = get("order_in_force_said")
        if said is not None and said.__class__ is not bool:
            return None
        # when: the shapes stalklog writes, valid and not in the future
        precision = get("precision") or ("exact" if "T" in occurred else "day")
        if precision.__class__ is not str or precision not in _PRECISIONS:
            return None
        end = get("occurred_end")
        if end is not None and end.__class__ is not str:
            return None
        stored = rules._stored_dates(occurred, precision, end, self.limit)  # noqa: SLF001
        if stored is None:
            return None
        recorded, written = get("recorded"), get("written")
        if not _utc_ok(recorded) or not _utc_ok(written):
            return None
        row = {
            "id": next_id,
            "case_id": self.case_id,
            "key": key,
            "occurred": stored[0],
            "occurred_end": stored[1],
            "precision": precision,
            "recorded": recorded,
            "by": by,
            "attribution": attribution,
            "procured_by": procured,
            "towards": towards,
            "affected": affected,
            "behaviours": behaviours,
            "channel": channel,
            "location": location or "",
            "summary": summary or "",
            "words": words or "",
            "effects": effects,
            "impacts": impacts,
            "below_threshold": 1 if below else 0,
            "same_occasion_as": same,
            "links": links,
            "stated_purpose": purpose,
            "witnesses": witnesses,
            "police_ref": police,
            "private_notes": notes,
            "withdrawn_utc": None,
            "withdrawn_reason": None,
            "created_utc": self.now,
            "order_in_force_said": None if said is None else 1 if said else 0,
            "written": written,
            "provenance": provenance,
        }
        return tuple(row.values()), canonical_hash(row)
