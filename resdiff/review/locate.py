"""Find what a review compares: the draft, its series, the last adopted text, the previous draft.

A delegate names a draft (a stored symbol or a file) and resdiff finds the rest: the
series the draft belongs to (by its stored place, else the resolutions it recalls, else
its title), the series' latest resolution adopted before the draft, the previous draft
of the series (for the sponsor list), and amendments on the table that target it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from resdiff.documents import document_in
from resdiff.errors import NoBaselineError, UsageError
from resdiff.ingest import parse_file
from resdiff.lineage import chain, list_series, series_containing, series_of
from resdiff.model import DocKind, Document
from resdiff.series import base_symbol, candidate_of, match_name, same_subject

if TYPE_CHECKING:
    from resdiff.model import StoredMember, StoredSeries
    from resdiff.store import Store

__all__ = ["Located", "base_draft_symbol", "locate"]

_DRAFT_KINDS = frozenset({DocKind.DRAFT.value, DocKind.REVISED_DRAFT.value})


@dataclass(frozen=True, slots=True)
class Located:
    """The documents of one review, and how each was found (said in the report)."""

    draft: Document
    draft_key: str | None  # stored key, None for a file that is not stored
    baseline: Document
    baseline_key: str | None
    baseline_how: str
    series: StoredSeries | None
    previous_draft: Document | None
    amendments: tuple[Document, ...]
    versions: tuple[StoredMember, ...]  # full-text versions up to and including the baseline
    cutoff: date | None = None  # resolutions adopted before this day are precedent


def _name(ref: str | Document) -> str:
    if isinstance(ref, str):
        return ref
    return ref.metadata.symbol or (ref.source.name if ref.source else None) or ref.key


def base_draft_symbol(symbol: str | None) -> str | None:
    """``A/C.3/80/L.20/Rev.1`` -> ``A/C.3/80/L.20``: amendments name a revision the
    corpus may not hold; they still belong to the draft."""
    return base_symbol(symbol) if symbol else None


def _load(store: Store | None, ref: str | Document) -> tuple[Document, str | None]:
    # A Document is taken as given (an upload, parsed but not stored): never a path.
    if isinstance(ref, Document):
        doc = ref
    elif store is None:
        doc = _file(ref)
    else:
        doc = document_in(store, ref)
    return doc, store.key_of(doc) if store is not None else None


def _file(ref: str) -> Document:
    """A file named without a store: parsed, never looked up."""
    path = Path(ref)
    if not path.exists():
        raise UsageError(
            f"{ref}: no such file, and there is no store to look it up in; "
            "give file paths, or ingest the documents first"
        )
    return parse_file(path)


def _find_series(
    all_series: list[StoredSeries], doc: Document, key: str | None
) -> StoredSeries | None:
    if key is not None:
        found = series_of(all_series, key)
        if found is not None:
            return found
    # Not stored: the resolutions it recalls name its series (latest first), then those
    # a list further down names when their series has its subject, else its title.
    title = doc.metadata.title
    facts = candidate_of(key or "", doc.metadata, doc.units)
    for number in _latest_first(facts.recalls):
        found = series_of(all_series, f"A/RES/{number}")
        if found is not None:
            return found
    for number in _latest_first(facts.cited):
        found = series_of(all_series, f"A/RES/{number}")
        if found is not None and same_subject(title, found.title):
            return found
    return series_of(all_series, title) if title else None


def _latest_first(numbers: tuple[str, ...]) -> list[str]:
    return sorted(numbers, key=lambda n: tuple(map(int, n.split("/"))), reverse=True)


def _place(versions: list[StoredMember], draft: Document, key: str | None) -> int | None:
    """The draft's index among the series' versions: itself when stored, else the stored
    version with its symbol (a Word file of a stored draft); None when neither."""
    keys = [m.key for m in versions]
    if key is not None and key in keys:
        return keys.index(key)
    if draft.metadata.symbol:
        name = match_name(draft.metadata.symbol, "")
        for i, m in enumerate(versions):
            if m.symbol and match_name(m.symbol, m.key) == name:
                return i
    return None


def _before(versions: list[StoredMember], draft: Document, place: int | None) -> list[StoredMember]:
    """The versions that precede the draft: by its place when known, else by date (an
    undated text of unknown place is taken as the newest)."""
    if place is not None:
        return versions[:place]
    when = draft.metadata.adoption_date or draft.metadata.distribution_date
    if when is None:
        return versions
    return [m for m in versions if m.date is not None and m.date < when]


def _cutoff(
    versions: list[StoredMember], draft: Document, place: int | None, baseline: Document
) -> date | None:
    """The date before which a resolution counts as precedent for the draft's wording:
    the draft's own date, else its stored version's, else the day after the baseline
    was adopted (an undated file: only what is surely older can vouch for it)."""
    when = draft.metadata.adoption_date or draft.metadata.distribution_date
    if when is None and place is not None:
        when = versions[place].date
    if when is None:
        base = baseline.metadata.adoption_date or baseline.metadata.distribution_date
        when = base + timedelta(days=1) if base is not None else None
    return when


def locate(
    store: Store | None, ref: str | Document, against: str | Document | None = None
) -> Located:
    """The draft named by ``ref`` with its baseline (``against``, else the series' latest
    resolution adopted before it), previous draft and pending amendments.

    ``ref`` and ``against`` are stored references or file paths, or documents already
    parsed (a draft read from an upload is reviewed without being stored). Without a
    store (``None``) both must be given as files or documents: the review is of two texts."""
    if store is None and against is None:
        raise UsageError(
            f"{_name(ref)}: without a store, say what to compare it with: "
            "pass --against OLD_FILE (or ingest the series first)"
        )
    draft, draft_key = _load(store, ref)
    if draft.metadata.kind is DocKind.AMENDMENT:
        raise UsageError(
            f"{_name(ref)} is an amendment: review {draft.metadata.draft_symbol or 'the draft it names'}"
            " instead (its review lists the "
            "amendments pending against it), or apply it with `resdiff amend`"
        )
    if store is None:
        assert against is not None
        baseline, _ = _load(None, against)
        return Located(
            cutoff=_cutoff([], draft, None, baseline),
            draft=draft,
            draft_key=None,
            baseline=baseline,
            baseline_key=None,
            baseline_how="given with --against",
            series=None,
            previous_draft=None,
            amendments=(),
            versions=(),
        )
    # A stored draft's series is read on its own; a draft not stored is matched against
    # every series (by the resolutions it recalls, else its title).
    series = series_containing(store, draft_key) if draft_key is not None else None
    if series is None:
        series = _find_series(list_series(store), draft, None)
    versions = chain(series) if series is not None else []
    place = _place(versions, draft, draft_key)
    earlier = _before(versions, draft, place)
    if against is not None:
        baseline, baseline_key = _load(store, against)
        how = "given with --against"
    else:
        adopted = [m for m in earlier if m.kind == DocKind.RESOLUTION.value]
        if not adopted:
            where = f"in its series {series.title!r}" if series and series.title else ""
            raise NoBaselineError(_name(ref), where or "in any stored series")
        baseline_key = adopted[-1].key
        baseline = store.get(baseline_key)
        how = "the latest resolution of the series adopted before the draft"
    drafts = [m for m in earlier if m.kind in _DRAFT_KINDS]
    previous = store.get(drafts[-1].key) if drafts else None
    amendments: list[Document] = []
    amended = base_draft_symbol(draft.metadata.symbol)
    if series is not None and amended is not None:
        for m in series.members:
            if m.kind == DocKind.AMENDMENT.value:
                doc = store.get(m.key)
                if base_draft_symbol(doc.metadata.draft_symbol) == amended:
                    amendments.append(doc)
    keys = [m.key for m in versions]
    upto = (
        tuple(versions[: keys.index(baseline_key) + 1])
        if baseline_key is not None and baseline_key in keys
        else ()
    )
    return Located(
        cutoff=_cutoff(versions, draft, place, baseline),
        draft=draft,
        draft_key=draft_key,
        baseline=baseline,
        baseline_key=baseline_key,
        baseline_how=how,
        series=series,
        previous_draft=previous,
        amendments=tuple(amendments),
        versions=upto,
    )
