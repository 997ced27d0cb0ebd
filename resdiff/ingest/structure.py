"""Structure builder: turns a format-neutral RawDocument into a labelled Document.

Rules, for every format:

* "The General Assembly," (also without comma, or with a colon) ends the header;
  blocks before it are header (metadata). "The General Assembly, recalling ...,
  decides ..." (a decision in one sentence) yields one unit ``OP1`` holding the
  sentence after "The General Assembly,". Amendments (": amendment to draft
  resolution ...") print no such line and have no preamble: all blocks are
  body, and each instruction and each quoted paragraph is an operative unit,
  ``OP1..n`` in order (or by printed number when the instructions are numbered,
  quoted text then joining its instruction).
* ``N. text`` is operative paragraph ``OPN`` (its printed number); ``(a) text``
  and ``(i) text`` are sub-items of the last unit, labelled by their printed
  enumerators (``OP2(a)(iv)``). An ``(i)`` directly after ``(h)`` at the letter
  level is the letter i, unless ``(h)`` ends with ":" (a chapeau): then it opens
  a roman list. Other blocks before the first operative paragraph are
  preambular ``PP1..PPn``. A document with no numbered paragraph at all labels
  its unnumbered operative paragraphs (verb leads such as "Decides") ``OP1..n``.
* After the operative part starts, an unnumbered block is: the closing
  "53rd plenary meeting" line and date (metadata, also kept in
  ``Document.furniture``); a short heading (kept in
  ``Document.furniture``, it is not a unit); or the continuation of the previous
  unit (quoted text), appended to it. A heading is a short line that looks like one
  (``is_heading_like``), or any short block with no closing punctuation that opens
  with a capital right after a unit that ended its sentence (";" or "."), after a
  recital (",") or first, when it does not open with a lead word: headings in
  sentence case ("Follow-up and implementation activities", below a "VIII" of their
  own) and a section numeral with its full stop ("V.") are no continuation. After
  ":" the block is quoted text. Table cells (DOCX) are always appended
  to the unit before them, however short. So is a numbered block whose number goes
  backwards (other than a restart at 1): quoted numbered text inside a paragraph;
  likewise a list numbered from 1 right after a paragraph ending with ":"
  ("Approves the following provisional agenda: 1. Opening ..."), up to the
  paragraph that resumes the document's numbering.
* **Annexes.** From an "Annex"/"Appendix" heading on, every block is kept as an
  operative-kind unit labelled ``ANNEX1``, ``ANNEX2``... in order, with its text
  as printed (numbers included) and no lead: annex text is never lost, and
  its internal numbering never disturbs the resolution's own.
* **Parts.** When a second "The General Assembly," appears, or operative
  numbering restarts at 1 (budget and omnibus resolutions in sections A, B or
  I, II), each part is labelled with a prefix: its heading letter or roman
  numeral when it has one ("B.PP1", "II.OP3"), else "P1.", "P2."...; the
  headings and preambular paragraphs just before a restart belong to the new
  part. Single-part documents (nearly all) have no prefix.
* Lead words: the format's italic run when it has one, else ``lexicon.lead_words``.
  Sub-items have lead "" unless the format marks an italic lead.
* ``continues(prev, next, page_break=...)`` is the shared evidence rule every
  format parser uses to rejoin a paragraph cut by a blank line or a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resdiff.ingest.lexicon import lead_words, looks_like_lead, opens_like_recital
from resdiff.ingest.metadata import extract_metadata
from resdiff.ingest.raw import RawBlock, RawDocument, shift
from resdiff.model import Document, Unit, UnitKind

__all__ = ["build_document", "continues", "is_ga_line", "is_heading_like", "is_trailer"]

_GA_RE = re.compile(r"^\*{0,2}The General Assembly\s*[,:;.]?\s*\*{0,2}$")
_GA_TEXT_RE = re.compile(r"^The General Assembly\s*,\s+(?=[a-z])")
_OP_RE = re.compile(r"^(\d{1,3})\.(?:\s+|$)")
_AMENDMENT_RE = re.compile(r":\*{0,3}\s*amendments?\b", re.IGNORECASE)
_OP4_RE = re.compile(r"^(\d{4})\.\s+(?=[A-Z])")  # paragraph 1000 onwards, in sequence only
_OP_BARE_RE = re.compile(r"^(\d{1,3})\s+(?=[A-Z])")
_SUB_RE = re.compile(r"^\(([a-z]{1,3}|[ivxlc]{1,7})\)(?:\s+|$)")
ENUM_START = re.compile(r"^(?:\d{1,3}\.(?:\s|$)|\((?:[a-z]{1,3}|[ivxlc]{1,7})\)(?:\s|$))")
_TRAILER_RE = re.compile(
    r"^\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting\b|^\d{1,2}\s+[A-Z][a-z]+\s+\d{4}$"
)
_ANNEX_RE = re.compile(r"^(?:Annex(?:es)?|Appendix|Appendices)\b(?:\s+[IVXLC\d]+)?")
_ROMAN_HEAD = re.compile(r"^(?:[IVXL]+|[A-Z])\.?(?:\s|$)")
_ROMANS = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
    "xv", "xvi", "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv", "xxvi",
    "xxvii", "xxviii", "xxix", "xxx", "xxxi", "xxxii", "xxxiii", "xxxiv", "xxxv",
]  # fmt: skip
_LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [
    c + c for c in "abcdefghijklmnopqrstuvwxyz"
]


def is_ga_line(text: str) -> bool:
    """True for "The General Assembly," standing alone (with its variants)."""
    return bool(_GA_RE.match(text.strip()))


def is_trailer(text: str) -> bool:
    """True for the closing "53rd plenary meeting" line or a bare date."""
    return bool(_TRAILER_RE.match(text.strip()))


def is_heading_like(text: str) -> bool:
    """A short line with no closing punctuation that looks like a heading."""
    t = text.strip()
    if not t or t[-1] in ".;:," or not (t[0].isupper() or t[0].isdigit()):
        return False
    if len(t.split(None, 16)) > 15:
        return False
    if _ANNEX_RE.match(t) or _ROMAN_HEAD.match(t):
        return True
    words = [w for w in t.split() if len(w) > 3]
    if not words:
        return True
    caps = sum(1 for w in words if w[:1].isupper())
    return caps / len(words) >= 0.6


def continues(
    prev: str, nxt: str, *, page_break: bool, long_prev: bool = False, then_number: bool = False
) -> bool:
    """Whether ``nxt`` continues the paragraph ``prev`` across a blank line or page break.

    Callers may pass only the tail of a long paragraph as ``prev`` with
    ``long_prev=True`` (it is then never a heading), and only the start of ``nxt``;
    ``then_number`` says that a numbered paragraph ("1.", "(a)") follows ``nxt``.
    """
    prev, nxt = prev.strip(), nxt.strip()
    if not prev or not nxt:
        return False
    if ENUM_START.match(nxt) or is_ga_line(nxt) or is_trailer(nxt):
        return False
    if not long_prev and is_ga_line(prev):
        return False
    if ENUM_START.fullmatch(prev + " "):
        return True  # an enumerator alone on its line
    c = nxt[0]
    if (_OP_BARE_RE.match(nxt) or _OP4_RE.match(nxt)) and prev[-1] in ".;:":
        return False  # "21\nEncourages": a number whose full stop the extraction lost
    if c.islower() or c.isdigit() or c in "([“\"‘'":
        return long_prev or not is_trailer(prev)
    last = prev[-1]
    if last in ".;:!?":
        return False
    if last == ",":
        return (
            page_break
            and not looks_like_lead(nxt)
            and not is_heading_like(nxt)
            and not (then_number and _short_title(nxt))
        )
    if long_prev:
        return True
    if not page_break and len(prev.split(None, 12)) <= 12 and opens_like_recital(nxt):
        # A heading in sentence case ("Capital investment planning") above a
        # preambular paragraph: a blank line, not a page, cuts it from what follows.
        return False
    return not (is_heading_like(prev) or is_trailer(prev))


def _short_title(text: str) -> bool:
    """A few words opening with a capital and closing with no punctuation ("Final report"):
    above a numbered paragraph, a section heading, whatever its capitals."""
    return bool(text) and text[0].isupper() and text[-1] not in ".;:,!?" and len(text.split()) <= 6


@dataclass
class _Builder:
    units: list[Unit] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    trailer: list[str] = field(default_factory=list)
    top: str | None = None  # label of the current PP/OP
    stack: list[tuple[str, str]] = field(default_factory=list)  # (kind, token) levels
    pp: int = 0
    op_seen: bool = False
    last_op: int = 0
    sentences: set[int] = field(default_factory=set)
    quoted: set[int] = field(
        default_factory=set
    )  # ids of blocks quoted inside a unit  # ids of "The General Assembly, ..." rests
    annex: int = 0
    in_annex: bool = False

    def add(self, label: str, kind: UnitKind, text: str, lead: str, refs: _Cites) -> None:
        self.units.append(
            Unit(
                label=label,
                kind=kind,
                text=text,
                lead=lead,
                footnotes=refs.numbers,
                footnote_at=refs.at,
            )
        )

    def append_to_last(self, text: str, refs: _Cites) -> None:
        last = self.units[-1]
        joined = f"{last.text} {text}"
        lost = len(joined) - len(joined.lstrip())  # an empty unit text leaves a space
        joined = joined.strip()
        tail = shift(refs.at, len(last.text) + 1 - lost, len(joined))
        known = bool(last.footnote_at or not last.footnotes) and bool(refs.at or not refs.numbers)
        self.units[-1] = Unit(
            label=last.label,
            kind=last.kind,
            text=joined,
            lead=last.lead,
            footnotes=last.footnotes + refs.numbers,
            footnote_at=(*shift(last.footnote_at, -lost, len(joined)), *tail) if known else (),
        )


@dataclass(frozen=True, slots=True)
class _Cites:
    """The footnotes a piece of text cites and where their markers stand in it."""

    numbers: tuple[int, ...]
    at: tuple[int, ...]

    @classmethod
    def of(cls, blk: RawBlock) -> _Cites:
        """The block's citations, placed in its stripped text."""
        lost = len(blk.text) - len(blk.text.lstrip())
        at = blk.footnote_at if len(blk.footnote_at) == len(blk.footnote_refs) else ()
        return cls(blk.footnote_refs, tuple(shift(at, -lost, len(blk.text.strip()))))

    def after(self, prefix: int, length: int) -> _Cites:
        """Placed in what is left when the first ``prefix`` characters are cut (an
        enumerator), a text of ``length`` characters."""
        return _Cites(self.numbers, tuple(shift(self.at, -prefix, length)))


def _sub_token(b: _Builder, tok: str, prev_text: str) -> str | None:
    """Place enumerator ``tok`` in the level stack; return the new label (None if no parent)."""
    if b.top is None:
        return None
    chapeau = prev_text.rstrip().endswith(":")
    letter_at = roman_at = -1
    for i, (kind, last) in enumerate(b.stack):
        seq = _LETTERS if kind == "letter" else _ROMANS
        if last in seq and seq.index(last) + 1 < len(seq) and seq[seq.index(last) + 1] == tok:
            if kind == "letter":
                letter_at = i
            else:
                roman_at = i
    if chapeau and tok in ("a", "i"):
        b.stack.append(("letter" if tok == "a" else "roman", tok))
    elif letter_at >= 0 or roman_at >= 0:
        at = max(letter_at, roman_at)
        kind = b.stack[at][0]
        del b.stack[at:]
        b.stack.append((kind, tok))
    elif tok in ("a", "i"):
        b.stack.append(("letter" if tok == "a" else "roman", tok))
    else:
        # out of sequence: keep it at the deepest level of its kind (a gap the checks report)
        kind = "roman" if tok in _ROMANS and tok not in ("v", "x", "l", "c") else "letter"
        for i in range(len(b.stack) - 1, -1, -1):
            if b.stack[i][0] == kind:
                del b.stack[i:]
                break
        b.stack.append((kind, tok))
    return b.top + "".join(f"({t})" for _, t in b.stack)


def _lead(block: RawBlock, text: str, operative: bool) -> str:
    if block.italic_lead is not None:
        return block.italic_lead.strip()
    return lead_words(text, operative)


def _split_header(blocks: list[RawBlock]) -> tuple[list[str], list[RawBlock]]:
    for i, b in enumerate(blocks):
        if is_ga_line(b.text) or _GA_TEXT_RE.match(b.text):
            return [x.text for x in blocks[:i]], blocks[i:]
    i = 0
    while i < len(blocks) and blocks[i].heading:
        i += 1
    return [x.text for x in blocks[:i]], blocks[i:]


def _number(text: str, last: int) -> int | None:
    m = _OP_RE.match(text)
    if m:
        return int(m.group(1))
    m = _OP_BARE_RE.match(text) or _OP4_RE.match(text)
    if m and int(m.group(1)) == last + 1:
        return last + 1
    return None


def _quoted(body: list[RawBlock | None]) -> set[int]:
    """Ids of blocks quoted inside a paragraph: a list numbered from 1 that follows a
    paragraph ending with ":" ("Approves the following agenda: 1. Opening ..."), up to
    the paragraph that resumes the document's own numbering."""
    out: set[int] = set()
    last, quoting, prev, quoted_last = 0, False, "", 0
    for blk in body:
        if blk is None:
            last, quoting, prev = 0, False, ""
            continue
        text = blk.text.strip()
        if _ANNEX_RE.match(text) and is_heading_like(text):
            break
        n = None if is_trailer(text) else _number(text, last)
        if quoting:
            # The document's numbering resumes at the next number, or past it when one
            # was lost (a gap the checks report): a number that neither continues the
            # quoted list nor stays below the document's own is not quoted, or one
            # missing paragraph would fold every later one into the quoting paragraph.
            resumes = n is not None and (n == last + 1 or (n > last and n != quoted_last + 1))
            if resumes and not is_trailer(text):
                quoting = False
            else:
                out.add(id(blk))
                quoted_last = n if n is not None else quoted_last
                continue
        if n == 1 and last >= 1 and prev.rstrip().endswith(":"):
            quoting, quoted_last = True, 1
            out.add(id(blk))
            continue
        if n is not None:
            last = n
        prev = text
    return out


def _split_parts(
    body: list[RawBlock | None], quoted: set[int] | None = None
) -> list[list[RawBlock]]:
    """Split the body where a new part starts: a repeated "The General Assembly" line
    (``None`` here) or operative numbering restarting at 1. Unnumbered blocks just
    before a restart (its headings and preambular paragraphs) go with the new part."""
    parts: list[list[RawBlock]] = [[]]
    last = 0
    annex = False
    for blk in body:
        if blk is None:
            if parts[-1]:
                moved = _trailing_unnumbered(parts[-1])
                parts.append(moved)
            last = 0
            continue
        text = blk.text.strip()
        if annex or (_ANNEX_RE.match(text) and is_heading_like(text) and last):
            annex = True
            parts[-1].append(blk)
            continue
        n = None if is_trailer(text) or id(blk) in (quoted or ()) else _number(text, last)
        if n is not None:
            if n == 1 and last >= 1:
                parts.append(_trailing_unnumbered(parts[-1]))
            last = n
        parts[-1].append(blk)
    return [p for p in parts if p]


def _trailing_unnumbered(part: list[RawBlock]) -> list[RawBlock]:
    """Pop and return the headings and preambular blocks at the end of ``part``."""
    k = len(part)
    while k > 0:
        t = part[k - 1].text.strip()
        if _OP_RE.match(t) or _SUB_RE.match(t) or is_trailer(t):
            break
        if not (is_heading_like(t) or lead_words(t, False)):
            break
        k -= 1
    moved = part[k:]
    del part[k:]
    return moved


def _part_name(part: list[RawBlock], index: int, used: set[str]) -> str:
    for blk in part[:3]:
        t = blk.text.strip()
        m = re.match(r"^(?:Section\s+|Part\s+)?([IVXL]+|[A-Z])\.?(?:\s|$)", t)
        if m and is_heading_like(t):
            name = m.group(1)
            if name not in used:
                return name
    return f"P{index}"


def build_document(raw: RawDocument) -> Document:
    """Label the blocks of ``raw`` as PP/OP/sub-items and read its metadata."""
    blocks = list(raw.blocks)
    if raw.header:
        header = list(raw.header)
    else:
        hdr, blocks = _split_header(blocks)
        header = []
        for h in hdr:
            header += [h, ""]
    b = _Builder()
    body: list[RawBlock | None] = []
    for blk in blocks:
        if is_ga_line(blk.text):
            b.furniture.append(blk.text)  # "The General Assembly," is not a unit
            if any(x is not None for x in body):
                body.append(None)
            continue
        m = _GA_TEXT_RE.match(blk.text)
        if m:
            if any(x is not None for x in body):
                body.append(None)
            b.furniture.append(blk.text[: m.end()].strip())
            sentence = RawBlock(
                text=blk.text[m.end() :],
                footnote_refs=blk.footnote_refs,
                footnote_at=tuple(shift(blk.footnote_at, -m.end(), len(blk.text) - m.end())),
            )
            b.sentences.add(id(sentence))
            body.append(sentence)
            continue
        body.append(blk)
    b.quoted = _quoted(body)
    parts = _split_parts(body, b.quoted)
    amendment = bool(_AMENDMENT_RE.search(" ".join(header)))
    used: set[str] = set()
    for i, part in enumerate(parts, 1):
        prefix = ""
        if len(parts) > 1:
            name = _part_name(part, i, used)
            used.add(name)
            prefix = name + "."
        _build_part(b, part, prefix, amendment=amendment)
    star_notes = [f for f in raw.furniture if f.startswith("*")]
    meta = extract_metadata([*header, "", *star_notes], b.trailer)
    return Document(
        metadata=meta,
        units=tuple(b.units),
        footnotes=raw.footnotes,
        source=raw.source,
        furniture=tuple(raw.furniture) + tuple(b.furniture),
    )


def _build_part(b: _Builder, body: list[RawBlock], prefix: str, *, amendment: bool) -> None:
    """Label one part's blocks (the whole body, for single-part documents)."""
    b.top, b.stack, b.pp, b.op_seen, b.last_op = None, [], 0, False, 0
    has_numbers = any(_OP_RE.match(x.text) for x in body)
    op_auto = 0
    prev_text = ""
    for blk in body:
        text = blk.text.strip()
        refs = _Cites.of(blk)
        if not text:
            continue
        if b.in_annex:
            b.annex += 1
            b.add(f"ANNEX{b.annex}", UnitKind.OPERATIVE, text, "", refs)
            continue
        if is_trailer(text) and (b.op_seen or b.pp):
            b.trailer.append(text)
            b.furniture.append(text)  # also kept here so that all text is accounted for
            continue
        if blk.table and b.units:
            # A table belongs with the paragraph that introduces it: its cells
            # ("Section", "Vote") are neither headings nor units of their own.
            b.append_to_last(text, refs)
            continue
        if _ANNEX_RE.match(text) and is_heading_like(text) and b.units:
            b.in_annex = True
            b.annex += 1
            b.add(f"ANNEX{b.annex}", UnitKind.OPERATIVE, text, "", refs)
            continue
        if id(blk) in b.quoted and b.units:
            b.append_to_last(text, refs)
            continue
        if id(blk) in b.sentences:
            op_auto += 1
            b.op_seen = True
            b.top = f"{prefix}OP{op_auto}"
            b.stack = []
            b.add(b.top, UnitKind.OPERATIVE, text, "", refs)
            prev_text = text
            continue
        n = _number(text, b.last_op)
        if n is not None and 1 < n <= b.last_op and b.units:
            # a number going backwards is quoted text ("new paragraph 4: 4. In hearing ...")
            b.append_to_last(text, refs)
            continue
        if n is not None:
            m = _OP_RE.match(text) or _OP_BARE_RE.match(text) or _OP4_RE.match(text)
            rest = text[m.end() :] if m else text
            b.last_op = n
            b.top = f"{prefix}OP{n}"
            b.stack = []
            b.op_seen = True
            b.add(
                b.top,
                UnitKind.OPERATIVE,
                rest,
                _lead(blk, rest, True),
                refs.after(m.end() if m else 0, len(rest)),
            )
            prev_text = rest
            continue
        s = _SUB_RE.match(text)
        if s and b.top is not None:
            rest = text[s.end() :]
            label = _sub_token(b, s.group(1), prev_text)
            if label is not None:
                lead = blk.italic_lead.strip() if blk.italic_lead else ""
                b.add(label, UnitKind.SUBITEM, rest, lead, refs.after(s.end(), len(rest)))
                prev_text = rest
                continue
        if (
            not blk.table
            and not refs.numbers
            and (
                (is_heading_like(text) and not lead_words(text, False))
                or _is_section_heading(text, b.units)
            )
        ):
            b.furniture.append(text)  # a section heading: not a unit
            continue
        if not b.op_seen:
            if (
                amendment
                or (
                    not has_numbers
                    and b.pp
                    and lead_words(text, True)
                    and not lead_words(text, False)
                )
                or (not has_numbers and not b.pp and _is_operative_opening(blk, text))
            ):
                # amendments have no preamble; decisions may be one operative sentence
                b.op_seen = True
            else:
                b.pp += 1
                b.top = f"{prefix}PP{b.pp}"
                b.stack = []
                b.add(b.top, UnitKind.PREAMBULAR, text, _lead(blk, text, False), refs)
                prev_text = text
                continue
        if not has_numbers:
            op_auto += 1
            b.top = f"{prefix}OP{op_auto}"
            b.stack = []
            b.add(b.top, UnitKind.OPERATIVE, text, _lead(blk, text, True), refs)
            prev_text = text
            continue
        if b.units:
            b.append_to_last(text, refs)
            prev_text = text
        else:
            b.op_seen = True
            b.top = f"{prefix}OP1"
            b.add(b.top, UnitKind.OPERATIVE, text, _lead(blk, text, True), refs)


_SECTION_NUMERAL = re.compile(r"^(?:[IVXL]+|[A-Z])\.?$")


def _is_section_heading(text: str, units: list[Unit]) -> bool:
    """A heading ``is_heading_like`` misses for its lower-case words ("Follow-up and
    implementation activities", "Section 6 Peaceful uses of outer space"), or a section
    numeral standing alone with its full stop ("V."): a short block with no closing
    punctuation, opening with a capital, right after a unit that ended its sentence
    (";" or "."), or after a preambular paragraph ("," ) when it does not open with a
    lead word. Quoted text that continues a paragraph follows its ":" instead."""
    if _SECTION_NUMERAL.match(text):
        return True
    if text[-1] in ".;:," or not text[0].isupper():
        return False
    end = units[-1].text.rstrip()[-1:] if units else ""
    if end in ("", ","):
        # first, or after a preambular paragraph: only a heading that does not open like one
        if (units and units[-1].kind is not UnitKind.PREAMBULAR) or looks_like_lead(text):
            return False
    elif end not in (";", "."):
        return False
    return len(text.split(None, 20)) <= 20


def _is_operative_opening(blk: RawBlock, text: str) -> bool:
    """An unnumbered first paragraph that is operative (a decision: "Decides to ...")."""
    op = lead_words(text, True)
    return bool(op) and not lead_words(text, False)
