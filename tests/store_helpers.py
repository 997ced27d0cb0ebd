"""Shared helpers for the store tests: one throw-away database per test, synthetic documents,
table dumps, and the worker functions that spawned processes run."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import PG_URL, not_run
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from resdiff.model import DocKind, Document, Footnote, Metadata, Source, Unit, UnitKind

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _pg_admin_url() -> str:
    return PG_URL


@contextmanager
def fresh_pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"resdiff_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the server is part of the test contract, say so clearly
        admin.dispose()
        not_run(f"PostgreSQL checks need the server at {PG_URL}: {str(exc).splitlines()[0]}")
    url = make_url(_pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database URL of the given backend ("sqlite" or "postgres")."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'store-{uuid.uuid4().hex[:8]}.db'}"
    else:
        with fresh_pg_url() as url:
            yield url


def make_doc(
    i: int, *, units: int = 12, symbol: str | None = "auto", sha: str | None = None
) -> Document:
    """A synthetic resolution with every field filled; ``i`` makes its content unique."""
    sym = f"A/RES/99/{i}" if symbol == "auto" else symbol
    unit_list: list[Unit] = []
    for n in range(1, units + 1):
        if n <= units // 3:
            unit_list.append(
                Unit(
                    f"PP{n}",
                    UnitKind.PREAMBULAR,
                    f"Recalling its resolution {i}/{n} of 16 December 2020, “quoted” — text",
                    "Recalling",
                    (n,) if n % 2 == 0 else (),
                )
            )
        else:
            op = n - units // 3
            unit_list.append(
                Unit(
                    f"OP{op}",
                    UnitKind.OPERATIVE,
                    f"Urges States {i} to act on item {op};",
                    "Urges",
                    (n,) if n % 2 == 0 else (),
                )
            )
            if op % 3 == 0:
                unit_list.append(Unit(f"OP{op}(a)", UnitKind.SUBITEM, f"To report ({i}, {op});"))
    notes = tuple(Footnote(n, f"A/{i}/{n}, para. {n}.") for n in range(2, units + 1, 2))
    return Document(
        metadata=Metadata(
            symbol=sym,
            kind=DocKind.RESOLUTION,
            reissue=None,
            session=99,
            body="Third Committee",
            agenda_item="68 (c)",
            distribution_date=date(2024, 11, 1),
            adoption_date=date(2024, 12, 17),
            meeting="on the report of the Third Committee (A/99/1, para. 3)",
            title=f"Situation number {i}",
            sponsors=("Albania", "United Kingdom of Great Britain and Northern Ireland"),
            on_behalf_of=("Group of 77 and China",),
            draft_symbol=f"A/C.3/99/L.{i}",
        ),
        units=tuple(unit_list),
        footnotes=notes,
        source=Source(f"doc{i}.txt", "text", sha or f"{i:064x}", None, 0, ("a note",)),
        furniture=("21-19213", f"{i}/3"),
    )


def dump_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: two dumps are equal iff the data is."""
    engine = create_engine(url)
    out: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as conn:
            for table in sorted(inspect(conn).get_table_names()):
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                out[table] = sorted((tuple(map(repr, r)) for r in rows), key=repr)
    finally:
        engine.dispose()
    return out


# --- workers run in spawned processes (must be importable top-level functions) -------------


def add_all_worker(url: str, count: int, seed: int, queue: Any, barrier: Any) -> None:
    """Open the store (maybe creating it) and add ``count`` documents; report statuses."""
    from resdiff.store import open_store

    barrier.wait(timeout=120)  # start together, so the two really overlap

    # Same order in both processes: they collide on the same document most of the time.
    order = list(range(count)) if seed >= 0 else list(reversed(range(count)))
    statuses: list[tuple[int, str]] = []
    try:
        with open_store(url) as store:
            for i in order:
                statuses.append((i, store.add(make_doc(i, units=20)).status))
        queue.put(("ok", statuses))
    except BaseException as exc:
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def hang_in_transaction_worker(url: str, flag: str) -> None:
    """Add a document but stop for good after its units are written (inside the transaction)."""
    import resdiff.store.repo as repo
    from resdiff.store import open_store

    original = repo._insert_many

    def slow_insert(conn: Any, table: Any, rows: Any) -> None:
        original(conn, table, rows)
        if table is repo.UNITS:
            Path(flag).write_text("inside")
            time.sleep(600)

    repo._insert_many = slow_insert  # type: ignore[assignment]
    with open_store(url) as store:
        store.add(make_doc(1000, units=30))
