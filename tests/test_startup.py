"""Start-up cost is structural: each command imports only the libraries its answer needs.

A delegate runs these commands dozens of times a session, and at start-up most of their
time is imports. Every command runs here in a fresh interpreter against a small store,
and the modules it loaded are checked: Alembic (with mako and pygments) only when
migrating, the ORM never, and the HTML templates, the aligner's fuzzy matching and the
word differ only in commands that render or compare.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BULK, SERIES

# Loaded by no command below: migrations, the ORM, the web app and the PDF reader.
NEVER = frozenset(
    {"alembic", "mako", "pygments", "sqlalchemy.orm", "starlette", "uvicorn", "pypdfium2"}
)
# Loaded only where the answer is rendered through templates or computed by the aligner.
RENDER_OR_ALIGN = frozenset({"jinja2", "rapidfuzz", "diff_match_patch"})

PROBE = """
import sys
from resdiff.cli import run
code = run(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    fh.write("\\n".join(sorted(sys.modules)))
sys.exit(code)
"""


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from resdiff.batch import ingest_paths
    from resdiff.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('startup') / 'store.db'}"
    files = [BULK / "A_RES_78_198.txt", BULK / "A_RES_79_171.txt", SERIES / "A_C.3_80_L.41.txt"]
    with open_store(url) as store:
        outcomes = ingest_paths(store, files)
    assert [o.status for o in outcomes] == ["stored"] * 3
    return url


def loaded_by(args: list[str], tmp_path: Path) -> set[str]:
    """The modules loaded by ``resdiff ARGS`` in a fresh interpreter (exit 0 or 1)."""
    listing = tmp_path / "modules.txt"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(listing), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return set(listing.read_text(encoding="utf-8").split())


def top_and_sub(modules: set[str], wanted: frozenset[str]) -> set[str]:
    """The ``wanted`` names loaded, a package counting when any of its modules is."""
    return {w for w in wanted if any(m == w or m.startswith(w + ".") for m in modules)}


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["series", "--help"]])
def test_version_and_help_load_no_database_library(args: list[str], tmp_path: Path) -> None:
    modules = loaded_by(args, tmp_path)
    assert top_and_sub(modules, NEVER | RENDER_OR_ALIGN | {"sqlalchemy"}) == set()
    assert "resdiff.model" not in modules


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "A/RES/79/171"],
        ["series", "list"],
        ["series", "show", "A/RES/79/171"],
        ["history", "right to food"],
        ["agreed", "right to food"],
        ["trace", "A/RES/79/171", "OP1"],
        ["blame", "A/RES/79/171"],
    ],
    ids=" ".join,
)
def test_reading_commands_load_neither_migrations_nor_renderers(
    args: list[str], store_url: str, tmp_path: Path
) -> None:
    modules = loaded_by(["--db", store_url, *args], tmp_path)
    assert "sqlalchemy" in modules  # the probe did read the store
    assert top_and_sub(modules, NEVER | RENDER_OR_ALIGN) == set()


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "A/RES/78/198", "A/RES/79/171", "--format", "html", "-o", "OUT"],
        ["review", "A/C.3/80/L.41", "--format", "html", "-o", "OUT"],
    ],
    ids=lambda a: " ".join(a[:1]),
)
def test_html_commands_load_no_migrations(args: list[str], store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    modules = loaded_by(
        ["--db", store_url, *(str(out) if a == "OUT" else a for a in args)], tmp_path
    )
    assert out.stat().st_size > 0
    assert "jinja2" in modules
    assert top_and_sub(modules, NEVER) == set()


def test_command_annotations_are_objects_not_strings() -> None:
    # typer reads every command's parameter annotations whenever resdiff starts: a
    # string annotation (`from __future__ import annotations`) is compiled again each
    # time, which tripled the cost of building the command line.
    import typer

    from resdiff.cli import app

    todo: list[typer.Typer] = [app]
    callbacks = []
    while todo:
        group = todo.pop()
        callbacks += [c.callback for c in group.registered_commands]
        callbacks += [group.registered_callback.callback] if group.registered_callback else []
        todo += [g.typer_instance for g in group.registered_groups if g.typer_instance]
    assert len(callbacks) > 10
    strings = {
        f"{fn.__module__}.{fn.__name__}": name
        for fn in callbacks
        if fn is not None
        for name, hint in fn.__annotations__.items()
        if isinstance(hint, str)
    }
    assert strings == {}
