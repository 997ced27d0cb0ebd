"""The review pack on the real corpus: baseline found, notes, formats, CLI, browser rendering."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import SEED, SERIES
from typer.testing import CliRunner

from resdiff.cli import app
from resdiff.compare import routine_words_only
from resdiff.errors import NotFoundError
from resdiff.render.docx_tracked import render_docx
from resdiff.render.review import render_review, render_review_docx, review_to_json
from resdiff.render.review_view import build_review_view
from resdiff.review import ReviewPack, locate, review
from resdiff.schemas import load_schema
from resdiff.store import open_store

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def l41(corpus_db: str) -> ReviewPack:
    with open_store(corpus_db, create=False) as store:
        return review(store, "A/C.3/80/L.41")


@pytest.fixture(scope="module")
def l2(corpus_db: str) -> ReviewPack:
    with open_store(corpus_db, create=False) as store:
        return review(store, "A/C.3/80/L.2")


# --- finding what to compare ------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "baseline", "amendments"),
    [
        ("A/C.3/80/L.41", "A/RES/79/171", []),  # right to food
        ("A/C.3/80/L.5", "A/RES/79/147", []),  # ageing
        ("A/C.3/80/L.42", "A/RES/79/162", []),  # mercenaries
        ("A/C.3/80/L.2", "A/RES/79/160", ["A/C.3/80/L.56"]),  # Nazism, with its amendment
        # Rights of the child (biennial): bulk/ holds two more amendments to L.20/Rev.1.
        ("A/C.3/80/L.20", "A/RES/78/187", [f"A/C.3/80/L.{n}" for n in (61, 62, 63, 64)]),
        ("A/C.3/80/L.50", "A/RES/78/205", ["A/C.3/80/L.58"]),
        ("A/C.3/80/L.24", "A/RES/79/157", ["A/C.3/80/L.65"]),
    ],
)
def test_baseline_is_the_latest_adopted_resolution_before_the_draft(
    corpus_db: str, draft: str, baseline: str, amendments: list[str]
) -> None:
    with open_store(corpus_db, create=False) as store:
        loc = locate(store, draft)
    assert loc.baseline.metadata.symbol == baseline
    assert loc.draft.metadata.symbol == draft
    assert sorted(a.metadata.symbol or "" for a in loc.amendments) == amendments
    # Versions for the long-standing check end with the baseline, oldest first.
    assert loc.versions and loc.versions[-1].symbol == baseline


def test_a_draft_file_that_is_not_stored_finds_its_series_by_what_it_recalls(
    corpus_db: str, tmp_path: Path
) -> None:
    text = (SERIES / "A_C.3_80_L.41.txt").read_text(encoding="utf-8")
    edited = tmp_path / "L41-edited.txt"
    edited.write_text(text.replace("Welcoming further", "Welcoming once again"), encoding="utf-8")
    with open_store(corpus_db, create=False) as store:
        loc = locate(store, str(edited))
        assert loc.draft_key is None
        assert loc.baseline.metadata.symbol == "A/RES/79/171"
        explicit = locate(store, str(edited), against="A/RES/78/198")
    assert explicit.baseline.metadata.symbol == "A/RES/78/198"
    assert explicit.baseline_how == "given with --against"


def test_a_draft_with_no_earlier_resolution_is_a_clear_error(corpus_db: str) -> None:
    with open_store(corpus_db, create=False) as store, pytest.raises(NotFoundError) as err:
        locate(store, "A/RES/78/198")  # the oldest right-to-food text in the corpus
    assert "--against" in str(err.value)


# --- the pack ---------------------------------------------------------------------------


def test_l41_summary_counts_every_kind(l41: ReviewPack) -> None:
    s = l41.summary()
    c = l41.comparison
    assert (s.added, s.removed) == (
        sum(p.kind.value == "added" and not p.routine for p in c.pairs),
        sum(p.kind.value == "removed" and not p.routine for p in c.pairs),
    )
    assert s.added == 5 and s.removed == 1 and s.routine == c.stats.routine
    assert s.agreed + s.partly_agreed + s.new_language == sum(len(n.provenance) for n in l41.notes)
    assert s.softened == 1  # PP48: "Taking note with appreciation" -> "Taking note"
    # Notes follow the document: pair indices increase.
    assert [n.pair for n in l41.notes] == sorted(n.pair for n in l41.notes)


def test_precedent_never_comes_from_the_draft_or_later_texts(l41: ReviewPack) -> None:
    cutoff = l41.comparison.new.metadata.distribution_date
    assert cutoff is not None
    for n in l41.notes:
        for x in n.provenance:
            for p in (x.earliest, x.latest, *(c.earliest for c in x.clauses)):
                if p is not None:
                    assert p.date is not None and p.date < cutoff
                    assert p.symbol != "A/RES/80/210"  # adopted from L.41 itself


def test_reference_updates_inside_a_changed_paragraph_get_no_provenance(l2: ReviewPack) -> None:
    # L.2's PP2 only extends a list of resolutions ("and 79/160 of 17 December 2024",
    # its "and" moving to the new last item): a routine update, with no provenance.
    (k,) = [k for k, p in enumerate(l2.comparison.pairs) if p.new == ("PP2",)]
    assert l2.comparison.pairs[k].routine
    assert all(n.provenance == () for n in l2.notes if n.pair == k)
    assert routine_words_only("and 79/160 of 17 December 2024")
    assert not routine_words_only("deep concern")


def test_l2_pack_has_its_crossrefs_and_amendment(l2: ReviewPack) -> None:
    refs = [r for n in l2.notes for r in n.crossrefs]
    assert len(refs) == 12 and {r.unit for r in refs} == {"OP68"}
    (amendment,) = l2.amendments
    assert amendment.amendment.metadata.symbol == "A/C.3/80/L.56"
    assert amendment.result.all_applied
    # A/RES/80/192 carries the inserted paragraph: the adopted text reflects L.56.
    assert [r.status for r in amendment.reflected] == ["reflected"]
    assert "OP4" in {
        lb for p in amendment.comparison.pairs for lb in p.new if p.kind.value == "added"
    }


def test_review_is_deterministic(corpus_db: str, l41: ReviewPack) -> None:
    with open_store(corpus_db, create=False) as store:
        again = review(store, "A/C.3/80/L.41")
    assert review_to_json(again) == review_to_json(l41)


# --- formats ----------------------------------------------------------------------------


def test_json_follows_its_schema_and_carries_the_whole_comparison(
    l41: ReviewPack, l2: ReviewPack
) -> None:
    validator = jsonschema.Draft202012Validator(load_schema("review"))
    for pack in (l41, l2):
        data = json.loads(render_review(pack, "json"))
        validator.validate(data)
        jsonschema.Draft202012Validator(load_schema("comparison")).validate(data["comparison"])
        assert data["draft"]["symbol"] == pack.comparison.new.metadata.symbol
        assert len(data["notes"]) == len(pack.notes)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def test_every_note_appears_in_html_markdown_and_text(l41: ReviewPack) -> None:
    html_parser = _Text()
    html_parser.feed(render_review(l41, "html"))
    html_text = " ".join("".join(html_parser.parts).split())
    md = render_review(l41, "md")
    text = " ".join(render_review(l41, "text", width=10_000).split())
    for n in l41.notes:
        for x in n.provenance:
            words = " ".join(x.query.split())[:40]
            assert words in html_text
            assert words in text
            # Markdown escapes metacharacters; compare the first word only there.
            assert x.query.split()[0] in md
    assert "Review of A/C.3/80/L.41" in text
    assert "Agreed language" in html_text and "New language" in html_text


def test_hostile_draft_text_is_escaped_everywhere(corpus_db: str, tmp_path: Path) -> None:
    text = (SERIES / "A_C.3_80_L.41.txt").read_text(encoding="utf-8")
    evil = '<script>alert(1)</script> & <img src=x onerror="boom"> **bold** [x](javascript:y)'
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(text.replace("Welcoming further", f"Welcoming {evil} further"), "utf-8")
    with open_store(corpus_db, create=False) as store:
        pack = review(store, str(hostile))
    page = render_review(pack, "html")
    # The page's own navigation script is the only script; the draft's is text.
    assert "<script>alert" not in page and "<img" not in page
    assert page.count("<script") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = render_review(pack, "md")
    assert "<script>" not in md and "\\*\\*bold\\*\\*" in md
    assert "\\[x\\]" in md


def test_docx_is_the_comparison_with_tracked_changes(l41: ReviewPack) -> None:
    data = render_review_docx(l41, author="Delegation of X")
    view = build_review_view(l41)
    comments = {i: [(n.tag, n.text) for n in ns] for i, ns in view.notes.items()}
    # The comparison's tracked changes, with the precedent searched said under the heading.
    note = f"Precedent searched: {l41.precedent}."
    assert data == render_docx(
        l41.comparison, author="Delegation of X", comments=comments, note=note
    )
    zf = zipfile.ZipFile(io.BytesIO(data))
    xml = zf.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:ins ") > 10 and xml.count("<w:del ") > 5
    assert 'w:author="Delegation of X"' in xml
    # Every review note is a Word comment, anchored in the document.
    said = zf.read("word/comments.xml").decode("utf-8")
    total = sum(len(ns) for ns in view.notes.values())
    assert total and said.count("<w:comment ") == total
    assert xml.count("<w:commentRangeStart ") == xml.count("<w:commentReference ") == total


# --- command line -----------------------------------------------------------------------


def test_review_command_formats(corpus_db: str, tmp_path: Path) -> None:
    for fmt in ("text", "md", "html", "json", "docx"):
        out = tmp_path / f"review.{fmt}"
        result = runner.invoke(
            app, ["--db", corpus_db, "review", "A/C.3/80/L.41", "-f", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert zipfile.is_zipfile(tmp_path / "review.docx")
    assert json.loads((tmp_path / "review.json").read_text("utf-8"))["format"] == "resdiff.review"


def test_review_command_errors_are_one_line(corpus_db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", corpus_db, "review", "A/C.3/99/L.999"])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("resdiff: error:")
    bad_scale = tmp_path / "scale.toml"
    bad_scale.write_text("this is not toml [", encoding="utf-8")
    result = runner.invoke(
        app, ["--db", corpus_db, "review", "A/C.3/80/L.41", "--scale", str(bad_scale)]
    )
    assert result.exit_code == 2 and "scale.toml" in result.output


def test_no_amendments_option_leaves_them_out(corpus_db: str) -> None:
    result = runner.invoke(
        app, ["--db", corpus_db, "review", "A/C.3/80/L.2", "--no-amendments", "-f", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["amendments"] == []


# --- in a real browser ------------------------------------------------------------------


@pytest.mark.browser
def test_html_review_renders_and_reads_back_in_chromium(
    l2: ReviewPack, driver: Any, tmp_path: Path, shots: Path
) -> None:
    page = tmp_path / "review.html"
    page.write_text(render_review(l2, "html"), encoding="utf-8")
    driver.get(page.as_uri())
    driver.save_screenshot(str(shots / "review-l2.png"))
    body = driver.execute_script("return document.body.innerText")
    assert "review pack before the vote" in body.lower()
    assert "A/C.3/80/L.56" in body  # the pending amendment section
    notes = driver.execute_script(
        "return [...document.querySelectorAll('.note')].map(n => n.innerText)"
    )
    assert len(notes) == sum(
        len(n.provenance) + len(n.longstanding) + len(n.strength) for n in l2.notes
    ) + len({(r.unit, r.start) for n in l2.notes for r in n.crossrefs})
    # The redline part reads back the draft's words for every changed paragraph.
    new_text = driver.execute_script(
        "return [...document.querySelectorAll('main > article.pair')].map(a => "
        "[a.dataset.new, [...a.querySelectorAll('.inline [data-op]')]"
        ".filter(e => e.dataset.op !== 'delete').map(e => e.textContent).join('')])"
    )
    units = {u.label: u.text for u in l2.comparison.new.units}
    checked = 0
    for labels, text in new_text:
        if len(labels.split()) == 1:
            assert re.sub(r"\s+", " ", text) == re.sub(r"\s+", " ", units[labels])
            checked += 1
    assert checked >= 5
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 1280  # no horizontal scrolling on a laptop screen


def test_a_word_draft_without_date_is_reviewed_like_the_stored_draft(
    corpus_db: str, l41: ReviewPack, tmp_path: Path
) -> None:
    # The Word file of L.41 (tracked changes against 79/171) prints no date or session:
    # its stored version's date still bounds the precedent, so the resolution adopted
    # from L.41 never vouches for L.41's own wording.
    docx = tmp_path / "L41.docx"
    docx.write_bytes(render_docx(l41.comparison))
    with open_store(corpus_db, create=False) as store:
        loc = locate(store, str(docx), against="A/RES/79/171")
        pack = review(store, str(docx), against="A/RES/79/171")
    assert loc.draft.metadata.distribution_date is None
    assert loc.cutoff == l41.comparison.new.metadata.distribution_date
    assert loc.previous_draft is None  # not the stored L.41 itself
    statuses = [(x.label, x.status, x.count) for n in pack.notes for x in n.provenance]
    assert statuses == [(x.label, x.status, x.count) for n in l41.notes for x in n.provenance]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("A/C.3/80/L.56", "is an amendment: review A/C.3/80/L.2"),
        ("missing-draft.docx", "no such file; check the path"),
    ],
)
def test_reviewing_the_wrong_thing_says_what_to_do(corpus_db: str, ref: str, expected: str) -> None:
    result = runner.invoke(app, ["--db", corpus_db, "review", ref])
    assert result.exit_code == 2
    assert expected in result.output and len(result.output.strip().splitlines()) == 1


def test_summary_figures_link_to_the_first_paragraph_with_such_a_note(l2: ReviewPack) -> None:
    from resdiff.render.review_view import build_review_view

    view = build_review_view(l2)
    page = render_review(l2, "html")
    for line in view.attention:
        if line.count and line.kind not in ("joined", "left", "amendments"):
            index = int(line.href[1:]) - 1
            assert any(n.kind == line.kind for n in view.notes[index])
            assert f'href="#{line.href}"' in page and f'id="{line.href}"' in page
    (amendments,) = [x for x in view.attention if x.kind == "amendments"]
    assert amendments.href == "amendments-h"


def test_review_pack_shows_the_other_reading_of_doubtful_pairs(corpus_db: str) -> None:
    # A/C.1/80/L.54 against A/RES/79/68: the rewritten Central African Republic paragraphs
    # are linked with doubt; the pack says so in every format, as the redline does.
    with open_store(corpus_db, create=False) as store:
        pack = review(store, "A/C.1/80/L.54")
    doubtful = [p for p in pack.comparison.pairs if p.alternatives]
    assert doubtful
    html = render_review(pack, "html")
    md = render_review(pack, "md")
    text = render_review(pack, "text", width=10_000)
    for out in (html, md, text):
        assert out.count("or: removed + added") >= len(doubtful)


def test_a_long_standing_note_quotes_only_the_deleted_words(corpus_db: str) -> None:
    # The note names what the draft deletes, never the wider wording searched for it
    # ("Deleted “promote and protect human”" when only "promote and protect" went).
    with open_store(corpus_db, read_only=True) as store:
        pack = review(store, str(SEED))
    view = build_review_view(pack)
    checked = 0
    for n in pack.notes:
        said = [x.text for x in view.notes.get(n.pair, ()) if x.kind == "longstanding"]
        assert len(said) == len(n.longstanding)
        for ls, text in zip(n.longstanding, said, strict=True):
            m = re.match(r"Deleted “(.*?)”: it had been", text)
            assert m, text
            deleted = " ".join(ls.run.deleted.split())
            for part in m.group(1).split(" … "):
                assert part in deleted, (part, deleted)
            # A streak reaching the series' earliest stored version may reach further back.
            assert (", the earliest stored (" in text) is ls.since_earliest, text
            checked += 1
    assert checked >= 3
    assert any(ls.since_earliest for n in pack.notes for ls in n.longstanding)


def test_a_draft_file_finds_its_series_by_a_list_further_down_when_its_title_agrees(
    tmp_path: Path,
) -> None:
    # The disasters conference draft recalls "its resolutions 71/141 of …, 76/119 of …
    # and 79/128 of …, as well as its decisions …" in its sixth recital, saying on what
    # only through the title of 79/128 (protection of persons in the event of disasters).
    from conftest import BULK

    from resdiff import ingest_paths

    url = f"sqlite:///{tmp_path / 'x.db'}"
    with open_store(url) as store:
        ingest_paths(store, [BULK / "A_RES_79_128.txt"], workers=1)
    with open_store(url, create=False) as store:
        loc = locate(store, str(BULK / "A_C.6_80_L.14.txt"))
    assert loc.draft_key is None
    assert loc.baseline.metadata.symbol == "A/RES/79/128"


def test_a_draft_naming_no_sponsors_says_nothing_of_who_left(corpus_db: str) -> None:
    # A/C.2/80/L.58 is "submitted by the Vice-Chair ... on the basis of informal
    # consultations on draft resolution A/C.2/80/L.17" (sponsor: Iraq). Its own sponsor
    # list is empty because it has none, not because Iraq withdrew.
    with open_store(corpus_db, create=False) as store:
        pack = review(store, "A/C.2/80/L.58")
    assert pack.sponsors.previous == "A/C.2/80/L.17"
    assert pack.sponsors.diff is None
    text = render_review(pack, "text")
    assert "Left: Iraq" not in text
    assert "who joined or left since A/C.2/80/L.17 cannot be told" in " ".join(text.split())
    data = review_to_json(pack)
    jsonschema.validate(data, load_schema("review"))
    assert data["sponsors"]["left"] is None
    assert "cannot be told" in render_review(pack, "html")
