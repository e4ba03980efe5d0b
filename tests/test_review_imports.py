"""Core modules that commands load on their way (exhibits, screening, CSV import, zip
bundles, the case file's privacy) must not import sqlite-utils (and with it numpy) just to
name a type: the case file's ``Database`` is ``stalklog.store.database.Database``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "stalklog.evidence",
        "stalklog.desk.screening",
        "stalklog.interchange.csv_diary",
        "stalklog.interchange.zip_bundle",
        "stalklog.store.maintenance",
        "stalklog.cli.desk",
    ],
)
def test_module_imports_no_sqlite_utils(module):
    code = f"import sys, json, {module}; print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    mods = set(json.loads(result.stdout))
    assert not mods & {"sqlite_utils", "numpy", "rich"}, sorted(mods & {"sqlite_utils", "numpy", "rich"})
