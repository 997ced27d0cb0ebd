"""Ingest benchmark: the bulk/ text folder and the 67 PDFs, on SQLite and PostgreSQL.

Prints documents per second, peak memory (this process plus parse workers) and the
bytes written to disk by the whole process tree (``/proc/self/io`` write_bytes of this
process, plus the blocks its finished children wrote) against the final database size.
Usage: python benchmarks/bench_ingest.py [--pg URL] [--skip-pg] [--workers N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from resdiff.batch import ingest_paths
from resdiff.store import open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def _written() -> int:
    """Bytes this process and its finished children (the parse workers) wrote to disk."""
    own = 0
    with open("/proc/self/io", encoding="ascii") as f:
        for line in f:
            if line.startswith("write_bytes:"):
                own = int(line.split()[1])
    return own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_oublock * 512


def _db_size(url: str) -> int:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    eng = create_engine(url)
    with eng.connect() as c:
        size = int(c.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0)
    eng.dispose()
    return size


def run(label: str, url: str, folder: Path, workers: int | None) -> None:
    with open_store(url) as store:
        before = _written()
        t0 = time.perf_counter()
        outcomes = ingest_paths(store, [folder], workers=workers)
        dt = time.perf_counter() - t0
        written = _written() - before
    size = _db_size(url)
    # PostgreSQL's writes are the server's, not this process tree's: not shown there.
    io = (
        f"  written {written / 1e6:.0f} MB for a {size / 1e6:.0f} MB database "
        f"({written / max(size, 1):.2f}x)"
        if url.startswith("sqlite")
        else f"  database {size / 1e6:.0f} MB"
    )
    ok = sum(o.status == "stored" for o in outcomes)
    failed = [o for o in outcomes if o.status == "failed"]
    flagged = sum(bool(o.problems) for o in outcomes)
    own, kids = _peak_mb()
    print(
        f"{label:<28} {len(outcomes):>5} files  {dt:7.2f} s  {len(outcomes) / dt:7.1f} docs/s  "
        f"stored {ok}  failed {len(failed)}  flagged {flagged}  "
        f"peak RSS main {own:.0f} MB, largest worker {kids:.0f} MB" + io
    )
    for o in failed[:10]:
        print(f"    failed: {o.message}")


def _pg_database(base: str) -> tuple[str, str]:
    name = f"resdiff_bench_{uuid.uuid4().hex[:8]}"
    eng = create_engine(base, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return base.rsplit("/", 1)[0] + "/" + name, name


def _drop(base: str, name: str) -> None:
    eng = create_engine(base, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    eng.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for label, folder in (
            ("bulk text -> SQLite", SHARED / "bulk"),
            ("67 PDFs -> SQLite", SHARED / "pdf"),
        ):
            run(label, f"sqlite:///{tmp}/{uuid.uuid4().hex}.db", folder, args.workers)
    if not args.skip_pg:
        for label, folder in (
            ("bulk text -> PostgreSQL", SHARED / "bulk"),
            ("67 PDFs -> PostgreSQL", SHARED / "pdf"),
        ):
            url, name = _pg_database(args.pg)
            try:
                run(label, url, folder, args.workers)
            finally:
                _drop(args.pg, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
