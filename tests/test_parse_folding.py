"""Numbered paragraphs stay apart whatever they end or start with, and folding is reported."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiff.ingest.checks import MAX_UNIT_CHARS, structure_problems
from resdiff.ingest.raw import RawBlock, RawDocument
from resdiff.ingest.structure import build_document, continues
from resdiff.ingest.text import parse_text
from resdiff.model import Document, Metadata, Source, Unit, UnitKind

HEAD = "A/RES/99/1\n\nGeneral Assembly\n\nThe General Assembly,\n\nRecalling its resolutions,\n\n"
SRC = Source("synthetic.txt", "text", "")


def _parse(paras: list[str], sep: str = "\n") -> Document:
    return parse_text(HEAD + sep.join(paras) + "\n", SRC)


def _ops(doc: Document) -> list[tuple[str, str]]:
    return [(u.label, u.text) for u in doc.units if u.label.startswith("OP")]


def test_paragraph_without_final_punctuation_keeps_the_next_apart() -> None:
    # Lines of one paragraph each, no blank line between: a missing full stop used to
    # fold every later paragraph into OP1, with no structure problem reported.
    doc = _parse([f"{i}. Decides to act on item {i}" for i in range(1, 7)])
    assert _ops(doc) == [(f"OP{i}", f"Decides to act on item {i}") for i in range(1, 7)]


def test_paragraph_starting_in_lower_case_stays_apart() -> None:
    doc = _parse([f"{i}. calls upon States to report on item {i};" for i in range(1, 5)])
    assert [label for label, _ in _ops(doc)] == ["OP1", "OP2", "OP3", "OP4"]


def test_a_lost_number_after_a_quoted_list_folds_only_itself() -> None:
    # "2. Approves the following:" then "1. ..." quotes a list until the document's own
    # numbering resumes; here paragraph 3's number was lost (printed "1."), and every
    # later paragraph used to be quoted into OP2. Now 4-6 stand, and the gap is reported.
    paras = ["1. Decides to act;", "2. Approves the following:", "1. Opening;"]
    paras += [f"{i}. Decides to act on item {i};" for i in (4, 5, 6)]
    for sep in ("\n", "\n\n"):
        doc = _parse(paras, sep)
        assert [label for label, _ in _ops(doc)] == ["OP1", "OP2", "OP4", "OP5", "OP6"]
        assert doc.unit("OP2").text == "Approves the following: 1. Opening;"
        assert any("operative numbering" in p for p in structure_problems(doc))


def test_a_line_that_continues_a_reference_is_not_a_paragraph() -> None:
    # "... in paragraph" / "2. of its resolution": the number is a reference
    doc = _parse(["1. Recalls the request in paragraph", "2. of its resolution 70/1;"])
    assert _ops(doc) == [("OP1", "Recalls the request in paragraph 2. of its resolution 70/1;")]


def test_numbered_rows_inside_a_paragraph_stay_in_it() -> None:
    # a table's numbered rows after the paragraph's own number continue its list
    paras = [
        "1. Approves the estimates as follows:",
        "1. Staff assessment 278 735",
        "2. General income 32 815",
    ]
    paras += ["2. Decides that the income shall be credited;"]
    doc = _parse(paras)
    assert [label for label, _ in _ops(doc)] == ["OP1", "OP2"]


def test_checks_report_a_folded_paragraph() -> None:
    folded = Unit("OP1", UnitKind.OPERATIVE, "Decides to act 2. Requests the Secretary-General;")
    problems = structure_problems(Document(Metadata(), (folded,)))
    assert problems == [
        "OP1: holds the opening of paragraph 2 (folded?): 'Decides to act 2. Requests the Secretar'"
    ]
    # a reference to paragraph 2 of a document that has one is not folding
    ok = dataclasses.replace(folded, text="Recalls its paragraph 2. Requests action;")
    two = Unit("OP2", UnitKind.OPERATIVE, "Requests action;")
    assert structure_problems(Document(Metadata(), (ok, two))) == []
    huge = Unit("OP1", UnitKind.OPERATIVE, "Decides " * (MAX_UNIT_CHARS // 8 + 1))
    assert any(
        "far past any paragraph" in p for p in structure_problems(Document(Metadata(), (huge,)))
    )


_FEATURE = st.sampled_from(["plain", "no stop", "lower", "starts 2.", "enumerator alone"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_FEATURE, min_size=2, max_size=12), st.sampled_from(["\n", "\n\n"]))
def test_numbered_paragraphs_never_merge(features: list[str], sep: str) -> None:
    # Whatever each paragraph lacks or starts with, paragraph i is OPi with its own text.
    paras: list[str] = []
    want: list[str] = []
    for i, feature in enumerate(features, 1):
        text = f"Requests the Secretary-General to report on matter {i};"
        if feature == "no stop":
            text = text.rstrip(";")
        elif feature == "lower":
            text = "r" + text[1:]
        elif feature == "starts 2.":
            text = f"2. Recalls matter {i};"
        want.append(text)
        paras.append(f"{i}.\n{text}" if feature == "enumerator alone" else f"{i}. {text}")
    doc = _parse(paras, sep)
    assert _ops(doc) == [(f"OP{i}", t) for i, t in enumerate(want, 1)]
    assert structure_problems(doc) == []


# --- section headings ------------------------------------------------------------------


def test_a_heading_in_sentence_case_after_its_numeral_is_not_glued_to_the_paragraph() -> None:
    # "VIII", blank lines, "Follow-up and implementation activities": the heading has
    # too few capitals for a heading on its own and was appended to the paragraph before.
    paras = ["1. Decides to act;", "VIII", "", "Follow-up and implementation activities"]
    paras += ["2. Requests the Secretary-General to report;"]
    doc = _parse(paras, "\n\n")
    assert _ops(doc) == [("OP1", "Decides to act;"), ("OP2", paras[-1][3:])]
    assert {"VIII", "Follow-up and implementation activities"} <= set(doc.furniture)


@pytest.mark.parametrize(
    "heads",
    [
        ["Legislative activities"],  # no numeral at all
        ["V.", "Transforming global governance"],  # a numeral with its full stop
        ["Peacekeeping operations"],  # opens like a lead ("-ing")
        ["United Nations Support Mission in Libya"],  # opens like a lead ("-ed")
        ["Section 5", "Peaceful uses of outer space"],
        ["Budget performance report for the period from 1 July 2023 to 30 June 2024"],
        # two headings printed as one block: past the 15 words of a heading line
        [
            "International cooperation for development Section 11 United Nations system"
            " support for the African Union’s Agenda 2063: The Africa We Want"
        ],
    ],
)
def test_a_heading_after_a_finished_paragraph_is_furniture(heads: list[str]) -> None:
    for end in (";", "."):
        paras = [f"1. Decides to act{end}", *heads, "2. Requests a report;"]
        doc = _parse(paras, "\n\n")
        assert _ops(doc) == [("OP1", f"Decides to act{end}"), ("OP2", "Requests a report;")]
        assert set(heads) <= set(doc.furniture)


def test_a_heading_between_preambular_paragraphs_is_furniture() -> None:
    # In plain text, "Transport and transit corridors" (no closing punctuation, too few
    # capitals for a heading) was joined to the recital after it across the blank line.
    doc = parse_text(
        HEAD + "Transport and transit corridors\n\nNoting the need for cooperation,\n\n"
        "1. Decides to act;\n",
        SRC,
    )
    assert [(u.label, u.text) for u in doc.units] == [
        ("PP1", "Recalling its resolutions,"),
        ("PP2", "Noting the need for cooperation,"),
        ("OP1", "Decides to act;"),
    ]
    assert "Transport and transit corridors" in doc.furniture
    # and as a block of its own, as the other formats give it
    blocks = [
        "The General Assembly,",
        "Recalling its resolutions,",
        "Transport and transit corridors",
        "Noting the need for cooperation,",
        "1. Decides to act;",
    ]
    doc = build_document(RawDocument(tuple(RawBlock(b) for b in blocks)))
    assert [(u.label, u.text) for u in doc.units] == [
        ("PP1", "Recalling its resolutions,"),
        ("PP2", "Noting the need for cooperation,"),
        ("OP1", "Decides to act;"),
    ]
    assert "Transport and transit corridors" in doc.furniture


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # quoted text after the paragraph's colon continues it
        ("1. Decides that the item shall read:", "Programme of work"),
        # a table's rows continue the row before
        ("1. Approves the scale: Türkiye 0.685", "United Arab Emirates 0.574"),
        # a block that closes its sentence is no heading
        ("1. Decides to act;", "Takes note of the notes by the Secretary-General."),
    ],
)
def test_what_continues_a_paragraph_stays_in_it(before: str, after: str) -> None:
    doc = _parse([before, after, "2. Requests a report;"], "\n\n")
    assert _ops(doc) == [("OP1", f"{before[3:]} {after}"), ("OP2", "Requests a report;")]


# --- sponsor lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Nigeria,* and Thailand",
        "Nigeria*, and Thailand",
        "Nigeria,** Thailand",
        "Nigeria, *Thailand",
        "Nigeria,† and Thailand*",
        "Nigeria *, Thailand",
    ],
)
def test_footnote_marks_around_a_comma_leave_no_sponsor_of_their_own(line: str) -> None:
    text = (
        "A/C.1/99/L.1\n\nGeneral Assembly\n\nFirst Committee\n\nAgenda item 1\n\n"
        f"{line}: draft resolution\n\nSome title\n\nThe General Assembly,\n\n"
        "Recalling its resolutions,\n\n1. Decides to act;\n"
    )
    assert parse_text(text, SRC).metadata.sponsors == ("Nigeria", "Thailand")


@pytest.mark.parametrize(
    ("nxt", "joined"),
    [
        ("Recalling its resolution 77/304,", False),
        ("Also noting the report,", False),
        # other words in "-ing" open other text: a heading line stays with them
        ("During the course of a debate, the President may close the list.", True),
        ("Advancing science, finance and innovation", True),
    ],
)
def test_a_short_line_without_closing_punctuation_stays_apart_from_a_recital(
    nxt: str, joined: bool
) -> None:
    assert continues("Capital investment planning", nxt, page_break=False) is joined
    # across a page, the line may be the first half of a sentence: the old rule holds
    assert continues("Capital investment planning", nxt, page_break=True)
