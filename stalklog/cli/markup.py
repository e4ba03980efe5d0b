"""Free text made ready for a rich markup string: markup shown literally (a summary that says
``[bold]`` prints ``[bold]``), and control characters made visible (stalklog.safetext)."""

from __future__ import annotations

from stalklog.safetext import printable


def escape(text: str) -> str:
    """``text`` ready for a rich markup string: markup shown literally, controls made visible."""
    from rich.markup import escape as rich_escape

    return rich_escape(printable(text))
