"""Shared fixtures: where the corpus lives, the --update-golden switch, database URLs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path(os.environ.get("RESDIFF_SHARED_CORPUS", REPO.parent / "shared" / "corpus"))
SEED = SHARED_CORPUS / "seed" / "000_4a554fcc2369da89.txt"
SERIES = SHARED_CORPUS / "series"
PDFS = SHARED_CORPUS / "pdf"
BULK = SHARED_CORPUS / "bulk"
GOLDEN = REPO / "tests" / "golden"
PG_URL = os.environ.get("RESDIFF_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the expected files under tests/golden/ instead of comparing with them",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    # The real documents are part of the test contract (CI has them beside the
    # checkout); a missing corpus is an error, not a reason to skip.
    if not SERIES.is_dir():
        raise RuntimeError(f"shared corpus not found at {SHARED_CORPUS}; set RESDIFF_SHARED_CORPUS")
    return SHARED_CORPUS
