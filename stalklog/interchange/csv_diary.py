"""Spreadsheet diaries (CSV) into incidents, every date checked before anything is written.

Victims are advised to keep a diary with the columns date, time, what happened, where,
witnesses, how it made me feel and the police reference. ``prepare`` reads such a file,
matches its headings to incident fields (or follows a ``--map``), reads every row's date
with ``dates.parse_when`` (UK day-first unless ``us_dates``), and returns a preview: the
mapping, and for every row what would be recorded or why it cannot be. ``write`` then
records the good rows — all of them, or none if any row is bad, unless told to skip the
bad ones. Row numbers are the spreadsheet's: the header is row 1, the first entry row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from stalklog import records, vocab
from stalklog.dates import parse_when
from stalklog.errors import InvalidDate, InvalidValue
from stalklog.store.database import Database

# field: (what it becomes, the headings recognised for it — compared in lower case,
# with punctuation and "(s)" dropped)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "date": ("the date it happened", ("date", "day", "date of incident", "incident date", "when")),
    "time": ("the time it happened", ("time", "time of incident", "incident time", "approx time")),
    "summary": (
        "what happened",
        (
            "what happened",
            "description",
            "details",
            "incident",
            "summary",
            "description of incident",
            "what",
            "event",
            "notes",
        ),
    ),
    "location": ("where", ("where", "location", "place", "location of incident", "where it happened")),
    "witnesses": (
        "witnesses (split at ; or new lines)",
        ("witnesses", "witness", "witness name", "witness names", "who saw it"),
    ),
    "feelings": (
        "how it made me feel (kept with what happened; clear effect words become effects)",
        (
            "how it made me feel",
            "feelings",
            "feeling",
            "effect",
            "effects",
            "how i felt",
            "effect on me",
            "how did it make you feel",
        ),
    ),
    "police_ref": (
        "the police or crime reference",
        (
            "police reference",
            "police ref",
            "crime ref",
            "crime reference",
            "crime reference number",
            "crime number",
            "police report number",
            "report number",
            "police",
        ),
    ),
    "behaviours": (
        "behaviour words (following, loitering, threats, …)",
        ("behaviour", "behaviours", "behavior", "behaviors", "type", "type of incident"),
    ),
    "channel": (
        "how it was done (in person, text, phone call, email, …)",
        ("channel", "how", "method", "how contacted"),
    ),
    "words": ("what was said or written, word for word", ("what was said", "words", "words used", "exact words")),
    "written": (
        "when the entry was written down (the diary's own column)",
        ("written", "date written", "when written", "written on", "date recorded", "date of entry", "entry date"),
    ),
}
REQUIRED = ("date", "summary")

# How-it-made-me-feel words and the effect each is read as: ONE table, shown in the preview
# ("terrified → alarm"), never applied silently. A feeling is read only as alarm or distress:
# fear of violence, fear for others and serious alarm or distress change which offences and
# penalties apply, so they are recorded only when a person says so, never inferred from words
# (PRODUCT.md, clarifications). Anything else stays as written, with what happened.
FEELING_EFFECTS: tuple[tuple[str, str], ...] = (
    # alarm: fear, fright, feeling unsafe
    ("terrified", "alarm"),
    ("petrified", "alarm"),
    ("frightened", "alarm"),
    ("scared", "alarm"),
    ("afraid", "alarm"),
    ("fear", "alarm"),
    ("feared", "alarm"),
    ("fearful", "alarm"),
    ("alarmed", "alarm"),
    ("alarm", "alarm"),
    ("panicked", "alarm"),
    ("panic", "alarm"),
    ("shaking", "alarm"),
    ("shaken", "alarm"),
    ("shook up", "alarm"),
    ("intimidated", "alarm"),
    ("unsafe", "alarm"),
    ("not safe", "alarm"),
    ("threatened", "alarm"),
    ("nervous", "alarm"),
    # distress: upset, sleeplessness, anxiety
    ("distressed", "distress"),
    ("distress", "distress"),
    ("upset", "distress"),
    ("crying", "distress"),
    ("cried", "distress"),
    ("in tears", "distress"),
    ("couldn't sleep", "distress"),
    ("could not sleep", "distress"),
    ("can't sleep", "distress"),
    ("cannot sleep", "distress"),
    ("didn't sleep", "distress"),
    ("no sleep", "distress"),
    ("sleepless", "distress"),
    ("anxious", "distress"),
    ("anxiety", "distress"),
    ("stressed", "distress"),
    ("worried", "distress"),
    ("on edge", "distress"),
    ("felt sick", "distress"),
    ("humiliated", "distress"),
    ("devastated", "distress"),
    ("depressed", "distress"),
    ("overwhelmed", "distress"),
)
EFFECT_WORDS = FEELING_EFFECTS  # the name earlier code used
# "not scared", "not at all scared" — but not "no, I was scared" (punctuation ends the negation)
_NEGATION = re.compile(r"\b(not|no|never|wasn't|wasnt|isn't|didn't|didnt|nothing)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_LONGEST_FIRST = tuple(sorted(FEELING_EFFECTS, key=lambda pair: -len(pair[0])))

CHANNEL_WORDS = {
    "in person": "in_person",
    "face to face": "in_person",
    "person": "in_person",
    "phone": "phone_call",
    "call": "phone_call",
    "phone call": "phone_call",
    "calls": "phone_call",
    "text": "text_message",
    "sms": "text_message",
    "texts": "text_message",
    "text message": "text_message",
    "whatsapp": "messaging_app",
    "messenger": "messaging_app",
    "message": "messaging_app",
    "e-mail": "email",
    "email": "email",
    "facebook": "social_media",
    "instagram": "social_media",
    "twitter": "social_media",
    "x": "social_media",
    "tiktok": "social_media",
    "social media": "social_media",
    "post": "letter",
    "letter": "letter",
}

_AMBIGUOUS = re.compile(r"\s*([0-9]{1,2})[/.-]([0-9]{1,2})(?:[/.-]([0-9]{2}|[0-9]{4}))?(?:\s.*)?")
_EXCEL_MIDNIGHT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]00:00(?::00)?")


# ---------------------------------------------------------------- reading


def read_table(data: bytes) -> dict:
    """The CSV's header and rows: ``{"headers", "rows": [(row_number, cells)], "delimiter", "encoding"}``."""
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            raise InvalidValue(
                "The CSV file is not text that stalklog can read.", hint="Save it from the spreadsheet as 'CSV UTF-8'."
            ) from None
    if "\x00" in text:
        raise InvalidValue(
            "The file is not a CSV text file (it holds binary data).",
            hint="Save it from the spreadsheet as 'CSV UTF-8'.",
        )
    sample = text[:20000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    found, lines = [], []  # each row, and the line of the file it starts on
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        last = 0
        for cells in reader:
            found.append(cells)
            lines.append(last + 1)
            last = reader.line_num
    except csv.Error as e:
        raise InvalidValue(f"The CSV file cannot be read: {e}.") from None
    if found:
        _refuse_swallowed_rows(found, lines, delimiter, len(found[0]))
    if not found or not any(c.strip() for c in found[0]):
        raise InvalidValue(
            "The CSV file is empty, or its first row has no headings.",
            hint="The first row should name the columns: Date, Time, What happened, …",
        )
    headers = [h.strip() for h in found[0]]
    return {
        "headers": headers,
        "rows": list(enumerate(found[1:], start=2)),
        "delimiter": delimiter,
        "encoding": encoding,
    }


def _refuse_swallowed_rows(found: list[list[str]], lines: list[int], delimiter: str, width: int) -> None:
    """Refuse a file in which a cell holds what looks like further rows: a stray quote (")
    makes a CSV reader run on to the next matching quote, silently merging every row between
    into one cell (and the import would have fewer rows than the sheet). Names the line."""
    if width < 2:
        return
    for n, cells in enumerate(found):
        for cell in cells:
            if "\n" not in cell:
                continue
            inner = cell.split("\n")[1:]
            if any(line.count(delimiter) >= width - 1 for line in inner):
                row = "the heading row" if n == 0 else f"row {n + 1}"
                raise InvalidValue(
                    f"The CSV cannot be read safely: a cell of {row} (starting on line {lines[n]} of the file) holds "
                    "what looks like further rows of the spreadsheet, so rows would be lost. This is usually a "
                    f'stray quote (") on line {lines[n]}. Nothing was imported.',
                    hint='Open the file in a text editor, remove the stray quote (or double it: "") and import again.',
                )


def _heading(text: str) -> str:
    text = text.lower().replace("(s)", "")
    return " ".join(re.sub(r"[^\w\s'-]", " ", text).split())


def parse_mapping(text: str | None) -> dict[str, str]:
    """``date=Date,summary=What happened`` → ``{"date": "Date", "summary": "What happened"}``."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        field = field.strip().lower().replace("-", "_")
        if not sep or not column.strip():
            raise InvalidValue(f'--map: "{part.strip()}" should be field=Column, e.g. summary=What happened.')
        if field not in FIELDS:
            raise InvalidValue(f'--map: "{field}" is not a field. Fields: {", ".join(FIELDS)}.')
        mapping[field] = column.strip()
    return mapping


def resolve_mapping(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, int]:
    """Each field's column index: the ``--map`` first, then the recognised headings."""
    by_heading: dict[str, int] = {}
    for n, h in enumerate(headers):
        by_heading.setdefault(_heading(h), n)
    mapping: dict[str, int] = {}
    for field, column in (overrides or {}).items():
        found = by_heading.get(_heading(column))
        if found is None:
            raise InvalidValue(
                f'--map {field}={column}: the file has no column "{column}".', hint=f"Its columns: {', '.join(headers)}"
            )
        mapping[field] = found
    taken = set(mapping.values())
    for field, (_, names) in FIELDS.items():
        if field in mapping:
            continue
        for name in names:
            column_n = by_heading.get(name)
            if column_n is not None and column_n not in taken:
                mapping[field] = column_n
                taken.add(column_n)
                break
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        raise InvalidValue(
            f"The CSV has no column for {' or '.join(FIELDS[f][0] for f in missing)}.",
            hint=f"Its columns: {', '.join(headers)}. Say which to use, e.g. "
            f"--map {','.join(f'{f}=…' for f in missing)}",
        )
    return mapping


# ---------------------------------------------------------------- one row


def effects_from(text: str) -> tuple[list[str], dict[str, str]]:
    """The effects clearly named in free text, and which words gave each (negated words skipped)."""
    found: dict[str, str] = {}
    lowered = text.lower().replace("\u2019", "'")  # same length: spans stay the text's
    used: list[tuple[int, int]] = []
    for phrase, effect in _LONGEST_FIRST:
        for m in re.finditer(rf"\b{re.escape(phrase)}\b", lowered):
            if any(a <= m.start() < b for a, b in used) or _NEGATION.search(lowered[: m.start()]):
                continue
            used.append(m.span())
            found.setdefault(text[m.start() : m.end()], effect)
    effects = [e for e in vocab.EFFECTS if e in found.values()]
    return effects, found


def _ambiguity(date_text: str, when, us_dates: bool) -> str | None:
    m = _AMBIGUOUS.fullmatch(date_text)
    if not m:
        return None
    a, b = int(m[1]), int(m[2])
    if a > 12 or b > 12 or a == b:
        return None
    day = when.start.date()
    read = f"{day.day} {day:%B}" + (f" {day.year}" if m[3] else "")
    other = "day first" if not us_dates else "month first"
    return f"ambiguous (read as {read}, {other})"


def _split(text: str, pattern: str) -> list[str]:
    return [p.strip() for p in re.split(pattern, text) if p.strip()]


def _behaviours(text: str) -> list[str]:
    words = []
    for part in _split(text, r"[,;/\n]"):
        word = part.lower().replace("-", "_").replace(" ", "_")
        if word not in vocab.BEHAVIOURS:
            raise InvalidValue(f'"{part}" is not a behaviour word (use: {", ".join(vocab.BEHAVIOURS)})')
        words.append(word)
    return words


def _channel(text: str) -> str:
    word = " ".join(text.lower().split())
    if word.replace(" ", "_").replace("-", "_") in vocab.CHANNELS:
        return word.replace(" ", "_").replace("-", "_")
    if word in CHANNEL_WORDS:
        return CHANNEL_WORDS[word]
    raise InvalidValue(f'"{text}" is not a channel (use: {", ".join(vocab.CHANNELS)}, or text, phone, whatsapp, …)')


def read_row(
    cells: dict[str, str], *, now: dt.datetime | None, us_dates: bool, by: list[str], towards: list[str]
) -> dict:
    """One row's incident fields and what the preview shows, or its problems."""
    errors: list[str] = []
    date_text, time_text = cells.get("date", ""), cells.get("time", "")
    out: dict = {
        "as_typed": " ".join(x for x in (date_text, time_text) if x),
        "when": None,
        "when_text": None,
        "ambiguous": None,
        "effects": [],
        "effects_from": {},
        "fields": None,
    }
    when = None
    if not date_text:
        errors.append("no date")
    else:
        date_text = _EXCEL_MIDNIGHT.sub(r"\1", date_text)
        try:
            when = parse_when(f"{date_text} {time_text}".strip(), now, us_dates=us_dates)
        except InvalidDate as e:
            errors.append(e.message.split(". Expected")[0])  # the row's problem, without the general advice
    if when is not None:
        out.update(when=when.occurred(), when_text=when.describe(), ambiguous=_ambiguity(date_text, when, us_dates))
    summary = cells.get("summary", "")
    if not summary:
        errors.append("'what happened' is empty")
    feelings = cells.get("feelings", "")
    effects, sources = effects_from(feelings) if feelings else ([], {})
    out.update(effects=effects, effects_from=sources)
    fields = {
        "summary": summary + (f"\nHow it made me feel: {feelings}" if feelings else ""),
        "location": cells.get("location", ""),
        "words": cells.get("words", ""),
        "witnesses": _split(cells.get("witnesses", ""), r"[;\n]"),
        "police_ref": cells.get("police_ref") or None,
        "effects": effects,
        "by": list(by),
        "towards": list(towards),
        "behaviours": [],
        "channel": None,
    }
    for name, reader in (("behaviours", _behaviours), ("channel", _channel)):
        if cells.get(name):
            try:
                fields[name] = reader(cells[name])
            except InvalidValue as e:
                errors.append(e.message)
    if when is not None:
        fields.update(occurred=when.occurred(), occurred_end=when.occurred_end(), precision=when.precision)
    out["written"] = None
    if cells.get("written"):
        fields["written"] = out["written"] = _written(cells["written"], when, now, us_dates, errors)
    out["errors"] = errors
    out["ok"] = not errors
    out["fields"] = fields if not errors else None
    return out


def _written(text: str, when, now, us_dates: bool, errors: list[str]) -> str | None:
    """A row's own time of writing, as stored (UTC with a time; a date alone without one),
    or None with the problem added to ``errors``. It cannot be before the event."""
    from stalklog.clock import zone

    try:
        written = parse_when(_EXCEL_MIDNIGHT.sub(r"\1", text), now, us_dates=us_dates)
    except InvalidDate as e:
        errors.append("when written: " + e.message.split(". Expected")[0])
        return None
    if when is not None and (
        written.start.date() < when.start.date() or (written.has_time and when.has_time and written.start < when.start)
    ):
        errors.append(f"when written ({written.describe()}) is before it happened ({when.describe()})")
        return None
    if not written.has_time:
        return written.start.date().isoformat()
    return written.start.replace(tzinfo=zone()).astimezone(dt.UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- the whole file


def prepare(
    db: Database,
    case_ref: str,
    data: bytes,
    *,
    mapping: str | dict | None = None,
    us_dates: bool = False,
    now: dt.datetime | None = None,
    file_name: str | None = None,
) -> dict:
    """The preview of an import: the mapping and every row, read and checked. Writes nothing."""
    case = records.get_case(db, case_ref)
    if case["status"] == "closed":
        raise InvalidValue(f'Case "{case_ref}" is closed.', hint=f"Reopen it with: stalklog case reopen {case_ref}")
    table = read_table(data)
    overrides = parse_mapping(mapping) if isinstance(mapping, str) or mapping is None else dict(mapping)
    columns = resolve_mapping(table["headers"], overrides)
    people = records.people(db, case["id"])
    by, towards = vocab.sole_parties(people)
    existing = {
        (i["occurred"], i["summary"]): i["key"] for i in records.list_incidents(db, case_ref=case_ref, exhibits=False)
    }
    keys = {p["key"] for p in people}
    rows: list[dict] = []
    blank = 0
    seen: dict = {}
    width = len(table["headers"])
    for number, raw in table["rows"]:
        if not any(c.strip() for c in raw):
            blank += 1
            continue
        cells = {f: (raw[n].strip() if n < len(raw) else "") for f, n in columns.items()}
        row = {"row": number, **read_row(cells, now=now, us_dates=us_dates, by=by, towards=towards)}
        if row["fields"] is not None:  # where it came from: its time of writing is not the import's
            row["fields"]["provenance"] = f"csv:{file_name or 'spreadsheet'} row {number}"
        if any(c.strip() for c in raw[width:]):
            row["errors"].append(f"more cells ({len(raw)}) than there are headings ({width})")
        if row["fields"] is not None:
            _check_fields(row, keys, existing, seen)
        row["ok"] = not row["errors"]
        if not row["ok"]:
            row["fields"] = None
        rows.append(row)
    notes = []
    if not by:
        subjects = sum(p["role"] == "subject" for p in people)
        notes.append(
            f"The case has {subjects or 'no'} subject{'s' if subjects != 1 else ''}: the rows are "
            "recorded without saying who did it; add it with stalklog amend."
        )
    if table["encoding"] != "utf-8":
        notes.append("The file is not UTF-8; it was read as Windows-1252. Check accented letters in the preview.")
    if not us_dates and any(_looks_month_first(r) for r in rows):
        notes.append(
            "Some dates look month first (US style, e.g. 04/13/2025). If the whole sheet is month first, "
            "run again with --us-dates."
        )
    good = [r for r in rows if r["ok"]]
    no_behaviour = sum(1 for r in good if not r["fields"]["behaviours"])
    if no_behaviour:
        notes.append(
            f"{no_behaviour} of {len(good)} row{'s' if len(good) != 1 else ''} say nothing about what he did "
            "(no behaviour words such as following, loitering, contacting, threats), so the check cannot count "
            "that conduct. Add a column of behaviour words and --map behaviours=Column, or after importing: "
            "stalklog amend ID --set behaviours=following,loitering --reason …"
        )
    if "written" not in columns and good:
        notes.append(
            "The sheet has no column saying when each entry was written, so their time of writing is kept as "
            "not known (not today's import). If it has one: --map written=Column."
        )
    return {
        "file": file_name,
        "case": case_ref,
        "encoding": table["encoding"],
        "delimiter": {",": "comma", ";": "semicolon", "\t": "tab"}.get(table["delimiter"], table["delimiter"]),
        "mapping": [
            {"field": f, "column": table["headers"][n], "becomes": FIELDS[f][0]}
            for f, n in sorted(columns.items(), key=lambda kv: kv[1])
        ],
        "unused_columns": [h for n, h in enumerate(table["headers"]) if n not in columns.values() and h],
        "rows": rows,
        "good": len(good),
        "bad": len(rows) - len(good),
        "blank": blank,
        "no_behaviour": no_behaviour,
        "notes": notes,
    }


def _check_fields(row: dict, people_keys: set[str], existing: dict, seen: dict) -> None:
    fields = row["fields"]
    try:
        records.validate_incident(fields, where=f"row {row['row']}", people_keys=people_keys, incident_keys=set())
    except InvalidValue as e:
        row["errors"].append(e.message)
        return
    same = (fields["occurred"], fields["summary"])
    if same in existing:
        row["errors"].append(f"already in the case as {existing[same]} (same date and words)")
    elif same in seen:
        row["duplicate_of_row"] = seen[same]
    else:
        seen[same] = row["row"]


def _looks_month_first(row: dict) -> bool:
    m = _AMBIGUOUS.fullmatch(row["as_typed"])
    return bool(m and not row["ok"] and int(m[1]) <= 12 < int(m[2]) <= 31)


def write(db: Database, case_ref: str, preview: dict, *, skip_bad: bool = False) -> list[dict]:
    """Record the previewed rows as incidents (in the caller's transaction).

    Every row must be good unless ``skip_bad``; otherwise nothing is written. Returns
    ``[{"row", "id", "key"}]`` for the incidents recorded, in row order.
    """
    bad = [r for r in preview["rows"] if not r["ok"]]
    if bad and not skip_bad:
        listed = ", ".join(str(r["row"]) for r in bad[:20]) + (", …" if len(bad) > 20 else "")
        raise InvalidValue(
            f"{len(bad)} row{'s' if len(bad) != 1 else ''} of the CSV cannot be read "
            f"(row{'s' if len(bad) != 1 else ''} {listed}: see the preview), so nothing was written.",
            hint="Correct them in the spreadsheet and import again, or add --skip-bad to import only the good rows.",
        )
    written = []
    for row in preview["rows"]:
        if row["ok"]:
            inc = records.add_incident(db, case_ref, row["fields"])
            written.append({"row": row["row"], "id": inc["id"], "key": inc["key"]})
    return written
