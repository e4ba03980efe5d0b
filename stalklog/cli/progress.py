"""Progress bars on stderr, for what a person waits on: making a PDF, and imports, exports,
``verify``, ``check --all`` and ``cases`` over more than ``THRESHOLD`` incidents or records.

Only at a terminal: to a pipe or a file, and in ``--json`` data, nothing is drawn. The core
functions take a plain ``progress: Callable[[int], None] | None`` (called with how many more
items are done); this module is the one place that turns it into a bar.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

THRESHOLD = 2000  # items: below this the work is quick and a bar would only flicker


@contextlib.contextmanager
def progress_bar(what: str, total: int | None, *, unit: str = "incidents") -> Iterator[Callable[[int], None] | None]:
    """A callback advancing a bar described by ``what``, or None when no bar is drawn
    (stderr is not a terminal, or ``total`` is known and below ``THRESHOLD``). ``total``
    None: a bar that counts without knowing the end (a streamed import)."""
    from stalklog.cli.console import stderr_is_tty

    if (total is not None and total < THRESHOLD) or not stderr_is_tty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn

    from stalklog.cli.console import err

    columns: list[ProgressColumn] = [TextColumn("{task.description}"), BarColumn()]
    columns.append(MofNCompleteColumn() if total is not None else TextColumn("{task.completed:,} " + unit))
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=err(), transient=True) as bar:
        task = bar.add_task(what, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


class PdfProgress:
    """A progress bar on stderr while a PDF is made: its steps in words
    (stalklog.reports.typeset tells ``step`` what they are)."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self.bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = None

    def __enter__(self) -> PdfProgress:
        self.bar.start()
        self.task = self.bar.add_task("Making the PDF", total=None)
        return self

    def step(self, text: str) -> None:
        if self.task is not None:
            self.bar.update(self.task, description=text)

    def __exit__(self, *exc) -> None:
        self.bar.stop()
