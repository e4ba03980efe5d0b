"""Continuity carried in an imported zip is someone else's text: a time that is not a
date-time is refused at import, and ``exhibit show`` prints continuity literally."""

from __future__ import annotations

import json
import zipfile


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
    assert "[bold]Alex[/bold]" in shown and "2025-03-03" in shown
