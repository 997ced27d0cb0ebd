"""Score the aligner against the hand-checked gold alignments (tests/gold/).

Run: .venv/bin/python benchmarks/score_gold.py [--half tuning|test] [--set NAME=VALUE ...] [-q]

Prints, per pair of the tuning half, strict and lax link F1 (lax leaves out the units of
ambiguous decisions), the F1 of the non-identical links alone, and every wrong and missed
link (of the test half, never: its links are not to be read); then the totals: micro precision/recall/F1, mean and minimum per-pair F1, per kind
precision and recall (moved, split, merged, added, removed), the non-identical links,
the number of wrong links and of unchanged units called changed; ``--calibration`` adds how
often decisions of each confidence band agree with the gold. ``--set`` overrides
one comparison setting (``--set match_threshold=0.3``) to see what a change costs.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from goldlib import HALVES, built_by, calibration, load_gold, report, score_gold  # noqa: E402

from resdiff.settings import Settings  # noqa: E402


def setting_value(name: str, raw: str) -> object:
    """The value ``raw`` given on the command line for setting ``name``, of its type.

    ``bool("False")`` is true, so a flag is read by its word, not by ``bool``.
    """
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        if raw.lower() not in ("true", "false", "1", "0"):
            sys.exit(f"{name}={raw}: a flag is true or false")
        return raw.lower() in ("true", "1")
    return type(default)(raw)


def settings_from(pairs: list[str]) -> Settings:
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    values: dict[str, object] = {}
    for item in pairs:
        name, _, raw = item.partition("=")
        if name not in fields:
            sys.exit(f"--set {item}: no setting {name!r} (one of {', '.join(fields)})")
        values[name] = setting_value(name, raw)
    return Settings(**values)  # type: ignore[arg-type]


def by_whom(reviewers: list[str]) -> str:
    return f" built by {' or '.join(reviewers)}" if reviewers else ""


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--half", choices=HALVES, required=True)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("-q", "--quiet", action="store_true", help="totals only")
    ap.add_argument(
        "--calibration", action="store_true", help="also compare confidence with the gold"
    )
    ap.add_argument(
        "--built-by",
        action="append",
        default=[],
        metavar="REVIEWER",
        help="only the files this reviewer built (its name in `checked.by`; repeatable): "
        "one build of the half, scored on its own",
    )
    args = ap.parse_args()
    golds = load_gold(args.half)
    if args.built_by:
        golds = [g for g in golds if built_by(g, args.built_by)]
    if not golds:
        sys.exit(f"no gold files in tests/gold/{args.half}/" + by_whom(args.built_by))
    unchecked = [g.stem for g in golds if not g.checked]
    if unchecked:
        sys.exit(f"not checked yet (drafts, not gold): {', '.join(unchecked)}")
    totals = score_gold(golds, settings_from(args.set))
    print(
        f"half {args.half}{by_whom(args.built_by)}, {len(golds)} pairs, "
        f"settings overrides {args.set or 'none'}"
    )
    # The test half's links are never printed: its figures may be read, its links not
    # (tests/gold/SPLIT.md), so that nobody developing the aligner tunes on them.
    print(report(totals, verbose=not args.quiet and args.half != "test"), end="")
    if args.calibration:
        print(calibration(golds, settings_from(args.set)), end="")


if __name__ == "__main__":
    main()
