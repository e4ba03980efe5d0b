"""User settings, from a small TOML file (``stalklog config path`` shows where).

Known settings: ``us_dates = true`` reads 06/11/2024 as June 11th (month first).
"""

from __future__ import annotations

import os
from pathlib import Path

KNOWN = {"us_dates": bool}


def path() -> Path:
    env = os.environ.get("STALKLOG_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("stalklog", appauthor=False)) / "config.toml"


def load() -> dict:
    p = path()
    if not p.exists():
        return {}
    import tomllib

    from stalklog.errors import StalklogError

    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as e:
        raise StalklogError(f"The settings file {p} cannot be read: {e}", hint="Fix or delete it.") from None
    return {k: v for k, v in data.items() if k in KNOWN}


def save(settings: dict) -> Path:
    p = path()
    from stalklog.store.private_files import make_private_dir

    make_private_dir(p.parent)
    lines = []
    for k, v in sorted(settings.items()):
        lines.append(f"{k} = {'true' if v is True else 'false' if v is False else repr(v)}")
    from stalklog.store.private_files import write_private

    write_private(p, "\n".join(lines) + "\n")
    return p
