"""DOCX → RawDocument → Document: WordprocessingML read safely, tracked changes accepted or rejected.

The package is opened with caps on entries, declared and actual sizes and compression
ratio before anything is decompressed, and every XML part is parsed by defusedxml with
DTDs and entities refused. Paragraphs become inline segments (text, italic) that
``resdiff.ingest.html.assemble`` turns into blocks, shared with the HTML parser.
"""

from __future__ import annotations

import dataclasses
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import Literal
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from resdiff.errors import NoTextError, ParseError, UnsupportedFormatError, UsageError
from resdiff.ingest.docx_styles import (
    Counters,
    Numbering,
    Styles,
    attr,
    first_child,
    format_number,
    local,
    num_pr,
    toggle,
)
from resdiff.ingest.html import Para, assemble, collapse
from resdiff.ingest.raw import RawDocument
from resdiff.model import Document, Footnote, Source

__all__ = [
    "MAX_ENTRIES",
    "MAX_PART_BYTES",
    "MAX_TOTAL_BYTES",
    "format_number",
    "parse_docx",
    "raw_docx",
]

# A resolution draft is a few hundred KB; these caps leave room for embedded images
# while keeping a zip bomb from being expanded into memory.
MAX_ENTRIES = 2000
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
# Word XML compresses about 10:1; a part expanding 100-fold past 1 MB is a bomb.
MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024
# WordprocessingML nests a few levels (body, table, row, cell, paragraph, run);
# anything deeper is hostile, and the walk below is recursive.
_MAX_DEPTH = 200

# What zipfile raises on damaged archives: bad magic, CRC, truncation, unknown
# compression or version ("zip file version 6.4"), encryption, malformed headers.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 64 * 1024

Revisions = Literal["accept", "reject"]


def parse_docx(data: bytes, source: Source, *, revisions: Revisions = "accept") -> Document:
    """Parse a Word document: accepted view of tracked changes by default, original with "reject"."""
    from resdiff.ingest.structure import build_document

    return build_document(raw_docx(data, source, revisions=revisions))


def raw_docx(data: bytes, source: Source, *, revisions: Revisions = "accept") -> RawDocument:
    """The format-neutral blocks, footnotes and header lines of a Word document."""
    if revisions not in ("accept", "reject"):
        raise UsageError(f"revisions must be 'accept' or 'reject', not {revisions!r}")
    package = _Package(data)
    styles = Styles(package.xml("styles"))
    numbering = Numbering(package.xml("numbering"))
    reader = _Reader(revisions, styles)

    body = package.xml("document")
    if body is None:
        raise UnsupportedFormatError(
            "not a Word document: the ZIP has no word/document.xml; save it as .docx"
        )
    paras = reader.container(body, 0)

    notes: dict[str, list[_WPara]] = {}
    footnotes_root = package.xml("footnotes")
    if footnotes_root is not None:
        for note in footnotes_root:
            kind = attr(note, "type")
            if local(note.tag) != "footnote" or kind not in (None, "normal"):
                continue  # separators and continuation notices are not notes
            reader.fields.clear()  # a field left open in one story must not swallow the next
            notes[attr(note, "id") or ""] = reader.container(note, 1)

    furniture: list[str] = []
    header_lines: list[str] = []
    notes_text: list[str] = []
    endnotes_root = package.xml("endnotes")
    if endnotes_root is not None:
        # Endnotes have no place in the model (UN texts use footnotes); their text is
        # kept as furniture so that it is accounted for, and the fact is reported.
        ends = [
            _note_text(reader.container(note, 1))
            for note in endnotes_root
            if local(note.tag) == "endnote" and attr(note, "type") in (None, "normal")
        ]
        furniture.extend(e for e in ends if e)
        if any(ends):
            notes_text.append(f"{sum(map(bool, ends))} endnotes kept as furniture, not units")
    for role in ("header", "footer"):
        for root in package.xml_all(role):
            for p in _Reader(revisions, styles).container(root, 0):
                lines = [c for c in map(collapse, "".join(t for t, _ in p.segs).split("\n")) if c]
                furniture.extend(lines)
                if role == "header" and lines:
                    header_lines.extend((*lines, ""))  # "" ends a group of header lines

    merged = _merge_marks(paras)
    numbers: dict[str, int] = {}
    out: list[Para] = []
    counters = Counters(numbering)
    for p in merged:
        refs = []
        for ref in p.refs:
            numbers.setdefault(ref, len(numbers) + 1)
            refs.append(numbers[ref])
        num = p.num or styles.numbering_of(p.style)
        prefix = counters.render(*num) if num else ""
        heading = styles.is_heading(p.style)
        out.append(
            Para(p.segs, refs, prefix=prefix, heading=heading, ref_at=p.ref_at, table=p.table)
        )
        for ref, mark in p.custom:
            # Unnumbered "*" notes (reissue, "on behalf of") are read with the header.
            if ref in notes:
                header_lines.extend((f"{mark or '*'} {_note_text(notes[ref])}", ""))

    footnotes = []
    notes_missing = []
    for ref, n in numbers.items():
        if ref in notes:
            footnotes.append(Footnote(number=n, text=_note_text(notes[ref])))
        else:
            notes_missing.append(n)

    count = reader.insertions + reader.deletions
    state: str | None = None
    if count:
        state = "accepted" if revisions == "accept" else "rejected"
        notes_text.append(
            f"{count} tracked changes {state} "
            f"({reader.insertions} insertions, {reader.deletions} deletions)"
        )
    if notes_missing:
        notes_text.append(f"footnote references without text: {notes_missing}")
    src = dataclasses.replace(
        source,
        format="docx",
        revisions=state,
        revision_count=count,
        notes=(*source.notes, *notes_text),
    )
    raw = assemble(out, footnotes, source=src, furniture=furniture, header_extra=header_lines)
    if not raw.blocks and not raw.header:
        raise NoTextError("no text found in the DOCX: the document body is empty")
    return raw


# --- the package -------------------------------------------------------------------


def _declared_entries(data: bytes) -> int | None:
    """Entry count from the end-of-central-directory record, read before zipfile lists them."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if pos < 0 or pos + 22 > len(data):
        return None
    (total,) = struct.unpack_from("<H", data, pos + 10)
    return int(total)


class _Package:
    """The ZIP container, opened under caps, and the XML parts located through its rels."""

    def __init__(self, data: bytes) -> None:
        if not data or data.isspace():
            raise NoTextError("no text found: the file is empty")
        if data.startswith(_OLE2):
            raise UnsupportedFormatError(
                "legacy Word .doc (OLE2) or password-protected Office file: "
                "not supported; save it as an unprotected .docx"
            )
        if not data.startswith(b"PK"):
            raise UnsupportedFormatError(
                "not a DOCX: the content is not a ZIP package; check the file type"
            )
        declared = _declared_entries(data)
        if declared is not None and declared > MAX_ENTRIES:
            raise ParseError(
                f"DOCX refused: {declared} ZIP entries (cap {MAX_ENTRIES}); not a plausible document"
            )
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
            infos = self.zip.infolist()
        except _ZIP_ERRORS as exc:
            raise ParseError(
                f"damaged or truncated DOCX ({exc}); re-save or re-download the file"
            ) from exc
        if len(infos) > MAX_ENTRIES:
            raise ParseError(
                f"DOCX refused: {len(infos)} ZIP entries (cap {MAX_ENTRIES}); "
                "not a plausible document"
            )
        total = 0
        for info in infos:
            size = info.file_size
            total += size
            if size > MAX_PART_BYTES:
                raise ParseError(
                    f"DOCX refused: part {info.filename} declares {size // 2**20} MB uncompressed "
                    f"(cap {MAX_PART_BYTES // 2**20} MB); possible zip bomb"
                )
            if size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
                raise ParseError(
                    f"DOCX refused: part {info.filename} expands "
                    f"{size // max(info.compress_size, 1)}-fold (cap {MAX_RATIO}); possible zip bomb"
                )
        if total > MAX_TOTAL_BYTES:
            raise ParseError(
                f"DOCX refused: {total // 2**20} MB uncompressed in total "
                f"(cap {MAX_TOTAL_BYTES // 2**20} MB); possible zip bomb"
            )
        self.names = {i.filename for i in infos}
        self.read_total = 0
        self.xml_parts: dict[str, bytes] = {}  # every XML part, read once under the caps
        self._refuse_doctypes(infos)
        self.main = self._main_part()
        self.rels = self._rels(self.main)

    def _read(self, name: str) -> bytes:
        """Decompress one part in chunks, stopping past the caps whatever its header claims."""
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zip.open(name) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    if size > MAX_PART_BYTES or self.read_total + size > MAX_TOTAL_BYTES:
                        raise ParseError(
                            f"DOCX refused: part {name} expands past the size cap "
                            f"({MAX_PART_BYTES // 2**20} MB per part, "
                            f"{MAX_TOTAL_BYTES // 2**20} MB in total); possible zip bomb"
                        )
                    chunks.append(chunk)
        except ParseError:
            raise
        except _ZIP_ERRORS as exc:
            raise ParseError(
                f"damaged or truncated DOCX: cannot read {name} ({exc}); re-save the file"
            ) from exc
        self.read_total += size
        return b"".join(chunks)

    def _refuse_doctypes(self, infos: list[zipfile.ZipInfo]) -> None:
        # Parts this parser never parses could still reach another tool; a DOCTYPE in
        # any of them marks a crafted file, so the whole package is refused.
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            blob = self.xml_parts[info.filename] = self._read(info.filename)
            if blob[:2] in (b"\xff\xfe", b"\xfe\xff"):
                blob = blob.decode("utf-16", "replace").encode("utf-8")
            if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
                raise ParseError(
                    f"DOCX refused: {info.filename}: DOCTYPE/entity declarations are not allowed "
                    "in Word documents; the file was crafted or damaged"
                )

    def _parse(self, name: str) -> Element:
        blob = self.xml_parts[name] if name in self.xml_parts else self._read(name)
        try:
            root: Element = SafeET.fromstring(
                blob, forbid_dtd=True, forbid_entities=True, forbid_external=True
            )
        except defusedxml.DefusedXmlException as exc:
            raise ParseError(
                f"DOCX refused: {name}: DOCTYPE/entity declarations are not allowed "
                f"in Word documents ({exc}); the file was crafted or damaged"
            ) from exc
        except (XMLParseError, ValueError) as exc:
            raise ParseError(f"damaged DOCX: {name} is not well-formed XML ({exc})") from exc
        return root

    def _main_part(self) -> str:
        if "_rels/.rels" in self.names:
            for rel in self._parse("_rels/.rels"):
                if (attr(rel, "Type") or "").endswith("/officeDocument"):
                    target = (attr(rel, "Target") or "").lstrip("/")
                    if target in self.names:
                        return target
        return "word/document.xml"

    def _rels(self, part: str) -> dict[str, list[str]]:
        """Part names by relationship type suffix ("footnotes", "styles", "header"...)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, list[str]] = {}
        if rels_name in self.names:
            for rel in self._parse(rels_name):
                kind = (attr(rel, "Type") or "").rsplit("/", 1)[-1]
                target = attr(rel, "Target") or ""
                if attr(rel, "TargetMode") == "External" or not target:
                    continue
                name = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
                found.setdefault(kind, []).append(name)
        defaults = {
            "styles": "styles.xml",
            "numbering": "numbering.xml",
            "footnotes": "footnotes.xml",
            "endnotes": "endnotes.xml",
        }
        for kind, base_name in defaults.items():
            if kind not in found:
                found[kind] = [posixpath.join(folder, base_name)]
        return found

    def xml(self, role: str) -> Element | None:
        """The parsed part for a role ("document", "styles", "numbering", "footnotes")."""
        if role == "document":
            return self._parse(self.main) if self.main in self.names else None
        names = [n for n in self.rels.get(role, []) if n in self.names]
        return self._parse(names[0]) if names else None

    def xml_all(self, role: str) -> list[Element]:
        """Every part of a role that may occur several times ("header", "footer")."""
        return [self._parse(n) for n in sorted(set(self.rels.get(role, []))) if n in self.names]


# --- the document walk ---------------------------------------------------------------


@dataclass(slots=True)
class _WPara:
    """One w:p as read: segments, footnote ids, style, numbering and paragraph-mark revision."""

    segs: list[tuple[str, bool]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    ref_at: list[int] = field(default_factory=list)  # each reference's offset in the text
    custom: list[tuple[str, str]] = field(default_factory=list)  # (note id, its own mark)
    style: str | None = None
    num: tuple[str, int] | None = None
    merge_next: bool = False
    table: bool = False  # inside a table cell


_INSERTED = frozenset({"ins", "moveTo"})
_DELETED = frozenset({"del", "moveFrom"})
_TRANSPARENT = frozenset(
    {"hyperlink", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "dir", "bdo"}
)
_BLOCK_TRANSPARENT = frozenset({"body", "tbl", "sdt", "sdtContent", "customXml", "footnote"})


class _Reader:
    """Walks WordprocessingML in the accepted or rejected view, counting revisions."""

    def __init__(self, mode: Revisions, styles: Styles) -> None:
        self.mode = mode
        self.styles = styles
        self.insertions = 0
        self.deletions = 0
        self.fields: list[bool] = []  # open complex fields: True while in the instruction
        self.custom_mark: str | None = None  # a note whose mark is the next text

    def _keep(self, name: str) -> bool:
        """Whether a revision wrapper's content belongs to the chosen view (and count it)."""
        if name in _INSERTED:
            self.insertions += 1
            return self.mode == "accept"
        self.deletions += 1
        return self.mode == "reject"

    def container(self, el: Element, depth: int) -> list[_WPara]:
        if depth > _MAX_DEPTH:
            raise ParseError(f"DOCX refused: XML nested deeper than {_MAX_DEPTH} levels")
        out: list[_WPara] = []
        for child in el:
            name = local(child.tag)
            if name == "p":
                out.append(self.paragraph(child, depth + 1))
            elif name == "tr":
                trpr = first_child(child, "trPr")
                mark = first_child(trpr, "ins")
                mark = first_child(trpr, "del") if mark is None else mark
                if mark is None or self._keep(local(mark.tag)):
                    out.extend(self.container(child, depth + 1))
            elif name == "tc":
                cell = self.container(child, depth + 1)
                for p in cell:
                    p.table = True
                out.extend(cell)
            elif name in _BLOCK_TRANSPARENT or (
                (name in _INSERTED or name in _DELETED) and self._keep(name)
            ):
                out.extend(self.container(child, depth + 1))
        return out

    def paragraph(self, p: Element, depth: int) -> _WPara:
        para = _WPara()
        ppr = first_child(p, "pPr")
        if ppr is not None:
            style = first_child(ppr, "pStyle")
            para.style = attr(style, "val") if style is not None else None
            para.num = num_pr(ppr)
            rpr = first_child(ppr, "rPr")
            for mark in rpr if rpr is not None else ():
                name = local(mark.tag)
                if name in _INSERTED or name in _DELETED:
                    # A paragraph mark absent from the chosen view joins this
                    # paragraph to the next one (Word's merge on accept/reject).
                    para.merge_next = not self._keep(name)
        self.inline(p, para, self.styles.para_italic(para.style), depth + 1)
        if self.custom_mark is not None:  # a custom mark never came: the note keeps "*"
            para.custom.append((self.custom_mark, ""))
            self.custom_mark = None
        return para

    def inline(self, el: Element, para: _WPara, para_italic: bool, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ParseError(f"DOCX refused: XML nested deeper than {_MAX_DEPTH} levels")
        for child in el:
            name = local(child.tag)
            if name == "r":
                self.run(child, para, para_italic)
            elif name in _INSERTED or name in _DELETED:
                if self._keep(name):
                    self.inline(child, para, para_italic, depth + 1)
            elif name in _TRANSPARENT:
                self.inline(child, para, para_italic, depth + 1)

    def run(self, r: Element, para: _WPara, para_italic: bool) -> None:
        rpr = first_child(r, "rPr")
        italic = toggle(first_child(rpr, "i"))
        if italic is None:
            rstyle = first_child(rpr, "rStyle")
            italic = self.styles.italic(attr(rstyle, "val") if rstyle is not None else None)
        if italic is None:
            italic = para_italic
        parts: list[str] = []
        for child in r:
            name = local(child.tag)
            if name == "fldChar":
                kind = attr(child, "fldCharType")
                if kind == "begin":
                    self.fields.append(True)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = False
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if any(self.fields):
                continue  # field instruction (w:instrText and anything else before "separate")
            if name in ("t", "delText"):
                if self.custom_mark is not None:
                    # customMarkFollows: this text is the note's mark ("*"), not body text.
                    para.custom.append((self.custom_mark, (child.text or "").strip()))
                    self.custom_mark = None
                    continue
                parts.append(child.text or "")
            elif name in ("tab", "ptab"):
                parts.append("\t")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("\u2011")
            elif name == "softHyphen":
                parts.append("\u00ad")
            elif name == "sym":
                parts.append(_symbol(attr(child, "char")))
            elif name == "footnoteReference":
                if parts:
                    para.segs.append(("".join(parts), italic))
                    parts = []
                if attr(child, "customMarkFollows") in ("1", "true", "on"):
                    self.custom_mark = attr(child, "id") or ""
                else:
                    para.refs.append(attr(child, "id") or "")
                    para.ref_at.append(sum(len(t) for t, _ in para.segs))
        if parts:
            para.segs.append(("".join(parts), italic))


def _symbol(code: str | None) -> str:
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    # Symbol-font characters sit in the private-use block F000-F0FF over their ASCII codes.
    if 0xF020 <= value <= 0xF0FF:
        value -= 0xF000
    try:
        return chr(value)
    except (ValueError, OverflowError):
        return ""


def _note_text(paras: list[_WPara]) -> str:
    return collapse(" ".join("".join(t for t, _ in p.segs) for p in _merge_marks(paras)))


def _merge_marks(paras: list[_WPara]) -> list[_WPara]:
    """Join paragraphs whose mark is not in the chosen view into the paragraph that follows."""
    out: list[_WPara] = []
    pending: _WPara | None = None
    for p in paras:
        joined = p
        if pending is not None:
            # The surviving mark is the later paragraph's: its style and numbering win.
            shift = sum(len(t) for t, _ in pending.segs)
            joined = dataclasses.replace(
                p,
                segs=pending.segs + p.segs,
                refs=pending.refs + p.refs,
                ref_at=pending.ref_at + [o + shift for o in p.ref_at],
            )
            pending = None
        if joined.merge_next:
            pending = joined
            continue
        out.append(joined)
    if pending is not None:
        out.append(dataclasses.replace(pending, merge_next=False))
    return out
