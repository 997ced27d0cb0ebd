"""One Comparison → a .docx whose Word Track Changes turn the old (adopted) text into the new (draft) one.

    render_docx(comparison, *, author="resdiff", when=None, markup=True, comments=None) -> bytes

Accepting every change gives the new document's units, one paragraph each, in its
order; rejecting every change gives the old document's units in theirs. How:

* The body is a stream of paragraphs, each a list of runs (equal, inserted or
  deleted) ended by a paragraph mark that is itself equal, inserted or deleted
  (a deleted mark joins its paragraph to the next when accepted).
* Pairs that keep their place in both orders (the longest such chain; never a
  moved pair) are *anchors*: their spans become runs, and where a split or merged
  pair's unit boundaries differ the marks between them are inserted or deleted.
  Every other unit is deleted whole at its old position and inserted whole at its
  new one, so moves show as a deletion plus an insertion.
* Printed numbers and enumerators ("5.", "(a)") start each paragraph; when the
  old and new ones differ the old is deleted and the new inserted, so renumbering
  is tracked too. Lead words are italic.
* Typographic variants (equal spans with ``old_text``) are tracked as a deletion
  of the old form and an insertion of the new one.
* Word cannot track the last paragraph mark, so a trailing run of whole-unit
  insertions/deletions carries each mark on the paragraph before it (same views).
* Footnotes are real footnotes, referenced where their markers stand (the units'
  ``footnote_at``; at the end of the unit when positions are unknown). A citation
  kept in both versions refers to one footnote whose text is tracked as the
  comparison's footnote pair records it; a citation only in the old version is a
  deleted reference to a deleted footnote, one only in the new an inserted reference
  to an inserted footnote, so rejecting every change gives the old footnotes and
  accepting every change the new ones. A footnote cited twice is referenced once.
* ``comments`` (pair index -> (tag, text) notes) become Word comments, each anchored
  from the first to the last tracked run of its pair (the new side's paragraphs when
  the pair has both), or on its whole paragraphs when nothing in it is tracked.
* Characters XML 1.0 cannot carry are dropped; tab is ``w:tab``, line breaks ``w:br``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

from resdiff.model import Comparison, Document, Pair, PairKind, SpanOp, Unit, UnitKind
from resdiff.render.docx_xml import (
    SECTION,
    W_NS,
    XML_DECL,
    Para,
    Run,
    XmlWriter,
    comments_xml,
    content_types,
    core_xml,
    document_rels,
    footnotes_xml,
    package,
    root_rels,
    settings_xml,
    styles_xml,
)
from resdiff.render.footnote_marks import Citations, Marker, Piece, citations, place_markers
from resdiff.sequence import longest_increasing

__all__ = ["render_docx", "unit_prefix"]

EQ, INS, DEL = SpanOp.EQUAL, SpanOp.INSERT, SpanOp.DELETE

_LABEL = re.compile(r"^(?:[A-Z0-9]+\.)?(PP|OP)(\d+)((?:\([^()]*\))*)$")


def unit_prefix(label: str) -> str:
    """The number or enumerator printed before a unit: "5." for OP5, "(i)" for OP18(a)(i), "" for PP."""
    m = _LABEL.match(label)
    if m is None:
        return ""  # annex paragraphs keep their numbers in their text
    kind, number, subs = m.groups()
    if subs:
        return subs[subs.rindex("(") :]
    return f"{number}." if kind == "OP" else ""


_STYLE = {UnitKind.PREAMBULAR: "RdPreambular", UnitKind.OPERATIVE: "RdOperative"}


def _style(unit: Unit | None, label: str) -> str:
    if label.startswith("ANNEX") or (unit is not None and unit.label.startswith("ANNEX")):
        return "RdAnnex"
    depth = label.count("(")
    if depth:
        return f"RdSub{min(depth, 3)}"
    if unit is not None:
        return _STYLE.get(unit.kind, "RdOperative")
    m = _LABEL.match(label)
    return "RdPreambular" if m is not None and m.group(1) == "PP" else "RdOperative"


def _lead_len(unit: Unit | None) -> int:
    if unit is None or not unit.lead or not unit.text.startswith(unit.lead):
        return 0
    return len(unit.lead)


class _Side:
    """Lookups on one document: units by label, order positions, lead lengths."""

    def __init__(self, doc: Document, pairs: tuple[Pair, ...], old: bool) -> None:
        self.units = {u.label: u for u in doc.units}
        self.pos = {u.label: i for i, u in enumerate(doc.units)}
        # Labels a pair names but the document lacks go last, in pair order, so that
        # an inconsistent comparison still renders every span.
        for p in pairs:
            for lb in p.old if old else p.new:
                self.pos.setdefault(lb, len(self.pos))

    def lead(self, label: str) -> int:
        return _lead_len(self.units.get(label))


class _Writer:
    """Builds the paragraph stream from the pairs (see the module docstring)."""

    def __init__(self, cmp: Comparison, notes: _Notes) -> None:
        self.cmp = cmp
        self.cites = notes.cites
        self.old = _Side(cmp.old, cmp.pairs, old=True)
        self.new = _Side(cmp.new, cmp.pairs, old=False)
        self.notes = notes
        self.paras: list[Para] = []
        # Paragraphs written for each pair (by index): (paragraph, new side?) in order.
        self.of_pair: dict[int, list[tuple[Para, bool]]] = {}

    # -- runs --

    def _text(self, para: Para, value: str, op: SpanOp, offset: int, lead: int) -> None:
        """Append ``value`` (starting at ``offset`` in its unit) with the lead part italic."""
        cut = min(max(lead - offset, 0), len(value))
        if cut:
            para.runs.append(Run(value[:cut], op, italic=True))
        if cut < len(value):
            para.runs.append(Run(value[cut:], op))

    def _prefixes(self, para: Para, old_label: str | None, new_label: str | None) -> None:
        o = unit_prefix(old_label) if old_label is not None else ""
        n = unit_prefix(new_label) if new_label is not None else ""
        if o == n and old_label is not None and new_label is not None:
            if o:
                para.runs.append(Run(o + "\t", EQ))
            return
        if o:
            para.runs.append(Run(o + "\t", DEL))
        if n:
            para.runs.append(Run(n + "\t", INS))

    def _refs(self, para: Para, markers: list[Marker]) -> None:
        for m in markers:
            for wid, op in self.notes.references(m):
                para.runs.append(Run("", op, note=wid))

    # -- whole units --

    def whole(self, label: str, value: str, op: SpanOp) -> None:
        """A unit deleted (old side) or inserted (new side) entirely, mark included."""
        side = self.old if op is DEL else self.new
        unit = side.units.get(label)
        para = Para(_style(unit, label), mark=op)
        if op is DEL:
            self._prefixes(para, label, None)
        else:
            self._prefixes(para, None, label)
        notes = self.cites.old_note if op is DEL else self.cites.new_note
        cuts: list[tuple[int, Marker]] = []
        if unit is not None:
            at = unit.footnote_at or (len(value),) * len(unit.footnotes)
            for x, n in zip(at, unit.footnotes, strict=True):
                if n in notes:
                    old, new = (n, None) if op is DEL else (None, n)
                    kind = "delete" if op is DEL else "insert"
                    cuts.append((min(x, len(value)), Marker(notes[n], kind, str(n), "", old, new)))
        start = 0
        for x, m in cuts:
            self._text(para, value[start:x], op, start, side.lead(label))
            self._refs(para, [m])
            start = x
        self._text(para, value[start:], op, start, side.lead(label))
        self.paras.append(para)

    # -- anchors --

    def anchor(self, pair: Pair) -> None:
        """A pair kept in place: its spans as runs, unit boundaries as (tracked) marks."""
        oi = ni = 0  # current old / new part
        ooff = noff = 0  # offsets in the current old / new unit text
        para = Para(_style(self.new.units.get(pair.new[0]), pair.new[0]))
        self._prefixes(para, pair.old[0], pair.new[0])

        def advance(to_old: int, to_new: int) -> None:
            nonlocal oi, ni, ooff, noff, para
            while oi < to_old or ni < to_new:
                step_old, step_new = oi < to_old, ni < to_new
                para.mark = EQ if step_old and step_new else (DEL if step_old else INS)
                self.paras.append(para)
                new_label = pair.new[ni + 1] if step_new else pair.new[ni]
                para = Para(_style(self.new.units.get(new_label), new_label))
                if step_old:
                    oi, ooff = oi + 1, 0
                if step_new:
                    ni, noff = ni + 1, 0
                self._prefixes(
                    para, pair.old[oi] if step_old else None, pair.new[ni] if step_new else None
                )

        pieces: list[Piece] = place_markers(self.cmp, pair, self.cites)
        for sp in pieces:
            advance(
                sp.old_part if sp.op is not INS else oi, sp.new_part if sp.op is not DEL else ni
            )
            olead = self.old.lead(pair.old[oi])
            nlead = self.new.lead(pair.new[ni])
            self._refs(para, sp.before)
            if sp.op is EQ and sp.old_text is not None and sp.old_text != sp.text:
                self._text(para, sp.old_text, DEL, ooff, olead)
                self._text(para, sp.text, INS, noff, nlead)
                ooff += len(sp.old_text)
                noff += len(sp.text)
            elif sp.op is EQ:
                self._text(para, sp.text, EQ, noff, nlead)
                ooff += len(sp.text)
                noff += len(sp.text)
            elif sp.op is DEL:
                self._text(para, sp.text, DEL, ooff, olead)
                ooff += len(sp.text)
            else:
                self._text(para, sp.text, INS, noff, nlead)
                noff += len(sp.text)
            self._refs(para, sp.after)
        advance(len(pair.old) - 1, len(pair.new) - 1)
        para.mark = EQ
        self.paras.append(para)

    def can_anchor(self, pair: Pair) -> bool:
        """Both sides present, contiguous in their documents, spans in part order, not a move."""
        if pair.kind is PairKind.MOVED or not pair.old or not pair.new:
            return False
        for labels, side in ((pair.old, self.old), (pair.new, self.new)):
            pos = [side.pos[lb] for lb in labels]
            if any(b != a + 1 for a, b in itertools.pairwise(pos)):
                return False
        oi = ni = 0
        for sp in pair.spans:
            if not (0 <= sp.old_part < len(pair.old) and 0 <= sp.new_part < len(pair.new)):
                return False
            if sp.op is not INS:
                if sp.old_part < oi:
                    return False
                oi = sp.old_part
            if sp.op is not DEL:
                if sp.new_part < ni:
                    return False
                ni = sp.new_part
        return True

    # -- the whole body --

    def build(self) -> list[Para]:
        pairs = self.cmp.pairs
        index = {id(p): i for i, p in enumerate(pairs)}
        candidates = sorted(
            (p for p in pairs if self.can_anchor(p)), key=lambda p: self.new.pos[p.new[0]]
        )
        anchors = [
            candidates[k] for k in longest_increasing([self.old.pos[p.old[0]] for p in candidates])
        ]
        anchored = {id(p) for p in anchors}
        # Every unit of a non-anchor pair is deleted / inserted whole.
        dels: list[tuple[int, str, str, int]] = []
        inss: list[tuple[int, str, str, int]] = []
        for p in pairs:
            if id(p) in anchored:
                continue
            for lb, value in zip(p.old, p.old_texts(), strict=True):
                dels.append((self.old.pos[lb], lb, value, index[id(p)]))
            for lb, value in zip(p.new, p.new_texts(), strict=True):
                inss.append((self.new.pos[lb], lb, value, index[id(p)]))
        dels.sort()
        inss.sort()
        d = i = 0
        for a in [*anchors, None]:
            old_stop = self.old.pos[a.old[0]] if a is not None else len(self.old.pos)
            new_stop = self.new.pos[a.new[0]] if a is not None else len(self.new.pos)
            while d < len(dels) and dels[d][0] < old_stop:
                self.whole(dels[d][1], dels[d][2], DEL)
                self.of_pair.setdefault(dels[d][3], []).append((self.paras[-1], False))
                d += 1
            while i < len(inss) and inss[i][0] < new_stop:
                self.whole(inss[i][1], inss[i][2], INS)
                self.of_pair.setdefault(inss[i][3], []).append((self.paras[-1], True))
                i += 1
            if a is not None:
                start = len(self.paras)
                self.anchor(a)
                self.of_pair[index[id(a)]] = [(q, True) for q in self.paras[start:]]
        return self.paras

    def comment(self, pair: int, cid: int) -> None:
        """Anchor comment ``cid`` on the tracked runs of the pair at index ``pair``."""
        written = self.of_pair.get(pair, [])
        paras = [q for q, new in written if new] or [q for q, _ in written]
        if not paras:
            return
        spots = [
            (k, j) for k, q in enumerate(paras) for j, r in enumerate(q.runs) if r.op is not EQ
        ]
        (k0, j0), (k1, j1) = (
            (spots[0], spots[-1]) if spots else ((0, 0), (-1, len(paras[-1].runs) - 1))
        )
        paras[k1].runs.insert(j1 + 1, Run("", EQ, comment=("end", cid)))
        paras[k0].runs.insert(j0, Run("", EQ, comment=("start", cid)))


def _rotate_tail(paras: list[Para]) -> None:
    """Move tracked marks of a trailing run of whole units one paragraph up (see docstring)."""
    last_eq = max((k for k, p in enumerate(paras) if p.mark is EQ), default=-1)
    if last_eq < 0 or last_eq == len(paras) - 1:
        return
    for k in range(last_eq, len(paras) - 1):
        paras[k].mark = paras[k + 1].mark
    paras[-1].mark = EQ


# --- footnotes ------------------------------------------------------------------------


class _Notes:
    """The Word footnotes: one per citation kept in both versions (its text tracked), one
    per citation of one version only (reference and text inserted or deleted), with
    Word ids in order of first reference."""

    def __init__(self, cmp: Comparison) -> None:
        self.cmp = cmp
        self.cites: Citations = citations(cmp)
        self.old_text = {f.number: f.text for f in cmp.old.footnotes}
        self.new_text = {f.number: f.text for f in cmp.new.footnotes}
        self.seen_old: set[int] = set()
        self.seen_new: set[int] = set()
        self.content: dict[int, list[Run]] = {}

    def _add(self, runs: list[Run]) -> int:
        wid = len(self.content) + 1
        self.content[wid] = runs
        return wid

    def _one_side(self, number: int | None, op: SpanOp) -> list[tuple[int, SpanOp]]:
        seen, texts = (
            (self.seen_old, self.old_text) if op is DEL else (self.seen_new, self.new_text)
        )
        if number is None or number in seen or number not in texts:
            return []
        seen.add(number)
        return [(self._add([Run(texts[number], op)]), op)]

    def references(self, m: Marker) -> list[tuple[int, SpanOp]]:
        """The (Word id, revision) of each reference a marker stands for: none when its
        footnotes were referenced before on that side."""
        a, b = m.old_number, m.new_number
        if m.op != "equal":
            return self._one_side(a, DEL) if m.op == "delete" else self._one_side(b, INS)
        pair = self.cmp.footnotes[m.note]
        one_to_one = len(pair.old) == len(pair.new) == 1
        if (
            a is None
            or b is None
            or a in self.seen_old
            or b in self.seen_new
            or not one_to_one
            or pair.old_texts() != [self.old_text.get(a)]
            or pair.new_texts() != [self.new_text.get(b)]
        ):
            return [*self._one_side(a, DEL), *self._one_side(b, INS)]
        self.seen_old.add(a)
        self.seen_new.add(b)
        runs: list[Run] = []
        for sp in pair.spans:
            if sp.op is EQ and sp.old_text is not None and sp.old_text != sp.text:
                runs += [Run(sp.old_text, DEL), Run(sp.text, INS)]
            else:
                runs.append(Run(sp.text, sp.op))
        return [(self._add(runs), EQ)]


def _heading(cmp: Comparison, note: str | None = None) -> list[Para]:
    new, old = cmp.new.metadata, cmp.old.metadata
    paras = []
    # The symbol and the title are tracked too: rejecting every change gives back the
    # earlier version's heading, accepting them the draft's.
    symbol = _tracked(old.symbol, new.symbol)
    if symbol:
        paras.append(Para("RdSymbol", symbol))
    paras.append(Para("RdTitle", _tracked(old.title, new.title) or [Run("Untitled", EQ)]))
    against = old.symbol or "the earlier version"
    paras.append(
        Para(
            "RdNote",
            [Run(f"Tracked changes against {against}: accept all to read the draft.", EQ)],
        )
    )
    if note:
        paras.append(Para("RdNote", [Run(note, EQ)]))
    if cmp.pairs:
        paras.append(Para("RdAssembly", [Run("The General Assembly,", EQ)]))
    return paras


def _tracked(old: str | None, new: str | None) -> list[Run]:
    """One heading line of both versions: kept when the same, else the old one deleted
    and the new one inserted (no runs when neither version has it)."""
    if old == new:
        return [Run(new, EQ)] if new else []
    return [*([Run(old, DEL)] if old else []), *([Run(new, INS)] if new else [])]


def _default_when(cmp: Comparison) -> datetime:
    for meta in (cmp.new.metadata, cmp.old.metadata):
        day: date | None = meta.distribution_date or meta.adoption_date
        if day is not None:
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return datetime(2000, 1, 1, tzinfo=UTC)


def render_docx(
    comparison: Comparison,
    *,
    author: str = "resdiff",
    when: datetime | None = None,
    markup: bool = True,
    comments: Mapping[int, Sequence[tuple[str, str]]] | None = None,
    note: str | None = None,
) -> bytes:
    """The comparison as DOCX bytes: old → new as Word tracked changes by ``author`` at ``when``.

    ``when`` defaults to the new document's distribution (else adoption) date at
    00:00 UTC, else the old one's, else 2000-01-01, so the bytes are deterministic.
    ``markup=False`` makes Word and LibreOffice open it showing the accepted text.
    ``comments`` maps a pair's index to its (tag, text) notes, written as Word comments
    anchored at that pair's change.
    ``note``: one more line under the heading (the review says what precedent it searched).
    """
    stamp = _default_when(comparison) if when is None else when
    stamp = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    notes = _Notes(comparison)
    writer = _Writer(comparison, notes)
    paras = [*_heading(comparison, note), *writer.build()]
    _rotate_tail(paras)
    said: list[tuple[int, str, str]] = []
    for pair in sorted(comments or {}):
        for tag, said_text in (comments or {})[pair]:
            writer.comment(pair, len(said))
            said.append((len(said), tag, said_text))
    xml = XmlWriter(author, stamp)
    body = "".join(xml.para(p) for p in paras)
    document = (
        f'{XML_DECL}<w:document xmlns:w="{W_NS}"><w:body>{body}{SECTION}</w:body></w:document>'
    )
    has_notes = bool(notes.content)
    has_comments = bool(said)
    parts = {
        "[Content_Types].xml": content_types(footnotes=has_notes, comments=has_comments),
        "_rels/.rels": root_rels(),
        "docProps/core.xml": core_xml(_doc_title(comparison), author, stamp),
        "word/_rels/document.xml.rels": document_rels(footnotes=has_notes, comments=has_comments),
        "word/document.xml": document,
        "word/settings.xml": settings_xml(footnotes=has_notes, markup=markup),
        "word/styles.xml": styles_xml(),
    }
    if has_notes:
        parts["word/footnotes.xml"] = footnotes_xml(sorted(notes.content.items()), xml)
    if has_comments:
        parts["word/comments.xml"] = comments_xml(said, author, stamp)
    return package(parts)


def _doc_title(cmp: Comparison) -> str:
    meta = cmp.new.metadata
    return " ".join(x for x in (meta.symbol, meta.title or cmp.old.metadata.title) if x)
