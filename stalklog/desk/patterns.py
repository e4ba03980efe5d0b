"""Patterns in a case's incidents over time: indicators for review, with the incidents behind each.

Pure functions: a list of incidents in the case bundle's shape in, plain data out. Nothing
here judges what will happen next. Each indicator says what the record shows so far — more
incidents lately, shorter gaps, a new kind of behaviour, more serious effects — and names the
incidents it rests on, so a professional can look at them and weigh them.

What is counted:

* withdrawn incidents are left out; incidents recorded for context (below threshold) count;
* an incident recorded as part of another (``same_occasion_as``) is counted with it, not
  again, in the counts and gaps (its behaviours and effects still count);
* incidents known only to the month are left out of weekly counts and of the gaps (they
  are counted by month), and the result says how many were left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from stalklog import vocab
from stalklog.law.wording import day

WORDING = (
    "Indicators for review: what the recorded incidents show so far, for a professional to weigh "
    "with everything else they know. They describe the record; they do not say what will happen."
)

# Behaviours whose first appearance, after incidents without them, is worth a second look.
ESCALATING_BEHAVIOURS = ("threats", "violence", "entering_premises", "property_damage", "sexual")
# Channels that do not need the subject to be there in person.
REMOTE_CHANNELS = ("phone_call", "text_message", "messaging_app", "email", "social_media", "letter", "online_other")
# Behaviours that put the subject physically near the victim.
PRESENCE_BEHAVIOURS = ("following", "loitering", "entering_premises")
# Effects: 1 = alarm or distress; 2 = fear of violence, fear for others, serious alarm or distress.
EFFECT_LEVEL = {"alarm": 1, "distress": 1, "fear_of_violence": 2, "fear_for_others": 2, "serious_alarm_or_distress": 2}

MIN_FOR_TREND = 4  # occasions needed before frequency is compared
MIN_GAPS = 4  # gaps needed (two in each half) before their lengths are compared
MIN_REMOTE_BEFORE = 2  # remote-only incidents before a first in-person one counts as a change
WEEKLY_UP_TO_DAYS = 16 * 7  # spans up to 16 weeks are counted by week, longer ones by month


def patterns(incidents: list[dict], *, by: str = "auto") -> dict:
    """Counts per week or month, the trend, and the indicators for review.

    ``by`` is ``week``, ``month`` or ``auto`` (weeks for up to 16 weeks, else months).
    """
    live = sorted((i for i in incidents if not i.get("withdrawn")), key=_order)
    dated = [i for i in live if i.get("precision") != "month" and not i.get("same_occasion_as")]
    month_only = [i for i in live if i.get("precision") == "month" and not i.get("same_occasion_as")]
    if by == "auto":
        span = (_day(dated[-1]) - _day(dated[0])).days if dated else 0
        by = "week" if dated and span <= WEEKLY_UP_TO_DAYS and not month_only else "month"
    if by not in ("week", "month"):
        raise ValueError(f"by: expected week, month or auto, not {by!r}")
    counted = dated if by == "week" else dated + month_only
    trend, rising = _trend(dated)
    indicators = [x for x in (rising, _gaps(dated)) if x]
    indicators += _new_behaviours(live) + _in_person(live) + _effects(live)
    indicators.sort(key=lambda x: (not x["escalation"], x["first"]))
    return {
        "incidents": len(live),
        "by": by,
        "counts": _counts(counted, by),
        "trend": trend,
        "indicators": indicators,
        # known only to the month: left out of the trend, the gaps and weekly counts
        "month_only": len(month_only),
        "wording": WORDING,
    }


def escalation_summary(result: dict) -> str:
    """One short line for a caseload table: the escalation indicators, or an empty string."""
    return "; ".join(x["short"] for x in result["indicators"] if x["escalation"])


# ---------------------------------------------------------------- counts and trend


def _order(inc: dict) -> tuple:
    return (inc["occurred"], inc.get("id") or 0, inc.get("key") or "")


def _day(inc: dict) -> dt.date:
    return dt.date.fromisoformat(inc["occurred"][:10])


def _keys(incs: list[dict]) -> list[str]:
    return [i["key"] for i in incs]


def _counts(incs: list[dict], by: str) -> list[dict]:
    """Every week (from its Monday) or month between the first incident and the last, zeros included."""
    if not incs:
        return []
    days = sorted(_day(i) for i in incs)
    if by == "week":
        start = days[0] - dt.timedelta(days=days[0].weekday())
        found = Counter((d - dt.timedelta(days=d.weekday())) for d in days)
        rows, week = [], start
        while week <= days[-1]:
            rows.append({"period": week.isoformat(), "label": f"w/c {day(week)}", "count": found.get(week, 0)})
            week += dt.timedelta(days=7)
        return rows
    months = Counter(d.strftime("%Y-%m") for d in days)
    rows, (y, m) = [], (days[0].year, days[0].month)
    while (y, m) <= (days[-1].year, days[-1].month):
        key = f"{y:04d}-{m:02d}"
        rows.append({"period": key, "label": dt.date(y, m, 1).strftime("%b %Y"), "count": months.get(key, 0)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return rows


def _trend(incs: list[dict]) -> tuple[dict, dict | None]:
    """Compare the later half of the span with the earlier half; return the trend and, when
    incidents have become more frequent, the indicator for it."""
    if len(incs) < MIN_FOR_TREND:
        return {"direction": "too_few", "text": f"Too few dated incidents ({len(incs)}) to speak of a trend."}, None
    first, last = _day(incs[0]), _day(incs[-1])
    span = (last - first).days
    if span < 14:
        return {
            "direction": "too_few",
            "text": "The incidents so far fall within two weeks: too short a time to speak of a trend.",
        }, None
    middle = first + dt.timedelta(days=span / 2)
    earlier = [i for i in incs if _day(i) < middle]
    later = [i for i in incs if _day(i) >= middle]
    half = span / 2
    window = (
        f"{len(later)} in the later half ({day(middle)} to {day(last)}) against "
        f"{len(earlier)} in the earlier half ({day(first)} to {day(middle - dt.timedelta(days=1))}), "
        f"about {round(half)} days each"
    )
    base = {
        "earlier": len(earlier),
        "later": len(later),
        "earlier_incidents": _keys(earlier),
        "later_incidents": _keys(later),
        "from": first.isoformat(),
        "middle": middle.isoformat(),
        "to": last.isoformat(),
    }
    if len(later) >= 2 * len(earlier) and len(later) - len(earlier) >= 2:
        trend = {"direction": "rising", "text": f"More frequent: {window}.", **base}
        indicator = _indicator(
            "frequency_rising",
            f"Incidents have become more frequent: {window}.",
            later,
            escalation=True,
            short="more frequent",
        )
        return trend, indicator
    if len(earlier) >= 2 * len(later) and len(earlier) - len(later) >= 2:
        return {"direction": "falling", "text": f"Less frequent: {window}.", **base}, None
    return {"direction": "steady", "text": f"About as frequent: {window}.", **base}, None


def _gaps(incs: list[dict]) -> dict | None:
    """Gaps between incident days: getting clearly shorter, or clearly longer."""
    days: dict[dt.date, list[dict]] = {}
    for inc in incs:
        days.setdefault(_day(inc), []).append(inc)
    ordered = sorted(days)
    gaps = [(b - a).days for a, b in zip(ordered, ordered[1:], strict=False)]
    if len(gaps) < MIN_GAPS:
        return None
    half = len(gaps) // 2
    earlier, later = gaps[: len(gaps) - half], gaps[len(gaps) - half :]
    before, after = sum(earlier) / len(earlier), sum(later) / len(later)
    listed = ", ".join(str(g) for g in gaps)
    behind = [i for d in ordered[len(ordered) - half :] for i in days[d]]
    if after <= before / 2 and before - after >= 2:
        return _indicator(
            "gaps_shortening",
            f"The gaps between incidents are getting shorter: {listed} days "
            f"(on average {before:.0f} days earlier, {after:.0f} days lately).",
            behind,
            escalation=True,
            short="gaps shortening",
            gaps=gaps,
        )
    if after >= before * 2 and after - before >= 7:
        return _indicator(
            "gaps_lengthening",
            f"The gaps between incidents are getting longer: {listed} days "
            f"(on average {before:.0f} days earlier, {after:.0f} days lately).",
            behind,
            escalation=False,
            short="gaps lengthening",
            gaps=gaps,
        )
    return None


# ---------------------------------------------------------------- kinds of behaviour and effects


def _new_behaviours(incs: list[dict]) -> list[dict]:
    found = []
    for word in ESCALATING_BEHAVIOURS:
        with_it = [i for i in incs if word in i.get("behaviours", [])]
        if not with_it:
            continue
        first = with_it[0]
        before = [
            i
            for i in incs
            if _order(i) < _order(first)
            and i.get("same_occasion_as") != first["key"]
            and first.get("same_occasion_as") != i["key"]
        ]
        if not before:
            continue  # there from the start: not new
        what = vocab.label(word).capitalize()
        found.append(
            _indicator(
                f"new_behaviour_{word}",
                f"{what} first recorded on {day(_day(first))} ({first['key']}), after {len(before)} "
                f"incident{'s' if len(before) != 1 else ''} without {vocab.label(word)}"
                + (f"; recorded {len(with_it)} times since." if len(with_it) > 1 else "."),
                with_it,
                escalation=True,
                short=f"new: {vocab.label(word)}",
                behaviour=word,
            )
        )
    return found


def _present(inc: dict) -> bool:
    return inc.get("channel") == "in_person" or any(b in PRESENCE_BEHAVIOURS for b in inc.get("behaviours", []))


def _remote(inc: dict) -> bool:
    return inc.get("channel") in REMOTE_CHANNELS and not _present(inc)


def _in_person(incs: list[dict]) -> list[dict]:
    """Turning up in person after contact that was only by phone, message, post or online."""
    for n, inc in enumerate(incs):
        if not _present(inc):
            continue
        before = incs[:n]
        if len(before) >= MIN_REMOTE_BEFORE and all(_remote(i) for i in before):
            later = [i for i in incs[n:] if _present(i)]
            channels = sorted({vocab.label(i["channel"]) for i in before})
            return [
                _indicator(
                    "in_person_after_remote",
                    f"In person for the first time on {day(_day(inc))} ({inc['key']}), after {len(before)} "
                    f"incident{'s' if len(before) != 1 else ''} only by {_or(channels)}.",
                    later,
                    escalation=True,
                    short="now in person",
                )
            ]
        return []
    return []


def _effects(incs: list[dict]) -> list[dict]:
    """Effects moving from alarm or distress to fear of violence or serious alarm or distress."""
    with_effects = [i for i in incs if any(e in EFFECT_LEVEL for e in i.get("effects", []))]
    for n, inc in enumerate(with_effects):
        level = max(EFFECT_LEVEL.get(e, 0) for e in inc["effects"])
        if level < 2:
            continue
        if n == 0:
            return []  # serious from the first effect recorded: not a change
        later = [i for i in with_effects[n:] if max(EFFECT_LEVEL.get(e, 0) for e in i["effects"]) >= 2]
        serious = sorted({e for e in inc["effects"] if EFFECT_LEVEL.get(e) == 2})
        last_mild = with_effects[n - 1]
        return [
            _indicator(
                "effects_escalating",
                f"The effects recorded have become more serious: alarm or distress only, up to "
                f"{day(_day(last_mild))}; {' and '.join(vocab.label(e) for e in serious)} from "
                f"{day(_day(inc))} ({inc['key']}).",
                later,
                escalation=True,
                short="effects more serious",
            )
        ]
    return []


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _indicator(code: str, text: str, incs: list[dict], *, escalation: bool, short: str, **extra) -> dict:
    return {
        "code": code,
        "text": text,
        "incidents": _keys(incs),
        "escalation": escalation,
        "short": short,
        "first": min((i["occurred"] for i in incs), default=""),
        **extra,
    }
