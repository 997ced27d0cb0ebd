"""Invariants of compare(): nothing lost, identity, mirror, permutation, determinism, bad inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from conftest import SERIES
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiff.compare import compare, is_routine
from resdiff.model import (
    Comparison,
    Document,
    Footnote,
    Metadata,
    Pair,
    PairKind,
    SpanOp,
    Unit,
    UnitKind,
)
from resdiff.settings import Settings

REPO = Path(__file__).resolve().parents[1]
K = UnitKind
VOCAB = [
    "Recalls",
    "the",
    "General",
    "Assembly",
    "human",
    "rights",
    "situation",
    "food",
    "urges",
    "Member",
    "States",
    "75/190",
    "2020",
    "of",
    "and",
    "to",
    "report",
    "Council",
    ",",
    ";",
    ".",
]

unit_text = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=12).map(" ".join)
unit_spec = st.tuples(st.sampled_from([K.PREAMBULAR, K.OPERATIVE]), unit_text)


def make_doc(specs: list[tuple[UnitKind, str]], footnotes: tuple[str, ...] = ()) -> Document:
    """Preambular units first, then operative, labelled in order."""
    pps = [t for k, t in specs if k is K.PREAMBULAR]
    ops = [t for k, t in specs if k is K.OPERATIVE]
    units = [Unit(f"PP{i}", K.PREAMBULAR, t, t.split(" ")[0]) for i, t in enumerate(pps, 1)]
    units += [Unit(f"OP{i}", K.OPERATIVE, t, t.split(" ")[0]) for i, t in enumerate(ops, 1)]
    fns = tuple(Footnote(i, t) for i, t in enumerate(footnotes, 1))
    return Document(Metadata(), tuple(units), fns)


docs = st.builds(
    make_doc,
    st.lists(unit_spec, max_size=8),
    st.lists(unit_text, max_size=3).map(tuple),
)


def check_accounted(cmp: Comparison) -> None:
    """Every unit in exactly one pair, and the spans rebuild every unit's text exactly."""
    for pairs, old_units, new_units in (
        (cmp.pairs, cmp.old.units, cmp.new.units),
        (
            cmp.footnotes,
            [Unit(f"fn{f.number}", K.PREAMBULAR, f.text) for f in cmp.old.footnotes],
            [Unit(f"fn{f.number}", K.PREAMBULAR, f.text) for f in cmp.new.footnotes],
        ),
    ):
        old_text = {u.label: u.text for u in old_units}
        new_text = {u.label: u.text for u in new_units}
        assert Counter(lab for p in pairs for lab in p.old) == Counter(list(old_text))
        assert Counter(lab for p in pairs for lab in p.new) == Counter(list(new_text))
        for p in pairs:
            assert p.old_texts() == [old_text[lab] for lab in p.old]
            assert p.new_texts() == [new_text[lab] for lab in p.new]
            assert p.kind is not PairKind.SPLIT or (len(p.old) == 1 and len(p.new) > 1)
            assert p.kind is not PairKind.MERGED or (len(p.new) == 1 and len(p.old) > 1)
            assert bool(p.old) or p.kind is PairKind.ADDED
            assert bool(p.new) or p.kind is PairKind.REMOVED


@given(docs, docs)
def test_nothing_lost_and_every_unit_once(a: Document, b: Document) -> None:
    check_accounted(compare(a, b))


@given(docs)
def test_identity(a: Document) -> None:
    cmp = compare(a, a)
    assert cmp.identical
    assert all(s.op is SpanOp.EQUAL for p in (*cmp.pairs, *cmp.footnotes) for s in p.spans)
    assert [p.new for p in cmp.pairs] == [(u.label,) for u in a.units]


_FLIP = {
    PairKind.ADDED: PairKind.REMOVED,
    PairKind.REMOVED: PairKind.ADDED,
    PairKind.SPLIT: PairKind.MERGED,
    PairKind.MERGED: PairKind.SPLIT,
}
_SWAP = {SpanOp.INSERT: SpanOp.DELETE, SpanOp.DELETE: SpanOp.INSERT, SpanOp.EQUAL: SpanOp.EQUAL}


def mirrored(p: Pair) -> tuple[object, ...]:
    """The pair as compare(B, A) must give it: sides, kinds and span ops swapped."""
    # A typographic variant's two printed forms swap sides too.
    spans = [(_SWAP[s.op], s.old_side_text, s.text, s.new_part, s.old_part) for s in p.spans]
    # Within a changed run deletions come first: reorder after swapping.
    out: list[tuple[object, ...]] = []
    run: list[tuple[SpanOp, str, str, int, int]] = []
    for s in [*spans, (SpanOp.EQUAL, "", "", -1, -1)]:
        if s[0] is SpanOp.EQUAL:
            out += sorted(run, key=lambda r: r[0] is SpanOp.INSERT)
            run = []
            if s[1]:
                out.append(s)
        else:
            run.append(s)
    return (_FLIP.get(p.kind, p.kind), p.new, p.old, round(p.similarity, 6), tuple(out))


def as_tuple(p: Pair) -> tuple[object, ...]:
    spans = tuple((s.op, s.text, s.old_side_text, s.old_part, s.new_part) for s in p.spans)
    return (p.kind, p.old, p.new, round(p.similarity, 6), spans)


@given(docs, docs)
def test_mirror(a: Document, b: Document) -> None:
    ab, ba = compare(a, b), compare(b, a)
    assert sorted(map(repr, map(mirrored, ab.pairs))) == sorted(map(repr, map(as_tuple, ba.pairs)))
    assert sorted(map(repr, map(mirrored, ab.footnotes))) == sorted(
        map(repr, map(as_tuple, ba.footnotes))
    )


@given(st.lists(unit_spec, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_permutation_gives_moves_not_text_changes(specs: list[tuple[UnitKind, str]], rnd) -> None:  # type: ignore[no-untyped-def]
    a = make_doc(specs)
    units = list(a.units)
    rnd.shuffle(units)
    b = Document(Metadata(), tuple(units))
    cmp = compare(a, b)
    check_accounted(cmp)
    unique = len({t for _, t in specs}) == len(specs)
    for p in cmp.pairs:
        # With repeated texts, "R" + "R" -> "R R" is an equally faithful merge; never text lost.
        allowed = (
            (PairKind.UNCHANGED, PairKind.MOVED)
            if unique
            else (PairKind.UNCHANGED, PairKind.MOVED, PairKind.SPLIT, PairKind.MERGED)
        )
        assert p.kind in allowed, p
        assert all(s.op is SpanOp.EQUAL for s in p.spans)


@given(docs)
def test_normalisation_is_irrelevant(a: Document) -> None:
    # Curly quotes, NFD accents, non-breaking hyphens: compared as their plain forms.
    def fancy(t: str) -> str:
        return unicodedata.normalize("NFD", t.replace("States", "États").replace("and", "“and”"))

    def plain(t: str) -> str:
        return t.replace("States", "États").replace("and", '"and"')

    old = Document(Metadata(), tuple(Unit(u.label, u.kind, fancy(u.text), u.lead) for u in a.units))
    new = Document(Metadata(), tuple(Unit(u.label, u.kind, plain(u.text), u.lead) for u in a.units))
    cmp = compare(old, new)
    assert cmp.identical
    check_accounted(cmp)


def test_settings_recorded() -> None:
    s = Settings(match_threshold=0.45)
    cmp = compare(make_doc([]), make_doc([]), s)
    assert cmp.settings == s.as_dict() and cmp.settings_hash == s.hash()
    assert s.hash() != Settings().hash()
    json.dumps(cmp.settings)


_SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from test_compare_properties import make_doc, K
from resdiff.compare import compare
from resdiff.ingest.text import parse_text
from resdiff.model import Source
specs = [(K.PREAMBULAR if i % 3 else K.OPERATIVE, " ".join({vocab!r}[i % 7:i % 7 + 6 + i % 5]))
         for i in range(40)]
docs = [(make_doc(specs), make_doc(specs[5:] + specs[:5]))]
real = [Path({series!r}) / n for n in ("A_RES_78_198.txt", "A_RES_79_171.txt")]
docs.append(tuple(parse_text(p.read_text(encoding="utf-8"), Source(p.name, "text", "")) for p in real))
for a, b in docs:
    c = compare(a, b)
    print(json.dumps([[str(p.kind), p.old, p.new, p.similarity, p.renumbered, p.routine,
                       [[str(s.op), s.text, s.old_part, s.new_part] for s in p.spans]]
                      for p in (*c.pairs, *c.footnotes)], ensure_ascii=False))
"""


def test_deterministic_across_hash_seeds(shared_corpus: Path) -> None:
    script = _SCRIPT.format(tests=str(REPO / "tests"), vocab=VOCAB, series=str(SERIES))
    outs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outs.append(done.stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 100


def test_routine_changes() -> None:
    assert is_routine(
        "Recalling all previous resolutions, including resolution 75/190 of 16 December 2020,",
        "Recalling all previous resolutions, including resolution 76/177 of 16 December 2021,",
    )
    assert is_routine("at its seventy-sixth session", "at its seventy-seventh session")
    assert is_routine("adopted on 16 December 2020 by", "adopted on 15 December 2020 by")
    assert is_routine("the report (A/76/392)", "the report (A/77/525)")
    assert not is_routine("at its seventy-sixth session", "at its seventy-sixth session")
    assert not is_routine("Urges the State", "Strongly urges the State")


def test_a_recall_list_gaining_the_latest_resolution_is_routine() -> None:
    # The yearly update of a recall list: one more resolution, its date, the commas moved.
    assert is_routine(
        "Recalling its resolutions 75/289, 77/7 and 78/7 of 2 November 2023,",
        "Recalling its resolutions 75/289, 77/7, 78/7 and 79/7 of 30 October 2024,",
    )
    assert is_routine("including resolution 75/190", "including resolutions 75/190 and 76/177")
    assert is_routine(
        "recalling its resolution 77/6 of 2 November 2022 and",
        "recalling its resolution 78/6 of 1 November 2023 and",
    )
    assert is_routine("and decisions GC(68)/DEC/9 and", "and decisions GC(69)/DEC/10 and")
    # Each item with its date: the "and" moves to the new last item.
    assert is_routine(
        "76/187 of 16 December 2021 and 77/237 of 15 December 2022,",
        "76/187 of 16 December 2021, 77/237 of 15 December 2022 and 78/229 of 19 December 2023,",
    )


def test_figures_and_wording_are_not_routine() -> None:
    # Statistics are news, not a yearly update; so is a new body or a new cycle.
    assert not is_routine("an estimated 28.9 per cent of", "an estimated 28.0 per cent of")
    assert not is_routine("from 1.1 billion to", "from 1.2 billion to")
    assert not is_routine(
        "the first and second cycles of the review",
        "the first, second and third cycles of the review",
    )
    assert not is_routine(
        "Recalling its resolution 78/7,",
        "Recalling its resolution 78/7 and Council resolution 52/28,",
    )
    assert not is_routine("and 78/7 of 2 November 2023", "or 78/7 of 2 November 2023")


def test_one_routine_rule_for_pairs_and_review_runs() -> None:
    from resdiff.routine import routine_change, routine_spans
    from resdiff.worddiff import diff_units

    old, new = (
        "Recalling its resolutions 77/7 and 78/7,",
        "Recalling its resolutions 77/7, 78/7 and 79/7,",
    )
    spans = diff_units([old], [new])
    assert routine_spans(spans) and is_routine(old, new)
    assert routine_change("and ", ", 78/7 and 79/7 of 30 October 2024")
    assert not routine_change("deep ", "grave ")


def test_routine_marked_on_pairs_and_footnotes() -> None:
    a = make_doc(
        [(K.OPERATIVE, "Decides to continue at its seventy-sixth session .")],
        ("Resolution 75/190.",),
    )
    b = make_doc(
        [(K.OPERATIVE, "Decides to continue at its seventy-seventh session .")],
        ("Resolution 76/177.",),
    )
    cmp = compare(a, b)
    assert [(p.kind, p.routine) for p in cmp.pairs] == [(PairKind.CHANGED, True)]
    assert [(p.kind, p.routine) for p in cmp.footnotes] == [(PairKind.CHANGED, True)]


# --- bad inputs ---------------------------------------------------------------


def test_empty_documents() -> None:
    e = make_doc([])
    cmp = compare(e, e)
    assert cmp.pairs == () and cmp.identical
    full = make_doc([(K.OPERATIVE, "Urges all States .")])
    assert [p.kind for p in compare(e, full).pairs] == [PairKind.ADDED]
    assert [p.kind for p in compare(full, e).pairs] == [PairKind.REMOVED]


def test_one_megabyte_paragraph() -> None:
    big = "The Assembly recalls its resolutions on the situation of human rights. " * 14_000
    a = make_doc([(K.OPERATIVE, big)])
    b = make_doc([(K.OPERATIVE, big.replace("situation", "state", 1))])
    cmp = compare(a, b)
    check_accounted(cmp)
    assert [p.kind for p in cmp.pairs] == [PairKind.CHANGED]
    assert len(cmp.pairs[0].spans) <= 4


def test_five_thousand_units() -> None:
    specs = [
        (K.OPERATIVE, f"Paragraph {i} urges States to act on matter {i * 7 % 5003} .")
        for i in range(5000)
    ]
    edited = list(specs)
    del edited[100:110]
    edited[2000] = (K.OPERATIVE, "An entirely new paragraph about something else .")
    edited[3000:3000] = [(K.OPERATIVE, "Inserted text .")]
    cmp = compare(make_doc(specs), make_doc(edited))
    check_accounted(cmp)
    c = cmp.counts()
    assert c["removed"] == 10 + 1 and c["added"] == 2 and c["unchanged"] == 4989


def test_five_thousand_unrelated_units() -> None:
    # No anchors at all: the programme is cut into bounded blocks instead of 25 million cells.
    a = make_doc([(K.OPERATIVE, f"alpha{i} beta{i} gamma{i}") for i in range(5000)])
    b = make_doc([(K.OPERATIVE, f"delta{i} epsilon{i} zeta{i}") for i in range(5000)])
    cmp = compare(a, b)
    check_accounted(cmp)
    assert cmp.stats.rewrite and cmp.stats.counts["added"] == 5000


def test_unrelated_resolutions_are_a_rewrite() -> None:
    a = make_doc(
        [
            (
                K.PREAMBULAR,
                f"Recalling the Charter and resolution {i}/1 on nuclear disarmament verification",
            )
            for i in range(30)
        ]
        + [
            (K.OPERATIVE, f"Calls upon the nuclear-weapon States to reduce arsenals step {i}")
            for i in range(30)
        ]
    )
    b = make_doc(
        [
            (
                K.PREAMBULAR,
                f"Noting with concern food insecurity and hunger among children group {i}",
            )
            for i in range(30)
        ]
        + [
            (K.OPERATIVE, f"Encourages Governments to invest in smallholder farming region {i}")
            for i in range(30)
        ]
    )
    s = compare(a, b).stats
    assert s.rewrite, s
    assert s.counts["unchanged"] == 0 and s.counts["changed"] == 0


@settings(max_examples=50)
@given(docs)
def test_added_unit_is_only_an_addition(a: Document) -> None:
    extra = Unit("OP99", K.OPERATIVE, "Zebras quietly graze elsewhere entirely", "Zebras")
    b = Document(Metadata(), (*a.units, extra), a.footnotes)
    cmp = compare(a, b)
    assert [p.kind for p in cmp.pairs if p.kind is not PairKind.UNCHANGED] == [PairKind.ADDED]
