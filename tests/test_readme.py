"""The README's examples run: every `$ resdiff ...` line in it succeeds against the sample corpus."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = re.findall(r"^\$ (resdiff .+)$", README, flags=re.M)


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1500]
    assert "make demo" in head and "make test" in head


def test_readme_shows_commands() -> None:
    assert len(COMMANDS) >= 5


@pytest.mark.slow
def test_readme_commands_run_in_order(tmp_path: Path) -> None:
    env = {**os.environ, "RESDIFF_DB": f"sqlite:///{tmp_path / 'readme.db'}", "NO_COLOR": "1"}
    exe = str(Path(sys.executable).with_name("resdiff"))
    for line in COMMANDS:
        args = shlex.split(line.split(" #", 1)[0])[1:]
        if "-o" in args:  # write outputs under tmp_path, never into the checkout
            i = args.index("-o") + 1
            args[i] = str(tmp_path / Path(args[i]).name)
        r = subprocess.run(
            [exe, *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        ok = (0, 1) if args[0] == "diff" else (0,)
        assert r.returncode in ok, f"{line}\n{r.stderr[-1500:]}"
