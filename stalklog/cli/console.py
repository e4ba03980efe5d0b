"""What every command shares: consoles, the ``--json`` option, opening the case file."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stalklog.store.database import Database


class State:
    """Per-invocation settings from the root options."""

    db_path: Path | None = None
    us_dates: bool = False
    _db: Database | None = None

    def reset(self) -> None:
        self.db_path = None
        self.us_dates = False
        self._db = None


state = State()


def out():
    """The console for data (stdout)."""
    from rich.console import Console

    return Console(soft_wrap=False, highlight=False, emoji=False)


def err():
    """The console for messages (stderr)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def say(message: str, *, markup: bool = False) -> None:
    """A message for the person (stderr), never data. Printed as it is (messages quote the
    user's own text, so ``[bold]`` in a name stays literal); ``markup=True`` to style it."""
    if markup:
        err().print(message, markup=True)
        return
    # Plain text needs no rich (importing it costs more than the rest of ``stalklog add``);
    # control characters in quoted user text are shown, not obeyed.
    from stalklog.safetext import printable

    sys.stderr.write(wrapped(printable(message)) + "\n")
    sys.stderr.flush()


def wrapped(message: str, indent: str = "") -> str:
    """A message wrapped at spaces to the terminal's width (``COLUMNS`` wins); words and
    file paths are never broken. Written to a pipe or a file, it is left as it is (one
    line per message, for logs and for grep)."""
    if not stderr_is_tty():
        return message
    return wrap_message(message, indent)


def print_json(data) -> None:
    from stalklog.safetext import json_safe

    # C1 controls and bidi overrides as \\u escapes: ``--json`` piped to a terminal obeys nothing
    sys.stdout.write(json_safe(json_text(data)) + "\n")


def print_json_list(items) -> None:
    """``print_json(list(items))``, the same text, written an item at a time as ``items``
    yields them, so a long list is never all in memory (``check --all --json``)."""
    from stalklog.safetext import json_safe

    write_json_texts(json_safe(json_text(item, "  ")) for item in items)


def write_json_texts(texts) -> None:
    """The JSON list of items already made into text (``json_safe(json_text(item, "  "))``),
    written as ``texts`` yields them."""
    write = sys.stdout.write
    first = True
    for text in texts:
        write(("[\n  " if first else ",\n  ") + text)
        first = False
    write("[]\n" if first else "\n]\n")


def json_text(data, pad: str = "") -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False, default=str)``, its lines after the
    first indented by ``pad``: the same text, made by orjson (in C) where it writes the same
    bytes, else by the bundle's fast indenting writer when the data is plain JSON; anything
    else (a date to be shown with ``str``) goes through json. One difference, on purpose:
    a number that is not finite (NaN, Infinity: not JSON) is written ``null``."""
    if pad == "  ":  # an item of a list (print_json_list): orjson indents it as one
        text = _orjson_text([data])
        if text is not None:
            return text[4:-2]  # "[\n  " … "\n]"
    else:
        text = _orjson_text(data)
        if text is not None:
            # JSON text never holds a raw line break, so each line of it is indented
            return text.replace("\n", "\n" + pad) if pad else text
    from stalklog.interchange.json_bundle import _indented

    try:
        return _indented(data, pad)
    except (TypeError, ValueError):
        return json.dumps(data, indent=2, ensure_ascii=False, default=str).replace("\n", "\n" + pad)


def _not_plain(value):
    raise TypeError(type(value).__name__)


def _orjson_text(data) -> str | None:
    """orjson's text for plain JSON data, or None where it would differ from json's: a
    value it does not write as json does (a date, a path: json's ``default=str``), a key
    that is not text, an integer beyond 64 bits, a lone surrogate, and the floats below
    10⁻⁴ (json writes 1e-05 and 1e-07, orjson 0.00001 and 1e-7)."""
    try:  # imported here: most commands write no JSON
        from orjson import OPT_INDENT_2, OPT_PASSTHROUGH_DATACLASS, OPT_PASSTHROUGH_DATETIME, dumps
    except ImportError:  # a dependency; without it the slower writers serve
        return None
    try:
        raw = dumps(
            data, default=_not_plain, option=OPT_INDENT_2 | OPT_PASSTHROUGH_DATETIME | OPT_PASSTHROUGH_DATACLASS
        )
    except TypeError:  # orjson.JSONEncodeError is one
        return None
    if b"0.0000" in raw or (b"e-" in raw and _short_exponent(raw)):
        return None
    return raw.decode()


def _short_exponent(raw: bytes) -> bool:
    """Whether orjson wrote a float with a one-digit negative exponent (``1e-7``), which
    json writes ``1e-07``. Found from the text "e-" (a fast search; words have it too)."""
    for found in re.finditer(rb"e-[0-9](?![0-9])", raw):
        if found.start() and raw[found.start() - 1] in b"0123456789":
            return True
    return False


def db_path() -> Path:
    from stalklog.store.database import default_path

    return state.db_path or default_path()


def stderr_is_tty() -> bool:
    """Whether messages go to a person's terminal (stderr is one)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def stdin_is_tty() -> bool:
    """Whether a person can be asked (stdin is a terminal)."""
    return sys.stdin.isatty()


class passphrase_source:  # noqa: N801 - used like a function: passphrase_source(path)()
    """Finds the passphrase for an encrypted file when it is needed, and remembers where
    it came from (``env``, ``keyring`` or ``prompt``) so a wrong one can be explained."""

    def __init__(self, path: Path):
        self.path = path
        self.origin: str | None = None

    def __call__(self) -> str:
        from stalklog.errors import PassphraseError

        env = os.environ.get("STALKLOG_PASSPHRASE")
        if env:
            self.origin = "env"
            return env
        from stalklog.store import passphrases

        remembered = passphrases.remembered(self.path)
        if remembered:
            self.origin = "keyring"
            return remembered
        if not stdin_is_tty():
            raise PassphraseError(
                f"{self.path} is encrypted: a passphrase is needed.",
                hint="Set STALKLOG_PASSPHRASE, or run the command in a terminal to be asked. If the file was "
                "never encrypted, it is damaged: restore it from a backup with: stalklog db restore BACKUP",
            )
        import getpass

        self.origin = "prompt"
        return getpass.getpass("Passphrase for the case file: ")


_ORIGIN_HINTS = {
    "env": "the passphrase came from STALKLOG_PASSPHRASE: check it, or unset it to be asked",
    "keyring": "the passphrase remembered in the system keyring did not open it: "
    "run stalklog db forget, then try again to be asked",
}
PROMPT_TRIES = 3


def open_case_file(create: bool = False, check_schema: bool = True):
    """The case file for this command, opened once. At a prompt, a mistyped passphrase can
    be typed again (three tries). ``check_schema=False``: verify and db check report a
    changed schema with everything else instead of stopping at it."""
    if state._db is None:
        from stalklog.errors import PassphraseError
        from stalklog.store.database import open_db

        path = db_path()
        source = passphrase_source(path)
        for attempt in range(1, PROMPT_TRIES + 1):
            try:
                state._db = open_db(path, create=create, passphrase_source=source, check_schema=check_schema)
                break
            except PassphraseError as e:
                if source.origin == "prompt" and attempt < PROMPT_TRIES:
                    say("Wrong passphrase; try again.")
                    continue
                if source.origin in _ORIGIN_HINTS:
                    raise PassphraseError(
                        e.message, hint=f"{e.hint or path} ({_ORIGIN_HINTS[source.origin]})"
                    ) from None
                raise
    return state._db


def us_dates() -> bool:
    if state.us_dates:
        return True
    from stalklog.config import load

    return bool(load().get("us_dates", False))


def parse_when_arg(text: str, field: str = "--when"):
    """A typed date, read by ``dates.parse_when``; errors name the option they came from."""
    from stalklog.dates import parse_when
    from stalklog.errors import InvalidDate

    try:
        return parse_when(text, us_dates=us_dates())
    except InvalidDate as e:
        raise InvalidDate(f"{field}: {e.message}", hint=e.hint) from None


def parse_date_arg(text: str | None, field: str = "date") -> str | None:
    if text is None:
        return None
    from stalklog.dates import parse_date
    from stalklog.errors import InvalidDate

    try:
        return parse_date(text, us_dates=us_dates()).isoformat()
    except InvalidDate as e:
        raise InvalidDate(f"{field}: {e.message}", hint=e.hint) from None


def as_of_date(text: str | None):
    """``--as-of``: the day time limits are counted to (default today, by STALKLOG_NOW's clock)."""
    import datetime as dt

    from stalklog.clock import local_now

    chosen = parse_date_arg(text, "--as-of")
    return dt.date.fromisoformat(chosen) if chosen else local_now().date()


def split_words(values: list[str] | None) -> list[str]:
    """``--behaviour following,loitering --behaviour threats`` → three words."""
    words: list[str] = []
    for v in values or []:
        words += [w.strip().replace(" ", "_").replace("-", "_").lower() for w in v.split(",") if w.strip()]
    return words


def vocab_words(values: list[str] | None, vocabulary: str, option: str) -> list[str]:
    """``-b gifts -b "hanging around"`` → ``["leaving_items", "loitering"]``: words people
    use, with spaces or hyphens, read through ``vocab.find_word``; a word it does not know
    is an error that says where to see them all."""
    from stalklog import vocab
    from stalklog.errors import InvalidValue

    words: list[str] = []
    for value in values or []:
        for text in (w for w in value.split(",") if w.strip()):
            word = vocab.find_word(text, vocabulary)
            if word is None:
                what = {"behaviours": "behaviour", "effects": "effect", "impacts": "impact", "channels": "channel"}
                raise InvalidValue(
                    f'{option}: "{text.strip()}" is not a {what[vocabulary]} word stalklog knows.',
                    hint=f"See them all, with the other words it understands: stalklog words {vocabulary}",
                )
            words.append(word)
    return list(dict.fromkeys(words))


def message_width() -> int:
    """The width messages wrap to: the terminal's (``COLUMNS`` wins), at least 40."""
    columns = os.environ.get("COLUMNS", "")
    import shutil

    width = int(columns) if columns.isdigit() else shutil.get_terminal_size((80, 24)).columns
    return max(40, width)


def wrap_message(text: str, indent: str = "", width: int | None = None) -> str:
    """``text`` wrapped at spaces to the message width; a word or a file path longer than
    the line is kept whole on a line of its own. Lines after the first are indented by
    ``indent`` (the first keeps its own)."""
    import textwrap

    width = width or message_width()
    out = []
    for n, line in enumerate(text.split("\n")):
        lead = line[: len(line) - len(line.lstrip(" "))] or (indent if n else "")
        out.append(
            textwrap.fill(
                line.strip(" "),
                width=width - 1,
                initial_indent=lead,
                subsequent_indent=lead or indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            if line.strip()
            else line
        )
    return "\n".join(out)
