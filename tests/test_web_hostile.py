"""Decompression bombs uploaded to `resdiff serve`: the one-line refusal as a page, nothing stored.

The server is the real subprocess of ``test_web``; while each upload is read, the
resident memory of the server's whole process tree (its parse workers included)
is sampled from /proc.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_files import BOMBS, GB
from test_web import documents, post
from web_fixtures import Server, serving

pytestmark = pytest.mark.xdist_group("web")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> Iterator[Server]:
    with serving(tmp_path_factory) as running:
        yield running


def _tree_rss(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += sum(int(ln.split()[1]) * 1024 for ln in f if ln.startswith("VmRSS:"))
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


@pytest.mark.parametrize("variant", ["flate x4", "hex+flate x3", "object stream"])
def test_uploaded_bomb_is_refused_as_a_page(server: Server, variant: str) -> None:
    before = documents(server)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], _tree_rss(server.process.pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        status, _h, body = post(server, "/review", {"store": "1"}, ("bomb.pdf", BOMBS[variant](GB)))
    finally:
        done.set()
        sampler.join()
    html = body.decode()
    assert status == 422, html[:500]
    assert "PDF refused:" in html and "(decompression bomb?)" in html
    assert "Traceback" not in html
    assert peak[0] < 600 * 2**20, f"server tree peaked at {peak[0] >> 20} MB"
    assert documents(server) == before
    assert server.get("/")[0] == 200  # the server lives on
