"""Store behaviour on SQLite and PostgreSQL: round trip, idempotence, symbols, transactions."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, SERIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from store_helpers import BACKENDS, dump_tables, fresh_url, make_doc

import resdiff.store.repo as repo
from resdiff.errors import NotFoundError, StoreError
from resdiff.model import (
    DocKind,
    Document,
    Footnote,
    Metadata,
    Source,
    StoredSummary,
    Unit,
    UnitKind,
    content_hash,
)
from resdiff.store import AddResult, Store, default_url, open_store


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_url(request.param, tmp_path) as u:
        yield u


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with open_store(url) as s:
        yield s


def test_round_trip_equals_what_was_parsed(store: Store) -> None:
    doc = make_doc(1, units=30)
    result = store.add(doc)
    assert result == AddResult("stored", "A/RES/99/1", content_hash(doc), 1)
    back = store.get("A/RES/99/1")
    assert back == doc
    assert [u.label for u in back.units] == [u.label for u in doc.units]


def test_real_parsed_documents_round_trip(store: Store, shared_corpus: Path) -> None:
    from resdiff.ingest import parse_file

    paths = [SEED, *sorted(SERIES.iterdir())]
    docs = [parse_file(p) for p in paths]
    assert len(docs) == 73
    results = [store.add(d) for d in docs]
    assert all(r.status == "stored" for r in results)
    for doc, result in zip(docs, results, strict=True):
        assert store.get(result.key) == doc, result.key
    hashes = {content_hash(d) for d in docs}
    assert store.stored_hashes() == hashes and len(store.list()) == len(hashes)
    # Ingesting the whole folder again stores nothing new.
    assert {store.add(parse_file(p)).status for p in paths} == {"already stored"}


@pytest.mark.slow
def test_whole_bulk_folder_round_trips_on_sqlite(
    corpus_db: str, bulk_parsed: dict[str, tuple[Any, Any]]
) -> None:
    # Corpus scale: 1,187 real documents in one database (the shared corpus store,
    # written by a batch ingest), each read back equal to a fresh parse of its file.
    # Parse failures are the bulk-ingest test's business, not the store's.
    docs = [doc for _raw, doc in bulk_parsed.values() if isinstance(doc, Document)]
    assert len(docs) == 1187  # every bulk file parses (the bulk-ingest test names any that fail)
    with open_store(corpus_db, create=False) as store:
        for doc in docs:
            key = store.key_of(doc)
            assert key is not None, doc.key
            assert store.get(key) == doc, key
        assert store.integrity_check() == "ok"


def test_round_trip_of_minimal_and_odd_documents(store: Store) -> None:
    bare = Document(Metadata(), ())
    odd = Document(
        Metadata(
            title="x < y & “z” \u00a0 ﬁ 北京 ¶ §", sponsors=("Micronesia (Federated States of)",)
        ),
        (
            Unit(
                "OP1", UnitKind.OPERATIVE, "Décide\nde rester saisi\u2011de la question;", "Décide"
            ),
        ),
        (Footnote(7, ""), Footnote(7, "duplicate number kept as printed")),
        Source("", "", ""),
    )
    for doc in (bare, odd):
        result = store.add(doc)
        assert result.key == doc.key and result.key.startswith("doc-")
        assert store.get(result.key) == doc


def test_same_content_twice_is_already_stored(store: Store) -> None:
    doc = make_doc(2)
    assert store.add(doc).status == "stored"
    assert store.add(doc).status == "already stored"
    # Re-saved with other bytes (other sha256, other name) but the same text.
    resaved = dataclasses.replace(doc, source=Source("copy.pdf", "pdf", "f" * 64))
    again = store.add(resaved)
    assert again.status == "already stored" and again.key == "A/RES/99/2"
    assert store.get("A/RES/99/2").source == doc.source  # the first source is kept
    assert len(store.list()) == 1


def test_symbol_override_and_derived_keys(store: Store) -> None:
    draft = make_doc(3, symbol=None)
    plain = store.add(draft)
    assert plain.key == draft.key == f"doc-{content_hash(draft)[:16]}"
    named = store.add(draft, symbol="  A/C.3/99/L.12 ")
    assert named.status == "stored" and named.key == "A/C.3/99/L.12"
    stored = store.get("a_c.3_99_l.12")
    assert stored.metadata.symbol == "A/C.3/99/L.12"
    assert stored.units == draft.units
    with pytest.raises(StoreError, match="empty"):
        store.add(draft, symbol="  ")


def test_other_content_under_an_existing_symbol_becomes_a_new_version(store: Store) -> None:
    first = make_doc(4)
    second = make_doc(5, symbol="A/RES/99/4")
    third = make_doc(6, symbol="a/res/99/4")  # same symbol, other case
    assert store.add(first).key == "A/RES/99/4"
    r2 = store.add(second)
    assert (r2.status, r2.key, r2.version, r2.new_version) == ("stored", "A/RES/99/4@2", 2, True)
    assert "A/RES/99/4@2" in r2.note and "version 2" in r2.note
    r3 = store.add(third)
    assert (r3.key, r3.version) == ("a/res/99/4@3", 3)
    assert store.get("A/RES/99/4") == first
    assert store.get("a_res_99_4@2") == second
    assert store.get("A/RES/99/4@3") == third
    assert store.add(second).status == "already stored"
    assert [s.key for s in store.list()] == ["A/RES/99/4", "A/RES/99/4@2", "a/res/99/4@3"]


def test_get_by_key_forms_and_not_found_suggestions(store: Store) -> None:
    doc = make_doc(177)
    store.add(doc)
    digest = content_hash(doc)
    for ref in ("A/RES/99/177", "a/res/99/177", "A_RES_99_177", " A/RES/99/177 ", digest[:10]):
        assert store.get(ref) == doc, ref
    # A resolution's number, as resolutions cite each other and delegates name them.
    for ref in ("99/177", "resolution 99/177", "Resolution 99/177", "res. 99/177"):
        assert store.get(ref) == doc, ref
    for ref in ("99/178", "resolution 98/177", "A/C.3/99/177"):
        assert ref not in store, ref
    assert "A/RES/99/177" in store and "A/RES/99/178" not in store
    with pytest.raises(NotFoundError) as err:
        store.get("A/RES/99/178")
    message = str(err.value)
    assert "A/RES/99/177" in message and "\n" not in message
    with pytest.raises(NotFoundError, match="resdiff list"):
        store.get("zzzz")


def test_list_and_stored_hashes(store: Store) -> None:
    docs = [make_doc(i, units=6 + i) for i in range(3)]
    for d in docs:
        store.add(d)
    summaries = store.list()
    assert [s.key for s in summaries] == sorted(d.key for d in docs)
    by_key = {s.key: s for s in summaries}
    for d in docs:
        s = by_key[d.key]
        assert isinstance(s, StoredSummary)
        assert (s.unit_count, s.footnote_count) == (len(d.units), len(d.footnotes))
        assert s.title == d.metadata.title and s.kind == d.metadata.kind
        assert s.adoption_date == d.metadata.adoption_date
        assert s.source_format == "text" and s.content_hash == content_hash(d)
    assert store.stored_hashes() == {content_hash(d) for d in docs}


def test_count_precedents_agrees_with_the_list(store: Store) -> None:
    from datetime import date

    def doc(i: int, kind: DocKind, adopted: date | None, distributed: date | None) -> Document:
        d = make_doc(i, units=3)
        meta = dataclasses.replace(
            d.metadata, kind=kind, adoption_date=adopted, distribution_date=distributed
        )
        return dataclasses.replace(d, metadata=meta)

    docs = [
        doc(1, DocKind.RESOLUTION, date(2020, 12, 16), date(2020, 11, 1)),
        doc(2, DocKind.RESOLUTION, None, date(2021, 11, 3)),  # dated by distribution
        doc(3, DocKind.RESOLUTION, None, None),  # undated: never precedent
        doc(4, DocKind.DRAFT, None, date(2019, 1, 1)),  # a draft: never precedent
        doc(5, DocKind.RESOLUTION, date(2022, 12, 15), None),
    ]
    keys = [store.add(d).key for d in docs]
    assert store.count_precedents(None) == (5, 3)
    assert store.count_precedents(date(2021, 11, 3)) == (5, 1)  # strictly before
    assert store.count_precedents(date(2021, 11, 4)) == (5, 2)
    assert store.count_precedents(None, exclude=keys[4]) == (5, 2)
    for cut in (None, date(2021, 1, 1), date(2030, 1, 1)):
        listed = store.list()
        expected = sum(
            1
            for s in listed
            if s.kind is DocKind.RESOLUTION
            and (when := s.adoption_date or s.distribution_date) is not None
            and (cut is None or when < cut)
        )
        assert store.count_precedents(cut) == (len(listed), expected)


def test_a_constraint_violation_mid_ingest_leaves_the_database_as_it_was(
    store: Store, url: str
) -> None:
    store.add(make_doc(10))
    before = dump_tables(url)
    good = make_doc(11, units=9)
    bad = dataclasses.replace(good, units=(*good.units, Unit("", UnitKind.OPERATIVE, "no label")))
    with pytest.raises(StoreError) as err:
        store.add(bad)
    assert "nothing was stored" in str(err.value) and "\n" not in str(err.value)
    assert dump_tables(url) == before
    assert store.add(good).status == "stored"  # the store is still usable


def test_a_crash_after_units_are_written_rolls_everything_back(
    store: Store, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(make_doc(20))
    before = dump_tables(url)
    original = repo._insert_many

    def explode(conn: object, table: object, rows: object) -> None:
        original(conn, table, rows)  # type: ignore[arg-type]
        if table is repo.UNITS:
            raise RuntimeError("simulated crash after the units were inserted")

    monkeypatch.setattr(repo, "_insert_many", explode)
    with pytest.raises(RuntimeError, match="simulated"):
        store.add(make_doc(21))
    assert dump_tables(url) == before
    monkeypatch.undo()
    assert store.add(make_doc(21)).status == "stored"


def test_foreign_keys_are_enforced_and_cascade(store: Store, url: str) -> None:
    store.add(make_doc(30))
    engine = create_engine(url)
    if url.startswith("sqlite"):
        # A plain engine: foreign keys must come from resdiff's connect hook, so use the store's.
        engine.dispose()
        engine = store._engine
    try:
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO units (document_id, position, label, kind, lead, text, footnotes)"
                    " VALUES (999999, 0, 'OP1', 'operative', '', 'x', '[]')"
                )
            )
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM documents"))
            assert conn.execute(text("SELECT count(*) FROM units")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM sponsors")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM footnotes")).scalar() == 0
    finally:
        if engine is not store._engine:
            engine.dispose()


def test_threads_sharing_one_store(store: Store) -> None:
    # A web UI or a worker pool shares one Store between threads.
    import threading

    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(k * 100, k * 100 + 8):
                store.add(make_doc(i, units=6))
                assert store.get(f"A/RES/99/{i}") == make_doc(i, units=6)
        except BaseException as exc:  # collected: an exception in a thread is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.list()) == 32 and store.integrity_check() == "ok"


def test_sqlite_connection_settings(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'p.db'}") as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert store.integrity_check() == "ok"


def test_corrupt_database_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    payload = os.urandom(64 * 1024)
    path.write_bytes(payload)
    for create in (True, False):
        with pytest.raises(StoreError) as err:
            open_store(f"sqlite:///{path}", create=create)
        assert "not a valid SQLite database" in str(err.value)
        assert "\n" not in str(err.value)
    assert path.read_bytes() == payload


def test_text_file_as_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a valid SQLite database"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_missing_database_without_create(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "x.db"
    with pytest.raises(StoreError, match="no database at"):
        open_store(f"sqlite:///{path}", create=False)
    assert not path.exists()
    with pytest.raises(StoreError, match="directory"):
        open_store(f"sqlite:///{tmp_path}")


def test_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="SQLAlchemy URL") as err:
        open_store("nosuchdialect://user:secretpw@x/y")
    assert "secretpw" not in str(err.value)


@pytest.mark.postgres
def test_missing_postgres_database_is_a_clear_error() -> None:
    from conftest import PG_URL
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL).set(database="resdiff_no_such_db").render_as_string(False)
    with pytest.raises(StoreError, match="cannot connect") as err:
        open_store(url)
    assert "resdiff_no_such_db" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("scheme", "driver"), [("postgresql", "psycopg2"), ("postgresql+psycopg", "psycopg")]
)
def test_round_trip_through_each_postgresql_driver(scheme: str, driver: str) -> None:
    # postgresql:// is psycopg2 (the documented URL, quicker to start); URLs naming
    # psycopg 3 keep working: the same store, written and read through either.
    from sqlalchemy.engine import make_url
    from store_helpers import fresh_pg_url

    from resdiff.search import first_appearance, occurrences

    with fresh_pg_url() as admin_url:
        url = make_url(admin_url).set(drivername=scheme).render_as_string(hide_password=False)
        doc = make_doc(1, units=30)
        with open_store(url) as store:
            assert store._engine.dialect.driver == driver
            assert store.add(doc).stored and store.add(doc).status == "already stored"
        with open_store(url, read_only=True) as reader:
            assert reader._engine.dialect.driver == driver
            assert reader.get("A/RES/99/1") == doc
            assert [s.unit_count for s in reader.list()] == [len(doc.units)]
            found = first_appearance(reader, "urges states 1 to act on item 3")
            assert found is not None and found.key == "A/RES/99/1"
            assert len(occurrences(reader, "on item")) == sum(
                "on item" in u.text for u in doc.units
            )
            with pytest.raises(StoreError, match="read-only"):
                reader.add(make_doc(2))


@pytest.mark.postgres
def test_postgresql_sessions_settings_keep_those_of_the_url() -> None:
    from sqlalchemy.engine import make_url
    from store_helpers import fresh_pg_url

    from resdiff.store.engine import make_engine

    with fresh_pg_url() as admin_url:
        url = make_url(admin_url).update_query_dict({"options": "-c work_mem=8MB"})
        for read_only in (False, True):
            engine = make_engine(url.render_as_string(hide_password=False), read_only=read_only)
            try:
                with engine.connect() as conn:
                    shown = [
                        conn.exec_driver_sql(f"SHOW {name}").scalar()
                        for name in ("jit", "work_mem", "default_transaction_read_only")
                    ]
            finally:
                engine.dispose()
            assert shown == ["off", "8MB", "on" if read_only else "off"]


def test_bare_postgresql_urls_name_psycopg2_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from resdiff.store.engine import driver_url

    url = "postgresql://postgres:pw@127.0.0.1/test"
    assert str(driver_url(url)) == "postgresql+psycopg2://postgres:***@127.0.0.1/test"
    for kept in ("postgresql+psycopg://postgres@h/db", "sqlite:///x.db", "nosuchdriver://x"):
        assert driver_url(kept) == kept
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "psycopg2" else real(name)
    )
    assert driver_url(url) == url  # SQLAlchemy's default driver then


@pytest.mark.parametrize("scheme", ["postgresql", "postgresql+psycopg"])
def test_unreachable_server_is_a_clear_error(scheme: str) -> None:
    with pytest.raises(StoreError, match=r"cannot connect.*check the server") as err:
        open_store(f"{scheme}://postgres:secret@127.0.0.1:1/test")
    assert "secret" not in str(err.value) and "\n" not in str(err.value)


def test_default_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RESDIFF_DB", raising=False)
    url = default_url()
    assert url.startswith("sqlite:///") and url.endswith("resdiff.db")
    assert "resdiff" in Path(url.removeprefix("sqlite:///")).parent.as_posix()
    monkeypatch.setenv("RESDIFF_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert default_url() == f"sqlite:///{tmp_path / 'env.db'}"
    with open_store() as store:
        assert store.url == default_url()
    assert (tmp_path / "env.db").exists()


def test_every_model_field_is_stored() -> None:
    # A field added to the model must get a column (and a migration), or it would be
    # silently dropped; this fails until the store learns it.
    from resdiff.model import Metadata as M
    from resdiff.store.tables import DOCUMENTS

    columns = set(DOCUMENTS.columns.keys())
    for f in dataclasses.fields(M):
        assert f.name in columns or f.name in {"sponsors", "on_behalf_of"}, f.name
    for f in dataclasses.fields(Source):
        assert f"source_{f.name}" in columns, f.name
    assert {f.name for f in dataclasses.fields(Unit)} == {
        "label",
        "kind",
        "text",
        "lead",
        "footnotes",
        "footnote_at",
    }
    from resdiff.store.tables import UNITS

    unit_columns = set(UNITS.columns.keys())
    assert {"label", "kind", "text", "lead", "footnotes", "footnote_at"} <= unit_columns
    assert {f.name for f in dataclasses.fields(Document)} == {
        "metadata",
        "units",
        "footnotes",
        "source",
        "furniture",
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_marker_positions_are_stored_and_read_back(backend: str, tmp_path: Path) -> None:
    from resdiff.ingest import parse_file

    doc = parse_file(SERIES / "A_RES_78_221.txt")
    placed = [u for u in doc.units if u.footnotes]
    assert placed and all(len(u.footnote_at) == len(u.footnotes) for u in placed)
    with fresh_url(backend, tmp_path) as url, open_store(url) as store:
        back = store.get(store.add(doc).key)
    assert back == doc
    assert back.unit("PP19").footnote_at == doc.unit("PP19").footnote_at


# --- a property: any document round-trips --------------------------------------------------

_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)


@st.composite
def _unit(draw: st.DrawFn) -> Unit:
    text = draw(_text)
    footnotes = tuple(draw(st.lists(st.integers(0, 10**6), max_size=3)))
    # positions known (one per footnote, non-decreasing, within the text) or unknown
    at = sorted(
        draw(st.lists(st.integers(0, len(text)), min_size=len(footnotes), max_size=len(footnotes)))
    )
    return Unit(
        label=draw(
            st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12)
        ),
        kind=draw(st.sampled_from(list(UnitKind))),
        text=text,
        lead=draw(_text),
        footnotes=footnotes,
        footnote_at=tuple(at) if draw(st.booleans()) else (),
    )


_units = st.lists(_unit(), max_size=8).map(tuple)
_documents = st.builds(
    Document,
    metadata=st.builds(
        Metadata,
        symbol=st.none() | _text.filter(lambda s: s.strip() != ""),
        title=st.none() | _text,
        session=st.none() | st.integers(1, 200),
        sponsors=st.lists(_text, max_size=4).map(tuple),
    ),
    units=_units,
    footnotes=st.lists(st.builds(Footnote, st.integers(0, 10**6), _text), max_size=3).map(tuple),
    source=st.none() | st.builds(Source, _text, _text, _text),
    furniture=st.lists(_text, max_size=3).map(tuple),
)


@pytest.fixture(scope="module", params=BACKENDS)
def shared_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    with fresh_url(request.param, tmp_path_factory.mktemp("prop")) as u, open_store(u) as s:
        yield s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_documents)
def test_any_document_round_trips(shared_store: Store, doc: Document) -> None:
    result = shared_store.add(doc)
    back = shared_store.get(result.key)
    if result.status == "stored":
        assert back == doc
        assert result.version == 1 or f"@{result.version}" in result.key
    else:
        assert content_hash(back) == content_hash(doc)
