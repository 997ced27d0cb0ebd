"""The database schema as SQLAlchemy Core tables; migrations/ must produce exactly this.

Core, not ORM models: the store reads and writes rows with Core statements only, and
importing the ORM would cost every command a tenth of a second at start-up.

Rows, not blobs, for what later queries need (sponsors, units, footnotes); JSON only
for small lists nobody searches by (a unit's footnote numbers, parser notes, furniture).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "ALIGNMENTS",
    "DOCUMENTS",
    "FOOTNOTES",
    "METADATA",
    "SERIES",
    "SERIES_LINKS",
    "SERIES_MEMBERS",
    "SETTINGS",
    "SPONSORS",
    "UNITS",
]

# Deterministic constraint names, so migrations can drop/alter them on every backend
# (SQLite batch mode needs names to find constraints again).
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


METADATA = MetaData(naming_convention=NAMING_CONVENTION)


def _document_id() -> Column[int]:
    """The owning document, first part of the primary key of a per-document table."""
    return Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
        nullable=False,
    )


# One stored version of a document: its metadata and where it came from.
DOCUMENTS = Table(
    "documents",
    METADATA,
    Column("id", Integer, primary_key=True),
    # What `get` is called with: the symbol for the first version of a symbol,
    # "SYMBOL@n" for later ones, "doc-<hash>" when there is no symbol.
    Column("key", String(200), unique=True, nullable=False),
    Column("symbol", String(200)),
    # Upper-cased symbol with "_" read as "/": what case-insensitive look-ups match.
    Column("symbol_key", String(200), index=True),
    Column("version", Integer, default=1, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("reissue", String(100)),
    Column("session", Integer),
    Column("body", String(200)),
    Column("agenda_item", String(200)),
    Column("distribution_date", Date),
    Column("adoption_date", Date),
    Column("meeting", Text),
    Column("title", Text),
    Column("draft_symbol", String(200)),
    Column("content_hash", String(64), unique=True, nullable=False),
    # Source is optional on a Document: has_source tells None from an empty Source.
    Column("has_source", Boolean, default=False, nullable=False),
    Column("source_name", Text),
    Column("source_format", String(40)),
    Column("source_sha256", String(64)),
    Column("source_revisions", String(40)),
    Column("source_revision_count", Integer, default=0, nullable=False),
    Column("source_notes", JSON, default=list, nullable=False),
    Column("furniture", JSON, default=list, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("symbol_key", "version"),
    CheckConstraint("version >= 1", name="version_positive"),
    CheckConstraint("key <> ''", name="key_not_empty"),
)

# A sponsor of a draft (or a group a sponsor speaks for, when ``on_behalf``).
SPONSORS = Table(
    "sponsors",
    METADATA,
    _document_id(),
    Column("on_behalf", Boolean, primary_key=True, nullable=False),
    Column("position", Integer, primary_key=True, nullable=False),
    Column("name", Text, nullable=False),
)

# One preambular paragraph, operative paragraph or sub-item, in document order.
UNITS = Table(
    "units",
    METADATA,
    _document_id(),
    Column("position", Integer, primary_key=True, nullable=False),
    Column("label", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("lead", Text, default="", nullable=False),
    Column("text", Text, nullable=False),
    Column("footnotes", JSON, default=list, nullable=False),
    # Offsets in ``text`` of the markers of ``footnotes`` (parallel to it); NULL when
    # the positions are unknown (rows stored before revision 0006).
    Column("footnote_at", JSON, nullable=True),
    CheckConstraint("label <> ''", name="label_not_empty"),
    CheckConstraint("kind IN ('preambular', 'operative', 'subitem')", name="kind_known"),
    Index("ix_units_document_id_label", "document_id", "label"),
)

# A footnote of a document, in document order (numbers are not trusted to be unique).
FOOTNOTES = Table(
    "footnotes",
    METADATA,
    _document_id(),
    Column("position", Integer, primary_key=True, nullable=False),
    Column("number", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

# Store-wide facts, added by migration 0002: the search-key fingerprint the phrase
# index was built with (``search_index.PHRASE_KEY_FINGERPRINT``).
SETTINGS = Table(
    "store_settings",
    METADATA,
    Column("name", String(100), primary_key=True, nullable=False),
    Column("value", Text, nullable=False),
)

# A resolution series (migration 0003): versions of one text across sessions.
SERIES = Table(
    "series",
    METADATA,
    Column("id", Integer, primary_key=True),
    # Stable identity across recomputation: the symbol key of the series' earliest member.
    Column("key", String(300), unique=True, nullable=False),
    Column("title", Text),
)

# A document's place in its series (a document belongs to at most one series).
SERIES_MEMBERS = Table(
    "series_members",
    METADATA,
    _document_id(),
    Column(
        "series_id",
        Integer,
        ForeignKey("series.id", ondelete="CASCADE"),
        index=True,
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
)

# A manual correction of series grouping, by symbol key so it survives re-ingest.
SERIES_LINKS = Table(
    "series_links",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("action", String(10), nullable=False),
    Column("anchor", String(200), nullable=False),
    Column("member", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("action IN ('link', 'unlink')", name="action_known"),
)

# The stored comparison of two consecutive versions, valid for one settings hash.
ALIGNMENTS = Table(
    "alignments",
    METADATA,
    Column(
        "old_document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
        nullable=False,
    ),
    Column(
        "new_document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
        nullable=False,
    ),
    Column("settings_hash", String(64), nullable=False),
    # [[kind, old labels, new labels, similarity, renumbered, routine, spans], ...]
    Column("pairs", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
