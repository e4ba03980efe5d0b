"""The zip bundle: a case bundle with its exhibit files and a manifest of their hashes.

Layout::

    bundle.json                    the case bundle (docs/bundle.md); each exhibit's ``file``
                                   is its path inside the zip, or null for a reference only
    exhibits/AD_1-doorbell.mp4     one file per exhibit held: the reference with ``/`` as ``_``,
                                   a dash, the original name made safe
    manifest.json                  {format, version, case, created_utc, ledger_head,
                                    source_verified, private_notes_included,
                                    files: [{path, sha256, size, exhibit?}], continuity}

Reading checks everything before anything is written: the names (no paths that climb out,
no duplicates, no files missing or extra), the sizes (a cap on members and on the total, so a
zip bomb is refused), each file's SHA-256 against the manifest and each exhibit's against the
bundle. docs/integrity.md describes it for anyone checking a bundle without stalklog.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from stalklog import evidence, records
from stalklog.clock import utc_now_iso
from stalklog.errors import BundleError
from stalklog.interchange import json_bundle as bundle
from stalklog.interchange.exhibit_paths import exhibit_path
from stalklog.interchange.json_stream import IncidentStream
from stalklog.store import ledger
from stalklog.store.database import Database
from stalklog.store.private_files import private_file

MANIFEST_FORMAT = "stalklog.zip-manifest"
MANIFEST_VERSION = 1
BUNDLE_NAME = "bundle.json"
MANIFEST_NAME = "manifest.json"
MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_JSON_BYTES = 200 * 1024 * 1024
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries carry no clock time: the same case gives the same zip
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_NOTHING = "Nothing from this bundle was written."
CARRIED = evidence.CARRIED


def _refuse(text: str) -> BundleError:
    return BundleError(text, hint=_NOTHING)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- writing


def write_zip(
    db: Database, case_ref: str, output: Path, *, include_private: bool = False, by: str | None = None
) -> dict:
    """Write a case as a zip bundle and record an ``exported`` event for every exhibit file.

    The zip is written to a temporary file beside ``output`` and renamed into place inside
    the same transaction as the events. Returns a summary (case, incidents, exhibit files,
    ledger head, manifest SHA-256, whether the case file verified).
    """
    case = records.get_case(db, case_ref)
    report = ledger.verify(db, case["id"])
    head = ledger.head(db)
    data = bundle.export_bundle(db, case_ref, include_private=include_private)
    rows = {
        ref: (eid, digest, size, has)
        for eid, ref, digest, size, has in db.execute(
            "SELECT id, ref, sha256, size, content IS NOT NULL FROM exhibits WHERE case_id = ?", [case["id"]]
        )
    }
    held: list[tuple[str, int, str]] = []  # (ref, exhibit id, path)
    for inc in data["incidents"]:
        for e in inc["exhibits"]:
            eid, _digest, _size, has = rows[e["ref"]]
            if has:
                e["file"] = exhibit_path(e["ref"], e["file"])
                held.append((e["ref"], eid, e["file"]))
            else:
                e["file"] = None
    bundle_bytes = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    from stalklog.interchange import zip_ledger

    # The ledger entries and records of the case, so the receiver recomputes the head from the content
    ledger_bytes = zip_ledger.build(db, case["id"], head, include_private=include_private)
    files = [
        {"path": BUNDLE_NAME, "sha256": sha256(bundle_bytes), "size": len(bundle_bytes)},
        {"path": zip_ledger.NAME, "sha256": sha256(ledger_bytes), "size": len(ledger_bytes)},
    ]
    continuity = {}
    output = Path(output)
    # The zip appears under its name only once it is complete and its "exported" events are
    # in the ledger; until then it is a hidden temporary file (files.private_file).
    with private_file(output) as raw:
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            _put(zf, BUNDLE_NAME, bundle_bytes)
            _put(zf, zip_ledger.NAME, ledger_bytes)
            for ref, eid, path in held:
                content = evidence.content(db, {"id": eid, "ref": ref})
                _put(zf, path, content)
                files.append({"path": path, "sha256": sha256(content), "size": len(content), "exhibit": ref})
                continuity[ref] = evidence.events(db, eid)
            manifest = {
                "format": MANIFEST_FORMAT,
                "version": MANIFEST_VERSION,
                "case": case_ref,
                "created_utc": utc_now_iso(),
                "generator": _generator(),
                "ledger_head": {"seq": head["seq"], "hash": head["hash"]}
                if head
                else {"seq": 0, "hash": ledger.GENESIS},
                "source_verified": report.ok,
                "private_notes_included": include_private,
                "files": files,
                "continuity": continuity,
            }
            manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
            _put(zf, MANIFEST_NAME, manifest_bytes)
        from stalklog.store.database import transaction

        with transaction(db):
            appender = ledger.Appender(db)
            for _ref, eid, _path in held:
                evidence.record_event(
                    db,
                    eid,
                    case["id"],
                    "exported",
                    by=by,
                    at=appender.at,
                    detail=f"in zip bundle {output.name}",
                    appender=appender,
                )
            appender.flush()
    return {
        "case": case_ref,
        "output": str(output),
        "incidents": len(data["incidents"]),
        "exhibit_files": len(held),
        "ledger_head": manifest["ledger_head"],
        "manifest_sha256": sha256(manifest_bytes),
        "source_verified": report.ok,
        "source_problems": [p.text for p in report.problems],
        "private_notes_included": include_private,
    }


def _put(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    zf.writestr(info, data)


def _generator() -> str:
    from stalklog import __version__

    return f"stalklog {__version__}"


# ---------------------------------------------------------------- reading


@dataclass
class Checked:
    """A zip bundle whose every hash has been checked; nothing written yet."""

    bundle: dict
    manifest: dict
    exhibit_files: Mapping[str, bytes]  # read from the zip when asked for
    manifest_sha256: str
    warnings: list[str] = field(default_factory=list)
    ledger: dict | None = None  # the carried ledger, checked: {head, records_checked, withheld}


def _safe_member(name: str) -> None:
    bad = (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in name.split("/")
        or re.match(r"^[A-Za-z]:", name)
        or "\x00" in name
        or any(part in ("", ".") for part in name.rstrip("/").split("/"))
    )
    if bad:
        raise _refuse(
            f"{name!r}: a file name that could climb out of the bundle's folder; this is not a bundle stalklog wrote."
        )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    return b"".join(_member_chunks(zf, info, limit))


def _member_sha256(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> str:
    """The member's SHA-256, read a chunk at a time (nothing of it kept)."""
    digest = hashlib.sha256()
    for chunk in _member_chunks(zf, info, limit):
        digest.update(chunk)
    return digest.hexdigest()


def _member_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int):
    """The member's bytes a megabyte at a time, refused if it is damaged, larger than
    ``limit`` or not the size the zip's directory gives."""
    size = 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise _refuse(f"{info.filename}: larger than it says, or than a bundle may hold; refused.")
                yield chunk
    except zipfile.BadZipFile as e:
        if "CRC" in str(e):
            raise _refuse(f"{info.filename}: altered or damaged (its bytes fail the zip's CRC check).") from None
        raise _refuse(f"{info.filename}: damaged ({e}).") from None
    except BundleError:
        raise
    except Exception as e:  # noqa: BLE001 - zipfile raises many kinds (zlib.error, ValueError, EOFError…) on damage
        raise _refuse(f"{info.filename}: altered or damaged ({type(e).__name__}: {e}).") from None
    if size != info.file_size:
        raise _refuse(f"{info.filename}: its size does not match the zip's directory; altered or damaged.")


def _reopen(source, name: str) -> zipfile.ZipFile:
    """The checked zip, opened again to read ``name`` from it."""
    try:
        return zipfile.ZipFile(source)
    except Exception as e:  # noqa: BLE001 - a zip replaced since its check: anything can go wrong
        raise _refuse(f"{name}: the zip changed while it was read ({type(e).__name__}).") from None


class _ZipFiles(Mapping):
    """The exhibit files of a checked zip bundle, each read from the zip when it is asked
    for (and its SHA-256 checked again), so they are never all in memory at once."""

    def __init__(self, source, infos: dict[str, zipfile.ZipInfo], digests: dict[str, str]):
        self.source, self.infos, self.digests = source, infos, digests

    def __getitem__(self, name: str) -> bytes:
        info = self.infos[name]
        with _reopen(self.source, name) as zf:
            data = _read_member(zf, info, evidence.MAX_EXHIBIT_BYTES)
        if sha256(data) != self.digests[name]:
            raise _refuse(f"{name}: SHA-256 does not match the manifest (the zip changed while it was read).")
        return data

    def __iter__(self):
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)


class _HashedRaw(io.RawIOBase):
    """A zip member's bytes, hashed as they are read."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo):
        self.name = info.filename
        self.f = zf.open(info)
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        try:
            data = self.f.read(len(b))
        except Exception as e:  # noqa: BLE001 - zipfile raises many kinds on damage
            raise _refuse(f"{self.name}: altered or damaged while it was read ({type(e).__name__}).") from None
        self.digest.update(data)
        b[: len(data)] = data
        return len(data)


class _MemberText:
    """``bundle.json`` of a checked zip as a text file, opened again for each pass of the
    streamed reading; a pass that reads to the end checks the SHA-256 once more, so what
    is imported is what was checked, even if the zip were changed in between."""

    def __init__(self, source, info: zipfile.ZipInfo, digest: str):
        self.zf = _reopen(source, info.filename)
        try:
            self.raw = _HashedRaw(self.zf, info)
        except Exception as e:  # noqa: BLE001 - zipfile raises many kinds on damage
            self.zf.close()
            raise _refuse(f"{info.filename}: altered or damaged while it was read ({type(e).__name__}).") from None
        self.text = io.TextIOWrapper(io.BufferedReader(self.raw), encoding="utf-8")
        self.expected = digest

    def read(self, size: int = -1) -> str:
        return self.text.read(size)

    def __enter__(self):
        return self

    def __exit__(self, kind, *_):
        try:
            if kind is None:
                while self.raw.readinto(bytearray(1024 * 1024)):
                    pass
                if self.raw.digest.hexdigest() != self.expected:
                    raise _refuse(
                        f"{self.raw.name}: SHA-256 does not match the manifest (the zip changed while it was read)."
                    )
        finally:
            self.zf.close()
        return False


def read_zip(
    path, *, max_total: int | None = None, max_members: int | None = None, expect_manifest: str | None = None
) -> Checked:
    """Open a zip bundle and check every name, size and hash. Raises ``BundleError`` naming
    the first problem; writes nothing. With ``expect_manifest`` (the SHA-256 the sender's
    export printed, passed on another channel) any other manifest is refused first."""
    max_total = MAX_TOTAL_BYTES if max_total is None else max_total
    max_members = MAX_MEMBERS if max_members is None else max_members
    if not hasattr(path, "read"):  # a path; a file-like object (bytes in memory) is read as it is
        path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise _refuse(f"{path} is not a zip file, or it is damaged.") from None
    except OSError as e:
        raise _refuse(f"{path}: cannot be read ({e.strerror or e}).") from None
    except Exception as e:  # noqa: BLE001 - a damaged directory can raise ValueError, struct.error…
        raise _refuse(f"{path} is not a zip file, or it is damaged ({type(e).__name__}).") from None
    with zf:
        try:
            infos = zf.infolist()
        except (zipfile.BadZipFile, ValueError) as e:  # pragma: no cover - caught on open
            raise _refuse(f"{path}: damaged ({e}).") from None
        members = _check_names(infos, max_members, max_total)
        if MANIFEST_NAME not in members:
            raise _refuse(f"{MANIFEST_NAME}: missing; this is not a stalklog zip bundle (or it was repacked).")
        if BUNDLE_NAME not in members:
            raise _refuse(f"{BUNDLE_NAME}: missing from the zip.")
        manifest_bytes = _read_member(zf, members[MANIFEST_NAME], MAX_JSON_BYTES)
        if expect_manifest is not None and sha256(manifest_bytes) != expect_manifest.strip().lower():
            raise _refuse(
                f"This bundle's manifest SHA-256 is {sha256(manifest_bytes)}, not the {expect_manifest.strip()} "
                "you expected: it is not the bundle the sender made, or it was changed on the way."
            )
        manifest = _parse_manifest(manifest_bytes)
        listed = {f["path"]: f for f in manifest["files"]}
        for name in members:
            if name != MANIFEST_NAME and name not in listed:
                raise _refuse(f"{name}: in the zip but not in the manifest (a file was added).")
        for name in listed:
            if name not in members:
                raise _refuse(f"{name}: in the manifest but missing from the zip (a file was removed).")
        from stalklog.interchange import zip_ledger

        digests: dict[str, str] = {}  # every member hashed a chunk at a time, none kept in memory
        for name, entry in listed.items():
            info = members[name]
            if info.file_size != entry["size"]:
                raise _refuse(
                    f"{name}: its size ({info.file_size} bytes) does not match the manifest ({entry['size']} bytes)."
                )
            limit = MAX_JSON_BYTES if name == BUNDLE_NAME else evidence.MAX_EXHIBIT_BYTES
            digests[name] = _member_sha256(zf, info, limit)
            if digests[name] != entry["sha256"]:
                raise _refuse(f"{name}: SHA-256 does not match the manifest.")
    source = path
    bundle_info, bundle_digest = members[BUNDLE_NAME], digests.pop(BUNDLE_NAME)

    def whole() -> str:  # only to name a JSON error in the json module's words
        with zipfile.ZipFile(source) as zf:
            return _text(_read_member(zf, bundle_info, MAX_JSON_BYTES), BUNDLE_NAME)

    data = bundle.stream_bundle(
        lambda: _MemberText(source, bundle_info, bundle_digest),
        whole,
        BUNDLE_NAME,
        lambda: _refuse(f"{BUNDLE_NAME}: not UTF-8 text."),
    )
    checked_ledger = None
    if zip_ledger.NAME in digests:  # the carried ledger, read a piece at a time (and its SHA-256 again)
        ledger_info, ledger_digest = members[zip_ledger.NAME], digests.pop(zip_ledger.NAME)
        checked_ledger = zip_ledger.check(lambda: _MemberText(source, ledger_info, ledger_digest), manifest, data)
    wanted = _match_exhibits(data, digests, listed)
    return Checked(
        bundle=data,
        manifest=manifest,
        exhibit_files=_ZipFiles(source, {name: members[name] for name in wanted}, digests),
        manifest_sha256=sha256(manifest_bytes),
        warnings=(
            []
            if manifest.get("source_verified", True)
            else ["the sender's case file did not verify when this bundle was made (see their stalklog verify)"]
        )
        + (
            []
            if checked_ledger is not None
            else [
                "this bundle carries no ledger entries (an older stalklog made it): the sender's ledger head "
                "in its manifest is only what the bundle says of itself"
            ]
        )
        + (
            [
                f"{checked_ledger['unmatched']} record(s) in this bundle do not match the sender's ledger entries "
                "(their case file did not verify when the bundle was made)"
            ]
            if checked_ledger and checked_ledger["unmatched"]
            else []
        ),
        ledger=checked_ledger,
    )


def _check_names(infos: list[zipfile.ZipInfo], max_members: int, max_total: int) -> dict[str, zipfile.ZipInfo]:
    if len(infos) > max_members:
        raise _refuse(f"the zip has {len(infos)} entries, more than a bundle may hold ({max_members}).")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        _safe_member(name)
        if info.is_dir():
            if info.file_size:
                raise _refuse(f"{name}: a folder entry with content.")
            continue
        if name in members:
            raise _refuse(f"{name}: appears twice in the zip.")
        if info.flag_bits & 0x1:
            raise _refuse(f"{name}: encrypted inside the zip; stalklog bundles are not.")
        total += info.file_size
        if total > max_total:
            raise _refuse(
                f"the zip would unpack to more than {max_total // (1024 * 1024)} MB; refused "
                "(a bundle this large is more likely a zip bomb than a case)."
            )
        members[name] = info
    return members


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(f"{name}: not UTF-8 text.") from None


def _parse_manifest(data: bytes) -> dict:
    manifest = bundle.load_json(_text(data, MANIFEST_NAME), MANIFEST_NAME)
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise _refuse(f'{MANIFEST_NAME}: not a stalklog manifest (expected format "{MANIFEST_FORMAT}").')
    if manifest.get("version") != MANIFEST_VERSION or isinstance(manifest.get("version"), bool):
        raise _refuse(
            f"{MANIFEST_NAME}: version {json.dumps(manifest.get('version'))[:20]} is not one this "
            "stalklog reads (a newer stalklog may have written it)."
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        raise _refuse(f"{MANIFEST_NAME}: files: expected a list of files and their SHA-256.")
    seen = set()
    for i, f in enumerate(files):
        where = f"{MANIFEST_NAME}: files[{i}]"
        if not isinstance(f, dict) or not isinstance(f.get("path"), str):
            raise _refuse(f"{where}: expected {{path, sha256, size}}.")
        _safe_member(f["path"])
        if f["path"] in seen or f["path"] == MANIFEST_NAME:
            raise _refuse(f"{where}: {f['path']} is listed twice.")
        seen.add(f["path"])
        if not isinstance(f.get("sha256"), str) or not _SHA_RE.match(f["sha256"]):
            raise _refuse(f"{where}.sha256: expected 64 lowercase hex digits.")
        if not isinstance(f.get("size"), int) or isinstance(f.get("size"), bool) or f["size"] < 0:
            raise _refuse(f"{where}.size: expected a number of bytes.")
    head = manifest.get("ledger_head")
    if not (isinstance(head, dict) and isinstance(head.get("hash"), str) and _SHA_RE.match(head["hash"])):
        raise _refuse(f"{MANIFEST_NAME}: ledger_head: expected {{seq, hash}}.")
    _check_continuity(manifest.get("continuity") or {})
    return manifest


def _check_continuity(continuity) -> None:
    if not isinstance(continuity, dict):
        raise _refuse(f"{MANIFEST_NAME}: continuity: expected an object keyed by exhibit reference.")
    for ref, evs in continuity.items():
        if not isinstance(evs, list) or len(evs) > 10_000:
            raise _refuse(f"{MANIFEST_NAME}: continuity[{ref}]: expected a list of events.")
        for j, ev in enumerate(evs):
            where = f"{MANIFEST_NAME}: continuity[{ref}][{j}]"
            if not isinstance(ev, dict) or ev.get("event") not in evidence.EVENTS:
                raise _refuse(f"{where}.event: expected one of {', '.join(evidence.EVENTS)}.")
            if not _is_moment(ev.get("at")):
                raise _refuse(f"{where}.at: expected a date-time.")
            for k in ("by", "detail"):
                if ev.get(k) is not None and not isinstance(ev[k], str):
                    raise _refuse(f"{where}.{k}: expected text.")


def _is_moment(value) -> bool:
    """An ISO date or date-time, as continuity events are stored (``obtained`` may be a day)."""
    import datetime as dt

    try:
        return isinstance(value, str) and bool(dt.datetime.fromisoformat(value))
    except ValueError:
        return False


def _match_exhibits(data, digests: dict[str, str], listed: dict) -> list[str]:
    """Every exhibit file in the zip belongs to exactly one exhibit of the bundle, and its
    bytes match that exhibit's SHA-256 (``digests``: each file's, as read). Returns their names."""
    wanted: dict[str, dict] = {}
    incidents = data.get("incidents") if isinstance(data, dict) else None
    for i, inc in enumerate(incidents if isinstance(incidents, list | IncidentStream) else []):
        exhibits = inc.get("exhibits") if isinstance(inc, dict) else None
        for j, e in enumerate(exhibits if isinstance(exhibits, list) else []):
            if not isinstance(e, dict) or not e.get("file"):
                continue
            where = f"{BUNDLE_NAME}: incidents[{i}].exhibits[{j}]"
            name = e["file"]
            if not isinstance(name, str):
                raise _refuse(f"{where}.file: expected a path inside the zip.")
            if name in wanted:
                raise _refuse(f"{where}.file: {name} belongs to two exhibits.")
            if name not in digests:
                raise _refuse(f"{where}.file: {name} is not in the zip (an exhibit's file is missing).")
            if e.get("sha256") != digests[name]:
                raise _refuse(f"{name}: SHA-256 does not match exhibit {e.get('ref')} in {BUNDLE_NAME}.")
            if listed[name].get("exhibit") not in (None, e.get("ref")):
                raise _refuse(
                    f"{name}: the manifest says it is exhibit {listed[name]['exhibit']}, "
                    f"{BUNDLE_NAME} says {e.get('ref')}."
                )
            wanted[name] = e
    for name in digests:
        if name not in wanted:
            raise _refuse(f"{name}: in the zip but no exhibit in {BUNDLE_NAME} refers to it.")
    return list(wanted)


# ---------------------------------------------------------------- importing


def import_checked(db: Database, checked: Checked, *, as_ref: str | None = None) -> dict:
    """Write a checked zip bundle as a new case, with the continuity it carried. The caller
    holds the transaction: a failure writes nothing."""
    result = bundle.import_bundle(db, checked.bundle, as_ref=as_ref, exhibit_files=checked.exhibit_files)
    case = records.get_case(db, result["case"])
    carried = checked.manifest.get("continuity") or {}
    appender = ledger.Appender(db)
    for ref, evs in carried.items():
        row = db.execute("SELECT id FROM exhibits WHERE case_id = ? AND ref = ?", [case["id"], ref]).fetchone()
        if row is None:
            raise _refuse(f"{MANIFEST_NAME}: continuity names exhibit {ref}, which is not in {BUNDLE_NAME}.")
        for ev in evs:
            detail = ev.get("detail") or ""
            if not detail.endswith(CARRIED):
                detail = (detail + " " + CARRIED).strip()
            evidence.record_event(
                db,
                row[0],
                case["id"],
                ev["event"],
                by=ev.get("by"),
                at=ev["at"],
                detail=detail,
                action="import",
                appender=appender,
            )
    appender.flush()
    head = checked.manifest["ledger_head"]
    return {
        **result,
        "exhibit_files": len(checked.exhibit_files),
        "sender_ledger_head": head,
        "ledger_head_checked": checked.ledger is not None,
        "records_checked_against_ledger": checked.ledger["records_checked"] if checked.ledger else 0,
        "manifest_sha256": checked.manifest_sha256,
        "source_verified": checked.manifest.get("source_verified"),
    }
