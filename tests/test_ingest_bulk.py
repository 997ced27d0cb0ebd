"""Corpus scale: all of bulk/ ingests into one database; failures are listed with reasons, none aborts the batch."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BULK

from resdiff.batch import IngestOutcome, ingest_paths
from resdiff.store import open_store

pytestmark = pytest.mark.slow


def test_bulk_folder_ingests_with_structure_checks_passing(tmp_path: Path) -> None:
    seen: list[IngestOutcome] = []
    with open_store(f"sqlite:///{tmp_path / 'bulk.db'}") as store:
        outcomes = ingest_paths(store, [BULK], progress=lambda _d, _t, o: seen.append(o))
        stored = store.list()
    assert len(outcomes) == len(list(BULK.iterdir())) == 1187
    assert seen == outcomes  # progress reported every file, in order
    failed = [o for o in outcomes if o.status == "failed"]
    flagged = [o for o in outcomes if o.problems]
    report = "\n".join(f"{o.path}: {o.message or '; '.join(o.problems)}" for o in failed + flagged)
    passing = len(outcomes) - len(failed) - len(flagged)
    assert passing / len(outcomes) >= 0.99, report
    assert all(o.message for o in failed)
    # Every document that parsed is in the database once; exact duplicates say so.
    keys = {o.key for o in outcomes if o.status != "failed"}
    assert len(stored) == len(keys)
