"""The format-neutral intermediate every format parser produces and the structure builder reads.

A format parser (text, Markdown, PDF, DOCX, HTML) does the format-specific repair
(page furniture, footnotes cut across pages, hard-wrapped lines, tracked changes)
and hands over a ``RawDocument``; ``structure.build_document`` turns it into a
``model.Document`` (metadata, labelled units, footnotes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resdiff.model import Footnote, Source

__all__ = ["RawBlock", "RawDocument"]


@dataclass(frozen=True, slots=True)
class RawBlock:
    """One paragraph of the source, lines joined and hyphenation repaired.

    ``text`` still starts with its printed number or enumerator ("3. ", "(a) ") if
    it had one, but holds no footnote markers and no page furniture.
    ``italic_lead`` is the leading italic run after any enumerator, when the format
    carries formatting (Markdown, PDF fonts, DOCX, HTML); None when unknown (plain text).
    ``footnote_refs`` are the footnote numbers cited in the block, in order.
    ``heading`` marks blocks the source itself marks as headings or the header zone
    (Markdown ``#``, HTML ``<h1>``...), a hint for metadata extraction.
    """

    text: str
    italic_lead: str | None = None
    footnote_refs: tuple[int, ...] = ()
    heading: bool = False


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Everything a format parser recovered, before units are labelled."""

    blocks: tuple[RawBlock, ...]
    footnotes: tuple[Footnote, ...] = ()
    furniture: tuple[str, ...] = ()
    source: Source | None = None
    # Header lines as printed on the first page (symbol, distribution, session,
    # committee, agenda item, sponsors, title), for metadata extraction; may repeat
    # text that is also in ``blocks``.
    header: tuple[str, ...] = field(default=())
