"""Alignment against hand-verified gold links on real consecutive versions.

Each ``tests/golden/align/<old>__<new>.json`` holds the links (``{old: [labels], new:
[labels]}``) between two versions from the shared corpus, drafted with the aligner and
then read link by link against both texts; ``hand_corrected`` lists the links fixed by
hand and why. Gold files are the reference, so ``--update-golden`` never rewrites them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from conftest import GOLDEN, SEED, SERIES

from resdiff.compare import compare
from resdiff.ingest.markdown import parse_markdown
from resdiff.ingest.text import parse_text
from resdiff.model import Document, PairKind, Source
from resdiff.normalize import key

GOLD_FILES = sorted((GOLDEN / "align").glob("*.json"))
Link = tuple[tuple[str, ...], tuple[str, ...]]


@cache
def load(name: str) -> Document:
    if name == "seed":
        return parse_markdown(SEED.read_text(encoding="utf-8"), Source(SEED.name, "markdown", ""))
    path = SERIES / f"{name}.txt"
    return parse_text(path.read_text(encoding="utf-8"), Source(path.name, "text", ""))


def gold_links(path: Path) -> tuple[str, str, set[Link]]:
    g = json.loads(path.read_text(encoding="utf-8"))
    return g["old"], g["new"], {(tuple(x["old"]), tuple(x["new"])) for x in g["links"]}


def predicted(old: str, new: str) -> set[Link]:
    cmp = compare(load(old), load(new))
    return {(p.old, p.new) for p in cmp.pairs if p.old and p.new}


def test_gold_files_present() -> None:
    assert len(GOLD_FILES) >= 5
    for path in GOLD_FILES:
        g = json.loads(path.read_text(encoding="utf-8"))
        assert g["verified"] and "hand_corrected" in g


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_labels_match_the_parser(path: Path, shared_corpus: Path) -> None:
    # Gold names units by label; if the parser's labelling changes, the gold must be redone.
    old, new, links = gold_links(path)
    g = json.loads(path.read_text(encoding="utf-8"))
    a, b = load(old), load(new)
    old_labels = [lab for o, _ in links for lab in o] + g["removed"]
    new_labels = [lab for _, n in links for lab in n] + g["added"]
    assert sorted(old_labels) == sorted(u.label for u in a.units), "gold out of date with parser"
    assert sorted(new_labels) == sorted(u.label for u in b.units), "gold out of date with parser"


def test_link_precision_recall_f1(shared_corpus: Path) -> None:
    tp = fp = fn = 0
    per_pair = []
    for path in GOLD_FILES:
        old, new, gold = gold_links(path)
        pred = predicted(old, new)
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        per_pair.append((path.stem, len(gold), sorted(pred - gold), sorted(gold - pred)))
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"\ngold links {tp + fn}: precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    for stem, n, extra, missing in per_pair:
        if extra or missing:
            print(f"  {stem} ({n} links): wrong {extra} missed {missing}")
    assert f1 >= 0.99, per_pair


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_no_unchanged_unit_reported_as_changed(path: Path, shared_corpus: Path) -> None:
    old, new, _ = gold_links(path)
    a, b = load(old), load(new)
    cmp = compare(a, b)
    for p in cmp.pairs:
        if len(p.old) == len(p.new) == 1:
            same = key(a.unit(p.old[0]).text) == key(b.unit(p.new[0]).text)
            if same:
                assert p.kind in (PairKind.UNCHANGED, PairKind.MOVED), p
            else:
                assert p.kind is not PairKind.UNCHANGED, p


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_real_pairs_rebuild_every_unit(path: Path, shared_corpus: Path) -> None:
    old, new, _ = gold_links(path)
    a, b = load(old), load(new)
    cmp = compare(a, b)
    for p in cmp.pairs:
        assert p.old_texts() == [a.unit(x).text for x in p.old]
        assert p.new_texts() == [b.unit(x).text for x in p.new]


def test_yearly_recalling_paragraph_is_changed_and_routine(shared_corpus: Path) -> None:
    # "Recalling all previous resolutions ... including resolution 75/190 of 16 December 2020"
    cmp = compare(load("A_RES_75_190"), load("A_RES_76_177"))
    recalling = [p for p in cmp.pairs if "PP2" in p.old]
    assert len(recalling) == 1
    p = recalling[0]
    assert p.kind is PairKind.CHANGED and p.new == ("PP2",) and p.routine
