"""PDFium's side of the PDF parser: characters, fonts and positions of every page → ``PageText``.

Why pypdfium2: PDFium is Chrome's PDF engine (continuously fuzzed, a good security
record), fast C++, under a permissive licence (Apache-2.0 / BSD-3-Clause), and its
raw API gives each character's font, size, flags and position, which is what settles
italic lead words and raised footnote markers. PyMuPDF is AGPL; pdfminer.six is pure
Python and about 50 times slower. This is the only module that imports pypdfium2,
and it runs inside a parse worker (``pdf_worker``) whose memory and time are capped:
``resdiff.ingest.pdf`` checks the bytes first and hands them over.
"""

from __future__ import annotations

import ctypes
import re
import time
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain, compress, repeat
from operator import sub
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from resdiff.errors import EncryptedError, NoTextError, ParseError
from resdiff.ingest.pdf_layout import PageText, Run

__all__ = ["read_pages_here"]

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


def _int_fn(func: Any, restype: Any) -> Any:
    """The same C function with plain ``(void*, int)`` arguments and an integer result.

    Declared this way a call skips pypdfium2's argument wrappers and returns an int
    (an address for GetTextObject), which is much cheaper per character than a
    ctypes pointer that must be cast before comparing.
    """
    address = ctypes.cast(func, ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, ctypes.c_void_p, ctypes.c_int)(address)


def _c_fn(func: Any, restype: Any, *argtypes: Any) -> Any:
    """The same C function with the given plain argument types (no pypdfium2 wrappers)."""
    address = ctypes.cast(func, ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


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


def _page_runs(textpage: Any, right_to_left: bool) -> tuple[list[Run], set[int]]:
    """The page's characters grouped into runs (one per PDF text object), and the objects seen.

    A text object is one text-showing operator: one font, size and baseline. Read
    by object where that is known to give the same runs (see ``_runs_by_object``),
    otherwise character by character. ``right_to_left``: the document asks for
    right-to-left reading order (its viewer preferences).
    """
    n = pdfium_c.FPDFText_CountChars(textpage.raw)
    text = _page_text(textpage.raw, n)
    if text is not None and not right_to_left and not _RIGHT_TO_LEFT.search(text):
        found = _runs_by_object(textpage, text)
        if found is not None:
            return found
    return _runs_by_char(textpage, n, text)


# Scripts PDFium lays out right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and the
# rest of U+0590-U+08FF, their presentation forms and supplementary-plane blocks, and
# the right-to-left mark and embeddings): it reorders a line holding them by
# direction, which can interleave the characters of two text objects.
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufeff"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_SPACE = re.compile(" ")
_NEVER_IN_RUNS = re.compile("[\r\n\x00]")
_HYPHENS = str.maketrans(dict.fromkeys(_LINE_HYPHEN, "-"))
_DoublePtr = ctypes.POINTER(ctypes.c_double)
_char_origin = _c_fn(
    pdfium_c.FPDFText_GetCharOrigin,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_int,
    _DoublePtr,
    _DoublePtr,
)
_loose_char_box = _c_fn(
    pdfium_c.FPDFText_GetLooseCharBox,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.POINTER(pdfium_c.FS_RECTF),
)
_font_size = _c_fn(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, ctypes.c_void_p, ctypes.c_int)
_font_info = _c_fn(
    pdfium_c.FPDFText_GetFontInfo,
    ctypes.c_ulong,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_ulong,
    ctypes.POINTER(ctypes.c_int),
)


def _runs_by_object(textpage: Any, text: str) -> tuple[list[Run], set[int]] | None:
    """``_runs_by_char``'s runs, asking for the text object of a few characters per run.

    PDFium lays a page out object by object, so a text object's characters follow
    one another in its text page (only the reordering of right-to-left lines, read
    per character, mixes objects). Where an object's characters end is found from
    a few of them (``_object_spans``: 2,150 calls for a UN PDF's 18,500 characters
    in runs), and each run's text is a slice of the page text. None (read the page
    per character) when an object comes back after another or a character has none.
    """
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value or 0
    # What the per-character loop leaves out of runs: the spaces PDFium inferred
    # (one space inside a run, nothing at its ends), line breaks and NULs.
    spaces = [m.start() for m in _SPACE.finditer(text)]
    inferred = list(compress(spaces, map(_is_generated, repeat(handle, len(spaces)), spaces)))
    skipped = sorted(inferred + [m.start() for m in _NEVER_IN_RUNS.finditer(text)])
    starts, ends = [0, *(i + 1 for i in skipped)], [*skipped, len(text)]
    kept = list(chain.from_iterable(map(range, starts, ends)))
    # Where each stretch of kept characters between two skipped ones ends, counted
    # in kept characters: most objects end there (before a line end or a gap).
    breaks = list(accumulate(map(sub, ends, starts)))
    spans = _object_spans(handle, kept, breaks)
    if spans is None:
        return None
    text = text.translate(_HYPHENS)  # a line-end hyphen is printed, as per character
    gaps = set(inferred)
    run = _RunReader(handle)
    runs: list[Run] = []
    for first, last, _ in spans:
        a = bisect_right(skipped, first)
        b = bisect_left(skipped, last, a)
        chars = text[first : last + 1] if a == b else _joined(text, first, last, skipped[a:b], gaps)
        runs.append(run(chars, first, last))
    return runs, {obj for _, _, obj in spans}


class _RunReader:
    """A run of characters ``first``..``last`` as a ``Run``: where it starts and ends,
    its size and font, read once per run (plain C calls, buffers made once a page)."""

    def __init__(self, handle: int) -> None:
        self._handle = handle
        self._buf = ctypes.create_string_buffer(_BUF)
        self._flags = ctypes.c_int(0)
        self._ox, self._oy = ctypes.c_double(), ctypes.c_double()
        self._box = pdfium_c.FS_RECTF()
        self._at = tuple(ctypes.pointer(c) for c in (self._ox, self._oy, self._box, self._flags))

    def __call__(self, chars: str, first: int, last: int) -> Run:
        handle, (at_x, at_y, at_box, at_flags) = self._handle, self._at
        _char_origin(handle, first, at_x, at_y)
        # The loose box spans the glyph's advance, so the gap to the next run is
        # the real white space ("1" "0 November" is one word, not two).
        _loose_char_box(handle, last, at_box)
        size = round(_font_size(handle, first), 2)
        self._flags.value = 0
        _font_info(handle, first, self._buf, _BUF, at_flags)
        name = self._buf.value.decode("latin-1", "replace")
        italic = bool(self._flags.value & _FONT_ITALIC) or "Italic" in name or "Oblique" in name
        x0, x1 = self._ox.value, max(self._box.right, self._ox.value)
        return Run(chars, x0, x1, round(self._oy.value, 1), size, italic, "Bold" in name)


def _object_spans(
    handle: int, kept: list[int], breaks: list[int]
) -> list[tuple[int, int, int]] | None:
    """(first, last character, text object) of each run of the ``kept`` characters, or
    None when an object is met again after another or a character has none.

    ``breaks`` (ascending, the last one ``len(kept)``) are the positions in ``kept``
    after which PDFium skipped characters: an object is first guessed to end at the
    next one (two calls when it does), then found by galloping and bisecting.
    """
    spans: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    count = len(kept)
    k = 0
    obj = _get_text_object(handle, kept[0]) if count else None
    while k < count:
        if not obj or obj in seen:
            return None
        seen.add(obj)
        lo, hi, after = k, count, None
        guess = breaks[bisect_right(breaks, k)] - 1
        if guess > k:
            other = _get_text_object(handle, kept[guess])
            if other == obj:
                lo = guess
            else:
                hi, after = guess, other
        if hi == count:
            # Gallop (1, 2, 4... characters on) while the object stays.
            step, hi = 1, lo + 1
            while hi < count:
                other = _get_text_object(handle, kept[hi])
                if other != obj:
                    after = other
                    break
                lo, step = hi, step * 2
                hi = lo + step
            else:
                hi = count
        while hi - lo > 1:
            mid = (lo + hi) // 2
            other = _get_text_object(handle, kept[mid])
            if other == obj:
                lo = mid
            else:
                hi, after = mid, other
        spans.append((kept[k], kept[lo], obj))
        k, obj = hi, after
    return spans


def _joined(text: str, first: int, last: int, skipped: list[int], inferred: set[int]) -> str:
    """``text[first : last + 1]`` without the ``skipped`` characters inside it, a gap that
    held an inferred space reading as one space (as the per-character loop does)."""
    parts: list[str] = []
    start, space = first, False
    for i in skipped:
        if i > start:
            if space:
                parts.append(" ")
            parts.append(text[start:i])
            space = False
        space = space or i in inferred
        start = i + 1
    if space:
        parts.append(" ")
    parts.append(text[start : last + 1])
    return "".join(parts)


def _runs_by_char(textpage: Any, n: int, text: str | None) -> tuple[list[Run], set[int]]:
    """``_page_runs`` asking PDFium for every character's text object.

    The page text comes in one call (``text``, or None to ask per character); per
    character only the text object is asked for (and whether a space or line break
    was inferred by PDFium); position, size and font are read once per run.
    """
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value or 0
    run = _RunReader(handle)
    runs: list[Run] = []
    chars: list[str] = []
    first = last = -1
    current = 0
    seen: set[int] = set()

    def close() -> None:
        if chars:
            runs.append(run("".join(chars), first, last))
            chars.clear()

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


def _reads_right_to_left(pdf: Any, data: bytes) -> bool:
    """Whether the document may ask for right-to-left reading (viewer preference
    ``/Direction /R2L``), which makes PDFium reverse the punctuation that starts a line.

    PDFium also reads the value given as a string, which its API does not show: any
    "R2L" in the file's bytes counts too (one in a compressed object is not seen).
    """
    buf = ctypes.create_string_buffer(8)
    got = pdfium_c.FPDF_VIEWERREF_GetName(pdf.raw, b"Direction", buf, len(buf))
    return (got > 0 and buf.value != b"L2R") or b"R2L" in data


def read_pages_here(data: bytes, name: str, max_pages: int, time_budget: float) -> list[PageText]:
    """Every page's text runs, read in this process, within the page and time bounds.

    The time budget is checked between pages; the worker's deadline bounds one page.
    """
    start = time.monotonic()
    pdf = _load(data, name)
    try:
        count = len(pdf)
        if count > max_pages:
            raise ParseError(
                f"{name}: PDF has {count} pages (limit {max_pages}); split the document"
            )
        right_to_left = _reads_right_to_left(pdf, data)
        pages: list[PageText] = []
        for index in range(count):
            if time.monotonic() - start > time_budget:
                raise ParseError(
                    f"{name}: PDF took over {time_budget:.0f} s to read (stopped at page "
                    f"{index + 1} of {count}); the file is malformed or too complex"
                )
            page = pdf[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    runs, seen = _page_runs(textpage, right_to_left)
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
