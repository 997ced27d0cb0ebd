"""Worker pools: a warm-up function runs once in each worker as it starts."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from resdiff.workers import process_pool

_RECORD = "RESDIFF_TEST_WARM_RECORD"


def _record_pid() -> None:
    # Runs in a spawned worker: the folder comes through the environment.
    Path(os.environ[_RECORD], str(os.getpid())).touch()


def _pid(_: int) -> int:
    return os.getpid()


def test_warm_runs_once_in_every_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_RECORD, str(tmp_path))
    with process_pool(2, _record_pid) as pool:
        seen = set(pool.map(_pid, range(8), chunksize=1))
        workers = {p.pid for p in multiprocessing.active_children()}
        deadline = time.monotonic() + 30
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # the second worker may still be starting
        warmed = [int(p.name) for p in tmp_path.iterdir()]
    assert sorted(warmed) == sorted(workers)
    assert seen <= workers


def test_no_warm_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_RECORD, str(tmp_path))
    with process_pool(2) as pool:
        assert len(pool.map(_pid, range(4))) == 4
    assert list(tmp_path.iterdir()) == []
