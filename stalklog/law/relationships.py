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


EX_PARTNERS = frozenset({"ex-partner", "ex-spouse"})
PARTNERS = frozenset({"partner", "spouse"})
SCA_EX_PARTNER_RULE = dt.date(2023, 4, 5)  # Domestic Abuse Act 2021 s.68


def connected_sca(rel: Relationship, day: dt.date) -> bool:
    """Serious Crime Act 2015 s.76(6): personally connected on ``day``."""
    if rel.kind in PARTNERS or rel.kind == "family":
        return True
    if rel.kind in EX_PARTNERS:
        living = rel.lived_together_until is not None and day <= rel.lived_together_until
        return living or day >= SCA_EX_PARTNER_RULE
    return False


def connected_partner(rel: Relationship, day: dt.date) -> bool:
    """Domestic Abuse (Scotland) Act 2018 s.11: partner or ex-partner."""
    return rel.kind in PARTNERS or rel.kind in EX_PARTNERS


def connected_ni(rel: Relationship, day: dt.date) -> bool:
    """Domestic Abuse and Civil Proceedings Act (NI) 2021 s.5: (former) partners, family."""
    return connected_partner(rel, day) or rel.kind == "family"
