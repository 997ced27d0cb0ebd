"""Page geometry of UN PDFs → ``RawDocument``: lines, zones, paragraphs, footnotes (pure Python).

``resdiff.ingest.pdf`` reads the PDF with PDFium and hands over text runs (a run is
consecutive characters of one font, size and baseline); everything here works on
those runs only, so it is testable without a PDF library.

UN documents are laid out by one template: a header block on page 1 (symbol,
distribution, session, committee, agenda item, sponsors, title) ending at *The
General Assembly,*; running headers above the text area and job number, barcode and
``n/N`` page number below it; footnotes below a ``______`` rule at each page bottom.
Paragraphs start with an indented first line or after a taller vertical gap;
footnote markers are small raised digits; lead words are in an italic font.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from resdiff.ingest.raw import RawBlock, RawDocument, cut_spans, squeeze
from resdiff.model import Footnote, Source

__all__ = ["Line", "PageText", "Run", "layout_document", "page_lines"]

# Bands (in points from the page edge) that hold running headers and footers: the
# text area of the UN template starts ~84 pt below the top (the running symbol sits
# ~59 pt below it) and ends ~60 pt above the bottom (page number and job number at
# ~37-45 pt).
TOP_BAND = 62.0
BOTTOM_BAND = 55.0
# Runs at or above this size form lines; smaller ones (footnote markers, 5.5-6.5 pt)
# are attached to the line whose baseline is just below them.
SMALL_SIZE = 7.5
# A superscript sits this far (pt) above the baseline of its line (3-3.5 pt in
# UN documents).
MIN_RISE = 1.0
MAX_RISE = 6.0
MAX_DROP = 3.0  # a subscript sits up to this far below it
# Baselines closer than this (pt) belong to one line (header items at 14/20 pt
# next to 10 pt text differ by ~1.3 pt).
SAME_LINE = 2.0
# Horizontal gap (pt) separating header columns ("General Assembly" | "Distr.: General").
COLUMN_GAP = 40.0
# Gap between two runs, in font sizes, read as a word space. Word splits some
# words into two text objects 0.11-0.14 em apart ("accorda" "nce"); word spaces
# between objects measure 0.18 em and more.
WORD_GAP = 0.16
# First-line indent (pt) beyond the left text edge that starts a paragraph.
INDENT = 8.0
# Vertical gap, in line heights, beyond which a new paragraph starts (lines are
# 12 pt apart for 10 pt text, paragraphs 18 pt).
PARA_GAP = 1.4

_RULE = re.compile(r"^_{5,}$")
_DIGITS = re.compile(r"^[1-9]\d{0,2}$")
_MARK = re.compile(r"^(?:[1-9]\d{0,2}|\*{1,3})$")  # footnote markers; "*" marks a note
_ENUM = re.compile(r"^(?:\d{1,3}\.?|\((?:[a-z]{1,2}|[ivxlc]{1,6})\)|[a-z]\))$")
_SPACES = re.compile(r"\s+")
# A "*" glued to a word refers to an asterisk note ("Criminal Court* that");
# some documents print it full size, so the font cannot tell.
_STAR_REF = re.compile(r"(?<=[\w.,;:)”’])\*{1,3}(?=[\s,.;:]|$)")
_GA = re.compile(r"^The General Assembly\b")
_TRAILING_OF = re.compile(r"(?<=\w)\s+of$")


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive characters of one font, size and baseline, as PDFium reports them."""

    text: str
    x0: float
    x1: float
    y: float  # baseline, PDF coordinates (origin bottom left)
    size: float
    italic: bool = False
    bold: bool = False


@dataclass(frozen=True, slots=True)
class PageText:
    """The text runs of one page, in content-stream order."""

    number: int  # 1-based
    width: float
    height: float
    runs: tuple[Run, ...]
    # (x, baseline) of text objects that print a space PDFium cannot map (see pdf_pdfium.py)
    blanks: tuple[tuple[float, float], ...] = ()


@dataclass(slots=True)
class Line:
    """Runs sharing a baseline, left to right; ``markers[i]`` flags superscript digits."""

    y: float
    size: float
    runs: list[Run] = field(default_factory=list)
    markers: list[bool] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.runs[0].x0 if self.runs else 0.0

    def segments(self) -> list[str]:
        """The line's text split at wide horizontal gaps (header columns)."""
        out: list[str] = []
        cur = ""
        prev: Run | None = None
        for run in self.runs:
            if prev is None or run.x0 - prev.x1 > COLUMN_GAP:
                out.append(cur)
                cur = run.text
            else:
                cur = _glue(cur, run, prev)
            prev = run
        out.append(cur)
        return [s for s in (_SPACES.sub(" ", x).strip() for x in out) if s]

    @property
    def text(self) -> str:
        return " ".join(self.segments())


def _apart(prev: Run, run: Run) -> bool:
    """Whether white space wide enough for a word space separates two runs."""
    return run.x0 - prev.x1 > WORD_GAP * run.size


def _glue(cur: str, run: Run, prev: Run) -> str:
    """Append ``run`` to ``cur``, with a space when the runs are visibly apart."""
    if cur and not cur[-1].isspace() and not run.text[:1].isspace() and _apart(prev, run):
        return cur + " " + run.text
    return cur + run.text


def page_lines(page: PageText) -> list[Line]:
    """Group the page's runs into lines, top to bottom, flagging superscript markers."""
    big = sorted((r for r in page.runs if r.size >= SMALL_SIZE and r.text.strip()), key=_down)
    lines: list[Line] = []
    for run in big:
        if lines and abs(lines[-1].y - run.y) <= SAME_LINE:
            lines[-1].runs.append(run)
            lines[-1].markers.append(False)
            lines[-1].size = max(lines[-1].size, run.size)
        else:
            lines.append(Line(y=run.y, size=run.size, runs=[run], markers=[False]))
    for run in (r for r in page.runs if r.size < SMALL_SIZE and r.text.strip()):
        host = _host(lines, run)
        if host is None:
            lines.append(Line(y=run.y, size=run.size, runs=[run], markers=[False]))
            lines.sort(key=lambda ln: -ln.y)
            continue
        host.runs.append(run)
        # A marker is small and raised; a small digit on or below the baseline is a
        # subscript ("CO2") and stays in the text.
        raised = run.y - host.y >= MIN_RISE and run.size < 0.85 * host.size
        host.markers.append(raised and bool(_MARK.match(run.text.strip())))
    for line in lines:
        order = sorted(range(len(line.runs)), key=lambda i: line.runs[i].x0)
        line.runs = [line.runs[i] for i in order]
        line.markers = [line.markers[i] for i in order]
    for x, y in page.blanks:
        _insert_space(lines, x, y)
    return lines


def _insert_space(lines: list[Line], x: float, y: float) -> None:
    """Put a space run where a blank text object sits between two runs of a line."""
    for line in lines:
        if abs(line.y - y) > SAME_LINE:
            continue
        for i in range(1, len(line.runs)):
            before, after = line.runs[i - 1], line.runs[i]
            # An italic letter's box can reach past the blank ("of" [blank] "the").
            if before.x0 < x <= after.x0 + 0.5:
                space = Run(" ", x, x, line.y, line.size, before.italic, before.bold)
                line.runs.insert(i, space)
                line.markers.insert(i, False)
                return
        return


def _down(run: Run) -> tuple[float, float]:
    return (-run.y, run.x0)


def _host(lines: list[Line], run: Run) -> Line | None:
    best: Line | None = None
    for line in lines:
        rise = run.y - line.y
        if -MAX_DROP <= rise <= MAX_RISE and (best is None or abs(rise) < abs(run.y - best.y)):
            best = line
    return best


# --- zones -----------------------------------------------------------------------


@dataclass(slots=True)
class _Zones:
    furniture: list[str] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)
    body: list[tuple[int, Line]] = field(default_factory=list)  # (page number, line)
    notes: list[tuple[int, Line]] = field(default_factory=list)


def _split_zones(pages: list[PageText]) -> _Zones:
    zones = _Zones()
    in_header = True
    for page in pages:
        below_rule = False
        body: list[Line] = []
        notes: list[Line] = []
        for line in page_lines(page):
            text = line.text
            if (
                line.y > page.height - TOP_BAND and not (page.number == 1 and in_header)
            ) or line.y < BOTTOM_BAND:
                zones.furniture.extend(line.segments())
            elif _RULE.match(text):
                below_rule = True
                zones.furniture.append(text)
            elif below_rule:
                notes.append(line)
            elif in_header and page.number == 1 and not _GA.match(text):
                zones.header.append(line)
            else:
                # "The General Assembly," opens the body (and may open a one-sentence
                # decision: "The General Assembly, recalling ..., decides ...").
                in_header = False
                body.append(line)
        if in_header:
            # No "The General Assembly," on page 1 (amendments): see _header_fallback.
            in_header = False
            zones.header, moved = _header_fallback(zones.header)
            body[:0] = moved
        # Notes printed without a rule (an amendment's "* United Nations, Treaty
        # Series..."): the smaller-type lines after the last line of body text.
        size = Counter(round(ln.size) for ln in body).most_common(1)
        while body and size and body[-1].size < 0.92 * size[0][0]:
            notes.insert(0, body.pop())
        zones.body.extend((page.number, ln) for ln in body)
        zones.notes.extend((page.number, ln) for ln in notes)
    return zones


def _header_fallback(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split page-1 lines without *The General Assembly,* into header and body.

    The header ends with the last bold line (title, sponsors): UN templates set the
    session, committee, agenda title, sponsors and title in bold, body text in roman.
    """
    last_bold = -1
    for i, line in enumerate(lines):
        if all(r.bold for r in line.runs if r.text.strip()):
            last_bold = i
    return lines[: last_bold + 1], lines[last_bold + 1 :]


# --- paragraphs --------------------------------------------------------------------


@dataclass(slots=True)
class _Para:
    parts: list[tuple[str, bool]] = field(default_factory=list)  # (text, italic)
    refs: list[int] = field(default_factory=list)
    ref_at: list[int] = field(default_factory=list)  # each marker's offset in the joined parts
    stars: list[str] = field(default_factory=list)  # "*" note markers removed from the text


def _left_edge(lines: list[tuple[int, Line]]) -> dict[int, float]:
    """The text area's left edge per page: the smallest common line start."""
    by_page: dict[int, Counter[float]] = {}
    for num, line in lines:
        by_page.setdefault(num, Counter())[round(line.x0)] += 1
    return {num: float(min(x for x, _ in c.most_common(3))) for num, c in by_page.items()}


def _tabbed_enumerator(line: Line, prev: Line) -> bool:
    """True when the line opens with "3." or "(a)" set off by a tab, as numbered items are.

    A reference that merely wraps onto a new line ("paragraph" / "(a) of resolution")
    is followed by an ordinary space, not a tab stop. A long enumerator ("(xiii)")
    leaves a shorter gap before the tab stop, enough after a line that closed a
    sentence or item (``prev`` ends with ";", ":" or "."; its text is only built then).
    """
    runs = [r for r in line.runs if r.text.strip()]
    head = ""
    for i, run in enumerate(runs[:-1]):
        head += run.text
        word = head.strip()
        if _ENUM.match(word):
            gap = runs[i + 1].x0 - run.x1
            return gap > 0.8 * line.size or (
                gap > 0.3 * line.size and prev.text.rstrip()[-1:] in (";", ":", ".")
            )
        if len(word) > 8 or " " in word:
            break
    return False


def _starts_paragraph(line: Line, prev: Line | None, same_page: bool) -> bool:
    if prev is None:
        return True
    if line.x0 > prev.x0 + INDENT:
        return True
    if _tabbed_enumerator(line, prev):
        return True
    return same_page and prev.y - line.y > PARA_GAP * max(prev.size, line.size)


def _paragraphs(body: list[tuple[int, Line]]) -> list[_Para]:
    paras: list[_Para] = []
    prev: Line | None = None
    prev_page = 0
    for num, line in body:
        if _starts_paragraph(line, prev, num == prev_page):
            paras.append(_Para())
        para = paras[-1]
        if para.parts:
            tail = "".join(t for t, _ in para.parts[-3:]).rstrip()
            if not _hyphen_join(tail):
                para.parts.append((" ", False))
        pprev: Run | None = None
        for run, marker in zip(line.runs, line.markers, strict=True):
            if marker:
                if run.text.strip().isdigit():
                    para.refs.append(int(run.text.strip()))
                    para.ref_at.append(sum(len(t) for t, _ in para.parts))
                else:
                    para.stars.append(run.text.strip())
                pprev = run
                continue
            text = run.text
            if pprev is not None and _apart(pprev, run):
                text = " " + text
            para.parts.append((text, run.italic))
            pprev = run
        prev, prev_page = line, num
    return paras


def _hyphen_join(text: str) -> bool:
    """A line ending in a hyphen after a letter joins the next line without a space.

    UN documents are not hyphenated automatically, so such a hyphen is part of a
    compound ("non-" / "discrimination") and is kept.
    """
    return len(text) > 1 and text.endswith("-") and text[-2].isalpha()


_ENUM_HEAD = re.compile(r"^\s*(?:\d{1,3}\.?|\((?:[a-z]{1,3}|[ivxlc]{1,7})\))\s+")


def _block(para: _Para) -> tuple[RawBlock, list[str]]:
    """One paragraph: its text, footnote numbers and italic lead (after any enumerator).

    ``italic_lead`` is None when the paragraph opens in roman type: some documents
    set no lead words in italics (plenary drafts), and the structure builder then
    finds them from the wording, as for plain text. Also returns the "*" note
    markers taken out of the text.
    """
    flat = "".join(t for t, _ in para.parts)
    mask = "".join(("i" if it else "r") * len(t) for t, it in para.parts)
    m = _ENUM_HEAD.match(flat)
    i = m.end() if m else 0
    j = i
    while j < len(flat) and (mask[j] == "i" or flat[j].isspace()):
        j += 1
    lead = _SPACES.sub(" ", flat[i:j]).strip().rstrip(",;:").strip()
    # UN style never ends a lead on "of" ("Takes note of the report"); the one
    # italic "of" among the 67 PDFs (A/RES/78/220, OP5) is a typesetting slip.
    lead = _TRAILING_OF.sub("", lead)
    text, at = squeeze(flat, para.ref_at)
    # Looked for only where there is a "*": the pattern opens with a look-behind,
    # which the regex engine tries at every character.
    found = list(_STAR_REF.finditer(text)) if "*" in text else []
    stars = [*para.stars, *(m.group() for m in found)]
    text, at = cut_spans(text, [m.span() for m in found], at)
    block = RawBlock(
        text=text, italic_lead=lead or None, footnote_refs=tuple(para.refs), footnote_at=tuple(at)
    )
    return block, stars


# --- footnotes ---------------------------------------------------------------------


def _footnotes(
    notes: list[tuple[int, Line]], left: dict[int, float]
) -> tuple[list[Footnote], list[tuple[int, str]]]:
    """Numbered footnotes, and the asterisk notes ("* Reissued for technical reasons...").

    A footnote starts at a line opening with its number: a small raised digit, or a
    digit hanging left of the text edge (older documents print it full size).
    Lines without a number continue the footnote before them, across pages.
    """
    found: list[tuple[int, list[str]]] = []
    stars: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for num, line in notes:
        runs = line.runs
        head = runs[0].text.strip() if runs else ""
        edge = left.get(num, runs[0].x0 if runs else 0.0)
        if runs and _DIGITS.match(head) and (line.markers[0] or runs[0].x0 < edge - 2.0):
            found.append((int(head), []))
            current = found[-1][1]
            runs = runs[1:]
        elif head.startswith("*"):
            stars.append((num, []))
            current = stars[-1][1]
        if current is None:
            # Small print below the rule that belongs to no numbered note (a
            # source line under a table): kept with the asterisk notes.
            stars.append((num, []))
            current = stars[-1][1]
        text = ""
        prev: Run | None = None
        for run in runs:
            text = _glue(text, run, prev) if prev is not None else run.text
            prev = run
        text = text.strip()
        if current and _hyphen_join(current[-1]):
            current[-1] += text
        else:
            current.append(text)
    notes_out = [
        Footnote(number=n, text=_SPACES.sub(" ", " ".join(parts)).strip()) for n, parts in found
    ]
    star_out = [(num, _SPACES.sub(" ", " ".join(parts)).strip()) for num, parts in stars]
    return notes_out, star_out


def _header_lines(lines: list[Line]) -> list[str]:
    """Header lines as printed, with "" between groups (a taller gap or a column line)."""
    out: list[str] = []
    prev: Line | None = None
    for line in lines:
        segs = line.segments()
        gap = prev is not None and prev.y - line.y > PARA_GAP * max(prev.size, line.size)
        if out and out[-1] and (gap or len(segs) > 1):
            out.append("")
        out.extend(segs)
        if len(segs) > 1:
            out.append("")
        prev = line
    return out


def layout_document(pages: list[PageText], source: Source | None = None) -> RawDocument:
    """Turn the runs of every page into a ``RawDocument`` (header, blocks, footnotes)."""
    zones = _split_zones(pages)
    made = [_block(p) for p in _paragraphs(zones.body)]
    blocks = [b for b, _ in made]
    footnotes, stars = _footnotes(zones.notes, _left_edge(zones.body))
    # Asterisk notes ("* Reissued for technical reasons", "* On behalf of ...") go
    # with the furniture, where the metadata reader looks for them; so do the "*"
    # that referred to them from the text.
    furniture = [*zones.furniture, *(text for _, text in stars)]
    furniture += [star for _, refs in made for star in refs]
    return RawDocument(
        blocks=tuple(b for b in blocks if b.text),
        footnotes=tuple(footnotes),
        furniture=tuple(furniture),
        source=source,
        header=tuple(_header_lines(zones.header)),
    )
