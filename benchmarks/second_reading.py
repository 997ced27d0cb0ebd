"""A blind second reading of gold pairs: its worksheets, and its agreement with the gold.

Run: .venv/bin/python benchmarks/second_reading.py worksheet OLD NEW -o DIR
     .venv/bin/python benchmarks/second_reading.py agree

A gold file is drafted from the aligner and corrected by its reviewer, so a reviewer who
accepted the draft too readily would make the aligner look better than it is. A second
reader who sees neither the gold file nor the aligner decides the same units from a
worksheet (both versions' full texts, the units to decide marked ``>>``; units identical
to exactly one unit of the other version are linked already) and writes
``tests/gold/second_reading/OLD__NEW.json`` (``links``, ``added``, ``removed``, as in a
gold file). ``agree`` prints, per pair, how many of those decisions the gold shares and
every one it does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from goldlib import (  # noqa: E402
    SECOND_READING,
    decided_units,
    gold_path,
    load_document,
    parse_gold,
    second_reading_disagreements,
    source_of,
)

from resdiff.normalize import key  # noqa: E402


def worksheet(old_name: str, new_name: str) -> str:
    old, new = load_document(source_of(old_name)), load_document(source_of(new_name))
    olds, news = map(set, decided_units(old, new))
    where_new = {key(u.text): u.label for u in new.units if u.label not in news}
    linked = [f"{u.label}->{where_new[key(u.text)]}" for u in old.units if u.label not in olds]
    lines = [
        f"# {old_name} -> {new_name}: decide every unit marked >> (a link, a split, a merge,",
        "# added or removed); the others are identical to one unit of the other version.",
        "",
        "## OLD version",
    ]
    lines += [f"{'>>' if u.label in olds else '  '} {u.label}: {u.text}" for u in old.units]
    lines += ["", "## NEW version"]
    lines += [f"{'>>' if u.label in news else '  '} {u.label}: {u.text}" for u in new.units]
    lines += ["", "## Identical texts, already linked (old -> new)", ", ".join(linked)]
    return "\n".join(lines) + "\n"


def agree() -> int:
    read = same = 0
    for path in sorted(SECOND_READING.glob("*.json")):
        gold = gold_path(path.name)
        if gold is None:
            print(f"{path.stem}: no gold file of that name")
            continue
        n, differ = second_reading_disagreements(
            parse_gold(gold), json.loads(path.read_text(encoding="utf-8"))
        )
        read, same = read + n, same + n - sum(d.startswith("second") for d in differ)
        print(f"{path.stem}: {n} decisions read, {len(differ)} not shared")
        for d in differ:
            print(f"    {d}")
    print(f"all: {same} of {read} decisions of the second reading are the gold's")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="what", required=True)
    w = sub.add_parser("worksheet", help="write the worksheet of one pair")
    w.add_argument("old")
    w.add_argument("new")
    w.add_argument("-o", "--output", type=Path, required=True, help="directory")
    sub.add_parser("agree", help="compare every second reading with its gold file")
    args = ap.parse_args()
    if args.what == "agree":
        return agree()
    args.output.mkdir(parents=True, exist_ok=True)
    out = args.output / f"{args.old}__{args.new}.txt"
    out.write_text(worksheet(args.old, args.new), encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
