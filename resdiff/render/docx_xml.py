"""OOXML for a tracked-changes DOCX: fixed parts (styles, settings, rels, core), paragraph/run serialisation, the deterministic ZIP.

Only the stdlib: strings escaped here, zipped with a fixed timestamp and sorted
entries so that the same comparison always gives the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from resdiff.model import SpanOp

__all__ = [
    "SECTION",
    "W_NS",
    "XML_DECL",
    "Para",
    "Run",
    "XmlWriter",
    "attr",
    "comments_xml",
    "content_types",
    "core_xml",
    "document_rels",
    "footnotes_xml",
    "package",
    "root_rels",
    "settings_xml",
    "styles_xml",
    "text",
    "xml_safe",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/F.
# Such characters cannot be written at all, so they are dropped (the only text change).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# The earliest time a ZIP entry can carry; every entry gets it, so bytes never vary.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

EQ, INS, DEL = SpanOp.EQUAL, SpanOp.INSERT, SpanOp.DELETE
_CONTROL = re.compile(r"(\t|\r\n|\r|\n)")


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry."""
    return _ILLEGAL.sub("", value)


def text(value: str) -> str:
    """Element content: illegal characters dropped, ``& < >`` escaped."""
    return (
        xml_safe(value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        # A literal CR would be normalised to LF by every XML reader.
        .replace("\r", "&#13;")
    )


def attr(value: str) -> str:
    """A double-quoted attribute value, escaped (quotes, whitespace kept as written)."""
    escaped = text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
    return f'"{escaped}"'


def content_types(*, footnotes: bool, comments: bool = False) -> str:
    """[Content_Types].xml for the parts this writer emits."""
    wml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    parts = [
        ("/word/document.xml", f"{wml}.document.main+xml"),
        ("/word/styles.xml", f"{wml}.styles+xml"),
        ("/word/settings.xml", f"{wml}.settings+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    ]
    if footnotes:
        parts.append(("/word/footnotes.xml", f"{wml}.footnotes+xml"))
    if comments:
        parts.append(("/word/comments.xml", f"{wml}.comments+xml"))
    overrides = "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in parts)
    return (
        f"{XML_DECL}<Types "
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )


def root_rels() -> str:
    """_rels/.rels: the main document and the core properties."""
    return (
        f'{XML_DECL}<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{R_NS}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )


def document_rels(*, footnotes: bool, comments: bool = False) -> str:
    """word/_rels/document.xml.rels: styles, settings and (when present) footnotes, comments."""
    rels = [("rId1", "styles", "styles.xml"), ("rId2", "settings", "settings.xml")]
    if footnotes:
        rels.append(("rId3", "footnotes", "footnotes.xml"))
    if comments:
        rels.append(("rId4", "comments", "comments.xml"))
    body = "".join(
        f'<Relationship Id="{i}" Type="{R_NS}/{t}" Target="{target}"/>' for i, t, target in rels
    )
    return f'{XML_DECL}<Relationships xmlns="{PKG_REL}">{body}</Relationships>'


def core_xml(title: str, author: str, when: datetime) -> str:
    """docProps/core.xml; ``when`` is both creation and modification time (deterministic)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{XML_DECL}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{text(title)}</dc:title>"
        f"<dc:creator>{text(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{text(author)}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def settings_xml(*, footnotes: bool, markup: bool = True) -> str:
    """word/settings.xml: further edits are tracked; no automatic hyphenation.

    ``markup=False`` opens the file showing the accepted text (Word's "No Markup",
    which LibreOffice also honours); the changes stay tracked either way.
    """
    view = "" if markup else '<w:revisionView w:insDel="0" w:formatting="0"/>'

    notes = (
        '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        if footnotes
        else ""
    )
    return (
        f'{XML_DECL}<w:settings xmlns:w="{W_NS}">'
        f"{view}<w:trackRevisions/>"
        '<w:defaultTabStop w:val="567"/>'
        '<w:autoHyphenation w:val="false"/>'
        f"{notes}"
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        "</w:settings>"
    )


def _style(sid: str, name: str, ppr: str = "", rpr: str = "", *, kind: str = "paragraph") -> str:
    based = "" if sid == "Normal" or kind != "paragraph" else '<w:basedOn w:val="Normal"/>'
    default = ' w:default="1"' if sid == "Normal" else ""
    p = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    r = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (
        f'<w:style w:type="{kind}"{default} w:styleId="{sid}"><w:name w:val="{name}"/>'
        f"{based}<w:qFormat/>{p}{r}</w:style>"
    )


# UN resolution layout (Times New Roman 10 pt, 1.25 cm paragraph indents);
# twips: 567 = 1 cm. Sub-item levels step in by a further 1 cm each.
_SPACING = '<w:spacing w:after="120" w:line="240" w:lineRule="auto"/>'
_JUSTIFY = '<w:jc w:val="both"/>'


def styles_xml() -> str:
    """word/styles.xml: one paragraph style per unit kind plus the heading block."""
    styles = [
        _style("Normal", "Normal", _SPACING + _JUSTIFY),
        _style("RdSymbol", "Resdiff Symbol", '<w:jc w:val="right"/>', "<w:b/>"),
        _style("RdTitle", "Resdiff Title", '<w:jc w:val="left"/>', '<w:b/><w:sz w:val="28"/>'),
        _style("RdNote", "Resdiff Note", '<w:jc w:val="left"/>', '<w:sz w:val="18"/>'),
        _style("RdAssembly", "Resdiff General Assembly", '<w:ind w:firstLine="709"/>'),
        _style("RdPreambular", "Resdiff Preambular", '<w:ind w:firstLine="709"/>'),
        _style("RdOperative", "Resdiff Operative", '<w:ind w:firstLine="709"/>'),
        _style("RdSub1", "Resdiff Sub-item 1", '<w:ind w:left="1276" w:hanging="567"/>'),
        _style("RdSub2", "Resdiff Sub-item 2", '<w:ind w:left="1843" w:hanging="567"/>'),
        _style("RdSub3", "Resdiff Sub-item 3", '<w:ind w:left="2410" w:hanging="567"/>'),
        _style("RdAnnex", "Resdiff Annex"),
        _style("FootnoteText", "footnote text", '<w:spacing w:after="0"/>', '<w:sz w:val="16"/>'),
        _style(
            "FootnoteReference",
            "footnote reference",
            rpr='<w:vertAlign w:val="superscript"/>',
            kind="character",
        ),
        _style("CommentText", "annotation text", rpr='<w:sz w:val="18"/>'),
        _style(
            "CommentReference", "annotation reference", rpr='<w:sz w:val="16"/>', kind="character"
        ),
    ]
    return (
        f'{XML_DECL}<w:styles xmlns:w="{W_NS}">'
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
        'w:eastAsia="Times New Roman" w:cs="Times New Roman"/>'
        '<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-GB"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>"
        f"{''.join(styles)}</w:styles>"
    )


def package(parts: dict[str, str]) -> bytes:
    """The ZIP of ``parts`` (name → XML text), entries sorted, timestamps fixed."""
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0  # same bytes whatever OS wrote them
            zf.writestr(info, parts[name].encode("utf-8"))
    return buf.getvalue()


# --- the paragraph stream and its serialisation ---------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """Text (or a footnote reference) with its revision state."""

    text: str
    op: SpanOp
    italic: bool = False
    note: int = 0  # footnote id when this run is a footnote reference
    # A comment's anchor instead of text: ("start" | "end", comment id).
    comment: tuple[str, int] | None = None


@dataclass(slots=True)
class Para:
    """One w:p: its style, its runs, and the revision state of its paragraph mark."""

    style: str
    runs: list[Run] = field(default_factory=list)
    mark: SpanOp = EQ


class XmlWriter:
    """Serialises paragraphs; owns the revision id counter and the author/date attributes."""

    def __init__(self, author: str, when: datetime) -> None:
        self.rev = f" w:author={attr(author)} w:date={attr(when.strftime('%Y-%m-%dT%H:%M:%SZ'))}"
        self.next_id = 1

    def _mark(self, op: SpanOp) -> str:
        if op is EQ:
            return ""
        self.next_id += 1
        tag = "w:ins" if op is INS else "w:del"
        return f'<w:rPr><{tag} w:id="{self.next_id - 1}"{self.rev}/></w:rPr>'

    @staticmethod
    def _run(run: Run) -> str:
        if run.comment is not None:
            edge, cid = run.comment
            if edge == "start":
                return f'<w:commentRangeStart w:id="{cid}"/>'
            return (
                f'<w:commentRangeEnd w:id="{cid}"/>'
                '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                f'<w:commentReference w:id="{cid}"/></w:r>'
            )
        rpr = "<w:i/>" if run.italic else ""
        if run.note:
            return (
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{run.note}"/></w:r>'
            )
        tag = "w:delText" if run.op is DEL else "w:t"
        body = []
        for piece in _CONTROL.split(xml_safe(run.text)):
            if piece == "\t":
                body.append("<w:tab/>")
            elif piece in ("\n", "\r", "\r\n"):
                body.append("<w:br/>")
            elif piece:
                body.append(f'<{tag} xml:space="preserve">{text(piece)}</{tag}>')
        if not body:
            return ""
        return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{''.join(body)}</w:r>"

    def runs(self, runs: list[Run]) -> str:
        out: list[str] = []
        k = 0
        while k < len(runs):
            op = runs[k].op
            j = k
            while j < len(runs) and runs[j].op is op:
                j += 1
            inner = "".join(self._run(r) for r in runs[k:j])
            if inner and op is not EQ:
                tag = "w:ins" if op is INS else "w:del"
                inner = f'<{tag} w:id="{self.next_id}"{self.rev}>{inner}</{tag}>'
                self.next_id += 1
            out.append(inner)
            k = j
        return "".join(out)

    def para(self, para: Para) -> str:
        ppr = f'<w:pPr><w:pStyle w:val="{para.style}"/>{self._mark(para.mark)}</w:pPr>'
        return f"<w:p>{ppr}{self.runs(para.runs)}</w:p>"


SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1440" w:right="1247" w:bottom="1440" w:left="1247" '
    'w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>'
)


def footnotes_xml(notes: list[tuple[int, list[Run]]], xml: XmlWriter) -> str:
    """word/footnotes.xml: the separators, then each (Word id, runs) note."""
    sep = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
    )
    body = []
    for wid, note in notes:
        runs = xml.runs([Run(" ", EQ), *note])
        body.append(
            f'<w:footnote w:id="{wid}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f"{runs}</w:p></w:footnote>"
        )
    return f'{XML_DECL}<w:footnotes xmlns:w="{W_NS}">{sep}{"".join(body)}</w:footnotes>'


def comments_xml(comments: list[tuple[int, str, str]], author: str, when: datetime) -> str:
    """word/comments.xml: each (id, bold tag, text) a comment by ``author`` at ``when``."""
    stamp = attr(when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    initials = attr("".join(w[0] for w in author.split()[:3]).upper() or "R")
    body = []
    for cid, tag, note in comments:
        runs = f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text(tag)}: </w:t></w:r>'
        runs += f'<w:r><w:t xml:space="preserve">{text(note)}</w:t></w:r>'
        body.append(
            f'<w:comment w:id="{cid}" w:author={attr(author)} w:date={stamp} w:initials={initials}>'
            f'<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>{runs}</w:p></w:comment>'
        )
    return f'{XML_DECL}<w:comments xmlns:w="{W_NS}">{"".join(body)}</w:comments>'
