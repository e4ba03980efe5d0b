"""The evidence summary as police paperwork (issue 18): every course of conduct, the case's
police details in the running head, an MG12-ordered exhibit schedule, an MG6C-shaped schedule
of unused material and exhibit labels. Every document is read back. All data is fictional."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stalklog.interchange import json_bundle
from stalklog.store.database import open_db, transaction

REF = "P-18"
SHA = {n: (str(n) * 64)[:64] for n in range(1, 6)}
FILE = "Alice_Victim_12_Acacia_Avenue_bruises.jpg"


def _inc(key, when, by, behaviours, effects=("distress",), **extra):
    return {
        "key": key,
        "occurred": when,
        "recorded": when[:10] + "T23:00:00+00:00",
        "by": [by],
        "towards": ["V"],
        "attribution": "seen",
        "channel": "in_person",
        "behaviours": list(behaviours),
        "effects": list(effects),
        **extra,
    }


def _exhibit(ref, n, **extra):
    return {
        "ref": ref,
        "description": f"Photograph number {n}",
        "sha256": SHA[n],
        "producer": "Alice Victim",
        "obtained": "2025-03-01T09:00:00+00:00",
        "how_obtained": "photograph on the phone",
        **extra,
    }


def police_bundle(**case_extra) -> dict:
    """Two subjects, each with a course of conduct towards the same victim, and entries no
    course relies on (one below threshold, one withdrawn, one with nobody named)."""
    return {
        "format": "stalklog.case",
        "version": 1,
        "case": {"ref": REF, "title": "Two courses (fictional)", "jurisdiction": "england-wales", **case_extra},
        "people": [
            {"key": "V", "role": "victim", "name": "Alice Victim"},
            {"key": "P", "role": "subject", "name": "Sam Roe", "relationship": "ex-partner"},
            {"key": "P2", "role": "subject", "name": "Chris Poe", "relationship": "neighbour"},
        ],
        "incidents": [
            _inc("I1008", "2025-01-04T19:40", "P", ["following"], exhibits=[_exhibit("AV/10", 1, file=FILE)]),
            _inc("I107", "2025-01-11T08:00", "P", ["loitering"], exhibits=[_exhibit("AV/2", 2)]),
            _inc(
                "I9",
                "2025-01-18T17:35",
                "P",
                ["contacting"],
                location="gym on Pershore Road, Moseley",
                summary="Waited by the gym on Pershore Road, then followed me to Moseley village.",
            ),
            _inc("I20", "2025-01-05T10:00", "P2", ["abusive"], exhibits=[_exhibit("AV/1", 3)]),
            _inc("I21", "2025-01-25T10:00", "P2", ["abusive"]),
            _inc("I22", "2025-02-01T10:00", "P2", ["threats"], ["fear_of_violence"]),
            _inc("I30", "2025-01-07", "P", ["contacting"], below_threshold=True, exhibits=[_exhibit("AV/3", 4)]),
            {**_inc("I31", "2025-01-08", "P", ["other"]), "by": [], "attribution": "unknown"},
            {
                **_inc("I32", "2025-01-09", "P", ["other"]),
                "withdrawn": {"at": "2025-01-10T10:00:00+00:00", "reason": "duplicate entry"},
            },
        ],
        "impacts": [{"kind": "moved_home", "date": "2025-02", "detail": "moved to Kings Heath with my sister"}],
    }


@pytest.fixture
def police_case(isolated):
    db = open_db(isolated / "stalklog.db", create=True)
    with transaction(db):
        json_bundle.import_bundle(db, police_bundle())
    db.close()
    return REF


def _pdf_pages(path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def _html_text(html: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("style", "svg")

        def handle_endtag(self, tag):
            self.skip -= tag in ("style", "svg")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# ---------------------------------------------------------------- every course (issue 18)


def test_every_course_in_one_summary_each_with_its_own_headline_and_points(run, police_case):
    doc = json.loads(run("report", "--case", REF, "--kind", "evidence", "--json").stdout)
    assert [(c["n"], c["subject"]) for c in doc["courses"]] == [(1, "P"), (2, "P2")]
    assert [o["records"] for o in doc["courses"][0]["occasions"]] == [["I1008"], ["I107"], ["I9"]]
    assert [o["records"] for o in doc["courses"][1]["occasions"]] == [["I20"], ["I21"], ["I22"]]
    assert all(c["points"] and c["deadlines"] for c in doc["courses"])
    # "not relied on" holds only what no course relies on, each with why
    assert {x["record"]: x["reason"] for x in doc["not_relied_on"]} == {
        "I30": "below_threshold",
        "I31": "attribution_unknown",  # "who did it is not known" (issue 15)
        "I32": "withdrawn",
    }
    assert all(x["why"] for x in doc["not_relied_on"])
    text = _html_text(run("report", "--case", REF, "--kind", "evidence", "--format", "html").stdout)
    assert "Course 1: Sam Roe towards Alice Victim" in text and "Course 2: Chris Poe towards Alice Victim" in text
    assert text.count("Points to prove") == 2 and text.count("Time limits") == 2
    assert "3 occasions of conduct attributed to Sam Roe (former partner)" in text
    assert "3 occasions of conduct attributed to Chris Poe" in text
    assert "Who did it is not known, so it belongs to no course of conduct" in text  # issue 15


def test_course_and_subject_choose_and_the_rest_is_listed_with_the_course_that_relies_on_it(run, police_case):
    doc = json.loads(run("report", "--case", REF, "--kind", "evidence", "--course", "2", "--json").stdout)
    assert [c["subject"] for c in doc["courses"]] == ["P2"]
    other = {x["record"]: x for x in doc["not_relied_on"]}
    assert other["I9"]["reason"] == "other_course" and "course 1" in other["I9"]["why"]
    by_name = json.loads(run("report", "--case", REF, "--kind", "evidence", "--subject", "Sam Roe", "--json").stdout)
    assert [c["subject"] for c in by_name["courses"]] == ["P"]
    md = run("report", "--case", REF, "--kind", "evidence", "--subject", "P2").stdout
    assert "courses 2 of the 2 courses" not in md and "course 2 of the 2 courses" in md
    bad = run("report", "--case", REF, "--kind", "evidence", "--course", "3", code=1)
    assert "2 courses" in bad.stderr and "1: Sam Roe (P) towards Alice Victim" in bad.stderr
    bad = run("report", "--case", REF, "--kind", "evidence", "--subject", "nobody", code=1)
    assert '"nobody"' in bad.stderr and "2: Chris Poe (P2)" in bad.stderr


def test_natural_sort_number_ranges_and_plurals():
    from stalklog.reports.contents import natural_key, number_ranges, occasion_words, plural

    assert sorted(["I1008", "I107", "I9"], key=natural_key) == ["I9", "I107", "I1008"]
    assert sorted(["AV/10", "AV/2", "AV/1"], key=natural_key) == ["AV/1", "AV/2", "AV/10"]
    assert number_ranges([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8"
    assert occasion_words(range(1, 520)) == "occasions 1–519"
    assert occasion_words([4]) == "occasion 4" and occasion_words([]) == "none"
    assert plural(1, "day") == "1 day" and plural(2, "day") == "2 days"


# ---------------------------------------------------------------- police details


def test_case_set_stores_police_details_in_the_ledger_and_the_bundle(run, police_case, tmp_path):
    out = run.json(
        "case", "set", REF, "--urn", "01YE0123425", "--crime-ref", "CR/0456/25", "--oic", "PC 4521 Jane Walters"
    )
    assert (out["urn"], out["crime_ref"], out["oic"]) == ("01YE0123425", "CR/0456/25", "PC 4521 Jane Walters")
    assert run.json("verify")["ok"] is True
    bundle = json.loads(run("export", "--case", REF).stdout)
    assert bundle["case"]["urn"] == "01YE0123425" and bundle["case"]["oic"] == "PC 4521 Jane Walters"
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    run("import", path, "--as", "P-19")
    assert run.json("case", "show", "P-19")["crime_ref"] == "CR/0456/25"
    run("case", "set", REF, "--crime-ref", "")  # an empty value clears one
    assert run.json("case", "show", REF)["crime_ref"] is None
    assert "crime_ref" not in json.loads(run("export", "--case", REF).stdout)["case"]
    assert run.json("verify")["ok"] is True
    err = run("case", "set", REF, code=1)
    assert "--urn" in err.stderr


def test_an_older_bundle_without_police_details_imports_and_exports_unchanged(run, police_case):
    bundle = json.loads(run("export", "--case", REF).stdout)
    assert set(bundle["case"]) == {"ref", "title", "jurisdiction", "opened", "context", "notes"}


def test_tampering_with_a_police_detail_is_caught_by_verify(run, police_case, isolated):
    run("case", "set", REF, "--oic", "PC 4521 Jane Walters")
    import sqlite3

    con = sqlite3.connect(isolated / "stalklog.db")
    con.execute("UPDATE cases SET oic = 'PC 1 Someone Else'")
    con.commit()
    con.close()
    assert "case 1 does not match its ledger entry" in run("verify", code=3).stdout


@pytest.mark.slow
def test_pdf_running_head_has_marking_urn_and_page_x_of_y_on_every_page(run, police_case, tmp_path):
    run("case", "set", REF, "--urn", "01YE0123425", "--oic", "PC 4521 Jane Walters")
    out = tmp_path / "s.pdf"
    run("report", "--case", REF, "--kind", "evidence", "-o", out, "--prepared-by", "DC 99 Sam Example")
    pages = _pdf_pages(out)
    assert len(pages) >= 2
    for n, page in enumerate(pages, 1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, f"page {n}: marking top and bottom"
        assert f"Case {REF} · URN 01YE0123425" in page, f"page {n}"
        assert f"Page {n} of {len(pages)}" in page
    text = " ".join(pages)
    assert "Officer in the case PC 4521 Jane Walters" in text
    assert "Prepared by" in text and "DC 99 Sam Example" in text
    official = tmp_path / "o.pdf"
    run("report", "--case", REF, "--kind", "evidence", "-o", official, "--marking", "official")
    assert all("OFFICIAL" in p and "OFFICIAL-SENSITIVE" not in p for p in _pdf_pages(official))


# ---------------------------------------------------------------- MG12, MG6C, labels


def test_exhibit_schedule_is_an_mg12_table_in_reference_order_with_continuity(run, police_case):
    html = run("report", "--case", REF, "--kind", "evidence", "--format", "html").stdout
    text = _html_text(html)
    assert (
        "Exhibit reference Description Produced by When and how obtained SHA-256 Continuity" in text
    )  # MG12 columns, in order
    schedule = text[text.index("Exhibit schedule (MG12 order)") : text.index("schedule of unused material")]
    assert schedule.index("AV/1 ") < schedule.index("AV/2 ") < schedule.index("AV/10 ")
    assert "AV/3" not in schedule  # below threshold: unused material, not the MG12
    for n in (1, 2, 3):
        assert SHA[n] in schedule
    assert "Sat 1 Mar 2025 09:00 GMT; photograph on the phone" in schedule  # when and how obtained
    assert "Wed 12 Mar 2025 12:00 GMT: imported into the case file (reference only)" in schedule  # continuity
    md = run("report", "--case", REF, "--kind", "evidence").stdout
    assert "| Exhibit reference | Description | Produced by | When and how obtained | SHA-256 | Continuity |" in md


def test_unused_material_is_an_mg6c_schedule_numbered_with_reasons(run, police_case):
    text = _html_text(run("report", "--case", REF, "--kind", "evidence", "--format", "html").stdout)
    unused = text[text.index("schedule of unused material, MG6C shape") :]
    assert "Item Description and relative location Why not relied on Sensitive?" in unused
    assert "Case file record I30" in unused and SHA[4] in unused
    assert "Recorded for context: judged not harassing on its own" in unused
    assert "Withdrawn on" in unused and "duplicate entry" in unused
    md = run("report", "--case", REF, "--kind", "evidence").stdout
    assert "| Item | Description and relative location | Why not relied on | Sensitive? |" in md
    assert "| 1 | " in md and "| 3 | " in md


def test_labels_one_per_exhibit_in_every_format(run, police_case):
    run("case", "set", REF, "--urn", "01YE0123425")
    rows = list(csv.reader(io.StringIO(run("report", "--case", REF, "--kind", "labels", "-f", "csv").stdout[1:])))
    assert rows[0][:3] == ["Exhibit reference", "Description", "Produced by"]
    assert [r[0] for r in rows[1:]] == ["AV/1", "AV/2", "AV/3", "AV/10"]
    assert all(r[5] == REF and r[6] == "01YE0123425" for r in rows[1:])
    assert [r[9] for r in rows[1:]] == [SHA[3], SHA[2], SHA[4], SHA[1]]
    md = run("report", "--case", REF, "--kind", "labels").stdout
    assert md.count("## Exhibit ") == 4 and SHA[1] in md
    text = _html_text(run("report", "--case", REF, "--kind", "labels", "-f", "html").stdout)
    assert text.count("EXHIBIT") == 4 and "Produced by Alice Victim" in text


@pytest.mark.slow
def test_labels_pdf(run, police_case, tmp_path):
    out = tmp_path / "labels.pdf"
    run("report", "--case", REF, "--kind", "labels", "-o", out)
    text = "".join(_pdf_pages(out)).replace(" ", "")
    for n in (1, 2, 3, 4):
        assert SHA[n] in text
    assert "AV/10" in text and f"Case{REF}" in text


# ---------------------------------------------------------------- without the typesetter


def test_without_typst_a_one_line_error_says_html_works(run, police_case, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_typst(name, *args, **kwargs):
        if name == "typst" or name.startswith("typst."):
            raise ImportError("DLL load failed while importing _typst")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_typst)
    result = run("report", "--case", REF, "--kind", "evidence", "-o", tmp_path / "s.pdf", code=1)
    assert result.stderr.startswith("Error: A PDF needs the typst package")
    assert "--format html" in result.stderr and "print it to PDF" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "s.pdf").exists()


# ---------------------------------------------------------------- redaction


REDACTED = ("Pershore", "Moseley", "Kings Heath", FILE, "Acacia", "Alice_Victim")


def _every_format(run, tmp_path, *args, pdf: bool) -> dict[str, str]:
    out = {}
    for kind in ("evidence", "diary", "labels"):
        for fmt in ("md", "html", "csv", "json"):
            out[f"{kind} {fmt}"] = run("report", "--case", REF, "--kind", kind, "-f", fmt, *args).stdout
        if pdf:
            path = tmp_path / f"{kind}.pdf"
            run("report", "--case", REF, "--kind", kind, "-o", path, *args)
            out[f"{kind} pdf"] = "".join(_pdf_pages(path))
    return out


def _assert_withheld(docs: dict[str, str], values) -> None:
    for name, text in docs.items():
        squashed = text.replace(" ", "").replace("\\", "")  # PDF lines, Markdown escapes
        for value in values:
            assert value.replace(" ", "") not in squashed, f"{value!r} survives in the {name}"


def test_redaction_removes_places_and_file_names_from_every_text_format(run, police_case, tmp_path):
    plain = run("report", "--case", REF, "--kind", "evidence", "-f", "html").stdout
    assert all(v in plain for v in ("Pershore", "Moseley village", FILE))  # there to withhold
    docs = _every_format(run, tmp_path, "--redact", "address", pdf=False)
    _assert_withheld(docs, REDACTED)
    evidence = docs["evidence html"]
    assert "[place withheld]" in evidence and "[file name withheld]" in evidence
    assert "Waited by the gym on [place withheld], then followed me to [place withheld] village." in evidence
    assert (
        "the original file names of exhibits" in evidence and "each place name, house number and postcode" in evidence
    )
    assert SHA[1] in evidence and "AV/10" in evidence  # references and hashes stay
    assert json.loads(docs["evidence json"])["redacted"] == ["address"]
    names = _every_format(run, tmp_path, "--redact", "names,address", pdf=False)
    _assert_withheld(names, (*REDACTED, "Alice Victim", "Sam Roe", "Chris Poe"))


@pytest.mark.slow
def test_redaction_holds_in_every_pdf(run, police_case, tmp_path):
    docs = _every_format(run, tmp_path, "--redact", "names,address", pdf=True)
    _assert_withheld({k: v for k, v in docs.items() if k.endswith("pdf")}, (*REDACTED, "AliceVictim", "SamRoe"))
    assert "Disclosure copy" in docs["evidence pdf"] and "[filenamewithheld]" in docs["evidence pdf"].replace(" ", "")


# ---------------------------------------------------------------- layout and formats


@pytest.mark.parametrize("kind", ["evidence", "diary", "labels"])
def test_markdown_carries_what_the_html_carries(run, police_case, kind):
    import html as entities
    import re

    words = re.compile(r"[\w’'-]{3,}")
    args = ("report", "--case", REF, "--kind", kind, "--include-private")
    html_words = set(words.findall(_html_text(run(*args, "-f", "html").stdout)))
    md_words = set(words.findall(entities.unescape(run(*args, "-f", "md").stdout.replace("\\", ""))))
    assert html_words - md_words == set()


def test_private_note_is_inside_its_occasion_and_says_which(run, isolated):
    bundle = police_bundle()
    bundle["incidents"][1]["private_notes"] = "NOTE-FOR-I107"
    db = open_db(isolated / "stalklog.db", create=True)
    with transaction(db):
        json_bundle.import_bundle(db, bundle)
    db.close()
    html = run("report", "--case", REF, "--kind", "evidence", "-f", "html", "--include-private").stdout
    block = html[html.index("<h4>Occasion 2 –") : html.index("<h4>Occasion 3 –")]  # course 1, occasion 2 is I107
    assert "Private note on record I107 (occasion 2):</strong> NOTE-FOR-I107" in block
    md = run("report", "--case", REF, "--kind", "evidence", "--include-private").stdout
    part = md[md.index("#### Occasion 2 —") : md.index("#### Occasion 3 —")]
    assert "Private note on record I107:** NOTE-FOR-I107" in part


def test_stylesheet_wraps_long_text_and_keeps_headings_with_what_follows():
    from importlib.resources import files

    css = (files("stalklog.reports") / "templates" / "report.css").read_text()
    assert "overflow-wrap: anywhere" in css
    for h in ("h2 {", "h3 {", "h4 {"):
        rule = css[css.index(h) : css.index("}", css.index(h))]
        assert "break-after: avoid" in rule, h


def test_diary_csv_is_the_diarys_own_columns_with_a_bom(run, police_case):
    text = run("report", "--case", REF, "--kind", "diary", "-f", "csv").stdout
    assert text.startswith("\ufeffDate,When (local time),Where,What happened,What they did,")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == 8  # the live entries (the withdrawn one is not a diary entry)
    assert "Record" not in rows[0] and "Relied on" not in rows[0]
    assert rows[0]["Date"] == "4 Jan 2025" and rows[0]["How it made me feel"] == "distressed or upset"


def test_points_never_could_be_supported_beside_none_and_dates_are_one_style(run, police_case):
    doc = run("report", "--case", REF, "--kind", "evidence", "-f", "md").stdout
    for line in doc.splitlines():
        if "| Could be supported |" in line:
            assert line.split(" | ")[2].strip() != "none", line
    assert "the course as a whole: occasions 1–3" in doc  # conduct towards one person
    import re

    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", doc.split("## ")[0] + "".join(doc.split("## ")[1:-1]))


def _long_case(isolated, n: int = 160) -> None:
    bundle = police_bundle()
    start = __import__("datetime").date(2024, 1, 1)
    bundle["incidents"] = [
        _inc(f"I{k}", (start + __import__("datetime").timedelta(days=k)).isoformat() + "T09:00", "P", ["contacting"])
        for k in range(1, n + 1)
    ]
    bundle["incidents"][0]["private_notes"] = "NOTE-ON-FIRST"
    db = open_db(isolated / "stalklog.db", create=True)
    with transaction(db):
        json_bundle.import_bundle(db, bundle)
    db.close()


def test_a_long_case_is_one_line_per_occasion_with_ranges_and_natural_order(run, isolated):
    _long_case(isolated)
    html = run("report", "--case", REF, "--kind", "evidence", "-f", "html", "--include-private").stdout
    text = _html_text(html)
    assert "One line per occasion (a long record)" in text
    assert "The occasions, in date order (occasions 1–160)" in text
    lines = html.split('<p class="rec">')[1:161]
    assert lines[0].startswith("1. ") and "I1 · place not recorded" in lines[0]
    assert text.index("I99 ·") < text.index("I100 ·") < text.index("I160 ·")
    assert "Private note on record I1 (occasion 1): NOTE-ON-FIRST" in text
    assert "<dl" not in html[html.index("One line per occasion") : html.index("Points to prove")]


@pytest.mark.slow
def test_a_long_case_pdf_reads_back_with_every_occasion(run, isolated, tmp_path):
    _long_case(isolated)
    out = tmp_path / "long.pdf"
    run("report", "--case", REF, "--kind", "evidence", "-o", out)
    pages = _pdf_pages(out)
    text = " ".join(pages)
    for k in (1, 80, 160):
        assert f"I{k} ·" in text
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page and "OFFICIAL-SENSITIVE" in page


def test_mca_1980_s127_deadlines_in_a_police_file_carry_no_advice_to_report(run, police_case):
    """The evidence summary's reader is an officer: the deadline is stated, without the
    victim's "report well before then"; the diary, read by the victim, keeps it."""
    evidence = json.loads(run("report", "--case", REF, "--kind", "evidence", "--json").stdout)
    lines = [d["text"] for c in evidence["courses"] for d in c["deadlines"]]
    assert any("must start a prosecution for this by" in line for line in lines)
    assert not any("Report" in line for line in lines)
    diary = json.loads(run("report", "--case", REF, "--kind", "diary", "--json").stdout)
    diary_lines = [d["text"] for c in diary.get("courses", []) for d in c["deadlines"]]
    assert any(line.endswith("Report well before then.") for line in diary_lines)
