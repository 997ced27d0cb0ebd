"""The library pieces the browsing pages stand on: series filters and outlines, the store's
state token and per-state cache, reviewing a parsed upload, storing one parsed document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SERIES
from web_fixtures import copy_store, small_store

from resdiff.batch import ingest_document
from resdiff.ingest import parse_bytes, parse_file
from resdiff.lineage import chain, committees, filter_series, list_series, outline
from resdiff.model import DocKind
from resdiff.normalize import key as norm_key
from resdiff.render.review import render_review
from resdiff.review import review
from resdiff.store import open_store

pytestmark = pytest.mark.xdist_group("web")


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> str:
    path = tmp_path / "store.db"
    copy_store(small_store(tmp_path_factory), path)
    return f"sqlite:///{path}"


def test_members_carry_body_and_the_draft_an_amendment_names(db: str) -> None:
    with open_store(db, create=False) as store:
        members = {m.key: m for s in list_series(store) for m in s.members}
    assert members["A/RES/76/177"].body == "Third Committee"
    assert members["A/C.3/80/L.56"].kind is DocKind.AMENDMENT
    assert members["A/C.3/80/L.56"].draft_symbol == "A/C.3/80/L.2"
    assert members["A/RES/76/177"].draft_symbol is None


@pytest.mark.parametrize(
    ("committee", "session", "title"),
    [
        (None, None, None),
        ("Third Committee", None, None),
        ("  third COMMITTEE ", 80, None),
        ("third", None, None),
        (None, 72, None),
        (None, None, "RIGHT TO FOOD"),
        (None, None, "People's Republic"),  # straight quote matches the curly one
        ("Plenary", None, None),
        (None, 99, None),
    ],
)
def test_filter_series_agrees_with_a_brute_force_filter(
    db: str, committee: str | None, session: int | None, title: str | None
) -> None:
    with open_store(db, create=False) as store:
        everything = list_series(store)
    got = filter_series(everything, committee=committee, session=session, title=title)
    want = []
    for s in everything:
        bodies = [(m.body or "").lower() for m in s.members]
        if committee and not any(committee.strip().lower() in b for b in bodies):
            continue
        if session is not None and session not in {m.session for m in s.members}:
            continue
        if title and norm_key(title) not in norm_key(s.title or ""):
            continue
        want.append(s)
    assert got == want
    assert committees(everything) == ["Third Committee"]


def test_outline_puts_amendments_under_their_draft(db: str) -> None:
    with open_store(db, create=False) as store:
        nazism = next(
            s for s in list_series(store) if any(m.key == "A/C.3/80/L.56" for m in s.members)
        )
    entries, orphans = outline(nazism)
    assert [e.version.key for e in entries] == [m.key for m in chain(nazism)]
    placed = {e.version.key: [a.key for a in e.amendments] for e in entries}
    assert placed["A/C.3/80/L.2"] == ["A/C.3/80/L.56"]
    assert orphans == []
    assert sum(len(v) for v in placed.values()) == 1


def test_an_amendment_to_a_draft_not_stored_is_an_orphan(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        for name in ("A_RES_79_160.txt", "A_C.3_80_L.56.txt"):
            ingest_document(store, parse_file(SERIES / name), name=name)
        (s,) = [s for s in list_series(store) if any(m.key == "A/C.3/80/L.56" for m in s.members)]
        entries, orphans = outline(s)
    assert [a.key for a in orphans] == ["A/C.3/80/L.56"]
    assert all(not e.amendments for e in entries)


def test_state_changes_with_every_write_and_only_then(db: str) -> None:
    with open_store(db, create=False) as store:
        first = store.state()
        list_series(store)
        store.list()
        assert store.state() == first
        calls: list[int] = []
        value = store.cached("probe", lambda: calls.append(1) or len(calls))
        assert store.cached("probe", lambda: calls.append(1) or len(calls)) == value
        assert calls == [1]
        doc = parse_file(SERIES / "A_RES_78_218.txt")
        ingest_document(store, doc, name="A_RES_78_218.txt")
        second = store.state()
        assert second != first
        assert store.cached("probe", lambda: calls.append(1) or len(calls)) == 2
        from resdiff.lineage import unlink

        unlink(store, "A/RES/76/177", "A/RES/78/218")
        assert store.state() != second


def test_one_state_holds_for_the_question_and_its_thread_only(db: str) -> None:
    # A question (a phrase history) reads the state once; a write meanwhile is seen by the
    # next question, and other threads (the web app's other requests) never wait on it.
    import threading

    from resdiff.lineage import link, unlink

    with open_store(db, create=False) as store:
        calls: list[int] = []

        def probe() -> int:
            calls.append(1)
            return len(calls)

        before = store.cached("pinned probe", probe)
        with store.one_state():
            unlink(store, "A/RES/75/190", "A/RES/76/177")  # a write inside the question
            with store.one_state():  # nested: the outer state holds
                assert store.cached("pinned probe", probe) == before
            assert store.cached("pinned probe", probe) == before
            other: list[int] = []
            thread = threading.Thread(
                target=lambda: other.append(store.cached("pinned probe", probe))
            )
            thread.start()
            thread.join()
            assert other == [before + 1]  # another thread reads the state as it is
        assert store.cached("pinned probe", probe) == before + 1  # the next question sees it
        link(store, "A/RES/75/190", "A/RES/76/177")


def test_a_parsed_upload_is_reviewed_like_its_file(db: str, tmp_path: Path) -> None:
    text = (SERIES / "A_C.3_80_L.41.txt").read_text(encoding="utf-8")
    text = text.replace("to continue the consideration", "to continue, urgently, the consideration")
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse_bytes(path.read_bytes(), "draft.txt")
    with open_store(db, create=False) as store:
        before = store.state()
        from_file = json.loads(render_review(review(store, str(path)), "json"))
        from_doc = json.loads(render_review(review(store, doc), "json"))
        assert store.state() == before  # reviewing stores nothing
    assert from_doc == from_file
    assert from_doc["baseline"]["symbol"] == "A/RES/79/171"


def test_ingest_document_leaves_lineage_ready(db: str) -> None:
    doc = parse_file(SERIES / "A_RES_78_218.txt")
    with open_store(db, create=False) as store:
        first = ingest_document(store, doc, name="A_RES_78_218.txt")
        assert (first.status, first.key, first.path) == (
            "stored",
            "A/RES/78/218",
            "A_RES_78_218.txt",
        )
        from resdiff.store.lineage import LineageStore

        assert LineageStore(store).ungrouped() == 0  # grouped and aligned already
        (dprk,) = [s for s in list_series(store) if any(m.key == "A/RES/78/218" for m in s.members)]
        assert dprk.members[0].key == "A/RES/72/188"
        again = ingest_document(store, doc)
        assert again.status == "already stored" and again.key == "A/RES/78/218"
