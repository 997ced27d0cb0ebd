"""Conversion between model objects and table rows, both ways, and the prepared read statements."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from resdiff.model import DocKind, Document, Footnote, Metadata, Source, Unit, UnitKind
from resdiff.store.tables import DOCUMENTS, FOOTNOTES, SPONSORS, UNITS

__all__ = ["BY_HASH", "child_rows", "doc_kind", "document_values", "load_document"]

Row = dict[str, Any]


def document_values(doc: Document, key: str, skey: str | None, version: int, digest: str) -> Row:
    """The ``documents`` row of a document about to be stored."""
    meta, src = doc.metadata, doc.source
    return {
        "key": key,
        "symbol": meta.symbol,
        "symbol_key": skey,
        "version": version,
        "kind": str(meta.kind),
        "reissue": meta.reissue,
        "session": meta.session,
        "body": meta.body,
        "agenda_item": meta.agenda_item,
        "distribution_date": meta.distribution_date,
        "adoption_date": meta.adoption_date,
        "meeting": meta.meeting,
        "title": meta.title,
        "draft_symbol": meta.draft_symbol,
        "content_hash": digest,
        "has_source": src is not None,
        "source_name": src.name if src else None,
        "source_format": src.format if src else None,
        "source_sha256": src.sha256 if src else None,
        "source_revisions": src.revisions if src else None,
        "source_revision_count": src.revision_count if src else 0,
        "source_notes": list(src.notes) if src else [],
        "furniture": list(doc.furniture),
        "created_at": datetime.now(UTC),
    }


def child_rows(doc: Document, doc_id: int) -> tuple[list[Row], list[Row], list[Row]]:
    """The sponsors, units and footnotes rows of a document, positions in document order."""
    meta = doc.metadata
    sponsors = [
        {"document_id": doc_id, "on_behalf": flag, "position": i, "name": name}
        for flag, names in ((False, meta.sponsors), (True, meta.on_behalf_of))
        for i, name in enumerate(names)
    ]
    units = [
        {
            "document_id": doc_id,
            "position": i,
            "label": u.label,
            "kind": str(u.kind),
            "lead": u.lead,
            "text": u.text,
            "footnotes": list(u.footnotes),
        }
        for i, u in enumerate(doc.units)
    ]
    # Marker positions, when the parser gave them: a document built without them (by
    # hand, or read from a store older than positions) leaves the column NULL.
    if any(u.footnote_at for u in doc.units):
        for row, u in zip(units, doc.units, strict=True):
            row["footnote_at"] = list(u.footnote_at) if u.footnote_at else None
    footnotes = [
        {"document_id": doc_id, "position": i, "number": f.number, "text": f.text}
        for i, f in enumerate(doc.footnotes)
    ]
    return sponsors, units, footnotes


def doc_kind(value: str) -> DocKind:
    """The stored kind as the enum (UNKNOWN for a value this resdiff does not know)."""
    try:
        return DocKind(value)
    except ValueError:
        return DocKind.UNKNOWN


# Statements built once: constructing a select costs more than running it on SQLite.
DOC_BY_ID = select(DOCUMENTS).where(DOCUMENTS.c.id == bindparam("doc_id"))
SPONSORS_OF = (
    select(SPONSORS.c.on_behalf, SPONSORS.c.name)
    .where(SPONSORS.c.document_id == bindparam("doc_id"))
    .order_by(SPONSORS.c.on_behalf, SPONSORS.c.position)
)
UNITS_OF = (
    select(
        UNITS.c.label,
        UNITS.c.kind,
        UNITS.c.text,
        UNITS.c.lead,
        UNITS.c.footnotes,
        UNITS.c.footnote_at,
    )
    .where(UNITS.c.document_id == bindparam("doc_id"))
    .order_by(UNITS.c.position)
)
FOOTNOTES_OF = (
    select(FOOTNOTES.c.number, FOOTNOTES.c.text)
    .where(FOOTNOTES.c.document_id == bindparam("doc_id"))
    .order_by(FOOTNOTES.c.position)
)
BY_HASH = select(DOCUMENTS.c.key, DOCUMENTS.c.version).where(
    DOCUMENTS.c.content_hash == bindparam("digest")
)


def load_document(conn: Connection, doc_id: int) -> Document:
    """The stored document with this row id, exactly as it was added."""
    params = {"doc_id": doc_id}
    d = conn.execute(DOC_BY_ID, params).mappings().one()
    sponsor_rows = conn.execute(SPONSORS_OF, params).all()
    metadata = Metadata(
        symbol=d["symbol"],
        kind=doc_kind(d["kind"]),
        reissue=d["reissue"],
        session=d["session"],
        body=d["body"],
        agenda_item=d["agenda_item"],
        distribution_date=d["distribution_date"],
        adoption_date=d["adoption_date"],
        meeting=d["meeting"],
        title=d["title"],
        sponsors=tuple(name for flag, name in sponsor_rows if not flag),
        on_behalf_of=tuple(name for flag, name in sponsor_rows if flag),
        draft_symbol=d["draft_symbol"],
    )
    units = tuple(
        Unit(
            label=r.label,
            kind=UnitKind(r.kind),
            text=r.text,
            lead=r.lead,
            footnotes=tuple(int(n) for n in r.footnotes),
            footnote_at=tuple(int(n) for n in r.footnote_at or ()),
        )
        for r in conn.execute(UNITS_OF, params)
    )
    footnotes = tuple(
        Footnote(number=r.number, text=r.text) for r in conn.execute(FOOTNOTES_OF, params)
    )
    source = None
    if d["has_source"]:
        source = Source(
            name=d["source_name"] or "",
            format=d["source_format"] or "",
            sha256=d["source_sha256"] or "",
            revisions=d["source_revisions"],
            revision_count=d["source_revision_count"],
            notes=tuple(d["source_notes"] or ()),
        )
    return Document(
        metadata=metadata,
        units=units,
        footnotes=footnotes,
        source=source,
        furniture=tuple(d["furniture"] or ()),
    )
