"""The PDF of every kind of report, typeset by Typst from the same report model as the HTML.

The templates are package data (``templates/*.typ``): the page and its running head, the
helpers, one record's fields, the orders and one file per kind, joined into one source.
The case's words never become Typst markup: the model goes in as JSON in ``sys.inputs``
(the templates read it with ``json(bytes(sys.inputs.data))`` and show each value as text),
the timeline chart with it as positions and words (``chart.timeline_layout``), drawn by Typst. Nothing is written to disk; nothing is fetched.

    pdf_bytes = typeset(model)          # model: contents.build_report, after redact.redact
"""

from __future__ import annotations

import contextlib
import json
from functools import cache
from typing import Protocol

from stalklog.errors import StalklogError

PARTS = ("_base.typ", "_records.typ", "_orders.typ")
KIND_TEMPLATE = {"evidence": "evidence.typ", "diary": "diary.typ", "labels": "labels.typ"}
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "C:\\Windows\\Fonts")

# What each kind's template reads from the model (the check and the raw bundle stay out:
# the template never needs them, and a thousand incidents' worth is a lot to parse).
COMMON = (
    "kind",
    "title",
    "marking",
    "case",
    "as_of_text",
    "integrity",
    "redacted",
    "redaction_statement",
    "include_private",
    "prepared_by",
    "version",
    "disclaimer",
)
KEYS = {
    "evidence": (
        "headline",
        "course_choice",
        "people",
        "orders",
        "courses",
        "single_course",
        "courses_total",
        "long",
        "review",
        "exhibit_schedule",
        "not_relied_on",
    ),
    "diary": ("live", "summary_line", "orders_protecting", "impacts", "screening", "withdrawn"),
    "labels": ("labels",),
}


class PdfUnavailable(StalklogError):
    """The Typst typesetter (the ``typst`` package) cannot be loaded here."""


TYPST_HELP = (
    "A PDF needs the typst package, which cannot be loaded here ({why}). The HTML report works "
    "without it: make it with --format html (or -o FILE.html), open it in a web browser and print it to PDF."
)


class Progress(Protocol):
    """What shows the PDF's progress (the CLI's bar on stderr): a context manager, told each
    step of the work in words."""

    def __enter__(self) -> Progress: ...

    def __exit__(self, *exc) -> bool | None: ...

    def step(self, text: str) -> None: ...


@cache
def source(kind: str) -> bytes:
    """The Typst source for one kind of report: the shared parts, then the kind's own."""
    from importlib.resources import files

    folder = files("stalklog.reports") / "templates"
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in (*PARTS, KIND_TEMPLATE[kind])).encode()


def document_data(model: dict) -> str:
    """The JSON the template reads: what the kind shows, every string made printable."""
    from stalklog.reports.phrases import TEXT
    from stalklog.safetext import printable

    kind = model["kind"]
    view = {k: model[k] for k in (*COMMON, *KEYS[kind]) if k in model}
    view.setdefault("redaction_statement", "")
    view["courses"] = [{k: v for k, v in c.items() if k != "course"} for c in view.get("courses") or []]
    integrity = model.get("integrity") or {}
    view["how_to_check"] = TEXT["how_to_check"].format(ref=model["case"]["ref"], seq=integrity.get("head_seq"))
    view["text"] = TEXT
    if kind != "labels":
        from stalklog.reports.chart import timeline_layout

        view["chart"] = timeline_layout(model.get("chart_points") or [])

    def shown(value):
        if isinstance(value, str):
            return printable(value)
        if isinstance(value, dict):
            return {k: shown(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [shown(v) for v in value]
        return value

    return json.dumps(shown(view), ensure_ascii=False, default=str)


def _typst():
    try:
        import typst
    except ImportError as e:  # not installed, or its compiled part does not load on this system
        why = " ".join(str(e).split())[:80]
        raise PdfUnavailable(TYPST_HELP.format(why=why)) from None
    return typst


def font_paths() -> list[str]:
    """Folders of fonts the system has (Typst also finds them itself; named here so a case's
    Polish, Arabic or Chinese names find a font wherever the system keeps one)."""
    import os

    return [d for d in FONT_DIRS if os.path.isdir(d)]


def _made(model: dict) -> int | None:
    """When the report was made (the model's ``generated``, from stalklog's clock) in seconds
    since 1970: the PDF's creation date, so it agrees with the "made" line and the same
    report gives the same bytes."""
    import datetime as dt

    try:
        return int(dt.datetime.fromisoformat(model["generated"]).timestamp())
    except (KeyError, TypeError, ValueError):
        return None


def typeset(model: dict, progress: Progress | None = None) -> bytes:
    """The PDF of a report model (any kind)."""
    typst = _typst()
    with progress or contextlib.nullcontext():
        if progress is not None:
            progress.step("Arranging the report")
        inputs = {"data": document_data(model)}
        if progress is not None:
            progress.step("Typesetting the pages")
        try:
            pdf, _warnings = typst.compile_with_warnings(
                source(model["kind"]),
                sys_inputs=inputs,
                font_paths=font_paths(),
                format="pdf",
                timestamp=_made(model),
            )
        except typst.TypstError as e:  # a fault in the templates, never in the data: say so plainly
            message = " ".join(str(getattr(e, "message", e)).split())[:200]
            raise StalklogError(
                f"The PDF could not be typeset ({message}). The HTML report works: use --format html."
            ) from None
    assert isinstance(pdf, bytes)
    return pdf
