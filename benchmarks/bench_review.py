"""Review pack speed and memory: whole `resdiff review` commands (HTML and DOCX) on the real corpus.

Builds (or reuses, --db) a store of bulk/ + series/ + seed (~1,260 documents, lineage
computed), then runs `resdiff review DRAFT --format html|docx -o FILE` as separate
processes, several times each, and prints the wall time (median and worst) and the
peak resident memory of each command (from wait4). Then, in one process, the time of
each stage of one review (locate, compare, provenance, the other analyses, rendering).
Target (issue 5): a full pack for a ~100-unit draft in under 2 s.

    .venv/bin/python benchmarks/bench_review.py                         # builds a store (~1 min)
    .venv/bin/python benchmarks/bench_review.py --db sqlite:////tmp/review.db --runs 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from resdiff.batch import ingest_paths  # noqa: E402
from resdiff.lineage import refresh_lineage  # noqa: E402
from resdiff.search import optimize_index  # noqa: E402
from resdiff.store import open_store  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
# ~100-unit drafts of four series; L.2 carries a pending amendment (L.56).
DRAFTS = ["A/C.3/80/L.41", "A/C.3/80/L.5", "A/C.3/80/L.42", "A/C.3/80/L.2"]


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err[-500:]}")
    return wall, usage.ru_maxrss / 1024


def _stages(url: str, draft: str) -> None:
    from resdiff.compare import compare
    from resdiff.render.review import render_review, render_review_docx
    from resdiff.review import build_pack, locate
    from resdiff.review import provenance as prov

    with open_store(url, create=False) as store:
        t0 = time.perf_counter()
        loc = locate(store, draft)
        t1 = time.perf_counter()
        c = compare(loc.baseline, loc.draft)
        t2 = time.perf_counter()
        runs = prov.change_runs(c)
        found = prov.provenance(store, c, runs)
        t3 = time.perf_counter()
        pack = build_pack(store, loc)
        t4 = time.perf_counter()
        render_review(pack, "html")
        t5 = time.perf_counter()
        render_review_docx(pack)
        t6 = time.perf_counter()
    print(
        f"  stages of {draft} (in process, warm imports): locate {1000 * (t1 - t0):.0f} ms, "
        f"compare {1000 * (t2 - t1):.0f} ms, provenance of {len(found)} runs "
        f"{1000 * (t3 - t2):.0f} ms, whole pack {1000 * (t4 - t3):.0f} ms, "
        f"HTML {1000 * (t5 - t4):.0f} ms, DOCX {1000 * (t6 - t5):.0f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None, help="a store with the corpus (default: build one)")
    ap.add_argument("--runs", type=int, default=5, help="runs of each command")
    args = ap.parse_args()
    url = args.db
    if url is None:
        tmp = tempfile.mkdtemp(prefix="resdiff-bench-review-")
        url = f"sqlite:///{tmp}/review.db"
        t = time.perf_counter()
        with open_store(url) as store:
            ingest_paths(store, [CORPUS / "bulk", CORPUS / "series", CORPUS / "seed"])
            refresh_lineage(store)
            optimize_index(store)
        print(f"store built in {time.perf_counter() - t:.1f} s: {url}")
    exe = str(Path(sys.executable).with_name("resdiff"))
    env = {**os.environ, "RESDIFF_DB": url}
    out = Path(tempfile.mkdtemp(prefix="resdiff-review-out-"))
    print(f"whole commands, {args.runs} runs each (wall time; peak RSS):")
    for draft in DRAFTS:
        for fmt in ("html", "docx"):
            target = out / f"{draft.replace('/', '_')}.{fmt}"
            cmd = [exe, "review", draft, "--format", fmt, "-o", str(target)]
            samples = [_run(cmd, env) for _ in range(args.runs)]
            walls = [w for w, _ in samples]
            rss = max(r for _, r in samples)
            print(
                f"  review {draft:<14} {fmt:<4} median {statistics.median(walls):.2f} s, "
                f"worst {max(walls):.2f} s; {rss:.0f} MB; {target.stat().st_size // 1024} KB"
            )
    _stages(url, DRAFTS[0])
    _stages(url, DRAFTS[3])


if __name__ == "__main__":
    main()
