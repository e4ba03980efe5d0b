"""The report core without the CLI: the model, redaction, CSV safety, the chart, the diary."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from stalklog.errors import InvalidValue
from stalklog.interchange import json_bundle as bundle
from stalklog.reports import render, renderers
from stalklog.reports.contents import build_report, choose_offence
from stalklog.reports.redact import parse, redact
from stalklog.reports.tables import safe_cell
from stalklog.store import ledger
from stalklog.store.database import open_db, transaction

AS_OF = dt.date(2025, 3, 12)
SHA = "ab" * 32


def _bundle() -> dict:
    """A small fictional case: three occasions, one recorded weeks late, one with a stated purpose."""
    inc = {"by": ["P"], "towards": ["V"], "attribution": "seen", "channel": "in_person"}
    return {
        "format": "stalklog.case",
        "version": 1,
        "case": {"ref": "R-1", "title": "Report core test (fictional)", "jurisdiction": "england-wales"},
        "people": [
            {"key": "V", "role": "victim", "name": "Alex Doe"},
            {
                "key": "P",
                "role": "subject",
                "name": "Sam Roe",
                "relationship": "ex-partner",
                "identifiers": ["@samroe_test", "sam.roe@example.invalid"],
            },
            {"key": "W1", "role": "witness", "name": "Jordan Pike"},
        ],
        "incidents": [
            {
                **inc,
                "key": "I1",
                "occurred": "2025-01-04T19:40",
                "recorded": "2025-01-04T20:00:00+00:00",
                "behaviours": ["following"],
                "effects": ["alarm"],
                "location": "Mill Road",
                "summary": "Followed me; Jordan Pike saw it. Ring 07700 900456 or mail a.b@example.invalid",
                "exhibits": [
                    {
                        "ref": "AD/1",
                        "description": "Doorbell clip",
                        "sha256": SHA,
                        "producer": "Alex Doe",
                        "obtained": "2025-01-05T09:00:00+00:00",
                        "how_obtained": "export from the app",
                    }
                ],
            },
            {
                **inc,
                "key": "I2",
                "occurred": "2025-01-20",
                "recorded": "2025-02-20T10:00:00+00:00",
                "behaviours": ["loitering"],
                "effects": ["distress"],
                "impacts": ["changed_route"],
            },
            {
                **inc,
                "key": "I3",
                "occurred": "2025-02-10",
                "recorded": "2025-02-10T10:00:00+00:00",
                "behaviours": ["reporting_to_authorities"],
                "effects": ["distress"],
                "stated_purpose": "reporting a crime",
            },
        ],
        "impacts": [{"kind": "moved_home", "date": "2025-03", "detail": "to a friend's flat"}],
    }


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "core.db", create=True)
    with transaction(database):
        bundle.import_bundle(database, _bundle())
    yield database
    database.close()


def test_model_occasions_points_review_and_integrity(db):
    model = build_report(db, "R-1", kind="evidence", as_of=AS_OF)
    assert [o["parts"][0]["key"] for o in model["occasions"]] == ["I1", "I2", "I3"]
    assert model["offence"]["status"] in ("indicated", "borderline")
    assert model["exhibit_schedule"][0]["sha256"] == SHA
    titles = [r["title"] for r in model["review"]]
    assert "Recorded late" in titles and "Stated purpose" in titles
    late = next(r for r in model["review"] if r["title"] == "Recorded late")
    assert "31 days after" in late["text"]
    assert model["integrity"]["verified"] is True
    assert model["integrity"]["head_hash"] == ledger.head(db)["hash"]
    for point in model["points"]:
        if point["code"] == "course_of_conduct":
            assert point["occasions"] == [1, 2, 3] and point["exhibits"] == ["AD/1"]


def test_offence_must_be_one_the_check_lists(db):
    with pytest.raises(InvalidValue, match="pha-s99") as raised:
        build_report(db, "R-1", kind="evidence", as_of=AS_OF, offence="pha-s99")
    assert "pha-s2a" in raised.value.hint
    model = build_report(db, "R-1", kind="evidence", as_of=AS_OF, offence="pha-s2")
    assert model["offence"]["id"] == "pha-s2"


def test_default_offence_is_the_strongest_indicated():
    check = {
        "case": "X",
        "courses": [
            {
                "occasions": ["I1", "I2"],
                "offences": [
                    {"id": "pha-s2", "status": "indicated"},
                    {"id": "pha-s4", "status": "not_indicated"},
                    {"id": "pha-s2a", "status": "indicated"},
                    {"id": "pha-s3", "status": "indicated", "kind": "civil"},
                ],
            }
        ],
    }
    assert choose_offence(check, None, "england-wales")[1]["id"] == "pha-s2a"
    none = {
        "case": "X",
        "courses": [
            {
                "occasions": ["I1"],
                "offences": [{"id": "pha-s2a", "status": "not_indicated"}, {"id": "pha-s2", "status": "not_indicated"}],
            }
        ],
    }
    assert choose_offence(none, None, "england-wales")[1]["id"] == "pha-s2"
    assert choose_offence({"case": "X", "courses": []}, None, "england-wales") == (None, None)


def test_redaction_changes_text_only_and_never_the_record(db):
    before = json.dumps(bundle.export_bundle(db, "R-1"), sort_keys=True)
    model = build_report(db, "R-1", kind="evidence", as_of=AS_OF)
    out = redact(model, parse(["address,phone,email", "names-of-witnesses", "identifiers"]))
    text = json.dumps(out, ensure_ascii=False)
    for gone in (
        "Mill Road",
        "07700 900456",
        "a.b@example.invalid",
        "Jordan Pike",
        "@samroe_test",
        "sam.roe@example.invalid",
    ):
        assert gone not in text
    assert SHA in text and "AD/1" in text and '"R-1"' in text
    assert "Sam Roe" in text  # names of people other than witnesses were not asked for
    assert "Disclosure copy" in out["redaction_statement"]
    assert "Mill Road" in json.dumps(model)  # the model given in is untouched
    assert json.dumps(bundle.export_bundle(db, "R-1"), sort_keys=True) == before


def test_redact_words_are_checked():
    assert parse(["Address, witnesses", "phone"]) == ["address", "names-of-witnesses", "phone"]
    with pytest.raises(InvalidValue):
        parse(["everything"])


@pytest.mark.parametrize("cell", ["=1+1", "+44", "-2", "@SUM(A1)", "\tx"])
def test_csv_cells_cannot_be_formulas(cell):
    assert safe_cell(cell).startswith("'")
    assert safe_cell("plain") == "plain" and safe_cell(True) == "yes"


def test_every_kind_has_every_format():
    assert {(k, f) for k in ("evidence", "diary") for f in ("pdf", "html", "md", "csv", "json")} <= set(renderers())


def test_diary_has_impacts_screening_and_no_score(db):
    from stalklog.desk import screening

    with transaction(db):
        screening.record(
            db,
            "R-1",
            ["yes"] + ["no"] * 9 + [{"answer": "not known", "notes": "ask the officer"}],
            taken="2025-03-01",
            by="IDVA (fictional)",
        )
    assert ledger.verify(db).ok
    model = build_report(db, "R-1", kind="diary", as_of=AS_OF)
    md = render(model, "md")
    assert "I moved home" in md and "to a friend's flat" in md
    assert "I changed my route" in md
    assert "Is the victim very frightened?" in md and "ask the officer" in md
    assert "score" in md.lower() and "No score is given" in md
    html = render(model, "html")
    assert "S-DASH" in html and "<svg" in html


def test_chart_is_svg_with_gap_labels():
    from stalklog.reports.chart import timeline_svg

    svg = timeline_svg(
        [
            {"date": "2025-01-01", "behaviours": ["following"], "relied_on": True, "below_threshold": False},
            {"date": "2025-06-01", "behaviours": ["threats"], "relied_on": False, "below_threshold": True},
        ]
    )
    assert svg.startswith("<svg") and "151 days" in svg and "following" in svg
    assert timeline_svg([]) == ""
