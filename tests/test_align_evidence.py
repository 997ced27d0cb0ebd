"""Informative word weights and lead verb families: the evidence the aligner reads beyond
word order, and the shipped corpus table it rests on."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SHARED_CORPUS

from resdiff.align.evidence import Informativeness, corpus_frequencies, lead_family
from resdiff.model import Document
from resdiff.normalize import key, key_words


def ws(text: str) -> frozenset[str]:
    return frozenset(key_words(key(text)))


def test_shipped_table_counts_distinct_corpus_paragraphs() -> None:
    total, df = corpus_frequencies()
    assert total > 20_000 and len(df) > 10_000
    assert df["the"] > 0.8 * total  # everywhere
    assert df["states"] > df["korea"] > df.get("surcharge", 0) > 0


@pytest.mark.slow
def test_shipped_table_is_what_the_script_builds_from_the_corpus(
    shared_corpus: Path, bulk_parsed: dict[str, tuple[Any, Any]]
) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from build_idf import OUT, _parse, build

    def parse(path: Path) -> Document | None:
        # bulk/ is parsed once per test run (the shared fixture); the rest here.
        if path.parent.name != "bulk":
            return _parse(path)
        doc = bulk_parsed[path.name][1]
        return doc if isinstance(doc, Document) else None

    assert build(SHARED_CORPUS, parse) == OUT.read_text(encoding="utf-8"), (
        "run .venv/bin/python benchmarks/build_idf.py (the corpus or the parser changed)"
    )


def test_boilerplate_weighs_less_than_rare_words() -> None:
    country = "the Democratic People's Republic of Korea"
    units = [ws(f"Calls upon Member States to address {topic} in {country}") for topic in range(12)]
    units += [ws("Welcomes the review of the surcharge policy of the International Monetary Fund")]
    info = Informativeness(units)
    # Rare in the corpus, but in every paragraph of these texts: next to nothing.
    assert info.weight("korea") < 0.2 * info.weight("surcharge")
    # Common everywhere.
    assert info.weight("the") < 0.05 and info.weight("calls") < 0.5
    a = ws(f"Calls upon Member States to fund sanitation in {country}")
    b = ws(f"Calls upon Member States to consider foreign policy in {country}")
    c = ws("Takes note of the surcharge policy review of the International Monetary Fund")
    assert info.overlap(a, b) < 0.25 < info.overlap(units[-1], c)
    assert info.contained(c, units[-1]) > 0.6 and info.shared(c, units[-1], 1.0) >= 3


@pytest.mark.parametrize(
    ("lead", "family"),
    [
        ("Recalling", "recall"),
        ("Recalling also", "recall"),
        ("Also recalls", "recall"),
        ("Takes note", "not"),
        ("Taking note with appreciation", "not"),
        ("Noting with deep concern", "not"),
        ("Welcoming", "welcom"),
        ("Further welcomes", "welcom"),
        ("Strongly urges", "urg"),
        ("Requests", "request"),
        ("Calls upon", "call"),
        ("Decides", "decid"),
    ],
)
def test_lead_family(lead: str, family: str) -> None:
    assert lead_family(key_words(key(lead))) == family
