"""``stalklog order …`` through the CLI: recording orders and their history, what the check
says about them, the ledger, and the case bundle (orders-v1). All people fictional."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest


def count(db, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    finally:
        conn.close()


def ledger_count(db) -> int:
    return count(db, "ledger")


@pytest.fixture
def db(isolated):
    return isolated / "stalklog.db"


@pytest.fixture
def spo(run, case):
    """C-1 with a stalking protection order O1 against P protecting V, 2 Jan – 1 Mar 2025."""
    run(
        "order",
        "add",
        "--case",
        case,
        "--kind",
        "spo",
        "--against",
        "P",
        "--protects",
        "V",
        "--made",
        "02/01/2025",
        "--expires",
        "01/03/2025",
        "--condition",
        "must not contact V by any means",
        "--condition",
        "must not enter Mill Road",
        "--court",
        "Cambridge Magistrates' Court",
        "--reference",
        "SPO/2025/114",
    )
    return case


def test_SPA_2019_s8_done_when_victim_with_spo_three_incidents_exported_zip_verifies(run, spo, tmp_path):
    """The issue's 'done when': one incident before the order, one while in force, one after it
    expired; check lists exactly the middle one under SPA 2019 s.8 with no time limit; the zip
    carries the order and verifies on import."""
    for when, words in (
        ("20/12/2024 10:00", "He texted me before the order"),
        ("10/02/2025 10:00", "He texted me while the order was in force"),
        ("05/03/2025 10:00", "He texted me after the order ended"),
    ):
        run("add", words, "--case", spo, "--when", when, "-b", "contacting", "--channel", "text_message")
    doc = run.json("check", "--case", spo)
    assert [(b["order"], b["incident"], b["offence"]) for b in doc["possible_breaches"]] == [("O1", "I2", "spa-s8")]
    [breach] = doc["possible_breaches"]
    assert breach["time_limit"]["applies"] is False and breach["time_limit"]["status"] == "none"
    assert breach["conditions"] == ["must not contact V by any means", "must not enter Mill Road"]
    assert "Stalking Protection Act 2019 s.8" in breach["cite"]
    assert doc["orders"][0]["in_force"] is False  # it expired on 1 Mar 2025; today is 12 Mar 2025

    out = tmp_path / "handover.zip"
    run("export", "--case", spo, "--format", "zip", "-o", out)
    with zipfile.ZipFile(out) as zf:
        carried = json.loads(zf.read("bundle.json"))["orders"]
    assert [o["key"] for o in carried] == ["O1"] and carried[0]["reference"] == "SPO/2025/114"
    police = ["--db", tmp_path / "police.db"]
    run(*police, "init")
    result = run(*police, "import", out)
    assert "Every file matched" in result.stderr or result.exit_code == 0
    assert run(*police, "verify").stdout.startswith("Intact")
    again = run.json(*police, "check", "--case", spo)
    assert [(b["order"], b["incident"]) for b in again["possible_breaches"]] == [("O1", "I2")]


def test_order_add_echoes_dates_and_list_show(run, spo):
    result = run("order", "add", "--case", spo, "--kind", "restraining-order", "--made", "03/03/2025")
    assert "made 3 Mar 2025" in result.stderr and "until further order" in result.stderr
    listed = run.json("order", "list", "--case", spo)
    assert [(o["key"], o["kind"], o["in_force"]) for o in listed] == [
        ("O1", "spo", False),
        ("O2", "restraining-order", True),
    ]
    shown = run.json("order", "show", "O1", "--case", spo)
    assert shown["made"] == "2025-01-02" and shown["expires"] == "2025-03-01" and shown["days_to_expiry"] == -11
    text = run("order", "show", "O1", "--case", spo).stdout
    assert "must not enter Mill Road" in text and "expired on 1 Mar 2025" in text
    # the table: in force first
    table = run("order", "list", "--case", spo).stdout
    assert table.index("O2") < table.index("O1")


def test_order_defaults_to_only_subject_and_victim(run, case):
    order = run.json("order", "add", "--kind", "non-molestation-order", "--made", "01/02/2025")
    assert order["against"] == "P" and order["protects"] == ["V"] and order["key"] == "O1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "spox"], "Kinds for england-wales: spo"),
        (["--kind", "spo", "--against", "X"], '"X" is not a person of this case'),
        (["--kind", "spo", "--protects", "Z"], '"Z" is not a person of this case'),
        (["--kind", "spo", "--expires", "01/01/2025"], "is before the order was made"),
        (["--kind", "spo", "--made", "13/03/2025"], "is in the future"),
    ],
)
def test_order_add_bad_input_writes_nothing(run, case, db, args, message):
    before = ledger_count(db)
    full = ["order", "add", "--case", case, *args]
    if "--made" not in args:
        full += ["--made", "02/01/2025"]
    result = run(*full, code=1)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert count(db, "orders") == 0 and ledger_count(db) == before


def test_order_kind_of_another_jurisdiction_is_a_warning(run, case):
    result = run("order", "add", "--case", case, "--kind", "nho", "--made", "01/02/2025")
    assert "Warning:" in result.stderr and "scotland" in result.stderr


def test_order_vary_and_renew_keep_history(run, spo, db):
    run(
        "order",
        "vary",
        "O1",
        "--case",
        spo,
        "--add-condition",
        "must not post about V online",
        "--reason",
        "varied (fictional)",
    )
    run(
        "order",
        "vary",
        "O1",
        "--case",
        spo,
        "--set",
        "expires=01/03/2027",
        "--renew",
        "--reason",
        "renewed (fictional)",
    )
    order = run.json("order", "show", "O1", "--case", spo)
    assert order["expires"] == "2027-03-01" and order["in_force"] is True
    assert order["conditions"][-1] == "must not post about V online"
    assert [(h["change"], h["field"], h["old"], h["new"]) for h in order["history"]] == [
        ("varied", "conditions", ["must not contact V by any means", "must not enter Mill Road"], order["conditions"]),
        ("renewed", "expires", "2025-03-01", "2027-03-01"),
    ]
    assert count(db, "order_changes") == 2
    assert run("verify").stdout.startswith("Intact")


def test_order_discharge_then_vary_or_discharge_again_refused(run, spo, db):
    run("order", "discharge", "O1", "--case", spo, "--on", "01/02/2025", "--reason", "discharged (fictional)")
    order = run.json("order", "show", "O1", "--case", spo)
    assert order["discharged"] == "2025-02-01" and order["history"][-1]["on"] == "2025-02-01"
    before = ledger_count(db)
    assert (
        "cannot be discharged again"
        in run("order", "discharge", "O1", "--case", spo, "--on", "02/02/2025", "--reason", "x", code=1).stderr
    )
    assert (
        "cannot be varied"
        in run("order", "vary", "O1", "--case", spo, "--set", "court=Elsewhere", "--reason", "x", code=1).stderr
    )
    assert ledger_count(db) == before


def test_order_vary_or_discharge_unknown_order_refused(run, case, db):
    before = ledger_count(db)
    assert (
        'No order "O9"'
        in run("order", "vary", "O9", "--case", case, "--set", "court=X", "--reason", "x", code=1).stderr
    )
    assert (
        'No order "O9"'
        in run("order", "discharge", "O9", "--case", case, "--on", "01/02/2025", "--reason", "x", code=1).stderr
    )
    assert ledger_count(db) == before


def test_SPA_2019_s8_discharged_order_breach_window_ends_on_discharge_day(run, spo):
    run("order", "discharge", "O1", "--case", spo, "--on", "01/02/2025", "--reason", "discharged (fictional)")
    run("add", "Texted on the day of discharge", "--case", spo, "--when", "01/02/2025 18:00", "-b", "contacting")
    run("add", "Texted the day after", "--case", spo, "--when", "02/02/2025 18:00", "-b", "contacting")
    doc = run.json("check", "--case", spo)
    assert [b["incident"] for b in doc["possible_breaches"]] == ["I1"]


def test_order_expires_soon_warning_in_check(run, case):
    run("order", "add", "--case", case, "--kind", "spo", "--made", "01/01/2025", "--expires", "01/04/2025")
    doc = run.json("check", "--case", case)
    [w] = [w for w in doc["warnings"] if w["code"] == "order_expires_soon"]
    assert w["order"] == "O1" and w["days_left"] == 20


def test_verify_catches_tampered_order_row_and_history(run, spo, db):
    run("order", "vary", "O1", "--case", spo, "--set", "expires=01/06/2025", "--reason", "varied (fictional)")
    assert run("verify").stdout.startswith("Intact")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE orders SET expires = '2030-01-01' WHERE key = 'O1'")
    conn.commit()
    conn.close()
    result = run("verify", code=3)
    assert "order 1 does not match its ledger entry" in result.stdout
    conn = sqlite3.connect(db)
    conn.execute("UPDATE orders SET expires = '2025-06-01' WHERE key = 'O1'")
    conn.execute("UPDATE order_changes SET reason = 'something else' WHERE id = 1")
    conn.commit()
    conn.close()
    assert "order change 1 does not match" in run("verify", code=3).stdout


def test_bundle_round_trip_orders_and_history_byte_for_byte(run, spo, tmp_path):
    run(
        "order",
        "vary",
        "O1",
        "--case",
        spo,
        "--set",
        "expires=01/06/2025",
        "--renew",
        "--reason",
        "renewed (fictional)",
    )
    run("order", "add", "--case", spo, "--kind", "dvpo", "--made", "01/03/2025", "--expires", "28/03/2025")
    run("order", "discharge", "O2", "--case", spo, "--on", "05/03/2025", "--reason", "discharged (fictional)")
    first = tmp_path / "first.json"
    run("export", "--case", spo, "--format", "json", "-o", first)
    other = ["--db", tmp_path / "other.db"]
    run(*other, "init")
    run(*other, "import", first)
    second = tmp_path / "second.json"
    run(*other, "export", "--case", spo, "--format", "json", "-o", second)
    assert first.read_bytes() == second.read_bytes()
    orders = json.loads(second.read_text())["orders"]
    assert [o["key"] for o in orders] == ["O1", "O2"]
    assert run.json(*other, "order", "show", "O2", "--case", spo)["discharged"] == "2025-03-05"
    assert run(*other, "verify").stdout.startswith("Intact")


def test_bundle_without_orders_imports_and_exports_without_the_key(run, case, tmp_path):
    out = tmp_path / "plain.json"
    run("export", "--case", case, "--format", "json", "-o", out)
    assert "orders" not in json.loads(out.read_text())


def test_bundle_with_bad_order_refused_nothing_written(run, case, tmp_path):
    out = tmp_path / "b.json"
    run("export", "--case", case, "--format", "json", "-o", out)
    data = json.loads(out.read_text())
    data["case"]["ref"] = "C-2"
    data["orders"] = [
        {"key": "O1", "kind": "spo", "against": "Q", "protects": ["V"], "made": "2025-01-01", "history": []}
    ]
    out.write_text(json.dumps(data))
    result = run("import", out, code=1)
    assert "orders[0].against" in result.stderr
    assert [c["ref"] for c in run.json("case", "list")] == ["C-1"]


def test_law_lists_breach_offences_with_sources(run):
    entries = run.json("law", "england-wales")
    spo = next(e for e in entries if e["id"] == "spa-s8")
    assert spo["cite"] == ["Stalking Protection Act 2019 s.8"] and spo["max_penalty"] == "5 years"
    assert "spa-s8" in run("law", "england-wales").stdout


def test_check_view_shows_orders_and_possible_breaches_above_the_courses(run, spo):
    run("add", "He texted me", "--case", spo, "--when", "10/02/2025 10:00", "-b", "contacting")
    run("add", "He texted me again", "--case", spo, "--when", "11/02/2025 10:00", "-b", "contacting")
    text = run("check", "--case", spo).stdout
    assert "Protective orders" in text and "possible breach" in text and "for review" in text
    assert "must not enter Mill Road" in text  # the conditions beside it
    assert text.index("possible breach") < text.index("Sam Roe → Alex Doe")  # people by name (issue 19)
    assert "Orders that could be applied for" in text and "could support an application" in text
    assert "guilty" not in text.lower() and "breached" not in text.lower()


def guided(*extra: str) -> str:
    """The walk-through's answers (one victim, one subject), with ``extra`` answered before save."""
    lines = [
        "10/02/2025 10:00",  # when
        "y",  # right
        "Mill Road",  # where
        "He texted me (fictional)",  # what happened
        "2",  # contacting
        "",  # words
        "1",  # how she knows it was him: seen
        "",  # witnesses
        "1",  # alarm
        "",  # daily life
        "n",  # not reported
        "",  # private notes: none
        *extra,
        "y",  # save
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("answer", "kept"), [("yes", True), ("no", False), ("don't know", None)])
def test_guided_add_asks_once_whether_the_order_was_in_force(run, spo, answer, kept):
    result = run("add", "--interactive", "--case", spo, "--json", input=guided(answer))
    assert "There is an order against Sam Roe. Did this happen while it was in force?" in result.stderr
    assert json.loads(result.stdout)["order_in_force_said"] is kept


def test_guided_add_without_an_order_does_not_ask(run, case):
    result = run("add", "--interactive", "--case", case, "--json", input=guided())
    assert "order" not in result.stderr.lower()
    assert json.loads(result.stdout)["order_in_force_said"] is None


def test_order_in_force_said_travels_in_the_bundle_and_the_check_still_uses_the_dates(run, spo, tmp_path):
    run("add", "--interactive", "--case", spo, input=guided("no"))  # she thinks not; the dates say it was
    out = tmp_path / "b.json"
    run("export", "--case", spo, "--format", "json", "-o", out)
    [inc] = json.loads(out.read_text())["incidents"]
    assert inc["order_in_force_said"] is False
    [breach] = run.json("check", "--case", spo)["possible_breaches"]
    assert breach["incident"] == "I1" and [r["code"] for r in breach["reasons"]] == ["said_not_in_force"]
    other = ["--db", tmp_path / "other.db"]
    run(*other, "init")
    run(*other, "import", out)
    again = tmp_path / "again.json"
    run(*other, "export", "--case", spo, "--format", "json", "-o", again)
    assert out.read_bytes() == again.read_bytes()


def test_case_show_lists_orders_in_force_first_with_days_left(run, spo):
    run(
        "order",
        "add",
        "--case",
        spo,
        "--kind",
        "non-molestation-order",
        "--made",
        "01/03/2025",
        "--expires",
        "01/09/2025",
    )
    text = run("case", "show", spo).stdout
    assert "Order O2: non-molestation order against Sam Roe: in force, 173 days left" in text  # a name, not P
    assert text.index("Order O2") < text.index("Order O1") < text.index("Key")  # before the people
    data = run.json("case", "show", spo)
    assert [(o["key"], o["in_force"], o["days_to_expiry"]) for o in data["orders"]] == [
        ("O2", True, 173),
        ("O1", False, -11),
    ]


def test_timeline_shows_each_order_as_a_span_with_incidents_inside_marked(run, spo):
    run("add", "Before the order", "--case", spo, "--when", "20/12/2024 10:00", "-b", "contacting")
    run("add", "While in force", "--case", spo, "--when", "10/02/2025 10:00", "-b", "contacting")
    run("add", "After it ended", "--case", spo, "--when", "05/03/2025 10:00", "-b", "contacting")
    data = run.json("timeline", "--case", spo)
    assert data["orders"] == [
        {
            "key": "O1",
            "kind": "spo",
            "title": "stalking protection order",
            "made": "2025-01-02",
            "until": "2025-03-01",
            "discharged": None,
            "incidents": ["I2"],
        }
    ]
    assert [e.get("orders") for e in data["entries"]] == [None, ["O1"], None]
    text = run("timeline", "--case", spo).stdout
    lines = text.splitlines()
    made = next(n for n, line in enumerate(lines) if "Order O1 made" in line)
    ends = next(n for n, line in enumerate(lines) if "Order O1 ends" in line)
    inside = next(n for n, line in enumerate(lines) if "[in force: O1] While in force" in line)
    before = next(n for n, line in enumerate(lines) if "Before the order" in line)
    assert before < made < inside < ends
    assert "[in force" not in next(line for line in lines if "After it ended" in line)


def test_law_sources_marks_the_northern_ireland_breach_maxima_as_needing_checking(run):
    points = run.json("law", "northern-ireland", "--sources")
    flagged = {p["id"] for p in points if "maximum penalty" in p["point"]}
    assert {"ni-ro-breach", "ni-spo-breach"} <= flagged
    assert "needs checking" not in json.dumps(run.json("law", "northern-ireland"))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_evidence_summary_leads_with_the_order_and_its_possible_breaches(run, spo, tmp_path, fmt):
    run(
        "order",
        "vary",
        "O1",
        "--case",
        spo,
        "--add-condition",
        "must not post about V online",
        "--reason",
        "varied (fictional)",
    )
    run("add", "Before the order", "--case", spo, "--when", "20/12/2024 10:00", "-b", "contacting")
    run("add", "While in force", "--case", spo, "--when", "10/02/2025 10:00", "-b", "contacting")
    run("add", "While in force again", "--case", spo, "--when", "11/02/2025 10:00", "-b", "contacting", "-e", "alarm")
    out = tmp_path / f"summary.{fmt}"
    run("report", "--case", spo, "--kind", "evidence", "-f", fmt, "-o", out)
    text = out.read_text()
    section = text.index("Protective orders and possible breaches")
    assert section < text.index("towards Alex Doe", section)  # before the course of conduct
    for words in ("Cambridge Magistrates", "SPO/2025/114", "must not enter Mill Road", "2 Jan 2025", "1 Mar 2025"):
        assert words in text[section:], words
    orders_part = text[section : text.index("towards Alex Doe", section)]
    assert "I2" in orders_part and "I3" in orders_part and "I1" not in orders_part
    assert "Breach of a stalking protection order (SPA 2019 s.8)" in orders_part and "no time limit" in orders_part
    assert "must not post about V online" in orders_part  # the history is disclosed too


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_diary_lists_orders_protecting_the_victim_with_end_dates(run, spo, tmp_path, fmt):
    run(
        "order",
        "add",
        "--case",
        spo,
        "--kind",
        "non-molestation-order",
        "--made",
        "01/03/2025",
        "--expires",
        "01/09/2025",
    )
    out = tmp_path / f"diary.{fmt}"
    run("report", "--case", spo, "--kind", "diary", "-f", fmt, "-o", out)
    text = out.read_text()
    part = text[text.index("Orders protecting me") : text.index("What happened")]
    assert "ends 1 Sep 2025" in part and "ends 1 Mar 2025" in part
    assert part.index("Non-molestation order") < part.index("Stalking protection order")  # in force first


def test_bundle_order_of_another_jurisdiction_imports_with_a_warning(run, case, tmp_path):
    out = tmp_path / "b.json"
    run("export", "--case", case, "--format", "json", "-o", out)
    data = json.loads(out.read_text())
    data["case"]["ref"] = "C-2"
    data["orders"] = [
        {"key": "O1", "kind": "nho", "against": "P", "protects": ["V"], "made": "2025-01-01", "history": []}
    ]
    out.write_text(json.dumps(data))
    result = run("import", out)
    assert "nho" in result.stderr and "scotland" in result.stderr
    assert run.json("order", "show", "O1", "--case", "C-2")["kind"] == "nho"


def test_zip_with_an_order_changed_and_resigned_is_refused_by_its_own_ledger(run, spo, tmp_path):
    """An order's end date moved in bundle.json and the manifest re-signed, as a forger would:
    the records the zip's ledger carries say otherwise, so nothing is imported."""
    import hashlib

    bundle = tmp_path / "C-1.zip"
    run("export", "--case", spo, "--format", "zip", "-o", bundle)
    with zipfile.ZipFile(bundle) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members["bundle.json"] = members["bundle.json"].replace(b'"expires": "2025-03-01"', b'"expires": "2030-03-01"')
    manifest = json.loads(members["manifest.json"])
    for f in manifest["files"]:
        if f["path"] == "bundle.json":
            f["sha256"] = hashlib.sha256(members["bundle.json"]).hexdigest()
            f["size"] = len(members["bundle.json"])
    members["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    receiver = ["--db", tmp_path / "police.db"]
    run(*receiver, "init")
    result = run(*receiver, "import", forged, code=1)
    assert "order O1 (expires)" in result.stderr and "is not what the sender's ledger records" in result.stderr


def test_bundle_order_text_limits_name_the_field(run, case, tmp_path):
    out = tmp_path / "b.json"
    run("export", "--case", case, "--format", "json", "-o", out)
    data = json.loads(out.read_text())
    data["case"]["ref"] = "C-2"
    data["orders"] = [
        {
            "key": "O1",
            "kind": "spo",
            "against": "P",
            "protects": ["V"],
            "made": "2025-01-01",
            "conditions": ["x" * 5000],
        }
    ]
    out.write_text(json.dumps(data))
    assert "orders[0].conditions[0]" in run("import", out, code=1).stderr
    data["orders"][0]["conditions"] = ["ok"]
    data["orders"][0]["reference"] = "SPO/2025/\x07114"
    out.write_text(json.dumps(data))
    assert "orders[0].reference" in run("import", out, code=1).stderr
    assert [c["ref"] for c in run.json("case", "list")] == ["C-1"]
