"""Whole-process timing, file to HTML, resdiff against the tools a user would otherwise reach for.

Pair: A/RES/76/177 -> the 2022 draft (the seed). Each tool runs as a fresh process,
best of N runs, so interpreter start-up and imports count as they do for a user:

- resdiff: `resdiff diff OLD NEW --format html -o out.html` (parse both, align, word diff, render)
- difflib.HtmlDiff: `make_file` over the two texts' lines (Python's standard line diff)
- redlines: `Redlines(old, new).output_markdown` (word diff of the whole text; `pip install redlines`)
- git: `git diff --no-index --word-diff` (word diff, no HTML)

Prints seconds per tool and the ratio resdiff / difflib (target <= 1.0), then what
each peer's output gets wrong on this pair.

Then the held-out-like pairs of ../shared/corpus (two text pairs from series/, two PDF
pairs from pdf/): `resdiff diff OLD NEW --format html -o FILE` against a Python script
running `difflib.HtmlDiff().make_file` on the same two files (for PDFs, on the text
pypdfium2 extracts, page by page), each run alternately with its peer, median of N;
target resdiff / difflib <= 0.5. Compiled modules are cached as for a user (one
untimed run first; PYTHONDONTWRITEBYTECODE is dropped).

``--all-series`` times every pair of consecutive versions of series/ instead (text files, as
resdiff groups them) and prints the spread of the ratios: difflib's cost grows with the
lines that differ, so it is quick on short or barely changed texts and slow on long ones.

Usage: python benchmarks/bench_peers.py [--runs N] [--pairs-only | --all-series]
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OLD = REPO / "corpus" / "A_RES_76_177.txt"
NEW = REPO / "corpus" / "000_4a554fcc2369da89.txt"
CORPUS = REPO.parent / "shared" / "corpus"
# Consecutive versions of four series: right to food (resolution -> draft), DPRK (a long
# text, year to year), and two PDF pairs (Nazism, resolution -> draft; ageing).
PAIRS = [
    ("series/A_RES_79_171.txt", "series/A_C.3_80_L.41.txt"),
    ("series/A_RES_75_190.txt", "series/A_RES_76_177.txt"),
    ("pdf/A_RES_79_160.pdf", "pdf/A_C.3_80_L.2.pdf"),
    ("pdf/A_RES_79_147.pdf", "pdf/A_C.3_80_L.5.pdf"),
]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

DIFFLIB_FILES = """
import difflib, sys
def lines(path):
    if path.endswith(".pdf"):
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(path)
        return "\\n".join(page.get_textpage().get_text_range() for page in pdf).splitlines()
    return open(path, encoding="utf-8").read().splitlines()
html = difflib.HtmlDiff().make_file(lines(sys.argv[1]), lines(sys.argv[2]))
open(sys.argv[3], "w", encoding="utf-8").write(html)
"""

DIFFLIB = """
import difflib, sys
a = open(sys.argv[1], encoding='utf-8').read().splitlines()
b = open(sys.argv[2], encoding='utf-8').read().splitlines()
open(sys.argv[3], 'w', encoding='utf-8').write(difflib.HtmlDiff().make_file(a, b))
"""

REDLINES = """
import sys
from redlines import Redlines
a = open(sys.argv[1], encoding='utf-8').read()
b = open(sys.argv[2], encoding='utf-8').read()
open(sys.argv[3], 'w', encoding='utf-8').write(Redlines(a, b).output_markdown)
"""

WRONG = {
    "difflib.HtmlDiff": "line diff of hard-wrapped text: every re-wrapped line is a change; page headers, "
    "job numbers and footnotes interleave with the text and show as changes; no paragraphs, "
    "moves, splits or renumbering",
    "redlines": "one word diff over the whole text: page furniture and footnotes are diffed as text, "
    "moved paragraphs show as a deletion plus an insertion, renumbering is invisible",
    "git --word-diff": "word diff of lines: same furniture problem, moves are delete+insert, no "
    "paragraph labels, output for programmers (no HTML)",
}


def best(cmd: list[str], runs: int) -> float | None:
    times: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
        if r.returncode not in (0, 1):
            print(f"  {' '.join(cmd[:3])}... failed: {r.stderr.decode()[-300:]}")
            return None
    return min(times)


def _wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, check=False, env=ENV)
    wall = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])}... failed: {r.stderr.decode()[-300:]}")
    return wall


def series_pairs() -> list[tuple[str, str]]:
    """Every pair of consecutive versions among the texts of series/, as resdiff groups them."""
    sys.path.insert(0, str(REPO))
    from resdiff.ingest import parse_file
    from resdiff.series import candidate, group

    docs = {}
    for path in sorted((CORPUS / "series").glob("*.txt")):
        doc = parse_file(path)
        docs.setdefault(doc.key, (path, doc))
    out = []
    for s in group([candidate(k, d) for k, (_, d) in docs.items()]):
        paths = [
            f"series/{docs[k][0].name}"
            for k in s.members
            if docs[k][1].metadata.kind.value != "amendment"
        ]
        out.extend(itertools.pairwise(paths))
    return out


def corpus_pairs(runs: int, pairs: list[tuple[str, str]] = PAIRS) -> None:
    """resdiff against difflib.HtmlDiff on the corpus pairs, alternately, median of ``runs``."""
    py = sys.executable
    resdiff_exe = str(Path(py).with_name("resdiff"))
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"\nFile to HTML on corpus pairs, median of {runs}, alternately (load {load})")
    print(f"{'pair':<50} {'resdiff':>8} {'difflib':>8} {'ratio':>6}")
    ratios: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for old, new in pairs:
            a, b = str(CORPUS / old), str(CORPUS / new)
            ours = [resdiff_exe, "diff", a, b, "--format", "html", "-o", f"{tmp}/r.html"]
            peer = [py, "-c", DIFFLIB_FILES, a, b, f"{tmp}/d.html"]
            _wall(ours)  # untimed: modules compiled and cached, files in the page cache
            _wall(peer)
            t_ours: list[float] = []
            t_peer: list[float] = []
            for _ in range(runs):
                t_ours.append(_wall(ours))
                t_peer.append(_wall(peer))
            r, d = statistics.median(t_ours), statistics.median(t_peer)
            print(f"{old + ' -> ' + Path(new).name:<50} {r:8.3f} {d:8.3f} {r / d:6.2f}")
            ratios.append(r / d)
    if len(ratios) > 1:
        ratios.sort()
        print(
            f"{len(ratios)} pairs: ratio median {statistics.median(ratios):.2f}, "
            f"min {ratios[0]:.2f}, max {ratios[-1]:.2f}; "
            f"{sum(x <= 0.5 for x in ratios)} at or under 0.5"
        )
    print("target: ratio <= 0.5")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pairs-only", action="store_true", help="only the corpus pairs")
    ap.add_argument(
        "--all-series",
        action="store_true",
        help="every pair of consecutive versions in series/ (text files), with the ratios' spread",
    )
    args = ap.parse_args()
    if args.all_series:
        corpus_pairs(args.runs, series_pairs())
        return 0
    if args.pairs_only:
        corpus_pairs(args.runs)
        return 0
    py = sys.executable
    resdiff_exe = str(Path(py).with_name("resdiff"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        results: dict[str, float | None] = {
            "resdiff": best(
                [
                    resdiff_exe,
                    "--db",
                    f"sqlite:///{out / 'x.db'}",
                    "diff",
                    str(OLD),
                    str(NEW),
                    "--format",
                    "html",
                    "-o",
                    str(out / "r.html"),
                ],
                args.runs,
            ),
            "difflib.HtmlDiff": best(
                [py, "-c", DIFFLIB, str(OLD), str(NEW), str(out / "d.html")], args.runs
            ),
        }
        try:
            import redlines  # noqa: F401

            results["redlines"] = best(
                [py, "-c", REDLINES, str(OLD), str(NEW), str(out / "r.md")], args.runs
            )
        except ImportError:
            results["redlines"] = None
            print("redlines not installed (pip install redlines): skipped")
        if shutil.which("git"):
            results["git --word-diff"] = best(
                ["git", "diff", "--no-index", "--word-diff", str(OLD), str(NEW)], args.runs
            )
    print(f"{'tool':<18} {'best of ' + str(args.runs):>12}")
    for name, t in results.items():
        shown = "skipped" if t is None else f"{t * 1000:9.0f} ms"
        print(f"{name:<18} {shown:>12}")
    r, d = results["resdiff"], results["difflib.HtmlDiff"]
    if r and d:
        print(f"ratio resdiff / difflib.HtmlDiff = {r / d:.2f} (target <= 1.0)")
    print("\nWhat the peers get wrong on this pair:")
    for name, why in WRONG.items():
        print(f"- {name}: {why}")
    corpus_pairs(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
