"""Builds DOCX fixtures in code (zipfile + WordprocessingML strings) and the sample resolution they carry.

No binary fixture is committed: each test lays out real paragraphs of A/RES/76/177
as a delegation's Word draft would (header lines, italic lead runs, numbered
operative paragraphs, footnotes, tracked changes) and zips them here.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from resdiff.model import Document

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ids = itertools.count(100)

# --- the sample: real paragraphs of A/RES/76/177 -----------------------------------

HEADER = (
    "General Assembly",
    "Distr.: Limited",
    "28 October 2021",
    "Original: English",
    "Seventy-sixth session",
    "Third Committee",
    "Agenda item 74 (c)",
    "Promotion and protection of human rights: human rights situations and reports "
    "of special rapporteurs and representatives",
    "Australia, Austria, Belgium, Micronesia (Federated States of), United Kingdom of "
    "Great Britain and Northern Ireland and United States of America: draft resolution",
    "Situation of human rights in the Democratic People’s Republic of Korea",
)


@dataclass(frozen=True)
class Sample:
    """One unit of the sample: lead (italic), the rest, footnote numbers cited at its end."""

    lead: str
    rest: str
    notes: tuple[int, ...] = ()
    subs: tuple[str, ...] = field(default=())  # sub-items (a), (b)... of an operative paragraph

    @property
    def text(self) -> str:
        return f"{self.lead} {self.rest}".strip() if self.lead else self.rest


PREAMBLE = (
    Sample(
        "Reaffirming",
        "that all States have an obligation to promote and protect human rights and "
        "fundamental freedoms and to fulfil the obligations that they have undertaken "
        "under the various international instruments,",
    ),
    Sample(
        "Recalling",
        "all previous resolutions adopted by the General Assembly, the Commission on Human "
        "Rights and the Human Rights Council on the situation of human rights in the "
        "Democratic People’s Republic of Korea, including Assembly resolution 75/190 of "
        "16 December 2020 and Council resolution 46/17 of 23 March 2021,",
        (1,),
    ),
    Sample(
        "Deeply concerned",
        "at the grave human rights situation, the pervasive culture of impunity and the lack "
        "of accountability for human rights violations and abuses in the Democratic "
        "People’s Republic of Korea,",
    ),
    Sample(
        "Reiterating",
        "the importance of following up on the recommendations contained in the report of "
        "the commission of inquiry on human rights in the Democratic People’s Republic of "
        "Korea,",
        (2,),
    ),
)

OPERATIVE = (
    Sample(
        "Condemns",
        "in the strongest terms the long-standing and ongoing systematic, widespread and "
        "gross violations of human rights in and by the Democratic People’s Republic of "
        "Korea, and the continuing impunity for such violations;",
    ),
    Sample(
        "Expresses",
        "its very serious concern about:",
        subs=(
            "The persistence of continuing reports of violations of human rights, including "
            "the detailed findings made by the commission of inquiry in its report;",
            "The continued refusal of the Government of the Democratic People’s Republic of "
            "Korea to extend an invitation to the Special Rapporteur;",
            "The continued lack of acknowledgement by the Government of the grave human "
            "rights situation in the country;",
        ),
    ),
    Sample(
        "Condemns",
        "the systematic abduction, denial of repatriation and subsequent enforced "
        "disappearance of persons, including those from other countries, on a large scale "
        "and as a matter of State policy;",
        (3,),
    ),
    Sample("Decides", "to remain seized of the matter."),
)

FOOTNOTES = {
    1: "See Official Records of the General Assembly, Seventy-sixth Session, Supplement "
    "No. 53 (A/76/53), chap. V, sect. A.",
    2: "A/HRC/25/63.",
    3: "A/76/242.",
}

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def sample_blocks() -> list[tuple[str, str, tuple[int, ...]]]:
    """What any format's parser should give for the sample: (block text, italic lead, refs)."""
    out = [(s.text, s.lead, s.notes) for s in PREAMBLE]
    for i, s in enumerate(OPERATIVE, 1):
        out.append((f"{i}. {s.text}", s.lead, s.notes))
        out.extend((f"({LETTERS[j]}) {sub}", "", ()) for j, sub in enumerate(s.subs))
    return out


SAMPLE_LABELS = [
    "PP1",
    "PP2",
    "PP3",
    "PP4",
    "OP1",
    "OP2",
    "OP2(a)",
    "OP2(b)",
    "OP2(c)",
    "OP3",
    "OP4",
]


# --- WordprocessingML pieces --------------------------------------------------------


def t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


def run(text: str = "", *, italic: bool = False, style: str | None = None, extra: str = "") -> str:
    """A run; ``extra`` is raw run content appended after the text (tabs, references...)."""
    props = ""
    if italic or style:
        props = "<w:rPr>"
        if style:
            props += f'<w:rStyle w:val="{style}"/>'
        if italic:
            props += "<w:i/>"
        props += "</w:rPr>"
    body = t(text) if text else ""
    return f"<w:r>{props}{body}{extra}</w:r>"


def note_ref(note_id: int) -> str:
    return (
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        f'<w:footnoteReference w:id="{note_id}"/></w:r>'
    )


def _rev(tag: str) -> str:
    return f'<w:{tag} w:id="{next(_ids)}" w:author="Delegation" w:date="2022-10-20T10:00:00Z">'


def ins(*runs: str) -> str:
    return _rev("ins") + "".join(runs) + "</w:ins>"


def dele(text: str, *, italic: bool = False) -> str:
    """A deleted run: its text is w:delText, as Word writes it."""
    rpr = "<w:rPr><w:i/></w:rPr>" if italic else ""
    return (
        _rev("del")
        + f'<w:r>{rpr}<w:delText xml:space="preserve">{escape(text)}</w:delText></w:r>'
        + "</w:del>"
    )


def move_from(text: str) -> str:
    return (
        _rev("moveFrom")
        + f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:moveFrom>'
    )


def move_to(text: str) -> str:
    return _rev("moveTo") + run(text) + "</w:moveTo>"


def para(
    *content: str,
    style: str | None = None,
    num: tuple[int, int] | None = None,
    mark: str | None = None,
) -> str:
    """A paragraph; ``num`` = (numId, ilvl) for Word numbering; ``mark`` = "ins"/"del" on its mark."""
    ppr = ""
    if style or num or mark:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        if mark:
            ppr += f"<w:rPr>{_rev(mark)[:-1]}/></w:rPr>"
        ppr += "</w:pPr>"
    return f"<w:p>{ppr}{''.join(content)}</w:p>"


def table(rows: list[list[str]]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{para(run(c))}</w:tc>" for c in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl><w:tblPr/>{cells}</w:tbl>"


# --- parts ---------------------------------------------------------------------------

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
<w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="SingleTxtG"><w:name w:val="_ Single Txt_G"/>
<w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="OPNum"><w:name w:val="OP numbered"/>
<w:basedOn w:val="SingleTxtG"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Emphasis"><w:name w:val="Emphasis"/><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="character" w:styleId="LeadItalic"><w:name w:val="Lead"/>
<w:basedOn w:val="Emphasis"/></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
</w:styles>"""

# Operative paragraphs "1." with sub-items "(a)" and "(i)", as UN drafts number them.
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/>
<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"""


def footnotes_xml(notes: dict[int, str]) -> str:
    body = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
        f"<w:r><w:tab/></w:r>{run(text)}</w:p></w:footnote>"
        for n, text in notes.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:footnote>{body}</w:footnotes>"
    )


def document_xml(body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}'
        '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>'
    )


def header_xml(*lines: str) -> str:
    paras = "".join(para(run(line)) for line in lines)
    return f'<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{W_NS}">{paras}</w:hdr>'


def build_docx(
    body: str,
    *,
    footnotes: dict[int, str] | None = None,
    styles: str | None = STYLES,
    numbering: str | None = NUMBERING,
    headers: tuple[str, ...] = (),
    extra: dict[str, bytes | str] | None = None,
    document: str | None = None,
) -> bytes:
    """Zip a package: ``body`` is the inside of w:body; ``document`` replaces document.xml whole."""
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": document if document is not None else document_xml(body),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
            'openxmlformats.org/package/2006/metadata/core-properties"/>'
        ),
    }
    rels = []
    if styles is not None:
        parts["word/styles.xml"] = styles
        rels.append(("styles", "styles.xml"))
    if numbering is not None:
        parts["word/numbering.xml"] = numbering
        rels.append(("numbering", "numbering.xml"))
    if footnotes is not None:
        parts["word/footnotes.xml"] = footnotes_xml(footnotes)
        rels.append(("footnotes", "footnotes.xml"))
    for i, h in enumerate(headers, 1):
        parts[f"word/header{i}.xml"] = h
        rels.append(("header", f"header{i}.xml"))
    parts["word/_rels/document.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target={quoteattr(target)}/>'
            for i, (kind, target) in enumerate(rels, 10)
        )
        + "</Relationships>"
    )
    parts.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return buf.getvalue()


def sample_body(*, auto_numbering: bool = True) -> str:
    """The sample as a delegation's draft: header lines, italic leads, numbered OPs, footnotes."""
    out = [para(run(line), style="Heading1" if i == 0 else None) for i, line in enumerate(HEADER)]
    out.append(para(run("The General Assembly,", italic=True)))
    for s in PREAMBLE:
        refs = "".join(note_ref(n) for n in s.notes)
        out.append(para(run(s.lead, style="LeadItalic"), run(" " + s.rest), refs))
    for i, s in enumerate(OPERATIVE, 1):
        refs = "".join(note_ref(n) for n in s.notes)
        if auto_numbering:
            out.append(para(run(s.lead, italic=True), run(" " + s.rest), refs, style="OPNum"))
        else:
            out.append(
                para(
                    run(f"{i}.", extra="<w:tab/>"),
                    run(s.lead, italic=True),
                    run(" " + s.rest),
                    refs,
                )
            )
        for j, sub in enumerate(s.subs):
            if auto_numbering:
                out.append(para(run(sub), num=(1, 1)))
            else:
                out.append(para(run(f"({'abcdefgh'[j]})", extra="<w:tab/>"), run(sub)))
    return "".join(out)


def sample_docx(*, auto_numbering: bool = True) -> bytes:
    return build_docx(sample_body(auto_numbering=auto_numbering), footnotes=FOOTNOTES)


# --- a parsed Document laid out again as a Word draft (corpus round trips) ----------


def enumerator(label: str) -> str:
    """The printed number of a unit: "12." for OP12, "(iv)" for OP2(a)(iv), "" for PP3."""
    if "(" in label:
        return label[label.rindex("(") :]
    return "" if label.startswith("PP") else label[2:] + "."


def unit_runs(text: str, lead: str) -> list[tuple[str, bool]]:
    """A unit's text as (text, italic) runs, its lead words in italics as drafts print them."""
    if lead and text.startswith(lead):
        return [(lead, True), (text[len(lead) :], False)]
    return [(text, False)]


def document_to_docx(doc: Document, *, auto_numbering: bool = False) -> bytes:
    """Lay ``doc`` out as a Word draft: literal enumerators, or Word list numbering by depth."""
    out = [para(run("General Assembly")), para(run(doc.metadata.title or "Draft resolution"))]
    out.append(para(run("The General Assembly,", italic=True)))
    for u in doc.units:
        runs = [run(t, italic=i) for t, i in unit_runs(u.text, u.lead) if t]
        refs = "".join(note_ref(n) for n in u.footnotes)
        if u.label.startswith("PP") and u.depth == 0:
            out.append(para(*runs, refs))
        elif auto_numbering and u.label.startswith("OP"):
            out.append(para(*runs, refs, num=(1, u.depth)))
        else:
            out.append(para(run(enumerator(u.label), extra="<w:tab/>"), *runs, refs))
    return build_docx("".join(out), footnotes={f.number: f.text for f in doc.footnotes})


def renumbered(
    doc: Document,
) -> tuple[list[tuple[str, str, str, tuple[int, ...]]], list[tuple[int, str]]]:
    """Units and footnotes as Word shows them: notes numbered by order of first citation."""
    order: dict[int, int] = {}
    for u in doc.units:
        for n in u.footnotes:
            order.setdefault(n, len(order) + 1)
    texts = {f.number: f.text for f in doc.footnotes}
    units = [(u.label, u.lead, u.text, tuple(order[n] for n in u.footnotes)) for u in doc.units]
    notes = sorted((new, texts[old]) for old, new in order.items() if old in texts)
    return units, notes
