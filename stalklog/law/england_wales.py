"""England and Wales: Protection from Harassment Act 1997, Crime and Disorder Act 1998
s.32, Serious Crime Act 2015 s.76, and single-message alternatives.

Sources: legislation.gov.uk texts and the cases named in each citation; the project's
own account is in ``docs/check.md``.
"""

from __future__ import annotations

import datetime as dt

from stalklog.law import points
from stalklog.law.courses import Course
from stalklog.law.incidents import HARASSING_EFFECTS, MESSAGE_CHANNELS, PENALTY_RISE, PHA_IN_FORCE, STALKING_BEHAVIOURS
from stalklog.law.offence import Jurisdiction, Offence, TimeLimit
from stalklog.law.relationships import SCA_EX_PARTNER_RULE, connected_sca

ID = "england-wales"
STALKING_DATE = dt.date(2012, 11, 25)  # Protection of Freedoms Act 2012 s.111
SCA_DATE = dt.date(2015, 12, 29)
CDA_DATE = dt.date(1998, 9, 30)
OSA_DATE = dt.date(2024, 1, 31)

BAKER = "DPP v Baker [2004] EWHC 2782 (Admin)"
MCA = "Magistrates' Courts Act 1980 s.127"
PHA_FORCE = "PHA 1997, in force 16 June 1997"
POFA_FORCE = "Protection of Freedoms Act 2012 s.111, in force 25 Nov 2012"

SIX_MONTHS = TimeLimit(
    6,
    True,
    "summary only: 6 calendar months from the last occasion of the course",
    (MCA, BAKER),
)

COURSE = points.course(
    "a course of conduct: conduct on at least two occasions towards the person, or, with an "
    "intent to persuade, on at least one occasion towards each of two or more people; each "
    "occasion relied on must itself be of a harassing character",
    ("PHA 1997 s.7(3)", "PHA 1997 s.1(1A)", "Conn v Sunderland City Council [2007] EWCA Civ 1492"),
)
HARASSING = points.effect(
    "harassing_effect",
    HARASSING_EFFECTS,
    1,
    "alarm or distress (or fear) recorded on at least one occasion; it need not follow every occasion",
    ("PHA 1997 s.7(2)", "Kelly v DPP [2002] EWHC 1428 (Admin)", "Iqbal v Dean Manson Solicitors [2011] EWCA Civ 123"),
    "no occasion records alarm, distress or fear",
)
STALKING = points.behaviour(
    "stalking_behaviour",
    STALKING_BEHAVIOURS,
    1,
    "at least one act associated with stalking: following, contacting, publishing, monitoring "
    "communications, loitering, interfering with property, watching or spying (s.2A(3)), or "
    "entering premises, leaving items, tracking, contacting others about the person",
    ("PHA 1997 s.2A(3)",),
    "no recorded act is one associated with stalking",
)
FEAR_TWICE = points.effect(
    "fear_of_violence_twice",
    frozenset({"fear_of_violence"}),
    2,
    "fear that violence will be used against the person, on at least two occasions "
    "(fear for someone else is taken not to count: R v Henley, needs checking)",
    ("PHA 1997 s.4(1)", "R v Henley [2000] Crim LR 582", "Caurti v DPP [2002] EWHC 867 (Admin)"),
    "fewer than two occasions record fear that violence would be used against the person",
)
SERIOUS = points.serious_effect(
    ("PHA 1997 s.4A(1)(b)", "Tanner v R [2024] EWCA Crim 1576"),
    "either fear of violence on at least two occasions, or serious alarm or distress with a "
    "substantial adverse effect on usual day-to-day activities (a recorded change such as a "
    "new route, time off work, moving home or extra security)",
)
HOSTILITY = points.context_word(
    "racial_or_religious_hostility",
    "racial_or_religious_hostility",
    "the conduct was racially or religiously aggravated (hostility shown or motivated)",
    ("Crime and Disorder Act 1998 s.28", "Crime and Disorder Act 1998 s.32"),
    "racial or religious hostility is not recorded for the case",
)
CONTROLLING = points.behaviour(
    "controlling_behaviour",
    frozenset({"controlling_or_coercive"}),
    2,
    "controlling or coercive behaviour repeatedly or continuously (at least two occasions), from 29 Dec 2015",
    ("Serious Crime Act 2015 s.76(1)(a)",),
    "fewer than two occasions from 29 Dec 2015 record controlling or coercive behaviour",
)
CONNECTED = points.connected_behaviour(
    "personally_connected",
    frozenset({"controlling_or_coercive"}),
    connected_sca,
    "personally connected at the time: partners, spouses or family; ex-partners only while "
    "living together, or for behaviour from 5 Apr 2023",
    ("Serious Crime Act 2015 s.76(6)", "Domestic Abuse Act 2021 s.68"),
    "the two were not personally connected on at least two of the occasions of controlling "
    "or coercive behaviour (or the relationship is not recorded)",
)

KNOWLEDGE = "whether the subject knew or ought to have known it amounted to harassment (PHA 1997 s.1(2))"
DEFENCES = "any defence: preventing or detecting crime, lawful authority, or reasonable conduct (PHA 1997 s.1(3); Hayes v Willoughby)"
FEAR_KNOWLEDGE = "whether the subject knew or ought to have known the conduct would cause fear of violence on each occasion (s.4(1), (2))"
FEAR_DEFENCES = "any defence under s.4(3) (preventing crime, lawful authority, protecting self, others or property)"
HENLEY_CAVEAT = (
    "That fear for someone else does not count rests on R v Henley and Caurti v DPP as "
    "summarised, not read in full: needs checking. Fear need not be of immediate violence "
    "(R v Qosja, as recalled): needs checking."
)

S2_REQS = (COURSE, HARASSING)
S4_REQS = (COURSE, points.single_victim(("PHA 1997 s.4(1)",)), FEAR_TWICE)


def _pha(id_, title, short, reqs, **kw) -> Offence:
    return Offence(id=id_, title=title, short=short, jurisdiction=ID, requirements=reqs, **kw)


OFFENCES = (
    _pha(
        "pha-s2",
        "Harassment (PHA 1997 s.2)",
        "s.2",
        S2_REQS,
        kind="criminal",
        in_force=PHA_IN_FORCE,
        force_cite=PHA_FORCE,
        cite=("PHA 1997 s.2", "PHA 1997 s.1", "PHA 1997 s.7", MCA, BAKER),
        penalty=((None, "6 months"),),
        time_limit=SIX_MONTHS,
        summary="A course of conduct that amounts to harassment of another person.",
        for_review=(KNOWLEDGE, DEFENCES),
    ),
    _pha(
        "cda-s32-s2",
        "Racially or religiously aggravated harassment (CDA 1998 s.32(1)(a))",
        "s.32(1)(a)",
        S2_REQS + (HOSTILITY,),
        kind="criminal",
        in_force=CDA_DATE,
        force_cite="Crime and Disorder Act 1998 s.32, in force 30 Sep 1998",
        cite=("Crime and Disorder Act 1998 s.32(1)(a)", "PHA 1997 s.2"),
        penalty=((None, "2 years"),),
        summary="Harassment (s.2) that is racially or religiously aggravated; triable either way, so no six-month limit.",
        listed_if="racial_or_religious_hostility",
        for_review=(KNOWLEDGE, DEFENCES, "whether hostility was shown or was the motive (CDA 1998 s.28)"),
    ),
    _pha(
        "pha-s2a",
        "Stalking (PHA 1997 s.2A)",
        "s.2A",
        (COURSE, HARASSING, points.single_victim(("PHA 1997 s.2A(1)(a)",)), STALKING),
        kind="criminal",
        in_force=STALKING_DATE,
        force_cite=POFA_FORCE,
        cite=("PHA 1997 s.2A", "PHA 1997 s.2A(3)", MCA, BAKER),
        penalty=((None, "6 months"),),
        time_limit=SIX_MONTHS,
        summary="Harassment of one person by acts associated with stalking.",
        for_review=(KNOWLEDGE, DEFENCES),
        caveats=(
            "Complaints to the police, an employer or a regulator are not counted as acts "
            "associated with stalking; whether they can be is for review (R v Musharraf).",
        ),
    ),
    _pha(
        "pha-s4",
        "Putting people in fear of violence (PHA 1997 s.4)",
        "s.4",
        S4_REQS,
        kind="criminal",
        in_force=PHA_IN_FORCE,
        force_cite=PHA_FORCE,
        cite=("PHA 1997 s.4", "Policing and Crime Act 2017 s.175"),
        penalty=((None, "5 years"), (PENALTY_RISE, "10 years")),
        summary="A course of conduct that causes someone to fear, on at least two occasions, that violence will be used against them.",
        for_review=(FEAR_KNOWLEDGE, FEAR_DEFENCES),
        caveats=(HENLEY_CAVEAT,),
    ),
    _pha(
        "cda-s32-s4",
        "Racially or religiously aggravated putting people in fear of violence (CDA 1998 s.32(1)(b))",
        "s.32(1)(b)",
        S4_REQS + (HOSTILITY,),
        kind="criminal",
        in_force=CDA_DATE,
        force_cite="Crime and Disorder Act 1998 s.32, in force 30 Sep 1998",
        cite=("Crime and Disorder Act 1998 s.32(1)(b)", "PHA 1997 s.4", "Policing and Crime Act 2017 s.175(2)"),
        penalty=((None, "7 years"), (PENALTY_RISE, "14 years")),
        summary="Putting people in fear of violence (s.4) that is racially or religiously aggravated.",
        listed_if="racial_or_religious_hostility",
        for_review=(FEAR_KNOWLEDGE, FEAR_DEFENCES, "whether hostility was shown or was the motive (CDA 1998 s.28)"),
        caveats=(HENLEY_CAVEAT,),
    ),
    _pha(
        "pha-s4a",
        "Stalking involving fear of violence or serious alarm or distress (PHA 1997 s.4A)",
        "s.4A",
        (COURSE, HARASSING, points.single_victim(("PHA 1997 s.4A(1)",)), STALKING, SERIOUS),
        kind="criminal",
        in_force=STALKING_DATE,
        force_cite=POFA_FORCE,
        cite=("PHA 1997 s.4A", "Policing and Crime Act 2017 s.175", "Tanner v R [2024] EWCA Crim 1576"),
        penalty=((None, "5 years"), (PENALTY_RISE, "10 years")),
        summary=(
            "Stalking that causes fear of violence on at least two occasions, or serious alarm "
            "or distress with a substantial adverse effect on usual day-to-day activities."
        ),
        for_review=(
            "whether the subject knew or ought to have known the conduct would cause that fear or alarm (s.4A(1)-(3))",
            "whether a recorded change to daily life is a substantial adverse effect (Home Office circular 018/2012)",
            "any defence under s.4A(4)",
        ),
        caveats=(HENLEY_CAVEAT,),
    ),
    _pha(
        "sca-s76",
        "Controlling or coercive behaviour (Serious Crime Act 2015 s.76)",
        "s.76",
        (COURSE, points.single_victim(("Serious Crime Act 2015 s.76(1)",)), CONTROLLING, CONNECTED, SERIOUS),
        kind="criminal",
        in_force=SCA_DATE,
        force_cite="Serious Crime Act 2015 s.76, in force 29 Dec 2015",
        cite=("Serious Crime Act 2015 s.76", "Domestic Abuse Act 2021 s.68"),
        penalty=((None, "5 years"),),
        summary=(
            "Repeated or continuous controlling or coercive behaviour towards a person the "
            "subject is personally connected to, with a serious effect on them."
        ),
        scope="from_force",
        extra_dates=(
            (SCA_EX_PARTNER_RULE, "ex-partners living apart are personally connected (Domestic Abuse Act 2021 s.68)"),
        ),
        for_review=(
            "whether the subject knew or ought to have known it would have a serious effect (s.76(1)(d), (5))",
            "the best-interests defence (s.76(8)-(10))",
        ),
        caveats=(
            "Before 5 Apr 2023 family members were personally connected only while living "
            "together; this check treats family as connected on any date: needs checking.",
        ),
    ),
    _pha(
        "pha-s3",
        "Civil claim for harassment (PHA 1997 s.3)",
        "s.3",
        S2_REQS,
        kind="civil",
        in_force=PHA_IN_FORCE,
        force_cite=PHA_FORCE,
        cite=("PHA 1997 s.3", "Limitation Act 1980 s.2", "Limitation Act 1980 s.11(1A)"),
        penalty=((None, "none (civil claim: damages and an injunction)"),),
        time_limit=TimeLimit(
            72,
            False,
            "6 years from the last occasion for damages (when the claim accrues needs checking; an injunction against "
            "feared harassment may not be barred the same way, needs checking)",
            ("Limitation Act 1980 s.2", "Limitation Act 1980 s.11(1A)"),
        ),
        summary="A claim in the civil courts for damages and an injunction against harassment.",
        for_review=(KNOWLEDGE, DEFENCES),
        caveats=(
            "When a claim for a course of conduct accrues, and whether each new act renews it, "
            "needs checking; the deadline here runs from the last occasion.",
        ),
    ),
)


def alternatives(course: Course) -> list[dict]:
    """Single-message offences to consider where there is no course of conduct."""
    out = []
    for occasion in course.occasions:
        by_message = [p for p in occasion.parts if p.channel in MESSAGE_CHANNELS]
        threats = [p.key for p in by_message if "threats" in p.behaviours]
        nasty = [p.key for p in by_message if p.behaviours & {"threats", "abusive"}]
        late = occasion.start < OSA_DATE
        if threats:
            out.append(osa_alternative(threats, late))
        if nasty:
            out.append(_mca(nasty, bool(threats) and not late))
    return out


def osa_alternative(keys: list[str], late: bool) -> dict:
    """Online Safety Act 2023 s.181 (England and Wales, and Northern Ireland) for ``keys``;
    ``late`` when the message was sent before the offence came into force."""
    why = "a single message with threats: to consider if the threat is of death or serious harm"
    if late:
        why += " (s.181 covers messages sent from 31 Jan 2024: needs checking for earlier ones)"
    return {
        "id": "osa-s181",
        "title": "Threatening communications (Online Safety Act 2023 s.181)",
        "incidents": keys,
        "why": why,
        "cite": ["Online Safety Act 2023 s.181"],
    }


def _mca(keys: list[str], threat_after_osa: bool) -> dict:
    why = "a single message that may be grossly offensive or threatening: to consider"
    if threat_after_osa:
        why += " (threats sent from 31 Jan 2024 fall under s.181 instead: needs checking)"
    return {
        "id": "mca-s1",
        "title": "Sending a malicious communication (Malicious Communications Act 1988 s.1)",
        "incidents": keys,
        "why": why,
        "cite": ["Malicious Communications Act 1988 s.1"],
    }


JURISDICTION = Jurisdiction(
    id=ID,
    name="England and Wales",
    offences=OFFENCES,
    course_cite=("PHA 1997 s.7(3)(a)",),
    multiple_cite=("PHA 1997 s.1(1A)", "PHA 1997 s.7(3)(b)"),
    alternatives=alternatives,
    after_expiry="offences without a time limit (s.4, s.4A, s.76, the aggravated forms), a civil injunction (s.3) or a stalking protection order may still be open",
    summary_labels={"pha-s2": "s.2", "pha-s2a": "s.2A"},
)

CATALOGUE_ALTERNATIVES = (
    {
        "id": "osa-s181",
        "title": "Threatening communications (Online Safety Act 2023 s.181)",
        "summary": "Sending a message that threatens death or serious harm; one message is enough.",
        "requirements": [
            "a message threatening death or serious harm",
            "intent or recklessness that the recipient fears it will be carried out",
        ],
        "time_limit": "no time limit (either way)",
        "max_penalty": "5 years (needs checking)",
        "in_force": "2024-01-31",
        "caveats": ["The date of force (31 Jan 2024) and the 5-year maximum need checking."],
    },
    {
        "id": "mca-s1",
        "title": "Sending a malicious communication (Malicious Communications Act 1988 s.1)",
        "summary": "Sending a grossly offensive or indecent message to cause distress or anxiety; one message is enough.",
        "requirements": ["a message that is indecent or grossly offensive", "a purpose of causing distress or anxiety"],
        "time_limit": "no time limit (either way since 2015)",
        "max_penalty": "2 years",
        "in_force": "1988-09-29",
        "caveats": ["The 2015 date from which it became triable either way needs checking."],
    },
)
