"""Protective orders in the check: which are in force, which incidents could break one, and
which orders the recorded facts could support an application for (orders-v1; docs/orders.md).

Pure: the case bundle's ``orders``, ``people`` and ``incidents`` in, three lists out. Breaking
an order is an offence on its own: one incident is enough, no course of conduct is needed,
and whether the act broke a condition (or had a reasonable excuse) is for review: the
conditions are printed beside each possible breach, never matched by the tool.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from stalklog.law import wording as text
from stalklog.law.incidents import STALKING_BEHAVIOURS, Incident, add_months, read_incident, to_date
from stalklog.law.offence import NO_LIMIT

EW, SCOT, NI = "england-wales", "scotland", "northern-ireland"

SOON_DAYS = 28  # order_expires_soon: an advocate may need to ask for a renewal or variation
RISK_MONTHS = 12  # spa-s1: a last act older than this may not show a current risk
SPA_IN_FORCE = dt.date(2020, 1, 20)  # Stalking Protection Act 2019 s.1 (SI 2020/26)
FLA_S42A_IN_FORCE = dt.date(2007, 7, 1)  # Domestic Violence, Crime and Victims Act 2004 s.1
SA_2020_FROM = dt.date(2020, 12, 1)  # Sentencing Act 2020: restraining orders on conviction
PHA_IN_FORCE = dt.date(1997, 6, 16)
BREACH_FROM = {"spo": SPA_IN_FORCE, "non-molestation-order": FLA_S42A_IN_FORCE, "pha-injunction": PHA_IN_FORCE}

# Every breach offence: no time limit (either way), except the DVPO, whose breach is not a
# prosecution at all: NO_LIMIT, the one shape of a time limit (check-v2 §7), status "none".


@dataclass(frozen=True)
class Kind:
    """One kind of order: what it is, where, and what breaking it is."""

    id: str
    title: str
    jurisdiction: str | None  # None: any
    made_under: str
    breach: str  # breach offence id
    breach_title: str
    breach_cite: tuple[str, ...]
    max_penalty: str | None
    offence: bool = True  # False: contempt, not a prosecution
    needs_checking: str = ""  # for `stalklog law` and the docs only, never the check's output


KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        Kind(
            "spo",
            "stalking protection order",
            EW,
            "Stalking Protection Act 2019 s.1 (interim order s.5)",
            "spa-s8",
            "Breach of a stalking protection order (SPA 2019 s.8)",
            ("Stalking Protection Act 2019 s.8",),
            "5 years",
        ),
        Kind(
            "restraining-order",
            "restraining order",
            EW,
            "Sentencing Act 2020 s.360 on conviction (before 1 Dec 2020, PHA 1997 s.5); PHA 1997 s.5A on acquittal",
            "ro-breach",
            "Breach of a restraining order (Sentencing Act 2020 s.363; PHA 1997 s.5(5))",
            ("Sentencing Act 2020 s.363", "PHA 1997 s.5(5)", "PHA 1997 s.5A(2)"),
            "5 years",
        ),
        Kind(
            "non-molestation-order",
            "non-molestation order",
            EW,
            "Family Law Act 1996 s.42",
            "fla-s42a",
            "Breach of a non-molestation order (FLA 1996 s.42A)",
            ("Family Law Act 1996 s.42A",),
            "5 years",
        ),
        Kind(
            "dapo",
            "domestic abuse protection order",
            EW,
            "Domestic Abuse Act 2021 s.32 (only where in force)",
            "daa-s39",
            "Breach of a domestic abuse protection order (DAA 2021 s.39)",
            ("Domestic Abuse Act 2021 s.39",),
            "5 years",
        ),
        Kind(
            "pha-injunction",
            "injunction against harassment",
            EW,
            "PHA 1997 s.3 or s.3A",
            "pha-s3-6",
            "Breach of an injunction against harassment (PHA 1997 s.3(6))",
            ("PHA 1997 s.3(6)",),
            "5 years",
        ),
        Kind(
            "dvpo",
            "domestic violence protection order",
            EW,
            "Crime and Security Act 2010 s.28",
            "dvpo-contempt",
            "Breach of a domestic violence protection order: contempt (MCA 1980 s.63(3))",
            ("Crime and Security Act 2010 s.30", "Magistrates' Courts Act 1980 s.63(3)"),
            "2 months",
            offence=False,
        ),
        Kind(
            "nho",
            "non-harassment order",
            SCOT,
            "Criminal Procedure (Scotland) Act 1995 s.234A, or civil, PHA 1997 s.8/8A",
            "nho-breach",
            "Breach of a non-harassment order (CP(S)A 1995 s.234A(4); PHA 1997 s.9)",
            ("Criminal Procedure (Scotland) Act 1995 s.234A(4)", "PHA 1997 s.9"),
            "5 years",
        ),
        Kind(
            "ni-restraining-order",
            "restraining order (Northern Ireland)",
            NI,
            "Protection from Harassment (Northern Ireland) Order 1997 art.7",
            "ni-ro-breach",
            "Breach of a restraining order (PfH(NI)O 1997 art.7(5))",
            ("Protection from Harassment (Northern Ireland) Order 1997 art.7(5)",),
            "5 years",
            needs_checking="the maximum penalty has not been confirmed from the statute text",
        ),
        Kind(
            "ni-spo",
            "stalking protection order (Northern Ireland)",
            NI,
            "Protection from Stalking Act (Northern Ireland) 2022 Part 2 (where in force)",
            "ni-spo-breach",
            "Breach of a stalking protection order (PfS(NI)A 2022 Part 2)",
            ("Protection from Stalking Act (Northern Ireland) 2022 Part 2",),
            "5 years",
            needs_checking="the maximum penalty has not been confirmed from the statute text",
        ),
        Kind(
            "other",
            "other order",
            None,
            "named in the order's court and reference",
            "order-breach-review",
            "Breach of another order: for review",
            (),
            None,
        ),
    )
}


def kinds_for(jurisdiction: str) -> list[str]:
    """The kinds of order of one jurisdiction (``other`` last, for any)."""
    return [k.id for k in KINDS.values() if k.jurisdiction in (jurisdiction, None)]


# ---------------------------------------------------------------- reading the bundle


@dataclass
class Order:
    key: str
    kind: Kind
    against: str
    protects: tuple[str, ...]
    made: dt.date
    expires: dt.date | None
    discharged: dt.date | None
    raw: dict

    @property
    def until(self) -> dt.date | None:
        """The last day it is in force (both ends are included)."""
        ends = [d for d in (self.expires, self.discharged) if d is not None]
        return min(ends) if ends else None

    def in_force_on(self, day: dt.date) -> bool:
        return self.made <= day and (self.until is None or day <= self.until)


def read_order(raw: dict) -> Order:
    discharged = None
    for h in raw.get("history") or []:
        if h.get("change") == "discharged" and h.get("on"):
            discharged = to_date(h["on"])
    kind = KINDS.get(str(raw.get("kind")), KINDS["other"])
    return Order(
        str(raw.get("key")),
        kind,
        str(raw.get("against")),
        tuple(raw.get("protects") or ()),
        to_date(raw["made"]),
        to_date(raw["expires"]) if raw.get("expires") else None,
        discharged,
        raw,
    )


def possible_days(inc: dict) -> tuple[dt.date, dt.date]:
    """The first and last day an incident may have happened on: a month is any of its days,
    an approximate date 3 days either side (check-v2 §8), a span its whole length."""
    precision = inc.get("precision") or "exact"
    start = _day(inc.get("occurred"))
    end = _day(inc.get("occurred_end")) if inc.get("occurred_end") else start
    end = max(end, start)
    if precision == "month":
        start = start.replace(day=1)
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    elif precision == "approximate":
        start, end = start - dt.timedelta(days=3), end + dt.timedelta(days=3)
    return start, end


def _day(value) -> dt.date:
    raw = str(value)
    if len(raw) == 7:  # "2025-03": a month
        return dt.date(int(raw[:4]), int(raw[5:7]), 1)
    return dt.date.fromisoformat(raw[:10])


def _reaches(inc: Incident) -> list[str]:
    """Who the conduct was aimed at or foreseeably affected."""
    out = list(inc.towards)
    out += [p for p in inc.affected if p not in out]
    return out


# ---------------------------------------------------------------- the three lists


def judge_orders(
    bundle: dict, as_of: dt.date, jurisdiction: str, courses: list[dict], read: list[Incident] | None = None
) -> dict:
    """``{"orders", "possible_breaches", "protective_options", "warnings"}`` for one case.
    ``read``: the bundle's incidents as the check read them (``read_incident``), in order."""
    orders = [read_order(o) for o in bundle.get("orders") or []]
    raws = bundle.get("incidents") or []
    if read is None:
        read = [read_incident(raw, n) for n, raw in enumerate(raws)]
    live = [(inc, raw) for inc, raw in zip(read, raws, strict=True) if not inc.withdrawn]
    incidents = [inc for inc, _ in live]
    people = {str(p.get("key")): p for p in bundle.get("people") or []}
    listed, warnings = [], []
    for order in orders:
        entry, warning = _order_entry(order, as_of, people)
        listed.append(entry)
        if warning:
            warnings.append(warning)
    breaches = [b for order in orders for b in _breaches(order, live)]
    options = protective_options(orders, incidents, people, as_of, jurisdiction, courses)
    return {"orders": listed, "possible_breaches": breaches, "protective_options": options, "warnings": warnings}


def _order_entry(order: Order, as_of: dt.date, people: dict) -> tuple[dict, dict | None]:
    in_force = order.in_force_on(as_of)
    days = (order.expires - as_of).days if order.expires else None
    entry = {
        **order.raw,
        "title": order.kind.title,
        "breach_offence": order.kind.breach,
        "discharged": order.discharged.isoformat() if order.discharged else None,
        "in_force": in_force,
        "days_to_expiry": days,
    }
    warning = None
    if in_force and order.expires is not None and days is not None and 0 <= days <= SOON_DAYS:
        words = (
            f"the {order.kind.title} {order.key} against {_name(people, order.against)} ends on "
            f"{text.day(order.expires)} ({text.plural(days, 'day')} left): the police or the court may "
            "need to be asked to renew or vary it"
        )
        warning = {"code": "order_expires_soon", "order": order.key, "days_left": days, "text": words}
    return entry, warning


def _name(people: dict, key: str) -> str:
    return key if key in people else f"{key} (not a person of this case)"


def _breaches(order: Order, incidents: list[tuple[Incident, dict]]) -> list[dict]:
    """Each incident by the person the order is against that reached someone it protects
    while it may have been in force (its possible days: ``start_lo`` … ``end_hi``)."""
    out = []
    protected = set(order.protects)
    until = order.until
    for inc, raw in incidents:
        if not inc.counts_for(order.against):
            continue
        reached = [p for p in _reaches(inc) if p in protected]
        if not reached:
            continue
        first, last = inc.start_lo, inc.end_hi
        if last < order.made or (until is not None and first > until):
            continue  # before the order was made, or after it ended: not listed
        certain = first >= order.made and (until is None or last <= until)
        out.append(_breach(order, inc, raw, reached, first, last, certain))
    out.sort(key=lambda b: (b["date"], b["incident"]))
    return out


def _breach(
    order: Order, inc: Incident, raw: dict, reached: list[str], first: dt.date, last: dt.date, certain: bool
) -> dict:
    kind = order.kind
    reasons = []
    if not certain:
        reasons.append(
            {
                "code": "imprecise_date",
                "text": (
                    f"the incident may have happened {text.span(first, last)}: only part of that is "
                    f"while the order was in force ({_window(order)}); for review"
                ),
                "cite": [],
            }
        )
    if inc.below_threshold:
        reasons.append(
            {
                "code": "below_threshold",
                "text": (
                    "recorded as not harassing on its own, but one act can break an order "
                    "(a neutral message can break a no-contact condition); for review"
                ),
                "cite": [],
            }
        )
    if kind.id == "non-molestation-order" and first < FLA_S42A_IN_FORCE:
        reasons.append(
            {
                "code": "before_force",
                "text": (
                    f"breaking a non-molestation order became an offence on {text.day(FLA_S42A_IN_FORCE)}; "
                    "before that it was contempt of court; for review"
                ),
                "cite": ["Domestic Violence, Crime and Victims Act 2004 s.1"],
            }
        )
    if raw.get("order_in_force_said") is False and certain:
        reasons.append(
            {
                "code": "said_not_in_force",
                "text": "the entry says it did not happen while the order was in force, but its date is within it; for review",
                "cite": [],
            }
        )
    who = " and ".join(reached)
    if kind.offence:
        what = f"one incident is enough for {kind.breach_title}; no time limit for a prosecution to begin"
    else:
        what = (
            "breaking a domestic violence protection order is not an offence: it is dealt with by the "
            "magistrates' court as contempt (MCA 1980 s.63(3)), so it is not a prosecution and has no time limit"
        )
    why = (
        f"possible breach of the {kind.title} {order.key} ({_window(order)}): incident {inc.key} "
        f"{text.span(first, last)} by {order.against} towards {who}; {what}. Whether it broke a condition of "
        "the order, and whether there was a reasonable excuse, is for review"
    )
    return {
        "order": order.key,
        "incident": inc.key,
        "offence": kind.breach,
        "title": kind.breach_title,
        "status": "possible_breach",
        "max_penalty": kind.max_penalty,
        "time_limit": dict(NO_LIMIT),
        "conditions": list(order.raw.get("conditions") or []),
        "protected": reached,
        "date": first.isoformat(),
        "date_latest": last.isoformat(),
        "reasons": reasons,
        "why": why,
        "cite": list(kind.breach_cite),
    }


def _window(order: Order) -> str:
    if order.until is None:
        return f"made {text.day(order.made)}, until further order"
    ends = "discharged" if order.discharged is not None and order.until == order.discharged else "until"
    return f"made {text.day(order.made)}, {ends} {text.day(order.until)}"


# ---------------------------------------------------------------- protective options

ASSOCIATED = frozenset({"partner", "ex-partner", "spouse", "ex-spouse", "family"})
NOT_ASSOCIATED = frozenset({"stranger", "acquaintance", "colleague", "neighbour"})


def stalking_act(inc: Incident) -> bool:
    """An act associated with stalking (PHA 1997 s.2A(3)): the check's stalking behaviours, or
    contact by any means (check-v2 §2: a message channel, a third party, or words in person),
    which ``acts`` already holds as ``contacting`` (``implied_acts``)."""
    return not STALKING_BEHAVIOURS.isdisjoint(inc.acts)


def _pairs(incidents: list[Incident], people: dict) -> dict[tuple[str, str], list[Incident]]:
    """Every subject–victim pair with an incident by the one towards (or affecting) the
    other, in the order of the people (then keys), each with those incidents in order."""
    rank = {k: n for n, k in enumerate(people)}
    found: dict[tuple[str, str], list[Incident]] = {}
    for inc in incidents:
        by = inc.by
        if len(by) == 1 and len(inc.towards) == 1 and not inc.procured_by and not inc.affected:
            # one person towards one other: the loop below, written out
            s, v = by[0], inc.towards[0]
            if v != s and inc.attribution != "unknown":
                theirs = found.get((s, v))
                if theirs is None:
                    found[(s, v)] = [inc]
                else:
                    theirs.append(inc)
            continue
        for s in set(by) | set(inc.procured_by):
            if not inc.counts_for(s):
                continue
            for v in _reaches(inc):
                if v != s:
                    theirs = found.setdefault((s, v), [])
                    if not theirs or theirs[-1] is not inc:
                        theirs.append(inc)
    order = sorted(found, key=lambda p: (rank.get(p[0], len(rank)), p[0], rank.get(p[1], len(rank)), p[1]))
    return {pair: found[pair] for pair in order}


def protective_options(
    orders: list[Order], incidents: list[Incident], people: dict, as_of: dt.date, jurisdiction: str, courses: list[dict]
) -> list[dict]:
    """Orders the facts could support an application for: England and Wales only (v1)."""
    if jurisdiction != EW:
        return []
    out = []
    for (subject, victim), theirs in _pairs(incidents, people).items():
        out.append(_spo_option(subject, victim, theirs, orders, as_of))
        out.append(_nmo_option(subject, victim, people, orders, as_of))
        out.append(_civil_option(subject, victim, courses))
    return out


def _option(option_id: str, title: str, subject: str, victim: str, status: str, who: str, reasons, cite) -> dict:
    return {
        "id": option_id,
        "title": title,
        "subject": subject,
        "victim": victim,
        "status": status,
        "who_applies": who,
        "reasons": reasons,
        "cite": list(cite),
    }


def _r(code: str, words: str, cite=()) -> dict:
    return {"code": code, "text": words, "cite": list(cite)}


SPO_WHO = "the police apply, to a magistrates' court; no conviction and no course of conduct are needed"
SPO_CITE = ("Stalking Protection Act 2019 s.1", "Stalking Protection Act 2019 s.2", "PHA 1997 s.2A(3)")


def _spo_option(subject: str, victim: str, theirs: list[Incident], orders: list[Order], as_of: dt.date) -> dict:
    acts = [i for i in theirs if not i.below_threshold and not STALKING_BEHAVIOURS.isdisjoint(i.acts)]  # stalking_act

    def option(status: str, reasons: list[dict]) -> dict:
        title = "Stalking protection order (SPA 2019 s.1)"
        return _option("spa-s1", title, subject, victim, status, SPO_WHO, reasons, SPO_CITE)

    existing = [
        o
        for o in orders
        if o.kind.id == "spo" and o.against == subject and victim in o.protects and o.in_force_on(as_of)
    ]
    if existing:
        words = (
            f"a stalking protection order ({existing[0].key}) against {subject} protecting {victim} is already in force"
        )
        return option("not_indicated", [_r("already_in_force", words, ("Stalking Protection Act 2019 s.1",))])
    if as_of < SPA_IN_FORCE:
        words = f"stalking protection orders can be applied for from {text.day(SPA_IN_FORCE)}"
        return option("not_indicated", [_r("not_in_force", words, ("SI 2020/26",))])
    if not acts:
        words = (
            f"no incident by {subject} towards {victim} is recorded as an act associated with stalking "
            "(following, contact by any means, watching, loitering, and the other acts of PHA 1997 s.2A(3))"
        )
        return option("not_indicated", [_r("no_stalking_act", words, ("PHA 1997 s.2A(3)",))])
    last = max([i.end_hi for i in acts])
    keys = ", ".join([i.key for i in acts])
    if add_months(last, RISK_MONTHS) < as_of:
        words = (
            f"the last act associated with stalking ({text.day(last)}) is more than {RISK_MONTHS} months ago: "
            "whether the risk is current is for review"
        )
        return option("borderline", [_r("risk_may_not_be_current", words, ("Stalking Protection Act 2019 s.1(1)(b)",))])
    words = (
        f"{text.plural(len(acts), 'act')} associated with stalking by {subject} ({keys}, the last on {text.day(last)}) "
        f"could support an application; whether {subject} poses a risk associated with stalking and whether an "
        f"order is necessary to protect {victim} is for the police and the court"
    )
    return option("could_support", [_r("stalking_acts", words, SPO_CITE)])


NMO_WHO = "the victim applies, to the family court; it can be made without notice in an emergency"
NMO_CITE = ("Family Law Act 1996 s.42", "Family Law Act 1996 s.45", "Family Law Act 1996 s.62(3)")


def _relationship(people: dict, subject: str, victim: str) -> str | None:
    """The recorded relationship of the pair, read as the check reads it (only where one of
    them is the case's victim)."""
    pair = [people.get(subject) or {}, people.get(victim) or {}]
    if not any(p.get("role") == "victim" for p in pair):
        return None
    for person in pair:
        if person.get("relationship"):
            return person["relationship"]
    return None


def _nmo_option(subject: str, victim: str, people: dict, orders: list[Order], as_of: dt.date) -> dict:
    rel = _relationship(people, subject, victim)
    title = "Non-molestation order (FLA 1996 s.42)"
    if rel in ASSOCIATED:
        words = (
            f"{subject} is recorded as {victim}'s {rel.replace('-', ' ')}, an associated person (FLA 1996 s.62(3)), "
            f"and an incident by {subject} towards {victim} is recorded"
        )
        reasons = [_r("associated_person", words, ("Family Law Act 1996 s.62(3)",))]
        existing = [
            o
            for o in orders
            if o.kind.id == "non-molestation-order"
            and o.against == subject
            and victim in o.protects
            and o.in_force_on(as_of)
        ]
        if existing:
            reasons.append(
                _r(
                    "order_in_force",
                    f"a non-molestation order ({existing[0].key}) is already in force: a variation or extension may be what is needed",
                )
            )
        return _option("fla-s42", title, subject, victim, "could_support", NMO_WHO, reasons, NMO_CITE)
    if rel in NOT_ASSOCIATED:
        words = (
            f"{subject} is recorded as {victim}'s {rel}: not an associated person (FLA 1996 s.62(3)); "
            "a stalking protection order or an injunction under PHA 1997 may fit instead"
        )
        return _option(
            "fla-s42",
            title,
            subject,
            victim,
            "not_indicated",
            NMO_WHO,
            [_r("not_associated", words, NMO_CITE[2:])],
            NMO_CITE,
        )
    words = (
        f"the relationship between {subject} and {victim} is not recorded: a non-molestation order needs an "
        "associated person (partner, ex-partner, spouse, family: FLA 1996 s.62(3))"
    )
    return _option(
        "fla-s42",
        title,
        subject,
        victim,
        "borderline",
        NMO_WHO,
        [_r("relationship_not_recorded", words, NMO_CITE[2:])],
        NMO_CITE,
    )


CIVIL_STATUS = {"indicated": "could_support", "borderline": "borderline"}


def _civil_option(subject: str, victim: str, courses: list[dict]) -> dict:
    """The injunction, as the civil remedy on the pair's course: ``pha-s3`` for a single
    course, ``pha-s3a`` for a ``multiple`` one."""
    found = None
    for course in courses:
        if course.get("subject") != subject or victim not in course.get("victims", ()):
            continue
        for offence in [*course.get("offences", ()), *course.get("other_offences", ())]:
            if offence.get("id") in ("pha-s3", "pha-s3a") and (found is None or _rank(offence) < _rank(found)):
                found = offence
    option_id = found["id"] if found else "pha-s3"
    title = (
        "Injunction against harassment of two or more people (PHA 1997 s.3A)"
        if option_id == "pha-s3a"
        else "Injunction against harassment (PHA 1997 s.3)"
    )
    cite = ("PHA 1997 s.3A",) if option_id == "pha-s3a" else ("PHA 1997 s.3",)
    who = "the victim applies, to the county court or the High Court; breaking the injunction is an offence (s.3(6))"
    if found is None:
        words = "no course of conduct is recorded for this pair"
        return _option(option_id, title, subject, victim, "not_indicated", who, [_r("no_course", words)], cite)
    status = CIVIL_STATUS.get(str(found.get("status")), "not_indicated")
    said = {"indicated": "could support", "borderline": "for review"}.get(str(found.get("status")), "not indicated")
    words = f"follows the civil remedy the check reports on the course of conduct ({cite[0]}: {said})"
    return _option(option_id, title, subject, victim, status, who, [_r("civil_remedy", words, cite)], cite)


def _rank(offence: dict) -> int:
    return {"indicated": 0, "borderline": 1}.get(str(offence.get("status")), 2)


# ---------------------------------------------------------------- for `stalklog law`


def catalogue(jurisdiction: str | None = None) -> list[dict]:
    """Each breach offence, as data for ``stalklog law`` (with what still needs checking)."""
    out = []
    for kind in KINDS.values():
        places = [kind.jurisdiction] if kind.jurisdiction else [EW, SCOT, NI]
        for place in places:
            if jurisdiction and place != jurisdiction:
                continue
            caveats = [f"The breach's {kind.needs_checking}: needs checking."] if kind.needs_checking else []
            summary = f"Breaking a {kind.title} ({kind.made_under}) without reasonable excuse."
            if not kind.offence:
                summary += " Not an offence: a breach is contempt, dealt with by the magistrates' court."
            out.append(
                {
                    "id": kind.breach,
                    "title": kind.breach_title,
                    "jurisdiction": place,
                    "kind": "order_breach" if kind.offence else "contempt",
                    "order_kind": kind.id,
                    "summary": summary,
                    "requirements": [
                        {
                            "code": "order_in_force",
                            "text": f"the {kind.title} was in force on the day",
                            "cite": [kind.made_under],
                        },
                        {
                            "code": "act_by_subject",
                            "text": "the person the order is against did something it forbids (one act is enough); for review against its conditions",
                            "cite": list(kind.breach_cite),
                        },
                    ],
                    "for_review": ["whether the act broke a condition of the order", "any reasonable excuse"],
                    "time_limit": "no time limit" if kind.offence else "not a prosecution (contempt)",
                    "max_penalty": kind.max_penalty or "none given",
                    "in_force": BREACH_FROM[kind.id].isoformat() if kind.id in BREACH_FROM else None,
                    "dates": [{"date": BREACH_FROM[kind.id].isoformat(), "what": f"in force: {kind.breach_title}"}]
                    if kind.id in BREACH_FROM
                    else [],
                    "in_force_cite": kind.made_under,
                    "cite": list(kind.breach_cite),
                    "caveats": caveats,
                    "order_breach": True,
                }
            )
    return out
