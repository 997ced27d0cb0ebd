"""Audit of the word diffs on the real series: no change starts or ends inside a number or
a document symbol ("28.[-9-]{+0+}", "resolution [-78-]{+79+}/7" are cuts a reader misreads).

Every changed pair of consecutive versions in ../shared/corpus/series is diffed, and each
span boundary, on both sides, is checked against the numbers and symbols of the text,
found by a pattern written here (not the tokeniser's).
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from conftest import SERIES

from resdiff.compare import compare
from resdiff.ingest import parse_file
from resdiff.model import Comparison, DocKind, Document, SpanOp
from resdiff.series import candidate, group

# A symbol: letters (optionally with a session in brackets or a number) then one or more
# "/"-parts, at least one digit somewhere (A/RES/79/7, A/C.3/80/L.41, S-35/1, 55/19,
# E/CN.4/2005/L.10/Add.17, GC(68)/DEC/9); a number: digits with decimal or thousands
# separators and an optional percent sign.
_PART = r"[0-9A-Za-z]+(?:\.[0-9A-Za-z]+|-[0-9A-Za-z]+)*"
_HEAD = r"(?:[A-Z][A-Za-z]*(?:\([0-9]+\)|\.[0-9]+|-[0-9]+)?|[0-9]+)"
_ORACLE = re.compile(
    rf"(?<![\w/.]){_HEAD}(?:/{_PART})+"
    r"|(?<![\w.,])[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?%?"
    r"|(?<![\w.,])[0-9]+\.[0-9]+%?"
)


def _atoms(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _ORACLE.finditer(text) if any(c.isdigit() for c in m.group())]


@cache
def _docs() -> dict[str, Document]:
    return {p.stem: parse_file(p) for p in sorted(SERIES.glob("*.txt"))}


def _comparisons() -> list[tuple[str, str, Comparison]]:
    docs = _docs()
    out = []
    for s in group([candidate(k, d) for k, d in docs.items()]):
        versions = [k for k in s.members if docs[k].metadata.kind is not DocKind.AMENDMENT]
        for a, b in itertools.pairwise(versions):
            out.append((a, b, compare(docs[a], docs[b])))
    return out


def _boundaries(c: Comparison) -> list[tuple[str, int]]:
    """(unit text, offset) of every span boundary inside a unit, both sides."""
    old_units = {u.label: u.text for u in c.old.units}
    new_units = {u.label: u.text for u in c.new.units}
    out = []
    for p in c.pairs:
        if all(sp.op is SpanOp.EQUAL for sp in p.spans):
            continue
        for side, labels, units in (("old", p.old, old_units), ("new", p.new, new_units)):
            for part, label in enumerate(labels):
                pos = 0
                for sp in p.spans:
                    if side == "old" and sp.op is not SpanOp.INSERT and sp.old_part == part:
                        out.append((units[label], pos))
                        pos += len(sp.old_side_text)
                    elif side == "new" and sp.op is not SpanOp.DELETE and sp.new_part == part:
                        out.append((units[label], pos))
                        pos += len(sp.text)
                assert pos == len(units[label])
    return out


def test_oracle_finds_the_tokens_it_must() -> None:
    text = "resolutions 55/19, A/RES/79/7 and S-35/1 of A/C.3/80/L.41; 28.9 per cent, 1,000,000."
    found = [text[a:b] for a, b in _atoms(text)]
    assert found == ["55/19", "A/RES/79/7", "S-35/1", "A/C.3/80/L.41", "28.9", "1,000,000"]


def test_no_span_boundary_falls_inside_a_number_or_symbol() -> None:
    checked = 0
    cuts: list[str] = []
    for a, b, c in _comparisons():
        for text, at in _boundaries(c):
            checked += 1
            for start, end in _atoms(text):
                if start < at < end:
                    cuts.append(f"{a} -> {b}: {text[max(0, at - 30) : at]}|{text[at : at + 30]}")
    assert checked > 1000  # the audit has teeth
    assert not cuts, f"{len(cuts)} cuts inside numbers or symbols:\n" + "\n".join(cuts[:30])
