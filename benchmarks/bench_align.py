"""Alignment + word-diff speed and memory: real ~100-unit resolutions and synthetic large pairs.

Run: .venv/bin/python benchmarks/bench_align.py
Prints the median in-process CPU time (``time.process_time``: the machine is shared, and
wall time counts the other processes) of ``compare()`` (alignment, word diffs, routine
marks; parsing excluded), its minimum, the first run with every cache emptied ("cold":
what a one-shot command pays) and the peak memory traced during one run; then, for one
real pair, the time of each stage.
Times swing with the neighbours on a shared machine; ``count_instructions.py`` counts the
instructions of the same comparisons instead, to compare two versions of the code.
"""

from __future__ import annotations

import functools
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from resdiff.align import align  # noqa: E402
from resdiff.compare import _pairs, clear_caches, compare  # noqa: E402
from resdiff.ingest.text import parse_text  # noqa: E402
from resdiff.model import Document, Metadata, Source, Unit, UnitKind  # noqa: E402
from resdiff.settings import DEFAULT_SETTINGS  # noqa: E402

SERIES = REPO.parent / "shared" / "corpus" / "series"
WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "human",
    "rights",
    "States",
    "Member",
    "United",
    "Nations",
    "Council",
    "General",
    "Assembly",
    "report",
    "food",
    "security",
    "nutrition",
    "development",
    "urges",
    "calls",
    "upon",
    "recalls",
    "welcomes",
    "notes",
    "Government",
    "international",
    "cooperation",
    "access",
    "humanitarian",
    "children",
    "women",
    "persons",
    "older",
    "ageing",
    "water",
    "health",
    "education",
    "violence",
    "discrimination",
    "peace",
    "law",
    "justice",
]


def real(name: str) -> Document:
    path = SERIES / f"{name}.txt"
    return parse_text(path.read_text(encoding="utf-8"), Source(path.name, "text", ""))


def synthetic(n: int, seed: int) -> tuple[Document, Document]:
    """n units; the new version edits 10%, drops 2%, inserts 2% and moves 1% of them."""
    rnd = random.Random(seed)
    texts = [
        " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(15, 60))) + f" ({i})."
        for i in range(n)
    ]
    new: list[str] = []
    for text in texts:
        r = rnd.random()
        if r < 0.02:
            continue
        edited = text
        if r < 0.12:
            w = text.split(" ")
            for _ in range(3):
                w[rnd.randrange(len(w))] = rnd.choice(WORDS)
            edited = " ".join(w)
        new.append(edited)
        if rnd.random() < 0.02:
            new.append(" ".join(rnd.choice(WORDS) for _ in range(30)) + " (new).")
    for _ in range(n // 100):
        i, j = rnd.randrange(len(new)), rnd.randrange(len(new))
        new.insert(j, new.pop(i))

    def doc(ts: list[str]) -> Document:
        return Document(
            Metadata(),
            tuple(
                Unit(f"OP{i}", UnitKind.OPERATIVE, t, t.split(" ")[0]) for i, t in enumerate(ts, 1)
            ),
        )

    return doc(texts), doc(new)


def cpu_ms(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return (time.process_time() - t0) * 1000


def measure(label: str, fn: Callable[[], object], repeat: int) -> None:
    clear_caches()
    cold = cpu_ms(fn)
    times = [cpu_ms(fn) for _ in range(repeat)]
    clear_caches()  # peak of a one-shot run: the caches it fills count
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<58} median {statistics.median(times):8.1f} ms   min {min(times):8.1f} ms"
        f"   cold {cold:8.1f} ms   peak {peak / 1e6:6.1f} MB"
    )


def stages(a: Document, b: Document, repeat: int) -> None:
    """Median CPU time of each stage of compare() on one pair (caches warm)."""
    s = DEFAULT_SETTINGS

    def med(fn: Callable[[], object]) -> float:
        return statistics.median(cpu_ms(fn) for _ in range(repeat))

    t_align = med(lambda: align(a.units, b.units, s))
    t_pairs = med(lambda: _pairs(a.units, b.units, s))
    t_all = med(lambda: compare(a, b))
    print(
        f"  stages: align {t_align:.1f} ms, word diffs + routine {t_pairs - t_align:.1f} ms,"
        f" footnotes + stats {t_all - t_pairs:.1f} ms"
    )


def main() -> None:
    for old, new in (
        ("A_RES_79_171", "A_C.3_80_L.41"),
        ("A_RES_75_190", "A_RES_76_177"),
        ("A_RES_78_198", "A_RES_79_171"),
    ):
        a, b = real(old), real(new)
        measure(
            f"{old} -> {new} ({len(a.units)}/{len(b.units)} units)",
            functools.partial(compare, a, b),
            30,
        )
    stages(real("A_RES_75_190"), real("A_RES_76_177"), 30)
    a, b = real("A_RES_78_7"), real("A_RES_80_179")
    s = compare(a, b).stats.as_dict()
    measure(
        f"unrelated A_RES_78_7 -> A_RES_80_179 (rewrite={s['rewrite']})", lambda: compare(a, b), 10
    )
    a, b = synthetic(2000, 1)
    measure(f"synthetic {len(a.units)} -> {len(b.units)} units", lambda: compare(a, b), 5)
    a, b = synthetic(5000, 2)
    measure(f"synthetic {len(a.units)} -> {len(b.units)} units", lambda: compare(a, b), 3)
    big = "The Assembly recalls its resolutions on the situation of human rights. " * 14_000
    a = Document(Metadata(), (Unit("OP1", UnitKind.OPERATIVE, big),))
    b = Document(
        Metadata(), (Unit("OP1", UnitKind.OPERATIVE, big.replace("situation", "state", 3)),)
    )
    measure("one 1 MB paragraph, three edits", lambda: compare(a, b), 3)


if __name__ == "__main__":
    main()
