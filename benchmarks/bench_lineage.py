"""Lineage at corpus scale: ingest bulk/ + series/ + seed, then series grouping and stored
alignments (first refresh and an incremental one), trace, blame and history timings.

Run: .venv/bin/python benchmarks/bench_lineage.py [--db URL]
Prints wall times, peak RSS of the process, and the number of series found.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from resdiff.batch import ingest_paths  # noqa: E402
from resdiff.history import history  # noqa: E402
from resdiff.lineage import blame, list_series, refresh_lineage, trace  # noqa: E402
from resdiff.store import open_store  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
PHRASES = [
    "songbun",
    "prisoners of war",
    "full, safe and unhindered access",
    "right to food",
    "older persons",
    "climate change",
    "sexual and gender-based violence",
    "Pact for the Future",
]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    p99 = s[min(len(s) - 1, int(len(s) * 0.99))]
    return f"p50 {statistics.median(s) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms (n={len(s)})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="resdiff-bench-lineage-")
    url = args.db or f"sqlite:///{tmp}/bench.db"
    with open_store(url) as store:
        t = time.perf_counter()
        outcomes = ingest_paths(store, [CORPUS / "bulk", CORPUS / "series", CORPUS / "seed"])
        print(f"ingest: {len(outcomes)} files in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        report = refresh_lineage(store)
        print(f"refresh_lineage (first): {time.perf_counter() - t:.1f} s; {report}")
        t = time.perf_counter()
        report = refresh_lineage(store)
        print(f"refresh_lineage (nothing new): {time.perf_counter() - t:.2f} s; {report}")
        found = list_series(store)
        print(f"series: {len(found)}, with 2+ versions: {sum(len(s.members) > 1 for s in found)}")
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            trace(store, "A/RES/76/177", "OP2(a)(xii)")
            samples.append(time.perf_counter() - t)
        print(f"trace A/RES/76/177 OP2(a)(xii): {_ms(samples)}")
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            blame(store, "A/RES/78/218")
            samples.append(time.perf_counter() - t)
        print(f"blame A/RES/78/218 (6 steps): {_ms(samples)}")
        samples = []
        for phrase in PHRASES * 3:
            t = time.perf_counter()
            history(store, phrase)
            samples.append(time.perf_counter() - t)
        print(f"history with statuses ({len(PHRASES)} phrases x3): {_ms(samples)}")
    print(f"peak RSS: {_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
