"""Fictional case bundles for the frozen-output test (tests/law/test_law_frozen_output.py).

Made from a seeded random generator with its own word lists (copied here on purpose: a
word added to ``stalklog.vocab`` must not change these cases). Every field the check
reads is varied: imprecise and spanning dates, several subjects and victims, ``affected``,
procured and withdrawn incidents, ``same_occasion_as``, ``links``, stated purposes,
relationships with dates, the case's context and impacts, and protective orders of every
kind (discharged, expired, against someone not in the case). Change nothing here without
regenerating the expected file from the engine as it was before your change.
"""

from __future__ import annotations

import datetime as dt
import random

ATTRIBUTIONS = ("seen", "heard", "known_account", "told_by_other", "suspected", "unknown")
BEHAVIOURS = (
    "following",
    "contacting",
    "publishing",
    "monitoring_communications",
    "loitering",
    "interfering_with_property",
    "watching_or_spying",
    "entering_premises",
    "leaving_items",
    "tracking",
    "third_party_contact",
    "threats",
    "violence",
    "property_damage",
    "sexual",
    "intimate_images",
    "impersonation",
    "controlling_or_coercive",
    "reporting_to_authorities",
    "abusive",
    "other",
)
CHANNELS = (
    "in_person",
    "phone_call",
    "text_message",
    "messaging_app",
    "email",
    "social_media",
    "letter",
    "via_third_party",
    "online_other",
    "other",
    None,
)
CONTEXTS = (
    "volatile_mutual_relationship",
    "reconciled_between_incidents",
    "intent_to_persuade",
    "racial_or_religious_hostility",
)
EFFECTS = ("alarm", "distress", "fear_of_violence", "fear_for_others", "serious_alarm_or_distress")
IMPACTS = (
    "changed_routine",
    "changed_route",
    "changed_work",
    "left_job",
    "time_off_work",
    "moved_home",
    "extra_security",
    "health_treatment",
    "stopped_socialising",
    "childcare_changes",
    "changed_phone_number",
    "other",
)
JURISDICTIONS = ("england-wales", "scotland", "northern-ireland")
RELATIONSHIPS = (
    "partner",
    "ex-partner",
    "spouse",
    "ex-spouse",
    "family",
    "acquaintance",
    "colleague",
    "neighbour",
    "stranger",
    "unknown",
)
ORDER_KINDS = (
    "spo",
    "restraining-order",
    "non-molestation-order",
    "dapo",
    "pha-injunction",
    "dvpo",
    "nho",
    "ni-restraining-order",
    "ni-spo",
    "other",
    "not-a-kind",
)
BASES = (
    dt.date(1995, 1, 1),
    dt.date(2005, 6, 1),
    dt.date(2014, 6, 1),
    dt.date(2019, 6, 1),
    dt.date(2021, 6, 1),
    dt.date(2024, 1, 1),
)


def _day(rng: random.Random, base: dt.date, span: int) -> dt.date:
    return base + dt.timedelta(days=rng.randint(0, span))


def _people(rng: random.Random, base: dt.date, span: int) -> tuple[list[dict], list[str], list[str]]:
    victims = ["V", "W", "X"][: rng.randint(1, 3)]
    subjects = ["P", "Q", "R"][: rng.randint(1, 3)]
    people = [{"key": v, "role": "victim", "name": f"Victim {v} (fictional)"} for v in victims]
    for s in subjects:
        p: dict = {"key": s, "role": "subject", "name": f"Subject {s} (fictional)"}
        if rng.random() < 0.8:
            p["relationship"] = rng.choice(RELATIONSHIPS)
        if rng.random() < 0.3:
            p["lived_together_until"] = _day(rng, base, span).isoformat()
        if rng.random() < 0.3:
            p["relationship_ended"] = _day(rng, base, span).isoformat()
        people.append(p)
    if rng.random() < 0.3:
        people.append({"key": "T", "role": "witness", "name": "Witness (fictional)"})
    if rng.random() < 0.3:
        rng.shuffle(people)
    return people, victims, subjects


def _incident(rng, key, keys, base, span, victims, subjects, everyone) -> dict:
    day = _day(rng, base, span)
    precision = rng.choice(["exact", "day", "day", "approximate", "month"])
    if precision == "exact":
        occurred = day.isoformat() + rng.choice(["T09:00", "T21:30", "T00:05"])
    elif precision == "month" and rng.random() < 0.5:
        occurred = day.isoformat()[:7]
    else:
        occurred = day.isoformat()
    others = [k for k in keys if k != key]
    if rng.random() < 0.95:
        by = rng.sample(subjects, rng.randint(1, min(2, len(subjects))))
    else:
        by = [rng.choice(everyone)]
    towards = rng.sample(victims, rng.randint(1, len(victims))) if rng.random() < 0.95 else [rng.choice(everyone)]
    inc = {
        "key": key,
        "occurred": occurred,
        "occurred_end": None,
        "precision": precision,
        "by": by,
        "attribution": rng.choice(ATTRIBUTIONS),
        "procured_by": rng.choice(subjects) if rng.random() < 0.1 else None,
        "towards": towards,
        "affected": rng.sample(everyone, rng.randint(0, 2)) if rng.random() < 0.2 else [],
        "behaviours": rng.sample(BEHAVIOURS, rng.randint(0, 3)),
        "channel": rng.choice(CHANNELS),
        "effects": rng.sample(EFFECTS, rng.randint(0, 2)),
        "impacts": rng.sample(IMPACTS, rng.randint(0, 1)) if rng.random() < 0.3 else [],
        "below_threshold": rng.random() < 0.1,
        "same_occasion_as": rng.choice(others) if others and rng.random() < 0.15 else None,
        "links": rng.sample(others, 1) if others and rng.random() < 0.1 else [],
        "stated_purpose": "reporting a crime" if rng.random() < 0.05 else None,
        "words": rng.choice(["", "", "go away", "   "]),
        "summary": "fictional",
    }
    if rng.random() < 0.05:
        inc["withdrawn"] = True
    if rng.random() < 0.1:
        inc["order_in_force_said"] = rng.choice([True, False])
    if rng.random() < 0.12:
        inc["occurred_end"] = (day + dt.timedelta(days=rng.randint(0, 60))).isoformat()
        if rng.random() < 0.2:
            inc["occurred_end"] = (day - dt.timedelta(days=3)).isoformat()
    return inc


def _orders(rng, base, span, victims, subjects) -> list[dict]:
    out = []
    for n in range(rng.choice([0, 0, 1, 2, 3])):
        made = _day(rng, base, span)
        order = {
            "key": f"O{n + 1}",
            "kind": rng.choice(ORDER_KINDS),
            "against": rng.choice([*subjects, "Z"]),
            "protects": rng.sample(victims, rng.randint(1, len(victims))),
            "made": made.isoformat(),
            "expires": (made + dt.timedelta(days=rng.randint(10, 800))).isoformat() if rng.random() < 0.7 else None,
            "interim": False,
            "conditions": ["must not contact the protected person"],
            "court": "Fictional Magistrates' Court",
            "reference": "FIC/1",
            "history": [],
        }
        if rng.random() < 0.3:
            on = made + dt.timedelta(days=rng.randint(0, 300))
            order["history"] = [{"change": "discharged", "on": on.isoformat()}]
        out.append(order)
    return out


def make_case(seed: int) -> dict:
    """One fictional case bundle, the same for the same seed."""
    rng = random.Random(f"frozen:{seed}")
    base = rng.choice(BASES)
    span = rng.choice([30, 200, 400, 1100, 3000])
    people, victims, subjects = _people(rng, base, span)
    everyone = [p["key"] for p in people]
    keys = [f"I{i}" for i in range(1, rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40]) + 1)]
    incidents = [_incident(rng, k, keys, base, span, victims, subjects, everyone) for k in keys]
    orders = _orders(rng, base, span, victims, subjects)
    context = rng.sample(CONTEXTS, rng.randint(0, 2)) if rng.random() < 0.6 else []
    if rng.random() < 0.5 and "intent_to_persuade" not in context:
        context.append("intent_to_persuade")
    bundle = {
        "format": "stalklog.case",
        "version": 1,
        "case": {"ref": f"FRZ-{seed:03d}", "jurisdiction": rng.choice(JURISDICTIONS), "context": context},
        "people": people,
        "incidents": incidents,
        "impacts": [{"kind": rng.choice(IMPACTS), "date": "2023-01"}] if rng.random() < 0.3 else [],
    }
    if orders or rng.random() < 0.5:
        bundle["orders"] = orders
    return bundle
