"""The review pack: one object holding everything a delegate needs before a Committee vote.

``build_pack`` takes the located documents (``locate.locate``), compares the draft with
the last adopted text once, and gathers the analyses every renderer reads: provenance
of new wording, long-standing deletions, verb strength, sponsors, cross-references at
risk and pending amendments. Renderers (``resdiff.render.review``) read only this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from resdiff.compare import compare
from resdiff.model import Comparison, DocKind, Document, PairKind
from resdiff.review import provenance as prov
from resdiff.review.crossrefs import RiskyReference, references_at_risk
from resdiff.review.locate import Located, locate
from resdiff.review.sponsors import SponsorDiff, diff_sponsors
from resdiff.review.strength import Scale, StrengthChange, load_scale, strength_changes
from resdiff.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from resdiff.amend import AmendResult, Reflection
    from resdiff.store import Store

T = TypeVar("T")

__all__ = [
    "AmendmentReview",
    "ChangeNotes",
    "ReviewPack",
    "ReviewSummary",
    "SponsorReview",
    "build_pack",
    "review",
]


@dataclass(frozen=True, slots=True)
class ChangeNotes:
    """What the review says about one substantive pair (index into ``comparison.pairs``)."""

    pair: int
    provenance: tuple[prov.Provenance, ...] = ()
    longstanding: tuple[prov.LongStanding, ...] = ()
    strength: tuple[StrengthChange, ...] = ()
    crossrefs: tuple[RiskyReference, ...] = ()


@dataclass(frozen=True, slots=True)
class SponsorReview:
    """The draft's sponsors, and the change against the previous draft when one is stored
    and the draft lists sponsors (``diff`` is None otherwise)."""

    sponsors: tuple[str, ...]
    previous: str | None  # symbol of the previous draft stored
    diff: SponsorDiff | None


@dataclass(frozen=True, slots=True)
class AmendmentReview:
    """One pending amendment: its instructions applied to the draft, and the redline."""

    amendment: Document
    result: AmendResult
    comparison: Comparison  # the draft as amended, against the draft
    reflected: tuple[Reflection, ...]  # against the adopted text, when one is stored


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """The one-screen figures of a review."""

    added: int
    removed: int
    changed: int
    moved: int
    split: int
    merged: int
    unchanged: int
    routine: int
    renumbered: int
    agreed: int
    partly_agreed: int
    new_language: int
    longstanding_deleted: int
    strengthened: int
    softened: int
    joined: int
    left: int
    crossrefs: int
    amendments: int


@dataclass(frozen=True, slots=True)
class ReviewPack:
    """Everything the review renderers show; ``notes`` are in document order."""

    comparison: Comparison
    baseline_how: str
    series_title: str | None
    precedent: str  # which texts were searched for agreed language, said in every format
    notes: tuple[ChangeNotes, ...]
    sponsors: SponsorReview
    amendments: tuple[AmendmentReview, ...]
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def substantive(self) -> tuple[int, ...]:
        """Indices of the pairs that changed for more than routine reasons."""
        return tuple(n.pair for n in self.notes)

    def summary(self) -> ReviewSummary:
        """Counts for the summary block."""
        c = self.comparison
        kinds = {k: 0 for k in PairKind}
        for p in c.pairs:
            if not p.routine:
                kinds[p.kind] += 1
        provs = [x for n in self.notes for x in n.provenance]
        strength = [x for n in self.notes for x in n.strength]
        diff = self.sponsors.diff
        return ReviewSummary(
            added=kinds[PairKind.ADDED],
            removed=kinds[PairKind.REMOVED],
            changed=kinds[PairKind.CHANGED],
            moved=kinds[PairKind.MOVED],
            split=kinds[PairKind.SPLIT],
            merged=kinds[PairKind.MERGED],
            unchanged=kinds[PairKind.UNCHANGED],
            routine=c.stats.routine,
            renumbered=c.stats.renumbered,
            agreed=sum(x.status == "agreed" for x in provs),
            partly_agreed=sum(x.status == "partly agreed" for x in provs),
            new_language=sum(x.status == "new language" for x in provs),
            longstanding_deleted=sum(len(n.longstanding) for n in self.notes),
            strengthened=sum(x.direction == "strengthened" for x in strength),
            softened=sum(x.direction == "softened" for x in strength),
            joined=len(diff.joined) if diff else 0,
            left=len(diff.left) if diff else 0,
            crossrefs=sum(len(n.crossrefs) for n in self.notes),
            amendments=len(self.amendments),
        )


def _by_pair(items: Iterable[T], pair: Callable[[T], int | None]) -> dict[int, tuple[T, ...]]:
    """Items grouped by the index of the comparison pair they are about (None: dropped)."""
    out: dict[int, list[T]] = {}
    for x in items:
        i = pair(x)
        if i is not None:
            out.setdefault(i, []).append(x)
    return {i: tuple(xs) for i, xs in out.items()}


def _amendment(
    loc: Located, doc: Document, adopted: Document | None, settings: Settings
) -> AmendmentReview:
    # force: the amendment was found in the draft's series by its target's base symbol
    # (L.20/Rev.1 for L.20); the version difference is kept as a note on the result.
    from resdiff.amend import amend, reflected_in  # only when an amendment is pending

    result = amend(loc.draft, [doc], force=True)
    cmp = compare(loc.draft, result.amended, settings)
    reflected = tuple(reflected_in(result, adopted)) if adopted is not None else ()
    return AmendmentReview(doc, result, cmp, reflected)


def _precedent(store: Store | None, loc: Located) -> str:
    """Which texts count as precedent, in words: the baseline, and the store's adopted
    resolutions dated before the cut-off ("the --against text only: no store")."""
    given = "the --against text" if loc.baseline_how == "given with --against" else None
    if store is None:
        return f"{given or 'the baseline'} only: no store"
    stored, adopted = store.count_precedents(loc.cutoff, exclude=loc.draft_key)
    cut = loc.cutoff
    before = f" dated before {cut.day} {cut.strftime('%B')} {cut.year}" if cut else ""
    searched = (
        f"{stored:,} stored documents ({adopted:,} adopted resolution"
        f"{'' if adopted == 1 else 's'}{before})"
    )
    return f"{given} and {searched}" if given else searched


def _adopted_from(store: Store, loc: Located) -> Document | None:
    """The resolution adopted from the draft when the series holds it (a hindsight view):
    the series' resolution of the draft's session that follows it. Adopted texts do not
    print their draft's symbol, so the series' order is the evidence."""
    if loc.series is None:
        return None
    session = loc.draft.metadata.session
    keys = [m.key for m in loc.series.members]
    start = keys.index(loc.draft_key) + 1 if loc.draft_key in keys else 0
    when = loc.draft.metadata.distribution_date
    for m in loc.series.members[start:]:
        if m.kind != DocKind.RESOLUTION.value or m.session != session:
            continue
        if when is not None and m.date is not None and m.date < when:
            continue
        return store.get(m.key)
    return None


def build_pack(
    store: Store | None,
    loc: Located,
    *,
    scale: Scale | None = None,
    amendments: bool = True,
    settings: Settings = DEFAULT_SETTINGS,
) -> ReviewPack:
    """Compare the draft with its baseline once and gather every analysis of the pack."""
    scale = scale or load_scale()
    c = compare(loc.baseline, loc.draft, settings)
    indices = [
        i for i, p in enumerate(c.pairs) if p.kind is not PairKind.UNCHANGED and not p.routine
    ]
    runs = prov.change_runs(c, indices)
    # The baseline is precedent whatever its date or kind: the draft is read against it.
    given = [(loc.baseline_key or loc.baseline.key, loc.baseline)]
    provs = _by_pair(prov.provenance(store, c, runs, loc.cutoff, given=given), lambda x: x.run.pair)
    longs = (
        _by_pair(
            prov.longstanding_deletions(store, c, runs, loc.series.key, loc.versions),
            lambda x: x.run.pair,
        )
        if store is not None and loc.series is not None and loc.versions
        else {}
    )
    strength = _by_pair(strength_changes(c, scale), lambda x: x.pair_index)
    where = {lb: i for i, p in enumerate(c.pairs) for lb in p.new}
    risky = _by_pair(references_at_risk(c), lambda r: where.get(r.unit))
    wanted = sorted(set(indices) | set(strength) | set(risky))
    notes = tuple(
        ChangeNotes(
            pair=i,
            provenance=provs.get(i, ()),
            longstanding=longs.get(i, ()),
            strength=strength.get(i, ()),
            crossrefs=risky.get(i, ()),
        )
        for i in wanted
    )
    prev = loc.previous_draft
    listed = loc.draft.metadata.sponsors
    sponsors = SponsorReview(
        sponsors=listed,
        previous=(prev.metadata.symbol or prev.key) if prev is not None else None,
        # A draft listing no sponsors (a Vice-Chair's text "on the basis of informal
        # consultations on draft resolution ...") says nothing of who left the earlier one.
        diff=diff_sponsors(prev.metadata.sponsors, listed) if prev is not None and listed else None,
    )
    pending: tuple[AmendmentReview, ...] = ()
    if store is not None and amendments and loc.amendments:
        adopted = _adopted_from(store, loc)
        pending = tuple(_amendment(loc, doc, adopted, settings) for doc in loc.amendments)
    return ReviewPack(
        comparison=c,
        baseline_how=loc.baseline_how,
        series_title=loc.series.title if loc.series is not None else None,
        precedent=_precedent(store, loc),
        notes=notes,
        sponsors=sponsors,
        amendments=pending,
        settings={
            "min_words": prov.MIN_WORDS,
            "clause_min_words": prov.CLAUSE_MIN_WORDS,
            "long_run_words": prov.LONG_RUN_WORDS,
            "max_extra_words": prov.MAX_EXTRA_WORDS,
            "longstanding_min_versions": prov.LONGSTANDING_MIN_VERSIONS,
            "scale": scale.source,
            "compare": c.settings_hash,
            "precedent_before": loc.cutoff.isoformat() if loc.cutoff else None,
        },
    )


def review(
    store: Store | None,
    ref: str | Document,
    *,
    against: str | Document | None = None,
    scale: Path | None = None,
    amendments: bool = True,
) -> ReviewPack:
    """The review pack of the draft ``ref`` (a stored symbol, a file, or a document parsed
    but not stored, such as an upload). ``store`` None reviews two texts without any
    store: ``against`` is then required, and is the only precedent."""
    loc = locate(store, ref, against)
    return build_pack(store, loc, scale=load_scale(scale), amendments=amendments)
