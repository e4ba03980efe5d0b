"""Layouts that read at any width: a table when it fits, stacked blocks when it does not.

A rich table squeezed below its words' widths breaks words ("Harassm/ent"); a person on
an 80-column laptop terminal reads that as noise. So every table here is drawn only when
its columns are wide enough for their longest words and the screen is at least ``WIDE``
columns; otherwise each row becomes a block — a heading line, then ``label: value``
lines whose values wrap at word boundaries under themselves.

Messages (stderr) wrap at word boundaries too: ``wrap_message`` never breaks a word or a
file path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from stalklog.cli.console import message_width, wrap_message  # noqa: F401 - messages wrap the same way

WIDE = 100  # columns: below this, wide tables become blocks


def m(markup: str | Text) -> Text:
    """Markup to text with emoji codes left alone: names and keys may hold ``:smile:``."""
    if isinstance(markup, Text):
        return markup
    return Text.from_markup(markup, emoji=False)


def fits(console: Console, table: Table) -> bool:
    """Whether ``table`` can be drawn on ``console`` without breaking or cutting a word;
    if so, its columns are given widths that make sure of it.

    Every column gets at least its longest word (header included); the room left is shared
    out in equal shares, so a short column is whole before a long one grows. (Rich's own
    squeezing narrows the widest columns first, whatever their words.)"""
    options = console.options
    lows, highs = [], []
    for column in table.columns:
        cells = [column.header, *column.cells] if table.show_header else list(column.cells)
        sizes = [Measurement.get(console, options, c) for c in cells] or [Measurement(0, 0)]
        high = max(s.maximum for s in sizes)
        low = high if column.no_wrap else max(s.minimum for s in sizes)
        lows.append(low)
        highs.append(high)
    frame = (len(table.columns) + 1 if table.box else 0) + len(table.columns) * (table.padding[1] + table.padding[3])
    room = console.width - frame
    if sum(lows) > room:
        return False
    if sum(highs) <= room:
        return True
    widths = list(lows)
    spare = room - sum(lows)
    growing = [i for i, high in enumerate(highs) if high > lows[i]]
    while spare > 0 and growing:  # equal shares, so short columns get all they need first
        share = max(1, spare // len(growing))
        for i in growing:
            give = min(share, highs[i] - widths[i], spare)
            widths[i] += give
            spare -= give
        growing = [i for i in growing if widths[i] < highs[i]]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return True


def fitting_table(
    console: Console,
    columns: Sequence[tuple[str, dict]],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    wide: int = WIDE,
) -> Table | None:
    """The rows as a rich table if the screen is ``wide`` and every word fits; else None."""
    if console.width < wide:
        return None
    table = Table(title=title, title_justify="left")
    for name, opts in columns:
        table.add_column(name, **opts)
    for row in rows:
        table.add_row(*(m(c) for c in row))
    return table if fits(console, table) else None


def show_blocks(
    console: Console,
    columns: Sequence[tuple[str, dict]],
    rows: Sequence[Sequence[str]],
    heading: Callable[[Sequence[str]], str],
    in_heading: Sequence[int] = (0,),
) -> None:
    """Each row as a block: ``heading(row)``, then ``label: value`` for its other non-empty cells."""
    labels = [name for name, _ in columns]
    for row in rows:
        fields = [(labels[i], cell) for i, cell in enumerate(row) if i not in in_heading and cell]
        block(console, heading(row), fields)


def show_table(
    console: Console,
    *,
    columns: Sequence[tuple[str, dict]],
    rows: Sequence[Sequence[str]],
    heading: Callable[[Sequence[str]], str],
    in_heading: Sequence[int] = (0,),
    title: str | None = None,
    wide: int = WIDE,
) -> None:
    """Rows of markup cells as a table when it fits (and the screen is ``wide``), else as blocks.

    ``heading(row)`` is a block's first line; the columns in ``in_heading`` are left out of
    its ``label: value`` lines (it shows them), and so are empty cells."""
    table = fitting_table(console, columns, rows, title=title, wide=wide)
    if table is not None:
        console.print(table)
        return
    if title:
        console.print(m(f"[bold]{title}[/bold]"))
    show_blocks(console, columns, rows, heading, in_heading)


def block(console: Console, heading: str, fields: Sequence[tuple[str, str]], indent: int = 2) -> None:
    """A heading line, then each ``label: value`` with the value wrapping under itself."""
    console.print(m(heading))
    if not fields:
        return
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column()
    for label, value in fields:
        grid.add_row(" " * (indent - 1), f"{label}:", m(value))
    console.print(grid)


def bullets(console: Console, lines: Sequence[str], style: str | None = None, mark: str = "•") -> None:
    """Bulleted lines whose text wraps under itself, never under the bullet."""
    if not lines:
        return
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(style=style)
    for line in lines:
        grid.add_row(f" {mark}", m(line))
    console.print(grid)
