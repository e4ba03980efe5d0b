"""Redaction for disclosure copies: applied to a report model's strings only.

The case file is never touched: ``redact`` returns a new model in which the chosen kinds
of detail are replaced by a bracketed note (``[phone number withheld]``), and the model
says what was withheld so the document can state it. Hashes, exhibit references, the case
reference, dates and vocabulary codes are left as they are: a disclosure copy must still
point at the same exhibits and the same ledger.
"""

from __future__ import annotations

import copy
import re

from stalklog.errors import InvalidValue

WHAT = {
    "address": "addresses and places (every recorded place, and each place name, house number and postcode "
    "from them, wherever it appears)",
    "phone": "telephone numbers",
    "email": "email addresses",
    "names-of-witnesses": "names of witnesses",
    "names": "names of people",
    "identifiers": "the subject's and others' telephone numbers, accounts and other identifiers",
}
ALIASES = {
    "addresses": "address",
    "phones": "phone",
    "emails": "email",
    "witnesses": "names-of-witnesses",
    "witness-names": "names-of-witnesses",
    "people": "names",
    "identifier": "identifiers",
    "name": "names",
}

# Keys whose values are never changed: they must still match the case file and its hashes.
KEEP = {
    "sha256",
    "head_hash",
    "ref",
    "key",
    "code",
    "reason_code",
    "occurred",
    "occurred_end",
    "recorded",
    "obtained",
    "date",
    "as_of",
    "generated",
    "taken",
    "cite",
    "format",
    "version",
    "kind",
    "status",
    "id",
    "precision",
    "by",
    "towards",
    "affected",
    "procured_by",
    "links",
    "same_occasion_as",
    "occasions",
    "incidents",
    "exhibits_refs",
    "behaviours",
    "effects",
    "impacts",
    "jurisdiction",
    "context",
    "attribution",
    "channel",
    "role",
    "relationship",
    "excluded",
    "flags",
    "deadline",
    "police_ref",
    "chart_points",
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\d)|(?<![\w+])\+\d(?:[\s-]?\d){7,13}(?!\d)"
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET = re.compile(
    r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Place|Crescent|Court|Gardens|Terrace|Grove|Hill|Square)\b"
)
_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_.]{2,}")


def parse(values: list[str] | None) -> list[str]:
    """``["address,phone", "names-of-witnesses"]`` → the kinds, checked."""
    out: list[str] = []
    for v in values or []:
        for word in (w.strip().lower().replace("_", "-") for w in v.split(",")):
            if not word:
                continue
            word = ALIASES.get(word, word)
            if word not in WHAT:
                raise InvalidValue(
                    f'--redact: "{word}" is not something stalklog can redact.',
                    hint=f"Use one or more of: {', '.join(WHAT)} (comma-separated).",
                )
            if word not in out:
                out.append(word)
    return out


FILE_NOTE = "[file name withheld]"


def statement(kinds: list[str]) -> str:
    """The sentence the document carries about what was withheld."""
    if not kinds:
        return ""
    items = [WHAT[k] for k in kinds] + ["the original file names of exhibits"]
    listed = "; ".join(items[:-1]) + "; and " + items[-1]
    return (
        f"Disclosure copy. Withheld from this document and replaced by a note in brackets: {listed}. "
        "The case file itself is unchanged; exhibit references and hashes refer to the original, unedited files."
    )


def redact(report: dict, kinds: list[str]) -> dict:
    """A copy of the report model with ``kinds`` withheld from its text."""
    if not kinds:
        return report
    out = copy.deepcopy(report)
    replacements = _literal_replacements(report, kinds)
    witness_lists = "names-of-witnesses" in kinds

    def text(value: str, key: str | None) -> str:
        if key == "location" and "address" in kinds and value.strip():
            return "[place withheld]"
        if key == "file" and value.strip():
            return FILE_NOTE
        for pattern, note in replacements:
            value = pattern.sub(note, value)
        if "email" in kinds or "identifiers" in kinds:
            value = _EMAIL.sub("[email address withheld]", value)
        if "phone" in kinds or "identifiers" in kinds:
            value = _PHONE.sub("[telephone number withheld]", value)
        if "identifiers" in kinds:
            value = _HANDLE.sub("[account withheld]", value)
        if "address" in kinds:
            value = _STREET.sub("[address withheld]", value)
            value = _POSTCODE.sub("[postcode withheld]", value)
        return value

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in KEEP and _plain(v) and not (k == "by" and isinstance(v, str)):  # "by" text: a name
                    continue
                if k == "witnesses" and witness_lists and isinstance(v, list):
                    node[k] = ["[witness withheld]" for _ in v]
                else:
                    node[k] = walk(v, k)
            return node
        if isinstance(node, list):
            return [walk(v, key) for v in node]
        if isinstance(node, str):
            return text(node, key)
        return node

    walk(out)
    out["redacted"] = list(kinds)
    out["redaction_statement"] = statement(kinds)
    return out


def _plain(value) -> bool:
    """A code, key, date or hash (or a list of them), as opposed to records with text in them."""
    return (
        value is None
        or isinstance(value, (str, int, float, bool))
        or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    )


def _literal_replacements(report: dict, kinds: list[str]) -> list[tuple[re.Pattern, str]]:
    """Exhibit file names, places, and the names and identifiers of the case's people, as
    exact phrases, longest first."""
    pairs: dict[str, str] = {}
    for name in _file_names(report):
        pairs.setdefault(name, FILE_NOTE)
    if "address" in kinds:
        for phrase in place_phrases(report):
            pairs.setdefault(phrase, "[place withheld]")
    for p in report.get("people") or []:
        name = (p.get("name") or "").strip()
        role = p.get("role")
        if name and ("names" in kinds or ("names-of-witnesses" in kinds and role == "witness")):
            note = f"[{p.get('role_text') or role} {p['key']}]" if role != "victim" else "[the victim]"
            for variant in _name_variants(name):
                pairs.setdefault(variant, note)
        if "identifiers" in kinds:
            for ident in p.get("identifiers") or []:
                if len(ident.strip()) >= 3:
                    pairs.setdefault(ident.strip(), "[identifier withheld]")
    ordered = sorted(pairs, key=len, reverse=True)
    return [(re.compile(r"(?<!\w)" + re.escape(v) + r"(?!\w)", re.IGNORECASE), pairs[v]) for v in ordered]


def _name_variants(name: str) -> list[str]:
    """The full name, the name without a bracketed note, and its capitalised words."""
    bare = re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()
    variants = [name, bare]
    variants += [w for w in re.split(r"\s+", bare) if len(w) >= 3 and w[:1].isupper()]
    return [v for v in dict.fromkeys(variants) if v]


def _file_names(report: dict) -> list[str]:
    """Every exhibit's original file name, and the name without its folder."""
    names: list[str] = []
    for inc in (report.get("records") or {}).get("incidents") or report.get("incidents") or []:
        for e in inc.get("exhibits") or []:
            file = (e.get("file") or "").strip()
            if file:
                names += [file, re.split(r"[\\/]", file)[-1]]
    return [n for n in dict.fromkeys(names) if len(n) >= 3]


# Words that name a kind of place rather than a place: they stay when they stand alone.
ORDINARY = {
    "road",
    "rd",
    "street",
    "st",
    "avenue",
    "ave",
    "lane",
    "ln",
    "close",
    "drive",
    "way",
    "place",
    "crescent",
    "court",
    "gardens",
    "terrace",
    "grove",
    "hill",
    "square",
    "park",
    "green",
    "village",
    "town",
    "city",
    "station",
    "centre",
    "center",
    "car",
    "bus",
    "stop",
    "the",
    "near",
    "outside",
    "opposite",
    "by",
    "on",
    "at",
    "in",
    "of",
    "and",
    "to",
    "from",
    "gym",
    "shop",
    "house",
    "flat",
    "home",
    "school",
    "office",
    "work",
    "retail",
    "church",
    "north",
    "south",
    "east",
    "west",
    "upper",
    "lower",
    "new",
    "old",
    "high",
    "main",
    "market",
    "front",
    "back",
    "door",
    "doorstep",
    "garden",
    "street's",
    "my",
    "her",
    "his",
    "their",
    "our",
    "a",
    "an",
    "behind",
    "train",
    "platform",
    "entrance",
    "exit",
    "corner",
    "end",
    "side",
    "top",
    "bottom",
    "friend's",
    "friends",
    "mum's",
    "dad's",
    "parents'",
    "pub",
    "bar",
    "cafe",
    "café",
    "restaurant",
    "hospital",
    "surgery",
    "library",
    "supermarket",
    "store",
    "university",
    "college",
    "nursery",
    "playground",
    "hall",
    "building",
    "block",
    "floor",
    "unit",
    "estate",
    "industrial",
    "business",
    "shopping",
    "leisure",
    "sports",
    "club",
    "road's",
}
_PREPOSITION_PLACE = re.compile(r"\b(?:to|in|at|near|around|towards|moved)\s+((?:[A-Z][\w'’-]+\s?){1,3})")
_CAPITALISED_RUN = re.compile(r"(?:\b[A-Z][\w'’-]*\s*){1,4}")
_HOUSE_NUMBER_PHRASE = re.compile(r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Za-z][\w'’-]*\s*){1,4}")


def place_phrases(report: dict) -> list[str]:
    """Each recorded place, and each place name, house number (with its street) and
    postcode within it; and capitalised names after "moved to", "in", "at" in the text of
    changes to daily life (where a new home or route is described)."""
    locations = [i.get("location") or "" for i in report.get("incidents") or []]
    locations += [i.get("location") or "" for i in (report.get("records") or {}).get("incidents") or []]
    phrases: list[str] = []
    for loc in dict.fromkeys(x.strip() for x in locations if x and x.strip()):
        phrases.append(loc)
        for part in re.split(r"[,;/()\n]+", loc):
            part = part.strip(" .")
            if not part:
                continue
            if all(w[:1].isupper() or w[:1].isdigit() for w in part.split()):
                phrases.append(part)  # a part that is all names and numbers ("14 Mill Road")
            phrases += [m.group(0) for m in _POSTCODE.finditer(part)]
            phrases += [m.group(0).strip(" ,") for m in _HOUSE_NUMBER_PHRASE.finditer(part)]
            phrases += [m.group(0).strip(" ,") for m in _CAPITALISED_RUN.finditer(part) if m.group(0).strip()]
            phrases += [w for w in re.findall(r"\b[A-Za-z][\w'’-]*", part) if w[:1].isupper() and len(w) >= 3]
    details = [i.get("detail") or "" for i in report.get("impacts") or []]
    details += [i.get("detail") or "" for i in (report.get("records") or {}).get("impacts") or []]
    for text in details:
        for m in _PREPOSITION_PLACE.finditer(text):
            run = m.group(1).strip()
            phrases.append(run)
            phrases += [w for w in run.split() if w[:1].isupper() and len(w) >= 3]
    kept = []
    for phrase in dict.fromkeys(" ".join(p.split()) for p in phrases):
        words = re.findall(r"[\w'’-]+", phrase.lower())
        if len(phrase) < 2 or not words or all(w in ORDINARY for w in words):
            continue
        if phrase.isdigit():  # a house number on its own would take every such number out of dates
            continue
        kept.append(phrase)
    return kept
