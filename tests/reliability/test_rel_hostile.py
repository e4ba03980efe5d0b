"""Hostile and malformed input: dates, bundles, CSV diaries and free text.

Property-based (hypothesis, bounded): whatever comes in, the answer is either success or a
``StalklogError`` (an ``Error:`` line, exit 1) — never another exception, never a traceback —
and a refused import writes nothing (row counts and ledger head unchanged). Free text is
stored and read back exactly, and printed inert: markup stays literal, HTML is escaped.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_support import build_base, counts, make_bundle

from stalklog.errors import InvalidDate, StalklogError

NOW = dt.datetime(2025, 3, 12, 12, 0)
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
NASTY = [
    "'); DROP TABLE incidents;--",
    "[bold]not bold[/bold] [link=https://example.invalid]x[/link]",
    "<script>alert('x')</script> <img src=x onerror=alert(1)>",
    "\u202eRTL override\u202c \u200f\u200e zero\u200bwidth",
    "tab\there\r\nnew line\x00null\x07bell\x1b[31mred\x1b[0m",
    "{{ 7*7 }} {% raw %} ${HOME} $(rm -rf /) `id`",
    "emoji 🙂 and combining e\u0301 and CJK 你好",
    "*markdown* _under_ # heading | table | [link](http://x.invalid)",
]


# ---------------------------------------------------------------- parse_when


@FAST
@given(text=st.text(max_size=80), us=st.booleans())
def test_parse_when_only_ever_raises_invalid_date(text, us):
    from stalklog.dates import parse_when

    try:
        when = parse_when(text, NOW, us_dates=us)
    except InvalidDate as e:
        assert e.message.strip()
        return
    assert when.occurred()
    assert when.start <= NOW + dt.timedelta(days=1)


DATEISH = st.text(alphabet="0123456789/-.: apmAPMTtodayyesterlastmonTuesJanFeb,", max_size=30)


@FAST
@given(text=DATEISH)
def test_parse_when_date_like_text(text):
    from stalklog.dates import parse_when

    try:
        parse_when(text, NOW)
    except InvalidDate:
        pass


# ---------------------------------------------------------------- bundles

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def _paths(obj, prefix=()):
    """Every (path) inside a JSON value."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


def _set(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def _drop(obj, path):
    for p in path[:-1]:
        obj = obj[p]
    del obj[path[-1]]


@st.composite
def mutated_bundles(draw):
    data = make_bundle("MUT", 3)
    data["incidents"][1]["links"] = ["I1"]
    data["incidents"][2]["exhibits"] = [{"ref": "AD/1", "description": "Fictional", "sha256": "0" * 64}]
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "drop", "add", "huge", "nested", "weird"]))
        try:
            if action == "replace":
                _set(data, path, draw(JSON))
            elif action == "drop":
                _drop(data, path)
            elif action == "add":
                target = data
                for p in path[:-1]:
                    target = target[p]
                if isinstance(target, dict):
                    target[draw(st.text(max_size=8))] = draw(JSON)
            elif action == "huge":
                _set(data, path, "x" * 100_000)
            elif action == "nested":
                value = []
                for _ in range(draw(st.integers(50, 400))):
                    value = [value]
                _set(data, path, value)
            else:
                _set(
                    data,
                    path,
                    draw(
                        st.sampled_from(
                            NASTY + ["\ud800 lone surrogate", float("nan"), float("inf"), -0.0, 10**30, True, "", " "]
                        )
                    ),
                )
        except (KeyError, IndexError, TypeError):
            pass
    return data


@pytest.fixture
def case_file(tmp_path):
    return build_base(tmp_path / "hostile.db", incidents=2)


def _import(path, data, ref):
    """Import ``data`` (already parsed) into the file; returns None or the StalklogError."""
    from stalklog.interchange import json_bundle as bundle
    from stalklog.store.database import open_db, transaction

    d = open_db(path)
    try:
        with transaction(d):
            bundle.import_bundle(d, data, as_ref=ref)
    except StalklogError as e:
        return e
    except UnicodeError as e:  # a lone surrogate: the CLI says so in words (test below)
        return StalklogError(str(e))
    finally:
        d.close()
    return None


@FAST
@given(data=mutated_bundles())
def test_mutated_bundles_import_whole_or_not_at_all(case_file, data):
    before = counts(case_file)
    ref = f"R-{before['cases']}"
    error = _import(case_file, copy.deepcopy(data), ref)
    after = counts(case_file)
    if error is None:
        assert after["cases"] == before["cases"] + 1
        from stalklog.store import ledger
        from stalklog.store.database import open_db

        d = open_db(case_file)
        assert ledger.verify(d).ok
        d.close()
    else:
        assert error.message.strip()
        assert after == before, f"a refused import wrote something: {error.message}"


@FAST
@given(data=JSON)
def test_random_json_is_refused_cleanly(case_file, data):
    before = counts(case_file)
    error = _import(case_file, data, "RANDOM")
    assert error is not None  # random JSON is never a valid bundle
    assert counts(case_file) == before


@pytest.mark.parametrize(
    "name,content",
    [
        ("deep-array", "[" * 10_000 + "]" * 10_000),
        ("deep-object", '{"a":' * 10_000 + "1" + "}" * 10_000),
        ("deep-in-field", None),
        ("not-utf8", b'\xff\xfe{"format": "stalklog.case"}'),
        ("nul-bytes", b'{"format": "stalklog.case\x00"}\x00'),
        ("nan", '{"format": "stalklog.case", "version": NaN}'),
        ("infinity", '{"format": "stalklog.case", "version": Infinity, "case": -Infinity}'),
        ("huge-number", '{"format": "stalklog.case", "version": 1' + "0" * 5000 + "}"),
        ("empty", ""),
        ("truncated", json.dumps(make_bundle("T", 5))[:-40]),
        ("a-list", "[1, 2, 3]"),
        ("lone-surrogate", None),
        ("huge-string", None),
        ("duplicate-keys", '{"format": "stalklog.case", "format": "other"}'),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_malformed_bundle_files_through_the_cli(tmp_path, run, monkeypatch, name, content):
    db = build_base(tmp_path / "cli.db", incidents=1)
    monkeypatch.setenv("STALKLOG_DB", str(db))
    if name == "deep-in-field":
        data = make_bundle("DEEP", 1)
        data["incidents"][0]["summary"] = "@@"
        content = json.dumps(data).replace('"@@"', "[" * 900 + "]" * 900)
    elif name == "lone-surrogate":
        data = make_bundle("SUR", 1)
        data["incidents"][0]["summary"] = "@@"
        content = json.dumps(data).replace('"@@"', '"bad \\ud800 text"')
    elif name == "huge-string":
        data = make_bundle("HUGE", 2)
        data["incidents"][0]["summary"] = "fictional " * 100_000  # 1 MB
        content = json.dumps(data)
    path = tmp_path / f"{name}.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    before = counts(db)
    result = _invoke(run, "import", path)
    assert "Traceback" not in result.stderr
    assert "unexpected problem" not in result.stderr, result.stderr
    if name == "huge-string":  # a 1 MB summary is refused, naming the field (issue 15: size limits)
        assert result.exit_code == 1, result.stderr
        assert "incidents[0].summary: is 1,000,000 characters long; at most 100,000" in result.stderr
        assert counts(db) == before
        return
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Error:"), result.stderr
    assert counts(db) == before


def _invoke(run, *args):
    """The CLI in-process without asserting the exit code."""
    from stalklog.cli.app import app

    return run.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


# ---------------------------------------------------------------- free text

FREE_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200) | st.sampled_from(NASTY)


@FAST
@given(summary=FREE_TEXT, location=FREE_TEXT, words=FREE_TEXT, notes=FREE_TEXT)
def test_free_text_round_trips_exactly_through_the_core(case_file, summary, location, words, notes):
    from stalklog import records
    from stalklog.store import ledger
    from stalklog.store.database import open_db, transaction

    d = open_db(case_file)
    try:
        with transaction(d):
            inc = records.add_incident(
                d,
                "C-1",
                {
                    "occurred": "2025-01-05",
                    "precision": "day",
                    "summary": summary,
                    "location": location,
                    "words": words,
                    "private_notes": notes,
                    "by": ["P"],
                    "towards": ["V"],
                    "witnesses": [summary],
                },
            )
        back = records.get_incident(d, inc["id"])
        assert (back["summary"], back["location"], back["words"]) == (summary, location, words)
        assert back["private_notes"] == (notes or None) or back["private_notes"] == notes
        assert back["witnesses"] == [summary]
        assert records.incident_keys(d, 1)  # the tables are all still there
        assert ledger.verify(d).ok
    finally:
        d.close()


@pytest.mark.parametrize("text", NASTY)
def test_nasty_text_through_the_cli_is_kept_and_printed_inert(case_file, run, monkeypatch, text):
    monkeypatch.setenv("STALKLOG_DB", str(case_file))
    cli_text = text.replace("\x00", "")  # a command-line argument cannot hold a NUL
    run(
        "add",
        cli_text,
        "--case",
        "C-1",
        "--when",
        "yesterday",
        "--location",
        cli_text,
        "--words",
        cli_text,
        "--witness",
        cli_text,
    )
    shown = run.json("show", "--case", "C-1", "I3")
    assert shown["summary"] == shown["location"] == shown["words"] == cli_text
    assert shown["witnesses"] == [cli_text]
    assert counts(case_file)["incidents"] == 3  # the SQL in the text did nothing
    for command in (("show", "--case", "C-1", "I3"), ("list", "--case", "C-1"), ("timeline", "--case", "C-1")):
        printed = run(*command).stdout
        if "[bold]" in cli_text:
            assert "[bold]" in printed  # markup printed literally, not applied
        assert "\x1b[1m" not in printed  # no styling injected by the text
    if "<script>" in cli_text:
        md = run("report", "--kind", "diary", "--case", "C-1", "--format", "md").stdout
        assert "<script>" not in md and "&lt;script&gt;" in md
        html = run("report", "--kind", "diary", "--case", "C-1", "--format", "html").stdout
        assert "<script>alert" not in html and "&lt;script&gt;" in html
        assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_text_that_is_not_unicode_on_the_command_line(case_file, run, monkeypatch):
    """Bytes that are not UTF-8 in an argument reach Python as lone surrogates."""
    monkeypatch.setenv("STALKLOG_DB", str(case_file))
    before = counts(case_file)
    result = _invoke(run, "add", "bad byte \udcff here", "--case", "C-1", "--when", "yesterday")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:") and "Unicode" in result.stderr and "Nothing was changed" in result.stderr
    assert counts(case_file) == before


def test_terminal_escape_sequences_are_not_printed_raw(case_file, run, monkeypatch):
    monkeypatch.setenv("STALKLOG_DB", str(case_file))
    added = run("add", "hidden \x1b[8mconcealed\x1b[0m \x1b]0;title\x07", "--case", "C-1", "--when", "yesterday")
    assert "\x1b" not in added.stderr
    for command in (("show", "--case", "C-1", "I3"), ("list", "--case", "C-1"), ("timeline", "--case", "C-1")):
        out = run(*command).stdout
        assert "\x1b" not in out and "\x07" not in out
        assert "\u241b" in out  # shown as a visible symbol, not dropped
    shown = json.loads(run("show", "--case", "C-1", "I3", "--json").stdout)
    assert shown["summary"] == "hidden \x1b[8mconcealed\x1b[0m \x1b]0;title\x07"  # stored exactly


# ---------------------------------------------------------------- CSV diaries

CSV_HEADER = "Date,Time,What happened,Where,Witnesses,How it made me feel,Police ref\n"
CSV_CELL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    NASTY
    + [
        "05/01/2025",
        "2025-01-05",
        "31/02/2025",
        "yesterday",
        '=HYPERLINK("http://x.invalid")',
        "@SUM(A1)",
        '"quoted, with comma"',
        "\n",
        "\r",
    ]
)


@st.composite
def csv_files(draw):
    rows = draw(st.lists(st.lists(CSV_CELL, min_size=0, max_size=9), max_size=6))
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow(row)
    text = (CSV_HEADER if draw(st.booleans()) else "") + buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    data = text.encode(encoding, "replace")
    if draw(st.booleans()):
        data = draw(st.binary(max_size=200)) + data
    return data


@FAST
@given(data=csv_files())
def test_csv_import_whole_or_not_at_all(case_file, data):
    csvimport = pytest.importorskip("stalklog.interchange.csv_diary")
    from stalklog.store.database import open_db, transaction

    before = counts(case_file)
    d = open_db(case_file)
    wrote = False
    try:
        preview = csvimport.prepare(d, "C-1", data, now=NOW, file_name="diary.csv")
        with transaction(d):
            csvimport.write(d, "C-1", preview)
        wrote = True
    except StalklogError as e:
        assert e.message.strip()
    finally:
        d.close()
    after = counts(case_file)
    if not wrote:
        assert after == before
    else:
        assert after["incidents"] >= before["incidents"]
    from stalklog.store import ledger

    d = open_db(case_file)
    assert ledger.verify(d).ok
    d.close()
