"""Migrations: the migrated schema equals the models, old schemas are refused then upgraded."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import REPO, SERIES
from sqlalchemy import create_engine, text
from store_helpers import BACKENDS, dump_tables, fresh_url, make_doc

import resdiff.store.schema_compare  # noqa: F401  (the phrase index is not a difference)
from resdiff.errors import SchemaError, StoreError
from resdiff.store import head_revision, open_store, revision, upgrade
from resdiff.store.engine import (
    HEAD_REVISION,
    alembic_config,
    make_engine,
    migrations_dir,
    write_connection,
)
from resdiff.store.tables import METADATA


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_url(request.param, tmp_path) as u:
        yield u


def _migrate_to(url: str, target: str) -> None:
    engine = make_engine(url)
    try:
        with write_connection(engine) as conn:
            command.upgrade(alembic_config(url, conn), target)
    finally:
        engine.dispose()


def _downgrade_to(url: str, target: str) -> None:
    engine = make_engine(url)
    try:
        with write_connection(engine) as conn:
            command.downgrade(alembic_config(url, conn), target)
    finally:
        engine.dispose()


def _schema_diffs(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(ctx, METADATA))
    finally:
        engine.dispose()


def test_migrated_schema_equals_the_models(url: str) -> None:
    open_store(url).close()
    assert revision(url) == head_revision()
    assert _schema_diffs(url) == []


def test_a_schema_difference_is_detected(url: str) -> None:
    # The comparison above must be able to fail: drop an index and it must notice.
    open_store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_units_document_id_label"))
    engine.dispose()
    assert _schema_diffs(url) != []


def test_revision_files_have_slugs_and_form_one_line() -> None:
    versions = sorted((migrations_dir() / "versions").glob("*.py"))
    assert len(versions) >= 2
    for path in versions:
        m = re.fullmatch(r"(\d{4})_([a-z0-9_]+)\.py", path.name)
        assert m, f"{path.name}: revision files are named NNNN_slug.py"
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), f"{path.name} lacks a docstring"
        assert f'revision: str = "{m[1]}"' in path.read_text(), path.name
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert [r.revision for r in script.walk_revisions()] == sorted(
        (p.name[:4] for p in versions), reverse=True
    )
    env = (migrations_dir() / "env.py").read_text()
    assert "render_as_batch=True" in env


def test_the_head_revision_in_code_is_the_newest_migration() -> None:
    # Opening a store compares with the constant, never reading migrations/: a new
    # revision file must move the constant with it.
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_current_head() == HEAD_REVISION == head_revision()


def test_a_database_with_two_revision_rows_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'two.db'}"
    open_store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
    engine.dispose()
    with pytest.raises(SchemaError, match="2 schema revisions"):
        open_store(url, create=False)


def test_downgrade_to_base_and_back(url: str) -> None:
    open_store(url).close()
    _downgrade_to(url, "base")
    assert revision(url) is None
    assert set(dump_tables(url)) <= {"alembic_version"}
    assert upgrade(url) == (None, head_revision())
    assert _schema_diffs(url) == []


def test_older_schema_is_refused_then_upgraded_keeping_data(url: str) -> None:
    _migrate_to(url, "0001")
    # Store data with the 0001 schema (the store code writes only tables 0001 has).
    from resdiff.store import Store

    docs = [make_doc(i) for i in range(3)]
    engine = make_engine(url)
    old = Store(engine, url)
    for d in docs:
        old.add(d)
    old.close()
    before = dump_tables(url)

    with pytest.raises(SchemaError) as err:
        open_store(url)
    message = str(err.value)
    assert "out of date" in message and "resdiff db upgrade" in message
    assert "0001" in message and head_revision() in message and "\n" not in message
    assert dump_tables(url) == before  # refusing changed nothing

    assert upgrade(url) == ("0001", head_revision())
    after = dump_tables(url)
    for table, rows in before.items():
        if table != "alembic_version":
            # columns added since (units.footnote_at) come last, NULL in old rows
            width = len(rows[0]) if rows else 0
            assert sorted((r[:width] for r in after[table]), key=repr) == rows, table
    with open_store(url) as store:
        assert [store.get(d.key) for d in docs] == docs
    assert upgrade(url) == (head_revision(), head_revision())  # idempotent


def test_footnote_positions_column_keeps_stored_documents(url: str) -> None:
    # A store at 0005 holds documents without marker positions; 0006 adds the column
    # and keeps every row; the same document parsed again (now with positions) is
    # "already stored", since positions are not part of the content hash.
    import dataclasses

    from resdiff.ingest import parse_file
    from resdiff.model import content_hash
    from resdiff.store import Store

    parsed = parse_file(SERIES / "A_RES_78_221.txt")
    assert any(u.footnote_at for u in parsed.units)
    unplaced = [dataclasses.replace(u, footnote_at=()) for u in parsed.units]
    old_doc = dataclasses.replace(parsed, units=tuple(unplaced))
    assert content_hash(old_doc) == content_hash(parsed)
    _migrate_to(url, "0005")
    engine = make_engine(url)
    old = Store(engine, url)
    assert old.add(old_doc).status == "stored"
    old.close()
    before = dump_tables(url)

    assert upgrade(url) == ("0005", head_revision())
    after = dump_tables(url)
    assert set(after) == set(before)
    for table, rows in before.items():
        if table == "units":
            assert sorted((r[:-1] for r in after[table]), key=repr) == rows
            assert {r[-1] for r in after[table]} == {"None"}  # positions unknown
        elif table == "store_settings":
            assert set(rows) <= set(after[table])  # upgrade records the index's search key
        elif table != "alembic_version" and not table.startswith("search_fts_"):
            # (SQLite's FTS5 shadow tables are its own bookkeeping; search_units, the
            # index's rows, are compared)
            assert after[table] == rows, table
    with open_store(url) as store:
        assert store.get(parsed.key) == old_doc
        assert store.add(parsed).status == "already stored"


def test_newer_schema_is_refused(url: str) -> None:
    open_store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    before = dump_tables(url)
    with pytest.raises(SchemaError, match="newer than this resdiff"):
        open_store(url)
    with pytest.raises(SchemaError, match="newer"):
        upgrade(url)
    assert dump_tables(url) == before


def test_foreign_database_is_refused_and_left_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{path}")  # rollback-journal mode, as most apps leave it
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO invoices VALUES (1)"))
    engine.dispose()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a resdiff database"):
        open_store(f"sqlite:///{path}")
    with pytest.raises(StoreError, match="not a resdiff database"):
        upgrade(f"sqlite:///{path}")
    assert path.read_bytes() == before  # not even switched to WAL


def test_empty_database_without_create_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with pytest.raises(StoreError, match="resdiff db upgrade"):
        open_store(f"sqlite:///{path}", create=False)


def test_migrations_found_in_an_installed_layout(tmp_path: Path) -> None:
    # A wheel carries migrations/ as resdiff/_data/migrations; no repo, another cwd.
    site = tmp_path / "site"
    shutil.copytree(
        REPO / "resdiff", site / "resdiff", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(REPO / "migrations", site / "resdiff" / "_data" / "migrations")
    shutil.copy(REPO / "alembic.ini", site / "resdiff" / "_data" / "alembic.ini")
    code = (
        "import resdiff.store as s, resdiff.store.engine as e;"
        f"print(e.migrations_dir());st=s.open_store('sqlite:///{tmp_path}/w.db');"
        "print(s.revision(st.url));st.close()"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [str(site / "resdiff" / "_data" / "migrations"), head_revision()]


def test_alembic_ini_drives_the_command_line_tool(tmp_path: Path) -> None:
    cfg = Config(str(REPO / "alembic.ini"))
    db = tmp_path / "cli.db"
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db}")
    command.upgrade(cfg, "head")
    assert revision(f"sqlite:///{db}") == head_revision()
    assert _schema_diffs(f"sqlite:///{db}") == []


def test_the_latest_search_index_revision_builds_what_the_code_builds() -> None:
    # Revisions write their SQL out (so an upgrade always does the same thing); the
    # newest one must still say exactly what search_index.py creates today.
    import importlib.util

    from resdiff.store.search_index import POSTGRES_DDL, TRGM_INDEX

    path = next((REPO / "migrations" / "versions").glob("0005_*.py"))
    spec = importlib.util.spec_from_file_location("rev0005", path)
    assert spec is not None and spec.loader is not None
    rev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rev)
    assert POSTGRES_DDL[1] == rev.CREATE_INDEX
    assert rev.TRGM_INDEX == TRGM_INDEX


def _settings(url: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT name, value FROM store_settings")).all()
            return {str(name): str(value) for name, value in rows}
    finally:
        engine.dispose()


def test_an_index_built_with_another_search_key_is_refused_then_rebuilt(url: str) -> None:
    # A resdiff whose text normalisation changed must not query an index of the old
    # keys (answers would silently go missing): the store records which key built it.
    from resdiff.search import first_appearance
    from resdiff.store.search_index import PHRASE_KEY_FINGERPRINT

    docs = [make_doc(i) for i in range(3)]
    with open_store(url) as store:
        for d in docs:
            store.add(d)
        phrase = " ".join(docs[1].units[0].text[:30].split()[:-1])  # whole words
        assert first_appearance(store, phrase) is not None
    assert _settings(url) == {"phrase_key_fingerprint": PHRASE_KEY_FINGERPRINT}
    # Simulate an index written by an older resdiff: other keys, another fingerprint.
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE search_units SET norm = 'stale key'"))
        conn.execute(text("UPDATE store_settings SET value = 'older-resdiff'"))
    engine.dispose()
    before = dump_tables(url)
    with pytest.raises(SchemaError) as err:
        open_store(url)
    assert "resdiff db upgrade" in str(err.value) and "\n" not in str(err.value)
    assert dump_tables(url) == before  # refusing changed nothing
    assert upgrade(url) == (head_revision(), head_revision())
    with open_store(url) as store:
        found = first_appearance(store, phrase)
        assert found is not None and found.symbol == docs[1].metadata.symbol
    assert _settings(url) == {"phrase_key_fingerprint": PHRASE_KEY_FINGERPRINT}


def test_fts_entries_written_in_bulk_keep_the_index_whole(url: str) -> None:
    # 0007 drops SQLite's per-row insert trigger: writers add FTS entries per batch.
    # Documents indexed by the trigger before it, and after it by the writers, are each
    # found exactly once; the downgrade brings the trigger back.
    from datetime import date

    from resdiff.model import DocKind, Document, Metadata, Unit, UnitKind
    from resdiff.search import occurrences
    from resdiff.store import Store

    def resolution(symbol: str, text_: str) -> Document:
        meta = Metadata(symbol=symbol, kind=DocKind.RESOLUTION, adoption_date=date(2020, 1, 1))
        return Document(metadata=meta, units=(Unit("OP1", UnitKind.OPERATIVE, text_, "Urges"),))

    def triggers() -> set[str]:
        if not url.startswith("sqlite"):
            return set()
        engine = create_engine(url)
        with engine.connect() as conn:
            found = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            names = set(found.scalars())
        engine.dispose()
        return names

    _migrate_to(url, "0006")
    old = Store(make_engine(url), url)
    assert old.add(resolution("A/RES/1/1", "Urges the parties to settle the dispute")).stored
    old.close()
    sqlite = url.startswith("sqlite")
    assert ("search_units_ai" in triggers()) is sqlite

    assert upgrade(url) == ("0006", head_revision())
    assert "search_units_ai" not in triggers()
    with open_store(url) as store:
        with store.batch(bulk=True) as batch:
            batch.add(resolution("A/RES/1/2", "Urges the parties to settle the matter"))
            batch.add(resolution("A/RES/1/3", "Invites the parties to settle the dispute"))
        found = [o.key for o in occurrences(store, "the parties to settle the")]
        assert sorted(found) == ["A/RES/1/1", "A/RES/1/2", "A/RES/1/3"]
        assert [o.key for o in occurrences(store, "settle the dispute")] == [
            "A/RES/1/1",
            "A/RES/1/3",
        ]
        assert store.integrity_check() == "ok"

    _downgrade_to(url, "0006")
    assert ("search_units_ai" in triggers()) is sqlite
