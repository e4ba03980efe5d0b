"""England and Wales: Protection from Harassment Act 1997, Crime and Disorder Act 1998
s.32, Serious Crime Act 2015 s.76, and single-message alternatives.

Sources: legislation.gov.uk texts and the cases named in each citation; the project's
own account is in ``docs/check.md``.
"""

from __future__ import annotations

import datetime as dt

from stalklog.law import points
from stalklog.law.courses import Course
from stalklog.law.incidents import HARASSING_EFFECTS, PENALTY_RISE, PHA_IN_FORCE, STALKING_BEHAVIOURS
from stalklog.law.occasions import Occasion
from stalklog.law.offence import Jurisdiction, Offence, TimeLimit, imprecise_reason
from stalklog.law.relationships import SCA_EX_PARTNER_RULE, sca_connection

ID = "england-wales"
STALKING_DATE = dt.date(2012, 11, 25)  # Protection of Freedoms Act 2012 s.111
SCA_DATE = dt.date(2015, 12, 29)
CDA_DATE = dt.date(1998, 9, 30)

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
    "a course of conduct: conduct on at least two occasions in relation to the person; each "
    "occasion relied on must itself be of a harassing character",
    ("PHA 1997 s.7(3)(a)", "Conn v Sunderland City Council [2007] EWCA Civ 1492"),
    multiple=(
        "a course of conduct: conduct on at least one occasion in relation to each of two or more "
        "people, with an intent to persuade someone to do or not do something; each occasion "
        "relied on must itself be of a harassing character",
        ("PHA 1997 s.1(1A)", "PHA 1997 s.7(3)(b)", "Conn v Sunderland City Council [2007] EWCA Civ 1492"),
    ),
)
HARASSING = points.effect(
    "harassing_effect",
    HARASSING_EFFECTS,
    1,
    "alarm or distress (or fear, including fear for someone else) recorded on at least one "
    "occasion; it need not follow every occasion",
    ("PHA 1997 s.7(2)", "Kelly v DPP [2002] EWHC 1428 (Admin)", "Iqbal v Dean Manson Solicitors [2011] EWCA Civ 123"),
    "no occasion records alarm, distress or fear",
)
STALKING = points.acts(
    "stalking_behaviour",
    STALKING_BEHAVIOURS,
    "at least one act associated with stalking: following, contacting or trying to contact by "
    "any means (a call, message, letter or words in person), publishing, monitoring "
    "communications, loitering, interfering with property, watching or spying (s.2A(3)), or "
    "entering premises, leaving items, tracking, contacting others about the person",
    ("PHA 1997 s.2A(3)",),
    "no recorded act is one associated with stalking",
)
FEAR_TWICE = points.effect(
    "fear_of_violence_twice",
    frozenset({"fear_of_violence"}),
    2,
    "fear that violence will be used against the person herself, on at least two occasions "
    "(fear for someone else is alarm, not this)",
    ("PHA 1997 s.4(1)",),
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
CONTROLLING_TEXT = (
    "controlling or coercive behaviour repeatedly or continuously: on at least two occasions, or "
    "one that went on over a period, from 29 Dec 2015"
)
CONNECTED_TEXT = (
    "personally connected at the time: partners and spouses; before 5 Apr 2023 family members "
    "and ex-partners only while living together; from 5 Apr 2023 ex-partners and family, "
    "living together or not"
)
CONTROLLING_CITE = ("Serious Crime Act 2015 s.76(1)(a)",)
CONNECTED_CITE = ("Serious Crime Act 2015 s.76(2)", "Serious Crime Act 2015 s.76(6)", "Domestic Abuse Act 2021 s.68")

_REPEATED = points.Requirement(
    "controlling_behaviour",
    CONTROLLING_TEXT,
    CONTROLLING_CITE,
    lambda f: (False, []),
    "controlling or coercive behaviour is not recorded on two occasions, or over a period, from 29 Dec 2015",
)
_CONNECTED = points.Requirement(
    "personally_connected",
    CONNECTED_TEXT,
    CONNECTED_CITE,
    lambda f: (False, []),
    "the two were not personally connected when the controlling or coercive behaviour happened "
    "(or the relationship is not recorded)",
)


S76_SINGLE = points.single_victim(("Serious Crime Act 2015 s.76(1)",))
S76_REQS = (S76_SINGLE, _REPEATED, _CONNECTED, SERIOUS)


KNOWLEDGE = "whether the subject knew or ought to have known it amounted to harassment (PHA 1997 s.1(2))"
DEFENCES = "any defence: preventing or detecting crime, lawful authority, or reasonable conduct (PHA 1997 s.1(3); Hayes v Willoughby)"
FEAR_KNOWLEDGE = "whether the subject knew or ought to have known the conduct would cause fear of violence on each occasion (s.4(1), (2))"
FEAR_DEFENCES = "any defence under s.4(3) (preventing crime, lawful authority, protecting self, others or property)"
HENLEY_CAVEAT = (
    "That fear for someone else does not count for s.4, s.4A and s.76 rests on the statute's "
    "words and on R v Henley [2000] Crim LR 582 and Caurti v DPP [2002] EWHC 867 (Admin) as "
    "summarised, not read in full. Fear need not be of immediate violence (R v Qosja [2016] "
    "EWCA Crim 1543, as recalled)."
)
MUSHARRAF_NOTE = (
    "reporting_to_authorities",
    "Complaints to the police, an employer or a regulator are not counted as acts associated "
    "with stalking; whether they can be is for review (R v Musharraf [2022] EWCA Crim 1482).",
)

S2_REQS = (COURSE, HARASSING)
S4_REQS = (COURSE, points.single_victim(("PHA 1997 s.4(1)",)), FEAR_TWICE)


def _pha(id_, title, short, reqs, **kw) -> Offence:
    return Offence(id=id_, title=title, short=short, jurisdiction=ID, requirements=reqs, **kw)


PHA_S2 = _pha(
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
)
PHA_S2A = _pha(
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
    summary="Harassment of one person by acts associated with stalking (including contact by any means).",
    scope="own_course",
    for_review=(KNOWLEDGE, DEFENCES),
    notes=(MUSHARRAF_NOTE,),
)
PHA_S4 = _pha(
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
)
PHA_S4A = _pha(
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
    scope="own_course",
    for_review=(
        "whether the subject knew or ought to have known the conduct would cause that fear or alarm (s.4A(1)-(3))",
        "whether a recorded change to daily life is a substantial adverse effect (Home Office circular 018/2012)",
        "any defence under s.4A(4)",
    ),
    caveats=(HENLEY_CAVEAT,),
    notes=(MUSHARRAF_NOTE,),
)
AGGRAVATED_FOR_REVIEW = "whether hostility was shown or was the motive (CDA 1998 s.28)"
RELIGIOUS_DATE = dt.date(2001, 12, 14)  # Anti-terrorism, Crime and Security Act 2001 s.39

OFFENCES = (
    PHA_S2,
    _pha(
        "cda-s32-s2",
        "Racially or religiously aggravated harassment or stalking (CDA 1998 s.32(1)(a))",
        "s.32(1)(a)",
        (HOSTILITY,),
        kind="criminal",
        in_force=CDA_DATE,
        force_cite="Crime and Disorder Act 1998 s.32, in force 30 Sep 1998",
        cite=("Crime and Disorder Act 1998 s.32(1)(a)", "PHA 1997 s.2", "PHA 1997 s.2A"),
        penalty=((None, "2 years"),),
        summary=(
            "Harassment (s.2) or stalking (s.2A) that is racially or religiously aggravated; "
            "triable either way, so no six-month limit."
        ),
        listed_if="racial_or_religious_hostility",
        for_review=(KNOWLEDGE, DEFENCES, AGGRAVATED_FOR_REVIEW),
        follows=(PHA_S2, PHA_S2A),
        extra_dates=((RELIGIOUS_DATE, "religious aggravation (Anti-terrorism, Crime and Security Act 2001 s.39)"),),
    ),
    PHA_S2A,
    PHA_S4,
    _pha(
        "cda-s32-s4",
        "Racially or religiously aggravated fear of violence or stalking (CDA 1998 s.32(1)(b))",
        "s.32(1)(b)",
        (HOSTILITY,),
        kind="criminal",
        in_force=CDA_DATE,
        force_cite="Crime and Disorder Act 1998 s.32, in force 30 Sep 1998",
        cite=(
            "Crime and Disorder Act 1998 s.32(1)(b)",
            "PHA 1997 s.4",
            "PHA 1997 s.4A",
            "Policing and Crime Act 2017 s.175(2)",
        ),
        penalty=((None, "7 years"), (PENALTY_RISE, "14 years")),
        summary="Putting people in fear of violence (s.4) or stalking with fear or serious alarm (s.4A), racially or religiously aggravated.",
        listed_if="racial_or_religious_hostility",
        for_review=(FEAR_KNOWLEDGE, FEAR_DEFENCES, AGGRAVATED_FOR_REVIEW),
        caveats=(HENLEY_CAVEAT,),
        follows=(PHA_S4, PHA_S4A),
        extra_dates=((RELIGIOUS_DATE, "religious aggravation (Anti-terrorism, Crime and Security Act 2001 s.39)"),),
    ),
    PHA_S4A,
    _pha(
        "sca-s76",
        "Controlling or coercive behaviour (Serious Crime Act 2015 s.76)",
        "s.76",
        S76_REQS,
        kind="criminal",
        in_force=SCA_DATE,
        force_cite="Serious Crime Act 2015 s.76, in force 29 Dec 2015",
        cite=("Serious Crime Act 2015 s.76", "Domestic Abuse Act 2021 s.68"),
        penalty=((None, "5 years"),),
        summary=(
            "Repeated or continuous controlling or coercive behaviour towards a person the "
            "subject is personally connected to, with a serious effect on them."
        ),
        extra_dates=(
            (
                SCA_EX_PARTNER_RULE,
                "ex-partners and family living apart are personally connected (Domestic Abuse Act 2021 s.68)",
            ),
        ),
        for_review=(
            "whether the subject knew or ought to have known it would have a serious effect (s.76(1)(d), (5))",
            "the best-interests defence (s.76(8)-(10))",
        ),
        custom=lambda offence, course, facts, status_of: judge_s76(offence, course, facts),
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
            "6 years from the last occasion for damages; an injunction against feared harassment may not be barred the same way",
            ("Limitation Act 1980 s.2", "Limitation Act 1980 s.11(1A)"),
        ),
        summary="A claim in the civil courts for damages and an injunction against harassment of one person.",
        for_review=(KNOWLEDGE, DEFENCES),
        caveats=(
            "When a claim for a course of conduct accrues, and whether each new act renews it, "
            "is not settled; the deadline here runs from the last occasion.",
        ),
        only_kind="single",
    ),
    _pha(
        "pha-s3a",
        "Injunction against harassment of several people (PHA 1997 s.3A)",
        "s.3A",
        S2_REQS,
        kind="civil",
        in_force=dt.date(2005, 7, 1),
        force_cite="PHA 1997 s.3A, inserted by the Serious Organised Crime and Police Act 2005 s.125",
        cite=("PHA 1997 s.3A", "PHA 1997 s.1(1A)"),
        penalty=((None, "none (civil: an injunction only, no damages)"),),
        summary="An injunction (no damages) against a course of conduct harassing two or more people (s.1(1A)).",
        for_review=(KNOWLEDGE, DEFENCES),
        only_kind="multiple",
    ),
)


def judge_s76(offence: Offence, course: Course, facts) -> tuple[str, list, list[dict], list[Occasion]]:
    """Serious Crime Act 2015 s.76: its own test, not a PHA course (check-v2 §4).

    Behaviour that is repeated (two occasions) or continuous (one incident over a period),
    from 29 Dec 2015, while personally connected, with a serious effect (s.76(4)). The PHA
    gap and relationship rules do not apply: reconciliation and living together are
    typical of this offence, not a defence to it."""
    rel = facts.relationship
    controlling = [o for o in course.occasions if "controlling_or_coercive" in o.behaviours and o.end_hi >= SCA_DATE]
    judged = [(o, _s76_connection(rel, o)) for o in controlling]
    counted = [o for o, c in judged if c != "no"]
    unknown = [o.key for o, c in judged if c == "unknown"]
    imprecise = [o.key for o, c in judged if c == "imprecise"]
    imprecise += [o.key for o in counted if o.end_lo < SCA_DATE <= o.end_hi and o.key not in imprecise]
    continuous = [
        o
        for o in counted
        for p in o.parts
        if "controlling_or_coercive" in p.behaviours and p.end > max(p.start, SCA_DATE)
    ]
    repeated = len(counted) >= 2 or bool(continuous)
    single = course.kind == "single"
    facts.occasions = counted
    serious_ok, serious_keys = SERIOUS.test(facts)[:2]
    met = [
        (S76_SINGLE, single, []),
        (_REPEATED, repeated, [o.key for o in counted]),
        (_CONNECTED, bool(counted), [o.key for o in counted]),
        (SERIOUS, serious_ok, serious_keys),
    ]
    failed = [r for r, ok, _ in met if not ok]
    if failed:
        reasons = [_reason(r.code, r.missing, r.cite) for r in failed]
        early = [o.key for o in course.occasions if "controlling_or_coercive" in o.behaviours and o.end_hi < SCA_DATE]
        if early and not repeated:  # check-v2 §3: name the behaviour the offence cannot reach
            words = (
                f"{text_names(early)} {'is' if len(early) == 1 else 'are'} before s.76 came into force on 29 Dec 2015 "
                "and cannot count; too little is left"
            )
            reasons.insert(0, {**_reason("before_force", words, (offence.force_cite,)), "incidents": early})
        return "not_indicated", met, reasons, counted or course.occasions
    reasons = []
    if unknown:
        words = (
            f"whether {course.subject} and {course.victims[0]} lived together at the time of "
            f"{text_names(unknown)} is not recorded: before 5 Apr 2023 family members and ex-partners "
            "were personally connected only while living together"
        )
        reasons.append({**_reason("lived_together_unknown", words, CONNECTED_CITE), "incidents": unknown})
    if imprecise:
        reasons.append(
            imprecise_reason(imprecise, "a date that decides whether s.76 can apply (29 Dec 2015 or 5 Apr 2023)")
        )
    if reasons:
        return "borderline", met, reasons, counted
    words = (
        "the recorded facts could support each point the check looks at; what the subject "
        "knew and any defence are for review"
    )
    return "indicated", met, [_reason("points_recorded", words, offence.cite)], counted


def _s76_connection(rel, o: Occasion) -> str:
    """``yes``/``no``/``unknown`` for the occasion, or ``imprecise`` where its possible
    dates give different answers (check-v2 §8). A span counts if connected at any point."""
    days = {o.start_lo, o.start, o.end, o.end_hi}
    answers = {sca_connection(rel, d) for d in days}
    if o.imprecise and len(answers) > 1 and "yes" in answers:
        return "imprecise"
    for answer in ("yes", "unknown", "no"):
        if answer in answers:
            return answer
    return "no"


def _reason(code: str, words: str, cite) -> dict:
    return {"code": code, "text": words, "cite": list(cite)}


def text_names(keys) -> str:
    from stalklog.law.wording import names

    return names(keys)


JURISDICTION = Jurisdiction(
    id=ID,
    name="England and Wales",
    offences=OFFENCES,
    course_cite=("PHA 1997 s.7(3)(a)",),
    multiple_cite=("PHA 1997 s.1(1A)", "PHA 1997 s.7(3)(b)"),
    civil_ids=("pha-s3", "pha-s3a"),
    summary_labels={"pha-s2": "s.2", "pha-s2a": "s.2A"},
)
