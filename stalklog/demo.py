"""The fictional demo case, shifted so that its last incident falls on a chosen day."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources


def _shift(value: str | None, days: int) -> str | None:
    if not value:
        return value
    if len(value) == 7:  # a month: 2025-03
        d = dt.date.fromisoformat(value + "-01") + dt.timedelta(days=days)
        return d.isoformat()[:7]
    if "T" in value:
        head, _, rest = value.partition("T")
        return (dt.date.fromisoformat(head) + dt.timedelta(days=days)).isoformat() + "T" + rest
    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


def demo_bundle(last_day: dt.date) -> dict:
    """The demo bundle with every date moved so the last incident is on ``last_day``."""
    data = json.loads(resources.files("stalklog").joinpath("demo_case.json").read_text(encoding="utf-8"))
    last = max(dt.date.fromisoformat(i["occurred"][:10]) for i in data["incidents"])
    days = (last_day - last).days
    data["case"]["opened"] = _shift(data["case"]["opened"], days)
    for p in data["people"]:
        p["lived_together_until"] = _shift(p.get("lived_together_until"), days)
    for inc in data["incidents"]:
        for k in ("occurred", "occurred_end", "recorded"):
            inc[k] = _shift(inc.get(k), days)
    for imp in data["impacts"]:
        imp["date"] = _shift(imp.get("date"), days)
    return data
