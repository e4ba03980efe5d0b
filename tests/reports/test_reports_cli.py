"""``stalklog report``: every kind and format for a fictional case with exhibits.

The case is built through the CLI (incidents with ``stalklog add``, exhibits with
``stalklog exhibit add``). Every name, place and number in it is invented.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import stat
from html.parser import HTMLParser

import pytest

REF = "C-7"
PRIVATE = "PRIVATE-NOTE-do-not-disclose"
OCCASION_DATES = ("Sat 4 Jan 2025", "Sat 18 Jan 2025", "Sun 2 Feb 2025", "Sat 1 Mar 2025")
WITNESS = "Jordan Pike (fictional)"
PHONE = "07700 900123"
PLACE = "14 Mill Road, Exampletown EX1 2AB"
HOSTILE_SUMMARY = "<script>alert('x')</script> {{ 7*7 }} flowers left on the step"
HOSTILE_WORDS = "=cmd|' /C calc'!A0"


def _add(run, *args) -> int:
    return run.json("add", "--case", REF, *args)["id"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the case once per module (through the CLI); each test gets its own copy."""
    home = tmp_path_factory.mktemp("report-case")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STALKLOG_DB", str(home / "stalklog.db"))
        mp.setenv("STALKLOG_NOW", "2025-03-12T12:00:00")
        mp.setenv("XDG_DATA_HOME", str(home / "data"))
        mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
        mp.setenv("STALKLOG_CONFIG", str(home / "config" / "stalklog" / "config.toml"))
        mp.delenv("STALKLOG_PASSPHRASE", raising=False)
        hashes = _build_case(_Runner(), home)
    return {"hashes": hashes, "home": home}


class _Runner:
    """The CLI for building the shared case (the ``run`` fixture is per test)."""

    def __call__(self, *args):
        from typer.testing import CliRunner

        from stalklog.cli.app import app

        result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result

    def json(self, *args):
        return json.loads(self(*args, "--json").stdout)


def _build_case(run, home) -> list[str]:
    """A case with five occasions, a below-threshold entry, a withdrawn one and three exhibits."""
    run("init")
    run("case", "new", REF, "--title", "Fictional case for report tests")
    run("person", "add", "--case", REF, "--role", "victim", "--name", "Alex Doe (fictional)")
    run(
        "person",
        "add",
        "--case",
        REF,
        "--role",
        "subject",
        "--name",
        "Sam Roe (fictional)",
        "--relationship",
        "ex-partner",
        "--identifier",
        PHONE,
    )
    run("person", "add", "--case", REF, "--role", "witness", "--name", WITNESS)
    first = _add(
        run,
        "Eleven texts in an hour asking to meet.",
        "--when",
        "04/01/2025 19:40",
        "-b",
        "contacting",
        "-e",
        "distress",
        "--channel",
        "text_message",
        "--attribution",
        "known_account",
        "--words",
        HOSTILE_WORDS,
        "--private-notes",
        PRIVATE,
    )
    _add(
        run,
        "An email about returning a jacket.",
        "--when",
        "06/01/2025",
        "-b",
        "contacting",
        "--channel",
        "email",
        "--below-threshold",
    )
    third = _add(
        run,
        "Followed from the station to the front door.",
        "--when",
        "18/01/2025 17:35",
        "-b",
        "following",
        "-e",
        "alarm,fear_of_violence",
        "--channel",
        "in_person",
        "--attribution",
        "seen",
        "--location",
        PLACE,
        "--witness",
        f"{WITNESS} saw him at the gate",
        "--words",
        f"Call me on {PHONE}",
    )
    _add(
        run,
        HOSTILE_SUMMARY,
        "--when",
        "02/02/2025",
        "-b",
        "leaving_items",
        "-e",
        "distress",
        "--attribution",
        "suspected",
        "-i",
        "changed_routine",
    )
    fifth = _add(
        run,
        "Sitting in a car opposite the workplace.",
        "--when",
        "01/03/2025 08:10",
        "-b",
        "loitering",
        "-e",
        "serious_alarm_or_distress",
        "-i",
        "time_off_work",
        "--channel",
        "in_person",
        "--attribution",
        "seen",
    )
    gone = _add(run, "Entered twice by mistake.", "--when", "02/03/2025", "-b", "other")
    run("withdraw", gone, "--reason", "duplicate entry")
    hashes = []
    for n, incident in enumerate((first, third, fifth), 1):
        data = f"fictional exhibit {n} bytes".encode()
        path = home / f"exhibit-{n}.png"
        path.write_bytes(data)
        run(
            "exhibit",
            "add",
            incident,
            path,
            "--case",
            REF,
            "--producer",
            "Alex Doe",
            "--description",
            f"Screenshot number {n}",
            "--how",
            "screenshot on the phone",
            "--obtained",
            "10/03/2025 09:00",
        )
        hashes.append(hashlib.sha256(data).hexdigest())
    return hashes


@pytest.fixture
def report_case(built, tmp_path):
    """This test's own copy of the case file (the autouse fixture points STALKLOG_DB here)."""
    import shutil

    for suffix in ("", "-wal", "-shm"):
        source = built["home"] / f"stalklog.db{suffix}"
        if source.exists():
            shutil.copyfile(source, tmp_path / f"stalklog.db{suffix}")
    return {"hashes": built["hashes"], "tmp": tmp_path}


def _pdf_pages(path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


class TextAndTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse_html(html: str) -> TextAndTags:
    parser = TextAndTags()
    parser.feed(html)
    parser.close()
    return parser


def _assert_pages(pages: list[str]) -> None:
    assert pages
    for n, page in enumerate(pages, 1):
        assert f"Case {REF}" in page, f"page {n} has no case reference"
        assert f"Page {n} of {len(pages)}" in page, f"page {n} has no page x of y"


# ---------------------------------------------------------------- PDF (two renders only: they are slow)


@pytest.mark.slow
def test_evidence_pdf_has_reference_and_page_numbers_on_every_page_dates_and_hashes(run, report_case):
    out = report_case["tmp"] / "summary.pdf"
    result = run("report", "--case", REF, "--kind", "evidence", "-o", out)
    assert result.stdout == ""
    assert "Wrote the evidence summary" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"%PDF")
    pages = _pdf_pages(out)
    _assert_pages(pages)
    text = " ".join(pages)
    for day in OCCASION_DATES:
        assert day in text
    squashed = text.replace(" ", "")
    for digest in report_case["hashes"]:
        assert digest in squashed
    for heading in (
        "Headline",
        "The occasions, in date order",
        "Points to prove",
        "Matters that point the other way or need review",
        "Exhibit schedule",
        "Logged items not relied on",
        "Integrity record",
    ):
        assert heading in text
    assert PRIVATE not in text
    assert "guilty" not in text.lower()
    assert "I declare" not in text and "liable to prosecution" not in text  # no witness declaration
    assert run.json("verify", "--case", REF)["head"] in squashed  # the integrity record's ledger head


@pytest.mark.slow
def test_redacted_diary_pdf_withholds_and_says_so_on_every_page(run, report_case):
    out = report_case["tmp"] / "diary.pdf"
    before = run("export", "--case", REF).stdout
    run(
        "report",
        "--case",
        REF,
        "--kind",
        "diary",
        "--format",
        "pdf",
        "-o",
        out,
        "--redact",
        "address,phone,names-of-witnesses",
    )
    pages = _pdf_pages(out)
    _assert_pages(pages)
    text = " ".join(pages)
    for day in OCCASION_DATES:
        assert day in text
    for value in (PLACE, "Mill Road", "EX1 2AB", PHONE, "Jordan Pike"):
        assert value not in text
    assert "Disclosure copy" in text
    assert PRIVATE not in text
    assert run("export", "--case", REF).stdout == before  # the record itself is untouched


# ---------------------------------------------------------------- HTML


def test_evidence_html_is_self_contained_and_inert(run, report_case):
    html = run("report", "--case", REF, "--kind", "evidence", "--format", "html").stdout
    parsed = _parse_html(html)
    text = " ".join(" ".join(parsed.text).split())
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags  # the hostile summary is text, not a tag
    assert HOSTILE_SUMMARY in text and "{{ 7*7 }}" in text
    assert "style" in tags and "svg" in tags  # styles and chart inline
    assert "link" not in tags and not any("src" in a for _, a in parsed.tags)
    assert f"Case {REF}" in text
    for day in OCCASION_DATES:
        assert day in text
    for digest in report_case["hashes"]:
        assert digest in text
    assert PRIVATE not in html
    assert 'Page " counter(page) " of " counter(pages)' in html  # page x of y when printed
    assert "Mon 10 Mar 2025 09:00 GMT: obtained by Alex Doe (screenshot on the phone)" in text  # MG12 continuity


def test_private_notes_only_when_asked_and_the_document_says_so(run, report_case):
    plain = run("report", "--case", REF, "--kind", "diary", "--format", "html").stdout
    assert PRIVATE not in plain and "includes private notes" not in plain
    private = run("report", "--case", REF, "--kind", "diary", "--format", "html", "--include-private").stdout
    assert PRIVATE in private
    assert "This copy includes private notes" in private


def test_redacted_html_withholds_names_and_identifiers(run, report_case):
    html = run(
        "report", "--case", REF, "--kind", "evidence", "--format", "html", "--redact", "names,identifiers,address"
    ).stdout
    for value in ("Sam Roe", "Alex Doe (fictional)", WITNESS, PHONE, "Mill Road"):
        assert value not in html
    for digest in report_case["hashes"]:
        assert digest in html  # hashes and references survive redaction
    assert "names of people" in html


# ---------------------------------------------------------------- Markdown, CSV, JSON


def test_markdown_to_stdout_with_everything_escaped(run, report_case):
    result = run("report", "--case", REF, "--kind", "evidence")
    md = result.stdout
    assert result.stderr == ""
    assert md.startswith("**OFFICIAL-SENSITIVE**\n\n# Evidence summary")
    assert "<script>" not in md and "&lt;script&gt;" in md
    for day in OCCASION_DATES:
        assert day in md
    for digest in report_case["hashes"]:
        assert digest in md
    diary = run("report", "--case", REF, "--kind", "diary", "--format", "md").stdout
    assert "How it made me feel" in diary and PRIVATE not in diary


def test_csv_one_row_per_incident_formula_safe(run, report_case):
    from stalklog.reports.tables import CSV_COLUMNS

    text = run("report", "--case", REF, "--kind", "evidence", "--format", "csv").stdout
    assert text.startswith("\ufeffCase,Record,")  # a BOM and readable headings, for Excel
    rows = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in list(csv.reader(io.StringIO(text[1:])))[1:]]
    assert len(rows) == 6  # every incident, withdrawn included
    assert [r["occurred"][:10] for r in rows] == sorted(r["occurred"][:10] for r in rows)
    first = rows[0]
    assert first["words"] == "'" + HOSTILE_WORDS
    assert first["private_notes"] == ""
    assert first["relied_on"] == "yes" and first["occasion"] == "occasion 1"
    assert rows[1]["relied_on"] == "no" and "below threshold" in rows[1]["not_relied_on_reason"]
    assert report_case["hashes"][0] in first["exhibit_sha256"]


def test_json_is_the_check_plus_records_and_matches_stalklog_check(run, report_case):
    doc = json.loads(run("report", "--case", REF, "--kind", "evidence", "--format", "json").stdout)
    assert doc["format"] == "stalklog.report" and doc["case"] == REF
    check = run.json("check", "--case", REF)
    assert doc["check"] == check
    assert len(doc["records"]["incidents"]) == 6
    assert all("private_notes" not in i for i in doc["records"]["incidents"])
    relied = [k for c in doc["courses"] for o in c["occasions"] for k in o["records"]]
    course = next(c for c in check["courses"] if doc["offence"] in [o["id"] for o in c["offences"]])
    assert set(course["occasions"]) <= set(relied)
    assert doc["integrity"]["verified"] is True and re.fullmatch(r"[0-9a-f]{64}", doc["integrity"]["head_hash"])
    assert json.loads(run("report", "--case", REF, "--kind", "evidence", "--json").stdout)["case"] == REF


def test_offence_choice_and_default(run, report_case):
    doc = json.loads(run("report", "--case", REF, "--kind", "evidence", "--json").stdout)
    statuses = {o["id"]: o["status"] for c in doc["check"]["courses"] for o in c["offences"]}
    assert statuses[doc["offence"]] in ("indicated", "borderline")
    md = run("report", "--case", REF, "--kind", "evidence", "--offence", "pha-s2").stdout
    assert "Points to prove: Harassment" in md
    bad = run("report", "--case", REF, "--kind", "evidence", "--offence", "no-such", code=1)
    assert 'no offence "no-such"' in bad.stderr and "pha-s2" in bad.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--kind", "evidence", "--format", "pdf"), 2, "-o"),
        (("--kind", "letter"), 2, "evidence, diary or labels"),
        (("--kind", "evidence", "--format", "docx"), 2, "pdf, html, md, csv, json"),
        (("--kind", "evidence", "--redact", "shoe-size"), 1, "names-of-witnesses"),
    ],
)
def test_clear_errors(run, args, code, message):
    result = run("report", "--case", REF, *args, code=code)
    assert message in result.stderr
    assert result.stdout == ""


def test_format_from_the_output_file_name(run, report_case):
    out = report_case["tmp"] / "rows.csv"
    run("report", "--case", REF, "--kind", "diary", "-o", out)
    assert out.read_text(encoding="utf-8-sig").startswith("Date,When (local time),Where,What happened")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".part")]


def test_a_case_with_no_incidents_still_reports(run, case):
    for kind in ("evidence", "diary"):
        for fmt in ("html", "md", "csv", "json"):
            assert run("report", "--case", case, "--kind", kind, "--format", fmt).stdout
    md = run("report", "--case", case, "--kind", "evidence").stdout
    assert "holds 0 incidents" in md and "No exhibits" in md


# ---------------------------------------------------------------- a closed case
# A closed case can still be read and reported on (it was often closed because it was
# handed over); only recording into it is refused (tests/cli/test_log_cli.py).


def _closed(run):
    run("add", "Fictional: waited at the gate", "--when", "01/03/2025 10:15", "--case", "C-1")
    run("case", "close", "C-1")


def test_report_of_a_named_closed_case(run, case):
    _closed(run)
    result = run("report", "--kind", "diary", "--case", "C-1")
    assert "C-1" in result.stdout and "Fictional: waited at the gate" in result.stdout


def test_report_without_a_case_names_the_closed_one(run, case):
    _closed(run)
    result = run("report", "--kind", "diary", code=1)
    assert "no open case to report on" in result.stderr and "--case C-1" in result.stderr
