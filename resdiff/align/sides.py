"""The two versions as the aligner sees them, and the text measures it uses.

``Side`` holds one version's per-unit data (matching keys, word codes, kinds, leads,
word sets, lead families); ``AlignedPair`` is one alignment decision in unit indices;
``indel`` and ``cat`` score groups of units by their word codes; ``similarity`` and
``partial_similarity`` are the public text measures (the latter for fuzzy phrase search,
here because rapidfuzz is).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from resdiff.align.evidence import lead_family, word_set
from resdiff.model import PairKind, Unit, UnitKind
from resdiff.normalize import key, key_words, words
from resdiff.settings import Settings
from resdiff.wordcodes import encode_words

__all__ = [
    "MIRROR",
    "AlignedAlternative",
    "AlignedPair",
    "Decision",
    "Side",
    "canonical_pairs",
    "cat",
    "indel",
    "partial_similarity",
    "similarity",
]

MIRROR = {
    PairKind.SPLIT: PairKind.MERGED,
    PairKind.MERGED: PairKind.SPLIT,
    PairKind.ADDED: PairKind.REMOVED,
    PairKind.REMOVED: PairKind.ADDED,
}


Decision = tuple[PairKind, tuple[int, ...], tuple[int, ...]]


def canonical_pairs(pairs: tuple[Decision, ...]) -> tuple[Decision, ...]:
    """Decisions in one order whichever side is old: links and removals by their old
    units, then additions by their new units."""
    return tuple(sorted(pairs, key=lambda d: (0, d[1], d[2]) if d[1] else (1, d[1], d[2])))


@dataclass(frozen=True, slots=True)
class AlignedAlternative:
    """Another reading of a pair's units: the pairs it would be, and how likely it is."""

    pairs: tuple[Decision, ...]
    confidence: float


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One alignment decision: indices into the old and new unit sequences.

    ``confidence`` (0..1) says how sure the aligner is of this decision;
    ``alternatives`` lists readings of the same units that are nearly as good.
    """

    kind: PairKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float
    confidence: float = 1.0
    alternatives: tuple[AlignedAlternative, ...] = field(default=())


class Side:
    """Per-unit data of one version: keys, encoded word strings, kinds, leads."""

    def __init__(
        self,
        units: Sequence[Unit],
        keys: list[str],
        enc: list[str],
    ) -> None:
        self.keys = keys
        self.kinds = [u.kind for u in units]
        # Leads only ever meet other leads: case-folding is enough to compare them.
        self.leads = [u.lead.strip().casefold() for u in units]
        # The words of each key (normalize.words), one character per distinct word.
        self.enc = enc
        self.labels = [u.label for u in units]
        self.parents = [u.parent for u in units]
        # top_kinds([i]) of each unit, precomputed for the 1:1 cells of the programme.
        self.top1 = [
            k if par != lab else None
            for k, par, lab in zip(self.kinds, self.parents, self.labels, strict=True)
        ]
        self._groups: dict[tuple[int, ...], tuple[str, UnitKind | None]] = {}
        self._units = units
        self._wordsets: list[frozenset[str]] | None = None
        self._family: list[str] | None = None
        self._lead_words: list[frozenset[str]] | None = None

    # Distinct words of each unit and the verb family of its lead: the evidence
    # (evidence) that a paragraph took another's place with other words. Built on
    # first use: identical and lightly edited versions never need them.
    @property
    def wordsets(self) -> list[frozenset[str]]:
        if self._wordsets is None:
            self._wordsets = [word_set(k) for k in self.keys]
        return self._wordsets

    @property
    def lead_words(self) -> list[frozenset[str]]:
        """The distinct words of each unit's lead (empty without one)."""
        if self._lead_words is None:
            self._lead_words = [
                word_set(key(u.lead)) if u.lead else frozenset() for u in self._units
            ]
        return self._lead_words

    @property
    def family(self) -> list[str]:
        if self._family is None:
            self._family = [
                lead_family(key_words(key(u.lead))) if u.lead else "" for u in self._units
            ]
        return self._family

    def top_kinds(self, idx: Sequence[int]) -> set[UnitKind]:
        """Kinds of the units of a group that are not sub-items of another group member.

        A paragraph that became a chapeau plus its sub-items keeps its kind: the split
        "PP39 -> PP38 + PP38(a)" is within the preambular part.
        """
        inside = {self.labels[i] for i in idx}
        return {self.kinds[i] for i in idx if self.parents[i] not in inside}

    def group(self, idx: tuple[int, ...]) -> tuple[str, UnitKind | None]:
        """The encoded words of a group and its one top kind (None if it has several).

        Memoised: the programme scores the same group of consecutive units against
        every candidate of the other side.
        """
        g = self._groups.get(idx)
        if g is None:
            kinds = self.top_kinds(idx)
            g = self._groups[idx] = (
                cat(self.enc, idx),
                next(iter(kinds)) if len(kinds) == 1 else None,
            )
        return g


def indel(ea: str, eb: str, settings: Settings) -> float:
    """Word-level Indel similarity; for very long units, its bag-of-words upper bound.

    Indel is quadratic in words; beyond ``settings.long_unit_words`` the multiset overlap
    2|A∩B|/(|A|+|B|) stands in, linear and equal to Indel when word order is kept.
    """
    if len(ea) + len(eb) > settings.long_unit_words:
        common = sum((Counter(ea) & Counter(eb)).values())
        return 2 * common / (len(ea) + len(eb))
    return float(Indel.normalized_similarity(ea, eb))


def cat(enc: list[str], idx: Sequence[int]) -> str:
    """The encoded words of a group of units, in the given order."""
    return enc[idx[0]] if len(idx) == 1 else "".join([enc[i] for i in idx])


def similarity(a: str, b: str) -> float:
    """Word-level normalised Indel similarity of two texts (0..1)."""
    vocab: dict[str, str] = {}
    ea, eb = encode_words(words(a), vocab), encode_words(words(b), vocab)
    return float(Indel.normalized_similarity(ea, eb))


def partial_similarity(needle: str, hay: str) -> float:
    """How closely ``needle`` matches its best-aligned stretch of ``hay``, 0..1 (1: contained).

    For fuzzy phrase search (resdiff.search); both arguments should be matching keys.
    A needle longer than the text is scored against the whole text, never the reverse.
    """
    if not needle or not hay:
        return 0.0
    if len(needle) > len(hay):
        return float(fuzz.ratio(needle, hay)) / 100.0
    return float(fuzz.partial_ratio(needle, hay)) / 100.0
