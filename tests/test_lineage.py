"""Lineage on a real store (SQLite and PostgreSQL): stored series and alignments, trace,
blame, phrase history statuses, manual links surviving re-ingest."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from importlib import resources
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import SEED, SERIES
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from store_helpers import BACKENDS, dump_tables, fresh_url
from test_series import AGEING, DPRK, RIGHT_TO_FOOD

from resdiff.batch import ingest_paths
from resdiff.compare import compare
from resdiff.errors import NotFoundError
from resdiff.history import QUOTE_CHARS, history, quote
from resdiff.ingest import parse_file
from resdiff.lineage import (
    _carry,
    alignment,
    blame,
    chain,
    find_series,
    link,
    list_series,
    refresh_lineage,
    series_containing,
    series_of,
    trace,
    unlink,
)
from resdiff.model import DocKind, Document, Metadata, Unit, UnitKind
from resdiff.render.lineage import (
    history_to_json,
    render_blame,
    render_history,
    render_series,
    render_series_list,
    render_trace,
    trace_to_json,
)
from resdiff.settings import Settings
from resdiff.store import Store, open_store
from resdiff.store.lineage import LineageStore

FILES = [
    "A_RES_72_188",
    "A_RES_73_180",
    "A_RES_74_166",
    "A_RES_75_190",
    "A_RES_76_177",
    "A_RES_78_218",
    "A_RES_78_198",
    "A_RES_79_171",
    "A_C.3_80_L.41",
    "A_RES_80_210",
    "A_RES_78_177",
    "A_RES_79_147",
    "A_C.3_80_L.5",
    "A_RES_80_179",
]


def _docs() -> list[Document]:
    return [parse_file(SEED), *(parse_file(SERIES / f"{n}.txt") for n in FILES)]


@pytest.fixture(scope="module")
def parsed(shared_corpus: Path) -> list[Document]:
    return _docs()


@pytest.fixture(scope="module", params=BACKENDS)
def url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, parsed: list[Document]
) -> Iterator[str]:
    with fresh_url(request.param, tmp_path_factory.mktemp("lineage")) as u:
        with open_store(u) as store:
            # Ingested newest first: grouping and order must not depend on ingest order.
            for doc in reversed(parsed):
                store.add(doc)
            report = refresh_lineage(store)
        assert (report.computed, report.reused, report.pruned) == (12, 0, 0)
        yield u


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with open_store(url) as s:
        yield s


def test_series_are_stored_in_version_order(store: Store) -> None:
    found = {s.key: tuple(m.key for m in s.members) for s in list_series(store)}
    assert found["A/RES/72/188"] == DPRK
    assert found["A/RES/78/198"] == RIGHT_TO_FOOD
    assert found["A/RES/78/177"] == AGEING
    title = "Situation of human rights in the Democratic People's Republic of Korea"
    assert find_series(store, title).key == "A/RES/72/188"  # straight quote finds curly
    assert find_series(store, "a/res/76/177").key == "A/RES/72/188"
    with pytest.raises(NotFoundError) as err:
        find_series(store, "no such series")
    assert "\n" not in str(err.value)


def test_the_series_of_one_document_is_the_one_found_among_all(store: Store) -> None:
    # A review reads only its draft's series: it must be the one the full list gives.
    every = list_series(store)
    for key in [m.key for s in every for m in s.members]:
        assert series_containing(store, key) == series_of(every, key)
    assert series_containing(store, "no such document") is None


def test_the_series_of_one_document_on_a_read_only_store_not_yet_grouped(
    tmp_path: Path, parsed: list[Document]
) -> None:
    # A read-only store holding documents stored since the last grouping groups them in
    # memory: the one series read for a document comes from that grouping too.
    url = f"sqlite:///{tmp_path / 'held.db'}"
    with open_store(url) as writer:
        for doc in parsed[:4]:
            writer.add(doc)
        refresh_lineage(writer)
        for doc in parsed[4:]:
            writer.add(doc)  # stored after the grouping: in no stored series
    with open_store(url, read_only=True) as reader:
        every = list_series(reader)
        assert LineageStore(reader).held_members(every[0].key) is not None  # held in memory
        keys = [m.key for s in every for m in s.members]
        assert len(keys) == len(parsed)
        for key in keys:
            assert series_containing(reader, key) == series_of(every, key)


def test_words_of_one_title_name_its_series(store: Store) -> None:
    # A delegate types part of the title ("right to food", not "The right to food").
    assert find_series(store, "right to food").key == "A/RES/78/198"
    assert find_series(store, "RIGHT TO FOOD").key == "A/RES/78/198"
    assert find_series(store, "Korea").key == "A/RES/72/188"
    assert find_series(store, "resolution 76/177").key == "A/RES/72/188"
    # Words in several titles name none: the error lists them, on one line.
    with pytest.raises(NotFoundError) as err:
        find_series(store, "the")
    message = str(err.value)
    assert "\n" not in message
    assert "is in the titles of 3 series" in message
    assert "The right to food (" in message and "give more of the title" in message


def test_alignments_are_stored_reused_and_recomputed_on_new_settings(
    store: Store, url: str
) -> None:
    ls = LineageStore(store)
    hashes = ls.alignment_hashes()
    assert ("A/RES/75/190", "A/RES/76/177") in hashes
    assert len(hashes) == 6 + 3 + 3  # consecutive versions of the three series
    assert refresh_lineage(store).computed == 0  # nothing changed: all reused
    stored = ls.alignment("A/RES/75/190", "A/RES/76/177")
    assert stored is not None
    fresh = compare(store.get("A/RES/75/190"), store.get("A/RES/76/177"))
    assert stored == (fresh.settings_hash, fresh.pairs)
    assert alignment(store, "A/RES/75/190", "A/RES/76/177") == fresh.pairs
    other = Settings(match_threshold=0.55)
    report = refresh_lineage(store, settings=other)
    assert report.computed == len(hashes) and report.reused == 0
    assert set(ls.alignment_hashes().values()) == {other.hash()}
    refresh_lineage(store)  # back to the defaults for the other tests
    assert set(ls.alignment_hashes().values()) == {Settings().hash()}


def test_an_ingest_starts_its_workers_once_to_parse_and_to_align(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Starting workers costs each one an interpreter and the imports both stages share:
    # a batch pays it once, and what the workers align is what aligning here gives.
    import resdiff.lineage

    started: list[int | None] = []
    real = Pool.__init__

    def counting(self: Pool, processes: int | None = None, *args: Any, **kwargs: Any) -> None:
        started.append(processes)
        real(self, processes, *args, **kwargs)

    monkeypatch.setattr(Pool, "__init__", counting)
    # Twelve alignments: enough for workers of their own, were none running already.
    monkeypatch.setattr(resdiff.lineage, "_PARALLEL_PAIRS", 4)
    paths = [SEED, *(SERIES / f"{n}.txt" for n in FILES), SERIES / "A_RES_78_7.txt"]
    with open_store(f"sqlite:///{tmp_path / 'batch.db'}") as store:
        outcomes = ingest_paths(store, paths, workers=2)
        assert [o.status for o in outcomes] == ["stored"] * 16
        assert started == [2]
        stored = LineageStore(store).alignment_hashes()
        assert len(stored) == 12
        for old, new in stored:
            here = compare(store.get(old), store.get(new))
            assert LineageStore(store).alignment(old, new) == (here.settings_hash, here.pairs)


def test_db_upgrade_aligns_again_what_other_settings_aligned(
    store: Store, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A resdiff whose aligner settings changed finds alignments stored by the old one:
    # `db upgrade` makes them current, so lineage commands read them instead of
    # computing them again on every run.
    from resdiff.cli import run

    ls = LineageStore(store)
    count = len(ls.alignment_hashes())
    refresh_lineage(store, settings=Settings(match_threshold=0.55))
    assert Settings().hash() not in set(ls.alignment_hashes().values())
    # Until then, a command reading the store computes them again, and says so once.
    assert run(["--db", url, "trace", "A/RES/76/177", "OP2(a)(xii)"]) == 0
    stale = capsys.readouterr().err
    assert stale.count("\n") == 1 and "stored alignments" in stale
    assert "`resdiff db upgrade` stores them" in stale
    assert run(["--db", url, "db", "upgrade"]) == 0
    assert set(ls.alignment_hashes().values()) == {Settings().hash()}
    err = capsys.readouterr().err
    assert f"aligned {count} pairs of consecutive versions again (0 were current)" in err
    assert run(["--db", url, "db", "upgrade"]) == 0  # all current: nothing to align
    second = capsys.readouterr().err
    assert "database already at" in second and "again" not in second
    assert run(["--db", url, "trace", "A/RES/76/177", "OP2(a)(xii)"]) == 0
    assert capsys.readouterr().err == ""  # all current: nothing to say


def test_trace_follows_a_renumbered_sub_item_through_the_dprk_series(store: Store) -> None:
    t = trace(store, "A/RES/76/177", "OP2(a)(xii)")
    assert [(s.version.key, s.label) for s in t.steps] == [
        ("A/RES/72/188", "OP2(a)(xi)"),
        ("A/RES/73/180", "OP2(a)(xi)"),
        ("A/RES/74/166", "OP2(a)(xii)"),
        ("A/RES/75/190", "OP2(a)(xii)"),
        ("A/RES/76/177", "OP2(a)(xii)"),
        ("doc-6b39773eb46c861b", "OP2(a)(xii)"),
        ("A/RES/78/218", "OP2(a)(xii)"),
    ]
    assert t.steps[0].pair is None
    assert t.steps[2].pair is not None and t.steps[2].pair.renumbered
    assert all("songbun" in s.text for s in t.steps)
    assert t.adopted is not None and t.adopted.version.key == "A/RES/72/188"
    data = json.loads(render_trace(t, "json"))
    assert data["first"]["label"] == "OP2(a)(xi)" and len(data["steps"]) == 7
    assert "OP2(a)(xi)" in render_trace(t, "text") and "<html" in render_trace(t, "html")


def test_trace_starts_where_the_unit_was_introduced_and_finds_its_adoption(store: Store) -> None:
    t = trace(store, "A/RES/78/218", "PP24")  # "prisoners of war", new in 2021
    assert t.first.version.key == "A/RES/76/177"
    assert "prisoners of war" in t.first.text
    # From the 2022 draft: first adopted by the 2023 resolution when it is new there.
    t2 = trace(store, "doc-6b39773eb46c861b", "PP21")
    assert t2.first.version.key == "doc-6b39773eb46c861b"
    assert t2.adopted is not None and t2.adopted.version.key == "A/RES/78/218"
    # The 2017 paragraph on separated families lives on, rewritten (suspension of the
    # reunions -> their resumption) and moved up to PP21 in 2018, as the hand-checked gold
    # alignment (tests/gold/tuning/A_RES_72_188__A_RES_73_180.json) links it.
    t3 = trace(store, "A/RES/72/188", "PP24")
    assert [(s.version.key, s.label) for s in t3.steps] == [
        ("A/RES/72/188", "PP24"),
        ("A/RES/73/180", "PP21"),
        ("A/RES/74/166", "PP25"),
        ("A/RES/75/190", "PP24"),
        ("A/RES/76/177", "PP25"),
        ("doc-6b39773eb46c861b", "PP25"),
        ("A/RES/78/218", "PP25"),
    ]
    assert "suspension of the reunions" in t3.steps[0].text
    assert "resumption of the reunions" in t3.steps[1].text
    with pytest.raises(NotFoundError, match="no unit 'OP99'"):
        trace(store, "A/RES/76/177", "OP99")


def test_a_merged_step_of_a_trace_names_each_old_paragraph_where_it_starts(store: Store) -> None:
    # Joined without a mark, the old paragraphs of a merge ran together in the trace
    # ("ecosystem,Recalling"): each part now starts with its label, and the old side of
    # each part rebuilds that old paragraph exactly.
    merged = 0
    for unit in store.get("A/RES/78/218").units:
        data = trace_to_json(trace(store, "A/RES/78/218", unit.label))
        for n, step in enumerate(data["steps"]):
            if step["change"] != "merged":
                continue
            merged += 1
            before = store.get(data["steps"][n - 1]["key"])
            old: dict[str, str] = {}
            part = None
            for span in step["spans"]:
                part = span.get("part", part)
                assert part is not None, step  # the first old span names its paragraph
                if span["op"] != "insert":
                    old[part] = old.get(part, "") + span["text"]
            assert len(old) > 1
            assert old == {label: before.unit(label).text for label in old}
            text = render_trace(trace(store, "A/RES/78/218", unit.label), "text")
            assert all(f"¶{label}" in text for label in old)
    assert merged


@pytest.mark.parametrize("ref", DPRK)
def test_blame_rebuilds_every_version_exactly(store: Store, ref: str) -> None:
    b = blame(store, ref)
    doc = store.get(ref)
    assert [(u.label, u.text) for u in b.units] == [(u.label, u.text) for u in doc.units]
    assert b.versions[-1].key == doc.key
    for u in b.units:
        assert all(s.text and 0 <= s.origin < len(b.versions) for s in u.spans)
        assert all(a.origin != c.origin for a, c in zip(u.spans, u.spans[1:], strict=False))
    data = json.loads(render_blame(b, "json"))
    assert ["".join(s["text"] for s in u["spans"]) for u in data["units"]] == [
        u.text for u in doc.units
    ]


def test_blame_dates_words_to_the_version_that_wrote_them(store: Store) -> None:
    b = blame(store, "A/RES/78/218")
    order = [v.key for v in b.versions]
    assert order == list(DPRK)
    pp24 = next(u for u in b.units if u.label == "PP24")
    origin_of = {s.origin for s in pp24.spans for _ in range(s.text.count("prisoners of war"))}
    assert origin_of == {order.index("A/RES/76/177")}
    songbun = next(u for u in b.units if u.label == "OP2(a)(xii)")
    assert {s.origin for s in songbun.spans} == {0}  # unchanged since 2017
    html = render_blame(b, "html")
    assert html.count('class="swatch') == len(order) and "A/RES/76/177" in html
    text = render_blame(b, "text")
    assert "[4] A/RES/76/177" in text


def _schema() -> dict[str, object]:
    raw = (resources.files("resdiff.schemas") / "history.schema.json").read_text("utf-8")
    schema: dict[str, object] = json.loads(raw)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_history_statuses_on_the_dprk_series(store: Store) -> None:
    schema = _schema()
    h = history(store, "songbun")
    assert h.first is not None and (h.first.key, h.first.label) == ("A/RES/72/188", "OP2(a)(xi)")
    assert [(e.key, e.label, e.status) for e in h.entries] == [
        (k, "OP2(a)(xi)" if k in DPRK[:2] else "OP2(a)(xii)", "new" if k == DPRK[0] else "kept")
        for k in DPRK
    ]
    # The phrase is dropped from its paragraph, which itself goes on as PP21 (the gold).
    dropped = history(store, "reunions of separated families across the border since October 2015")
    assert [(e.key, e.label, e.status) for e in dropped.entries] == [
        ("A/RES/72/188", "PP24", "new"),
        ("A/RES/73/180", "PP21", "dropped"),
    ]
    pow_ = history(store, "Prisoners  of\nWAR", series="A/RES/78/218")
    assert [(e.key, e.status) for e in pow_.entries][:3] == [
        ("A/RES/76/177", "new"),
        ("doc-6b39773eb46c861b", "kept"),
        ("A/RES/78/218", "kept"),
    ]
    for answer in (h, dropped, pow_, history(store, "no such words anywhere")):
        data = history_to_json(answer)
        jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    # 72/188 is the earliest version of the series the store holds: what came before is
    # not stored, so "first appears" there may be older; "prisoners of war" came in 76/177,
    # after three stored versions without it.
    assert history_to_json(h)["first"] == {
        "symbol": "A/RES/72/188",
        "label": "OP2(a)(xi)",
        "date": "2017-12-19",
        "earliest_stored": True,
    }
    assert "the earliest stored version of its series (it may be older)" in " ".join(
        render_history(h).split()
    )
    assert not pow_.first_earliest
    assert "may be older" not in render_history(pow_)


def _synthetic(n: int, session: int, units: list[str]) -> Document:
    return Document(
        Metadata(
            symbol=f"A/RES/{session}/{n}",
            kind=DocKind.RESOLUTION,
            session=session,
            title="Synthetic lineage",
            adoption_date=date(1945 + session, 12, 1),
        ),
        tuple(Unit(f"OP{i}", UnitKind.OPERATIVE, t) for i, t in enumerate(units, 1)),
    )


def test_history_dropped_then_reintroduced(tmp_path: Path) -> None:
    base = ["Decides to remain seized of the matter;", "Requests a report on water;"]
    versions = [
        _synthetic(1, 90, [*base, "Calls for a moratorium on whaling;"]),
        _synthetic(2, 91, [*base, "Calls for a moratorium on whaling and sealing;"]),
        _synthetic(3, 92, base),
        _synthetic(4, 93, ["Calls for a moratorium on whaling;", *base]),
    ]
    with open_store(f"sqlite:///{tmp_path / 'syn.db'}") as store:
        for d in versions:
            store.add(d)
        refresh_lineage(store)
        h = history(store, "moratorium on whaling")
        assert [(e.key, e.label, e.status) for e in h.entries] == [
            ("A/RES/90/1", "OP3", "new"),
            ("A/RES/91/2", "OP3", "kept"),
            ("A/RES/92/3", None, "dropped"),
            ("A/RES/93/4", "OP1", "reintroduced"),
        ]


def test_link_and_unlink_survive_reingest(url: str, parsed: list[Document]) -> None:
    with open_store(url) as store:
        try:
            s = unlink(store, "A/RES/78/198", "A/RES/79/171")
            assert [m.key for m in s.members] == [k for k in RIGHT_TO_FOOD if k != "A/RES/79/171"]
            s = link(store, "A/RES/78/198", "A/RES/78/177")  # by hand, against the titles
            assert "A/RES/78/177" in [m.key for m in s.members]
            before = {x.key: [m.key for m in x.members] for x in list_series(store)}
            # Re-ingest everything and regroup: the corrections still apply.
            for doc in parsed:
                assert not store.add(doc).stored
            refresh_lineage(store)
            after = {x.key: [m.key for m in x.members] for x in list_series(store)}
            assert after == before
            assert find_series(store, "A/RES/79/171").members[0].key == "A/RES/79/171"
            with pytest.raises(NotFoundError):
                link(store, "A/RES/78/198", "A/RES/12/345")
        finally:
            # Undo for the other tests of this module (links are an ordered log).
            link(store, "A/RES/78/198", "A/RES/79/171")
            unlink(store, "A/RES/78/198", "A/RES/78/177")
            link(store, "A/RES/79/147", "A/RES/78/177")
        found = {x.key: tuple(m.key for m in x.members) for x in list_series(store)}
        assert found["A/RES/78/198"] == RIGHT_TO_FOOD
        assert found["A/RES/78/177"] == AGEING


def test_failed_link_leaves_the_database_as_it_was(url: str) -> None:
    before = dump_tables(url)
    with open_store(url) as store, pytest.raises(NotFoundError) as err:
        unlink(store, "A/RES/99/999", "A/RES/78/198")
    assert "\n" not in str(err.value)
    assert dump_tables(url) == before


def test_chain_skips_amendments(store: Store) -> None:
    for s in list_series(store):
        assert all(m.kind != "amendment" for m in chain(s))


_WORDS = ["States", "urges", "the", "right", "to", "food", "water", "report", "all", "peace"]
_texts = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8).map(" ".join)


@given(st.lists(st.lists(_texts, min_size=1, max_size=5), min_size=1, max_size=4))
@hyp_settings(max_examples=60, deadline=None)
def test_carried_origins_are_substrings_of_their_versions(versions: list[list[str]]) -> None:
    # The pure core of blame, checked against a naive oracle: every word attributed to
    # version k is a word version k contains, and every character is attributed.
    docs = [_synthetic(n, 90 + n, units) for n, units in enumerate(versions)]
    origins = {u.label: [0] * len(u.text) for u in docs[0].units}
    for j in range(1, len(docs)):
        pairs = compare(docs[j - 1], docs[j]).pairs
        origins = _carry(pairs, origins, docs[j], j)
    last = docs[-1]
    for u in last.units:
        marks = origins[u.label]
        assert len(marks) == len(u.text)
        start = 0
        for k in range(1, len(marks) + 1):
            if k == len(marks) or marks[k] != marks[start]:
                # A run of one origin may join pieces that were apart in that version
                # ("States urges States" -> "States States"), but each of its words
                # was written there.
                run = u.text[start:k]
                source = " ".join(v.text for v in docs[marks[start]].units).split()
                assert all(w in source for w in run.split()), (run, marks[start])
                start = k


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_refreshes_at_once_both_succeed(backend: str, tmp_path: Path) -> None:
    with fresh_url(backend, tmp_path) as u:
        with open_store(u) as store:
            for n in range(4):
                store.add(_synthetic(n, 90 + n, [f"Urges all States {n};", "Decides to act;"]))
        errors: list[BaseException] = []

        def work() -> None:
            try:
                with open_store(u) as s:
                    for _ in range(3):
                        refresh_lineage(s)
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with open_store(u) as store:
            (only,) = list_series(store)
            assert [m.key for m in only.members] == [f"A/RES/{90 + n}/{n}" for n in range(4)]
            assert len(LineageStore(store).alignment_hashes()) == 3


def test_trace_and_blame_html_escape_document_text(tmp_path: Path) -> None:
    evil = 'Notes <script>alert("x")</script> & "quotes" javascript:void(0);'
    with open_store(f"sqlite:///{tmp_path / 'esc.db'}") as store:
        store.add(_synthetic(1, 90, ["Decides to act;", "Urges States;"]))
        store.add(_synthetic(2, 91, ["Decides to act;", f"Urges States; {evil}"]))
        refresh_lineage(store)
        pages = [
            render_blame(blame(store, "A/RES/91/2"), "html"),
            render_trace(trace(store, "A/RES/91/2", "OP2"), "html"),
        ]
    for page in pages:
        assert "<script" not in page and "&lt;script&gt;" in page
        assert "&amp;" in page


# --- amendments belong to their draft; histories of real drops -----------------------

# Two series with an amendment each: L.65 amends the Human Rights Council draft L.24,
# L.58 proposes deleting wording ("Rome Statute") from the draft L.50.
AMENDED = [
    "A_RES_78_186",
    "A_RES_79_157",
    "A_C.3_80_L.24",
    "A_C.3_80_L.65",
    "A_RES_80_189",
    "A_RES_78_205",
    "A_C.3_80_L.50",
    "A_C.3_80_L.58",
    "A_RES_80_211",
]


@pytest.fixture(scope="module")
def amended(tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("amended") / "amended.db"
    with open_store(f"sqlite:///{path}") as store:
        for name in AMENDED:
            store.add(parse_file(SERIES / f"{name}.txt"))
        refresh_lineage(store)
        yield store


def _series_schema() -> dict[str, object]:
    raw = (resources.files("resdiff.schemas") / "series.schema.json").read_text("utf-8")
    schema: dict[str, object] = json.loads(raw)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_amendments_are_not_versions_in_series_output(amended: Store) -> None:
    found = list_series(amended)
    listed = render_series_list(found, "text")
    assert "A/RES/79/157 → A/C.3/80/L.24 → A/RES/80/189" in listed
    assert "→ A/C.3/80/L.65" not in listed and "L.65 →" not in listed
    assert "amendments: A/C.3/80/L.65 (to A/C.3/80/L.24)" in listed
    hrc = find_series(amended, "A/C.3/80/L.65")  # an amendment's symbol names its series
    data = json.loads(render_series(hrc, "json"))
    jsonschema.validate(data, _series_schema(), format_checker=jsonschema.FormatChecker())
    assert [v["symbol"] for v in data["versions"]] == [
        "A/RES/78/186",
        "A/RES/79/157",
        "A/C.3/80/L.24",
        "A/RES/80/189",
    ]
    assert [(a["symbol"], a["amends"]) for a in data["amendments"]] == [
        ("A/C.3/80/L.65", "A/C.3/80/L.24")
    ]
    for s in json.loads(render_series_list(found, "json")):
        jsonschema.validate(s, _series_schema())
        assert all(v["kind"] != "amendment" for v in s["versions"])
    # Shown under its draft: the line after the draft's, in every format for people.
    text = render_series(hrc, "text").splitlines()
    at = next(n for n, line in enumerate(text) if "A/C.3/80/L.24" in line)
    assert text[0] == "Series: Report of the Human Rights Council"
    assert "4 versions" in text[1] and "↳ A/C.3/80/L.65" in text[at + 1]
    md = render_series(hrc, "md").splitlines()
    at = next(n for n, line in enumerate(md) if "A/C.3/80/L.24" in line)
    assert md[at].startswith("3. ") and md[at + 1].startswith("    - amendment **A/C.3/80/L.65**")
    html = render_series(hrc, "html")
    draft = html.index('data-key="A/C.3/80/L.24"')
    assert draft < html.index('class="amendment" data-key="A/C.3/80/L.65"')
    assert html.index('data-key="A/C.3/80/L.65"') < html.index('data-key="A/RES/80/189"')
    assert html.count('class="version"') == 4


def test_amendments_are_never_occurrences(amended: Store) -> None:
    h = history(amended, "Rome Statute")
    assert h.first is not None and h.first.key == "A/RES/78/205"
    assert [(e.key, e.label, e.status) for e in h.entries] == [
        ("A/RES/78/205", "PP28", "new"),
        ("A/C.3/80/L.50", "PP28", "kept"),
        ("A/RES/80/211", "PP28", "kept"),
    ]
    # The amendment's own words are found nowhere either: it holds instructions only.
    amendment_text = amended.get("A/C.3/80/L.58").units[0].text
    assert all(e.key != "A/C.3/80/L.58" for e in history(amended, amendment_text).entries)
    for run in (trace, blame):
        with pytest.raises(NotFoundError, match="amendment"):
            run(amended, "A/C.3/80/L.58", "OP1") if run is trace else run(amended, "A/C.3/80/L.58")


def test_every_unit_losing_the_phrase_gets_a_dropped_row(store: Store) -> None:
    # 2021 holds the phrase in PP15 and OP18(p); the 2022 draft keeps PP15 (as PP14) but
    # drops OP18(p).
    h = history(store, "COVID-19 vaccines", series="A/RES/78/218")
    rows = [(e.key, e.label, e.status, e.previous) for e in h.entries]
    assert rows[:2] == [
        ("A/RES/76/177", "PP15", "new", None),
        ("A/RES/76/177", "OP18(p)", "new", None),
    ]
    assert ("doc-6b39773eb46c861b", "PP14", "kept", "PP15") in rows
    dropped = [r for r in rows if r[2] == "dropped"]
    assert [(k, was) for k, _, _, was in dropped] == [("doc-6b39773eb46c861b", "OP18(p)")]
    text = render_history(h, "text")
    assert "dropped" in text and "(was OP18(p))" in text


def test_history_quotes_the_whole_sentence_not_a_clause_tail(store: Store) -> None:
    h = history(store, "sexual and gender-based", series="A/RES/76/177")
    e = next(e for e in h.entries if (e.key, e.label) == ("A/RES/76/177", "OP2(a)(i)"))
    assert e.sentence.startswith("Torture and other cruel, inhuman or degrading treatment")
    assert "all forms of sexual and gender-based violence" in e.sentence


def test_long_quotes_are_cut_at_word_boundaries_around_the_phrase() -> None:
    words = [f"word{n}" for n in range(400)]
    text = " ".join([*words[:200], "the needle phrase", *words[200:]]) + "."
    got = quote(text, "needle phrase")
    assert "the needle phrase" in got and len(got) <= QUOTE_CHARS + 4
    assert got.startswith("… word") and got.endswith("word") is False and got.endswith(" …")
    inner = got.removeprefix("… ").removesuffix(" …")
    assert inner in text and all(w in text.split() for w in inner.split())
    # Two sentences: only the one holding the phrase.
    assert quote("Recalls its resolutions. Urges all States; notes X.", "notes x") == (
        "Urges all States; notes X."
    )


def test_history_series_by_title_key_or_any_member(store: Store) -> None:
    title = "Situation of human rights in the Democratic People’s Republic of Korea"
    answers = [
        history(store, "songbun", series=ref)
        for ref in (title, "A/RES/72/188", "a/res/78/218", "doc-6b39773eb46c861b")
    ]
    assert all(a.entries == answers[0].entries and a.entries for a in answers)
    # Elsewhere in the store, not in the series asked: said so, not "in no stored version".
    h = history(store, "songbun", series="A/RES/79/171")
    assert h.first is None and h.series == "A/RES/78/198" and h.elsewhere == len(DPRK)
    text = " ".join(render_history(h, "text").split())
    assert "not in this series (The right to food)" in text and "no stored version" not in text
    nowhere = " ".join(
        render_history(history(store, "zqxj nowhere", series="A/RES/79/171"), "text").split()
    )
    assert "not in this series" in nowhere and "nor in any stored version" in nowhere


def test_history_also_in_a_second_paragraph(tmp_path: Path) -> None:
    base = ["Decides to remain seized of the matter;", "Requests a report on water;"]
    versions = [
        _synthetic(1, 90, [*base, "Calls for a moratorium on whaling;"]),
        _synthetic(
            2,
            91,
            [
                "Decides to remain seized of the matter and of a moratorium on whaling;",
                "Requests a report on water;",
                "Calls for a moratorium on whaling;",
            ],
        ),
    ]
    with open_store(f"sqlite:///{tmp_path / 'also.db'}") as s:
        for d in versions:
            s.add(d)
        refresh_lineage(s)
        h = history(s, "moratorium on whaling")
    assert [(e.key, e.label, e.status) for e in h.entries] == [
        ("A/RES/90/1", "OP3", "new"),
        ("A/RES/91/2", "OP1", "also in"),
        ("A/RES/91/2", "OP3", "kept"),
    ]
