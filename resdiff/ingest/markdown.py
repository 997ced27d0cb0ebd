"""Markdown parser for the seed's conventions (``---`` pages, ``<sup>n</sup>``, *italic* leads).

Conventions read (see the corpus README): ``---`` is a page break; a line
``<sup>n</sup> text`` is footnote n, placed where its page ended (so it may
interrupt a paragraph); ``<sup>n</sup>`` inside a paragraph is a marker (removed
from the text, recorded as a citation); the leading ``*italic*`` run after any
enumerator is the lead; links ``[76/177](#)`` keep their text; backslash escapes
(``\\(``) are undone; ``**bold**`` and ``#`` heading marks are dropped.
Everything before "The General Assembly," is header. A paragraph continues
across a blank line, a page break or interleaved footnotes by the same evidence
rule as plain text (``structure.continues``).
"""

from __future__ import annotations

import re

from resdiff.errors import NoTextError
from resdiff.ingest.raw import RawBlock, RawDocument, cut_spans, squeeze
from resdiff.ingest.structure import build_document, continues, is_ga_line
from resdiff.model import Document, Footnote, Source

__all__ = ["clean_inline", "looks_like_markdown", "markdown_to_raw", "parse_markdown"]

_FN_LINE = re.compile(r"^<sup>(\d{1,4})</sup>\s*(.*)$")
_MARKER = re.compile(r"\s?<sup>(\d{1,4})</sup>")
_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\s]{0,500}\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_HEADING = re.compile(r"^#{1,6}\s+")
_PAGE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
_ENUM = re.compile(r"^(\d{1,3}\.|\((?:[a-z]{1,3}|[ivxlc]{1,7})\))\s+")
_LEAD = re.compile(r"^\*(?!\s)([^*\n]+?)(?<!\s)\*")
_MD_SIGNS = re.compile(
    r"(?m)^(?:#{1,6} |-{3,}$|<sup>\d+</sup>)|<sup>\d+</sup>|\]\(#\)|^\*[A-Z][^*\n]{1,60}\*"
)


def looks_like_markdown(text: str) -> bool:
    """True when the text uses the seed's Markdown conventions (headings, ``<sup>``, links)."""
    return len(_MD_SIGNS.findall(text[:200_000])) >= 3


def clean_inline(text: str) -> str:
    """Markdown inline markup to plain text: links, escapes, bold and italic marks."""
    return _clean_at(text, [])[0]


def _clean_at(text: str, at: list[int]) -> tuple[str, list[int]]:
    """``clean_inline(text)``, and the offsets ``at`` moved with the text: each rule keeps
    one group of its match, so it cuts what stands before and after that group."""
    for rx in (_LINK, _BOLD, _ITALIC, _ESCAPE):
        spans: list[tuple[int, int]] = []
        for m in rx.finditer(text):
            spans += [(m.start(), m.start(1)), (m.end(1), m.end())]
        text, at = cut_spans(text, [(a, b) for a, b in spans if b > a], at)
    return squeeze(text, at)


def markdown_to_raw(text: str, source: Source) -> RawDocument:
    """Seed-style Markdown to the format-neutral intermediate."""
    if not text.strip():
        raise NoTextError(
            f"{source.name}: no text found (scanned PDF? OCR needed); give a file with text"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = [ln.strip() for ln in text.split("\n")]
    ga = next((i for i, s in enumerate(lines) if is_ga_line(clean_inline(s))), None)
    start = 0
    header: list[str] = []
    furniture: list[str] = []
    if ga is not None:
        for s in lines[:ga]:
            if _PAGE.match(s):
                furniture.append(s)
                continue
            header.append(clean_inline(_HEADING.sub("", s)))
        start = ga

    footnotes: list[Footnote] = []
    pieces: list[tuple[str, bool]] = []  # (markdown text, page break before)
    cur: list[str] = []
    brk = False
    pending = False
    for s in lines[start:]:
        fm = _FN_LINE.match(s)
        if fm:
            if cur:
                pieces.append((" ".join(cur), brk))
                cur, brk = [], False
            footnotes.append(Footnote(int(fm.group(1)), clean_inline(fm.group(2))))
            pending = True
            continue
        if _PAGE.match(s):
            furniture.append(s)
            if cur:
                pieces.append((" ".join(cur), brk))
                cur, brk = [], False
            pending = True
            continue
        if not s:
            if cur:
                pieces.append((" ".join(cur), brk))
                cur, brk = [], False
            continue
        if not cur:
            brk, pending = pending, False
        cur.append(s)
    if cur:
        pieces.append((" ".join(cur), brk))

    groups: list[list[str]] = []  # pieces of each paragraph, joined once at the end
    for md, page_break in pieces:
        if groups:
            last = groups[-1]
            nxt = _plain(md[:2000])
            if continues(_plain(last[-1]), nxt, page_break=page_break, long_prev=len(last) > 1):
                last.append(md)
                continue
        groups.append([md])
    paras = [" ".join(g) for g in groups]

    blocks: list[RawBlock] = []
    for para in paras:
        heading = bool(_HEADING.match(para))
        md = _HEADING.sub("", para)
        markers = list(_MARKER.finditer(md))
        refs = tuple(int(m.group(1)) for m in markers)
        md, at = cut_spans(md, [m.span() for m in markers], [m.start() for m in markers])
        enum = _ENUM.match(md)
        body = md[enum.end() :] if enum else md
        lead_m = _LEAD.match(body)
        italic = clean_inline(lead_m.group(1)).rstrip(",;:") if lead_m else None
        if italic is not None and is_ga_line(italic + ","):
            italic = None
        if enum and enum.group(1).startswith("(") and italic is None:
            italic = ""
        plain, at = _clean_at(md, at)
        blocks.append(
            RawBlock(
                text=plain,
                italic_lead=italic,
                footnote_refs=refs,
                heading=heading,
                footnote_at=tuple(at),
            )
        )
    return RawDocument(
        blocks=tuple(blocks),
        footnotes=tuple(footnotes),
        furniture=tuple(furniture),
        source=source,
        header=tuple(header),
    )


def _plain(md: str) -> str:
    return clean_inline(_MARKER.sub("", _HEADING.sub("", md)))


def parse_markdown(text: str, source: Source) -> Document:
    """Parse seed-style Markdown into a Document."""
    return build_document(markdown_to_raw(text, source))
