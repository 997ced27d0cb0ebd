"""What the damage check costs a write command: SQLite's quick check on a store, against
opening it for reading, taken alternately (the machine is shared).

Run: .venv/bin/python benchmarks/bench_store_check.py [STORE.db]
Without an argument it builds a store of the whole shared corpus (bulk/, series/, the seed;
a few minutes) in a temporary folder. Prints the median and minimum wall time of a
read-only open, a write open (quick check included), the quick check alone and the full
integrity check of `resdiff db check`, the store's size and the load average.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from resdiff.store import open_store  # noqa: E402
from resdiff.store.engine import damage, make_engine  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
ROUNDS = 7


def _build(folder: Path) -> Path:
    from resdiff.batch import ingest_paths

    db = folder / "corpus.db"
    with open_store(f"sqlite:///{db}") as store:
        ingest_paths(store, [CORPUS / "bulk", CORPUS / "series", CORPUS / "seed"])
    return db


def _check(url: str, thorough: bool) -> None:
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            assert damage(conn, thorough=thorough) is None
    finally:
        engine.dispose()


def main() -> None:
    if len(sys.argv) > 1:
        db = Path(sys.argv[1])
    else:
        db = _build(Path(tempfile.mkdtemp(prefix="bench-check-")))
    url = f"sqlite:///{db}"
    steps = {
        "open read-only": lambda: open_store(url, read_only=True).close(),
        "open for writing (quick check)": lambda: open_store(url, create=False).close(),
        "quick check alone": lambda: _check(url, False),
        "integrity check (db check)": lambda: _check(url, True),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    for step in steps.values():  # warm the page cache and the imports once
        step()
    for _ in range(ROUNDS):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
    print(f"store: {db} ({db.stat().st_size / 2**20:.0f} MB)")
    for name, got in times.items():
        print(
            f"{name:32s} median {statistics.median(got) * 1000:7.0f} ms"
            f"   min {min(got) * 1000:7.0f} ms"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
