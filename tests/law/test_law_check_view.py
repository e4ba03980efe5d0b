"""The human view of the check (stalklog.cli.check_view)."""

from __future__ import annotations

import io

from law_helpers import bundle, check, inc, series
from rich.console import Console

from stalklog.cli.check_view import _why, deadline_cell, render_caseload, render_catalogue, render_check
from stalklog.law import caseload_rows, catalogue

NAMES = {"P": "Sam Roe", "V": "Alex Doe", "W": "Chris Poe"}


def render(doc, b=None, colour=False, **kwargs) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, force_terminal=colour, color_system="standard" if colour else None)
    incidents = {i["key"]: i for i in (b or {"incidents": []})["incidents"]}
    render_check(doc, console, people=NAMES, incidents=incidents, **kwargs)
    return buffer.getvalue()


def met_case():
    incidents = [
        inc("I0", "2024-12-20", below_threshold=True),
        inc("I1", "2025-01-05T18:30", behaviours=["following"], effects=["alarm"]),
        inc("I2", "2025-02-10", behaviours=["contacting"], effects=[], channel="text_message"),
        inc("I3", "2025-03-01", behaviours=["loitering"], effects=["fear_of_violence"]),
    ]
    return bundle(incidents)


def test_view_met_course_reads_in_plain_words():
    b = met_case()
    text = render(check(b), b)
    assert "Sam Roe → Alex Doe" in text and "(P)" not in text and "(V)" not in text
    assert "These 3 incidents could make a course of conduct" in text
    assert "5 Jan 2025" in text and "36" in text and "following" in text and "fear of violence" in text
    assert "could support" in text and "not indicated" in text
    assert "PHA 1997 s.2A" in text and "DPP v Baker" not in text and "add --sources" in text
    assert "DPP v Baker" in render(check(b), b, sources=True)
    assert "17 days left" in text
    assert "What to record next" in text and "How did this affect Alex Doe? (incident 2 (10 Feb))" in text
    assert " V?" not in text and " V " not in text
    assert "incident 0 (20 Dec 2024): recorded for context, not counted" in text
    assert "Not legal advice" in text
    assert "guilty" not in text.lower()


def test_view_deadline_under_28_days_is_red_and_bold():
    b = met_case()
    text = render(check(b), b, colour=True)
    assert "\x1b[1;31m17 days left" in text
    assert deadline_cell({"applies": True, "status": "in_time", "deadline": "2025-09-01", "days_left": 28}).startswith(
        "[bold red]"
    )
    assert not deadline_cell(
        {"applies": True, "status": "in_time", "deadline": "2025-09-02", "days_left": 29}
    ).startswith("[bold")
    assert deadline_cell({"applies": False, "status": "none", "deadline": None, "days_left": None}) == "no time limit"
    assert "ended on" in deadline_cell(
        {"applies": True, "status": "expired", "deadline": "2025-09-01", "days_left": -3}
    )


def test_view_borderline_course_says_why():
    b = bundle(series("2024-11-15", [124]))
    text = render(check(b), b)
    assert "Borderline — for review because a gap of 124 days" in text
    assert "for review" in text


def test_view_not_met_course_and_alternatives():
    b = bundle([inc("I1", "2025-03-01", behaviours=["threats"], channel="text_message")])
    text = render(check(b), b)
    assert "Not yet a course of conduct: only 1 occasion" in text
    assert "Threatening communications (Online Safety Act 2023 s.181)" in text
    assert "options, not results" in text


def test_view_not_available_and_merged_occasions():
    incidents = [inc("I1", "2012-10-01"), inc("I1b", "2012-10-01", same_occasion_as="I1"), inc("I2", "2012-11-01")]
    b = bundle(incidents)
    text = render(check(b), b)
    assert "These 3 incidents, on 2 occasions, could make a course of conduct" in text
    assert "not available" in text and "incidents 1 and I1b" in text  # named, as a person reads them
    assert "I1, I1b" not in text


def test_view_review_flags_and_warnings():
    incidents = series(
        "2025-02-01", [20], attribution="suspected", stated_purpose="reporting a crime", precision="month"
    )
    b = bundle(incidents, jurisdiction="northern-ireland")
    text = render(check(b), b)
    assert "Also for review" in text and "only suspected" in text and "stated purpose" in text
    assert "not been confirmed" in text  # pfho-art4 time_limit_unverified
    assert "dated only to the month" in text
    assert "(month only)" in text


def test_view_without_incident_details_or_courses():
    b = bundle(series("2025-02-01", [20]))
    doc = check(b)
    buffer = io.StringIO()
    render_check(doc, Console(file=buffer, width=120))
    assert "P → V" in buffer.getvalue()  # no names recorded: the keys are all there is
    empty = io.StringIO()
    render_check(check(bundle([])), Console(file=empty, width=120))
    assert "nothing to check" in empty.getvalue()


def test_view_caseload_one_line_per_course():
    docs = [check(b) for b in (met_case(), bundle([inc("I1", "2025-08-01")]))]
    buffer = io.StringIO()
    render_caseload(caseload_rows(docs), Console(file=buffer, width=250))
    text = buffer.getvalue()
    # check-v2 §7: the deadline names the offence it belongs to
    assert "PHA 1997 s.2: 17 days left for a prosecution to begin (until 1 Sep 2025)" in text
    assert "Harassment" in text and "not yet" in text
    empty = io.StringIO()
    render_caseload([], Console(file=empty, width=120))
    assert "No courses" in empty.getvalue()


def test_view_catalogue_shows_sources_and_caveats():
    buffer = io.StringIO()
    render_catalogue(catalogue(), Console(file=buffer, width=250))
    text = buffer.getvalue()
    for phrase in (
        "England and Wales",
        "Scotland",
        "Northern Ireland",
        "pfsa-s1",
        "cjlsa-s39",
        "civil claim",
        "oapa-s16",
        "poa-s4a",
        "25 Nov 2012",
        "13 Dec 2010",
        "Not legal advice",
    ):
        assert phrase in text, phrase


def test_view_prints_markup_and_emoji_codes_in_names_literally():
    b = bundle(series("2025-02-01", [20]))
    b["case"]["ref"] = "[bold]C[/bold]"
    buffer = io.StringIO()
    render_check(check(b), Console(file=buffer, width=120), people={"P": "[blink]Sam :smile:", "V": "[red]Alex[/red]"})
    text = buffer.getvalue()
    assert "[blink]Sam :smile: → [red]Alex[/red]" in text and "[bold]C[/bold]" in text


def test_view_wording_reads_as_sentences_for_a_victim_and_an_officer():
    # One act towards two people with an intent to persuade (s.1(1A)): singular wording,
    # alternatives say who from and to, and offences the records do not support show their
    # deadline quietly rather than as urgent or "too late".
    b = bundle(
        [inc("I1", "2025-07-01", towards=["V", "W"], behaviours=["threats"], channel="email")],
        context=["intent_to_persuade"],
    )
    text = render(check(b), b)
    # check-v2 §5: one act towards several people is for review
    assert "Borderline — for review because a single act towards Alex Doe and Chris Poe" in text
    assert "These 1 incidents" not in text and "Towards one person" not in text
    assert "incident 1 (1 Jul), from Sam Roe to Alex Doe and Chris Poe:" in " ".join(text.split())
    assert "would end 1 Jan 2026" in text  # s.2 on the single courses: not indicated
    doc = check(b)
    s4 = next(o for o in doc["courses"][0]["offences"] if o["id"] == "pha-s4")
    assert _why(s4).endswith("(and 1 more point missing)")
    assert "Has anything else happened? One occasion" in text
    assert deadline_cell({"applies": True, "status": "expired", "deadline": "2025-09-01", "days_left": -1}).endswith(
        "(1 day ago)"
    )
    assert "2,146 days left" in deadline_cell(
        {"applies": True, "status": "in_time", "deadline": "2031-07-01", "days_left": 2146}
    )


def test_view_scotland_shows_other_offences_apart():
    b = bundle(
        series("2025-03-01", [5], behaviours=["controlling_or_coercive"]),
        jurisdiction="scotland",
        subject={"relationship": "ex-partner"},
    )
    text = render(check(b), b)
    assert "Other offences the check also looks at" in text and "(Domestic" in text and "Abusive behaviour" in text


def test_view_DPP_v_Baker_shows_both_deadlines_and_a_range_for_a_month_only_date():
    # check-v2 §7 and §8: which offence each deadline belongs to, both deadlines where the
    # last incident may stand apart, "may already have passed" for an imprecise date.
    b = bundle([inc("I1", "2025-01-01"), inc("I2", "2025-01-10"), inc("I3", "2025-06", precision="month")])
    text = " ".join(render(check(b, as_of="2025-12-10"), b).split())
    assert "may already have passed on 1 Dec 2025" in text and "at the latest 30 Dec 2025" in text
    assert "if the last incident stands apart:" in text and "10 Jul 2025" in text  # in a table cell
    assert (
        "PHA 1997 s.2 and PHA 1997 s.2A: if incident 3 (Jun 2025) is not part of the same course (DPP v Baker)" in text
    )
    assert "The time limit for a prosecution for this ended on 10 Jul 2025." in text


def test_view_strongest_without_a_limit_says_no_time_limit_in_words():
    b = bundle(series("2025-06-01", [10], effects=["fear_of_violence"]))
    text = " ".join(render(check(b), b).split())
    assert "Strongest: Putting people in fear of violence (PHA 1997 s.4) (could support; maximum 10 years)." in text
    assert "There is no time limit for a prosecution for this." in text
    assert (
        "Next deadline: Harassment (PHA 1997 s.2). The police must start a prosecution for this by 11 Dec 2025." in text
    )
    assert "Report well before then." in text and "to charge" not in text
