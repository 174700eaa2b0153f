"""The pool of processes that lay pack sections out, two or more cores at once.

One pool per process, started on first use and kept (the next build, or the
composer's preview, finds it warm). A build lays out in the calling process
too, so the pool has one worker fewer than the cores this process may use
(``BRIEFING_APP_PACK_WORKERS`` sets the number of layouts at once; 1 or 0: no
pool, every section is laid out in the calling process). Workers are started with
the ``spawn`` method on every platform: the same on Linux, Windows and macOS,
safe beside Qt's threads, and what a frozen bundle supports (its entry point
calls :func:`multiprocessing.freeze_support`). A worker imports ReportLab and
the layout only, never the store or Qt.

A build that is cancelled, or meets a broken worker, discards the pool
(:func:`discard`); the next build starts a new one.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import multiprocessing
import os
import threading
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing_app.reporting.pages import SectionJob, SectionPages

ENV_VAR = "BRIEFING_APP_PACK_WORKERS"
#: The most workers a pool gets, however many cores (memory grows with each).
MOST = 4

#: What a pool may raise instead of a result: the build falls back to its own process.
POOL_ERRORS = (BrokenProcessPool, OSError, RuntimeError, EOFError)

_lock = threading.Lock()
_executor: concurrent.futures.ProcessPoolExecutor | None = None


def count() -> int:
    """How many layouts run at once: this process and ``count() - 1`` workers (1: no
    pool)."""
    wanted = os.environ.get(ENV_VAR, "").strip()
    if wanted.isdigit():
        return max(1, min(int(wanted), MOST))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MOST))


def executor() -> concurrent.futures.ProcessPoolExecutor:
    """The process's pool, started on first use."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=max(1, count() - 1),
                mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker)
        return _executor


def discard() -> None:
    """Stop the pool's processes now (a running layout cannot be interrupted otherwise)."""
    global _executor
    with _lock:
        pool, _executor = _executor, None
    if pool is None:
        return
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def warm() -> bool:
    """Whether the pool is running (a build that finds it so uses it for little work)."""
    return _executor is not None


def start(*, wait: bool = False) -> None:
    """Start the pool's processes ahead of a build (the composer does, when it opens);
    with ``wait``, return once they are ready."""
    if count() > 1:
        pool = executor()
        started = [pool.submit(_nothing) for _ in range(count() - 1)]
        if wait:
            concurrent.futures.wait(started)


def _nothing() -> None:
    return None


def _start_worker() -> None:
    from briefing_app.reporting import pages
    from briefing_app.reporting.fonts import register_fonts

    register_fonts()
    del pages  # imported so the first job does not wait for it


def lay_out_in_worker(job: SectionJob) -> list[SectionPages]:
    """A worker's task: lay out one section (or piece)."""
    from briefing_app.reporting.pages import lay_out

    return lay_out(job)


atexit.register(discard)
