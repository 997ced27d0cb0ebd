"""Train the learned link scorer (resdiff.align.linker) on the tuning half of the gold.

Run: .venv/bin/python benchmarks/train_linker.py [--write]

For each tuning pair, the units the confident passes would settle (1:1 gold links of word
similarity at least ``move_threshold``, and identical texts) are set aside; among the units
left, every candidate link the scorer would see at run time (``Aligner.linker_candidates``)
is a training row, labelled by the gold (candidates touching an ambiguous decision are left
out). A logistic regression with a light L2 penalty is fitted by Newton's method (plain
Python, deterministic). Prints the weights; ``--write`` pins them as the default
``linker_weights`` in resdiff/settings.py. The test half is never read.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from goldlib import Gold, load_gold  # noqa: E402

from resdiff.align.leftovers import Aligner  # noqa: E402
from resdiff.align.linker import FEATURES, candidates  # noqa: E402
from resdiff.align.sides import Side  # noqa: E402
from resdiff.model import Document  # noqa: E402
from resdiff.normalize import key  # noqa: E402
from resdiff.sequence import longest_increasing  # noqa: E402
from resdiff.settings import Settings  # noqa: E402
from resdiff.wordcodes import encode_sides  # noqa: E402

Row = tuple[list[float], int]
PENALTY = 1.0


def aligner_of(old: Document, new: Document, settings: Settings) -> Aligner:
    ka, kb = [key(u.text) for u in old.units], [key(u.text) for u in new.units]
    ea, eb = encode_sides(ka, kb)
    return Aligner(Side(old.units, ka, ea), Side(new.units, kb, eb), settings)


def training_rows(
    gold: Gold, old: Document, new: Document, settings: Settings | None = None
) -> list[Row]:
    """The candidate links of one pair among the units left unsettled, with gold labels."""
    s = settings or Settings()
    al = aligner_of(old, new, s)
    pos_old = {lab: i for i, lab in enumerate(al.a.labels)}
    pos_new = {lab: j for j, lab in enumerate(al.b.labels)}
    settled: list[tuple[int, int]] = []
    positive: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    for o, n in gold.links:
        olds, news = tuple(pos_old[x] for x in o), tuple(pos_new[y] for y in n)
        if len(o) == len(n) == 1 and (
            al.a.keys[olds[0]] == al.b.keys[news[0]] or al.sim(olds, news) >= s.move_threshold
        ):
            settled.append((olds[0], news[0]))
        else:
            positive.add((olds, news))
    settled.sort()
    chain = longest_increasing([j for _, j in settled])
    order = (sorted(settled[k][0] for k in chain), sorted(settled[k][1] for k in chain))
    done_old = {i for i, _ in settled}
    done_new = {j for _, j in settled}
    olds = [i for i in range(al.n) if i not in done_old and al.a.enc[i]]
    news = [j for j in range(al.m) if j not in done_new and al.b.enc[j]]
    amb_old, amb_new = gold.ambiguous_units()
    rows: list[Row] = []
    for g_old, g_new, _, x in candidates(al, olds, news, order):
        if {al.a.labels[i] for i in g_old} & amb_old or {al.b.labels[j] for j in g_new} & amb_new:
            continue
        rows.append((x, 1 if (g_old, g_new) in positive else 0))
    return rows


def tuning_rows() -> list[Row]:
    """The training rows of every pair of the tuning half."""
    rows: list[Row] = []
    for g in load_gold("tuning"):
        rows += training_rows(g, g.old.document(), g.new.document())
    return rows


def fit(rows: Sequence[Row], penalty: float = PENALTY, steps: int = 25) -> tuple[float, ...]:
    """Logistic regression by Newton's method, L2 penalty on every weight but the bias."""
    d = len(FEATURES)
    w = [0.0] * d
    for _ in range(steps):
        grad = [0.0] * d
        hess = [[0.0] * d for _ in range(d)]
        for x, y in rows:
            z = sum(a * b for a, b in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g, h = p - y, p * (1 - p)
            for a in range(d):
                if x[a]:
                    grad[a] += g * x[a]
                    ha = h * x[a]
                    row = hess[a]
                    for b in range(d):
                        row[b] += ha * x[b]
        for a in range(1, d):
            grad[a] += penalty * w[a]
            hess[a][a] += penalty
        for a in range(d):
            hess[a][a] += 1e-9
        step = _solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(v) for v in step) < 1e-9:
            break
    return tuple(round(v, 4) for v in w)


def _solve(m: list[list[float]], v: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (m is small and positive definite)."""
    n = len(v)
    a = [[*row, rhs] for row, rhs in zip(m, v, strict=True)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(a[r][c]))
        a[c], a[p] = a[p], a[c]
        for r in range(c + 1, n):
            f = a[r][c] / a[c][c]
            for k in range(c, n + 1):
                a[r][k] -= f * a[c][k]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (a[r][n] - sum(a[r][k] * out[k] for k in range(r + 1, n))) / a[r][r]
    return out


def write_default(weights: tuple[float, ...]) -> None:
    path = REPO / "resdiff" / "settings.py"
    text = path.read_text(encoding="utf-8")
    body = "".join(f"        {v!r},  # {name}\n" for name, v in zip(FEATURES, weights, strict=True))
    line = f"    linker_weights: tuple[float, ...] = (\n{body}    )"
    new, n = re.subn(
        r"    linker_weights: tuple\[float, \.\.\.\] = \([^)]*\)", lambda _: line, text
    )
    if n != 1:
        sys.exit("resdiff/settings.py: no linker_weights line to replace")
    path.write_text(new, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--write", action="store_true", help="pin the weights in settings.py")
    args = ap.parse_args()
    rows = tuning_rows()
    w = fit(rows)
    print(f"{len(rows)} rows, {sum(y for _, y in rows)} links")
    for name, v in zip(FEATURES, w, strict=True):
        print(f"  {name:13} {v:+.4f}")
    print(f"linker_weights = {w!r}")
    if args.write:
        write_default(w)


if __name__ == "__main__":
    main()
