"""Northern Ireland: Protection from Stalking Act (NI) 2022 s.1, Protection from
Harassment (NI) Order 1997 arts 4 and 6, Domestic Abuse and Civil Proceedings Act (NI)
2021 s.1."""

from __future__ import annotations

import datetime as dt

from stalklog.law import points
from stalklog.law.courses import Course
from stalklog.law.incidents import FEAR_OR_ALARM, HARASSING_EFFECTS, PHA_IN_FORCE, STALKING_BEHAVIOURS
from stalklog.law.offence import Jurisdiction, Offence, TimeLimit, counted
from stalklog.law.offence import status_from as judge_status
from stalklog.law.relationships import connected_ni
from stalklog.law.scotland import ABUSIVE

ID = "northern-ireland"
PFSA_DATE = dt.date(2022, 4, 27)
DACPA_DATE = dt.date(2022, 2, 21)
ORDER_FORCE = "Protection from Harassment (NI) Order 1997, in force 16 June 1997"

COURSE = points.course(
    "a course of conduct: conduct on at least two occasions",
    ("PfH(NI) Order 1997 art.2(3)",),
)


PFSA_COURSE = points.course(
    "a course of conduct on at least two occasions from 27 Apr 2022 (earlier conduct is ignored)",
    ("Protection from Stalking Act (NI) 2022 s.1",),
    "fewer than two occasions from 27 Apr 2022, when the stalking offence came into force",
)
PFSA_CONDUCT = points.acts(
    "conduct_in_list",
    STALKING_BEHAVIOURS,
    "conduct from the s.1(4) list: following, contacting by any means, publishing, monitoring "
    "communications, entering premises, loitering, interfering with property, giving or leaving "
    "items, watching or spying, or any other conduct a reasonable person would expect to cause "
    "fear, alarm or substantial distress",
    ("Protection from Stalking Act (NI) 2022 s.1(4)",),
    "no recorded conduct is of a kind s.1(4) lists",
    also=lambda o: bool(o.effects & FEAR_OR_ALARM),
)
PFSA_EFFECT = points.effect(
    "fear_alarm_or_substantial_distress",
    FEAR_OR_ALARM,
    1,
    "the course caused fear, alarm or substantial distress (recorded as alarm, fear of violence, fear "
    "for someone else or serious alarm or distress), or a reasonable person would consider it likely to",
    ("Protection from Stalking Act (NI) 2022 s.1(1)(b)",),
    "no occasion from 27 Apr 2022 records fear, alarm or serious distress",
)
PFSA_S2_REQ = points.behaviour(
    "threatening_or_abusive",
    frozenset({"threats", "violence", "abusive"}),
    1,
    "threatening or abusive behaviour on one occasion or more, likely to cause a reasonable person fear or alarm",
    ("Protection from Stalking Act (NI) 2022 s.2",),
    "no recorded behaviour is threatening, violent or abusive",
)


def judge_pfsa_s1(offence: Offence, course: Course, facts, status_of):
    """PfS(NI)A 2022 s.1: the course causes fear, alarm or substantial distress, **or** a
    reasonable person would consider it likely to (s.1(1)(b)(ii)): never "not indicated" for
    want of a recorded effect (check-v2 §11). Only occasions from 27 Apr 2022 count."""
    occasions = counted(offence, course)
    facts.occasions = occasions
    if len(occasions) != len(course.occasions):
        facts.status = status_of(occasions)
    met = [(r, *r.test(facts)) for r in (PFSA_COURSE, points.single_victim(("PfS(NI)A 2022 s.1",)))]
    conduct_ok, conduct_keys = PFSA_CONDUCT.test(facts)[:2]
    effect_ok, effect_keys = PFSA_EFFECT.test(facts)[:2]
    met += [(PFSA_CONDUCT, True, conduct_keys), (PFSA_EFFECT, True, effect_keys)]
    status, reasons = judge_status(offence, course, facts, met)
    if status != "not_indicated" and not (conduct_ok and effect_ok):
        words = (
            "no occasion records fear, alarm or serious alarm or distress: whether a reasonable person "
            "would consider the course likely to cause fear, alarm or substantial distress is for review"
        )
        reasons = [r for r in reasons if r["code"] != "points_recorded"]
        reasons.append({"code": "objective_test_review", "text": words, "cite": ["PfS(NI)A 2022 s.1(1)(b)(ii)"]})
        status = "borderline"
    return status, met, reasons, occasions


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
        custom=judge_pfsa_s1,
        cite=("Protection from Stalking Act (NI) 2022 s.1",),
        penalty=((None, "10 years"),),
        summary=(
            "A course of conduct from 27 Apr 2022 that causes fear, alarm or substantial distress, or that a "
            "reasonable person would consider likely to."
        ),
        scope="own_course",
        for_review=(
            "intent, or that the subject knew or ought to have known it was likely to cause fear, alarm or substantial distress (s.1)",
            "any defence",
        ),
        caveats=(
            "'Substantial distress' is matched to serious alarm or distress here; its meaning is not confirmed.",
            "The 10-year maximum comes from secondary sources.",
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
            "6 calendar months from the last occasion, if the six-month limit for summary offences applies",
            ("Magistrates' Courts (NI) Order 1981 art.19", "DPP v Baker [2004] EWHC 2782 (Admin)"),
            unverified=True,
        ),
        summary="A course of conduct that amounts to harassment of another person.",
        for_review=(
            "whether the subject knew or ought to have known it amounted to harassment (art.3)",
            "any defence under art.3(3)",
        ),
        caveats=(
            "Whether art.4 is still summary only (one guide says up to 2 years on indictment), "
            "and so whether the six-month limit applies, is not confirmed.",
        ),
    ),
    Offence(
        id="pfsa-s2",
        title="Threatening or abusive behaviour (Protection from Stalking Act (NI) 2022 s.2)",
        short="s.2 of the 2022 Act",
        jurisdiction=ID,
        kind="criminal",
        in_force=PFSA_DATE,
        force_cite="Protection from Stalking Act (NI) 2022, in force 27 Apr 2022",
        requirements=(PFSA_S2_REQ,),
        cite=("Protection from Stalking Act (NI) 2022 s.2",),
        penalty=((None, "5 years"),),
        summary="Threatening or abusive behaviour likely to cause a reasonable person fear or alarm; a single occasion can do.",
        scope="each_occasion",
        for_review=(
            "whether a reasonable person would be likely to suffer fear or alarm",
            "intent or recklessness; the defence of reasonable behaviour",
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
        penalty=((None, "5 years"),),
        summary="A course of conduct causing someone to fear, on at least two occasions, that violence will be used against them.",
        for_review=("whether the subject knew or ought to have known the conduct would cause that fear", "any defence"),
        caveats=("The current maximum penalty for art.6 was not confirmed.",),
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
        caveats=("Who is personally connected (s.5) is taken from memory.",),
    ),
)


OTHER_IDS = ("pfho-art6", "dacpa-s1")
OFFENCES = tuple(o for o in _ALL if o.id not in OTHER_IDS)
OTHER_OFFENCES = tuple(o for o in _ALL if o.id in OTHER_IDS)


JURISDICTION = Jurisdiction(
    id=ID,
    name="Northern Ireland",
    offences=OFFENCES,
    other_offences=OTHER_OFFENCES,
    course_cite=("PfH(NI) Order 1997 art.2(3)",),
    multiple_cite=None,
    summary_labels={"pfho-art4": "art.4"},
)
