"""The human view of the check: what the recorded facts could support, in plain words.

Rich renderers only — no typer, no case file. A victim should be able to read it without
a lawyer; an officer should find the section numbers. The JSON (``check --json``) is the
contract; this view says the same things.

Layout (issue 19): every part reads at 80 columns and never breaks a word. Wide tables
become stacked blocks below ``layout.WIDE`` columns; the statutes and cases behind each
result are a list under the offences with ``--sources`` (the offence titles carry their
section). People are named (``Sam Roe → Alex Doe``); the victim is "you" only when the
case is her own diary (``case set REF --own-diary``). Incidents are "incident 4 (12 Nov)".
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from rich.console import Console
from rich.text import Text

from stalklog.cli import layout
from stalklog.cli.markup import escape
from stalklog.law.wording import SHORT_DISCLAIMER, day, deadline_words, prosecution_sentence, source_of
from stalklog.vocab import label

SOON = 28
LONG_LIST = 40  # occasions: longer lists show their first and last ``SHOWN_ENDS``
SHOWN_ENDS = 10
MANY_REFS = 4  # incident references in one sentence before "and N more"
STATUS_WORDS = {
    "indicated": "could support",
    "borderline": "for review",
    "not_indicated": "not indicated",
    "not_available": "not available",
}
STATUS_STYLE = {"indicated": "bold green", "borderline": "bold yellow", "not_indicated": "dim", "not_available": "dim"}
COURSE_STYLE = {"met": "bold green", "borderline": "bold yellow", "not_met": "bold"}
JURISDICTION_NAMES = {
    "england-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}
EXCLUDED_WORDS = {
    "below_threshold": "recorded for context, not counted",
    "withdrawn": "withdrawn, not counted",
    "attribution_unknown": "who did it is unknown, not counted",
}
REVIEW_CODES = (
    "wide_gap_review",
    "indirect_conduct_counted",
    "indirect_conduct_counted",
    "attribution_review",
    "defence_review",
    "procured_conduct",
    "linked_across_gap",
    "separate_acts_same_day",
)
# Person keys that are also everyday words are never replaced inside a sentence.
_COMMON = frozenset(
    "a an and as at be by do for he her him his i if in is it me my no of on or she so the "
    "they them to us was we you your".split()
)
_KEY = r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
_TOKEN = re.compile(_KEY + r"(?:'s)?")
_SEPARATOR = re.compile(r", |,? and ")
# a list of keys ("I1, I2 and I3"), else one key (possibly "V's")
_PIECE = re.compile(rf"(?P<list>{_KEY}(?:(?:, |,? and ){_KEY})+)|{_KEY}(?:'s)?")


def _m(markup: str) -> Text:
    return layout.m(markup)


def _say(console: Console, markup: str = "", style: str | None = None) -> None:
    console.print(_m(markup), style=style)


def _date(iso: str | None) -> str:
    return day(dt.date.fromisoformat(iso)) if iso else "—"


class Reader:
    """How people and incidents are written for the person reading: names, not keys; "you"
    for the victim of her own diary; "incident 4 (12 Nov)" for an incident."""

    def __init__(
        self,
        people: dict[str, str] | None = None,
        incidents: dict[str, dict] | None = None,
        you: str | None = None,
        as_of: str | None = None,
    ):
        self.people = people or {}
        self.incidents = incidents or {}
        self.you = you
        self.year = as_of[:4] if as_of else None

    def person(self, key: str) -> str:
        if key == self.you:
            return "you"
        name = self.people.get(key)
        return name if name else key

    def persons(self, keys) -> str:
        names = [self.person(k) for k in keys]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def incident(self, key: str) -> str:
        found = re.fullmatch(r"[Ii](\d+)", key)
        name = f"incident {found[1]}" if found else f"incident {key}"
        inc = self.incidents.get(key) or {}
        when = str(inc.get("occurred") or "")
        if len(when) >= 7 and when[:4].isdigit():
            try:
                if inc.get("precision") == "month" or len(when) == 7:
                    d = dt.date.fromisoformat(when[:7] + "-01")
                    name += f" ({d:%b %Y})"
                else:
                    d = dt.date.fromisoformat(when[:10])
                    year = "" if when[:4] == self.year else f" {d.year}"
                    name += f" ({d.day} {d:%b}{year})"
            except ValueError:
                pass
        return name

    def numbers(self, keys: list[str]) -> str:
        """Incidents named without their dates, for a row that already shows the date:
        "incident 3", "incidents 3 and 4", "incidents 3, 4 and I1b" (a key that is not
        "I" and a number is shown as it is)."""
        names = [found[1] if (found := re.fullmatch(r"[Ii](\d+)", k)) else k for k in keys]
        if len(names) == 1:
            return f"incident {names[0]}"
        return "incidents " + ", ".join(names[:-1]) + " and " + names[-1]

    def incident_list(self, keys: list[str]) -> str:
        shown = [self.incident(k) for k in keys[:MANY_REFS]]
        more = len(keys) - len(shown)
        if more:
            return "; ".join(shown) + f" and {more:,} more"
        return "; ".join(shown)

    def text(self, words: str, people=(), incidents=()) -> str:
        """An engine sentence with the given person and incident keys written for a reader."""
        people = {k for k in people if k.lower() not in _COMMON}
        incidents = set(incidents)
        if not people and not incidents:
            return words

        def swap(found: re.Match) -> str:
            token = found[0]
            key, owns = (token[:-2], True) if token.endswith("'s") else (token, False)
            if key in people:
                name = self.person(key)
                if owns:
                    return "your" if name == "you" else f"{name}'s"
                return name
            if key in incidents and not owns:
                return self.incident(key)
            return token

        def listed(found: re.Match) -> str:
            """A list of keys: a long run of incidents in it as the first few and how many more."""
            items = _SEPARATOR.split(found[0])
            seps = [*_SEPARATOR.findall(found[0]), ""]
            out, i = [], 0
            while i < len(items):
                j = i
                while j < len(items) and items[j] in incidents:
                    j += 1
                if j - i > MANY_REFS:
                    out.append(self.incident_list(items[i:j]) + seps[j - 1])
                    i = j
                    continue
                out.append(_TOKEN.sub(swap, items[i]) + seps[i])
                i += 1
            return "".join(out)

        def piece(found: re.Match) -> str:
            return listed(found) if found["list"] else swap(found)

        return _PIECE.sub(piece, words)


# ------------------------------------------------------------------ one case


def render_check(
    doc: dict,
    console: Console,
    people: dict[str, str] | None = None,
    incidents: dict[str, dict] | None = None,
    *,
    you: str | None = None,
    sources: bool = False,
) -> None:
    """Print a check document for a person: one section per course.

    ``people``: key → name; ``you``: the victim's key when the case is her own diary;
    ``sources``: list the statutes and cases behind each result."""
    reader = Reader(people, incidents, you, doc.get("as_of"))
    juris = JURISDICTION_NAMES.get(doc["jurisdiction"], doc["jurisdiction"])
    _say(
        console,
        f"[bold]Course-of-conduct check: case {escape(str(doc['case']))}[/bold] — "
        f"law of {juris}, time limits counted to {_date(doc['as_of'])}",
    )
    from stalklog.cli.orders_view import render_options_section, render_orders_section

    names = {k: reader.person(k) for k in reader.people}
    if reader.you:
        names[reader.you] = "you"

    def words(text: str) -> str:
        return reader.text(text, names, reader.incidents)

    # orders in force and possible breaches first
    render_orders_section(console, doc, names, words=words, incident=reader.incident)
    if not doc["courses"]:
        _say(console, "No recorded incident is attributed to someone and aimed at someone yet: nothing to check.")
    for course in doc["courses"]:
        _say(console)
        _course(console, course, doc, reader, sources)
    _alternatives(console, doc["alternatives"], reader)
    render_options_section(console, doc, names, words=words)
    by_code: dict[str, list[str]] = {}
    for w in doc["warnings"]:
        if "subject" not in w:
            by_code.setdefault(w["code"], []).append(
                _sentence(reader.text(w["text"], incidents=w.get("incidents", ())))
            )
    notes = [n for lines in by_code.values() for n in _at_most([escape(x) for x in lines], "more like these", 3)]
    _bullet_section(console, "Please note", notes, "yellow")
    _say(console)
    if not sources and doc["courses"]:
        _say(console, "[dim]The statutes and cases behind each result: add --sources (or see --json).[/dim]")
    _say(console, f"[italic]{escape(SHORT_DISCLAIMER)}[/italic]")


def _at_most(lines: list[str], more: str, shown: int = 10) -> list[str]:
    """A long list's first ``shown`` lines and a line saying how many more (all are in --json)."""
    if len(lines) <= shown + 1:
        return lines
    return [*lines[:shown], f"[dim]… and {len(lines) - shown:,} {more} (every one is in check --json)[/dim]"]


def _bullet_section(console: Console, heading: str, lines: list[str], style: str | None = None) -> None:
    if not lines:
        return
    _say(console, f"[bold]{heading}[/bold]")
    layout.bullets(console, lines, style)


def _course(console: Console, course: dict, doc: dict, reader: Reader, sources: bool) -> None:
    who = [course["subject"], *course["victims"]]
    title = f"{reader.person(course['subject'])} → {reader.persons(course['victims'])}"
    if len(title) + 6 <= console.width:
        console.rule(_m(f"[bold]{escape(title)}[/bold]"), align="left")
    else:
        _say(console, f"[bold]{escape(title)}[/bold]")
    if course["kind"] == "multiple":
        _say(console, "One course towards several people, with an intent to persuade (PHA 1997 s.1(1A)).")
    incident_keys = [k for o in course.get("occasion_detail", []) for k in o["incidents"]]
    _say(console, escape(reader.text(_headline(course), who, ())), style=COURSE_STYLE[course["status"]])
    if course["occasions"]:
        _occasions(console, course, reader)
    by_reason: dict[str, list[str]] = {}
    for e in course["excluded"]:
        by_reason.setdefault(e["reason"], []).append(e["incident"])
    left_out = [
        f"{escape(reader.incident_list(keys))}: {EXCLUDED_WORDS.get(reason, label(reason))}"
        for reason, keys in by_reason.items()
    ]
    _bullet_section(console, "Left out", left_out)
    mentioned = incident_keys + [e["incident"] for e in course["excluded"]]
    review = [
        escape(_sentence(reader.text(r["text"], who, mentioned)))
        for r in course["reasons"]
        if r["code"] in REVIEW_CODES
    ]
    _bullet_section(console, "Also for review", _at_most(review, "more points for review"))
    _offences(console, course["offences"], "What the recorded facts could support", sources)
    if course.get("other_offences"):
        _offences(console, course["other_offences"], "Other offences the check also looks at", sources)
    _bullet_section(console, "Time limits", _limit_lines(course, reader))
    _single_incidents(console, course.get("single_incident_offences") or [], reader)
    _say(
        console,
        "[dim]'could support' means the points the check looks at are recorded; what the subject "
        "knew or meant, and any defence, are for the police, prosecutors and courts.[/dim]",
    )
    _course_notes(console, course, doc, reader, who)


def _headline(course: dict) -> str:
    status = course["status"]
    n_occ = len(course["occasions"])
    n_inc = sum(len(o["incidents"]) for o in course.get("occasion_detail", [])) or n_occ
    if n_inc == 1:
        what = "This incident"
    elif n_inc == n_occ:
        what = f"These {n_inc:,} incidents"
    else:
        what = f"These {n_inc:,} incidents, on {n_occ:,} occasions,"
    first = next(
        (r for r in course["reasons"] if r["code"] in ("two_or_more_occasions", "occasion_towards_each")), None
    )
    if status == "met":
        detail = f": {first['text']}" if first else ""
        return f"{what} could make a course of conduct{detail} ({'; '.join(first['cite']) if first else ''})."
    if status == "borderline":
        why = [r["text"] for r in course["reasons"] if r["code"] in BORDERLINE_CODES]
        return f"Borderline — for review because {'; and '.join(why) or 'of the reasons below'}."
    reason = next(
        (r["text"] for r in course["reasons"] if r["code"] in ("fewer_than_two_occasions", "fewer_than_two_harassed")),
        "",
    )
    return f"Not yet a course of conduct: {reason}."


BORDERLINE_CODES = (
    "wide_gap",
    "volatile_mutual_relationship",
    "reconciled_between_incidents",
    "single_act_several_people",
    "indirect_conduct",
)


def _occasions(console: Console, course: dict, reader: Reader) -> None:
    """The occasions of a course: a table when it fits, else one block per occasion. A long
    list shows its first and last ``SHOWN_ENDS`` (``--json`` and ``timeline`` have them all)."""
    details = course.get("occasion_detail") or [
        {"key": k, "incidents": [k], "start": None, "end": None} for k in course["occasions"]
    ]
    gaps = [""] + [str(g) for g in course["gaps_days"]]
    numbered = list(enumerate(zip(details, gaps, strict=True), 1))
    hidden = 0
    if len(numbered) > LONG_LIST:
        hidden = len(numbered) - 2 * SHOWN_ENDS
        numbered = numbered[:SHOWN_ENDS] + numbered[-SHOWN_ENDS:]
    rows = []
    for n, (occ, gap) in numbered:
        parts = [reader.incidents.get(k, {}) for k in occ["incidents"]]
        rows.append(
            [
                str(n),
                _when(occ, parts),
                _gap_cell(gap, n, course),
                escape(reader.numbers(occ["incidents"])),
                escape(_words(parts, "behaviours")),
                escape(_words(parts, "effects")) or "[dim]none recorded[/dim]",
            ]
        )

    def heading(row) -> str:
        gap = f" [dim](gap {_days(int(Text.from_markup(row[2]).plain))})[/dim]" if row[2] else ""
        return f"[bold]Occasion {row[0]}[/bold] — {row[1]}{gap}"

    columns: tuple[tuple[str, dict], ...] = (
        ("#", {"justify": "right"}),
        ("Date", {"no_wrap": True}),
        ("Gap (days)", {"justify": "right"}),
        ("Incidents", {}),
        ("What happened", {}),
        ("Effect", {}),
    )
    more = f"… {hidden:,} more occasions here (every one is in stalklog timeline and check --json) …"
    marked = rows
    if hidden:  # a row where the middle of the list is left out
        marked = [*rows[:SHOWN_ENDS], ["…", "", "", f"[dim]{hidden:,} more[/dim]", "", ""], *rows[SHOWN_ENDS:]]
    table = layout.fitting_table(console, columns, marked, title="Occasions", wide=0)
    if table is not None:
        console.print(table)
        if hidden:
            _say(console, "[dim]Every occasion is in stalklog timeline and check --json.[/dim]")
        return
    _say(console, "[bold]Occasions[/bold]")
    layout.show_blocks(console, columns, rows[:SHOWN_ENDS] if hidden else rows, heading, (0, 1, 2))
    if hidden:
        _say(console, f"[dim]{more}[/dim]")
        layout.show_blocks(console, columns, rows[SHOWN_ENDS:], heading, (0, 1, 2))


def _when(occ: dict, parts: list[dict]) -> str:
    if not occ.get("start"):
        return escape(str(parts[0].get("occurred", ""))) if parts and parts[0] else "—"
    text = _date(occ["start"]) if occ["start"] == occ["end"] else f"{_date(occ['start'])} – {_date(occ['end'])}"
    if any(p.get("precision") == "month" for p in parts):
        text += " (month only)"
    elif any(p.get("precision") == "approximate" for p in parts):
        text += " (about)"
    return text


def _gap_cell(gap: str, n: int, course: dict) -> str:
    wide = any(r["code"] == "wide_gap" for r in course["reasons"])
    if gap and wide and int(gap) > 90:
        return f"[bold yellow]{gap}[/bold yellow]"
    return gap


def _words(parts: list[dict], field: str) -> str:
    seen = dict.fromkeys(w for p in parts for w in (p.get(field) or []))
    return ", ".join(label(w) for w in seen)


def _offences(console: Console, offences: list[dict], title: str, sources: bool) -> None:
    """Offences as a table on a wide screen, else one block each; then, with ``sources``,
    the statutes and cases behind each one."""
    rows = []
    for off in offences:
        limit = _limit_cell(off)
        rows.append(
            [
                escape(off["title"]),
                f"[{STATUS_STYLE[off['status']]}]{STATUS_WORDS[off['status']]}[/]",
                escape(_why(off)),
                limit,
                escape(off["max_penalty"]),
            ]
        )
    layout.show_table(
        console,
        title=title,
        columns=(
            ("Offence", {}),
            ("Result", {"no_wrap": True}),
            ("Why", {}),
            ("Time limit", {}),
            ("Maximum", {}),
        ),
        rows=rows,
        heading=lambda row: f"[bold]{row[0]}[/bold] — {row[1]}",
        in_heading=(0, 1),
    )
    if sources:
        _bullet_section(
            console,
            "Sources",
            [f"{escape(o['title'])}: {escape('; '.join(o['cite']))}" for o in offences if o.get("cite")],
        )


def _why(off: dict) -> str:
    """One short reason: the first point missing, or why it is for review."""
    if off["status"] == "indicated":
        return "all points recorded"
    reasons = off.get("reasons") or []
    if not reasons:
        return ""
    extra = len(reasons) - 1
    if not extra:
        return reasons[0]["text"]
    if off["status"] == "not_indicated":
        more = "1 more point missing" if extra == 1 else f"{extra} more points missing"
    else:
        more = "1 more reason" if extra == 1 else f"{extra} more reasons"
    return f"{reasons[0]['text']} (and {more})"


def _days(n: int) -> str:
    return f"{n:,} day" if n == 1 else f"{n:,} days"


def deadline_cell(limit: dict, live: bool = True, civil: bool = False) -> str:
    """The time limit in days, red and bold when 28 days or fewer are left.

    ``live``: the offence could be supported or is for review. Otherwise the date is shown
    quietly, as where the limit would fall, so nobody reads urgency (or "too late") into an
    offence the records do not support yet. An imprecise date gives a range that "may
    already have passed"; NI art.4's unconfirmed limit is "if the six-month limit applies"
    (check-v2 §7, §8)."""
    if not limit.get("applies") or limit.get("status") == "none":
        return "no time limit"
    days = limit["days_left"]
    when = _date(limit["deadline"])
    status = limit.get("status")
    if status == "unverified":
        return (
            f"{'[dim]' if not live else ''}until {when}, if the six-month limit applies{'[/dim]' if not live else ''}"
        )
    if not live:
        return f"[dim]{'ended' if days < 0 else 'would end'} {when}[/dim]"
    if status == "may_have_expired":
        return f"[red]may already have passed on {when}[/red] (at the latest {_date(limit.get('deadline_latest'))})"
    if days < 0:
        return f"[red]ended on {when}[/red] ({_days(-days)} ago)"
    if days == 0:
        return f"[bold red]last day today ({when})[/bold red]"
    text = f"{_days(days)} left {'to bring a claim' if civil else 'for a prosecution to begin'} (until {when})"
    if limit.get("deadline_latest"):
        text += f" (or until {_date(limit['deadline_latest'])})"
    return f"[bold red]{text}[/bold red]" if days <= SOON else text


def _limit_cell(off: dict) -> str:
    """The offence's own limit, and where the last incident may stand apart, the other one."""
    live = off["status"] in ("indicated", "borderline")
    cell = deadline_cell(off["time_limit"], live=live, civil=off.get("kind") == "civil")
    linked = off["time_limit"].get("if_last_not_linked")
    if linked and live:
        cell += f"\n[yellow]if the last incident stands apart: {_date(linked['deadline'])}[/yellow]"
    return cell


def _limit_lines(course: dict, reader: Reader) -> list[str]:
    """Which offence each deadline belongs to, in sentences (check-v2 §7)."""
    lines = []
    titles = {o["id"]: o["title"] for o in course["offences"]}
    titles.update({s["id"]: s["title"] for s in course.get("single_incident_offences") or []})
    best = course.get("strongest")
    if best:
        words = STATUS_WORDS[best["status"]]
        title = titles.get(best["offence"], best["offence"])
        civil = any(o["id"] == best["offence"] and o.get("kind") == "civil" for o in course["offences"])
        sentence = prosecution_sentence(best["time_limit"], civil)
        lines.append(escape(f"Strongest: {title} ({words}; maximum {best['max_penalty']}). {sentence}"))
    nxt = course.get("next_deadline")
    if nxt and (not best or nxt["offence"] != best["offence"]):
        title = titles.get(nxt["offence"], nxt["offence"])
        which = f" ({reader.incident_list(nxt['incidents'])})" if nxt["incidents"] else ""
        sentence = prosecution_sentence({"applies": True, **nxt})  # a next deadline always applies
        lines.append(escape(f"Next deadline: {title}{which}. {sentence}"))
    apart: dict[str, list[str]] = {}
    for off in course["offences"]:
        linked = (off.get("time_limit") or {}).get("if_last_not_linked")
        if linked and off["status"] in ("indicated", "borderline"):
            apart.setdefault(prosecution_sentence(linked), []).append(source_of(off["title"]))
    last = reader.incident(course["occasions"][-1]) if course["occasions"] else ""
    for sentence, owners in apart.items():
        lines.append(
            escape(
                f"{' and '.join(owners)}: if {last} is not part of the same course (DPP v Baker), the earlier "
                f"incidents had their own limit. {sentence}"
            )
        )
    return lines


def _single_incidents(console: Console, items: list[dict], reader: Reader) -> None:
    """Offences one incident of the course could make (check-v2 §12): options, not results."""
    lines = [
        escape(
            f"{item['title']} — {reader.incident_list(item['incidents'])}: {item['why']}. "
            f"Maximum {item['max_penalty']}. {prosecution_sentence(item['time_limit'])}"
        )
        for item in items
    ]
    _bullet_section(
        console,
        "Single incidents within this course: other offences to consider (options, not results)",
        _at_most(lines, "more single incidents"),
    )


def _course_notes(console: Console, course: dict, doc: dict, reader: Reader, who: list[str]) -> None:
    def mine(item: dict) -> bool:
        return item.get("subject") == course["subject"] and item.get("victims") == course["victims"]

    for w in (w for w in doc["warnings"] if mine(w)):
        style = "bold red" if w["code"] in ("time_limit_soon", "time_limit_expired") else "yellow"
        layout.bullets(console, [escape(_sentence(reader.text(w["text"], who, w.get("incidents", ()))))], style, "⚠")
    if course["kind"] == "single":
        missing = [m for m in doc["missing"] if mine(m)]
        _bullet_section(
            console,
            "What to record next",
            [
                escape(f"{_sentence(reader.text(m['text'], who))} ({reader.incident_list(m['incidents'])})")
                for m in missing
            ],
        )
    caveats = dict.fromkeys(
        c for o in course["offences"] if o["status"] in ("indicated", "borderline") for c in o.get("caveats", [])
    )
    _bullet_section(console, "Also note", [escape(c) for c in caveats], "dim")


def _sentence(text: str) -> str:
    """Capitalise each sentence start of an engine text for reading."""
    parts = [p.strip() for p in text.replace("? ", "?\n").split("\n")]
    return " ".join(p[:1].upper() + p[1:] for p in parts if p)


def _alternatives(console: Console, alternatives: list[dict], reader: Reader) -> None:
    if not alternatives:
        return
    _say(console)
    _say(console, "[bold]Single incidents: other offences to consider[/bold] (options, not results)")
    lines = []
    for alt in alternatives:
        who = ""
        if "subject" in alt:
            who = f", from {reader.person(alt['subject'])} to {reader.persons(alt['victims'])}"
        limit = (
            f" Maximum {alt['max_penalty']}. {prosecution_sentence(alt['time_limit'])}" if "time_limit" in alt else ""
        )
        lines.append(
            f"{escape(alt['title'])} — {escape(reader.incident_list(alt['incidents']) + who)}: "
            f"{escape(alt['why'])}.{escape(limit)}"
        )
    layout.bullets(console, lines)


# ------------------------------------------------------------------ many cases


CASELOAD_TITLE = "Courses across open cases, most urgent first"
CASELOAD_COLUMNS = ("Case", "Who → towards whom", "Course", "Strongest offence", "Deadline")


def render_caseload(rows: list[dict], console: Console, people: dict[str, dict[str, str]] | None = None) -> None:
    """One line (or block) per course, most urgent first (see ``stalklog.law.caseload``).

    ``people``: for each case reference, its people's names by key. More than
    ``render.PLAIN_ROWS`` courses (a helpline's whole caseload) are plain aligned text with
    the same cells: rich would lay out every row in memory first (half a gigabyte and most
    of the time for 23,000 cases)."""
    from stalklog.cli.render import PLAIN_ROWS

    if not rows:
        _say(console, "No courses to show.")
        return
    if len(rows) > PLAIN_ROWS:
        _plain_caseload(rows, console, people)
        return
    layout.show_table(
        console,
        title=CASELOAD_TITLE,
        columns=[(c, {"no_wrap": c == "Case"}) for c in CASELOAD_COLUMNS],
        rows=list(_caseload_cells(rows, people)),
        heading=lambda r: f"[bold]{r[0]}[/bold]: {r[1]}",
        in_heading=(0, 1),
    )
    _say(console, f"[italic]{escape(SHORT_DISCLAIMER)}[/italic]")


def _plain_caseload(rows: list[dict], console: Console, people: dict[str, dict[str, str]] | None = None) -> None:
    from stalklog.cli.render import write_plain

    lines = [[_plain_cell(cell) for cell in cells] for cells in _caseload_cells(rows, people)]
    write_plain(console.file, list(CASELOAD_COLUMNS), lines, title=CASELOAD_TITLE)
    console.file.write(SHORT_DISCLAIMER + "\n")
    console.file.flush()


@functools.lru_cache(maxsize=8192)
def _plain_cell(markup: str) -> str:
    """A caseload cell as plain text on one line. Markup without a ``[`` has no tags or escapes
    to read, so it is its own text; the rest (course words, deadlines, offence titles: a few
    hundred distinct cells in a caseload of thousands) is read once each."""
    text = markup if "[" not in markup else _m(markup).plain
    return text.replace("\n", " ")


def _caseload_cells(rows: list[dict], people: dict[str, dict[str, str]] | None = None):
    """Each course's cells, as rich markup: people by name, the strongest offence by title."""
    for row in rows:
        reader = Reader((people or {}).get(str(row["case"])))
        strongest = "—"
        if row["strongest"]:
            strongest = f"{escape(row['strongest_title'])} ({STATUS_WORDS[row['strongest_status']]})"
            if (row.get("strongest_time_limit") or {}).get("status") == "none":
                strongest += "; no time limit"
        who = f"{reader.person(row['subject'])} → {reader.persons(row['victims'])}"
        if row["kind"] == "multiple":
            who += " (one course towards several people)"
        yield (
            escape(str(row["case"])),
            escape(who),
            _course_words(row["status"]),
            strongest,
            _deadline_owner_cell(row),
        )


def _course_words(status: str) -> str:
    return {
        "met": "[green]could be a course[/green]",
        "borderline": "[yellow]borderline[/yellow]",
        "not_met": "not yet",
    }[status]


def _deadline_owner_cell(row: dict) -> str:
    """The deadline with the offence it belongs to, never beside another offence (check-v2 §7)."""
    days = row["days_left"]
    if days is None:
        return "no deadline running"
    limit = dict(row.get("next_deadline") or row.get("strongest_time_limit") or {})
    if not limit:
        limit = {"applies": True, "deadline": row["deadline"], "days_left": days, "status": row.get("deadline_status")}
    limit.setdefault("applies", True)
    text = escape(deadline_words(limit, row.get("deadline_offence_title") or row.get("deadline_offence") or ""))
    if limit.get("status") in ("expired", "may_have_expired"):
        return f"[red]{text}[/red]"
    return f"[bold red]{text}[/bold red]" if days <= SOON else text


# ------------------------------------------------------------------ the rules


def render_catalogue(entries: list[dict], console: Console) -> None:
    """The offences the check knows: a table per jurisdiction when it fits, else blocks."""
    by_juris: dict[str, list[dict]] = {}
    for entry in entries:
        by_juris.setdefault(entry["jurisdiction"], []).append(entry)
    for juris, items in by_juris.items():
        layout.show_table(
            console,
            title=JURISDICTION_NAMES.get(juris, juris),
            columns=[
                (c, {})
                for c in ("Offence", "What the records must show", "Time limit", "Maximum", "In force from", "Sources")
            ],
            rows=[_catalogue_row(e) for e in items],
            heading=lambda r: r[0],
            wide=160,
        )
        console.print()
    _say(console, f"[italic]{escape(SHORT_DISCLAIMER)}[/italic]")


def _catalogue_row(e: dict) -> list[str]:
    kind = "civil claim" if e["kind"] == "civil" else ("single incident" if e.get("alternative") else "criminal")
    if e.get("order_breach"):
        kind = "breach of a protective order" + (" (contempt, not an offence)" if e["kind"] == "contempt" else "")
    points = [f"• {escape(r['text'] if isinstance(r, dict) else r)}" for r in e["requirements"]]
    points += [f"[yellow]Note: {escape(c)}[/yellow]" for c in e.get("caveats", [])]
    return [
        f"[bold]{escape(e['title'])}[/bold]\n[dim]{escape(e['id'])} · {kind}[/dim]",
        "\n".join(points),
        escape(e["time_limit"]),
        escape(e["max_penalty"]),
        _date(e["in_force"]),
        escape("; ".join(e.get("cite", []))),
    ]


def render_sources(points: list[dict], console: Console) -> None:
    """``stalklog law --sources``: what the research could not confirm, each marked
    "needs checking" (check-v2 §13: the check's own output never prints these)."""
    rows = []
    for p in points:
        who = escape(p["title"]) + ("" if p["id"] == "citation" else f"\n[dim]{escape(p['id'])}[/dim]")
        rows.append([who, escape(p["point"]), "needs checking"])
    layout.show_table(
        console,
        title="Points and citations that need checking",
        columns=(("Offence or citation", {}), ("What needs checking", {}), ("Status", {"no_wrap": True})),
        rows=rows,
        heading=lambda r: r[0],
    )
    _say(console, f"[italic]{escape(SHORT_DISCLAIMER)}[/italic]")
