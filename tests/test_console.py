"""The console entry point: collector off for one-shot commands, back on for long ones."""

from __future__ import annotations

import gc
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from resdiff.console import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def collector() -> Iterator[None]:
    # Whatever a test does to the collector, the rest of the session gets it back as it was.
    was = gc.isenabled()
    yield
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["resdiff", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    return int(stop.value.code or 0)


def test_the_installed_command_is_this_entry_point() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["resdiff"] == "resdiff.console:main"
    assert "resdiff.console import main" in (REPO / "resdiff" / "__main__.py").read_text()


def test_a_read_command_runs_with_the_collector_off(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    collector: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    gc.enable()
    doc = REPO / "corpus" / "A_RES_75_190.txt"
    assert _run(monkeypatch, "show", str(doc)) == 0
    assert not gc.isenabled()
    assert "A/RES/75/190" in capsys.readouterr().out


def test_ingest_turns_the_collector_back_on_with_startup_frozen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, collector: None
) -> None:
    gc.unfreeze()
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert _run(monkeypatch, "--db", db, "ingest", str(REPO / "corpus" / "A_RES_75_190.txt")) == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_the_command_line_called_from_python_leaves_the_collector_alone(
    tmp_path: Path, collector: None
) -> None:
    from resdiff.cli import run

    gc.unfreeze()
    gc.enable()
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert run(["--db", db, "ingest", str(REPO / "corpus" / "A_RES_75_190.txt")]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_pdf_named_on_the_command_line_starts_its_worker_first(
    monkeypatch: pytest.MonkeyPatch, collector: None, shared_corpus: Path
) -> None:
    import resdiff.ingest.pdf_worker as pdf_worker

    calls: list[str] = []
    real = pdf_worker.prestart
    monkeypatch.setattr(pdf_worker, "prestart", lambda: (calls.append("prestart"), real()))
    pdf = shared_corpus / "pdf" / "A_RES_79_160.pdf"
    assert _run(monkeypatch, "show", str(pdf)) == 0
    assert calls == ["prestart"]
    # A path that is no PDF file (a folder, a missing file, a text) starts nothing.
    assert _run(monkeypatch, "show", str(REPO / "corpus" / "A_RES_75_190.txt")) == 0
    assert _run(monkeypatch, "show", str(shared_corpus / "pdf" / "missing.pdf")) == 2
    assert calls == ["prestart"]
