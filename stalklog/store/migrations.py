"""The case file's schema, as small named migrations.

Rules (see docs/schema.md): a migration is never renamed, reordered or edited once
released; a change is a new migration. Every column is created here rather than by
sqlite-utils' ``alter=True`` (which does not work over sqlcipher3 connections).

Lists (``by``, ``behaviours``…) are JSON arrays in TEXT columns: they round-trip to the
case bundle as they are, and SQLite's ``json_each`` filters on them.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("stalklog")

# Written to PRAGMA application_id so a stalklog case file can be told from any other
# SQLite file ("STLK").
APPLICATION_ID = 0x53544C4B


@migrations()
def m001_case_file(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("cases").create(
        {
            "id": int,
            "ref": str,
            "title": str,
            "jurisdiction": str,
            "opened": str,
            "context": str,  # JSON array of context words
            "notes": str,
            "status": str,  # open | closed
            "closed_utc": str,
            "closed_reason": str,
            "created_utc": str,
        },
        pk="id",
        not_null={"ref", "jurisdiction", "status", "context", "created_utc"},
        defaults={"status": "open", "context": "[]"},
    )
    db.table("cases").create_index(["ref"], unique=True)
    db.table("people").create(
        {
            "id": int,
            "case_id": int,
            "key": str,
            "role": str,
            "name": str,
            "relationship": str,
            "lived_together_until": str,
            "identifiers": str,  # JSON array
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "key", "role", "identifiers"},
        defaults={"identifiers": "[]"},
    )
    db.table("people").create_index(["case_id", "key"], unique=True)
    db.table("incidents").create(
        {
            "id": int,
            "case_id": int,
            "key": str,
            "occurred": str,  # local ISO date or date-time, no offset
            "occurred_end": str,
            "precision": str,
            "recorded": str,  # UTC ISO date-time: when it was first written down
            "by": str,  # JSON array of person keys
            "attribution": str,
            "procured_by": str,  # person key
            "towards": str,
            "affected": str,
            "behaviours": str,
            "channel": str,
            "location": str,
            "summary": str,
            "words": str,
            "effects": str,
            "impacts": str,
            "below_threshold": int,
            "same_occasion_as": str,  # incident key
            "links": str,
            "stated_purpose": str,
            "witnesses": str,
            "police_ref": str,
            "private_notes": str,
            "withdrawn_utc": str,
            "withdrawn_reason": str,
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "key", "occurred", "precision", "created_utc"},
        defaults={
            "by": "[]",
            "towards": "[]",
            "affected": "[]",
            "behaviours": "[]",
            "effects": "[]",
            "impacts": "[]",
            "links": "[]",
            "witnesses": "[]",
            "below_threshold": 0,
            "summary": "",
            "words": "",
            "location": "",
        },
    )
    db.table("incidents").create_index(["case_id", "key"], unique=True)
    db.table("incidents").create_index(["case_id", "occurred"])
    db.table("incidents").enable_fts(["summary", "words", "location"], create_triggers=True, tokenize="porter")
    db.table("case_impacts").create(
        {
            "id": int,
            "case_id": int,
            "kind": str,
            "date": str,
            "detail": str,
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "kind"},
    )
    db.table("amendments").create(
        {
            "id": int,
            "incident_id": int,
            "field": str,
            "old_value": str,  # JSON
            "new_value": str,  # JSON
            "reason": str,
            "by": str,
            "at_utc": str,
        },
        pk="id",
        foreign_keys=[("incident_id", "incidents", "id")],
        not_null={"incident_id", "field", "reason", "at_utc"},
    )
    db.table("amendments").create_index(["incident_id"])
    db.table("exhibits").create(
        {
            "id": int,
            "case_id": int,
            "incident_id": int,
            "ref": str,
            "description": str,
            "file_name": str,
            "size": int,
            "sha256": str,
            "content": bytes,  # the file's bytes; NULL when a bundle carried only the hash
            "producer": str,
            "obtained": str,
            "how_obtained": str,
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id"), ("incident_id", "incidents", "id")],
        not_null={"case_id", "incident_id", "ref", "created_utc"},
    )
    db.table("exhibits").create_index(["case_id", "ref"], unique=True)
    db.table("exhibits").create_index(["incident_id"])
    db.table("exhibit_events").create(
        {
            "id": int,
            "exhibit_id": int,
            "event": str,  # obtained | added | imported | exported
            "by": str,
            "at_utc": str,
            "detail": str,
        },
        pk="id",
        foreign_keys=[("exhibit_id", "exhibits", "id")],
        not_null={"exhibit_id", "event", "at_utc"},
    )
    db.table("exhibit_events").create_index(["exhibit_id"])
    db.table("screenings").create(
        {
            "id": int,
            "case_id": int,
            "taken": str,
            "by": str,
            "answers": str,  # JSON list of {question, answer, notes}
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "taken", "answers", "created_utc"},
    )
    db.table("ledger").create(
        {
            "seq": int,
            "at_utc": str,
            "action": str,
            "entity": str,  # table name
            "entity_id": int,
            "case_id": int,
            "content_sha256": str,
            "prev_hash": str,
            "entry_hash": str,
        },
        pk="seq",
        not_null={
            "at_utc",
            "action",
            "entity",
            "entity_id",
            "content_sha256",
            "prev_hash",
            "entry_hash",
        },
    )
    db.table("ledger").create_index(["entity", "entity_id"])


@migrations()
def m002_case_police_details(db: Database) -> None:
    """A case's police details for the evidence summary: the Unique Reference Number, the
    crime reference and the officer in the case (rank, collar number and name). Nullable,
    so every earlier ledger hash stays valid (``ledger.row_hash`` skips NULL columns)."""
    for column in ("urn", "crime_ref", "oic"):
        db.execute(f"ALTER TABLE cases ADD COLUMN {column} TEXT")


@migrations()
def m003_orders(db: Database) -> None:
    """Protective orders (docs/orders.md) and their history: each variation, renewal or
    discharge is a row of ``order_changes`` (old value, new value, reason, when); the order's
    row holds its current terms. Both tables are in the ledger. ``incidents`` gains the
    victim's own answer to "did this happen while the order was in force?"."""
    db.table("orders").create(
        {
            "id": int,
            "case_id": int,
            "key": str,  # O1, O2 … within the case
            "kind": str,  # spo | restraining-order | non-molestation-order | … (stalklog/law/orders.py)
            "against": str,  # person key
            "protects": str,  # JSON array of person keys
            "made": str,  # ISO date
            "expires": str,  # ISO date; NULL = until further order
            "interim": int,
            "conditions": str,  # JSON array of text
            "court": str,
            "reference": str,
            "discharged_on": str,  # ISO date, when discharged (also in order_changes)
            "created_utc": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "key", "kind", "against", "protects", "made", "conditions", "created_utc"},
        defaults={"protects": "[]", "conditions": "[]", "interim": 0},
    )
    db.table("orders").create_index(["case_id", "key"], unique=True)
    db.table("order_changes").create(
        {
            "id": int,
            "order_id": int,
            "change": str,  # varied | renewed | discharged
            "field": str,  # the field changed (NULL for a discharge)
            "old_value": str,  # JSON
            "new_value": str,  # JSON
            "on_date": str,  # ISO date of a discharge
            "reason": str,
            "at_utc": str,  # when it was recorded (ISO with offset)
        },
        pk="id",
        foreign_keys=[("order_id", "orders", "id")],
        not_null={"order_id", "change", "reason", "at_utc"},
    )
    db.table("order_changes").create_index(["order_id"])
    db.execute("ALTER TABLE incidents ADD COLUMN order_in_force_said INTEGER")


@migrations()
def m004_provenance(db: Database) -> None:
    """Who wrote, produced and corrected what (issue 15): an incident's time of writing when
    known apart from when it was entered (a spreadsheet diary's own column) and where it came
    from; who added an exhibit, beside who produced it; corrections to a person. Nullable
    columns, so every earlier ledger hash stays valid."""
    db.execute("ALTER TABLE incidents ADD COLUMN written TEXT")  # when first written down, if known
    db.execute("ALTER TABLE incidents ADD COLUMN provenance TEXT")  # "csv:diary.csv row 14"; NULL = typed in
    db.execute("ALTER TABLE exhibits ADD COLUMN added_by TEXT")  # who added the file (producer: made or found it)
    db.table("person_amendments").create(
        {
            "id": int,
            "case_id": int,
            "person_id": int,
            "field": str,
            "old_value": str,  # JSON
            "new_value": str,  # JSON
            "reason": str,
            "by": str,
            "at_utc": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id"), ("person_id", "people", "id")],
        not_null={"case_id", "person_id", "field", "reason", "at_utc"},
    )
    db.table("person_amendments").create_index(["person_id"])


@migrations()
def m005_case_impacts_index(db: Database) -> None:
    """An index on ``case_impacts.case_id``. Reading one case's impacts looked through every
    case's, so a file of many cases was read in time that grew with the square of the
    caseload (a fifth of ``check --all`` over a helpline's 23,000 cases). An index only:
    no row and no ledger entry changes."""
    db.table("case_impacts").create_index(["case_id"])


@migrations()
def m006_case_own_diary(db: Database) -> None:
    """``own_diary``: 1 when the victim keeps this case as her own diary (the screens then
    call her "you"); NULL otherwise. Nullable, so earlier ledger hashes stay valid."""
    db.execute("ALTER TABLE cases ADD COLUMN own_diary INTEGER")


@migrations()
def m007_screenings_index(db: Database) -> None:
    """An index on ``screenings.case_id``. ``cases`` reads each case's latest screening: it
    looked through every case's, so a helpline's caseload with a screening per case was
    read in time that grew with the square of the caseload (as m005 for impacts). An index
    only: no row and no ledger entry changes."""
    db.table("screenings").create_index(["case_id"])
