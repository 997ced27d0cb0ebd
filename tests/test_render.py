"""Renderers: every format from one Comparison; nothing lost through HTML; filters; determinism."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from comparison_fixtures import comparisons, dprk_comparison
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redline_reader import expected_texts, read_redline

from resdiff.compare import compare
from resdiff.model import Comparison, PairKind
from resdiff.render import FORMATS, render, render_document
from resdiff.render.html import page_script, templates_dir
from resdiff.render.terminal import wrap_segments
from resdiff.render.viewmodel import anchor_id, build_view, parse_only

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dprk() -> Comparison:
    return dprk_comparison()


def test_fixture_is_consistent(dprk: Comparison) -> None:
    # The fixture itself obeys the model's contract: spans rebuild both documents.
    for side in ("old", "new"):
        doc = dprk.old if side == "old" else dprk.new
        rebuilt: dict[str, str] = {}
        for p in dprk.pairs:
            labels, texts = (p.old, p.old_texts()) if side == "old" else (p.new, p.new_texts())
            rebuilt.update(zip(labels, texts, strict=True))
        assert rebuilt == {u.label: u.text for u in doc.units}
    assert {p.kind for p in dprk.pairs} == set(PairKind)


# --- HTML ----------------------------------------------------------------------------------


def _assert_html_rebuilds(c: Comparison, html: str) -> None:
    r = read_redline(html)
    for side, inline in (("old", r.inline_old), ("new", r.inline_new)):
        want = expected_texts(c, side)
        assert {k: inline.get(k, "") for k in want} == want, f"inline view, {side} side"
        assert set(inline) <= set(want)
        by_side = r.side[side]
        assert {k: by_side.get(k, "") for k in want} == want, f"side-by-side view, {side} side"
        assert set(by_side) <= set(want)


def test_html_rebuilds_both_versions(dprk: Comparison) -> None:
    _assert_html_rebuilds(dprk, render(dprk, "html"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons())
def test_html_nothing_lost_property(c: Comparison) -> None:
    _assert_html_rebuilds(c, render(c, "html"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons(), st.sampled_from([None, "changed", "moved", "added,removed"]), st.booleans())
def test_html_links_resolve_under_any_filter(
    c: Comparison, only: str | None, hide_routine: bool
) -> None:
    r = read_redline(render(c, "html", only=only, hide_routine=hide_routine))
    assert len(r.ids) == len(set(r.ids)), "duplicate ids"
    for t, a in r.tags:
        if t == "a":
            assert a["href"][1:] in r.ids, a["href"]


def test_html_is_self_contained(dprk: Comparison) -> None:
    html = render(dprk, "html")
    assert html.startswith("<!DOCTYPE html>")
    # The one script is the embedded navigation, allowed by its digest alone.
    script = f"<script>{page_script().code}</script>"
    assert html.count(script) == 1
    assert f"script-src '{page_script().csp}'" in html
    assert "script-src 'unsafe-inline'" not in html
    low = html.replace(script, "").lower()
    for bad in ("<script", "<link", "<img", "<iframe", "@import", "url(", "http://", "https://"):
        assert bad not in low, bad
    assert low.count("<style>") == 1 and "@media print" in html


def test_html_internal_links_resolve(dprk: Comparison) -> None:
    r = read_redline(render(dprk, "html"))
    ids = r.ids
    assert len(ids) == len(set(ids)), "duplicate ids"
    hrefs = [a["href"] for t, a in r.tags if t == "a"]
    assert hrefs and all(h.startswith("#") and h[1:] in ids for h in hrefs)
    # Every unit of both versions has an anchor; a moved unit's old anchor is its marker.
    for u in dprk.old.units:
        assert anchor_id("old", u.label) in ids
    for u in dprk.new.units:
        assert anchor_id("new", u.label) in ids


def test_html_shows_what_a_delegate_needs(dprk: Comparison) -> None:
    html = render(dprk, "html")
    # Renumbering old → new, split and merged labels, routine folded, legend.
    assert "OP6 → OP7" in html and "OP3 → OP4 + OP5" in html and "PP5 + PP6 → PP4" in html
    assert '<details class="fold">' in html and "Routine" in html
    assert "<ins" in html and "<del" in html and "underlined" in html and "struck" in html
    # The moved paragraph links to the marker at its old place, and back.
    moved = next(i for i, p in enumerate(dprk.pairs) if p.kind is PairKind.MOVED)
    assert f'href="#from-p{moved + 1}"' in html and f'id="from-p{moved + 1}"' in html
    assert f'href="#p{moved + 1}"' in html
    # Footnote changes in their own section; both documents' metadata in the header.
    assert 'id="footnotes"' in html and "A/[-" not in html
    for value in ("A/RES/75/190", "A/RES/76/177", "16 December 2021", "74 (c)", "Third Committee"):
        assert value in html
    # Both views are in the DOM; the side-by-side one is hidden without CSS.
    assert html.count('class="inline"') == html.count('class="sbs" hidden') == 14
    assert 'type="radio" name="view" id="view-inline" class="view-radio" checked' in html


def test_moved_marker_sits_at_old_position(dprk: Comparison) -> None:
    view = build_view(dprk)
    order = [
        f"ghost:{r.ghost.old_label}" if r.ghost else r.pair.label
        for r in view.rows
        if r.pair or r.ghost
    ]
    # OP5 stood after OP4 (removed) in the old text.
    assert order.index("ghost:OP5") == order.index("OP4 → —") + 1


def test_summary_counts(dprk: Comparison) -> None:
    view = build_view(dprk)
    counts = {k.kind: k.count for k in view.summary.kinds}
    assert counts == dprk.counts()
    assert view.summary.routine == 2 and view.summary.renumbered == 4
    assert view.summary.footnote_changes == 1
    changed = next(k for k in view.summary.kinds if k.kind == "changed")
    assert [lb for _, lb in changed.links] == ["PP2", "OP2(a)(iv)", "OP6 → OP7"]


# --- filters -------------------------------------------------------------------------------


def test_only_changed_hides_unchanged(dprk: Comparison) -> None:
    for fmt in ("html", "md", "text"):
        full = render(dprk, fmt)
        only = render(dprk, fmt, only="changed")
        assert "Reaffirming that all States" in full
        assert "Reaffirming that all States" not in only, fmt
        assert "forcible transfer" in only
    data = json.loads(render(dprk, "json", only="changed"))
    assert all(p["kind"] != "unchanged" for p in data["pairs"] + data["footnotes"])
    assert data["stats"]["kinds"]["unchanged"] == 3  # stats describe the whole comparison


def test_hide_routine(dprk: Comparison) -> None:
    html = render(dprk, "html", hide_routine=True)
    assert "seventy-" not in html and "Recalling all previous" not in html
    assert "routine changes hidden" in html
    data = json.loads(render(dprk, "json", hide_routine=True))
    assert not any(p["routine"] for p in data["pairs"] + data["footnotes"])


def test_only_specific_kinds(dprk: Comparison) -> None:
    view = build_view(dprk, only="moved,split")
    kinds = {r.pair.kind for r in view.rows if r.pair}
    assert kinds == {"moved", "split"}
    assert parse_only(["added", "Removed"]) == {"added", "removed"}
    with pytest.raises(ValueError, match="unknown pair kind 'bogus'"):
        render(dprk, "html", only="bogus")
    with pytest.raises(ValueError, match="unknown format"):
        render(dprk, "pdf")


# --- terminal ------------------------------------------------------------------------------


def test_terminal_plain_marks_changes_without_colour(dprk: Comparison) -> None:
    out = render(dprk, "text", width=72)
    assert "\x1b" not in out
    assert "seventy-[-sixth-]{+seventh+}" in out
    assert "OP6 → OP7 changed, renumbered, routine" in out
    assert "{+both within the country and abroad,+}" in out
    assert max(len(line) for line in out.splitlines()) <= 72


def test_terminal_colour(dprk: Comparison) -> None:
    out = render(dprk, "text", color=True)
    assert "\x1b[32;4m{+seventh+}\x1b[0m" in out and "\x1b[31;9m[-sixth-]\x1b[0m" in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert plain == render(dprk, "text")  # colour adds escapes only


def test_wrap_never_loses_words() -> None:
    text = "word " * 50 + "averyveryverylongwordthatcannotbebrokenanywhereatall end"
    lines = wrap_segments([(None, text)], 30, "  ", False)
    assert " ".join(" ".join(lines).split()) == " ".join(text.split())
    assert all(len(line) <= 30 or " " not in line.strip() for line in lines)


# --- Markdown and JSON -----------------------------------------------------------------------


def test_markdown(dprk: Comparison) -> None:
    md = render(dprk, "md")
    assert md.startswith("# Changes from A/RES/75/190 to A/RES/76/177\n")
    assert "seventy-[-~~sixth~~-]{+**seventh**+}" in md
    assert "{+**both within the country and abroad,**+} including" in md
    assert "| Old | A/RES/75/190 |" in md
    assert "**OP6 → OP7** · Changed · renumbered · routine" in md


def test_json_contract(dprk: Comparison) -> None:
    data = json.loads(render(dprk, "json"))
    assert data["format"] == "resdiff.comparison" and data["version"] == 1
    assert [p["kind"] for p in data["pairs"]] == [p.kind.value for p in dprk.pairs]
    split = next(p for p in data["pairs"] if p["kind"] == "split")
    assert split["old"] == ["OP3"] and split["new"] == ["OP4", "OP5"]
    assert {"old_part", "new_part"} <= set(split["spans"][0])
    # The spans in JSON rebuild both texts, like the model's.
    for jp, mp in zip(data["pairs"], dprk.pairs, strict=True):
        old = [""] * len(jp["old"])
        for s in jp["spans"]:
            if s["op"] != "insert":
                old[s.get("old_part", 0)] += s["text"]
        assert old == mp.old_texts()
    assert data["stats"]["words_inserted"] > 0 and data["stats"]["identical"] is False


# --- determinism, documents, packaging -------------------------------------------------------

_DETERMINISM = """
import sys, hashlib
sys.path.insert(0, {tests!r})
from comparison_fixtures import dprk_comparison
from resdiff.render import render
c = dprk_comparison()
print(hashlib.sha256("".join(render(c, f) for f in ("html", "md", "text", "json")).encode()).hexdigest())
"""


def test_deterministic_across_hash_seeds(dprk: Comparison) -> None:
    for fmt in FORMATS:
        assert render(dprk, fmt) == render(dprk, fmt)
    code = _DETERMINISM.format(tests=str(REPO / "tests"))
    digests = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_render_document_text_and_markdown(dprk: Comparison) -> None:
    doc = dprk.new
    text = render_document(doc, "text")
    assert text.startswith("A/RES/76/177\n")
    assert "OP2(a)(iv)" in text and "[Recalling] Recalling all previous" in text
    assert "(footnotes 1)" in text and "Footnotes (2):" in text
    md = render_document(doc, "md")
    assert "**PP2** *Recalling* all previous" in md and "[^1]: See Official Records" in md
    with pytest.raises(ValueError, match="unknown format"):
        render_document(doc, "html")


def test_identical_comparison_has_no_marks() -> None:
    from comparison_fixtures import NEW_META, build_comparison, make_pair

    pairs = [make_pair(PairKind.UNCHANGED, [("PP1", "Recalling x,")], [("PP1", "Recalling x,")])]
    c = build_comparison(pairs, ["PP1"], ["PP1"], old_meta=NEW_META, new_meta=NEW_META)
    html = render(c, "html")
    assert "<ins data" not in html and "<del data" not in html
    assert "The two versions are identical." in html
    assert "identical" in render(c, "text")


def test_templates_found_in_checkout_and_in_wheel_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert templates_dir() == REPO / "templates"
    # An installed wheel carries them as resdiff/_data/templates: that copy wins.
    fake_pkg = tmp_path / "resdiff"
    (fake_pkg / "_data" / "templates").mkdir(parents=True)
    (fake_pkg / "_data" / "templates" / "redline.html").write_text("x")
    import resdiff.render.html as h

    monkeypatch.setattr(h.resources, "files", lambda _pkg: fake_pkg)
    assert h.templates_dir() == fake_pkg / "_data" / "templates"


# --- real documents through the real engine ---------------------------------------------------


@pytest.fixture(scope="module")
def real(shared_corpus: Path) -> Comparison:
    from conftest import SERIES

    from resdiff.compare import compare
    from resdiff.ingest import parse_file

    return compare(parse_file(SERIES / "A_RES_75_190.txt"), parse_file(SERIES / "A_RES_76_177.txt"))


def test_real_pair_renders_in_every_format(real: Comparison) -> None:
    from resdiff.schemas import load_schema

    html = render(real, "html")
    _assert_html_rebuilds(real, html)
    assert "A/RES/75/190" in html and "A/RES/76/177" in html
    data = json.loads(render(real, "json"))
    import jsonschema

    jsonschema.validate(data, load_schema("comparison"))
    assert data["stats"]["kinds"] == real.counts()
    text = render(real, "text", width=100)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "{+75/190 of 16 December 2020" in text  # the yearly "Recalling" paragraph
    md = render(real, "md", only="changed", hide_routine=True)
    assert "Reaffirming that all States" not in md


def test_compiled_template_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dprk: Comparison
) -> None:
    import resdiff.render.html as h

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("RESDIFF_NO_TEMPLATE_CACHE", raising=False)  # the run may set it
    assert h._bytecode_cache() is not None
    folder = tmp_path / "cache" / "resdiff" / "templates"
    assert folder.is_dir()
    # Same bytes with a cold cache, a warm cache and no cache at all.
    outputs = []
    for env in ({}, {}, {"RESDIFF_NO_TEMPLATE_CACHE": "1"}):
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        h.environment.cache_clear()
        try:
            outputs.append(render(dprk, "html"))
        finally:
            h.environment.cache_clear()
    assert outputs[0] == outputs[1] == outputs[2]
    assert any(folder.iterdir())
    # A cache folder that cannot be created disables the cache instead of failing.
    (tmp_path / "file").write_text("x")
    monkeypatch.delenv("RESDIFF_NO_TEMPLATE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert h._bytecode_cache() is None


def test_doubtful_decisions_carry_a_quiet_note_in_every_format(shared_corpus: Path) -> None:
    # A/RES/72/188 -> 73/180: PP24 -> PP21 (separated families, rewritten and moved) and
    # the split PP11 -> PP10 + PP11 each have another reading nearly as good.
    from goldlib import GOLD, parse_gold

    g = parse_gold(GOLD / "tuning" / "A_RES_72_188__A_RES_73_180.json")
    c = compare(g.old.document(), g.new.document())
    notes = {(p.old, p.new): p.alternatives for p in c.pairs if p.alternatives}
    assert (("PP24",), ("PP21",)) in notes
    assert [a.describe(PairKind.MOVED) for a in notes[("PP24",), ("PP21",)]] == ["removed + added"]
    assert [a.describe(PairKind.SPLIT) for a in notes[("PP11",), ("PP10", "PP11")]] == [
        "changed, not split"
    ]
    html = render(c, "html")
    md = render(c, "md")
    text = render(c, "text")
    for out in (html, md, text):
        assert out.count("or: removed + added") == 1
        assert out.count("or: changed, not split") == 1
    # Quiet: a muted note next to the figures, never a badge; certain pairs have none.
    assert '<span class="alt-note" title="The aligner is ' in html
    assert "b-or" not in html and html.count('alt-note"') == 2
    assert "*or: removed + added*" in md


def test_identical_versions_have_no_notes(dprk: Comparison) -> None:
    same = compare(dprk.new, dprk.new)
    assert all(p.confidence == 1.0 and not p.alternatives for p in same.pairs)
    assert 'class="alt-note"' not in render(same, "html")
    assert "*or: " not in render(same, "md")
    assert "(or: " not in render(same, "text")


def test_what_the_filters_hide_counts_paragraphs_and_footnotes_apart(shared_corpus: Path) -> None:
    # A/RES/79/83 -> A/80/L.12: 17 paragraphs, one of them changed, and an unchanged
    # footnote. The count said "17 hidden" for sixteen paragraphs and the footnote.
    from goldlib import load_document, source_of

    c = compare(load_document(source_of("A_RES_79_83")), load_document(source_of("A_80_L.12")))
    assert (len(c.pairs), sum(p.kind is not PairKind.UNCHANGED for p in c.pairs)) == (17, 1)
    hidden = "16 paragraphs and 1 footnote hidden"
    for fmt in ("text", "md", "html"):
        assert hidden in render(c, fmt, only="changed"), fmt
