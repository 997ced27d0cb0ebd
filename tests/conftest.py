"""Shared fixtures: where the corpus lives, the --update-golden switch, database URLs."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path(os.environ.get("RESDIFF_SHARED_CORPUS", REPO.parent / "shared" / "corpus"))
SEED = SHARED_CORPUS / "seed" / "000_4a554fcc2369da89.txt"
SERIES = SHARED_CORPUS / "series"
PDFS = SHARED_CORPUS / "pdf"
BULK = SHARED_CORPUS / "bulk"
GOLDEN = REPO / "tests" / "golden"
CHROMIUM = os.environ.get("RESDIFF_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("RESDIFF_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
]
PG_URL = os.environ.get("RESDIFF_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


# --- checks that need a tool the machine lacks ----------------------------------
#
# A check that cannot run here (no Chromium, no LibreOffice, no PostgreSQL) is never a
# quiet "s" among thousands of dots: it is skipped with this prefix, the run ends with a
# block naming what was not run and how to install it, and under CI it fails instead.
NOT_RUN = "NOT RUN: "


def not_run(reason: str) -> NoReturn:
    """Stop this check because the machine lacks a tool (fail under CI)."""
    if os.environ.get("CI"):
        pytest.fail(f"this check must run in CI: {reason}")
    pytest.skip(NOT_RUN + reason)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        if NOT_RUN in message:
            reasons[message.split(NOT_RUN, 1)[1]] += 1
    if not reasons:
        return
    total = sum(reasons.values())
    terminalreporter.write_sep(
        "!", f"{total} CHECKS NOT RUN: this run is incomplete", red=True, bold=True
    )
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"  {count:4d} not run: {reason}", red=True, bold=True)
    terminalreporter.write_line("  .ci/run installs what is missing and runs them all.", red=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    # In CI a PostgreSQL test that skips (server down, driver missing) is a failure: a
    # green run must have exercised both engines, not quietly left one out.
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and os.environ.get("CI") and item.get_closest_marker("postgres"):
        report.outcome = "failed"
        report.longrepr = f"PostgreSQL test skipped in CI: {_skip_reason(report.longrepr)}"


def _skip_reason(longrepr: Any) -> str:
    # A skip's longrepr is (path, line, "Skipped: reason").
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


# --- scheduling under xdist (`make test`: two workers, --dist loadgroup) ---------------
#
# Workers take the tests in collection order (groups of several tests first): a check of
# a minute taken last would leave the other worker idle for that minute. The longest
# checks, as measured on the two-core machine, start first, longest first; the rest keep
# their order. The history audit builds the shared corpus store and the word-weights
# check the parsed bulk folder; the other checks reading them are queued behind those or
# start later, so they rarely wait on a lock.
LONGEST_FIRST = (
    "tests/test_history_audit.py::",
    "tests/test_review_audit.py::test_every_provenance_claim_holds_on_the_corpus",
    "tests/test_store_read_only.py::test_read_commands_with_a_select_only_postgresql_role",
    "tests/test_align_evidence.py::test_shipped_table_is_what_the_script_builds_from_the_corpus",
    "tests/test_wheel.py::test_wheel_installs_and_runs",
    "tests/test_store_read_only.py::test_read_commands_on_a_read_only_sqlite_store",
    "tests/test_lineage_concurrency.py::",
    "tests/test_fastpaths.py::test_alignment_fast_paths_equal_plain_ones_on_series",
    "tests/test_compare_properties.py::test_five_thousand_unrelated_units",
    "tests/test_readme.py::test_readme_commands_print_what_the_readme_shows",
    "tests/test_pdf_agreement.py::test_pdf_and_text_routes_agree",
    "tests/test_schemas.py::test_comparison_json_schema_property",
    "tests/test_store_stateful.py::",
    "tests/test_hostile.py::",
)


def _start_rank(nodeid: str) -> int:
    return next(
        (n for n, prefix in enumerate(LONGEST_FIRST) if nodeid.startswith(prefix)),
        len(LONGEST_FIRST),
    )


@pytest.hookimpl(trylast=True)  # after xdist's own hook
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if getattr(config.option, "loadgroup", False):  # an xdist worker under --dist loadgroup
        for item in items:
            _keep_xdist_group(item)
    items.sort(key=lambda item: _start_rank(item.nodeid))  # stable: the rest keep their order


def _keep_xdist_group(item: pytest.Item) -> None:
    # xdist sends a test of an xdist_group to its group's worker by the "@name" it adds
    # to the test's id, by assigning item._nodeid; pytest 9 keeps the id in item._id and
    # ignores that, so every group was silently spread over both workers (module
    # fixtures built twice). Add the suffix where pytest 9 reads it; a no-op where
    # xdist's own assignment worked.
    names = sorted(
        {
            str(m.args[0] if m.args else m.kwargs.get("name", "default"))
            for m in item.iter_markers("xdist_group")
        }
    )
    suffix = "@" + "_".join(names)
    if names and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(item.nodeid + suffix)


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


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> Path:
    """Folder holding one SQLite store of bulk/ + series/ + the seed, lineage computed
    (``corpus.db``), and the outcome of every file of that batch ingest, with the
    progress callbacks seen (``corpus.outcomes.json``).

    Built once per test run and shared by the xdist workers (the first to take the
    lock builds it; about a minute): every corpus-scale question reads it.
    """
    import dataclasses
    import fcntl
    import json

    from resdiff.batch import IngestOutcome, ingest_paths
    from resdiff.lineage import refresh_lineage
    from resdiff.search import optimize_index
    from resdiff.store import open_store

    root = _shared_root(tmp_path_factory)
    db = root / "corpus.db"
    done = root / "corpus.outcomes.json"
    with (root / "corpus.db.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            db.unlink(missing_ok=True)
            seen: list[IngestOutcome] = []
            with open_store(f"sqlite:///{db}") as store:
                outcomes = ingest_paths(
                    store, [BULK, SERIES, SEED], progress=lambda _d, _t, o: seen.append(o)
                )
                refresh_lineage(store)
                optimize_index(store)
            record = {
                "outcomes": [dataclasses.asdict(o) for o in outcomes],
                "progress_in_order": seen == outcomes,
            }
            done.write_text(json.dumps(record), encoding="utf-8")
    return root


def _shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Under xdist each worker's basetemp sits in the run's own folder: share that one.
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def bulk_parsed(
    tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path
) -> dict[str, tuple[Any, Any]]:
    """Every bulk/ file parsed once per test run, shared by the xdist workers: file name ->
    (raw document, Document) for texts read by the plain-text route, (None, Document) for
    other formats, (None, IngestError) for files refused.

    The parse is what ``parse_file`` does, with the raw document kept for the checks
    that need it; the store round-trip test compares it with a batch ingest's result.
    """
    import fcntl
    import hashlib
    import pickle

    from resdiff.errors import IngestError
    from resdiff.ingest import parse_file
    from resdiff.ingest.markdown import looks_like_markdown
    from resdiff.ingest.sniff import decode_text, sniff
    from resdiff.ingest.structure import build_document
    from resdiff.ingest.text import text_to_raw
    from resdiff.model import Source

    root = _shared_root(tmp_path_factory)
    done = root / "bulk.parsed.pickle"
    with (root / "bulk.parsed.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            parsed: dict[str, tuple[Any, Any]] = {}
            for path in sorted(BULK.iterdir()):
                data = path.read_bytes()
                try:
                    if sniff(data) == "text" and not looks_like_markdown(
                        text := decode_text(data, None)
                    ):
                        source = Source(path.name, "text", hashlib.sha256(data).hexdigest())
                        raw = text_to_raw(text, source)
                        parsed[path.name] = (raw, build_document(raw))
                    else:
                        parsed[path.name] = (None, parse_file(path))
                except IngestError as exc:
                    parsed[path.name] = (None, exc)
            tmp = done.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.rename(done)
    loaded: dict[str, tuple[Any, Any]] = pickle.loads(done.read_bytes())
    return loaded


@pytest.fixture(scope="session")
def corpus_db(corpus_build: Path) -> str:
    """URL of the shared corpus store (see ``corpus_build``); tests must not write to it."""
    return f"sqlite:///{corpus_build / 'corpus.db'}"


# --- headless Chromium (tests marked browser) ---------------------------------


def browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{path} not found (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    return None


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = browser_missing()
    if reason:
        not_run(f"browser checks need headless Chromium: {reason}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Screenshots land here for a human to look at (path printed with -s / -rA).
    out = Path(os.environ.get("RESDIFF_SCREENSHOTS", tmp_path_factory.mktemp("screenshots")))
    out.mkdir(parents=True, exist_ok=True)
    return out
