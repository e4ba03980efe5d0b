"""HTML and PDF: the same Jinja2 templates (autoescape on), the PDF through WeasyPrint.

The HTML is self-contained (styles and the chart inline) and prints well; the PDF carries
the case reference and "Page x of y" on every page from the stylesheet's ``@page`` rules.
"""

from __future__ import annotations

from stalklog.reports import renderer

TEMPLATES = {"evidence": "evidence.html.j2", "diary": "diary.html.j2"}


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("stalklog.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["join_words"] = _join_words
    env.filters["occasion_list"] = _occasion_list
    return env


def _join_words(items, last: str = "and") -> str:
    from stalklog.reports.phrases import join

    return join(list(items or []), last)


def _occasion_list(numbers) -> str:
    numbers = list(numbers or [])
    if not numbers:
        return "none"
    return ("occasion " if len(numbers) == 1 else "occasions ") + _join_words([str(n) for n in numbers])


def html_document(model: dict, *, for_pdf: bool = False) -> str:
    """The report as one HTML page (chart inline)."""
    from markupsafe import Markup

    from stalklog.reports.chart import timeline_svg

    chart = Markup(timeline_svg(model.get("chart_points") or []))  # noqa: S704 - dates and vocabulary words only
    env = _environment()
    css = env.loader.get_source(env, "report.css")[0]
    template = env.get_template(TEMPLATES[model["kind"]])
    return template.render(r=model, chart=chart, css=Markup(css), for_pdf=for_pdf)  # noqa: S704 - our stylesheet


@renderer("html")
def render_html(model: dict) -> str:
    return html_document(model)


def _no_fetch(url: str, *args, **kwargs):
    """WeasyPrint may fetch nothing: a report is built from the case file alone."""
    raise ValueError(f"stalklog reports do not load external resources ({url[:40]})")


@renderer("pdf")
def render_pdf(model: dict) -> bytes:
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. an optional HarfBuzz-Subset library not installed
        from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html_document(model, for_pdf=True), url_fetcher=_no_fetch, base_url=None)
    return document.write_pdf()
