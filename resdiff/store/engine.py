"""Database URLs, engines (SQLite pragmas and locking), and the Alembic schema revision checks.

Opening a store compares the revision stamped in the database with ``HEAD_REVISION``,
a constant (a test checks it against migrations/versions): Alembic and the migration
scripts are imported only to migrate, or to explain a revision that is not the head.

SQLite gets, on every connection: foreign keys on, a busy timeout, and ``BEGIN
IMMEDIATE`` for write transactions, so two processes writing at once queue on the
lock instead of failing with "database is locked"; resdiff's own files are in WAL mode.

A read-only engine never writes: SQLite files are opened with ``mode=ro`` (``immutable``
when their folder cannot be written, so a WAL file in a read-only folder still opens),
PostgreSQL sessions with ``default_transaction_read_only``. Before a write command
touches a SQLite file, ``check_sound`` runs SQLite's quick check on it: a damaged file
is refused before anything is written.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from resdiff.errors import DamagedError, SchemaError, StoreError
from resdiff.store.search_index import ensure_pg_index, index_is_stale, make_index_current

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "BUSY_TIMEOUT_MS",
    "HEAD_REVISION",
    "alembic_config",
    "check_sound",
    "current_revision",
    "damage",
    "default_url",
    "driver_url",
    "head_revision",
    "make_engine",
    "migrate",
    "migrations_dir",
    "write_connection",
]

# The newest revision in migrations/versions: a new revision file changes it too.
HEAD_REVISION = "0007"
# Alembic's table holding the revision a database is at.
VERSION_TABLE = "alembic_version"

BUSY_TIMEOUT_MS = 60_000
# Execution option that makes a SQLite transaction take the write lock at BEGIN.
WRITE_OPTION = "resdiff_write"


def default_url() -> str:
    """``RESDIFF_DB`` if set, else a SQLite file in the user's data directory."""
    env = os.environ.get("RESDIFF_DB", "").strip()
    if env:
        return env
    import platformdirs  # only without --db or RESDIFF_DB (its import compiles patterns)

    path = Path(platformdirs.user_data_dir("resdiff")) / "resdiff.db"
    return f"sqlite:///{path}"


def migrations_dir() -> Path:
    """The Alembic script directory, in an installed wheel or in a source checkout."""
    pkg = Path(__file__).resolve().parents[1]  # .../resdiff
    for candidate in (pkg / "_data" / "migrations", pkg.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise StoreError(
        f"cannot open the store: migrations not found next to {pkg}; reinstall resdiff"
    )


def alembic_config(url: str, connection: Connection | None = None) -> Config:
    """An Alembic Config built in code: independent of the cwd and of alembic.ini."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    # ConfigParser interpolation would mangle "%" in passwords.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision this resdiff knows."""
    return HEAD_REVISION


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every revision id in migrations/versions (reads the scripts: only off the open path)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return frozenset(rev.revision for rev in script.walk_revisions())


def is_sqlite(url: str) -> bool:
    """True for any sqlite:// URL (file or memory)."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, None for in-memory databases."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own implicit
    # BEGIN is DEFERRED and is not issued before DDL).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        # WAL is set once on our own databases (ensure_wal), never here: switching a
        # foreign or damaged file's journal mode would write to it before we refuse it.
        cur.execute("PRAGMA synchronous = NORMAL")
    finally:
        cur.close()


def _on_sqlite_begin(conn: Connection) -> None:
    # A DEFERRED transaction that reads and then writes cannot wait for the lock in
    # WAL mode (SQLITE_BUSY_SNAPSHOT ignores busy_timeout); writers lock up front.
    mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN"
    conn.exec_driver_sql(mode)


def _read_only_sqlite(path: Path) -> Any:
    """A connection factory opening ``path`` for reading only (the file is never written).

    ``mode=ro`` still needs the WAL index beside the file: in a folder this process
    cannot write, where no other process has the file open, that index cannot be made,
    so the file is opened ``immutable`` instead (SQLite then reads the main file alone,
    which is whole as long as no write-ahead log holds changes not yet merged into it).
    """
    quoted = urllib.parse.quote(str(path.resolve()))
    timeout = BUSY_TIMEOUT_MS / 1000

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(
            f"file:{quoted}?mode=ro", uri=True, timeout=timeout, check_same_thread=False
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            wal = Path(f"{path}-wal")
            pending = wal.exists() and wal.stat().st_size > 0
            if os.access(path.parent, os.W_OK) or pending or "readonly" not in str(exc):
                raise
        return sqlite3.connect(
            f"file:{quoted}?immutable=1", uri=True, timeout=timeout, check_same_thread=False
        )

    return connect


def driver_url(url: str) -> str | URL:
    """``url`` with its driver named: a bare ``postgresql://`` goes through psycopg2.

    psycopg2 imports and connects in about 0.1 s, psycopg 3 in 0.3 to 0.5 s, and every
    command pays it; SQLAlchemy 2.1 made psycopg 3 its default, 2.0 had psycopg2. A URL
    naming its driver (``postgresql+psycopg://``) keeps it, and without psycopg2
    installed SQLAlchemy's default stands.
    """
    parsed = make_url(url)
    if parsed.drivername != "postgresql" or importlib.util.find_spec("psycopg2") is None:
        return url
    return parsed.set(drivername="postgresql+psycopg2")


def _pg_options(url: str, *, read_only: bool) -> str:
    """Server settings for each PostgreSQL session, after any the URL or PGOPTIONS gives.

    No JIT: resdiff's queries read at most tens of thousands of rows, and compiling
    them, which the planner starts above a cost that a store not yet vacuumed reaches,
    costs more than it saves (12 ms of `resdiff list`'s query on the corpus, for nothing).
    """
    given = make_url(url).query.get("options") or os.environ.get("PGOPTIONS", "")
    ours = ["-c jit=off"] + (["-c default_transaction_read_only=on"] if read_only else [])
    return " ".join([*([given] if isinstance(given, str) else given), *ours]).strip()


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url`` with resdiff's connection settings; StoreError on a bad URL.

    ``read_only``: every connection refuses writes (see the module docstring).
    """
    try:
        if is_sqlite(url):
            path = sqlite_path(url)
            if read_only and path is not None:
                # The file's URL keeps the pool a file gets (one connection per
                # checkout, shared by no two threads); the creator opens it read-only.
                engine = create_engine(url, creator=_read_only_sqlite(path))
            else:
                engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _on_sqlite_connect)
            event.listen(engine, "begin", _on_sqlite_begin)
        else:
            engine = create_engine(
                driver_url(url),
                pool_pre_ping=True,
                # resdiff stores no hstore: spare each new connection the round trips
                # that look its type up.
                use_native_hstore=False,
                connect_args={"options": _pg_options(url, read_only=read_only)},
            )
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreError(
            f"cannot open database {display_url(url)!r}: {_one_line(exc)}; "
            "give a SQLAlchemy URL such as sqlite:///path/to/resdiff.db or "
            "postgresql://user@host/db (pip install 'resdiff[postgres]')"
        ) from exc
    return engine


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction (SQLite: holding the write lock), committed on exit."""
    with engine.connect() as conn, conn.execution_options(**{WRITE_OPTION: True}).begin():
        yield conn


def current_revision(conn: Connection) -> str | None:
    """The Alembic revision stamped in the database, None when it has none.

    Read as Alembic does (one row in ``alembic_version``), without importing Alembic.
    """
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:
        raise SchemaError(
            f"the database records {len(rows)} schema revisions "
            f"({', '.join(map(str, rows))}) where resdiff keeps one: "
            "restore it from a backup or choose another --db"
        )
    return str(rows[0]) if rows else None


def _user_tables(conn: Connection) -> list[str]:
    return [t for t in inspect(conn).get_table_names() if t != VERSION_TABLE]


def ensure_wal(engine: Engine) -> None:
    """Put a resdiff SQLite file in WAL mode (persistent), so readers never block writers."""
    if engine.dialect.name != "sqlite" or sqlite_path(str(engine.url)) is None:
        return
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        # Outside any transaction: the connect hook set isolation_level=None (autocommit).
        if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()
    except sqlite3.Error:
        # WAL only spares readers a wait; with busy_timeout the rollback journal is correct too.
        pass
    finally:
        raw.close()


def check_schema(engine: Engine, url: str, *, create: bool, read_only: bool = False) -> None:
    """Create a fresh database's schema, or refuse one at another revision (never auto-upgrade).

    ``read_only``: only check; a database without the schema is refused, never created.
    """
    head = head_revision()
    try:
        with engine.connect() as conn:
            rev = current_revision(conn)
            empty = rev is None and not _user_tables(conn)
            stale = rev == head and index_is_stale(conn)
            conn.rollback()
        if rev == head:
            if stale:
                raise SchemaError(
                    f"the phrase index of {display_url(url)} was built by a resdiff that "
                    "normalises text differently: run `resdiff db upgrade` to rebuild it"
                )
            if not read_only:
                ensure_wal(engine)
            return
        if empty and create and not read_only:
            migrate(engine, url)
            return
    except DBAPIError as exc:
        raise describe_error(exc, url) from exc
    if empty:
        raise StoreError(
            f"database {display_url(url)} has no resdiff schema: "
            "run `resdiff db upgrade` or `resdiff ingest` to create it"
        )
    if rev is None:
        raise StoreError(
            f"database {display_url(url)} holds tables but no resdiff schema revision: "
            "it is not a resdiff database; choose another --db"
        )
    if rev not in known_revisions():
        raise SchemaError(
            f"database schema is newer than this resdiff (revision {rev}, know up to {head}): "
            "upgrade resdiff"
        )
    raise SchemaError(
        f"database schema is out of date (revision {rev}, need {head}): run `resdiff db upgrade`"
    )


INDEX_REVISION = "0004"  # the revision that creates the phrase index


def migrate(engine: Engine, url: str) -> tuple[str | None, str]:
    """Run migrations to head in one transaction under the write lock; (from, to) revisions.

    Two processes opening a new database at once serialise here: the second finds the
    schema already at head and does nothing. A database holding other tables but no
    resdiff revision is refused, never annexed.
    """
    head = head_revision()
    with write_connection(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Serialise concurrent migrators on PostgreSQL too (transaction-scoped lock).
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7346021)")
        before = current_revision(conn)
        if before == head:
            make_index_current(conn)
            ensure_pg_index(conn)  # a bulk load killed before building it again
            return before, head
        if before is None and _user_tables(conn):
            raise StoreError(
                f"database {display_url(url)} holds tables but no resdiff schema revision: "
                "it is not a resdiff database; choose another --db"
            )
        if before is not None and before not in known_revisions():
            raise SchemaError(
                f"database schema is newer than this resdiff (revision {before}, "
                f"know up to {head}): upgrade resdiff"
            )
        from alembic import command

        # The migrations join this transaction (env.py sees an external transaction).
        command.upgrade(alembic_config(url, conn), "head")
        # Revision 0004 builds the index with this resdiff's key: nothing to rebuild then.
        make_index_current(conn, built_now=before is None or before < INDEX_REVISION)
    ensure_wal(engine)
    return before, head


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def describe_error(exc: SQLAlchemyError, url: str, *, what: str | None = None) -> StoreError:
    """Turn a driver error into a one-line StoreError: what failed, why, how to fix it."""
    msg = _one_line(exc)
    where = display_url(url)
    low = msg.lower()
    if "malformed" in low or "could not decode" in low:
        # Text that no longer decodes is a damaged page, not a connection problem.
        return DamagedError(f"database damaged: {where}: {msg}; restore a backup")
    if "not a database" in low or "disk image" in low:
        what = what or f"cannot open database {where}"
        why = f"the file is not a valid SQLite database ({msg})"
        fix = "it was left untouched: restore it from a backup or choose another --db"
    elif "locked" in low:
        what = what or f"cannot use database {where}"
        why = f"another process kept it locked for over {BUSY_TIMEOUT_MS // 1000} s"
        fix = "retry when the other resdiff finishes"
    elif "unable to open" in low or "readonly" in low or "read-only" in low:
        what = what or f"cannot open database {where}"
        why = msg
        fix = "check the path exists and is writable"
    elif "connection" in low or "could not" in low or "does not exist" in low:
        what = what or f"cannot connect to database {where}"
        why = msg
        fix = "check the server and the --db URL"
    else:
        what = what or f"database error on {where}"
        why = msg
        fix = "nothing was changed; rerun with --debug for details"
    return StoreError(f"{what}: {why}; {fix}")


def quick_check(conn: Connection) -> str:
    """SQLite's integrity check result ("ok" when sound); "ok" on other backends."""
    if conn.dialect.name != "sqlite":
        return "ok"
    rows = conn.execute(text("PRAGMA integrity_check")).scalars().all()
    return "; ".join(str(r) for r in rows)


def damage(conn: Connection, *, thorough: bool = False) -> str | None:
    """What SQLite finds wrong with the file, in one line; None when it is sound (and on
    PostgreSQL, whose pages the server checks itself).

    The quick check (b-tree structure, page use, record formats; 0.2 to 1 s on a 143 MB store)
    by default; ``thorough`` adds the index-against-table comparison of
    ``integrity_check``, for ``resdiff db check``.
    """
    if conn.dialect.name != "sqlite":
        return None
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        rows = conn.execute(text(f"PRAGMA {pragma}")).scalars().all()
    except DBAPIError as exc:
        return _one_line(exc)
    found = [
        line.strip()
        for row in rows
        for line in str(row).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    if found == ["ok"]:
        return None
    more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
    return f"{found[0]}{more}" if found else "the integrity check returned nothing"


def check_sound(engine: Engine, url: str) -> None:
    """Refuse a damaged SQLite file (DamagedError) before anything is written to it."""
    if engine.dialect.name != "sqlite" or sqlite_path(url) is None:
        return
    try:
        with engine.connect() as conn:
            found = damage(conn)
            conn.rollback()
    except DBAPIError as exc:
        raise describe_error(exc, url) from exc
    if found is not None:
        raise DamagedError(f"database damaged: {display_url(url)}: {found}; restore a backup")
