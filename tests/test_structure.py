"""The structure builder's rules, one at a time, on small hand-made inputs."""

from __future__ import annotations

import pytest
from conftest import SERIES

from resdiff.errors import NoTextError
from resdiff.ingest.checks import structure_problems
from resdiff.ingest.lexicon import MEMBER_STATES, lead_words, split_states
from resdiff.ingest.metadata import extract_metadata, parse_date, session_number
from resdiff.ingest.raw import RawBlock, RawDocument
from resdiff.ingest.structure import build_document, continues
from resdiff.ingest.text import join_lines, parse_text, strip_markers
from resdiff.model import DocKind, Document, Footnote, Metadata, Source, Unit, UnitKind

SRC = Source("t", "text", "")


def _strip(
    paras: list[str], numbers: list[int], spaced: frozenset[tuple[int, str]] = frozenset()
) -> tuple[list[str], list[list[int]]]:
    """strip_markers' texts and citations; each marker's offset is where its digits were."""
    got = strip_markers(paras, numbers, spaced)
    for text, refs, at in zip(got.texts, got.refs, got.at, strict=True):
        assert len(at) == len(refs) and at == sorted(at)
        assert all(0 <= o <= len(text) for o in at)
    return got.texts, got.refs


def _doc(*texts: str, header: tuple[str, ...] = ()) -> Document:
    blocks = (RawBlock("The General Assembly,"), *tuple(RawBlock(t) for t in texts))
    return build_document(RawDocument(blocks=blocks, header=header))


def _labels(doc: Document) -> list[str]:
    return [u.label for u in doc.units]


def test_pp_op_and_sub_items() -> None:
    doc = _doc(
        "Recalling its resolutions,",
        "1. Decides to act;",
        "2. Expresses its deep concern about:",
        "(a) The first thing;",
        "(b) The second thing, such as:",
        "(i) One;",
        "(ii) Two;",
        "(c) The third thing;",
        "3. Requests the Secretary-General to report.",
    )
    assert _labels(doc) == [
        "PP1", "OP1", "OP2", "OP2(a)", "OP2(b)", "OP2(b)(i)", "OP2(b)(ii)", "OP2(c)", "OP3",
    ]  # fmt: skip
    assert doc.unit("OP2").text == "Expresses its deep concern about:"
    assert doc.unit("OP2").lead == "Expresses its deep concern"
    assert doc.unit("OP2(b)(i)").text == "One;"
    assert doc.unit("OP1").kind is UnitKind.OPERATIVE
    assert doc.unit("OP2(a)").kind is UnitKind.SUBITEM
    assert structure_problems(doc) == []


def test_i_after_h_is_a_letter_unless_h_is_a_chapeau() -> None:
    items = [f"({c}) Item {c};" for c in "abcdefgh"]
    letter = _doc("1. Urges:", *items, "(i) Item i;", "(j) Item j.")
    assert _labels(letter)[-2:] == ["OP1(i)", "OP1(j)"]
    assert structure_problems(letter) == []
    items[-1] = "(h) Item h, namely:"
    roman = _doc("1. Urges:", *items, "(i) Item i;", "(ii) Item ii;", "(i) Item letter i.")
    assert _labels(roman)[-3:] == ["OP1(h)(i)", "OP1(h)(ii)", "OP1(i)"]


def test_gap_and_leaks_are_reported() -> None:
    gap = _doc("1. Decides;", "3. Requests.")
    assert any("not 1..2" in p for p in structure_problems(gap))
    sub = _doc("1. Urges:", "(a) One;", "(c) Three.")
    assert any("sub-items not gapless" in p for p in structure_problems(sub))
    leak = Document(
        metadata=Metadata(symbol="A/RES/76/177"),
        units=(
            Unit("OP1", UnitKind.OPERATIVE, "Decides 21-19213 (E) 130122 to act", "Decides"),
            Unit("OP2", UnitKind.OPERATIVE, "Notes See Official Records of the Assembly, 2021.", "Notes", (9,)),
            Unit("OP3", UnitKind.OPERATIVE, "  "),
        ),
        footnotes=(Footnote(1, "See Official Records of the Assembly, 2021."),),
    )  # fmt: skip
    problems = structure_problems(leak)
    assert any("OP1: contains page furniture" in p for p in problems)
    assert any("OP2: contains footnote text" in p for p in problems)
    assert any("OP2: cites footnote 9" in p for p in problems)
    assert any("OP3: empty unit" in p for p in problems)


def test_annex_paragraphs_are_kept_as_annex_units() -> None:
    doc = _doc("1. Adopts the declaration annexed;", "Annex", "Declaration", "1. We affirm.")
    assert _labels(doc) == ["OP1", "ANNEX1", "ANNEX2", "ANNEX3"]
    assert doc.unit("ANNEX3").text == "1. We affirm."
    assert structure_problems(doc) == []


def test_parts_restarting_numbering_get_a_prefix() -> None:
    doc = _doc("A", "Recalling x,", "1. Decides;", "2. Requests;", "B", "Noting y,", "1. Decides.")
    assert _labels(doc) == ["A.PP1", "A.OP1", "A.OP2", "B.PP1", "B.OP1"]
    assert structure_problems(doc) == []


def test_trailer_is_metadata_not_text() -> None:
    doc = _doc("1. Decides to act.", "53rd plenary meeting", "16 December 2021")
    assert doc.unit("OP1").text == "Decides to act."
    assert doc.metadata.meeting == "53rd plenary meeting"


def test_decision_in_one_sentence() -> None:
    blocks = (RawBlock("The General Assembly, recalling its resolution 1/1, decides to act."),)
    doc = build_document(RawDocument(blocks=blocks, header=("Draft decision",)))
    assert _labels(doc) == ["OP1"]
    assert doc.unit("OP1").text == "recalling its resolution 1/1, decides to act."


def test_continuation_evidence() -> None:
    assert continues("in the Democratic People's", "Republic of Korea, and", page_break=True)
    assert continues("of 30 November", "2016, 2371 (2017)", page_break=False)
    assert continues("to allow the implementation of relevant", "recommendations", page_break=False)
    assert continues(
        "the Rights of the Child,", "Member States and the organizations concerned", page_break=True
    )
    assert not continues("the Rights of the Child,", "Recalling its resolution", page_break=True)
    assert not continues("contained therein,", "Recalling the responsibility", page_break=False)
    assert not continues("its people;", "2. Decides", page_break=True)
    assert not continues("coordinated manner;", "21 Encourages the", page_break=False)
    assert not continues("Annex", "Declaration on the Rights", page_break=False)
    assert not continues("report.", "53rd plenary meeting", page_break=False)


def test_hyphen_kept_unless_evidence() -> None:
    assert join_lines(["the well-", "being of"]) == "the well-being of"
    words = {"implementation"}
    assert join_lines(["the implemen-", "tation of"], words) == "the implementation of"
    assert join_lines(["the well-", "being of"], {"wellbeing", "well-being"}) == "the well-being of"
    assert join_lines(["soft\u00ad", "hyphen"]) == "softhyphen"


def test_markers_by_sequence() -> None:
    paras = [
        "Council resolution 46/17 of 23 March 2021,1 and mindful",
        "Democratic People’s Republic of Korea, 3 regretting that he",
        "noting the acceptance of 132 of the 262 recommendations, 11 and",
        "the Convention relating to the Status of Refugees16 and the",
        "resolutions 34/24 of 24 March 201724 and 40/20",
    ]
    out, refs = _strip(paras, [1, 3, 11, 16, 24])
    assert out == [
        "Council resolution 46/17 of 23 March 2021, and mindful",
        "Democratic People’s Republic of Korea, regretting that he",
        "noting the acceptance of 132 of the 262 recommendations, and",
        "the Convention relating to the Status of Refugees and the",
        "resolutions 34/24 of 24 March 2017 and 40/20",
    ]
    assert refs == [[1], [3], [11], [16], [24]]
    # out of order, a marker is left alone rather than taken from the wrong place
    out, refs = _strip(["Refugees16 and", "March 2021,1 and"], [1, 16])
    assert refs == [[], [1]] or refs == [[16], []]


def test_numbers_that_are_text_are_not_markers() -> None:
    out, refs = _strip(["in resolution 8 of 16 December and A/HRC/37/56/Add.1 here"], [1, 8, 16])
    assert out == ["in resolution 8 of 16 December and A/HRC/37/56/Add.1 here"]
    assert refs == [[]]


def test_markers_between_cited_neighbours() -> None:
    # Weak forms (after a number or a symbol, glued to a symbol or to the next word)
    # count only for a footnote left uncited, between the markers of its neighbours.
    paras = [
        "resolution 70/1,3 and the Sendai Framework 2015–2030 4 by, inter alia,",
        "pursuant to resolution 77/2285 and the report of 2020,6 the Council,",
        "its outcomes, 7including the track, and 71/205 8 and the 21st meeting,9 of",
    ]
    spaced = frozenset({(4, "by,"), (8, "and")})
    out, refs = _strip(paras, [3, 4, 5, 6, 7, 8, 9], spaced)
    assert out == [
        "resolution 70/1, and the Sendai Framework 2015–2030 by, inter alia,",
        "pursuant to resolution 77/228 and the report of 2020, the Council,",
        "its outcomes, including the track, and 71/205 and the 21st meeting, of",
    ]
    assert refs == [[3, 4], [5, 6], [7, 8, 9]]


def test_weak_forms_outside_their_gap_stay_text() -> None:
    # 4 must be cited before 5, so "2015–2030 4" after marker 5 is not its marker,
    # even printed with the two spaces of a raised marker.
    paras = ["resolution 77/2285 and,5 the Framework 2015–2030 4 by, inter alia"]
    out, refs = _strip(paras, [4, 5], frozenset({(4, "by,")}))
    assert out == ["resolution 77/2285 and, the Framework 2015–2030 4 by, inter alia"]
    assert refs == [[5]]
    # Without those two spaces a number after a number is text; "21st" is an ordinal.
    paras = ["the 21st meeting and the Framework 2015–2030 19 by, inter alia"]
    out, refs = _strip(paras, [19, 21])
    assert out == paras
    assert refs == [[]]


def test_text_route_reads_markers_after_numbers_and_symbols() -> None:
    # A/RES/78/221 PP19 cites 13-22 after symbols and years ("71/205 13  and",
    # "76/17918", "19 October 2023 22  of"); all ten are markers in the PDF.
    text = (SERIES / "A_RES_78_221.txt").read_text(encoding="utf-8")
    doc = parse_text(text, Source("A_RES_78_221.txt", "text", ""))
    pp19 = doc.unit("PP19")
    assert pp19.footnotes == tuple(range(13, 23))
    assert "resolutions 71/205 and 72/190, and" in pp19.text
    assert "76/179 and 77/229, and" in pp19.text
    assert "19 October 2023 of the Independent" in pp19.text


@pytest.mark.parametrize(
    ("text", "operative", "lead"),
    [
        ("Reaffirming also that all States", False, "Reaffirming also"),
        ("Bearing in mind that", False, "Bearing in mind"),
        ("Noting with deep concern the reports", False, "Noting with deep concern"),
        ("Deeply concerned at the", False, "Deeply concerned"),
        ("Having considered the report", False, "Having considered"),
        ("Strongly urges the Government", True, "Strongly urges"),
        ("Calls upon all States", True, "Calls upon"),
        ("Decides to continue its examination", True, "Decides"),
        ("Expresses its very serious concern about:", True, "Expresses its very serious concern"),
        ("Expresses strong support for", True, "Expresses strong support"),
        ("Expresses support for", True, "Expresses support"),
        ("Recalling and well-being of all,", False, "Recalling"),
        ("Recalling and reaffirming its resolutions", False, "Recalling and reaffirming"),
        ("Takes note with appreciation of the report", True, "Takes note with appreciation"),
        ("the report", True, ""),
    ],
)
def test_lead_words(text: str, operative: bool, lead: str) -> None:
    assert lead_words(text, operative) == lead


def test_member_states_and_sponsor_split() -> None:
    assert len(MEMBER_STATES) == 193 and len(set(MEMBER_STATES)) == 193
    got = split_states(
        "Bosnia and Herzegovina, Iran (Islamic Republic of), Saint Kitts and Nevis, "
        "Sao Tome and Principe, State of Palestine and United Kingdom of Great Britain and "
        "Northern Ireland"
    )
    assert got == [
        "Bosnia and Herzegovina", "Iran (Islamic Republic of)", "Saint Kitts and Nevis",
        "Sao Tome and Principe", "State of Palestine",
        "United Kingdom of Great Britain and Northern Ireland",
    ]  # fmt: skip
    assert split_states("Côte d'Ivoire and Freedonia") == ["Côte d’Ivoire", "Freedonia"]


def test_metadata_bits() -> None:
    assert session_number("Seventy-seventh") == 77
    assert session_number("Eightieth") == 80
    assert session_number("Tenth") == 10
    assert parse_date("Distr.: General 10 January 2022") is not None
    star = extract_metadata(["A/C.3/80/L.29*", "", "Eightieth session", "Third Committee"])
    assert star.symbol == "A/C.3/80/L.29" and star.reissue == "*"
    assert star.kind is DocKind.DRAFT and star.body == "Third Committee" and star.session == 80
    rev = extract_metadata(
        ["A/C.1/80/L.20/Rev.1", "", "Cuba and Egypt: revised draft resolution", "", "A title"]
    )
    assert rev.reissue == "Rev.1" and rev.kind is DocKind.REVISED_DRAFT
    assert rev.sponsors == ("Cuba", "Egypt") and rev.title == "A title"
    behalf = extract_metadata(
        [
            "Iraq:* draft resolution",
            "",
            "T",
            "",
            "* On behalf of the States that are members of the Group of 77 and China, taking",
        ]
    )
    assert behalf.sponsors == ("Iraq",) and behalf.on_behalf_of == ("Group of 77 and China",)


def test_empty_text_is_refused() -> None:
    with pytest.raises(NoTextError, match="no text found"):
        parse_text(" \n\t\n", SRC)


def test_large_inputs_parse_whole() -> None:
    # Speed is measured in benchmarks/bench_parse.py; here only the result counts.
    many = "The General Assembly,\n\n" + "\n\n".join(
        f"{i}. Requests the Secretary-General to report on item {i};" for i in range(1, 5001)
    )
    doc = parse_text(many, SRC)
    assert len(doc.units) == 5000 and doc.units[-1].label == "OP5000"
    assert structure_problems(doc) == []
    words = ("the rights of States and the protection of persons, " * 20_000)[:1_000_000]
    big = (
        "The General Assembly,\n\n"
        + "\n".join(words[i : i + 80] for i in range(0, len(words), 80))
        + ",\n\n1. Decides.\n"
    )
    doc = parse_text(big, SRC)
    assert [u.label for u in doc.units] == ["PP1", "OP1"]
    assert len(doc.unit("PP1").text) > 990_000
