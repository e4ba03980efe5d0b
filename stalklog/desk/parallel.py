"""Case by case in worker processes: ``check --all`` and ``cases`` over a large caseload.

Each case is read, checked and made into what is written out (its JSON text, or its rows)
on its own, so the cases can be shared between processes, one per CPU. ``CaseWorkers``
hands out batches of consecutive cases and gives back each case's result in the caseload's
order, so what is written is byte for byte what one process writes. At most a few batches
are out at a time, so memory stays flat whatever the number of cases.

- **Only above a threshold** (``MIN_INCIDENTS`` incidents, more for an encrypted file): starting
  workers costs more than a small caseload's whole check. ``STALKLOG_WORKERS`` chooses the
  number of processes instead (``1``: everything in this one).
- **Each worker opens the file itself** (an SQLite connection must not cross a fork): with
  the ``fork`` start method the worker is a copy of this process, so the key of an encrypted
  file is handed over in memory, in ``Database.reader``'s closure, never through arguments,
  the environment or a file (and a closure cannot be pickled, so it is never sent
  anywhere). Where ``fork`` is not available or not safe (Windows, macOS) everything runs in
  this process.
- **An error in a worker** is raised here, as it would have been in this process (the same
  one-line message); a worker that dies stops the command with an error, never a hang.
- Workers ignore Ctrl-C: the command stops them when it is interrupted.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from stalklog.errors import StalklogError
from stalklog.store.database import Database

# Below these a caseload is checked in this process: a worker costs about 0.05 s to start,
# and on an encrypted file 0.2 s more (it derives the key from the passphrase again).
MIN_INCIDENTS = 8_000
MIN_INCIDENTS_ENCRYPTED = 20_000
BATCH_INCIDENTS = 600  # about this many incidents' cases are sent to a worker at a time
AHEAD = 3  # batches out per worker: enough to keep each busy, few enough to keep memory flat
ENV = "STALKLOG_WORKERS"

_db: Database | None = None  # in a worker: its own connection to the case file
_failed: tuple | None = None  # in a worker: why it could not open it (raised on its first batch)


def cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can be copies of this process (Linux and the BSDs; not macOS, whose
    system libraries are not safe after a fork, nor Windows)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def chosen_workers(cases: Sequence[dict], *, encrypted: bool = False) -> int:
    """How many processes check these cases: ``STALKLOG_WORKERS`` if set, else one per CPU
    for a caseload above the threshold, else 1 (this process)."""
    if len(cases) < 2 or not can_fork():
        return 1
    wanted = os.environ.get(ENV, "").strip()
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise StalklogError(f"{ENV}={wanted!r}: give a whole number of processes (1 to check in one process).")
        return min(int(wanted), len(cases))
    incidents = sum(c["incidents"] for c in cases)
    if incidents < (MIN_INCIDENTS_ENCRYPTED if encrypted else MIN_INCIDENTS) or incidents < 2 * BATCH_INCIDENTS:
        return 1
    return max(1, min(cpu_count(), len(cases)))


def batches(cases: Sequence[dict], size: int = BATCH_INCIDENTS) -> Iterator[list[dict]]:
    """Consecutive cases, about ``size`` incidents a batch (a larger case alone)."""
    batch: list[dict] = []
    weight = 0
    for case in cases:
        batch.append(case)
        weight += case["incidents"] or 1
        if weight >= size:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


class CaseWorkers:
    """``with CaseWorkers(db, cases) as workers: for result in workers.map(work, …)``:
    ``work(db, case, *args)`` for every case, in order. The workers start when the block is
    entered (before any progress bar's thread), and stop when it ends."""

    def __init__(self, db: Database, cases: Sequence[dict], workers: int | None = None):
        self.db = db
        self.cases = cases
        self.workers = chosen_workers(cases, encrypted=db.encrypted) if workers is None else workers
        self._pool: Any = None

    def __enter__(self) -> CaseWorkers:
        if self.workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start,
                initargs=(self.db.reader,),
            )
            # With fork, every worker is started on the first task: now, while this
            # process has no other thread.
            self._pool.submit(_ready).result()
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)
            if exc[0] is not None:  # interrupted or failed: stop the workers' current work too
                for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                    process.terminate()
            self._pool = None

    def map(self, work: Callable[..., Any], *args: Any, progress: Callable[[int], None] | None = None) -> Iterator[Any]:
        """``work(db, case, *args)`` for each case in order; ``progress`` is told of each
        case's incidents once its result is here. ``work`` must be a module-level function
        (it is sent to the workers by name) and its result plain data."""
        if self._pool is None:
            for case in self.cases:
                result = work(self.db, case, *args)
                if progress is not None:
                    progress(case["incidents"])
                yield result
            return
        waiting: deque = deque()
        todo = iter(batches(self.cases))
        limit = AHEAD * self.workers
        while True:
            while len(waiting) < limit:
                batch = next(todo, None)
                if batch is None:
                    break
                waiting.append((batch, self._pool.submit(_run, work, batch, args)))
            if not waiting:
                return
            batch, future = waiting.popleft()
            results = _result(future)
            for case, result in zip(batch, results, strict=True):
                if progress is not None:
                    progress(case["incidents"])
                yield result


def _ready() -> bool:
    return True


def _start(reader: Callable[[], Database]) -> None:
    """In a new worker: its own connection to the case file; Ctrl-C is the command's to handle."""
    import signal

    global _db, _failed
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _db = reader()
    except Exception as e:  # noqa: BLE001 - an error in an initializer would be a traceback
        _failed = _portable(e)


def _run(work: Callable[..., Any], batch: list[dict], args: tuple) -> tuple[str, Any]:
    """In a worker: ``work`` for each case of the batch, or the error that stopped it."""
    if _failed is not None or _db is None:
        return "error", _failed or (StalklogError, ("A worker could not open the case file.",), {})
    try:
        return "ok", [work(_db, case, *args) for case in batch]
    except Exception as e:  # noqa: BLE001 - raised again in the command's process
        return "error", _portable(e)


def _portable(e: Exception) -> tuple:
    """An exception as (class, args, attributes), to be made again in the command's process
    (an exception whose ``__init__`` takes other arguments than its ``args`` cannot be
    unpickled the usual way)."""
    import pickle

    state = dict(getattr(e, "__dict__", {}))
    try:
        pickle.dumps((type(e), e.args, state))
    except Exception:  # noqa: BLE001 - something in it cannot travel: keep its words
        return StalklogError, (str(e),), {"message": str(e), "hint": None}
    return type(e), e.args, state


def _result(future) -> list:
    from concurrent.futures.process import BrokenProcessPool

    try:
        status, value = future.result()
    except BrokenProcessPool:
        raise StalklogError(
            "A worker process checking the cases stopped unexpectedly (out of memory?); nothing was changed.",
            hint=f"Try again with fewer processes: {ENV}=1 checks every case in one process.",
        ) from None
    if status == "ok":
        return value
    kind, args, state = value
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    raise error
