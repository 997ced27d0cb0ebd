"""Where footnote markers stand in a pair's displayed text, and which footnote pairs each paragraph cites.

Markers come from the units' ``footnotes`` / ``footnote_at`` (the parser's positions) and
are placed between the pair's spans, cutting a span where a marker stands inside it; the
footnotes' own word diffs are the comparison's footnote pairs, read as they are.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from resdiff.model import Comparison, Document, Pair, SpanOp

__all__ = ["Citations", "Marker", "Piece", "citations", "place_markers"]


@dataclass(frozen=True, slots=True)
class Marker:
    """A footnote marker in a paragraph: ``note`` is the index of its footnote pair in
    ``Comparison.footnotes``; ``op`` says whether the citation is kept, added or removed."""

    note: int
    op: str  # "equal" | "insert" | "delete"
    number: str  # as printed: "3", or "2 → 3" when a kept citation was renumbered
    side: str  # "old" | "new": the side whose citation this is ("new" for kept ones)
    old_number: int | None = None  # the footnote numbers cited on each side (None: not cited)
    new_number: int | None = None


@dataclass(slots=True)
class Piece:
    """A span of the pair, or the part of one between two markers, with the markers
    that stand before and after it."""

    op: SpanOp
    text: str
    old_text: str | None
    old_part: int
    new_part: int
    before: list[Marker] = field(default_factory=list)
    after: list[Marker] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Citations:
    """Footnote pairs by the number they carry on each side, and who cites them."""

    old_note: dict[int, int]  # old footnote number -> footnote pair index
    new_note: dict[int, int]
    cited_by: dict[int, tuple[int, ...]]  # footnote pair index -> pair indexes, in order


def citations(c: Comparison) -> Citations:
    """Which footnote pair each printed number belongs to, and which pairs cite each."""
    old_note: dict[int, int] = {}
    new_note: dict[int, int] = {}
    for k, fp in enumerate(c.footnotes):
        for lb in fp.old:
            old_note[_number(lb)] = k
        for lb in fp.new:
            new_note[_number(lb)] = k
    old_units = {u.label: u for u in c.old.units}
    new_units = {u.label: u for u in c.new.units}
    cited: dict[int, list[int]] = {}
    for i, p in enumerate(c.pairs):
        for labels, units, notes in ((p.new, new_units, new_note), (p.old, old_units, old_note)):
            for lb in labels:
                u = units.get(lb)
                for n in u.footnotes if u is not None else ():
                    note = notes.get(n)
                    if note is not None and i not in cited.setdefault(note, []):
                        cited[note].append(i)
    return Citations(old_note, new_note, {k: tuple(v) for k, v in cited.items()})


def _number(label: str) -> int:
    return int(label.removeprefix("fn"))


def _events(
    doc: Document, labels: Sequence[str], notes: dict[int, int]
) -> list[list[tuple[int, int, int]]]:
    """Per unit of one side: (offset, footnote number, footnote pair) in text order."""
    units = {u.label: u for u in doc.units}
    out: list[list[tuple[int, int, int]]] = []
    for lb in labels:
        u = units.get(lb)
        if u is None:
            out.append([])
            continue
        # Positions unknown (stored before they were kept): markers go at the end.
        at = u.footnote_at or (len(u.text),) * len(u.footnotes)
        out.append([(x, n, notes[n]) for x, n in zip(at, u.footnotes, strict=True) if n in notes])
    return out


_MAP_LIMIT = 4000  # characters: a character match beyond this costs more than it is worth


def _mapper(a: str, b: str) -> Callable[[int], int]:
    """Offsets in ``a`` to the matching offsets in ``b`` (two printed forms of one text:
    same length for quotes and dashes; else matched character by character when short)."""
    if len(a) == len(b):
        return lambda pos: pos
    if len(a) > _MAP_LIMIT or len(b) > _MAP_LIMIT:
        return lambda pos: min(pos, len(b))
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()

    def at(pos: int) -> int:
        for _, i1, i2, j1, j2 in blocks:
            if i1 <= pos <= i2:
                return j1 + min(pos - i1, j2 - j1)
        return len(b)

    return at


def _merge_in_place(where: list[Marker], old: Marker, kept: Marker) -> None:
    """Put ``kept`` (the citation both versions make) in place of ``old`` (its old-side
    marker) in one place's markers, keeping each side's reading order: after every
    new-side marker already there (they come before it in the new text), and before the
    old-only markers that followed it (they came after it in the old text). Appending
    it read "2 1" on the old side where a paragraph cited 1 then 2 and dropped 2."""
    i = where.index(old)
    del where[i]
    new_side = [k for k, m in enumerate(where) if m.side == "new"]
    j = max(i, new_side[-1] + 1 if new_side else 0)
    between = where[i:j]
    where[i:j] = [
        *(m for m in between if m.side == "new"),
        kept,
        *(m for m in between if m.side != "new"),
    ]


def place_markers(c: Comparison, p: Pair, cites: Citations, only: str | None = None) -> list[Piece]:
    """The pair's spans cut where markers stand, each marker attached to its place.

    A citation kept in both versions shows once (as the new number); one whose
    footnote pair is on one side only, or which stands elsewhere, shows as removed
    on the old side and added on the new one, so each side reads as printed.
    ``only`` ("old" or "new") places that side's markers alone (a side-by-side column).
    """
    old_ev = _events(c.old, p.old, cites.old_note) if only != "new" else [[] for _ in p.old]
    new_ev = _events(c.new, p.new, cites.new_note) if only != "old" else [[] for _ in p.new]
    ooff = [0] * len(p.old)
    noff = [0] * len(p.new)
    oi = [0] * len(p.old)  # next event per unit
    ni = [0] * len(p.new)
    pieces: list[Piece] = []
    # Old markers with no old text after them yet, so that a citation of the same
    # footnote pair on the new side within the same change merges with it (only
    # inserted text between: each side still reads the marker where it stood).
    pending: list[tuple[Piece, Marker]] = []

    def old_marker(note: int, number: int, piece: Piece, where: list[Marker]) -> None:
        m = Marker(note, "delete", str(number), "old", old_number=number)
        where.append(m)
        pending.append((piece, m))

    def new_marker(note: int, number: int, where: list[Marker]) -> None:
        for k, (piece, m) in enumerate(pending):
            if m.note == note:
                held = piece.before if m in piece.before else piece.after
                del pending[k]
                shown = str(number) if m.number == str(number) else f"{m.number} → {number}"
                kept = Marker(note, "equal", shown, "new", m.old_number, number)
                if held is where:
                    _merge_in_place(where, m, kept)
                else:
                    held.remove(m)
                    where.append(kept)
                return
        where.append(Marker(note, "insert", str(number), "new", new_number=number))

    for s in p.spans:
        has_old = s.op is not SpanOp.INSERT
        has_new = s.op is not SpanOp.DELETE
        o, n = s.old_part, s.new_part
        old_len = len(s.old_side_text) if has_old else 0
        new_len = len(s.text) if has_new else 0
        text = s.text
        old_text = s.old_text
        # Cut points as (position in the span's text, position in its old printed form):
        # the same but for an equal span whose old form differs (curly quotes, spacing).
        typo = old_text if old_text is not None and old_text != text else None
        cuts: dict[tuple[int, int], list[tuple[str, int, int]]] = {}
        lead: list[tuple[str, int, int]] = []
        for side, on, evs, idx, offs, size, part in (
            ("old", has_old, old_ev, oi, ooff, old_len, o),
            ("new", has_new, new_ev, ni, noff, new_len, n),
        ):
            if not on or part >= len(evs):
                continue
            ev = evs[part]
            while idx[part] < len(ev) and ev[idx[part]][0] <= offs[part] + size:
                x, number, note = ev[idx[part]]
                local = max(x - offs[part], 0)
                if local == 0 and offs[part] == 0:
                    lead.append((side, number, note))
                else:
                    if typo is None:
                        at = (local, local)
                    elif side == "old":
                        at = (_mapper(typo, text)(local), local)
                    else:
                        at = (local, _mapper(text, typo)(local))
                    cuts.setdefault(at, []).append((side, number, note))
                idx[part] += 1
        bounds = sorted(cuts)
        prev_new = prev_old = 0
        for k in range(len(bounds) + 1):
            stop_new, stop_old = (
                bounds[k] if k < len(bounds) else (len(text), len(old_text or text))
            )
            stop_new, stop_old = max(stop_new, prev_new), max(stop_old, prev_old)
            if stop_new > prev_new or stop_old > prev_old or (k == 0 and lead):
                piece_old = None if old_text is None else old_text[prev_old:stop_old]
                piece = Piece(s.op, text[prev_new:stop_new], piece_old, o, n)
                pieces.append(piece)
            if k == 0:
                for side, number, note in lead:
                    target = pieces[-1]
                    if side == "old":
                        old_marker(note, number, target, target.before)
                    else:
                        new_marker(note, number, target.before)
            if (
                pieces
                and pieces[-1].op is not SpanOp.INSERT
                and (stop_new > prev_new or stop_old > prev_old)
            ):
                # Old text after an old marker: the citation cannot move past it.
                pending.clear()
            prev_new, prev_old = stop_new, stop_old
            if k < len(bounds) and pieces:
                target = pieces[-1]
                # Old markers first: a replaced citation reads "removed, then added".
                for side, number, note in sorted(cuts[bounds[k]], key=lambda e: e[0] != "old"):
                    if side == "old":
                        old_marker(note, number, target, target.after)
                    else:
                        new_marker(note, number, target.after)
        if has_old:
            ooff[o] += old_len
        if has_new:
            noff[n] += new_len
    # Markers past every span of their unit (an empty unit, a position past its text).
    if pieces:
        last = pieces[-1]
        for evs, idx, side in ((old_ev, oi, "old"), (new_ev, ni, "new")):
            for u, ev in enumerate(evs):
                for _, number, note in ev[idx[u] :]:
                    if side == "old":
                        old_marker(note, number, last, last.after)
                    else:
                        new_marker(note, number, last.after)
    return pieces
