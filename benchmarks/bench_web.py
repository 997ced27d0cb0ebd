"""Load test of `resdiff serve` on loopback: concurrent clients over a whole store.

    python benchmarks/bench_web.py [--db URL] [--clients 20] [--seconds 30] [--warm]

Starts the real server (a subprocess, `resdiff serve --port 0`) over the store (default
sqlite:////tmp/web-corpus.db: the whole shared corpus, bulk + series + pdf), then
``--clients`` threads, each with its own keep-alive connection, ask for random pages of
a fixed pool for ``--seconds``: the redline of every pair of consecutive versions of
80 to 120 paragraphs each, the series page of those series, and the history of
five-word phrases taken from those versions (seeded: the same pool every run). Prints
the time to the last byte per page kind (median, p95, p99, max): for every request, for
the first ask of each page in the run (cold: rendered then, unless ``--warm`` asked for
every page once before measuring) and for the repeats (warm: from the server's cache);
the number of requests and every error.

The client runs in this process and the server in another; on a shared machine the
figures are noisy: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = "sqlite:////tmp/web-corpus.db"


@dataclass
class Figures:
    """What a load run saw: times per kind, cold and warm, and every error."""

    requests: int = 0
    seconds: float = 0.0
    times: dict[tuple[str, bool], list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _kind(url: str) -> str:
    return url.split("?", 1)[0].strip("/").split("/", 1)[0] or "home"


def load(
    base: str,
    urls: Sequence[str],
    *,
    clients: int = 20,
    seconds: float = 30.0,
    seed: int = 0,
) -> Figures:
    """``clients`` threads asking for random ``urls`` of the server at ``base`` for
    ``seconds``; a page is "cold" the first time any client asks for it."""
    parts = urlsplit(base)
    figures = Figures()
    seen: set[str] = set()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
        try:
            while time.monotonic() < deadline:
                url = rng.choice(urls)
                with lock:
                    cold = url not in seen
                    seen.add(url)
                start = time.perf_counter()
                error = None
                try:
                    conn.request("GET", url)
                    resp = conn.getresponse()
                    resp.read()
                    if resp.status != 200:
                        error = f"{url}: HTTP {resp.status}"
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
                    error = f"{url}: {type(exc).__name__}: {exc}"
                took = time.perf_counter() - start
                with lock:
                    figures.requests += 1
                    if error is not None:
                        figures.errors.append(error)
                    figures.times.setdefault((_kind(url), cold), []).append(took)
        finally:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    figures.seconds = time.monotonic() - started
    return figures


def pool(db: str, *, phrases: int = 40, seed: int = 0) -> list[str]:
    """Redline, series and history pages of the 100-paragraph versions of the store."""
    from resdiff.lineage import chain, list_series
    from resdiff.store import open_store

    rng = random.Random(seed)
    with open_store(db, create=False) as store:
        units = {s.key: s.unit_count for s in store.list()}
        pairs: list[tuple[str, str]] = []
        series: set[str] = set()
        for s in list_series(store):
            for a, b in pairwise(chain(s)):
                if 80 <= units[a.key] <= 120 and 80 <= units[b.key] <= 120:
                    pairs.append((a.key, b.key))
                    series.add(s.key)
        keys = sorted({k for pair in pairs for k in pair})
        found: list[str] = []
        while len(found) < phrases and keys:
            doc = store.get(rng.choice(keys))
            words = rng.choice(doc.units).text.split()
            if len(words) >= 12:
                at = rng.randrange(2, len(words) - 7)
                found.append(" ".join(words[at : at + 5]))
    urls = ["/diff?" + urlencode({"old": a, "new": b}) for a, b in pairs]
    urls += ["/series/" + quote(k, "/") for k in sorted(series)]
    urls += ["/history?" + urlencode({"q": p}) for p in found]
    return urls


def _get(base: str, url: str) -> int:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=300)
    try:
        conn.request("GET", url)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _row(name: str, label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{name:<10} {label:<5} {len(ms):>6} {statistics.median(ms):>8.1f} "
        f"{_pct(ms, 95):>8.1f} {_pct(ms, 99):>8.1f} {max(ms):>8.1f}"
    )


def report(figures: Figures) -> str:
    """Per page kind: every request, then the first asks (cold) and the repeats (warm)."""
    lines = [
        f"{figures.requests} requests in {figures.seconds:.1f} s "
        f"({figures.requests / max(figures.seconds, 1e-9):.0f}/s), {len(figures.errors)} errors",
        f"{'page':<10} {'':<5} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}",
    ]
    kinds = sorted({kind for kind, _cold in figures.times})
    everything: list[float] = []
    for kind in kinds:
        both = figures.times.get((kind, True), []) + figures.times.get((kind, False), [])
        everything += both
        lines.append(_row(kind, "all", both))
        for cold, label in ((True, "cold"), (False, "warm")):
            if figures.times.get((kind, cold)):
                lines.append(_row("", label, figures.times[(kind, cold)]))
    if everything:
        lines.append(_row("every", "all", everything))
    lines += [f"error: {e}" for e in figures.errors[:20]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("RESDIFF_BENCH_DB", DEFAULT_DB))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warm", action="store_true", help="ask for every page once first")
    args = parser.parse_args()
    urls = pool(args.db)
    print(f"pool: {len(urls)} pages ({sum(u.startswith('/diff') for u in urls)} redlines)")
    proc = subprocess.Popen(
        [sys.executable, "-m", "resdiff", "--db", args.db, "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    base = proc.stdout.readline().strip()
    try:
        if args.warm:
            started = time.monotonic()
            failed = [u for u in urls if _get(base, u) != 200]
            print(
                f"warmed {len(urls)} pages in {time.monotonic() - started:.1f} s, {len(failed)} failed"
            )
        print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1 and 5 min) before")
        figures = load(base, urls, clients=args.clients, seconds=args.seconds)
        print(report(figures))
        print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1 and 5 min) after")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if figures.errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
