"""A small store for the web tests, built once per run, and the real server over a copy of it.

The store holds three series from real documents: the DPRK human-rights series (five
resolutions and the 2022 draft, from corpus/), the right to food (two resolutions, the
2025 draft and the resolution adopted from it) and the glorification of Nazism (the
2024 resolution, the 2025 draft, an amendment to it and the resolution adopted).
Each test module starts `resdiff serve` once, on a free loopback port, over its own
copy of that store (uploads may be stored), and talks to it over HTTP like a browser.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, SERIES

SMALL_SERIES = (
    "A_RES_78_198.txt",
    "A_RES_79_171.txt",
    "A_C.3_80_L.41.txt",
    "A_RES_80_210.txt",
    "A_RES_79_160.txt",
    "A_C.3_80_L.2.txt",
    "A_C.3_80_L.56.txt",
    "A_RES_80_192.txt",
)
RESDIFF = [sys.executable, "-m", "resdiff"]


def build_small_store(root: Path) -> Path:
    """The small store under ``root`` (built by the first worker to ask, then shared)."""
    from resdiff.batch import ingest_paths
    from resdiff.store import open_store

    db = root / "web-small.db"
    done = root / "web-small.done"
    with (root / "web-small.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            db.unlink(missing_ok=True)
            with open_store(f"sqlite:///{db}") as store:
                outcomes = ingest_paths(
                    store, [REPO / "corpus", *(SERIES / name for name in SMALL_SERIES)]
                )
            failed = [o for o in outcomes if o.status == "failed"]
            assert not failed, failed
            done.write_text("ok", encoding="utf-8")
    return db


def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the small store, built once per run (read-only for tests: copy it to write)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return build_small_store(root)


def copy_store(src: Path, dst: Path) -> None:
    """A consistent copy of an SQLite store (its write-ahead log included)."""
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        b.close()
        a.close()


@dataclass
class Server:
    """A running `resdiff serve`: its base URL, its store file, its process."""

    url: str
    db: Path
    process: subprocess.Popen[str]
    stderr: list[str]
    reader: threading.Thread

    def get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """GET ``path`` (already percent-encoded as a browser sends it)."""
        return request(self.url.rstrip("/") + path, headers=headers)


def request(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body; an HTTP error status is an answer too."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def start_server(db: Path, *extra: str) -> Server:
    """`resdiff --db DB serve --port 0 EXTRA...`, once it listens."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [*RESDIFF, "--db", f"sqlite:///{db}", "serve", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stderr is not None
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(proc.stderr or []), daemon=True)
    reader.start()
    url = proc.stdout.readline().strip()
    running = Server(url, db, proc, errors, reader)
    if not url.startswith("http://"):
        stop_server(running)
        raise AssertionError(f"server did not start: {url!r} {''.join(errors)}")
    return running


def stop_server(server: Server) -> None:
    """Ctrl-C, as a person stops it; its pipes closed once it is gone."""
    proc = server.process
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    server.reader.join(timeout=20)
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


@contextmanager
def serving(tmp_path_factory: pytest.TempPathFactory, *extra: str) -> Iterator[Server]:
    """The real server over a fresh copy of the small store, stopped at the end."""
    db = tmp_path_factory.mktemp("web-server") / "store.db"
    copy_store(small_store(tmp_path_factory), db)
    running = start_server(db, *extra)
    try:
        yield running
    finally:
        stop_server(running)
