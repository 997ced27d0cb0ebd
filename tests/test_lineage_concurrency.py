"""Concurrent ingests into one store leave the lineage one sequential ingest leaves: the same
series and exactly the same stored alignments, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SERIES
from store_helpers import BACKENDS, fresh_url

from resdiff.lineage import list_series
from resdiff.store import open_store
from resdiff.store.lineage import LineageStore

# Both backends compare with one sequential ingest (a module fixture): on one worker.
pytestmark = [
    pytest.mark.usefixtures("shared_corpus"),
    pytest.mark.xdist_group("lineage_concurrency"),
]

PROCESSES = 4


def _ingest(url: str, files: list[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "resdiff", "--db", url, "ingest", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _lineage(url: str) -> tuple[dict[tuple[str, str], str], list[tuple[str, ...]]]:
    with open_store(url, create=False) as store:
        alignments = LineageStore(store).alignment_hashes()
        series = sorted(tuple(m.key for m in s.members) for s in list_series(store))
    return alignments, series


@pytest.fixture(scope="module")
def sequential(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[tuple[str, str], str], list]:
    url = f"sqlite:///{tmp_path_factory.mktemp('sequential') / 'one.db'}"
    proc = _ingest(url, sorted(SERIES.glob("*.txt")))
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return _lineage(url)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_url(request.param, tmp_path) as u:
        yield u


def test_concurrent_ingests_leave_the_alignments_of_a_sequential_one(
    url: str, sequential: tuple[dict[tuple[str, str], str], list]
) -> None:
    files = sorted(SERIES.glob("*.txt"))
    # Create the schema first: the race under test is lineage, not migration.
    open_store(url).close()
    # Round-robin: each process holds versions of most series, so their groupings overlap.
    procs = [_ingest(url, files[n::PROCESSES]) for n in range(PROCESSES)]
    for p in procs:
        _out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    alignments, series = _lineage(url)
    want_alignments, want_series = sequential
    assert len(want_alignments) > 40  # the series folder has 47 consecutive pairs
    assert series == want_series
    missing = sorted(set(want_alignments) - set(alignments))
    extra = sorted(set(alignments) - set(want_alignments))
    assert (missing, extra) == ([], []), f"{len(missing)} missing, {len(extra)} extra"
    assert alignments == want_alignments
