"""The format-neutral intermediate every format parser produces and the structure builder reads.

A format parser (text, Markdown, PDF, DOCX, HTML) does the format-specific repair
(page furniture, footnotes cut across pages, hard-wrapped lines, tracked changes)
and hands over a ``RawDocument``; ``structure.build_document`` turns it into a
``model.Document`` (metadata, labelled units, footnotes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from resdiff.model import Footnote, Source

__all__ = ["RawBlock", "RawDocument", "cut_spans", "shift", "squeeze"]


@dataclass(frozen=True, slots=True)
class RawBlock:
    """One paragraph of the source, lines joined and hyphenation repaired.

    ``text`` still starts with its printed number or enumerator ("3. ", "(a) ") if
    it had one, but holds no footnote markers and no page furniture.
    ``italic_lead`` is the leading italic run after any enumerator, when the format
    carries formatting (Markdown, PDF fonts, DOCX, HTML); None when unknown (plain text).
    ``footnote_refs`` are the footnote numbers cited in the block, in reading order;
    ``footnote_at`` the offset in ``text`` where each one's marker stood (parallel to
    ``footnote_refs``; empty when the format does not tell).
    ``heading`` marks blocks the source itself marks as headings or the header zone
    (Markdown ``#``, HTML ``<h1>``...), a hint for metadata extraction.
    ``table`` marks the text of a table cell: never a heading, whatever its length.
    """

    text: str
    italic_lead: str | None = None
    footnote_refs: tuple[int, ...] = ()
    heading: bool = False
    footnote_at: tuple[int, ...] = ()
    table: bool = False


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


def cut_spans(text: str, spans: list[tuple[int, int]], at: Sequence[int]) -> tuple[str, list[int]]:
    """``text`` without the (start, end) ``spans`` (sorted, not overlapping), and the
    offsets ``at`` moved with it: an offset inside a cut span goes to where it was cut."""
    if not spans:
        return text, list(at)
    parts: list[str] = []
    pos = 0
    for a, b in spans:
        parts.append(text[pos:a])
        pos = b
    parts.append(text[pos:])
    return "".join(parts), [_moved(o, spans) for o in at]


def _moved(offset: int, spans: list[tuple[int, int]]) -> int:
    removed = 0
    for a, b in spans:
        if b <= offset:
            removed += b - a
        elif a < offset:
            removed += offset - a
        else:
            break
    return offset - removed


# What ``squeeze`` cuts: white space at either end, and a run of two or more inside
# (all but its first character); found without visiting every single space between
# words. What is left of a run is one character, made a space.
_CUTS = re.compile(r"^\s+|\s+$|\s{2,}")
_ASCII_CUTS = re.compile(r"^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$|[ \t\n\r\f\v]{2,}")
_NOT_SPACE = re.compile(r"[^\S ]")
_ASCII_NOT_SPACE = re.compile(r"[\t\n\r\f\v]")


def squeeze(text: str, at: Sequence[int], *, ascii_only: bool = False) -> tuple[str, list[int]]:
    """``text`` with every run of whitespace made one space and the ends stripped (what
    ``" ".join(text.split())`` gives; only ASCII whitespace when ``ascii_only``, so that
    a no-break space stays as printed), and the offsets ``at`` moved with it."""
    spans: list[tuple[int, int]] = []
    for m in (_ASCII_CUTS if ascii_only else _CUTS).finditer(text):
        a, b = m.span()
        if a == 0 or b == len(text):
            spans.append((a, b))
        else:
            spans.append((a + 1, b))  # the run's first character stays, as one space
    out, moved = cut_spans(text, spans, at)
    return (_ASCII_NOT_SPACE if ascii_only else _NOT_SPACE).sub(" ", out), moved


def shift(at: Sequence[int], by: int, length: int) -> list[int]:
    """Offsets ``at`` moved by ``by`` (a prefix cut or added), kept within 0..length."""
    return [min(max(o + by, 0), length) for o in at]
