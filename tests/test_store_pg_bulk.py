"""PostgreSQL bulk loads: the trigram index is built once at the end when a batch brings
more documents than the store holds, is never left missing by a stopped load, and
searches answer the same as with the index maintained row by row."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SERIES
from sqlalchemy import create_engine, make_url, text
from store_helpers import fresh_pg_url

import resdiff.batch
from resdiff.batch import IngestInterrupted, IngestOutcome, ingest_paths
from resdiff.search import agreed, occurrences
from resdiff.store import Store, open_store
from resdiff.store.search_index import TRGM_INDEX

pytestmark = pytest.mark.postgres

FILES = sorted(SERIES.glob("*.txt"))
PHRASES = ("right to food", "Democratic People's Republic of Korea", "ageing", "Calls upon")


@pytest.fixture
def url(shared_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # Small transactions, so that a load spans several of them, as a large one does.
    monkeypatch.setattr(resdiff.batch, "_COMMIT_DOCS", 10)
    with fresh_pg_url() as u:
        yield u


def _has_index(url: str) -> bool:
    # Another connection: what every other reader of the store sees.
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT to_regclass(:n)"), {"n": TRGM_INDEX}).scalar())
    finally:
        engine.dispose()


def _answers(store: Store) -> dict[str, object]:
    return {
        p: (agreed(store, p).occurrences, occurrences(store, p, whole_words=True)) for p in PHRASES
    }


def test_a_load_into_an_empty_store_builds_the_index_once_at_the_end(url: str) -> None:
    seen: list[bool] = []

    def progress(done: int, _total: int, _o: IngestOutcome) -> None:
        if done == 30:  # three transactions committed
            seen.append(_has_index(url))

    with open_store(url) as store:
        ingest_paths(store, FILES, progress=progress, workers=1)
        assert seen == [False]  # dropped for the load
        assert _has_index(url)
        bulk = _answers(store)
    # The same documents stored one by one, the index maintained all along.
    with fresh_pg_url() as other, open_store(other) as store:
        for path in FILES:
            ingest_paths(store, [path], workers=1)
        assert _has_index(other)
        assert _answers(store) == bulk


def test_a_load_into_a_larger_store_keeps_the_index(url: str) -> None:
    seen: list[bool] = []
    with open_store(url) as store:
        ingest_paths(store, FILES[:60], workers=1)
        ingest_paths(
            store,
            FILES[60:] + FILES[:40],  # 52 files: a bulk load, but of fewer than stored
            progress=lambda done, _t, _o: seen.append(_has_index(url)) if done == 30 else None,
            workers=1,
        )
    assert seen == [True]


def test_a_stopped_load_leaves_the_index_built(url: str) -> None:
    def stop(done: int, _total: int, _o: IngestOutcome) -> None:
        if done == 35:
            raise KeyboardInterrupt

    with open_store(url) as store:
        with pytest.raises(IngestInterrupted):
            ingest_paths(store, FILES, progress=stop, workers=1)
        assert _has_index(url)
        assert len(store.list()) == 30  # three transactions of ten


def test_a_load_killed_before_building_the_index_is_mended_by_the_next_write(url: str) -> None:
    with open_store(url) as store:
        ingest_paths(store, FILES[:5], workers=1)
        with store._engine.begin() as conn:  # what a load killed midway leaves
            conn.execute(text(f"DROP INDEX {TRGM_INDEX}"))
        assert not _has_index(url)
        ingest_paths(store, FILES[5:6], workers=1)
        assert _has_index(url)


def test_a_role_that_writes_rows_but_owns_no_table_loads_with_the_index_kept(url: str) -> None:
    # A team server where the ingesting role was granted rights on the tables, which
    # another role owns: only an owner may drop or build an index.
    role = f"resdiff_writer_{uuid.uuid4().hex[:8]}"
    with open_store(url):
        pass  # the schema, owned by the admin role
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
            conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
            conn.execute(
                text(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                    f'TO "{role}"'
                )
            )
            conn.execute(text(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
        writer = make_url(url).set(username=role).render_as_string(hide_password=False)
        with open_store(writer) as store:
            outcomes = ingest_paths(store, FILES, workers=1)
            assert all(o.status == "stored" for o in outcomes)
            assert _has_index(url)
            assert agreed(store, "right to food").occurrences
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
