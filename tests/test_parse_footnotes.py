"""Footnote citations of the text route: markers found where cited, and the checks that catch misses."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import BULK, SERIES
from hypothesis import given
from hypothesis import strategies as st

from resdiff.ingest.checks import structure_problems, uncited_footnotes
from resdiff.ingest.text import parse_text, strip_markers
from resdiff.model import Document, Source

FILES = sorted(SERIES.glob("*.txt"))


def _strip(
    paras: list[str], numbers: list[int], spaced: frozenset[tuple[int, str]] = frozenset()
) -> tuple[list[str], list[list[int]]]:
    """strip_markers' texts and citations; each marker's offset is where its digits were."""
    got = strip_markers(paras, numbers, spaced)
    for text, refs, at in zip(got.texts, got.refs, got.at, strict=True):
        assert len(at) == len(refs) and at == sorted(at)
        assert all(0 <= o <= len(text) for o in at)
    return got.texts, got.refs


def _parse(path: Path) -> Document:
    return parse_text(path.read_text(encoding="utf-8"), Source(path.name, "text", ""))


def test_a_res_73_180_footnotes_where_cited() -> None:
    # Footnote 13 ("See resolution 70/1.") is cited in the preamble after "Sustainable
    # Development Goals 13 and"; "Goals;13" in OP16(n) cites it again. It used to be placed
    # at OP16(n) only, so markers 14-24 stayed in the text ("Refugees15", "Relations,24").
    doc = _parse(SERIES / "A_RES_73_180.txt")
    cites = {u.label: u.footnotes for u in doc.units if u.footnotes}
    assert cites["PP18"] == (13,)
    assert cites["OP16(n)"] == (13,)
    assert cites["OP1"] == (14,)
    assert cites["OP2(a)(iv)"] == (15, 16)
    assert cites["OP7"] == (21, 22)
    assert cites["OP8"] == (23,)
    assert cites["OP16(g)"] == (24,)
    assert "Sustainable Development Goals and in line" in doc.unit("PP18").text
    assert (
        "Status of Refugees and the 1967 Protocol thereto in relation"
        in doc.unit("OP2(a)(iv)").text
    )
    assert "of 24 March 2017 to strengthen" in doc.unit("OP8").text
    assert uncited_footnotes(doc) == []
    assert structure_problems(doc) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_series_cites_every_footnote(path: Path) -> None:
    doc = _parse(path)
    assert uncited_footnotes(doc) == []


def test_check_catches_marker_left_in_text() -> None:
    doc = _parse(SERIES / "A_RES_73_180.txt")
    units = [
        dataclasses.replace(
            u, footnotes=(), footnote_at=(), text=u.text.replace("Refugees", "Refugees15", 1)
        )
        if u.label == "OP2(a)(iv)"
        else u
        for u in doc.units
    ]
    broken = dataclasses.replace(doc, units=tuple(units))
    assert uncited_footnotes(broken) == [15, 16]
    problems = structure_problems(broken)
    assert any("uncited footnote 15 left in the text" in p for p in problems), problems


def test_check_catches_citations_out_of_order() -> None:
    doc = _parse(SERIES / "A_RES_73_180.txt")
    # the old parse: 13 cited only in OP16(n), after 14-24 (had they been found)
    units = [
        dataclasses.replace(u, footnotes=(), footnote_at=()) if u.label == "PP18" else u
        for u in doc.units
    ]
    broken = dataclasses.replace(doc, units=tuple(units))
    assert "footnote 13 first cited after footnote 24" in structure_problems(broken)


def test_symbol_parts_and_covid_are_not_markers() -> None:
    paras = [
        "welcoming decisions 2/CP.27 and 2/CMA.4 on funding, and the COVID\u201119 pandemic,"
        " the Sendai Framework for Disaster Risk Reduction 2015\u20132030,3 and the Agenda,4"
    ]
    out, refs = _strip(paras, [3, 4, 19])
    assert out == [
        "welcoming decisions 2/CP.27 and 2/CMA.4 on funding, and the COVID\u201119 pandemic,"
        " the Sendai Framework for Disaster Risk Reduction 2015\u20132030, and the Agenda,"
    ]
    assert refs == [[3, 4]]


def test_weak_forms_between_cited_neighbours() -> None:
    # each weak form counts only between the markers of its cited neighbours
    paras = [
        "the Covenant,1 and the Bridgetown Covenant, 2 to continue, the Paris Agreement3and"
        " INTERPOL4 and Protocol I5 to the Conventions, at its eighth session 6 for the"
        " purpose, of 24 March 2017 7 to strengthen, Human Rights Council,8"
    ]
    out, refs = _strip(paras, list(range(1, 9)))
    assert out == [
        "the Covenant, and the Bridgetown Covenant, to continue, the Paris Agreementand"
        " INTERPOL and Protocol I to the Conventions, at its eighth session for the"
        " purpose, of 24 March 2017 to strengthen, Human Rights Council,"
    ]
    assert refs == [list(range(1, 9))]


@given(st.lists(st.sampled_from(["Refugees", "thereto", "Korea,", "Goals;", "Relations,"]),
                min_size=1, max_size=8))  # fmt: skip
def test_glued_markers_in_order_are_all_found(words: list[str]) -> None:
    # n glued markers in citation order are all removed, whatever the words they follow
    text = " and ".join(f"the {w}{i + 1}" for i, w in enumerate(words))
    out, refs = _strip([text], list(range(1, len(words) + 1)))
    assert refs == [list(range(1, len(words) + 1))]
    assert not re.search(r"\d", out[0])


# --- markers glued to numbers and symbols, citations repeated, the sequence as a whole ---


def _bulk(name: str) -> Document:
    path = BULK / f"{name}.txt"
    return parse_text(path.read_text(encoding="utf-8"), Source(path.name, "text", ""))


def _at(doc: Document, label: str) -> list[tuple[int, str]]:
    """Each footnote the unit cites, with the 20 characters before its marker."""
    u = doc.unit(label)
    return [
        (n, u.text[max(0, o - 20) : o]) for n, o in zip(u.footnotes, u.footnote_at, strict=True)
    ]


def test_repeated_citation_after_a_symbol() -> None:
    # "resolution 34/24,1 in which": footnote 1 cited again; agreed-language search
    # must find the plain wording.
    doc = _parse(SERIES / "A_RES_72_188.txt")
    op7 = doc.unit("OP7")
    assert "Human Rights Council resolution 34/24, in which the Council provided" in op7.text
    assert _at(doc, "OP7") == [(1, "il resolution 34/24,")]
    assert structure_problems(doc) == []


def test_first_citation_is_the_earlier_weak_form() -> None:
    # A/RES/73/180 PP8 cites 5 after both Covenants ("Political Rights, 5 the ...
    # Cultural Rights,5 the"); OP2(a)(x) cites 5 and 6 again.
    doc = _parse(SERIES / "A_RES_73_180.txt")
    assert doc.unit("PP8").footnotes == (5, 5, 6, 7, 8)
    assert "Rights,5" not in doc.unit("PP8").text and "Rights, 5" not in doc.unit("PP8").text
    assert doc.unit("OP2(a)(x)").footnotes == (5, 6, 17, 18)
    assert "Cultural Rights, and" in doc.unit("OP2(a)(x)").text


def _cited_in(doc: Document, words: str) -> list[tuple[int, str]]:
    unit = next(u for u in doc.units if words in u.text)
    return _at(doc, unit.label)


@pytest.mark.parametrize(
    ("name", "words", "cited"),
    [
        # symbol numbers past 999 hold a marker: VII/11 + 15, 5/14 + 11
        ("A_80_L.17", "as well as decision VII/11 and other", [14, (15, "l as decision VII/11")]),
        ("A_80_L.17", "Assembly resolution 5/14 requesting", [(11, "mbly resolution 5/14")]),
        # a name the document prints elsewhere without the digits: COVID-19 + 16
        ("A_C.2_80_L.48", "Countries on COVID-19 and commits", [(16, "ountries on COVID-19")]),
        # bare numbers where the sequence puts the footnote
        ("A_RES_78_47", "resolution 72/55, of the Group", [(1, "to resolution 72/55,"), 2, 3]),
        (
            "A_RES_79_204",
            "resolutions 5/7 and 5/8 of 2 March",
            [(27, "mbly resolutions 5/7"), (28, "olutions 5/7 and 5/8")],
        ),
        ("A_RES_80_110", "on recommendations emanating", [58, (59, "d on recommendations"), 60]),
        # after a sentence ending in a number
        ("A_RES_79_314", "5/14 of 2 March 2022.", [12, (13, "ion 5/14 of 2 March 2022.")]),
        ("A_RES_79_314", "New York from 5 to 9 June 2017.", [2, (3, "rk from 5 to 9 June 2017.")]),
    ],
)
def test_markers_glued_to_numbers_and_symbols(
    name: str, words: str, cited: list[int | tuple[int, str]]
) -> None:
    got = _cited_in(_bulk(name), words)
    assert [n for n, _ in got] == [c if isinstance(c, int) else c[0] for c in cited]
    for want, (_, before) in zip(cited, got, strict=True):
        if not isinstance(want, int):
            assert before.endswith(want[1][-20:]), (want, before)


def test_figures_with_thousands_are_not_markers() -> None:
    # "the Mission, 4,998,800 dollars" is a figure; footnote 4 is "levels, 4 subject to"
    doc = _bulk("A_RES_78_307")
    assert "maintenance of the Mission, 4,998,800 dollars" in doc.unit("OP12").text
    assert _at(doc, "OP17") == [(4, " the updated levels,")]


def test_the_sequence_is_read_as_a_whole() -> None:
    # A/RES/79/1 (the Pact for the Future) prints "Action 11. We will ..." headings;
    # footnotes 11-16 are cited after them: "United Nations. 11 We", "Peace.12", "Sea,
    # 13 taking", "Destruction.14", "Bodies;15" and "Action,16".
    doc = _bulk("A_RES_79_1")
    texts = " ".join(u.text for u in doc.units)
    for n in range(11, 27):
        assert f"Action {n}. We" in texts
    assert _at(doc, "OP33") == [(12, "ew Agenda for Peace.")]
    assert _at(doc, "OP47") == [(14, "n Their Destruction.")]
    assert uncited_footnotes(doc) == []
    assert structure_problems(doc) == []


def test_references_after_a_full_stop_stay_text() -> None:
    # "paragraph VIII.8 of the report" is a reference, not footnote 8 cited again
    doc = _bulk("A_C.5_80_L.4")
    assert "Recalls paragraph VIII.8 of the report" in " ".join(u.text for u in doc.units)
    assert "paragraphs VIII.20 and VIII.21 of" in " ".join(u.text for u in doc.units)


def test_glued_shapes_need_the_sequence_or_the_document() -> None:
    # "55/197": resolution 55/19 with marker 7 only where the document cites 55/19
    # elsewhere and footnote 7 is due there; "77/229 24 and 78/221" after a symbol.
    paras = [
        "Recalling its resolution 55/19 of 8 November 2000,6",
        "Recalling also its resolution 55/197 of 20 December 2000,",
        "Noting resolutions 77/229 8 and 78/221,9 and 10/2018,",
    ]
    out, refs = _strip(paras, [6, 7, 8, 9])
    assert out == [
        "Recalling its resolution 55/19 of 8 November 2000,",
        "Recalling also its resolution 55/19 of 20 December 2000,",
        "Noting resolutions 77/229 and 78/221, and 10/2018,",
    ]
    assert refs == [[6], [7], [8, 9]]
    # without 55/19 elsewhere, "55/197" is resolution 55/197 and footnote 7 stays uncited
    out, refs = _strip(paras[1:], [6, 7, 8, 9])
    assert "55/197" in out[0]


@given(
    st.lists(
        st.sampled_from(["Refugees", "Rights,", "2017", "77/228", "Agreement", "thereto;"]),
        min_size=1,
        max_size=8,
    )
)
def test_glued_to_words_years_and_symbols_in_order(hosts: list[str]) -> None:
    # markers 1..n glued in citation order to words, years and symbols are all found, and
    # each one's offset is where it stood: right after its host
    parts = [f"of the {h}{i + 1} and" for i, h in enumerate(hosts)]
    got = strip_markers([" ".join(parts)], list(range(1, len(hosts) + 1)))
    assert got.refs == [list(range(1, len(hosts) + 1))]
    assert got.texts == [" ".join(f"of the {h} and" for h in hosts)]
    text = got.texts[0]
    assert [text[:o].rsplit(" ", 1)[-1] for o in got.at[0]] == hosts
