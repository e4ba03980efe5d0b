"""While WeasyPrint makes a PDF, the core turns its progress log into words for whatever shows
progress (the CLI's bar on stderr, stalklog/cli/progress.py); the core itself draws nothing."""

from __future__ import annotations

import logging

from stalklog.reports.documents import _weasyprint_steps


class Steps:
    def __init__(self):
        self.seen: list[str] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def step(self, text: str) -> None:
        self.seen.append(text)


def test_weasyprints_steps_reach_the_progress_in_words_and_stop_after():
    logger = logging.getLogger("weasyprint.progress")
    level = logger.level
    steps = Steps()
    with _weasyprint_steps(steps):
        logger.info("Step 3 - Applying CSS")
        logger.info("Step 5 - Creating layout - Page %d", 2)
        logger.info("Step 6 - Creating PDF")
        logger.info("Step 2 - Fetching the stylesheets")  # not one a person needs to see
    logger.info("Step 7 - Adding PDF metadata")  # after the PDF: nobody is told
    assert steps.seen == ["Applying the styles", "Laying out pages: page 2", "Writing the PDF"]
    assert logger.level == level and not [h for h in logger.handlers if type(h).__name__ == "_StepHandler"]


def test_without_a_progress_nothing_listens():
    logger = logging.getLogger("weasyprint.progress")
    handlers = list(logger.handlers)
    with _weasyprint_steps(None):
        assert logger.handlers == handlers
