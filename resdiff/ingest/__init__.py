"""Bytes → Document: sniff the format from content, decode, and hand over to that format's parser.

One signature for every format: ``parse_bytes(data, name) -> Document``. The
per-format parsers (text, markdown, pdf, docx, html) are imported lazily so that
a command that never reads a PDF never loads PDFium.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from resdiff.errors import EncodingError, IngestError, UsageError
from resdiff.ingest.sniff import decode_text, sniff
from resdiff.model import Document, Source

__all__ = ["MAX_INPUT_BYTES", "parse_bytes", "parse_file", "read_input"]

# Nothing the General Assembly publishes comes close; a cap keeps a stray disk
# image or video from being read into memory.
MAX_INPUT_BYTES = 100 * 1024 * 1024

Revisions = Literal["accept", "reject"]


def parse_bytes(
    data: bytes,
    name: str,
    *,
    encoding: str | None = None,
    revisions: Revisions = "accept",
) -> Document:
    """Parse one document from its raw bytes; ``name`` is only a label for messages.

    Every ``IngestError`` raised names ``name`` first, whichever parser raised it.
    """
    try:
        return _parse_bytes(data, name, encoding=encoding, revisions=revisions)
    except EncodingError as exc:
        if str(exc).startswith(f"{name}: "):
            raise
        raise EncodingError(f"{name}: {exc}", f"{name}: {exc.detail}") from exc
    except IngestError as exc:
        if str(exc).startswith(f"{name}: "):
            raise
        raise type(exc)(f"{name}: {exc}") from exc


def _parse_bytes(data: bytes, name: str, *, encoding: str | None, revisions: Revisions) -> Document:
    if len(data) > MAX_INPUT_BYTES:
        raise IngestError(
            f"{name}: file too large ({len(data) // 2**20} MB > {MAX_INPUT_BYTES // 2**20} MB)"
        )
    fmt = sniff(data)
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "pdf":
        from resdiff.ingest.pdf import parse_pdf

        return parse_pdf(data, Source(name=name, format="pdf", sha256=sha))
    if fmt == "docx":
        from resdiff.ingest.docx import parse_docx

        return parse_docx(data, Source(name=name, format="docx", sha256=sha), revisions=revisions)
    if fmt == "html":
        from resdiff.ingest.html import parse_html

        text = decode_text(data, encoding, html=True)
        return parse_html(text, Source(name=name, format="html", sha256=sha))
    text = decode_text(data, encoding)
    from resdiff.ingest.markdown import looks_like_markdown, parse_markdown

    if looks_like_markdown(text):
        return parse_markdown(text, Source(name=name, format="markdown", sha256=sha))
    from resdiff.ingest.text import parse_text

    return parse_text(text, Source(name=name, format="text", sha256=sha))


def read_input(path: Path) -> bytes:
    """Read a file for parsing, turning OS errors into one-line usage errors naming the path."""
    if not path.exists():
        raise UsageError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory; give a file (ingest accepts folders)")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise IngestError(
                f"{path}: file too large ({size // 2**20} MB > {MAX_INPUT_BYTES // 2**20} MB)"
            )
        return path.read_bytes()
    except PermissionError as exc:
        raise UsageError(f"{path}: permission denied; check the file's permissions") from exc
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def parse_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    revisions: Revisions = "accept",
) -> Document:
    """Parse the document at ``path`` without storing it."""
    p = Path(path)
    data = read_input(p)
    try:
        return parse_bytes(data, p.name, encoding=encoding, revisions=revisions)
    except IngestError as exc:
        # The document keeps its file name (stored, shown in reports); a message
        # names the path as given, whichever parser wrote it.
        msg = str(exc).removeprefix(f"{p.name}: ")
        raise type(exc)(f"{path}: {msg}") from exc
