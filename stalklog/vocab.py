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


# ---------------------------------------------------------------- words people use
#
# What people type for a vocabulary word (issue 19): any of these, in any case, with spaces,
# hyphens or underscores, is read as the word. Each is a plain renaming, never an
# inference: a feeling is not turned into fear of violence (only ``fear of violence`` and
# the like are). Listed by ``stalklog words``.

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "behaviours": {
        "following": ("followed", "follow", "follows"),
        "contacting": (
            "contact",
            "contacted",
            "texts",
            "texting",
            "texted",
            "messages",
            "messaging",
            "calls",
            "calling",
            "phoned",
            "emails",
            "emailing",
        ),
        "publishing": ("posting", "posts", "posted", "published"),
        "monitoring_communications": ("monitoring", "hacking", "hacked", "reading my messages"),
        "loitering": ("hanging around", "waiting outside", "turning up", "turned up"),
        "interfering_with_property": ("interfering", "tampering", "moving my things"),
        "watching_or_spying": ("watching", "watched", "spying", "spied"),
        "entering_premises": ("entering", "broke in", "came in", "trespassing"),
        "leaving_items": ("gifts", "gift", "presents", "flowers", "notes", "letters left", "leaving gifts"),
        "tracking": ("tracked", "tracker", "gps", "location tracking"),
        "third_party_contact": ("contacting family", "contacting friends", "contacting work", "third party"),
        "threats": ("threat", "threatened", "threatening"),
        "violence": ("violent", "assault", "assaulted", "hit", "attacked"),
        "property_damage": ("damage", "damaged", "vandalism", "criminal damage"),
        "sexual": ("sexual behaviour",),
        "intimate_images": ("images", "intimate photos", "revenge porn", "nudes"),
        "impersonation": ("impersonating", "pretending", "fake accounts", "fake profile"),
        "controlling_or_coercive": ("controlling", "coercive", "coercive control", "control"),
        "reporting_to_authorities": ("false reports", "complaints", "reporting me"),
        "abusive": ("abuse", "insults", "insulting", "name calling"),
        "other": ("something else",),
    },
    "effects": {
        "alarm": ("alarmed",),
        "distress": ("distressed", "upset"),
        "fear_of_violence": ("afraid of violence", "feared violence", "fear violence"),
        "fear_for_others": ("afraid for others", "fear for my children", "fear for family"),
        "serious_alarm_or_distress": ("serious alarm", "serious distress", "seriously alarmed", "seriously distressed"),
    },
    "impacts": {
        "changed_routine": ("routine", "new routine"),
        "changed_route": ("route", "new route", "different route"),
        "changed_work": ("work changes", "changed job", "working from home"),
        "left_job": ("quit job", "quit my job", "resigned", "left work"),
        "time_off_work": ("time off", "sick leave", "off work"),
        "moved_home": ("moved", "moved house", "moved out", "rehoused"),
        "extra_security": ("security", "cameras", "cctv", "new locks", "locks", "alarm system"),
        "health_treatment": ("doctor", "gp", "therapy", "counselling", "medication", "treatment"),
        "stopped_socialising": ("stopped going out", "isolated", "socialising"),
        "childcare_changes": ("childcare", "school run"),
        "changed_phone_number": ("new number", "changed number", "new phone number"),
        "other": ("something else",),
    },
    "channels": {
        "in_person": ("face to face", "in person", "person"),
        "phone_call": ("phone", "call", "calls", "voice call", "rang"),
        "text_message": ("text", "texts", "sms", "text messages"),
        "messaging_app": ("whatsapp", "signal", "telegram", "messenger", "imessage", "snapchat", "app"),
        "email": ("e-mail", "emails", "mail"),
        "social_media": ("facebook", "instagram", "twitter", "x", "tiktok", "linkedin", "social"),
        "letter": ("letters", "post", "card", "note"),
        "via_third_party": ("third party", "through someone", "through friends"),
        "online_other": ("online", "website", "forum"),
        "other": ("something else",),
    },
}

VOCABULARIES = {"behaviours": BEHAVIOURS, "effects": EFFECTS, "impacts": IMPACTS, "channels": CHANNELS}
WORD_LABELS = {"behaviours": BEHAVIOUR_LABELS, "effects": EFFECT_LABELS, "impacts": IMPACT_LABELS}


def typed(text: str) -> str:
    """A typed word in the vocabulary's form: ``Fear of-violence`` → ``fear_of_violence``."""
    return "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


_LOOKUP: dict[str, dict[str, str]] = {}


def find_word(text: str, vocabulary: str) -> str | None:
    """The vocabulary word ``text`` names (itself, its label, or a word people use for it);
    None when it names none. ``vocabulary``: behaviours, effects, impacts or channels."""
    wanted = typed(text)
    if wanted in VOCABULARIES[vocabulary]:  # the word itself: no table of the other words needed
        return wanted
    if vocabulary not in _LOOKUP:
        table = {typed(w): w for w in VOCABULARIES[vocabulary]}
        for word, label_text in WORD_LABELS.get(vocabulary, {}).items():
            table.setdefault(typed(label_text), word)
        for word, others in SYNONYMS[vocabulary].items():
            for other in others:
                table.setdefault(typed(other), word)
        _LOOKUP[vocabulary] = table
    return _LOOKUP[vocabulary].get(wanted)


def find_choice(text: str, choices: dict[str, str]) -> list[str]:
    """The ids of ``choices`` (id → title) that ``text`` names: the id itself; else a title,
    or its name before the bracket ("stalking" → "Stalking (PHA 1997 s.2A)"); else every
    title whose name starts with it."""
    if text in choices:
        return [text]
    wanted = typed(text)
    if not wanted:
        return []
    ids = [i for i in choices if typed(i) == wanted]
    if ids:
        return ids
    names = {i: typed(t.split(" (")[0]) for i, t in choices.items()}
    exact = [i for i, t in choices.items() if typed(t) == wanted or names[i] == wanted]
    return exact or [i for i, name in names.items() if name.startswith(wanted)]
