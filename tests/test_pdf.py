"""The PDF parser: real UN PDFs, page geometry, and the bad inputs of RELIABILITY.md.

Bad PDFs are written by hand here (a minimal PDF is a few objects and an xref
table) or made by damaging a real one, so every failure mode is reproducible.
"""

from __future__ import annotations

import hashlib
import re
import struct
import time
import zlib
from collections import Counter
from pathlib import Path

import pytest
from conftest import PDFS
from hostile_files import assemble_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resdiff.errors import EncryptedError, IngestError, NoTextError, ParseError
from resdiff.ingest import pdf as pdfmod
from resdiff.ingest.pdf import parse_pdf, read_pdf
from resdiff.ingest.pdf_layout import PageText, Run, layout_document, page_lines
from resdiff.ingest.raw import RawDocument
from resdiff.model import Source, UnitKind
from resdiff.normalize import key

# --- hand-written PDFs -----------------------------------------------------------


def build_pdf(
    contents: list[bytes],
    *,
    extra_objects: list[bytes] | None = None,
    trailer_extra: bytes = b"",
    compress: bool = False,
) -> bytes:
    """A valid PDF with one page per content stream (fonts F1 Times-Roman, F2 Times-Italic).

    Objects: 1 catalog, 2 pages, 3 roman font, 4 italic font, then page/content
    pairs; ``extra_objects`` are appended after them and numbered on.
    """
    objs: list[bytes] = []
    n_pages = len(contents)
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages)).encode()
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages)
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Italic >>")
    for i, content in enumerate(contents):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % (6 + 2 * i)
        )
        if compress:
            body = zlib.compress(content)
            objs.append(
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body)
                + body
                + b"\nendstream"
            )
        else:
            objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objs.extend(extra_objects or [])
    return assemble_pdf(objs, trailer_extra)


def text_content(lines: list[tuple[float, float, str, str, float]]) -> bytes:
    """A content stream printing (x, y, font, text, size) lines."""
    ops = []
    for x, y, font, text, size in lines:
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"BT /{font} {size} Tf {x} {y} Td ({esc}) Tj ET")
    return "\n".join(ops).encode("latin-1")


def src(name: str = "test.pdf", data: bytes = b"") -> Source:
    return Source(name=name, format="pdf", sha256=hashlib.sha256(data).hexdigest())


MINI = [
    (60, 700, "F1", "A/RES/99/1", 10),
    (60, 680, "F1", "Ninety-ninth session", 10),
    (123, 640, "F1", "99/1. Testing the parser", 12),
    (147, 600, "F2", "The General Assembly", 10),
    (147, 580, "F2", "Recalling", 10),
    (195, 580, "F1", "its earlier work,", 10),
    (147, 560, "F1", "1.", 10),
    (171, 560, "F2", "Decides", 10),
    (211, 560, "F1", "to continue.", 10),
]


def test_minimal_pdf_parses() -> None:
    data = build_pdf([text_content(MINI)])
    raw = read_pdf(data, src())
    texts = [b.text for b in raw.blocks]
    assert texts == [
        "The General Assembly",
        "Recalling its earlier work,",
        "1. Decides to continue.",
    ]
    assert raw.blocks[1].italic_lead == "Recalling"
    assert raw.blocks[2].italic_lead == "Decides"
    assert "A/RES/99/1" in raw.header


# --- bad inputs (RELIABILITY.md) ----------------------------------------------------

_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: bytes = b"secret") -> bytes:
    """A PDF under the standard security handler (RC4 40-bit, revision 2) with a user password."""
    file_id = b"0123456789abcdef"
    owner_key = hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5]
    o_entry = _rc4(owner_key, (user_password + _PAD)[:32])
    perms = -44
    key = hashlib.md5(
        (user_password + _PAD)[:32] + o_entry + struct.pack("<i", perms) + file_id
    ).digest()[:5]
    u_entry = _rc4(key, _PAD)
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        o_entry.hex().encode(),
        u_entry.hex().encode(),
        perms,
    )
    return build_pdf(
        [text_content(MINI)],
        extra_objects=[encrypt],
        trailer_extra=b"/Encrypt 7 0 R /ID [<%s> <%s>] "
        % (file_id.hex().encode(), file_id.hex().encode()),
    )


def test_encrypted_pdf_asks_for_password() -> None:
    with pytest.raises(EncryptedError) as exc:
        parse_pdf(encrypted_pdf(), src("locked.pdf"))
    msg = str(exc.value)
    assert "encrypted: supply a password" in msg
    assert "\n" not in msg


def test_pdf_without_text_layer_is_refused() -> None:
    # A scanned page: graphics only (a filled rectangle), no text object.
    data = build_pdf([b"0 0 1 rg 100 100 200 300 re f"])
    with pytest.raises(NoTextError, match=r"no text found \(scanned PDF\? OCR needed\)"):
        parse_pdf(data, src("scan.pdf"))


def test_pdf_with_whitespace_only_text_is_refused() -> None:
    data = build_pdf([text_content([(100, 700, "F1", "   ", 10)])])
    with pytest.raises(NoTextError):
        read_pdf(data, src())


@pytest.mark.parametrize("fraction", [0.5, 0.9, 0.99])
def test_truncated_real_pdf_is_a_parse_error(fraction: float) -> None:
    data = (PDFS / "A_RES_78_187.pdf").read_bytes()
    cut = data[: int(len(data) * fraction)]
    with pytest.raises(ParseError, match="truncated"):
        parse_pdf(cut, src("cut.pdf"))


def test_truncated_tiny_pdf_is_a_parse_error() -> None:
    data = build_pdf([text_content(MINI)])
    with pytest.raises(ParseError):
        parse_pdf(data[:200], src())


def test_garbage_after_header_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a readable PDF"):
        parse_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n", src())


def test_pdf_without_pages_has_no_text() -> None:
    data = build_pdf([])
    with pytest.raises(IngestError):
        parse_pdf(data, src())


def test_circular_xref_is_bounded() -> None:
    # The trailer's /Prev points back at the same xref section: a loop.
    data = build_pdf([text_content(MINI)])
    xref_at = int(re.findall(rb"startxref\n(\d+)", data)[-1])
    looped = data.replace(b"/Root 1 0 R ", b"/Root 1 0 R /Prev %d " % xref_at)
    assert looped != data
    start = time.monotonic()
    try:
        doc = read_pdf(looped, src())
    except IngestError as err:
        assert "\n" not in str(err)
    else:
        assert any("Decides" in b.text for b in doc.blocks)
    assert time.monotonic() - start < 10


def _bounded(data: bytes) -> None:
    """Parsing ends within seconds with a document or a one-line IngestError."""
    start = time.monotonic()
    try:
        read_pdf(data, src())
    except IngestError as err:
        assert "\n" not in str(err)
    assert time.monotonic() - start < 10


def test_deep_nesting_in_an_object_is_bounded() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    # Referenced from the catalog, so the parser has to read it.
    data = build_pdf([text_content(MINI)], extra_objects=[deep])
    assert b"/Type /Catalog" in data
    _bounded(data.replace(b"/Type /Catalog", b"/Type /Catalog /Deep 7 0 R"))


def test_deep_nesting_in_page_content_is_bounded() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    _bounded(build_pdf([text_content(MINI) + b"\n" + deep + b"\n" + text_content(MINI)]))


def test_circular_page_tree_is_bounded() -> None:
    data = build_pdf([text_content(MINI)])
    # The page tree lists itself among its kids.
    assert b"/Kids [5 0 R]" in data
    _bounded(data.replace(b"/Kids [5 0 R]", b"/Kids [2 0 R 5 0 R]"))


def test_decompression_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # 64 MB of spaces compress to ~64 KB; with the cap lowered to 16 MB the check
    # must stop long before inflating it all.
    monkeypatch.setattr(pdfmod, "MAX_INFLATED", 16 * 1024 * 1024)
    bomb = b" " * (64 * 1024 * 1024)
    data = build_pdf([text_content(MINI) + b"\n" + bomb], compress=True)
    assert len(data) < 1024 * 1024
    with pytest.raises(ParseError, match="decompression bomb"):
        parse_pdf(data, src("bomb.pdf"))


def test_compressed_content_parses() -> None:
    data = build_pdf([text_content(MINI)], compress=True)
    assert [b.text for b in read_pdf(data, src()).blocks][-1] == "1. Decides to continue."


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfmod, "MAX_BYTES", 1000)
    data = (PDFS / "A_80_L.6.pdf").read_bytes()
    with pytest.raises(ParseError, match="too large"):
        parse_pdf(data, src())


def test_page_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfmod, "MAX_PAGES", 1)
    data = build_pdf([text_content(MINI), text_content(MINI)])
    with pytest.raises(ParseError, match="2 pages"):
        parse_pdf(data, src())


def test_time_budget_is_checked_between_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfmod, "TIME_BUDGET", -1.0)
    data = (PDFS / "A_80_L.6.pdf").read_bytes()
    with pytest.raises(ParseError, match="took over"):
        parse_pdf(data, src())


def _mutations() -> st.SearchStrategy[bytes]:
    base = build_pdf([text_content(MINI)])
    return st.lists(
        st.tuples(st.integers(0, len(base) - 1), st.binary(min_size=0, max_size=8)),
        min_size=1,
        max_size=6,
    ).map(lambda edits: _apply(base, edits))


def _apply(base: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    out = bytearray(base)
    for pos, chunk in edits:
        out[pos : pos + len(chunk)] = chunk
    return bytes(out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations())
def test_parser_is_total_on_damaged_pdfs(data: bytes) -> None:
    """Any bytes give a document or a one-line IngestError, never another exception."""
    try:
        parse_pdf(data, src())
    except IngestError as err:
        assert "\n" not in str(err)


# --- geometry (synthetic runs) -----------------------------------------------------


def _run(text: str, x0: float, y: float, size: float = 10.0, italic: bool = False) -> Run:
    return Run(text, x0, x0 + 0.45 * size * len(text), y, size, italic)


def test_superscript_digits_become_footnote_refs() -> None:
    page = PageText(
        1,
        612,
        792,
        (
            _run("Recalling", 147, 600, italic=True),
            _run("the Convention,", 194, 600),
            _run("12", 262, 603.5, size=6.5),
            _run("which binds", 270, 600),
        ),
    )
    (line,) = page_lines(page)
    assert line.markers == [False, False, True, False]


def test_subscript_digit_is_text_not_a_marker() -> None:
    page = PageText(
        1, 612, 792, (_run("emissions of CO", 123, 600), _run("2", 190, 598.5, size=6.5))
    )
    (line,) = page_lines(page)
    assert line.markers == [False, False]


def test_wrapped_reference_is_not_a_new_item() -> None:
    # "(a)" opening a continuation line after a plain space is a reference, while
    # "(b)" followed by a tab stop opens a sub-item.
    page = PageText(
        1,
        612,
        792,
        (
            _run("The General Assembly,", 147, 700, italic=True),
            _run("1.", 147, 682),
            _run("Recalls", 170.9, 682, italic=True),
            _run("paragraph 2", 205, 682),
            _run("(a)", 123.4, 670),
            _run("of its resolution 1/1:", 138.7, 670),
            _run("(b)", 147, 652),
            _run("Something else;", 170.9, 652),
        ),
    )
    raw = layout_document([page])
    assert [b.text for b in raw.blocks] == [
        "The General Assembly,",
        "1. Recalls paragraph 2 (a) of its resolution 1/1:",
        "(b) Something else;",
    ]


def test_blank_text_object_reads_as_a_space() -> None:
    # Word writes some word spaces as zero-width objects PDFium cannot map.
    runs = (
        _run("The General Assembly,", 147, 700, italic=True),
        Run("have", 123.4, 143.5, 682, 10),
    )
    been = Run("been uprooted", 144.1, 200, 682, 10)
    page = PageText(1, 612, 792, (*runs, been), blanks=((143.8, 682.0),))
    assert layout_document([page]).blocks[-1].text == "have been uprooted"
    assert layout_document([PageText(1, 612, 792, (*runs, been))]).blocks[-1].text == (
        "havebeen uprooted"
    )


def test_paragraphs_footnotes_and_page_continuation() -> None:
    body = 10.0
    page1 = PageText(
        1,
        612,
        792,
        (
            _run("The General Assembly,", 147, 700, italic=True),
            _run("Recalling", 147, 682, italic=True),
            _run("the Covenant,", 194, 682),
            _run("3", 254, 685.5, size=6.5),
            _run("and the work of the", 123.4, 670),
            _run("__________________", 99, 110, size=8),
            _run("3", 117, 98, size=5.5),
            _run("Resolution 2200 A (XXI), annex, and", 123.1, 95, size=8.5),
            _run("1/2", 60, 37, size=8.5),
        ),
    )
    page2 = PageText(
        2,
        612,
        792,
        (
            _run("A/RES/99/1", 60, 733, size=8.5),
            _run("Council on the matter,", 123.4, 707.6),
            _run("1.", 147, 689.6),
            _run("Decides", 170.9, 689.6, italic=True),
            _run("to act;", 205, 689.6),
            _run("__________________", 99, 110, size=8),
            _run("its Optional Protocol.", 123.1, 95, size=8.5),
        ),
    )
    raw = layout_document([page1, page2])
    assert [b.text for b in raw.blocks] == [
        "The General Assembly,",
        "Recalling the Covenant, and the work of the Council on the matter,",
        "1. Decides to act;",
    ]
    assert raw.blocks[1].footnote_refs == (3,)
    assert raw.blocks[1].italic_lead == "Recalling"
    assert raw.blocks[2].italic_lead == "Decides"
    assert [(f.number, f.text) for f in raw.footnotes] == [
        (3, "Resolution 2200 A (XXI), annex, and its Optional Protocol.")
    ]
    assert "A/RES/99/1" in raw.furniture and "1/2" in raw.furniture
    assert body


# --- real UN PDFs -------------------------------------------------------------------

ALL_PDFS = sorted(PDFS.glob("*.pdf"))


def _parse(path: Path) -> object:
    data = path.read_bytes()
    return parse_pdf(data, src(path.name, data))


def test_dprk_resolution_structure() -> None:
    data = (PDFS / "A_RES_78_218.pdf").read_bytes()
    doc = parse_pdf(data, src("A_RES_78_218.pdf", data))
    ops = [u for u in doc.units if u.kind is UnitKind.OPERATIVE]
    assert ops[-1].label == f"OP{len(ops)}"
    subs = [u.label for u in doc.units if u.label.startswith("OP2(a)(")]
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii"]
    assert subs == [f"OP2(a)({r})" for r in romans]
    assert doc.unit("OP1").lead == "Condemns in the strongest terms"
    assert doc.metadata.symbol == "A/RES/78/218"
    assert doc.metadata.session == 78
    numbers = [f.number for f in doc.footnotes]
    assert numbers == list(range(1, len(numbers) + 1))
    cited = sorted({n for u in doc.units for n in u.footnotes})
    assert cited == numbers


def test_draft_metadata_and_sponsors() -> None:
    data = (PDFS / "A_C.3_80_L.20.pdf").read_bytes()
    meta = parse_pdf(data, src("A_C.3_80_L.20.pdf", data)).metadata
    assert meta.symbol == "A/C.3/80/L.20"
    assert meta.body == "Third Committee"
    assert meta.title == "Rights of the child"
    assert "Bolivia (Plurinational State of)" in meta.sponsors
    assert "Saint Vincent and the Grenadines" in meta.sponsors
    assert meta.sponsors[-1] == "Venezuela (Bolivarian Republic of)"


def test_line_end_hyphens_are_kept() -> None:
    data = (PDFS / "A_C.3_80_L.20.pdf").read_bytes()
    text = " ".join(u.text for u in parse_pdf(data, src()).units)
    assert "non-discrimination" in text
    assert "non- discrimination" not in text


_FURNITURE = re.compile(r"\b\d{2}-\d{5}\b|\*\d{7}\*|\b\d{1,2}/\d{1,2}\s*$|_{5,}")


@pytest.mark.parametrize("path", ALL_PDFS, ids=lambda p: p.stem)
def test_real_pdf_structure(path: Path) -> None:
    """Every PDF: numbered paragraphs gapless, footnotes cited in order, nothing leaked."""
    data = path.read_bytes()
    doc = parse_pdf(data, src(path.name, data))
    assert doc.units, path.name
    nums = [int(u.label[2:]) for u in doc.units if re.fullmatch(r"OP\d+", u.label)]
    if nums:
        assert nums == list(range(1, len(nums) + 1)), nums
    foot_texts = [key(f.text) for f in doc.footnotes if len(f.text) > 25]
    for unit in doc.units:
        assert not _FURNITURE.search(unit.text), (unit.label, unit.text[-80:])
        k = key(unit.text)
        assert not any(ft in k for ft in foot_texts), unit.label
    numbers = [f.number for f in doc.footnotes]
    assert numbers == sorted(set(numbers)), numbers
    assert 0 not in numbers
    cited = {n for u in doc.units for n in u.footnotes}
    assert cited <= set(numbers)


# --- nothing lost -------------------------------------------------------------------


def _accounted(raw: RawDocument) -> Counter[str]:
    parts = [*raw.header, *raw.furniture]
    for block in raw.blocks:
        parts += [block.text, *map(str, block.footnote_refs)]
    for note in raw.footnotes:
        parts += [str(note.number), note.text]
    return Counter(c for c in "".join(parts) if not c.isspace())


def _printed(pages: list[PageText]) -> Counter[str]:
    return Counter(c for page in pages for run in page.runs for c in run.text if not c.isspace())


@pytest.mark.parametrize("stem", ["A_RES_78_218", "A_C.3_80_L.20", "A_C.3_80_L.58", "A_80_L.7"])
def test_every_printed_character_is_accounted_for(stem: str) -> None:
    """Units, footnotes, header and furniture hold every character PDFium extracted."""
    data = (PDFS / f"{stem}.pdf").read_bytes()
    pages = pdfmod.read_pages(data, stem)
    assert _accounted(layout_document(pages)) == _printed(pages)


_SIZES = st.sampled_from([5.5, 6.5, 8.5, 10.0, 12.0, 14.0])
_TEXT = st.text(alphabet="aZ19*_.,;( )-\u2019", min_size=1, max_size=12)


@st.composite
def _pages(draw: st.DrawFn) -> list[PageText]:
    pages = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        runs = tuple(
            _run(
                draw(_TEXT),
                draw(st.floats(50, 560)),
                draw(st.floats(20, 780)),
                draw(_SIZES),
                draw(st.booleans()),
            )
            for _ in range(draw(st.integers(0, 25)))
        )
        pages.append(PageText(number, 612, 792, runs))
    return pages


@settings(max_examples=200, deadline=None)
@given(_pages())
def test_layout_loses_no_character(pages: list[PageText]) -> None:
    """Any arrangement of runs: every non-space character lands somewhere, once."""
    assert _accounted(layout_document(pages)) == _printed(pages)


def test_nested_decompression_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # /Filter [/FlateDecode /FlateDecode]: the outer layer is small, the inner huge.
    monkeypatch.setattr(pdfmod, "MAX_INFLATED", 16 * 1024 * 1024)
    inner = zlib.compress(b" " * (64 * 1024 * 1024), 9)
    outer = zlib.compress(inner, 9)
    stream = (
        b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(outer)
        + outer
        + b"\nendstream"
    )
    data = build_pdf([text_content(MINI)], extra_objects=[stream])
    with pytest.raises(ParseError, match="decompression bomb"):
        parse_pdf(data, src("bomb2.pdf"))


def test_inflation_check_reads_stream_not_endstream(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only data after a ``stream`` keyword is a stream; after ``endstream`` it is not.
    monkeypatch.setattr(pdfmod, "MAX_INFLATED", 16 * 1024 * 1024)
    bomb = zlib.compress(b" " * (32 * 1024 * 1024), 9)
    pdfmod._check_inflation(b"1 0 obj endstream\n" + bomb, "x.pdf")
    pdfmod._check_inflation(b"endstream\r\n" + bomb, "x.pdf")
    for keyword in (b"stream\n", b"1 0 obj <<>> stream \r\n", b"xstream\r"):
        with pytest.raises(ParseError, match="decompression bomb"):
            pdfmod._check_inflation(keyword + bomb, "x.pdf")


def test_unmapped_glyphs_are_refused() -> None:
    # A font without a ToUnicode map: PDFium reports replacement characters.
    pages = [PageText(1, 612, 792, (_run("\ufffd" * 40 + " ok", 100, 600),))]
    with pytest.raises(NoTextError, match="no Unicode mapping"):
        pdfmod.check_text(pages, "x.pdf")
    pdfmod.check_text([PageText(1, 612, 792, (_run("\ufffd" + "a" * 40, 100, 600),))], "x.pdf")


@pytest.mark.parametrize(
    ("stem", "label", "lead"),
    [
        ("A_RES_78_218", "OP9", "Expresses strong support"),
        ("A_RES_78_218", "OP1", "Condemns in the strongest terms"),
        ("A_RES_80_210", "OP6", "Considers it alarming"),
        ("A_RES_78_220", "OP5", "Takes note"),  # "of" is italic by mistake in the PDF
        ("A_C.3_80_L.20", "OP10", "Also urges"),  # two italic runs
        ("A_C.3_80_L.20", "PP3", "Reaffirming further"),
    ],
)
def test_leads_come_from_the_italic_font(stem: str, label: str, lead: str) -> None:
    data = (PDFS / f"{stem}.pdf").read_bytes()
    assert parse_pdf(data, src(stem)).unit(label).lead == lead
