"""Leave-one-series-out cross-validation of the learned link scorer on the tuning half.

Run: .venv/bin/python benchmarks/cv_linker.py [--min V1,V2,...] [--fixed] [--singles] [-v]

For each series held out, the scorer is trained (benchmarks/train_linker.py) on the other
series only; its threshold ``linker_min`` is chosen on those same series among the
``--min`` values (default: the pinned one), with the scorer off (the aligner without it)
listed first so that it wins ties (by mean lax link F1, then mean strict F1), or taken as
the first ``--min`` value with ``--fixed``; the held-out series is scored with that choice.
``--singles`` lets the scorer make 1:1 links too (off in the pinned settings). Prints each
fold's choice and the held-out figures, as benchmarks/cv_gold.py does; ``-v`` adds the
held-out wrong and missed links and the pairs whose strict F1 moved. The test half is never
read.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from cv_gold import figures, series_of_pairs  # noqa: E402
from goldlib import Score, Totals, load_gold, score  # noqa: E402
from train_linker import PENALTY, Row, fit, training_rows  # noqa: E402

from resdiff.compare import compare  # noqa: E402
from resdiff.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--min", default=str(Settings().linker_min), help="linker_min values to choose among"
    )
    ap.add_argument("--penalty", type=float, default=PENALTY)
    ap.add_argument("--fixed", action="store_true", help="no in-fold choice: the first --min")
    ap.add_argument("--singles", action="store_true", help="1:1 links too, not only merges")
    ap.add_argument("-v", "--verbose", action="store_true", help="wrong and missed links")
    args = ap.parse_args()
    mins = [float(v) for v in args.min.split(",") if v]
    golds = load_gold("tuning")
    series = series_of_pairs()
    docs = [(g.old.document(), g.new.document()) for g in golds]
    off = dataclasses.replace(Settings(), linker_weights=(), linker_groups_only=not args.singles)
    rows: list[list[Row]] = [
        training_rows(g, o, n, off) for g, (o, n) in zip(golds, docs, strict=True)
    ]
    baseline = [score(g, compare(o, n, off)) for g, (o, n) in zip(golds, docs, strict=True)]
    print(f"scorer off: {figures(baseline)}")
    held_out: list[Score] = []
    for name in sorted(set(series.values())):
        inside = [k for k, g in enumerate(golds) if series[g.stem] == name]
        rest = [k for k in range(len(golds)) if k not in inside]
        w = fit([r for k in rest for r in rows[k]], args.penalty)
        options = [off, *(dataclasses.replace(off, linker_weights=w, linker_min=t) for t in mins)]

        def fit_of(
            n: int, options: list[Settings] = options, rest: list[int] = rest
        ) -> tuple[float, ...]:
            s = options[n]
            scores = [
                baseline[k] if n == 0 else score(golds[k], compare(*docs[k], s)) for k in rest
            ]
            t = Totals(scores)
            return (t.mean_f1("lax"), t.mean_f1("strict"), -n)

        if args.fixed:
            fits, best = [(0.0, 0.0, 0)] * 2, 1
        else:
            fits = [fit_of(n) for n in range(len(options))]
            best = max(range(len(options)), key=lambda n: fits[n])
        chosen = options[best]
        got = [
            baseline[k] if best == 0 else score(golds[k], compare(*docs[k], chosen)) for k in inside
        ]
        held_out += got
        label = "off" if best == 0 else f"linker_min={chosen.linker_min}"
        print(
            f"fold {name}: chose {label} (in-fold lax {fits[best][0]:.4f})"
            + "".join(
                f"\n    {s.stem}: wrong {s.wrong} missed {s.missed}"
                for s in got
                if args.verbose and (s.wrong or s.missed)
            )
            + "".join(
                f"\n    {s.stem}: strict F1 {b.strict.f1:.4f} -> {s.strict.f1:.4f}"
                for s, b in zip(got, [baseline[k] for k in inside], strict=True)
                if args.verbose and s.strict.f1 != b.strict.f1
            )
        )
    print(f"cross-validated ({len(golds)} pairs, {len(set(series.values()))} series): ", end="")
    print(figures(held_out))


if __name__ == "__main__":
    main()
