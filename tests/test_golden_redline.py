"""Golden redlines: real consecutive versions rendered to JSON and HTML, byte for byte.

``tests/golden/redline/<old>__<new>.json`` and ``.html`` are the redlines of pairs whose
alignment is hand-checked in ``tests/gold/tuning/``, rendered from that alignment (not the
aligner's): they pin the word diffs, kinds, confidence notes and templates, while the
aligner is held to the same gold links separately (``test_aligner_reproduces_the_gold``).
A change to the engine or the templates shows up here as a diff to review;
``pytest --update-golden`` rewrites the files (never edit them by hand).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GOLDEN
from goldlib import GOLD, Gold, parse_gold

from resdiff.compare import compare
from resdiff.render import render
from resdiff.render.html import page_script

PAIRS = [
    ("A_RES_72_188", "A_RES_73_180"),
    ("A_RES_75_190", "A_RES_76_177"),
    ("A_RES_76_177", "seed"),
    ("seed", "A_RES_78_218"),
    ("A_RES_79_171", "A_C.3_80_L.41"),
    ("A_C.3_80_L.5", "A_RES_80_179"),
]
OUT = GOLDEN / "redline"


def gold(old: str, new: str) -> Gold:
    return parse_gold(GOLD / "tuning" / f"{old}__{new}.json")


def gold_links(g: Gold) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return sorted(g.links)


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}__{b}" for a, b in PAIRS])
@pytest.mark.parametrize("fmt", ["json", "html"])
def test_golden_redline(old: str, new: str, fmt: str, update_golden: bool) -> None:
    g = gold(old, new)
    got = render(compare(g.old.document(), g.new.document(), links=gold_links(g)), fmt)
    path = OUT / f"{old}__{new}.{fmt}"
    if update_golden:
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    assert path.exists(), f"{path.name} missing: run pytest --update-golden and review it"
    expected = path.read_text(encoding="utf-8")
    if fmt == "json":
        # Compare as data first for a readable failure, then as bytes.
        assert json.loads(got) == json.loads(expected)
    assert got == expected


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}__{b}" for a, b in PAIRS])
def test_redline_pairs_are_the_gold_links(old: str, new: str) -> None:
    # What the snapshot records is the hand-checked alignment, unit for unit.
    g = gold(old, new)
    recorded = json.loads((OUT / f"{old}__{new}.json").read_text(encoding="utf-8"))["pairs"]
    links = {(tuple(p["old"]), tuple(p["new"])) for p in recorded if p["old"] and p["new"]}
    added = {x for p in recorded if p["kind"] == "added" for x in p["new"]}
    removed = {x for p in recorded if p["kind"] == "removed" for x in p["old"]}
    assert (links, added, removed) == (g.links, g.added, g.removed)


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{a}__{b}" for a, b in PAIRS])
def test_aligner_reproduces_the_gold(old: str, new: str) -> None:
    # The redline pairs are chosen among the gold pairs the aligner gets right in full.
    g = gold(old, new)
    cmp = compare(g.old.document(), g.new.document())
    links = {(p.old, p.new) for p in cmp.pairs if p.old and p.new}
    assert links == g.links


def test_golden_files_have_no_strays() -> None:
    expected = {f"{a}__{b}.{f}" for a, b in PAIRS for f in ("json", "html")}
    present = {p.name for p in OUT.glob("*")} if OUT.exists() else set()
    assert present == expected


def test_golden_html_is_self_contained() -> None:
    for p in sorted(Path(OUT).glob("*.html")):
        # The one script is the embedded navigation that the page's policy names.
        html = p.read_text(encoding="utf-8").replace(f"<script>{page_script().code}</script>", "")
        assert "<script" not in html and "http://" not in html and "https://" not in html
        assert "<ins" in html and "<del" in html
