"""A batch ingest stopped midway: one line saying what is stored, and no process left behind.

The ingest runs as a real process (the command line, parse workers and all); storing is
slowed in that process (each document waits a little before it is written) and commits
come every five documents, so that a signal lands in the middle of the batch (the ninth
document waits for it).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

FILES = 20
# Runs the command line with storing slowed down and small transactions.
_DRIVER = """
import sys, time
import resdiff.batch as batch
import resdiff.store.repo as repo
batch._COMMIT_DOCS = 5
_insert = repo._insert
calls = 0
def slow(*args, **kwargs):
    global calls
    calls += 1
    # The ninth document waits (a minute at most) for the test's Ctrl-C: on a loaded
    # machine the test may read the first progress line late, and the batch must not
    # have ended by the time its signal comes.
    time.sleep(60 if calls == 9 else 0.25)
    return _insert(*args, **kwargs)
repo._insert = slow
sys.argv = ["resdiff", *sys.argv[1:]]
from resdiff.cli import main
main()
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> Path:
    """Twenty copies of one resolution, each with its own added paragraph (other content)."""
    source = (shared_corpus / "series" / "A_80_L.12.txt").read_text(encoding="utf-8")
    out = tmp_path_factory.mktemp("copies")
    for i in range(FILES):
        text_i = source.replace("A/80/L.12", f"A/80/L.{100 + i}")
        text_i += f"\n\n{i + 1}. Decides to remain seized of the matter number {i + 1};\n"
        (out / f"copy{i:02d}.txt").write_text(text_i, encoding="utf-8")
    return out


def _start(folder: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _DRIVER, "--db", f"sqlite:///{db}", "ingest", str(folder)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _wait_for_first_file(proc: subprocess.Popen[str]) -> list[str]:
    assert proc.stderr is not None
    lines = []
    while True:
        line = proc.stderr.readline()
        assert line, f"the ingest ended before storing a file: {lines}"
        lines.append(line)
        if line.startswith("[1/"):
            return lines


def _stored_symbols(db: Path) -> set[str]:
    if not db.exists():
        return set()
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT symbol FROM documents")).scalars())
    finally:
        engine.dispose()


def test_ctrl_c_says_in_one_line_which_files_are_stored(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    proc = _start(folder, db)
    lines = _wait_for_first_file(proc)
    time.sleep(2.0)  # about eight documents in: one commit of five done, the next pending
    proc.send_signal(signal.SIGINT)
    _out, rest = proc.communicate(timeout=60)
    lines += rest.splitlines(keepends=True)
    said = [ln.rstrip("\n") for ln in lines if not ln.startswith("[")]
    assert proc.returncode == 130, said
    assert len(said) == 1, said
    message = said[0]
    assert message.startswith("resdiff: error: interrupted"), message
    stored = _stored_symbols(db)
    m = re.search(r"the first (\d+) of 20 files are done, through (\S+) \((\d+) stored", message)
    if m is not None:
        done = int(m[1])
        assert m[2] == str(folder / f"copy{done - 1:02d}.txt")
        assert int(m[3]) == done
        assert 0 < done < FILES
        assert stored == {f"A/80/L.{100 + i}" for i in range(done)}
    elif "nothing was stored" in message:
        assert stored == set()
    else:  # the signal came after every file was stored
        assert f"all {FILES} files are done" in message
        assert len(stored) == FILES


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_ingest(folder: Path, tmp_path: Path, sig: signal.Signals) -> None:
    proc = _start(folder, tmp_path / "store.db")
    _wait_for_first_file(proc)
    workers = _descendants(proc.pid)
    assert workers, "no parse worker was started"
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert proc.stderr is not None
    proc.stderr.close()  # survivors would hold it open: not read to its end
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    survivors = [p for p in workers if _alive(p)]
    for p in survivors:  # leave nothing running, even when the test fails
        os.kill(p, signal.SIGKILL)
    assert survivors == []


def _parse_or_die(job: tuple[Path, str | None, str]) -> object:
    # In a worker: the eleventh file (in the second chunk of eight handed to a worker)
    # kills its worker, as the system does for lack of memory.
    from resdiff.batch import _parse_one

    if job[0].name == "copy10.txt":
        # Dies late enough for the first chunk's results to be in: a death is noticed
        # while waiting for any result, and the first chunk's worker is the other one.
        time.sleep(3.0)
        os.kill(os.getpid(), signal.SIGKILL)
    return _parse_one(job)


def test_a_worker_killed_midway_ends_the_ingest_in_one_line(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pool replaces a dead worker but never answers the tasks it held: the ingest
    # waited forever. It now stops, says so and which files are stored.
    import resdiff.batch as batch
    from resdiff.errors import WorkerError
    from resdiff.store import open_store

    monkeypatch.setattr(batch, "_parse_one", _parse_or_die)
    monkeypatch.setattr(batch, "_COMMIT_DOCS", 2)
    db = tmp_path / "store.db"
    with open_store(f"sqlite:///{db}") as store, pytest.raises(WorkerError) as err:
        batch.ingest_paths(store, [folder], workers=2)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("a worker process ended while working (killed by signal 9;")
    # The first chunk's eight files are stored; the lost chunk starts with the ninth.
    assert f"parsing {folder / 'copy08.txt'} or a file after it;" in message
    assert f"the first 8 of 20 files are done, through {folder / 'copy07.txt'} (8 stored" in message
    assert _stored_symbols(db) == {f"A/80/L.{100 + i}" for i in range(8)}


def _dies_on_three(n: int) -> int:
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def test_waiting_on_a_dead_worker_ends() -> None:
    from resdiff.errors import WorkerError
    from resdiff.workers import imap_watched, process_pool

    with process_pool(2) as pool:
        assert list(imap_watched(pool, _dies_on_three, [0, 1, 2], chunksize=2)) == [0, 1, 2]
        with pytest.raises(WorkerError, match="killed by signal 9"):
            list(imap_watched(pool, _dies_on_three, range(8), chunksize=2))
