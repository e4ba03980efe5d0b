"""Text from a case file, made safe to print to a terminal.

Free text (summaries, names, words used) comes from people and from imported bundles. It
is stored exactly as given, but when it is printed, control characters — the escape
sequences that can hide text, move the cursor or retitle a terminal — are shown as
visible symbols instead of being obeyed. Newlines and tabs are kept. (For rich markup, the CLI's
``stalklog.cli.markup.escape`` also shows markup literally.)
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"


def printable(text: str) -> str:
    """``text`` with control characters shown, not obeyed."""
    return _CONTROL.sub(_visible, text)
