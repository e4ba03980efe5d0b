"""Offences one incident can make (check-v2 §12): threats to kill, threatening and malicious
messages, threatening words in person, and the Scottish and Northern Irish threatening or
abusive behaviour offences. Each is an option to consider, with its own time limit counted
from the end of that incident — never a verdict. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from stalklog import vocab
from stalklog.law import wording as text
from stalklog.law.incidents import MESSAGE_CHANNELS, THREATS, THREATS_OR_ABUSE, Incident, vocab_subset
from stalklog.law.offence import NO_LIMIT, months_limit

OSA_DATE = dt.date(2024, 1, 31)  # Online Safety Act 2023 s.181 (and MCA 1988 s.1 threat limb repealed)
MCA_EITHER_WAY = dt.date(2015, 4, 13)  # Criminal Justice and Courts Act 2015 s.32
S38_DATE = dt.date(2010, 10, 6)
PFSA_DATE = dt.date(2022, 4, 27)
THREATENING_OR_ABUSIVE = vocab_subset(vocab.BEHAVIOURS, "threats", "violence", "abusive")


@dataclass(frozen=True)
class SingleOffence:
    """An offence one incident can make. ``offered`` gives the words of why it is offered
    for an incident, or None; ``limit_months`` the summary limit for that incident, or
    None; ``penalty`` its maximum."""

    id: str
    title: str
    cite: tuple[str, ...]
    offered: Callable[[Incident], str | None]
    limit_months: Callable[[Incident], int | None]
    penalty: Callable[[Incident], str]
    summary: str
    in_force: str
    time_limit_text: str
    max_penalty_text: str

    def entry(self, part: Incident, why: str, as_of: dt.date) -> dict:
        months = self.limit_months(part)
        limit = dict(NO_LIMIT) if months is None else months_limit(part.end_lo, part.end_hi, months, as_of)
        return {
            "id": self.id,
            "title": self.title,
            "incidents": [part.key],
            "why": why,
            "cite": list(self.cite),
            "time_limit": limit,
            "max_penalty": self.penalty(part),
        }


def _message(part: Incident) -> bool:
    return part.channel in MESSAGE_CHANNELS


def _oapa(part: Incident) -> str | None:
    if part.behaviours & THREATS:
        return "a threat: to consider if the threat was to kill"
    return None


def _osa(part: Incident) -> str | None:
    if not (_message(part) and part.behaviours & THREATS) or part.end_hi < OSA_DATE:
        return None
    why = "a message with threats: to consider if the threat was of death or serious harm"
    if part.end_lo < OSA_DATE:
        why += f" and the message was sent on or after {text.day(OSA_DATE)}"
    return why


def _mca(part: Incident) -> str | None:
    if not _message(part):
        return None
    threat = bool(part.behaviours & THREATS) and part.start_lo < OSA_DATE
    if threat:
        return "a message that may be threatening, grossly offensive or indecent, sent to cause distress or anxiety"
    if "abusive" in part.behaviours:
        return "a message that may be grossly offensive or indecent, sent to cause distress or anxiety"
    return None


def _mca_months(part: Incident) -> int | None:
    return 6 if part.end_lo < MCA_EITHER_WAY else None


def _mca_penalty(part: Incident) -> str:
    if part.end_hi < MCA_EITHER_WAY:
        return "6 months"
    if part.end_lo < MCA_EITHER_WAY:
        return f"6 months, or 2 years if on or after {text.day(MCA_EITHER_WAY)}"
    return "2 years"


def _poa(part: Incident) -> str | None:
    if part.channel == "in_person" and part.behaviours & THREATS_OR_ABUSE:
        return "threatening or abusive words or behaviour in person, to consider if meant to cause harassment, alarm or distress"
    return None


def _from(day: dt.date, why: str) -> Callable[[Incident], str | None]:
    def offered(part: Incident) -> str | None:
        if part.end_hi >= day and part.behaviours & THREATENING_OR_ABUSIVE:
            return why
        return None

    return offered


def _none(part: Incident) -> int | None:
    return None


def _fixed(words: str) -> Callable[[Incident], str]:
    return lambda part: words


OAPA_S16 = SingleOffence(
    "oapa-s16",
    "Threats to kill (Offences against the Person Act 1861 s.16)",
    ("Offences against the Person Act 1861 s.16",),
    _oapa,
    _none,
    _fixed("10 years"),
    "A threat, made without lawful excuse, to kill the person or someone else, meant to be taken seriously; one is enough.",
    "1861-11-01",
    "no time limit (either way)",
    "10 years",
)
OSA_S181 = SingleOffence(
    "osa-s181",
    "Threatening communications (Online Safety Act 2023 s.181)",
    ("Online Safety Act 2023 s.181",),
    _osa,
    _none,
    _fixed("5 years"),
    "A message that threatens death or serious harm, sent from 31 Jan 2024; one message is enough.",
    OSA_DATE.isoformat(),
    "no time limit (either way)",
    "5 years",
)
MCA_S1 = SingleOffence(
    "mca-s1",
    "Sending a malicious communication (Malicious Communications Act 1988 s.1)",
    ("Malicious Communications Act 1988 s.1", "Criminal Justice and Courts Act 2015 s.32"),
    _mca,
    _mca_months,
    _mca_penalty,
    "A grossly offensive or indecent message sent to cause distress or anxiety (and, before 31 Jan 2024, a "
    "threatening one); one message is enough.",
    "1988-09-29",
    "six months for a message before 13 Apr 2015; none since (either way)",
    "6 months; 2 years from 13 Apr 2015",
)
POA_S4A = SingleOffence(
    "poa-s4a",
    "Intentional harassment, alarm or distress (Public Order Act 1986 s.4A)",
    ("Public Order Act 1986 s.4A", "Magistrates' Courts Act 1980 s.127"),
    _poa,
    lambda part: 6,
    _fixed("6 months"),
    "Threatening or abusive words or behaviour, meant to cause and causing harassment, alarm or distress; "
    "summary only.",
    "1995-02-03",
    "summary only: 6 calendar months from the incident",
    "6 months",
)
CJLSA_S38 = SingleOffence(
    "cjlsa-s38",
    "Threatening or abusive behaviour (CJL(S)A 2010 s.38)",
    ("CJL(S)A 2010 s.38",),
    _from(S38_DATE, "a single occasion of threatening or abusive behaviour can be enough for s.38"),
    _none,
    _fixed("5 years"),
    "Threatening or abusive behaviour likely to cause a reasonable person fear or alarm.",
    S38_DATE.isoformat(),
    "no time limit",
    "5 years",
)
PFSA_S2 = SingleOffence(
    "pfsa-s2",
    "Threatening or abusive behaviour (Protection from Stalking Act (NI) 2022 s.2)",
    ("Protection from Stalking Act (NI) 2022 s.2",),
    _from(PFSA_DATE, "a single occasion of threatening or abusive behaviour can be enough for s.2 of the 2022 Act"),
    _none,
    _fixed("5 years"),
    "Threatening or abusive behaviour likely to cause a reasonable person fear or alarm, from 27 Apr 2022.",
    PFSA_DATE.isoformat(),
    "no time limit",
    "5 years",
)

BY_JURISDICTION: dict[str, tuple[SingleOffence, ...]] = {
    "england-wales": (OAPA_S16, OSA_S181, MCA_S1, POA_S4A),
    "scotland": (CJLSA_S38,),
    "northern-ireland": (OAPA_S16, OSA_S181, PFSA_S2),
}


def single_incident_offences(occasions, juris: str, as_of: dt.date, skip: frozenset[str] = frozenset()) -> list[dict]:
    """Every single-incident offence each incident of ``occasions`` could make."""
    out = []
    offences = [o for o in BY_JURISDICTION.get(juris, ()) if o.id not in skip]
    for occasion in occasions:
        for part in occasion.parts:
            if part.channel not in MESSAGE_CHANNELS and ANY_OFFERED.isdisjoint(part.behaviours):
                continue  # no offence here is offered for it (each needs a message or one of these words)
            for offence in offences:
                why = offence.offered(part)
                if why:
                    out.append(offence.entry(part, why, as_of))
    return out


# Every behaviour word an offence above looks at: an incident with none of them that is not
# a message is offered nothing (tests/test_perf_guards.py checks each offence).
ANY_OFFERED = THREATS | THREATS_OR_ABUSE | THREATENING_OR_ABUSIVE | frozenset({"abusive"})


def catalogue_entry(offence: SingleOffence, juris: str) -> dict:
    """A single-incident offence as data for ``stalklog law``."""
    return {
        "id": offence.id,
        "title": offence.title,
        "jurisdiction": juris,
        "kind": "criminal",
        "alternative": True,
        "summary": offence.summary,
        "requirements": [{"code": "single_incident", "text": offence.summary, "cite": list(offence.cite)}],
        "for_review": [],
        "time_limit": offence.time_limit_text,
        "max_penalty": offence.max_penalty_text,
        "in_force": offence.in_force,
        "in_force_cite": offence.cite[0],
        "dates": [{"date": offence.in_force, "what": f"in force ({offence.cite[0]})"}],
        "cite": list(offence.cite),
        "caveats": [],
    }
