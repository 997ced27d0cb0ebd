"""A paragraph as a reader types it resolves to the document's label, and never to another."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resdiff.unitref import resolve_label

LABELS = ["PP1", "PP2", "PP3", "OP1", "OP2", "OP2(a)", "OP2(a)(iv)", "OP3", "OP21", "P1.OP4"]


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("OP3", "OP3"),
        ("op3", "OP3"),
        ("op 3", "OP3"),
        ("op. 3", "OP3"),
        ("Operative paragraph 3", "OP3"),
        ("operative 3", "OP3"),
        ("paragraph 3", "OP3"),
        ("para. 3", "OP3"),
        ("3", "OP3"),
        (" 3 ", "OP3"),
        ("pp 2", "PP2"),
        ("Preambular paragraph 2", "PP2"),
        ("the third preambular paragraph", "PP3"),
        ("second operative paragraph", "OP2"),
        ("2nd operative paragraph", "OP2"),
        ("twenty-first operative paragraph", "OP21"),
        ("op 2 (a) (iv)", "OP2(a)(iv)"),
        ("2(a)", "OP2(a)"),
        ("operative paragraph 2 (a)", "OP2(a)"),
        ("p1.op4", "P1.OP4"),
    ],
)
def test_what_readers_type_names_the_paragraph(typed: str, label: str) -> None:
    assert resolve_label(LABELS, typed) == label


@pytest.mark.parametrize(
    "typed", ["op 4", "pp 4", "4", "fourth preambular paragraph", "OP2(b)", "annex", "", "op"]
)
def test_a_paragraph_the_document_lacks_is_none(typed: str) -> None:
    assert resolve_label(LABELS, typed) is None


def test_an_exact_label_wins() -> None:
    # A document whose labels differ only in case (never seen, but possible in an
    # edited store) resolves the exact one.
    assert resolve_label(["op1", "OP1"], "OP1") == "OP1"
    assert resolve_label(["op1", "OP1"], "op1") == "op1"


labels = st.builds(
    lambda kind, n, subs: f"{kind}{n}" + "".join(f"({s})" for s in subs),
    st.sampled_from(["PP", "OP"]),
    st.integers(1, 120),
    st.lists(st.sampled_from(["a", "b", "i", "iv", "xii"]), max_size=2),
)


@given(st.lists(labels, min_size=1, max_size=30, unique=True), st.data())
def test_any_spacing_or_case_of_a_label_finds_it_and_only_it(
    known: list[str], data: st.DataObject
) -> None:
    label = data.draw(st.sampled_from(known))
    spaced = "".join(c + data.draw(st.sampled_from(["", " "])) for c in label)
    typed = data.draw(st.sampled_from([label.lower(), spaced, label.upper().lower()]))
    assert resolve_label(known, typed) == label
    kind, rest = label[:2], label[2:]
    words = {"OP": "operative paragraph ", "PP": "preambular paragraph "}[kind]
    assert resolve_label(known, words + rest) == label
    # Never another paragraph: a number no label has resolves to nothing.
    assert resolve_label(known, f"{kind} 999") is None
