"""The PDF parser: UN PDFs → ``Document``, within the bounds that keep hostile files harmless.

PDFium (``pdf_pdfium``) reads characters, fonts and positions; the geometry lives
in ``pdf_layout`` and the structure in ``structure``.

Bounds (RELIABILITY.md), each failing with a one-line ``ParseError``: inputs over
``MAX_BYTES``; files cut short (no final ``%%EOF``, which PDFium would otherwise
repair into a silently shorter document); Flate streams inflating past
``MAX_INFLATED`` (decompression bombs, measured with zlib in bounded steps before
PDFium sees the file); more than ``MAX_PAGES`` pages; and more than ``TIME_BUDGET``
seconds. The pre-check follows Flate layers only; every other filter chain (hex,
ASCII85, LZW, run-length, filters named indirectly, object streams) is bounded by
where PDFium runs: a worker process (``pdf_worker``) whose memory is capped at
``PDFIUM_MEMORY`` and which is killed ``TIME_BUDGET`` seconds (plus a grace) into
a document, since PDFium cannot be interrupted inside one page. Circular xrefs and
deep nesting are PDFium's to bound (its parser caps recursion depth); tests check
it. Encrypted files raise ``EncryptedError``; files without text (scans) or whose
fonts map no Unicode raise ``NoTextError``.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterator

from resdiff.errors import NoTextError, ParseError
from resdiff.ingest.pdf_layout import PageText, layout_document
from resdiff.ingest.raw import RawDocument
from resdiff.ingest.structure import build_document
from resdiff.model import Document, Source

__all__ = [
    "MAX_BYTES",
    "MAX_INFLATED",
    "MAX_PAGES",
    "MAX_UNMAPPED",
    "PDFIUM_MEMORY",
    "TIME_BUDGET",
    "check_text",
    "parse_pdf",
    "read_pages",
    "read_pdf",
]

MAX_BYTES = 50 * 1024 * 1024  # the largest GA resolution PDFs are a few MB
MAX_PAGES = 500  # the longest GA resolutions run to ~150 pages
TIME_BUDGET = 30.0  # seconds per document
# Total size of the compressed streams once inflated: a UN PDF inflates to a few MB
# (fonts, page contents); a decompression bomb to gigabytes.
MAX_INFLATED = 64 * 1024 * 1024
# Memory PDFium may take for one document, beyond what its worker holds at rest:
# reading a UN PDF takes a few MB beyond its size; with the worker and this
# process the whole stays far below 600 MB.
PDFIUM_MEMORY = 128 * 1024 * 1024


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


# PDF 32000 puts CRLF or LF after ``stream``; PDFium also reads a lone CR and
# spaces before the line end, and so must the check. An ``endstream`` also matches
# and is passed over (a pattern opening with a look-behind for "end" was tried at
# every byte of the file: half the cost of the check).
_STREAM = re.compile(rb"stream[ \t\f\x00]*(?:\r\n|\r|\n)")
# Flate layers unwrapped (``/Filter [/FlateDecode /FlateDecode ...]``); a bomb
# needs four to reach gigabytes from a kilobyte.
_MAX_LAYERS = 8
_CHUNK = 1 << 16


def _looks_zlib(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _inflated_size(chunks: Iterator[bytes], limit: int, depth: int = 0) -> int:
    """How far the zlib data in ``chunks`` inflates, counting up to just past ``limit``.

    Output is measured and dropped, never kept. A stream whose output is itself
    zlib data (``/Filter [/FlateDecode /FlateDecode]``) is measured at its inner
    layer, ``_MAX_LAYERS`` deep at most.
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
    if depth < _MAX_LAYERS and _looks_zlib(first):
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
        if data.endswith(b"end", 0, m.start()) or not _looks_zlib(data[start : start + 2]):
            continue
        chunks = (data[i : i + _CHUNK] for i in range(start, len(data), _CHUNK))
        budget -= _inflated_size(chunks, budget)
        if budget < 0:
            raise ParseError(
                f"{name}: PDF refused: a stream inflates past {MAX_INFLATED >> 20} MB "
                "(decompression bomb?)"
            )


def read_pages(data: bytes, name: str = "PDF") -> list[PageText]:
    """Every page's text runs, within the size, inflation, page, memory and time bounds."""
    if len(data) > MAX_BYTES:
        raise ParseError(
            f"{name}: PDF too large ({len(data) // 1_000_000} MB, limit "
            f"{MAX_BYTES // 1_000_000} MB); split the document or raise MAX_BYTES"
        )
    _check_complete(data, name)
    _check_inflation(data, name)
    from resdiff.ingest.pdf_worker import read_pages_isolated

    return read_pages_isolated(
        data, name, max_pages=MAX_PAGES, time_budget=TIME_BUDGET, memory=PDFIUM_MEMORY
    )


# Above this share of characters without a Unicode mapping the text layer is
# unreadable (glyph codes of a font without ToUnicode): refuse rather than store
# replacement characters.
MAX_UNMAPPED = 0.05


def check_text(pages: list[PageText], name: str) -> None:
    """Refuse pages without text, or whose text PDFium could not map to Unicode."""
    # Counted by the regex engine, not a Python loop over every character of the text.
    text = "".join(r.text for p in pages for r in p.runs)
    chars = len(text) - len(_SPACE.findall(text))
    if not chars:
        raise NoTextError(f"{name}: no text found (scanned PDF? OCR needed)")
    unmapped = len(_UNMAPPED.findall(text))
    if unmapped > MAX_UNMAPPED * chars:
        raise NoTextError(
            f"{name}: no readable text found ({unmapped} of {chars} characters have "
            "no Unicode mapping in their font); OCR the document or export it again"
        )


_SPACE = re.compile(r"\s")  # what str.isspace() calls white space
_UNMAPPED = re.compile("[\ufffd\ue000-\uf8ff]")


def read_pdf(data: bytes, source: Source) -> RawDocument:
    """The format-neutral ``RawDocument`` of a PDF (before units are labelled)."""
    pages = read_pages(data, source.name)
    check_text(pages, source.name)
    return layout_document(pages, source)


def parse_pdf(data: bytes, source: Source) -> Document:
    """Parse a UN PDF into a ``Document`` (metadata, labelled units, footnotes)."""
    return build_document(read_pdf(data, source))
