"""Where each footnote marker stands: every parser gives, per unit, the offset in the
unit's text after which its marker was printed (``Unit.footnote_at``)."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import SEED, SERIES
from docx_builder import build_docx, note_ref, para, run
from hypothesis import given
from hypothesis import strategies as st

from resdiff.ingest import parse_bytes, parse_file
from resdiff.ingest.raw import cut_spans, squeeze
from resdiff.model import Unit, UnitKind, content_hash

HEAD = "The General Assembly,"


def _before(u: Unit) -> list[str]:
    """The ten characters before each marker of ``u``."""
    return [u.text[max(0, o - 10) : o] for o in u.footnote_at]


def test_markdown_positions() -> None:
    text = (
        "# Title\n\n*The General Assembly*,\n\n"
        "*Recalling* its resolution 76/177,<sup>1</sup> and the\n"
        "**Covenant**<sup>2</sup> [thereto](#),<sup>3</sup>\n\n"
        "1. *Decides* to act;<sup>4</sup>\n\n---\n\n<sup>1</sup> A.\n<sup>2</sup> B.\n"
        "<sup>3</sup> C.\n<sup>4</sup> D.\n"
    )
    doc = parse_bytes(text.encode(), "x.md")
    pp1, op1 = doc.unit("PP1"), doc.unit("OP1")
    assert pp1.text == "Recalling its resolution 76/177, and the Covenant thereto,"
    assert pp1.footnotes == (1, 2, 3)
    assert _before(pp1) == ["on 76/177,", "e Covenant", "t thereto,"]
    assert op1.footnotes == (4,) and _before(op1) == ["es to act;"]


def test_html_positions() -> None:
    html = (
        "<html><body><p>The General Assembly,</p>"
        "<p><i>Recalling</i> its   resolution 76/177,<sup><a href='#fn1'>1</a></sup>\n and"
        " the Covenant<sup><a href='#fn2'>2</a></sup></p>"
        "<ol><li><i>Decides</i> to act;<sup><a href='#fn3'>3</a></sup></li></ol>"
        "<div class='footnotes'><p><sup>1</sup> A.</p><p><sup>2</sup> B.</p>"
        "<p><sup>3</sup> C.</p></div></body></html>"
    )
    doc = parse_bytes(html.encode(), "x.html")
    pp1, op1 = doc.unit("PP1"), doc.unit("OP1")
    assert pp1.text == "Recalling its resolution 76/177, and the Covenant"
    assert _before(pp1) == ["on 76/177,", "e Covenant"]
    assert op1.text == "Decides to act;" and _before(op1) == ["es to act;"]


def test_docx_positions() -> None:
    body = para(run(HEAD)) + para(
        run("Recalling", italic=True),
        run(" its resolution 76/177,"),
        note_ref(1),
        run(" and the Covenant"),
        note_ref(2),
    )
    data = build_docx(body, footnotes={1: "A.", 2: "B."})
    pp1 = parse_bytes(data, "x.docx").unit("PP1")
    assert pp1.text == "Recalling its resolution 76/177, and the Covenant"
    assert pp1.footnotes == (1, 2)
    assert _before(pp1) == ["on 76/177,", "e Covenant"]


def test_text_and_pdf_positions_on_the_seed_and_a_resolution() -> None:
    seed = parse_file(SEED)
    assert _before(seed.unit("PP2")) == ["1 April 2022,"[-10:]]
    doc = parse_file(SERIES / "A_RES_78_221.txt")
    assert _before(doc.unit("PP10")) == [
        "4 March 2022"[-10:],
        "4 April 2023"[-10:],
        "aggression,"[-10:],
    ]


def test_positions_are_presentation_not_content() -> None:
    doc = parse_file(SERIES / "A_RES_78_221.txt")
    bare = dataclasses.replace(
        doc, units=tuple(dataclasses.replace(u, footnote_at=()) for u in doc.units)
    )
    assert content_hash(bare) == content_hash(doc)


@pytest.mark.parametrize(
    "at",
    [(5,), (0, 3), (2, 1), (-1,), (99,)],
)
def test_unit_validates_positions(at: tuple[int, ...]) -> None:
    numbers = tuple(range(1, len(at) + 1))
    ok = (len(at) == 1 and 0 <= at[0] <= 10) or at == (0, 3)
    if ok:
        assert Unit("OP1", UnitKind.OPERATIVE, "Decides x;", "", numbers, at).footnote_at == at
    else:
        with pytest.raises(ValueError, match="marker positions"):
            Unit("OP1", UnitKind.OPERATIVE, "Decides x;", "", numbers, at)
    with pytest.raises(ValueError, match="2 marker positions for 1 footnotes"):
        Unit("OP1", UnitKind.OPERATIVE, "Decides x;", "", (1,), (1, 2))


_TEXT = st.text(st.sampled_from("ab \t\n,"), max_size=30)


@given(_TEXT, st.data())
def test_squeeze_and_cut_move_offsets_with_the_text(text: str, data: st.DataObject) -> None:
    # an offset names the text before it; after squeezing, that text squeezed is what
    # precedes the moved offset (up to a trailing space, which the squeeze may drop)
    at = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=5)))
    out, moved = squeeze(text, at)
    assert out == " ".join(text.split())
    for o, m in zip(at, moved, strict=True):
        assert out[:m].rstrip() == " ".join(text[:o].split())
    spans = sorted(
        {
            (a, a + 1)
            for a in data.draw(st.lists(st.integers(0, max(0, len(text) - 1)), max_size=4))
            if text
        }
    )
    cut, moved = cut_spans(text, spans, at)
    kept = "".join(c for i, c in enumerate(text) if not any(a <= i < b for a, b in spans))
    assert cut == kept
    for o, m in zip(at, moved, strict=True):
        assert cut[:m] == "".join(
            c for i, c in enumerate(text[:o]) if not any(a <= i < b for a, b in spans)
        )
