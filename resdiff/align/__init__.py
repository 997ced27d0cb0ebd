"""Paragraph alignment: which units of the old version became which units of the new one.

``align(old, new, settings)`` returns ``AlignedPair`` objects (kind, old indices, new
indices, similarity, confidence, alternatives) covering every unit of both sides exactly
once, in reading order of the new version with removed units where they stood in the
old one. ``similarity`` and ``partial_similarity`` are the text measures it exports.

The package, in the order the work is done:

- ``sides``: per-unit data of both versions, the aligned pair, Indel similarity on word codes;
- ``evidence``: informative word weights (a corpus table, ``data/word_df.tsv``, and the two
  versions themselves) and lead verb families;
- ``programme``: identical anchors, then an order-preserving programme with 1:1, split and
  merge steps between them (word similarity about 0.5, stricter across kinds, or one unit
  found almost whole in another with the same lead; each part of a split or merge must
  bring informative words of the whole, and its sub-items belong to one list);
- ``leftovers``: a part of a merge given to a leftover it matches better (two paragraphs
  that crossed), weak matches in the same slot, functional successors (one global decision
  on textual or informative evidence, role and place), and non-adjacent merges and splits;
- ``linker``: condensed merges and splits among what is still left, weighed by a small
  logistic model trained on the tuning half of the gold, in one decision;
- ``decide``: the maximum-weight choice among candidate links;
- ``confidence``: how sure each decision is, and the reading that is nearly as good.

Work is capped by the settings, so huge inputs degrade to added/removed instead of blowing
up. The function is symmetric by construction: aligning (new, old) mirrors (old, new).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from resdiff.align.leftovers import Aligner
from resdiff.align.sides import (
    MIRROR,
    AlignedAlternative,
    AlignedPair,
    Side,
    canonical_pairs,
    partial_similarity,
    similarity,
)
from resdiff.model import Unit
from resdiff.normalize import key
from resdiff.settings import Settings
from resdiff.wordcodes import encode_sides

__all__ = [
    "AlignedAlternative",
    "AlignedPair",
    "align",
    "align_given",
    "partial_similarity",
    "similarity",
]


def align(old: Sequence[Unit], new: Sequence[Unit], settings: Settings) -> list[AlignedPair]:
    """Align two unit sequences; every unit of both sides lands in exactly one pair."""
    ka, kb = [key(u.text) for u in old], [key(u.text) for u in new]
    ea, eb = encode_sides(ka, kb)
    a, b = Side(old, ka, ea), Side(new, kb, eb)
    # Canonical argument order makes every tie-break independent of which side is
    # "old": compare(B, A) is then exactly the mirror of compare(A, B).
    if (a.keys, [str(k) for k in a.kinds]) > (b.keys, [str(k) for k in b.kinds]):
        pairs = Aligner(b, a, settings).run()
        pairs = [_mirror(p) for p in pairs]
    else:
        pairs = Aligner(a, b, settings).run()
    return _reading_order(pairs)


def align_given(
    old: Sequence[Unit],
    new: Sequence[Unit],
    links: Sequence[tuple[Sequence[int], Sequence[int]]],
    settings: Settings,
) -> list[AlignedPair]:
    """The pairs of an alignment decided elsewhere (a hand-checked one, for instance).

    ``links`` join old unit indices to new unit indices (1:1, 1:k or k:1); every unit in
    no link is added or removed. Kinds, similarities and confidence are worked out as
    ``align`` works them out: a 1:1 link outside the longest order-keeping chain of links
    is a move, identical texts in order are unchanged.
    """
    ka, kb = [key(u.text) for u in old], [key(u.text) for u in new]
    ea, eb = encode_sides(ka, kb)
    a, b = Side(old, ka, ea), Side(new, kb, eb)
    swap = (a.keys, [str(k) for k in a.kinds]) > (b.keys, [str(k) for k in b.kinds])
    given = [(tuple(n), tuple(o)) if swap else (tuple(o), tuple(n)) for o, n in links]
    aligner = Aligner(b, a, settings) if swap else Aligner(a, b, settings)
    pairs = aligner.run_given(given)
    return _reading_order([_mirror(p) for p in pairs] if swap else pairs)


def _mirror(p: AlignedPair) -> AlignedPair:
    """The same decision seen from the other side (old and new swapped)."""
    return AlignedPair(
        MIRROR.get(p.kind, p.kind),
        p.new,
        p.old,
        p.similarity,
        p.confidence,
        tuple(
            AlignedAlternative(
                canonical_pairs(tuple((MIRROR.get(k, k), n, o) for k, o, n in a.pairs)),
                a.confidence,
            )
            for a in p.alternatives
        ),
    )


def _reading_order(pairs: list[AlignedPair]) -> list[AlignedPair]:
    """New version's order; a removed unit follows the pair holding its old predecessor."""
    pos_of_old: dict[int, int] = {}
    for p in pairs:
        if p.new:
            for i in p.old:
                pos_of_old[i] = min(p.new)
    placed_old = sorted(pos_of_old)

    def sort_key(p: AlignedPair) -> tuple[int, int, int]:
        if p.new:
            return (min(p.new), 0, 0)
        i = min(p.old)
        k = bisect.bisect_left(placed_old, i)
        anchor = pos_of_old[placed_old[k - 1]] if k else -1
        return (anchor, 1, i)

    return sorted(pairs, key=sort_key)
