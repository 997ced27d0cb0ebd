"""The built wheel, installed into a fresh virtual environment, runs and finds its templates and migrations."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import REPO, SERIES

pytestmark = pytest.mark.slow


def _run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)], cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("resdiff-*.whl")

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    vpy = env_dir / "bin" / "python"
    # Dependencies come from this test environment's site-packages (a .pth line), so
    # the test needs no network; the wheel itself is a real, non-editable install.
    site = Path(
        _run(
            [str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path
        ).stdout.strip()
    )
    (site / "_deps_from_test_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    inst = _run(
        [str(vpy), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], cwd=tmp_path
    )
    assert inst.returncode == 0, inst.stderr[-2000:]

    where = _run([str(vpy), "-c", "import resdiff; print(resdiff.__file__)"], cwd=tmp_path)
    assert str(env_dir) in where.stdout, where.stdout + where.stderr

    exe = str(env_dir / "bin" / "resdiff")
    env = {**os.environ, "RESDIFF_DB": f"sqlite:///{tmp_path / 'w.db'}"}
    work = tmp_path / "elsewhere"
    work.mkdir()
    for args in (
        ["db", "upgrade"],
        ["ingest", str(SERIES / "A_RES_75_190.txt"), str(SERIES / "A_RES_76_177.txt")],
        ["list"],
        ["show", "A/RES/76/177", "--format", "json"],
    ):
        r = _run([exe, *args], cwd=work, env=env)
        assert r.returncode == 0, (args, r.stdout[-1000:], r.stderr[-2000:])
    r = _run(
        [exe, "diff", "A/RES/75/190", "A/RES/76/177", "--format", "html", "-o", "r.html"], work, env
    )
    assert r.returncode == 1, r.stderr[-2000:]
    html = (work / "r.html").read_text(encoding="utf-8")
    assert "<del" in html and "<ins" in html and "A/RES/76/177" in html
