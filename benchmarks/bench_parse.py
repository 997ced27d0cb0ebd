"""Text-route parse speed: every bulk file, one core; prints docs/s and the slowest files.

Run: .venv/bin/python benchmarks/bench_parse.py [folder]
Also times a synthetic 1 MB paragraph and 5,000 paragraphs (bad-input bounds in RELIABILITY.md).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from resdiff.ingest.text import parse_text
from resdiff.model import Source

REPO = Path(__file__).resolve().parents[1]
BULK = REPO.parent / "shared" / "corpus" / "bulk"


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else BULK
    files = sorted(folder.glob("*.txt"))
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in files]
    size = sum(len(t) for _, t in texts)
    timings: list[tuple[float, str]] = []
    start = time.perf_counter()
    cpu = time.process_time()
    for name, text in texts:
        t0 = time.perf_counter()
        parse_text(text, Source(name, "text", ""))
        timings.append((time.perf_counter() - t0, name))
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    # CPU time is the fairer figure on a shared machine; wall time includes waiting.
    print(f"{len(texts)} files, {size / 1e6:.1f} MB of text: {total:.2f} s wall, {cpu:.2f} s CPU")
    print(f"{len(texts) / total:.0f} docs/s, {size / 1e6 / total:.2f} MB/s")
    print("slowest:")
    for dt, name in sorted(timings, reverse=True)[:5]:
        print(f"  {dt * 1000:7.1f} ms  {name}")

    words = ("the rights of States and the protection of persons, " * 20_000)[:1_000_000]
    big = f"The General Assembly,\n\nRecalling {words},\n\n1. Decides {words};\n"
    t0 = time.perf_counter()
    doc = parse_text(big, Source("1MB", "text", ""))
    print(f"1 MB paragraph (x2): {time.perf_counter() - t0:.2f} s, {len(doc.units)} units")

    many = "The General Assembly,\n\n" + "\n\n".join(
        f"{i}. Requests the Secretary-General to report on item {i};" for i in range(1, 5001)
    )
    t0 = time.perf_counter()
    doc = parse_text(many, Source("5000", "text", ""))
    print(f"5,000 paragraphs: {time.perf_counter() - t0:.2f} s, {len(doc.units)} units")


if __name__ == "__main__":
    main()
