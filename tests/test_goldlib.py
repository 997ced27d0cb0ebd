"""The gold scorer itself: strict and lax link scores, kinds, non-identical links."""

from __future__ import annotations

from pathlib import Path

from goldlib import Decision, Gold, Reading, Side, score

from resdiff.compare import compare
from resdiff.model import Document, Metadata, Unit, UnitKind

OP = UnitKind.OPERATIVE
TEXTS = {
    "a": "Condemns the long-standing and ongoing systematic widespread violations of human rights",
    "b": "Calls upon the Government to end impunity and to bring perpetrators to justice",
    "c": "Decides to continue its examination of the situation at its next session",
    "d": "Requests the Secretary-General to submit a comprehensive report on the situation",
}


def doc(*texts: str) -> Document:
    return Document(
        Metadata(),
        tuple(Unit(f"OP{i}", OP, t, t.split(" ")[0]) for i, t in enumerate(texts, 1)),
    )


def gold(*decisions: Decision) -> Gold:
    side = Side("x", "x", "text")
    return Gold(Path("x"), side, side, "tuning", "", decisions, {}, {}, None)


def link(o: str, n: str, **kw: object) -> Decision:
    return Decision(tuple(o.split("+")), tuple(n.split("+")), **kw)  # type: ignore[arg-type]


def test_perfect_prediction_scores_one() -> None:
    a = doc(TEXTS["a"], TEXTS["b"], TEXTS["c"])
    b = doc(TEXTS["a"], TEXTS["b"] + " without delay", TEXTS["c"])
    s = score(gold(link("OP1", "OP1"), link("OP2", "OP2"), link("OP3", "OP3")), compare(a, b))
    assert s.strict.f1 == s.lax.f1 == 1.0
    assert (s.nonidentical.tp, s.nonidentical.fp, s.nonidentical.fn) == (1, 0, 0)
    assert s.wrong == [] and s.missed == [] and s.unchanged_called_changed == 0


def test_wrong_link_counts_strict_but_not_lax_when_ambiguous() -> None:
    # The aligner links OP2 -> OP2 (a light edit); the gold says removed + added, but
    # marks it ambiguous with the link as the alternative reading.
    a = doc(TEXTS["a"], TEXTS["b"])
    b = doc(TEXTS["a"], TEXTS["b"] + " and to cooperate")
    g = gold(
        link("OP1", "OP1"),
        Decision(
            ("OP2",),
            (),
            ambiguous=True,
            alternative=Reading(links=frozenset({(("OP2",), ("OP2",))})),
        ),
        Decision((), ("OP2",), ambiguous=True),
    )
    s = score(g, compare(a, b))
    assert (s.strict.tp, s.strict.fp, s.strict.fn) == (1, 1, 0)
    assert (s.lax.tp, s.lax.fp, s.lax.fn) == (1, 0, 0)
    assert s.kinds["removed"].fn == 1 and s.kinds["added"].fn == 1
    assert s.kinds_lax["removed"].fn == 0
    assert s.wrong == []


def test_kinds_split_moved_and_unchanged_called_changed() -> None:
    a = doc(TEXTS["a"] + " and " + TEXTS["b"], TEXTS["c"], TEXTS["d"])
    b = doc(TEXTS["a"], TEXTS["b"], TEXTS["d"], TEXTS["c"])
    g = gold(link("OP1", "OP1+OP2"), link("OP2", "OP4"), link("OP3", "OP3"))
    s = score(g, compare(a, b))
    assert s.kinds["split"].tp == 1
    # A swap: both links cross each other, whichever of the two the aligner calls moved.
    assert s.kinds["moved"].tp == 2 and s.kinds["moved"].fp == 0
    assert s.unchanged_called_changed == 0
    # Against a gold that keeps the order, the two predicted links are wrong and missed.
    s2 = score(gold(link("OP1", "OP1+OP2"), link("OP2", "OP3"), link("OP3", "OP4")), compare(a, b))
    assert len(s2.wrong) == len(s2.missed) == 2 and s2.kinds["moved"].fp == 2
