"""Scotland: Criminal Justice and Licensing (Scotland) Act 2010 ss.38-39, Domestic Abuse
(Scotland) Act 2018 s.1, and the civil action under PHA 1997 ss.8-11."""

from __future__ import annotations

import datetime as dt

from stalklog.law import points
from stalklog.law.incidents import FEAR_OR_ALARM, HARASSING_EFFECTS, PHA_IN_FORCE, STALKING_BEHAVIOURS
from stalklog.law.offence import Jurisdiction, Offence, TimeLimit
from stalklog.law.relationships import connected_partner

ID = "scotland"
S38_DATE = dt.date(2010, 10, 6)
S39_DATE = dt.date(2010, 12, 13)
DASA_DATE = dt.date(2019, 4, 1)
S38_BEHAVIOURS = frozenset({"threats", "violence", "abusive"})
ABUSIVE = frozenset(
    {
        "violence",
        "threats",
        "abusive",
        "controlling_or_coercive",
        "monitoring_communications",
        "tracking",
        "sexual",
        "intimate_images",
        "property_damage",
    }
)

COURSE = points.course(
    "a course of conduct: conduct on at least two occasions",
    ("CJL(S)A 2010 s.39(6)", "PHA 1997 s.8(3)"),
)


S39_CONDUCT = points.acts(
    "conduct_in_list",
    STALKING_BEHAVIOURS,
    "conduct from the s.39(6) list: following, contacting by any means, publishing, monitoring "
    "communications, entering premises, loitering, interfering with property, giving or "
    "leaving items, watching or spying, or any other conduct that caused fear or alarm",
    ("CJL(S)A 2010 s.39(6)",),
    "no recorded conduct is of a kind s.39(6) lists",
    also=lambda o: bool(o.effects & FEAR_OR_ALARM),
)
FEAR_OR_ALARM_REQ = points.effect(
    "fear_or_alarm",
    FEAR_OR_ALARM,
    1,
    "the course caused the person actual fear or alarm (fear for someone else included)",
    ("CJL(S)A 2010 s.39(2)(c)",),
    "no occasion records fear or alarm (distress alone is not enough for s.39)",
)
THREATENING = points.behaviour(
    "threatening_or_abusive",
    S38_BEHAVIOURS,
    1,
    "threatening or abusive behaviour on one occasion or more, likely to cause a reasonable person fear or alarm",
    ("CJL(S)A 2010 s.38(1)",),
    "no recorded behaviour is threatening, violent or abusive",
)
DASA_ABUSE = points.connected_behaviour(
    "abusive_behaviour_partner",
    ABUSIVE,
    connected_partner,
    "abusive behaviour towards a partner or ex-partner on at least two occasions from 1 Apr "
    "2019 (violent, threatening or intimidating behaviour, or behaviour controlling, "
    "monitoring, isolating, frightening or humiliating them)",
    (
        "Domestic Abuse (Scotland) Act 2018 s.1",
        "Domestic Abuse (Scotland) Act 2018 s.2",
        "Domestic Abuse (Scotland) Act 2018 s.10(4)",
    ),
    "fewer than two occasions of abusive behaviour while partners or ex-partners (or the relationship is not recorded)",
    fear_counts=True,
)
HARASSMENT = points.effect(
    "harassing_effect",
    HARASSING_EFFECTS,
    1,
    "alarm or distress recorded on at least one occasion",
    ("PHA 1997 s.8(3)",),
    "no occasion records alarm, distress or fear",
)

_ALL = (
    Offence(
        id="cjlsa-s39",
        title="Stalking (Criminal Justice and Licensing (Scotland) Act 2010 s.39)",
        short="s.39",
        jurisdiction=ID,
        kind="criminal",
        in_force=S39_DATE,
        force_cite="CJL(S)A 2010 s.39, in force 13 Dec 2010 (SSI 2010/413)",
        requirements=(COURSE, points.single_victim(("CJL(S)A 2010 s.39(2)",)), S39_CONDUCT, FEAR_OR_ALARM_REQ),
        cite=("CJL(S)A 2010 s.39",),
        penalty=((None, "5 years"),),
        summary="A course of conduct from the s.39(6) list that causes actual fear or alarm; no six-month limit.",
        for_review=(
            "intent to cause fear or alarm, or that the subject knew or ought to have known it was likely (s.39(3)-(4))",
            "any defence under s.39(5)",
        ),
    ),
    Offence(
        id="cjlsa-s38",
        title="Threatening or abusive behaviour (CJL(S)A 2010 s.38)",
        short="s.38",
        jurisdiction=ID,
        kind="criminal",
        in_force=S38_DATE,
        force_cite="CJL(S)A 2010 s.38, in force 6 Oct 2010",
        requirements=(THREATENING,),
        cite=("CJL(S)A 2010 s.38", "Paterson v PF Airdrie"),
        penalty=((None, "5 years"),),
        summary="Threatening or abusive behaviour likely to cause a reasonable person fear or alarm; a single occasion can do.",
        scope="each_occasion",
        for_review=(
            "whether a reasonable person would be likely to suffer fear or alarm (s.38(1)(b))",
            "intent or recklessness (s.38(1)(c)); the defence of reasonable behaviour (s.38(2))",
        ),
    ),
    Offence(
        id="dasa-s1",
        title="Abusive behaviour towards partner or ex-partner (Domestic Abuse (Scotland) Act 2018 s.1)",
        short="s.1 of the 2018 Act",
        jurisdiction=ID,
        kind="criminal",
        in_force=DASA_DATE,
        force_cite="Domestic Abuse (Scotland) Act 2018, in force 1 Apr 2019",
        requirements=(COURSE, points.single_victim(("Domestic Abuse (Scotland) Act 2018 s.1",)), DASA_ABUSE),
        cite=("Domestic Abuse (Scotland) Act 2018 s.1", "Domestic Abuse (Scotland) Act 2018 s.10(4)"),
        penalty=((None, "14 years"),),
        summary=(
            "A course of behaviour abusive of a partner or ex-partner that a reasonable person "
            "would consider likely to cause physical or psychological harm; actual harm need not be shown."
        ),
        scope="from_force",
        for_review=(
            "whether a reasonable person would consider it likely to cause physical or psychological harm (s.1(2)(a))",
            "intent or recklessness (s.1(2)(b)); whether incidents far apart make one course (EN para 55)",
        ),
        caveats=(
            "The 14-year maximum and the 1 Apr 2019 date of force are from memory.",
            "Which recorded behaviours are abusive under s.2 is for review.",
        ),
    ),
    Offence(
        id="pha-s8",
        title="Civil action for harassment (PHA 1997 s.8, Scotland)",
        short="s.8",
        jurisdiction=ID,
        kind="civil",
        in_force=PHA_IN_FORCE,
        force_cite="PHA 1997, in force 16 June 1997",
        requirements=(COURSE, HARASSMENT),
        cite=("PHA 1997 s.8", "PHA 1997 s.10", "Prescription and Limitation (Scotland) Act 1973 s.18B"),
        penalty=((None, "none (civil action: damages, interdict, non-harassment order)"),),
        time_limit=TimeLimit(
            36,
            False,
            "3 years from the last occasion (when the harassment ceased)",
            ("Prescription and Limitation (Scotland) Act 1973 s.18B", "PHA 1997 s.10"),
        ),
        summary="An action for harassment in the civil courts: damages, interdict or a non-harassment order.",
        for_review=(
            "whether the conduct was intended to be, or would appear to a reasonable person to be, harassment (s.8(1))",
        ),
        caveats=("s.8A (domestic abuse) lets one occasion do in some cases: not applied here.",),
    ),
)


OTHER_IDS = ("dasa-s1", "pha-s8")
OFFENCES = tuple(o for o in _ALL if o.id not in OTHER_IDS)
OTHER_OFFENCES = tuple(o for o in _ALL if o.id in OTHER_IDS)


JURISDICTION = Jurisdiction(
    id=ID,
    name="Scotland",
    offences=OFFENCES,
    other_offences=OTHER_OFFENCES,
    course_cite=("CJL(S)A 2010 s.39(6)", "PHA 1997 s.8(3)"),
    multiple_cite=None,
    civil_ids=("pha-s8",),
)
