"""The lineage commands as users run them: series, history, trace, agreed, blame."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from conftest import SEED, SERIES
from store_helpers import dump_tables
from typer.testing import CliRunner

from resdiff.cli import app
from resdiff.ingest import parse_file
from resdiff.store import open_store

runner = CliRunner()
LINEAGE_COMMANDS = [
    ["series", "list"],
    ["series", "show"],
    ["series", "link"],
    ["series", "unlink"],
    ["history"],
    ["trace"],
    ["agreed"],
    ["blame"],
]
DPRK_FILES = ["A_RES_74_166", "A_RES_75_190", "A_RES_76_177", "A_RES_78_218"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("cli") / "lineage.db"
    # Stored without `resdiff ingest`: the commands group what is not yet grouped.
    with open_store(f"sqlite:///{path}") as store:
        for doc in [parse_file(SEED), *(parse_file(SERIES / f"{n}.txt") for n in DPRK_FILES)]:
            store.add(doc)
        store.add(parse_file(SERIES / "A_RES_78_198.txt"))
        store.add(parse_file(SERIES / "A_RES_79_171.txt"))
    yield path


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["--db", f"sqlite:///{db}", *args])
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("cmd", LINEAGE_COMMANDS, ids=" ".join)
def test_help_has_an_example(cmd: list[str]) -> None:
    r = runner.invoke(app, [*cmd, "--help"])
    assert r.exit_code == 0
    assert "Example: resdiff " + cmd[0] in r.stdout


def test_series_list_and_show(db: Path) -> None:
    code, out, err = _run(db, "series", "list")
    assert code == 0, err
    assert "A/RES/74/166 → A/RES/75/190 → A/RES/76/177 → doc-6b39773eb46c861b →" in out
    code, out, _ = _run(db, "series", "list", "--format", "json")
    data = json.loads(out)
    dprk = next(s for s in data if s["key"] == "A/RES/74/166")
    assert [v["symbol"] for v in dprk["versions"]][-1] == "A/RES/78/218"
    title = "Situation of human rights in the Democratic People's Republic of Korea"
    code, out, _ = _run(db, "series", "show", title)
    assert code == 0 and "5 versions" in out and "draft" in out
    code, out, _ = _run(db, "series", "show", "A/RES/79/171", "--format", "json")
    assert [v["symbol"] for v in json.loads(out)["versions"]] == ["A/RES/78/198", "A/RES/79/171"]


def test_history_json_follows_its_schema(db: Path) -> None:
    raw = (resources.files("resdiff.schemas") / "history.schema.json").read_text("utf-8")
    schema = json.loads(raw)
    code, out, err = _run(db, "history", "songbun", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["first"] == {
        "symbol": "A/RES/74/166",
        "label": "OP2(a)(xii)",
        "date": "2019-12-18",
        "earliest_stored": True,  # this store starts the series there
    }
    assert [o["status"] for o in data["occurrences"]] == ["new", "kept", "kept", "kept", "kept"]
    code, out, _ = _run(db, "history", "prisoners of war", "--series", "A/RES/78/218")
    assert code == 0 and "first appears in A/RES/76/177 PP24 (" in out
    assert "may be older" not in out  # 74/166 and 75/190, stored, do not hold it
    for phrase in ['"AND (NEAR*', "COVID-19", "ü", "朝鮮"]:  # literal, never a syntax error
        code, out, err = _run(db, "history", phrase, "--format", "json")
        # Found (0) or not found (1, like grep); never an error (2).
        assert code in (0, 1) and err == "", err
        assert (code == 0) == (json.loads(out)["first"] is not None)
        jsonschema.validate(json.loads(out), schema)
    code, out, err = _run(db, "history", "no resolution says zqxj", "--format", "json")
    assert code == 1 and err == "" and json.loads(out)["first"] is None


def test_history_series_takes_any_member_and_says_not_in_this_series(db: Path) -> None:
    title = "Situation of human rights in the Democratic People’s Republic of Korea"
    outs = [_run(db, "history", "songbun", "--series", ref) for ref in (title, "A/RES/75/190")]
    assert [code for code, _, _ in outs] == [0, 0] and outs[0][1] == outs[1][1]
    # Found elsewhere in the store, not in the series asked: exit 1 (nothing found), said so.
    code, out, err = _run(db, "history", "songbun", "--series", "A/RES/79/171")
    assert code == 1 and err == ""
    assert "not in this series" in out and "no stored version" not in out
    code, out, _ = _run(db, "history", "songbun", "--series", "A/RES/79/171", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["first"] is None and data["elsewhere"] == len(DPRK_FILES) + 1
    code, _, err = _run(db, "history", "songbun", "--series", "no such series")
    assert code == 2 and err.count("\n") == 1


def test_history_bad_fuzzy_is_a_usage_error(db: Path) -> None:
    code, _, err = _run(db, "history", "songbun", "--fuzzy", "3")
    assert code == 2 and err.count("\n") == 1 and "0.85" in err


def test_trace_text_json_html(db: Path, tmp_path: Path) -> None:
    code, out, err = _run(db, "trace", "A/RES/78/218", "OP2(a)(xii)")
    assert code == 0, err
    assert "First version: A/RES/74/166 OP2(a)(xii)" in out
    code, out, _ = _run(db, "trace", "A/RES/78/218", "PP24", "--format", "json")
    data = json.loads(out)
    assert data["first"]["symbol"] == "A/RES/76/177"
    assert data["adopted"]["symbol"] == "A/RES/76/177"
    page = tmp_path / "trace.html"
    code, _, err = _run(db, "trace", "A/RES/78/218", "PP24", "--format", "html", "-o", str(page))
    assert code == 0 and page.read_text().startswith("<!DOCTYPE html>")


def test_blame_html_and_text(db: Path, tmp_path: Path) -> None:
    code, out, err = _run(db, "blame", "A/RES/78/218")
    assert code == 0, err
    assert "Legend" in out and "[0] A/RES/74/166" in out
    # The earliest stored version "introduced" text the store cannot date further back.
    lines = out.splitlines()
    first = next(k for k, line in enumerate(lines) if line.startswith("  [0] "))
    assert lines[first + 1].strip() == "the earliest stored version: its text may be older"
    assert out.count("may be older") == 1
    page = tmp_path / "blame.html"
    code, _, _ = _run(db, "blame", "A/RES/78/218", "--format", "html", "-o", str(page))
    html = page.read_text()
    assert code == 0 and 'data-origin="0"' in html and "<script" not in html
    assert html.count("the earliest stored version, so its text may be older") == 1


def test_agreed(db: Path) -> None:
    code, out, err = _run(db, "agreed", "full, safe and unhindered access")
    assert code == 0, err
    assert "Earliest: A/RES/74/166; latest: A/RES/78/218" in out
    assert " adopted resolutions" in " ".join(out.split()) and "(s)" not in out
    code, out, _ = _run(db, "agreed", "full, safe and unhindered access", "--format", "json")
    assert "doc-6b39773eb46c861b" not in json.loads(out)["resolutions"]  # a draft


@pytest.mark.parametrize(
    "args",
    [["agreed", ","], ["agreed", "“"], ["history", ""], ["history", " ; "], ["history", "-"]],
)
def test_a_phrase_holding_no_word_is_a_usage_error(db: Path, args: list[str]) -> None:
    # A comma is in every text: "agreed language in 897 adopted resolutions" says nothing.
    code, out, err = _run(db, *args)
    assert code == 2 and out == "", args
    assert "holds no word to look for" in err


def test_link_unlink_and_errors(db: Path) -> None:
    code, out, err = _run(db, "series", "unlink", "A/RES/78/198", "A/RES/79/171")
    assert code == 0, err
    assert "A/RES/79/171" not in out
    code, out, _ = _run(db, "series", "link", "A/RES/78/198", "A/RES/79/171")
    assert code == 0 and "A/RES/79/171" in out
    before = dump_tables(f"sqlite:///{db}")
    for args in (
        ["series", "link", "A/RES/78/198", "A/RES/1/1"],
        ["series", "show", "no such series"],
        ["trace", "A/RES/78/218", "OP99"],
        ["blame", "A/RES/1/1"],
    ):
        code, out, err = _run(db, *args)
        assert code == 2 and out == "" and err.startswith("resdiff: error: "), args
        assert err.count("\n") == 1, err
    assert dump_tables(f"sqlite:///{db}") == before


def test_missing_database_is_refused(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path / "none.db", "series", "list")
    assert code == 2 and "no database" in err
    assert not (tmp_path / "none.db").exists()
