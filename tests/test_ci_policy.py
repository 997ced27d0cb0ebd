"""CI judges as the CI runner does: PostgreSQL skips fail under CI, and .ci/run stops when
the server does not answer."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

pytest_plugins = ["pytester"]

_SKIPPING = """
import pytest

@pytest.mark.postgres
def test_needs_the_server():
    pytest.skip("PostgreSQL not reachable")

def test_plain_skip():
    pytest.skip("not relevant here")
"""


def _run(pytester: pytest.Pytester, ci: str | None) -> pytest.RunResult:
    pytester.makeconftest((REPO / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nmarkers =\n    postgres: needs PostgreSQL\n")
    pytester.makepyfile(test_skips=_SKIPPING)
    if ci is None:
        pytester._monkeypatch.delenv("CI", raising=False)
    else:
        pytester._monkeypatch.setenv("CI", ci)
    return pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:xdist")


def test_a_postgres_skip_fails_under_ci(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "true")
    result.assert_outcomes(failed=1, skipped=1)  # the plain skip stays a skip
    result.stdout.fnmatch_lines(["*PostgreSQL test skipped in CI*not reachable*"])


def test_a_postgres_skip_is_a_skip_outside_ci(pytester: pytest.Pytester) -> None:
    _run(pytester, None).assert_outcomes(skipped=2)


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _ci_run(tmp_path: Path, *, postgres_up: bool) -> tuple[subprocess.CompletedProcess[str], Path]:
    # Stand-ins on PATH: the browser and LibreOffice "installed", PostgreSQL up or down for
    # good, and a make that records the CI variable it was started with.
    made = tmp_path / "make-ran"
    for name in ("chromium", "chromedriver", "soffice"):
        _stub(tmp_path, name, "exit 0")
    _stub(tmp_path, "pg_isready", "exit 0" if postgres_up else "exit 2")
    _stub(tmp_path, "pg_ctlcluster", "exit 1")
    _stub(tmp_path, "make", f'echo "CI=$CI" > {made}')
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PATH=f"{tmp_path}:/usr/bin:/bin", RESDIFF_CI_PG_WAIT="1")
    r = subprocess.run(
        ["bash", str(REPO / ".ci" / "run")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return r, made


def test_ci_run_stops_when_postgresql_does_not_answer(tmp_path: Path) -> None:
    r, made = _ci_run(tmp_path, postgres_up=False)
    assert r.returncode != 0
    assert r.stderr.strip().splitlines() == [
        "ci: PostgreSQL does not answer on 127.0.0.1:5432 after 1 s of waiting; "
        "its tests cannot run"
    ]
    assert not made.exists()


def test_ci_run_sets_ci_itself(tmp_path: Path) -> None:
    # The skip policy above depends on CI being set; .ci/run must not rely on its caller.
    r, made = _ci_run(tmp_path, postgres_up=True)
    assert r.returncode == 0, r.stderr
    assert made.read_text(encoding="utf-8").strip() == "CI=true"
