"""The learned scorer of condensed merges: its global decision, a real merge it finds, and
the shipped weights being the ones its training script gives."""

from __future__ import annotations

import dataclasses
import itertools
import random
import sys
from pathlib import Path

from goldlib import load_document

from resdiff.align.decide import best_links
from resdiff.compare import compare
from resdiff.model import PairKind
from resdiff.settings import Settings

REPO = Path(__file__).resolve().parents[1]

Edge = tuple[tuple[int, ...], tuple[int, ...], float, float]


def brute_force(edges: list[Edge]) -> float:
    """Largest total weight of edges sharing no unit, by trying every subset."""
    best = 0.0
    for r in range(len(edges) + 1):
        for subset in itertools.combinations(edges, r):
            units = [(0, i) for e in subset for i in e[0]] + [(1, j) for e in subset for j in e[1]]
            if len(units) == len(set(units)):
                best = max(best, sum(e[2] for e in subset))
    return best


def test_best_links_is_the_heaviest_set_of_disjoint_links() -> None:
    rng = random.Random(7)
    for _ in range(200):
        edges: list[Edge] = []
        for _ in range(rng.randint(0, 8)):
            olds = tuple(sorted(rng.sample(range(4), rng.choice((1, 1, 2)))))
            news = tuple(sorted(rng.sample(range(4), 1 if len(olds) > 1 else rng.choice((1, 2)))))
            if all((olds, news) != e[:2] for e in edges):
                edges.append((olds, news, round(rng.uniform(0.01, 2.0), 3), 0.5))
        chosen = best_links(edges)
        weight = {(e[0], e[1]): e[2] for e in edges}
        used = [(0, i) for o, _, _ in chosen for i in o] + [(1, j) for _, n, _ in chosen for j in n]
        assert len(used) == len(set(used))
        assert abs(sum(weight[o, n] for o, n, _ in chosen) - brute_force(edges)) < 1e-9


def test_a_condensed_merge_is_found_and_mirrored(shared_corpus: Path) -> None:
    # International financial system: three paragraphs of figures on debt and financing
    # (PP15, PP16, PP17) became one (PP9); the programme finds the first two, and the
    # scorer grows the merge by the third, far too cut down for the other passes.
    old = load_document("bulk/A_RES_79_196.txt")
    new = load_document("bulk/A_C.2_80_L.11.txt")
    merge = (("PP15", "PP16", "PP17"), ("PP9",))
    got = {(p.old, p.new): p for p in compare(old, new).pairs}
    assert got[merge].kind is PairKind.MERGED
    assert got[merge].alternatives  # a doubtful merge keeps the "changed, not merged" reading
    back = {(p.old, p.new): p.kind for p in compare(new, old).pairs}
    assert back[merge[::-1]] is PairKind.SPLIT
    off = dataclasses.replace(Settings(), linker_weights=())
    without = {(p.old, p.new) for p in compare(old, new, off).pairs}
    assert merge not in without and (("PP15", "PP16"), ("PP9",)) in without


def test_shipped_weights_are_the_training_scripts(shared_corpus: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from train_linker import fit, tuning_rows

    assert fit(tuning_rows()) == Settings().linker_weights, (
        "run .venv/bin/python benchmarks/train_linker.py --write (the gold or the measures changed)"
    )
