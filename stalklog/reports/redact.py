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
    "address": "addresses and places",
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


def statement(kinds: list[str]) -> str:
    """The sentence the document carries about what was withheld."""
    if not kinds:
        return ""
    items = [WHAT[k] for k in kinds]
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return (
        f"Disclosure copy: {listed} have been withheld from this document and replaced by a note in brackets. "
        "The case file itself is unchanged; exhibit hashes refer to the original, unedited files."
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
    """Names and identifiers of the case's people, as exact phrases, longest first."""
    pairs: dict[str, str] = {}
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
