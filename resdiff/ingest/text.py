"""Plain-text parser: text extracted from UN PDFs (page furniture, footnotes, page joins).

Rules (``text_to_raw``), in order:

* **Furniture.** A line is furniture when it is the document symbol, a job number
  (``21-19213``, ``21-19213 (E)    130122``), a barcode (``*2119213*``) or an
  ``n/N`` page number (N the document's page count). A blank-delimited group of
  at most six lines that holds such a line is a page header/footer: its other
  lines are the running short title, learned there and also removed where it
  stands alone. Everything removed is kept in ``RawDocument.furniture``.
* **Footnotes.** A ``_____`` rule opens the footnote zone of a page; it ends at
  the next page's furniture. Entries start with their number (the next in
  sequence, or any number followed by two spaces); other lines continue the
  previous entry, also across pages. ``*``-footnotes (sponsor notes, "Reissued
  for technical reasons") are header notes: kept as furniture, never units.
* **Header.** Lines before "The General Assembly" are the header (metadata).
  Documents without that line (amendments) end their header at the title that
  follows the sponsor line.
* **Paragraphs.** Blank lines separate paragraphs; a paragraph continues across
  a blank line or a page break when the evidence says so (``_continues``): the
  next piece starts lowercase or with a digit that is not an enumerator, or the
  previous piece has no closing punctuation and is not a heading; across a page
  break, also when the previous piece ends with a comma and the next does not
  open with a lead word. A short piece with no closing punctuation followed, after a
  blank line (not a page), by a recital ("Recalling ...") is a heading, kept apart. Without a blank line, a line opening with an enumerator
  after closing punctuation starts a paragraph, and so does a line opening with the
  document's next paragraph number whatever the line before it ends with (unless
  that line ends with a word a number follows, "in paragraph", or the number
  continues a numbered list inside the paragraph), and so does the closing "45th
  plenary meeting" line after closing punctuation.
* **Hyphens.** A line ending in "-" is joined without a space, keeping the
  hyphen (UN texts wrap at real hyphens: "well-\\nbeing"), unless the unhyphenated
  word occurs elsewhere in the document and the hyphenated one does not.
* **Markers.** Bare footnote digits are removed by ``markers.strip_markers``
  (rules in that module), knowing the footnote numbers read from the page bottoms
  and which bare numbers the extraction printed with two spaces after them, as it
  prints raised markers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from resdiff.errors import NoTextError
from resdiff.ingest.lexicon import lead_words
from resdiff.ingest.markers import strip_markers
from resdiff.ingest.raw import RawBlock, RawDocument, cut_spans
from resdiff.ingest.structure import ENUM_START, build_document, continues, is_ga_line
from resdiff.model import Document, Footnote, Source

__all__ = ["join_lines", "parse_text", "strip_markers", "text_to_raw"]

_SYMBOL_RE = re.compile(r"^A/(?:RES/|C\.\d/|ES-\d+/|S-\d+/|)[\w.\-/]+\*{0,3}$")
_JOB_RE = re.compile(r"^\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?(?:\s+\d{6})?$")
_BARCODE_RE = re.compile(r"^\*\d{6,}\*$")
_PAGENO_RE = re.compile(r"^(\d{1,3})/(\d{1,3})$")
_RULE_RE = re.compile(r"^_{5,}$")
_FN_START_RE = re.compile(r"^(\d{1,3})(\s+)(\S.*)$")
_STAR_FN_RE = re.compile(r"^(\*{1,4})\s+(\S.*)$")
_TRAILING_MARKER = re.compile(r"(?<=[.,;:])\s?\d{1,3}$")
_ENUM_LINE_RE = re.compile(
    r"^(?:\d{1,3}\.(?:\s+[^a-z\s]|\s*$)|\((?:[a-z]{1,2}|[ivxlc]{1,6})\)(?:\s+[A-Z“‘\"]|\s*$))"
)
# A raised footnote marker comes out of the PDF as a bare number and two spaces.
_SPACED_MARKER = re.compile(r"(?:^|(?<=\s))(\d{1,3})  +(\S+)")
# "*" note markers: sponsor notes and "Reissued for technical reasons" are not units' notes.
_STAR_REF = re.compile(r"(?<=\S)\*{1,4}(?=[\s,;.:]|$)")
_NUMBERED_LINE = re.compile(r"^(\d{1,3})\.(?:\s|$)")
# A line ending in a word that a number follows ("see paragraph" / "2. of ..."): the
# number on the next line is a reference, not a paragraph's.
_TAKES_NUMBER = re.compile(
    r"\b(?:paragraphs?|paras?\.|resolutions?|decisions?|items?|articles?|rules?|annex|"
    r"chapters?|sections?|No\.|and|or|to|of|in|see)$",
    re.IGNORECASE,
)
_MEETING_LINE_RE = re.compile(r"^\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting$")
_ENUM_ONLY_RE = re.compile(r"^(?:\d{1,3}\.|\((?:[a-z]{1,2}|[ivxlc]{1,6})\))$")


@dataclass
class _Para:
    lines: list[str]
    page_break: bool = False  # a page boundary lies between this piece and the previous one


@dataclass
class _State:
    furniture: list[str] = field(default_factory=list)
    footnotes: list[list[str]] = field(default_factory=list)  # [number, text-lines...]


def _find_symbol(lines: list[str]) -> str | None:
    for s in lines[:12]:
        if _SYMBOL_RE.match(s) and "/" in s[2:]:
            return s
    return None


def _page_count(lines: list[str]) -> int | None:
    dens = Counter(int(m.group(2)) for s in lines if (m := _PAGENO_RE.match(s)))
    if not dens:
        return None
    return dens.most_common(1)[0][0]


def _is_furniture(s: str, symbol: str | None, pages: int | None) -> bool:
    if not s or len(s) > 40 or not (s[0].isdigit() or s[0] in "A*"):
        return False
    if symbol and (s == symbol or s.rstrip("*") == symbol.rstrip("*")):
        return True
    if _JOB_RE.match(s) or _BARCODE_RE.match(s):
        return True
    m = _PAGENO_RE.match(s)
    return bool(m and pages is not None and int(m.group(2)) == pages and int(m.group(1)) <= pages)


def _groups(lines: list[str]) -> list[tuple[int, int]]:
    """Spans [start, end) of blank-delimited runs of lines."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i]:
            i += 1
            continue
        j = i
        while j < n and lines[j]:
            j += 1
        out.append((i, j))
        i = j
    return out


_GA_SENTENCE = re.compile(r"^The General Assembly\s*,\s+[a-z]")


def _ga_index(lines: list[str]) -> int | None:
    for i, s in enumerate(lines):
        if is_ga_line(s) or _GA_SENTENCE.match(s):
            return i
    return None


def text_to_raw(text: str, source: Source) -> RawDocument:
    """Repair extracted text into paragraphs, footnotes, header lines and furniture."""
    if not text.strip():
        raise NoTextError(
            f"{source.name}: no text found (scanned PDF? OCR needed); give a file with text"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [ln.strip() for ln in text.split("\n")]
    symbol = _find_symbol(lines)
    pages = _page_count(lines)
    st = _State()

    # 1. Page furniture: whole header/footer groups, learning the running title.
    kind = [""] * len(lines)  # "" body, "F" furniture, "N" footnote zone
    groups = _groups(lines)
    ga = _ga_index(lines)
    title_lines: set[str] = set()
    for a, b in groups:
        if ga is not None and b <= ga:
            continue  # the first page's header block is metadata, not furniture
        fl = [i for i in range(a, b) if _is_furniture(lines[i], symbol, pages)]
        if fl and b - a <= 6:
            for i in range(a, b):
                kind[i] = "F"
                if i not in fl:
                    title_lines.add(lines[i])
        else:
            for i in fl:
                kind[i] = "F"
    if title_lines:
        for a, b in groups:
            if (ga is None or a > ga) and all(lines[i] in title_lines for i in range(a, b)):
                for i in range(a, b):
                    kind[i] = "F"

    # 2. Footnote zones: from a rule to the next furniture line.
    in_zone = False
    for i, s in enumerate(lines):
        if kind[i] == "F":
            in_zone = False
            continue
        if _RULE_RE.match(s):
            in_zone = True
            kind[i] = "F"
            continue
        if in_zone:
            kind[i] = "N"
    # Star notes without a rule ("* Any changes to the list of sponsors ...").
    for a, b in groups:
        if kind[a] == "" and _STAR_FN_RE.match(lines[a]) and (ga is None or a > ga):
            for i in range(a, b):
                kind[i] = "N"

    _read_footnotes(lines, kind, st)

    # 3. Header / body split.
    body_start = ga if ga is not None else _header_end(lines, kind)
    # The first page's header keeps its symbol and job lines: metadata reads them.
    header = tuple(lines[i] for i in range(body_start) if kind[i] != "N")
    for i in range(body_start, len(lines)):
        if kind[i] == "F" and lines[i]:
            st.furniture.append(lines[i])

    # 4. Paragraph pieces with page-break flags, then evidence-based joins.
    width = _line_width(lines, kind, body_start)
    pieces: list[_Para] = []
    cur: list[str] = []
    brk = False
    pending_break = False
    last_number = 0  # of the last numbered paragraph begun
    inner_number = -1  # of the last numbered line inside the paragraph being read
    for i in range(body_start, len(lines)):
        s = lines[i]
        if kind[i] != "":
            if kind[i] and (cur or pieces):
                pending_break = True
            if cur:
                pieces.append(_Para(cur, brk))
                cur, brk = [], False
            continue
        if not s:
            if cur:
                pieces.append(_Para(cur, brk))
                cur, brk = [], False
            continue
        numbered = _NUMBERED_LINE.match(s)
        # The next number of the document's own numbering opens a paragraph whatever the
        # previous line ends with or this one starts with ("2. calls upon"): without that,
        # one paragraph lacking its full stop folds every later one into itself.
        number = int(numbered.group(1)) if numbered is not None else None
        # (unless it continues a numbered list inside the paragraph, a table's rows)
        expected = number == last_number + 1 and number != inner_number + 1
        if cur and (
            _starts_paragraph(s, _unmarked(cur[-1]), width)
            or (expected and not _TAKES_NUMBER.search(cur[-1]))
        ):
            # a numbered paragraph starting on the next line without a blank line
            pieces.append(_Para(cur, brk))
            cur, brk = [], False
        if not cur:
            brk = pending_break
            pending_break = False
            inner_number = -1
            if number is not None:
                last_number = number
        elif number is not None:
            inner_number = number
        cur.append(s)
    if cur:
        pieces.append(_Para(cur, brk))

    words = _Words(text)
    paras: list[str] = []
    cur_lines: list[str] = []  # lines of the paragraph being built (joined once, at the end)
    for k, p in enumerate(pieces):
        if cur_lines:
            # only the tail matters to the evidence rule; a long paragraph is never a heading
            tail = _unmarked(join_lines(cur_lines[-4:], words))
            enum_only = len(cur_lines) == 1 and _ENUM_ONLY_RE.match(cur_lines[0])
            nxt = join_lines(p.lines[:4], words)
            long_prev = len(cur_lines) > 4
            then_number = k + 1 < len(pieces) and bool(ENUM_START.match(pieces[k + 1].lines[0]))
            if enum_only or continues(
                tail, nxt, page_break=p.page_break, long_prev=long_prev, then_number=then_number
            ):
                cur_lines.extend(p.lines)
                continue
            paras.append(join_lines(cur_lines, words))
        cur_lines = list(p.lines)
    if cur_lines:
        paras.append(join_lines(cur_lines, words))

    notes = [(int(f[0]), join_lines(f[1:], words)) for f in st.footnotes if f[0].isdigit()]
    star_notes = [f"{f[0]} {join_lines(f[1:], words)}" for f in st.footnotes if not f[0].isdigit()]
    numbers = [n for n, _ in notes]
    body = (lines[i] for i in range(body_start, len(lines)) if kind[i] == "")
    # (a line without two spaces in a row holds no such marker: most are spared the scan)
    spaced = frozenset((int(n), w) for s in body if "  " in s for n, w in _SPACED_MARKER.findall(s))
    stripped = strip_markers(paras, numbers, spaced)
    blocks: list[RawBlock] = []
    for para, r, para_at in zip(stripped.texts, stripped.refs, stripped.at, strict=True):
        stars = [m.span() for m in _STAR_REF.finditer(para)] if star_notes else []
        c, at = cut_spans(para, stars, para_at)
        if c:
            blocks.append(RawBlock(text=c, footnote_refs=tuple(r), footnote_at=tuple(at)))
    furniture = tuple(st.furniture) + tuple(star_notes)
    return RawDocument(
        blocks=tuple(blocks),
        footnotes=tuple(Footnote(n, t) for n, t in notes),
        furniture=furniture,
        source=source,
        header=header,
    )


def _unmarked(line: str) -> str:
    """``line`` without a footnote number after its closing punctuation. Only a line that
    ends in a digit (or a line break) can hold one: the others skip the scan, which
    every line of a document goes through."""
    if line[-1:].isdigit() or line.endswith("\n"):
        return _TRAILING_MARKER.sub("", line)
    return line


def parse_text(text: str, source: Source) -> Document:
    """Parse text extracted from a UN PDF (or typed plainly) into a Document."""
    return build_document(text_to_raw(text, source))


def _read_footnotes(lines: list[str], kind: list[str], st: _State) -> None:
    cur: list[str] | None = None
    last = 0
    for i in [i for i, k in enumerate(kind) if k == "N" and lines[i]]:
        s = lines[i]
        m = _FN_START_RE.match(s)
        if m:
            n = int(m.group(1))
            if n == last + 1 or (n > last and len(m.group(2)) >= 2):
                cur = [str(n), m.group(3)]
                st.footnotes.append(cur)
                last = n
                continue
        sm = _STAR_FN_RE.match(s)
        if sm:
            cur = [sm.group(1), sm.group(2)]
            st.footnotes.append(cur)
            continue
        if cur is None:
            cur = ["*", s]  # stray text in a footnote zone: keep it, as a note
            st.footnotes.append(cur)
        else:
            cur.append(s)


_HEADER_END_RE = re.compile(
    r":\*{0,3}\s*(?:(?:revised\s+)?draft\s+(?:resolution|decision)|amendments?\b|"
    r"revised\s+estimates|draft\s+\w+)",
    re.IGNORECASE,
)


def _header_end(lines: list[str], kind: list[str]) -> int:
    """Where the body starts in a document without "The General Assembly" (amendments)."""
    groups = [(a, b) for a, b in _groups(lines) if kind[a] == ""]
    for gi, (_a, b) in enumerate(groups):
        joined = " ".join(lines[_a:b])
        if _HEADER_END_RE.search(joined):
            # The title follows the sponsor line, unless the next group is already an
            # instruction or a numbered paragraph.
            if gi + 1 < len(groups):
                na, nb = groups[gi + 1]
                nxt = " ".join(lines[na:nb])
                if not re.match(
                    r"^(?:\d+\.|\([a-z]\)|After|Before|Replace|Insert|Delete|In\s)", nxt
                ):
                    return nb
            return b
    # No sponsor line: the header ends after the agenda item's title group.
    for gi, (a, b) in enumerate(groups):
        if lines[a].startswith("Agenda item"):
            return b if gi + 1 >= len(groups) else groups[gi + 1][0]
    # Neither (a note by the Secretariat): the header is the groups before the first
    # numbered, lead-word or long paragraph.
    for a, b in groups[:15]:
        joined = " ".join(lines[a:b])
        if re.match(r"^(?:\d{1,3}\.|\([a-z]\))(?:\s|$)", joined) or len(joined) > 300:
            return a
        if lead_words(joined, False) or lead_words(joined, True):
            return a
    return 0


def _line_width(lines: list[str], kind: list[str], start: int) -> int:
    """The body's full line length (90th percentile), to tell a paragraph's short last line."""
    lengths = sorted(len(lines[i]) for i in range(start, len(lines)) if kind[i] == "" and lines[i])
    return lengths[int(len(lengths) * 0.9)] if lengths else 80


def _starts_paragraph(line: str, prev: str, width: int) -> bool:
    """A new paragraph begun on the next line without a blank line between them:
    an enumerator after closing punctuation, or a lead word after a short closing line."""
    end = prev[-1:]
    if _ENUM_LINE_RE.match(line):
        return end in ".;:,"
    if _MEETING_LINE_RE.match(line):
        return end in ".;"  # the closing "45th plenary meeting" line
    if end not in ",.;" or len(prev) >= 0.8 * width or not line[:1].isupper():
        return False
    return bool(lead_words(line, False) or lead_words(line, True))


class _Words:
    """Membership of a word in the document text (lower-cased): a few look-ups search the
    text, many build the word set once (most documents need none)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lower: str | None = None
        self._set: set[str] | None = None
        self._asked: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        w = str(word)
        if self._set is not None:
            return w in self._set
        if w in self._asked:
            return self._asked[w]
        if self._lower is None:
            self._lower = self._text.lower()
        if len(self._asked) >= 8:
            self._set = set(_WORD_HEAD.findall(self._lower))
            return w in self._set
        found = _whole_word_in(w, self._lower)
        self._asked[w] = found
        return found


_WORD_CHAR = re.compile(r"[\w\-]")


def _whole_word_in(word: str, text: str) -> bool:
    """Whether ``word`` stands in ``text`` with no word character or hyphen either side.

    Each occurrence is found by ``str.find`` and its two neighbours checked: a pattern
    with the look-behind first made the regex engine try every position of a long
    document, a tenth of a text parse."""
    end = len(word)
    at = text.find(word)
    while at >= 0:
        if not (at and _WORD_CHAR.match(text, at - 1)) and not _WORD_CHAR.match(text, at + end):
            return True
        at = text.find(word, at + 1)
    return False


def join_lines(lines: list[str], words: _Words | set[str] | None = None) -> str:
    """Join hard-wrapped lines; keep a line-final hyphen unless evidence says it is a break."""
    parts: list[str] = []
    for ln in lines:
        if not ln:
            continue
        if not parts:
            parts.append(ln)
            continue
        last = parts[-1]
        if last.endswith("\u00ad"):  # soft hyphen: always a break inside a word
            parts[-1] = last[:-1]
        elif last.endswith(("-", "\u2011", "\u2010")) and len(last) > 1 and last[-2].isalpha():
            if last.endswith("-") and words is not None and ln[:1].islower():
                m = _HYPH_TAIL.search(last[-80:])
                n = _WORD_HEAD.match(ln)
                if m and n:
                    whole = (m.group(1) + n.group(0)).lower()
                    hyph = (m.group(1) + "-" + n.group(0)).lower()
                    if whole in words and hyph not in words:
                        parts[-1] = last[:-1]
        else:
            parts.append(" ")
        parts.append(ln)
    out = "".join(parts)
    return _SPACES.sub(" ", out) if "  " in out else out


_HYPH_TAIL = re.compile(r"([\w\-]+)-$")
_WORD_HEAD = re.compile(r"[\w\-]+")
_SPACES = re.compile(r" {2,}")
