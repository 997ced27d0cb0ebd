"""DOCX with tracked changes: accepting all gives the draft, rejecting all the adopted text, in Word XML and LibreOffice."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from comparison_fixtures import (
    NEW_META,
    OLD_META,
    build_comparison,
    comparisons,
    dprk_comparison,
    hostile_comparison,
    make_pair,
)
from conftest import SEED, SERIES, not_run
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiff.compare import compare
from resdiff.ingest import parse_bytes, parse_file
from resdiff.model import Comparison, Document, Metadata, Pair, PairKind, Span, SpanOp, Unit
from resdiff.model import UnitKind as K
from resdiff.render.docx_tracked import render_docx, unit_prefix

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REPO = Path(__file__).resolve().parents[1]
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

REAL_PAIRS = [
    ("A_RES_76_177.txt", SEED),
    ("A_RES_79_171.txt", SERIES / "A_C.3_80_L.41.txt"),
    ("A_RES_79_147.txt", SERIES / "A_C.3_80_L.5.txt"),
]


# --- an independent accept/reject reader over word/document.xml --------------------------


def _part(data: bytes, name: str) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return ET.fromstring(zf.read(name))


def _collect(el: ET.Element, mode: str, out: list[str]) -> None:
    for child in el:
        tag = child.tag.removeprefix(W)
        if tag in ("ins", "moveTo") and mode != "accept":
            continue
        if tag in ("del", "moveFrom") and mode != "reject":
            continue
        if tag in ("t", "delText"):
            # A deleted run must use delText, an inserted/plain one t: Word drops the other.
            assert (tag == "delText") == (el.tag == f"{W}r" and _in_del(child)), tag
            out.append(child.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag == "br":
            out.append("\n")
        elif tag != "pPr":
            _collect(child, mode, out)


_PARENTS: dict[ET.Element, ET.Element] = {}


def _in_del(el: ET.Element) -> bool:
    node: ET.Element | None = el
    while node is not None:
        if node.tag == f"{W}del":
            return True
        node = _PARENTS.get(node)
    return False


def view(data: bytes, mode: str) -> list[str]:
    """Paragraph texts after accepting (or rejecting) every change, marks included."""
    root = _part(data, "word/document.xml")
    _PARENTS.clear()
    _PARENTS.update({c: p for p in root.iter() for c in p})
    paras: list[str] = []
    buf: list[str] = []
    body = root.find(f"{W}body")
    assert body is not None
    ps = [p for p in body if p.tag == f"{W}p"]
    for k, p in enumerate(ps):
        _collect(p, mode, buf)
        mark = p.find(f"{W}pPr/{W}rPr")
        kept = True
        if mark is not None and mark.find(f"{W}ins") is not None:
            kept = mode == "accept"
        if mark is not None and mark.find(f"{W}del") is not None:
            kept = mode == "reject"
        assert kept or k < len(ps) - 1, "the last paragraph mark cannot be tracked"
        if kept:
            paras.append("".join(buf))
            buf = []
    return paras


def printed(doc: Document) -> list[str]:
    """Each unit as the DOCX prints it: number/enumerator and tab, then the text."""
    out = []
    for u in doc.units:
        text = _ILLEGAL.sub("", u.text).replace("\r\n", "\n").replace("\r", "\n")
        prefix = unit_prefix(u.label)
        out.append(f"{prefix}\t{text}" if prefix else text)
    return out


def heading_count(cmp: Comparison) -> int:
    new, old = cmp.new.metadata, cmp.old.metadata
    return (1 if new.symbol or old.symbol else 0) + 2 + (1 if cmp.pairs else 0)


def check_views(cmp: Comparison) -> bytes:
    data = render_docx(cmp)
    h = heading_count(cmp)
    accepted, rejected = view(data, "accept"), view(data, "reject")
    assert accepted[h:] == printed(cmp.new)
    assert rejected[h:] == printed(cmp.old)
    # The heading: each version's own symbol and title (tracked), the notes the same.
    new, old = cmp.new.metadata, cmp.old.metadata

    def shown(text: str | None) -> str:  # as Word holds it: characters XML forbids dropped
        return _ILLEGAL.sub("", text or "")

    sym = 1 if new.symbol or old.symbol else 0
    if sym:
        assert (accepted[0], rejected[0]) == (shown(new.symbol), shown(old.symbol))
    untitled = "Untitled" if not (new.title or old.title) else ""
    assert accepted[sym] == (shown(new.title) or untitled)
    assert rejected[sym] == (shown(old.title) or untitled)
    assert accepted[sym + 1 : h] == rejected[sym + 1 : h]
    return data


# --- accept gives the draft, reject the adopted text --------------------------------------


@pytest.mark.parametrize(("old", "new"), REAL_PAIRS, ids=["76-177", "L.41", "L.5"])
def test_real_pairs_accept_and_reject(shared_corpus: Path, old: str, new: Path) -> None:
    cmp = compare(parse_file(SERIES / old), parse_file(new))
    data = check_views(cmp)
    # Second opinion: resdiff's own DOCX reader sees the same units in both views.
    for mode, doc in (("accept", cmp.new), ("reject", cmp.old)):
        back = parse_bytes(data, "tracked.docx", revisions=mode)  # type: ignore[arg-type]
        assert [u.text for u in back.units] == [u.text for u in doc.units]
        assert back.source is not None and back.source.revision_count > 0
    accepted = parse_bytes(data, "tracked.docx", revisions="accept")
    assert [u.label for u in accepted.units] == [u.label for u in cmp.new.units]
    assert [f.text for f in accepted.footnotes] == [f.text for f in cmp.new.footnotes]


def test_every_pair_kind() -> None:
    cmp = dprk_comparison()
    assert {p.kind for p in cmp.pairs} == set(PairKind)
    data = check_views(cmp)
    doc = _part(data, "word/document.xml")
    # The move shows as a deletion at the old place and an insertion at the new one.
    deleted = ["".join(t.text or "" for t in d.iter(f"{W}delText")) for d in doc.iter(f"{W}del")]
    assert any("Encourages the continuing endeavours" in d for d in deleted)


def _synthetic(pairs: list[Pair], old_order: list[str], new_order: list[str]) -> Comparison:
    return build_comparison(pairs, old_order, new_order, old_meta=OLD_META, new_meta=NEW_META)


A = "Recalling its resolution 75/190 of 16 December 2020,"
B = "Noting with concern the situation,"
C = "Urges all States to cooperate;"
D = "Decides to remain seized of the matter."


def test_moves_at_both_ends_and_whole_document_changes() -> None:
    U, M, AD, RM = PairKind.UNCHANGED, PairKind.MOVED, PairKind.ADDED, PairKind.REMOVED
    cases = [
        # first unit moved to the end (trailing insertion: tracked marks rotate up)
        (
            [
                make_pair(U, [("OP2", B)], [("OP1", B)], renumbered=True),
                make_pair(U, [("OP3", C)], [("OP2", C)], renumbered=True),
                make_pair(M, [("OP1", A)], [("OP3", A)], renumbered=True),
            ],
            ["OP1", "OP2", "OP3"],
            ["OP1", "OP2", "OP3"],
        ),
        # everything removed and replaced: no anchor at all
        (
            [make_pair(AD, [], [("OP1", C)]), make_pair(RM, [("OP1", D)], [])],
            ["OP1"],
            ["OP1"],
        ),
        # last unit removed, a unit added at the end
        (
            [
                make_pair(U, [("PP1", A)], [("PP1", A)]),
                make_pair(RM, [("OP1", D)], []),
                make_pair(AD, [], [("OP1", C)]),
            ],
            ["PP1", "OP1"],
            ["PP1", "OP1"],
        ),
        # merged then split, with sub-items renumbered
        (
            [
                make_pair(PairKind.MERGED, [("PP1", A), ("PP2", B)], [("PP1", A + " " + B)]),
                make_pair(
                    PairKind.SPLIT,
                    [("OP1(a)", C + " " + D)],
                    [("OP1(a)", C), ("OP1(b)", D)],
                ),
                make_pair(PairKind.CHANGED, [("OP1(b)", B)], [("OP1(c)", B + " now")]),
            ],
            ["PP1", "PP2", "OP1(a)", "OP1(b)"],
            ["PP1", "OP1(a)", "OP1(b)", "OP1(c)"],
        ),
    ]
    for pairs, old_order, new_order in cases:
        check_views(_synthetic(pairs, old_order, new_order))


def test_renumbering_and_added_paragraph_marks_are_tracked() -> None:
    cmp = dprk_comparison()  # OP6 → OP7 renumbered; OP6 added
    doc = _part(render_docx(cmp), "word/document.xml")
    dels = [t.text for t in doc.iter(f"{W}delText")]
    inss = [t.text for i in doc.iter(f"{W}ins") for t in i.iter(f"{W}t")]
    assert "6." in dels and "7." in inss
    marks = [
        (
            p.find(f"{W}pPr/{W}rPr/{W}ins") is not None,
            "".join(t.text or "" for t in p.iter(f"{W}t")),
        )
        for p in doc.iter(f"{W}p")
    ]
    assert any(ins and text.startswith("6.Urges the Government") for ins, text in marks)


def test_typographic_variants_are_del_plus_ins() -> None:
    pair = Pair(
        PairKind.UNCHANGED,
        ("PP1",),
        ("PP1",),
        (
            Span(SpanOp.EQUAL, "Noting the "),
            Span(SpanOp.EQUAL, "“report”", old_text='"report"'),
            Span(SpanOp.EQUAL, " of the ", old_text=" of the "),  # identical: not tracked
            Span(SpanOp.EQUAL, "Secretary‑General,", old_text="Secretary-General,"),
        ),
    )
    cmp = _synthetic([pair], ["PP1"], ["PP1"])
    data = check_views(cmp)
    doc = _part(data, "word/document.xml")
    # (the first deletion and insertion are the heading's symbols, A/RES/75/190 -> the draft's)
    dels = [t.text for t in doc.iter(f"{W}delText")]
    assert dels == [OLD_META.symbol, '"report"', "Secretary-General,"]
    assert len(list(doc.iter(f"{W}ins"))) == 3


def test_hostile_text_is_escaped_and_illegal_characters_dropped() -> None:
    evil = 'Urges <b>all</b> & "every" State\x00\x01\x0b\ufffe to act; x < y\tz\r\nnext'
    pair = make_pair(PairKind.CHANGED, [("OP1", "Urges all States to act;")], [("OP1", evil)])
    cmp = _synthetic([pair], ["OP1"], ["OP1"])
    data = check_views(cmp)
    accepted = view(data, "accept")[-1]
    assert accepted == '1.\tUrges <b>all</b> & "every" State to act; x < y\tz\nnext'
    check_views(hostile_comparison())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            ET.fromstring(zf.read(name))  # every part is well-formed


def test_lead_words_are_italic_runs() -> None:
    doc = _part(render_docx(dprk_comparison()), "word/document.xml")
    italic = [
        "".join(t.text or "" for t in r.iter(f"{W}t"))
        for r in doc.iter(f"{W}r")
        if r.find(f"{W}rPr/{W}i") is not None
    ]
    assert "Reaffirming" in italic and "Noting with deep concern" in italic
    # only the lead is italic: the rest of the paragraph is not
    assert not any("obligation" in t for t in italic)


def test_package_parts_metadata_and_revision_attributes() -> None:
    cmp = dprk_comparison()
    data = render_docx(cmp, author="Delegation <X> & Y")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "word/footnotes.xml" in names
    settings_el = _part(data, "word/settings.xml")
    assert settings_el.find(f"{W}trackRevisions") is not None
    assert settings_el.find(f"{W}revisionView") is None
    core = _part(data, "docProps/core.xml")
    title = core.find("{http://purl.org/dc/elements/1.1/}title")
    assert title is not None
    assert (
        title.text
        == "A/RES/76/177 Situation of human rights in the Democratic People’s Republic of Korea"
    )
    doc = _part(data, "word/document.xml")
    revs = [e for e in doc.iter() if e.tag in (f"{W}ins", f"{W}del")]
    notes = _part(data, "word/footnotes.xml")
    revs += [e for e in notes.iter() if e.tag in (f"{W}ins", f"{W}del")]
    ids = [e.get(f"{W}id") for e in revs]
    assert len(ids) == len(set(ids)) > 10
    assert {e.get(f"{W}author") for e in revs} == {"Delegation <X> & Y"}
    assert {e.get(f"{W}date") for e in revs} == {"2022-01-10T00:00:00Z"}  # new distribution date
    later = render_docx(cmp, when=datetime(2025, 11, 7, 15, 30, tzinfo=UTC))
    assert b'w:date="2025-11-07T15:30:00Z"' in zipfile.ZipFile(io.BytesIO(later)).read(
        "word/document.xml"
    )
    # The footnote text is tracked against the old footnote (a routine session update).
    fn_text = "".join(t.text or "" for t in notes.iter(f"{W}t"))
    assert "Seventy-sixth Session" in fn_text and "Seventy-fifth" not in fn_text


def test_default_date_falls_back_to_old_then_2000() -> None:
    pair = make_pair(PairKind.CHANGED, [("OP1", C)], [("OP1", D)])
    undated = Metadata(symbol="A/C.3/80/L.1")
    for old_meta, stamp in (
        (Metadata(adoption_date=date(2024, 12, 17)), "2024-12-17T00:00:00Z"),
        (Metadata(), "2000-01-01T00:00:00Z"),
    ):
        cmp = build_comparison([pair], ["OP1"], ["OP1"], old_meta=old_meta, new_meta=undated)
        xml = zipfile.ZipFile(io.BytesIO(render_docx(cmp))).read("word/document.xml")
        assert f'w:date="{stamp}"'.encode() in xml


def test_deterministic_across_runs_and_hash_seeds() -> None:
    cmp = dprk_comparison()
    first = render_docx(cmp)
    assert render_docx(cmp) == first
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests');"
        "from comparison_fixtures import dprk_comparison;"
        "from resdiff.render.docx_tracked import render_docx;"
        "print(hashlib.sha256(render_docx(dprk_comparison())).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == hashlib.sha256(first).hexdigest()


def test_unit_prefix() -> None:
    assert unit_prefix("OP5") == "5."
    assert unit_prefix("PP3") == ""
    assert unit_prefix("OP18(a)(i)") == "(i)"
    assert unit_prefix("OP2(b)") == "(b)"
    assert unit_prefix("II.OP3") == "3."
    assert unit_prefix("ANNEX4") == ""


def test_hundred_unit_pair_renders_fast(shared_corpus: Path) -> None:
    cmp = compare(parse_file(SERIES / "A_RES_79_171.txt"), parse_file(SERIES / "A_C.3_80_L.41.txt"))
    assert len(cmp.pairs) > 100
    render_docx(cmp)
    best = min(_timed(cmp) for _ in range(5))
    assert best < 0.1, f"{best * 1000:.0f} ms"


def _timed(cmp: Comparison) -> float:
    t = time.perf_counter()
    render_docx(cmp)
    return time.perf_counter() - t


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(comparisons())
def test_any_consistent_comparison_round_trips(cmp: Comparison) -> None:
    check_views(cmp)


VOCAB = ["Recalls", "Urges", "the", "human", "rights", "of", "and", "food", "2020", ",", ";", "."]
texts = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=8).map(" ".join)


def _doc(pps: list[str], ops: list[str]) -> Document:
    units = [Unit(f"PP{i}", K.PREAMBULAR, t, t.split(" ")[0]) for i, t in enumerate(pps, 1)]
    units += [Unit(f"OP{i}", K.OPERATIVE, t, t.split(" ")[0]) for i, t in enumerate(ops, 1)]
    return Document(Metadata(), tuple(units))


small_docs = st.builds(_doc, st.lists(texts, max_size=4), st.lists(texts, max_size=6))


@settings(max_examples=100, deadline=None)
@given(small_docs, small_docs)
def test_compare_of_small_random_documents_round_trips(old: Document, new: Document) -> None:
    check_views(compare(old, new))


# --- LibreOffice ----------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        not_run(
            "the DOCX checks need LibreOffice: soffice not found (apt-get install libreoffice-writer-nogui)"
        )
    return found


def libreoffice_convert(src: Path, to: str) -> Path:
    """``src`` converted by LibreOffice to the format ``to`` (pdf, fodt), beside it."""
    profile = (src.parent / "lo-profile").as_uri()  # per test: parallel runs never share one
    done = subprocess.run(
        [
            _soffice(),
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            to,
            "--outdir",
            str(src.parent),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = src.with_suffix(f".{to}")
    assert out.is_file(), done.stdout + done.stderr
    return out


def _pdf_text(docx: bytes, tmp_path: Path, name: str) -> str:
    import pypdfium2

    src = tmp_path / f"{name}.docx"
    src.write_bytes(docx)
    pdf_path = libreoffice_convert(src, "pdf")
    pdf = pypdfium2.PdfDocument(pdf_path)
    try:
        text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    # pdfium marks a hyphen where a line breaks after it ("asylum-\nseekers") as U+FFFE.
    return text.replace("\ufffe", "-")


def _words(value: str) -> list[str]:
    # Letters only: footnote references print as digits glued to the word or number
    # they follow ("Farming1", "55/197"), so digits cannot be told apart in a PDF.
    return re.findall(r"[^\W\d_]+", value)


def test_libreoffice_renders_the_draft(shared_corpus: Path, tmp_path: Path) -> None:
    """The accepted view (opened with markup hidden) prints every draft word, in order.

    LibreOffice shows deletions struck through by default, so the PDF of the default
    file holds both texts; ``markup=False`` asks it (and Word) to show the accepted
    text, which is what is compared word by word here. Words left over may only come
    from the heading, the footnotes and their reference numbers.
    """
    cmp = compare(parse_file(SERIES / "A_RES_79_171.txt"), parse_file(SERIES / "A_C.3_80_L.41.txt"))
    pdf_words = _words(_pdf_text(render_docx(cmp, markup=False), tmp_path, "accepted"))
    wanted = [w for line in printed(cmp.new) for w in _words(line)]
    k = 0
    leftover: list[str] = []
    for w in pdf_words:
        if k < len(wanted) and w == wanted[k]:
            k += 1
        else:
            leftover.append(w)
    assert k == len(wanted), f"draft word {k} ({wanted[k]!r}) missing from the PDF"
    allowed = Counter(_words(" ".join(f.text for f in cmp.new.footnotes)))
    allowed += Counter(_words(f"{cmp.new.metadata.symbol} {cmp.new.metadata.title}"))
    allowed += Counter(
        _words("Tracked changes against A/RES/79/171: accept all to read the draft.")
    )
    allowed += Counter(_words("The General Assembly,"))
    assert not Counter(leftover) - allowed


def test_libreoffice_shows_the_markup_by_default(tmp_path: Path) -> None:
    cmp = dprk_comparison()
    flat = re.sub(r"\s+", "", _pdf_text(render_docx(cmp), tmp_path, "markup"))
    # Both texts are visible: deleted words struck through next to the inserted ones.
    assert "7475/166190" in flat
    for doc in (cmp.old, cmp.new):
        it = iter(flat)
        assert all(ch in it for ch in re.sub(r"\s+", "", "".join(printed(doc))))
