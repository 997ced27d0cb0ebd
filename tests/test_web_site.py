"""`resdiff site OUT_DIR`: the static pages of a store, relative links, incremental rewrites.

Links are checked by brute force: every href and src of every page written must name
a file of the site (or an anchor), never an absolute path or another host.
"""

from __future__ import annotations

import re
from html import unescape as unescape_html
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import unquote, urlsplit

import pytest
from conftest import SERIES
from hypothesis import given
from hypothesis import strategies as st
from web_fixtures import copy_store, small_store

from resdiff.cli import run
from resdiff.lineage import find_series
from resdiff.store import open_store
from resdiff.web.links import file_name, site_path

pytestmark = pytest.mark.xdist_group("web")

DRAFT_2022 = "doc-6b39773eb46c861b"


class Refs(HTMLParser):
    """Every href/src of a page, and its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src", "action"):
            if found.get(name) is not None:
                self.refs.append(str(found[name]))
        if tag == "script" and "src" not in found:
            self.inline_scripts += 1


def site(db: Path, out: Path, capfd: pytest.CaptureFixture[str]) -> str:
    code = run(["--db", f"sqlite:///{db}", "site", str(out)])
    err = capfd.readouterr().err
    assert code == 0, err
    return err.strip().splitlines()[-1]


def figures(summary: str) -> dict[str, int]:
    found = re.search(
        r": (\d+) pages, (\d+) written, (\d+) unchanged \((\d+) not even rendered\), (\d+) removed",
        summary,
    )
    assert found, summary
    keys = ("pages", "written", "unchanged", "skipped", "removed")
    return dict(zip(keys, map(int, found.groups()), strict=True))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> tuple[Path, Path]:
    db = tmp_path_factory.mktemp("site-store") / "store.db"
    copy_store(small_store(tmp_path_factory), db)
    out = tmp_path_factory.mktemp("site") / "public"
    code = run(["--db", f"sqlite:///{db}", "site", str(out)])
    assert code == 0
    return db, out


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_kind_is_written(built: tuple[Path, Path]) -> None:
    _db, out = built
    for rel in (
        "index.html",
        "series/index.html",
        site_path("series", "A/RES/72/188"),
        site_path("doc", "A/RES/76/177"),
        site_path("doc", "A/C.3/80/L.56"),
        site_path("diff", "A/RES/75/190", "A/RES/76/177"),
        site_path("blame", "A/RES/76/177"),
        "assets/resdiff.css",
        "assets/search-index.js",
    ):
        assert (out / rel).is_file(), rel
    # An amendment has no blame view and is not a step of the redlines.
    assert not (out / site_path("blame", "A/C.3/80/L.56")).exists()
    assert not list((out / "diff").glob("*/" + file_name("A/C.3/80/L.56") + ".html"))


def test_links_are_relative_and_all_resolve(built: tuple[Path, Path]) -> None:
    _db, out = built
    checked = 0
    for page in pages(out):
        parser = Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.inline_scripts == 0, page
        here = page.parent.relative_to(out).as_posix()
        for ref in parser.refs:
            parts = urlsplit(ref)
            assert not parts.scheme and not parts.netloc and not ref.startswith("/"), (page, ref)
            if not parts.path:
                continue  # an anchor in the page itself
            target = normpath(f"{here}/{unquote(parts.path)}")
            assert not target.startswith(".."), (page, ref)
            assert (out / target).is_file(), (page, ref)
            checked += 1
    assert checked > 300


def test_pages_carry_their_policy_and_no_server_forms(built: tuple[Path, Path]) -> None:
    _db, out = built
    for page in pages(out):
        html = unescape_html(page.read_text(encoding="utf-8"))
        assert "Content-Security-Policy" in html and "script-src 'self'" in html, page
        assert "<form" not in html or 'id="site-search"' in html, page  # no server to post to
        assert "/trace/" not in html and "/api/" not in html, page


def test_a_second_run_rewrites_nothing(
    built: tuple[Path, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    db, out = built
    before = {p: p.stat().st_mtime_ns for p in pages(out)}
    got = figures(site(db, out, capfd))
    assert got["written"] == 0 and got["removed"] == 0
    # Not even rendered: every page; only the assets (search index included) are re-read.
    assert got["skipped"] == got["pages"] - len(list((out / "assets").iterdir()))
    assert {p: p.stat().st_mtime_ns for p in pages(out)} == before


def test_a_new_version_rewrites_only_what_it_touches(
    tmp_path: Path, built: tuple[Path, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    db, _out = built
    mine_db, mine = tmp_path / "store.db", tmp_path / "public"
    copy_store(db, mine_db)
    first = figures(site(mine_db, mine, capfd))
    assert run(["--db", f"sqlite:///{mine_db}", "ingest", str(SERIES / "A_RES_78_218.txt")]) == 0
    capfd.readouterr()
    second = figures(site(mine_db, mine, capfd))
    assert (mine / site_path("doc", "A/RES/78/218")).is_file()
    # The 2022 draft (stored without a symbol) is the version before A/RES/78/218.
    assert (mine / site_path("diff", DRAFT_2022, "A/RES/78/218")).is_file()
    # The DPRK series grew by one version: its pages, the new ones, the index and
    # the series list change; the other two series' pages do not.
    assert 0 < second["written"] < first["pages"] // 2
    with open_store(f"sqlite:///{mine_db}", create=False) as store:
        food = find_series(store, "A/RES/79/171").key
    untouched = mine / site_path("series", food)
    assert (
        untouched.stat().st_mtime_ns < (mine / site_path("doc", "A/RES/78/218")).stat().st_mtime_ns
    )
    # Unlinking takes a version out: its redline and blame pages go, nothing dangles.
    assert (
        run(["--db", f"sqlite:///{mine_db}", "series", "unlink", "A/RES/76/177", "A/RES/78/218"])
        == 0
    )
    capfd.readouterr()
    third = figures(site(mine_db, mine, capfd))
    assert third["removed"] >= 1
    assert not (mine / site_path("diff", DRAFT_2022, "A/RES/78/218")).exists()


def test_a_folder_of_other_files_is_refused(
    tmp_path: Path, built: tuple[Path, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    db, _out = built
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert run(["--db", f"sqlite:///{db}", "site", str(tmp_path)]) == 2
    err = capfd.readouterr().err
    assert "not empty and was not written by `resdiff site`" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@given(st.text(min_size=1, max_size=300))
def test_file_names_are_safe_and_one_per_key(key: str) -> None:
    name = file_name(key)
    assert name and len(name.encode("utf-8")) <= 120
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    assert re.fullmatch(r"[A-Za-z0-9.\-_~]+", name)
    # One name per key: the escaping reads back (names cut to length end in a digest).
    if "~~" not in name:
        assert unescape(name) == key


def unescape(name: str) -> str:
    out = bytearray()
    i = 0
    while i < len(name):
        if name[i] == "_":
            out += b"/"
            i += 1
        elif name[i] == "~":
            out.append(int(name[i + 1 : i + 3], 16))
            i += 3
        else:
            out += name[i].encode()
            i += 1
    return out.decode("utf-8")


def _render_or_die(spec: object) -> object:
    # In a worker: the tenth page kills its worker, as the system does for lack of memory.
    import os
    import signal

    from resdiff.web import site

    if site._WORKER.setdefault("count", 0) == 9:
        os.kill(os.getpid(), signal.SIGKILL)
    site._WORKER["count"] += 1
    return site._render_in_worker(spec)  # type: ignore[arg-type]


def test_a_worker_killed_midway_ends_the_site_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resdiff.batch import ingest_paths
    from resdiff.errors import WorkerError
    from resdiff.web import site

    db = tmp_path_factory.mktemp("site-store") / "store.db"
    monkeypatch.setattr(site, "_render_in_worker", _render_or_die)
    with open_store(f"sqlite:///{db}") as store:
        # Enough pages for worker processes (a few dozen documents' worth).
        ingest_paths(store, sorted(SERIES.glob("A_RES_*.txt"))[:30], workers=1)
        with pytest.raises(WorkerError) as err:
            site.build_site(store, tmp_path_factory.mktemp("site") / "public", workers=2)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith("a worker process rendering pages ended")
