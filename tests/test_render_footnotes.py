"""Footnote markers in the HTML redline and review page: where they stand, links both ways,
and changed footnotes under the paragraph citing them with their own word diff."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from redline_reader import expected_texts, read_redline

from resdiff.compare import compare
from resdiff.model import Document, Footnote, Metadata, Unit, UnitKind
from resdiff.render import render
from resdiff.render.review import render_review
from resdiff.render.viewmodel import build_view
from resdiff.review.pack import ReviewPack, SponsorReview

OLD_PP1 = "Recalling its resolution 55/19 of 4 December 2000 and all later resolutions,"
NEW_PP1 = "Recalling its resolution 55/19 of 4 December 2000 and all subsequent resolutions,"
OP1 = "Decides to remain seized of the matter."


def _docs() -> tuple[Document, Document]:
    # Marker 1 after "55/19" on both sides; marker 2 after "2000" only in the old
    # version (its footnote removed); marker 3 new at the end of OP1 (footnote added).
    at1 = OLD_PP1.index(" of 4")
    at2 = OLD_PP1.index(" and all")
    old = Document(
        Metadata(symbol="A/RES/1/1"),
        (
            Unit("PP1", UnitKind.PREAMBULAR, OLD_PP1, "Recalling", (1, 2), (at1, at2)),
            Unit("OP1", UnitKind.OPERATIVE, OP1, "Decides"),
        ),
        (
            Footnote(1, "Official Records of the General Assembly, Fifty-fifth Session."),
            Footnote(2, "See A/55/PV.81, which records the vote."),
        ),
    )
    new = Document(
        Metadata(symbol="A/RES/2/2"),
        (
            Unit("PP1", UnitKind.PREAMBULAR, NEW_PP1, "Recalling", (1,), (at1,)),
            Unit("OP1", UnitKind.OPERATIVE, OP1, "Decides", (2,), (len(OP1),)),
        ),
        (
            Footnote(1, "Official Records of the General Assembly, Fifty-sixth Session."),
            Footnote(2, "A report on the implementation of the present resolution."),
        ),
    )
    return old, new


class _Links(HTMLParser):
    """ids, hrefs, and the text right before each footnote marker."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.markers: list[tuple[str, str, str]] = []  # (id, class, text before)
        self.text = ""
        self._sup: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        if tag == "sup" and "fnref" in a.get("class", ""):
            self.markers.append((a.get("id", ""), a["class"], self.text[-12:]))

    def handle_data(self, data: str) -> None:
        self.text += data


def _page(only: str | None = None) -> str:
    old, new = _docs()
    return render(compare(old, new), "html", only=only)


def test_markers_stand_where_the_parser_put_them() -> None:
    r = _Links()
    r.feed(_page())
    # The inline view's markers (the side-by-side columns carry their own, "-oldref").
    kinds = [(c.split()[-1], before) for i, c, before in r.markers if "-ref" in i]
    # (The legend shows a sample marker with no id.)
    # Kept citation after "55/19" once; removed one after "2000"; added one after "matter.".
    assert ("r-equal", "lution 55/19") in kinds
    assert ("r-delete", "ecember 2000") in kinds
    assert any(k == "r-insert" and b.endswith("matter.") for k, b in kinds)
    assert len(kinds) == 3
    side = [(i, before) for i, _, before in r.markers if i and "-ref" not in i]
    assert sorted(i.split("-")[1][:3] for i, _ in side) == ["new", "new", "old", "old"]


def test_every_footnote_link_has_its_target_and_back() -> None:
    for only in (None, "changed"):
        r = _Links()
        r.feed(_page(only))
        missing = [h for h in r.hrefs if h not in r.ids]
        assert not missing, (only, missing)
    r = _Links()
    r.feed(_page())
    # Marker -> changed footnote under PP1, and that footnote -> the marker.
    page = _page()
    note = re.search(r'<div class="fnote k-changed" id="([^"]+)">', page)
    assert note is not None
    assert f'href="#{note.group(1)}"' in page
    back = re.search(rf'id="{note.group(1)}">.*?href="#([^"]+)"', page, re.S)
    assert back is not None and back.group(1) in r.ids
    assert page.count('class="cited-by"') >= 1


def test_changed_footnote_shows_its_own_word_diff_under_its_paragraph() -> None:
    old, new = _docs()
    c = compare(old, new)
    v = build_view(c)
    pp1 = next(r.pair for r in v.rows if r.pair is not None and r.pair.new_labels == ("PP1",))
    kinds = {f.number: f.kind for f in pp1.footnotes}
    assert kinds["1"] == "changed"
    fn1 = next(f for f in pp1.footnotes if f.number == "1")
    # The spans are the comparison's footnote pair's, as they are.
    fp = next(p for p in c.footnotes if p.old == ("fn1",))
    assert [(s.op, s.text) for s in fn1.inline] == [(str(s.op), s.text) for s in fp.spans]
    page = render(c, "html")
    assert re.search(r'class="fnote k-changed".*?<del>[^<]*fifth[^<]*</del>', page, re.S)
    assert re.search(r'class="fnote k-changed".*?<ins>[^<]*sixth[^<]*</ins>', page, re.S)


def test_markers_lose_no_text() -> None:
    old, new = _docs()
    c = compare(old, new)
    r = read_redline(render(c, "html"))
    assert r.inline_old == {k: v for k, v in expected_texts(c, "old").items() if k in r.inline_old}
    assert r.inline_new == {k: v for k, v in expected_texts(c, "new").items() if k in r.inline_new}
    assert set(r.inline_old) >= {"PP1", "OP1", "fn1", "fn2"}


def _pack() -> ReviewPack:
    old, new = _docs()
    sponsors = SponsorReview((), None, None)
    return ReviewPack(
        compare(old, new), "given", None, "the given text only", (), sponsors, (), {"scale": "test"}
    )


def test_review_page_shows_markers_and_changed_footnotes() -> None:
    page = render_review(_pack(), "html")
    r = _Links()
    r.feed(page)
    assert r.markers
    assert 'class="fnote k-changed"' in page
    assert not [h for h in r.hrefs if h not in r.ids]
    # The footnote added to a paragraph whose words did not change is on the page too.
    assert "A report on the implementation of the present resolution." in page
