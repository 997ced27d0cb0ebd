"""The command line as users run it: help, exit codes, one-line errors, the database left as it was."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from conftest import REPO, SEED, SERIES
from typer.testing import CliRunner

from resdiff.cli import app

runner = CliRunner()


def _invoke(db: Path, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["--db", f"sqlite:///{db}", *args])
    return r.exit_code, r.stdout, r.stderr


def _commands() -> list[tuple[str, object]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, object]] = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        if subs:
            out.extend((f"{name} {sub}", c) for sub, c in subs.items())
        else:
            out.append((name, cmd))
    return out


@pytest.mark.parametrize(("name", "cmd"), _commands(), ids=[n for n, _ in _commands()])
def test_every_command_has_help_with_an_example_and_is_in_the_readme(
    name: str, cmd: object
) -> None:
    r = runner.invoke(app, [*name.split(), "--help"])
    assert r.exit_code == 0
    assert "Example:" in r.stdout, f"`resdiff {name} --help` shows no example"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"resdiff {name}" in readme, f"README does not document `resdiff {name}`"


def test_ingest_list_show_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    code, out, err = _invoke(db, "ingest", str(SERIES / "A_RES_76_177.txt"), str(SEED))
    assert code == 0, err
    assert "2 stored" in err
    code, out, err = _invoke(db, "ingest", str(SERIES / "A_RES_76_177.txt"))
    assert code == 0 and "1 already stored" in err
    code, out, _ = _invoke(db, "list")
    assert code == 0 and "A/RES/76/177" in out
    code, out, _ = _invoke(db, "show", "A/RES/76/177", "--format", "json")
    data = json.loads(out)
    assert data["metadata"]["symbol"] == "A/RES/76/177"
    assert [u["label"] for u in data["units"]][:2] == ["PP1", "PP2"]
    code, out, _ = _invoke(db, "show", "A/RES/76/177")
    assert code == 0 and "PP1" in out and "Reaffirming" in out


def test_a_file_named_pdf_holding_text_is_stored_with_a_warning(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    fake = tmp_path / "report.pdf"
    fake.write_bytes((REPO / "corpus" / "A_RES_72_188.txt").read_bytes())
    code, out, err = _invoke(db, "ingest", str(fake))
    assert code == 0, err
    assert "report.pdf: named .pdf but holds plain text: read as plain text" in err + out
    assert "1 with warnings" in err + out


def test_show_file_does_not_store_it(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    code, out, _ = _invoke(db, "show", str(SEED), "--format", "json")
    assert code == 0
    assert len(json.loads(out)["units"]) > 50
    code, out, _ = _invoke(db, "list")
    assert "doc-" not in out


def _list(db: Path) -> str:
    return _invoke(db, "list", "--format", "json")[1]


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 2, "no such file"),
        (b"", 1, "no text found"),
        (b" \n \n", 1, "no text found"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, 1, "legacy Word .doc"),
        (b"Caf\xe9 au lait", 1, "--encoding"),
    ],
    ids=["missing", "empty", "whitespace", "legacy-doc", "cp1252"],
)
def test_bad_input_one_line_on_stderr_and_database_unchanged(
    tmp_path: Path, content: bytes | None, code: int, message: str
) -> None:
    db = tmp_path / "r.db"
    assert _invoke(db, "ingest", str(SERIES / "A_RES_75_190.txt"))[0] == 0
    before = _list(db)
    f = tmp_path / "input.docx"
    if content is not None:
        f.write_bytes(content)
    rc, _, err = _invoke(db, "ingest", str(f))
    assert rc == code
    lines = [
        ln for ln in err.splitlines() if ln.startswith("resdiff: error") or ln.startswith("failed:")
    ]
    assert len(lines) == 1 and message in lines[0], err
    assert "Traceback" not in err
    assert _list(db) == before


def test_a_utf8_text_and_a_cp1252_one_are_compared_and_reviewed(tmp_path: Path) -> None:
    # --encoding names the encoding of the inputs that are not UTF-8; review takes it too
    # (its error message advised it before it had the option).
    db = tmp_path / "r.db"
    new = SERIES / "A_RES_76_177.txt"
    old = tmp_path / "old-cp1252.txt"
    old.write_bytes((SERIES / "A_RES_75_190.txt").read_text("utf-8").encode("cp1252", "replace"))
    rc, out, err = _invoke(db, "diff", str(new), str(old), "--encoding", "cp1252")
    assert rc == 1 and "Traceback" not in err and "Summary" in out
    assert _invoke(db, "ingest", str(SERIES / "A_RES_72_188.txt"))[0] == 0
    rc, out, err = _invoke(db, "review", str(new), "--against", str(old), "--encoding", "cp1252")
    assert rc == 0, err
    assert "Review of" in out


def test_diff_exit_codes_follow_diff(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    a, b = str(SERIES / "A_RES_75_190.txt"), str(SERIES / "A_RES_76_177.txt")
    assert _invoke(db, "diff", a, a)[0] == 0
    assert _invoke(db, "diff", a, b)[0] == 1
    rc, _, err = _invoke(db, "diff", a, str(tmp_path / "missing.txt"))
    assert rc == 2 and err.count("\n") == 1 and "missing.txt" in err


def test_terminal_diff_marks_changes_without_colour(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    rc, out, _ = _invoke(
        db, "diff", str(SERIES / "A_RES_75_190.txt"), str(SERIES / "A_RES_76_177.txt"), "--no-color"
    )
    assert rc == 1
    assert "\x1b[" not in out
    assert re.search(r"\{\+.+?\+\}", out) and re.search(r"\[-.+?-\]", out)


def test_console_script_runs_as_a_process(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "resdiff", "--help"], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0 and "ingest" in r.stdout


def test_diff_and_amend_write_word_documents_with_tracked_changes(tmp_path: Path) -> None:
    import io
    import zipfile

    out = tmp_path / "redline.docx"
    old, new = str(SERIES / "A_RES_79_171.txt"), str(SERIES / "A_C.3_80_L.41.txt")
    r = runner.invoke(app, ["diff", old, new, "--format", "docx", "-o", str(out)])
    assert r.exit_code == 1, r.output  # different, like diff(1)
    xml = zipfile.ZipFile(io.BytesIO(out.read_bytes())).read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml
    amended = tmp_path / "amended.docx"
    r = runner.invoke(
        app,
        [
            "amend",
            str(SERIES / "A_C.3_80_L.2.txt"),
            str(SERIES / "A_C.3_80_L.56.txt"),
            "-f",
            "docx",
            "-o",
            str(amended),
        ],
    )
    assert r.exit_code == 0, r.output
    assert zipfile.is_zipfile(amended)
