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
  open with a lead word.
* **Hyphens.** A line ending in "-" is joined without a space, keeping the
  hyphen (UN texts wrap at real hyphens: "well-\\nbeing"), unless the unhyphenated
  word occurs elsewhere in the document and the hyphenated one does not.
* **Markers.** Footnote markers are digits glued to a word or punctuation
  (``Refugees16``, ``2021,1``), glued to a year (``201724``), or standing after a
  space where no number would be written. Footnotes are cited in increasing
  order, so each footnote number is looked for after the previous marker and
  before the next footnote's unambiguous marker; a number that cannot be placed
  that way is left in the text and its footnote stays uncited.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from resdiff.errors import NoTextError
from resdiff.ingest.raw import RawBlock, RawDocument
from resdiff.ingest.structure import build_document, continues, is_ga_line
from resdiff.model import Document, Footnote, Source

__all__ = ["find_marker", "join_lines", "parse_text", "strip_markers", "text_to_raw"]

_SYMBOL_RE = re.compile(r"^A/(?:RES/|C\.\d/|ES-\d+/|S-\d+/|)[\w.\-/]+\*{0,3}$")
_JOB_RE = re.compile(r"^\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?(?:\s+\d{6})?$")
_BARCODE_RE = re.compile(r"^\*\d{6,}\*$")
_PAGENO_RE = re.compile(r"^(\d{1,3})/(\d{1,3})$")
_RULE_RE = re.compile(r"^_{5,}$")
_FN_START_RE = re.compile(r"^(\d{1,3})(\s+)(\S.*)$")
_STAR_FN_RE = re.compile(r"^(\*{1,4})\s+(\S.*)$")
_TRAILING_MARKER = re.compile(r"(?<=[.,;:])\s?\d{1,3}$")
_ENUM_LINE_RE = re.compile(r"^(?:\d{1,3}\.|\((?:[a-z]{1,2}|[ivxlc]{1,6})\))(?:\s+[^a-z\s]|\s*$)")
_ENUM_ONLY_RE = re.compile(r"^(?:\d{1,3}\.|\((?:[a-z]{1,2}|[ivxlc]{1,6})\))$")


@dataclass
class _Para:
    lines: list[str]
    page_break: bool = False  # a page boundary lies between this piece and the previous one


@dataclass
class _State:
    furniture: list[str] = field(default_factory=list)
    footnotes: list[list[str]] = field(default_factory=list)  # [number, text-lines...]
    numbers: list[int] = field(default_factory=list)


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
    pieces: list[_Para] = []
    cur: list[str] = []
    brk = False
    pending_break = False
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
        if cur and _ENUM_LINE_RE.match(s) and _TRAILING_MARKER.sub("", cur[-1])[-1:] in ".;:,":
            # a numbered paragraph starting on the next line without a blank line
            pieces.append(_Para(cur, brk))
            cur, brk = [], False
        if not cur:
            brk = pending_break
            pending_break = False
        cur.append(s)
    if cur:
        pieces.append(_Para(cur, brk))

    words = _Words(text)
    paras: list[str] = []
    prev: str | None = None
    for p in pieces:
        joined = join_lines(p.lines, words)
        if prev is not None and (
            _ENUM_ONLY_RE.match(prev)
            or continues(_TRAILING_MARKER.sub("", prev), joined, page_break=p.page_break)
        ):
            prev = join_lines([prev, joined], words)
            continue
        if prev is not None:
            paras.append(prev)
        prev = joined
    if prev is not None:
        paras.append(prev)

    notes = [(int(f[0]), join_lines(f[1:], words)) for f in st.footnotes if f[0].isdigit()]
    star_notes = [f"{f[0]} {join_lines(f[1:], words)}" for f in st.footnotes if not f[0].isdigit()]
    numbers = [n for n, _ in notes]
    clean, refs = strip_markers(paras, numbers)
    if star_notes:
        clean = [re.sub(r"(?<=\S)\*{1,4}(?=[\s,;.:]|$)", "", c) for c in clean]
    blocks = tuple(
        RawBlock(text=c, footnote_refs=tuple(r)) for c, r in zip(clean, refs, strict=True) if c
    )
    furniture = tuple(st.furniture) + tuple(star_notes)
    return RawDocument(
        blocks=blocks,
        footnotes=tuple(Footnote(n, t) for n, t in notes),
        furniture=furniture,
        source=source,
        header=header,
    )


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
    return 0


class _Words:
    """The document's lower-cased word set, built on first use (only hyphen repair needs it)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._set: set[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._set is None:
            self._set = set(re.findall(r"[\w\-]+", self._text.lower()))
        return word in self._set


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


# --- footnote markers ---------------------------------------------------------------

# Words after which a bare number is text, not a marker ("resolution 8", "of 16").
_NUMERIC_CONTEXT = {
    "resolution", "resolutions", "paragraph", "paragraphs", "para.", "paras.", "article",
    "articles", "rule", "rules", "annex", "no.", "nos.", "vol.", "chapter", "chap.", "sect.",
    "section", "principle", "principles", "goal", "goals", "target", "targets", "item",
    "items", "decision", "decisions", "of", "and", "to", "from", "than", "over", "under",
    "about", "some", "least", "by", "at", "in", "on", "for", "with", "the", "or", "between",
    "protocol", "recommendation", "recommendations", "comment", "page", "pp.", "p.",
    "table", "figure", "phase", "level", "step", "part", "point", "category", "since",
    "until", "per", "approximately", "nearly", "almost", "around", "within", "up", "every",
    "each", "only", "first", "last", "next", "those", "these", "its", "their", "session",
    "meeting", "a", "an", "amendment", "appendix", "sub-item", "subparagraph", "cycle",
    "number", "numbers", "group", "sessions", "once", "all", "below",
    "above", "exceeding", "additional", "another", "other", "convention", "decade", "sdg",
    "covid-19", "year", "years", "days", "day", "edition", "version", "no", "footnote",
}  # fmt: skip
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "per", "percent", "%", "years", "days", "months",
    "weeks", "hours", "million", "billion", "thousand", "of", "to", "per cent",
    "states", "countries", "members", "member", "–", "-", "/", "times",
}  # fmt: skip
_ABBREV_BEFORE = re.compile(
    r"(?:\b(?:Add|Rev|Corr|Amend|para|paras|No|Nos|vol|chap|sect|art|arts|Suppl|Ser|p|pp|L|S|"
    r"Sales|E|F|annex)\.\s?|[A-Z]{1,5}|[\d]\.|[/\-–])$"
)


@dataclass(frozen=True, slots=True)
class _Hit:
    para: int
    start: int
    end: int
    strong: bool


@functools.lru_cache(maxsize=4096)
def _candidates(text: str, n: int) -> list[tuple[int, int, bool]]:
    """(start, end, strong) spans where footnote marker ``n`` could stand in ``text``."""
    s = str(n)
    out: list[tuple[int, int, bool]] = []
    start = 0
    while True:
        k = text.find(s, start)
        if k < 0:
            break
        start = k + 1
        e = k + len(s)
        if e < len(text) and text[e].isdigit():
            continue
        after = text[e : e + 1]
        if after and after not in " ,;.:)”’\"'":
            continue
        if after == "." and text[e + 1 : e + 2].isdigit():
            continue
        before = text[k - 1] if k > 0 else ""
        if before.isdigit():
            # glued to a year: "201724" is 2017 + marker 24
            m = re.search(r"(?<!\d)(1[6-9]\d\d|20\d\d)$", text[:k])
            if m:
                out.append((k, e, True))
            continue
        if before and not before.isspace():
            if _ABBREV_BEFORE.search(text[max(0, k - 8) : k]):
                continue
            out.append((k, e, True))
            continue
        if before == " ":
            prev_word = text[:k].rstrip().rsplit(" ", 1)[-1]
            nxt = text[e:].lstrip(" ").split(" ", 1)[0].lower().strip(",;.:")
            if prev_word.lower() in _NUMERIC_CONTEXT or prev_word[-1:].isdigit():
                continue
            if nxt in _MONTHS or not prev_word or prev_word[-1] in "(/-–$€£":
                continue
            if prev_word[:1].isupper() and prev_word.rstrip(",").isalpha() is False:
                continue
            out.append((k - 1, e, False))  # the space before goes with the marker
    return out


def find_marker(paras: list[str], n: int, para: int, pos: int) -> _Hit | None:
    """The first plausible place of marker ``n`` at or after (para, pos)."""
    for pi in range(para, len(paras)):
        lo = pos if pi == para else 0
        for k, e, strong in _candidates(paras[pi], n):
            if k >= lo:
                return _Hit(pi, k, e, strong)
    return None


def _first_strong(paras: list[str], n: int, para: int, pos: int) -> _Hit | None:
    for pi in range(para, len(paras)):
        lo = pos if pi == para else 0
        for k, e, strong in _candidates(paras[pi], n):
            if k >= lo and strong:
                return _Hit(pi, k, e, strong)
    return None


def strip_markers(paras: list[str], numbers: list[int]) -> tuple[list[str], list[list[int]]]:
    """Remove footnote markers for ``numbers`` (in citation order) from ``paras``."""
    out = list(paras)
    refs: list[list[int]] = [[] for _ in paras]
    pi, pos = 0, 0
    todo = sorted(set(numbers))
    for idx, n in enumerate(todo):
        hit = find_marker(out, n, pi, pos)
        if hit is None:
            continue
        if idx + 1 < len(todo):
            nxt = _first_strong(out, todo[idx + 1], pi, pos)
            if nxt is not None and (nxt.para, nxt.start) < (hit.para, hit.start):
                continue  # n's marker is not where it should be; leave n uncited
        t = out[hit.para]
        out[hit.para] = t[: hit.start] + t[hit.end :]
        refs[hit.para].append(n)
        pi, pos = hit.para, hit.start
    return out, refs
