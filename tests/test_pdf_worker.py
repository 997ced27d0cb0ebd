"""The PDF parse workers: reused across documents, killed at the deadline, gone with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import PDFS, REPO

from resdiff.errors import ParseError
from resdiff.ingest import pdf as pdfmod
from resdiff.ingest import pdf_worker

PDF = PDFS / "A_80_L.6.pdf"


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _worker_pids() -> list[int]:
    return [w.proc.pid for w in pdf_worker._pool.idle]


def test_a_worker_serves_one_document_after_another() -> None:
    pdf_worker.shutdown()  # workers other tests left behind
    data = PDF.read_bytes()
    pdfmod.read_pages(data, "a.pdf")
    first = _worker_pids()
    pdfmod.read_pages(data, "b.pdf")
    assert _worker_pids() == first and len(first) == 1


def test_a_worker_past_the_deadline_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf_worker.shutdown()
    data = PDF.read_bytes()
    pdfmod.read_pages(data, "warm.pdf")  # a worker already started: no start-up grace
    (pid,) = _worker_pids()
    monkeypatch.setattr(pdfmod, "TIME_BUDGET", 0.0)
    monkeypatch.setattr(pdf_worker, "_GRACE", 0.0)
    with pytest.raises(ParseError, match=r"^slow\.pdf: PDF refused: reading it took over 0 s"):
        pdfmod.read_pages(data, "slow.pdf")
    assert not _alive(pid)
    monkeypatch.undo()
    assert pdfmod.read_pages(data, "next.pdf")  # a new worker takes over


CHILD = """
import sys, time
from resdiff.ingest import pdf, pdf_worker
pdf.read_pages(open(sys.argv[1], "rb").read(), "x.pdf")
print(pdf_worker._pool.idle[0].proc.pid, flush=True)
time.sleep(60)
"""


def test_workers_die_with_their_parent() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(PDF)], stdout=subprocess.PIPE, text=True, cwd=REPO
    ) as parent:
        try:
            assert parent.stdout is not None
            worker = int(parent.stdout.readline())
            assert _alive(worker)
            os.kill(parent.pid, signal.SIGKILL)
            parent.wait()
            # The worker's watchdog looks every half second; allow for a busy machine.
            for _ in range(100):
                if not _alive(worker):
                    break
                time.sleep(0.1)
            assert not _alive(worker)
        finally:
            if parent.poll() is None:
                parent.kill()
