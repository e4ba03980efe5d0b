"""The interchange formats: the case bundle (``json_bundle``), the zip bundle of a case with
its exhibit files and a manifest (``zip_bundle``), and the spreadsheet diary (``csv_diary``).

``import_file`` reads a file in any of them: it chooses the format by the file's content,
checks everything, and writes it in one transaction (or, on a dry run, only checks and
previews it). It returns what happened; the CLI renders it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from stalklog.errors import BundleError, StalklogError

if TYPE_CHECKING:
    from stalklog.store.database import Database

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or an empty zip's end
SNIFF_BYTES = 64 * 1024
_WHITE = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


def sniff(head: bytes, name: str = "") -> str:
    """The format of a file that starts with ``head``: ``"zip"`` (a zip's signature),
    ``"json"`` (the first character that is not white space is ``{`` or ``[``) or ``"csv"``.
    Content that is neither zip nor JSON goes by the name when it ends in .json or .zip (so a
    damaged bundle is refused as the bundle it was meant to be), else it is read as CSV."""
    if head.startswith(ZIP_SIGNATURES):
        return "zip"
    text = head.removeprefix(_BOM).lstrip(_WHITE)
    if text[:1] in (b"{", b"["):
        return "json"
    suffix = Path(name).suffix.lower()
    if suffix in (".json", ".zip"):
        return suffix[1:]
    return "csv"


@dataclass
class Imported:
    """What ``import_file`` did, or on a dry run would do."""

    format: str  # "json", "zip" or "csv"
    dry_run: bool
    result: dict  # the summary (``stalklog import --json`` prints it)
    case: str  # the case imported, or (CSV) the case the rows go into
    problem: StalklogError | None = None  # CSV: the rows were previewed but none written


def import_file(
    path: Path,
    open_case_file: Callable[[], Database],
    *,
    as_ref: str | None = None,
    case: str | None = None,
    mapping: str | None = None,
    us_dates: Callable[[], bool] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    expect_manifest: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Imported:
    """Import a case bundle (JSON), a zip bundle or a CSV diary, chosen by content (``sniff``).

    A bundle becomes a new case (``as_ref`` renames it); a CSV diary's rows go into ``case``
    (or the only open case), read with ``mapping`` (field=Column,…) and, when ``us_dates()``
    says so, month-first dates. Everything is checked before anything is written, and all is
    written in one transaction or nothing is. ``open_case_file`` is called only when the case
    file is needed (a bundle's dry run never opens it). A CSV diary with bad rows is not
    refused by an exception: ``problem`` carries the error, so its preview can be shown first.
    ``progress`` is told of the incidents of a JSON bundle as they are written.
    """
    path = Path(path)
    if not path.exists():
        raise BundleError(f"{path}: no such file.")
    if path.is_dir():
        raise BundleError(f"{path} is a folder, not a bundle.")
    with path.open("rb") as f:
        kind = sniff(f.read(SNIFF_BYTES), path.name)
    if expect_manifest is not None and kind != "zip":
        raise BundleError(
            f"{path} is not a zip bundle: only a zip bundle has a manifest to check (--expect-manifest).",
            hint="Nothing was written.",
        )
    if kind == "csv":
        return _import_csv(
            path,
            open_case_file(),
            case=case,
            mapping=mapping,
            us_dates=bool(us_dates and us_dates()),
            dry_run=dry_run,
            skip_bad=skip_bad,
        )
    if kind == "zip":
        return _import_zip(path, open_case_file, as_ref=as_ref, dry_run=dry_run, expect_manifest=expect_manifest)
    return _import_json(path, open_case_file, as_ref=as_ref, dry_run=dry_run, progress=progress)


def _import_json(
    path: Path,
    open_case_file: Callable[[], Database],
    *,
    as_ref: str | None,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> Imported:
    import gc

    from stalklog.interchange import json_bundle
    from stalklog.store.database import transaction

    # A parsed bundle is a tree of a great many small dicts and lists with no cycles: the
    # cyclic garbage collector would walk all of them again and again while they are
    # made (it tripled the time of a 100,000-incident import). Reference counting frees
    # everything here; the collector is back on before the result is returned.
    result: dict
    collecting = gc.isenabled()
    gc.disable()
    try:
        if dry_run:
            # Read a piece at a time: the head now, each incident as it is checked
            data = json_bundle.read_bundle(path)
            warnings = json_bundle.check(data)
            result = {
                "case": as_ref or data["case"]["ref"],
                "incidents": len(data["incidents"]),
                "dry_run": True,
                "warnings": warnings,
            }
        else:
            try:
                db = open_case_file()
            except StalklogError:
                json_bundle.read_bundle(path)  # a bad bundle says so first, as it always has
                raise
            with transaction(db):
                result = _import_json_into(db, path, as_ref, progress)
    finally:
        if collecting:
            gc.enable()
    return Imported("json", dry_run, result, result["case"])


def _import_json_into(db: Database, path: Path, as_ref: str | None, progress: Callable[[int], None] | None) -> dict:
    """Import the bundle file into ``db`` (inside the caller's transaction): in one reading
    when it can (``one_pass``), else, or on any doubt, the careful way (read once to check
    all of it, then again to write), which says what is wrong in its own words."""
    from stalklog.interchange import json_bundle, one_pass
    from stalklog.store.database import transaction

    told = 0

    def told_once(n: int) -> None:
        nonlocal told
        told += n
        if progress is not None:
            progress(n)

    try:
        with transaction(db):  # a savepoint: whatever one pass wrote goes if it stops
            return one_pass.import_in_one_pass(
                db, lambda: open(path, encoding="utf-8"), as_ref=as_ref, progress=told_once
            )
    except Exception:  # noqa: BLE001, S110 - not for one pass: the careful way decides and says why
        pass

    def not_told_before(n: int) -> None:  # the progress shown already is not shown twice
        nonlocal told
        if progress is not None and n > told:
            progress(n - told)
        told = max(0, told - n)

    data = json_bundle.read_bundle(path)  # a piece at a time: the head now, each incident as it is written
    return json_bundle.import_bundle(db, data, as_ref=as_ref, progress=not_told_before)


def _import_zip(
    path: Path,
    open_case_file: Callable[[], Database],
    *,
    as_ref: str | None,
    dry_run: bool,
    expect_manifest: str | None = None,
) -> Imported:
    """Every hash is checked before anything is written (zip_bundle.read_zip); with
    ``expect_manifest``, any manifest but that one is refused first."""
    from stalklog.interchange import json_bundle, zip_bundle
    from stalklog.store.database import transaction

    checked = zip_bundle.read_zip(path, expect_manifest=expect_manifest)
    if dry_run:
        warnings = json_bundle.check(checked.bundle)  # one incident at a time
        result = {
            "case": as_ref or checked.bundle["case"]["ref"],
            "incidents": len(checked.bundle["incidents"]),
            "dry_run": True,
            "exhibit_files": len(checked.exhibit_files),
            "sender_ledger_head": checked.manifest["ledger_head"],
            "ledger_head_checked": checked.ledger is not None,
            "records_checked_against_ledger": checked.ledger["records_checked"] if checked.ledger else 0,
            "manifest_sha256": checked.manifest_sha256,
            "warnings": warnings,
        }
    else:
        db = open_case_file()
        with transaction(db):
            result = zip_bundle.import_checked(db, checked, as_ref=as_ref)
    result["warnings"] = checked.warnings + result.get("warnings", [])
    result["manifest_confirmed"] = expect_manifest is not None
    return Imported("zip", dry_run, result, result["case"])


def _import_csv(
    path: Path,
    db: Database,
    *,
    case: str | None,
    mapping: str | None,
    us_dates: bool,
    dry_run: bool,
    skip_bad: bool,
) -> Imported:
    """Preview every row, then write all or none (or, with ``skip_bad``, only the good ones)."""
    from stalklog import records
    from stalklog.errors import InvalidValue
    from stalklog.interchange import csv_diary
    from stalklog.store.database import transaction

    case_ref = records.resolve_case(db, case)
    preview = csv_diary.prepare(
        db, case_ref, path.read_bytes(), mapping=mapping, us_dates=us_dates, file_name=path.name
    )
    written: list[dict] = []
    problem = None
    if not dry_run:
        try:
            with transaction(db):
                written = csv_diary.write(db, case_ref, preview, skip_bad=skip_bad)
        except InvalidValue as e:
            problem = e
    elif preview["bad"] and not skip_bad:
        problem = InvalidValue(
            f"{preview['bad']} row{'s' if preview['bad'] != 1 else ''} cannot be read; "
            "an import now would write nothing.",
            hint="Correct them in the spreadsheet, or add --skip-bad to import only the good rows.",
        )
    return Imported("csv", dry_run, {**preview, "dry_run": dry_run, "written": written}, case_ref, problem)
