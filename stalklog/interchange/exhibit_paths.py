"""Where an exhibit's file sits inside a zip bundle, and back: ``AD/1`` + ``doorbell.mp4`` ↔
``exhibits/AD_1-doorbell.mp4``. The zip bundle writes these paths into its bundle.json; the
case bundle's import turns them back into the exhibit's own file name."""

from __future__ import annotations

from stalklog.evidence import safe_name

EXHIBITS_DIR = "exhibits/"


def exhibit_path(ref: str, file_name: str | None) -> str:
    """The path of an exhibit's file inside the zip: ``AD/1`` + ``doorbell.mp4`` →
    ``exhibits/AD_1-doorbell.mp4``. A name that already carries the prefix (from an earlier
    zip) keeps it once, so export → import → export gives the same path."""
    prefix = ref.replace("/", "_")
    name = safe_name(file_name or "file")
    if name.startswith(prefix + "-") and len(name) > len(prefix) + 1:
        name = name[len(prefix) + 1 :]
    return f"{EXHIBITS_DIR}{prefix}-{name}"


def original_name(ref: str, path: str) -> str:
    """The inverse of ``exhibit_path``: ``exhibits/AD_1-doorbell.mp4`` → ``doorbell.mp4``."""
    name = path[len(EXHIBITS_DIR) :] if path.startswith(EXHIBITS_DIR) else path
    prefix = ref.replace("/", "_") + "-"
    return name[len(prefix) :] if name.startswith(prefix) and len(name) > len(prefix) else name
