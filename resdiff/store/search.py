"""The phrase index: every unit's search key (``search_units.norm``), indexed for substring search.

Why trigram indexes. A phrase query is a literal substring of a normalised text (words
cut anywhere, punctuation kept), not a bag of stemmed words, so word-based full-text
search (FTS5 unicode61, PostgreSQL tsvector) would both over- and under-match.

* SQLite: FTS5 with the ``trigram`` tokenizer over ``search_units.norm`` (external
  content, kept in step by triggers, so the text is stored once). The MATCH string is
  built by us: up to three double-quoted FTS5 strings (pieces of the needle, inner
  quotes doubled), never user syntax, so ``AND``, ``NEAR``, ``*``, ``-`` and parentheses
  are plain text. The tokenizer is case-sensitive because ``norm`` is already
  case-folded (SQLite's own folding differs from Python's).
* PostgreSQL: ``pg_trgm`` GIN index on ``norm``, queried with ``LIKE '%…%'`` (``%``,
  ``_`` and ``\\`` escaped): substring semantics, which tsvector lacks.

Every candidate is verified on ``norm`` (``instr`` / ``strpos``), so answers are exact
and identical on both backends; one- and two-character needles, which trigrams cannot
index, are answered by that check alone (a scan). Row ids encode the document's date
(``day ordinal << 24 | n``): "earliest first" is ``ORDER BY id``, and first appearance
stops at the first verified row, whatever order documents were ingested in.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from alembic.autogenerate import comparators
from alembic.operations import ops
from alembic.util import DispatchPriority
from sqlalchemy import (
    BigInteger,
    Connection,
    ForeignKeyConstraint,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import TextClause

from resdiff.model import DocKind, Document, Metadata
from resdiff.normalize import key
from resdiff.store.engine import describe_error
from resdiff.store.rows import doc_kind
from resdiff.store.tables import DOCUMENTS, UNITS, Base

if TYPE_CHECKING:
    from resdiff.store.repo import Store

__all__ = [
    "SEARCH_UNITS",
    "Filters",
    "Hit",
    "SearchUnitRow",
    "all_norms",
    "day_of",
    "fetch_hits",
    "find_hits",
    "find_ids",
    "first_hits",
    "has_index",
    "hits",
    "index_units",
    "iter_norms",
    "phrase_key",
    "reindex",
    "search",
    "searchable",
]

DAY_SHIFT = 24  # up to 16.7 million units per day of documents
UNDATED_DAY = date.max.toordinal()  # documents without a date sort last
FTS_TABLE = "search_fts"
TRGM_INDEX = "ix_search_units_norm_trgm"
_SCAN_BELOW = 3  # trigrams index needles of three characters or more
_CHUNK = 9  # characters per piece of a long needle looked up in the index
_PROBE_ROWS = 5000  # PostgreSQL: earliest rows scanned before asking the GIN index


# A footnote number the parser could not separate stays glued to its word or comma
# ("Status of Refugees15 and the 1967 Protocol thereto16", "Consular Relations,24 to
# which", A/RES/73/180): dropped from both sides. Three letters before a glued number at
# least, so that "G77", "H5N1", "A/RES/72/188", "Rev.1" and "1,000" keep theirs.
_GLUED_MARKER = re.compile(r"(?<=[^\W\d_]{3})\d{1,3}(?!\w)|(?<=[^\W\d_][,;])\d{1,3}(?= |$)")


def phrase_key(text: str) -> str:
    """The search key: ``normalize.key`` without footnote markers glued to words."""
    return _GLUED_MARKER.sub("", key(text))


class SearchUnitRow(Base):
    """The matching key of one unit; ``id`` orders rows by document date (see module doc)."""

    __tablename__ = "search_units"
    __table_args__ = (
        UniqueConstraint("document_id", "position"),
        ForeignKeyConstraint(
            ["document_id", "position"],
            ["units.document_id", "units.position"],
            ondelete="CASCADE",
            name="fk_search_units_document_id_units",
        ),
    )

    # Integer on SQLite so that the column is the rowid the FTS table points at.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    document_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    norm: Mapped[str] = mapped_column(Text)


SEARCH_UNITS: Table = SearchUnitRow.__table__  # type: ignore[assignment]

# Backend-specific index objects live outside the models (an FTS5 table and its shadow
# tables on SQLite, a GIN index on PostgreSQL): tell schema comparison (the migration
# test, `alembic check`) they are expected rather than strays to drop.


@comparators.dispatch_for("autogenerate", priority=DispatchPriority.LAST)
def _hide_search_index(_ctx: Any, upgrade_ops: ops.UpgradeOps) -> None:
    keep: list[ops.MigrateOperation] = []
    for op in upgrade_ops.ops:
        if isinstance(op, ops.DropTableOp) and op.table_name.startswith(FTS_TABLE):
            continue
        if isinstance(op, ops.ModifyTableOps) and op.table_name == "search_units":
            op.ops = [
                o
                for o in op.ops
                if not (isinstance(o, ops.DropIndexOp) and o.index_name == TRGM_INDEX)
            ]
            if not op.ops:
                continue
        keep.append(op)
    upgrade_ops.ops[:] = keep


# --- DDL (used by migration 0004) -----------------------------------------------------------

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(norm, content='search_units', "
    "content_rowid='id', tokenize='trigram case_sensitive 1', detail='full')",
    f"CREATE TRIGGER search_units_ai AFTER INSERT ON search_units BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, norm) VALUES (new.id, new.norm); END",
    f"CREATE TRIGGER search_units_ad AFTER DELETE ON search_units BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, norm) VALUES ('delete', old.id, old.norm); END",
    f"CREATE TRIGGER search_units_au AFTER UPDATE ON search_units BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, norm) VALUES ('delete', old.id, old.norm); "
    f"INSERT INTO {FTS_TABLE}(rowid, norm) VALUES (new.id, new.norm); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS search_units_au",
    "DROP TRIGGER IF EXISTS search_units_ad",
    "DROP TRIGGER IF EXISTS search_units_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
POSTGRES_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX {TRGM_INDEX} ON search_units USING gin (norm gin_trgm_ops)",
)
POSTGRES_DROP = (f"DROP INDEX IF EXISTS {TRGM_INDEX}",)


# --- writing ------------------------------------------------------------------------------


def sort_date(meta: Metadata) -> date | None:
    """The date a version is ordered by: adoption for resolutions, else distribution."""
    if meta.kind is DocKind.RESOLUTION and meta.adoption_date is not None:
        return meta.adoption_date
    return meta.distribution_date or meta.adoption_date


def day_of(when: date | None) -> int:
    """The day number encoded in the high bits of ``search_units.id``."""
    return UNDATED_DAY if when is None else when.toordinal()


def has_index(conn: Connection) -> bool:
    """True when the database has the search tables (schema 0004 or later)."""
    return inspect(conn).has_table("search_units")


def _next_id(conn: Connection, day: int) -> int:
    lo = day << DAY_SHIFT
    top = conn.execute(
        select(func.max(SEARCH_UNITS.c.id)).where(
            SEARCH_UNITS.c.id >= lo, SEARCH_UNITS.c.id < lo + (1 << DAY_SHIFT)
        )
    ).scalar()
    return lo if top is None else int(top) + 1


def index_units(conn: Connection, doc_id: int, doc: Document) -> None:
    """Index a just-stored document's units, inside the caller's transaction."""
    if not doc.units:
        return
    start = _next_id(conn, day_of(sort_date(doc.metadata)))
    rows = [
        {"id": start + i, "document_id": doc_id, "position": i, "norm": phrase_key(u.text)}
        for i, u in enumerate(doc.units)
    ]
    conn.execute(insert(SEARCH_UNITS), rows)


def reindex(conn: Connection) -> int:
    """Rebuild the whole index from the stored units (after a change of ``normalize.key``)."""
    conn.execute(SEARCH_UNITS.delete())
    docs = conn.execute(
        select(
            DOCUMENTS.c.id,
            DOCUMENTS.c.kind,
            DOCUMENTS.c.adoption_date,
            DOCUMENTS.c.distribution_date,
        ).order_by(DOCUMENTS.c.id)
    ).all()
    count = 0
    for doc_id, kind, adopted, distributed in docs:
        meta = Metadata(kind=doc_kind(kind), adoption_date=adopted, distribution_date=distributed)
        texts = conn.execute(
            select(UNITS.c.position, UNITS.c.text)
            .where(UNITS.c.document_id == doc_id)
            .order_by(UNITS.c.position)
        ).all()
        if not texts:
            continue
        start = _next_id(conn, day_of(sort_date(meta)))
        rows = [
            {"id": start + i, "document_id": doc_id, "position": pos, "norm": phrase_key(t)}
            for i, (pos, t) in enumerate(texts)
        ]
        conn.execute(insert(SEARCH_UNITS), rows)
        count += len(rows)
    return count


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """Which documents a query looks at: one series (key or title), resolutions only."""

    series: str | None = None
    resolutions_only: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """One unit whose key contains the needle, with what callers display about it."""

    id: int
    document_id: int
    position: int
    key: str
    symbol: str | None
    version: int
    kind: DocKind
    date: date | None
    label: str
    unit_text: str
    norm: str

    @property
    def order(self) -> tuple[int, str, int]:
        """Sort key: date, then symbol (key when there is none), then place in the document."""
        return (self.id >> DAY_SHIFT, self.symbol or self.key, self.position)


def searchable(needle: str) -> bool:
    """False for needles no stored text can contain (empty, NUL, unencodable surrogates)."""
    if not needle or "\x00" in needle:
        return False
    try:
        needle.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _chunks(needle: str) -> list[str]:
    # A long needle is looked up by three short pieces of it (start, middle, end): every
    # row holding the needle holds them, and FTS5 / GIN then intersect far fewer posting
    # lists (measured: p99 halved at 200,000 rows). The verification keeps it exact.
    if len(needle) <= _CHUNK:
        return [needle]
    starts = dict.fromkeys((0, (len(needle) - _CHUNK) // 2, len(needle) - _CHUNK))
    return [needle[i : i + _CHUNK] for i in starts]


def _fts_query(needle: str) -> str:
    # FTS5 string literals only: everything inside is text, nothing is query syntax.
    return " ".join('"' + c.replace('"', '""') + '"' for c in _chunks(needle))


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filter_sql(filters: Filters, params: dict[str, Any]) -> str:
    sql = ""
    if filters.resolutions_only:
        sql += " AND d.kind = :resolution"
        params["resolution"] = str(DocKind.RESOLUTION)
    if filters.series is not None:
        sql += (
            " AND d.id IN (SELECT m.document_id FROM series_members m"
            " JOIN series sr ON sr.id = m.series_id"
            " WHERE sr.key = :series OR lower(sr.title) = lower(:series))"
        )
        params["series"] = filters.series
    return sql


_HIT_COLUMNS = (
    "s.id, s.document_id, s.position, s.norm, u.label, u.text, d.key, d.symbol, "
    "d.version, d.kind, d.adoption_date, d.distribution_date"
)
_UNIT_JOIN = " JOIN units u ON u.document_id = s.document_id AND u.position = s.position"


def _match_sql(
    dialect: str, needle: str, filters: Filters, params: dict[str, Any], *, full: bool
) -> str:
    """SELECT of the rows whose ``norm`` contains ``needle`` (already a key), ordered by
    id: the id alone, or (``full``) every column a Hit needs. Fills ``params``."""
    params["needle"] = needle
    where = _filter_sql(filters, params)
    joins = "JOIN documents d ON d.id = s.document_id" + (_UNIT_JOIN if full else "")
    columns = _HIT_COLUMNS if full else "s.id AS id"
    short = len(needle) < _SCAN_BELOW
    if dialect == "sqlite":
        if short:
            return (
                f"SELECT {columns} FROM search_units s {joins} "
                f"WHERE instr(s.norm, :needle) > 0{where} ORDER BY s.id"
            )
        params["q"] = _fts_query(needle)
        # Ordering on the FTS rowid lets FTS5 walk its index in id order and stop at
        # the first verified row.
        return (
            f"SELECT {columns} FROM {FTS_TABLE} f JOIN search_units s ON s.id = f.rowid "
            f"{joins} WHERE {FTS_TABLE} MATCH :q AND instr(s.norm, :needle) > 0{where} "
            "ORDER BY f.rowid"
        )
    likes = ""
    if not short:
        for i, chunk in enumerate(_chunks(needle)):
            params[f"pat{i}"] = _like_pattern(chunk)
            likes += f"s.norm LIKE :pat{i} ESCAPE '\\' AND "
    return (
        f"SELECT {columns} FROM search_units s {joins} "
        f"WHERE {likes}strpos(s.norm, :needle) > 0{where} ORDER BY s.id"
    )


@functools.lru_cache(maxsize=256)
def _statement(sql: str) -> TextClause:
    # A query's shape depends on the needle's length and the filters only: parse each once.
    return text(sql)


def find_ids(
    conn: Connection, needle: str, filters: Filters, *, limit: int | None = None
) -> list[int]:
    """Ids of the rows whose ``norm`` contains ``needle`` (already a key), in id order."""
    if not searchable(needle):
        return []
    params: dict[str, Any] = {}
    sql = _match_sql(conn.dialect.name, needle, filters, params, full=False)
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [int(r[0]) for r in conn.execute(_statement(sql), params)]


def find_hits(conn: Connection, needle: str, filters: Filters) -> list[Hit]:
    """Every hit for ``needle`` (already a key), sorted by date, symbol, position."""
    if not searchable(needle):
        return []
    params: dict[str, Any] = {}
    sql = _match_sql(conn.dialect.name, needle, filters, params, full=True)
    return _sorted_hits(conn.execute(_statement(sql), params).all())


def first_hits(conn: Connection, needle: str, filters: Filters) -> list[Hit]:
    """The first appearance of ``needle`` (already a key) as a one-item list, or [].

    The first matching id, then, among the rows of that day (a primary-key range
    holding few rows, scanned rather than searched again), the one with the lowest
    symbol and position. Byte-order collation on both backends, so the order is Python's.
    """
    if not searchable(needle):
        return []
    params: dict[str, Any] = {}
    dialect = conn.dialect.name
    if dialect == "postgresql" and len(needle) >= _SCAN_BELOW:
        first_id = _pg_first_id(conn, needle, filters)
        if first_id is None:
            return []
        params["first_id"] = first_id
        first = "SELECT CAST(:first_id AS BIGINT) AS id"
    else:
        first = _match_sql(dialect, needle, filters, params, full=False) + " LIMIT 1"
    contains, collate = ("instr", "BINARY") if dialect == "sqlite" else ("strpos", '"C"')
    params["needle"] = needle
    where = _filter_sql(filters, params)
    sql = (
        f"WITH first AS ({first}) SELECT {_HIT_COLUMNS} FROM first "
        f"JOIN search_units s ON s.id >= ((first.id >> {DAY_SHIFT}) << {DAY_SHIFT}) "
        f"AND s.id < (((first.id >> {DAY_SHIFT}) + 1) << {DAY_SHIFT}) "
        f"JOIN documents d ON d.id = s.document_id{_UNIT_JOIN} "
        f"WHERE {contains}(s.norm, :needle) > 0{where} "
        f"ORDER BY coalesce(d.symbol, d.key) COLLATE {collate}, s.position LIMIT 1"
    )
    return _sorted_hits(conn.execute(_statement(sql), params).all())


def _pg_first_id(conn: Connection, needle: str, filters: Filters) -> int | None:
    # A common phrase is found at once by scanning the earliest rows; a rarer one by
    # the GIN index. Left to itself the planner may walk the primary key in id order
    # for "ORDER BY id LIMIT 1" and filter a million rows for a rare phrase (seen at
    # 1M rows: ~1 s), so the index branch forbids plain index and sequential scans.
    params: dict[str, Any] = {"needle": needle}
    where = _filter_sql(filters, params)
    probe = (
        f"SELECT s.id FROM (SELECT id, document_id, norm FROM search_units ORDER BY id "
        f"LIMIT {_PROBE_ROWS}) s JOIN documents d ON d.id = s.document_id "
        f"WHERE strpos(s.norm, :needle) > 0{where} ORDER BY s.id LIMIT 1"
    )
    found = conn.execute(_statement(probe), params).scalar()
    if found is not None:
        return int(found)
    likes = ""
    for i, chunk in enumerate(_chunks(needle)):
        params[f"pat{i}"] = _like_pattern(chunk)
        likes += f"s.norm LIKE :pat{i} ESCAPE '\\' AND "
    search = (
        "SELECT min(s.id) FROM search_units s JOIN documents d ON d.id = s.document_id "
        f"WHERE {likes}strpos(s.norm, :needle) > 0{where}"
    )
    # Transaction-scoped, and switched back at once for the statements that follow.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    found = conn.execute(_statement(search), params).scalar()
    conn.exec_driver_sql("SET LOCAL enable_seqscan = on")
    conn.exec_driver_sql("SET LOCAL enable_indexscan = on")
    return None if found is None else int(found)


def iter_norms(conn: Connection, filters: Filters) -> Iterator[tuple[int, str]]:
    """Every indexed (id, norm) under the filters, in id order (for fuzzy scoring)."""
    params: dict[str, Any] = {}
    where = _filter_sql(filters, params)
    sql = (
        "SELECT s.id, s.norm FROM search_units s JOIN documents d ON d.id = s.document_id "
        f"WHERE 1 = 1{where} ORDER BY s.id"
    )
    for row in conn.execute(text(sql), params):
        yield int(row[0]), str(row[1])


_HITS_SQL = (
    f"SELECT {_HIT_COLUMNS} FROM search_units s{_UNIT_JOIN} "
    "JOIN documents d ON d.id = s.document_id WHERE s.id IN ({ids})"
)
_BATCH = 500


def fetch_hits(conn: Connection, ids: Sequence[int]) -> list[Hit]:
    """The hits for these ids, sorted by date, symbol, position."""
    rows: list[Any] = []
    for start in range(0, len(ids), _BATCH):
        chunk = list(ids[start : start + _BATCH])
        # Ids are integers from our own query: inlined, not user text.
        sql = _HITS_SQL.format(ids=", ".join(str(int(i)) for i in chunk))
        rows.extend(conn.execute(text(sql)))
    return _sorted_hits(rows)


def _sorted_hits(rows: Sequence[Any]) -> list[Hit]:
    out: list[Hit] = []
    for r in rows:
        kind = doc_kind(r.kind)
        meta = Metadata(
            kind=kind,
            adoption_date=_as_date(r.adoption_date),
            distribution_date=_as_date(r.distribution_date),
        )
        out.append(
            Hit(
                id=int(r.id),
                document_id=int(r.document_id),
                position=int(r.position),
                key=r.key,
                symbol=r.symbol,
                version=int(r.version),
                kind=kind,
                date=sort_date(meta),
                label=r.label,
                unit_text=r.text,
                norm=r.norm,
            )
        )
    out.sort(key=lambda h: h.order)
    return out


def _as_date(value: Any) -> date | None:
    # text() queries return SQLite dates as ISO strings, PostgreSQL ones as dates.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --- entry points for resdiff.search (a Store in, model-level rows out) ------------------


def search(store: Store, needle: str, filters: Filters, *, first: bool = False) -> list[Hit]:
    """Hits whose key contains ``needle`` (a key), earliest first; ``first``: earliest day only."""
    try:
        with store._engine.connect() as conn:
            if first:
                return first_hits(conn, needle, filters)
            return find_hits(conn, needle, filters)
    except SQLAlchemyError as exc:
        raise describe_error(exc, store.url, what="cannot search the store") from exc


def all_norms(store: Store, filters: Filters) -> list[tuple[int, str]]:
    """Every (id, norm) under the filters, for scoring in Python (fuzzy search)."""
    try:
        with store._engine.connect() as conn:
            return list(iter_norms(conn, filters))
    except SQLAlchemyError as exc:
        raise describe_error(exc, store.url, what="cannot search the store") from exc


def hits(store: Store, ids: Sequence[int]) -> list[Hit]:
    """The hits for ids found by ``all_norms``, earliest first."""
    try:
        with store._engine.connect() as conn:
            return fetch_hits(conn, ids)
    except SQLAlchemyError as exc:
        raise describe_error(exc, store.url, what="cannot search the store") from exc
