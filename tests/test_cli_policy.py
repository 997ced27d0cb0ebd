"""One policy for every command: exit codes, one-line errors, formats from one table, `-o`
written safely, the package's own layering, and a Python API that does what the CLI does."""

from __future__ import annotations

import ast
import errno
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import click
import pytest
from conftest import REPO, SEED, SERIES
from typer.testing import CliRunner

import resdiff
from resdiff.cli import app, command, run
from resdiff.render import formats

runner = CliRunner()
OLD, NEW = str(SERIES / "A_RES_75_190.txt"), str(SERIES / "A_RES_76_177.txt")


def _invoke(db: Path | str, *args: str) -> tuple[int, str, str]:
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    r = runner.invoke(app, ["--db", url, *args])
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("policy") / "s.db"
    code, _, err = _invoke(db, "ingest", OLD, NEW, str(SEED))
    assert code == 0, err
    return db


def _options() -> list[tuple[str, click.Option]]:
    root = command()
    out: list[tuple[str, click.Option]] = []

    def walk(cmd: click.Command, path: str) -> None:
        out.extend((path, p) for p in cmd.params if isinstance(p, click.Option))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(root, "")
    return out


def test_no_option_shows_an_env_var_it_does_not_have() -> None:
    # typer shows "(env var: 'None')" in errors of options without one.
    for path, opt in _options():
        assert not opt.show_envvar or opt.envvar, (path, opt.name)
    code = run(["diff", OLD, NEW, "--format", "pdf"])
    assert code == 2


def test_usage_errors_are_one_line(capfd: pytest.CaptureFixture[str]) -> None:
    for args in (["diff", OLD, NEW, "--format", "pdf"], ["list", "--nope"], ["nosuchcommand"]):
        assert run(args) == 2
        err = capfd.readouterr().err
        assert err.count("\n") == 1 and err.startswith("resdiff: error: "), err
        assert "env var" not in err and "-h`" in err
    assert run(["--version"]) == 0
    assert capfd.readouterr().out == f"resdiff {resdiff.__version__}\n"


def test_format_choices_come_from_the_one_table() -> None:
    wanted = {
        "diff": formats.COMPARISON,
        "amend": formats.COMPARISON,
        "review": formats.REVIEW,
        "show": formats.DOCUMENT,
        "list": formats.LISTING,
        "series list": formats.SERIES,
        "series show": formats.SERIES,
        "history": formats.HISTORY,
        "agreed": formats.AGREED,
        "trace": formats.TRACE,
        "blame": formats.BLAME,
    }
    seen = {path: tuple(opt.type.choices) for path, opt in _options() if opt.name == "fmt"}
    assert seen == wanted
    for name in (*formats.COMPARISON, *formats.REVIEW):
        assert name in formats.FORMATS


def test_render_dispatches_every_comparison_format() -> None:
    cmp = resdiff.compare(resdiff.parse_file(OLD), resdiff.parse_file(NEW))
    for name in formats.COMPARISON:
        out = resdiff.render(cmp, name)
        assert isinstance(out, bytes) == formats.FORMATS[name].binary
    assert zipfile.is_zipfile(io.BytesIO(resdiff.render(cmp, "docx")))
    with pytest.raises(ValueError, match=r"cannot be rendered as 'pdf'|unknown format"):
        resdiff.render(cmp, "pdf")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["diff", OLD, OLD], 0),
        (["diff", OLD, NEW], 1),
        (["history", "songbun"], 0),
        (["history", "zqxj never said"], 1),
        (["agreed", "full, safe and unhindered access"], 0),
        (["agreed", "zqxj never said"], 1),
        (["trace", "A/RES/76/177", "OP99"], 2),
        (["trace", "A/RES/76/177", "no label"], 2),
        (["blame", "A/RES/1/1"], 2),
        (["show", "A/RES/1/1"], 2),
        (["series", "show", "no such series"], 2),
        (["list"], 0),
    ],
)
def test_exit_code_policy(store_db: Path, args: list[str], code: int) -> None:
    got, out, err = _invoke(store_db, *args)
    assert got == code, (got, out, err)
    if code == 2:
        assert out == "" and err.count("\n") == 1 and err.startswith("resdiff: error: ")


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["series", "list"],
        ["history", "songbun"],
        ["agreed", "songbun"],
        ["blame", "A/RES/76/177"],
        ["trace", "A/RES/76/177", "PP1"],
        ["show", "A/RES/76/177"],
        ["review", "A/RES/76/177"],
    ],
)
def test_missing_store_and_bad_url_are_errors(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "none.db"
    for url in (f"sqlite:///{missing}", "nosuchdriver://x", "postgresql://@127.0.0.1:1/x"):
        code, out, err = _invoke(url, *args)
        assert code == 2 and out == "" and err.count("\n") == 1, (url, err)
    assert not missing.exists()


def test_series_hint_says_none_are_stored_only_when_none_are(
    store_db: Path, tmp_path: Path
) -> None:
    _, _, err = _invoke(store_db, "series", "show", "no such series")
    assert "no series are stored" not in err and "series list" in err
    empty = tmp_path / "empty.db"
    from resdiff.store import open_store

    with open_store(f"sqlite:///{empty}"):
        pass
    _, _, err = _invoke(empty, "series", "show", "no such series")
    assert "no series are stored" in err


# --- -o -----------------------------------------------------------------------------------


def test_output_dash_is_standard_output_for_every_format(tmp_path: Path) -> None:
    os.chdir(tmp_path)
    for fmt in formats.COMPARISON:
        r = runner.invoke(app, ["diff", OLD, NEW, "--format", fmt, "-o", "-"])
        assert r.exit_code == 1, r.output
        assert r.stdout_bytes[:2] == (b"PK" if fmt == "docx" else r.stdout_bytes[:2])
        assert len(r.stdout_bytes) > 1000
    assert not (tmp_path / "-").exists()


def test_output_naming_an_input_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(Path(OLD).read_bytes())
    b.write_bytes(Path(NEW).read_bytes())
    before = a.read_bytes()
    for target in (str(a), str(tmp_path / "." / "a.txt")):
        r = runner.invoke(app, ["diff", str(a), str(b), "-o", target])
        assert r.exit_code == 2 and "one of the inputs" in r.stderr
        assert r.stderr.count("\n") == 1
    link = tmp_path / "link.html"
    link.symlink_to(a)
    r = runner.invoke(app, ["diff", str(a), str(b), "--format", "html", "-o", str(link)])
    assert r.exit_code == 2 and a.read_bytes() == before


def test_output_failure_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_text("the previous report", encoding="utf-8")

    def full_disk(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    r = runner.invoke(app, ["diff", OLD, NEW, "--format", "html", "-o", str(target)])
    assert r.exit_code == 2 and "No space left" in r.stderr and r.stderr.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no partial file left
    monkeypatch.undo()
    r = runner.invoke(app, ["diff", OLD, NEW, "--format", "html", "-o", str(target)])
    assert r.exit_code == 1 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- layering and the Python API ------------------------------------------------------


def test_command_modules_never_import_the_cli_package_root() -> None:
    for path in (REPO / "resdiff" / "cli").glob("*.py"):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "resdiff.cli":
                pytest.fail(f"{path.name} imports from resdiff.cli: use resdiff.cli.options/app")


def test_renderers_do_not_import_the_store() -> None:
    for path in (REPO / "resdiff" / "render").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "resdiff.store" not in text, path.name


def test_the_api_is_discoverable_and_stable() -> None:
    from resdiff import _EXPORTS

    assert resdiff.__all__ == sorted(_EXPORTS)
    assert set(resdiff.__all__) <= set(dir(resdiff))
    importlib.import_module("resdiff.compare")  # the submodules: the names stay the functions
    importlib.import_module("resdiff.render")
    for _ in range(2):
        assert callable(resdiff.compare) and callable(resdiff.render)
        assert callable(resdiff.history) and callable(resdiff.review)
    for name in resdiff.__all__:
        assert getattr(resdiff, name).__doc__, name


def test_python_ingest_leaves_lineage_ready(tmp_path: Path) -> None:
    # What the README's Python example does: ingest, then a lineage question, no CLI.
    script = f"""
import resdiff
from resdiff.lineage import trace
with resdiff.open_store("sqlite:///{tmp_path / "api.db"}") as store:
    resdiff.ingest_paths(store, [{str(REPO / "corpus")!r}])
    t = trace(store, "A/RES/76/177", "PP1")
    print(len(t.steps))
"""
    r = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert r.returncode == 0, r.stderr
    assert int(r.stdout) >= 5


def test_a_script_without_a_main_guard_ingests_with_workers(tmp_path: Path) -> None:
    # Worker processes are spawned: each would import the script that started them, and
    # a script calling resdiff at top level (no `if __name__ == "__main__":`, as most
    # people write one) would start the ingest again in every worker, which fails at
    # start and is replaced forever: the ingest hung, printing tracebacks.
    folder = tmp_path / "texts"
    folder.mkdir()
    for path in sorted(SERIES.glob("A_RES_*.txt"))[:20]:
        shutil.copy(path, folder / path.name)
    script = tmp_path / "my_script.py"
    script.write_text(
        f"""import resdiff
from resdiff.web.site import build_site
store = resdiff.open_store("sqlite:///{tmp_path / "api.db"}")
outcomes = resdiff.ingest_paths(store, [{str(folder)!r}], workers=2)
print(sum(o.status == "stored" for o in outcomes))
print(build_site(store, {str(tmp_path / "site")!r}, workers=2).written)
store.close()
""",
        encoding="utf-8",
    )
    r = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=300,
    )
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    stored, written = r.stdout.split()
    assert int(stored) == 20
    assert int(written) >= 64  # enough pages for the site's worker processes


def test_lineage_reads_group_what_was_stored_since(tmp_path: Path) -> None:
    from resdiff.lineage import list_series
    from resdiff.store import open_store

    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        store.add(resdiff.parse_file(OLD))
        store.add(resdiff.parse_file(NEW))  # stored directly: no ingest, no refresh
        found = [s for s in list_series(store) if len(s.members) > 1]
    assert [m.symbol for m in found[0].members] == ["A/RES/75/190", "A/RES/76/177"]
    assert json.dumps([str(m.kind) for m in found[0].members]) == '["resolution", "resolution"]'


def _as_nobody() -> list[str] | None:
    """The command prefix that runs a process as `nobody` (permissions do not bind root), or
    None when that user cannot run this Python (a checkout inside a private folder)."""
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import resdiff"], capture_output=True, check=False, cwd="/"
    )
    return prefix if probe.returncode == 0 else None


def test_unreadable_paths_are_one_line_and_create_no_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A folder that `nobody` can reach (pytest's own temporary folders are root's only).
    tmp_path = Path(tempfile.mkdtemp(prefix="resdiff-perm-"))
    tmp_path.chmod(0o777)
    folder, file, outer = tmp_path / "shut", tmp_path / "shut.txt", tmp_path / "open"
    folder.mkdir()
    (folder / "a.txt").write_bytes(Path(OLD).read_bytes())
    file.write_bytes(Path(OLD).read_bytes())
    (outer / "inner").mkdir(parents=True)
    outer.chmod(0o777)
    shut = (folder, file, outer / "inner")
    for p in shut:
        p.chmod(0)
    db = tmp_path / "new.db"
    cases = ((folder, "folder"), (file, "file"), (outer, "folder"))
    prefix = _as_nobody()
    real_access, real_scandir = os.access, os.scandir
    try:
        for target, what in cases:
            if prefix is not None:
                argv = ["-m", "resdiff", f"--db=sqlite:///{db}", "ingest", str(target)]
                r = subprocess.run(
                    [*prefix, sys.executable, *argv],
                    capture_output=True,
                    text=True,
                    check=False,
                    cwd="/",
                )
                code, err = r.returncode, r.stderr
            else:
                # Root in a private checkout: deny what a user without rights could not read.
                monkeypatch.setattr(
                    os, "access", lambda p, m: Path(p) not in shut and real_access(p, m)
                )

                def scandir(p: str) -> object:
                    if Path(p) in shut:
                        raise PermissionError(errno.EACCES, "Permission denied", str(p))
                    return real_scandir(p)

                monkeypatch.setattr(os, "scandir", scandir)
                code, _, err = _invoke(db, "ingest", str(target))
                monkeypatch.undo()
            assert code == 2, err
            assert err.count("\n") == 1 and f"cannot read this {what}" in err, err
            assert not db.exists()
    finally:
        for p in shut:
            p.chmod(0o700)
        shutil.rmtree(tmp_path)
