"""Search agrees with a brute-force scan of the stored texts, for any query string (Hypothesis)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

import pytest
from conftest import SEED, SERIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle_key import oracle_key
from store_helpers import BACKENDS, fresh_url

from resdiff.ingest import parse_file
from resdiff.model import DocKind, Document
from resdiff.search import agreed, first_appearance, occurrences, sentence_of
from resdiff.store import Store, open_store
from resdiff.store.search import phrase_key
from resdiff.store.search_index import Rarity, forget_rarity

# Real documents, ingested in a shuffled order (not by date) so that "earliest" cannot
# come from insertion order by accident.
_PATHS = [SEED, *sorted(SERIES.iterdir())]
random.Random(20261128).shuffle(_PATHS)
_DOCS: list[Document] = [parse_file(p) for p in _PATHS]
_TEXTS: list[str] = [u.text for d in _DOCS for u in d.units]


def _sort_date(d: Document) -> date:
    m = d.metadata
    if m.kind is DocKind.RESOLUTION and m.adoption_date:
        return m.adoption_date
    return m.distribution_date or m.adoption_date or date.max


# What the store holds, read back once per store (the oracle reads the store, not _DOCS):
# (date, symbol, position), stored key, label, is a resolution, the unit's key.
_STORED: dict[str, list[tuple[tuple[date, str, int], str, str, bool, str]]] = {}


def brute_force(
    store: Store, phrase: str, *, resolutions_only: bool = False
) -> list[tuple[str, str]]:
    """The oracle: every stored unit whose text holds the phrase, earliest first (compared
    in the oracle's own normalisation, ``oracle_key``, never resdiff's search key)."""
    if store.url not in _STORED:
        rows = []
        for summary in store.list():
            d = store.get(summary.key)
            is_res = d.metadata.kind is DocKind.RESOLUTION
            for pos, u in enumerate(d.units):
                order = (_sort_date(d), d.metadata.symbol or summary.key, pos)
                rows.append((order, summary.key, u.label, is_res, oracle_key(u.text)))
        _STORED[store.url] = sorted(rows)
    needle = oracle_key(phrase)
    if not needle:
        return []
    return [
        (k, label)
        for _, k, label, is_res, unit_key in _STORED[store.url]
        if needle in unit_key and (is_res or not resolutions_only)
    ]


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    with fresh_url(request.param, tmp_path_factory.mktemp("search")) as url, open_store(url) as s:
        for d in _DOCS:
            s.add(d)
        yield s


@st.composite
def real_phrases(draw: st.DrawFn) -> str:
    """A substring of a real unit, perhaps re-typed: other case, quotes, dashes, spacing."""
    text = draw(st.sampled_from(_TEXTS))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    length = draw(st.integers(1, 60))
    phrase = text[start : start + length]
    if draw(st.booleans()):
        phrase = phrase.upper()
    if draw(st.booleans()):
        phrase = (
            phrase.replace("’", "'").replace("-", "\u2011").replace(" ", " \n ").replace("”", '"')
        )
    if draw(st.booleans()) and phrase[-3:].isalpha():
        # Pasted from a PDF with the footnote number glued on ("Refugees16").
        phrase += str(draw(st.integers(1, 199)))
    return phrase


_OPERATORS = st.sampled_from(
    [
        '"',
        "'",
        "-",
        "*",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "NEAR(",
        "(",
        ")",
        "^",
        ":",
        "%",
        "_",
        "\\",
        "{",
        "}",
        "+",
        " ",
        "人权",
        "Право",
        "حقوق",
    ]
)
_ANY = st.one_of(
    st.text(max_size=3),
    st.text(max_size=20),
    st.lists(st.one_of(_OPERATORS, st.text(max_size=4)), max_size=6).map("".join),
    st.lists(st.one_of(_OPERATORS, real_phrases()), max_size=3).map(" ".join),
)

_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(phrase=st.one_of(real_phrases(), _ANY))
def test_occurrences_equal_brute_force(store: Store, phrase: str) -> None:
    expected = brute_force(store, phrase)
    got = [(o.key, o.label) for o in occurrences(store, phrase)]
    assert got == expected
    # The index's own answer (its first-hit path), as substrings like the brute force...
    first = first_appearance(store, phrase, whole_words=False)
    assert ((first.key, first.label) if first else None) == (expected[0] if expected else None)
    # ... and as whole words, the first of the occurrences that stand whole.
    whole = [(o.key, o.label) for o in occurrences(store, phrase, whole_words=True)]
    first = first_appearance(store, phrase)
    assert ((first.key, first.label) if first else None) == (whole[0] if whole else None)


@_SETTINGS
@given(phrase=real_phrases())
def test_adopted_only_and_agreed_equal_brute_force(store: Store, phrase: str) -> None:
    expected = brute_force(store, phrase, resolutions_only=True)
    got = agreed(store, phrase, whole_words=False).occurrences
    assert [(o.key, o.label) for o in got] == expected
    first = first_appearance(store, phrase, adopted_only=True, whole_words=False)
    assert ((first.key, first.label) if first else None) == (expected[0] if expected else None)


def test_real_phrases_are_found_where_they_were_taken_from(store: Store) -> None:
    # A whole paragraph is its own first appearance or appeared earlier: never missing.
    rng = random.Random(7)
    for d in rng.sample(_DOCS, 10):
        unit = rng.choice(d.units)
        got = {(o.key, o.label) for o in occurrences(store, unit.text)}
        assert any(label == unit.label for _, label in got), (d.key, unit.label)


@_SETTINGS
@given(phrase=real_phrases(), adopted=st.booleans())
def test_first_appearance_past_the_postgresql_probe(
    store: Store, phrase: str, adopted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PostgreSQL scans the earliest rows before asking the GIN index: with a tiny probe,
    # most answers come from the index branch, and must not change.
    monkeypatch.setattr("resdiff.store.search._PROBE_ROWS", 40)
    expected = brute_force(store, phrase, resolutions_only=adopted)
    first = first_appearance(store, phrase, adopted_only=adopted, whole_words=False)
    assert ((first.key, first.label) if first else None) == (expected[0] if expected else None)


@settings(max_examples=200, deadline=None)
@given(text=st.sampled_from(_TEXTS), data=st.data())
def test_sentence_fast_path_equals_rekeying_each_sentence(text: str, data: st.DataObject) -> None:
    norm = phrase_key(text)
    start = data.draw(st.integers(0, max(0, len(norm) - 1)))
    needle = norm[start : start + data.draw(st.integers(1, 40))].strip()
    assert sentence_of(text, needle, norm) == sentence_of(text, needle)
    if needle:
        assert needle in phrase_key(sentence_of(text, needle, norm))


@pytest.fixture
def forced_rare(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The store with a one-row trigram sample: most needles then look "rare", so the
    index is asked for a few trigrams only (PostgreSQL: no probe of the earliest rows)."""
    monkeypatch.setattr("resdiff.store.search_index._SAMPLE_POINTS", 1)
    monkeypatch.setattr("resdiff.store.search_index._SAMPLE_PER_POINT", 1)
    monkeypatch.setattr("resdiff.store.search._PROBE_ROWS", 40)
    forget_rarity(store._engine)
    yield store
    forget_rarity(store._engine)  # the next test samples again, at full size


@_SETTINGS
@given(phrase=real_phrases(), adopted=st.booleans())
def test_first_appearance_by_the_rarest_trigrams_alone(
    forced_rare: Store, phrase: str, adopted: bool
) -> None:
    # Which trigrams are asked depends on a sample of the store; the answer must not.
    expected = brute_force(forced_rare, phrase, resolutions_only=adopted)
    first = first_appearance(forced_rare, phrase, adopted_only=adopted, whole_words=False)
    assert ((first.key, first.label) if first else None) == (expected[0] if expected else None)
    assert [(o.key, o.label) for o in occurrences(forced_rare, phrase)] == brute_force(
        forced_rare, phrase
    )


def test_rarest_trigrams_prefer_what_the_sample_lacks() -> None:
    sample = Rarity({"the": 9, "he ": 9, "e q": 1, " qu": 2}, {"t": 5, "h": 5, "q": 1}, 10)
    assert sample.rarest("the qu", 2) == ["e q", " qu"]
    # Unseen trigrams come first, fewer common characters breaking the tie.
    assert sample.rarest("the quz", 3) == ["quz", "e q", " qu"]
    assert sample.rarest("the quz", 9, str.isalnum) == ["quz", "the"]
    assert sample.rarest("ab", 3) == []
