"""Phrase-search speed: history-style queries on the real corpus, first appearance at 1M paragraphs.

Part 1 (real): ingest bulk/ + series/ + corpus/ (~1,260 documents) into a SQLite store
(or reuse one with --real-db), then time 200 phrases (180 word windows sampled from real
units, 20 absent) with ``occurrences`` + ``first_appearance`` in process; optionally
``resdiff history`` as a whole command (--cli N).

Part 2 (synthetic): N paragraphs (default 1,000,000) built from the real units, each copy
varied (a few words swapped, numbers changed) so the index is not trivially
compressible; bulk-inserted (executemany; FTS / GIN index built after the load), on
SQLite and PostgreSQL. Prints build time, index size, first-appearance p50/p99 over 200
phrases. Targets: SQLite p50 <= 1 ms, p99 <= 150 ms; PostgreSQL p50 <= 10 ms, p99 <= 600 ms.

Part 3 (--huge N, alone): `resdiff agreed` as a whole process on a store of series/,
without and with one more document holding a 1 MB paragraph, alternately, N rounds of
three phrases: the paragraph must not slow other searches (the trigram sample reads a
bounded prefix of each key).

    .venv/bin/python benchmarks/bench_search.py --paragraphs 20000            # quick
    .venv/bin/python benchmarks/bench_search.py                                # 1M, minutes
    .venv/bin/python benchmarks/bench_search.py --skip-real --no-postgres
    # build the 1M stores once (~7 min per backend), then time queries against them:
    .venv/bin/python benchmarks/bench_search.py --skip-real --keep /tmp/bench-keep
    # afterwards: rm -r /tmp/bench-keep; DROP DATABASE resdiff_bench_keep_1000000

Last measured (2026-11-28, 1M paragraphs, 200 phrases of which 20 absent, 2 cores shared
with other jobs, so figures move by 2x run to run):
  SQLite: build 429 s (FTS5 unchanged by 0005), FTS5 1,259 MB; p50 0.56-0.72 ms, p99
    4.3-13 ms with a warm page cache (the first pass over new phrases: p50 1.0-1.9 ms).
  PostgreSQL: build 217 s (load 128 s + GIN 90 s), GIN (replace(norm, ' ', 'q')) 433 MB;
    p50 5.5-7.6 ms, p99 99-133 ms (max 485 ms: a phrase first found just past the probe).
  Before the rarest-trigram queries and the cross-word GIN index (migration 0005):
    SQLite p50 1.9-3.4 / p99 58-68 ms; PostgreSQL p50 42-100 / p99 564-932 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from resdiff.errors import IngestError
from resdiff.ingest import parse_file
from resdiff.search import first_appearance, occurrences, optimize_index
from resdiff.store import open_store, upgrade
from resdiff.store.search import (
    FTS_TABLE,
    POSTGRES_DDL,
    POSTGRES_DROP,
    SEARCH_UNITS,
    TRGM_INDEX,
    day_of,
    phrase_key,
)
from resdiff.store.tables import DOCUMENTS, UNITS

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("RESDIFF_SHARED_CORPUS", REPO.parent / "shared" / "corpus"))
PG_URL = os.environ.get("RESDIFF_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
ABSENT = [
    "songbun caste of the moon",
    "quantum sanctions regime",
    "zebra crossing",
    "unicorn",
    "人权理事会",
    '"NEAR(x y)" AND z*',
    "hyperloop corridor",
    "blockchain refugees",
    "martian observers",
    "velociraptor",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[idx]


def report(label: str, times: list[float]) -> None:
    ms = [t * 1000 for t in times]
    print(
        f"  {label}: n={len(ms)} p50={percentile(ms, 0.5):.2f} ms "
        f"p99={percentile(ms, 0.99):.2f} ms max={max(ms):.2f} ms mean={statistics.mean(ms):.2f} ms"
    )


def real_paths() -> list[Path]:
    folders = [CORPUS / "bulk", CORPUS / "series", REPO / "corpus"]
    return [p for f in folders if f.is_dir() for p in sorted(f.iterdir()) if p.is_file()]


def real_texts(paths: list[Path]) -> list[str]:
    out: list[str] = []
    for p in paths:
        try:
            out.extend(u.text for u in parse_file(p).units)
        except IngestError:
            continue
    return out


def sample_phrases(texts: list[str], rng: random.Random, n: int, absent: int) -> list[str]:
    phrases: list[str] = []
    while len(phrases) < n - absent:
        words = rng.choice(texts).split()
        if len(words) < 3:
            continue
        size = rng.randint(2, min(8, len(words)))
        start = rng.randint(0, len(words) - size)
        phrases.append(" ".join(words[start : start + size]))
    return phrases + [
        ABSENT[i % len(ABSENT)] + ("" if i < len(ABSENT) else f" {i}") for i in range(absent)
    ]


def timed(fn: Callable[[str], object], phrases: list[str]) -> list[float]:
    times = []
    for p in phrases:
        t0 = time.perf_counter()
        fn(p)
        times.append(time.perf_counter() - t0)
    return times


# --- part 1: the real corpus --------------------------------------------------------------


def bench_real(db: str | None, phrases_n: int, cli_n: int, rng: random.Random) -> list[str]:
    paths = real_paths()
    url = f"sqlite:///{db}" if db else f"sqlite:///{tempfile.mkdtemp()}/real.db"
    fresh = not db or not Path(db).exists()
    print(f"real corpus: {len(paths)} files -> {url}")
    texts: list[str] = []
    with open_store(url) as store:
        if fresh:
            t0 = time.perf_counter()
            stored = 0
            for p in paths:
                try:
                    doc = parse_file(p)
                except IngestError:
                    continue
                texts.extend(u.text for u in doc.units)
                stored += store.add(doc).stored
            print(
                f"  ingest (parse + store + index): {stored} documents in {time.perf_counter() - t0:.1f} s"
            )
        else:
            texts = [u.text for d in store.documents() for u in d.units]
        print(f"  units: {len(texts)}")
        phrases = sample_phrases(texts, rng, phrases_n, absent=phrases_n // 10)

        def history(p: str) -> object:
            return first_appearance(store, p), occurrences(store, p)

        timed(history, phrases[:20])  # warm the page cache
        report(
            "first_appearance, index as ingested",
            timed(lambda p: first_appearance(store, p), phrases),
        )
        t0 = time.perf_counter()
        optimize_index(store)
        print(f"  optimize_index: {time.perf_counter() - t0:.1f} s")
        times = timed(history, phrases)
        hits = sum(len(occurrences(store, p)) for p in phrases[:50])
        report("history (first_appearance + occurrences), in process", times)
        report("first_appearance only", timed(lambda p: first_appearance(store, p), phrases))
        print(f"  (first 50 phrases: {hits} occurrences in all)")
    if cli_n:
        env = {**os.environ, "RESDIFF_DB": url}
        cli_times = []
        codes: set[int] = set()
        for p in phrases[:cli_n]:
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "resdiff", "history", p],
                env=env,
                capture_output=True,
                check=False,
            )
            cli_times.append(time.perf_counter() - t0)
            codes.add(done.returncode)
        report(f"`resdiff history` as a whole command (exit codes {sorted(codes)})", cli_times)
    return texts


# --- part 2: synthetic 1M paragraphs ------------------------------------------------------

_NUM = re.compile(r"\d+")
_SWAPS = [
    "urges",
    "calls upon",
    "encourages",
    "requests",
    "invites",
    "notes",
    "welcomes",
    "reaffirms",
    "stresses",
    "recognizes",
    "emphasizes",
    "regional",
    "national",
    "global",
    "sustainable",
    "effective",
    "comprehensive",
    "relevant",
    "appropriate",
    "international",
]


def vary(text_: str, rng: random.Random) -> str:
    """A copy of a real paragraph with a few words and every number changed."""
    words = text_.split()
    for _ in range(min(3, len(words))):
        words[rng.randrange(len(words))] = rng.choice(_SWAPS)
    out = " ".join(words)
    return _NUM.sub(lambda m: str(rng.randint(1, 2099)), out)


def synthetic_rows(
    texts: list[str], n: int, per_doc: int, rng: random.Random
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]]:
    base = date(1990, 1, 1)
    now = datetime.now(UTC)
    counters: dict[int, int] = {}
    made = 0
    doc_id = 0
    while made < n:
        doc_id += 1
        k = min(per_doc, n - made)
        when = base + timedelta(days=rng.randint(0, 35 * 365))
        is_res = rng.random() < 0.5
        doc = {
            "id": doc_id,
            "key": f"A/RES/SYN/{doc_id}",
            "symbol": f"A/RES/SYN/{doc_id}",
            "symbol_key": f"A/RES/SYN/{doc_id}",
            "version": 1,
            "kind": "resolution" if is_res else "draft",
            "adoption_date": when if is_res else None,
            "distribution_date": when,
            "content_hash": uuid.uuid4().hex + uuid.uuid4().hex,
            "has_source": False,
            "source_revision_count": 0,
            "source_notes": [],
            "furniture": [],
            "created_at": now,
        }
        day = day_of(when)
        start = (day << 24) + counters.get(day, 0)
        counters[day] = counters.get(day, 0) + k
        units, search = [], []
        for pos in range(k):
            t = vary(rng.choice(texts), rng)
            units.append(
                {
                    "document_id": doc_id,
                    "position": pos,
                    "label": f"OP{pos + 1}",
                    "kind": "operative",
                    "lead": "",
                    "text": t,
                    "footnotes": [],
                }
            )
            search.append(
                {"id": start + pos, "document_id": doc_id, "position": pos, "norm": phrase_key(t)}
            )
        made += k
        yield doc, units, search


def load(url: str, texts: list[str], n: int, rng: random.Random) -> float:
    """Bulk-load n paragraphs into a fresh store; return seconds (load + index build)."""
    open_store(url).close()  # schema at head
    engine = create_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    t0 = time.perf_counter()
    with engine.begin() as conn:
        # Build the index once after the load instead of row by row (SQLite's FTS5
        # entries are written by ingest itself, never by a trigger: built below).
        if not sqlite:
            for stmt in POSTGRES_DROP:
                conn.execute(text(stmt))
    batch_docs: list[dict[str, Any]] = []
    batch_units: list[dict[str, Any]] = []
    batch_search: list[dict[str, Any]] = []

    def flush() -> None:
        with engine.begin() as conn:
            conn.execute(insert(DOCUMENTS), batch_docs)
            conn.execute(insert(UNITS), batch_units)
            conn.execute(insert(SEARCH_UNITS), batch_search)
        batch_docs.clear()
        batch_units.clear()
        batch_search.clear()

    for doc, units, search in synthetic_rows(texts, n, 50, rng):
        batch_docs.append(doc)
        batch_units.extend(units)
        batch_search.extend(search)
        if len(batch_units) >= 50_000:
            flush()
    if batch_docs:
        flush()
    t_load = time.perf_counter() - t0
    with engine.begin() as conn:
        if sqlite:
            conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
            conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')"))
        else:
            for stmt in POSTGRES_DDL:
                conn.execute(text(stmt))
            conn.execute(text("ANALYZE"))
    total = time.perf_counter() - t0
    print(f"  load {t_load:.1f} s, index build {total - t_load:.1f} s, total {total:.1f} s")
    with engine.connect() as conn:
        if sqlite:
            pages = conn.execute(
                text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE :p"),
                {"p": f"{FTS_TABLE}%"},
            ).scalar()
            norm = conn.execute(
                text("SELECT sum(pgsize) FROM dbstat WHERE name = 'search_units'")
            ).scalar()
            print(
                f"  FTS5 trigram index: {int(pages or 0) / 1e6:.0f} MB; search_units (norm) table: {int(norm or 0) / 1e6:.0f} MB"
            )
        else:
            size = conn.execute(text("SELECT pg_relation_size(:i)"), {"i": TRGM_INDEX}).scalar()
            table = conn.execute(text("SELECT pg_total_relation_size('search_units')")).scalar()
            print(
                f"  pg_trgm GIN index ({TRGM_INDEX}): {int(size or 0) / 1e6:.0f} MB; search_units total: {int(table or 0) / 1e6:.0f} MB"
            )
    engine.dispose()
    return total


def bench_synthetic(
    url: str, label: str, texts: list[str], n: int, phrases_n: int, seed: int, *, reuse: bool
) -> None:
    print(f"synthetic {label}: {n:,} paragraphs from {len(texts):,} real units")
    rng = random.Random(seed)
    if reuse:
        before, after = upgrade(url)  # a store kept from before a migration
        print(f"  reusing the kept store (no load; schema {before} -> {after})")
    else:
        load(url, texts, n, rng)
    phrases = sample_phrases(texts, random.Random(seed + 1), phrases_n, absent=phrases_n // 10)
    with open_store(url) as store:
        timed(lambda p: first_appearance(store, p), phrases[:20])
        times = timed(lambda p: first_appearance(store, p), phrases)
        report(f"first_appearance on {label}", times)
        found = sum(first_appearance(store, p) is not None for p in phrases)
        print(f"  ({found}/{len(phrases)} phrases found)")
        slow = sorted(zip(times, phrases, strict=False), reverse=True)[:3]
        for t, p in slow:
            print(f"    slowest: {t * 1000:.1f} ms {p!r}")


def pg_database(keep: str | None = None) -> tuple[str, Callable[[], None], bool]:
    """A database for the synthetic run: a fresh one dropped afterwards, or with ``keep``
    the named one, created if missing and left in place (third item: it already existed)."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = keep or f"resdiff_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        exists = bool(
            conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        )
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    if keep:
        admin.dispose()
        return url, lambda: None, exists

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop, False


def kept_texts(keep: Path | None, make: Callable[[], list[str]]) -> list[str]:
    """The real unit texts, cached as ``texts.json`` in the --keep folder."""
    cache = keep / "texts.json" if keep else None
    if cache is not None and cache.exists():
        texts: list[str] = json.loads(cache.read_text(encoding="utf-8"))
        return texts
    texts = make()
    if cache is not None:
        keep.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
        cache.write_text(json.dumps(texts), encoding="utf-8")
    return texts


HUGE_PHRASES = [
    "reaffirms its commitment",
    "the promotion and protection of human rights",
    "decides to remain seized of the matter",
]


def bench_huge(rounds: int) -> None:
    """Part 3: whole-process `resdiff agreed PHRASE` on the series/ store, without and
    with one more stored document holding a 1 MB paragraph, run alternately."""
    from resdiff.batch import ingest_paths
    from resdiff.model import DocKind, Document, Metadata, Unit, UnitKind

    # Real wording, so that the paragraph holds as many distinct trigrams as a real one.
    pieces: list[str] = []
    for path in sorted((CORPUS / "bulk").iterdir()):
        pieces.extend(u.text for u in parse_file(path).units)
        if sum(map(len, pieces)) > 1_000_000:
            break
    huge = Document(
        # Undated, as a pasted draft may be: its rows sort last, where most of the
        # sample's read points fall (the id range runs to date.max).
        metadata=Metadata(symbol="A/RES/99/1", kind=DocKind.RESOLUTION),
        units=(Unit("OP1", UnitKind.OPERATIVE, " ".join(pieces)[:1_000_000], "Urges"),),
    )
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"plain": f"sqlite:///{tmp}/plain.db", "1 MB paragraph": f"sqlite:///{tmp}/huge.db"}
        for label, url in urls.items():
            with open_store(url) as store:
                ingest_paths(store, [CORPUS / "series"])
                if label != "plain":
                    store.add(huge)
        times: dict[str, list[float]] = {label: [] for label in urls}
        answers: dict[str, list[str]] = {label: [] for label in urls}
        for _ in range(rounds):
            for phrase in HUGE_PHRASES:
                for label, url in urls.items():
                    t0 = time.perf_counter()
                    done = subprocess.run(
                        [sys.executable, "-m", "resdiff", "--db", url, "agreed", phrase],
                        capture_output=True,
                        text=True,
                        check=False,
                    )
                    times[label].append(time.perf_counter() - t0)
                    # The big document itself holds the phrases: its own lines set apart.
                    # (only the lines naming a resolution: a summary line counts it too)
                    lines = [
                        ln
                        for ln in done.stdout.splitlines()
                        if "A/RES/" in ln and "A/RES/99/1" not in ln
                    ]
                    answers[label].append(f"exit {done.returncode}: " + "\n".join(lines))
        same = answers["plain"] == answers["1 MB paragraph"]
        plain, big = (statistics.median(times[k]) for k in urls)
        print(
            f"agreed, whole process, median of {len(times['plain'])}: plain {plain:.2f} s, "
            f"with a 1 MB paragraph stored {big:.2f} s ({big / plain:.2f}x); "
            f"same answers: {same} (exit codes {sorted({a[:6] for a in answers['plain']})}, "
            f"{sum(a.count(chr(10)) for a in answers['plain'])} lines)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--huge",
        type=int,
        default=0,
        help="only part 3: N rounds of `resdiff agreed` with and without a 1 MB paragraph",
    )
    ap.add_argument("--paragraphs", type=int, default=1_000_000)
    ap.add_argument("--phrases", type=int, default=200)
    ap.add_argument("--real-db", help="reuse (or create) this SQLite file for part 1")
    ap.add_argument("--cli", type=int, default=0, help="also time N `resdiff history` runs")
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument(
        "--keep",
        type=Path,
        help="folder keeping the synthetic SQLite store and the real texts between runs "
        "(the PostgreSQL database is kept too, as resdiff_bench_keep_<paragraphs>); a later "
        "run with the same folder reuses them instead of loading again. Delete the folder "
        "and DROP DATABASE resdiff_bench_keep_<paragraphs> when done.",
    )
    args = ap.parse_args()
    if args.huge:
        bench_huge(args.huge)
        return
    rng = random.Random(args.seed)
    keep: Path | None = args.keep
    if args.skip_real and args.real_db and Path(args.real_db).exists():
        with open_store(f"sqlite:///{args.real_db}") as store:  # texts of a stored corpus
            texts = [u.text for d in store.documents() for u in d.units]
    elif args.skip_real:
        texts = kept_texts(keep, lambda: real_texts(real_paths()))
    else:
        texts = bench_real(args.real_db, args.phrases, args.cli, rng)
    if args.paragraphs <= 0:
        return
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            db = (keep or Path(tmp)) / f"syn-{args.paragraphs}.db"
            done = db.with_suffix(".done")
            reuse = done.exists()
            if not reuse:
                db.unlink(missing_ok=True)
            url = f"sqlite:///{db}"
            bench_synthetic(
                url, "SQLite", texts, args.paragraphs, args.phrases, args.seed, reuse=reuse
            )
            if keep:
                done.touch()
    if not args.no_postgres:
        name = f"resdiff_bench_keep_{args.paragraphs}" if keep else None
        url, drop, exists = pg_database(name)
        try:
            reuse = exists and _pg_loaded(url, args.paragraphs)
            if exists and not reuse:  # an interrupted load: start again
                _drop_database(str(name))
                url, drop, _ = pg_database(name)
            bench_synthetic(
                url, "PostgreSQL", texts, args.paragraphs, args.phrases, args.seed, reuse=reuse
            )
        finally:
            drop()


def _drop_database(name: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg_loaded(url: str, n: int) -> bool:
    """True when a kept database holds the n paragraphs (an interrupted load holds fewer)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not conn.execute(text("SELECT to_regclass('search_units')")).scalar():
                return False
            return conn.execute(text("SELECT count(*) FROM search_units")).scalar() == n
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
