"""DOCX and HTML parsing speed: the sample draft, 5,000 paragraphs, one 1 MB paragraph.

Run: .venv/bin/python benchmarks/bench_docx_html.py   (prints ms per parse and peak memory)
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from docx_builder import build_docx, para, run, sample_docx

from resdiff.ingest.docx import parse_docx, raw_docx
from resdiff.ingest.html import parse_html, raw_html
from resdiff.model import Source

SRC = Source(name="bench", format="docx", sha256="0" * 64)
SENTENCE = "Recalling its resolution 76/177 of 16 December 2021 on the situation of human rights, "


def measure(label: str, fn: object, arg: object, repeat: int = 3) -> None:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg, SRC)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    fn(arg, SRC)  # type: ignore[operator]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<42} {best * 1000:9.1f} ms   peak {peak / 2**20:7.1f} MB")


def main() -> None:
    many = "".join(
        para(run(f"{i}.\t"), run("Decides", italic=True), run(f" {SENTENCE}{i};"))
        for i in range(1, 5001)
    )
    huge = SENTENCE * (1_000_000 // len(SENTENCE))
    many_html = "".join(
        f"<p>{i}. <em>Decides</em> {escape(SENTENCE)}{i};</p>" for i in range(1, 5001)
    )
    measure("docx sample draft, raw_docx", raw_docx, sample_docx())
    measure("docx sample draft, parse_docx", parse_docx, sample_docx())
    measure("docx 5,000 paragraphs, raw_docx", raw_docx, build_docx(many))
    measure("docx 5,000 paragraphs, parse_docx", parse_docx, build_docx(many))
    measure("docx one 1 MB paragraph, parse_docx", parse_docx, build_docx(para(run(huge))))
    measure("html 5,000 paragraphs, raw_html", raw_html, many_html)
    measure("html 5,000 paragraphs, parse_html", parse_html, many_html)
    measure("html one 1 MB paragraph, parse_html", parse_html, f"<p>{escape(huge)}</p>")
    deep = "<div>" * 10_000 + "<p>Decides to remain seized of the matter.</p>" + "</div>" * 10_000
    measure("html nested 10,000 deep, raw_html", raw_html, deep)


if __name__ == "__main__":
    main()
