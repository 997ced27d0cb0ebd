"""Process pools for CPU-bound stages (parsing, aligning) that ignore Ctrl-C and die with their parent.

Ctrl-C reaches the whole process group: workers ignore it and the process that
started them stops them (``Pool.terminate`` on leaving the context). On Linux a worker
is also killed when its parent dies, even on kill -9.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool

__all__ = ["default_workers", "main_hidden", "process_pool"]

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
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


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
