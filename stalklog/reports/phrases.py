"""The words reports use for the case bundle's vocabulary: written out in full, no
abbreviations (an evidence summary is read by people who never saw the app), and neutral
(an evidence summary describes what was recorded, it does not find facts)."""

from __future__ import annotations

# Third person, neutral: "the conduct recorded was …".
BEHAVIOURS = {
    "following": "following",
    "contacting": "contacting or trying to contact",
    "publishing": "publishing statements or material about the person",
    "monitoring_communications": "monitoring the person's phone, email, internet use or accounts",
    "loitering": "loitering near where the person lives, works or goes",
    "interfering_with_property": "interfering with the person's property",
    "watching_or_spying": "watching or spying",
    "entering_premises": "entering premises without permission",
    "leaving_items": "leaving gifts, notes or other items to be found",
    "tracking": "tracking the person's location",
    "third_party_contact": "contacting family, friends or an employer about the person",
    "threats": "threats",
    "violence": "violence",
    "property_damage": "damage to property",
    "sexual": "sexual behaviour",
    "intimate_images": "sharing or threatening to share intimate images",
    "impersonation": "impersonation",
    "controlling_or_coercive": "controlling or coercive behaviour",
    "reporting_to_authorities": "complaints about the person to police, an employer or others",
    "abusive": "abusive or insulting words or behaviour",
    "other": "other conduct",
}

# Short forms for the chart's rows.
BEHAVIOUR_SHORT = {
    "monitoring_communications": "monitoring communications",
    "interfering_with_property": "interfering with property",
    "third_party_contact": "contacting others about the person",
    "reporting_to_authorities": "complaints to authorities",
    "controlling_or_coercive": "controlling or coercive",
    "intimate_images": "intimate images",
    "leaving_items": "leaving items",
    "entering_premises": "entering premises",
    "watching_or_spying": "watching or spying",
}

EFFECTS = {
    "alarm": "alarm",
    "distress": "distress",
    "fear_of_violence": "fear that violence would be used against them",
    "fear_for_others": "fear for the safety of someone else",
    "serious_alarm_or_distress": "serious alarm or distress",
}

IMPACTS = {
    "changed_routine": "changed their daily routine",
    "changed_route": "changed the routes they take",
    "changed_work": "changed how or where they work",
    "left_job": "left their job",
    "time_off_work": "took time off work",
    "moved_home": "moved home",
    "extra_security": "added security at home",
    "health_treatment": "needed health treatment",
    "stopped_socialising": "stopped or changed socialising",
    "childcare_changes": "changed childcare arrangements",
    "changed_phone_number": "changed their phone number",
    "other": "another change to daily life",
}

CHANNELS = {
    "in_person": "in person",
    "phone_call": "telephone call",
    "text_message": "text message",
    "messaging_app": "messaging application",
    "email": "email",
    "social_media": "social media",
    "letter": "letter",
    "via_third_party": "through another person",
    "online_other": "online (other)",
    "other": "other means",
}

ATTRIBUTIONS = {
    "seen": "seen first-hand",
    "heard": "heard first-hand",
    "known_account": "from the subject's known telephone number or account",
    "told_by_other": "reported by someone else",
    "suspected": "suspected, not seen or heard",
    "unknown": "not known who it was",
}

PRECISIONS = {
    "exact": "exact",
    "day": "date only, time not known",
    "approximate": "approximate",
    "month": "month only",
}

RELATIONSHIPS = {
    "partner": "partner",
    "ex-partner": "former partner",
    "spouse": "spouse",
    "ex-spouse": "former spouse",
    "family": "family member",
    "acquaintance": "acquaintance",
    "colleague": "colleague",
    "neighbour": "neighbour",
    "stranger": "stranger",
    "unknown": "relationship not known",
}

ROLES = {"victim": "victim", "subject": "subject", "witness": "witness", "other": "other person"}

JURISDICTIONS = {
    "england-wales": "England and Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}

CONTEXTS = {
    "volatile_mutual_relationship": "a volatile relationship on both sides",
    "reconciled_between_incidents": "the couple reconciled or lived together between incidents",
    "intent_to_persuade": "an aim to make someone do or stop doing something",
    "racial_or_religious_hostility": "racial or religious hostility",
}

EXCLUSIONS = {
    "below_threshold": "recorded for context: judged not harassing on its own (below threshold)",
    "withdrawn": "withdrawn from the record",
    "attribution_unknown": "who did it is not known",
    "not_in_course": "not part of the course of conduct this summary sets out "
    "(another person, or conduct towards someone else)",
}

REQUIREMENTS = {
    "course_of_conduct": "A course of conduct",
    "harassing_effect": "Alarm or distress",
    "single_victim": "Conduct towards one person",
    "stalking_behaviour": "Acts associated with stalking",
    "fear_of_violence": "Fear of violence on at least two occasions",
    "serious_effect": "Serious alarm or distress with a substantial effect on daily life",
}

STATUS = {
    "indicated": "the recorded facts could support this offence, for review",
    "borderline": "the recorded facts could support this offence, but matters below need review first",
    "not_indicated": "the recorded facts do not yet show every point the check looks at",
    "not_available": "this offence was not in force for these dates or is not available here",
}


def words(mapping: dict, values) -> list[str]:
    return [mapping.get(v, str(v).replace("_", " ")) for v in values or []]


def join(items: list[str], last: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


# Sentences every format of a report carries word for word (HTML, PDF and Markdown).
TEXT = {
    "notice": "This summary sets out what is recorded in the case file. It uses neutral language and draws no "
    "conclusion about guilt: whether an offence was committed is for the police, a prosecutor and the court. It is "
    "not a witness statement and carries no witness declaration.",
    "private": "They were written as private reflections and are shown only because they were asked for by name "
    "(--include-private). Consider carefully before sharing this copy.",
    "points": '"Could be supported" means the recorded facts could support the point, for review; it is not a '
    "finding. Each point the check looks at is listed with the occasions and exhibits the record offers for it.",
    "mg12": "Exhibits supporting the occasions above, by exhibit reference. Each SHA-256 is the fingerprint of the "
    "file's bytes: recompute it on the file to confirm the file is unchanged. Continuity lists every recorded step "
    "from when the exhibit was obtained.",
    "mg6c": "Every logged entry no course in this summary relies on, numbered, described and with the reason, so "
    'nothing is left out silently. "Relative location" is the record in the case file. Entries with private notes '
    "are marked as possibly sensitive.",
    "how_to_check": "Run stalklog verify --case {ref} on the case file: it recomputes every record's hash, the "
    "ledger's hash chain and every exhibit's SHA-256, and prints the ledger head. If nothing has been recorded since, "
    "the head is this hash; if more has been recorded, the entry numbered {seq} in the ledger still has this hash.",
    "labels": "One label per exhibit, in exhibit-reference order: cut along the borders. The SHA-256 is the "
    "fingerprint of the exhibit file's bytes.",
    "chart": "A timeline chart of the incidents is in the HTML and PDF copies of this document.",
    "chart_evidence": "Incidents over time by kind of conduct. Filled: entries relied on; hollow: logged but not "
    "relied on. Shaded: gaps of more than 90 days; gaps of four weeks or more are labelled with their length.",
    "chart_diary": "When things happened, by kind of behaviour. Shaded: gaps of more than 90 days.",
}
