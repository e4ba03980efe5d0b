"""Zip bundles: the handover from victim to advocate to police, with proof nothing changed.

Every hash is checked before anything is written; a bundle with anything altered is refused,
naming what; the round trip keeps bundle.json and every exhibit byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile

import pytest

CLIP = b"\x00\x00\x00\x18ftypmp42 fictional doorbell clip " + bytes(range(256))
SHOT = b"\x89PNG\r\n\x1a\n fictional screenshot of messages"


@pytest.fixture
def victim_zip(run, case, tmp_path):
    """C-1 with two incidents, two exhibits (one a part of the other) and private notes,
    exported as a zip. Returns the zip's path."""
    run(
        "add",
        "He waited outside my work",
        "--case",
        case,
        "--when",
        "03/03/2025 17:10",
        "-b",
        "loitering",
        "--private-notes",
        "PRIVATE-REFLECTION",
    )
    run("add", "Twelve texts overnight", "--case", case, "--when", "05/03/2025 23:00", "-b", "contacting")
    (tmp_path / "doorbell.mp4").write_bytes(CLIP)
    (tmp_path / "texts screenshot.png").write_bytes(SHOT)
    run(
        "exhibit",
        "add",
        "1",
        tmp_path / "doorbell.mp4",
        "--producer",
        "Alex Doe",
        "--description",
        "Doorbell clip",
        "--how",
        "native export",
        "--obtained",
        "03/03/2025 19:00",
    )
    run("exhibit", "add", "2", tmp_path / "texts screenshot.png", "--part-of", "AD/1", "--by", "Alex Doe")
    out = tmp_path / "c1.zip"
    result = run("export", "--case", case, "--format", "zip", "-o", out)
    assert "private notes left out" in result.stderr
    return out


def other_file(tmp_path, name):
    """Run the next commands against another case file (the advocate's, the police's)."""
    return ["--db", tmp_path / name]


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(path, target, changes: dict[str, bytes | None], extra: dict[str, bytes] | None = None):
    """Write a copy of a zip with some members replaced (None: removed) or added."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = changes.get(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return target


def case_count(path) -> int:
    if not path.exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    finally:
        conn.close()


# ---------------------------------------------------------------- the zip


def test_zip_layout(victim_zip):
    files = members(victim_zip)
    assert sorted(files) == [
        "bundle.json",
        "exhibits/AD_1-doorbell.mp4",
        "exhibits/AD_1_1-texts_screenshot.png",
        "ledger.json",
        "manifest.json",
    ]
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "stalklog.zip-manifest" and manifest["version"] == 1
    for f in manifest["files"]:
        assert hashlib.sha256(files[f["path"]]).hexdigest() == f["sha256"]
        assert len(files[f["path"]]) == f["size"]
    assert files["exhibits/AD_1-doorbell.mp4"] == CLIP
    bundle = json.loads(files["bundle.json"])
    exhibit = bundle["incidents"][0]["exhibits"][0]
    assert exhibit["file"] == "exhibits/AD_1-doorbell.mp4"
    assert exhibit["sha256"] == hashlib.sha256(CLIP).hexdigest()
    assert [e["event"] for e in manifest["continuity"]["AD/1"]] == ["obtained", "added"]
    assert manifest["source_verified"] is True
    assert len(manifest["ledger_head"]["hash"]) == 64


def test_private_notes_left_out_unless_asked(run, victim_zip, tmp_path):
    assert b"PRIVATE-REFLECTION" not in b"".join(members(victim_zip).values())
    with_notes = tmp_path / "with.zip"
    run("export", "--case", "C-1", "--format", "zip", "-o", with_notes, "--include-private")
    files = members(with_notes)
    assert b"PRIVATE-REFLECTION" in files["bundle.json"]
    assert json.loads(files["manifest.json"])["private_notes_included"] is True


def test_export_needs_an_output(run, case):
    assert "--output" in run("export", "--case", case, "--format", "zip", code=1).stderr


def test_export_records_continuity_and_stays_intact(run, victim_zip):
    shown = run.json("exhibit", "show", "AD/1")
    assert shown["continuity"][-1]["event"] == "exported"
    assert "c1.zip" in shown["continuity"][-1]["detail"]
    assert run("verify").stdout.startswith("Intact")


def test_export_is_private_file(victim_zip):
    import os
    import stat

    assert stat.S_IMODE(os.stat(victim_zip).st_mode) == 0o600
    assert sorted(p.name for p in victim_zip.parent.glob(".c1.zip*")) == []


# ---------------------------------------------------------------- round trip


def test_round_trip_victim_advocate_police(run, victim_zip, tmp_path):
    advocate = other_file(tmp_path, "advocate.db")
    run(*advocate, "init")
    result = run(*advocate, "import", victim_zip)
    assert "Every file matched its SHA-256" in result.stderr
    second = tmp_path / "advocate.zip"
    run(*advocate, "export", "--case", "C-1", "--format", "zip", "-o", second)
    first_files, second_files = members(victim_zip), members(second)
    assert first_files["bundle.json"] == second_files["bundle.json"]
    for name in first_files:
        if name.startswith("exhibits/"):
            assert first_files[name] == second_files[name]
    police = other_file(tmp_path, "police.db")
    run(*police, "init")
    run(*police, "import", second)
    out = tmp_path / "officer-copy.mp4"
    run(*police, "exhibit", "export", "AD/1", "-o", out, "--by", "PC Jo Bloggs")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == hashlib.sha256(CLIP).hexdigest()
    # the continuity travelled: obtained and added by the victim, the exports and imports on the way
    events = [(e["event"], e["by"]) for e in run.json(*police, "exhibit", "show", "AD/1")["continuity"]]
    assert events[0] == ("obtained", "Alex Doe")
    assert events[1] == ("added", None)  # who added it was not given: not assumed to be the producer
    assert [e for e, _ in events].count("imported") == 2
    assert events[-1] == ("exported", "PC Jo Bloggs")
    for db in (advocate, police):
        assert run(*db, "verify").stdout.startswith("Intact")


def test_import_as_another_ref_and_dry_run(run, victim_zip, tmp_path):
    other = other_file(tmp_path, "other.db")
    run(*other, "init")
    dry = run.json(*other, "import", victim_zip, "--dry-run")
    assert dry["dry_run"] is True and dry["exhibit_files"] == 2
    assert case_count(tmp_path / "other.db") == 0
    data = run.json(*other, "import", victim_zip, "--as", "ADV-7")
    assert data["case"] == "ADV-7" and data["exhibit_files"] == 2
    assert run.json(*other, "exhibit", "show", "AD/1/1")["case"] == "ADV-7"
    # importing into the file it came from: the case exists
    assert "already in this case file" in run("import", victim_zip, code=1).stderr


def test_zip_export_is_repeatable(run, victim_zip, tmp_path):
    """The same case gives the same bundle.json and exhibit members (entries carry no clock time).
    (ledger.json grows: the first export's "exported" events are in the ledger by then.)"""
    again = tmp_path / "again.zip"
    run("export", "--case", "C-1", "--format", "zip", "-o", again)
    a, b = members(victim_zip), members(again)
    moving = ("manifest.json", "ledger.json")
    assert {k: v for k, v in a.items() if k not in moving} == {k: v for k, v in b.items() if k not in moving}


# ---------------------------------------------------------------- tampering


def refused(run, path, tmp_path, *expected):
    target = tmp_path / "receiver.db"
    run("--db", target, "init")
    result = run("--db", target, "import", path, code=1)
    for text in expected:
        assert text in result.stderr, result.stderr
    assert "Nothing from this bundle was written" in result.stderr
    assert case_count(target) == 0
    return result


def test_flipped_byte_in_exhibit_is_refused(run, victim_zip, tmp_path):
    raw = bytearray(victim_zip.read_bytes())
    # the clip is stored deflated; flip a byte in the middle of its compressed data
    with zipfile.ZipFile(victim_zip) as zf:
        info = zf.getinfo("exhibits/AD_1-doorbell.mp4")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0x01
    bad = tmp_path / "flipped.zip"
    bad.write_bytes(bytes(raw))
    refused(run, bad, tmp_path, "exhibits/AD_1-doorbell.mp4")


def test_altered_exhibit_is_refused_naming_it(run, victim_zip, tmp_path):
    bad = rezip(victim_zip, tmp_path / "altered.zip", {"exhibits/AD_1-doorbell.mp4": CLIP[:-1] + b"\x00"})
    refused(run, bad, tmp_path, "exhibits/AD_1-doorbell.mp4: SHA-256 does not match the manifest")


def test_altered_exhibit_with_forged_manifest_is_refused(run, victim_zip, tmp_path):
    """Updating the manifest too is not enough: bundle.json holds the exhibit's SHA-256."""
    files = members(victim_zip)
    forged = CLIP + b"extra"
    manifest = json.loads(files["manifest.json"])
    for f in manifest["files"]:
        if f["path"] == "exhibits/AD_1-doorbell.mp4":
            f["sha256"], f["size"] = hashlib.sha256(forged).hexdigest(), len(forged)
    bad = rezip(
        victim_zip,
        tmp_path / "forged.zip",
        {"exhibits/AD_1-doorbell.mp4": forged, "manifest.json": json.dumps(manifest).encode()},
    )
    refused(run, bad, tmp_path, "exhibits/AD_1-doorbell.mp4: SHA-256 does not match exhibit AD/1")


def test_altered_bundle_json_is_refused(run, victim_zip, tmp_path):
    files = members(victim_zip)
    changed = files["bundle.json"].replace(b"He waited outside my work", b"He waited outside my home")
    assert changed != files["bundle.json"]
    bad = rezip(victim_zip, tmp_path / "altered.zip", {"bundle.json": changed})
    refused(run, bad, tmp_path, "bundle.json: SHA-256 does not match the manifest")


@pytest.mark.parametrize(
    ("case_name", "expected"),
    [
        ("removed exhibit", "exhibits/AD_1-doorbell.mp4: in the manifest but missing"),
        ("extra file", "exhibits/extra.txt: in the zip but not in the manifest"),
        ("no manifest", "manifest.json: missing"),
        ("traversal", "climb out"),
        ("absolute", "climb out"),
    ],
)
def test_missing_extra_and_unsafe_names(run, victim_zip, tmp_path, case_name, expected):
    changes, extra = {}, {}
    if case_name == "removed exhibit":
        changes["exhibits/AD_1-doorbell.mp4"] = None
    elif case_name == "extra file":
        extra["exhibits/extra.txt"] = b"added later"
    elif case_name == "no manifest":
        changes["manifest.json"] = None
    elif case_name == "traversal":
        extra["exhibits/../../evil.sh"] = b"#!/bin/sh"
    elif case_name == "absolute":
        extra["/etc/evil"] = b"x"
    bad = rezip(victim_zip, tmp_path / "bad.zip", changes, extra)
    refused(run, bad, tmp_path, expected)


def test_duplicate_names_refused(run, victim_zip, tmp_path):
    import warnings

    bad = tmp_path / "dup.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the point
        rezip(victim_zip, bad, {}, {"exhibits/AD_1-doorbell.mp4": CLIP})
    refused(run, bad, tmp_path, "appears twice")


def test_zip_bomb_caps(victim_zip, tmp_path, monkeypatch):
    from stalklog.errors import BundleError
    from stalklog.interchange import zip_bundle as zipbundle

    with pytest.raises(BundleError, match="more than a bundle may hold"):
        zipbundle.read_zip(victim_zip, max_members=3)
    with pytest.raises(BundleError, match="unpack to more than"):
        zipbundle.read_zip(victim_zip, max_total=1000)
    # a small member that inflates to more than a bundle.json may be
    bomb = tmp_path / "bomb.zip"
    big = b"\x00" * (2 * 1024 * 1024)
    manifest = json.loads(members(victim_zip)["manifest.json"])
    manifest["files"] = [{"path": "bundle.json", "sha256": hashlib.sha256(big).hexdigest(), "size": len(big)}]
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bundle.json", big)
        zf.writestr("manifest.json", json.dumps(manifest))
    monkeypatch.setattr(zipbundle, "MAX_JSON_BYTES", 1024 * 1024)
    with pytest.raises(BundleError) as err:
        zipbundle.read_zip(bomb)
    assert str(err.value).startswith("bundle.json: larger than")
    assert bomb.stat().st_size < 100_000


def test_not_a_zip(run, case, tmp_path):
    bad = tmp_path / "bundle.zip"
    bad.write_bytes(b"this is not a zip")
    refused(run, bad, tmp_path, "not a zip file")


def test_sender_that_did_not_verify_is_flagged(run, victim_zip, tmp_path):
    conn = sqlite3.connect(tmp_path / "stalklog.db")
    conn.execute("UPDATE incidents SET summary = 'changed outside stalklog' WHERE id = 2")
    conn.commit()
    conn.close()
    again = tmp_path / "again.zip"
    assert "does not verify" in run("export", "--case", "C-1", "--format", "zip", "-o", again).stderr
    assert json.loads(members(again)["manifest.json"])["source_verified"] is False
    receiver = other_file(tmp_path, "r.db")
    run(*receiver, "init")
    assert "did not verify" in run(*receiver, "import", again).stderr


def test_every_flipped_byte_is_refused_or_harmless(victim_zip):
    """Flip bytes all over the zip: each copy is refused, or (a flip in zip metadata such as
    a timestamp) reads back with every member exactly as it was."""
    from stalklog.errors import BundleError
    from stalklog.interchange import zip_bundle as zipbundle

    original = victim_zip.read_bytes()
    with zipfile.ZipFile(victim_zip) as zf:
        expected = {i.filename: zf.read(i) for i in zf.infolist()}
    positions = sorted(set(range(0, len(original), 3)) | set(range(len(original) - 120, len(original))))
    refused = harmless = 0
    for pos in positions:
        raw = bytearray(original)
        raw[pos] ^= 0x20
        try:
            checked = zipbundle.read_zip(io.BytesIO(bytes(raw)))
        except BundleError:
            refused += 1
            continue
        # read back from the zip (the exhibit files and the incidents are read when asked for)
        assert dict(checked.exhibit_files) == {k: v for k, v in expected.items() if k.startswith("exhibits/")}, pos
        read = {**checked.bundle, "incidents": list(checked.bundle["incidents"])}
        assert (
            json.dumps(read, sort_keys=True).encode()
            == json.dumps(json.loads(expected["bundle.json"]), sort_keys=True).encode()
        ), pos
        harmless += 1
    assert refused > harmless  # almost every byte of the zip is content or structure


def test_round_trip_through_an_encrypted_case_file(run, victim_zip, tmp_path, monkeypatch):
    pytest.importorskip("sqlcipher3")
    monkeypatch.setenv("STALKLOG_PASSPHRASE", "fictional passphrase for tests")
    secret = other_file(tmp_path, "secret.db")
    run(*secret, "init", "--encrypt")
    run(*secret, "import", victim_zip)
    assert CLIP not in (tmp_path / "secret.db").read_bytes()
    again = tmp_path / "from-secret.zip"
    result = run(*secret, "export", "--case", "C-1", "--format", "zip", "-o", again)
    assert "not encrypted" in result.stderr
    assert members(again)["bundle.json"] == members(victim_zip)["bundle.json"]
    assert members(again)["exhibits/AD_1-doorbell.mp4"] == CLIP
    assert run(*secret, "verify").stdout.startswith("Intact")


def test_an_exhibit_imported_from_a_zip_keeps_its_original_name():
    from stalklog.interchange.exhibit_paths import exhibit_path, original_name

    for ref, name in [("AD/1", "doorbell.mp4"), ("AD/1/2", "AD_1_2-x.png"), ("JS/10", "screenshot 1.png")]:
        path = exhibit_path(ref, name)
        assert exhibit_path(ref, original_name(ref, path)) == path
    assert original_name("AD/1", "exhibits/AD_1-doorbell.mp4") == "doorbell.mp4"


# Continuity carried in an imported zip is someone else's text: a time that is not a
# date-time is refused at import, and ``exhibit show`` prints continuity literally.


def _altered_zip(run, case, tmp_path, at: str):
    run("add", "Fictional: he waited outside", "--case", case, "--when", "03/03/2025 17:10")
    (tmp_path / "clip.bin").write_bytes(b"fictional clip bytes")
    run(
        "exhibit",
        "add",
        "1",
        tmp_path / "clip.bin",
        "--producer",
        "Alex Doe",
        "--obtained",
        "03/03/2025 19:00",
        "--by",
        "[bold]Alex[/bold]",
    )
    first = tmp_path / "c1.zip"
    run("export", "--case", case, "--format", "zip", "-o", first)
    with zipfile.ZipFile(first) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = json.loads(files["manifest.json"])
    manifest["continuity"]["AD/1"][0]["at"] = at
    files["manifest.json"] = json.dumps(manifest).encode()
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(altered, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    other = ["--db", tmp_path / "other.db"]
    run(*other, "init")
    return other, altered


def test_continuity_time_that_is_not_a_date_time_is_refused(run, case, tmp_path):
    other, altered = _altered_zip(run, case, tmp_path, "[red]FORGED[/red]")
    result = run(*other, "import", altered, code=1)
    assert "continuity[AD/1][0].at: expected a date-time" in result.stderr
    assert run.json(*other, "case", "list") == []


def test_continuity_from_a_zip_is_shown_literally(run, case, tmp_path):
    other, altered = _altered_zip(run, case, tmp_path, "2025-03-03")  # a day only: allowed
    run(*other, "import", altered)
    shown = run(*other, "exhibit", "show", "AD/1").stdout
    assert "[bold]Alex[/bold]" in shown and "Mon 3 Mar 2025" in shown  # a day, as people read it
