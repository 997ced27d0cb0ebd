"""Render timings: each output format for A/RES/75/190 → A/RES/76/177 and a 2,000-unit pair.

Run: .venv/bin/python benchmarks/bench_render.py   (prints figures; no assertions)
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERIES = REPO.parent / "shared" / "corpus" / "series"


def _time(fn, repeat: int = 5) -> tuple[float, float]:
    first = time.perf_counter()
    fn()
    cold = time.perf_counter() - first
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return cold * 1000, statistics.median(runs) * 1000


def main() -> None:
    t = time.perf_counter()
    from resdiff.render import render

    print(f"import resdiff.render: {(time.perf_counter() - t) * 1000:.1f} ms")
    from resdiff.compare import compare
    from resdiff.ingest import parse_file
    from resdiff.model import Document, Metadata, Unit, UnitKind

    real = compare(parse_file(SERIES / "A_RES_75_190.txt"), parse_file(SERIES / "A_RES_76_177.txt"))
    words = ["the", "Assembly", "urges", "all", "States", "to", "respect", "human", "rights"]

    def doc(shift: int) -> Document:
        units = tuple(
            Unit(f"OP{i + 1}", UnitKind.OPERATIVE, " ".join([*words[(i + shift) % 7 :], str(i)]))
            for i in range(2000)
        )
        return Document(Metadata(symbol=f"X/{shift}"), units)

    big = compare(doc(0), doc(1))
    for name, c in (("A/RES/75/190 → 76/177", real), ("2,000 units", big)):
        print(f"\n{name}: {len(c.pairs)} pairs")
        for fmt in ("html", "md", "text", "json"):
            cold, warm = _time(lambda fmt=fmt, c=c: render(c, fmt))
            tracemalloc.start()
            out = render(c, fmt)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(
                f"  {fmt:5} cold {cold:7.1f} ms  warm {warm:7.1f} ms  "
                f"peak {peak / 1e6:5.1f} MB  {len(out.encode()) / 1e3:7.1f} kB"
            )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
