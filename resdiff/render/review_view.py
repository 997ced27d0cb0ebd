"""The review pack as plain view data: every sentence a reader sees, written once.

HTML, Markdown and terminal text all show the same notes ("agreed language since ...",
"new language", "strengthened", "paragraph 12 above now points ..."); they are composed
here from the ``ReviewPack`` so the formats cannot drift apart. Nothing is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from resdiff.model import Document
from resdiff.render.viewmodel import (
    DocHeader,
    RedlineView,
    build_view,
    doc_header,
    format_date,
    pair_anchor,
)
from resdiff.review.crossrefs import RiskyReference
from resdiff.review.pack import AmendmentReview, ReviewPack
from resdiff.review.provenance import Precedent, Provenance

__all__ = [
    "AmendmentView",
    "Note",
    "ReviewView",
    "build_review_view",
    "quote",
]

_QUOTE_MAX = 160  # characters of a quoted wording shown in a note


@dataclass(frozen=True, slots=True)
class Note:
    """One remark on a paragraph: ``kind`` picks its style ("agreed", "partly", "new",
    "longstanding", "strengthened", "softened", "crossref"); ``tag`` is its short name."""

    kind: str
    tag: str
    text: str


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """One figure of the summary, with the note kind it counts (for styling)."""

    count: int
    label: str
    kind: str = ""
    href: str = ""  # where the first such item is (an anchor id), "" when nowhere

    @classmethod
    def of(cls, count: int, one: str, many: str, kind: str) -> SummaryLine:
        """The line with the singular or plural wording for ``count``."""
        return cls(count, one if count == 1 else many, kind)


@dataclass(frozen=True, slots=True)
class AmendmentView:
    """A pending amendment: its report lines, its verdict against the adopted text, redline."""

    symbol: str
    sponsors: tuple[str, ...]
    applied: int
    operations: int
    report: tuple[str, ...]
    reflected: str  # "reflected", "not reflected", "partly", "unclear", "not checked", ""
    reflections: tuple[str, ...]
    redline: RedlineView


@dataclass(frozen=True, slots=True)
class ReviewView:
    """Everything the review templates and text renderers read."""

    draft: DocHeader
    draft_name: str  # the symbol, or the title for a draft that prints none
    baseline: DocHeader
    baseline_how: str
    precedent: str
    series: str
    summary: tuple[SummaryLine, ...]
    attention: tuple[SummaryLine, ...]
    redline: RedlineView
    notes: dict[int, tuple[Note, ...]]
    sponsors: tuple[str, ...]
    sponsors_previous: str
    sponsors_note: str  # why joined/left cannot be told though an earlier draft is stored
    joined: tuple[str, ...]
    left: tuple[str, ...]
    unchanged_sponsors: int
    amendments: tuple[AmendmentView, ...]
    settings: dict[str, object]


# Said when the draft names no sponsors but an earlier draft is stored.
NO_SPONSORS = (
    "The draft names no sponsors (a text submitted by an officer of the Committee or a"
    " facilitator, or one whose sponsors are not printed), so who joined or left since {}"
    " cannot be told."
)


def quote(text: str, limit: int = _QUOTE_MAX) -> str:
    """``text`` in curly quotes, whitespace collapsed, shortened in the middle if long;
    the cut falls between words, never inside one."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        half = (limit - 3) // 2
        head = flat[: half + 1].rsplit(" ", 1)[0] if " " in flat[: half + 1] else flat[:half]
        tail = flat[-half - 1 :].split(" ", 1)[-1] if " " in flat[-half - 1 :] else flat[-half:]
        flat = f"{head.rstrip(' ,;:')} … {tail}"
    return f"“{flat}”"


def _where(p: Precedent) -> str:
    when = format_date(p.date)
    return f"{p.symbol or p.key} {p.label}" + (f", {when}" if when else "")


def _resolutions(n: int) -> str:
    return "1 earlier resolution" if n == 1 else f"{n} earlier resolutions"


def _provenance_note(x: Provenance) -> Note:
    if x.status == "agreed" and x.earliest is not None and x.latest is not None:
        if x.count == 1:
            where = f"in {_where(x.earliest)}"
        else:
            where = (
                f"in {_resolutions(x.count)}: first {_where(x.earliest)}; latest {_where(x.latest)}"
            )
        return Note("agreed", "Agreed language", f"{quote(x.query)} is agreed language, {where}.")
    if x.status == "partly agreed":
        found = [cl for cl in x.clauses if cl.count]
        parts = "; ".join(
            f"{quote(cl.text, 80)} ({_resolutions(cl.count)}, latest "
            f"{cl.latest.symbol or cl.latest.key if cl.latest else '?'})"
            for cl in found
        )
        return Note(
            "partly",
            "Partly agreed",
            f"{quote(x.query)}: {len(found)} of {len(x.clauses)} clauses are agreed language: "
            f"{parts}; the rest is new.",
        )
    return Note("new", "New language", f"{quote(x.query)} is in no earlier adopted resolution.")


def _crossref_notes(refs: tuple[RiskyReference, ...]) -> list[Note]:
    """One note per reference as printed ("paragraphs 5, 12 and 14 above" can hold
    several stale numbers): each number with where its paragraph went."""
    grouped: dict[tuple[str, int], list[RiskyReference]] = {}
    for r in refs:
        grouped.setdefault((r.unit, r.start), []).append(r)
    out = []
    for group in grouped.values():
        if len(group) == 1:
            out.append(Note("crossref", "Reference at risk", group[0].explanation))
            continue
        moves = ", ".join(
            f"{_number(r.printed)} → {_number(r.new_target) if r.new_target else 'gone'}"
            for r in group
        )
        first = group[0]
        out.append(
            Note(
                "crossref",
                "Reference at risk",
                f"{quote(first.text)} in {first.unit} names paragraphs that were renumbered "
                f"or removed: {moves}.",
            )
        )
    return out


def _number(label: str) -> str:
    return label[2:] if label[:2] in ("OP", "PP") else label


def _notes(pack: ReviewPack) -> dict[int, tuple[Note, ...]]:
    out: dict[int, tuple[Note, ...]] = {}
    for n in pack.notes:
        notes: list[Note] = []
        for s in n.strength:
            what = {"operative verb": "Operative verb", "preambular lead": "Lead words"}.get(
                s.group, "Qualifier"
            )
            notes.append(
                Note(
                    s.direction,
                    s.direction.capitalize(),
                    f"{what} “{s.old_term}” → “{s.new_term}”: {s.direction} "
                    f"(scale {s.old_rank} → {s.new_rank}).",
                )
            )
        notes.extend(_provenance_note(x) for x in n.provenance)
        notes.extend(
            Note(
                "longstanding",
                "Long-standing text deleted",
                f"Deleted {quote(ls.run.deleted)}: it had been in every version since "
                f"{ls.since}"
                + (", the earliest stored" if ls.since_earliest else "")
                + f" ({ls.versions} versions).",
            )
            for ls in n.longstanding
        )
        notes.extend(_crossref_notes(n.crossrefs))
        if notes:
            out[n.pair] = tuple(notes)
    return out


def _summary(pack: ReviewPack) -> tuple[tuple[SummaryLine, ...], tuple[SummaryLine, ...]]:
    s = pack.summary()
    paragraphs = (
        SummaryLine.of(s.added, "new paragraph", "new paragraphs", "added"),
        SummaryLine.of(s.removed, "deleted paragraph", "deleted paragraphs", "removed"),
        SummaryLine.of(s.changed, "changed paragraph", "changed paragraphs", "changed"),
        SummaryLine.of(s.moved, "moved paragraph", "moved paragraphs", "moved"),
        SummaryLine.of(s.split, "split paragraph", "split paragraphs", "split"),
        SummaryLine.of(s.merged, "merged paragraph", "merged paragraphs", "merged"),
        SummaryLine.of(
            s.routine,
            "routine update (symbols, dates, sessions), folded",
            "routine updates (symbols, dates, sessions), folded",
            "routine",
        ),
        SummaryLine.of(s.renumbered, "renumbered", "renumbered", "renumbered"),
        SummaryLine.of(s.unchanged, "unchanged paragraph", "unchanged paragraphs", "unchanged"),
    )
    attention = (
        SummaryLine.of(s.new_language, "new-language passage", "new-language passages", "new"),
        SummaryLine.of(
            s.partly_agreed, "partly agreed passage", "partly agreed passages", "partly"
        ),
        SummaryLine.of(
            s.agreed,
            "insertion that is agreed language",
            "insertions that are agreed language",
            "agreed",
        ),
        SummaryLine.of(
            s.longstanding_deleted,
            "long-standing passage deleted",
            "long-standing passages deleted",
            "longstanding",
        ),
        SummaryLine.of(
            s.strengthened,
            "strengthened verb or qualifier",
            "strengthened verbs or qualifiers",
            "strengthened",
        ),
        SummaryLine.of(
            s.softened, "softened verb or qualifier", "softened verbs or qualifiers", "softened"
        ),
        SummaryLine.of(
            s.crossrefs, "paragraph reference at risk", "paragraph references at risk", "crossref"
        ),
        SummaryLine.of(s.joined, "sponsor joined", "sponsors joined", "joined"),
        SummaryLine.of(s.left, "sponsor left", "sponsors left", "left"),
        SummaryLine.of(s.amendments, "amendment pending", "amendments pending", "amendments"),
    )
    return paragraphs, attention


def _amendment_view(a: AmendmentReview) -> AmendmentView:
    from resdiff.amend import report_lines, summary  # only when an amendment is pending

    r = a.result
    return AmendmentView(
        symbol=a.amendment.metadata.symbol or a.amendment.key,
        sponsors=a.amendment.metadata.sponsors,
        applied=sum(o.applied for o in r.outcomes),
        operations=len(r.outcomes),
        report=tuple(report_lines(r)),
        reflected=summary(a.reflected) if a.reflected else "",
        reflections=tuple(
            f"{x.outcome.operation.describe() if x.outcome.operation else x.outcome.instruction.text}: "
            f"{x.status}{' (' + x.detail + ')' if x.detail else ''}"
            for x in a.reflected
        ),
        redline=build_view(a.comparison, only="changed"),
    )


def _name(doc: Document) -> str:
    m = doc.metadata
    if m.symbol:
        return m.symbol
    return f"the draft {quote(m.title, 90)} (no symbol printed)" if m.title else doc.key


def build_review_view(pack: ReviewPack) -> ReviewView:
    """The view of a review pack: the redline shows every changed paragraph (routine
    ones folded), each followed by its notes."""
    c = pack.comparison
    paragraphs, attention = _summary(pack)
    notes = _notes(pack)
    # Each "to look at" figure links to the first paragraph carrying such a note.
    first: dict[str, str] = {"joined": "sponsors-h", "left": "sponsors-h"}
    first["amendments"] = "amendments-h"
    for index in sorted(notes):
        for n in notes[index]:
            first.setdefault(n.kind, pair_anchor(index))
    attention = tuple(replace(x, href=first.get(x.kind, "")) for x in attention)
    sp = pack.sponsors
    return ReviewView(
        draft=doc_header(c.new),
        draft_name=_name(c.new),
        baseline=doc_header(c.old),
        baseline_how=pack.baseline_how,
        precedent=pack.precedent,
        series=pack.series_title or "",
        summary=paragraphs,
        attention=attention,
        redline=build_view(c, only="changed"),
        notes=notes,
        sponsors=sp.sponsors,
        sponsors_previous=sp.previous or "",
        sponsors_note=NO_SPONSORS.format(sp.previous) if sp.previous and not sp.diff else "",
        joined=sp.diff.joined if sp.diff else (),
        left=sp.diff.left if sp.diff else (),
        unchanged_sponsors=len(sp.diff.unchanged) if sp.diff else 0,
        amendments=tuple(_amendment_view(a) for a in pack.amendments),
        settings=dict(pack.settings),
    )
