"""``stalklog.interchange.import_file``: one way in for every format, chosen by what the file
holds (a zip's signature, JSON's first character, else CSV), not by its name; a bundle's
dry run never opens the case file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stalklog import interchange
from stalklog.errors import BundleError, InvalidValue
from stalklog.store.database import open_db

DATA = Path(__file__).resolve().parents[1] / "data"
FULL = DATA / "bundle_full.json"
GOOD_CSV = DATA / "desk_diary_good.csv"
MIXED_CSV = DATA / "desk_diary_mixed.csv"


def never_opened():
    raise AssertionError("the case file was opened")


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (b"PK\x03\x04rest", "case.dat", "zip"),
        (b"PK\x05\x06" + b"\0" * 18, "", "zip"),  # an empty zip is only its end record
        (b'{"format": "stalklog.case"}', "diary.csv", "json"),
        (b"\xef\xbb\xbf \r\n\t [1]", "notes.txt", "json"),  # a byte-order mark and white space first
        (b"Date,What happened\n", "diary.csv", "csv"),
        (b"Date,What happened\n", "diary", "csv"),
        (b"", "empty.txt", "csv"),
        (b"not json at all", "broken.JSON", "json"),  # refused as the bundle it was meant to be
        (b"not a zip", "broken.zip", "zip"),
    ],
)
def test_the_format_is_chosen_by_content_then_name(head, name, kind):
    assert interchange.sniff(head, name) == kind


def test_a_bundle_named_csv_imports_as_a_case_bundle(run, tmp_path):
    run("init")
    misnamed = tmp_path / "from-the-advocate.csv"
    shutil.copy(FULL, misnamed)
    assert "Imported case" in run("import", misnamed).stderr
    ref = json.loads(FULL.read_text())["case"]["ref"]
    assert [c["ref"] for c in run.json("case", "list")] == [ref]


def test_a_zip_without_zip_in_its_name_imports_as_a_zip_bundle(run, case, tmp_path):
    run("add", "Fictional: he waited outside", "--case", case, "--when", "03/03/2025 17:10")
    exported = tmp_path / "c1.zip"
    run("export", "--case", case, "--format", "zip", "-o", exported)
    renamed = tmp_path / "c1-bundle"
    exported.rename(renamed)
    other = ["--db", tmp_path / "other.db"]
    run(*other, "init")
    result = run(*other, "import", renamed)
    assert "Every file matched its SHA-256" in result.stderr and "Imported case C-1" in result.stderr


def test_a_bundles_dry_run_never_opens_the_case_file():
    done = interchange.import_file(FULL, never_opened, dry_run=True)
    assert (done.format, done.dry_run, done.problem) == ("json", True, None)
    assert done.result["case"] == done.case == json.loads(FULL.read_text())["case"]["ref"]
    assert done.result["incidents"] == len(json.loads(FULL.read_text())["incidents"])


def test_a_missing_file_or_a_folder_is_refused_before_anything_is_opened(tmp_path):
    with pytest.raises(BundleError, match="no such file"):
        interchange.import_file(tmp_path / "nope.json", never_opened)
    with pytest.raises(BundleError, match="is a folder"):
        interchange.import_file(tmp_path, never_opened)


def test_a_csv_diary_with_bad_rows_comes_back_previewed_with_its_problem_and_nothing_written(run, case, isolated):
    db = open_db(isolated / "stalklog.db")
    try:
        done = interchange.import_file(MIXED_CSV, lambda: db, case=case)
        assert done.format == "csv" and done.case == case
        assert isinstance(done.problem, InvalidValue)
        assert done.result["bad"] > 0 and done.result["written"] == []
        assert db.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0
        # the same file with the bad rows skipped writes the good ones
        done = interchange.import_file(MIXED_CSV, lambda: db, case=case, skip_bad=True)
        assert done.problem is None and len(done.result["written"]) == done.result["good"] > 0
    finally:
        db.close()


def test_month_first_dates_are_asked_for_only_for_a_csv_diary(run, case, isolated):
    asked = []
    db = open_db(isolated / "stalklog.db")
    try:
        interchange.import_file(FULL, lambda: db, us_dates=lambda: asked.append("json") or False, dry_run=True)
        interchange.import_file(GOOD_CSV, lambda: db, case=case, us_dates=lambda: asked.append("csv") or False)
    finally:
        db.close()
    assert asked == ["csv"]
