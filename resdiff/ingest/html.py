"""HTML → RawDocument → Document (a saved page of a resolution), plus the paragraph assembly shared with DOCX.

The parser is the stdlib's ``html.parser`` driven by an explicit stack, so nesting
depth costs memory, never recursion. Page chrome (``<script>``, ``<style>``, ``<nav>``,
``<header>``, ``<footer>``, forms, hidden elements) is never text; entities are decoded
once, so escaped markup such as ``&lt;script&gt;`` comes through as literal characters.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from resdiff.errors import NoTextError, ParseError
from resdiff.ingest.raw import RawBlock, RawDocument, squeeze
from resdiff.model import Document, Footnote, Source

__all__ = ["Para", "assemble", "collapse", "parse_html", "raw_html"]

# --- shared with the DOCX parser: inline segments → blocks ---------------------------

_WS = re.compile(r"[ \t\n\r\f\v]+")  # not NBSP: it is kept as printed
_ENUM = re.compile(r"\s*(?:\d{1,3}\.|\(\d{1,3}\)|\([A-Za-z]{1,7}\)|[a-z]\))(?=\s|$)\s*")
_GA = re.compile(r"The General Assembly\s*[,:]?", re.I)


def collapse(text: str) -> str:
    """Runs of ASCII whitespace (spaces, tabs, line breaks) → one space, trimmed."""
    return _WS.sub(" ", text).strip(" ")


@dataclass(slots=True)
class Para:
    """A source paragraph as inline segments ``(text, italic)``; "\\n" in text is a line break.

    ``prefix`` is a list number the format rendered itself (Word or ``<ol>`` numbering),
    ``refs`` the footnote numbers cited, in order, and ``ref_at`` where each marker stood:
    its offset in the text of ``segs`` joined.
    """

    segs: list[tuple[str, bool]]
    refs: list[int] = field(default_factory=list)
    prefix: str = ""
    heading: bool = False
    ref_at: list[int] = field(default_factory=list)
    table: bool = False  # a table cell's paragraph

    def raw_text(self) -> str:
        body = "".join(t for t, _ in self.segs)
        return f"{self.prefix} {body}" if self.prefix else body


def _italic_lead(segs: Sequence[tuple[str, bool]]) -> str:
    """The leading italic words after any printed enumerator, trailing punctuation dropped."""
    text = "".join(t for t, _ in segs)
    m = _ENUM.match(text)
    skip = m.end() if m else len(text) - len(text.lstrip())
    out: list[str] = []
    pos = 0
    for seg, italic in segs:
        start, pos = pos, pos + len(seg)
        if pos <= skip:
            continue
        part = seg[max(0, skip - start) :]
        if italic:
            out.append(part)
            continue
        rest = part.lstrip()
        out.append(part[: len(part) - len(rest)])
        if rest:
            break
    return collapse("".join(out)).rstrip(",;:").strip()


def _block(p: Para) -> RawBlock | None:
    raw = p.raw_text()
    skip = len(raw) - len("".join(t for t, _ in p.segs))  # the prefix and its space
    at = [o + skip for o in p.ref_at] if len(p.ref_at) == len(p.refs) else []
    text, moved = squeeze(raw, at, ascii_only=True)
    if not text.strip():
        return None
    return RawBlock(
        text=text,
        italic_lead=_italic_lead(p.segs),
        footnote_refs=tuple(p.refs),
        heading=p.heading,
        footnote_at=tuple(moved),
        table=p.table,
    )


def assemble(
    paras: Sequence[Para],
    footnotes: Sequence[Footnote],
    *,
    source: Source | None,
    furniture: Sequence[str] = (),
    header_extra: Sequence[str] = (),
) -> RawDocument:
    """Split paragraphs into header lines and body blocks, as the PDF route does.

    The header zone runs to "The General Assembly," inclusive: one header line per
    printed line, and "" between paragraphs (``metadata`` reads them as groups);
    ``header_extra`` (lines from the page-header part) goes first. Without that line, the leading heading paragraphs are the header
    and every paragraph stays a block as well, so no text is lost.
    """
    ga = next((i for i, p in enumerate(paras) if _GA.fullmatch(collapse(p.raw_text()))), None)
    if ga is not None:
        head, body = paras[: ga + 1], paras[ga + 1 :]
    else:
        n = 0
        while n < len(paras) and (paras[n].heading or not collapse(paras[n].raw_text())):
            n += 1
        head, body = paras[:n], paras
    lines: list[str] = []
    for p in head:
        # One group per source paragraph, groups separated by "" as metadata expects.
        group = [c for c in map(collapse, p.raw_text().split("\n")) if c.strip()]
        lines.extend((*group, "") if group else ())
    blocks = [b for b in map(_block, body) if b is not None]
    if ga is None:
        blocks = [
            dataclasses.replace(b, heading=True) if i < n else b for i, b in enumerate(blocks)
        ]
    return RawDocument(
        blocks=tuple(blocks),
        footnotes=tuple(sorted(footnotes, key=lambda f: f.number)),
        furniture=tuple(furniture),
        source=source,
        header=tuple((*header_extra, *lines[:-1])),
    )


# --- HTML ---------------------------------------------------------------------------


def parse_html(text: str, source: Source) -> Document:
    """Parse a saved HTML page of a resolution or draft."""
    from resdiff.ingest.structure import build_document

    return build_document(raw_html(text, source))


def raw_html(text: str, source: Source) -> RawDocument:
    """The format-neutral blocks, footnotes and header lines of an HTML page."""
    reader = _Reader()
    try:
        reader.feed(text)
        # What is left unparsed at the end is an unterminated comment or tag; a browser
        # shows none of it, html.parser would hand it over as text.
        if re.match(r"<[!/?A-Za-z]", reader.rawdata):
            reader.rawdata = ""
        reader.close()
    except (AssertionError, ValueError, IndexError) as exc:  # html.parser's own failures
        raise ParseError(
            f"malformed HTML that cannot be read ({exc}); save the page again"
        ) from exc
    reader.flush()
    src = dataclasses.replace(source, format="html")
    notes: dict[int, Footnote] = {}
    for n, body in reader.notes:
        notes.setdefault(n, Footnote(number=n, text=body))
    raw = assemble(reader.paras, list(notes.values()), source=src, furniture=reader.furniture)
    if not raw.blocks and not raw.header:
        raise NoTextError("no text found in the HTML page (only markup, scripts or hidden content)")
    return raw


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta"}
    | {"param", "source", "track", "wbr"}
)
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "nav",
        "header",
        "footer",
        "button",
        "select",
        "option",
        "textarea",
        "iframe",
        "object",
        "svg",
        "canvas",
        "map",
        "audio",
        "video",
        "dialog",
        "form",
        "aside",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "li",
        "ol",
        "ul",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "blockquote",
        "section",
        "article",
        "main",
        "body",
        "html",
        "pre",
        "address",
        "center",
        "figure",
        "figcaption",
        "hr",
        "aside",
        "header",
        "footer",
        "nav",
        "form",
        "fieldset",
        "legend",
        "details",
        "summary",
    }
)
_ITALIC = frozenset({"em", "i", "cite", "var", "dfn"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN_CLASSES = frozenset(
    {"hidden", "sr-only", "visually-hidden", "d-none", "screen-reader-text"}
)
_NOTE_CONTAINER = re.compile(r"foot-?notes?\b|endnotes?\b|\bftn\d+\b|mso-element:\s*footnote", re.I)
_MARKER_LINK = re.compile(r"#_?(?:ftn|fn|note|footnote)", re.I)
_MARKER_TEXT = re.compile(r"\s*[\[(]?(\d{1,3})[\])]?\s*")
_LEADING_NUMBER = re.compile(r"(\d{1,3})[.)]?\s+")
_BACKLINK = re.compile(r"\s*[↩\ufe0e]+\s*$")


def _letters(n: int, upper: bool) -> str:
    s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
    return s.upper() if upper else s


def _roman(n: int, upper: bool) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                          (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                          (4, "iv"), (1, "i")):  # fmt: skip
        while n >= value:
            out += digits
            n -= value
    return out.upper() if upper else out


def _enumerator(n: int, kind: str) -> str:
    # Rendered as the UN prints them ("1.", "(a)", "(iv)"), not as a browser would
    # ("a."), so that the structure builder reads them like the other routes.
    if kind in ("a", "A"):
        return f"({_letters(n, kind == 'A')})"
    if kind in ("i", "I") and n > 0:
        return f"({_roman(n, kind == 'I')})"
    return f"{n}."


@dataclass(slots=True)
class _Open:
    tag: str
    skip: bool = False
    italic: bool = False
    notes: bool = False  # inside a footnotes section
    marker: bool = False  # a footnote marker (<sup>, note-ref link) starts here
    in_marker: bool = False  # inside one, however deep (Word nests spans in its links)
    list_kind: str | None = None  # "1", "a", "A", "i", "I" for <ol>; "" for <ul>
    counter: int = 0


@dataclass(slots=True)
class _Current:
    segs: list[tuple[str, bool]] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)
    ref_at: list[int] = field(default_factory=list)
    prefix: str = ""
    heading: bool = False
    note: int | None = None  # a footnote definition with this number
    in_notes: bool = False

    def has_text(self) -> bool:
        return any(t.strip() for t, _ in self.segs)


def _int(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return default


class _Reader(HTMLParser):
    """Collects paragraphs and footnotes; state lives on an explicit stack (no recursion)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Open] = [_Open("#root")]
        self.positions: dict[str, list[int]] = {}
        self.cur = _Current()
        self.paras: list[Para] = []
        self.notes: list[tuple[int, str]] = []
        self.furniture: list[str] = []
        self.marker_text: list[str] = []
        self.pending_prefix = ""
        self.title: list[str] | None = None

    # -- stack ------------------------------------------------------------------------

    def _push(self, entry: _Open) -> None:
        self.positions.setdefault(entry.tag, []).append(len(self.stack))
        self.stack.append(entry)

    def _pop(self) -> None:
        entry = self.stack.pop()
        self.positions[entry.tag].pop()
        if entry.tag in _BLOCK:
            self.flush()
        if entry.marker:
            self._end_marker()
        if entry.tag == "title" and self.title is not None:
            if collapse("".join(self.title)):
                self.furniture.append(collapse("".join(self.title)))
            self.title = None

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > max(index, 1):
            self._pop()

    def _last(self, *tags: str) -> int:
        return max((self.positions[t][-1] for t in tags if self.positions.get(t)), default=-1)

    # -- parser callbacks -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        top = self.stack[-1]
        a = {k: v or "" for k, v in attrs}
        if tag in ("br", "hr"):
            if not top.skip:
                self.cur.segs.append(("\n", top.italic))
            if tag == "hr":
                self.flush()
            return
        if tag in _VOID:
            return
        self._close_implied(tag)
        top = self.stack[-1]
        style = re.sub(r"\s+", "", a.get("style", "")).lower()
        classes = set(a.get("class", "").lower().split())
        ident = f"{a.get('id', '')} {a.get('class', '')} {a.get('style', '')}"
        entry = _Open(
            tag, skip=top.skip, italic=top.italic, notes=top.notes, in_marker=top.in_marker
        )
        if tag in _ITALIC or "font-style:italic" in style:
            entry.italic = True
        elif "font-style:normal" in style:
            entry.italic = False
        container = tag in ("div", "section", "aside", "ol", "ul", "dl", "footer", "table") and (
            _NOTE_CONTAINER.search(ident)
            or a.get("role") in ("doc-endnotes", "doc-footnotes", "doc-footnote", "doc-endnote")
        )
        if container:
            entry.notes = True
        elif (
            tag in _SKIP
            or "hidden" in a
            or a.get("aria-hidden") == "true"
            or "display:none" in style
            or "visibility:hidden" in style
            or classes & _HIDDEN_CLASSES
            or a.get("role") in ("navigation", "banner", "contentinfo", "search")
        ):
            entry.skip = True
        if tag == "title" and self.title is None and not self.furniture:
            self.title = []
        if tag == "a" and (a.get("role") == "doc-backlink" or any("back" in c for c in classes)):
            entry.skip = True  # a footnote's "↩" link back to its marker
        is_ref = tag == "sup" or (
            tag == "a"
            and (
                a.get("role") == "doc-noteref"
                or any("ref" in c and "note" in c for c in classes)
                or _MARKER_LINK.match(a.get("href", ""))
            )
        )
        if is_ref and not top.in_marker:
            entry.marker = entry.in_marker = True
            self.marker_text = []
        if tag in ("ol", "ul"):
            entry.list_kind = (a.get("type") or "1") if tag == "ol" else ""
            entry.counter = _int(a.get("start"), 1) - 1
        if tag in _BLOCK:
            self.flush()
        if tag == "li":
            lst = self._last("ol", "ul")
            if lst > 0 and self.stack[lst].list_kind:
                owner = self.stack[lst]
                owner.counter = _int(a.get("value"), owner.counter + 1)
                self.cur.prefix = _enumerator(owner.counter, owner.list_kind or "1")
        if tag in _HEADINGS:
            self.cur.heading = True
        self._push(entry)
        self.cur.in_notes = self.cur.in_notes or entry.notes

    def handle_endtag(self, tag: str) -> None:
        where = self.positions.get(tag)
        if where:
            self._pop_to(where[-1])

    def handle_data(self, data: str) -> None:
        top = self.stack[-1]
        if self.title is not None:
            self.title.append(data)
        if top.skip:
            return
        if top.in_marker:
            self.marker_text.append(data)
            return
        self.cur.segs.append((data, top.italic))

    # -- paragraphs and markers -------------------------------------------------------

    def _close_implied(self, tag: str) -> None:
        # The few implied end tags that matter for text: a new paragraph, list item,
        # definition or cell ends the open one (HTML's optional end tags).
        if tag in _BLOCK and self.stack[-1].tag == "p":
            self._pop_to(len(self.stack) - 1)
        pairs = {"li": ("ol", "ul"), "dt": ("dl",), "dd": ("dl",), "tr": ("table",)}
        if tag in pairs or tag in ("td", "th"):
            owners = pairs.get(tag, ("tr",))
            same = self._last(*(("dt", "dd") if tag in ("dt", "dd") else (tag,)))
            if tag in ("td", "th"):
                same = self._last("td", "th")
            if same > self._last(*owners):
                self._pop_to(same)

    def _end_marker(self) -> None:
        text = "".join(self.marker_text)
        self.marker_text = []
        m = _MARKER_TEXT.fullmatch(text)
        if m is None:
            # Not a note number (an ordinal "st", an exponent): ordinary text.
            if text:
                self.cur.segs.append((text, self.stack[-1].italic))
            return
        n = int(m.group(1))
        if not self.cur.has_text() and not self.cur.prefix and self.cur.note is None:
            self.cur.note = n  # a paragraph opening with a marker defines that note
        elif self.cur.note is None:
            self.cur.refs.append(n)
            self.cur.ref_at.append(sum(len(t) for t, _ in self.cur.segs))

    def flush(self) -> None:
        cur = self.cur
        in_notes = cur.in_notes or self.stack[-1].notes
        self.cur = _Current(in_notes=self.stack[-1].notes)
        if not cur.has_text():
            # A list item whose text sits in an inner <p> keeps its number for it.
            if cur.prefix:
                self.pending_prefix = cur.prefix
            if cur.note is not None:
                self.cur.note = cur.note
            return
        prefix = cur.prefix or self.pending_prefix
        self.pending_prefix = ""
        if cur.note is not None or in_notes:
            body = _BACKLINK.sub("", collapse("".join(t for t, _ in cur.segs)))
            number = cur.note
            if number is None:
                m = _LEADING_NUMBER.match(body)
                digits = re.match(r"\d+", prefix)
                if digits:
                    number = int(digits.group())
                elif m:
                    number, body = int(m.group(1)), body[m.end() :]
                else:
                    number = (self.notes[-1][0] + 1) if self.notes else 1
            self.notes.append((number, body))
            return
        self.paras.append(
            Para(cur.segs, cur.refs, prefix=prefix, heading=cur.heading, ref_at=cur.ref_at)
        )
