"""Files stalklog writes outside the case file (exports, reports, exhibits, settings), and
the empty private files SQLite then fills (a new case file, a backup or conversion in progress).

Each written file is written atomically — to a hidden temporary file beside it, flushed to disk, then
renamed over the target — and is readable only by its owner (0600), so a half-written
export never replaces a good one and nobody else on the machine can read it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def private_file(path: Path | str) -> Iterator[BinaryIO]:
    """Open ``path`` for writing bytes; it appears, complete, only when the block ends."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path | str, data: bytes | str) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` atomically, readable only by its owner."""
    with private_file(path) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_quick(path: Path | str, data: bytes | str) -> None:
    """As ``write_private``, without waiting for the disk (no fsync): for small files that
    may be lost in a power cut without harm (the integrity anchor, a cache)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def new_private_file(path: Path | str) -> Path:
    """Create an empty file readable only by its owner — never an existing one — for SQLite
    to fill; its folder, if new, is made 0700."""
    path = Path(path)
    make_private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
    return path


def make_private_dir(folder: Path | str) -> Path:
    """Create ``folder`` and every missing parent 0700 (``mkdir(parents=True)`` would make
    the parents 0755, readable by everyone on the machine); an existing folder is left as it is."""
    folder = Path(folder)
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for p in reversed(missing):
        try:
            p.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(p, 0o700)  # whatever the umask
    return folder
