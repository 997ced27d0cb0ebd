"""Progress for long batches on standard error: a live line on a terminal, periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from resdiff.batch import IngestOutcome

__all__ = ["Progress"]


class Progress:
    """Reports ``done/total`` and each failure; never writes to standard output."""

    def __init__(self, stream: TextIO | None = None, *, every_seconds: float = 2.0) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every_seconds
        self.started = time.monotonic()
        self.last = 0.0
        self.dirty = False

    def update(self, done: int, total: int, outcome: IngestOutcome) -> None:
        """Called after each file."""
        now = time.monotonic()
        if outcome.status == "failed":
            self._clear()
            print(f"failed: {outcome.message}", file=self.stream)
        elif outcome.problems:
            self._clear()
            print(f"warning: {outcome.path}: {'; '.join(outcome.problems[:3])}", file=self.stream)
        rate = done / max(now - self.started, 1e-6)
        line = (
            f"[{done}/{total}] {rate:.0f} docs/s  {outcome.status}: {outcome.key or outcome.path}"
        )
        if self.tty:
            width = 100
            self.stream.write("\r" + line[:width].ljust(width))
            self.dirty = True
        elif done == total or now - self.last >= self.every or done == 1:
            print(line, file=self.stream)
            self.last = now
        self.stream.flush()

    def step(self, done: int, total: int, message: str) -> None:
        """Progress of a later stage (e.g. aligning the versions of each series)."""
        now = time.monotonic()
        line = f"[{done}/{total}] {message}"
        if self.tty:
            self.stream.write("\r" + line[:100].ljust(100))
            self.dirty = True
        elif done == total or now - self.last >= self.every or done == 1:
            print(line, file=self.stream)
            self.last = now
        self.stream.flush()

    def _clear(self) -> None:
        if self.dirty:
            self.stream.write("\r" + " " * 100 + "\r")
            self.dirty = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.dirty:
            self.stream.write("\n")
            self.stream.flush()
