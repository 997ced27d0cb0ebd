"""Phrase search on SQLite and PostgreSQL: tolerant matching, literal queries, ordering, index upkeep."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from store_helpers import BACKENDS, fresh_pg_url, fresh_url

from resdiff.errors import UsageError
from resdiff.history import history
from resdiff.model import DocKind, Document, Metadata, Unit, UnitKind
from resdiff.search import (
    agreed,
    agreed_many,
    first_appearance,
    occurrences,
    optimize_index,
    stands_whole,
    whole_words,
)
from resdiff.store import Store, head_revision, open_store, upgrade
from resdiff.store.engine import alembic_config, make_engine, write_connection
from resdiff.store.search_index import TRGM_INDEX, pg_trigram_key, pg_trigram_text


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_url(request.param, tmp_path) as u:
        yield u


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with open_store(url) as s:
        yield s


def doc(
    symbol: str,
    texts: list[str],
    *,
    adopted: date | None = None,
    distributed: date | None = None,
    kind: DocKind = DocKind.RESOLUTION,
) -> Document:
    units = tuple(
        Unit(f"OP{i}", UnitKind.OPERATIVE, t, "Urges") for i, t in enumerate(texts, start=1)
    )
    return Document(
        metadata=Metadata(
            symbol=symbol, kind=kind, adoption_date=adopted, distribution_date=distributed
        ),
        units=units,
    )


def refs(found: list[object]) -> list[tuple[str, str]]:
    return [(o.key, o.label) for o in found]  # type: ignore[attr-defined]


def test_matching_tolerates_typography(store: Store) -> None:
    store.add(
        doc(
            "A/RES/1/1",
            [
                "Urges the State to end the “so-called” guilt\u2011by\u2011association "
                "system\u00a0and soft\u00adhyphens,\nacross   lines;",
                "Unrelated text.",
            ],
            adopted=date(2020, 1, 1),
        )
    )
    for phrase in (
        '"SO-CALLED" GUILT-BY-ASSOCIATION',
        "guilt-by-association system and softhyphens, across lines",
        "  so-called”  guilt",
        "Urges the state",
    ):
        assert refs(occurrences(store, phrase)) == [("A/RES/1/1", "OP1")], phrase
    assert occurrences(store, "guilt by association") == []


def test_footnote_markers_glued_to_words_are_ignored(store: Store) -> None:
    # As parsed from A/RES/73/180 OP2(a)(iv): two markers the parser left in the text.
    store.add(
        doc(
            "A/RES/73/180",
            ["the Status of Refugees15 and the 1967 Protocol thereto16 in"],
            adopted=date(2018, 12, 17),
        )
    )
    store.add(
        doc("A/RES/9/1", ["G77 and H5N1 and A/RES/72/188, COVID-19"], adopted=date(2019, 1, 1))
    )
    assert refs(occurrences(store, "Status of Refugees and the 1967 Protocol thereto in")) == [
        ("A/RES/73/180", "OP1")
    ]
    assert refs(occurrences(store, "refugees¹ and")) == [("A/RES/73/180", "OP1")]
    for kept in ("G77 and H5N1", "A/RES/72/188", "COVID-19"):
        assert refs(occurrences(store, kept)) == [("A/RES/9/1", "OP1")], kept
    assert occurrences(store, "G7 and") == []


def test_query_syntax_is_literal_text(store: Store) -> None:
    texts = [
        'see "NEAR(a b)" and x AND y OR z - not* (both)',
        "100%_done\\ here",
        "100 percent done",
        "axxb a_b",
        "人权理事会的报告",
    ]
    store.add(doc("A/RES/2/1", texts, adopted=date(2020, 1, 1)))
    expectations = {
        'NEAR(a b)"': ["OP1"],
        '"NEAR(a b)" and x AND y': ["OP1"],
        "not* (both)": ["OP1"],
        "- not*": ["OP1"],
        "AND": ["OP1"],
        "OR": [f"OP{i}" for i, t in enumerate(texts, 1) if "or" in t.lower()],
        "%_d": ["OP2"],
        "100%": ["OP2"],
        "a%b": [],  # % is not a wildcard
        "a_b": ["OP4"],  # _ is not a wildcard either: "axxb" must not match
        "x_b": [],
        "\\": ["OP2"],
        "e\\ h": ["OP2"],
        "人权": ["OP5"],
        "人权理事会": ["OP5"],
        "报": ["OP5"],
        '"': ["OP1"],
        '""': [],
        "(": ["OP1"],
        ")": ["OP1"],
        "*": ["OP1"],
        "xx": ["OP4"],
        "zz": [],
        "": [],
        "   ": [],
        "\x00": [],
        "\ud800 surrogate": [],
    }
    for phrase, labels in expectations.items():
        found = occurrences(store, phrase)
        assert [o.label for o in found] == labels, phrase
        first = first_appearance(store, phrase, whole_words=False)
        assert (first.label if first else None) == (labels[0] if labels else None), phrase


def test_first_appearance_follows_dates_not_ingest_order(store: Store) -> None:
    phrase = "prisoners of war"
    store.add(doc("A/RES/76/177", [f"Notes {phrase} cases."], adopted=date(2021, 12, 16)))
    store.add(
        doc(
            "A/C.3/77/L.1",
            [f"Draft on {phrase}."],
            distributed=date(2022, 11, 1),
            kind=DocKind.DRAFT,
        )
    )
    store.add(
        doc(
            "A/RES/72/188",
            ["Nothing here.", f"About {phrase}."],
            adopted=date(2017, 12, 19),
            distributed=date(2018, 1, 19),
        )
    )
    store.add(doc("A/RES/99/9", [f"Undated {phrase}."]))
    first = first_appearance(store, "Prisoners  of War")
    assert first is not None
    assert (first.key, first.label, first.date) == ("A/RES/72/188", "OP2", date(2017, 12, 19))
    assert first.sentence == f"About {phrase}."
    assert first.kind is DocKind.RESOLUTION
    assert [o.key for o in occurrences(store, phrase)] == [
        "A/RES/72/188",
        "A/RES/76/177",
        "A/C.3/77/L.1",
        "A/RES/99/9",  # no date: last
    ]


def test_same_day_ties_go_by_symbol_then_position(store: Store) -> None:
    day = date(2023, 12, 19)
    store.add(doc("A/RES/78/9", ["food security", "food security again"], adopted=day))
    store.add(doc("A/RES/78/10", ["right to food security"], adopted=day))
    store.add(doc("A/RES/78/1", ["x", "food security too"], adopted=day))
    found = occurrences(store, "food security")
    assert refs(found) == [
        ("A/RES/78/1", "OP2"),
        ("A/RES/78/10", "OP1"),
        ("A/RES/78/9", "OP1"),
        ("A/RES/78/9", "OP2"),
    ]
    first = first_appearance(store, "food security")
    assert first is not None and (first.key, first.label) == ("A/RES/78/1", "OP2")


def test_agreed_many_answers_each_wording_as_agreed_does(store: Store) -> None:
    store.add(doc("A/C.3/70/L.1", ["Calls for safe access."], kind=DocKind.DRAFT))
    store.add(doc("A/RES/71/1", ["Demands safe access now."], adopted=date(2016, 12, 19)))
    store.add(doc("A/RES/75/1", ["Demands safe accessibility."], adopted=date(2020, 12, 16)))
    wordings = ["safe access", "Calls for", "", "demands SAFE", "safe access now"]
    for whole in (False, True):
        many = agreed_many(store, wordings, whole_words=whole)
        assert many == {w: agreed(store, w, whole_words=whole) for w in wordings}
        # Without sentences: the same places, the quotes left out.
        bare = agreed_many(store, wordings, whole_words=whole, sentences=False)
        assert bare == {
            w: dataclasses.replace(
                a,
                occurrences=tuple(dataclasses.replace(o, sentence="") for o in a.occurrences),
            )
            for w, a in many.items()
        }
    found = agreed_many(store, wordings, whole_words=True)
    assert [found[w].resolutions for w in wordings] == [
        ("A/RES/71/1",),
        (),
        (),
        ("A/RES/71/1", "A/RES/75/1"),
        ("A/RES/71/1",),
    ]
    assert agreed_many(store, []) == {}


def test_many_look_ups_answer_as_one_at_a_time(store: Store) -> None:
    # Enough wordings for PostgreSQL to share them between two connections.
    store.add(doc("A/C.3/70/L.1", ["Calls for safe access."], kind=DocKind.DRAFT))
    texts = [f"Demands safe access to region {n} and to the {n}th convoy." for n in range(12)]
    store.add(doc("A/RES/71/1", texts[:6], adopted=date(2016, 12, 19)))
    store.add(doc("A/RES/75/1", texts[6:], adopted=date(2020, 12, 16)))
    wordings = [f"region {n}" for n in range(12)] + [
        "safe access",
        "Calls for",
        "region 3",
        "",
        "x",
    ]
    from resdiff.store.search import _TWO_CONNECTIONS_FROM

    assert len(set(wordings)) >= 2 * _TWO_CONNECTIONS_FROM
    many = agreed_many(store, wordings, whole_words=True)
    assert list(many) == list(dict.fromkeys(wordings))
    assert many == {w: agreed(store, w, whole_words=True) for w in wordings}
    assert many["region 1"].resolutions == ("A/RES/71/1",)  # not "region 10"
    assert many["region 11"].resolutions == ("A/RES/75/1",)


def test_a_failed_look_up_on_the_second_connection_is_raised(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import resdiff.store.search as index

    store.add(doc("A/RES/71/1", ["Demands safe access now."], adopted=date(2016, 12, 19)))
    plain = index.find_hits

    def failing(conn: object, needle: str, filters: index.Filters) -> list[index.Hit]:
        if needle == "wording 9":  # the second half's: odd places
            raise UsageError("look-up failed")
        return plain(conn, needle, filters)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "find_hits", failing)
    with pytest.raises(UsageError, match="look-up failed"):
        agreed_many(store, [f"wording {n}" for n in range(2 * index._TWO_CONNECTIONS_FROM)])


def test_agreed_language_stands_as_whole_words(store: Store) -> None:
    # "it, and calls upon" ends "mutual benefit, and calls upon": not agreed language,
    # as the review (which asks the same question) already said.
    store.add(
        doc(
            "A/RES/79/317",
            ["Recognizing its role for mutual benefit, and calls upon all Member States,"],
            adopted=date(2025, 7, 7),
        )
    )
    assert not agreed(store, "it, and calls upon").found
    assert agreed(store, "it, and calls upon", whole_words=False).found
    assert agreed(store, "benefit, and calls upon").found
    assert agreed_many(store, ["it, and calls upon"])["it, and calls upon"].occurrences == ()


def test_a_first_appearance_stands_as_whole_words(store: Store) -> None:
    # history and first_appearance answer as agreed does: the phrase does not first
    # appear where a resolution says "mutual benefit, and calls upon".
    store.add(
        doc(
            "A/RES/79/317",
            ["Recognizing its role for mutual benefit, and calls upon all Member States,"],
            adopted=date(2025, 7, 7),
        )
    )
    store.add(
        doc(
            "A/RES/80/201",
            ["Welcomes the Convention and those who ratified it, and calls upon States,"],
            adopted=date(2025, 12, 18),
        )
    )
    phrase = "it, and calls upon"
    first = first_appearance(store, phrase)
    assert first is not None and first.key == "A/RES/80/201"
    inside = first_appearance(store, phrase, whole_words=False)
    assert inside is not None and inside.key == "A/RES/79/317"
    h = history(store, phrase)
    assert h.first is not None and h.first.key == "A/RES/80/201"
    assert [e.key for e in h.entries] == ["A/RES/80/201"]
    loose = history(store, phrase, whole_words=False).first
    assert loose is not None and loose.key == "A/RES/79/317"
    # A script written without spaces has no word boundaries: found wherever it stands.
    store.add(doc("A/RES/80/300", ["注意到联合国人权理事会报告。"], adopted=date(2026, 1, 5)))
    council = first_appearance(store, "人权理事会")
    assert council is not None and council.key == "A/RES/80/300"
    assert agreed(store, "人权理事会").found


def test_agreed_and_adopted_only_skip_drafts(store: Store) -> None:
    wording = "full, safe and unhindered access"
    store.add(
        doc(
            "A/C.3/70/L.1",
            [f"Calls for {wording}."],
            distributed=date(2015, 10, 1),
            kind=DocKind.DRAFT,
        )
    )
    store.add(doc("A/RES/71/1", [f"Demands {wording} now."], adopted=date(2016, 12, 19)))
    store.add(doc("A/RES/75/1", ["Other.", f"Demands {wording} now."], adopted=date(2020, 12, 16)))
    answer = agreed(store, wording.upper())
    assert answer.found and answer.resolutions == ("A/RES/71/1", "A/RES/75/1")
    assert answer.earliest is not None and answer.earliest.key == "A/RES/71/1"
    assert answer.latest is not None and answer.latest.label == "OP2"
    whole = agreed(store, f"Demands {wording}\nnow.")  # a whole paragraph, from Python
    assert whole.resolutions == ("A/RES/71/1", "A/RES/75/1")
    assert not agreed(store, "unhindered access for all").found
    plain = first_appearance(store, wording)
    adopted = first_appearance(store, wording, adopted_only=True)
    assert plain is not None and plain.key == "A/C.3/70/L.1"
    assert adopted is not None and adopted.key == "A/RES/71/1"


def test_sentence_is_the_one_holding_the_phrase(store: Store) -> None:
    store.add(
        doc(
            "A/RES/3/1",
            ["Decides to continue; requests a report on songbun. Also decides to act."],
            adopted=date(2020, 1, 1),
        )
    )
    (hit,) = occurrences(store, "SONGBUN")
    assert hit.sentence == "requests a report on songbun."
    (across,) = occurrences(store, "on songbun. also")
    assert across.sentence == across.unit_text


def test_fuzzy_finds_near_variants_with_their_similarity(store: Store) -> None:
    store.add(
        doc("A/RES/4/1", ["Ends cruel, inhuman or degrading treatment."], adopted=date(2019, 1, 1))
    )
    store.add(
        doc(
            "A/RES/4/2", ["Ends cruel, inhumane and degrading treatment."], adopted=date(2020, 1, 1)
        )
    )
    store.add(doc("A/RES/4/3", ["Something else entirely."], adopted=date(2021, 1, 1)))
    assert [o.key for o in occurrences(store, "inhumane treatment")] == []
    exact = occurrences(store, "inhumane")
    assert [o.key for o in exact] == ["A/RES/4/2"]
    near = occurrences(store, "inhumane", fuzzy=0.85)
    assert [o.key for o in near] == ["A/RES/4/1", "A/RES/4/2"]
    assert 0.85 <= near[0].similarity < 1.0 and near[1].similarity == 1.0
    assert "inhuman" in near[0].sentence
    for bad in (0.0, 1.5, float("nan"), -1.0):
        with pytest.raises(UsageError, match="fuzzy"):
            occurrences(store, "inhumane", fuzzy=bad)
    assert occurrences(store, "", fuzzy=0.9) == []


def test_series_filter(store: Store, url: str) -> None:
    store.add(doc("A/RES/1/1", ["right to food"], adopted=date(2019, 1, 1)))
    store.add(doc("A/RES/2/1", ["right to food"], adopted=date(2018, 1, 1)))
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO series (id, key, title) VALUES (1, 'A/RES/1/1', 'Food')"))
        conn.execute(
            text(
                "INSERT INTO series_members (document_id, series_id, position) "
                "SELECT id, 1, 0 FROM documents WHERE key = 'A/RES/1/1'"
            )
        )
    engine.dispose()
    assert [o.key for o in occurrences(store, "right to food")] == ["A/RES/2/1", "A/RES/1/1"]
    assert [o.key for o in occurrences(store, "right to food", series="food")] == ["A/RES/1/1"]
    first = first_appearance(store, "right to food", series="A/RES/1/1")
    assert first is not None and first.key == "A/RES/1/1"
    assert occurrences(store, "right to food", series="no such series") == []


def test_deleting_a_document_removes_it_from_the_index(store: Store, url: str) -> None:
    store.add(doc("A/RES/5/1", ["gone soon"], adopted=date(2020, 1, 1)))
    store.add(doc("A/RES/5/2", ["gone soon too"], adopted=date(2021, 1, 1)))
    engine = make_engine(url)  # resdiff's engine: foreign keys on, so deletes cascade
    with write_connection(engine) as conn:
        conn.execute(text("DELETE FROM documents WHERE key = 'A/RES/5/1'"))
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')"))
        count = conn.execute(text("SELECT count(*) FROM search_units")).scalar()
    engine.dispose()
    assert count == 1
    assert [o.key for o in occurrences(store, "gone soon")] == ["A/RES/5/2"]
    assert store.integrity_check() == "ok"


def test_upgrade_indexes_documents_stored_before_the_index(url: str) -> None:
    engine = make_engine(url)
    from alembic import command

    with write_connection(engine) as conn:
        command.upgrade(alembic_config(url, conn), "0003")
    old = Store(engine, url)  # the 0003 schema has no index: stored, not indexed
    old.add(doc("A/RES/6/2", ["legacy phrase here"], adopted=date(2021, 1, 1)))
    old.add(doc("A/RES/6/1", ["the legacy phrase"], adopted=date(2020, 1, 1)))
    old.close()
    assert upgrade(url) == ("0003", head_revision())
    with open_store(url) as store:
        assert [o.key for o in occurrences(store, "legacy phrase")] == ["A/RES/6/1", "A/RES/6/2"]
        store.add(doc("A/RES/6/0", ["legacy phrase, earlier"], adopted=date(2019, 1, 1)))
        first = first_appearance(store, "legacy phrase")
        assert first is not None and first.key == "A/RES/6/0"


def test_re_adding_the_same_document_indexes_nothing_twice(store: Store) -> None:
    d = doc("A/RES/7/1", ["only once"], adopted=date(2020, 1, 1))
    assert store.add(d).stored
    assert not store.add(d).stored
    assert len(occurrences(store, "only once")) == 1


@pytest.mark.postgres
def test_optimize_index_gives_the_planner_the_size_of_every_table() -> None:
    # Without statistics on documents the planner took "kind = 'resolution'" for one row
    # and scanned each document's units instead of the trigram index: on the corpus every
    # agreed-language search of a review took 0.65 s instead of 0.04 s.
    from resdiff.store.tables import METADATA

    with fresh_pg_url() as url:
        with open_store(url) as store:
            for i in range(3):
                store.add(doc(f"A/RES/70/{i}", [f"Text {i} of the resolution"]))
            optimize_index(store)
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                # reltuples is -1 until a table is first analysed (or vacuumed).
                sizes = dict(
                    conn.execute(
                        text("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
                    ).all()
                )
                # Vacuumed too: every page all-visible, so index-only scans skip the heap.
                hidden = conn.execute(
                    text(
                        "SELECT relname FROM pg_class WHERE relname IN "
                        "('documents', 'units', 'search_units') AND relallvisible < relpages"
                    )
                ).all()
        finally:
            engine.dispose()
    assert {t.name: sizes[t.name] for t in METADATA.sorted_tables if sizes[t.name] < 0} == {}
    assert sizes["documents"] == 3
    assert hidden == []


def test_optimize_index_keeps_answers(store: Store) -> None:
    for i in range(1, 6):
        store.add(doc(f"A/RES/8/{i}", [f"merged segment {i}"], adopted=date(2020, 1, i)))
    before = refs(occurrences(store, "merged segment"))
    optimize_index(store)
    assert refs(occurrences(store, "merged segment")) == before and len(before) == 5
    store.add(doc("A/RES/8/0", ["merged segment 0"], adopted=date(2019, 1, 1)))
    first = first_appearance(store, "merged segment")
    assert first is not None and first.key == "A/RES/8/0"
    assert store.integrity_check() == "ok"


@pytest.mark.postgres
def test_postgresql_index_maps_keys_as_the_query_does(tmp_path: Path) -> None:
    # The GIN index is on an expression of ``norm``; the query maps the needle in Python.
    # If the two mappings drifted apart, the index would silently miss rows.
    with fresh_url("postgres", tmp_path) as url, open_store(url) as store:
        store.add(doc("A/RES/9/1", ["for effective and timely action"], adopted=date(2020, 1, 1)))
        engine = create_engine(url)
        with engine.connect() as conn:
            for sample in ["for effective and", "  two  spaces ", "人权 理事会", "q q", "a-b, c"]:
                mapped = conn.execute(text(f"SELECT {pg_trigram_text(':s')}"), {"s": sample})
                assert mapped.scalar() == pg_trigram_key(sample), sample
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.execute(
                text(
                    f"EXPLAIN SELECT id FROM search_units s "
                    f"WHERE {pg_trigram_text('s.norm')} LIKE :p"
                ),
                {"p": "%" + pg_trigram_key("effective and") + "%"},
            ).scalars()
            assert any(TRGM_INDEX in line for line in plan)
            hits = conn.execute(
                text(
                    f"SELECT count(*) FROM search_units s WHERE {pg_trigram_text('s.norm')} LIKE :p"
                ),
                {"p": "%" + pg_trigram_key("effective and") + "%"},
            ).scalar()
        engine.dispose()
        assert hits == 1
        assert first_appearance(store, "effective and") is not None


def test_a_one_megabyte_paragraph_does_not_weigh_on_other_searches(store: Store) -> None:
    # The trigram sample reads a bounded prefix of each key: with a 1 MB paragraph
    # stored, an ordinary phrase gets the same answer, from a sample of bounded size.
    from resdiff.store.search_index import SAMPLE_CHARS, forget_rarity, rarity

    for n in range(1, 30):
        store.add(doc(f"A/RES/70/{n}", [f"Urges States to ratify the Convention number {n}"]))
    words = "reaffirms the importance of international cooperation in every region "
    huge = doc("A/RES/70/99", [words * (1_000_000 // len(words))], adopted=date(2015, 6, 1))
    answers = []
    for extra in ([], [huge]):
        for d in extra:
            store.add(d)
        forget_rarity(store._engine)
        with store._engine.connect() as conn:
            sample = rarity(conn)
        assert 0 < sum(sample.chars.values()) <= sample.rows * SAMPLE_CHARS
        answer = agreed(store, "ratify the Convention number 1", whole_words=False)
        answers.append(refs(list(answer.occurrences)))
    assert answers[0] == answers[1] and len(answers[0]) == 11


def test_index_is_merged_only_when_it_has_many_segments(tmp_path: Path) -> None:
    # A merge rewrites the whole index: after a few documents it is left as it is,
    # after many it is merged into one segment; answers are the same either way.
    from resdiff.store.search_index import MERGE_ABOVE, fts_segments

    def segments(store: Store) -> int | None:
        with store._engine.connect() as conn:
            return fts_segments(conn)

    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        for n in range(MERGE_ABOVE + 4):
            store.add(doc(f"A/RES/9/{n}", [f"Calls upon Member States, number {n}"]))
        assert (segments(store) or 0) > MERGE_ABOVE
        optimize_index(store)
        assert segments(store) == 1
        for n in range(2):
            store.add(doc(f"A/RES/10/{n}", [f"Calls upon Member States, number {n}"]))
        optimize_index(store)
        assert segments(store) == 3
        found = {o.key for o in occurrences(store, "calls upon member states, number 1")}
        assert found == {"A/RES/9/1", "A/RES/9/10", "A/RES/9/11", "A/RES/10/1"}


# Letters, digits of two scripts, the joiners the number rules look at, a superscript (a
# digit to str.isdigit, not a decimal to \d) and ideographs (a script without spaces).
_KEY_CHARS = st.sampled_from(list("ab7 ./,_-é٣²人报"))


@settings(max_examples=1500, deadline=None)
@given(
    st.text(_KEY_CHARS, max_size=4),
    st.text(_KEY_CHARS, max_size=5),
    st.text(_KEY_CHARS, max_size=4),
    st.text(_KEY_CHARS, max_size=6),
)
def test_stands_whole_is_the_whole_words_rule(
    before: str, needle: str, after: str, again: str
) -> None:
    # The needle is planted (once, or twice with ``again`` between) so that it occurs.
    for norm in (before + needle + after, before + needle + again + needle + after, again):
        assert stands_whole(norm, needle) == bool(whole_words(needle).search(norm)), norm


@pytest.mark.parametrize(
    ("norm", "needle", "whole"),
    [
        ("the fulfilment of their", "the fulfilment of the", False),
        ("2.33 billion", "population, or 2.3", False),
        ("population, or 2.3 billion", "population, or 2.3", True),
        ("resolution 76/245 of", "resolution 76", False),
        ("a/res/79/7 and 79/7", "79/7", True),
        ("a/res/79/7", "79/7", False),
        ("3,5 and 5", "5", True),
        ("²,5", "5", True),  # a superscript is no decimal digit: 5 stands alone
        ("٣,5", "5", False),  # an Arabic-Indic three is one
    ],
)
def test_stands_whole_examples(norm: str, needle: str, whole: bool) -> None:
    assert stands_whole(norm, needle) is whole
