"""Rendering one parsed document for ``resdiff show``: terminal text, JSON, Markdown."""

from __future__ import annotations

from resdiff.model import Document
from resdiff.render.jsonout import document_to_json, dumps
from resdiff.render.markdown import render_document_markdown
from resdiff.render.terminal import wrap_segments

__all__ = ["render_document", "render_document_text"]


def render_document_text(doc: Document, *, width: int = 80) -> str:
    """Metadata, sponsors, every unit with its label and lead words, footnotes."""
    m = doc.metadata
    out = [m.symbol or doc.key]
    if m.title:
        out += wrap_segments([(None, m.title)], width, "  ", False)
    facts = [
        ("Kind", str(m.kind) + (f" ({m.reissue})" if m.reissue else "")),
        ("Session", str(m.session) if m.session is not None else ""),
        ("Body", m.body or ""),
        ("Agenda item", m.agenda_item or ""),
        ("Distributed", m.distribution_date.isoformat() if m.distribution_date else ""),
        ("Adopted", m.adoption_date.isoformat() if m.adoption_date else ""),
        ("Meeting", m.meeting or ""),
        ("Draft", m.draft_symbol or ""),
        ("On behalf of", "; ".join(m.on_behalf_of)),
    ]
    for name, value in facts:
        if value:
            out += wrap_segments([(None, f"{name}: {value}")], width, "", False)
    if m.sponsors:
        out += wrap_segments(
            [(None, f"Sponsors ({len(m.sponsors)}): {'; '.join(m.sponsors)}")], width, "", False
        )
    if doc.source is not None:
        out.append(f"Source: {doc.source.name} ({doc.source.format})")
        out += [f"  note: {n}" for n in doc.source.notes]
    out += ["", f"Units ({len(doc.units)}):"]
    for u in doc.units:
        indent = "  " * (u.depth + 1)
        lead = f"[{u.lead}] " if u.lead else ""
        notes = f"  (footnotes {', '.join(map(str, u.footnotes))})" if u.footnotes else ""
        out += wrap_segments([(None, f"{u.label}  {lead}{u.text}{notes}")], width, indent, False)
    if doc.footnotes:
        out += ["", f"Footnotes ({len(doc.footnotes)}):"]
        for f in doc.footnotes:
            out += wrap_segments([(None, f"{f.number}. {f.text}")], width, "  ", False)
    return "\n".join(out) + "\n"


def render_document(doc: Document, fmt: str = "text", *, width: int = 80) -> str:
    """One document as ``text`` (also ``terminal``), ``json`` or ``md`` (``markdown``)."""
    if fmt in ("text", "terminal"):
        return render_document_text(doc, width=width)
    if fmt == "json":
        return dumps(document_to_json(doc))
    if fmt in ("md", "markdown"):
        return render_document_markdown(doc)
    raise ValueError(f"unknown format {fmt!r} for a document; use text, json or md")
