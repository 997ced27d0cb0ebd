"""Hypothesis properties of the text and Markdown parsers: total, and exact on well-formed input."""

from __future__ import annotations

import contextlib
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resdiff.errors import NoTextError, ResdiffError
from resdiff.ingest.checks import lost_text, structure_problems
from resdiff.ingest.markdown import parse_markdown
from resdiff.ingest.structure import build_document
from resdiff.ingest.text import parse_text, text_to_raw
from resdiff.model import Document, Source

SRC = Source("generated", "text", "")
PP_LEADS = ["Recalling", "Reaffirming also", "Deeply concerned", "Noting with deep concern",
            "Bearing in mind", "Taking note", "Mindful", "Stressing again with grave concern"]  # fmt: skip
OP_LEADS = ["Decides", "Strongly urges", "Calls upon", "Also requests",
            "Expresses its very serious concern", "Welcomes", "Encourages"]  # fmt: skip
WORDS = ["the", "rights", "of", "states", "human", "council", "report", "and", "to",
         "ensure", "protection", "all", "persons", "well-being", "in", "particular"]  # fmt: skip
ROMANS = ["i", "ii", "iii", "iv", "v", "vi"]

words = st.lists(st.sampled_from(WORDS), min_size=3, max_size=40).map(" ".join)


@st.composite
def documents(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """(label, lead, text) of a well-formed resolution: PPs, then OPs with sub-items."""
    units: list[tuple[str, str, str]] = []
    for i in range(1, draw(st.integers(1, 6)) + 1):
        lead = draw(st.sampled_from(PP_LEADS))
        units.append((f"PP{i}", lead, f"{lead} {draw(words)},"))
    for n in range(1, draw(st.integers(1, 6)) + 1):
        lead = draw(st.sampled_from(OP_LEADS))
        subs = draw(st.integers(0, 4))
        end = ":" if subs else ";"
        units.append((f"OP{n}", lead, f"{lead} {draw(words)}{end}"))
        for k in range(subs):
            letter = "abcdefgh"[k]
            romans = draw(st.integers(0, 3)) if k == 0 else 0
            end = ":" if romans else ";"
            units.append((f"OP{n}({letter})", "", f"The {draw(words)}{end}"))
            for r in range(romans):
                units.append((f"OP{n}({letter})({ROMANS[r]})", "", f"The {draw(words)};"))
    return units


def _enumerator(label: str) -> str:
    if "(" in label:
        return label[label.rindex("(") :] + " "
    return f"{label[2:]}. " if label.startswith("OP") else ""


def _as_text(units: list[tuple[str, str, str]], page_every: int) -> str:
    out = ["United Nations", "A/RES/99/1", "", "General Assembly", "Distr.: General",
           "1 January 2030", "", "Ninety-ninth session", "Agenda item 1", "", "",
           "99/1. A generated resolution", "", "The General Assembly,", ""]  # fmt: skip
    page = 1
    for i, (label, _lead, text) in enumerate(units, 1):
        out += textwrap.wrap(
            _enumerator(label) + text, 80, break_on_hyphens=False, break_long_words=False
        )
        out.append("")
        if page_every and i % page_every == 0:
            page += 1
            out += ["A/RES/99/1", "A generated resolution", "", "30-12345", f"{page}/9", ""]
    return "\n".join(out)


def _as_markdown(units: list[tuple[str, str, str]], page_every: int) -> str:
    out = ["# General Assembly", "", "## Ninety-ninth session", "", "*The General Assembly,*", ""]
    for i, (label, lead, text) in enumerate(units, 1):
        body = f"*{lead}*{text[len(lead) :]}" if lead else text
        out += [_enumerator(label) + body, ""]
        if page_every and i % page_every == 0:
            out += ["---", ""]
    return "\n".join(out)


def _units(doc: Document) -> list[tuple[str, str, str]]:
    return [(u.label, u.lead, u.text) for u in doc.units]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(0, 4))
def test_text_route_gives_back_the_units(
    units: list[tuple[str, str, str]], page_every: int
) -> None:
    text = _as_text(units, page_every)
    raw = text_to_raw(text, SRC)
    doc = build_document(raw)
    assert _units(doc) == units
    assert structure_problems(doc) == []
    assert lost_text(text, raw, doc) == []
    assert doc.metadata.symbol == "A/RES/99/1" and doc.metadata.title == "A generated resolution"


@settings(max_examples=60, deadline=None)
@given(documents(), st.integers(0, 4))
def test_markdown_route_gives_back_the_units(
    units: list[tuple[str, str, str]], page_every: int
) -> None:
    doc = parse_markdown(_as_markdown(units, page_every), SRC)
    assert _units(doc) == units


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parsers_are_total(text: str) -> None:
    for parse in (parse_text, parse_markdown):
        try:
            doc = parse(text, SRC)
        except ResdiffError:
            continue
        assert isinstance(doc, Document)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["1.", "(a)", "(i)", "The General Assembly,", "___________", "1/2",
                         "A/RES/1/1", "21-12345", "*2112345*", "Annex", "---", "<sup>1</sup>",
                         "1  A note.", "Recalling", "Decides", "word", "", "well-", "*x*"]),
        max_size=60,
    ).map("\n".join)
)  # fmt: skip
def test_parsers_are_total_on_resolution_like_noise(text: str) -> None:
    for parse in (parse_text, parse_markdown):
        with contextlib.suppress(ResdiffError):
            parse(text, SRC)


@pytest.mark.parametrize("text", ["", " ", "\n\n\t \r\n", "\ufeff"])
def test_empty_text_is_refused(text: str) -> None:
    for parse in (parse_text, parse_markdown):
        with pytest.raises(NoTextError, match="no text found"):
            parse(text.replace("\ufeff", " "), SRC)
