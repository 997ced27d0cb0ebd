"""PDF pages read by text object give exactly the runs of the per-character reading.

``pdf_pdfium`` finds where each text object's characters end by galloping over
them, which holds while PDFium lays objects out in one piece each; right-to-left
lines and documents are read per character. These tests hold the two readings
equal on every corpus page and show the cases the fallback is there for.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

import pytest
from conftest import PDFS
from hostile_files import assemble_pdf
from hypothesis import given
from hypothesis import strategies as st

from resdiff.ingest import pdf_pdfium
from resdiff.ingest.pdf_layout import Run

# Codes A-D print Hebrew letters (alef to dalet), every other code its Latin letter.
_HEBREW_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Hebrew def
1 begincodespacerange <00> <FF> endcodespacerange
4 beginbfchar <41> <05D0> <42> <05D1> <43> <05D2> <44> <05D3> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _pdf(content: bytes, catalog_extra: bytes = b"") -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /ToUnicode 6 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(_HEBREW_CMAP) + _HEBREW_CMAP + b"\nendstream",
    ]
    return assemble_pdf(objs)


def _readings(
    textpage: Any,
) -> tuple[tuple[list[Run], set[int]], tuple[list[Run], set[int]] | None, str]:
    """(per character, by object or None, page text) of one text page."""
    n = pdf_pdfium.pdfium_c.FPDFText_CountChars(textpage.raw)
    text = pdf_pdfium._page_text(textpage.raw, n)
    assert text is not None
    return (
        pdf_pdfium._runs_by_char(textpage, n, text),
        pdf_pdfium._runs_by_object(textpage, text),
        text,
    )


def _texts(found: tuple[list[Run], set[int]] | None) -> list[str] | None:
    return None if found is None else [r.text for r in found[0]]


def test_corpus_pages_read_by_object_as_per_character() -> None:
    pages = 0
    for path in sorted(PDFS.glob("*.pdf")):
        data = path.read_bytes()
        pdf = pdf_pdfium._load(data, path.name)
        try:
            assert not pdf_pdfium._reads_right_to_left(pdf, data)
            for index in range(len(pdf)):
                textpage = pdf[index].get_textpage()
                by_char, by_object, _ = _readings(textpage)
                assert by_object == by_char, f"{path.name} page {index + 1}"
                pages += 1
        finally:
            pdf.close()
    assert pages > 400


def _page(data: bytes) -> tuple[Any, Any]:
    pdf = pdf_pdfium._load(data, "test.pdf")
    return pdf, pdf[0].get_textpage()


def test_spaces_pdfium_infers_inside_and_between_objects() -> None:
    # A wide kerning gap inside one object reads as a space; the gap between two
    # objects is left to the layout; a space printed at a run's end stays.
    content = b"BT /F1 10 Tf 100 700 Td [(abc) -2000 (def )] TJ 40 0 Td (ghi) Tj ET"
    _pdf_kept, textpage = _page(_pdf(content))  # the document outlives its page
    by_char, by_object, text = _readings(textpage)
    assert "c d" in text
    assert by_object == by_char
    assert _texts(by_object) == ["abc def ", "ghi"]


def test_right_to_left_line_is_read_per_character() -> None:
    # Two objects meet inside a right-to-left stretch: PDFium reverses it across
    # both, so the first object's characters come back after the second's.
    content = b"BT /F1 10 Tf 100 700 Td (abcdefghAB) Tj (CDijklmnop) Tj ET"
    _pdf_kept, textpage = _page(_pdf(content))  # the document outlives its page
    by_char, by_object, text = _readings(textpage)
    assert text == "abcdefgh\u05d3\u05d2\u05d1\u05d0ijklmnop"
    assert _texts(by_char) == ["abcdefgh", "\u05d3\u05d2", "\u05d1\u05d0", "ijklmnop"]
    assert by_object != by_char  # galloping over the objects would miss the second one
    assert pdf_pdfium._page_runs(textpage, False) == by_char


@pytest.mark.parametrize("direction", [b"/R2L", b"(R2L)"])
def test_right_to_left_document_is_read_per_character(direction: bytes) -> None:
    content = b"BT /F1 10 Tf 100 700 Td (1234567890.) Tj (,;abcdefgh) Tj ET"
    data = _pdf(content, b"/ViewerPreferences << /Direction " + direction + b" >> ")
    pdf, textpage = _page(data)
    assert pdf_pdfium._reads_right_to_left(pdf, data)
    by_char, _, text = _readings(textpage)
    assert text.startswith("abcdefgh")  # PDFium reordered the line
    assert pdf_pdfium._page_runs(textpage, True) == by_char
    plain = _pdf(content)
    assert not pdf_pdfium._reads_right_to_left(_page(plain)[0], plain)


_objects = st.lists(st.integers(1, 40), min_size=1, max_size=60)


@given(_objects, st.data())
def test_object_spans_find_each_object_in_one_piece(
    lengths: list[int], data: st.DataObject
) -> None:
    sequence = [100 + i for i, n in enumerate(lengths) for _ in range(n)]
    kept = [3 * i for i in range(len(sequence))]  # indices with skipped characters between
    # Where PDFium skipped characters: anywhere, at object ends or not.
    inside = data.draw(
        st.sets(st.integers(1, len(sequence) - 1)) if len(sequence) > 1 else st.just(set())
    )
    breaks = [*sorted(inside), len(sequence)]
    by_index = dict(zip(kept, sequence, strict=True))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf_pdfium, "_get_text_object", lambda _h, i: by_index[i])
        spans = pdf_pdfium._object_spans(0, kept, breaks)
    expected = []
    at = 0
    for obj, group in groupby(sequence):
        n = len(list(group))
        expected.append((kept[at], kept[at + n - 1], obj))
        at += n
    assert spans == expected


@pytest.mark.parametrize("sequence", [[1, 2, 1], [1, 0, 1], [5, 5, 6, 6, 5], [0], [7, 0]], ids=str)
def test_object_spans_give_up_on_an_object_met_again(sequence: list[int]) -> None:
    # Seen when a probe lands on it; one met again between two probes of another is
    # not, which is why pages PDFium may reorder are read per character.
    breaks = list(range(1, len(sequence) + 1))  # a skipped character after each
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf_pdfium, "_get_text_object", lambda _h, i: sequence[i] or None)
        assert pdf_pdfium._object_spans(0, list(range(len(sequence))), breaks) is None


def test_joined_keeps_one_space_per_gap_with_an_inferred_space() -> None:
    text = "ab \r\nc\x00d  e"
    # skipped: the inferred space at 2, CR LF at 3-4, NUL at 6, inferred spaces at 8-9
    assert pdf_pdfium._joined(text, 0, 10, [2, 3, 4, 6, 8, 9], {2, 8, 9}) == "ab cd e"
    assert pdf_pdfium._joined(text, 0, 10, [3, 4, 6], set()) == "ab cd  e"
