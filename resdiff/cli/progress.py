"""Progress for long batches on standard error: a live line on a terminal, periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from resdiff.batch import IngestOutcome

__all__ = ["Progress", "duration"]

_WIDTH = 100


def duration(seconds: float) -> str:
    """A duration for people: "8 s", "3 min 05 s", "1 h 02 min"."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def _pace(unit: str, done: int, todo: int, elapsed: float) -> str:
    """Rate and time left: "27 files/s, 40 s left" (``done`` items took ``elapsed``
    seconds, ``todo`` remain; the average rate so far)."""
    if done <= 0 or elapsed <= 0:
        return "starting"
    rate = done / elapsed
    left = todo / rate
    shown = f"{rate:.1f}" if rate < 10 else f"{rate:.0f}"
    return f"{shown} {unit}/s, " + (f"{duration(left)} left" if todo else "done")


class Progress:
    """Reports ``done/total``, the percentage, the rate and the time left, and each failure;
    never writes to standard output."""

    def __init__(self, stream: TextIO | None = None, *, every_seconds: float = 2.0) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every_seconds
        self.started = time.monotonic()
        # What is counted, since when, and how many were done then.
        self.stage: tuple[str, float, int] = ("files", self.started, 0)
        self.last = 0.0
        self.dirty = False

    def update(self, done: int, total: int, outcome: IngestOutcome) -> None:
        """Called after each file."""
        if outcome.status == "failed":
            self._clear()
            print(f"failed: {outcome.message}", file=self.stream)
        elif outcome.problems:
            self._clear()
            print(f"warning: {outcome.path}: {'; '.join(outcome.problems[:3])}", file=self.stream)
        self._show("files", done, total, f"{outcome.status}: {outcome.key or outcome.path}")

    def step(self, done: int, total: int, message: str) -> None:
        """Progress of a later stage (e.g. aligning the versions of each series)."""
        self._show("steps", done, total, message)

    def _show(self, unit: str, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if self.stage[0] != unit:
            # A later stage reports its first item when it is done: rate and time left
            # count from there.
            self.stage = (unit, now, done)
        _, since, before = self.stage
        line = f"[{done}/{total} {100 * done // max(total, 1)}%] " + _pace(
            unit, done - before, total - done, now - since
        )
        line += f"  {message}"
        if self.tty:
            self.stream.write("\r" + line[:_WIDTH].ljust(_WIDTH))
            self.dirty = True
        elif done == total or now - self.last >= self.every or done == 1:
            print(line, file=self.stream)
            self.last = now
        self.stream.flush()

    def _clear(self) -> None:
        if self.dirty:
            self.stream.write("\r" + " " * _WIDTH + "\r")
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
