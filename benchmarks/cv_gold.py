"""Leave-one-series-out cross-validation of the aligner's settings on the tuning half.

Run: .venv/bin/python benchmarks/cv_gold.py [--grid NAME=V1,V2,... ...]

The tuning half (tests/gold/tuning/) is grouped by series (the "series" column of
tests/gold/SPLIT.md). For each series held out, the setting values (every combination of
the ``--grid`` values; none: the defaults only) are chosen on the other series by mean lax
link F1 (then mean strict F1, then the order given, defaults first), and the held-out
series is scored with them. Prints each fold's choice and the held-out figures: mean lax
and strict F1 over the pairs, the lowest pair, wrong and missed links, unchanged units
called changed; and the in-sample figures of each grid point. The test half is never read.

The learned scorer's weights (``linker_weights``) were trained on the whole tuning half, so
its share of these figures is in-sample: benchmarks/cv_linker.py retrains it inside each fold.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from goldlib import GOLD, Score, Totals, load_gold, score  # noqa: E402
from score_gold import setting_value  # noqa: E402

from resdiff.compare import compare  # noqa: E402
from resdiff.settings import Settings  # noqa: E402


def series_of_pairs() -> dict[str, str]:
    """Gold file stem -> series name, from the tuning table of tests/gold/SPLIT.md."""
    text = (GOLD / "SPLIT.md").read_text(encoding="utf-8")
    section = text.split("## Tuning half", 1)[1].split("\n## ", 1)[0]
    out: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4 and "→" in cells[1]:
            name = cells[4].split("(")[0].strip()
            # Later rows of a series may shorten its name ("DPRK" after "DPRK human
            # rights"): one series, one fold.
            name = next((n for n in out.values() if name in n or n in name), name)
            out[cells[1].replace(" → ", "__")] = name
    return out


def grid_points(specs: list[str]) -> list[dict[str, object]]:
    fields = {f.name for f in dataclasses.fields(Settings)}
    axes: list[list[tuple[str, object]]] = []
    for spec in specs:
        name, _, raw = spec.partition("=")
        if name not in fields:
            sys.exit(f"--grid {spec}: no setting {name!r}")
        default = getattr(Settings(), name)
        values = [default, *(setting_value(name, v) for v in raw.split(",") if v)]
        axes.append([(name, v) for v in dict.fromkeys(values)])
    return [dict(p) for p in itertools.product(*axes)] if axes else [{}]


def figures(scores: list[Score]) -> str:
    t = Totals(scores)
    return (
        f"lax mean {t.mean_f1('lax'):.4f} min {t.min_f1('lax'):.4f}  "
        f"strict mean {t.mean_f1('strict'):.4f}  wrong {t.wrong} missed {t.missed}  "
        f"unchanged called changed {t.unchanged_called_changed}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2")
    args = ap.parse_args()
    golds = load_gold("tuning")
    series = series_of_pairs()
    missing = [g.stem for g in golds if g.stem not in series]
    if missing:
        sys.exit(f"not in the tuning table of SPLIT.md: {', '.join(missing)}")
    points = grid_points(args.grid)
    # Every pair scored once per grid point; the folds only choose among these.
    table = [
        [score(g, compare(g.old.document(), g.new.document(), Settings(**p))) for g in golds]  # type: ignore[arg-type]
        for p in points
    ]
    for p, scores in zip(points, table, strict=True):
        print(f"in-sample {p or 'defaults'}: {figures(scores)}")
    held_out: list[Score] = []
    for name in sorted(set(series.values())):
        inside = [k for k, g in enumerate(golds) if series[g.stem] == name]
        rest = [k for k in range(len(golds)) if k not in inside]

        def fit(n: int, rest: list[int] = rest) -> tuple[float, float, int]:
            t = Totals([table[n][k] for k in rest])
            return (t.mean_f1("lax"), t.mean_f1("strict"), -n)

        best = max(range(len(points)), key=fit)
        held_out += [table[best][k] for k in inside]
        print(f"fold {name}: chose {points[best] or 'defaults'}")
    print(f"cross-validated ({len(golds)} pairs, {len(set(series.values()))} series): ", end="")
    print(figures(held_out))


if __name__ == "__main__":
    main()
