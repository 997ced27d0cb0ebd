"""The README is a promise: every command it shows runs, and every output excerpt and
figure it prints is what resdiff really prints on the sample corpus."""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO
from goldlib import gold_files

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = re.findall(r"^\$ (resdiff .+)$", README, flags=re.M)
# A progress line as a terminal leaves it: "[6/6 100%] 13 files/s, done  stored: ...".
PROGRESS = re.compile(r"^\[\d+/\d+(?: \d+%)?\]")
SKIP = "..."


@dataclass
class Example:
    """One `$ resdiff ...` line of a console block and the output the README shows under it."""

    line: str
    expected: list[str] = field(default_factory=list)


def examples() -> list[Example]:
    found: list[Example] = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        for text in block.splitlines():
            if text.startswith("$ resdiff "):
                found.append(Example(text[2:]))
            elif found:
                found[-1].expected.append(text.rstrip())
    return found


def as_terminal_shows(stdout: str, stderr: str) -> list[str]:
    """Output lines in the order a reader sees them: data, then the stderr lines a
    terminal keeps (a progress line is rewritten in place until its stage is done)."""
    kept = [ln for ln in stderr.splitlines() if not PROGRESS.match(ln) or "100%]" in ln]
    return [ln.rstrip() for ln in [*stdout.splitlines(), *kept]]


def _pattern(expected: str) -> re.Pattern[str]:
    # Rates and times on progress lines depend on the machine; everything else is exact.
    if PROGRESS.match(expected):
        parts = re.split(r"(\d+(?:\.\d+)?) (files|steps)/s", expected)
        body = "".join(
            r"\d+(?:\.\d+)?" if i % 3 == 1 else re.escape(p if i % 3 == 0 else f" {p}/s")
            for i, p in enumerate(parts)
        )
        return re.compile(body + r"$")
    return re.compile(re.escape(expected) + r"$")


def mismatch(expected: list[str], actual: list[str]) -> str | None:
    """Where ``expected`` (runs of lines separated by "...") is not in ``actual``.

    Each run must appear as consecutive lines, runs in order; a run not preceded by
    "..." must start the output and one not followed by "..." must end it."""
    runs: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == SKIP:
            runs.append([])
        else:
            runs[-1].append(line)
    anchored_start = bool(expected) and expected[0].strip() != SKIP
    anchored_end = bool(expected) and expected[-1].strip() != SKIP
    at = 0
    for n, run in enumerate(runs):
        if not run:
            continue
        patterns = [_pattern(line) for line in run]
        starts = [at] if (n == 0 and anchored_start) else range(at, len(actual) - len(run) + 1)
        hit = next(
            (
                s
                for s in starts
                if s + len(run) <= len(actual)
                and all(p.match(actual[s + i]) for i, p in enumerate(patterns))
            ),
            None,
        )
        if hit is None:
            return f"not found in order: {run[0]!r} (and {len(run) - 1} more line(s))"
        at = hit + len(run)
    if anchored_end and at != len(actual):
        return f"output goes on after the last line shown: {actual[at : at + 3]!r}"
    return None


def test_mismatch_rule() -> None:
    out = ["a", "b", "c", "d"]
    assert mismatch(["a", "b", SKIP, "d"], out) is None
    assert mismatch([SKIP, "c", "d"], out) is None
    assert mismatch(["a", "c", SKIP], out) is not None  # a run is consecutive
    assert mismatch(["b", SKIP], out) is not None  # anchored at the start
    assert mismatch(["a", SKIP, "c"], out) is not None  # anchored at the end
    assert mismatch([SKIP, "d", "c"], out) is not None
    assert mismatch(["[6/6 100%] 27 files/s, done  x"], ["[6/6 100%] 3.5 files/s, done  x"]) is None
    assert (
        mismatch(["[6/6 100%] 27 files/s, done  x"], ["[6/5 100%] 27 files/s, done  x"]) is not None
    )


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1500]
    assert "make demo" in head and "make test" in head


def test_readme_shows_commands_with_their_output() -> None:
    shown = examples()
    assert len(COMMANDS) >= 10
    assert sum(1 for e in shown if any(x.strip() not in ("", SKIP) for x in e.expected)) >= 8


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).with_name("resdiff"))
    return subprocess.run(
        [exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.slow
def test_readme_commands_print_what_the_readme_shows(tmp_path: Path) -> None:
    env = {**os.environ, "RESDIFF_DB": f"sqlite:///{tmp_path / 'readme.db'}", "NO_COLOR": "1"}
    env.pop("COLUMNS", None)
    wrong: list[str] = []
    for ex in examples():
        args = shlex.split(ex.line.split(" #", 1)[0])[1:]
        if "-o" in args:  # write outputs under tmp_path, never into the checkout
            i = args.index("-o") + 1
            args[i] = str(tmp_path / Path(args[i]).name)
        r = _run(args, env, REPO)
        ok = (0, 1) if args[0] == "diff" else (0,)
        assert r.returncode in ok, f"{ex.line}\n{r.stderr[-1500:]}"
        if ex.expected:
            problem = mismatch(ex.expected, as_terminal_shows(r.stdout, r.stderr))
            if problem:
                wrong.append(f"$ {ex.line}: {problem}")
    assert not wrong, "the README no longer shows what resdiff prints:\n" + "\n".join(wrong)


@pytest.mark.slow
def test_readme_python_example_runs_and_prints_what_it_says(tmp_path: Path) -> None:
    code = re.search(r"## From Python\n.*?```python\n(.*?)```", README, flags=re.S)
    assert code, "the README's Python example"
    source = code.group(1)
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    r = subprocess.run(
        [sys.executable, "-c", source + "\nprint(len(steps), doc.metadata.symbol, found.phrase)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    printed, last = r.stdout.splitlines()[0], r.stdout.splitlines()[-1]
    counts = ast.literal_eval(printed)
    # The comment shows the first items of what `counts()` prints.
    shown = re.search(r"print\(comparison\.counts\(\)\)\s+# \{(.*?), \.\.\.\}", source)
    assert shown
    for item in shown.group(1).split(", "):
        key, value = item.split(": ")
        assert counts[ast.literal_eval(key)] == int(value), (item, counts)
    steps, symbol, phrase = last.split(" ", 2)
    assert int(steps) >= 2 and symbol == "A/RES/75/190" and phrase == "songbun"


def test_readme_gold_figures_are_the_gold_on_disk() -> None:
    m = re.search(r"hand-checked gold alignments of (\d+) pairs of (\d+) series", README)
    assert m
    files = gold_files()  # the two halves (second readings are not gold files)
    split = (REPO / "tests" / "gold" / "SPLIT.md").read_text(encoding="utf-8")
    assert int(m.group(1)) == len(files)
    assert f"{len(files)} pairs of {m.group(2)} series" in split
    for f in files:
        gold = json.loads(f.read_text(encoding="utf-8"))
        assert gold["checked"], f"{f.name} is not checked"
