"""Progress of long batches on stderr: count, percentage, rate and time left."""

from __future__ import annotations

import io

import pytest

from resdiff.batch import IngestOutcome
from resdiff.cli import progress as progress_module
from resdiff.cli.progress import Progress, duration


def test_duration_reads_like_a_person_says_it() -> None:
    assert [duration(s) for s in (0.4, 8, 59.6, 185, 3600 + 125)] == [
        "0 s",
        "8 s",
        "1 min 00 s",
        "3 min 05 s",
        "1 h 02 min",
    ]


def test_lines_give_count_percentage_rate_and_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([100.0, *[100.0 + 2 * i for i in range(1, 11)], 130.0, 131.0, 134.0])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(clock))
    out = io.StringIO()
    with Progress(out, every_seconds=0) as p:
        for i in range(1, 11):
            p.update(i, 10, IngestOutcome(f"f{i}.txt", "stored", key=f"A/RES/1/{i}"))
        p.step(1, 3, "aligned A -> B")
        p.step(2, 3, "aligned B -> C")
        p.step(3, 3, "aligned C -> D")
    lines = out.getvalue().splitlines()
    assert lines[0] == "[1/10 10%] 0.5 files/s, 18 s left  stored: A/RES/1/1"
    assert lines[4] == "[5/10 50%] 0.5 files/s, 10 s left  stored: A/RES/1/5"
    assert lines[9] == "[10/10 100%] 0.5 files/s, done  stored: A/RES/1/10"
    assert lines[10] == "[1/3 33%] starting  aligned A -> B"
    assert lines[11] == "[2/3 66%] 1.0 steps/s, 1 s left  aligned B -> C"
    assert lines[12] == "[3/3 100%] 0.5 steps/s, done  aligned C -> D"


def test_failures_are_named_between_progress_lines() -> None:
    out = io.StringIO()
    with Progress(out) as p:
        p.update(1, 2, IngestOutcome("bad.pdf", "failed", message="bad.pdf: PDF refused"))
        p.update(2, 2, IngestOutcome("ok.txt", "stored", key="A/RES/1/1"))
    text = out.getvalue()
    assert "failed: bad.pdf: PDF refused\n" in text and "[2/2 100%]" in text
