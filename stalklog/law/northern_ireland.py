"""Northern Ireland: Protection from Stalking Act (NI) 2022 s.1, Protection from
Harassment (NI) Order 1997 arts 4 and 6, Domestic Abuse and Civil Proceedings Act (NI)
2021 s.1."""

from __future__ import annotations

import datetime as dt

from stalklog.law import points
from stalklog.law.courses import Course
from stalklog.law.incidents import FEAR_OR_ALARM, HARASSING_EFFECTS, MESSAGE_CHANNELS, PHA_IN_FORCE, STALKING_BEHAVIOURS
from stalklog.law.occasions import Occasion
from stalklog.law.offence import Jurisdiction, Offence, TimeLimit
from stalklog.law.relationships import connected_ni
from stalklog.law.scotland import ABUSIVE

ID = "northern-ireland"
PFSA_DATE = dt.date(2022, 4, 27)
DACPA_DATE = dt.date(2022, 2, 21)
ORDER_FORCE = "Protection from Harassment (NI) Order 1997, in force 16 June 1997 (needs checking)"

COURSE = points.course(
    "a course of conduct: conduct on at least two occasions",
    ("PfH(NI) Order 1997 art.2(3)",),
)


def _in_pfsa_list(o: Occasion) -> bool:
    """s.1(4): the conduct list, including any conduct causing fear, alarm or substantial distress."""
    return bool(o.behaviours & STALKING_BEHAVIOURS) or bool(o.effects & FEAR_OR_ALARM)


PFSA_COURSE = points.course(
    "a course of conduct on at least two occasions from 27 Apr 2022 (earlier conduct is ignored)",
    ("Protection from Stalking Act (NI) 2022 s.1",),
    "fewer than two occasions from 27 Apr 2022, when the stalking offence came into force",
)
PFSA_CONDUCT = points.occasions_with(
    "conduct_in_list",
    _in_pfsa_list,
    1,
    "conduct from the s.1(4) list: following, contacting, publishing, monitoring communications, "
    "entering premises, loitering, interfering with property, giving or leaving items, watching "
    "or spying, or any other conduct that caused fear, alarm or substantial distress",
    ("Protection from Stalking Act (NI) 2022 s.1(4)",),
    "no recorded conduct is of a kind s.1(4) lists",
)
PFSA_EFFECT = points.effect(
    "fear_alarm_or_substantial_distress",
    FEAR_OR_ALARM,
    1,
    "the course caused fear, alarm or substantial distress (recorded as alarm, fear of violence or serious alarm or distress)",
    ("Protection from Stalking Act (NI) 2022 s.1(2)",),
    "no occasion from 27 Apr 2022 records fear, alarm or serious distress",
)
HARASSING = points.effect(
    "harassing_effect",
    HARASSING_EFFECTS,
    1,
    "alarm or distress (or fear) recorded on at least one occasion",
    ("PfH(NI) Order 1997 art.2(2)",),
    "no occasion records alarm, distress or fear",
)
FEAR_TWICE = points.effect(
    "fear_of_violence_twice",
    frozenset({"fear_of_violence"}),
    2,
    "fear that violence will be used against the person, on at least two occasions",
    ("PfH(NI) Order 1997 art.6(1)",),
    "fewer than two occasions record fear that violence would be used against the person",
)
DACPA_ABUSE = points.connected_behaviour(
    "abusive_behaviour_connected",
    ABUSIVE,
    connected_ni,
    "abusive behaviour on at least two occasions from 21 Feb 2022 while personally connected "
    "(partners, ex-partners, spouses, family)",
    ("Domestic Abuse and Civil Proceedings Act (NI) 2021 s.1", "DACP(NI)A 2021 s.2", "DACP(NI)A 2021 s.5"),
    "fewer than two occasions of abusive behaviour while personally connected (or the relationship is not recorded)",
    fear_counts=True,
)

_ALL = (
    Offence(
        id="pfsa-s1",
        title="Stalking (Protection from Stalking Act (Northern Ireland) 2022 s.1)",
        short="the 2022 stalking offence",
        jurisdiction=ID,
        kind="criminal",
        in_force=PFSA_DATE,
        force_cite="Protection from Stalking Act (NI) 2022, in force 27 Apr 2022 (not retrospective)",
        requirements=(PFSA_COURSE, points.single_victim(("PfS(NI)A 2022 s.1",)), PFSA_CONDUCT, PFSA_EFFECT),
        cite=("Protection from Stalking Act (NI) 2022 s.1",),
        penalty=((None, "10 years"),),
        summary="A course of conduct from 27 Apr 2022 causing fear, alarm or substantial distress.",
        scope="own_course",
        for_review=(
            "intent, or that the subject knew or ought to have known it was likely to cause fear, alarm or substantial distress (s.1)",
            "any defence",
        ),
        caveats=(
            "'Substantial distress' is matched to serious alarm or distress here; its meaning needs checking.",
            "The 10-year maximum comes from secondary sources: needs checking.",
        ),
    ),
    Offence(
        id="pfho-art4",
        title="Harassment (Protection from Harassment (NI) Order 1997 art.4)",
        short="art.4",
        jurisdiction=ID,
        kind="criminal",
        in_force=PHA_IN_FORCE,
        force_cite=ORDER_FORCE,
        requirements=(COURSE, HARASSING),
        cite=("PfH(NI) Order 1997 art.3", "PfH(NI) Order 1997 art.4"),
        penalty=((None, "6 months"),),
        time_limit=TimeLimit(
            6,
            True,
            "6 calendar months from the last occasion, as for summary offences (unverified: needs checking)",
            ("Magistrates' Courts (NI) Order 1981 art.19", "DPP v Baker [2004] EWHC 2782 (Admin)"),
        ),
        summary="A course of conduct that amounts to harassment of another person.",
        for_review=(
            "whether the subject knew or ought to have known it amounted to harassment (art.3)",
            "any defence under art.3(3)",
        ),
        caveats=(
            "Whether art.4 is still summary only (one guide says up to 2 years on indictment), "
            "and so whether the six-month limit applies, needs checking.",
        ),
    ),
    Offence(
        id="pfho-art6",
        title="Putting people in fear of violence (PfH(NI) Order 1997 art.6)",
        short="art.6",
        jurisdiction=ID,
        kind="criminal",
        in_force=PHA_IN_FORCE,
        force_cite=ORDER_FORCE,
        requirements=(COURSE, points.single_victim(("PfH(NI) Order 1997 art.6",)), FEAR_TWICE),
        cite=("PfH(NI) Order 1997 art.6",),
        penalty=((None, "5 years (needs checking)"),),
        summary="A course of conduct causing someone to fear, on at least two occasions, that violence will be used against them.",
        for_review=("whether the subject knew or ought to have known the conduct would cause that fear", "any defence"),
        caveats=("The current maximum penalty for art.6 was not confirmed: needs checking.",),
    ),
    Offence(
        id="dacpa-s1",
        title="Domestic abuse offence (Domestic Abuse and Civil Proceedings Act (NI) 2021 s.1)",
        short="the domestic abuse offence",
        jurisdiction=ID,
        kind="criminal",
        in_force=DACPA_DATE,
        force_cite="DACP(NI)A 2021, in operation 21 Feb 2022 (S.R. 2022/57)",
        requirements=(COURSE, points.single_victim(("DACP(NI)A 2021 s.1",)), DACPA_ABUSE),
        cite=("Domestic Abuse and Civil Proceedings Act (NI) 2021 s.1", "DACP(NI)A 2021 s.4(4)"),
        penalty=((None, "14 years"),),
        summary=(
            "A course of behaviour abusive of a personally connected person that a reasonable "
            "person would consider likely to cause physical or psychological harm."
        ),
        scope="from_force",
        for_review=(
            "whether a reasonable person would consider it likely to cause harm; intent or recklessness (s.1)",
            "the reasonableness defence (s.12)",
        ),
        caveats=("Who is personally connected (s.5) is taken from memory: needs checking.",),
    ),
)


OTHER_IDS = ("pfho-art6", "dacpa-s1")
OFFENCES = tuple(o for o in _ALL if o.id not in OTHER_IDS)
OTHER_OFFENCES = tuple(o for o in _ALL if o.id in OTHER_IDS)


def alternatives(course: Course) -> list[dict]:
    """Online Safety Act 2023 s.181 extends to Northern Ireland (as in England and Wales,
    with the same caveat for messages sent before it came into force)."""
    from stalklog.law.england_wales import OSA_DATE, osa_alternative

    out = []
    for occasion in course.occasions:
        keys = [p.key for p in occasion.parts if p.channel in MESSAGE_CHANNELS and "threats" in p.behaviours]
        if keys:
            out.append(osa_alternative(keys, occasion.start < OSA_DATE))
    return out


JURISDICTION = Jurisdiction(
    id=ID,
    name="Northern Ireland",
    offences=OFFENCES,
    other_offences=OTHER_OFFENCES,
    course_cite=("PfH(NI) Order 1997 art.2(3)",),
    multiple_cite=None,
    alternatives=alternatives,
    after_expiry="offences without a time limit (art.6, the 2022 stalking offence, the domestic abuse offence) may still be open",
    summary_labels={"pfho-art4": "art.4"},
)
