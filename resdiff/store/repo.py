"""The Store: add, get and list documents (one transaction, or a batch of many), reads returning model objects.

Symbol policy (never a silent collision or overwrite): the first content stored under
a symbol gets the symbol itself as its key; different content under the same symbol
(case-insensitive, "_" read as "/") is kept as a new version keyed ``SYMBOL@2``,
``SYMBOL@3``... (status "stored", ``version`` > 1, ``note`` says so). Documents without a symbol
are keyed ``doc-<first 16 hex of the content hash>``. The same content again, whatever
its bytes or file name, is "already stored" and changes nothing.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date
from types import TracebackType
from typing import Any, Literal, TypeVar, cast

from sqlalchemy import Connection, Engine, bindparam, case, func, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from resdiff.errors import NotFoundError, StoreError
from resdiff.model import DocKind, Document, StoredSummary, content_hash
from resdiff.store.engine import (
    WRITE_OPTION,
    describe_error,
    display_url,
    quick_check,
    write_connection,
)
from resdiff.store.rows import BY_HASH, child_rows, doc_kind, document_values, load_document
from resdiff.store.search_index import (
    defer_merges,
    drop_pg_index,
    ensure_pg_index,
    forget_rarity,
    has_index,
    index_fts,
    index_units,
    resume_merges,
)
from resdiff.store.tables import (
    DOCUMENTS,
    FOOTNOTES,
    SPONSORS,
    UNITS,
)

__all__ = ["AddResult", "AddStatus", "Batch", "Store", "symbol_key"]

AddStatus = Literal["stored", "already stored"]
T = TypeVar("T")

# Writers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: the writers' lock), so a
# race on the version number of a symbol comes only from a writer that does not take the
# lock (an older resdiff on the same server): retried.
_MAX_ATTEMPTS = 5
# PostgreSQL advisory lock held by a transaction writing documents (7346021 guards
# migrations).
_WRITERS = 7346023
_VERSION_SUFFIX = re.compile(r"^(?P<base>.+?)@(?P<n>\d+)$")
_HEX = re.compile(r"^[0-9a-f]{8,64}$")


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ``Store.add`` did: ``status``, and the key the document is stored under."""

    status: AddStatus
    key: str
    content_hash: str
    version: int = 1

    @property
    def stored(self) -> bool:
        """True when this call wrote a new document."""
        return self.status == "stored"

    @property
    def new_version(self) -> bool:
        """True when other content was already stored under the same symbol."""
        return self.version > 1

    @property
    def note(self) -> str:
        """One line for the user: what happened, naming the key to use."""
        if self.status == "already stored":
            return f"already stored as {self.key}"
        if self.version > 1:
            return (
                f"stored as {self.key}: other content is already stored under this symbol "
                f"(this is version {self.version})"
            )
        return f"stored as {self.key}"


def symbol_key(symbol: str) -> str:
    """The matching form of a symbol: no spaces, upper case, "_" read as "/" (file names)."""
    return re.sub(r"\s+", "", symbol).replace("_", "/").upper()


class Store:
    """A resdiff database. Open it with ``open_store``; use it as a context manager."""

    def __init__(self, engine: Engine, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self._engine = engine
        # Opened for reading only: nothing is written; lineage not stored yet is kept in
        # memory for as long as the store is open (see ``resdiff.store.lineage``).
        self.read_only = read_only
        # Whether the schema has the phrase index (a Store over a pre-0004 schema, which
        # only migration tests build, stores documents without indexing them).
        self._indexed: bool | None = None
        self._memo: dict[str, tuple[str, Any]] = {}
        self._memo_lock = threading.Lock()
        self._pinned = threading.local()  # the state token a thread's question runs under

    # --- context management ---------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release every connection (the database file stays as it is)."""
        self._engine.dispose()

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    # --- writing ---------------------------------------------------------------------

    def add(self, doc: Document, *, symbol: str | None = None) -> AddResult:
        """Store ``doc`` in one transaction, or report it "already stored" (same content hash).

        ``symbol`` replaces ``doc.metadata.symbol`` (for drafts that do not print theirs)
        before hashing, so the stored document is exactly what ``get`` returns.
        """
        with self.batch() as batch:
            return batch.add(doc, symbol=symbol)

    @contextmanager
    def batch(self, *, bulk: bool = False, expected: int = 0) -> Iterator[Batch]:
        """A ``Batch``: documents added through it are stored in one transaction,
        committed on leaving (or at each ``Batch.commit``), rolled back on an error.

        ``bulk``: many documents are coming (``expected`` of them, when known), and
        ``search.optimize_index`` will be run after them; SQLite's FTS5 then defers
        merging its segments to that one pass (see ``search_index.defer_merges``), and
        PostgreSQL builds its trigram index once at the end when the batch brings more
        documents than the store holds (``search_index.drop_pg_index``)."""
        batch = Batch(self, bulk=bulk, expected=expected)
        try:
            yield batch
        except BaseException:
            batch.rollback()
            if bulk:
                with suppress(SQLAlchemyError), write_connection(self._engine) as conn:
                    resume_merges(conn)
                with suppress(StoreError):
                    self._build_dropped_index(batch)
            raise
        batch.commit()
        self._build_dropped_index(batch)

    def _build_dropped_index(self, batch: Batch) -> None:
        # The writers' lock first, then the table's, in the order every writer takes them.
        if not batch.dropped_index:
            return
        try:
            with write_connection(self._engine) as conn:
                _lock_writers(conn)
                ensure_pg_index(conn)
        except SQLAlchemyError as exc:
            raise _wrap(exc, self.url, "cannot build the phrase index") from exc

    # --- reading ---------------------------------------------------------------------

    def get(self, ref: str) -> Document:
        """The stored document for a key or symbol (``A/RES/76/177``, ``a_res_76_177``,
        ``A/RES/76/177@2``, ``doc-…``, or 8+ hex digits of its content hash)."""
        try:
            with self._engine.connect() as conn:
                doc_id = _resolve(conn, ref)
                if doc_id is None:
                    keys = list(conn.execute(select(DOCUMENTS.c.key)).scalars())
                    raise NotFoundError(_not_found_message(ref, keys))
                return load_document(conn, doc_id)
        except SQLAlchemyError as exc:
            raise _wrap(exc, self.url, f"cannot read {ref!r}") from exc

    def __contains__(self, ref: object) -> bool:
        if not isinstance(ref, str):
            return False
        with self._engine.connect() as conn:
            return _resolve(conn, ref) is not None

    def list(self) -> list[StoredSummary]:
        """Every stored document, sorted by key, with unit and footnote counts."""
        units = (
            select(func.count())
            .where(UNITS.c.document_id == DOCUMENTS.c.id)
            .correlate(DOCUMENTS)
            .scalar_subquery()
        )
        notes = (
            select(func.count())
            .where(FOOTNOTES.c.document_id == DOCUMENTS.c.id)
            .correlate(DOCUMENTS)
            .scalar_subquery()
        )
        query = select(DOCUMENTS, units.label("unit_count"), notes.label("footnote_count"))
        try:
            with self._engine.connect() as conn:
                rows = conn.execute(query).mappings().all()
        except SQLAlchemyError as exc:
            raise _wrap(exc, self.url, "cannot list stored documents") from exc
        out: list[StoredSummary] = []
        for d in rows:
            out.append(
                StoredSummary(
                    key=d["key"],
                    symbol=d["symbol"],
                    version=d["version"],
                    kind=doc_kind(d["kind"]),
                    distribution_date=d["distribution_date"],
                    adoption_date=d["adoption_date"],
                    title=d["title"],
                    unit_count=int(d["unit_count"]),
                    footnote_count=int(d["footnote_count"]),
                    source_format=d["source_format"],
                    source_name=d["source_name"],
                    source_sha256=d["source_sha256"],
                    content_hash=d["content_hash"],
                    session=d["session"],
                    body=d["body"],
                )
            )
        # Sorted here, not in SQL: PostgreSQL's collation would order keys differently.
        out.sort(key=lambda summary: summary.key)
        return out

    def count_precedents(self, before: date | None, exclude: str | None = None) -> tuple[int, int]:
        """How many documents are stored, and how many of them are adopted resolutions
        dated (adoption, else distribution date) before ``before`` (None: any dated one),
        the document ``exclude`` (a key) apart: what a review searched, in numbers."""
        when = func.coalesce(DOCUMENTS.c.adoption_date, DOCUMENTS.c.distribution_date)
        wanted = (DOCUMENTS.c.kind == DocKind.RESOLUTION.value) & when.is_not(None)
        if before is not None:
            wanted &= when < before
        if exclude is not None:
            wanted &= DOCUMENTS.c.key != exclude
        query = select(func.count(), func.count(case((wanted, 1))))
        try:
            with self._engine.connect() as conn:
                total, adopted = conn.execute(query.select_from(DOCUMENTS)).one()
        except SQLAlchemyError as exc:
            raise _wrap(exc, self.url, "cannot count stored documents") from exc
        return int(total), int(adopted)

    def stored_hashes(self) -> set[str]:
        """Content hashes of every stored document (ingest skips these before parsing more)."""
        try:
            with self._engine.connect() as conn:
                return set(conn.execute(select(DOCUMENTS.c.content_hash)).scalars())
        except SQLAlchemyError as exc:
            raise _wrap(exc, self.url, "cannot read stored hashes") from exc

    def documents(self) -> Iterator[Document]:
        """Every stored document, in key order (for whole-store passes such as lineage)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(DOCUMENTS.c.key, DOCUMENTS.c.id)).all()
            for _key, doc_id in sorted(rows):
                yield load_document(conn, doc_id)

    def state(self) -> str:
        """A token that changes whenever anything stored changes: documents, series
        members, manual links or alignments. Long-running readers (``resdiff serve``)
        key their caches on it, so a page is never served from before an ingest."""
        try:
            with self._engine.connect() as conn:
                found = conn.execute(_STATE).one()
        except SQLAlchemyError as exc:
            raise _wrap(exc, self.url, "cannot read the state of the store") from exc
        return ":".join(str(v) for v in found)

    @contextmanager
    def one_state(self) -> Iterator[None]:
        """For the calling thread, inside the block: ``cached`` reads the store's state
        once, at the start, instead of before every look-up (a phrase history looks up
        hundreds of paragraph mappings, each a state read). One question, one state: what
        is stored meanwhile is seen by the next question."""
        if getattr(self._pinned, "token", None) is not None:
            yield  # already inside one: the outer block's state holds
            return
        self._pinned.token = self.state()
        try:
            yield
        finally:
            self._pinned.token = None

    def cached(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, computed once per ``state()`` of the store: whole-store reads
        that a long-running reader repeats (the series list, the list of documents).
        The value must be immutable; ``name`` tells such reads apart."""
        token = getattr(self._pinned, "token", None) or self.state()
        with self._memo_lock:
            hit = self._memo.get(name)
        if hit is not None and hit[0] == token:
            return cast(T, hit[1])
        value = compute()
        # Keyed by the state read before computing: a write meanwhile means a recompute.
        with self._memo_lock:
            self._memo[name] = (token, value)
        return value

    def forget(self, name: str) -> None:
        """Drop what ``cached`` holds under ``name`` (its inputs changed outside the
        database: lineage a read-only store keeps in memory)."""
        with self._memo_lock:
            self._memo.pop(name, None)

    def integrity_check(self) -> str:
        """ "ok" when SQLite's integrity check finds nothing wrong (always "ok" elsewhere)."""
        with self._engine.connect() as conn:
            return quick_check(conn)

    def key_of(self, doc: Document) -> str | None:
        """The key under which this exact content is stored, or None if it is not."""
        found = self._key_for_hash(content_hash(doc))
        return None if found is None else found[0]

    def _key_for_hash(self, digest: str) -> tuple[str, int] | None:
        with self._engine.connect() as conn:
            row = conn.execute(BY_HASH, {"digest": digest}).first()
        return None if row is None else (row[0], row[1])


# What ``Store.state`` reads, in one round trip and one constant statement (it is asked
# before every page the web app serves). Only indexed columns are read: scanning the
# alignments' rows would cost 20 ms on the shared corpus, and an alignment is fixed by
# its two versions and the settings, which cannot change while this resdiff runs.
_STATE = text(
    "SELECT "
    + ", ".join(
        f"(SELECT {what} FROM {table})"
        for table, what in (
            ("documents", "count(*)"),
            ("documents", "max(id)"),
            ("series_members", "count(*)"),
            ("series_members", "sum(series_id)"),
            ("series_links", "count(*)"),
            ("series_links", "max(id)"),
            ("alignments", "count(*)"),
            ("alignments", "sum(old_document_id)"),
            ("alignments", "sum(new_document_id)"),
        )
    )
)


_BATCH_CACHE_KIB = 256 * 1024


class Batch:
    """Documents stored together, in one write transaction until ``commit``.

    Each document is stored whole or not at all (a savepoint each: a refused document
    leaves the others of the batch), with its phrase index entries; SQLite's FTS5
    entries of the whole batch are written in one statement at commit. Committing every
    few hundred documents, not each one, is what makes a bulk ingest fast: one commit
    per document meant one small index segment, merged and rewritten, per document.
    While a batch is open on SQLite it holds the write lock (other writers wait).
    """

    def __init__(self, store: Store, *, bulk: bool = False, expected: int = 0) -> None:
        self._store = store
        self._bulk = bulk
        self._expected = expected
        self.dropped_index = False  # PostgreSQL: the trigram index is built at the end
        self._conn: Connection | None = None
        self._tx: Any = None
        self._unindexed: list[int] = []  # documents whose FTS5 entries are not yet written
        self.pending = 0  # documents stored since the last commit

    def add(
        self, doc: Document, *, symbol: str | None = None, keys: Sequence[str] | None = None
    ) -> AddResult:
        """Store ``doc`` in this batch (see ``Store.add``); visible to others at commit.

        ``keys``: the units' search keys (``search_index.unit_keys``) when a parse
        worker computed them already, off this process's critical path."""
        store = self._store
        if symbol is not None:
            symbol = symbol.strip()
            if not symbol:
                raise StoreError("cannot store the document: the symbol given is empty; give one")
            doc = replace(doc, metadata=replace(doc.metadata, symbol=symbol))
        digest = content_hash(doc)
        try:
            conn = self._begin()
            for attempt in range(1, _MAX_ATTEMPTS + 1):
                savepoint = conn.begin_nested()
                try:
                    result, doc_id = _insert(
                        conn, doc, digest, index=bool(store._indexed), keys=keys
                    )
                    savepoint.commit()
                except IntegrityError as exc:
                    savepoint.rollback()
                    # Another writer may have stored the same content meanwhile: that is
                    # "already stored", not an error.
                    found = conn.execute(BY_HASH, {"digest": digest}).first()
                    if found is not None:
                        return AddResult("already stored", found[0], digest, found[1])
                    if _is_version_race(exc) and attempt < _MAX_ATTEMPTS:
                        continue
                    raise StoreError(
                        f"cannot store {doc.key}: the database refused it ({_first_line(exc)}); "
                        "nothing was stored; check the parsed document (`resdiff show FILE`)"
                    ) from exc
                if doc_id is not None:
                    self.pending += 1
                    if store._indexed:
                        self._unindexed.append(doc_id)
                return result
        except SQLAlchemyError as exc:
            raise _wrap(exc, store.url, f"cannot store {doc.key}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def commit(self) -> None:
        """Write the pending index entries and commit: everything added so far is stored."""
        if self._conn is None:
            return
        try:
            index_fts(self._conn, self._unindexed)
            self._tx.commit()
        except SQLAlchemyError as exc:
            self.rollback()
            raise _wrap(exc, self._store.url, "cannot store the documents") from exc
        self._close()
        forget_rarity(self._store._engine, unless_full=True)

    def rollback(self) -> None:
        """Forget everything added since the last commit."""
        if self._conn is None:
            return
        # A connection gone (a server restart) took its transaction with it.
        with suppress(SQLAlchemyError):
            self._tx.rollback()
        self._close()

    def _begin(self) -> Connection:
        if self._conn is None:
            conn = self._store._engine.connect()
            try:
                self._tx = conn.execution_options(**{WRITE_OPTION: True}).begin()
                if self._store._indexed is None:
                    self._store._indexed = has_index(conn)
                if conn.dialect.name == "postgresql":
                    _lock_writers(conn)
                    if self._store._indexed and not self.dropped_index:
                        self._pg_index(conn)
                if conn.dialect.name == "sqlite":
                    # The pages a batch changes stay in memory until its commit, instead
                    # of spilling to the log and being written again.
                    conn.exec_driver_sql(f"PRAGMA cache_size = -{_BATCH_CACHE_KIB}")
                    if self._bulk and self._store._indexed:
                        defer_merges(conn)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _pg_index(self, conn: Connection) -> None:
        # A bulk load bringing more documents than the store holds drops the index (built
        # again once at the end); any other batch builds it first if a bulk load was
        # stopped (killed) before building it.
        if self._bulk and self._expected:
            held = conn.execute(select(func.count()).select_from(DOCUMENTS)).scalar() or 0
            if held < self._expected and drop_pg_index(conn):
                self.dropped_index = True
                return
        ensure_pg_index(conn)

    def _close(self) -> None:
        if self._conn is not None:
            if self._conn.dialect.name == "sqlite":
                with suppress(SQLAlchemyError):
                    self._conn.exec_driver_sql("PRAGMA cache_size = -2000")  # the default
            self._conn.close()
        self._conn, self._tx = None, None
        self._unindexed.clear()
        self.pending = 0


# --- helpers: writing ------------------------------------------------------------------


def _lock_writers(conn: Connection) -> None:
    # PostgreSQL: one writer at a time, as SQLite's BEGIN IMMEDIATE has it. Locks taken
    # document by document (the day of each one's search ids) let two batches take them
    # in opposite orders: PostgreSQL then aborted one ("deadlock detected"). Released at
    # the transaction's end.
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITERS})


# Built once: constructing a statement costs more than running it on SQLite.
_LAST_VERSION = select(func.max(DOCUMENTS.c.version)).where(
    DOCUMENTS.c.symbol_key == bindparam("skey")
)
_KEY_TAKEN = select(DOCUMENTS.c.id).where(DOCUMENTS.c.key == bindparam("key"))
_INSERTS = {table.name: insert(table) for table in (DOCUMENTS, SPONSORS, UNITS, FOOTNOTES)}


def _insert(
    conn: Connection,
    doc: Document,
    digest: str,
    *,
    index: bool = True,
    keys: Sequence[str] | None = None,
) -> tuple[AddResult, int | None]:
    """Store ``doc`` (its FTS5 entries left to ``index_fts``); the result, and the new
    document's row id (None when it was already stored)."""
    found = conn.execute(BY_HASH, {"digest": digest}).first()
    if found is not None:
        return AddResult("already stored", found[0], digest, found[1]), None
    meta = doc.metadata
    skey = symbol_key(meta.symbol) if meta.symbol else None
    version = 1
    if meta.symbol and skey:
        last = conn.execute(_LAST_VERSION, {"skey": skey}).scalar()
        version = int(last or 0) + 1
        key = meta.symbol if version == 1 else f"{meta.symbol}@{version}"
    else:
        key = doc.key
    # A printed symbol that itself ends in "@n" could take a version's key: disambiguate
    # with the content hash rather than collide.
    if conn.execute(_KEY_TAKEN, {"key": key}).first() is not None:
        key = f"{key}#{digest[:12]}"
    result = conn.execute(_INSERTS["documents"], document_values(doc, key, skey, version, digest))
    pk = result.inserted_primary_key
    assert pk is not None
    sponsors, units, footnotes = child_rows(doc, int(pk[0]))
    _insert_many(conn, SPONSORS, sponsors)
    _insert_many(conn, UNITS, units)
    _insert_many(conn, FOOTNOTES, footnotes)
    if index:
        # Same transaction: a stored document is always searchable, never half indexed.
        index_units(conn, int(pk[0]), doc, fts=False, keys=keys)
    return AddResult("stored", key, digest, version), int(pk[0])


def _insert_many(conn: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(_INSERTS[table.name], list(rows))


def _is_version_race(exc: IntegrityError) -> bool:
    msg = str(exc.orig).lower()
    return any(
        marker in msg
        for marker in (
            "documents.key",
            "documents.symbol_key",
            "uq_documents_key",
            "uq_documents_symbol_key",
            # Two writers indexing documents of the same day took the same search ids.
            "search_units.id",
            "pk_search_units",
        )
    )


# --- helpers: reading ------------------------------------------------------------------


def resolution_symbol(ref: str) -> str | None:
    """ "A/RES/79/171" for "79/171" or "resolution 79/171" (how resolutions cite each
    other and delegates name them); None for anything else."""
    m = _RESOLUTION_NUMBER.fullmatch(ref.strip())
    return f"A/RES/{m['session']}/{m['number']}" if m else None


_RESOLUTION_NUMBER = re.compile(
    r"(?:(?:general\s+assembly\s+)?resolution\s+|res\.?\s*)?(?P<session>\d{1,3})/(?P<number>\d{1,4})",
    re.IGNORECASE,
)


def _resolve(conn: Connection, ref: str) -> int | None:
    ref = ref.strip()
    if not ref:
        return None
    hit = conn.execute(select(DOCUMENTS.c.id).where(DOCUMENTS.c.key == ref)).scalar()
    if hit is not None:
        return int(hit)
    base, version = ref, 1
    m = _VERSION_SUFFIX.match(ref)
    if m:
        base, version = m["base"], int(m["n"])
    hit = conn.execute(
        select(DOCUMENTS.c.id).where(
            DOCUMENTS.c.symbol_key == symbol_key(base), DOCUMENTS.c.version == version
        )
    ).scalar()
    if hit is not None:
        return int(hit)
    low = ref.lower()
    hit = conn.execute(select(DOCUMENTS.c.id).where(func.lower(DOCUMENTS.c.key) == low)).scalar()
    if hit is not None:
        return int(hit)
    cited = resolution_symbol(ref)
    if cited is not None:
        hit = conn.execute(
            select(DOCUMENTS.c.id).where(DOCUMENTS.c.symbol_key == cited, DOCUMENTS.c.version == 1)
        ).scalar()
        if hit is not None:
            return int(hit)
    if _HEX.match(low):
        ids = list(
            conn.execute(
                select(DOCUMENTS.c.id).where(DOCUMENTS.c.content_hash.startswith(low)).limit(2)
            ).scalars()
        )
        if len(ids) == 1:
            return int(ids[0])
    return None


def _not_found_message(ref: str, keys: list[str]) -> str:
    by_norm = {symbol_key(k): k for k in keys}
    close = difflib.get_close_matches(symbol_key(ref), list(by_norm), n=3, cutoff=0.6)
    hint = (
        "did you mean " + ", ".join(by_norm[c] for c in close) + "?"
        if close
        else "`resdiff list` shows what is stored"
    )
    return f"no stored document matches {ref!r}: {hint}"


def _first_line(exc: SQLAlchemyError) -> str:
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


def _wrap(exc: SQLAlchemyError, url: str, what: str) -> StoreError:
    return describe_error(exc, url, what=what)
