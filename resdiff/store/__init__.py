"""The store: documents kept in SQLite (default) or PostgreSQL, schema managed by Alembic.

open_store(url=None, *, create=True, read_only=False) -> Store   # refuses an out-of-date schema
upgrade(url=None) -> (from_revision, to_revision)
check(url=None) -> Health; backup(url, dest) -> Path   (resdiff.store.health)
Store.add(doc, symbol=None) -> AddResult; .get(ref) -> Document; .list() -> [StoredSummary]
default_url(): RESDIFF_DB, else resdiff.db in the user's data directory
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from resdiff.errors import SchemaError, StoreError
from resdiff.store.engine import (
    check_schema,
    check_sound,
    current_revision,
    default_url,
    describe_error,
    display_url,
    head_revision,
    is_sqlite,
    make_engine,
    migrate,
    sqlite_path,
)
from resdiff.store.repo import AddResult, AddStatus, Store, symbol_key

__all__ = [
    "DEFAULT_URL",
    "AddResult",
    "AddStatus",
    "SchemaError",
    "Store",
    "StoreError",
    "default_url",
    "head_revision",
    "open_store",
    "revision",
    "symbol_key",
    "upgrade",
]


def __getattr__(name: str) -> str:
    # DEFAULT_URL is worked out when asked for: finding the user's data folder imports
    # platformdirs, which a command given --db or RESDIFF_DB never needs.
    if name == "DEFAULT_URL":
        return default_url()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _prepare_sqlite_file(url: str, *, create: bool) -> None:
    path = sqlite_path(url)
    if path is None:
        return
    if path.is_dir():
        raise StoreError(f"cannot open database {path}: it is a directory; give a file path")
    if path.exists():
        return
    if not create:
        raise StoreError(
            f"no database at {path}: run `resdiff ingest` to create it, or check --db / RESDIFF_DB"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create database {path}: {exc.strerror}; choose a writable --db path"
        ) from exc


def open_store(url: str | None = None, *, create: bool = True, read_only: bool = False) -> Store:
    """Open the store at ``url`` (default: ``default_url()``).

    A new, empty database gets the schema (migrations to head) when ``create``; a
    database at another revision raises SchemaError ("run `resdiff db upgrade`") and is
    left untouched; a file that is not a database raises StoreError and is never
    modified; a damaged SQLite file (its quick check fails) raises DamagedError before
    anything is written to it.

    ``read_only``: the store is only read, never created, migrated or written (a file
    or folder without write permission, a PostgreSQL role with SELECT only); lineage
    that is not stored yet is computed in memory instead.
    """
    url = url or default_url()
    if is_sqlite(url):
        _prepare_sqlite_file(url, create=create and not read_only)
    engine = make_engine(url, read_only=read_only)
    try:
        if not read_only:
            check_sound(engine, url)
        check_schema(engine, url, create=create, read_only=read_only)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, url, read_only=read_only)


def upgrade(url: str | None = None) -> tuple[str | None, str]:
    """Migrate the database to this resdiff's schema, keeping all data; (from, to) revisions."""
    url = url or default_url()
    if is_sqlite(url):
        _prepare_sqlite_file(url, create=True)
    engine = make_engine(url)
    try:
        check_sound(engine, url)
        return migrate(engine, url)
    except SQLAlchemyError as exc:
        raise describe_error(exc, url) from exc
    finally:
        engine.dispose()


def revision(url: str | None = None) -> str | None:
    """The schema revision stamped in the database (None for an empty one)."""
    url = url or default_url()
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None and not Path(path).exists():
            raise StoreError(f"no database at {path}: check --db / RESDIFF_DB")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return current_revision(conn)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read the schema revision of {display_url(url)}: {exc}") from exc
    finally:
        engine.dispose()
