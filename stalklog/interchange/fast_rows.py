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
import operator
from collections.abc import Container

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

# NULL as the import binds it: a number no column of an imported incident can hold (its text
# columns hold text, its numbers are ids and 0 or 1), turned back into NULL by NULLIF in the
# statement (NULL_PARAM). Binding None costs the sqlite3 module several times a number's time.
NULL = -0x7FFF_FFFF_FFFF_FF01
NULL_PARAM = f"NULLIF(?, {NULL})"

# An incident's fields in the bundle, in the order row() unpacks them
_FIELDS = (
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
    "exhibits",
    "private_notes",
)
_BUNDLE_FIELDS = operator.itemgetter(*_FIELDS)

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
    return _kept_hash({k: v for k, v in row.items() if v is not None}, row)


def _kept_hash(kept: dict, row: dict | None = None) -> str:
    """``canonical_hash`` of a row whose NULL columns are already left out (``kept``)."""
    if orjson is not None:
        try:
            return hashlib.sha256(orjson.dumps(kept, option=orjson.OPT_SORT_KEYS)).hexdigest()
        except TypeError:  # e.g. a lone surrogate: the ledger's encoder decides
            pass
    return ledger.row_hash("incidents", kept if row is None else row)


_CACHE_LIMIT = 20_000  # lists and dates remembered per import (each a few hundred bytes at most)


class FastRows:
    """The quick way for one import: ``row(raw)`` gives the row tuple (in ``COLUMNS``'
    order, ``NULL`` for NULL) and its ledger content hash, or None when the full way must decide.

    A list of words or people's keys (``["P"]``, ``["contacting", "threats"]``) recurs from
    incident to incident: each one checked is remembered with its stored text (keyed by its
    items, so only an equal list finds it), up to ``_CACHE_LIMIT`` a field."""

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
        # (field's allowed words or keys) -> {tuple of the list's items: its stored text}
        self._lists: dict[frozenset, dict[tuple, str]] = {
            allowed: {(): "[]"} for allowed in (self.people, _BEHAVIOURS, _EFFECTS, _IMPACTS)
        }
        self._known = tuple(self._lists[a] for a in (self.people, _BEHAVIOURS, _EFFECTS, _IMPACTS))

    def _list(self, value, allowed: frozenset) -> str | None:
        """A list's stored text when it is a list of text, every item in ``allowed``."""
        if value is None:
            return "[]"
        if value.__class__ is not list:
            return None
        if not value:
            return "[]"
        known = self._lists.get(allowed)
        if known is None:
            known = self._lists[allowed] = {}
        try:
            items = tuple(value)
            text = known.get(items)
        except TypeError:  # an item that is a list or an object
            return None
        if text is not None:
            return text
        text = _text_list(value)
        if text is None or not allowed.issuperset(value):
            return None
        if len(known) < _CACHE_LIMIT:
            known[items] = text
        return text

    def row(self, inc, next_id: int) -> tuple[tuple, str] | None:  # noqa: C901, PLR0911, PLR0912 - one pass, on purpose
        if not self.usable or inc.__class__ is not dict:
            return None
        try:  # every field at once (in C); a bundle stalklog wrote has them all
            fields = _BUNDLE_FIELDS(inc)
        except KeyError:  # some left out (null, as the bundle's rules say): by name, one by one
            if "by" not in inc or "towards" not in inc:
                return None
            fields = tuple(map(inc.get, _FIELDS))
        (
            key,
            occurred,
            end,
            precision,
            recorded,
            by_list,
            attribution,
            procured,
            towards_list,
            affected_list,
            behaviours_list,
            channel,
            location,
            summary,
            words,
            effects_list,
            impacts_list,
            below,
            same,
            links_list,
            purpose,
            witnesses_list,
            police,
            exhibits,
            notes,
        ) = fields
        get = inc.get
        if key.__class__ is not str or occurred.__class__ is not str:
            return None
        # nothing the full way treats specially: exhibits, corrections, withdrawal
        if exhibits not in (None, []) or get("history") not in (None, []) or get("withdrawn") is not None:
            return None
        people = self.people
        listed = self._list
        # the lists: text items, the vocabularies' words, the case's people ("by" and "towards"
        # must be there); one seen before is found by its items, any other is checked
        known_people, known_behaviours, known_effects, known_impacts = self._known
        try:
            by = known_people.get(tuple(by_list)) if by_list.__class__ is list else None
            towards = known_people.get(tuple(towards_list)) if towards_list.__class__ is list else None
            affected = known_people.get(tuple(affected_list)) if affected_list.__class__ is list else None
            behaviours = known_behaviours.get(tuple(behaviours_list)) if behaviours_list.__class__ is list else None
            effects = known_effects.get(tuple(effects_list)) if effects_list.__class__ is list else None
            impacts = known_impacts.get(tuple(impacts_list)) if impacts_list.__class__ is list else None
        except TypeError:  # an item that is a list or an object
            return None
        if by is None:
            by = listed(by_list, people)
        if towards is None:
            towards = listed(towards_list, people)
        if affected is None:
            affected = listed(affected_list, people)
        if behaviours is None:
            behaviours = listed(behaviours_list, _BEHAVIOURS)
        if effects is None:
            effects = listed(effects_list, _EFFECTS)
        if impacts is None:
            impacts = listed(impacts_list, _IMPACTS)
        if (
            by is None
            or towards is None
            or affected is None
            or behaviours is None
            or effects is None
            or impacts is None
        ):
            return None
        if by_list is None or towards_list is None:  # null: the full way says what it makes of that
            return None
        keys = self.keys
        links: str | None
        witnesses: str | None
        if links_list is None or links_list == []:
            links = "[]"
        else:
            links = _text_list(links_list)
            if links is None or key in links_list or not all(k in keys for k in links_list):
                return None
        if witnesses_list is None or witnesses_list == []:
            witnesses = "[]"
        else:
            witnesses = _text_list(witnesses_list)
            if witnesses is None or not all(_plain(w, rules.NAME_TEXT) for w in witnesses_list):
                return None
        # words from the vocabularies, and people and incidents of this case
        if attribution is not None and (attribution.__class__ is not str or attribution not in _ATTRIBUTIONS):
            return None
        if channel is not None and (channel.__class__ is not str or channel not in _CHANNELS):
            return None
        if procured is not None and (procured.__class__ is not str or procured not in people):
            return None
        if same is not None and (same.__class__ is not str or same == key or same not in keys):
            return None
        # free text: short enough, no control character (printable ASCII has none)
        provenance = get("provenance")
        for text, limit in (
            (summary, rules.LONG_TEXT),
            (words, rules.LONG_TEXT),
            (location, rules.SHORT_TEXT),
        ):
            if text is not None and (
                text.__class__ is not str
                or len(text) > limit
                or not (text.isascii() and text.isprintable())
                and rules._CONTROL.search(text) is not None  # noqa: SLF001
            ):
                return None
        if (
            (notes is not None and (notes.__class__ is not str or not _plain(notes, rules.LONG_TEXT)))
            or (purpose is not None and (purpose.__class__ is not str or not _plain(purpose, rules.SHORT_TEXT)))
            or (provenance is not None and (provenance.__class__ is not str or not _plain(provenance, rules.NAME_TEXT)))
        ):
            return None
        if police is not None and (
            police.__class__ is not str
            or not police.strip()
            or len(police) > rules.KEY_TEXT
            or rules._CONTROL_IN_KEY.search(police)  # noqa: SLF001
        ):
            return None
        # flags
        if below is not None and below.__class__ is not bool:
            return None
        said = get("order_in_force_said")
        if said is not None and said.__class__ is not bool:
            return None
        # when: the shapes stalklog writes, valid and not in the future
        precision = precision or ("exact" if "T" in occurred else "day")
        if precision.__class__ is not str or precision not in _PRECISIONS:
            return None
        if end is not None and end.__class__ is not str:
            return None
        stored = rules._stored_dates(occurred, precision, end, self.limit)  # noqa: SLF001
        if stored is None:
            return None
        written = get("written")
        if not _utc_ok(recorded) or not _utc_ok(written):
            return None
        said_flag = None if said is None else 1 if said else 0
        # the row's hash: every column but those that are NULL (ledger.row_hash)
        kept = {
            "id": next_id,
            "case_id": self.case_id,
            "key": key,
            "occurred": stored[0],
            "precision": precision,
            "by": by,
            "towards": towards,
            "affected": affected,
            "behaviours": behaviours,
            "location": location or "",
            "summary": summary or "",
            "words": words or "",
            "effects": effects,
            "impacts": impacts,
            "below_threshold": 1 if below else 0,
            "links": links,
            "witnesses": witnesses,
            "created_utc": self.now,
        }
        for name, v in (
            ("occurred_end", stored[1]),
            ("recorded", recorded),
            ("attribution", attribution),
            ("procured_by", procured),
            ("channel", channel),
            ("same_occasion_as", same),
            ("stated_purpose", purpose),
            ("police_ref", police),
            ("private_notes", notes),
            ("order_in_force_said", said_flag),
            ("written", written),
            ("provenance", provenance),
        ):
            if v is not None:
                kept[name] = v
        values = (
            next_id,
            self.case_id,
            key,
            stored[0],
            NULL if stored[1] is None else stored[1],
            precision,
            NULL if recorded is None else recorded,
            by,
            NULL if attribution is None else attribution,
            NULL if procured is None else procured,
            towards,
            affected,
            behaviours,
            NULL if channel is None else channel,
            location or "",
            summary or "",
            words or "",
            effects,
            impacts,
            1 if below else 0,
            NULL if same is None else same,
            links,
            NULL if purpose is None else purpose,
            witnesses,
            NULL if police is None else police,
            NULL if notes is None else notes,
            NULL,  # withdrawn_utc
            NULL,  # withdrawn_reason
            self.now,
            NULL if said_flag is None else said_flag,
            NULL if written is None else written,
            NULL if provenance is None else provenance,
        )
        return values, _kept_hash(kept)
