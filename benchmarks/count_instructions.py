"""Instructions per comparison of the real ~100-unit pairs, counted by valgrind.

Run: .venv/bin/python benchmarks/count_instructions.py [--repo PATH] [--what compare|align]

Time on a shared virtual machine swings by a third from one minute to the next
(bench_align.py prints process time, still moved by the neighbours); the number of
instructions a comparison executes does not. Each pair is run under ``valgrind
--tool=callgrind`` twice, with 0 and with N warm comparisons after one untimed one, and
the difference divided by N is printed, so start-up and parsing cancel out. The hash seed
is fixed (set iteration orders change the work a little). ``--repo`` measures another
checkout of resdiff with this interpreter (a ``git worktree`` of an older commit), so two
versions can be compared on the same inputs: the ratio of their counts is what a change
costs or saves; how many milliseconds an instruction takes depends on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERIES = REPO.parent / "shared" / "corpus" / "series"
PAIRS = [
    ("A_RES_79_171", "A_C.3_80_L.41"),
    ("A_RES_75_190", "A_RES_76_177"),
    ("A_RES_78_198", "A_RES_79_171"),
]
RUNS = 5


def inner(repo: Path, pair: int, runs: int, what: str) -> None:
    """Parse one pair, compare it once, then ``runs`` more times (what is counted)."""
    sys.path.insert(0, str(repo))
    from resdiff.align import align
    from resdiff.compare import compare
    from resdiff.ingest.text import parse_text
    from resdiff.model import Document, Source
    from resdiff.settings import DEFAULT_SETTINGS

    def load(name: str) -> Document:
        path = SERIES / f"{name}.txt"
        return parse_text(path.read_text(encoding="utf-8"), Source(path.name, "text", ""))

    old, new = (load(n) for n in PAIRS[pair])
    compare(old, new)
    for _ in range(runs):
        if what == "align":
            align(old.units, new.units, DEFAULT_SETTINGS)
        else:
            compare(old, new)


def count(repo: Path, pair: int, runs: int, what: str) -> int:
    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--inner",
        str(pair),
        str(runs),
        "--repo",
        str(repo),
        "--what",
        what,
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stderr
    line = next(ln for ln in out.splitlines() if "I   refs:" in ln)
    return int(line.rsplit(None, 1)[1].replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repo", type=Path, default=REPO, help="the resdiff checkout to measure")
    ap.add_argument("--what", choices=("compare", "align"), default="compare")
    ap.add_argument("--inner", nargs=2, type=int, metavar=("PAIR", "RUNS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        inner(args.repo, args.inner[0], args.inner[1], args.what)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    print(f"{args.what}() of {args.repo}, instructions per call ({RUNS} warm calls, hash seed 0)")
    for k, (old, new) in enumerate(PAIRS):
        per = (count(args.repo, k, RUNS, args.what) - count(args.repo, k, 0, args.what)) / RUNS
        print(f"{old} -> {new:<16} {per / 1e6:7.1f} M instructions")


if __name__ == "__main__":
    main()
