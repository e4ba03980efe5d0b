"""HTML and PDF from one report model: the HTML from Jinja2 templates (autoescape on), the
PDF typeset by Typst (``stalklog.reports.typeset``, templates/*.typ).

The HTML is self-contained (styles and the chart inline) and prints well from a browser;
the PDF carries the marking, case reference and "Page x of y" on every page.
"""

from __future__ import annotations

from stalklog.reports import renderer
from stalklog.reports.typeset import PdfUnavailable, Progress

__all__ = ["PdfUnavailable", "Progress", "html_document", "render_html", "render_pdf"]

TEMPLATES = {"evidence": "evidence.html.j2", "diary": "diary.html.j2", "labels": "labels.html.j2"}


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


def html_document(model: dict) -> str:
    """The report as one HTML page (chart inline)."""
    from markupsafe import Markup

    from stalklog.reports.chart import timeline_svg

    chart = Markup(timeline_svg(model.get("chart_points") or []))  # noqa: S704 - dates and vocabulary words only
    env = _environment()
    css = env.loader.get_source(env, "report.css")[0]
    template = env.get_template(TEMPLATES[model["kind"]])
    return template.render(r=model, chart=chart, css=Markup(css), for_pdf=False)  # noqa: S704 - our stylesheet


@renderer("html")
def render_html(model: dict) -> str:
    return html_document(model)


@renderer("pdf")
def render_pdf(model: dict, progress: Progress | None = None) -> bytes:
    """The PDF: typeset by Typst from the same model (stalklog.reports.typeset)."""
    from stalklog.reports.typeset import typeset

    return typeset(model, progress)
