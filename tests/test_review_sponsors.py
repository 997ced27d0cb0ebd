"""Sponsor lists: name normalisation and joined/left/unchanged on real drafts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BULK, SEED, SERIES

from resdiff.ingest import parse_file
from resdiff.review.sponsors import diff_sponsors, normalise_sponsor


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Türkiye", "Turkey"),
        ("Czechia", "Czech Republic"),
        ("Netherlands (Kingdom of the)", "Netherlands"),
        ("Bolivia (Plurinational State of)", "Bolivia"),
        ("Venezuela (Bolivarian Republic of)", "Venezuela"),
        ("Iran (Islamic Republic of)", "Iran"),
        ("Micronesia (Federated States of)", "Micronesia"),
        ("Republic of Korea", "Korea, Republic of"),
        ("Côte d’Ivoire", "Côte d'Ivoire"),
        ("Côte d’Ivoire", "Cote d'Ivoire"),
        ("Democratic Republic of the Congo", "democratic  republic of the  congo"),
        ("United Kingdom of Great Britain and Northern Ireland", "United Kingdom"),
        ("United States of America", "United States"),
        ("Russian Federation", "RUSSIAN FEDERATION"),
        ("Eswatini", "Swaziland"),
        ("North Macedonia", "The former Yugoslav Republic of Macedonia"),
        ("Cabo Verde", "Cape Verde"),
        ("State of Palestine", "Palestine"),
        ("Lao People’s Democratic Republic", "Lao People's Democratic Republic"),
        ("Syrian Arab Republic", "Syria"),
        ("Viet Nam", "Vietnam"),
        ("Brunei Darussalam", "Brunei"),
        ("Bahamas (The)", "Bahamas"),
        ("* Equatorial Guinea", "Equatorial Guinea"),
        ("Spain*", "and Spain"),
    ],
)
def test_aliases_match(a: str, b: str) -> None:
    assert normalise_sponsor(a) == normalise_sponsor(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Republic of Korea", "Democratic People's Republic of Korea"),
        ("Congo", "Democratic Republic of the Congo"),
        ("Niger", "Nigeria"),
        ("Guinea", "Guinea-Bissau"),
        ("Dominica", "Dominican Republic"),
    ],
)
def test_distinct_states_stay_distinct(a: str, b: str) -> None:
    assert normalise_sponsor(a) != normalise_sponsor(b)


def test_display_keeps_each_drafts_spelling_and_order() -> None:
    d = diff_sponsors(
        ["Turkey", "Norway", "Czech Republic", "Chile"],
        ["Czechia", "Peru", "Türkiye", "Sweden"],
    )
    assert d.joined == ("Peru", "Sweden")
    assert d.left == ("Norway", "Chile")
    assert d.unchanged == ("Czechia", "Türkiye")


def test_glued_lists_and_group_tails() -> None:
    d = diff_sponsors(
        ["Spain and Bosnia and Herzegovina", "Saint Vincent and the Grenadines"],
        [
            "Bosnia and Herzegovina",
            "Saint Vincent and the Grenadines",
            "Norway and Sweden",
            "Iraq, on behalf of the Group of 77 and China",
            "Iraq",
        ],
    )
    assert d.joined == ("Norway", "Sweden", "Iraq")
    assert d.left == ("Spain",)
    assert d.unchanged == ("Bosnia and Herzegovina", "Saint Vincent and the Grenadines")


def test_empty_lists() -> None:
    d = diff_sponsors([], ["Cuba"])
    assert (d.joined, d.left, d.unchanged) == (("Cuba",), (), ())
    assert diff_sponsors([], []) == diff_sponsors(["  "], [])


def test_real_netherlands_spellings(shared_corpus: Path) -> None:
    # The 2022 DPRK draft prints "Netherlands", A/C.3/80/L.28 (2025) "Netherlands (Kingdom of
    # the)". No two drafts of one series are in the corpus, so two real lists of similar
    # (European-led) sponsors stand in for "previous draft" and "draft".
    old = parse_file(SEED).metadata.sponsors
    new = parse_file(SERIES / "A_C.3_80_L.28.txt").metadata.sponsors
    d = diff_sponsors(old, new)
    assert "Netherlands (Kingdom of the)" in d.unchanged
    assert "Netherlands" not in d.joined + d.left
    assert d.joined == ("Bosnia and Herzegovina",)
    assert d.left == (
        "Australia",
        "Canada",
        "Honduras",
        "Iceland",
        "Japan",
        "Liechtenstein",
        "Marshall Islands",
        "Micronesia (Federated States of)",
        "Republic of Korea",
        "Switzerland",
        "Türkiye",
        "United States of America",
    )
    assert len(d.unchanged) == 34 == len(old) - len(d.left)


def test_real_equatorial_guinea_asterisk(shared_corpus: Path) -> None:
    # A/C.3/80/L.26 prints "* Equatorial Guinea" (a footnote mark); L.42 plain.
    old = parse_file(SERIES / "A_C.3_80_L.26.txt").metadata.sponsors
    new = parse_file(SERIES / "A_C.3_80_L.42.txt").metadata.sponsors
    d = diff_sponsors(old, new)
    assert d.unchanged == ("China", "Equatorial Guinea", "Viet Nam")
    assert d.joined == ("Belarus", "Cuba", "Venezuela (Bolivarian Republic of)")
    assert d.left == ("Armenia", "Egypt", "Norway", "Russian Federation")


def test_real_bulk_turkiye(shared_corpus: Path) -> None:
    new = parse_file(BULK / "A_80_L.18.txt").metadata.sponsors
    assert "Türkiye" in new
    d = diff_sponsors(["Turkey", "Czech Republic", "Netherlands"], new)
    assert d.left == ()
    assert {"Türkiye", "Czechia", "Netherlands (Kingdom of the)"} <= set(d.unchanged)
