"""The course-of-conduct check: case records in, verdicts out.

A pure package — no database, no printing. ``check_case`` writes the check-v1 document
(``docs/check.md``); ``catalogue`` lists the rules as data for ``stalklog law``;
``caseload_rows`` turns many check documents into one urgency-ordered table.

Not legal advice: the check says what the recorded facts could support, for review by
the police, a prosecutor or a lawyer.
"""

from __future__ import annotations

__all__ = ["DISCLAIMER", "JURISDICTIONS", "catalogue", "caseload_rows", "check_case"]

# Loaded when first asked for, so that ``stalklog.law.wording`` (the wording and ``day``,
# which views and the desk use) does not bring in every jurisdiction's rules.
_LAZY = {
    "check_case": "stalklog.law.check",
    "jurisdiction_of": "stalklog.law.check",
    "JURISDICTIONS": "stalklog.law.check",
    "caseload_rows": "stalklog.law.caseload",
    "DISCLAIMER": "stalklog.law.wording",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


_ALTERNATIVES = {
    "england-wales": ("osa-s181", "mca-s1"),
    "northern-ireland": ("osa-s181",),
}


def catalogue(jurisdiction: str | None = None) -> list[dict]:
    """Every offence (and single-message alternative) of one jurisdiction, or of all."""
    from stalklog.law import england_wales
    from stalklog.law.check import JURISDICTIONS, jurisdiction_of
    from stalklog.law.offence import catalogue_entry

    names = [jurisdiction_of(jurisdiction).id] if jurisdiction else list(JURISDICTIONS)
    out = []
    for name in names:
        out += [catalogue_entry(o) for o in JURISDICTIONS[name].offences]
        out += [{**catalogue_entry(o), "other_offence": True} for o in JURISDICTIONS[name].other_offences]
        out += [
            _alternative(a, name)
            for a in england_wales.CATALOGUE_ALTERNATIVES
            if a["id"] in _ALTERNATIVES.get(name, ())
        ]
    from stalklog.law.orders import catalogue as order_breaches

    return out + [e for name in names for e in order_breaches(name)]


def _alternative(entry: dict, jurisdiction: str) -> dict:
    return {
        **entry,
        "jurisdiction": jurisdiction,
        "kind": "criminal",
        "alternative": True,
        "requirements": [
            {"code": f"point_{n}", "text": t, "cite": [entry["title"]]} for n, t in enumerate(entry["requirements"], 1)
        ],
        "for_review": [],
        "in_force_cite": entry["title"],
        "dates": [{"date": entry["in_force"], "what": "in force (needs checking)"}],
        "cite": [entry["title"].split("(")[-1].rstrip(")")],
    }
