"""`resdiff list`: filters, natural symbol order, whole titles off a terminal, JSON."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import SEED, SERIES
from typer.testing import CliRunner

from resdiff.cli import app
from resdiff.listing import natural_key

runner = CliRunner()
FILES = [
    "A_RES_78_53",
    "A_RES_78_198",
    "A_RES_79_171",
    "A_C.3_80_L.41",
    "A_RES_80_210",
    "A_RES_79_50",
    "A_C.1_80_L.44",
    "A_RES_80_24",
    "A_RES_78_7",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("listing") / "l.db"
    files = [str(SERIES / f"{n}.txt") for n in FILES] + [str(SEED)]
    r = runner.invoke(app, ["--db", f"sqlite:///{path}", "ingest", *files])
    assert r.exit_code == 0, r.stderr
    return path


def _list(db: Path, *args: str) -> list[dict[str, object]]:
    r = runner.invoke(app, ["--db", f"sqlite:///{db}", "list", "--format", "json", *args])
    assert r.exit_code == 0, r.stderr
    data: list[dict[str, object]] = json.loads(r.stdout)
    return data


def test_natural_order_reads_numbers_as_numbers() -> None:
    wanted = ["A/C.3/80/L.5", "A/C.3/80/L.41", "A/RES/78/7", "A/RES/78/53", "A/RES/78/222"]
    shuffled = wanted[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(shuffled, key=natural_key) == wanted


def test_list_is_in_natural_symbol_order(db: Path) -> None:
    keys = [r["key"] for r in _list(db)]
    assert keys.index("A/RES/78/7") < keys.index("A/RES/78/53") < keys.index("A/RES/78/198")
    assert keys == sorted(keys, key=lambda k: natural_key(str(k)))


def test_filters(db: Path) -> None:
    assert {r["key"] for r in _list(db, "--session", "80")} == {
        "A/C.3/80/L.41",
        "A/RES/80/210",
        "A/C.1/80/L.44",
        "A/RES/80/24",
    }
    assert {r["key"] for r in _list(db, "--kind", "draft", "--session", "80")} == {
        "A/C.3/80/L.41",
        "A/C.1/80/L.44",
    }
    first = {r["key"] for r in _list(db, "--body", "first")}
    assert first == {"A/RES/79/50", "A/C.1/80/L.44", "A/RES/80/24", "A/RES/78/53"}
    food = [r["key"] for r in _list(db, "--series", "A/RES/79/171")]
    assert food == ["A/C.3/80/L.41", "A/RES/78/198", "A/RES/79/171", "A/RES/80/210"]
    rows = _list(db, "--body", "Plenary")
    assert [r["key"] for r in rows] == ["A/RES/78/7"] and rows[0]["session"] == 78
    r = runner.invoke(app, ["--db", f"sqlite:///{db}", "list", "--kind", "decision"])
    assert r.exit_code == 2 and "not a document kind" in r.stderr
    r = runner.invoke(app, ["--db", f"sqlite:///{db}", "list", "--session", "12"])
    assert r.exit_code == 0 and "no stored document matches" in r.stdout


def test_whole_titles_when_not_a_terminal(db: Path) -> None:
    r = runner.invoke(app, ["--db", f"sqlite:///{db}", "list"])
    longest = max(len(str(x["title"])) for x in _list(db))
    assert longest > 70 and "…" not in r.stdout
    assert any(len(line) > 100 for line in r.stdout.splitlines())
