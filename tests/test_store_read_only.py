"""Read commands on a store they cannot write: a read-only SQLite file in a read-only folder
(WAL mode), a read-only file in a writable folder, and a PostgreSQL role granted SELECT
only. Each answers exactly as on a writable store, computing in memory the series and
alignments that were never stored, and the store is left byte for byte as it was."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from store_helpers import fresh_pg_url
from web_fixtures import SMALL_SERIES, copy_store, request, small_store

from resdiff.errors import StoreError
from resdiff.store import open_store

# Every command that only reads, with its expected exit code (diff: 1, the versions differ).
READS: list[tuple[list[str], int]] = [
    (["list"], 0),
    (["show", "A/RES/79/171"], 0),
    (["diff", "A/RES/78/198", "A/RES/79/171"], 1),
    (["history", "right to food"], 0),
    (["trace", "A/RES/80/210", "OP3"], 0),
    (["blame", "A/RES/80/210"], 0),
    (["agreed", "right to food"], 0),
    (["series", "list"], 0),
    (["series", "show", "A/RES/79/171"], 0),
    (["review", "A/C.3/80/L.41"], 0),
    (["trace", "A/RES/76/177", "OP1"], 0),
]


def _as_reader() -> list[str]:
    # root ignores file permissions: run the command as root without any capability
    # (an empty bounding set), which obeys them like any user, yet still reads the
    # checkout and its virtual environment wherever CI put them (another user, such as
    # nobody, may not be able to reach a checkout under a private folder).
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to run a command without privileges")
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]


def _run(url: str, args: list[str], *, reader: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [*(_as_reader() if reader else []), sys.executable, "-m", "resdiff", "--db", url, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=300,
        check=False,
    )


def _answers(url: str, *, reader: bool) -> list[tuple[int, str]]:
    out = []
    for args, code in READS:
        r = _run(url, args, reader=reader)
        assert r.returncode == code, (args, r.stderr)
        out.append((r.returncode, r.stdout))
    return out


def _forget_some_lineage(conn: sqlite3.Connection | object) -> None:
    # As a store filled by an older resdiff (or by Store.add alone) looks: documents in no
    # series, consecutive versions without their stored alignment.
    statements = (
        "DELETE FROM alignments WHERE old_document_id % 2 = 0",
        "DELETE FROM series_members WHERE document_id % 3 = 0",
    )
    for sql in statements:
        conn.execute(text(sql) if not isinstance(conn, sqlite3.Connection) else sql)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, str]]:
    """The answers of a writable store with its whole lineage stored: eleven commands run
    once per test run, by the first xdist worker to ask, and read by the others."""
    root = small_store(tmp_path_factory).parent  # the run's shared folder
    done = root / "read-only-reference.json"
    with (root / "read-only-reference.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            db = tmp_path_factory.mktemp("writable") / "store.db"
            copy_store(small_store(tmp_path_factory), db)
            tmp = done.with_suffix(".tmp")
            tmp.write_text(json.dumps(_answers(f"sqlite:///{db}", reader=False)), "utf-8")
            tmp.rename(done)
    return [(int(code), str(out)) for code, out in json.loads(done.read_text("utf-8"))]


@pytest.fixture
def reachable() -> Iterator[Path]:
    # pytest's own tmp folders are private: the unprivileged reader must reach the file.
    root = Path(tempfile.mkdtemp(prefix="resdiff-ro-", dir="/tmp"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        for path in root.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(root)


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("folder_mode", "file_mode"),
    [(0o555, 0o444), (0o777, 0o444)],
    ids=["read-only folder", "read-only file"],
)
def test_read_commands_on_a_read_only_sqlite_store(
    folder_mode: int,
    file_mode: int,
    reachable: Path,
    reference: list[tuple[int, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = reachable / "store"
    folder.mkdir()
    db = folder / "store.db"
    copy_store(small_store(tmp_path_factory), db)
    with sqlite3.connect(db) as conn:
        _forget_some_lineage(conn)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    db.chmod(file_mode)
    folder.chmod(folder_mode)
    before = _snapshot(folder)
    url = f"sqlite:///{db}"
    assert _answers(url, reader=True) == reference
    after = _snapshot(folder)
    # Nothing written: the file is as it was; in a writable folder SQLite may leave its
    # (empty) write-ahead log and shared-memory index beside it, nothing else.
    assert after["store.db"] == before["store.db"]
    assert set(after) - set(before) <= {"store.db-wal", "store.db-shm"}
    wal = folder / "store.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_write_on_a_read_only_store_is_refused_with_one_line(
    reachable: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    db = reachable / "store.db"
    copy_store(small_store(tmp_path_factory), db)
    with open_store(f"sqlite:///{db}", read_only=True) as store:
        from resdiff.lineage import link

        with pytest.raises(StoreError, match="open read-only") as err:
            link(store, "A/RES/79/171", "A/RES/80/192")
    assert "\n" not in str(err.value)


@pytest.mark.postgres
def test_read_commands_with_a_select_only_postgresql_role(
    reference: list[tuple[int, str]],
) -> None:
    from resdiff.batch import ingest_paths
    from resdiff.lineage import refresh_lineage

    role = f"resdiff_reader_{uuid.uuid4().hex[:8]}"
    with fresh_pg_url() as url:
        with open_store(url) as store:
            ingest_paths(store, [REPO / "corpus", *(_series(n) for n in SMALL_SERIES)])
            refresh_lineage(store)
        assert _answers(url, reader=False) == reference  # the same store on PostgreSQL
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                _forget_some_lineage(conn)
                counts = _counts(conn)
                conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
                conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
                conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
            reader_url = make_url(url).set(username=role).render_as_string(hide_password=False)
            assert _answers(reader_url, reader=False) == reference
            with admin.connect() as conn:
                assert _counts(conn) == counts  # nothing was stored
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP OWNED BY "{role}"'))
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
            admin.dispose()


def _series(name: str) -> Path:
    from conftest import SERIES

    return SERIES / name


def _counts(conn: object) -> tuple[int, ...]:
    return tuple(
        int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0)  # type: ignore[attr-defined]
        for t in ("documents", "series", "series_members", "alignments")
    )


def test_serve_a_read_only_store(reachable: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = reachable / "store"
    folder.mkdir()
    db = folder / "store.db"
    copy_store(small_store(tmp_path_factory), db)
    with sqlite3.connect(db) as conn:
        _forget_some_lineage(conn)
    conn.close()
    db.chmod(0o444)
    folder.chmod(0o555)
    before = _snapshot(folder)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "resdiff", "--db", f"sqlite:///{db}", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*_as_reader(), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd="/",
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip().rstrip("/")
        assert base.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.stderr else ""
        for path in (
            "/",
            "/series",
            "/doc/A/RES/80/210",
            "/history?q=right+to+food",
            "/trace/A/RES/80/210/OP3",
            "/blame/A/RES/80/210",
            "/diff?old=A/RES/79/171&new=A/RES/80/210",
            "/api/series",
        ):
            status, _headers, body = request(base + path)
            assert status == 200, (path, body[:300])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert _snapshot(folder) == before
