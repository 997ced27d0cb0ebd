"""Phrase look-ups across stored versions: first appearance, every occurrence, agreed language.

first_appearance(store, phrase, *, series=None, adopted_only=False, whole_words=True)
    -> Occurrence | None
occurrences(store, phrase, *, series=None, fuzzy=None) -> list[Occurrence]
agreed(store, wording) -> AgreedAnswer   # adopted resolutions only, any series
agreed_many(store, wordings) -> {wording: AgreedAnswer}   # the same, one pass
occurrences_many(store, phrases, *, series=None) -> {phrase: [Occurrence]}
optimize_index(store)   # after a bulk ingest: merges the index (SQLite p50 3.3 -> 1.0 ms)

A phrase is literal text: it matches a unit when its matching key (``normalize.key``:
case, spaces and line breaks, curly quotes, dash and hyphen variants, soft hyphens,
ligatures; footnote numbers glued to a word) is a substring of the unit's key. No character is query syntax. "Earliest"
means by date (adoption date for resolutions, else distribution date; undated last),
then by symbol, then by place in the document. ``fuzzy=0.85`` also finds near-variants
("inhuman" / "inhumane"), each with its similarity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from resdiff.errors import UsageError
from resdiff.model import DocKind
from resdiff.normalize import CJK_RANGES, clean_display, spaced_word_char
from resdiff.store import search as index
from resdiff.store.search import phrase_key

if TYPE_CHECKING:
    from resdiff.store import Store

__all__ = [
    "AgreedAnswer",
    "Occurrence",
    "agreed",
    "agreed_many",
    "asked_phrase",
    "first_appearance",
    "occurrences",
    "occurrences_many",
    "optimize_index",
    "phrase_key",
    "stands_whole",
    "whole_words",
]

# Sentence ends inside a unit: resolutions chain clauses with ";" and end with "." or ",".
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One stored version and unit containing a phrase.

    ``key`` is the stored version's reference (what ``Store.get`` takes); ``kind`` the
    document kind; ``sentence`` the sentence of the unit holding the phrase, as printed;
    ``similarity`` is 1.0 for an exact (normalised) match, less for a fuzzy one.
    """

    key: str
    symbol: str | None
    label: str
    date: date | None
    kind: DocKind
    sentence: str
    unit_text: str
    version: int = 1
    position: int = 0
    similarity: float = 1.0


@dataclass(frozen=True, slots=True)
class AgreedAnswer:
    """The adopted resolutions whose text contains ``wording``, earliest first."""

    wording: str
    occurrences: tuple[Occurrence, ...]

    @property
    def found(self) -> bool:
        """True when at least one adopted resolution contains the wording."""
        return bool(self.occurrences)

    @property
    def earliest(self) -> Occurrence | None:
        """The first adopted resolution (and unit) containing the wording."""
        return self.occurrences[0] if self.occurrences else None

    @property
    def latest(self) -> Occurrence | None:
        """The most recent adopted resolution (and unit) containing the wording."""
        return self.occurrences[-1] if self.occurrences else None

    @property
    def resolutions(self) -> tuple[str, ...]:
        """The distinct resolutions containing it (keys), earliest first."""
        return tuple(dict.fromkeys(o.key for o in self.occurrences))


def _filters(store: Store, series: str | None, *, resolutions_only: bool = False) -> index.Filters:
    # A read-only store may hold its grouping in memory: the series is then its members.
    from resdiff.store.lineage import LineageStore

    held = LineageStore(store).held_members(series) if series is not None else None
    if held is not None:
        return index.Filters(resolutions_only=resolutions_only, keys=held)
    return index.Filters(series=series, resolutions_only=resolutions_only)


def optimize_index(store: Store) -> None:
    """Merge the phrase index after adding many documents (faster queries afterwards)."""
    index.optimize_index(store)


def asked_phrase(phrase: str) -> str:
    """``phrase`` when it holds a word (letters or digits) to look for, for the commands and
    pages that take one from a person; a usage error otherwise: a comma or an empty string
    is in every text, so an answer would say nothing. (The search functions themselves
    answer any string.)"""
    if not any(ch.isalnum() for ch in phrase):
        raise UsageError(
            f"“{phrase.strip()[:40]}” holds no word to look for: give a word or a phrase, "
            "e.g. “enforced disappearances”"
        )
    return phrase


def first_appearance(
    store: Store,
    phrase: str,
    *,
    series: str | None = None,
    adopted_only: bool = False,
    whole_words: bool = True,
) -> Occurrence | None:
    """The earliest version and unit containing ``phrase``; None when no text contains it.
    As whole words unless ``whole_words`` is False, as ``agreed`` and ``history`` answer."""
    needle = index.phrase_key(phrase)
    filters = _filters(store, series, resolutions_only=adopted_only)
    if whole_words:
        # The earliest hit may hold the phrase only inside a word: every hit is checked.
        found = _bounded(index.search(store, needle, filters), needle, True)[:1]
    else:
        found = index.search(store, needle, filters, first=True)
    return _occurrence(found[0], needle) if found else None


def occurrences(
    store: Store,
    phrase: str,
    *,
    series: str | None = None,
    fuzzy: float | None = None,
    whole_words: bool = False,
) -> list[Occurrence]:
    """Every (version, unit) containing ``phrase``, earliest first.

    With ``fuzzy`` (0 < fuzzy ≤ 1), units whose closest stretch of text is at least that
    similar to the phrase are included too, each with its ``similarity``. With
    ``whole_words``, only units where the phrase starts and ends on word boundaries.
    """
    needle = index.phrase_key(phrase)
    filters = _filters(store, series)
    if fuzzy is None:
        found = _bounded(index.search(store, needle, filters), needle, whole_words)
        return [_occurrence(h, needle) for h in found]
    if not (isinstance(fuzzy, int | float) and math.isfinite(fuzzy) and 0 < fuzzy <= 1):
        raise UsageError(
            f"cannot search with fuzzy={fuzzy!r}: the similarity must be a number in (0, 1]; "
            "try 0.85"
        )
    if not index.searchable(needle):
        return []
    from resdiff.align import partial_similarity  # rapidfuzz: fuzzy search only

    scores: dict[int, float] = {}
    for row_id, norm in index.all_norms(store, filters):
        score = 1.0 if needle in norm else partial_similarity(needle, norm)
        if score >= fuzzy:
            scores[row_id] = score
    return [_occurrence(h, needle, scores[h.id]) for h in index.hits(store, sorted(scores))]


def agreed(store: Store, wording: str, *, whole_words: bool = True) -> AgreedAnswer:
    """Adopted resolutions (not drafts), any series, containing ``wording``: a phrase or a
    whole paragraph; earliest first. As whole words unless ``whole_words`` is False (see
    ``occurrences``): "it, and calls upon" is not agreed language because a resolution
    says "mutual benefit, and calls upon", and the review, which asks the same
    question, never says so."""
    needle = index.phrase_key(wording)
    found = index.search(store, needle, index.Filters(resolutions_only=True))
    found = _bounded(found, needle, whole_words)
    return AgreedAnswer(wording, tuple(_occurrence(h, needle) for h in found))


def agreed_many(
    store: Store, wordings: Sequence[str], *, whole_words: bool = True, sentences: bool = True
) -> dict[str, AgreedAnswer]:
    """``agreed`` for several wordings in one pass over the store (one connection).

    ``sentences=False`` leaves each occurrence's ``sentence`` empty, for callers that
    need only where the wording stands (the review: most of its cost was quoting)."""
    needles = {w: index.phrase_key(w) for w in wordings}
    found = index.search_many(store, list(needles.values()), index.Filters(resolutions_only=True))
    out: dict[str, AgreedAnswer] = {}
    for wording, needle in needles.items():
        hits = _bounded(found[needle], needle, whole_words)
        out[wording] = AgreedAnswer(
            wording, tuple(_occurrence(h, needle if sentences else None) for h in hits)
        )
    return out


def occurrences_many(
    store: Store,
    phrases: Sequence[str],
    *,
    series: str | None = None,
    whole_words: bool = False,
    sentences: bool = True,
) -> dict[str, list[Occurrence]]:
    """``occurrences`` (exact) for several phrases in one pass over the store
    (``sentences``: see ``agreed_many``)."""
    needles = {p: index.phrase_key(p) for p in phrases}
    found = index.search_many(store, list(needles.values()), index.Filters(series=series))
    return {
        p: [_occurrence(h, n if sentences else None) for h in _bounded(found[n], n, whole_words)]
        for p, n in needles.items()
    }


def whole_words(needle: str) -> re.Pattern[str]:
    """``needle`` (a search key) starting and ending on word boundaries.

    The index matches substrings: "the fulfilment of the" is in "the fulfilment of
    their", and "population, or 2.3" in "2.33 billion" (a decimal point does not end a
    number), nor "resolution 76" in "resolution 76/245" (a slash does not end a
    symbol). Wording a delegate calls agreed must stand as whole words. Scripts written
    without spaces have no word boundaries to stand on: there any place is one."""
    w = _SPACED_WORD
    lead = rf"(?<!{w})" if spaced_word_char(needle[:1]) else ""
    # nor "79/7" in "A/RES/79/7", nor "76" in "76/245"
    lead += rf"(?<!\d[.,])(?<!{w}/)" if needle[:1].isdigit() else ""
    tail = rf"(?!{w})" if spaced_word_char(needle[-1:]) else ""
    tail += rf"(?![.,]\d)(?!/{w})" if needle[-1:].isdigit() else ""
    return re.compile(lead + re.escape(needle) + tail)


# spaced_word_char as a character class.
_SPACED_WORD = rf"[^\W{CJK_RANGES}]"


def stands_whole(norm: str, needle: str) -> bool:
    """Whether ``needle`` stands in ``norm`` (both search keys) as whole words: the rule
    of ``whole_words``, checked at each place ``needle`` occurs instead of compiling a
    pattern per needle (a review asks for a hundred needles; compiling was most of it)."""
    if not needle:
        return True
    start = norm.find(needle)
    while start >= 0:
        if _whole_at(norm, needle, start):
            return True
        start = norm.find(needle, start + 1)
    return False


def _whole_at(norm: str, needle: str, start: int) -> bool:
    # Between two characters of a script written without spaces ("人权理事会报告") every
    # place is a word boundary: such a phrase stands whole wherever it is found.
    end = start + len(needle)
    before, before2 = norm[start - 1 : start], norm[max(start - 2, 0) : max(start - 1, 0)]
    after, after2 = norm[end : end + 1], norm[end + 1 : end + 2]
    if spaced_word_char(needle[0]) and before and spaced_word_char(before):
        return False
    if needle[0].isdigit() and before2:
        if before in ".," and before2.isdecimal():
            return False  # "2.33" does not hold "33"
        if before == "/" and spaced_word_char(before2):
            return False  # "A/RES/79/7" does not hold "79/7"
    if spaced_word_char(needle[-1]) and after and spaced_word_char(after):
        return False
    if needle[-1].isdigit() and after2:
        if after in ".," and after2.isdecimal():
            return False
        if after == "/" and spaced_word_char(after2):
            return False
    return True


def _bounded(hits: list[index.Hit], needle: str, wanted: bool) -> list[index.Hit]:
    # The stored key of each hit is checked: no unit text is keyed again.
    if not wanted or not hits:
        return hits
    return [h for h in hits if stands_whole(h.norm, needle)]


def _occurrence(hit: index.Hit, needle: str | None, similarity: float = 1.0) -> Occurrence:
    # ``needle`` None: the sentence is not wanted (left empty).
    return Occurrence(
        key=hit.key,
        symbol=hit.symbol,
        label=hit.label,
        date=hit.date,
        kind=hit.kind,
        sentence="" if needle is None else sentence_of(hit.unit_text, needle, hit.norm),
        unit_text=hit.unit_text,
        version=hit.version,
        position=hit.position,
        similarity=similarity,
    )


def sentence_of(text: str, needle: str, norm: str | None = None) -> str:
    """The sentence of ``text`` (display form) holding ``needle`` (a search key); the
    whole text when the phrase spans sentences; for a fuzzy match, the closest sentence.

    ``norm``, the text's search key, keeps the sentence ends of the text: when it splits
    into as many sentences, they are matched by position instead of re-keying each one
    (history queries build thousands of these).
    """
    shown = clean_display(text)
    parts = _SENTENCE_END.split(shown)
    if len(parts) == 1 or not needle:
        return shown
    if norm is not None:
        keyed = _SENTENCE_END.split(norm)
        if len(keyed) == len(parts):
            for part, part_key in zip(parts, keyed, strict=True):
                if needle in part_key:
                    return part
            if needle in norm:
                return shown  # the phrase crosses a sentence end
    for part in parts:
        if needle in index.phrase_key(part):
            return part
    if needle in index.phrase_key(shown):
        return shown
    from resdiff.align import partial_similarity  # rapidfuzz: only when no part holds it

    return max(parts, key=lambda part: partial_similarity(needle, index.phrase_key(part)))
