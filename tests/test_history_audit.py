"""Audit of phrase histories on the whole corpus store: for 300 phrases sampled from real
units, ``history`` (first appearance, every occurrence, every status) equals a brute-force
scan of the stored unit texts and the stored alignments, the phrase standing as whole words.

The oracle reads only stored data (documents, series members, alignment pairs) and
compares texts in its own normalisation (``oracle_key``), so neither the search index,
the search key nor the history code is trusted by it.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from conftest import SERIES
from oracle_key import oracle_key

from resdiff.history import history
from resdiff.store import Store, open_store
from resdiff.store.lineage import LineageStore

# Both tests read the corpus once (module fixtures): on one worker.
pytestmark = pytest.mark.xdist_group("history_audit")

PHRASES = 300
SEED = 20261203
# One history holding tens of thousands of units ("the") takes seconds; the sample keeps
# phrases found at most this many times in the stored texts, drawing again otherwise
# (mostly one-word draws of the commonest words), so the audit stays a few minutes.
MAX_FOUND = 3000


@dataclass(frozen=True, slots=True)
class _Doc:
    key: str
    symbol: str | None
    kind: str
    order: tuple[date, str]
    units: tuple[tuple[str, str, str], ...]  # label, text, oracle key
    footnoted: tuple[tuple[str, int], ...]  # (label, footnote number) of cited footnotes
    keys: str  # the units' oracle keys joined: a needle not in it is in none of them


@dataclass(frozen=True, slots=True)
class _Corpus:
    docs: dict[str, _Doc]
    chains: tuple[tuple[str, ...], ...]  # full-text versions of each series, in order
    # (old key, new key) -> (old label -> new labels, new label -> old labels)
    pairs: dict[tuple[str, str], tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]]
    position: dict[tuple[str, str], int]  # (key, label) -> place in the document


def _read(store: Store) -> _Corpus:
    docs: dict[str, _Doc] = {}
    keyed: dict[str, str] = {}  # text -> oracle key: most units stand unchanged in several versions
    for summary in store.list():
        d = store.get(summary.key)
        m = d.metadata
        when = (
            m.adoption_date
            if m.kind.value == "resolution" and m.adoption_date
            else m.distribution_date or m.adoption_date
        )
        for u in d.units:
            if u.text not in keyed:
                keyed[u.text] = oracle_key(u.text)
        units = tuple((u.label, u.text, keyed[u.text]) for u in d.units)
        docs[summary.key] = _Doc(
            summary.key,
            m.symbol,
            m.kind.value,
            (when or date.max, m.symbol or summary.key),
            units,
            tuple((u.label, n) for u in d.units for n in u.footnotes),
            "\x00".join(k for _l, _t, k in units),
        )
    ls = LineageStore(store)
    chains = tuple(
        tuple(m.key for m in s.members if docs[m.key].kind != "amendment") for s in ls.series()
    )
    pairs = {}
    for chain in chains:
        for old, new in itertools.pairwise(chain):
            stored = ls.alignment(old, new, spans=False)
            assert stored is not None, (old, new)
            forward: dict[str, tuple[str, ...]] = {}
            backward: dict[str, tuple[str, ...]] = {}
            for p in stored[1]:
                for label in p.old:
                    forward[label] = p.new
                for label in p.new:
                    backward[label] = p.old
            pairs[(old, new)] = (forward, backward)
    position = {(d.key, u[0]): n for d in docs.values() for n, u in enumerate(d.units)}
    return _Corpus(docs, chains, pairs, position)


Row = tuple[str, str | None, str, str | None]  # key, label, status, previous label


def _word(ch: str) -> bool:
    # A letter, digit or underscore of a script that separates its words with spaces (not
    # Han or kana, where any place is a word boundary).
    cp = ord(ch)
    unspaced = 0x3040 <= cp <= 0x30FF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF
    unspaced = unspaced or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x2FA1F
    return (ch.isalnum() or ch == "_") and not unspaced


def _stands(needle: str, k: str) -> bool:
    """Whether ``needle`` stands in ``k`` as whole words somewhere, as the README promises
    for a phrase's history: not inside a word ("it, and calls upon" is not in "mutual
    benefit, and calls upon"), nor a number inside a longer number or symbol ("76" is
    not in "76/245" or "2.76")."""
    start = k.find(needle)
    while start >= 0:
        end = start + len(needle)
        before, after = k[max(0, start - 2) : start], k[end : end + 2]
        ok = not (_word(needle[0]) and before[-1:] and _word(before[-1]))
        ok = ok and not (_word(needle[-1]) and after[:1] and _word(after[0]))
        if needle[0].isdigit() and len(before) == 2:
            ok = ok and not (before[0].isdigit() and before[1] in ".,")
            ok = ok and not (_word(before[0]) and before[1] == "/")
        if needle[-1].isdigit() and len(after) == 2:
            ok = ok and not (after[0] in ".," and after[1].isdigit())
            ok = ok and not (after[0] == "/" and _word(after[1]))
        if ok:
            return True
        start = k.find(needle, start + 1)
    return False


def brute_force(c: _Corpus, phrase: str) -> tuple[tuple[str, str] | None, list[Row]]:
    """First appearance (key, label) and every history row, from the stored data alone.

    The statuses as the README and ``resdiff/schemas/history.schema.json`` define them:
    a unit holding the phrase is "kept" when the unit it comes from (stored alignment)
    held it, else "new" in the first version of its series holding it, "reintroduced"
    when the previous version held it nowhere, "also in" otherwise; every unit holding it
    whose successor does not gives a "dropped" row in the next version.
    """
    needle = oracle_key(phrase)
    holding: dict[str, list[str]] = {}
    for d in c.docs.values():
        if d.kind == "amendment" or not (needle and needle in d.keys):
            continue
        labels = [label for label, _text, k in d.units if needle in k and _stands(needle, k)]
        if labels:
            holding[d.key] = labels
    if not holding:
        return None, []

    def order(key: str, label: str) -> tuple[date, str, int]:
        return (*c.docs[key].order, c.position[(key, label)])

    first = min(
        ((k, label) for k, labels in holding.items() for label in labels), key=lambda x: order(*x)
    )
    series_rows: list[tuple[tuple[date, str, int], list[Row]]] = []
    for chain in c.chains:
        held = [(k, label) for k in chain for label in holding.get(k, [])]
        if not held:
            continue
        rows: list[Row] = []
        seen = False
        prev: list[str] = []
        for j, key in enumerate(chain):
            here = holding.get(key, [])
            forward, backward = c.pairs[(chain[j - 1], key)] if j else ({}, {})
            for label in here:
                came = [x for x in backward.get(label, ()) if x in prev]
                if came:
                    rows.append((key, label, "kept", came[0]))
                elif prev:
                    rows.append((key, label, "also in", None))
                else:
                    rows.append((key, label, "reintroduced" if seen else "new", None))
            for label in prev:
                went = forward.get(label, ())
                if not set(went) & set(here):
                    rows.append((key, went[0] if went else None, "dropped", label))
            seen = seen or bool(here)
            prev = here
        series_rows.append((min(order(*x) for x in held), rows))
    series_rows.sort(key=lambda x: x[0])
    return first, [r for _, rows in series_rows for r in rows]


def earliest_stored(c: _Corpus, key: str) -> bool:
    """Whether the stored version ``key`` is the first of its series (or of none): the
    store holds nothing earlier of it, so a phrase first found there may be older."""
    return next((chain[0] == key for chain in c.chains if key in chain), True)


def _sample(c: _Corpus) -> list[str]:
    """Phrases of one to eight words cut from real units: two thirds from the series
    corpus, a third from anything stored; some re-typed as a user would (other case,
    straight quotes, a line break) or pasted with a footnote number glued on."""
    rng = random.Random(SEED)
    series_keys = sorted(
        d.key
        for d in c.docs.values()
        if d.symbol and (SERIES / (d.symbol.replace("/", "_") + ".txt")).is_file()
    )
    every_key = sorted(c.docs)
    footnoted = [k for k in series_keys if c.docs[k].footnoted]
    everything = "\x00".join(k for d in c.docs.values() for _l, _t, k in d.units)
    out: list[str] = []
    while len(out) < PHRASES:
        style = len(out) % 6
        pool = footnoted if style == 3 else series_keys if len(out) % 3 else every_key
        d = c.docs[rng.choice(pool)]
        if not d.units:
            continue
        if style == 3:
            cited_label, number = rng.choice(d.footnoted)
            n = next(i for i, u in enumerate(d.units) if u[0] == cited_label)
        else:
            n = rng.randrange(len(d.units))
        words = d.units[n][1].split()
        size = rng.randint(1, 8)
        start = rng.randrange(max(1, len(words) - size + 1))
        phrase = " ".join(words[start : start + size])
        if style == 1:
            phrase = phrase.upper().replace(" ", "\n", 1)
        elif style == 2:
            phrase = phrase.replace("’", "'").replace("“", '"').replace("”", '"')
        elif style == 3:
            phrase = phrase.rstrip(",;:.")
            if not phrase[-3:].isalpha():
                continue
            phrase += str(number)  # "…Refugees16", as copied from the PDF
        needle = oracle_key(phrase)
        if needle and everything.count(needle) <= MAX_FOUND:
            out.append(phrase)
    return out


@pytest.fixture(scope="module")
def corpus_store(corpus_db: str) -> Iterator[Store]:
    with open_store(corpus_db, create=False) as store:
        yield store


@pytest.fixture(scope="module")
def stored(corpus_store: Store) -> _Corpus:
    return _read(corpus_store)


@pytest.fixture(scope="module")
def phrases(stored: _Corpus) -> list[str]:
    return _sample(stored)


def test_sample_is_varied(phrases: list[str]) -> None:
    # Deterministic by construction (a seeded generator over sorted texts).
    assert len(phrases) == PHRASES
    sizes = {len(p.split()) for p in phrases}
    assert sizes == set(range(1, 9))
    glued = re.compile(r"[^\W\d_]{3}\d{1,3}$")
    assert sum(bool(glued.search(p)) for p in phrases) >= 40  # footnote numbers glued on


def test_history_equals_brute_force_on_300_phrases(
    corpus_store: Store, stored: _Corpus, phrases: list[str]
) -> None:
    mismatches: list[str] = []
    statuses: set[str] = set()
    edges: set[bool] = set()
    for phrase in phrases:
        first, rows = brute_force(stored, phrase)
        h = history(corpus_store, phrase)
        got_first = (h.first.key, h.first.label) if h.first else None
        got = [(e.key, e.label, e.status, e.previous) for e in h.entries]
        statuses.update(r[2] for r in rows)
        if got_first != first or got != rows:
            mismatches.append(f"{phrase!r}: first {got_first} vs {first}; rows differ")
        # "the earliest stored version of its series (it may be older)"
        edge = first is not None and earliest_stored(stored, first[0])
        if first is not None:
            edges.add(edge)
        if h.first_earliest != edge:
            mismatches.append(f"{phrase!r}: earliest stored {h.first_earliest} vs {edge}")
    assert mismatches == [], f"{len(mismatches)} of {PHRASES} phrases:\n" + "\n".join(
        mismatches[:20]
    )
    # The sample reaches every status a history can give (changed needs --fuzzy), and first
    # appearances both at a series' earliest stored version and later.
    assert statuses == {"new", "also in", "reintroduced", "kept", "dropped"}
    assert edges == {True, False}
