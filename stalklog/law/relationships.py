"""The subject's relationship to a victim, and who is "personally connected" on a day
(Serious Crime Act 2015 s.76(6); Domestic Abuse (Scotland) Act 2018 s.11; DACP(NI)A 2021 s.5). Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Relationship:
    """The subject's relationship to a victim, as the bundle records it."""

    kind: str | None = None
    lived_together_until: dt.date | None = None
    relationship_ended: dt.date | None = None


EX_PARTNERS = frozenset({"ex-partner", "ex-spouse"})
PARTNERS = frozenset({"partner", "spouse"})
SCA_EX_PARTNER_RULE = dt.date(2023, 4, 5)  # Domestic Abuse Act 2021 s.68


def connected_sca(rel: Relationship, day: dt.date) -> bool:
    """Serious Crime Act 2015 s.76(6): personally connected on ``day`` (an unknown
    living-together date counts as not connected; ``sca_connection`` says "unknown")."""
    return sca_connection(rel, day) == "yes"


def sca_connection(rel: Relationship, day: dt.date) -> str:
    """``yes``, ``no`` or ``unknown``: personally connected on ``day`` (Serious Crime Act
    2015 s.76(2), (6)). Before 5 Apr 2023 (Domestic Abuse Act 2021 s.68): partners and
    spouses; family and ex-partners only while living together. From then: partners,
    ex-partners and family, living together or not (check-v2 §4)."""
    if rel.kind in PARTNERS:
        return "yes"
    if rel.kind not in EX_PARTNERS and rel.kind != "family":
        return "no"
    if day >= SCA_EX_PARTNER_RULE:
        return "yes"
    if rel.kind in EX_PARTNERS and rel.relationship_ended is not None and day <= rel.relationship_ended:
        return "yes"  # still a partner then
    if rel.lived_together_until is None:
        return "unknown"
    return "yes" if day <= rel.lived_together_until else "no"


def connected_partner(rel: Relationship, day: dt.date) -> bool:
    """Domestic Abuse (Scotland) Act 2018 s.11: partner or ex-partner."""
    return rel.kind in PARTNERS or rel.kind in EX_PARTNERS


def connected_ni(rel: Relationship, day: dt.date) -> bool:
    """Domestic Abuse and Civil Proceedings Act (NI) 2021 s.5: (former) partners, family."""
    return connected_partner(rel, day) or rel.kind == "family"
