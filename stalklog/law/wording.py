"""Plain-language sentences for the check's reasons, warnings and gaps to fill.

The words are deliberate: the check says what the recorded facts "could support" and
what is "for review". It never says that anyone is guilty or that an offence was made
out — that is for the police, prosecutors and the courts.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

DISCLAIMER = (
    "This is not legal advice. These results only say what the recorded facts could "
    "support under the rules stalklog applies; they are for review by the police, a "
    "prosecutor or a lawyer, who will weigh the evidence, what the person knew or intended, "
    "and any defence. A result of 'not indicated' does not mean nothing wrong happened."
)

SHORT_DISCLAIMER = (
    "Not legal advice: this says what the recorded facts could support, for review by "
    "the police, a prosecutor or a lawyer."
)


@lru_cache(maxsize=8192)
def day(d: dt.date) -> str:
    """``5 Jan 2025``."""
    return f"{d.day} {d.strftime('%b %Y')}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def names(keys) -> str:
    keys = list(keys)
    if len(keys) <= 1:
        return "".join(keys)
    return ", ".join(keys[:-1]) + " and " + keys[-1]


def span(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"on {day(first)}"
    return f"between {day(first)} and {day(last)}"


def occasions_towards(n: int, victims, first: dt.date, last: dt.date) -> str:
    return f"{plural(n, 'occasion')} towards {names(victims)} {span(first, last)}"


def each_victim(n: int, victims, first: dt.date, last: dt.date) -> str:
    return (
        f"at least one occasion towards each of {names(victims)} ({plural(n, 'occasion')} "
        f"in all, {span(first, last)}), with an intent to persuade"
    )


def one_occasion(victims, when: dt.date) -> str:
    return (
        f"only 1 occasion towards {names(victims)} ({day(when)}); a course of conduct "
        "needs conduct on at least two occasions"
    )


def wide_gap(days: int, before: dt.date, after: dt.date) -> str:
    return (
        f"a gap of {days} days between {day(before)} and {day(after)}, and nothing "
        "recorded links the later incident to the earlier ones; the fewer the incidents "
        "and the further apart, the less likely they form one course of conduct"
    )


def bridged_gap(days: int, before: dt.date, after: dt.date) -> str:
    return (
        f"a gap of {days} days between {day(before)} and {day(after)} is bridged by a "
        "recorded link to the earlier incidents"
    )


def gaps_ok(count: int) -> str:
    if count <= 3:
        return "no gap between occasions is longer than 90 days"
    return (
        "no gap between occasions is longer than 365 days, and the last occasion follows the one before within 90 days"
    )


def deadline_soon(days_left: int, labels: list[str], subject: str, victims, deadline) -> str:
    return (
        f"{plural(days_left, 'day')} left for a prosecution to begin for {'/'.join(labels)} ({subject} "
        f"towards {names(victims)}): the six-month limit ends on {day(deadline)}; report well before then"
    )


def deadline_may_have_passed(labels: list[str], subject: str, victims, deadline, latest) -> str:
    return (
        f"the six-month limit for {'/'.join(labels)} ({subject} towards {names(victims)}) may already have "
        f"passed on {day(deadline)}; at the latest it ends on {day(latest)}, because a date is not precise"
    )


def deadline_passed(labels: list[str], subject: str, victims, deadline) -> str:
    return f"the six-month limit for {'/'.join(labels)} ({subject} towards {names(victims)}) ended on {day(deadline)}"


def prosecution_sentence(limit: dict, civil: bool = False, *, advice: bool = True) -> str:
    """One sentence on a time limit for a person, worded by its status (check-v2 §7, §8):
    a prosecution must start by the deadline (Magistrates' Courts Act 1980 s.127), so a
    victim should report well before it. Shared by the views and reports. ``civil``: the
    limit is for bringing a civil claim, not a prosecution. ``advice=False`` leaves out the
    advice to report (for a police document, whose reader is not the one to report)."""
    sentence = _limit_sentence(limit, civil)
    if not advice:
        for tail in (" Report well before then.", " Report as soon as you can."):
            sentence = sentence.removesuffix(tail)
    return sentence


def _limit_sentence(limit: dict, civil: bool) -> str:
    status = limit.get("status")
    if civil:
        return _claim_sentence(limit)
    if status == "none" or not limit.get("deadline"):
        return "There is no time limit for a prosecution for this."
    first = day(dt.date.fromisoformat(limit["deadline"]))
    if status == "unverified" and (limit.get("days_left") or 0) < 0:
        return (
            f"If the six-month limit applies, it ended on {first}; whether it still applies has not been "
            "confirmed, so ask the police or a lawyer."
        )
    if status == "unverified":
        return (
            f"If the six-month limit applies, the police must start a prosecution for this by {first}. "
            "Report well before then."
        )
    if status == "may_have_expired":
        latest = day(dt.date.fromisoformat(limit["deadline_latest"]))
        return (
            f"The time limit for a prosecution may already have passed on {first}; at the latest it ends on "
            f"{latest}. Report as soon as you can."
        )
    if status == "expired":
        return f"The time limit for a prosecution for this ended on {first}."
    return f"The police must start a prosecution for this by {first}. Report well before then."


def _claim_sentence(limit: dict) -> str:
    if limit.get("status") == "none" or not limit.get("deadline"):
        return "There is no time limit for this claim."
    first = day(dt.date.fromisoformat(limit["deadline"]))
    if limit.get("status") == "expired":
        return f"The time limit for bringing this claim ended on {first}."
    if limit.get("status") == "may_have_expired":
        latest = day(dt.date.fromisoformat(limit["deadline_latest"]))
        return f"The time limit for bringing this claim may already have passed on {first}; at the latest it ends on {latest}."
    return f"A claim must be brought by {first}; a lawyer can advise well before then."


def source_of(title: str) -> str:
    """The statute in an offence's title: "Harassment (PHA 1997 s.2)" → "PHA 1997 s.2"."""
    if title.endswith(")") and "(" in title:
        return title[title.rindex("(") + 1 : -1]
    return title


def deadline_words(limit: dict, title: str) -> str:
    """A deadline with the offence it belongs to, for one line of a table (check-v2 §7):
    "PHA 1997 s.2: 17 days left for a prosecution to begin (until 1 Sep 2025)"."""
    owner = source_of(title)
    status = limit.get("status")
    if not limit.get("applies") or status == "none":
        return f"{owner}: no time limit"
    first = day(dt.date.fromisoformat(limit["deadline"]))
    days = limit["days_left"]
    if status == "unverified":
        return f"{owner}: {first}, if the six-month limit applies"
    if status == "may_have_expired":
        latest = day(dt.date.fromisoformat(limit["deadline_latest"]))
        return f"{owner}: may already have passed on {first}; at the latest {latest}"
    if status == "expired" or days < 0:
        return f"{owner}: ended on {first} ({plural(-days, 'day')} ago)"
    return f"{owner}: {plural(days, 'day')} left for a prosecution to begin (until {first})"
