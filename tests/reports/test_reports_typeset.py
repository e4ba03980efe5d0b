"""The PDF, typeset by Typst (issue 18): the case's words go in as data only, every visible
line of the HTML is in the PDF, long unbroken text stays on the page, non-Latin names
render. Every PDF is read back (pypdf). All data is fictional."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser

import pytest
from test_reports_police import REF, police_bundle  # tests/reports is on the path (no packages)

from stalklog.interchange import json_bundle
from stalklog.store.database import open_db, transaction

HOSTILE = (
    r"""#import "x" #read("/etc/passwd") $x^2$ *bold* _under_ @ref <b>tag</b> ] [ \ #str(40+2)zz // not a comment"""
)


def _load(isolated, bundle: dict) -> None:
    db = open_db(isolated / "stalklog.db", create=True)
    with transaction(db):
        json_bundle.import_bundle(db, bundle)
    db.close()


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages).replace("\x00", "")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Lines(HTMLParser):
    """The HTML's visible text, one entry per block (paragraph, cell, list item, heading, term)."""

    BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "figcaption", "div", "tr", "br"}
    VOID = {"br", "meta", "link", "img", "path", "use", "rect", "circle"}
    HIDDEN = {"style", "svg", "title"}

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.current: list[str] = []
        self.stack: list[tuple[bool, bool]] = []  # (hidden, in the running head)
        self.hidden = 0
        self.runhead = 0

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.BLOCKS or (self.runhead and tag == "span"):
            self.flush()
        if tag in self.VOID:
            return
        hidden = tag in self.HIDDEN or "runstrings" in classes  # not shown (the PDF's head has them)
        self.stack.append((hidden, "runhead" in classes))
        self.hidden += hidden
        self.runhead += "runhead" in classes

    def handle_endtag(self, tag):
        if tag in self.BLOCKS or (self.runhead and tag == "span"):
            self.flush()
        if tag in self.VOID or not self.stack:
            return
        hidden, head = self.stack.pop()
        self.hidden -= hidden
        self.runhead -= head

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)


def html_lines(html: str) -> list[str]:
    parser = _Lines()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.lines


def _parity(run, tmp_path, *args, db: str | None = None) -> tuple[str, list[str]]:
    """Every visible HTML line in the PDF's text (whitespace aside); the PDF's text returned."""
    pre = ("--db", db) if db else ()
    html = run(*pre, "report", *args, "-f", "html").stdout
    out = tmp_path / "parity.pdf"
    run(*pre, "report", *args, "-o", out, "--force")
    text = _pdf_text(out)
    squashed = _squash(text)
    lines = html_lines(html)
    assert len(lines) > 40
    missing = [line for line in lines if _squash(line) not in squashed]
    assert not missing, f"{len(missing)} of {len(lines)} HTML lines are not in the PDF: {missing[:5]}"
    return text, lines


# ---------------------------------------------------------------- the case's words as data only


def _hostile_bundle() -> dict:
    bundle = police_bundle()
    bundle["people"][1]["name"] = "Sam " + HOSTILE
    bundle["incidents"][0]["summary"] = "Summary " + HOSTILE
    bundle["incidents"][0]["exhibits"][0]["description"] = "Exhibit " + HOSTILE
    bundle["incidents"][1]["location"] = "Place " + HOSTILE
    return bundle


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["evidence", "diary", "labels"])
def test_markup_in_a_record_is_printed_literally_never_evaluated(run, isolated, tmp_path, kind):
    _load(isolated, _hostile_bundle())
    out = tmp_path / f"{kind}.pdf"
    run("report", "--case", REF, "--kind", kind, "-o", out)
    text = _squash(_pdf_text(out))
    literal = _squash(HOSTILE)
    for label in {"evidence": ("Summary", "Sam", "Exhibit", "Place"), "diary": ("Summary", "Place")}.get(
        kind, ("Exhibit",)
    ):
        assert _squash(label) + literal in text, f"{label} is not printed as written in the {kind} PDF"
    assert "42zz" not in text  # #str(40+2) was not run
    assert "root:" not in text  # nothing was read from the file system


def test_the_templates_take_the_case_only_as_data():
    """The record enters through sys.inputs and json(); no template evaluates a string or reads a file."""
    from stalklog.reports.typeset import KIND_TEMPLATE, source

    for kind in KIND_TEMPLATE:
        src = source(kind).decode()
        assert "json(bytes(sys.inputs.data))" in src
        code = "\n".join(line.split("//")[0] for line in src.splitlines())
        assert "eval(" not in code and "read(" not in code and "#import" not in code and "#include" not in code


# ---------------------------------------------------------------- parity with the HTML


@pytest.mark.slow
@pytest.mark.parametrize("redact", [(), ("--redact", "names,address")])
def test_every_html_line_of_a_multi_course_case_is_in_the_pdf(run, isolated, tmp_path, redact):
    bundle = police_bundle()
    bundle["incidents"][1]["private_notes"] = "NOTE-FOR-I107"
    bundle["incidents"][1]["words"] = "You will see me again"
    bundle["incidents"][2]["witnesses"] = ["Pat Doe"]
    _load(isolated, bundle)
    run("case", "set", REF, "--urn", "01YE0123425", "--oic", "PC 4521 Jane Walters")
    order = ("--case", REF, "--kind", "restraining-order", "--against", "P", "--protects", "V", "--made", "02/01/2025")
    run("order", "add", *order, "--condition", "must not contact V by any means", "--court", "Exampletown Magistrates")
    answers = "yes,no,no,unknown,yes,yes,no,no,no,not known,n"
    run("screening", "record", "--case", REF, "--answers", answers, "--note", "6=said he would hurt me", "--by", "ISAC")
    args = ("--case", REF, "--kind", "evidence", "--include-private", *redact)
    text, _ = _parity(run, tmp_path, *args)
    assert "Course 2" in text and "NOTE-FOR-I107" in text
    assert "Protective orders and possible breaches" in text and "Possible breach, for review" in text
    diary, _ = _parity(run, tmp_path, "--case", REF, "--kind", "diary", *redact)
    assert "Stalking screening questions (S-DASH)" in diary and "Orders protecting me" in diary
    _parity(run, tmp_path, "--case", REF, "--kind", "labels", *redact)
    if redact:
        squashed = _squash(text)
        for value in ("Alice Victim", "Sam Roe", "Chris Poe", "Pershore", "Moseley", "Kings Heath", "Acacia"):
            assert _squash(value) not in squashed, value


@pytest.mark.slow
@pytest.mark.parametrize("redact", [(), ("--redact", "names,address")])
def test_every_html_line_of_the_demo_case_is_in_the_pdf(run, isolated, tmp_path, redact):
    run("demo")
    demo = next(isolated.rglob("demo.db"))
    plain = json.loads(run("--db", demo, "report", "--case", "DEMO-001", "--kind", "evidence", "--json").stdout)
    text, _ = _parity(run, tmp_path, "--case", "DEMO-001", "--kind", "evidence", *redact, db=str(demo))
    if redact:
        squashed = _squash(text)
        records = plain["records"]
        withheld = [p["name"] for p in records["people"] if p.get("name")]
        withheld += [i["location"] for i in records["incidents"] if i.get("location")]
        withheld += ["Mill Road", "Alex Doe", "Sam Roe"]
        assert len(withheld) > 5
        for value in withheld:
            assert _squash(value) not in squashed, value


@pytest.mark.slow
def test_every_html_line_of_a_long_case_is_in_the_pdf(run, isolated, tmp_path):
    """Over 150 entries: the one-line-per-occasion layout."""
    from test_reports_police import _long_case

    _long_case(isolated, 170)
    text, _ = _parity(run, tmp_path, "--case", REF, "--kind", "evidence", "--include-private")
    assert "One line per occasion" in text and "NOTE-ON-FIRST" in text


# ---------------------------------------------------------------- layout


LONG_TOKEN = "https://example.org/" + "abcdefghij" * 30
HASH = "0123456789abcdef" * 4


def _longest_unbroken_run(path) -> int:
    """The most characters the PDF sets without a space or a line break between them."""
    return max(len(run) for run in _pdf_text(path).split())


@pytest.mark.slow
@pytest.mark.parametrize("long_layout", [False, True])
def test_long_unbroken_text_breaks_inside_the_page_and_reads_back_whole(run, isolated, tmp_path, long_layout):
    """Typst overflows a word longer than the line; the templates let such a token break
    anywhere (as the HTML's overflow-wrap: anywhere), adding no character to the text."""
    bundle = police_bundle()
    if long_layout:
        from test_reports_police import _inc

        bundle["incidents"] += [
            _inc(f"L{k}", f"2024-0{1 + k % 9}-{10 + k % 18}T09:00", "P", ["contacting"]) for k in range(160)
        ]
    bundle["incidents"][0]["summary"] = "Sent " + LONG_TOKEN + " to my work address"
    bundle["incidents"][0]["exhibits"][0]["sha256"] = HASH
    _load(isolated, bundle)
    out = tmp_path / "long.pdf"
    run("report", "--case", REF, "--kind", "evidence", "-o", out)
    text = _squash(_pdf_text(out))
    assert _squash(LONG_TOKEN) in text and HASH in text
    assert "\u200b" not in text
    # An A4 line of 8-10pt text holds about 110 characters; the token alone is 320.
    assert _longest_unbroken_run(out) < 130


@pytest.mark.slow
def test_polish_arabic_and_chinese_names_render_with_embedded_fonts(run, isolated, tmp_path):
    import typst

    bundle = police_bundle()
    names = ["Zażółć Gęślą-Jaźń", "مريم الحسن"]
    cjk = any("CJK" in f or "Hei" in f or "Song" in f or "Gothic" in f for f in typst.Fonts().families())
    if cjk:
        names.append("王小明")
    for person, name in zip(bundle["people"], names, strict=False):
        person["name"] = name
    _load(isolated, bundle)
    out = tmp_path / "names.pdf"
    run("report", "--case", REF, "--kind", "evidence", "-o", out)
    text = _pdf_text(out)
    assert names[0] in text
    assert "مريم" in text or "ميرم" in text  # extraction may give Arabic in visual order
    if cjk:
        assert names[2] in text
    from pypdf import PdfReader

    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(str(out)).pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        for font in [font.get_object()]
    }
    assert any("DejaVuSans" in f for f in fonts), fonts


def _two_courses_with_a_note(isolated):
    bundle = police_bundle()
    bundle["incidents"][1]["private_notes"] = "A private note"
    bundle["incidents"][0]["summary"] = "Sent https://example.org/" + "abcdefghij" * 20 + " to me"
    _load(isolated, bundle)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["long", "two courses"])
def test_no_page_ends_with_a_heading_or_the_sentence_introducing_a_table(run, isolated, tmp_path, case):
    """Headings and the sentence that introduces a table keep with what follows (the HTML's
    break-after: avoid): the last line above each page's footer is never one of them."""
    from pypdf import PdfReader
    from test_reports_police import _long_case

    if case == "long":
        _long_case(isolated, 40)  # short layout: an occasion heading and its fields per record
    else:
        _two_courses_with_a_note(isolated)
    out = tmp_path / "h.pdf"
    run("report", "--case", REF, "--kind", "evidence", "-o", out, "--include-private")
    headings = re.compile(
        r"^(\d+\. [A-Z]|Occasion \d+ –|Points to prove|Time limits|The occasions, in date order|Matters that"
        r"|shape\)|Exhibits supporting|Every logged entry|sensitive\.|was obtained\.|\"Could be supported\"|check looks at)"
    )
    pages = PdfReader(str(out)).pages
    assert len(pages) > 5
    for n, page in enumerate(pages[:-1], 1):
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if "OFFICIAL-SENSITIVE" not in line and not line.startswith(("Page ", "Case "))]
        assert not headings.match(body[-1].strip()), f"page {n} ends with {body[-1]!r}"


def test_the_model_given_to_typst_is_printable_and_leaves_out_the_check():
    from stalklog.reports.typeset import document_data

    model = {
        "kind": "labels",
        "title": "Exhibit labels",
        "marking": "OFFICIAL",
        "case": {"ref": "C-1", "urn": ""},
        "integrity": {"head_seq": 3},
        "labels": [{"ref": "A/1", "description": "bidi \u202e reversed"}],
        "check": {"courses": ["big"]},
        "records": {"incidents": ["big"]},
    }
    data = json.loads(document_data(copy.deepcopy(model)))
    assert "check" not in data and "records" not in data
    assert "\u202e" not in data["labels"][0]["description"]
    assert "verify --case C-1" in data["how_to_check"]


@pytest.mark.slow
def test_the_pdf_has_an_outline_of_its_sections(run, isolated, tmp_path):
    from pypdf import PdfReader

    _load(isolated, police_bundle())
    out = tmp_path / "o.pdf"
    run("report", "--case", REF, "--kind", "evidence", "-o", out)
    titles = [item.title for item in PdfReader(str(out)).outline if not isinstance(item, list)]
    assert titles[0] == "1. Headline" and "Integrity record" in " ".join(titles), titles


def test_the_pdf_charts_layout_has_rows_markers_gaps_and_ticks():
    from stalklog.reports.chart import timeline_layout

    points = [
        {"date": "2025-01-04", "behaviours": ["following"], "relied_on": True, "below_threshold": False},
        {"date": "2025-01-04", "behaviours": ["following"], "relied_on": True, "below_threshold": False},
        {"date": "2025-02-05", "behaviours": ["loitering", "following"], "relied_on": False, "below_threshold": True},
        {"date": "2025-05-20", "behaviours": ["third_party_contact"], "relied_on": True, "below_threshold": False},
    ]
    chart = timeline_layout(points)
    assert chart is not None and timeline_layout([]) is None
    assert chart["rows"] == ["following", "loitering", "contacting others about the person"]
    assert len(chart["markers"]) == 4  # the same day, row and kind once
    assert [m[2] for m in chart["markers"]] == [False, False, True, True]  # filled ones drawn last, on top
    assert all(0 < m[0] < 1 for m in chart["markers"])
    assert [(g["label"], g["shaded"]) for g in chart["gaps"]] == [("32 days", False), ("104 days", True)]
    labels = [t["label"] for t in chart["ticks"]]
    assert 3 <= len(labels) <= 8 and labels[0].endswith("2025"), labels
    assert [t["at"] for t in chart["ticks"]] == sorted(t["at"] for t in chart["ticks"])


@pytest.mark.slow
def test_the_pdf_chart_carries_its_rows_and_gap_labels(run, isolated, tmp_path):
    _load(isolated, police_bundle())
    out = tmp_path / "c.pdf"
    run("report", "--case", REF, "--kind", "evidence", "-o", out)
    text = _pdf_text(out)
    for words in ("following", "loitering", "abusive", "threats", "logged, not relied on", "relied on"):
        assert words in text
    assert "Incidents over time by kind of conduct." in text


def test_a_fault_in_the_templates_is_one_line_and_no_file(run, isolated, tmp_path, monkeypatch):
    from stalklog.reports import typeset

    _load(isolated, police_bundle())
    monkeypatch.setattr(typeset, "source", lambda kind: b"#let broken = (")
    out = tmp_path / "s.pdf"
    result = run("report", "--case", REF, "--kind", "evidence", "-o", out, code=1)
    assert result.stderr.startswith("Error: The PDF could not be typeset (")
    assert "--format html" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_the_pdf_is_dated_when_the_report_was_made_and_the_same_report_gives_the_same_bytes(isolated):
    """The creation date comes from stalklog's clock (STALKLOG_NOW in tests), as the "made"
    line does, not from the machine's clock."""
    import datetime as dt
    import io

    from pypdf import PdfReader

    from stalklog.reports.contents import build_report
    from stalklog.reports.typeset import typeset

    _load(isolated, police_bundle())
    db = open_db(isolated / "stalklog.db")
    model = build_report(db, REF, kind="labels", as_of=dt.date(2025, 3, 12))
    first, second = typeset(model), typeset(copy.deepcopy(model))
    assert first == second
    created = PdfReader(io.BytesIO(first)).metadata.creation_date
    assert created is not None and created.astimezone(dt.UTC).isoformat().startswith("2025-03-12T12:00:00")
