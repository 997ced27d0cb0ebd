"""Store throughput: add N ~100-unit documents (one transaction each), then read them back.

Prints documents per second for add and get, and peak memory, on SQLite (a fresh file)
and PostgreSQL (a fresh database on the server in RESDIFF_TEST_PG / 127.0.0.1:5432).

    .venv/bin/python benchmarks/bench_store.py [-n 300] [--units 100] [--no-postgres]
    .venv/bin/python benchmarks/bench_store.py --folder ../shared/corpus/bulk  # parsed real files
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from resdiff.model import DocKind, Document, Footnote, Metadata, Source, Unit, UnitKind
from resdiff.store import open_store

PG_URL = os.environ.get("RESDIFF_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

_PROSE = (
    "Recalling its previous resolutions on the situation of human rights, Expresses deep concern "
    "at the continuing reports of systematic widespread and gross violations, urges the "
    "Government to cooperate fully with the Special Rapporteur and to report thereon"
)
WORDS = _PROSE.split()


def synthetic(i: int, units: int) -> Document:
    """A resolution of ``units`` paragraphs of realistic length (40-90 words each)."""
    out: list[Unit] = []
    for n in range(units):
        body = " ".join(WORDS[(i + n + k) % len(WORDS)] for k in range(40 + (n * 7) % 50))
        if n < units // 3:
            out.append(
                Unit(f"PP{n + 1}", UnitKind.PREAMBULAR, f"Recalling {body} {i}", "Recalling")
            )
        else:
            out.append(Unit(f"OP{n + 1}", UnitKind.OPERATIVE, f"Urges {body} {i};", "Urges", (n,)))
    return Document(
        Metadata(
            symbol=f"A/RES/99/{i}",
            kind=DocKind.RESOLUTION,
            session=99,
            body="Third Committee",
            distribution_date=date(2024, 11, 1),
            title=f"Benchmark resolution {i}",
            sponsors=tuple(f"State {k}" for k in range(40)),
        ),
        tuple(out),
        tuple(Footnote(k, f"See A/{i}/{k}.") for k in range(1, 25)),
        Source(f"bench{i}.txt", "text", f"{i:064x}"),
    )


def folder_documents(folder: Path) -> list[Document]:
    """Every file of ``folder`` that parses (parse time is not part of these figures)."""
    from resdiff.errors import IngestError
    from resdiff.ingest import parse_file

    docs = []
    for path in sorted(folder.iterdir()):
        try:
            docs.append(parse_file(path))
        except IngestError as exc:
            print(f"skipped: {exc}")
    return docs


def _rss_mib() -> float:
    # tracemalloc would halve the speed being measured; the process's peak RSS is free.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: Callable[[], int]) -> tuple[int, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    n = fn()
    return n, time.perf_counter() - wall, time.process_time() - cpu


def run(label: str, url: str, docs: list[Document]) -> None:
    """Add, get, re-add; figures as docs/s of wall time and (in brackets) of this process's CPU
    time, since the machine is shared and the database server's CPU is not ours."""
    t0 = time.perf_counter()
    with open_store(url) as store:
        opened = time.perf_counter() - t0
        keys: list[str] = []
        n, add_wall, add_cpu = _timed(lambda: len([keys.append(store.add(d).key) for d in docs]))
        _, get_wall, get_cpu = _timed(lambda: len([store.get(k) for k in keys]))
        again, re_wall, re_cpu = _timed(
            lambda: sum(store.add(d).status == "already stored" for d in docs)
        )
    assert again == n
    units = sum(len(d.units) for d in docs)
    print(
        f"{label:10s} open {1000 * opened:4.0f} ms | add {n / add_wall:6.1f} docs/s "
        f"(cpu {n / add_cpu:6.1f}; {units / add_wall:6.0f} units/s) | "
        f"get {n / get_wall:6.1f} (cpu {n / get_cpu:6.1f}) | "
        f"re-add {n / re_wall:6.1f} (cpu {n / re_cpu:6.1f}) | "
        f"peak RSS so far {_rss_mib():.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="number of documents")
    parser.add_argument("--units", type=int, default=100, help="units per document")
    parser.add_argument("--folder", type=Path, help="store the parsed files of this folder")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    docs = (
        folder_documents(args.folder)
        if args.folder
        else [synthetic(i, args.units) for i in range(args.n)]
    )
    units = sum(len(d.units) for d in docs)
    print(f"RSS with the documents built: {_rss_mib():.0f} MiB")
    print(f"{len(docs)} documents, {units} units ({units / len(docs):.0f} per document)")
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", docs)
    if not args.no_postgres:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        name = f"resdiff_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
            run("postgresql", url, docs)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print(f"peak RSS of the whole run: {_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
