"""Phrase histories: where a phrase first appeared, then version by version what became of it.

history(store, phrase, series=None, fuzzy=None) -> History
    every occurrence, each with its status against the previous version of its series
    (new / reintroduced / kept / changed / dropped), read from the stored alignments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from resdiff import callable_module
from resdiff.lineage import alignment, chain, find_series, follow, list_series, series_of
from resdiff.model import StoredMember
from resdiff.search import Occurrence, first_appearance, occurrences
from resdiff.settings import DEFAULT_SETTINGS, Settings
from resdiff.store import Store

__all__ = ["STATUSES", "History", "HistoryEntry", "history"]

# "new": not in the previous version of its series (or no previous version), or there
# but in as many other units, all still present;
# "reintroduced": back after an earlier version had dropped it; "kept": the aligned unit
# of the previous version has it too, in the same form; "changed": the previous version
# has it, but elsewhere or in another form (fuzzy); "dropped": the previous version had
# it and this one does not (``label`` is where that unit went, if anywhere).
STATUSES = ("new", "reintroduced", "kept", "changed", "dropped")


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


@dataclass(frozen=True, slots=True)
class History:
    """Where a phrase first appeared, then version by version what became of it."""

    phrase: str
    first: Occurrence | None
    entries: tuple[HistoryEntry, ...]


def _entry(o: Occurrence, status: str, series: str | None) -> HistoryEntry:
    return HistoryEntry(o.key, o.symbol, o.label, o.date, status, series, o.sentence, o.similarity)


def history(
    store: Store,
    phrase: str,
    *,
    series: str | None = None,
    fuzzy: float | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> History:
    """First appearance of ``phrase``, then every version of each series containing it
    with its status against the previous version (``STATUSES``), from stored alignments."""
    all_series = list_series(store)
    chosen = find_series(store, series) if series is not None else None
    skey = chosen.key if chosen else None
    found = occurrences(store, phrase, series=skey, fuzzy=fuzzy)
    first = first_appearance(store, phrase, series=skey) if fuzzy is None else None
    if first is None and found:
        first = found[0]
    by_key: dict[str, list[Occurrence]] = {}
    for o in found:
        by_key.setdefault(o.key, []).append(o)
    entries: list[HistoryEntry] = []
    done: set[str] = set()
    for o in found:
        if o.key in done:
            continue
        s = series_of(all_series, o.key)
        versions = chain(s) if s is not None else []
        if s is None or o.key not in [m.key for m in versions]:
            entries.extend(_entry(x, "new", s.key if s else None) for x in by_key[o.key])
            done.add(o.key)
            continue
        entries.extend(_series_history(store, s.key, versions, by_key, settings))
        done.update(m.key for m in versions)
    return History(phrase, first, tuple(entries))


def _series_history(
    store: Store,
    skey: str,
    versions: Sequence[StoredMember],
    by_key: dict[str, list[Occurrence]],
    settings: Settings,
) -> list[HistoryEntry]:
    out: list[HistoryEntry] = []
    seen = False
    prev: list[Occurrence] = []
    for j, v in enumerate(versions):
        here = by_key.get(v.key, [])
        if not here and not prev:
            continue
        pairs = (
            alignment(store, versions[j - 1].key, v.key, settings, spans=False)
            if j and prev
            else ()
        )
        before = {o.label: o for o in prev}
        origins = {o.label: follow(pairs, o.label, backward=True) for o in here}
        # Units of the previous version whose phrase is in none of their successors:
        # a phrase found in a unit that did not have it is one of those, moved or recast.
        carried = {x for p in origins.values() if p is not None for x in p.old}
        orphans = [label for label in before if label not in carried]
        for o in here:
            if not prev:
                out.append(_entry(o, "reintroduced" if seen else "new", skey))
                continue
            p = origins[o.label]
            olds = [before[label] for label in (p.old if p else ()) if label in before]
            if olds:
                same = any(abs(x.similarity - o.similarity) < 1e-9 for x in olds)
                out.append(_entry(o, "kept" if same else "changed", skey))
            elif orphans:
                orphans.pop(0)
                out.append(_entry(o, "changed", skey))
            else:
                out.append(_entry(o, "new", skey))
        if prev and not here:
            p = next((p for p in pairs if set(p.old) & set(before)), None)
            went = p.new[0] if p is not None and p.new else None
            out.append(HistoryEntry(v.key, v.symbol, went, v.date, "dropped", skey))
        seen = seen or bool(here)
        prev = here
    return out


# `resdiff.history` is this module once imported: calling it calls history().
callable_module(__name__, history)
