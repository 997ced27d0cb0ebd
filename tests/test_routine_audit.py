"""Audit of routine marks on the whole corpus store: every paragraph the stored alignments
mark routine ("only symbols, dates, years, session ordinals or footnote numbers changed")
reads, by a brute-force check of its two texts, the same once those items are set aside,
and keeps every figure it had.

A routine mark lets a reader skip a change, so a wrong one hides news. The oracle reads the
stored texts and marks only, and normalises in its own way (``oracle_key``); it shares no
code with ``resdiff.routine`` or the word diff.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest
from oracle_key import oracle_key

from resdiff.model import PairKind
from resdiff.store import open_store
from resdiff.store.lineage import LineageStore

pytestmark = pytest.mark.xdist_group("routine_audit")

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# A session ordinal spelled out: "seventy-ninth", "eightieth".
_SPELLED_ORDINAL = re.compile(rf"(?:{_TENS})-[a-z]+|[a-z]+ieth")
# Words a list of references joins its items with ("78/7 and 79/7 of 30 October 2024").
_LIST_WORDS = frozenset(
    {
        *("and", "or", "of", "the", "its", "in", "on", "at", "to", "dated", "meeting"),
        *("resolution", "resolutions", "decision", "decisions", "session", "sessions"),
    }
)
# A figure: a number standing alone, not inside a symbol ("A/79/171", "GC(68)/RES/14"), not
# the day of a date, not a year.
_FIGURE = re.compile(rf"(?<![\w/.,()-])\d+(?:[.,]\d+)*%?(?![\w/%()-])(?!\.\d)(?! (?:{_MONTHS}))")
_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")


def words_beside_routine_items(text: str) -> list[str]:
    """The words of ``text`` that are no symbol, number, date, year, session ordinal or
    word joining a list of references."""
    out = []
    for token in re.findall(r"[^\s,;()]+", oracle_key(text)):
        w = token.strip(".:")
        if w and not (
            re.search(r"\d", w)
            or w in _MONTHS.split("|")
            or _SPELLED_ORDINAL.fullmatch(w)
            or w in _LIST_WORDS
        ):
            out.append(w)
    return out


def figures(text: str) -> Counter[str]:
    return Counter(f for f in _FIGURE.findall(oracle_key(text)) if not _YEAR.fullmatch(f))


def test_the_oracle_tells_routine_from_news() -> None:
    old = "Recalling its resolution 78/7 of 30 October 2023, adopted at its seventy-eighth session,"
    new = "Recalling its resolutions 78/7 and 79/7 of 4 November 2024, adopted at its seventy-ninth session,"
    assert words_beside_routine_items(old) == words_beside_routine_items(new)
    assert figures(old) == figures(new) == Counter()
    assert figures("28.9 per cent of GC(67)/RES/13") == Counter({"28.9": 1})
    assert words_beside_routine_items("Urges States") != words_beside_routine_items(
        "Urges all States"
    )


def test_every_routine_mark_of_the_corpus_hides_no_news(corpus_db: str) -> None:
    with open_store(corpus_db, read_only=True) as store:
        lineage = LineageStore(store)
        texts: dict[str, dict[str, str]] = {}

        def units(key: str) -> dict[str, str]:
            if key not in texts:
                texts[key] = {u.label: u.text for u in store.get(key).units}
            return texts[key]

        marked = 0
        wrong: list[str] = []
        for series in lineage.series():
            for old, new in itertools.pairwise(m.key for m in series.members):
                stored = lineage.alignment(old, new, spans=False)
                if stored is None:
                    continue
                for p in stored[1]:
                    if not p.routine:
                        continue
                    marked += 1
                    assert p.kind in (PairKind.CHANGED, PairKind.MOVED) and len(p.old) == 1
                    a, b = units(old)[p.old[0]], units(new)[p.new[0]]
                    same_words = words_beside_routine_items(a) == words_beside_routine_items(b)
                    if not same_words or figures(a) != figures(b):
                        wrong.append(f"{old} {p.old[0]} -> {new} {p.new[0]}")
    assert not wrong, f"{len(wrong)} routine marks hide a change: {wrong[:5]}"
    assert marked > 500  # has teeth: the corpus holds over a thousand routine updates
