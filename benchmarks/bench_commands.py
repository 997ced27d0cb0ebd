"""Whole-process speed of every everyday command against a store holding the whole corpus.

Each command runs as a fresh `resdiff` process, as a user types it, against a store
holding all of ../shared/corpus (bulk + series + pdf, about 1,265 documents). Its time
is compared with a floor measured alternately in the same run, so other load on the
machine disturbs both alike:

- stored commands against `python -c 'import typer, sqlalchemy.orm'` (target <= 1.25x);
- `--help` and `--version` against `python -c 'import typer'` (target <= 1.25x);
- on PostgreSQL each command against its own SQLite time, also alternately (target <= 1.5x).

Each command runs once untimed first (modules compiled and cached, as after a user's
first run). Prints the load average, then per command the median seconds (of --runs) of the floor,
of SQLite and of PostgreSQL, and the ratios. The stores are built when empty (minutes:
`resdiff ingest bulk series pdf`); the PostgreSQL database is created when missing.

    .venv/bin/python benchmarks/bench_commands.py                       # both backends
    .venv/bin/python benchmarks/bench_commands.py --sqlite sqlite:////tmp/all.db --no-postgres
    RESDIFF_BENCH_DB=sqlite:////tmp/all.db .venv/bin/python benchmarks/bench_commands.py --runs 7
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SQLITE_URL = os.environ.get("RESDIFF_BENCH_DB", "sqlite:////tmp/resdiff-bench-all.db")
PG_URL = os.environ.get("RESDIFF_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/resdiff_bench")

ORM_FLOOR = "import typer, sqlalchemy.orm"
TYPER_FLOOR = "import typer"

# (name, arguments after `resdiff --db URL`, floor); OUT is replaced by a file in a temp folder.
COMMANDS: list[tuple[str, list[str], str]] = [
    ("--version", ["--version"], TYPER_FLOOR),
    ("--help", ["--help"], TYPER_FLOOR),
    ("list", ["list"], ORM_FLOOR),
    ("show", ["show", "A/RES/79/171"], ORM_FLOOR),
    ("series list", ["series", "list"], ORM_FLOOR),
    ("series show", ["series", "show", "A/RES/79/171"], ORM_FLOOR),
    ("history", ["history", "songbun"], ORM_FLOOR),
    ("agreed", ["agreed", "full, safe and unhindered access"], ORM_FLOOR),
    ("trace", ["trace", "A/RES/79/171", "OP1"], ORM_FLOOR),
    ("blame", ["blame", "A/RES/79/171"], ORM_FLOOR),
    (
        "diff html",
        ["diff", "A/RES/78/198", "A/RES/79/171", "--format", "html", "-o", "OUT"],
        ORM_FLOOR,
    ),
    ("review html", ["review", "A/C.3/80/L.41", "--format", "html", "-o", "OUT"], ORM_FLOOR),
]


# As a user runs them: Python caches compiled modules (a PYTHONDONTWRITEBYTECODE left in
# the environment would make every run compile resdiff's own modules again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args: Sequence[str]) -> float:
    """Wall seconds of one process; a failure (exit code other than 0 or 1) stops the run."""
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, check=False, env=ENV)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}"
        )
    return wall


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def stored_documents(resdiff: str, url: str) -> int:
    """How many documents the store at ``url`` holds (0 when it is missing or empty)."""
    proc = subprocess.run(
        [resdiff, "--db", url, "list", "--format", "json"], capture_output=True, check=False
    )
    if proc.returncode != 0:
        return 0
    import json

    data = json.loads(proc.stdout)
    return len(data if isinstance(data, list) else data.get("documents", []))


def create_pg_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` when the server lacks it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            ).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


def ensure_store(resdiff: str, url: str) -> None:
    """Ingest the whole corpus into ``url`` unless it already holds it."""
    count = stored_documents(resdiff, url)
    if count >= 1000:
        print(f"store {url}: {count} documents")
        return
    print(f"store {url}: {count} documents; ingesting the corpus (minutes)...", flush=True)
    folders = [str(CORPUS / name) for name in ("bulk", "series", "pdf")]
    subprocess.run([resdiff, "--db", url, "ingest", *folders], check=False)
    print(f"store {url}: {stored_documents(resdiff, url)} documents")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sqlite", default=SQLITE_URL, help="SQLite store URL (RESDIFF_BENCH_DB)")
    ap.add_argument("--pg", default=PG_URL, help="PostgreSQL store URL (RESDIFF_BENCH_PG)")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--only", action="append", help="a command to run, repeatable (default: all); --only=--help"
    )
    ap.add_argument(
        "--resdiff", default=str(Path(sys.executable).with_name("resdiff")), help="the executable"
    )
    args = ap.parse_args()
    py = sys.executable
    backends = {"sqlite": args.sqlite}
    if not args.no_postgres:
        create_pg_database(args.pg)
        backends["pg"] = args.pg
    for url in backends.values():
        ensure_store(args.resdiff, url)

    print(f"load average before: {loadavg()}; median of {args.runs}, whole process")
    header = f"{'command':<12} {'floor':>7} {'sqlite':>7} {'ratio':>6}"
    if "pg" in backends:
        header += f" {'pg':>7} {'pg/sqlite':>9}"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for name, cmd_args, floor in COMMANDS:
            if args.only and name not in args.only:
                continue
            argv = [str(Path(tmp) / "out.html") if a == "OUT" else a for a in cmd_args]
            times: dict[str, list[float]] = {"floor": [], **{b: [] for b in backends}}
            for url in backends.values():  # warm-up: compiled modules cached, pages in memory
                timed([args.resdiff, "--db", url, *argv])
            for _ in range(args.runs):
                # Alternate: floor, then each backend, so a load spike hits all of them.
                times["floor"].append(timed([py, "-c", floor]))
                for backend, url in backends.items():
                    times[backend].append(timed([args.resdiff, "--db", url, *argv]))
            med = {k: statistics.median(v) for k, v in times.items()}
            line = f"{name:<12} {med['floor']:7.3f} {med['sqlite']:7.3f} {med['sqlite'] / med['floor']:6.2f}"
            if "pg" in med:
                line += f" {med['pg']:7.3f} {med['pg'] / med['sqlite']:9.2f}"
            print(line, flush=True)
    print(f"load average after: {loadavg()}")
    print(
        "targets: ratio <= 1.25 (floor: 'import typer' for --help/--version, "
        "'import typer, sqlalchemy.orm' otherwise); pg/sqlite <= 1.5"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
