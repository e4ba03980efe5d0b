"""Reports: an evidence summary for the police and a diary for the victim and advocate.

``data.build_report`` arranges one case (records, check, integrity record) into a report
model; ``redact.redact`` withholds details from a disclosure copy; the renderers registered
here turn the model into a document. A renderer is a pure function ``model -> str | bytes``,
registered by (kind, format); the CLI does the reading and writing.

    model = build_report(db, "C-1", kind="evidence", as_of=date.today())
    pdf_bytes = render(model, "pdf")
"""

from __future__ import annotations

from collections.abc import Callable

KINDS = ("evidence", "diary", "labels")
FORMATS = ("pdf", "html", "md", "csv", "json")
BINARY = {"pdf"}
_MODULES = ("stalklog.reports.documents", "stalklog.reports.markdown", "stalklog.reports.tables")

_RENDERERS: dict[tuple[str, str], Callable[[dict], str | bytes]] = {}
_loaded = False


def renderer(fmt: str, kinds: tuple[str, ...] = KINDS):
    """Register a function as the renderer of ``fmt`` for ``kinds``."""

    def register(fn):
        for kind in kinds:
            _RENDERERS[(kind, fmt)] = fn
        return fn

    return register


def renderers() -> dict[tuple[str, str], Callable[[dict], str | bytes]]:
    """Every registered renderer, by (kind, format)."""
    global _loaded
    if not _loaded:
        import importlib

        for name in _MODULES:
            importlib.import_module(name)
        _loaded = True
    return dict(_RENDERERS)


def render(model: dict, fmt: str) -> str | bytes:
    """The document for a report model in one format."""
    from stalklog.errors import InvalidValue

    fn = renderers().get((model["kind"], fmt))
    if fn is None:
        raise InvalidValue(f'"{fmt}" is not a report format: use one of {", ".join(FORMATS)}.')
    return fn(model)


__all__ = ["BINARY", "FORMATS", "KINDS", "render", "renderer", "renderers"]
