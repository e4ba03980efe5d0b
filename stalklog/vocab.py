"""The vocabularies of the case bundle (spec: docs/bundle.md) and small helpers.

These word lists are the contract shared by the store, the bundle, the check and the
reports. Add words only by a new bundle version; never change a word's meaning.
"""

from __future__ import annotations

JURISDICTIONS = ("england-wales", "scotland", "northern-ireland")

CONTEXTS = (
    "volatile_mutual_relationship",
    "reconciled_between_incidents",
    "intent_to_persuade",
    "racial_or_religious_hostility",
)

ROLES = ("victim", "subject", "witness", "other")

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

PRECISIONS = ("exact", "day", "approximate", "month")

ATTRIBUTIONS = ("seen", "heard", "known_account", "told_by_other", "suspected", "unknown")

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
)

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

EFFECTS = (
    "alarm",
    "distress",
    "fear_of_violence",
    "fear_for_others",
    "serious_alarm_or_distress",
)

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

# Plain-language labels, for prompts and reports.
BEHAVIOUR_LABELS = {
    "following": "followed me",
    "contacting": "contacted me (or tried to)",
    "publishing": "posted or published things about me",
    "monitoring_communications": "monitored my phone, email or accounts",
    "loitering": "hung around where I live, work or go",
    "interfering_with_property": "interfered with my property",
    "watching_or_spying": "watched or spied on me",
    "entering_premises": "came into my home or another place without permission",
    "leaving_items": "left gifts, notes or things for me to find",
    "tracking": "tracked my location",
    "third_party_contact": "contacted my family, friends or work about me",
    "threats": "threatened me or others",
    "violence": "was violent",
    "property_damage": "damaged property",
    "sexual": "sexual behaviour",
    "intimate_images": "shared or threatened to share intimate images",
    "impersonation": "pretended to be me or someone else",
    "controlling_or_coercive": "controlling or coercive behaviour",
    "reporting_to_authorities": "made complaints about me to police, work or others",
    "abusive": "was abusive or insulting",
    "other": "something else",
}

EFFECT_LABELS = {
    "alarm": "alarmed",
    "distress": "distressed or upset",
    "fear_of_violence": "afraid violence would be used against me",
    "fear_for_others": "afraid for someone else's safety",
    "serious_alarm_or_distress": "seriously alarmed or distressed",
}

IMPACT_LABELS = {
    "changed_routine": "changed my routine",
    "changed_route": "changed my route",
    "changed_work": "changed how or where I work",
    "left_job": "left my job",
    "time_off_work": "took time off work",
    "moved_home": "moved home",
    "extra_security": "added security at home",
    "health_treatment": "needed health treatment",
    "stopped_socialising": "stopped or changed socialising",
    "childcare_changes": "changed childcare arrangements",
    "changed_phone_number": "changed my phone number",
    "other": "another change",
}

# Fields of an incident that hold lists of vocabulary words.
VOCAB_LIST_FIELDS = {"behaviours": BEHAVIOURS, "effects": EFFECTS, "impacts": IMPACTS}


def label(word: str) -> str:
    """A readable form of a vocabulary word (``fear_of_violence`` → ``fear of violence``)."""
    return word.replace("_", " ")


def sole_parties(people: list[dict]) -> tuple[list[str], list[str]]:
    """The keys of a case's only subject and only victim: who an entry is by and towards
    when it does not say. With none, or several, of a role, that list is empty."""
    subjects = [p["key"] for p in people if p["role"] == "subject"]
    victims = [p["key"] for p in people if p["role"] == "victim"]
    return (subjects if len(subjects) == 1 else []), (victims if len(victims) == 1 else [])
