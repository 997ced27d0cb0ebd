"""Plain view models built from a Comparison: what every renderer and template reads.

Filters (``only``, ``hide_routine``) are applied here, once, so that HTML, Markdown,
terminal and JSON agree on what is shown. Nothing here recomputes a diff: spans are
copied from the comparison as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from resdiff.model import Comparison, Document, Pair, PairKind, SpanOp
from resdiff.render.footnote_marks import citations, place_markers
from resdiff.render.segview import (
    KIND_LABELS,
    FootnoteView,
    Links,
    NoteRef,
    Refs,
    SegView,
    UnitTextView,
    anchor_id,
    footnote_views,
    marker_anchor,
    pair_anchor,
    plain_pieces,
    segments,
    side_units,
)
from resdiff.render.words import counted

__all__ = [
    "KIND_LABELS",
    "DocHeader",
    "FootnoteView",
    "GhostView",
    "KindCount",
    "NoteRef",
    "PairView",
    "RedlineView",
    "Row",
    "SegView",
    "SummaryView",
    "UnitTextView",
    "anchor_id",
    "build_view",
    "doc_header",
    "format_date",
    "pair_anchor",
    "pair_label",
    "parse_only",
    "select_pairs",
]

# "changed" on the command line means "anything that changed", which is what a
# reviewer asking for `--only changed` wants; the other names select one kind.
_ANY_CHANGE = frozenset(k.value for k in PairKind if k is not PairKind.UNCHANGED)


def parse_only(only: str | Iterable[str] | None) -> frozenset[str] | None:
    """Normalise the ``only`` filter to a set of pair kinds (None: show everything).

    Accepts a comma-separated string or an iterable of kind names; ``"changed"``
    selects every kind except unchanged, ``"all"`` (like None) everything. Unknown
    names raise ValueError.
    """
    if only is None or only == "all":
        return None
    names = [only] if isinstance(only, str) else list(only)
    out: set[str] = set()
    for raw in names:
        for name in (n.strip().lower() for n in raw.split(",")):
            if not name:
                continue
            if name == "changed":
                out |= _ANY_CHANGE
            elif name in KIND_LABELS:
                out.add(name)
            else:
                known = ", ".join(KIND_LABELS)
                raise ValueError(f"unknown pair kind {name!r} in --only; use one of: {known}")
    return frozenset(out)


def select_pairs(
    pairs: Iterable[Pair], only: frozenset[str] | None, hide_routine: bool
) -> list[tuple[int, Pair]]:
    """The pairs that pass the filters, with their index in the full comparison."""
    out = []
    for i, p in enumerate(pairs):
        if only is not None and p.kind.value not in only:
            continue
        if hide_routine and p.routine:
            continue
        out.append((i, p))
    return out


def pair_label(p: Pair) -> str:
    """``OP5``, ``OP5 → OP6``, ``OP5 → OP5 + OP6``, ``— → OP7`` (added), ``OP3 → —`` (removed)."""
    old = " + ".join(p.old) or "—"
    new = " + ".join(p.new) or "—"
    return old if old == new else f"{old} → {new}"


def format_date(d: date | None) -> str:
    """``16 December 2021`` (the UN's own style), or "" when unknown."""
    return f"{d.day} {d.strftime('%B')} {d.year}" if d else ""


@dataclass(frozen=True, slots=True)
class PairView:
    """One pair as displayed."""

    index: int  # position in the full comparison (stable across filters)
    anchor: str  # "p12", or "fn3" for footnote pairs
    kind: str
    kind_label: str
    label: str  # "OP5 → OP6"
    old_labels: tuple[str, ...]
    new_labels: tuple[str, ...]
    renumbered: bool
    routine: bool
    similarity_pct: int
    inline: tuple[SegView, ...]
    old_units: tuple[UnitTextView, ...]
    new_units: tuple[UnitTextView, ...]
    has_changes: bool  # any insert or delete span
    old_anchors: tuple[str, ...]  # ids placed on this pair for its old labels
    new_anchors: tuple[str, ...]
    moved_from: str | None = None  # anchor of the marker left at the old position
    moved_from_after: str | None = None  # "after PP3" / "at the start" (human words)
    # The other reading of a doubtful decision ("or: removed + added"), and how sure the
    # aligner is of the one shown, in per cent.
    note: str | None = None
    confidence_pct: int = 100
    # Changed footnotes cited here, shown under the paragraph; for a footnote pair, the
    # markers citing it (id, paragraph label) to link back to.
    footnotes: tuple[FootnoteView, ...] = ()
    cited_by: tuple[tuple[str, str], ...] = ()
    # Neighbouring changed pairs shown on the page (anchors), for next/previous links.
    prev_change: str = ""
    next_change: str = ""
    # Folded under a one-line heading (routine changes; unchanged paragraphs of the
    # redline); ``preview`` is the opening words an unchanged folded paragraph shows.
    folded: bool = False
    preview: str = ""


@dataclass(frozen=True, slots=True)
class GhostView:
    """Marker left at the old position of a moved pair, linking to where it went."""

    anchor: str
    old_label: str
    target: str  # anchor of the moved pair
    target_label: str
    old_anchors: tuple[str, ...] = ()  # ids of the moved unit's old labels


@dataclass(frozen=True, slots=True)
class Row:
    """A row of the redline: a pair, or the marker of where a moved pair came from."""

    pair: PairView | None = None
    ghost: GhostView | None = None


@dataclass(frozen=True, slots=True)
class DocHeader:
    """The metadata a reader needs to know which document this is."""

    key: str
    symbol: str
    title: str
    kind: str
    session: str
    date: str
    date_label: str  # "Adopted" or "Distributed"
    body: str
    agenda_item: str
    sponsors: tuple[str, ...]
    units: int


@dataclass(frozen=True, slots=True)
class KindCount:
    """How many pairs of one kind, with links to each (full comparison, before filters)."""

    kind: str
    label: str
    count: int
    links: tuple[tuple[str, str], ...]  # (anchor, pair label); only those shown


@dataclass(frozen=True, slots=True)
class SummaryView:
    """Counts for the summary block (always over the whole comparison)."""

    kinds: tuple[KindCount, ...]
    routine: int
    renumbered: int
    words_inserted: int
    words_deleted: int
    footnote_changes: int
    total: int


@dataclass(frozen=True, slots=True)
class RedlineView:
    """Everything a redline template or text renderer needs."""

    old: DocHeader
    new: DocHeader
    summary: SummaryView
    rows: tuple[Row, ...]
    footnote_rows: tuple[Row, ...]
    identical: bool
    settings_hash: str
    filters: str  # human description of the active filters, "" when none
    hidden: str  # what the filters hide, counted: "16 paragraphs and 1 footnote"
    first_change: str = ""  # anchor of the first changed pair shown, "" when none


def doc_header(doc: Document) -> DocHeader:
    m = doc.metadata
    adopted = m.adoption_date is not None
    return DocHeader(
        key=doc.key,
        symbol=m.symbol or "",
        title=m.title or "",
        kind=str(m.kind),
        session=str(m.session) if m.session is not None else "",
        date=format_date(m.adoption_date if adopted else m.distribution_date),
        date_label="Adopted" if adopted else "Distributed",
        body=m.body or "",
        agenda_item=m.agenda_item or "",
        sponsors=m.sponsors,
        units=len(doc.units),
    )


def alternative_note(p: Pair) -> str | None:
    """The quiet note of a doubtful decision: "or: removed + added" (several other
    readings joined by "; "), or None when the aligner is clear about it."""
    if not p.alternatives:
        return None
    return "; ".join(f"or: {a.describe(p.kind)}" for a in p.alternatives)


def _pair_view(
    i: int,
    p: Pair,
    prefix: str,
    moved_anchor: str | None,
    c: Comparison | None = None,
    links: Links | None = None,
) -> PairView:
    # Unchanged paragraphs fold in the redline proper; footnotes, short, stay open.
    unchanged_folds = prefix == "p"
    if c is not None and links is not None:
        inline = segments(p, place_markers(c, p, links.cites), Refs(i, links))
        notes = footnote_views(c, i, links)
    else:
        inline, notes = segments(p, plain_pieces(p), None), ()
    return PairView(
        index=i,
        anchor=pair_anchor(i, prefix),
        kind=p.kind.value,
        kind_label=KIND_LABELS[p.kind.value],
        label=pair_label(p),
        old_labels=p.old,
        new_labels=p.new,
        renumbered=p.renumbered,
        routine=p.routine,
        similarity_pct=round(p.similarity * 100),
        inline=inline,
        old_units=side_units(c, i, p, "old", links),
        new_units=side_units(c, i, p, "new", links),
        has_changes=any(s.op is not SpanOp.EQUAL for s in p.spans),
        # A moved pair's old anchors live on its marker at the old position.
        old_anchors=() if moved_anchor else tuple(anchor_id("old", lb) for lb in p.old),
        new_anchors=tuple(anchor_id("new", lb) for lb in p.new),
        moved_from=moved_anchor,
        note=alternative_note(p),
        confidence_pct=round(p.confidence * 100),
        footnotes=notes,
        # An unchanged paragraph whose footnotes changed stays open: the change is under it.
        folded=p.routine or (unchanged_folds and p.kind is PairKind.UNCHANGED and not notes),
        preview=_preview(p) if unchanged_folds and p.kind is PairKind.UNCHANGED else "",
    )


_PREVIEW_WORDS = 12


def _preview(p: Pair) -> str:
    words = " ".join(p.new_texts()).split()
    head = " ".join(words[:_PREVIEW_WORDS])
    return head + " …" if len(words) > _PREVIEW_WORDS else head


def _rows(
    pairs: tuple[Pair, ...],
    old_order: list[str],
    shown: list[tuple[int, Pair]],
    prefix: str,
    c: Comparison | None = None,
    links: Links | None = None,
) -> tuple[Row, ...]:
    """Pairs in reading order, with a marker at the old position of each moved pair."""
    owner = {lb: i for i, p in enumerate(pairs) for lb in p.old}
    moved = {i for i, p in enumerate(pairs) if p.kind is PairKind.MOVED and p.old}
    # For each moved pair, the nearest preceding old unit that did not move: its
    # marker goes right after the pair holding that unit (or at the very top).
    # One pass over the old order keeps this linear in the number of units.
    anchor_before: dict[str, str | None] = {}
    last: str | None = None
    for lb in old_order:
        anchor_before[lb] = last
        j = owner.get(lb)
        if j is not None and j not in moved:
            last = lb
    ghosts_after: dict[int, list[int]] = {}
    where: dict[int, str] = {}
    for i in sorted(moved):
        prev = anchor_before.get(pairs[i].old[0])
        host = owner[prev] if prev is not None else -1
        where[i] = f"after {prev}" if prev is not None else "at the start"
        ghosts_after.setdefault(host, []).append(i)
    shown_idx = {i for i, _ in shown}
    out: list[Row] = []

    def emit_ghosts(host: int) -> None:
        for g in ghosts_after.get(host, []):
            if g in shown_idx:
                p = pairs[g]
                out.append(
                    Row(
                        ghost=GhostView(
                            anchor=f"from-{prefix}{g + 1}",
                            old_label=" + ".join(p.old),
                            target=f"{prefix}{g + 1}",
                            target_label=pair_label(p),
                            old_anchors=tuple(anchor_id("old", lb) for lb in p.old),
                        )
                    )
                )

    emit_ghosts(-1)
    for i, p in enumerate(pairs):
        if i in shown_idx:
            pv = _pair_view(i, p, prefix, f"from-{prefix}{i + 1}" if i in moved else None, c, links)
            if i in moved:
                pv = _with_moved_words(pv, where[i])
            out.append(Row(pair=pv))
        emit_ghosts(i)
    return _chain_changes(tuple(out))


def _is_change(pv: PairView) -> bool:
    """A pair the change navigation stops at: any but unchanged, or one whose footnotes changed."""
    return pv.kind != "unchanged" or bool(pv.footnotes)


def _chain_changes(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """Each changed pair with the anchors of the changed pairs shown before and after it."""
    changed = [k for k, r in enumerate(rows) if r.pair is not None and _is_change(r.pair)]
    out = list(rows)
    for n, k in enumerate(changed):
        pv = rows[k].pair
        assert pv is not None
        prev = rows[changed[n - 1]].pair if n else None
        nxt = rows[changed[n + 1]].pair if n + 1 < len(changed) else None
        out[k] = Row(
            pair=replace(
                pv,
                prev_change=prev.anchor if prev is not None else "",
                next_change=nxt.anchor if nxt is not None else "",
            )
        )
    return tuple(out)


def _cited_by(
    rows: tuple[Row, ...], c: Comparison, links: Links, shown: set[int]
) -> tuple[Row, ...]:
    """Footnote rows with links back to the markers of the shown paragraphs citing them."""
    out = []
    for r in rows:
        if r.pair is None:
            out.append(r)
            continue
        k = r.pair.index
        back = tuple(
            (marker_anchor(i, k), pair_label(c.pairs[i]))
            for i in links.cites.cited_by.get(k, ())
            if i in shown
        )
        out.append(Row(pair=replace(r.pair, cited_by=back)))
    return tuple(out)


def _with_moved_words(pv: PairView, words: str) -> PairView:
    return replace(pv, moved_from_after=words)


def _summary(c: Comparison, shown: set[int]) -> SummaryView:
    kinds = []
    for k in PairKind:
        idx = [i for i, p in enumerate(c.pairs) if p.kind is k]
        links = tuple((pair_anchor(i), pair_label(c.pairs[i])) for i in idx if i in shown)
        kinds.append(KindCount(k.value, KIND_LABELS[k.value], len(idx), links))
    st = c.stats
    return SummaryView(
        kinds=tuple(kinds),
        routine=st.routine,
        renumbered=st.renumbered,
        words_inserted=st.words_inserted,
        words_deleted=st.words_deleted,
        footnote_changes=st.footnotes_changed,
        total=len(c.pairs),
    )


def _describe(only: frozenset[str] | None, hide_routine: bool) -> str:
    parts = []
    if only is not None:
        if only == _ANY_CHANGE:
            parts.append("only changed paragraphs")
        else:
            parts.append("only " + ", ".join(KIND_LABELS[k].lower() for k in sorted(only)))
    if hide_routine:
        parts.append("routine changes hidden")
    return "; ".join(parts)


def build_view(
    c: Comparison, *, only: str | Iterable[str] | None = None, hide_routine: bool = False
) -> RedlineView:
    """The view model of a comparison, with the filters applied."""
    kinds = parse_only(only)
    shown = select_pairs(c.pairs, kinds, hide_routine)
    shown_fn = select_pairs(c.footnotes, kinds, hide_routine)
    old_order = [u.label for u in c.old.units]
    old_fn_order = [f"fn{f.number}" for f in c.old.footnotes]
    shown_idx = {i for i, _ in shown}
    cites = citations(c)
    owner: dict[int, int] = {}
    for note, citing in cites.cited_by.items():
        if c.footnotes[note].kind is PairKind.UNCHANGED:
            continue
        first = next((i for i in citing if i in shown_idx), None)
        if first is not None:
            owner[note] = first
    links = Links(cites, owner, frozenset(i for i, _ in shown_fn))
    fn_rows = _cited_by(_rows(c.footnotes, old_fn_order, shown_fn, "fn"), c, links, shown_idx)
    rows = _rows(c.pairs, old_order, shown, "p", c, links)
    changes = [r.pair.anchor for r in rows if r.pair is not None and _is_change(r.pair)]
    return RedlineView(
        old=doc_header(c.old),
        new=doc_header(c.new),
        summary=_summary(c, {i for i, _ in shown}),
        rows=rows,
        footnote_rows=fn_rows,
        identical=c.identical,
        settings_hash=c.settings_hash,
        filters=_describe(kinds, hide_routine),
        hidden=_hidden(len(c.pairs) - len(shown), len(c.footnotes) - len(shown_fn)),
        first_change=changes[0] if changes else "",
    )


def _hidden(paragraphs: int, footnotes: int) -> str:
    """What the filters hide, paragraphs and footnotes counted apart (a text of 17
    paragraphs showing one must not say "17 hidden" because a footnote is)."""
    if not footnotes:
        return counted(paragraphs, "paragraph")
    return f"{counted(paragraphs, 'paragraph')} and {counted(footnotes, 'footnote')}"
