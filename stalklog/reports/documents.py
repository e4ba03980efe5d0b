"""HTML and PDF: the same Jinja2 templates (autoescape on), the PDF through WeasyPrint.

The HTML is self-contained (styles and the chart inline) and prints well; the PDF carries
the case reference and "Page x of y" on every page from the stylesheet's ``@page`` rules.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Protocol

from stalklog.errors import StalklogError
from stalklog.reports import renderer

TEMPLATES = {"evidence": "evidence.html.j2", "diary": "diary.html.j2", "labels": "labels.html.j2"}


class PdfUnavailable(StalklogError):
    """WeasyPrint could not load its text-layout libraries (Pango), e.g. on Windows without GTK."""


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("stalklog.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )
    env.filters["join_words"] = _join_words
    env.filters["occasion_list"] = _occasion_list
    env.filters["plural"] = _plural
    from stalklog.reports.phrases import TEXT

    env.globals["TEXT"] = TEXT
    env.filters["ranges"] = _ranges
    return env


def _visible(value):
    """Every value a template prints, with control characters and bidi overrides shown as
    symbols (``stalklog.safetext``), so a document cannot hide or reorder text."""
    if isinstance(value, str):
        from markupsafe import Markup

        from stalklog.safetext import printable

        return Markup(printable(value)) if isinstance(value, Markup) else printable(value)
    return value


def _plural(n: int, word: str, many: str | None = None) -> str:
    from stalklog.reports.contents import plural

    return plural(n, word, many)


def _ranges(numbers) -> str:
    from stalklog.reports.contents import number_ranges

    return number_ranges(numbers)


def _join_words(items, last: str = "and") -> str:
    from stalklog.reports.phrases import join

    return join(list(items or []), last)


def _occasion_list(numbers) -> str:
    from stalklog.reports.contents import occasion_words

    return occasion_words(numbers)


def html_document(model: dict, *, for_pdf: bool = False) -> str:
    """The report as one HTML page (chart inline)."""
    from markupsafe import Markup

    from stalklog.reports.chart import timeline_svg

    chart = Markup(timeline_svg(model.get("chart_points") or [], png=for_pdf))  # noqa: S704 - dates and vocabulary words only
    env = _environment()
    css = env.loader.get_source(env, "report.css")[0]
    template = env.get_template(TEMPLATES[model["kind"]])
    return template.render(r=model, chart=chart, css=Markup(css), for_pdf=for_pdf)  # noqa: S704 - our stylesheet


@renderer("html")
def render_html(model: dict) -> str:
    return html_document(model)


def _data_only():
    """WeasyPrint may fetch nothing: a report is built from the case file alone. The one
    resource, the chart, is a data URL inside the document; every other scheme is refused."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


PANGO_HELP = (
    "A PDF needs the Pango text-layout library, which is not installed here ({why}). "
    "The HTML report works without it: make it with --format html (or -o FILE.html), open it in a "
    "web browser and print it to PDF (the page headers, marking and page numbers are kept)."
)


def _weasyprint_html():
    """WeasyPrint's HTML class, or PdfUnavailable when its libraries cannot be loaded."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. an optional HarfBuzz-Subset library not installed
            from weasyprint import HTML
    except OSError as e:  # "cannot load library 'libgobject-2.0-0'" and the like
        why = " ".join(str(e).split())[:80]
        raise PdfUnavailable(PANGO_HELP.format(why=why)) from None
    return HTML


class Progress(Protocol):
    """What shows the PDF's progress (the CLI's bar on stderr): a context manager, told each
    step of WeasyPrint's work in words."""

    def __enter__(self) -> Progress: ...

    def __exit__(self, *exc) -> bool | None: ...

    def step(self, text: str) -> None: ...


@contextlib.contextmanager
def _weasyprint_steps(progress: Progress | None):
    """While WeasyPrint works, its steps (and the page it lays out) go to ``progress.step`` in words."""
    if progress is None:
        yield
        return
    handler = _StepHandler(progress)
    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


class _StepHandler(logging.Handler):
    WORDS = {
        "Step 3": "Applying the styles",
        "Step 4": "Building the document",
        "Step 5": "Laying out pages",
        "Step 6": "Writing the PDF",
        "Step 7": "Writing the PDF",
    }

    def __init__(self, progress: Progress):
        super().__init__(logging.INFO)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        text = self.WORDS.get(message[:6])
        if text is None:
            return
        if "Page" in message:
            text += ": page " + message.rsplit(" ", 1)[-1]
        elif "Repagination" in message:
            text += " again (page numbers)"
        self.progress.step(text)


@renderer("pdf")
def render_pdf(model: dict, progress: Progress | None = None) -> bytes:
    HTML = _weasyprint_html()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    with progress or contextlib.nullcontext(), _weasyprint_steps(progress):
        document = HTML(string=html_document(model, for_pdf=True), url_fetcher=_data_only(), base_url=None)
        return document.write_pdf()
