"""The timeline chart: incidents over time, one row per behaviour, gaps visible.

For the HTML it is drawn with matplotlib (Agg backend, imported only when a chart is made)
and returned as an SVG string to put inline. For the PDF, ``timeline_layout`` gives the same
chart as positions and words (no matplotlib: its import alone costs a PDF 0.4 s and 45 MB)
and Typst draws it (templates/_base.typ). Only dates and vocabulary words go into the chart,
never free text.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from stalklog.reports.phrases import BEHAVIOUR_SHORT

GAP_MARK_DAYS = 28  # gaps at least this long are labelled with their length
WIDE_GAP_DAYS = 90  # and shaded when wider than this


def timeline_svg(points: list[dict]) -> str:
    """``points``: ``[{date: "YYYY-MM-DD", behaviours: [...], relied_on: bool, below_threshold: bool}]``.

    Filled markers are the occasions relied on; hollow ones were logged but are not relied on.
    Returns ``""`` when there is nothing to draw. The PDF (Typst) takes the same SVG.
    """
    if not points:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    rows = list(dict.fromkeys(b for p in sorted(points, key=lambda p: p["date"]) for b in p["behaviours"]))
    row_of = {b: n for n, b in enumerate(rows)}
    days = sorted({dt.date.fromisoformat(p["date"][:10]) for p in points})
    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "stalklog", "font.size": 8, "font.family": "DejaVu Sans"}
    ):
        fig = Figure(figsize=(7.2, 1.3 + 0.32 * len(rows)))
        ax = fig.add_subplot()
        for relied, style in (
            (False, {"facecolors": "white", "edgecolors": "#666666"}),
            (True, {"facecolors": "#1f4e79", "edgecolors": "#1f4e79"}),
        ):
            xs, ys = [], []
            for p in points:
                if bool(p["relied_on"]) != relied:
                    continue
                for b in p["behaviours"]:
                    xs.append(dt.date.fromisoformat(p["date"][:10]))
                    ys.append(row_of[b])
            if xs:
                ax.scatter(  # type: ignore[misc]  # dates go through matplotlib's units, which its stubs do not model
                    xs,  # type: ignore[arg-type]
                    ys,
                    s=28,
                    linewidths=1,
                    zorder=3,
                    label="relied on" if relied else "logged, not relied on",
                    **style,  # type: ignore[arg-type]
                )
        top = len(rows) - 0.4
        for before, after in zip(days, days[1:], strict=False):
            gap = (after - before).days
            if gap > WIDE_GAP_DAYS:
                ax.axvspan(before, after, color="#f4d6a0", alpha=0.6, zorder=1)  # type: ignore[arg-type]
            if gap >= GAP_MARK_DAYS:
                middle = before + (after - before) / 2
                ax.text(middle, top, f"{gap} days", ha="center", va="bottom", fontsize=7, color="#8a4b00")  # type: ignore[arg-type]
        ax.set_yticks(range(len(rows)), [BEHAVIOUR_SHORT.get(b, b.replace("_", " ")) for b in rows])
        ax.set_ylim(-0.7, len(rows) - 0.1 + 0.4)
        ax.invert_yaxis()
        pad = dt.timedelta(days=max(3, (days[-1] - days[0]).days // 25))
        ax.set_xlim(days[0] - pad, days[-1] + pad)  # type: ignore[arg-type]
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, frameon=False, fontsize=7)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "stalklog"})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # inline: no XML declaration or doctype
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    return re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg class="chart" role="img" \1', svg, count=1)


MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
DAY_STEPS = (1, 2, 7, 14)


def timeline_layout(points: list[dict]) -> dict | None:
    """The chart of ``points`` (as ``timeline_svg`` takes them) as a layout to draw: the rows
    (behaviours, first seen first), each marker's place across the time axis (0 to 1) and
    row, the gaps (shaded when wider than 90 days, labelled from four weeks) and the date
    ticks. None when there is nothing to draw."""
    if not points:
        return None
    ordered = sorted(points, key=lambda p: p["date"])
    rows = list(dict.fromkeys(b for p in ordered for b in p["behaviours"]))
    row_of = {b: n for n, b in enumerate(rows)}
    days = sorted({dt.date.fromisoformat(p["date"][:10]) for p in points})
    pad = dt.timedelta(days=max(3, (days[-1] - days[0]).days // 25))
    start, end = days[0] - pad, days[-1] + pad
    span = (end - start).days

    def across(day: dt.date) -> float:
        return round((day - start).days / span, 4)

    markers = {
        (across(dt.date.fromisoformat(p["date"][:10])), row_of[b], bool(p["relied_on"]))
        for p in points
        for b in p["behaviours"]
    }
    gaps = []
    for before, after in zip(days, days[1:], strict=False):
        gap = (after - before).days
        if gap >= GAP_MARK_DAYS:
            gaps.append(
                {"from": across(before), "to": across(after), "shaded": gap > WIDE_GAP_DAYS, "label": f"{gap} days"}
            )
    return {
        "rows": [BEHAVIOUR_SHORT.get(b, b.replace("_", " ")) for b in rows],
        # Hollow ones first, so a filled marker (relied on) is drawn over a hollow one on the same day.
        "markers": [list(m) for m in sorted(markers, key=lambda m: (m[2], m[0], m[1]))],
        "gaps": gaps,
        "ticks": [{"at": across(day), "label": label} for day, label in _ticks(start, end)],
    }


def _ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Three to eight dates across ``start``..``end``: days, months or years, each labelled
    once with its year where the year changes (``Jan 2025``, ``Apr``, ``Jul``)."""
    span = (end - start).days
    if span <= 100:
        step = next((s for s in DAY_STEPS if span // s <= 8), 14)
        first = start + dt.timedelta(days=1)
        out = [first + dt.timedelta(days=k * step) for k in range(span // step + 1)]
        out = [d for d in out if d <= end]
        return [
            (d, f"{d.day} {d:%b}" + (f" {d.year}" if n == 0 or d.year != out[n - 1].year else ""))
            for n, d in enumerate(out)
        ]
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((s for s in MONTH_STEPS if months // s <= 7), MONTH_STEPS[-1])
    index = start.year * 12 + start.month - 1 + (start.day > 1)  # the first first-of-a-month from start
    index += -index % step  # on the step: January, April, July, October for three months
    ticks: list[dt.date] = []
    while (day := dt.date(index // 12, index % 12 + 1, 1)) <= end:
        ticks.append(day)
        index += step
    labels = []
    for n, d in enumerate(ticks):
        if step >= 12:
            labels.append((d, str(d.year)))
        else:
            new_year = n == 0 or d.year != ticks[n - 1].year
            labels.append((d, f"{d:%b} {d.year}" if new_year else f"{d:%b}"))
    return labels
