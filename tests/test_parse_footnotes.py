"""Footnote citations of the text route: markers found where cited, and the checks that catch misses."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import SERIES
from hypothesis import given
from hypothesis import strategies as st

from resdiff.ingest.checks import structure_problems, uncited_footnotes
from resdiff.ingest.text import parse_text, strip_markers
from resdiff.model import Document, Source

FILES = sorted(SERIES.glob("*.txt"))


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
        dataclasses.replace(u, footnotes=(), text=u.text.replace("Refugees", "Refugees15", 1))
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
    units = [dataclasses.replace(u, footnotes=()) if u.label == "PP18" else u for u in doc.units]
    broken = dataclasses.replace(doc, units=tuple(units))
    assert "footnote 13 first cited after footnote 24" in structure_problems(broken)


def test_symbol_parts_and_covid_are_not_markers() -> None:
    paras = [
        "welcoming decisions 2/CP.27 and 2/CMA.4 on funding, and the COVID\u201119 pandemic,"
        " the Sendai Framework for Disaster Risk Reduction 2015\u20132030,3 and the Agenda,4"
    ]
    out, refs = strip_markers(paras, [3, 4, 19])
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
    out, refs = strip_markers(paras, list(range(1, 9)))
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
    out, refs = strip_markers([text], list(range(1, len(words) + 1)))
    assert refs == [list(range(1, len(words) + 1))]
    assert not re.search(r"\d", out[0])
