"""The links a settings change adds or drops on corpus pairs of series in neither gold half.

Run: .venv/bin/resdiff --db sqlite:////tmp/s.db ingest ../shared/corpus/series ../shared/corpus/bulk
     .venv/bin/resdiff --db sqlite:////tmp/s.db series list --format json > /tmp/series.json
     .venv/bin/python benchmarks/unseen_links.py /tmp/series.json --set NAME=VALUE [--base NAME=VALUE]
     .venv/bin/python benchmarks/unseen_links.py /tmp/series.json --save /tmp/links.json   (old code)
     .venv/bin/python benchmarks/unseen_links.py /tmp/series.json --since /tmp/links.json  (new code)

A rule tuned on the tuning half has few positives to go by (a handful of missed links); its
precision on series it was never tuned on can be read by hand here without scoring the test
half. Every pair of consecutive versions of a series none of whose documents is named in
tests/gold/SPLIT.md (either half) is aligned with the base settings (the defaults, or
``--base``) and with ``--set`` on top of them; every link one makes and the other does not
is printed with both texts, to be read. A rule without a setting is read across two revisions
of the code: ``--save FILE`` writes every pair's links (run it on the old revision, e.g. from a
git worktree), ``--since FILE`` compares the current code with them. The series grouping joins some different texts that
share a subject (SPLIT.md): a link on such a pair says nothing either way.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from goldlib import GOLD, load_document, source_of  # noqa: E402
from score_gold import settings_from  # noqa: E402

from resdiff.align import align  # noqa: E402
from resdiff.model import Document  # noqa: E402
from resdiff.settings import Settings  # noqa: E402


def gold_documents() -> set[str]:
    """Every document name in the pair tables of SPLIT.md (both halves)."""
    text = (GOLD / "SPLIT.md").read_text(encoding="utf-8")
    return {name for pair in re.findall(r"^\| (\S+) → (\S+) \|", text, re.M) for name in pair}


def links(old: Document, new: Document, s: Settings) -> set[tuple[tuple[int, ...], ...]]:
    return {(p.old, p.new) for p in align(old.units, new.units, s) if p.old and p.new}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("series", type=Path, help="resdiff series list --format json")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--base", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--save", type=Path, help="write every pair's links (base settings) here")
    ap.add_argument("--since", type=Path, help="compare with links saved by --save")
    args = ap.parse_args()
    if not (args.set or args.save or args.since):
        ap.error("give --set, --save or --since")
    saved: dict[str, list[list[list[int]]]] = {}
    if args.since:
        saved = json.loads(args.since.read_text(encoding="utf-8"))
    base = settings_from(args.base)
    trial = settings_from(args.base + args.set)  # --set wins over --base
    known = gold_documents()
    pairs = changed = 0
    for series in json.loads(args.series.read_text(encoding="utf-8")):
        names = [v["symbol"].replace("/", "_") for v in series["versions"]]
        if known & set(names):
            continue
        for a, b in itertools.pairwise(names):
            try:
                old, new = load_document(source_of(a)), load_document(source_of(b))
            except FileNotFoundError:
                continue
            pairs += 1
            tag_ab = f"{a} -> {b}"
            if args.save:
                saved[tag_ab] = [[list(o), list(n)] for o, n in sorted(links(old, new, base))]
                continue
            got = links(old, new, trial)
            if args.since:
                was = {(tuple(o), tuple(n)) for o, n in saved.get(tag_ab, [])}
            else:
                was = links(old, new, base)
            for tag, diff in (("added", got - was), ("dropped", was - got)):
                for o, n in sorted(diff):
                    changed += 1
                    lo = ",".join(old.units[i].label for i in o)
                    ln = ",".join(new.units[j].label for j in n)
                    print(f"\n### {tag}: {a} -> {b}: {lo} -> {ln}")
                    for i in o:
                        print(f"  OLD {old.units[i].label}: {old.units[i].text}")
                    for j in n:
                        print(f"  NEW {new.units[j].label}: {new.units[j].text}")
    if args.save:
        args.save.write_text(json.dumps(saved), encoding="utf-8")
        print(f"{pairs} pairs of series in neither half: links written to {args.save}")
        return
    print(f"\n{pairs} pairs of series in neither half, {changed} links added or dropped")


if __name__ == "__main__":
    main()
