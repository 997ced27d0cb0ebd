"""Format detection from content (never from the file name) and decoding of text formats."""

from __future__ import annotations

import codecs
import re
import zipfile
from io import BytesIO

from resdiff.errors import (
    EncodingError,
    IngestError,
    NoTextError,
    ParseError,
    UnsupportedFormatError,
)

__all__ = ["decode_text", "misnamed", "sniff"]

# Signatures of formats people send that resdiff cannot read, with the fix to suggest.
_UNSUPPORTED: tuple[tuple[bytes, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "legacy Word .doc (OLE2) is not supported: save it as .docx",
    ),
    (b"{\\rtf", "RTF is not supported: save it as .docx"),
    (b"\x89PNG", "a PNG image has no text: OCR it first"),
    (b"\xff\xd8\xff", "a JPEG image has no text: OCR it first"),
    (b"GIF8", "a GIF image has no text: OCR it first"),
    (b"II*\x00", "a TIFF image has no text: OCR it first"),
    (b"MM\x00*", "a TIFF image has no text: OCR it first"),
    (b"\x1f\x8b", "a gzip archive: decompress it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive: extract it first"),
    (b"Rar!", "a RAR archive: extract it first"),
    (b"SQLite format 3\x00", "an SQLite database is not a document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def sniff(data: bytes) -> str:
    """Name the format of ``data``: "pdf", "docx", "html" or "text" (Markdown is text).

    Raises UnsupportedFormatError naming what the content is when resdiff cannot read it.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    for magic, why in _UNSUPPORTED:
        if data.startswith(magic):
            raise UnsupportedFormatError(f"unsupported format: {why}")
    if _HTML_START.match(_strip_bom(head)):
        return "html"
    return "text"


# What a file's extension promises; content always decides how a file is read.
_PROMISED = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
_SAID = {"pdf": "a PDF", "docx": "a Word document", "html": "a web page", "text": "plain text"}


def misnamed(name: str, fmt: str) -> str | None:
    """A warning when a file's extension promises another format than its content
    ("report.pdf" holding plain text: a page saved under the wrong name, or a file that
    is not what its sender thinks); None when they agree or the name promises nothing."""
    dot = name.rfind(".")
    promised = _PROMISED.get(name[dot:].lower()) if dot >= 0 else None
    if fmt in ("pdf", "docx") and promised is None and dot >= 0:
        promised = "text" if name[dot:].lower() in (".txt", ".md") else None
    if promised is None or promised == fmt or (promised, fmt) == ("text", "markdown"):
        return None
    return f"named {name[dot:]} but holds {_SAID.get(fmt, fmt)}: read as {_SAID.get(fmt, fmt)}"


def _strip_bom(data: bytes) -> bytes:
    for bom, _ in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :]
    return data


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        # A DOCX is a zip; one that cannot even list its entries is truncated or damaged.
        raise ParseError(f"damaged zip/DOCX: {exc}; re-save or re-download the file") from exc
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        raise UnsupportedFormatError(
            "unsupported format: OpenDocument (.odt) is not supported: save it as .docx"
        )
    raise UnsupportedFormatError(
        "unsupported format: a zip archive without word/document.xml (not a DOCX)"
    )


def decode_text(data: bytes, encoding: str | None = None, *, html: bool = False) -> str:
    """Decode a text or HTML file, never silently replacing bytes.

    A byte-order mark decides the encoding and is dropped; otherwise the explicit
    ``encoding``, an HTML ``<meta charset>``, or strict UTF-8. Line endings become
    ``\\n`` so CRLF, CR and LF files of the same text are the same text.
    """
    text = _decode(data, encoding, html=html)
    if "\x00" in text:
        raise UnsupportedFormatError(
            "unsupported format: binary content (NUL bytes) in what should be text"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise NoTextError("no text found: the file is empty or whitespace only")
    return text


def _decode(data: bytes, encoding: str | None, *, html: bool) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], name)
    if encoding:
        # The option names the encoding of the inputs that are not UTF-8: a command
        # comparing a UTF-8 text with a cp1252 one takes it for both files.
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return _strict(data, encoding)
    if html:
        m = _HTML_META_CHARSET.search(data[:4096])
        if m:
            return _strict(data, m.group(1).decode("ascii"))
    if _looks_utf16(data):
        return _strict(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        what = (
            f"not UTF-8 text (byte 0x{data[exc.start : exc.start + 1].hex()} at offset {exc.start})"
        )
        raise EncodingError(
            f"{what}: re-run with --encoding cp1252 (or the file's real encoding)", what
        ) from exc


def _looks_utf16(data: bytes) -> bool:
    # UTF-16 without a BOM: ASCII-range text leaves every other byte NUL.
    sample = data[:512]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    return odd.count(0) > 0.8 * len(odd) or even.count(0) > 0.8 * len(even)


def _strict(data: bytes, name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError as exc:
        raise IngestError(f"unknown encoding {name!r}: give a valid --encoding") from exc
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        what = f"not valid {name} (byte offset {exc.start})"
        raise EncodingError(f"{what}: re-run with the file's real --encoding", what) from exc
