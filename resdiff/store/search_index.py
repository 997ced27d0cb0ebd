"""The phrase index's schema and writes: each unit's search key (``search_units.norm``), indexed.

Why trigram indexes. A phrase query is a literal substring of a normalised text (words
cut anywhere, punctuation kept), not a bag of stemmed words, so word-based full-text
search (FTS5 unicode61, PostgreSQL tsvector) would both over- and under-match.

* SQLite: FTS5 with the ``trigram`` tokenizer over ``search_units.norm`` (external
  content, kept in step by triggers, so the text is stored once). The MATCH string is
  built by us: up to three double-quoted FTS5 strings (pieces of the needle, inner
  quotes doubled), never user syntax, so ``AND``, ``NEAR``, ``*``, ``-`` and parentheses
  are plain text. The tokenizer is case-sensitive because ``norm`` is already
  case-folded (SQLite's own folding differs from Python's).
* PostgreSQL: ``pg_trgm`` GIN index on ``norm`` with spaces turned into a letter (so
  that trigrams cross word boundaries, see ``pg_trigram_text``), queried with
  ``LIKE '%…%'`` (``%``, ``_`` and ``\\`` escaped): substring semantics, which tsvector
  lacks.

Every candidate is verified on ``norm`` (``instr`` / ``strpos``), so answers are exact
and identical on both backends; one- and two-character needles, which trigrams cannot
index, are answered by that check alone (a scan). Row ids encode the document's date
(``day ordinal << 24 | n``): "earliest first" is ``ORDER BY id``, and first appearance
stops at the first verified row, whatever order documents were ingested in.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    ForeignKeyConstraint,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from resdiff.model import DocKind, Document, Metadata
from resdiff.normalize import key
from resdiff.store.rows import doc_kind
from resdiff.store.tables import DOCUMENTS, METADATA, SETTINGS, UNITS

__all__ = [
    "DAY_SHIFT",
    "FTS_TABLE",
    "MERGE_ABOVE",
    "OLD_TRGM_INDEX",
    "PG_JOINER",
    "PHRASE_KEY_FINGERPRINT",
    "POSTGRES_DDL",
    "POSTGRES_DROP",
    "RARE_TRIGRAMS",
    "SAMPLE_CHARS",
    "SEARCH_UNITS",
    "SQLITE_DDL",
    "SQLITE_DROP",
    "TRGM_INDEX",
    "Rarity",
    "day_of",
    "defer_merges",
    "drop_pg_index",
    "ensure_pg_index",
    "forget_rarity",
    "fts_segments",
    "has_index",
    "index_fts",
    "index_is_stale",
    "index_units",
    "make_index_current",
    "pg_index_missing",
    "pg_trigram_key",
    "pg_trigram_text",
    "phrase_key",
    "rarity",
    "reindex",
    "resume_merges",
    "sort_date",
    "stored_fingerprint",
    "unit_keys",
]

DAY_SHIFT = 24  # up to 16.7 million units per day of documents
UNDATED_DAY = date.max.toordinal()  # documents without a date sort last
FTS_TABLE = "search_fts"
TRGM_INDEX = "ix_search_units_key_trgm"
OLD_TRGM_INDEX = "ix_search_units_norm_trgm"  # schema 0004: trigrams within words only

# pg_trgm makes trigrams inside words (letters and digits) only, so "for effective and"
# is looked up by the trigrams of three common words (100,000 candidate rows at 1M
# paragraphs, ~0.6 s to recheck). The GIN index is on the key with every space turned
# into a letter ("forqeffectiveqand"): trigrams then cross word boundaries. A
# character-for-character mapping keeps substrings substrings, so every row holding
# the needle holds its mapped pieces; the check on ``norm`` stays exact. replace(), not
# translate() over punctuation too: each candidate the index yields is rechecked through
# the expression, and translate() cost 26 µs a row against replace()'s 2.5 µs.
PG_JOINER = " "
PG_JOIN_LETTER = "q"


def pg_trigram_text(expr: str) -> str:
    """The SQL expression the GIN index is built on, for a column or parameter ``expr``."""
    return f"replace({expr}, '{PG_JOINER}', '{PG_JOIN_LETTER}')"


def pg_trigram_key(needle: str) -> str:
    """``needle`` mapped as ``pg_trigram_text`` maps the stored keys."""
    return needle.replace(PG_JOINER, PG_JOIN_LETTER)


# A footnote number the parser could not separate stays glued to its word or comma
# ("Status of Refugees15 and the 1967 Protocol thereto16", "Consular Relations,24 to
# which", A/RES/73/180): dropped from both sides. Three letters before a glued number at
# least, so that "G77", "H5N1", "A/RES/72/188", "Rev.1" and "1,000" keep theirs. The
# leading ``(?=\d)`` lets the engine skip every position that is not a digit before
# trying the look-behinds (several times faster on a unit, same matches).
_GLUED_MARKER = re.compile(
    r"(?=\d)(?:(?<=[^\W\d_]{3})\d{1,3}(?!\w)|(?<=[^\W\d_][,;])\d{1,3}(?= |$))"
)


def phrase_key(text: str) -> str:
    """The search key: ``normalize.key`` without footnote markers glued to words."""
    return _GLUED_MARKER.sub("", key(text))


# A fixed text exercising every rule of the search key (case, curly quotes, dashes and
# non-breaking hyphens, soft hyphens, ligatures, spaces, glued footnote markers, accents,
# non-Latin scripts). The digest of its key names the normalisation an index was built
# with: a resdiff whose keys differ must not query an index of the old keys (answers
# would silently go missing), so the store records it and checks it on opening.
_PROBE = (
    "Ça “Déjà‑vu” — « ﬁne\u00ad-tuned » \u00a0TEXT, 2021,1 and Refugees16 北京 Straße İ ½ "
    '‘quoted’ "straight" -- en–dash'
)
PHRASE_KEY_FINGERPRINT = hashlib.sha256(phrase_key(_PROBE).encode("utf-8")).hexdigest()[:16]
_FINGERPRINT_SETTING = "phrase_key_fingerprint"


def stored_fingerprint(conn: Connection) -> str | None:
    """The phrase-key fingerprint the index was built with (None: not recorded)."""
    value = conn.execute(
        select(SETTINGS.c.value).where(SETTINGS.c.name == _FINGERPRINT_SETTING)
    ).scalar()
    return None if value is None else str(value)


def index_is_stale(conn: Connection) -> bool:
    """True when the index was built with another search key than this resdiff's."""
    found = stored_fingerprint(conn)
    return found is not None and found != PHRASE_KEY_FINGERPRINT


def make_index_current(conn: Connection, *, built_now: bool = False) -> bool:
    """Rebuild the index if it was built with another search key (or nobody recorded
    which, unless it was ``built_now``), then record this resdiff's; True when it
    rebuilt. Inside the caller's write transaction."""
    found = stored_fingerprint(conn)
    if found == PHRASE_KEY_FINGERPRINT:
        return False
    rebuilt = found is not None or (
        not built_now and bool(conn.execute(select(func.count()).select_from(UNITS)).scalar())
    )
    if rebuilt:
        reindex(conn)
    conn.execute(SETTINGS.delete().where(SETTINGS.c.name == _FINGERPRINT_SETTING))
    conn.execute(insert(SETTINGS).values(name=_FINGERPRINT_SETTING, value=PHRASE_KEY_FINGERPRINT))
    return bool(rebuilt)


# The matching key of one unit; ``id`` orders rows by document date (see module doc).
SEARCH_UNITS = Table(
    "search_units",
    METADATA,
    # Integer on SQLite so that the column is the rowid the FTS table points at.
    Column(
        "id",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("document_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("norm", Text, nullable=False),
    UniqueConstraint("document_id", "position"),
    ForeignKeyConstraint(
        ["document_id", "position"],
        ["units.document_id", "units.position"],
        ondelete="CASCADE",
        name="fk_search_units_document_id_units",
    ),
)

# --- DDL (used by migration 0004) -----------------------------------------------------------

# No insert trigger (migration 0007 dropped it): writers add the index entries of new
# rows themselves, a whole batch of documents in one statement (``index_fts``), which
# is what FTS5 builds fastest. Deletes and updates stay with triggers (a document's
# rows go by cascade).
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(norm, content='search_units', "
    "content_rowid='id', tokenize='trigram case_sensitive 1', detail='full')",
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
    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON search_units "
    f"USING gin (({pg_trigram_text('norm')}) gin_trgm_ops)",
)
POSTGRES_DROP = (f"DROP INDEX IF EXISTS {TRGM_INDEX}",)


def drop_pg_index(conn: Connection) -> bool:
    """PostgreSQL: drop the GIN index, in the caller's transaction, for a bulk load that
    brings more rows than the table holds: building it once afterwards (``ensure_pg_index``)
    is about three times faster than maintaining it row by row (the corpus's 57,000
    keys: 4.5 s against about 15 s). False, the index kept, when this role may write
    rows but does not own the table (only an owner may drop or build an index)."""
    return _as_owner(conn, POSTGRES_DROP[0])


def pg_index_missing(conn: Connection) -> bool:
    """PostgreSQL: True when the GIN index is missing (a bulk load dropped it, and was
    killed before building it again). Searches are right without it, only slow."""
    if conn.dialect.name != "postgresql":
        return False
    return not conn.execute(text("SELECT to_regclass(:name)"), {"name": TRGM_INDEX}).scalar()


def ensure_pg_index(conn: Connection) -> bool:
    """PostgreSQL: build the GIN index if it is missing (``pg_index_missing``); True when
    it was built (False too when this role does not own the table: ``resdiff db check``
    then reports it missing)."""
    if not pg_index_missing(conn):
        return False
    return _as_owner(conn, POSTGRES_DDL[1])


_INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE of "must be owner of table"


def _as_owner(conn: Connection, statement: str) -> bool:
    # In a savepoint: a refusal leaves the caller's transaction as it was.
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(statement)
    except DBAPIError as exc:
        if getattr(exc.orig, "pgcode", None) != _INSUFFICIENT_PRIVILEGE:
            raise
        return False
    return True


# --- trigram rarity (read by resdiff/store/search.py) ---------------------------------


@dataclass(frozen=True, slots=True)
class Rarity:
    """How common each trigram and character is in a small, evenly spread sample of the
    stored keys: the index is asked for the needle's rarest trigrams only.

    Why: a trigram index answers "rows holding all these trigrams" by walking their
    posting lists, and common ones (" th", "the", "ion") hold most of the rows. At 1M
    paragraphs, asking FTS5 for the six rarest trigrams of the needle instead of every
    trigram of three 9-character pieces took the first-appearance query from p50 0.7 /
    p99 36 ms to p50 0.15 / p99 5 ms (SQL alone). A hundred and sixty rows are enough to tell common from
    rare (an estimate only: every candidate is verified, so answers never depend on it).
    """

    trigrams: dict[str, int]
    chars: dict[str, int]
    rows: int

    def rarest(
        self, needle: str, count: int, usable: Callable[[str], bool] | None = None
    ) -> list[str]:
        """Up to ``count`` distinct trigrams of ``needle`` (those ``usable`` accepts),
        rarest first (ties: fewer common characters, then place in the needle, so the
        choice is deterministic)."""
        grams = dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2))
        if usable is not None:
            grams = {g: None for g in grams if usable(g)}
        # Unigram counts break ties among trigrams the sample never saw.
        chars = self.chars

        def weight(gram: str) -> tuple[int, int]:
            return (self.trigrams.get(gram, 0), sum(chars.get(c, 0) for c in gram))

        return sorted(grams, key=weight)[:count]


_SAMPLE_POINTS = 40  # places across the id (date) range the sample is read from
_SAMPLE_PER_POINT = 4
# Characters read of each sampled key: a stored 1 MB paragraph would otherwise make the
# sample (and so every phrase query of a process) cost seconds; the first two thousand
# characters of a key tell its trigrams as well as the rest.
SAMPLE_CHARS = 2000
RARE_TRIGRAMS = 6  # measured at 1M rows: 4 and 8 were slower at p99
_RARITY: weakref.WeakKeyDictionary[Engine, Rarity] = weakref.WeakKeyDictionary()
_EMPTY_RARITY = Rarity({}, {}, 0)


def rarity(conn: Connection) -> Rarity:
    """The trigram sample of this database, read once per engine (forty short range
    reads) and kept until the index changes (``forget_rarity``). On PostgreSQL, of the
    keys as its GIN index sees them (``pg_trigram_key``)."""
    engine = conn.engine
    known = _RARITY.get(engine)
    if known is not None:
        return known
    # Two subqueries: SQLite answers a lone min() or max() from the index, not both.
    bounds = conn.execute(
        text("SELECT (SELECT min(id) FROM search_units), (SELECT max(id) FROM search_units)")
    ).one()
    if bounds[0] is None:
        return _EMPTY_RARITY
    lo, hi = int(bounds[0]), int(bounds[1])
    starts = sorted({lo + (hi - lo) * i // _SAMPLE_POINTS for i in range(_SAMPLE_POINTS)})
    # One statement (one round trip): the first rows at or after each start. Rows may
    # repeat on a small store; an estimate either way.
    parts = [
        f"SELECT * FROM (SELECT substr(norm, 1, {SAMPLE_CHARS}) FROM search_units "
        f"WHERE id >= :s{i} ORDER BY id LIMIT {_SAMPLE_PER_POINT}) p{i}"
        for i in range(len(starts))
    ]
    params = {f"s{i}": start for i, start in enumerate(starts)}
    trigrams: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    rows = 0
    mapped = conn.dialect.name == "postgresql"
    for (stored,) in conn.execute(text(" UNION ALL ".join(parts)), params):
        norm = pg_trigram_key(stored) if mapped else str(stored)
        trigrams.update({norm[i : i + 3] for i in range(len(norm) - 2)})
        chars.update(norm)
        rows += 1
    found = Rarity(dict(trigrams), dict(chars), rows)
    _RARITY[engine] = found
    return found


def forget_rarity(engine: Engine, *, unless_full: bool = False) -> None:
    """Drop the cached sample (after writes to the index). ``unless_full``: keep it when
    it was a full sample, which a few more documents hardly change."""
    known = _RARITY.get(engine)
    full = _SAMPLE_POINTS * _SAMPLE_PER_POINT
    if known is not None and not (unless_full and known.rows >= full):
        del _RARITY[engine]


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


# Built once: constructing a statement costs more than running it on SQLite.
_TOP_ID = select(func.max(SEARCH_UNITS.c.id)).where(
    SEARCH_UNITS.c.id >= bindparam("lo"), SEARCH_UNITS.c.id < bindparam("hi")
)
_INSERT_UNITS = insert(SEARCH_UNITS)


def _next_id(conn: Connection, day: int) -> int:
    lo = day << DAY_SHIFT
    top = conn.execute(_TOP_ID, {"lo": lo, "hi": lo + (1 << DAY_SHIFT)}).scalar()
    return lo if top is None else int(top) + 1


def unit_keys(doc: Document) -> tuple[str, ...]:
    """The search key of each unit of ``doc``, in order (what ``index_units`` stores)."""
    return tuple(phrase_key(u.text) for u in doc.units)


def index_units(
    conn: Connection,
    doc_id: int,
    doc: Document,
    *,
    fts: bool = True,
    keys: Sequence[str] | None = None,
) -> None:
    """Index a just-stored document's units, inside the caller's transaction.

    ``fts=False`` leaves SQLite's FTS5 entries to one ``index_fts`` call for the whole
    batch, in the same transaction (until then the rows are stored but not found).
    ``keys``: ``unit_keys(doc)`` when already computed (by a parse worker)."""
    if not doc.units:
        return
    day = day_of(sort_date(doc.metadata))
    # Ids of one day are handed out as max + 1: the caller's transaction must be the only
    # writer (SQLite: BEGIN IMMEDIATE; PostgreSQL: the writers' lock, ``Batch``).
    start = _next_id(conn, day)
    if keys is None or len(keys) != len(doc.units):
        keys = unit_keys(doc)
    rows = [
        {"id": start + i, "document_id": doc_id, "position": i, "norm": norm}
        for i, norm in enumerate(keys)
    ]
    conn.execute(_INSERT_UNITS, rows)
    if fts:
        index_fts(conn, [doc_id])
    forget_rarity(conn.engine, unless_full=True)


_HAS_INSERT_TRIGGER = (
    "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'search_units_ai'"
)
_FTS_CHUNK = 500  # document ids per statement (SQLite binds at most 999 parameters)


def index_fts(conn: Connection, doc_ids: Sequence[int]) -> None:
    """SQLite: add the FTS5 entries of these documents' ``search_units`` rows (one
    statement per few hundred documents; FTS5 builds its segments in memory and
    writes each once). Nothing to do on PostgreSQL, whose GIN index follows the table."""
    if conn.dialect.name != "sqlite" or not doc_ids:
        return
    # A schema before 0007 (which only migration tests write to) still has the per-row
    # trigger that did this already.
    if conn.execute(text(_HAS_INSERT_TRIGGER)).first() is not None:
        return
    ids = sorted(set(doc_ids))
    for at in range(0, len(ids), _FTS_CHUNK):
        chunk = ids[at : at + _FTS_CHUNK]
        params = {f"d{i}": d for i, d in enumerate(chunk)}
        listed = ", ".join(f":d{i}" for i in range(len(chunk)))
        conn.execute(
            text(
                f"INSERT INTO {FTS_TABLE}(rowid, norm) SELECT id, norm FROM search_units "
                f"WHERE document_id IN ({listed}) ORDER BY id"
            ),
            params,
        )


# FTS5 keeps new entries in memory up to ``hashsize`` (1 MB by default), then writes
# them as a new segment and, by default, merges segments four at a time as it goes
# (``automerge``; sixteen at once in a ``crisismerge``): a bulk ingest rewrote the same
# entries several times over. During one, each transaction's entries go out as one
# segment (up to 64 MB of them in memory) and merging waits (up to the crisis level of
# a thousand segments; FTS5 allows two thousand) for ``optimize_index``, which merges
# once, and only when there are more than a few segments to read.
_AUTOMERGE = 4
_CRISISMERGE = 16
_HASHSIZE = 1024 * 1024
_BULK_CRISISMERGE = 1000
_BULK_HASHSIZE = 64 * 1024 * 1024
MERGE_ABOVE = 8  # segments a query may read before ``optimize_index`` merges them


def _fts_config(conn: Connection, **values: int) -> None:
    for name, value in values.items():
        conn.execute(
            text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES (:name, :value)"),
            {"name": name, "value": value},
        )


def defer_merges(conn: Connection) -> None:
    """SQLite: no FTS5 merging until ``resume_merges`` (in the caller's transaction)."""
    if conn.dialect.name == "sqlite":
        _fts_config(conn, automerge=0, crisismerge=_BULK_CRISISMERGE, hashsize=_BULK_HASHSIZE)


def resume_merges(conn: Connection) -> None:
    """SQLite: FTS5's default merging again (run before ``optimize``, and after any
    bulk ingest that stopped early)."""
    if conn.dialect.name == "sqlite":
        _fts_config(conn, automerge=_AUTOMERGE, crisismerge=_CRISISMERGE, hashsize=_HASHSIZE)


def fts_segments(conn: Connection) -> int | None:
    """SQLite: how many segments the FTS5 index has (None: unknown, or not SQLite).

    Read from FTS5's structure record (row 10 of its data table): a 4-byte cookie,
    then varints: the number of levels, then of segments over all levels."""
    if conn.dialect.name != "sqlite":
        return None
    block = conn.execute(text(f"SELECT block FROM {FTS_TABLE}_data WHERE id = 10")).scalar()
    if not isinstance(block, bytes) or len(block) < 6:
        return None
    at = 4
    values = []
    for _ in range(2):
        value = 0
        for _step in range(9):
            if at >= len(block):
                return None
            byte = block[at]
            at += 1
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values[1]


def reindex(conn: Connection) -> int:
    """Rebuild the whole index from the stored units (after a change of ``normalize.key``)."""
    conn.execute(SEARCH_UNITS.delete())
    forget_rarity(conn.engine)
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
    if conn.dialect.name == "sqlite":
        # Built once from the whole table (whatever triggers an older schema still had).
        conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
    return count
