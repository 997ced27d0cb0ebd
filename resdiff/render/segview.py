"""A pair's text as displayed: segments with the footnote markers standing in them, each
side's units, and the changed footnotes shown under a paragraph (ids and links included).

Segments are the comparison's spans, cut only where a marker stands (``footnote_marks``);
nothing here recomputes a diff.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from resdiff.model import Comparison, Pair, SpanOp
from resdiff.render.footnote_marks import Citations, Marker, Piece, place_markers

__all__ = [
    "KIND_LABELS",
    "FootnoteView",
    "Links",
    "NoteRef",
    "Refs",
    "SegView",
    "UnitTextView",
    "anchor_id",
    "footnote_anchor",
    "footnote_views",
    "marker_anchor",
    "note_text",
    "pair_anchor",
    "plain_pieces",
    "segments",
    "side_units",
    "with_note_text",
]

KIND_LABELS: dict[str, str] = {
    "unchanged": "Unchanged",
    "changed": "Changed",
    "moved": "Moved",
    "split": "Split",
    "merged": "Merged",
    "added": "Added",
    "removed": "Removed",
}


def anchor_id(side: str, label: str) -> str:
    """HTML id for a unit label on one side: ``old-OP2-a-iv`` for OP2(a)(iv)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-")
    return f"{side}-{slug}"


def pair_anchor(index: int, prefix: str = "p") -> str:
    """The HTML id of the pair at ``index`` of a comparison ("p1", ...; "fn1" for footnotes)."""
    return f"{prefix}{index + 1}"


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A footnote marker as displayed: the printed number, whether the citation is kept,
    added or removed, the id it carries and where it links ("" when its footnote is not
    on the page)."""

    number: str
    op: str  # "equal" | "insert" | "delete"
    anchor: str
    href: str


@dataclass(frozen=True, slots=True)
class SegView:
    """One span as displayed. ``part_label`` is set where a new unit starts inside a
    split or merged pair, so the inline view can show the boundary. ``notes_before`` /
    ``notes`` are the footnote markers standing right before / after its text."""

    op: str  # "equal" | "insert" | "delete"
    text: str
    old_part: int
    new_part: int
    part_label: str | None = None
    old_text: str | None = None  # an equal span's old printed form, when only typography differs
    notes_before: tuple[NoteRef, ...] = ()
    notes: tuple[NoteRef, ...] = ()


@dataclass(frozen=True, slots=True)
class FootnoteView:
    """A changed footnote shown under the paragraph citing it: its own word diff (the
    comparison's footnote pair), and a link back to its marker."""

    anchor: str
    number: str  # "3", or "2 → 3"
    kind: str
    kind_label: str
    inline: tuple[SegView, ...]
    backref: str  # id of the marker in the paragraph


@dataclass(frozen=True, slots=True)
class UnitTextView:
    """One unit's text on one side (old: equal + delete, new: equal + insert)."""

    label: str
    anchor: str
    segments: tuple[SegView, ...]


@dataclass(frozen=True, slots=True)
class Links:
    """Where footnote markers point: the shown copy of a changed footnote under the
    paragraph that owns it, else the footnote's row, else nowhere."""

    cites: Citations
    owner: dict[int, int]  # changed footnote pair -> index of the shown pair it goes under
    rows: frozenset[int]  # footnote pairs shown in the footnotes section

    def href(self, note: int) -> str:
        if note in self.owner:
            return footnote_anchor(self.owner[note], note)
        return pair_anchor(note, "fn") if note in self.rows else ""


def footnote_anchor(index: int, note: int) -> str:
    """Id of the changed footnote ``note`` shown under the pair at ``index``."""
    return f"{pair_anchor(index)}-note{note + 1}"


def marker_anchor(index: int, note: int, side: str = "") -> str:
    """Id of the first marker of footnote pair ``note`` in the pair at ``index``
    (``side`` "old"/"new" for the side-by-side columns)."""
    return f"{pair_anchor(index)}-{side}ref{note + 1}"


class Refs:
    """Makes NoteRefs for one pair's markers, each id unique on the page."""

    def __init__(self, index: int, links: Links, side: str = "") -> None:
        self.index, self.links, self.side = index, links, side
        self.seen: dict[int, int] = {}

    def __call__(self, markers: list[Marker]) -> tuple[NoteRef, ...]:
        out = []
        for m in markers:
            n = self.seen.get(m.note, 0)
            self.seen[m.note] = n + 1
            anchor = marker_anchor(self.index, m.note, self.side) + (f"-{n + 1}" if n else "")
            op = "equal" if self.side else m.op
            out.append(NoteRef(m.number, op, anchor, self.links.href(m.note)))
        return tuple(out)


def plain_pieces(p: Pair) -> list[Piece]:
    return [Piece(s.op, s.text, s.old_text, s.old_part, s.new_part) for s in p.spans]


def segments(p: Pair, pieces: list[Piece], refs: Refs | None) -> tuple[SegView, ...]:
    # Mark where a unit of the multi-unit side begins (split: new side; merged: old).
    multi_new = len(p.new) > 1
    multi_old = len(p.old) > 1
    out: list[SegView] = []
    last_new = last_old = -1
    for s in pieces:
        if not s.text and s.old_text and out and out[-1].op == str(s.op):
            # Old printed form left over after a marker (old "2014 ", new "2014"): the
            # inline view shows it with the piece before, so no old text is lost.
            prev = out[-1]
            extra = (refs(s.before) if refs else ()) + (refs(s.after) if refs else ())
            out[-1] = replace(
                prev, old_text=(prev.old_text or prev.text) + s.old_text, notes=prev.notes + extra
            )
            continue
        part_label = None
        if multi_new and s.op is not SpanOp.DELETE and s.new_part != last_new:
            part_label = p.new[s.new_part]
            last_new = s.new_part
        elif multi_old and s.op is not SpanOp.INSERT and s.old_part != last_old:
            part_label = p.old[s.old_part]
            last_old = s.old_part
        out.append(
            SegView(
                str(s.op),
                s.text,
                s.old_part,
                s.new_part,
                part_label,
                s.old_text,
                refs(s.before) if refs else (),
                refs(s.after) if refs else (),
            )
        )
    return tuple(out)


def side_units(
    c: Comparison | None, i: int, p: Pair, side: str, links: Links | None
) -> tuple[UnitTextView, ...]:
    labels = p.old if side == "old" else p.new
    skip = SpanOp.INSERT if side == "old" else SpanOp.DELETE
    if c is not None and links is not None:
        pieces = place_markers(c, p, links.cites, only=side)
        refs: Refs | None = Refs(i, links, side)
    else:
        pieces, refs = plain_pieces(p), None
    units = []
    for k, label in enumerate(labels):
        segs = tuple(
            SegView(
                str(s.op),
                (s.old_text if s.old_text is not None else s.text) if side == "old" else s.text,
                s.old_part,
                s.new_part,
                notes_before=refs(s.before) if refs else (),
                notes=refs(s.after) if refs else (),
            )
            for s in pieces
            if s.op is not skip and (s.old_part if side == "old" else s.new_part) == k
        )
        units.append(UnitTextView(label, anchor_id(side, label), segs))
    return tuple(units)


def footnote_views(c: Comparison, i: int, links: Links) -> tuple[FootnoteView, ...]:
    out = []
    for note, owner in sorted(links.owner.items()):
        if owner != i:
            continue
        fp = c.footnotes[note]
        old = " + ".join(lb.removeprefix("fn") for lb in fp.old)
        new = " + ".join(lb.removeprefix("fn") for lb in fp.new)
        number = new or old if old in ("", new) or not new else f"{old} → {new}"
        out.append(
            FootnoteView(
                anchor=footnote_anchor(i, note),
                number=number,
                kind=fp.kind.value,
                kind_label=KIND_LABELS[fp.kind.value],
                inline=segments(fp, plain_pieces(fp), None),
                backref=marker_anchor(i, note),
            )
        )
    return tuple(out)


def note_text(ref: NoteRef) -> str:
    """A footnote marker written into plain text: ``[^5]``, ``[^2→3]`` when renumbered."""
    return f"[^{ref.number.replace(' ', '')}]"


def with_note_text(segs: Iterable[SegView]) -> list[SegView]:
    """A pair's inline segments for plain-text formats (terminal, Markdown): each footnote
    marker written into the text as ``[^5]``, with the op of its citation (kept, added,
    removed), and neighbours of one op joined, so that an inserted paragraph citing a
    footnote reads as one insertion with its marker inside, not as two insertions."""
    out: list[SegView] = []

    def add(op: str, text: str, seg: SegView, label: str | None) -> None:
        if not text:
            return
        if out and out[-1].op == op and label is None:
            out[-1] = replace(out[-1], text=out[-1].text + text)
        else:
            out.append(SegView(op, text, seg.old_part, seg.new_part, label))

    for seg in segs:
        label = seg.part_label
        for ref in seg.notes_before:
            add(ref.op, note_text(ref), seg, label)
            label = None
        add(seg.op, seg.text, seg, label)
        if seg.text:
            label = None
        for ref in seg.notes:
            add(ref.op, note_text(ref), seg, label)
            label = None
    return out
