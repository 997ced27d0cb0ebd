"""Footnotes in the tracked DOCX: references where the markers stand; rejecting every
change gives the old version's footnotes, accepting every change the new one's.

The accept/reject reader here is independent of the writer: it walks w:ins / w:del in
word/document.xml and word/footnotes.xml as Word's "Accept All" / "Reject All" would.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import SERIES
from test_render_footnotes import _docs

from resdiff.compare import compare
from resdiff.ingest import parse_file
from resdiff.model import Comparison, Document
from resdiff.render.docx_tracked import render_docx, unit_prefix

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(data: bytes, name: str) -> ET.Element | None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if name not in zf.namelist():
            return None
        return ET.fromstring(zf.read(name))


def _tokens(el: ET.Element, mode: str, out: list[str | int]) -> None:
    """Text and footnote ids (ints) of ``el`` once every change is accepted or rejected."""
    for child in el:
        tag = child.tag.removeprefix(W)
        if tag == "ins" and mode != "accept":
            continue
        if tag == "del" and mode != "reject":
            continue
        if tag in ("t", "delText"):
            out.append(child.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag == "br":
            out.append("\n")
        elif tag == "footnoteReference":
            out.append(int(child.get(f"{W}id", "0")))
        elif tag != "pPr":
            _tokens(child, mode, out)


def _paragraphs(parent: ET.Element, mode: str) -> list[list[str | int]]:
    """Paragraphs after accepting / rejecting, a deleted mark joining a paragraph to the next."""
    paras: list[list[str | int]] = []
    buf: list[str | int] = []
    for p in parent.iter(f"{W}p"):
        _tokens(p, mode, buf)
        mark = p.find(f"{W}pPr/{W}rPr")
        kept = True
        if mark is not None and mark.find(f"{W}ins") is not None:
            kept = mode == "accept"
        if mark is not None and mark.find(f"{W}del") is not None:
            kept = mode == "reject"
        if kept:
            paras.append(buf)
            buf = []
    return paras


def resolved(data: bytes, mode: str) -> list[str]:
    """Body paragraphs after "Accept All" / "Reject All", each footnote reference written
    as ``[its footnote's text after the same]``."""
    notes: dict[int, str] = {}
    root = _part(data, "word/footnotes.xml")
    if root is not None:
        for fn in root.findall(f"{W}footnote"):
            wid = int(fn.get(f"{W}id", "0"))
            if wid > 0:
                notes[wid] = "".join(
                    str(t) for p in _paragraphs(fn, mode) for t in p if isinstance(t, str)
                ).strip()
    body = _part(data, "word/document.xml")
    assert body is not None
    out = []
    for para in _paragraphs(body, mode):
        out.append("".join(t if isinstance(t, str) else f"[{notes[t]}]" for t in para))
    return out


def expected(doc: Document) -> list[str]:
    """Each unit as printed, each footnote's text in brackets where its marker stands
    (first citation of a footnote only, as in Word)."""
    texts = {f.number: f.text for f in doc.footnotes}
    seen: set[int] = set()
    out = []
    for u in doc.units:
        at = u.footnote_at or (len(u.text),) * len(u.footnotes)
        text, start = "", 0
        for x, n in zip(at, u.footnotes, strict=True):
            text += u.text[start:x]
            start = x
            if n in texts and n not in seen:
                seen.add(n)
                text += f"[{texts[n]}]"
        text += u.text[start:]
        prefix = unit_prefix(u.label)
        out.append(f"{prefix}\t{text}" if prefix else text)
    return out


def _check(cmp: Comparison) -> None:
    data = render_docx(cmp)
    accepted, rejected = resolved(data, "accept"), resolved(data, "reject")
    n_old, n_new = len(cmp.old.units), len(cmp.new.units)
    assert rejected[len(rejected) - n_old :] == expected(cmp.old)
    assert accepted[len(accepted) - n_new :] == expected(cmp.new)


def test_kept_removed_and_added_footnotes_round_trip() -> None:
    old, new = _docs()
    cmp = compare(old, new)
    _check(cmp)
    data = render_docx(cmp)
    notes = _part(data, "word/footnotes.xml")
    assert notes is not None
    # The removed footnote's text is a deletion, the added one's an insertion, the
    # kept one's edit tracked inside it.
    ids = {int(f.get(f"{W}id", "0")): f for f in notes.findall(f"{W}footnote")}
    dels = ["".join(t.text or "" for t in f.iter(f"{W}delText")) for f in ids.values()]
    ins = [
        "".join(t.text or "" for w in f.iter(f"{W}ins") for t in w.iter(f"{W}t"))
        for f in ids.values()
    ]
    assert "See A/55/PV.81, which records the vote." in dels
    assert "A report on the implementation of the present resolution." in ins
    assert any("fifth" in d for d in dels) and any("sixth" in i for i in ins)


REAL = [
    ("A_RES_75_190.txt", "A_RES_76_177.txt"),
    ("A_RES_72_188.txt", "A_RES_73_180.txt"),
    ("A_RES_79_171.txt", "A_C.3_80_L.41.txt"),
]


@pytest.mark.parametrize(("old", "new"), REAL, ids=[f"{a}__{b}" for a, b in REAL])
def test_real_pairs_footnotes_round_trip(old: str, new: str) -> None:
    cmp = compare(parse_file(SERIES / old), parse_file(SERIES / new))
    assert cmp.old.footnotes and cmp.new.footnotes
    _check(cmp)


def test_every_cited_footnote_is_in_its_version(tmp_path: Path) -> None:
    cmp = compare(parse_file(SERIES / "A_RES_75_190.txt"), parse_file(SERIES / "A_RES_76_177.txt"))
    data = render_docx(cmp)
    for mode, doc in (("reject", cmp.old), ("accept", cmp.new)):
        text = "\n".join(resolved(data, mode))
        cited = {n for u in doc.units for n in u.footnotes}
        for f in doc.footnotes:
            if f.number in cited:
                assert f"[{f.text}]" in text, (mode, f.number)


def test_libreoffice_shows_footnotes_tracked(tmp_path: Path) -> None:
    """LibreOffice opens the file: with markup, the removed footnote shows (struck) next
    to the added one; opened on the accepted text, only the new footnotes print."""
    from test_docx_tracked import _pdf_text

    old, new = _docs()
    cmp = compare(old, new)
    removed = "See A/55/PV.81, which records the vote."
    added = "A report on the implementation of the present resolution."
    marked = " ".join(_pdf_text(render_docx(cmp), tmp_path, "marked").split())
    assert removed in marked and added in marked
    assert "Fifty-fifth" in marked and "Fifty-sixth" in marked
    accepted = " ".join(_pdf_text(render_docx(cmp, markup=False), tmp_path, "accepted").split())
    assert removed not in accepted and "Fifty-fifth" not in accepted
    assert added in accepted and "Fifty-sixth Session." in accepted
