"""Corpus scale: all of bulk/ (with series/ and the seed) ingests into one database; failures
are listed with reasons, none aborts the batch.

The batch ingest itself is the shared ``corpus_build`` fixture (one run per test session,
also read by the review and provenance tests); this checks what it reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bulk_known import STRUCTURE_PROBLEMS
from conftest import BULK

from resdiff.batch import IngestOutcome
from resdiff.store import open_store

pytestmark = pytest.mark.slow


def test_bulk_folder_ingests_with_structure_checks_passing(
    corpus_build: Path, corpus_db: str
) -> None:
    record = json.loads((corpus_build / "corpus.outcomes.json").read_text(encoding="utf-8"))
    everything = [
        IngestOutcome(**{**o, "problems": tuple(o["problems"])}) for o in record["outcomes"]
    ]
    assert record["progress_in_order"]  # progress reported every file, in order
    outcomes = [o for o in everything if Path(o.path).parent == BULK]
    assert len(outcomes) == len(list(BULK.iterdir())) == 1187
    failed = [o for o in outcomes if o.status == "failed"]
    flagged = [o for o in outcomes if o.problems]
    report = "\n".join(f"{o.path}: {o.message or '; '.join(o.problems)}" for o in failed + flagged)
    # exactly the files the parse tests know about (tests/bulk_known.py), none failed
    assert failed == [], report
    assert {Path(o.path).name for o in flagged} == set(STRUCTURE_PROBLEMS), report
    # Every document that parsed is in the database once; exact duplicates say so
    # (series/ repeats texts of bulk/: those are "already stored", not new rows).
    keys = {o.key for o in everything if o.status != "failed"}
    with open_store(corpus_db, create=False) as store:
        assert len(store.list()) == len(keys)
    assert any(o.status == "already stored" for o in everything)
