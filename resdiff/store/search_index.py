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
* PostgreSQL: ``pg_trgm`` GIN index on ``norm``, queried with ``LIKE '%…%'`` (``%``,
  ``_`` and ``\\`` escaped): substring semantics, which tsvector lacks.

Every candidate is verified on ``norm`` (``instr`` / ``strpos``), so answers are exact
and identical on both backends; one- and two-character needles, which trigrams cannot
index, are answered by that check alone (a scan). Row ids encode the document's date
(``day ordinal << 24 | n``): "earliest first" is ``ORDER BY id``, and first appearance
stops at the first verified row, whatever order documents were ingested in.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

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
)
from sqlalchemy.orm import Mapped, mapped_column

from resdiff.model import DocKind, Document, Metadata
from resdiff.normalize import key
from resdiff.store.rows import doc_kind
from resdiff.store.tables import DOCUMENTS, UNITS, Base

__all__ = [
    "DAY_SHIFT",
    "FTS_TABLE",
    "POSTGRES_DDL",
    "POSTGRES_DROP",
    "SEARCH_UNITS",
    "SQLITE_DDL",
    "SQLITE_DROP",
    "TRGM_INDEX",
    "SearchUnitRow",
    "day_of",
    "has_index",
    "index_units",
    "phrase_key",
    "reindex",
    "sort_date",
]

DAY_SHIFT = 24  # up to 16.7 million units per day of documents
UNDATED_DAY = date.max.toordinal()  # documents without a date sort last
FTS_TABLE = "search_fts"
TRGM_INDEX = "ix_search_units_norm_trgm"


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
