"""Whether a store is sound and current (``check``), and consistent copies of a SQLite store
(``backup``).

    check(url=None) -> Health          # integrity and schema revision, both engines; never writes
    backup(url, dest) -> Path          # SQLite's online backup, written beside dest and renamed
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from resdiff.errors import DamagedError, StoreError
from resdiff.store.engine import (
    current_revision,
    damage,
    default_url,
    describe_error,
    display_url,
    head_revision,
    is_sqlite,
    make_engine,
    sqlite_path,
)
from resdiff.store.search_index import index_is_stale, pg_index_missing

__all__ = ["Health", "backup", "check"]


@dataclass(frozen=True, slots=True)
class Health:
    """What ``check`` found: ``damage`` (None when the integrity check passes), the schema
    revision stamped in the database and the one this resdiff needs."""

    where: str  # the URL without its password
    engine: str  # "sqlite" or "postgresql"
    damage: str | None
    revision: str | None
    head: str
    index_stale: bool = False  # the phrase index was keyed by another normalisation
    index_missing: bool = False  # PostgreSQL: a bulk load was killed before building it

    @property
    def ok(self) -> bool:
        """Sound and at this resdiff's schema: every command can use it."""
        return (
            self.damage is None
            and self.revision == self.head
            and not self.index_stale
            and not self.index_missing
        )

    def lines(self) -> list[str]:
        """The report, one fact a line."""
        integrity = "ok" if self.damage is None else f"DAMAGED: {self.damage}"
        if self.revision == self.head:
            schema = f"{self.revision} (current)"
        elif self.revision is None:
            schema = f"none (this resdiff needs {self.head})"
        else:
            schema = f"{self.revision} (this resdiff needs {self.head})"
        out = [f"database: {self.where} ({self.engine})", f"integrity: {integrity}"]
        out.append(f"schema: {schema}")
        if self.index_stale:
            out.append("phrase index: built with another normalisation")
        if self.index_missing:
            out.append("phrase index: missing (a bulk load was stopped before building it)")
        return out

    def problem(self) -> str | None:
        """One line saying what is wrong and how to fix it; None when ``ok``."""
        if self.damage is not None:
            return f"database damaged: {self.where}: {self.damage}; restore a backup"
        if self.revision is None:
            return (
                f"database {self.where} has no resdiff schema: "
                "run `resdiff db upgrade` or `resdiff ingest` to create it"
            )
        if self.revision != self.head or self.index_stale:
            return (
                f"database schema of {self.where} is behind (revision {self.revision}, "
                f"need {self.head}{', phrase index stale' if self.index_stale else ''}): "
                "run `resdiff db upgrade`"
            )
        if self.index_missing:
            return (
                f"the phrase index of {self.where} is missing (a bulk load was stopped "
                "before building it; searches are right but slow): run `resdiff db upgrade`"
            )
        return None


def _sqlite_file(url: str) -> Path | None:
    if not is_sqlite(url):
        return None
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise StoreError(f"no database at {path}: check --db / RESDIFF_DB")
    return path


def check(url: str | None = None) -> Health:
    """Integrity (SQLite's full integrity check; PostgreSQL checks its own pages) and
    schema revision of the store at ``url``, read without writing anything."""
    url = url or default_url()
    _sqlite_file(url)
    engine = make_engine(url, read_only=True)
    where = display_url(url)
    try:
        with engine.connect() as conn:
            found = damage(conn, thorough=True)
            try:
                revision = current_revision(conn)
                stale = revision == head_revision() and index_is_stale(conn)
                missing = revision == head_revision() and pg_index_missing(conn)
            except DBAPIError as exc:
                # A damaged file may not even give its revision: the damage is the answer.
                if found is None:
                    raise
                revision, stale, missing = None, False, False
                del exc
            conn.rollback()
    except SQLAlchemyError as exc:
        error = describe_error(exc, url)
        if isinstance(error, DamagedError):
            return Health(where, engine.dialect.name, str(error), None, head_revision())
        raise error from exc
    finally:
        engine.dispose()
    return Health(where, engine.dialect.name, found, revision, head_revision(), stale, missing)


def backup(url: str | None, dest: Path) -> Path:
    """Copy the SQLite store at ``url`` to ``dest`` with SQLite's online backup: one
    consistent snapshot, taken while other processes go on reading (a writer waits for
    the copy). Written beside ``dest`` and renamed over it once complete and checked, so
    ``dest`` is either the previous file or a whole copy. PostgreSQL: use pg_dump."""
    url = url or default_url()
    if not is_sqlite(url):
        raise StoreError(
            f"`resdiff db backup` copies SQLite stores; {display_url(url)} is PostgreSQL: "
            "use pg_dump (pg_dump -Fc -f FILE DBNAME)"
        )
    source = _sqlite_file(url)
    if source is None:
        raise StoreError("an in-memory database has nothing to back up; give a file --db")
    target = Path(os.path.realpath(dest))
    if target.is_dir():
        raise StoreError(f"{dest}: is a folder; give a file name for the backup")
    if target.exists() and os.path.samefile(target, source):
        raise StoreError(f"{dest} is the database itself; give another file name")
    if not target.parent.is_dir():
        raise StoreError(f"{dest}: folder {target.parent} does not exist; create it first")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True, timeout=60)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)  # all pages in one step: one read transaction, one snapshot
                found = out.execute("PRAGMA quick_check").fetchone()
            finally:
                out.close()
        finally:
            src.close()
        if found is None or found[0] != "ok":
            lines = [x for x in (found[0].splitlines() if found else []) if not x.startswith("***")]
            why = lines[0] if lines else "the integrity check gave no answer"
            raise DamagedError(
                f"database damaged: {display_url(url)}: {why}; no backup written; "
                "restore an earlier backup"
            )
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        low = str(exc).lower()
        if "malformed" in low:
            raise DamagedError(
                f"database damaged: {display_url(url)}: {exc}; no backup written; "
                "restore an earlier backup"
            ) from exc
        raise StoreError(f"cannot back up {display_url(url)} to {dest}: {exc}") from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"cannot write the backup {dest}: {exc.strerror or exc}; any previous file is unchanged"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
