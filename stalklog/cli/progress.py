"""Progress bars on stderr, for the few things a person waits on (making a PDF)."""

from __future__ import annotations


class PdfProgress:
    """A progress bar on stderr while WeasyPrint works: its steps and the page it is laying out
    (stalklog.reports.documents tells ``step`` what they are)."""

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
