"""The import's quick way (interchange/fast_rows.py) against the full way it stands in for.

For every incident in a corpus of good, odd and bad ones, the quick way either hands the
incident back (None) or gives exactly the row and ledger hash the full way gives; it never
accepts what the full way refuses (so every error is the full way's, word for word). The
ledger's entry text and the rows' canonical JSON made by orjson are the json module's,
byte for byte, over tricky text (non-ASCII, control characters, escapes, empty strings).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stalklog.errors import StalklogError
from stalklog.interchange import fast_rows
from stalklog.interchange import json_bundle as jb
from stalklog.store import ledger

PEOPLE = {"V", "P", "C", "W1"}
KEYS = {"I1", "I2", "I3", "I9"}
LIMIT = dt.datetime(2026, 6, 1, 12, 0)
NOW = "2026-06-01T11:00:00Z"

BASE = {
    "key": "I2",
    "occurred": "2025-01-09",
    "occurred_end": "2025-01-10",
    "precision": "day",
    "recorded": "2025-01-11T09:00:00+00:00",
    "by": ["P"],
    "attribution": "known_account",
    "procured_by": None,
    "towards": ["V"],
    "affected": ["C"],
    "behaviours": ["contacting", "threats"],
    "channel": "text_message",
    "location": "",
    "summary": "Forty texts over two days, some threatening.",
    "words": "You'll regret ignoring me.",
    "effects": ["fear_of_violence", "distress"],
    "impacts": ["changed_phone_number"],
    "below_threshold": False,
    "same_occasion_as": None,
    "links": ["I1"],
    "stated_purpose": None,
    "witnesses": ["W1"],
    "police_ref": None,
    "exhibits": [],
    "private_notes": None,
}

# Values each field is tried with: good ones, odd ones the full way accepts, bad ones.
TRIES: dict[str, list] = {
    "key": ["I3", "I2"],
    "occurred": [
        "2025-01-09T18:30",
        "2025-01-09T18:30:00",
        "2025-01-09T18:30:45",
        "2025-01",
        "2025-02-30",
        "2099-01-01",
        "9 Jan 2025",
        "",
        None,
        5,
        ["2025-01-09"],
        "2025-01-09 ",
    ],
    "occurred_end": [None, "2025-01-08", "2025-01-09", "2025-01-10T10:00", "x", 3, ""],
    "precision": [None, "", "exact", "approximate", "month", "sometime", 1, ["day"]],
    "recorded": [None, "2025-01-11T09:00:00Z", "2025-01-11", "yesterday", 7, ""],
    "written": [None, "2025-01-11T09:00:00+01:00", "nope", 1.5],
    "by": [[], None, ["P", "C"], ["X"], "P", [1], [None], [["P"]], {}, ""],
    "towards": [[], None, ["V", "V"], ["nobody"], [True]],
    "affected": [None, [], "", 0, ["W1"], ["Q"], [{"k": 1}]],
    "behaviours": [None, [], ["following"], ["Following"], ["dancing"], "following", [["x"]]],
    "effects": [None, ["alarm"], ["joy"], [1]],
    "impacts": [None, ["left_job"], ["left job"], False],
    "links": [None, [], ["I9"], ["I2"], ["I7"], ["I1", "I1"], "I1", [5]],
    "witnesses": [None, [], ["W1", "a neighbour"], ["x" * 501], ["tab\there"], ["bell\x07"], [None], "W1"],
    "attribution": [None, "", "seen", "Seen", 3, ["seen"]],
    "channel": [None, "", "in_person", "carrier_pigeon", 0, {}],
    "procured_by": [None, "", "P", "X", 1, ["P"]],
    "same_occasion_as": [None, "", "I1", "I2", "I7", 4],
    "location": [None, "", "caf\u00e9 \u2603", "line\nbreak\ttab", "x" * 2001, "nul\x00", "del\x7f", 12],
    "summary": [None, "", "\U0001f600 emoji", "x" * 100_001, "esc\x1b", "\u2028 sep", ["s"]],
    "words": [None, "", '"quoted" and \\ slash', "cr\rlf\n"],
    "private_notes": [None, "", "private", "x" * 100_000, "vt\x0b"],
    "stated_purpose": [None, "", "to frighten", "ff\x0c"],
    "provenance": [None, "", "typed from a paper diary", "x" * 501, 9],
    "police_ref": [None, "", "  ", "CC-25-000123", "x" * 65, "two\nlines", "nel\x85", 123],
    "below_threshold": [None, True, False, 0, 1, "true"],
    "order_in_force_said": [None, True, False, 0, "yes"],
    "exhibits": [None, [], [{"ref": "AD/1"}], {}, ""],
    "history": [None, [], [{"field": "summary", "old": "a", "new": "b"}]],
    "withdrawn": [None, {"reason": "duplicate"}, {}, "x"],
    "unknown_field": ["ignored", None],
}


def _full(inc: dict, next_id: int = 7):
    """The full way: the incident's row tuple and content hash, or the error's message."""
    try:
        norm = jb._checked_incident(1, copy.deepcopy(inc), PEOPLE, KEYS, LIMIT)
    except StalklogError as e:
        return e.message
    row = jb.records._incident_row(3, norm["key"], norm, NOW)
    withdrawn = norm["withdrawn"]
    row["withdrawn_utc"] = withdrawn["at"] if withdrawn else None
    row["withdrawn_reason"] = withdrawn["reason"] if withdrawn else None
    row["id"] = next_id
    if norm["exhibits"] or norm["history"]:
        return "has exhibits or history"
    return tuple(row.get(c) for c in fast_rows.COLUMNS), ledger.row_hash("incidents", row)


def _fast(inc: dict, next_id: int = 7):
    """The quick way's row (its NULL stand-in read as None) and hash, or None."""
    found = fast_rows.FastRows(list(fast_rows.COLUMNS), 3, NOW, PEOPLE, KEYS, LIMIT).row(copy.deepcopy(inc), next_id)
    if found is None:
        return None
    values, digest = found
    assert None not in values, "None is bound as fast_rows.NULL"
    return tuple(None if v == fast_rows.NULL and v.__class__ is int else v for v in values), digest


def _corpus():
    yield BASE
    for name, values in TRIES.items():
        for value in values:
            inc = dict(BASE)
            inc[name] = value
            yield inc
        if name in BASE and name != "key":  # every incident has a key: the bundle's head checks it
            yield {k: v for k, v in BASE.items() if k != name}  # the field left out


@pytest.mark.parametrize("inc", list(_corpus()), ids=lambda inc: json.dumps(inc, default=str)[:0] or None)
def test_the_quick_way_gives_the_full_ways_row_and_hash_or_hands_the_incident_back(inc):
    fast, full = _fast(inc), _full(inc)
    if fast is not None:
        assert not isinstance(full, str), f"the quick way accepted what the full way refuses: {full}"
        assert fast == full


def test_the_quick_way_takes_the_usual_incident():
    """Not a timing: the usual incident (and a typical odd one) does go the quick way."""
    assert _fast(BASE) is not None
    assert _fast({**BASE, "summary": "caf\u00e9\nline two", "words": None}) is not None
    assert _fast({**BASE, "occurred": "2025-01-09T18:30", "precision": None, "occurred_end": None}) is not None


def test_the_quick_way_leaves_another_table_to_the_full_way():
    """A later migration's column: the tuple's order would be wrong, so the full way writes."""
    columns = [*fast_rows.COLUMNS, "new_column"]
    assert fast_rows.FastRows(columns, 3, NOW, PEOPLE, KEYS, LIMIT).row(dict(BASE), 7) is None


_field_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(max_size=8),
    st.sampled_from(["P", "V", "X", "I1", "I2", "seen", "alarm", "following", "2025-01-09", "day", "exact"]),
    st.lists(st.sampled_from(["P", "V", "C", "X", "I1", "I2", "I9", "alarm", "following", "left_job", ""]), max_size=3),
    st.lists(st.one_of(st.text(max_size=4), st.integers()), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(changes=st.dictionaries(st.sampled_from(sorted(set(TRIES) - {"key"})), _field_values, max_size=4))
def test_the_quick_way_agrees_with_the_full_way_on_random_incidents(changes):
    inc = {**BASE, **changes}
    fast, full = _fast(inc), _full(inc)
    if fast is not None:
        assert not isinstance(full, str), f"the quick way accepted what the full way refuses: {full}"
        assert fast == full


TRICKY_TEXT = [
    "",
    "plain",
    "caf\u00e9 \u00fc\u00df \u4e2d\u6587 \U0001f600",
    '"quotes" \\ backslash / slash',
    "\t\n\r\b\f",
    "".join(chr(c) for c in range(0x20)),
    "\x7f\x80\x85\u00a0\u2028\u2029\ufeff\uffff",
    "\\u0041 \\n not escapes",
    "x" * 5000,
]


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_the_rows_canonical_json_by_orjson_is_the_ledgers(text):
    """ledger.row_hash (the json module's canonical text) and the quick way's (orjson) give
    the same hash for text of every kind, integers of every size and absent values."""
    row = {
        "summary": text,
        text or "k": "key named by the text",
        "id": 2**62,
        "below_threshold": 0,
        "case_id": -1,
        "occurred_end": None,
        "words": "",
        "\u00e9": text,
        "Z": text[::-1],
    }
    assert fast_rows.canonical_hash(row) == ledger.row_hash("incidents", row)


def test_a_value_orjson_refuses_goes_to_the_ledgers_encoder():
    """A lone surrogate (from a \\ud800 escape) or an integer past 64 bits: the ledger's
    own encoder decides, as it always has."""
    for row in ({"id": 1, "summary": "x", "big": 2**70}, {"id": 1, "n": -(2**64)}):
        assert fast_rows.canonical_hash(row) == ledger.row_hash("incidents", row)
    with pytest.raises(UnicodeEncodeError):
        ledger.row_hash("incidents", {"summary": "\ud800"})
    with pytest.raises(UnicodeEncodeError):
        fast_rows.canonical_hash({"summary": "\ud800"})


@pytest.mark.parametrize(
    ("at", "action", "entity", "case_id"),
    [
        ("2026-06-01T11:00:00Z", "import", "incidents", 3),
        ("2026-06-01T11:00:00+00:00", "add", "exhibits", None),
        ('odd "time" \u00e9\n', "imp\\ort", "incidents", 0),
        ("", "", "", 2**40),
    ],
)
def test_the_ledger_entry_template_is_the_canonical_entry(at, action, entity, case_id):
    template = ledger.EntryTemplate(at, action, entity, case_id)
    for seq, entity_id in ((1, 1), (123456, 99), (2**40, 0)):
        content = hashlib.sha256(str(seq).encode()).hexdigest()
        prev = ledger.GENESIS if seq == 1 else hashlib.sha256(b"p").hexdigest()
        entry = {
            "seq": seq,
            "at_utc": at,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "case_id": case_id,
            "content_sha256": content,
            "prev_hash": prev,
        }
        assert template.text(content, entity_id, prev, seq) == ledger._canonical(entry)
        assert template.text(content, entity_id, prev, seq) == json.dumps(
            entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )


def test_the_ledger_entry_template_refuses_what_it_cannot_write():
    with pytest.raises(TypeError):
        ledger.EntryTemplate("t", "import", "incidents", True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ledger.EntryTemplate("t", "import", "incidents", 1.0)  # type: ignore[arg-type]


def test_record_content_with_a_template_makes_the_chain_record_makes(tmp_path):
    """Appender.record_content (the import's) and Appender.record give the same entries."""
    from stalklog.store.database import open_db, transaction

    rows = [{"id": i, "case_id": 1, "key": f"I{i}", "summary": "caf\u00e9"} for i in range(1, 6)]
    chains = []
    for use_template in (False, True):
        db = open_db(tmp_path / f"c{use_template}.db", create=True)
        with transaction(db):
            appender = ledger.Appender(db)
            appender.at = NOW
            template = ledger.EntryTemplate(NOW, "import", "incidents", 1)
            for row in rows:
                if use_template:
                    appender.record_content(
                        "import", "incidents", row["id"], 1, fast_rows.canonical_hash(row), template
                    )
                else:
                    appender.record("import", "incidents", row["id"], 1, row=row)
            appender.flush()
        chains.append(db.execute("SELECT * FROM ledger ORDER BY seq").fetchall())
        db.close()
    assert chains[0] == chains[1] and len(chains[0]) == 5


def test_a_list_for_procured_by_is_refused_in_words_not_a_crash(run, tmp_path):
    """It was a TypeError (a list cannot be looked up among the people): now the full way
    says the field expects text, and nothing is written."""
    from pathlib import Path

    data = json.loads((Path(__file__).resolve().parents[1] / "data" / "bundle_full.json").read_text(encoding="utf-8"))
    data["incidents"][1]["procured_by"] = ["P"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    run("init")
    result = run("import", str(path), code=1)
    assert 'incidents[1].procured_by: expected text, got ["P"]' in result.stderr
    assert "unexpected problem" not in result.stderr
    assert run.json("cases", "--json") == []


def test_null_is_stored_as_null_and_every_hash_verifies(run, tmp_path):
    """The import binds NULL as a stand-in number (fast_rows.NULL) that its statement turns
    back into NULL: none is stored, the NULL columns are SQL NULL, and verify recomputes
    every row's hash from what is stored (a stand-in left in a row would not match)."""
    import sqlite3
    from pathlib import Path

    run("init")
    full = Path(__file__).resolve().parents[1] / "data" / "bundle_full.json"
    run("import", str(full))
    conn = sqlite3.connect(Path(__import__("os").environ["STALKLOG_DB"]))
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(incidents)")]
        for c in columns:
            assert conn.execute(f"SELECT count(*) FROM incidents WHERE [{c}] = ?", [fast_rows.NULL]).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM incidents WHERE occurred_end IS NULL").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM incidents WHERE typeof(police_ref) = 'null'").fetchone()[0] > 0
    finally:
        conn.close()
    report = run.json("verify")
    assert report["ok"] is True and report["problems"] == [] and report["records"] > 9


DATE_TEXTS = [
    "2025-01-05",
    "2025-01-05T18:30",
    "2025-01-05T18:30:45",
    "2025-01-05T18:30:00",
    "2025-01-05T18:30:60",
    "2025-02-29",
    "2024-02-29",
    "2024-02-30",
    "1899-12-31",
    "1900-01-01",
    "0000-01-01",
    "2025-13-01",
    "2025-00-10",
    "2025-01-00",
    "2025-01-05T24:00",
    "2025-01-05T24:00:00",
    "2025-01-05T23:60",
    "2025-01-05T00:00",
    " 2025-01-05",
    "2025-01-05 ",
    "2025-01-05\n",
    "2025-01-05 18:30",
    "2025-01-05t18:30",
    "20250105",
    "2025-01-05T18",
    "2025-01-05T18:30:45.5",
    "2025-01-05T18:30Z",
    "2025-01-05T18:30+01:00",
    "2025-W01-1",
    "",
    "2099-01-01",
    "\u0662\u0660\u0662\u0665-01-05",
    "2025-01-\u0660\u0665",
    5,
    None,
    ["2025-01-05"],
]


@pytest.mark.parametrize("precision", ["exact", "day", "approximate", "month", "sometime", ""])
def test_the_bundles_quick_date_reading_is_dates_fast_stored(precision):
    """bundle_rules._moment (shape by regex, then datetime.fromisoformat) against
    dates._fast_stored (which it stands in for) on dates of every shape, good and bad."""
    from stalklog.dates import EARLIEST_YEAR, _fast_stored
    from stalklog.interchange import bundle_rules

    assert f"{EARLIEST_YEAR:04d}" == bundle_rules._EARLIEST
    for text in DATE_TEXTS:
        assert bundle_rules._moment(text, precision) == _fast_stored(text, precision), text


CANONICAL_VALUES = [
    {"b": 1, "a": '\u00e9\n\x00"', "c": None, "d": True, "e": False},
    {t or "empty": t for t in TRICKY_TEXT},
    {"big": 2**63 - 1, "bigger": 2**63, "biggest": 2**64 - 1, "past": 2**64, "neg": -(2**63)},
    {"past": 10**30},
    {"f": 0.1, "g": 1e-07, "h": 1e16, "i": -0.0},
    {"nested": [1, "a", {"z": None, "y": [True]}], "n": {}},
    {"x": b"\x01\x02"},
    {"s": "\ud800"},
    {1: "int key", "a": 2},
    {"\U0001f600": 1, "\uffff": 2, "z": 3, "\u00e9": 4, "Z": 5, "": 6},
    {},
    {"seq": 1, "at_utc": "2026-01-01T00:00:00Z", "case_id": None, "prev_hash": "0" * 64},
]


@pytest.mark.parametrize("value", CANONICAL_VALUES, ids=range(len(CANONICAL_VALUES)))
def test_the_ledgers_canonical_bytes_are_the_json_modules(value, monkeypatch):
    """ledger.canonical (orjson for a flat dict of text, integers, booleans and None; the
    json module's encoder for anything else) is json.dumps(sort_keys, no spaces, UTF-8),
    byte for byte, or fails as that does (a lone surrogate cannot be UTF-8)."""
    try:
        expected = json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=ledger._not_text
        ).encode()
    except (TypeError, UnicodeEncodeError) as e:
        monkeypatch.setattr(ledger, "_FIRST_BY_JSON", 0)  # past the first few: orjson's way when it can
        with pytest.raises(type(e)):
            ledger.canonical(value)
        return
    monkeypatch.setattr(ledger, "_FIRST_BY_JSON", 2)
    assert ledger.canonical(value) == expected  # the first few: the json module's encoder
    assert ledger._FIRST_BY_JSON == 1
    monkeypatch.setattr(ledger, "_FIRST_BY_JSON", 0)
    assert ledger.canonical(value) == expected
    assert ledger._canonical_bytes(value) == expected


@pytest.mark.parametrize(
    ("bundle_value", "row_value"),
    [
        (["P"], '["P"]'),
        (["P", "C"], '["P", "C"]'),
        (["P", "C"], '["C", "P"]'),
        (["P"], '["P"] '),
        (["P"], '[ "P" ]'),
        (["caf\u00e9"], '["caf\\u00e9"]'),
        (["caf\u00e9"], '["caf\u00e9"]'),
        ([], "[]"),
        ([], None),
        ([1, "a"], '[1, "a"]'),
        ([1.0], "[1]"),
        ([True], "[1]"),
        ([float("nan")], "[NaN]"),
        ([1, "a"], '[1, "a"]'),
        ([["x"]], '[["x"]]'),
        ({"a": 1}, '{"a": 1}'),
        (["P"], 5),
        (["P"], "not json"),
    ],
)
def test_the_zip_ledgers_quick_list_comparison_is_its_reading(bundle_value, row_value):
    """zip_ledger._same: a stored list that is the text stalklog writes for the bundle's
    list is the same without reading it; any other is read as before, with the same answer."""
    from stalklog.interchange import zip_ledger

    def slow(b, r):
        if r is None:
            return not b
        try:
            return isinstance(r, str) and json.loads(r) == b
        except ValueError:
            return False

    assert zip_ledger._same(bundle_value, row_value) == slow(bundle_value, row_value)


def test_orjson_writes_every_character_as_the_json_module_does():
    """Every code point below U+0800 and the awkward ones above (line and paragraph
    separators, BOM, non-characters, astral) in keys and values: the quick way's canonical
    text is json.dumps(sort_keys, no spaces, ensure_ascii=False), byte for byte."""
    import orjson

    points = [*range(0x800), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0x10FFFF, 0x1F600, 0xD7FF, 0xE000]
    for c in points:
        text = chr(c)
        row = {"k" + text: text, text: "v", "id": c, "flag": True, "none": None}
        expected = json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        assert orjson.dumps(row, option=orjson.OPT_SORT_KEYS) == expected, hex(c)
        kept = json.dumps(
            {k: v for k, v in row.items() if v is not None}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert fast_rows.canonical_hash(row) == hashlib.sha256(kept.encode()).hexdigest(), hex(c)  # NULLs left out


def test_the_bulk_full_text_index_holds_each_new_row_once(run, tmp_path):
    """The import indexes its rows for search in one statement from the first new rowid
    (json_bundle._fts_in_bulk): a second case imported into the same file is indexed, the
    first case's rows are not indexed twice, and FTS5's own integrity check passes."""
    import sqlite3
    from pathlib import Path

    full = Path(__file__).resolve().parents[1] / "data" / "bundle_full.json"
    run("init")
    run("import", str(full))
    run("import", str(full), "--as", "SECOND")
    conn = sqlite3.connect(Path(__import__("os").environ["STALKLOG_DB"]))
    try:
        indexed = [r[0] for r in conn.execute("SELECT rowid FROM incidents_fts ORDER BY rowid")]
        assert indexed == [r[0] for r in conn.execute("SELECT id FROM incidents ORDER BY id")]
        conn.execute("INSERT INTO incidents_fts(incidents_fts) VALUES ('integrity-check')")
        word = json.loads(full.read_text(encoding="utf-8"))["incidents"][0]["summary"].split()[1]
        found = conn.execute("SELECT count(*) FROM incidents_fts WHERE incidents_fts MATCH ?", [f'"{word}"']).fetchone()
        assert found[0] >= 2  # in both cases
    finally:
        conn.close()


@pytest.mark.parametrize("repeat", ['"summary" : "SECOND"', '"summary"\n\t:"SECOND"', '"summary"\r\n :"SECOND"'])
def test_a_key_given_twice_with_space_before_its_colon_is_refused(run, case, tmp_path, repeat):
    """The one-pass reading took a flat incident by orjson when it counted as many ``":`` as
    keys; a key given twice with white space before its colon was not counted, orjson kept
    the last value and the import accepted it. A bundle must refuse a key given twice
    (docs/bundle.md), as the careful reading always did."""
    run("add", "He waited outside (fictional)", "--when", "2025-01-05 18:00", "-b", "loitering", "-e", "alarm")
    text = run("export", "--case", "C-1").stdout
    assert text.count('"words": ""') == 1
    forged = text.replace('"words": ""', '"words": "", ' + repeat, 1)
    path = tmp_path / "twice.json"
    path.write_text(forged, encoding="utf-8")
    run("--db", str(tmp_path / "other.db"), "init")
    result = run("--db", str(tmp_path / "other.db"), "import", str(path), code=1)
    assert '"summary" appears twice' in result.stderr
    assert run.json("--db", str(tmp_path / "other.db"), "cases", "--json") == []


def test_the_quick_reading_counts_a_key_however_it_is_spaced():
    from stalklog.interchange.one_pass import _Quick

    quick = _Quick(json.JSONDecoder().raw_decode)
    assert quick.read('{"a": 1, "b": 2}', 0) is not None
    for text in ('{"a": 1, "a" : 2}', '{"a": 1, "a"\n:2}', '{"a": 1, "a"\t\r\n :2}'):
        assert quick.read(text, 0) is None, text
