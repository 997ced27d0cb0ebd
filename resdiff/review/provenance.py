"""Where new wording comes from: agreed language in earlier adopted resolutions, or new.

For every change run of a comparison (the inserts and deletes between two unchanged
stretches of one pair), ``provenance`` looks the wording as it now reads up in the
lineage index: the earliest and latest adopted resolution already containing it and how
many do, or **new language** when none does. ``longstanding_deletions`` points out
deleted wording that had been in every version of the series for years.

Why the looked-up wording is widened: an inserted "deep" is not a phrase anyone can
call agreed; "expresses its deep concern" is. Runs shorter than ``MIN_WORDS`` words are
widened with the words around them in the new text. A long insertion not found whole
is looked up clause by clause ("partly agreed").

Only resolutions adopted *before* the reviewed text count as precedent: the resolution
later adopted from this very draft would otherwise vouch for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from resdiff.compare import routine_words_only
from resdiff.model import Comparison, Document, Pair, PairKind, SpanOp
from resdiff.normalize import words
from resdiff.search import Occurrence, agreed, occurrences, phrase_key

if TYPE_CHECKING:
    from resdiff.model import StoredMember
    from resdiff.store import Store

__all__ = [
    "CLAUSE_MIN_WORDS",
    "LONGSTANDING_MIN_VERSIONS",
    "LONG_RUN_WORDS",
    "MAX_EXTRA_WORDS",
    "MIN_WORDS",
    "ChangeRun",
    "ClauseFinding",
    "LongStanding",
    "Precedent",
    "Provenance",
    "change_runs",
    "longstanding_deletions",
    "provenance",
    "widen",
]

# Pinned tunables (recorded in the review pack's settings).
MIN_WORDS = 4  # shortest wording looked up; shorter runs are widened with context
CLAUSE_MIN_WORDS = 5  # a clause shorter than this is joined to its neighbour
LONG_RUN_WORDS = 12  # a run this long not found whole is looked up clause by clause
LONGSTANDING_MIN_VERSIONS = 3  # deleted wording present in at least this many versions

# A word; a decimal number ("2.3", "1,000") is one word, not two.
_WORD = re.compile(r"\w[\w'’\-‑]*(?:[.,]\d+)*", re.UNICODE)
# Words that cannot end a looked-up wording: "the fulfilment of the" says nothing until
# the noun after it is included ("the fulfilment of the right").
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "these",
        "those",
        "to",
        "which",
        "with",
    ]
)
_PUNCT = re.compile(r"[,;:.()]")
MAX_EXTRA_WORDS = 3  # words added at each end, at most, to reach a content word
# What a respelling changes: spaces and hyphens ("non-communicable", "health care").
_SPACING = re.compile(r"[\s\-]+")
# Clause boundaries inside a paragraph: semicolons, colons, and commas.
_CLAUSE_END = re.compile(r"(?<=[;:,])\s+")


@dataclass(frozen=True, slots=True)
class ChangeRun:
    """The inserted and deleted text between two unchanged stretches of one pair.

    ``new_range`` / ``old_range`` are character offsets of the run in the new / old
    unit's text (``new_label`` / ``old_label``); an empty range on a side means nothing
    was inserted (or deleted) there.
    """

    pair: int
    inserted: str
    deleted: str
    new_label: str | None
    old_label: str | None
    new_range: tuple[int, int]
    old_range: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Precedent:
    """An adopted resolution (and unit) already containing some wording."""

    key: str
    symbol: str | None
    label: str
    date: date | None

    @classmethod
    def of(cls, o: Occurrence) -> Precedent:
        """The precedent an index occurrence names."""
        return cls(o.key, o.symbol, o.label, o.date)


@dataclass(frozen=True, slots=True)
class ClauseFinding:
    """One clause of a long insertion and where (if anywhere) it is agreed."""

    text: str
    count: int
    earliest: Precedent | None
    latest: Precedent | None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the inserted wording of one change run comes from.

    ``status``: "agreed" (the wording, widened to ``query``, is in ``count`` earlier
    adopted resolutions), "partly agreed" (some of its clauses are; see ``clauses``) or
    "new language".
    """

    run: ChangeRun
    query: str
    status: str
    count: int
    earliest: Precedent | None
    latest: Precedent | None
    clauses: tuple[ClauseFinding, ...] = ()

    @property
    def label(self) -> str:
        """The new unit the wording was inserted in."""
        return self.run.new_label or ""


@dataclass(frozen=True, slots=True)
class LongStanding:
    """Deleted wording that every version of the series since ``since`` carried."""

    run: ChangeRun
    query: str
    versions: int
    since: str  # the symbol (or key) of the first version of the unbroken streak


def change_runs(c: Comparison, indices: Sequence[int] | None = None) -> list[ChangeRun]:
    """Every change run of the comparison's substantive pairs (routine ones skipped), in
    document order; ``indices`` restricts to those pairs."""
    out: list[ChangeRun] = []
    chosen = range(len(c.pairs)) if indices is None else indices
    for i in chosen:
        p = c.pairs[i]
        if p.routine or p.kind is PairKind.UNCHANGED:
            continue
        out.extend(_runs_of(i, p))
    return out


def _runs_of(i: int, p: Pair) -> list[ChangeRun]:
    runs: list[ChangeRun] = []
    old_pos = [0] * max(len(p.old), 1)
    new_pos = [0] * max(len(p.new), 1)
    k = 0
    spans = p.spans
    while k < len(spans):
        s = spans[k]
        if s.op is SpanOp.EQUAL:
            old_pos[s.old_part] += len(s.old_side_text)
            new_pos[s.new_part] += len(s.text)
            k += 1
            continue
        ins: list[str] = []
        dels: list[str] = []
        new_part = old_part = None
        new_start = old_start = 0
        while k < len(spans) and spans[k].op is not SpanOp.EQUAL:
            s = spans[k]
            if s.op is SpanOp.INSERT:
                if new_part is None:
                    new_part, new_start = s.new_part, new_pos[s.new_part]
                ins.append(s.text)
                new_pos[s.new_part] += len(s.text)
            else:
                if old_part is None:
                    old_part, old_start = s.old_part, old_pos[s.old_part]
                dels.append(s.text)
                old_pos[s.old_part] += len(s.text)
            k += 1
        inserted, deleted = "".join(ins), "".join(dels)
        runs.append(
            ChangeRun(
                pair=i,
                inserted=inserted,
                deleted=deleted,
                new_label=p.new[new_part] if new_part is not None and p.new else None,
                old_label=p.old[old_part] if old_part is not None and p.old else None,
                new_range=(new_start, new_start + len(inserted)),
                old_range=(old_start, old_start + len(deleted)),
            )
        )
    return runs


def _routine(run: ChangeRun) -> bool:
    """A run that only updates references ("and 79/160 of 17 December 2024") or only
    respells ("non-communicable" -> "noncommunicable", "health care" -> "healthcare")
    raises no provenance question, even inside a substantive pair."""
    if _SPACING.sub("", phrase_key(run.inserted)) == _SPACING.sub("", phrase_key(run.deleted)):
        return True
    return all(routine_words_only(t) for t in (run.inserted, run.deleted) if words(t))


def widen(text: str, start: int, end: int, min_words: int = MIN_WORDS) -> str:
    """The words of ``text[start:end]`` (whole words), widened with neighbouring words of
    ``text`` until there are at least ``min_words`` (or the text runs out) and neither
    end is a function word ("of", "the", ...; up to ``MAX_EXTRA_WORDS`` more a side)."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if not spans:
        return text[start:end].strip()
    inside = [j for j, (a, b) in enumerate(spans) if a < end and b > start]
    if inside:
        lo, hi = inside[0], inside[-1]
    else:  # the run is punctuation only: anchor on the next word (or the last one)
        lo = hi = next((j for j, (a, _) in enumerate(spans) if a >= start), len(spans) - 1)
    # Widen to the right first: the words after an insertion say what it qualifies.
    while hi - lo + 1 < min_words and (lo > 0 or hi < len(spans) - 1):
        if hi < len(spans) - 1:
            hi += 1
        if hi - lo + 1 < min_words and lo > 0:
            lo -= 1

    def word(j: int) -> str:
        return text[spans[j][0] : spans[j][1]].lower()

    def joined(j: int) -> bool:  # words j and j+1 are in one clause (no punctuation between)
        return not _PUNCT.search(text[spans[j][1] : spans[j + 1][0]])

    # Then make both ends content words (a few words at most each side, within the clause).
    for _ in range(MAX_EXTRA_WORDS):
        if hi < len(spans) - 1 and word(hi) in _FUNCTION_WORDS and joined(hi):
            hi += 1
    for _ in range(MAX_EXTRA_WORDS):
        if lo > 0 and word(lo) in _FUNCTION_WORDS and joined(lo - 1):
            lo -= 1
    return text[spans[lo][0] : spans[hi][1]]


def _clauses(text: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE_END.split(text) if p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and len(words(merged[-1])) < CLAUSE_MIN_WORDS:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    if len(merged) > 1 and len(words(merged[-1])) < CLAUSE_MIN_WORDS:
        last = merged.pop()
        merged[-1] = f"{merged[-1]} {last}"
    return [m.rstrip(";:,") for m in merged]


class _Precedents:
    """Agreed-language look-ups before a cut-off date, memoised per wording."""

    def __init__(self, store: Store, reviewed: Document, cutoff: date | None) -> None:
        self.store = store
        self.cutoff = cutoff
        self.exclude = {reviewed.key, reviewed.metadata.symbol}
        self._memo: dict[str, tuple[Occurrence, ...]] = {}

    def find(self, wording: str) -> tuple[Occurrence, ...]:
        hit = self._memo.get(wording)
        if hit is None:
            found = agreed(self.store, wording, whole_words=True).occurrences
            hit = tuple(
                o
                for o in found
                if o.key not in self.exclude
                and o.symbol not in self.exclude
                and (self.cutoff is None or (o.date is not None and o.date < self.cutoff))
            )
            self._memo[wording] = hit
        return hit


def _count(found: Sequence[Occurrence]) -> int:
    return len({o.key for o in found})


def _ends(found: Sequence[Occurrence]) -> tuple[Precedent | None, Precedent | None]:
    if not found:
        return None, None
    return Precedent.of(found[0]), Precedent.of(found[-1])


def provenance(
    store: Store, c: Comparison, runs: Sequence[ChangeRun], cutoff: date | None = None
) -> list[Provenance]:
    """The provenance of each run that inserted words (deletions alone have none).

    Precedent is any adopted resolution dated before ``cutoff`` (default: the new
    text's own date; none when it is undated)."""
    m = c.new.metadata
    lookup = _Precedents(store, c.new, cutoff or m.adoption_date or m.distribution_date)
    new_text = {u.label: u.text for u in c.new.units}
    out: list[Provenance] = []
    for run in runs:
        if not words(run.inserted) or run.new_label is None or _routine(run):
            continue
        text = new_text.get(run.new_label, run.inserted)
        query = widen(text, *run.new_range)
        found = lookup.find(query)
        if found:
            out.append(Provenance(run, query, "agreed", _count(found), *_ends(found)))
            continue
        clauses: tuple[ClauseFinding, ...] = ()
        if len(words(query)) >= LONG_RUN_WORDS:
            parts = _clauses(query)
            if len(parts) > 1:
                clauses = tuple(
                    ClauseFinding(part, _count(f), *_ends(f))
                    for part in parts
                    for f in (lookup.find(part),)
                )
        status = "partly agreed" if any(cl.count for cl in clauses) else "new language"
        out.append(Provenance(run, query, status, 0, None, None, clauses))
    return out


def longstanding_deletions(
    store: Store,
    c: Comparison,
    runs: Sequence[ChangeRun],
    series: str,
    versions: Sequence[StoredMember],
) -> list[LongStanding]:
    """Deleted wording present in at least ``LONGSTANDING_MIN_VERSIONS`` consecutive
    versions of the series up to the old text (``series``: the series key;
    ``versions``: its full-text versions in order, ending with the old text's version)."""
    if len(versions) < LONGSTANDING_MIN_VERSIONS:
        return []
    keys = [m.key for m in versions]
    old_text = {u.label: u.text for u in c.old.units}
    out: list[LongStanding] = []
    seen: set[str] = set()
    for run in runs:
        if len(words(run.deleted)) < 2 or run.old_label is None or _routine(run):
            continue
        query = widen(old_text.get(run.old_label, run.deleted), *run.old_range)
        if query in seen:
            continue
        seen.add(query)
        having = {o.key for o in occurrences(store, query, series=series, whole_words=True)}
        streak = 0
        for k in reversed(keys):
            if k not in having:
                break
            streak += 1
        if streak >= LONGSTANDING_MIN_VERSIONS:
            first = versions[len(keys) - streak]
            out.append(LongStanding(run, query, streak, first.symbol or first.key))
    return out
