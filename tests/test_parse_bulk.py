"""Corpus scale: all 1,187 bulk texts parse; structure checks pass for at least 99%."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BULK

from resdiff.ingest.checks import lost_text, structure_problems, uncited_footnotes
from resdiff.ingest.structure import build_document
from resdiff.ingest.text import text_to_raw
from resdiff.model import Source


@pytest.mark.slow
def test_bulk_structure_checks(shared_corpus: Path) -> None:
    files = sorted(BULK.glob("*.txt"))
    assert len(files) == 1187
    failures: list[str] = []
    lost: list[str] = []
    uncited: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        # No failure may abort the batch: every file is parsed, every problem collected.
        raw = text_to_raw(text, Source(path.name, "text", ""))
        doc = build_document(raw)
        assert doc.units, path.name
        problems = structure_problems(doc)
        if problems:
            failures.append(f"{path.name}: {'; '.join(problems)[:200]}")
        if nums := uncited_footnotes(doc):
            uncited.append(f"{path.name}: {nums}")
        missing = lost_text(text, raw, doc)
        if missing:
            lost.append(f"{path.name}: {missing[0]}")
    rate = 1 - len(failures) / len(files)
    report = "\n".join(failures)
    print(f"\nbulk structure checks: {len(files) - len(failures)}/{len(files)} = {rate:.2%}")
    print(report)
    print(f"files with a footnote no unit cites: {len(uncited)}")
    print("\n".join(uncited))
    assert rate >= 0.99, f"pass rate {rate:.2%} < 99%; failures:\n{report}"
    # Some bulk texts lost a marker in extraction (tables, headings), others keep forms the
    # text route still misses ("Convention 1 and", "resolutions 5/7 27 and"): a ceiling
    # (47 files at 2026-11-28, down from 175) to lower, not yet a zero.
    assert len(uncited) <= 47, "\n".join(uncited)
    assert lost == [], "\n".join(lost)
