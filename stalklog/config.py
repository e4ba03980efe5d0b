"""User settings, from a small TOML file (``stalklog config path`` shows where).

Known settings: ``us_dates = true`` reads 06/11/2024 as June 11th (month first).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

KNOWN = {"us_dates": bool}

# The XDG variable and the default under the home folder of each user folder stalklog uses.
_XDG = {"config": ("XDG_CONFIG_HOME", "~/.config"), "data": ("XDG_DATA_HOME", "~/.local/share")}


def user_dir(kind: str) -> Path:
    """stalklog's folder for ``kind`` ("config" or "data") in the user's home: the folder
    platformdirs gives (``user_config_dir``/``user_data_dir``). On Linux, where it is the
    XDG variable when that is an absolute path, else the default under an absolute
    ``$HOME``, that is worked out here: importing platformdirs costs ``stalklog add`` more
    than the rest of reading the settings (docs/performance.md). Anything else (another
    system, Android, a relative or unset ``HOME``, a relative XDG variable) asks
    platformdirs. tests/test_perf_guards.py checks both give the same folder."""
    variable, default = _XDG[kind]
    if sys.platform == "linux" and not {"ANDROID_DATA", "ANDROID_ROOT"} & os.environ.keys():
        chosen = os.environ.get(variable, "")
        if os.path.isabs(chosen):
            return Path(chosen, "stalklog")
        if not chosen and os.path.isabs(os.environ.get("HOME", "")):
            return Path(os.path.expanduser(default), "stalklog")
    import platformdirs

    found = platformdirs.user_config_dir if kind == "config" else platformdirs.user_data_dir
    return Path(found("stalklog", appauthor=False))


def path() -> Path:
    env = os.environ.get("STALKLOG_CONFIG")
    if env:
        return Path(env).expanduser()
    return user_dir("config") / "config.toml"


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
