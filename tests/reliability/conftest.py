"""The reliability suite's switches: every test here is marked slow (the quick loop,
``python -m pytest -m "not slow"``, leaves the folder out), and the long soak runs only when
asked for.

python -m pytest tests/reliability -m soak --soak-minutes 10
STALKLOG_SOAK_MINUTES=10 python -m pytest tests/reliability -m soak
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_addoption(parser):
    parser.addoption(
        "--soak-minutes",
        type=float,
        default=None,
        help="Run the reliability soak (tests marked soak) for this many minutes.",
    )


def soak_minutes(config) -> float | None:
    value = config.getoption("--soak-minutes", default=None)
    if value is None and os.environ.get("STALKLOG_SOAK_MINUTES"):
        value = float(os.environ["STALKLOG_SOAK_MINUTES"])
    return value


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects: it must see the slow mark
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.slow)
    if soak_minutes(config):
        return
    skip = pytest.mark.skip(reason="the soak runs by hand: --soak-minutes N (docs/reliability.md)")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def soak_budget(request) -> float:
    """Seconds the soak may run."""
    return 60.0 * (soak_minutes(request.config) or 0)
