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


def catalogue(jurisdiction: str | None = None, sources: bool = False) -> list[dict]:
    """Every offence (and single-incident offence) of one jurisdiction, or of all. Points the
    research could not confirm are listed only with ``sources`` (``stalklog law --sources``,
    check-v2 §13), marked "needs checking"."""
    from stalklog.law import single
    from stalklog.law.check import JURISDICTIONS, jurisdiction_of
    from stalklog.law.offence import catalogue_entry

    names = [jurisdiction_of(jurisdiction).id] if jurisdiction else list(JURISDICTIONS)
    out = []
    for name in names:
        out += [catalogue_entry(o) for o in JURISDICTIONS[name].offences]
        out += [{**catalogue_entry(o), "other_offence": True} for o in JURISDICTIONS[name].other_offences]
        out += [single.catalogue_entry(o, name) for o in single.BY_JURISDICTION.get(name, ())]
    from stalklog.law.orders import catalogue as order_breaches

    out += [e for name in names for e in order_breaches(name)]
    if not sources:
        for entry in out:
            entry["caveats"] = []
    return out


def uncertain_sources(jurisdiction: str | None = None) -> list[dict]:
    """What the research marks as needing checking, per offence, for ``stalklog law --sources``."""
    from stalklog.law.sources import OTHER_POINTS, UNCERTAIN

    entries = catalogue(jurisdiction, sources=True)
    out = [
        {"id": e["id"], "jurisdiction": e["jurisdiction"], "title": e["title"], "point": c, "status": "needs checking"}
        for e in entries
        for c in e["caveats"]
    ]
    out += [
        {"id": "citation", "jurisdiction": None, "title": cite, "point": why, "status": "needs checking"}
        for cite, why in {**UNCERTAIN, **OTHER_POINTS}.items()
    ]
    return out
