"""Verb and qualifier strength: the shipped scale, user scales, synthetic and real pairs."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from conftest import SEED, SERIES

from resdiff.compare import compare
from resdiff.errors import UsageError
from resdiff.ingest import parse_file
from resdiff.model import Document, Metadata, Unit, UnitKind
from resdiff.review.strength import load_scale, strength_changes

SCALE = load_scale()


def _doc(*units: tuple[str, str, str]) -> Document:
    kinds = {"PP": UnitKind.PREAMBULAR, "OP": UnitKind.OPERATIVE}
    return Document(
        Metadata(),
        tuple(Unit(label, kinds[label[:2]], text, lead) for label, lead, text in units),
    )


def _changes(old: Document, new: Document) -> list[tuple[str, str, str, str]]:
    return [
        (c.group, c.old_term, c.new_term, c.direction)
        for c in strength_changes(compare(old, new), SCALE)
    ]


TAIL = " Member States to take further measures to protect the rights of the child;"


@pytest.mark.parametrize(
    ("old_lead", "new_lead", "group", "direction"),
    [
        ("Encourages", "Urges", "operative verb", "strengthened"),
        ("Calls upon", "Demands", "operative verb", "strengthened"),
        ("Strongly urges", "Encourages", "operative verb", "softened"),
        ("Welcomes", "Takes note of", "operative verb", "softened"),
        # A qualifier inside a listed term (A/C.2/80/L.53 OP5): not the bare "Notes".
        ("Notes with concern", "Notes with deep concern", "operative verb", "strengthened"),
        ("Notes with serious concern", "Notes with concern", "operative verb", "softened"),
    ],
)
def test_operative_verb_changes(old_lead: str, new_lead: str, group: str, direction: str) -> None:
    old = _doc(("OP1", old_lead, old_lead + TAIL))
    new = _doc(("OP1", new_lead, new_lead + TAIL))
    assert _changes(old, new) == [(group, old_lead, new_lead, direction)]


def test_preambular_lead_changes_both_ways() -> None:
    body = " the report of the Special Rapporteur on the right to food and its findings,"
    plain = _doc(("PP1", "Noting", "Noting" + body))
    concern = _doc(("PP1", "Noting with deep concern", "Noting with deep concern" + body))
    assert _changes(plain, concern) == [
        ("preambular lead", "Noting", "Noting with deep concern", "strengthened")
    ]
    assert _changes(concern, plain) == [
        ("preambular lead", "Noting with deep concern", "Noting", "softened")
    ]


def test_qualifier_inside_text_both_ways() -> None:
    a = "Calls upon States to address, as a matter of concern, the lack of access to food;"
    b = "Calls upon States to address, as a matter of grave concern, the lack of access to food;"
    old, new = _doc(("OP1", "Calls upon", a)), _doc(("OP1", "Calls upon", b))
    assert _changes(old, new) == [("qualifier", "concern", "grave concern", "strengthened")]
    assert _changes(new, old) == [("qualifier", "grave concern", "concern", "softened")]


def test_no_change_reported_for_fillers_unchanged_or_neutral() -> None:
    same = _doc(("OP1", "Urges", "Urges" + TAIL), ("OP2", "Notes", "Notes with deep concern X;"))
    assert strength_changes(compare(same, same), SCALE) == ()
    also = _doc(("OP1", "Also urges", "Also urges" + TAIL))
    assert _changes(_doc(("OP1", "Urges", "Urges" + TAIL)), also) == []
    # Recalls/Reaffirms cite rather than press: deliberately unranked.
    assert (
        _changes(_doc(("OP1", "Recalls", "Recalls" + TAIL)), _doc(("OP1", "Urges", "Urges" + TAIL)))
        == []
    )


def test_clause_cut_is_not_a_verb_change() -> None:
    # A real shape (A/RES/78/198 -> 79/171 OP4): the first clause went, its second verb leads.
    old = _doc(
        (
            "OP1",
            "Expresses particular concern",
            "Expresses particular concern at the pandemic, underlines that it hurt food security;",
        )
    )
    new = _doc(("OP1", "Underlines", "Underlines that it hurt food security;"))
    assert _changes(old, new) == []


def test_user_scale_overrides_ranks(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "resdiff/review/strength_scale.toml").read_text("utf-8")
    # Swap encourages and urges: the same edit now reads as softened.
    text = text.replace('"urges", "strongly encourages"', '"encourages", "strongly encourages"')
    text = text.replace('"invites", "encourages",', '"invites", "urges",')
    user = tmp_path / "scale.toml"
    user.write_text(text, "utf-8")
    old = _doc(("OP1", "Encourages", "Encourages" + TAIL))
    new = _doc(("OP1", "Urges", "Urges" + TAIL))
    [change] = strength_changes(compare(old, new), load_scale(user))
    assert (change.old_rank, change.new_rank, change.direction) == (50, 30, "softened")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("ignore = [", "not valid TOML"),
        ("ignore = []\n", "missing table [operative_verb]"),
        (
            "[operative_verb]\n[[operative_verb.tier]]\nrank = 'high'\nterms = ['urges']\n",
            "needs an integer 'rank'",
        ),
        (
            "[operative_verb]\nneutral = ['urges']\n[[operative_verb.tier]]\nrank = 1\n"
            "terms = ['urges']\n[preambular_lead]\n[[preambular_lead.tier]]\nrank = 1\n"
            "terms = ['noting']\n[qualifier]\n[[qualifier.tier]]\nrank = 1\nterms = ['concern']\n",
            "both ranked and neutral",
        ),
        (
            "[operative_verb]\n[[operative_verb.tier]]\nrank = 1\nterms = ['urges']\n"
            "[[operative_verb.tier]]\nrank = 2\nterms = ['Urges']\n",
            "has two ranks",
        ),
    ],
)
def test_bad_scale_files_rejected(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content, "utf-8")
    with pytest.raises(UsageError) as err:
        load_scale(bad)
    message = str(err.value)
    assert str(bad) in message and problem in message and "\n" not in message


def test_missing_scale_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot be read"):
        load_scale(tmp_path / "nope.toml")


def test_every_corpus_lead_is_ranked_or_neutral(shared_corpus: Path) -> None:
    total = ranked = 0
    unknown: collections.Counter[str] = collections.Counter()
    for path in [*sorted(SERIES.glob("*.txt")), SEED]:
        for u in parse_file(path).units:
            if not u.lead:
                continue
            group = "operative verb" if u.kind is UnitKind.OPERATIVE else "preambular lead"
            total += 1
            ranked += SCALE.rank(group, u.lead) is not None
            if not SCALE.known(group, u.lead):
                unknown[u.lead] += 1
    assert not unknown, unknown.most_common(10)
    # Pinned: 3402 leads, 2612 ranked (77%); the rest deliberately neutral. A lead that
    # loses its rank (or a unit its lead) changes these counts.
    assert (total, ranked) == (3402, 2612)


def _real(old: str, new: Path | str) -> list[tuple[int, tuple[str, ...], str, str, str, str]]:
    newpath = new if isinstance(new, Path) else SERIES / f"{new}.txt"
    cmp = compare(parse_file(SERIES / f"{old}.txt"), parse_file(newpath))
    return [
        (c.pair_index, c.new_labels, c.group, c.old_term, c.new_term, c.direction)
        for c in strength_changes(cmp, SCALE)
    ]


# Each redline read by hand (`resdiff diff OLD NEW --only changed --no-color`).
def test_real_right_to_food_draft(shared_corpus: Path) -> None:
    # PP45 -> PP48 drops "with appreciation". PP50 -> PP53 "Acknowledging" -> "Expressing its
    # support": both on the same tier (20), so not reported.
    assert _real("A_RES_79_171", "A_C.3_80_L.41") == [
        (
            53,
            ("PP48",),
            "preambular lead",
            "Taking note with appreciation",
            "Taking note",
            "softened",
        ),
    ]


def test_real_ageing_draft_has_none(shared_corpus: Path) -> None:
    # Only OP26 -> OP27 "Encourages" -> "Also encourages": a filler, not a strength change.
    assert _real("A_RES_79_147", "A_C.3_80_L.5") == []


def test_real_dprk_seed_draft(shared_corpus: Path) -> None:
    # PP20 -> PP19 "Noting with concern ..., condemning" -> "Condemning" and PP26 "Welcoming and
    # further encouraging" -> "Welcoming ..., encouraging further": clauses cut or moved, not
    # verbs reworded. PP19 "Recalling" -> "Noting with concern" and OP9 "Also welcomes" ->
    # "Expresses": from/to neutral leads, not ranked.
    assert _real("A_RES_76_177", SEED) == []


def test_real_right_to_food_resolutions(shared_corpus: Path) -> None:
    # OP4 "Expresses particular concern ..., underlines" -> "Underlines": a clause cut.
    assert _real("A_RES_78_198", "A_RES_79_171") == []


def test_real_changes_across_series(shared_corpus: Path) -> None:
    assert _real("A_RES_74_166", "A_RES_75_190") == [
        (25, ("PP24",), "preambular lead", "Noting", "Stressing", "strengthened"),
        (27, ("PP26",), "preambular lead", "Welcoming", "Encouraging", "strengthened"),
        (
            29,
            ("OP1",),
            "operative verb",
            "Condemns",
            "Condemns in the strongest terms",
            "strengthened",
        ),
        (47, ("OP3",), "qualifier", "concern", "grave concern", "strengthened"),
    ]
    assert _real("A_C.3_80_L.20", "A_RES_80_190") == [
        (22, ("PP23",), "preambular lead", "Acknowledging", "Expressing concern", "strengthened"),
        (
            106,
            ("OP53",),
            "operative verb",
            "Takes note with appreciation",
            "Takes note",
            "softened",
        ),
    ]
