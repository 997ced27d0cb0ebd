"""Process pools for CPU-bound stages (parsing, aligning) that ignore Ctrl-C and die with their parent.

Ctrl-C reaches the whole process group: workers ignore it and the process that
started them stops them (``Pool.terminate`` on leaving the context). On Linux a worker
is also killed when its parent dies, even on kill -9. The other way round, a worker
that dies (the system's out-of-memory killer) ends the wait for its results with a
``WorkerError`` (``imap_watched``), and workers never import the caller's main script
(``main_hidden``).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool
from typing import TypeVar

from resdiff.errors import WorkerError

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["default_workers", "imap_watched", "main_hidden", "process_pool"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def default_workers() -> int:
    """One worker per CPU, four at most."""
    return min(os.cpu_count() or 1, 4)


@contextmanager
def process_pool(n: int, warm: Callable[[], None] | None = None) -> Iterator[Pool]:
    """A pool of ``n`` fresh (spawned) worker processes, terminated on leaving: every
    result is in or no longer wanted, so they are stopped rather than waited for.
    ``warm`` (a module-level function) runs in each worker as it starts."""
    ctx = multiprocessing.get_context("spawn")
    # Ctrl-C stays blocked until the workers have said they ignore it.
    blocked = hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with main_hidden():
            pool = ctx.Pool(n, initializer=_worker_start, initargs=(os.getpid(), warm))
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    started = list(pool._pool)  # type: ignore[attr-defined]
    try:
        yield pool
    finally:
        if any(w.exitcode is not None for w in started):
            _abandon(pool)
        else:
            pool.terminate()
            pool.join()


def _abandon(pool: Pool) -> None:
    """Stop a pool one of whose workers died, without waiting on it.

    The pool has started another worker in its place, which may hold the task queue's
    lock waiting for work; ``Pool.terminate`` takes that lock first and would wait
    forever. So: no more replacements, every worker killed, and the pool's own
    clean-up (also run at exit) cancelled. Its threads are daemons, idle from here on.
    """
    from multiprocessing.pool import TERMINATE

    handler = pool._worker_handler  # type: ignore[attr-defined]
    handler._state = TERMINATE
    pool._change_notifier.put(None)  # type: ignore[attr-defined]
    handler.join(timeout=5)
    pool._terminate.cancel()  # type: ignore[attr-defined]
    for w in pool._pool:  # type: ignore[attr-defined]
        if w.exitcode is None:
            w.kill()
        w.join(timeout=5)


# How often a wait for a worker's result looks whether every worker is still alive.
_WATCH_SECONDS = 0.5


def imap_watched(
    pool: Pool, fn: Callable[[T], R], jobs: Iterable[T], chunksize: int = 1
) -> Iterator[R]:
    """``pool.imap(fn, jobs, chunksize)``, ended by a ``WorkerError`` when a worker dies.

    A pool replaces a worker that dies, but the tasks it held are never answered: an
    ingest whose worker the system killed for lack of memory waited forever, silently.
    Our workers never end on their own, so a worker missing is a worker lost.
    """
    # Pool keeps its worker processes in ``_pool`` (no public accessor).
    workers = list(pool._pool)  # type: ignore[attr-defined]
    # Chunked here: only an unchunked imap can be waited on with a timeout.
    todo = list(jobs)
    chunks = [todo[i : i + chunksize] for i in range(0, len(todo), max(chunksize, 1))]
    results = pool.imap(functools.partial(_each, fn), chunks)
    while True:
        try:
            yield from results.next(timeout=_WATCH_SECONDS)
        except StopIteration:
            return
        except multiprocessing.TimeoutError:
            dead = [w for w in workers if w.exitcode is not None]
            if dead:
                code = dead[0].exitcode
                how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
                raise WorkerError(
                    f"a worker process ended while working ({how}; the system may have "
                    "stopped it for lack of memory)"
                ) from None


def _each(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(job) for job in chunk]


@contextmanager
def main_hidden() -> Iterator[None]:
    """Processes spawned inside this block do not import the caller's main script.

    A spawned worker imports the script that started its parent, so that functions
    defined there can be sent to it. Ours run only resdiff's own functions. And a
    script calling ``resdiff.ingest_paths`` at top level, without an
    ``if __name__ == "__main__":`` guard, would start the ingest again in every worker;
    each such worker fails at start, and the pool replaces it, forever. The ingest
    would hang, printing tracebacks. A stand-in main module, named by no file,
    keeps that import out.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is None:
            del sys.modules["__main__"]
        else:
            sys.modules["__main__"] = main


def _worker_start(parent: int, warm: Callable[[], None] | None = None) -> None:
    """In each worker: ignore Ctrl-C, die with the parent process, then ``warm``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: such a worker still ends when its task queue closes
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    if warm is not None:
        warm()
