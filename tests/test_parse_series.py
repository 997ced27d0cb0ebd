"""Every text of the series folder: structure checks over all files, plus facts checked by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import BULK, SERIES

from resdiff.ingest.checks import lost_text, structure_problems
from resdiff.ingest.structure import build_document
from resdiff.ingest.text import parse_text, text_to_raw
from resdiff.model import DocKind, Document, Source, UnitKind

AMENDMENTS = {f"A_C.3_80_L.{n}.txt" for n in (56, 58, 63, 64, 65)}
FILES = sorted(SERIES.glob("*.txt"))
FULL = [p for p in FILES if p.name not in AMENDMENTS]


def _parse(path: Path) -> Document:
    return parse_text(path.read_text(encoding="utf-8"), Source(path.name, "text", ""))


def test_corpus_is_there(shared_corpus: Path) -> None:
    assert len(FILES) == 72
    assert len(FULL) == 67


@pytest.mark.parametrize("path", FULL, ids=lambda p: p.name)
def test_full_documents_pass_structure_checks(path: Path) -> None:
    doc = _parse(path)
    assert structure_problems(doc) == []
    assert any(u.kind is UnitKind.PREAMBULAR for u in doc.units)
    assert any(u.kind is UnitKind.OPERATIVE for u in doc.units)
    # every PP and OP of these human-rights texts has lead words
    for u in doc.units:
        if u.kind is not UnitKind.SUBITEM:
            assert u.lead and u.text.startswith(u.lead), (u.label, u.text[:60])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_text_lost(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    raw = text_to_raw(text, Source(path.name, "text", ""))
    assert lost_text(text, raw, build_document(raw)) == []


@pytest.mark.parametrize("path", [SERIES / n for n in sorted(AMENDMENTS)], ids=lambda p: p.name)
def test_amendments_parse_as_amendments(path: Path) -> None:
    doc = _parse(path)
    m = doc.metadata
    assert m.kind is DocKind.AMENDMENT
    assert m.draft_symbol is not None and m.draft_symbol.startswith("A/C.3/80/L.")
    assert doc.units and all(u.kind is UnitKind.OPERATIVE for u in doc.units)
    assert structure_problems(doc) == []


def test_a_res_76_177_by_hand() -> None:
    doc = _parse(SERIES / "A_RES_76_177.txt")
    m = doc.metadata
    assert m.symbol == "A/RES/76/177"
    assert m.kind is DocKind.RESOLUTION
    assert m.title == "Situation of human rights in the Democratic People’s Republic of Korea"
    assert m.adoption_date == date(2021, 12, 16)
    assert m.distribution_date == date(2022, 1, 10)
    assert m.agenda_item == "74 (c)"
    assert m.session == 76
    assert m.body == "Third Committee"
    assert m.meeting is not None and "A/76/462/Add.3, para. 34" in m.meeting
    assert "53rd plenary meeting" in m.meeting
    kinds = [u.kind for u in doc.units]
    assert kinds.count(UnitKind.PREAMBULAR) == 28
    assert kinds.count(UnitKind.OPERATIVE) == 26
    assert doc.unit("PP2").footnotes == (1,)
    assert doc.unit("PP2").text.endswith(
        "Council resolution 46/17 of 23 March 2021, and mindful "
        "of the need for the international community to "
        "strengthen its coordinated efforts aimed at achieving "
        "the implementation of those resolutions,"
    )
    # "Korea, 3" (a marker after a space) and "Women 8" are markers, not text
    pp6 = doc.unit("PP6")
    assert pp6.footnotes == (3, 4)
    assert "Korea, regretting" in pp6.text
    assert doc.unit("PP7").footnotes == (5, 6, 7, 8, 9)
    assert "Discrimination against Women and the Convention" in doc.unit("PP7").text
    # a paragraph cut by a page with a footnote zone in between is one unit
    assert "recalling also that the commission of inquiry urged" in doc.unit("PP5").text
    # the closing plenary line is metadata, not part of the last paragraph
    assert doc.unit("OP26").text.endswith("recommendations of the commission of inquiry.")
    assert [f.number for f in doc.footnotes] == list(range(1, 28))
    assert doc.footnotes[0].text.startswith("See Official Records of the General Assembly")
    assert doc.footnotes[0].text.endswith("(A/76/53), chap. V, sect. A.")


def test_year_glued_marker() -> None:
    # "34/24 of 24 March 201724" = 2017 + marker 24
    doc = _parse(SERIES / "A_RES_76_177.txt")
    op8 = doc.unit("OP8")
    assert 24 in op8.footnotes
    assert "24 March 2017" in op8.text and "201724" not in op8.text


def test_draft_sponsors_and_reissue() -> None:
    doc = _parse(SERIES / "A_C.3_80_L.20.txt")
    m = doc.metadata
    assert m.kind is DocKind.DRAFT
    assert m.symbol == "A/C.3/80/L.20"
    assert m.title == "Rights of the child"
    assert m.sponsors[0] == "Andorra"
    assert m.sponsors[-1] == "Venezuela (Bolivarian Republic of)"
    for name in (
        "Antigua and Barbuda",
        "Bosnia and Herzegovina",
        "Saint Kitts and Nevis",
        "Saint Vincent and the Grenadines",
        "Trinidad and Tobago",
        "Netherlands (Kingdom of the)",
        "Bolivia (Plurinational State of)",
    ):
        assert name in m.sponsors
    assert not any(
        " and " in s
        and s
        not in (
            "Antigua and Barbuda",
            "Bosnia and Herzegovina",
            "Saint Kitts and Nevis",
            "Saint Vincent and the Grenadines",
            "Trinidad and Tobago",
        )
        for s in m.sponsors
    )


def test_plenary_draft_and_amendment_target() -> None:
    doc = _parse(SERIES / "A_80_L.6.txt")
    assert doc.metadata.body == "Plenary"
    assert doc.metadata.kind is DocKind.DRAFT
    amend = _parse(SERIES / "A_C.3_80_L.56.txt")
    assert amend.metadata.draft_symbol == "A/C.3/80/L.2"
    assert amend.unit("OP1").text.startswith("After operative paragraph 3, insert")


@pytest.mark.parametrize("name", ["A_C.3_80_L.18", "A_C.3_80_L.22", "A_C.3_80_L.48"])
def test_a_committee_draft_without_its_committee_line_is_the_committees(name: str) -> None:
    # Their headers go from the agenda item to the sponsors with no "Third Committee"
    # line; they were filed as plenary drafts, so their series mixed two bodies.
    doc = _parse(BULK / f"{name}.txt")
    assert doc.metadata.symbol == name.replace("_", "/")
    assert doc.metadata.body == "Third Committee"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("A_C.6_80_L.11", "Strengthening and promoting the international treaty framework"),
        ("A_C.6_80_L.22", "Measures to eliminate international terrorism"),
        (
            "A_C.6_80_L.23",
            "Criminal accountability of United Nations officials and experts on mission",
        ),
    ],
)
def test_a_draft_naming_no_sponsor_has_the_title_under_draft_resolution(
    name: str, title: str
) -> None:
    # The Sixth Committee's drafts print "Draft resolution" alone above the title; it was
    # taken for the title, and the series of every such draft was guessed from its recitals.
    doc = _parse(BULK / f"{name}.txt")
    assert doc.metadata.title == title
    assert doc.metadata.kind is DocKind.DRAFT and doc.metadata.sponsors == ()


def test_a_sponsor_line_with_two_footnote_marks_is_the_sponsor_line() -> None:
    # "Iraq:*,** draft resolution": two marks (on behalf of the Group of 77 and China, and
    # a reissue note) after the colon. The line was taken for the title, so the draft
    # joined no series and its review asked for --against.
    doc = _parse(BULK / "A_80_L.23.txt")
    m = doc.metadata
    assert m.title == (
        "International cooperation on humanitarian assistance in the field of natural"
        " disasters, from relief to development"
    )
    assert m.sponsors == ("Iraq",) and m.on_behalf_of == ("Group of 77 and China",)
    assert m.kind is DocKind.DRAFT


@pytest.mark.parametrize(
    ("name", "title"),
    [
        # The header ends with the submitter's line: the title, if any, is not in it.
        ("A_80_L.41", None),
        ("A_C.4_80_L.15", None),
        ("A_C.5_80_L.22", None),
        # "Draft resolutions submitted by the Chair": the title follows.
        ("A_C.5_80_L.6", "Programme budget for 2026"),
    ],
)
def test_the_line_naming_who_submits_a_draft_is_never_its_title(
    name: str, title: str | None
) -> None:
    # "Draft decision submitted by the Bureau" was taken for the title whenever the symbol
    # had already said the document is a draft.
    m = _parse(BULK / f"{name}.txt").metadata
    assert m.title == title
    assert m.kind is DocKind.DRAFT


@pytest.mark.parametrize(
    ("name", "label", "end", "heading"),
    [
        # "I" above "Legislative activities", blank lines between
        ("A_C.6_80_L.10", "OP1", "on International Trade Law;", "Legislative activities"),
        ("A_C.6_80_L.10", "OP11", "between Vienna and New York;", "Travel assistance"),
        ("A_C.6_80_L.10", "OP13", "of Working Group III;", "Transparency repository"),
        # "VIII" above "Follow-up and implementation activities"
        (
            "A_RES_78_234",
            "OP46",
            "the Durban Review Conference;",
            "Follow-up and implementation activities",
        ),
        # "Part XIV", "Staff assessment", "Income section 2", "General income"
        ("A_C.5_80_L.4", "OP100", "of the Advisory Committee;", "General income"),
        # after a recital's comma and the page's running header, above "1. Welcomes"
        ("A_RES_78_322", "PP17", "beyond gross domestic product,", "Final report"),
    ],
)
def test_a_section_heading_is_not_glued_to_the_paragraph_before_it(
    name: str, label: str, end: str, heading: str
) -> None:
    _heading_stands_apart(name, label, end, heading, before=True)


def _heading_stands_apart(name: str, label: str, edge: str, heading: str, *, before: bool) -> None:
    """The paragraph ``label`` keeps its own ``edge`` (its end when the heading comes after
    it, its start when before), and the heading is furniture, in no paragraph (an annex
    may repeat a heading of the body as its own)."""
    doc = _parse(BULK / f"{name}.txt")
    text = doc.unit(label).text
    assert text.endswith(edge) if before else text.startswith(edge)
    assert any(f.endswith(heading) if before else f.startswith(heading) for f in doc.furniture)
    units = [u for u in doc.units if not (before and u.label.startswith("ANNEX"))]
    assert not any(heading in u.text for u in units)


@pytest.mark.parametrize(
    ("name", "count", "around"),
    [
        # "Netherlands (Kingdom of the), Nigeria,* and Thailand"
        ("A_C.1_80_L.32", 10, ("Nigeria", "Thailand")),
        # "Nigeria,* Norway"
        ("A_C.1_80_L.34", 43, ("Nigeria", "Norway")),
        # "Egypt,* Equatorial Guinea"
        ("A_C.3_80_L.26", 7, ("Egypt", "Equatorial Guinea")),
    ],
)
def test_a_footnote_mark_after_a_comma_is_no_sponsor(
    name: str, count: int, around: tuple[str, str]
) -> None:
    sponsors = _parse(BULK / f"{name}.txt").metadata.sponsors
    assert len(sponsors) == count
    at = sponsors.index(around[0])
    assert sponsors[at : at + 2] == around
    assert all(s and s[0].isalnum() and s[-1] not in "*†‡,;: " for s in sponsors)


@pytest.mark.parametrize(
    ("name", "label", "text", "heading"),
    [
        # a heading in sentence case above a recital, a blank line between them
        (
            "A_RES_78_148",
            "PP10",
            "Noting the need for continued",
            "Transport and transit corridors",
        ),
        (
            "A_RES_78_148",
            "PP14",
            "Recognizing the importance of",
            "Countries in special situations",
        ),
        # a section's recitals go with its section, not into the paragraph before it
        ("A_RES_79_298", "P2.PP1", "Recalling its resolution 77/304,", "Support account"),
        (
            "A_RES_79_258",
            "P7.PP1",
            "Recalling its resolutions 76/245",
            "Capital investment planning",
        ),
    ],
)
def test_a_section_heading_is_not_glued_to_the_recital_after_it(
    name: str, label: str, text: str, heading: str
) -> None:
    _heading_stands_apart(name, label, text, heading, before=False)


@pytest.mark.parametrize(
    ("name", "label", "meeting"),
    [
        ("A_RES_78_20", "OP10", "42nd"),
        ("A_RES_78_70", "OP22", "45th"),
        ("A_RES_78_71", "OP26", "45th"),
    ],
)
def test_the_meeting_line_right_under_the_last_paragraph_is_not_in_it(
    name: str, label: str, meeting: str
) -> None:
    # "... “Assistance in mine action”." then "45th plenary meeting" with no blank line
    doc = _parse(BULK / f"{name}.txt")
    assert doc.unit(label).text.endswith(".")
    assert doc.units[-1].label == label
    assert f"{meeting} plenary meeting" in (doc.metadata.meeting or "")
