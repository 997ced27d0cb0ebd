"""Series grouping over real documents (series/, seed, bulk/) and its invariants on synthetic ones."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, SERIES
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiff.ingest import parse_file
from resdiff.model import DocKind, Document, Metadata, Unit, UnitKind
from resdiff.series import (
    Candidate,
    Link,
    Series,
    base_symbol,
    candidate,
    candidate_of,
    group,
    recalled_resolutions,
    same_subject,
)

SEED_KEY = "doc-6b39773eb46c861b"  # the 2022 DPRK draft prints no symbol
DPRK = (
    "A/RES/72/188",
    "A/RES/73/180",
    "A/RES/74/166",
    "A/RES/75/190",
    "A/RES/76/177",
    SEED_KEY,
    "A/RES/78/218",
)
RIGHT_TO_FOOD = ("A/RES/78/198", "A/RES/79/171", "A/C.3/80/L.41", "A/RES/80/210")
AGEING = ("A/RES/78/177", "A/RES/79/147", "A/C.3/80/L.5", "A/RES/80/179")
NAZISM = ("A/RES/78/190", "A/RES/79/160", "A/C.3/80/L.2", "A/C.3/80/L.56", "A/RES/80/192")


def _parse_folder(paths: list[Path]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for path in paths:
        doc = parse_file(path)
        seen.setdefault(doc.key, candidate(doc.key, doc))  # bulk/ repeats series/ texts
    return sorted(seen.values(), key=lambda c: c.key)


def _series_with(found: list[Series], key: str) -> Series:
    return next(s for s in found if key in s.members)


@pytest.fixture(scope="module")
def series_corpus(shared_corpus: Path) -> list[Candidate]:
    return _parse_folder([SEED, *sorted(SERIES.glob("*.txt"))])


def test_series_folder_groups_into_its_twenty_series(series_corpus: list[Candidate]) -> None:
    found = group(series_corpus)
    assert len(found) == 20  # the table in the corpus README
    assert _series_with(found, "A/RES/76/177").members == DPRK
    assert _series_with(found, "A/RES/79/171").members == RIGHT_TO_FOOD
    assert _series_with(found, "A/RES/80/179").members == AGEING
    # An amendment sits after the draft it amends, before the resolution.
    assert _series_with(found, "A/C.3/80/L.56").members == NAZISM
    dprk = _series_with(found, "A/RES/76/177")
    assert dprk.key == "A/RES/72/188"
    assert dprk.title == "Situation of human rights in the Democratic People’s Republic of Korea"


@pytest.mark.slow
def test_bulk_and_series_grouping(
    series_corpus: list[Candidate], bulk_parsed: dict[str, tuple[Any, Any]]
) -> None:
    seen = {c.key: c for c in series_corpus}
    for name in sorted(bulk_parsed):  # bulk/ repeats series/ texts
        doc = bulk_parsed[name][1]
        if isinstance(doc, Document):
            seen.setdefault(doc.key, candidate(doc.key, doc))
    cands = sorted(seen.values(), key=lambda c: c.key)
    found = group(cands)
    multi = [s for s in found if len(s.members) > 1]
    print(f"\n{len(cands)} documents -> {len(found)} series, {len(multi)} with 2+ versions")
    assert _series_with(found, "A/RES/76/177").members == DPRK
    assert _series_with(found, "A/RES/79/171").members == RIGHT_TO_FOOD
    assert _series_with(found, "A/RES/80/179").members == AGEING
    assert _series_with(found, "A/RES/80/192").members == NAZISM
    # Every document in exactly one series; no series holds two resolutions of a session.
    keys = [k for s in found for k in s.members]
    assert sorted(keys) == sorted(c.key for c in cands)
    by_key = {c.key: c.metadata for c in cands}
    for s in found:
        sessions = [by_key[k].session for k in s.members if by_key[k].kind is DocKind.RESOLUTION]
        assert len(sessions) == len(set(sessions)), s
    # A generic title the parser fell back to must not glue unrelated drafts together.
    assert max(len(s.members) for s in found) <= 10
    # A recital citing another series' resolutions ("on the human rights treaty body
    # system", "entitled “The Pact for the Future”") files no draft as their next version;
    # one citing its own predecessors ("on sustainable transport") still does.
    for draft, other, own in (
        ("A/C.3/80/L.27", "A/RES/79/165", "A/RES/78/207"),
        ("A/C.3/80/L.3", "A/RES/79/1", "A/RES/78/229"),
        ("A/C.3/80/L.52", "A/RES/79/217", "A/RES/78/217"),
        ("A/C.3/80/L.20", "A/RES/79/158", "A/RES/78/187"),
        ("A/C.2/80/L.16", "A/RES/79/1", "A/RES/78/148"),
        ("A/RES/79/287", "A/RES/79/1", "A/RES/78/280"),
        ("A/C.5/80/L.4", "A/RES/79/1", "A/RES/79/257"),  # "budget for 2025" -> "for 2026"
        ("A/C.6/80/L.22", "A/RES/80/213", "A/RES/79/129"),  # by its title, found
        # "its resolutions 71/141 of … and 79/128 of …, as well as its decisions …" in its
        # sixth recital: the recalled title is its subject.
        ("A/C.6/80/L.14", "A/RES/79/1", "A/RES/79/128"),
        # "Iraq:*,** draft resolution" is its sponsor line, not its title.
        ("A/80/L.23", "A/RES/79/1", "A/RES/79/139"),
        # A yearly report's title names the session it covers: "on the work of its
        # fifty-eighth session" follows "... fifty-seventh session".
        ("A/C.6/80/L.10", "A/RES/78/104", "A/RES/79/117"),
        ("A/C.6/80/L.21", "A/RES/79/1", "A/RES/79/121"),
        ("A/RES/80/114", "A/RES/79/1", "A/RES/79/132"),  # credentials, session by session
        # "Recalling its resolution 78/195 of 19 December 2023 and its previous relevant
        # resolutions": a text adopted every other year, its theme in its title.
        ("A/C.3/80/L.44", "A/RES/79/1", "A/RES/78/195"),
        # "... and recalling its resolution 79/243 of 24 December 2024, by which the United
        # Nations Convention against Cybercrime ... was adopted": another text.
        ("A/RES/80/229", "A/RES/79/243", "A/RES/78/229"),
        # The high-level meeting's modalities (79/286) recall the coordination resolution
        # 78/228 in their opening list, and the next session renews 78/228 under its own
        # title: the modalities are another text, not the draft's baseline.
        ("A/C.3/80/L.4", "A/RES/79/286", "A/RES/78/228"),
        # "Reaffirming its resolution 79/226 ... on the quadrennial comprehensive policy
        # review" beside "its resolutions ... 78/166 ... on operational activities": the
        # yearly text follows its own title; the quadrennial review stands apart.
        ("A/C.2/80/L.3", "A/RES/79/226", "A/RES/78/166"),
    ):
        members = _series_with(found, draft).members
        assert other not in members and own in members, (draft, members)
    # "Noting its resolutions 72/283 ... on ..., 74/214 ... on ..., 78/147 ... on Central
    # Asia facing environmental challenges ..." (eight subjects): the region's texts, none
    # of them the Regional Centre's own; nor is the global artificial intelligence
    # resolution the Central Asian one's.
    for later, earlier in (("A/RES/79/268", "A/RES/78/147"), ("A/RES/79/322", "A/RES/78/265")):
        assert earlier not in _series_with(found, later).members, later
    # Pinned to today's grouping: a change either way is looked at, not tolerated.
    assert (len(found), len(multi)) == (540, 271)


def test_recalled_resolutions_reads_predecessors_only() -> None:
    text = (
        "Recalling all previous resolutions adopted by the General Assembly on the situation "
        "of human rights in the Democratic People’s Republic of Korea, including Assembly "
        "resolution 75/190 of 16 December 2020 and Council resolution 46/17 of 23 March 2021,"
    )
    units = [
        Unit("PP1", UnitKind.PREAMBULAR, text, "Recalling"),
        Unit("PP2", UnitKind.PREAMBULAR, "Recalling its resolution 70/1 on the 2030 Agenda,"),
        Unit("OP1", UnitKind.OPERATIVE, "Recalls its previous resolutions, including 74/1;"),
    ]
    assert recalled_resolutions(units) == ("75/190",)
    # A list standing alone at the head of the text: its latest number.
    its = Unit("PP1", UnitKind.PREAMBULAR, "Recalling its resolutions 77/7 and 78/7,")
    assert recalled_resolutions([its]) == ("78/7",)
    # Further down, a list naming no subject may be about anything.
    assert recalled_resolutions([units[1], units[1], its]) == ()


def _recital(text: str) -> Unit:
    return Unit("PP1", UnitKind.PREAMBULAR, text, "Recalling")


def test_a_list_of_resolutions_on_another_subject_names_no_predecessor() -> None:
    treaty_bodies = _recital(
        "Recalling its resolutions 73/162 of 17 December 2018, 75/174 of 16 December 2020, "
        "77/210 of 15 December 2022 and 79/165 of 17 December 2024 on the human rights "
        "treaty body system,"
    )
    disappearance = (
        "International Convention for the Protection of All Persons from Enforced Disappearance"
    )
    assert recalled_resolutions([treaty_bodies], disappearance) == ()
    assert recalled_resolutions([treaty_bodies], "Human rights treaty body system") == ("79/165",)
    pact = _recital(
        "Recalling its resolutions 70/1 of 25 September 2015, entitled “Transforming our "
        "world: the 2030 Agenda for Sustainable Development”, and 79/1 of 22 September "
        "2024, entitled “The Pact for the Future”,"
    )
    crime = "Strengthening the United Nations crime prevention and criminal justice programme"
    assert recalled_resolutions([pact], crime) == ()
    transport = _recital(
        "Recalling its resolutions 69/213 of 19 December 2014, 77/286 of 16 May 2023 and "
        "78/148 of 19 December 2023 on sustainable transport, and its resolution 70/1,"
    )
    decade = "United Nations Decade of Sustainable Transport, 2026–2035"
    assert recalled_resolutions([transport], decade) == ("78/148",)
    # No title to judge by (the parser fell back to "Draft resolution"): trusted.
    assert recalled_resolutions([treaty_bodies], "Draft resolution") == ("79/165",)
    # Two numbers of the latest session: which one is the predecessor is not said.
    budget = _recital(
        "Recalling its resolutions 77/262 of 30 December 2022, 78/252 and 78/253 of 22 December 2023,"
    )
    assert recalled_resolutions([budget], "Questions relating to the budget") == ()


def test_base_symbol() -> None:
    assert base_symbol("A/C.3/80/L.29*") == "A/C.3/80/L.29"
    assert base_symbol("a_c.3_80_l.41_rev.1") == "A/C.3/80/L.41"
    assert base_symbol("A/RES/76/177@2") == "A/RES/76/177"


# --- synthetic documents ----------------------------------------------------------------


def _meta(
    symbol: str | None,
    kind: DocKind,
    session: int,
    title: str | None,
    *,
    day: int = 1,
    draft: str | None = None,
) -> Metadata:
    when = date(1945 + session, 11 if kind is not DocKind.RESOLUTION else 12, day)
    return Metadata(
        symbol=symbol,
        kind=kind,
        session=session,
        title=title,
        distribution_date=when,
        adoption_date=when if kind is DocKind.RESOLUTION else None,
        draft_symbol=draft,
    )


def _c(key: str, meta: Metadata, recalls: tuple[str, ...] = ()) -> Candidate:
    return Candidate(key, meta, recalls)


R, D, A = DocKind.RESOLUTION, DocKind.DRAFT, DocKind.AMENDMENT


def _sample() -> list[Candidate]:
    return [
        _c("A/RES/79/1", _meta("A/RES/79/1", R, 79, "Water")),
        _c("A/C.2/80/L.3", _meta("A/C.2/80/L.3", D, 80, "Water", day=3)),
        _c("A/C.2/80/L.3/Rev.1", _meta("A/C.2/80/L.3/Rev.1", D, 80, "Water", day=9)),
        _c("A/C.2/80/L.9", _meta("A/C.2/80/L.9", A, 80, "Water", day=1, draft="A/C.2/80/L.3")),
        _c("A/RES/80/5", _meta("A/RES/80/5", R, 80, "Water")),
        # Renamed, but recalls its predecessor.
        _c("A/RES/81/2", _meta("A/RES/81/2", R, 81, "Water and sanitation"), ("80/5",)),
        _c("A/RES/80/6", _meta("A/RES/80/6", R, 80, "Air")),
        # A recital citing a resolution of another series in the same session is refused.
        _c("A/RES/81/3", _meta("A/RES/81/3", R, 81, "Air"), ("80/5",)),
        _c("A/C.6/80/L.1", _meta("A/C.6/80/L.1", D, 80, "Draft resolution")),
        _c("A/C.6/80/L.2", _meta("A/C.6/80/L.2", D, 80, "Draft resolution")),
    ]


def test_synthetic_grouping_and_order() -> None:
    found = {s.key: s.members for s in group(_sample())}
    assert found["A/RES/79/1"] == (
        "A/RES/79/1",
        "A/C.2/80/L.3",
        "A/C.2/80/L.3/Rev.1",
        "A/C.2/80/L.9",
        "A/RES/80/5",
        "A/RES/81/2",
    )
    assert found["A/RES/80/6"] == ("A/RES/80/6", "A/RES/81/3")
    assert found["A/C.6/80/L.1"] == ("A/C.6/80/L.1",)
    assert found["A/C.6/80/L.2"] == ("A/C.6/80/L.2",)


def test_manual_links_apply_after_grouping() -> None:
    links = [
        Link("unlink", "A/RES/79/1", "A/RES/81/2"),
        Link("link", "A/C.6/80/L.1", "A/C.6/80/L.2"),
        Link("link", "A/RES/80/6", "A/RES/404/404"),  # not stored (yet): ignored
    ]
    found = {s.key: s.members for s in group(_sample(), links)}
    assert "A/RES/81/2" not in found["A/RES/79/1"]
    assert found["A/RES/81/2"] == ("A/RES/81/2",)
    assert found["A/C.6/80/L.1"] == ("A/C.6/80/L.1", "A/C.6/80/L.2")
    relinked = group(_sample(), [*links, Link("link", "A/RES/80/5", "A/RES/81/2")])
    assert "A/RES/81/2" in next(s for s in relinked if s.key == "A/RES/79/1").members


_titles = st.sampled_from(["Water", "Air", "Food", None, "Draft resolution"])
_kinds = st.sampled_from([R, D, A, DocKind.REVISED_DRAFT])


@st.composite
def _candidates(draw: st.DrawFn) -> list[Candidate]:
    n = draw(st.integers(0, 14))
    out = []
    for i in range(n):
        kind = draw(_kinds)
        session = draw(st.integers(77, 80))
        sym = f"A/RES/{session}/{i}" if kind is R else f"A/C.3/{session}/L.{i}"
        draft = f"A/C.3/{session}/L.{draw(st.integers(0, n))}" if kind is A else None
        meta = _meta(sym, kind, session, draw(_titles), day=draw(st.integers(1, 28)), draft=draft)
        recalls = tuple(
            f"{s}/{j}"
            for s, j in draw(
                st.lists(st.tuples(st.integers(77, 80), st.integers(0, n)), max_size=2)
            )
        )
        out.append(_c(sym, meta, recalls))
    return out


@given(_candidates(), st.randoms())
@settings(max_examples=150, deadline=None)
def test_grouping_is_a_partition_independent_of_input_order(
    cands: list[Candidate], rnd: random.Random
) -> None:
    found = group(cands)
    keys = [k for s in found for k in s.members]
    assert sorted(keys) == sorted(c.key for c in cands)
    by_key = {c.key: c.metadata for c in cands}
    for s in found:
        assert s.key == s.members[0]
        sessions = [by_key[k].session for k in s.members if by_key[k].kind is R]
        assert len(sessions) == len(set(sessions))
        order = [by_key[k].session for k in s.members]
        assert order == sorted(order)  # sessions never go backwards
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert {s.members for s in group(shuffled)} == {s.members for s in found}


def test_candidate_reads_the_recalls_of_a_real_text(shared_corpus: Path) -> None:
    doc = parse_file(SERIES / "A_RES_76_177.txt")
    c = candidate(doc.key, doc)
    assert c.key == "A/RES/76/177" and "75/190" in c.recalls
    assert replace(c, recalls=()).recalls == ()


def test_a_list_naming_no_subject_further_down_is_a_predecessor_only_by_its_title() -> None:
    opening = [_recital(f"Recalling the report {n}.") for n in range(5)]
    listing = _recital(
        "Recalling its resolutions 71/141 of 13 December 2016, 76/119 of 9 December 2021 "
        "and 79/128 of 4 December 2024, as well as its decisions 75/526 of 15 December 2020,"
    )
    conference = "United Nations Conference of Plenipotentiaries on Protection of Persons in the Event of Disasters"
    assert recalled_resolutions([*opening, listing], conference) == ()
    facts = candidate_of("x", Metadata(title=conference), [*opening, listing])
    assert facts.recalls == () and facts.cited == ("79/128",)
    assert same_subject(conference, "Protection of persons in the event of disasters")
    assert not same_subject(
        "Measures to eliminate international terrorism", "Terrorism and human rights"
    )
    assert not same_subject("Draft resolution", "Protection of persons in the event of disasters")
