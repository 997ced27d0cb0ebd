"""Draft a gold alignment from the current aligner, and print what a reviewer must read.

Run: .venv/bin/python benchmarks/draft_gold.py OLD NEW --half tuning --why "..." [-o FILE]
     .venv/bin/python benchmarks/draft_gold.py --review tests/gold/tuning/X__Y.json

OLD and NEW are corpus document names (``A_RES_78_7``, ``A_C.3_80_L.5``, ``seed``), found
in ../shared/corpus/series before bulk/. The draft is written with ``checked: null``: it
is not gold until every non-identical link and every added or removed unit printed
here has been read in both texts and the file corrected (tests/gold/SPLIT.md).
``--review`` prints the same reading list for an existing gold file (its own links).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from goldlib import GOLD, HALVES, draft, dump_gold, review_text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("old", nargs="?")
    ap.add_argument("new", nargs="?")
    ap.add_argument("--half", choices=HALVES, default="tuning")
    ap.add_argument("--why", default="", help="why this pair is in the gold (one line)")
    ap.add_argument(
        "-o",
        "--output",
        type=Path,
        help="where to write the draft (default: tests/gold/HALF/OLD__NEW.json)",
    )
    ap.add_argument("--force", action="store_true", help="overwrite an existing file")
    ap.add_argument("--review", type=Path, help="print the reading list of an existing gold file")
    ap.add_argument("--inline", action="store_true", help="print each link as one word diff")
    args = ap.parse_args()
    if args.review:
        print(review_text(json.loads(args.review.read_text(encoding="utf-8")), args.inline), end="")
        return
    if not (args.old and args.new):
        ap.error("OLD and NEW are required (or --review FILE)")
    g = draft(args.old, args.new, args.half, args.why)
    out = args.output or GOLD / args.half / f"{args.old}__{args.new}.json"
    if out.exists() and not args.force:
        sys.exit(f"{out} exists: a checked gold file is never overwritten by a draft (--force)")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump_gold(g), encoding="utf-8")
    print(f"draft written to {out}", file=sys.stderr)
    print(review_text(g, args.inline), end="")


if __name__ == "__main__":
    main()
