"""The PDF parser: UN PDFs → ``Document``, reading text runs and fonts through PDFium.

Why pypdfium2: PDFium is Chrome's PDF engine (continuously fuzzed, a good security
record), fast C++, under a permissive licence (Apache-2.0 / BSD-3-Clause), and its
raw API gives each character's font, size, flags and position, which is what settles
italic lead words and raised footnote markers. PyMuPDF is AGPL; pdfminer.six is pure
Python and about 50 times slower. This is the only module that imports pypdfium2;
the geometry lives in ``pdf_layout`` and the structure in ``structure``.

Bounds (RELIABILITY.md), each failing with a one-line ``ParseError`` before PDFium
sees more: inputs over ``MAX_BYTES``; files cut short (no final ``%%EOF``, which
PDFium would otherwise repair into a silently shorter document); streams inflating
past ``MAX_INFLATED`` (decompression bombs, measured with zlib in bounded steps);
more than ``MAX_PAGES`` pages; and more than ``TIME_BUDGET`` seconds, checked
between pages. PDFium cannot be interrupted inside one page, so the byte and
inflation caps are what bound a single page's work. Circular xrefs and deep
nesting are PDFium's to bound (its parser caps recursion depth); tests check it.
Encrypted files raise ``EncryptedError``; files without text (scans) or whose
fonts map no Unicode raise ``NoTextError``.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import time
import zlib
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from resdiff.errors import EncryptedError, NoTextError, ParseError
from resdiff.ingest.pdf_layout import PageText, Run, layout_document
from resdiff.ingest.raw import RawDocument
from resdiff.ingest.structure import build_document
from resdiff.model import Document, Source

__all__ = [
    "MAX_BYTES",
    "MAX_INFLATED",
    "MAX_PAGES",
    "MAX_UNMAPPED",
    "TIME_BUDGET",
    "check_text",
    "parse_pdf",
    "read_pages",
    "read_pdf",
]

MAX_BYTES = 50 * 1024 * 1024  # the largest GA resolution PDFs are a few MB
MAX_PAGES = 500  # the longest GA resolutions run to ~150 pages
TIME_BUDGET = 30.0  # seconds per document, checked between pages
# Total size of the compressed streams once inflated: a UN PDF inflates to a few MB
# (fonts, page contents); a decompression bomb to gigabytes.
MAX_INFLATED = 256 * 1024 * 1024

_FONT_ITALIC = 1 << 6  # PDF font descriptor flag "Italic" (PDF 32000 table 123)
_BUF = 256


def _load(data: bytes, name: str) -> Any:
    """Open the document, mapping PDFium's load errors to ours."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code == pdfium_c.FPDF_ERR_SUCCESS:
            # Loaded, but without a single page.
            raise NoTextError(f"{name}: no text found (the PDF has no pages)") from None
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedError(
                f"{name}: PDF is encrypted: supply a password, or save an unencrypted copy"
            ) from None
        raise ParseError(
            f"{name}: not a readable PDF (PDFium: {err}); the file is damaged or "
            "truncated, get a fresh copy"
        ) from None


def _check_complete(data: bytes, name: str) -> None:
    """Refuse a PDF cut short: PDFium rebuilds a lost xref and reads what is left.

    A complete PDF ends with ``%%EOF`` (followed at most by whitespace or a few
    bytes of padding); a file truncated mid-stream does not, and PDFium would
    silently return only its first pages.
    """
    if b"%%EOF" not in data[-1024:]:
        raise ParseError(
            f"{name}: PDF is truncated (no %%EOF marker at the end); get a complete copy"
        )


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_CHUNK = 1 << 16


def _looks_zlib(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _inflated_size(chunks: Iterator[bytes], limit: int, depth: int = 0) -> int:
    """How far the zlib data in ``chunks`` inflates, counting up to just past ``limit``.

    Output is measured and dropped, never kept. A stream whose output is itself
    zlib data (``/Filter [/FlateDecode /FlateDecode]``) is measured at its inner
    layer, two layers deep at most.
    """
    inflater = zlib.decompressobj()

    def outputs() -> Iterator[bytes]:
        try:
            for chunk in chunks:
                pending = chunk
                while pending:
                    out = inflater.decompress(pending, _CHUNK * 16)
                    if out:
                        yield out
                    if inflater.eof:
                        return
                    pending = inflater.unconsumed_tail
        except zlib.error:
            return  # not (or no longer) zlib: PDFium will say what it makes of it

    produced = outputs()
    first = next(produced, b"")
    if depth < 2 and _looks_zlib(first):
        return _inflated_size(itertools.chain([first], produced), limit, depth + 1)
    total = len(first)
    for out in produced:
        total += len(out)
        if total > limit:
            break
    return total


def _check_inflation(data: bytes, name: str) -> None:
    """Refuse a decompression bomb before PDFium inflates it.

    Every ``stream`` that zlib accepts is inflated in bounded steps (output is
    counted, not kept); streams in other encodings stop at their first bytes.
    """
    budget = MAX_INFLATED
    for m in _STREAM.finditer(data):
        start = m.end()
        if not _looks_zlib(data[start : start + 2]):
            continue
        chunks = (data[i : i + _CHUNK] for i in range(start, len(data), _CHUNK))
        budget -= _inflated_size(chunks, budget)
        if budget < 0:
            raise ParseError(
                f"{name}: PDF streams inflate to over {MAX_INFLATED >> 20} MB "
                "(a decompression bomb?); refused"
            )


def _font(textpage: Any, index: int, buf: ctypes.Array[ctypes.c_char]) -> tuple[str, bool]:
    flags = ctypes.c_int(0)
    pdfium_c.FPDFText_GetFontInfo(textpage, index, buf, _BUF, ctypes.byref(flags))
    name = buf.value.decode("latin-1", "replace")
    italic = bool(flags.value & _FONT_ITALIC) or "Italic" in name or "Oblique" in name
    return name, italic


def _int_fn(func: Any, restype: Any) -> Any:
    """The same C function with plain ``(void*, int)`` arguments and an integer result.

    Declared this way a call skips pypdfium2's argument wrappers and returns an int
    (an address for GetTextObject), which is much cheaper per character than a
    ctypes pointer that must be cast before comparing.
    """
    address = ctypes.cast(func, ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, ctypes.c_void_p, ctypes.c_int)(address)


_get_text_object = _int_fn(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
_get_unicode = _int_fn(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_is_generated = _int_fn(pdfium_c.FPDFText_IsGenerated, ctypes.c_int)


_MAYBE_GENERATED = frozenset(" \r\n")
_SKIP = frozenset("\r\n\x00")
# PDFium marks a hyphen that ends a line: U+0002 per character, U+FFFE in page text.
_LINE_HYPHEN = frozenset("\x02\ufffe")


def _page_text(raw: Any, n: int) -> str | None:
    """All characters of the page in one call, or None if they do not map 1:1 to indices.

    PDFium hands out UTF-16: a character outside the BMP takes two code units and
    would shift every index after it, so such a page is read per character instead.
    """
    if n <= 0:
        return ""
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(raw, 0, n, buf)
    text = bytes(buf)[: max(got - 1, 0) * 2].decode("utf-16-le", "replace")
    return text if len(text) == n else None


def _page_runs(textpage: Any) -> tuple[list[Run], set[int]]:
    """The page's characters grouped into runs (one per PDF text object), and the objects seen.

    A text object is one text-showing operator: one font, size and baseline. The
    page text comes in one call; per character only the text object is asked for
    (and whether a space or line break was inferred by PDFium); position, size and
    font are read once per run.
    """
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    n = pdfium_c.FPDFText_CountChars(textpage.raw)
    buf = ctypes.create_string_buffer(_BUF)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    box = pdfium_c.FS_RECTF()
    fonts: dict[int, tuple[str, bool]] = {}
    runs: list[Run] = []
    chars: list[str] = []
    first = last = -1
    current = 0
    seen: set[int] = set()

    def close() -> None:
        if not chars:
            return
        raw = textpage.raw
        pdfium_c.FPDFText_GetCharOrigin(raw, first, ctypes.byref(ox), ctypes.byref(oy))
        # The loose box spans the glyph's advance, so the gap to the next run is
        # the real white space ("1" "0 November" is one word, not two).
        pdfium_c.FPDFText_GetLooseCharBox(raw, last, ctypes.byref(box))
        size = round(pdfium_c.FPDFText_GetFontSize(raw, first), 2)
        if current not in fonts:
            fonts[current] = _font(raw, first, buf)
        name, italic = fonts[current]
        x1 = max(box.right, ox.value)
        runs.append(
            Run("".join(chars), ox.value, x1, round(oy.value, 1), size, italic, "Bold" in name)
        )
        chars.clear()

    text = _page_text(textpage.raw, n)
    pending = False
    for i in range(n):
        ch = text[i] if text is not None else chr(_get_unicode(handle, i) or 0xFFFE)
        if ch in _MAYBE_GENERATED and _is_generated(handle, i):
            # PDFium infers spaces and line breaks from gaps. Lines are rebuilt from
            # the geometry; a space is kept inside one text object, while between
            # objects the layout decides from the gap (PDFium's threshold splits
            # words that Word positioned in two pieces: "accorda" "nce").
            pending = pending or ch == " "
            continue
        if ch in _SKIP:
            continue
        obj = _get_text_object(handle, i) or 0
        if obj != current:
            close()
            current, first = obj, i
            seen.add(obj)
        elif pending and chars:
            chars.append(" ")
        pending = False
        last = i
        # A line-end hyphen is printed ("non-" / "discrimination"); the joiner keeps it.
        chars.append("-" if ch in _LINE_HYPHEN else ch)
    close()
    return runs, seen


_count_objects = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)(
    ctypes.cast(pdfium_c.FPDFPage_CountObjects, ctypes.c_void_p).value or 0
)
_get_object = _int_fn(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p)
_object_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)(
    ctypes.cast(pdfium_c.FPDFPageObj_GetType, ctypes.c_void_p).value or 0
)
_FloatPtr = ctypes.POINTER(ctypes.c_float)
_object_bounds = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, _FloatPtr, _FloatPtr, _FloatPtr, _FloatPtr
)(ctypes.cast(pdfium_c.FPDFPageObj_GetBounds, ctypes.c_void_p).value or 0)


def _blank_objects(page: Any, seen: set[int]) -> list[tuple[float, float]]:
    """Where text objects print nothing PDFium can map to a character.

    Word writes some word spaces as separate zero-width text objects whose glyph
    has no Unicode mapping ("have" [space object] "been"); PDFium's text page
    drops them, so a text object none of the page's characters belongs to is
    passed on, by position, for the layout to read as a space.
    """
    handle = ctypes.cast(page.raw, ctypes.c_void_p).value
    out: list[tuple[float, float]] = []
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(b) for b in box]
    for k in range(_count_objects(handle)):
        obj = _get_object(handle, k)
        if not obj or obj in seen or _object_type(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        if _object_bounds(obj, *refs):
            out.append((box[0].value, box[1].value))
    return out


def read_pages(data: bytes, name: str = "PDF") -> list[PageText]:
    """Every page's text runs, within the size, inflation, page and time bounds."""
    start = time.monotonic()
    if len(data) > MAX_BYTES:
        raise ParseError(
            f"{name}: PDF too large ({len(data) // 1_000_000} MB, limit "
            f"{MAX_BYTES // 1_000_000} MB); split the document or raise MAX_BYTES"
        )
    _check_complete(data, name)
    _check_inflation(data, name)
    pdf = _load(data, name)
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise ParseError(
                f"{name}: PDF has {count} pages (limit {MAX_PAGES}); split the document"
            )
        pages: list[PageText] = []
        for index in range(count):
            if time.monotonic() - start > TIME_BUDGET:
                raise ParseError(
                    f"{name}: PDF took over {TIME_BUDGET:.0f} s to read (stopped at page "
                    f"{index + 1} of {count}); the file is malformed or too complex"
                )
            page = pdf[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    runs, seen = _page_runs(textpage)
                    blanks = _blank_objects(page, seen)
                finally:
                    textpage.close()
            finally:
                page.close()
            pages.append(
                PageText(index + 1, float(width), float(height), tuple(runs), tuple(blanks))
            )
        return pages
    except pdfium.PdfiumError as err:
        raise ParseError(
            f"{name}: PDF content is damaged (PDFium: {err}); get a fresh copy"
        ) from None
    finally:
        pdf.close()


# Above this share of characters without a Unicode mapping the text layer is
# unreadable (glyph codes of a font without ToUnicode): refuse rather than store
# replacement characters.
MAX_UNMAPPED = 0.05


def check_text(pages: list[PageText], name: str) -> None:
    """Refuse pages without text, or whose text PDFium could not map to Unicode."""
    chars = [c for p in pages for r in p.runs for c in r.text if not c.isspace()]
    if not chars:
        raise NoTextError(f"{name}: no text found (scanned PDF? OCR needed)")
    unmapped = sum(1 for c in chars if c == "\ufffd" or "\ue000" <= c <= "\uf8ff")
    if unmapped > MAX_UNMAPPED * len(chars):
        raise NoTextError(
            f"{name}: no readable text found ({unmapped} of {len(chars)} characters have "
            "no Unicode mapping in their font); OCR the document or export it again"
        )


def read_pdf(data: bytes, source: Source) -> RawDocument:
    """The format-neutral ``RawDocument`` of a PDF (before units are labelled)."""
    pages = read_pages(data, source.name)
    check_text(pages, source.name)
    return layout_document(pages, source)


def parse_pdf(data: bytes, source: Source) -> Document:
    """Parse a UN PDF into a ``Document`` (metadata, labelled units, footnotes)."""
    return build_document(read_pdf(data, source))
