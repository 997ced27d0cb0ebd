"""PDFium in parse worker processes whose memory and time are capped, reused across documents.

PDFium inflates streams in C++ where no check of ours can reach: a filter chain or
stream syntax the pre-check in ``resdiff.ingest.pdf`` does not follow would let a
1 KB file allocate gigabytes, and one page cannot be interrupted. So the bytes are
read in a worker process with an address-space limit (``RLIMIT_AS``, set to its
size at the start of each document plus ``memory``) and a wall-clock deadline
after which the parent kills it. A worker that fails either way is discarded and
the document refused in one line; nothing reaches the store.

Workers are started on first use (``python -m resdiff.ingest.pdf_worker``, about
0.2 s) and kept for the next document, a few at most for concurrent callers (the
web app's threads). A worker dies with its parent: it exits when its request pipe
closes and, while PDFium is busy, a watchdog thread notices the parent is gone
(its parent id changes) and ends it. PR_SET_PDEATHSIG is not used: it fires when
the *thread* that started the worker exits, and web request threads come and go.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from resdiff.errors import IngestError, ParseError
from resdiff.ingest.pdf_layout import PageText, Run

__all__ = ["read_pages_isolated", "shutdown"]

_HEADER = struct.Struct(">Q")
_IDLE_MAX = 4  # workers kept for reuse; more concurrent callers start more
_START_GRACE = 10.0  # seconds a fresh worker may take to import PDFium, on a busy machine
_GRACE = 5.0  # seconds beyond the time budget for transfer and unpickling


class _WorkerDied(Exception):
    """The worker process ended or was killed before it answered."""


class _Worker:
    """One worker process and its two pipes (requests in, answers out)."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        # The worker imports the same resdiff as this process, installed or not.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "resdiff.ingest.pdf_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a crashing PDFium must not print past our one line
            env=env,
            close_fds=True,
        )
        self.fresh = True

    def ask(self, request: bytes, deadline: float) -> Any:
        """Send one request and wait for the answer until ``deadline`` (monotonic)."""
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(_HEADER.pack(len(request)))
            stdin.write(request)
            stdin.flush()
        except (BrokenPipeError, OSError):
            raise _WorkerDied from None
        if self.fresh:
            deadline += _START_GRACE
            self.fresh = False
        head = self._read(stdout, _HEADER.size, deadline)
        (size,) = _HEADER.unpack(head)
        return pickle.loads(self._read(stdout, size, deadline))

    @staticmethod
    def _read(pipe: IO[bytes], size: int, deadline: float) -> bytes:
        fd = pipe.fileno()
        parts: list[bytes] = []
        left = size
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise _WorkerDied
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    def close(self) -> None:
        """Ask the worker to exit (its request pipe closes) and reap it."""
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class _Pool:
    """The idle workers, and the lock that guards them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []


_pool = _Pool()


def _take() -> _Worker:
    with _pool.lock:
        while _pool.idle:
            worker = _pool.idle.pop()
            if worker.proc.poll() is None:
                return worker
            worker.kill()
    return _Worker()


def _give_back(worker: _Worker) -> None:
    with _pool.lock:
        if len(_pool.idle) < _IDLE_MAX:
            _pool.idle.append(worker)
            return
    worker.close()


def prestart() -> None:
    """Start a worker now, unless one is idle, for a PDF about to be read: PDFium loads in
    the worker while this process goes on importing what it needs (two cores at work)."""
    with _pool.lock:
        if not _pool.idle:
            _pool.idle.append(_Worker())


def shutdown() -> None:
    """End every idle worker (at exit; the next document starts a new one)."""
    with _pool.lock:
        workers = list(_pool.idle)
        _pool.idle.clear()
    for worker in workers:
        worker.close()


def _forget_after_fork() -> None:
    # A forked child must not share its parent's workers (their pipes are the
    # parent's); the lock may have been held by another thread at the fork.
    _pool.lock = threading.Lock()
    _pool.idle = []


atexit.register(shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def read_pages_isolated(
    data: bytes, name: str, *, max_pages: int, time_budget: float, memory: int
) -> list[PageText]:
    """Every page's text runs, read by PDFium in a worker with ``memory`` bytes and
    ``time_budget`` seconds; raises the worker's ``IngestError``, or a ``ParseError``
    when the worker was killed for exceeding either."""
    request = pickle.dumps((data, name, max_pages, time_budget, memory), protocol=5)
    worker = _take()
    deadline = time.monotonic() + max(time_budget, 0.0) + _GRACE
    try:
        answer = worker.ask(request, deadline)
    except TimeoutError:
        worker.kill()
        raise ParseError(
            f"{name}: PDF refused: reading it took over {max(time_budget, 0):.0f} s "
            "(the file is malformed or too complex)"
        ) from None
    except _WorkerDied:
        worker.kill()
        raise ParseError(
            f"{name}: PDF refused: reading it needs over {memory >> 20} MB of memory "
            "(decompression bomb?)"
        ) from None
    except BaseException:
        # Interrupted mid-answer (Ctrl-C): the pipe holds a half-read reply.
        worker.kill()
        raise
    kind, value = answer
    if kind == "exit":  # the worker ran out of memory in Python and is leaving
        worker.close()
        raise ParseError(value)
    _give_back(worker)
    if kind == "error":
        assert isinstance(value, IngestError)
        raise value
    return _from_wire(value)


# Pages cross the pipe as plain tuples: pickling thousands of frozen dataclasses
# costs twice as much as the tuples and rebuilding them here.
_WirePage = tuple[
    int,
    float,
    float,
    list[tuple[str, float, float, float, float, bool, bool]],
    tuple[tuple[float, float], ...],
]


def _to_wire(pages: list[PageText]) -> list[_WirePage]:
    return [
        (
            p.number,
            p.width,
            p.height,
            [(r.text, r.x0, r.x1, r.y, r.size, r.italic, r.bold) for r in p.runs],
            p.blanks,
        )
        for p in pages
    ]


def _from_wire(pages: list[_WirePage]) -> list[PageText]:
    return [
        PageText(number, width, height, tuple(Run(*r) for r in runs), blanks)
        for number, width, height, runs, blanks in pages
    ]


# --- the worker process ----------------------------------------------------------------


def _watch_parent(parent: int) -> None:
    """End this worker when its parent is gone, even while PDFium holds the main thread."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def _vm_size() -> int:
    """This process's address-space size in bytes (Linux), or 0 where unknown."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _cap_memory(memory: int, hard: int) -> None:
    """Let this process grow by at most ``memory`` bytes from now on.

    Where the address-space size cannot be read (no /proc) or the limit cannot be
    set, only the deadline bounds the worker.
    """
    size = _vm_size()
    if not size:
        return
    limit = size + memory if hard == resource.RLIM_INFINITY else min(size + memory, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve() -> None:
    from resdiff.ingest.pdf_pdfium import read_pages_here

    # Ctrl-C reaches the whole process group: the parent decides (and kills this
    # worker if it was busy); an idle worker stays ready.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    # Answers go out on a private copy of stdout; anything a library prints goes to
    # stderr (discarded by the parent) instead of corrupting the protocol.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)

    def reply(answer: tuple[str, object]) -> None:
        blob = pickle.dumps(answer, protocol=5)
        out.write(_HEADER.pack(len(blob)))
        out.write(blob)
        out.flush()

    while True:
        head = inp.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return  # the parent closed the pipe: done
        (size,) = _HEADER.unpack(head)
        data, name, max_pages, time_budget, memory = pickle.loads(inp.read(size))
        _cap_memory(memory, hard)
        try:
            reply(("pages", _to_wire(read_pages_here(data, name, max_pages, time_budget))))
        except IngestError as err:
            reply(("error", err))
        except MemoryError:
            del data
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
            reply(
                (
                    "exit",
                    f"{name}: PDF refused: reading it needs over {memory >> 20} MB of "
                    "memory (decompression bomb?)",
                )
            )
            return
        except Exception as err:
            message = f"{name}: PDF could not be read ({err!r}); get a fresh copy"
            reply(("error", ParseError(message)))


if __name__ == "__main__":
    _serve()
