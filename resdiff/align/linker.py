"""The learned link scorer: merges and splits among the units every other pass left,
weighed by a small logistic model over measures the aligner already takes.

``candidates`` lists the links it weighs (1:1, two or three leftover units with one, a merge
or split already made grown by a leftover part) and ``features`` describes each: word
similarity, the share of the smaller side's informative words held by the other, informative
overlap without a recurring name, shared rare words and numbers, same role (lead verb
family), same kind, place, crossings, each other's best match and by how much, and how much
of the two versions is left over. ``log_odds`` weighs them with ``Settings.linker_weights``
(trained by ``benchmarks/train_linker.py`` on the tuning half of the gold, checked by
``benchmarks/cv_linker.py``); ``link_leftovers`` takes one global decision among them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from resdiff.align.decide import best_links
from resdiff.align.sides import AlignedPair
from resdiff.model import PairKind

if TYPE_CHECKING:
    from resdiff.align.leftovers import Aligner

__all__ = ["FEATURES", "Context", "candidates", "features", "link_leftovers", "log_odds"]

FEATURES = (
    "bias",
    "similarity",
    "held",
    "name_free",
    "shared_rare",
    "same_role",
    "same_kind",
    "place",
    "crossings",
    "mutual_best",
    "margin",
    "crowd",
    "numbers",
)

_MAX_SHARED = 5
_MAX_CROSSINGS = 20
_MAX_NUMBERS = 3


@dataclass(frozen=True, slots=True)
class Context:
    """What a candidate is weighed against: the best and second-best informative overlap
    each unit has among the candidates, the order-keeping links already made (first old
    and first new unit of each, sorted), and the share of both versions' units left."""

    best_old: dict[int, float]
    best_new: dict[int, float]
    order: tuple[list[int], list[int]]
    second_old: dict[int, float]
    second_new: dict[int, float]
    crowd: float


def _group_words(
    al: Aligner, olds: Sequence[int], news: Sequence[int]
) -> tuple[frozenset[str], frozenset[str]]:
    """The words of each side of a candidate, its units' together."""
    if len(olds) == len(news) == 1:
        return al.a.wordsets[olds[0]], al.b.wordsets[news[0]]
    return (
        frozenset().union(*(al.a.wordsets[k] for k in olds)),
        frozenset().union(*(al.b.wordsets[k] for k in news)),
    )


def features(
    al: Aligner,
    olds: tuple[int, ...],
    news: tuple[int, ...],
    sim: float,
    e: float,
    ctx: Context,
    weights: Sequence[float] = (),
    floor: float = -math.inf,
) -> list[float] | None:
    """The measures of candidate link ``olds -> news`` (one unit on at least one side;
    ``sim`` word similarity, ``e`` informative overlap of the groups' words), each scaled
    to about 0..1, in the order of ``FEATURES``. A group is weighed as one unit: its words
    together, its first unit's place.

    With ``weights``, None when the log-odds cannot reach ``floor`` whatever the measures
    not yet taken (the word-set ones, the costliest): the candidate is not worth them.
    """
    i, j = min(olds), min(news)
    best = max(ctx.best_old.get(k, 0.0) for k in olds), max(ctx.best_new.get(k, 0.0) for k in news)
    mutual = e > 0 and e >= best[0] and e >= best[1]
    if len(olds) == len(news) == 1:
        rival_old = ctx.second_old.get(i, 0.0) if e >= best[0] else best[0]
        rival_new = ctx.second_new.get(j, 0.0) if e >= best[1] else best[1]
        margin = e - max(rival_old, rival_new)
    else:
        margin = e - (best[1] if len(news) == 1 else best[0])
    fam_a = {al.a.family[k] for k in olds} - {""}
    fam_b = {al.b.family[k] for k in news} - {""}
    x: list[float] = [
        1.0,
        sim,
        0.0,  # held
        0.0,  # name_free
        0.0,  # shared_rare
        1.0 if fam_a & fam_b else 0.0,
        1.0 if len(al.a.top_kinds(olds) | al.b.top_kinds(news)) == 1 else 0.0,
        abs((i + 0.5) / al.n - (j + 0.5) / al.m),
        min(al.crossings(ctx.order, i, j), _MAX_CROSSINGS) / _MAX_CROSSINGS,
        1.0 if mutual else 0.0,
        max(-1.0, min(1.0, margin)),
        ctx.crowd,
        0.0,  # numbers
    ]
    if weights and log_odds(weights, x) + sum(max(0.0, weights[k]) for k in _LATE) < floor:
        return None
    info = al.info
    single = len(olds) == len(news) == 1
    wa, wb = _group_words(al, olds, news)
    common = wa & wb
    rare = sum(1 for w in common if info.weight(w) >= al.s.informative_word)
    numbers = sum(1 for w in common if w.isdigit() and info.weight(w) >= al.s.informative_word)
    x[2] = al._held_info(wa, wb)
    x[4] = min(rare, _MAX_SHARED) / _MAX_SHARED
    x[12] = min(numbers, _MAX_NUMBERS) / _MAX_NUMBERS
    if weights and log_odds(weights, x) + max(0.0, weights[3]) < floor:
        return None
    x[3] = e
    if single:
        na, nb = al.name_free_sets(i, j)
        if (na, nb) != (wa, wb):
            x[3] = info.overlap(na, nb)
    return x


# The measures taken last (each 0..1), bounded by their weight until they are taken.
_LATE = (2, 3, 4, 12)


def log_odds(weights: Sequence[float], x: Sequence[float]) -> float:
    """The model's log-odds that the candidate is a link."""
    return sum(w * v for w, v in zip(weights, x, strict=True))


# Units of one side weighed as parts of a merge (split) with one unit of the other: the
# few most informative about it.
_GROUP_CANDIDATES = 4
# Largest merge (split) the scorer makes or grows to: the groups it was trained on.
_GROUP_PARTS = 3


def _second(scored: list[tuple[int, int, float, float]], side: int) -> dict[int, float]:
    """Second-best informative overlap of each unit among the candidates (0 if alone)."""
    tops: dict[int, list[float]] = {}
    for i, j, _, e in scored:
        tops.setdefault(j if side else i, []).append(e)
    return {k: sorted(v)[-2] if len(v) > 1 else 0.0 for k, v in tops.items()}


def candidates(
    al: Aligner,
    olds: list[int],
    news: list[int],
    order: tuple[list[int], list[int]],
    extend: Sequence[AlignedPair] = (),
    singles: bool = True,
    weights: Sequence[float] = (),
) -> list[tuple[tuple[int, ...], tuple[int, ...], float, list[float]]]:
    """Candidate links between ``olds`` and ``news``, each with its features: 1:1 links
    of word similarity at least ``linker_text_min`` and some informative overlap, and
    merges (splits) of two or three of the units most informative about one unit of
    the other side, each part bringing informative words of the whole. A merge (split)
    of ``extend`` is a candidate too with one of those units added to its parts, and so
    is it as it stands. Without ``singles``, a 1:1 link is a candidate only as the
    part of a merge (split) that the other parts must better. With ``weights``, a
    candidate whose log-odds cannot reach ``linker_min`` is left out."""
    s = al.s
    if not olds or not news:
        return []
    every, best_old, best_new = al.candidate_pairs(olds, news, s.linker_text_min)
    scored = [c for c in every if c[3] > 0]  # no informative word in common: no evidence
    ctx = Context(
        best_old,
        best_new,
        order,
        _second(scored, 0),
        _second(scored, 1),
        (len(olds) + len(news)) / (al.n + al.m),
    )
    one = {(i, j): (sim, e) for i, j, sim, e in scored}
    out: list[tuple[tuple[int, ...], tuple[int, ...], float, list[float]]] = []

    def add(g_old: tuple[int, ...], g_new: tuple[int, ...], sim: float, e: float) -> None:
        x = features(al, g_old, g_new, sim, e, ctx, weights, s.linker_min)
        if x is not None:
            out.append((g_old, g_new, sim, x))

    if singles:
        for i, j, sim, e in scored:
            add((i,), (j,), sim, e)
    if s.max_split < 2:
        return out
    wanted: set[tuple[int, int]] = set()
    by_new: dict[int, list[tuple[float, int]]] = {}
    by_old: dict[int, list[tuple[float, int]]] = {}
    for i, j, _, e in scored:
        by_new.setdefault(j, []).append((-e, i))
        by_old.setdefault(i, []).append((-e, j))
    info = al.info
    for side, table in (("old", by_new), ("new", by_old)):
        for w, near in sorted(table.items()):
            # A part must hold informative words of the whole (parts_informative).
            top = [
                (x, k)
                for x, k in sorted(near)[:_GROUP_CANDIDATES]
                if info.contained(
                    (al.a.wordsets if side == "old" else al.b.wordsets)[k],
                    (al.b.wordsets if side == "old" else al.a.wordsets)[w],
                )
                >= s.part_evidence_min
            ]
            for size in range(2, min(_GROUP_PARTS, s.max_split, len(top)) + 1):
                for combo in itertools.combinations(sorted(k for _, k in top), size):
                    g_old, g_new = (combo, (w,)) if side == "old" else ((w,), combo)
                    if not al.parts_informative(g_old, g_new):
                        continue
                    sim = al.sim(g_old, g_new)
                    if sim < s.linker_text_min:
                        continue
                    add(g_old, g_new, sim, info.overlap(*_group_words(al, g_old, g_new)))
                    if size == 2:
                        wanted |= {(i, j) for i in g_old for j in g_new}
    if not singles:
        for i, j in sorted(wanted):
            add((i,), (j,), *one[i, j])
    for p in extend:
        for side in ("old", "new"):
            whole = p.new if side == "old" else p.old
            parts = p.old if side == "old" else p.new
            if len(whole) != 1 or not 1 < len(parts) < min(_GROUP_PARTS, s.max_split):
                continue
            w = whole[0]
            near = [
                (-e, k)
                for k in (olds if side == "old" else news)
                if (e := al.overlap(k, w) if side == "old" else al.overlap(w, k)) > 0
            ]
            top = sorted(near)[:_GROUP_CANDIDATES]
            for g in [parts, *(tuple(sorted((*parts, k))) for _, k in top)]:
                g_old, g_new = (g, whole) if side == "old" else (whole, g)
                if g is not parts and not al.parts_informative(g_old, g_new):
                    continue
                sim = al.sim(g_old, g_new)
                add(g_old, g_new, sim, info.overlap(*_group_words(al, g_old, g_new)))
    return out


def link_leftovers(al: Aligner) -> None:
    """Link what every other pass left, in one decision, by the learned scorer.

    Each candidate (a merge or split of leftover units, a merge or split already made
    grown by a leftover part, and with ``linker_groups_only`` off a 1:1 link) is
    weighed by the model's log-odds (``align.linker``). Of those at ``linker_min`` or
    above whose every part raises the odds (without it the rest, or the pair as it
    stands, would be as likely), the set of links with the largest total margin in
    which no unit appears twice is taken; a grown pair replaces the one it grew from.
    """
    s = al.s
    if not s.linker_weights:
        return
    olds = [i for i in range(al.n) if not al.used_a[i]]
    news = [j for j in range(al.m) if not al.used_b[j]]
    order = al.order_index()
    pairs = [p for p in (*al.ordered, *al.moved) if p.kind is not PairKind.UNCHANGED]
    made = {(p.old, p.new) for p in pairs}
    cands = candidates(al, olds, news, order, pairs, not s.linker_groups_only, s.linker_weights)
    odds = {(g_old, g_new): log_odds(s.linker_weights, x) for g_old, g_new, _, x in cands}
    edges: list[tuple[tuple[int, ...], tuple[int, ...], float, float]] = []
    for g_old, g_new, sim, _ in cands:
        z = odds[g_old, g_new]
        if (g_old, g_new) in made or z < s.linker_min:
            continue
        if s.linker_groups_only and len(g_old) == len(g_new):
            continue
        # Every part of a merge (split) must raise the odds: without it, the rest
        # (a smaller group, a single link, or the pair as it stands) would be as likely.
        near, far = (g_old, g_new) if len(g_old) > 1 else (g_new, g_old)
        if len(near) > 1 and any(
            odds.get((rest, far) if near is g_old else (far, rest), -math.inf) >= z
            for rest in itertools.combinations(near, len(near) - 1)
        ):
            continue
        edges.append((g_old, g_new, z - s.linker_min + 1e-6, sim))
    placed: list[tuple[int, int]] = []
    for g_old, g_new, sim in best_links(edges):
        if len(g_old) == len(g_new) == 1:
            i, j = g_old[0], g_new[0]
            moved = al.crossings(order, i, j) > 0 or any((i < pi) != (j < pj) for pi, pj in placed)
            if not moved:
                placed.append((i, j))
            al.mark(al.one_to_one(i, j, sim, moved=moved), moved=moved)
            continue
        kind = PairKind.SPLIT if len(g_old) == 1 else PairKind.MERGED
        group = AlignedPair(kind, g_old, g_new, sim)
        for target in (al.ordered, al.moved):
            for k, p in enumerate(target):
                if set(p.old) <= set(g_old) and set(p.new) <= set(g_new):
                    target[k] = group
                    break
            else:
                continue
            for i in g_old:
                al.used_a[i] = True
            for j in g_new:
                al.used_b[j] = True
            break
        else:
            al.mark(group)
