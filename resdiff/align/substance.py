"""The last pass: moved functional successors that share their substance, not their names.

``link_substance`` weighs every pair of units still left after all other passes by their
informative overlap on substance words (the words of the two paragraphs other than names
written with capitals: "long-term effectiveness of its implemented recommendations", not
"the Division for Ocean Affairs and the Law of the Sea"), and links, in one decision, the
pairs that are of one kind, near the same place in the order, and each clearly the other's
best match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from resdiff.align.decide import best_matching
from resdiff.align.evidence import name_words

if TYPE_CHECKING:
    from resdiff.align.leftovers import Aligner

__all__ = ["link_substance"]


def link_substance(al: Aligner) -> None:
    """Link leftover units that are each other's clear best match on substance words.

    A paragraph rewritten and moved a place or two ("reiterates its strong encouragement
    to the Unit to strengthen the review of long-term effectiveness of its implemented
    recommendations" -> "Also invites the Unit to keep under review the long-term
    effectiveness of its implemented recommendations") keeps what it is about in common
    nouns, verbs and adjectives; two paragraphs that merely cite the same body share its
    capitalised name. A pair is linked when its overlap on substance words reaches
    ``substance_evidence`` and its wording ``substance_text``, when the two units are of
    one kind and the link crosses at most ``substance_max_crossings`` order-keeping
    matches, and when each is the other's best match by informative overlap among the
    leftovers, ahead of either one's second best by ``substance_margin``.
    """
    s = al.s
    if s.substance_evidence > 1.0:
        return
    olds = [i for i in range(al.n) if not al.used_a[i] and al.a.enc[i]]
    news = [j for j in range(al.m) if not al.used_b[j] and al.b.enc[j]]
    if not olds or not news:
        return
    scored, _, _ = al.candidate_pairs(olds, news, s.successor_text_min)
    # The best and second-best informative overlap of each unit among the candidates.
    top_a: dict[int, list[float]] = {}
    top_b: dict[int, list[float]] = {}
    for i, j, _, e in scored:
        for top, u in ((top_a, i), (top_b, j)):
            t = top.setdefault(u, [0.0, 0.0])
            if e > t[0]:
                t[0], t[1] = e, t[0]
            elif e > t[1]:
                t[1] = e
    order = al.order_index()
    edges: list[tuple[int, int, float, float]] = []
    for i, j, sim, e in scored:
        if sim < s.substance_text or al.a.kinds[i] is not al.b.kinds[j]:
            continue
        ta, tb = top_a[i], top_b[j]
        if e < ta[0] or e < tb[0] or min(e - ta[1], e - tb[1]) < s.substance_margin:
            continue
        if al.crossings(order, i, j) > s.substance_max_crossings:
            continue
        names = name_words(al.a.texts[i]) | name_words(al.b.texts[j])
        wa, wb = al.a.wordsets[i] - names, al.b.wordsets[j] - names
        if al.info.overlap(wa, wb) < s.substance_evidence:
            continue
        edges.append((i, j, e, sim))
    placed: list[tuple[int, int]] = []
    for i, j, sim in best_matching(edges):
        moved = al.crossings(order, i, j) > 0 or any((i < pi) != (j < pj) for pi, pj in placed)
        if not moved:
            placed.append((i, j))
        al.mark(al.one_to_one(i, j, sim, moved=moved), moved=moved)
