"""Phrase histories: where a phrase first appeared, then version by version what became of it.

history(store, phrase, series=None, fuzzy=None) -> History
    every occurrence in the full texts of each series (amendments hold instructions, not
    versions: never an occurrence), each with its status (``STATUSES``) read from the
    stored alignments, and a ``dropped`` row for every unit that held the phrase and whose
    successor does not.
quote(text, needle) -> str
    the sentence of a unit around a phrase, cut at word boundaries when long.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from resdiff import callable_module
from resdiff.lineage import alignment, chain, find_series, follow, list_series
from resdiff.model import DocKind, StoredMember, StoredSeries
from resdiff.normalize import clean_display, key
from resdiff.search import Occurrence, occurrences, phrase_key
from resdiff.settings import DEFAULT_SETTINGS, Settings
from resdiff.store import Store

__all__ = ["QUOTE_CHARS", "STATUSES", "History", "HistoryEntry", "history", "quote"]

# Against the previous version of the series (through the stored alignment of the two):
# "new": the first version of the series holding the phrase (every unit of it that does);
# "also in": a unit whose predecessor did not hold the phrase, while the previous version
#   held it elsewhere (a second paragraph taking it up);
# "reintroduced": a unit holding it again after the previous version held it nowhere, an
#   earlier one having held it;
# "kept": the predecessor unit held it too, in the same form; "changed": the predecessor
#   held it in another form (a --fuzzy match of another similarity);
# "dropped": a unit of the previous version held it and its successor does not
#   (``label``: where that unit went, if anywhere; ``previous``: the unit that held it).
STATUSES = ("new", "also in", "reintroduced", "kept", "changed", "dropped")

# Quotes longer than this are cut around the phrase, at word boundaries.
QUOTE_CHARS = 600


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One version and unit in the history of a phrase."""

    key: str
    symbol: str | None
    label: str | None
    date: date | None
    status: str
    series: str | None  # series key
    sentence: str = ""
    similarity: float = 1.0
    # The unit of the previous version that held the phrase (kept, changed, dropped).
    previous: str | None = None


@dataclass(frozen=True, slots=True)
class History:
    """Where a phrase first appeared, then version by version what became of it.

    ``series`` is the series asked for (its key), if any; ``elsewhere`` counts the stored
    versions outside it holding the phrase when the series itself holds it nowhere.
    ``first_earliest``: the first appearance is in the earliest stored version of its
    series (or in a text of no series): what came before it is not in the store, so the
    phrase may be older than that.
    """

    phrase: str
    first: Occurrence | None
    entries: tuple[HistoryEntry, ...]
    series: str | None = None
    series_title: str | None = None
    elsewhere: int = 0
    first_earliest: bool = False


# A sentence ends at ".", "!" or "?" followed by a capital (or an opening quote or
# bracket before one); ";" and "," only end clauses of the same sentence.
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘'(\[]?[A-Z])")


def quote(text: str, needle: str, closest: str | None = None) -> str:
    """The sentence of ``text`` around ``needle`` (a search key), as printed; the whole
    text when the phrase crosses sentences; cut at word boundaries, with "…", when longer
    than ``QUOTE_CHARS`` (the phrase always kept whole). ``closest``: the sentence to
    show when ``text`` does not hold the needle itself (a --fuzzy match)."""
    return _quote(text, needle, closest)


def _holds(text: str, needle: str) -> bool:
    # The search key is the matching key less glued footnote markers, which are digits:
    # the slower marker pass is needed only where the matching key misses and has digits.
    k = key(text)
    return needle in k or (_DIGIT.search(k) is not None and needle in phrase_key(text))


# The same paragraph comes back in version after version of a series: quoted once.
@lru_cache(maxsize=4096)
def _quote(text: str, needle: str, closest: str | None) -> str:
    shown = clean_display(text)
    parts = _SENTENCE_END.split(shown)
    if len(parts) == 1 and len(shown) <= QUOTE_CHARS:
        return shown  # most units: one sentence, short enough (no key needed)
    sentence = next(
        (s for s in parts if needle and _holds(s, needle)),
        shown if closest is None or _holds(shown, needle) else closest,
    )
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    words = sentence.split(" ")
    if not needle or not _holds(sentence, needle):
        return _cut(words, 0, 0)
    # Containment only grows with the window: binary searches find the last start and
    # then the first end of a window of words still holding the phrase.
    lo, hi = 0, len(words) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _holds(" ".join(words[mid:]), needle):
            lo = mid
        else:
            hi = mid - 1
    start = lo
    lo, hi = start + 1, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if _holds(" ".join(words[start:mid]), needle):
            hi = mid
        else:
            lo = mid + 1
    return _cut(words, start, lo)


def _cut(words: Sequence[str], start: int, end: int) -> str:
    """Words ``start:end`` widened on both sides, a word at a time, up to ``QUOTE_CHARS``."""
    end = max(end, start + 1)
    size = len(" ".join(words[start:end]))
    while True:
        grew = False
        if start > 0 and size + len(words[start - 1]) + 1 <= QUOTE_CHARS:
            start -= 1
            size += len(words[start]) + 1
            grew = True
        if end < len(words) and size + len(words[end]) + 1 <= QUOTE_CHARS:
            size += len(words[end]) + 1
            end += 1
            grew = True
        if not grew:
            break
    return ("… " if start else "") + " ".join(words[start:end]) + (" …" if end < len(words) else "")


def _entry(
    o: Occurrence, status: str, series: str | None, needle: str, previous: str | None = None
) -> HistoryEntry:
    return HistoryEntry(
        o.key,
        o.symbol,
        o.label,
        o.date,
        status,
        series,
        quote(o.unit_text, needle, o.sentence),
        o.similarity,
        previous,
    )


def history(
    store: Store,
    phrase: str,
    *,
    series: str | None = None,
    fuzzy: float | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    whole_words: bool = True,
) -> History:
    """First appearance of ``phrase``, then every version of each series containing it
    with its status against the previous version (``STATUSES``), from stored alignments.

    ``series``: only the series named by its title, its key or any member's symbol or key.
    The phrase is found as whole words unless ``whole_words`` is False, as ``agreed`` and
    the review find wording: "it, and calls upon" does not first appear where a resolution
    says "mutual benefit, and calls upon".
    """
    all_series = list_series(store)  # groups what was stored since (a write) first
    with store.one_state():
        return _history(store, phrase, all_series, series, fuzzy, settings, whole_words)


def _history(
    store: Store,
    phrase: str,
    all_series: Sequence[StoredSeries],
    series: str | None,
    fuzzy: float | None,
    settings: Settings,
    whole_words: bool,
) -> History:
    chosen = find_series(store, series) if series is not None else None
    skey = chosen.key if chosen else None
    needle = phrase_key(phrase)
    found = [
        o
        for o in occurrences(store, phrase, series=skey, fuzzy=fuzzy, whole_words=whole_words)
        if o.kind is not DocKind.AMENDMENT
    ]
    first = found[0] if found else None
    if first is not None:
        first = replace(first, sentence=quote(first.unit_text, needle, first.sentence))
    elsewhere = 0
    if chosen is not None and not found:
        elsewhere = len(
            {
                o.key
                for o in occurrences(store, phrase, whole_words=whole_words)
                if o.kind is not DocKind.AMENDMENT
            }
        )
    full_text = {m.key: s for s in all_series for m in chain(s)}
    by_key: dict[str, list[Occurrence]] = {}
    for o in found:
        by_key.setdefault(o.key, []).append(o)
    entries: list[HistoryEntry] = []
    done: set[str] = set()
    for o in found:
        s = full_text.get(o.key)
        if s is None:  # stored but not grouped: no previous version to compare with
            entries.append(_entry(o, "new", None, needle))
            continue
        if s.key in done:
            continue
        done.add(s.key)
        entries.extend(_series_history(store, s.key, chain(s), by_key, needle, settings))
    # A store starts somewhere (this corpus at session 72): a phrase found in the first
    # version of its series the store holds may have been in the versions before it.
    first_series = full_text.get(first.key) if first is not None else None
    first_earliest = first is not None and (
        first_series is None or chain(first_series)[0].key == first.key
    )
    return History(
        phrase,
        first,
        tuple(entries),
        skey,
        chosen.title if chosen else None,
        elsewhere,
        first_earliest,
    )


def _series_history(
    store: Store,
    skey: str,
    versions: Sequence[StoredMember],
    by_key: dict[str, list[Occurrence]],
    needle: str,
    settings: Settings,
) -> list[HistoryEntry]:
    out: list[HistoryEntry] = []
    seen = False
    prev: dict[str, Occurrence] = {}  # units of the previous version holding the phrase
    for j, v in enumerate(versions):
        here = by_key.get(v.key, [])
        if not here and not prev:
            continue
        pairs = alignment(store, versions[j - 1].key, v.key, settings, spans=False) if prev else ()
        for o in here:
            p = follow(pairs, o.label, backward=True) if prev else None
            held = [label for label in (p.old if p else ()) if label in prev]
            if held:
                same = any(abs(prev[x].similarity - o.similarity) < 1e-9 for x in held)
                out.append(_entry(o, "kept" if same else "changed", skey, needle, held[0]))
            elif prev:
                out.append(_entry(o, "also in", skey, needle))
            else:
                out.append(_entry(o, "reintroduced" if seen else "new", skey, needle))
        holding = {o.label for o in here}
        for label in prev:
            p = follow(pairs, label, backward=False)
            went = p.new if p is not None else ()
            if not holding.intersection(went):
                out.append(
                    HistoryEntry(
                        v.key,
                        v.symbol,
                        went[0] if went else None,
                        v.date,
                        "dropped",
                        skey,
                        previous=label,
                    )
                )
        seen = seen or bool(here)
        prev = {o.label: o for o in here}
    return out


# `resdiff.history` is this module once imported: calling it calls history().
callable_module(__name__, history)
