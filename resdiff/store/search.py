"""Phrase queries over the index (resdiff/store/search_index.py says which index and why).

Every candidate from the trigram index is verified on ``norm`` (``instr`` / ``strpos``),
so answers are exact and identical on SQLite and PostgreSQL. The index is asked for
the needle's rarest trigrams, judged on a small sample of the store (``Rarity``), not
for all of them: common trigrams have posting lists as long as the table. One- and
two-character needles, which trigrams cannot index, are answered by the check alone.
Ids encode the date, so first appearance is the first verified row in id order, then
the lowest symbol and position on that day. Entry points take a Store: ``search``, ``all_norms``, ``hits``,
``optimize_index``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.elements import TextClause

from resdiff.model import DocKind, Metadata
from resdiff.store.engine import describe_error, write_connection
from resdiff.store.rows import doc_kind
from resdiff.store.search_index import (
    DAY_SHIFT,
    FTS_TABLE,
    MERGE_ABOVE,
    POSTGRES_DDL,
    POSTGRES_DROP,
    RARE_TRIGRAMS,
    SEARCH_UNITS,
    SQLITE_DDL,
    SQLITE_DROP,
    TRGM_INDEX,
    Rarity,
    day_of,
    forget_rarity,
    fts_segments,
    has_index,
    index_units,
    pg_trigram_key,
    pg_trigram_text,
    phrase_key,
    rarity,
    reindex,
    resume_merges,
    sort_date,
)
from resdiff.store.tables import METADATA

if TYPE_CHECKING:
    from resdiff.store.repo import Store

__all__ = [
    "DAY_SHIFT",
    "FTS_TABLE",
    "POSTGRES_DDL",
    "POSTGRES_DROP",
    "SEARCH_UNITS",
    "SQLITE_DDL",
    "SQLITE_DROP",
    "TRGM_INDEX",
    "Filters",
    "Hit",
    "Rarity",
    "all_norms",
    "day_of",
    "fetch_hits",
    "find_hits",
    "find_ids",
    "first_hits",
    "forget_rarity",
    "has_index",
    "hits",
    "index_units",
    "iter_norms",
    "optimize_index",
    "phrase_key",
    "rarity",
    "reindex",
    "search",
    "search_many",
    "searchable",
    "sort_date",
]

_SCAN_BELOW = 3  # trigrams index needles of three characters or more
_CHUNK = 9  # characters per piece of a long needle looked up in the index
_PROBE_ROWS = 10000  # PostgreSQL: earliest rows scanned before asking for every trigram


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """Which documents a query looks at: one series (key or title), resolutions only;
    ``keys`` names the documents of a series held in memory by a read-only store."""

    series: str | None = None
    resolutions_only: bool = False
    keys: tuple[str, ...] | None = None


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
    # Three short pieces of a long needle (start, middle, end): every row holding the
    # needle holds them. PostgreSQL asks for these when the needle has no rare trigram.
    if len(needle) <= _CHUNK:
        return [needle]
    starts = dict.fromkeys((0, (len(needle) - _CHUNK) // 2, len(needle) - _CHUNK))
    return [needle[i : i + _CHUNK] for i in starts]


def _fts_query(pieces: Sequence[str]) -> str:
    # FTS5 string literals only: everything inside is text, nothing is query syntax.
    return " ".join('"' + c.replace('"', '""') + '"' for c in pieces)


def _pg_indexable(gram: str) -> bool:
    # pg_trgm indexes letters and digits only (joiners are letters by now).
    return gram.isalnum()


def _pg_likes(pieces: Sequence[str], params: dict[str, Any], *, in_order: bool = False) -> str:
    """``… LIKE … AND `` conditions on the indexed expression, one per piece of the
    mapped needle (``pg_trigram_key``); ``in_order``: one for all the pieces, in their
    order (``%a%b%c%``; pieces that do not overlap in the needle). Fills ``params``."""
    indexed = pg_trigram_text("s.norm")
    if in_order:
        params["pat0"] = "%" + "%".join(_like_escape(p) for p in pieces) + "%"
        return f"{indexed} LIKE :pat0 ESCAPE '\\' AND "
    likes = ""
    for i, piece in enumerate(pieces):
        params[f"pat{i}"] = _like_pattern(piece)
        likes += f"{indexed} LIKE :pat{i} ESCAPE '\\' AND "
    return likes


def _pg_chunk_likes(mapped: str, params: dict[str, Any]) -> str:
    # The chunks of a needle of three chunks' length or more do not overlap, and every
    # row holding the needle holds them in this order: one pattern then. The index gets
    # the same trigrams, and the planner weighs one pattern against the index's
    # statistics instead of three (0.5 ms each: a review runs some sixty searches).
    return _pg_likes(_chunks(mapped), params, in_order=len(mapped) >= 3 * _CHUNK)


def _sqlite_pieces(conn: Connection, needle: str) -> list[str]:
    # A short needle is one FTS5 phrase of at most seven trigrams; a longer one its
    # rarest trigrams, each a one-token string (no position checks), ANDed.
    if len(needle) <= _CHUNK:
        return [needle]
    return rarity(conn).rarest(needle, RARE_TRIGRAMS)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_pattern(needle: str) -> str:
    return f"%{_like_escape(needle)}%"


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
    if filters.keys is not None:
        names = [f"doc_key_{n}" for n in range(len(filters.keys))]
        sql += f" AND d.key IN ({', '.join(':' + n for n in names)})" if names else " AND 1 = 0"
        params.update(zip(names, filters.keys, strict=True))
    return sql


_HIT_COLUMNS = (
    "s.id, s.document_id, s.position, s.norm, u.label, u.text, d.key, d.symbol, "
    "d.version, d.kind, d.adoption_date, d.distribution_date"
)
_UNIT_JOIN = " JOIN units u ON u.document_id = s.document_id AND u.position = s.position"


def _match_sql(
    conn: Connection, needle: str, filters: Filters, params: dict[str, Any], *, full: bool
) -> str:
    """SELECT of the rows whose ``norm`` contains ``needle`` (already a key), ordered by
    id: the id alone, or (``full``) every column a Hit needs. Fills ``params``."""
    dialect = conn.dialect.name
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
        params["q"] = _fts_query(_sqlite_pieces(conn, needle))
        # Ordering on the FTS rowid lets FTS5 walk its index in id order and stop at
        # the first verified row.
        return (
            f"SELECT {columns} FROM {FTS_TABLE} f JOIN search_units s ON s.id = f.rowid "
            f"{joins} WHERE {FTS_TABLE} MATCH :q AND instr(s.norm, :needle) > 0{where} "
            "ORDER BY f.rowid"
        )
    likes = "" if short else _pg_chunk_likes(pg_trigram_key(needle), params)
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
    sql = _match_sql(conn, needle, filters, params, full=False)
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [int(r[0]) for r in conn.execute(_statement(sql), params)]


def find_hits(conn: Connection, needle: str, filters: Filters) -> list[Hit]:
    """Every hit for ``needle`` (already a key), sorted by date, symbol, position."""
    if not searchable(needle):
        return []
    params: dict[str, Any] = {}
    sql = _match_sql(conn, needle, filters, params, full=True)
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
        first = _match_sql(conn, needle, filters, params, full=False) + " LIMIT 1"
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
    # Two ways, chosen by the sample of the store (``rarity``). A needle with a
    # trigram the sample never saw is rare: the GIN index asked for its rarest trigrams
    # yields few candidates to check. Otherwise the needle is made of common trigrams,
    # the index would yield tens of thousands of candidates (each a heap visit), and
    # such needles are mostly common themselves: the earliest rows are scanned in id
    # order first, then the index is asked for three pieces of the needle.
    # Left to itself the planner may walk the primary key in id order for "ORDER BY
    # id LIMIT 1" and filter a million rows for a rare phrase (seen at 1M rows: ~1 s),
    # so the index branch forbids plain index and sequential scans.
    params: dict[str, Any] = {"needle": needle}
    where = _filter_sql(filters, params)
    mapped = pg_trigram_key(needle)
    sample = rarity(conn)
    rare = sample.rarest(mapped, RARE_TRIGRAMS, _pg_indexable)
    if rare and sample.rows and sample.trigrams.get(rare[0], 0) == 0:
        pieces = rare
    else:
        probe = (
            f"SELECT s.id FROM (SELECT id, document_id, norm FROM search_units ORDER BY id "
            f"LIMIT {_PROBE_ROWS}) s JOIN documents d ON d.id = s.document_id "
            f"WHERE strpos(s.norm, :needle) > 0{where} ORDER BY s.id LIMIT 1"
        )
        found = conn.execute(_statement(probe), params).scalar()
        if found is not None:
            return int(found)
        # Three 9-character pieces, not the whole needle: a long needle's every trigram
        # means as many posting lists to read (measured at 1M rows: p99 100-110 ms with
        # pieces, 205-230 ms with the whole needle).
        pieces = _chunks(mapped)
    likes = _pg_likes(pieces, params)
    search = (
        "SELECT min(s.id) FROM search_units s JOIN documents d ON d.id = s.document_id "
        f"WHERE {likes}strpos(s.norm, :needle) > 0{where}"
    )
    # Transaction-scoped, and the scan switches are set back at once for the statements
    # that follow. JIT compiling (on above a plan cost the min() over a big bitmap can
    # reach) costs tens of milliseconds on queries that run in a few; it stays off for
    # the rest of this read-only transaction.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    conn.exec_driver_sql("SET LOCAL jit = off")
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


_TWO_CONNECTIONS_FROM = 8  # needles: below this a second connection costs more than it saves


def search_many(store: Store, needles: Sequence[str], filters: Filters) -> dict[str, list[Hit]]:
    """``search`` for several needles (keys): the review's look-ups.

    On PostgreSQL many needles are shared between two connections, the second in a
    thread: while the server works on one look-up, this process reads the rows of the
    other (a review's sixty look-ups took 250-300 ms one after the other, 160-190 ms
    so). SQLite works in this process: two threads only took turns (measured 10%
    slower), so it keeps one connection.
    """
    unique = list(dict.fromkeys(needles))
    if len(unique) < _TWO_CONNECTIONS_FROM or store._engine.dialect.name == "sqlite":
        return _search_on_one(store, unique, filters)
    from concurrent.futures import ThreadPoolExecutor  # PostgreSQL only

    with ThreadPoolExecutor(1, thread_name_prefix="resdiff-search") as second:
        other = second.submit(_search_on_one, store, unique[1::2], filters)
        mine = _search_on_one(store, unique[0::2], filters)
        both = mine | other.result()  # raises here what the second look-ups raised
    return {n: both[n] for n in unique}


def _search_on_one(store: Store, needles: Sequence[str], filters: Filters) -> dict[str, list[Hit]]:
    out: dict[str, list[Hit]] = {}
    try:
        with store._engine.connect() as conn:
            for needle in needles:
                out[needle] = find_hits(conn, needle, filters)
    except SQLAlchemyError as exc:
        raise describe_error(exc, store.url, what="cannot search the store") from exc
    return out


def optimize_index(store: Store) -> None:
    """Merge the index after an ingest (SQLite: FTS5 ``optimize``; PostgreSQL: VACUUM
    ANALYZE of every table, so the planner knows their sizes and the index is whole).

    Each transaction writes at least one FTS5 segment; queries read every segment. On
    the real corpus (1,193 documents added one by one) first appearance went from p50
    3.3 ms to 1.0 ms after this. A merge rewrites the whole index (most of the database),
    so it is done only above ``MERGE_ABOVE`` segments. Safe at any time.
    """
    forget_rarity(store._engine)  # re-sampled at the next query
    try:
        if store._engine.dialect.name != "sqlite":
            _vacuum_analyze(store._engine)
            return
        with write_connection(store._engine) as conn:
            resume_merges(conn)  # a bulk ingest deferred them to here
            segments = fts_segments(conn)
            if segments is None or segments > MERGE_ABOVE:
                conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    except SQLAlchemyError as exc:
        raise describe_error(exc, store.url, what="cannot optimize the search index") from exc


def _vacuum_analyze(engine: Engine) -> None:
    # Every table, not only the index: a query joins documents and units, and without
    # their statistics (autovacuum may be off or not yet run) the planner takes "kind =
    # 'resolution'" for one row and filters every document's units instead of asking
    # the trigram index (0.65 s a search instead of 0.04 s on the corpus). VACUUM too,
    # which autovacuum would do in its own time if it is on: it merges the GIN index's
    # pending list of new entries (read in full by every search until then) and marks
    # pages all-visible, so counts by document read the index alone (`resdiff list` on
    # the corpus: 0.17 s of SQL before, 0.02 s after). Outside a transaction, as VACUUM
    # must be; a role that does not own a table gets a warning, not an error.
    with engine.connect() as conn:
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in METADATA.sorted_tables:  # search_units among them
            auto.exec_driver_sql(f"VACUUM (ANALYZE) {table.name}")


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
