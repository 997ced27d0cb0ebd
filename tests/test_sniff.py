"""Format sniffing and decoding: the ingest rows of RELIABILITY.md that are about bytes, not structure."""

from __future__ import annotations

import codecs
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from conftest import PDFS, SERIES
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiff.errors import (
    IngestError,
    NoTextError,
    ParseError,
    ResdiffError,
    UnsupportedFormatError,
    UsageError,
)
from resdiff.ingest import parse_bytes, parse_file
from resdiff.ingest.sniff import decode_text, misnamed, sniff
from resdiff.model import content_hash

RES = SERIES / "A_RES_76_177.txt"


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    lying = tmp_path / "A_RES_78_220.docx"
    lying.write_bytes((PDFS / "A_RES_78_220.pdf").read_bytes())
    assert sniff(lying.read_bytes()) == "pdf"
    assert parse_file(lying).source is not None
    assert parse_file(lying).source.format == "pdf"  # type: ignore[union-attr]


def test_html_named_txt_is_read_as_html() -> None:
    data = b"<!DOCTYPE html><html><body><p>The General Assembly,</p></body></html>"
    assert sniff(data) == "html"


@pytest.mark.parametrize(
    ("magic", "word"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "legacy Word .doc"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "PNG"),
        (b"\x1f\x8b\x08\x00" + b"\0" * 50, "gzip"),
    ],
)
def test_unsupported_formats_are_named(magic: bytes, word: str) -> None:
    with pytest.raises(UnsupportedFormatError, match=word):
        parse_bytes(magic, "x.docx")


def test_zip_that_is_not_docx_is_named() -> None:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedFormatError, match="not a DOCX"):
        sniff(buf.getvalue())


def test_truncated_zip_is_a_parse_error() -> None:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>" * 1000)
    with pytest.raises(ParseError):
        sniff(buf.getvalue()[:60])


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n  ", codecs.BOM_UTF8 + b"  \n"])
def test_empty_or_whitespace_is_refused(data: bytes) -> None:
    with pytest.raises(NoTextError, match="no text found"):
        parse_bytes(data, "empty.txt")


def test_cp1252_gets_a_clear_message_and_encoding_option_works() -> None:
    text = RES.read_text(encoding="utf-8")
    data = text.replace("\u2019", "'").replace("\u2011", "-").replace("\u2013", "-")
    data_b = data.replace("Democratic", "D\u00e9mocratic", 1).encode("cp1252")
    with pytest.raises(IngestError, match=r"not UTF-8.*--encoding cp1252"):
        parse_bytes(data_b, "a.txt")
    doc = parse_bytes(data_b, "a.txt", encoding="cp1252")
    assert any("D\u00e9mocratic" in u.text for u in doc.units) or "D\u00e9mocratic" in str(
        doc.metadata
    )
    assert not any("\ufffd" in u.text for u in doc.units)


def test_an_encoding_given_is_for_the_inputs_that_are_not_utf8() -> None:
    # `resdiff diff new.txt old-cp1252.txt --encoding cp1252` reads both files with the one
    # option: the UTF-8 one ("Türkiye" in two bytes) must not turn into "TÃ¼rkiye".
    utf8 = "Draft resolution\n\nThe General Assembly,\n\n1. Welcomes Türkiye;\n".encode()
    doc = parse_bytes(utf8, "a.txt", encoding="cp1252")
    assert any("Türkiye" in u.text for u in doc.units)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.encode("utf-16-le"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        lambda t: t.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "crlf", "cr"],
)
def test_encodings_and_line_endings_give_the_same_document(encode) -> None:  # type: ignore[no-untyped-def]
    text = RES.read_text(encoding="utf-8")
    plain = parse_bytes(text.encode("utf-8"), "a.txt")
    other = parse_bytes(encode(text), "a.txt")
    assert content_hash(other) == content_hash(plain)
    assert "\ufeff" not in "".join(u.text for u in other.units)


def test_mixed_line_endings_decode_to_lf() -> None:
    assert decode_text(b"a\r\nb\rc\nd") == "a\nb\nc\nd"


def test_missing_path_and_directory_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        parse_file(tmp_path / "nope.txt")
    with pytest.raises(UsageError, match="is a directory"):
        parse_file(tmp_path)


def test_unreadable_file_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, and root ignores permission bits: make the read itself fail.
    f = tmp_path / "secret.txt"
    f.write_text("x")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(UsageError, match="permission denied"):
        parse_file(f)


def test_kernel_file_that_fails_on_read_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="cannot read"):
        parse_file(Path("/proc/self/mem"))


def test_unreadable_file_as_root_is_a_usage_error(tmp_path: Path) -> None:
    # Root ignores permission bits, so use something no one can read as a file: a FIFO
    # would block, a dangling symlink does not.
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone")
    with pytest.raises(UsageError, match="no such file"):
        parse_file(link)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_give_a_document_or_a_clear_error(data: bytes) -> None:
    try:
        parse_bytes(data, "fuzz.bin")
    except ResdiffError as exc:
        assert str(exc) and "\n" not in str(exc)


@pytest.mark.parametrize(
    ("name", "fmt", "warning"),
    [
        ("report.pdf", "text", "named .pdf but holds plain text: read as plain text"),
        ("draft.DOCX", "html", "named .DOCX but holds a web page: read as a web page"),
        ("notes.txt", "pdf", "named .txt but holds a PDF: read as a PDF"),
        ("draft.pdf", "pdf", None),
        ("draft.txt", "markdown", None),  # Markdown is text
        ("draft.md", "text", None),
        ("A_RES_72_188", "text", None),  # a name that promises nothing
        ("page.htm", "html", None),
    ],
)
def test_a_name_promising_another_format_than_the_content_is_a_warning(
    name: str, fmt: str, warning: str | None
) -> None:
    # Content decides how a file is read; a "report.pdf" that holds text is read as
    # text, and ingest says so instead of storing it silently.
    assert misnamed(name, fmt) == warning
