"""Hostile input files, built in code: PDF decompression bombs, truncations and bit flips.

Shared by the tests (``test_hostile.py``, ``test_pdf.py``) and the benchmarks
(``bench_hostile.py``) so both read the same files. Every bomb is a valid PDF
whose one page's content stream inflates to ``size`` bytes of spaces through a
different filter chain or stream syntax; each is a few KB on disk.
"""

from __future__ import annotations

import base64
import random
import struct
import zlib
from collections.abc import Callable, Iterator
from functools import cache

GB = 1 << 30
# The text every bomb page shows before its padding, so a PDF reader that
# survived would find a resolution paragraph.
PAGE_TEXT = b"BT /F1 10 Tf 72 700 Td (1. Decides to continue.) Tj ET\n"


# --- a minimal PDF writer --------------------------------------------------------


def pdf_with_content(stream_dict: bytes, body: bytes, *, keyword: bytes = b"stream\n") -> bytes:
    """A one-page PDF whose content stream has ``stream_dict`` entries and ``body``.

    ``keyword`` is what separates the dictionary from the data (PDF 32000 says
    ``stream`` then CRLF or LF; readers accept more).
    """
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d " % len(body) + stream_dict + b" >>\n" + keyword + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    return assemble_pdf(objs)


def assemble_pdf(objs: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF file of these objects (object 1 the catalogue), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objs) + 1) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- encoders ------------------------------------------------------------------------


@cache
def spaces_deflated(size: int, *, header: bool = True, prefix: bytes = PAGE_TEXT) -> bytes:
    """``prefix`` then spaces up to ``size`` bytes, deflated without holding them in memory.

    Each 1 MiB block is compressed after a full flush, so every block after the
    first compresses to the same bytes: the stream is spliced from copies, with
    the Adler-32 of the whole computed block by block.
    """
    block = 1 << 20
    count = max(size // block, 2)
    first_in = prefix + b" " * (block - len(prefix))
    rest_in = b" " * block
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS if header else -zlib.MAX_WBITS)
    first = comp.compress(first_in) + comp.flush(zlib.Z_FULL_FLUSH)
    rest = comp.compress(rest_in) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(rest_in) + comp.flush(zlib.Z_FULL_FLUSH)
    assert again == rest  # a full flush forgets the history: blocks repeat exactly
    tail = comp.flush(zlib.Z_FINISH)  # the empty final block, then the checksum
    if not header:
        return first + rest * (count - 1) + tail
    final_block = tail[:-4]
    adler = zlib.adler32(first_in)
    # The checksum of ``count - 1`` blocks of spaces, without hashing them all:
    # Adler-32 of a block of spaces repeated, folded by doubling.
    adler = _adler_spaces(adler, (count - 1) * block)
    return first + rest * (count - 1) + final_block + struct.pack(">I", adler)


def _adler_spaces(adler: int, n: int) -> int:
    """``zlib.adler32(b" " * n, adler)`` in O(log n) steps."""
    mod = 65521
    a, b = adler & 0xFFFF, adler >> 16
    # Appending n bytes of value c: a' = a + n*c, b' = b + n*a + c*n*(n+1)/2.
    c = 0x20
    b = (b + n * a + c * n * (n + 1) // 2) % mod
    a = (a + n * c) % mod
    return (b << 16) | a


def flate(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def ascii_hex(data: bytes) -> bytes:
    return data.hex().encode() + b">"


def ascii85(data: bytes) -> bytes:
    return base64.a85encode(data) + b"~>"


def run_length(data: bytes) -> bytes:
    """RunLengthDecode's encoding: runs of up to 128 equal bytes as two bytes."""
    out = bytearray()
    i = 0
    while i < len(data):
        j = i
        while j < len(data) and j - i < 128 and data[j] == data[i]:
            j += 1
        if j - i > 1:
            out += bytes([257 - (j - i), data[i]])
            i = j
        else:
            k = i
            while k < len(data) and k - i < 128 and (k + 1 >= len(data) or data[k + 1] != data[k]):
                k += 1
            k = max(k, i + 1)
            out += bytes([k - i - 1]) + data[i:k]
            i = k
    return bytes(out) + b"\x80"


def lzw(data: bytes) -> bytes:
    """LZWDecode's encoding (early change 1, 9 to 12 bit codes, MSB first)."""
    table = {bytes([i]): i for i in range(256)}
    nxt, width = 258, 9
    bits = 0
    nbits = 0
    out = bytearray()

    def emit(code: int) -> None:
        nonlocal bits, nbits
        bits = (bits << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)
        bits &= (1 << nbits) - 1

    emit(256)
    w = b""
    for byte in data:
        wc = w + bytes([byte])
        if wc in table:
            w = wc
            continue
        emit(table[w])
        table[wc] = nxt
        nxt += 1
        w = bytes([byte])
        if nxt + 1 > (1 << width):  # early change: widen one code early
            if width == 12:
                emit(256)
                table = {bytes([i]): i for i in range(256)}
                nxt, width = 258, 9
            else:
                width += 1
    if w:
        emit(table[w])
    emit(257)
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


# --- the bombs -----------------------------------------------------------------------


def _chain(size: int, outer: list[tuple[bytes, Callable[[bytes], bytes]]], layers: int) -> bytes:
    """A content stream: ``layers`` Flate layers of spaces, then ``outer`` encodings on top."""
    body = spaces_deflated(size)
    for _ in range(layers - 1):
        body = flate(body)
    names = [b"/FlateDecode"] * layers
    for name, encode in outer:
        body = encode(body)
        names.insert(0, name)
    return pdf_with_content(b"/Filter [" + b" ".join(names) + b"]", body)


def flate_layers(size: int, layers: int = 4) -> bytes:
    return _chain(size, [], layers)


def hex_flate(size: int) -> bytes:
    return _chain(size, [(b"/ASCIIHexDecode", ascii_hex)], 3)


def a85_flate(size: int) -> bytes:
    return _chain(size, [(b"/ASCII85Decode", ascii85)], 3)


def lzw_flate(size: int) -> bytes:
    return _chain(size, [(b"/LZWDecode", lzw)], 3)


def runlength_flate(size: int) -> bytes:
    return _chain(size, [(b"/RunLengthDecode", run_length)], 3)


def stream_cr(size: int) -> bytes:
    body = flate(flate(spaces_deflated(size)))
    return pdf_with_content(
        b"/Filter [/FlateDecode /FlateDecode /FlateDecode]", body, keyword=b"stream\r"
    )


def stream_space_lf(size: int) -> bytes:
    body = flate(flate(spaces_deflated(size)))
    return pdf_with_content(
        b"/Filter [/FlateDecode /FlateDecode /FlateDecode]", body, keyword=b"stream \n"
    )


def raw_deflate(size: int) -> bytes:
    """Flate data without the zlib header and checksum (readers accept it)."""
    body = spaces_deflated(size, header=False)
    inner = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = inner.compress(body) + inner.flush()
    return pdf_with_content(b"/Filter [/FlateDecode /FlateDecode]", body)


def indirect_filter(size: int) -> bytes:
    """The filter array is an indirect object: the dictionary says only ``6 0 R``."""
    body = flate(flate(flate(spaces_deflated(size))))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter 6 0 R >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
        b"[/FlateDecode /FlateDecode /FlateDecode /FlateDecode]",
    ]
    return assemble_pdf(objs)


def object_stream(size: int) -> bytes:
    """The page dictionary lives in an object stream that inflates to ``size`` bytes.

    Cross-references are an xref stream (PDF 1.5), as object streams require.
    """
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
    )
    head = b"3 0 "
    # The objects, then spaces to ``size``: deflated block by block like a bomb page.
    body = flate(flate(flate(spaces_deflated(size, prefix=head + page + b" "))))
    content = PAGE_TEXT
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"",  # 3: in the object stream
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
        b"<< /Type /ObjStm /N 1 /First %d /Length %d " % (len(head), len(body))
        + b"/Filter [/FlateDecode /FlateDecode /FlateDecode /FlateDecode] >>\nstream\n"
        + body
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num, obj in enumerate(objs, start=1):
        if not obj:
            continue
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + obj + b"\nendobj\n"
    xref_num = len(objs) + 1
    offsets[xref_num] = len(out)
    rows = bytearray(b"\x00" + struct.pack(">IH", 0, 0xFFFF))
    for num in range(1, xref_num + 1):
        if num == 3:
            rows += b"\x02" + struct.pack(">IH", 6, 0)  # object 3 is entry 0 of stream 6
        else:
            rows += b"\x01" + struct.pack(">IH", offsets[num], 0)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_num, xref_num + 1, len(rows))
        + bytes(rows)
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_num]
    return bytes(out)


# Every bomb variant, by name: size in bytes → PDF bytes.
BOMBS: dict[str, Callable[[int], bytes]] = {
    "flate x4": flate_layers,
    "hex+flate x3": hex_flate,
    "a85+flate x3": a85_flate,
    "lzw+flate x3": lzw_flate,
    "runlength+flate x3": runlength_flate,
    "stream CR": stream_cr,
    "stream SP LF": stream_space_lf,
    "raw deflate": raw_deflate,
    "indirect /Filter": indirect_filter,
    "object stream": object_stream,
}


# --- damage to real files ------------------------------------------------------------


def truncations(data: bytes, rng: random.Random, count: int) -> Iterator[bytes]:
    """``data`` cut at ``count`` random points (never empty, never whole)."""
    for _ in range(count):
        yield data[: rng.randrange(1, len(data))]


def bit_flips(data: bytes, rng: random.Random, count: int, flips: int = 8) -> Iterator[bytes]:
    """``data`` with ``flips`` random bits flipped, ``count`` times."""
    for _ in range(count):
        out = bytearray(data)
        for _ in range(flips):
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        yield bytes(out)
