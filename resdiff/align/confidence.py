"""How sure each alignment decision is, and the reading that is nearly as good.

``assess(aligner, pairs)`` gives every pair a ``confidence`` (0..1) and, when another
reading of the same units is nearly as likely, that reading as an ``alternatives`` entry:

- a changed or moved 1:1 link: from its word similarity and its informative overlap
  (rare words, names, numbers, cited symbols), across kinds less; the other reading is
  "removed + added";
- a split or merge: from the similarity of the whole and from its weakest part (how much
  of that part's informative words the whole holds); the other reading is the best 1:1
  link with the other parts added or removed ("changed, not split");
- an added or removed unit: from its best candidate among the units left alone on the
  other side; the other reading is the link to that candidate;
- an unchanged pair, or identical texts moved: 1.0, no other reading.

The scales are set so that a decision taken exactly at the aligner's thresholds is close
to a coin toss and one far above them close to certain; ``benchmarks/score_gold.py
--calibration`` compares them with the hand-checked gold.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from resdiff.align.sides import AlignedAlternative, AlignedPair, canonical_pairs
from resdiff.model import PairKind

if TYPE_CHECKING:
    from resdiff.align.programme import Programme

__all__ = ["ALTERNATIVE_MIN", "assess"]

# Another reading is reported when it is at least this likely.
ALTERNATIVE_MIN = 0.25
# Word similarity and informative overlap at which a 1:1 link is even odds, and the
# spread of each around that point; across kinds the odds drop by CROSS_KIND_PENALTY.
TEXT_EVEN, TEXT_SPREAD = 0.4, 0.08
EVIDENCE_EVEN, EVIDENCE_SPREAD = 0.22, 0.06
CROSS_KIND_PENALTY = 1.0
# A split or merge is even odds when the whole is this similar to its parts, or its
# weakest part holds this share of its informative words in the whole (about what the
# aligner requires of a part, part_evidence_min).
GROUP_TEXT_EVEN = 0.35
PART_EVEN, PART_SPREAD = 0.16, 0.06
# The same lead verb family (the same role), and keeping its place among its neighbours,
# each raise the odds of a link by this much (log-odds).
ROLE_BONUS = 0.75
PLACE_BONUS = 0.5
# A unit left alone is doubted only by a candidate this much above even odds (in
# log-odds): near-even candidates are, in the gold, nearly always other paragraphs.
LONE_MARGIN = 1.0


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# Word similarity this far above even odds settles a link; the informative overlap (which
# could only raise the odds) is then not computed.
_SETTLED = 3.0


def _link_z(al: Programme, i: int, j: int, sim: float, in_place: bool = False) -> float:
    """Log-odds that old unit ``i`` and new unit ``j`` are one paragraph."""
    z = (sim - TEXT_EVEN) / TEXT_SPREAD
    if z < _SETTLED:
        z = max(z, (al.overlap(i, j) - EVIDENCE_EVEN) / EVIDENCE_SPREAD)
        if al.a.family[i] and al.a.family[i] == al.b.family[j]:
            z += ROLE_BONUS
        if in_place:
            z += PLACE_BONUS
    ta, tb = al.a.top1[i], al.b.top1[j]
    one_kind = (ta is None) != (tb is None) or (ta is not None and ta is tb)
    return z if one_kind else z - CROSS_KIND_PENALTY


def _group_z(al: Programme, p: AlignedPair) -> tuple[float, AlignedAlternative]:
    """Log-odds of a split or merge, and the reading without it."""
    info = al.info
    if len(p.old) == 1:
        whole = al.a.wordsets[p.old[0]]
        parts = [(j, al.b.wordsets[j]) for j in p.new]
    else:
        whole = al.b.wordsets[p.new[0]]
        parts = [(i, al.a.wordsets[i]) for i in p.old]
    weakest = min(info.contained(ws, whole) for _, ws in parts)
    z = min(
        (p.similarity - GROUP_TEXT_EVEN) / TEXT_SPREAD,
        (weakest - PART_EVEN) / PART_SPREAD,
    )
    # The reading without the split: the part most similar to the whole keeps the link.
    rest: tuple[tuple[PairKind, tuple[int, ...], tuple[int, ...]], ...]
    if len(p.old) == 1:
        i = p.old[0]
        keep = max(p.new, key=lambda j: (al.sim([i], [j]), -j))
        rest = tuple((PairKind.ADDED, (), (j,)) for j in p.new if j != keep)
        link = (PairKind.CHANGED, (i,), (keep,))
    else:
        j = p.new[0]
        keep = max(p.old, key=lambda i: (al.sim([i], [j]), -i))
        rest = tuple((PairKind.REMOVED, (i,), ()) for i in p.old if i != keep)
        link = (PairKind.CHANGED, (keep,), (j,))
    return z, AlignedAlternative((link, *rest), 0.0)


def assess(al: Programme, pairs: list[AlignedPair]) -> list[AlignedPair]:
    """``pairs`` with confidence and alternatives filled in (same order, same decisions)."""
    lone_old = [p.old[0] for p in pairs if p.kind is PairKind.REMOVED]
    lone_new = [p.new[0] for p in pairs if p.kind is PairKind.ADDED]
    best_for_old, best_for_new = _best_lone(al, lone_old, lone_new)
    out: list[AlignedPair] = []
    for p in pairs:
        conf = 1.0
        alts: tuple[AlignedAlternative, ...] = ()
        if p.kind is PairKind.UNCHANGED or (
            len(p.old) == len(p.new) == 1 and al.a.keys[p.old[0]] == al.b.keys[p.new[0]]
        ):
            # Certain, with no other reading: most pairs, kept as they are (the pairs
            # the passes make carry the defaults, confidence 1.0 and no alternatives).
            if p.confidence == 1.0 and not p.alternatives:
                out.append(p)
                continue
        elif len(p.old) == len(p.new) == 1:
            in_place = p.kind is not PairKind.MOVED
            conf = _sigmoid(_link_z(al, p.old[0], p.new[0], p.similarity, in_place))
            alts = (
                AlignedAlternative(
                    ((PairKind.REMOVED, p.old, ()), (PairKind.ADDED, (), p.new)), 1.0 - conf
                ),
            )
        elif p.old and p.new:
            z, alt = _group_z(al, p)
            conf = _sigmoid(z)
            alts = (AlignedAlternative(alt.pairs, 1.0 - conf),)
        else:
            best = best_for_old.get(p.old[0]) if p.old else best_for_new.get(p.new[0])
            if best is not None:
                other, z = best
                conf = 1.0 - _sigmoid(z - LONE_MARGIN)
                i, j = (p.old[0], other) if p.old else (other, p.new[0])
                alts = (AlignedAlternative(((PairKind.CHANGED, (i,), (j,)),), 1.0 - conf),)
        conf = round(conf, 4)
        alts = tuple(
            AlignedAlternative(canonical_pairs(a.pairs), round(a.confidence, 4))
            for a in alts
            if a.confidence >= ALTERNATIVE_MIN
        )
        out.append(AlignedPair(p.kind, p.old, p.new, p.similarity, conf, alts))
    return out


# Words lighter than this are left out when lone units are compared (an index over the
# informative words keeps that linear in what they share).
_LIGHT = 0.05


def _best_lone(
    al: Programme, lone_old: list[int], lone_new: list[int]
) -> tuple[dict[int, tuple[int, float]], dict[int, tuple[int, float]]]:
    """For each lone unit, its most likely partner among the other side's lone units,
    with the log-odds of that link."""
    best_old: dict[int, tuple[int, float]] = {}
    best_new: dict[int, tuple[int, float]] = {}
    if not lone_old or not lone_new:
        return best_old, best_new
    z: dict[tuple[int, int], float] = {}
    # Word similarity, where it could matter (C-speed candidate search).
    cutoff = max(0.0, TEXT_EVEN - 3 * TEXT_SPREAD)
    budget = max(1, al.s.move_max_cells // len(lone_new))
    for i, row in zip(lone_old, al.rows(lone_old[:budget], lone_new, cutoff), strict=False):
        for q, sim in row.items():
            z[i, lone_new[q]] = (sim - TEXT_EVEN) / TEXT_SPREAD
    # Informative overlap, through an index of the informative words of the new side.
    info = al.info
    index: dict[str, list[int]] = {}
    for j in lone_new:
        for w in al.b.wordsets[j]:
            if info.weight(w) >= _LIGHT:
                index.setdefault(w, []).append(j)
    for i in lone_old:
        shared: dict[int, float] = {}
        for w in al.a.wordsets[i]:
            for j in index.get(w, ()):
                shared[j] = shared.get(j, 0.0) + info.weight(w)
        mass_i = info.unit_mass(al.a.wordsets[i])
        for j, common in shared.items():
            total = mass_i + info.unit_mass(al.b.wordsets[j])
            e = 2 * common / total if total else 0.0
            ze = (e - EVIDENCE_EVEN) / EVIDENCE_SPREAD
            if ze > z.get((i, j), -math.inf):
                z[i, j] = ze
    for (i, j), raw in sorted(z.items()):
        ta, tb = al.a.top1[i], al.b.top1[j]
        one_kind = (ta is None) != (tb is None) or (ta is not None and ta is tb)
        v = raw if one_kind else raw - CROSS_KIND_PENALTY
        if i not in best_old or v > best_old[i][1]:
            best_old[i] = (j, v)
        if j not in best_new or v > best_new[j][1]:
            best_new[j] = (i, v)
    return best_old, best_new
