"""``--json`` text made by orjson (issue 20): byte for byte what ``json.dumps(data,
indent=2, ensure_ascii=False, default=str)`` writes, over values that trip writers up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import pytest

from stalklog.cli import console


class Doc(dict):
    pass


@dataclasses.dataclass
class Point:
    x: int


def _floats() -> list[float]:
    out = [0.0, -0.0, 0.1, 1 / 3, 2.5, 100.0, 1e15, 1e16, 1e22, 5e-324, 1.7976931348623157e308, 2.0**53 + 1]
    for e in range(-320, 300, 7):
        for m in (1.0, 1.5, 9.87654321, -1.2345678901234567):
            out.append(m * 10.0**e)
    return out


TRICKY = [
    {"text": '\x00\x01\x1f \x7f \x85 \u200e \u202e \u2028\u2029 é ☃ 😀 "quoted" back\\slash /slash \b\f\n\r\t'},
    {"é key ☃": "v", '"k"': "q", "": "", "\x00": None},
    {"big": [2**63 - 1, -(2**63), 2**63, 2**64, -(2**64) - 1, 10**40]},
    {"bools": [True, False, None, 0, 1, -1]},
    {"floats": _floats()},
    {"empty": [[], {}, [[]], [{}], {"a": {}}, ""]},
    {"tuple": (1, "two", (3,)), "nested": [[[[[{"deep": [1]}]]]]]},
    Doc(a=Doc(b=[Doc()])),
    {"date": dt.date(2025, 3, 12), "when": dt.datetime(2025, 3, 12, 9, 30, tzinfo=dt.UTC)},
    {"path": Path("/tmp/x"), "point": Point(1)},
    {1: "int key", None: "none key", False: "bool key", 2.5: "float key"},
    {"surrogate": "\ud800 lone"},
    {"words": "face-to-face, re-7, e-9 and 2e-7 in text", "small": [1e-7, 2.5e-9, 1e-05], "n": 7},
    "top-level string",
    12,
    [],
    {},
]


@pytest.mark.parametrize("pad", ["", "  "])
@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
def test_json_text_is_json_dumps_byte_for_byte(value, pad):
    expected = json.dumps(value, indent=2, ensure_ascii=False, default=str).replace("\n", "\n" + pad)
    assert console.json_text(value, pad) == expected


def test_plain_documents_are_written_by_orjson(monkeypatch):
    """The fast path is taken for a check document's kind of data (else it saves nothing)."""
    from stalklog.interchange import json_bundle

    monkeypatch.setattr(json_bundle, "_indented", lambda *a: pytest.fail("the Python writer was used"))
    doc = {"case": "C-1", "courses": [{"status": "met", "occasions": [1, 2], "note": None, "days": -3}], "é": "☃"}
    assert console.json_text(doc, "  ") == json.dumps(doc, indent=2, ensure_ascii=False).replace("\n", "\n  ")


def test_a_number_that_is_not_finite_is_null_not_invalid_json():
    """The one difference, on purpose: NaN and Infinity are not JSON (RFC 8259 §6)."""
    text = console.json_text({"a": [math.nan, math.inf, -math.inf]})
    assert json.loads(text) == {"a": [None, None, None]}


def test_json_safe_escapes_del_in_ascii_text_and_leaves_plain_ascii_alone():
    from stalklog.safetext import json_safe

    assert json_safe('{"a": "x\x7fy"}') == '{"a": "x\\u007fy"}'
    assert json_safe('{"a": "\u202e\x85"}') == '{"a": "\\u202e\\u0085"}'
    plain = '{"a": "plain"}'
    assert json_safe(plain) is plain
