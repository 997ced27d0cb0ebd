"""Benchmark the PDF parser on the 67 UN PDFs: per-file time, documents per second, memory.

Usage: ``.venv/bin/python benchmarks/bench_pdf.py [--repeat N] [--alternate] [PDF...]``

Each file is parsed ``--repeat`` times (default 3) and its best time kept, so a
busy machine inflates the figures less. Peak memory is reported twice: Python
allocations (tracemalloc, one extra pass) and the process's maximum resident set
(which also counts PDFium's C heap; PDFium itself runs in a parse worker, see
``resdiff.ingest.pdf_worker``). Target: a 15-page PDF under 1 s.

``--alternate`` instead times the corpus through the parse worker and with PDFium
in this process (the cost of the worker: pipes, pickling), alternating pass by pass.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from resdiff.ingest.pdf import (  # noqa: E402
    _check_complete,
    _check_inflation,
    check_text,
    parse_pdf,
    read_pages,
)
from resdiff.ingest.pdf_layout import layout_document  # noqa: E402
from resdiff.ingest.pdf_pdfium import read_pages_here  # noqa: E402
from resdiff.ingest.structure import build_document  # noqa: E402
from resdiff.model import Source  # noqa: E402

CORPUS = Path(os.environ.get("RESDIFF_SHARED_CORPUS", REPO.parent / "shared" / "corpus"))


def parse_in_process(data: bytes, source: Source) -> object:
    """``parse_pdf`` with PDFium in this process, as before the parse worker."""
    _check_complete(data, source.name)
    _check_inflation(data, source.name)
    pages = read_pages_here(data, source.name, 500, 30.0)
    check_text(pages, source.name)
    return build_document(layout_document(pages, source))


def alternate(paths: list[Path], repeat: int) -> None:
    files = [(p.read_bytes(), Source(p.name, "pdf", "")) for p in paths]
    parse_pdf(*files[0])  # start the worker outside the timing
    totals = {"worker": 0.0, "in process": 0.0}
    for _ in range(repeat):
        for label, parse in (("worker", parse_pdf), ("in process", parse_in_process)):
            start = time.perf_counter()
            for data, source in files:
                parse(data, source)
            totals[label] += time.perf_counter() - start
    for label, secs in totals.items():
        print(f"{label:<11} {repeat * len(files) / secs:6.1f} PDFs/s ({secs:.2f} s)")
    print(f"worker / in process time: {totals['worker'] / totals['in process']:.2f}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--alternate", action="store_true")
    args = parser.parse_args()
    paths = args.pdfs or sorted((CORPUS / "pdf").glob("*.pdf"))
    if args.alternate:
        alternate(paths, args.repeat)
        return

    rows = []
    for path in paths:
        data = path.read_bytes()
        source = Source(path.name, "pdf", "")
        pages = len(read_pages(data, path.name))
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            doc = parse_pdf(data, source)
            best = min(best, time.perf_counter() - start)
        rows.append((path.stem, pages, len(doc.units), len(doc.footnotes), best))

    tracemalloc.start()
    for path in paths:
        parse_pdf(path.read_bytes(), Source(path.name, "pdf", ""))
    _, py_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB (Linux)

    print(f"{'document':<18} {'pages':>5} {'units':>5} {'notes':>5} {'seconds':>8} {'s/page':>7}")
    for stem, pages, units, notes, secs in rows:
        print(f"{stem:<18} {pages:>5} {units:>5} {notes:>5} {secs:>8.3f} {secs / pages:>7.3f}")
    total = sum(r[4] for r in rows)
    pages_total = sum(r[1] for r in rows)
    slowest = max(rows, key=lambda r: r[4])
    print()
    print(
        f"documents: {len(rows)}  pages: {pages_total}  total: {total:.2f} s (best of {args.repeat})"
    )
    print(f"throughput: {len(rows) / total:.1f} docs/s, {pages_total / total:.1f} pages/s")
    print(f"slowest: {slowest[0]} ({slowest[1]} pages) {slowest[4]:.3f} s")
    per15 = 15 * total / pages_total
    print(f"a 15-page PDF at the mean rate: {per15:.3f} s (target < 1 s)")
    print(f"peak memory: Python {py_peak / 2**20:.1f} MiB (tracemalloc), process RSS {rss:.1f} MiB")
    print(f"load average during run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
