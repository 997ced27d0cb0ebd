"""Several processes on one database: concurrent ingest, and a process killed mid-transaction."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import (
    BACKENDS,
    add_all_worker,
    dump_tables,
    fresh_pg_url,
    fresh_url,
    hang_in_transaction_worker,
    make_doc,
)

from resdiff.model import Document, content_hash
from resdiff.store import open_store

DOCS = 20


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_url(request.param, tmp_path) as u:
        yield u


def test_two_processes_ingesting_the_same_documents(url: str) -> None:
    # Both processes also race to create the schema of the brand-new database.
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(2)
    procs = [
        ctx.Process(target=add_all_worker, args=(url, DOCS, seed, queue, barrier))
        for seed in (0, 1)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    errors = [r for kind, r in results if kind == "error"]
    assert errors == []
    statuses = Counter(status for _, done in results for _, status in done)
    assert statuses == {"stored": DOCS, "already stored": DOCS}
    per_doc = Counter(i for _, done in results for i, s in done if s == "stored")
    assert set(per_doc.values()) == {1} and len(per_doc) == DOCS
    with open_store(url) as store:
        summaries = store.list()
        assert len(summaries) == DOCS
        assert {s.key for s in summaries} == {f"A/RES/99/{i}" for i in range(DOCS)}
        for i in range(DOCS):
            assert store.get(f"A/RES/99/{i}") == make_doc(i, units=20)
        assert store.integrity_check() == "ok"


def test_process_killed_inside_a_transaction(url: str, tmp_path: Path) -> None:
    with open_store(url) as store:
        for i in range(3):
            store.add(make_doc(i))
    before = dump_tables(url)
    flag = tmp_path / "inside.flag"
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=hang_in_transaction_worker, args=(url, str(flag)))
    child.start()
    deadline = time.monotonic() + 120
    while not flag.exists():
        assert child.is_alive(), "the child died before reaching its transaction"
        assert time.monotonic() < deadline, "the child never reached its transaction"
        time.sleep(0.05)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL

    with open_store(url) as store:
        assert store.integrity_check() == "ok"
        assert dump_tables(url) == before  # the half-done ingest left no trace
        doc = make_doc(1000, units=30)
        result = store.add(doc)  # the re-run completes
        assert result.status == "stored"
        assert store.get(result.key) == doc
        assert content_hash(doc) in store.stored_hashes()
        assert len(store.list()) == 4


@pytest.mark.postgres
def test_two_batches_storing_documents_of_the_same_days_in_opposite_orders() -> None:
    # Two ingests at once on a team's server: one stores a document of day X then one of
    # day Y in one transaction, the other Y then X. Locks taken document by document let
    # PostgreSQL abort one of them ("deadlock detected"); both must be stored.
    import threading
    from dataclasses import replace
    from datetime import date

    def dated(i: int, day: date) -> Document:
        doc = make_doc(i)
        return replace(doc, metadata=replace(doc.metadata, adoption_date=day))

    x, y = date(2024, 12, 17), date(2024, 12, 18)
    orders = [[dated(1, x), dated(2, y)], [dated(3, y), dated(4, x)]]
    errors: list[BaseException] = []
    first_added = threading.Event()

    with fresh_pg_url() as url, open_store(url) as store:

        def write(docs: list[Document], leads: bool) -> None:
            try:
                if not leads:
                    first_added.wait(timeout=30)
                with store.batch() as batch:
                    batch.add(docs[0])
                    if leads:
                        first_added.set()
                        time.sleep(1.0)  # the other batch starts meanwhile
                    batch.add(docs[1])
            except BaseException as exc:
                errors.append(exc)
                first_added.set()

        threads = [
            threading.Thread(target=write, args=(docs, n == 0)) for n, docs in enumerate(orders)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == []
        assert {s.key for s in store.list()} == {f"A/RES/99/{i}" for i in (1, 2, 3, 4)}
