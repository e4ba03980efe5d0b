"""Plain-language sentences for the check's reasons, warnings and gaps to fill.

The words are deliberate: the check says what the recorded facts "could support" and
what is "for review". It never says that anyone is guilty or that an offence was made
out — that is for the police, prosecutors and the courts.
"""

from __future__ import annotations

import datetime as dt

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
        f"{plural(days_left, 'day')} left to charge {'/'.join(labels)} for {subject} "
        f"towards {names(victims)}: the six-month limit ends on {day(deadline)}"
    )


def deadline_passed(labels: list[str], subject: str, victims, deadline) -> str:
    return f"the six-month limit for {'/'.join(labels)} ({subject} towards {names(victims)}) ended on {day(deadline)}"
