"""Corpus scale: all 1,187 bulk texts parse; the structure checks fail and footnotes stay
uncited exactly where ``bulk_known`` says, and why."""

from __future__ import annotations

from typing import Any

import pytest
from bulk_known import STRUCTURE_PROBLEMS, UNCITED
from conftest import BULK

from resdiff.ingest.checks import lost_text, structure_problems, uncited_footnotes
from resdiff.model import Document


@pytest.mark.slow
def test_bulk_structure_checks(bulk_parsed: dict[str, tuple[Any, Any]]) -> None:
    files = sorted(BULK.glob("*.txt"))
    assert len(files) == 1187 == len(bulk_parsed)
    failures: dict[str, str] = {}
    lost: list[str] = []
    uncited: dict[str, list[int]] = {}
    for path in files:
        # No failure may abort the batch: every file is parsed, every problem collected.
        raw, doc = bulk_parsed[path.name]
        assert raw is not None and isinstance(doc, Document), f"{path.name}: {doc}"
        assert doc.units, path.name
        problems = structure_problems(doc)
        if problems:
            failures[path.name] = "; ".join(problems)[:200]
        if nums := uncited_footnotes(doc):
            uncited[path.name] = nums
        missing = lost_text(path.read_text(encoding="utf-8"), raw, doc)
        if missing:
            lost.append(f"{path.name}: {missing[0]}")
    report = "\n".join(f"{name}: {why}" for name, why in failures.items())
    print(f"\nbulk structure checks: {len(files) - len(failures)}/{len(files)} pass")
    print(report)
    print(f"footnotes no unit cites: {sum(map(len, uncited.values()))} in {len(uncited)} files")
    print("\n".join(f"{name}: {nums}" for name, nums in uncited.items()))
    assert set(failures) == set(STRUCTURE_PROBLEMS), report
    assert {name: sorted(why) for name, why in UNCITED.items()} == uncited
    assert lost == [], "\n".join(lost)
