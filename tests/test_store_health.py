"""Damaged stores are refused before anything is written; `db check` and `db backup`."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED
from store_helpers import BACKENDS, dump_tables, fresh_pg_url, fresh_url, make_doc
from typer.testing import CliRunner

from resdiff.cli import app
from resdiff.errors import DamagedError, StoreError
from resdiff.store import head_revision, open_store, upgrade
from resdiff.store.health import backup, check

runner = CliRunner()


def _cli(url: str, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["--db", url, *args])
    return r.exit_code, r.stdout, r.stderr


def _sound(path: Path, docs: int = 30) -> Path:
    with open_store(f"sqlite:///{path}") as store:
        for i in range(docs):
            store.add(make_doc(i, units=30))
    return path


def _damage(path: Path, pages: tuple[int, ...]) -> None:
    # Scramble the cell-pointer area of a few b-tree pages: the kind of damage a torn write
    # or a bad sector leaves, which the quick check sees (and which content bytes are not).
    data = bytearray(path.read_bytes())
    page = 4096
    for n in pages:
        for k in range(8, 14):
            data[n * page + k] ^= 0x5A
    path.write_bytes(bytes(data))
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError as exc:
        assert "malformed" in str(exc)  # so damaged that the check itself stops
    finally:
        conn.close()


# Two kinds of damage: the check lists the broken pages, or it stops at the first one.
@pytest.fixture(params=[(30, 50, 70, 90), (20, 40, 60, 80)], ids=["listed", "stops"])
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    path = _sound(tmp_path / "damaged.db")
    _damage(path, request.param)
    yield path


def _one_damage_line(stderr: str, path: Path) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"resdiff: error: database damaged: sqlite:///{path}: "), stderr
    assert lines[0].endswith("; restore a backup"), stderr


def test_ingest_into_a_damaged_store_writes_nothing(damaged: Path) -> None:
    before = damaged.read_bytes()
    code, _out, err = _cli(f"sqlite:///{damaged}", "ingest", str(SEED))
    assert code == 2
    _one_damage_line(err, damaged)
    assert damaged.read_bytes() == before
    wal = Path(f"{damaged}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_opening_a_damaged_store_for_writing_is_refused(damaged: Path) -> None:
    before = damaged.read_bytes()
    with pytest.raises(DamagedError, match=r"^database damaged: .*; restore a backup$"):
        open_store(f"sqlite:///{damaged}")
    assert damaged.read_bytes() == before


def test_upgrade_of_a_damaged_store_fails(damaged: Path) -> None:
    with pytest.raises(DamagedError):
        upgrade(f"sqlite:///{damaged}")
    code, _out, err = _cli(f"sqlite:///{damaged}", "db", "upgrade")
    assert code == 2
    _one_damage_line(err, damaged)
    assert "already at" not in err


def test_db_check_reports_damage(damaged: Path) -> None:
    before = damaged.read_bytes()
    health = check(f"sqlite:///{damaged}")
    assert not health.ok and health.damage
    code, out, err = _cli(f"sqlite:///{damaged}", "db", "check")
    assert code == 2
    assert "integrity: DAMAGED:" in out
    _one_damage_line(err, damaged)
    assert damaged.read_bytes() == before  # checking never writes


@pytest.mark.parametrize("backend", BACKENDS)
def test_db_check_of_a_sound_current_store(backend: str, tmp_path: Path) -> None:
    with fresh_url(backend, tmp_path) as url:
        with open_store(url) as store:
            store.add(make_doc(1))
        code, out, err = _cli(url, "db", "check")
        assert code == 0, err
        assert "integrity: ok" in out and f"schema: {head_revision()} (current)" in out


@pytest.mark.postgres
def test_db_check_of_a_postgresql_database_without_the_schema() -> None:
    with fresh_pg_url() as url:
        code, out, err = _cli(url, "db", "check")
    assert code == 2
    assert "schema: none" in out
    assert (
        err.strip()
        .splitlines()[-1]
        .endswith("run `resdiff db upgrade` or `resdiff ingest` to create it")
    )


@pytest.mark.postgres
def test_db_check_names_a_missing_phrase_index_and_db_upgrade_builds_it() -> None:
    # What a PostgreSQL bulk load killed before building its trigram index again leaves.
    from sqlalchemy import text

    from resdiff.store.search_index import TRGM_INDEX

    with fresh_pg_url() as url:
        with open_store(url) as store:
            store.add(make_doc(1))
            with store._engine.begin() as conn:
                conn.execute(text(f"DROP INDEX {TRGM_INDEX}"))
        code, out, err = _cli(url, "db", "check")
        assert code == 2
        assert "phrase index: missing" in out
        assert err.strip().endswith("searches are right but slow): run `resdiff db upgrade`")
        code, _out, err = _cli(url, "db", "upgrade")
        assert code == 0, err
        code, out, err = _cli(url, "db", "check")
        assert code == 0, err
        assert "phrase index" not in out


def test_db_check_of_a_store_behind(tmp_path: Path) -> None:
    from test_migrations import _migrate_to

    url = f"sqlite:///{tmp_path / 'old.db'}"
    _migrate_to(url, "0003")
    code, out, err = _cli(url, "db", "check")
    assert code == 2
    assert f"schema: 0003 (this resdiff needs {head_revision()})" in out
    assert "is behind" in err and "run `resdiff db upgrade`" in err


def test_backup_is_a_whole_copy_while_a_reader_holds_a_snapshot(tmp_path: Path) -> None:
    db = _sound(tmp_path / "store.db")
    url = f"sqlite:///{db}"
    # Another process-like reader in the middle of a read transaction.
    reader = sqlite3.connect(db)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM documents").fetchone()
    try:
        dest = tmp_path / "copies" / "store-backup.db"
        dest.parent.mkdir()
        code, _out, err = _cli(url, "db", "backup", str(dest))
        assert code == 0, err
        assert err.strip().startswith(f"backed up to {dest}")
    finally:
        reader.rollback()
        reader.close()
    assert dump_tables(f"sqlite:///{dest}") == dump_tables(url)
    assert check(f"sqlite:///{dest}").ok
    assert [p.name for p in dest.parent.iterdir() if p.name.endswith(".part")] == []


def test_backup_taken_while_another_thread_writes_is_consistent(tmp_path: Path) -> None:
    db = _sound(tmp_path / "store.db", docs=5)
    url = f"sqlite:///{db}"
    stop = threading.Event()

    def write() -> None:
        with open_store(url) as store:
            n = 100
            while not stop.is_set() and n < 140:
                store.add(make_doc(n, units=30))
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [backup(url, tmp_path / f"copy{k}.db") for k in range(3)]
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        with open_store(f"sqlite:///{copy}", read_only=True) as store:
            # Every document in the copy is whole: all its units and footnotes came along.
            for summary in store.list():
                assert store.get(summary.key) == make_doc(
                    int(summary.key.rsplit("/", 1)[1]), units=30
                )
        assert check(f"sqlite:///{copy}").ok


def test_backup_of_a_damaged_store_writes_nothing(damaged: Path, tmp_path: Path) -> None:
    dest = tmp_path / "previous.db"
    dest.write_bytes(b"the previous backup")
    code, _out, err = _cli(f"sqlite:///{damaged}", "db", "backup", str(dest))
    assert code == 2
    assert err.startswith("resdiff: error: database damaged:") and "no backup written" in err
    assert dest.read_bytes() == b"the previous backup"
    assert sorted(p.name for p in tmp_path.iterdir() if ".part" in p.name) == []


def test_backup_refuses_its_own_source_and_postgresql(tmp_path: Path) -> None:
    db = _sound(tmp_path / "store.db", docs=2)
    with pytest.raises(StoreError, match="is the database itself"):
        backup(f"sqlite:///{db}", db)
    code, _out, err = _cli(
        "postgresql://postgres@127.0.0.1:5432/test", "db", "backup", str(tmp_path / "x")
    )
    assert code == 2
    assert err.strip().splitlines() == [
        "resdiff: error: `resdiff db backup` copies SQLite stores; "
        "postgresql://postgres@127.0.0.1:5432/test is PostgreSQL: "
        "use pg_dump (pg_dump -Fc -f FILE DBNAME)"
    ]
    assert not (tmp_path / "x").exists()


def test_undecodable_text_is_named_as_damage() -> None:
    from sqlalchemy.exc import OperationalError

    from resdiff.store.engine import describe_error

    exc = OperationalError(
        "SELECT", {}, sqlite3.OperationalError("Could not decode to UTF-8 column 'text'")
    )
    error = describe_error(exc, "sqlite:///x.db")
    assert isinstance(error, DamagedError)
    assert str(error).startswith("database damaged: sqlite:///x.db: Could not decode")
    assert "check the server" not in str(error)
