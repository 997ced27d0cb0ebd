"""The database schema as SQLAlchemy 2 typed models; migrations/ must produce exactly this.

Rows, not blobs, for what later queries need (sponsors, units, footnotes); JSON only
for small lists nobody searches by (a unit's footnote numbers, parser notes, furniture).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "DOCUMENTS",
    "FOOTNOTES",
    "SETTINGS",
    "SPONSORS",
    "UNITS",
    "AlignmentRow",
    "Base",
    "DocumentRow",
    "FootnoteRow",
    "SeriesLinkRow",
    "SeriesMemberRow",
    "SeriesRow",
    "SettingRow",
    "SponsorRow",
    "UnitRow",
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


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class DocumentRow(Base):
    """One stored version of a document: its metadata and where it came from."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("symbol_key", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("key <> ''", name="key_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # What `get` is called with: the symbol for the first version of a symbol,
    # "SYMBOL@n" for later ones, "doc-<hash>" when there is no symbol.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    symbol: Mapped[str | None] = mapped_column(String(200))
    # Upper-cased symbol with "_" read as "/": what case-insensitive look-ups match.
    symbol_key: Mapped[str | None] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(40))
    reissue: Mapped[str | None] = mapped_column(String(100))
    session: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(String(200))
    agenda_item: Mapped[str | None] = mapped_column(String(200))
    distribution_date: Mapped[date | None] = mapped_column(Date)
    adoption_date: Mapped[date | None] = mapped_column(Date)
    meeting: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    draft_symbol: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Source is optional on a Document: has_source tells None from an empty Source.
    has_source: Mapped[bool] = mapped_column(Boolean, default=False)
    source_name: Mapped[str | None] = mapped_column(Text)
    source_format: Mapped[str | None] = mapped_column(String(40))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    source_revisions: Mapped[str | None] = mapped_column(String(40))
    source_revision_count: Mapped[int] = mapped_column(Integer, default=0)
    source_notes: Mapped[list[Any]] = mapped_column(default=list)
    furniture: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SponsorRow(Base):
    """A sponsor of a draft (or a group a sponsor speaks for, when ``on_behalf``)."""

    __tablename__ = "sponsors"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    on_behalf: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class UnitRow(Base):
    """One preambular paragraph, operative paragraph or sub-item, in document order."""

    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint("label <> ''", name="label_not_empty"),
        CheckConstraint("kind IN ('preambular', 'operative', 'subitem')", name="kind_known"),
        Index("ix_units_document_id_label", "document_id", "label"),
    )

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    lead: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    footnotes: Mapped[list[Any]] = mapped_column(default=list)
    # Offsets in ``text`` of the markers of ``footnotes`` (parallel to it); NULL when
    # the positions are unknown (rows stored before revision 0006).
    footnote_at: Mapped[list[Any] | None] = mapped_column(nullable=True)


class FootnoteRow(Base):
    """A footnote of a document, in document order (numbers are not trusted to be unique)."""

    __tablename__ = "footnotes"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class SettingRow(Base):
    """Store-wide facts, added by migration 0002: the search-key fingerprint the phrase
    index was built with (``search_index.PHRASE_KEY_FINGERPRINT``)."""

    __tablename__ = "store_settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SeriesRow(Base):
    """A resolution series (migration 0003): versions of one text across sessions."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable identity across recomputation: the symbol key of the series' earliest member.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    title: Mapped[str | None] = mapped_column(Text)


class SeriesMemberRow(Base):
    """A document's place in its series (a document belongs to at most one series)."""

    __tablename__ = "series_members"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class SeriesLinkRow(Base):
    """A manual correction of series grouping, by symbol key so it survives re-ingest."""

    __tablename__ = "series_links"
    __table_args__ = (CheckConstraint("action IN ('link', 'unlink')", name="action_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(10))
    anchor: Mapped[str] = mapped_column(String(200))
    member: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlignmentRow(Base):
    """The stored comparison of two consecutive versions, valid for one settings hash."""

    __tablename__ = "alignments"

    old_document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    new_document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    settings_hash: Mapped[str] = mapped_column(String(64))
    # [[kind, old labels, new labels, similarity, renumbered, routine, spans], ...]
    pairs: Mapped[list[Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Core tables, for bulk inserts (the ORM's per-row bookkeeping is not needed there).
DOCUMENTS = cast(Table, DocumentRow.__table__)
SPONSORS = cast(Table, SponsorRow.__table__)
UNITS = cast(Table, UnitRow.__table__)
FOOTNOTES = cast(Table, FootnoteRow.__table__)
SETTINGS = cast(Table, SettingRow.__table__)
