"""The check's output, frozen: any change to what the engine says is caught here.

Each fictional case of ``frozen_cases`` is checked in every jurisdiction (and the case's
own) on several dates; the SHA-256 of each check document's JSON text is compared with
``frozen/expected.txt``, made by the engine before the speed work of issue 20 (which had
to change nothing the check says: PHA 1997 ss.2, 2A, 4, 4A; CJL(S)A 2010 s.39; PfS(NI)A
2022; the orders and time limits). Three cases are also kept whole (``frozen/*.json``)
so a difference can be read, not only detected.

A deliberate change to the law's output regenerates the files::

    python tests/law/test_law_frozen_output.py --write
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import pytest
from frozen_cases import make_case

from stalklog.law import check_case

HERE = Path(__file__).parent / "frozen"
CASES = 60
AS_OF = (dt.date(2010, 5, 5), dt.date(2023, 6, 1), dt.date(2025, 8, 15))
JURISDICTIONS = (None, "england-wales", "scotland", "northern-ireland")
WHOLE = {
    26: ("england-wales", dt.date(2025, 8, 15)),
    38: (None, dt.date(2023, 6, 1)),
    40: ("scotland", dt.date(2026, 12, 5)),
}


def _text(seed: int, jurisdiction: str | None, as_of: dt.date) -> str:
    return json.dumps(check_case(make_case(seed), as_of, jurisdiction), ensure_ascii=False, indent=1)


def _lines() -> list[str]:
    out = []
    for seed in range(CASES):
        bundle = make_case(seed)
        for jurisdiction in JURISDICTIONS:
            for as_of in AS_OF:
                text = json.dumps(check_case(bundle, as_of, jurisdiction), ensure_ascii=False, indent=1)
                digest = hashlib.sha256(text.encode()).hexdigest()[:20]
                out.append(f"{seed} {jurisdiction or 'own'} {as_of.isoformat()} {digest}")
    return out


def test_the_cases_cover_what_the_check_weighs():
    bundles = [make_case(seed) for seed in range(CASES)]
    incidents = [i for b in bundles for i in b["incidents"]]
    assert any(b.get("orders") for b in bundles)
    assert any("intent_to_persuade" in b["case"]["context"] for b in bundles)
    assert {i["precision"] for i in incidents} == {"exact", "day", "approximate", "month"}
    for field in (
        "same_occasion_as",
        "procured_by",
        "occurred_end",
        "links",
        "affected",
        "withdrawn",
        "stated_purpose",
    ):
        assert any(i.get(field) for i in incidents), field
    docs = [check_case(b, dt.date(2025, 8, 15)) for b in bundles]
    courses = [c for d in docs for c in d["courses"]]
    assert {c["kind"] for c in courses} == {"single", "multiple"}
    assert {c["status"] for c in courses} == {"met", "borderline", "not_met"}
    assert any(d["possible_breaches"] for d in docs) and any(d["protective_options"] for d in docs)


@pytest.mark.parametrize("seed", sorted(WHOLE))
def test_whole_documents_are_unchanged(seed):
    jurisdiction, as_of = WHOLE[seed]
    assert _text(seed, jurisdiction, as_of) + "\n" == (HERE / f"case-{seed}.json").read_text(encoding="utf-8")


def test_every_check_document_is_unchanged():
    expected = (HERE / "expected.txt").read_text(encoding="utf-8").splitlines()
    got = _lines()
    changed = [(e, g) for e, g in zip(expected, got, strict=True) if e != g]
    assert not changed, f"{len(changed)} check documents changed, first: {changed[0][0]!r} now {changed[0][1]!r}"


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    HERE.mkdir(exist_ok=True)
    (HERE / "expected.txt").write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    for seed, (jurisdiction, as_of) in WHOLE.items():
        (HERE / f"case-{seed}.json").write_text(_text(seed, jurisdiction, as_of) + "\n", encoding="utf-8")
