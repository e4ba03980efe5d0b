"""Text from a case file, made safe to print to a terminal.

Free text (summaries, names, words used) comes from people and from imported bundles. It
is stored exactly as given, but when it is printed, control characters — the escape
sequences that can hide text, move the cursor or retitle a terminal — are shown as
visible symbols instead of being obeyed. Newlines and tabs are kept. (For rich markup, the CLI's
``stalklog.cli.markup.escape`` also shows markup literally.)
"""

from __future__ import annotations

import re

# C0 but newline and tab, DEL, C1 (8-bit CSI, OSC…), and the bidirectional overrides and
# isolates that reorder what a line shows (the "Trojan Source" characters).
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
# What ``json.dumps(..., ensure_ascii=False)`` leaves raw that a terminal may obey or that
# reorders text: DEL, C1, the bidi overrides and isolates, and the Unicode line separators.
_JSON_RAW = r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
# Every character of both is one ``str.isprintable`` refuses (categories Cc, Cf, Zl, Zp), so
# text that is all printable has none of them: it is returned as it is, and the patterns are
# compiled (once, by ``re``'s cache) only for text that may hold one. Most messages, names
# and cells are such text; ``stalklog add`` compiles neither (docs/performance.md).


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL …
    if code == 0x7F:
        return "\u2421"  # ␡
    if code > 0xFF:
        return f"<U+{code:04X}>"  # a bidi override, shown by name instead of reordering the line
    return f"\\x{code:02x}"


def printable(text: str) -> str:
    """``text`` with control characters shown, not obeyed."""
    return text if text.isprintable() else re.sub(_CONTROL, _visible, text)


def json_safe(text: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it) with the characters it
    leaves raw — DEL, C1, bidi overrides, line separators — written as ``\\uXXXX`` escapes.
    They can only stand inside strings, so the JSON means exactly the same."""
    if text.isascii() and "\x7f" not in text:  # the common case, found without a scan in Python's regex
        return text
    if text.isprintable():  # none of them either: nothing to compile
        return text
    return re.sub(_JSON_RAW, lambda m: f"\\u{ord(m.group()):04x}", text)


class JsonSafeWriter:
    """A text stream that writes JSON through ``json_safe`` (``stalklog export`` to stdout)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(json_safe(text))

    def flush(self) -> None:
        self.stream.flush()
