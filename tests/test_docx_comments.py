"""Review notes as Word comments in the tracked DOCX: the comments part, each comment
anchored on the tracked runs of its change, and LibreOffice reading them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from test_docx_tracked import libreoffice_convert, view
from test_render_footnotes import _docs

from resdiff.compare import compare
from resdiff.model import Comparison
from resdiff.render.docx_tracked import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NEW_LANGUAGE = ("New language", "“subsequent” is in no earlier adopted resolution.")
AGREED = ("Agreed language", "since A/RES/1/1 (2000) & <all> of them")


def _cmp() -> tuple[Comparison, int, int]:
    old, new = _docs()
    c = compare(old, new)
    pp1 = next(k for k, p in enumerate(c.pairs) if p.new == ("PP1",))
    op1 = next(k for k, p in enumerate(c.pairs) if p.new == ("OP1",))
    return c, pp1, op1


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _between(body: ET.Element, cid: str) -> tuple[str, list[str]]:
    """Text inside comment ``cid``'s range (inserted text as is, deleted text too) and
    the revision tags met there."""
    inside, text, revs = False, [], []
    for el in body.iter():
        tag = el.tag.removeprefix(W)
        if tag == "commentRangeStart" and el.get(f"{W}id") == cid:
            inside = True
        elif tag == "commentRangeEnd" and el.get(f"{W}id") == cid:
            break
        elif inside and tag in ("t", "delText"):
            text.append(el.text or "")
        elif inside and tag in ("ins", "del"):
            revs.append(tag)
    return "".join(text), revs


def test_each_note_is_a_comment_anchored_at_its_change() -> None:
    c, pp1, op1 = _cmp()
    data = render_docx(c, comments={pp1: [NEW_LANGUAGE], op1: [AGREED]})
    parts = _parts(data)
    assert b"/word/comments.xml" in parts["[Content_Types].xml"]
    assert b'Target="comments.xml"' in parts["word/_rels/document.xml.rels"]
    notes = ET.fromstring(parts["word/comments.xml"])
    comments = notes.findall(f"{W}comment")
    said = {c.get(f"{W}id"): "".join(t.text or "" for t in c.iter(f"{W}t")) for c in comments}
    assert sorted(said.values()) == sorted(f"{a}: {b}" for a, b in (NEW_LANGUAGE, AGREED))
    assert all(c.get(f"{W}author") == "resdiff" and c.get(f"{W}date") for c in comments)
    body = ET.fromstring(parts["word/document.xml"])
    for cid in said:
        for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
            found = [e for e in body.iter(f"{W}{tag}") if e.get(f"{W}id") == cid]
            assert len(found) == 1, (cid, tag)
    by_text = {v.split(":")[0]: k for k, v in said.items()}
    # The new-language note spans PP1's change, and nothing of OP1.
    text, revs = _between(body, by_text["New language"])
    assert "later" in text and "subsequent" in text and "Decides" not in text
    assert "ins" in revs and "del" in revs
    # OP1's only change is its added footnote reference: the comment holds it.
    _, revs = _between(body, by_text["Agreed language"])
    assert revs == ["ins"]
    xml = parts["word/comments.xml"].decode()
    assert "&amp; &lt;all&gt;" in xml  # escaped


def test_comments_change_no_text() -> None:
    c, pp1, op1 = _cmp()
    plain = render_docx(c)
    noted = render_docx(c, comments={pp1: [NEW_LANGUAGE, AGREED], op1: [AGREED]})
    for mode in ("accept", "reject"):
        assert view(noted, mode) == view(plain, mode)
    assert "word/comments.xml" not in _parts(plain)


def test_libreoffice_reads_the_comments_at_their_change(tmp_path: Path) -> None:
    c, pp1, op1 = _cmp()
    src = tmp_path / "review.docx"
    src.write_bytes(render_docx(c, comments={pp1: [NEW_LANGUAGE], op1: [AGREED]}))
    flat = libreoffice_convert(src, "fodt").read_text(encoding="utf-8")
    notes = re.findall(r"<office:annotation .*?</office:annotation>", flat, re.S)
    texts = [re.sub(r"<[^>]+>|\s+", "", n) for n in notes]
    assert len(notes) == 2
    assert any("Newlanguage:“subsequent”" in t for t in texts)
    assert any("Agreedlanguage:sinceA/RES/1/1(2000)&amp;&lt;all&gt;" in t for t in texts)
    # Each comment's range closes in the paragraph of its change.
    ends = re.findall(r'<office:annotation-end office:name="[^"]+"/>([^<]*)', flat)
    assert len(ends) == 2 and "resolutions," in [e.strip() for e in ends]
