"""Where new wording comes from: agreed language in earlier adopted resolutions, or new.

For every change run of a comparison (the inserts and deletes between two unchanged
stretches of one pair), ``provenance`` looks the wording as it now reads up in the
lineage index: the earliest and latest adopted resolution already containing it and how
many do, or **new language** when none does. ``longstanding_deletions`` points out
deleted wording that had been in every version of the series for years.

Why the looked-up wording is widened: an inserted "deep" is not a phrase anyone can
call agreed; "expresses its deep concern" is. Runs shorter than ``MIN_WORDS`` words are
widened with the words around them in the new text. A long insertion not found whole
is looked up clause by clause ("partly agreed").

Precedent is every resolution of the store adopted *before* the reviewed text (the
resolution later adopted from this very draft would otherwise vouch for it), and the
text the draft is compared with (``--against``, stored or not): wording it already
holds is never "new language". A run that only updates references (``resdiff.routine``)
or respells ("health-care" -> "healthcare", "labour" -> "labor") raises no provenance
question; wording not found whole is looked up without a leading "further" / "also", and
a run that only gives the lead such an adverb is never called new language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from resdiff.model import Comparison, Document, Pair, PairKind, SpanOp
from resdiff.normalize import words
from resdiff.routine import routine_change
from resdiff.search import (
    Occurrence,
    agreed_many,
    occurrences_many,
    phrase_key,
    sentence_of,
    stands_whole,
)
from resdiff.store.search_index import sort_date
from resdiff.worddiff import ATOMS

if TYPE_CHECKING:
    from resdiff.model import StoredMember
    from resdiff.store import Store

__all__ = [
    "CLAUSE_MIN_WORDS",
    "LONGSTANDING_MIN_VERSIONS",
    "LONG_RUN_WORDS",
    "MAX_EXTRA_WORDS",
    "MIN_WORDS",
    "ChangeRun",
    "ClauseFinding",
    "LongStanding",
    "Precedent",
    "Precedents",
    "Provenance",
    "change_runs",
    "longstanding_deletions",
    "provenance",
    "widen",
]

# Pinned tunables (recorded in the review pack's settings).
MIN_WORDS = 4  # shortest wording looked up; shorter runs are widened with context
CLAUSE_MIN_WORDS = 5  # a clause shorter than this is joined to its neighbour
LONG_RUN_WORDS = 12  # a run this long not found whole is looked up clause by clause
LONGSTANDING_MIN_VERSIONS = 3  # deleted wording present in at least this many versions

# A word; a number ("2.3", "1,000"), a symbol ("A/RES/79/7", "76/245") or a date is one
# word, as in the word diff: a looked-up wording never starts or ends inside one.
_WORD = re.compile(rf"(?:{ATOMS})|\w[\w'’\-‑]*(?:[.,]\d+)*", re.UNICODE)
# Words that cannot end a looked-up wording: "the fulfilment of the" says nothing until
# the noun after it is included ("the fulfilment of the right").
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "these",
        "those",
        "to",
        "which",
        "with",
    ]
)
_PUNCT = re.compile(r"[,;:.()]")
MAX_EXTRA_WORDS = 3  # words added at each end, at most, to reach a content word
# Clause boundaries inside a paragraph: semicolons, colons, and commas.
_CLAUSE_END = re.compile(r"(?<=[;:,])\s+")


@dataclass(frozen=True, slots=True)
class ChangeRun:
    """The inserted and deleted text between two unchanged stretches of one pair.

    ``new_range`` / ``old_range`` are character offsets of the run in the new / old
    unit's text (``new_label`` / ``old_label``); an empty range on a side means nothing
    was inserted (or deleted) there.
    """

    pair: int
    inserted: str
    deleted: str
    new_label: str | None
    old_label: str | None
    new_range: tuple[int, int]
    old_range: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Precedent:
    """An adopted resolution (and unit) already containing some wording."""

    key: str
    symbol: str | None
    label: str
    date: date | None

    @classmethod
    def of(cls, o: Occurrence) -> Precedent:
        """The precedent an index occurrence names."""
        return cls(o.key, o.symbol, o.label, o.date)


@dataclass(frozen=True, slots=True)
class ClauseFinding:
    """One clause of a long insertion and where (if anywhere) it is agreed."""

    text: str
    count: int
    earliest: Precedent | None
    latest: Precedent | None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where the inserted wording of one change run comes from.

    ``status``: "agreed" (the wording, widened to ``query``, is in ``count`` earlier
    adopted resolutions), "partly agreed" (some of its clauses are; see ``clauses``) or
    "new language".
    """

    run: ChangeRun
    query: str
    status: str
    count: int
    earliest: Precedent | None
    latest: Precedent | None
    clauses: tuple[ClauseFinding, ...] = ()

    @property
    def label(self) -> str:
        """The new unit the wording was inserted in."""
        return self.run.new_label or ""


@dataclass(frozen=True, slots=True)
class LongStanding:
    """Deleted wording that every version of the series since ``since`` carried."""

    run: ChangeRun
    query: str
    versions: int
    since: str  # the symbol (or key) of the first version of the unbroken streak
    # The streak starts at the earliest stored version of the series: it may reach further
    # back than the store does.
    since_earliest: bool = False


def change_runs(c: Comparison, indices: Sequence[int] | None = None) -> list[ChangeRun]:
    """Every change run of the comparison's substantive pairs (routine ones skipped), in
    document order; ``indices`` restricts to those pairs."""
    out: list[ChangeRun] = []
    chosen = range(len(c.pairs)) if indices is None else indices
    for i in chosen:
        p = c.pairs[i]
        if p.routine or p.kind is PairKind.UNCHANGED:
            continue
        out.extend(_runs_of(i, p))
    return out


def _runs_of(i: int, p: Pair) -> list[ChangeRun]:
    runs: list[ChangeRun] = []
    old_pos = [0] * max(len(p.old), 1)
    new_pos = [0] * max(len(p.new), 1)
    k = 0
    spans = p.spans
    while k < len(spans):
        s = spans[k]
        if s.op is SpanOp.EQUAL:
            old_pos[s.old_part] += len(s.old_side_text)
            new_pos[s.new_part] += len(s.text)
            k += 1
            continue
        ins: list[str] = []
        dels: list[str] = []
        new_part = old_part = None
        new_start = old_start = 0
        while k < len(spans) and spans[k].op is not SpanOp.EQUAL:
            s = spans[k]
            if s.op is SpanOp.INSERT:
                if new_part is None:
                    new_part, new_start = s.new_part, new_pos[s.new_part]
                ins.append(s.text)
                new_pos[s.new_part] += len(s.text)
            else:
                if old_part is None:
                    old_part, old_start = s.old_part, old_pos[s.old_part]
                dels.append(s.text)
                old_pos[s.old_part] += len(s.text)
            k += 1
        inserted, deleted = "".join(ins), "".join(dels)
        runs.append(
            ChangeRun(
                pair=i,
                inserted=inserted,
                deleted=deleted,
                new_label=p.new[new_part] if new_part is not None and p.new else None,
                old_label=p.old[old_part] if old_part is not None and p.old else None,
                new_range=(new_start, new_start + len(inserted)),
                old_range=(old_start, old_start + len(deleted)),
            )
        )
    return runs


# Lead adverbs a recurring paragraph gains ("Also encourages", "Noting further").
_LEAD_ADVERBS = frozenset({"further", "also", "again", "moreover"})
_LEAD_WORDS = 3  # a lead adverb stands among the first words of a paragraph
# British and American forms of the same word (both occur in United Nations texts).
_RESPELLED = {
    "programme": "program",
    "programmes": "programs",
    "judgement": "judgment",
    "judgements": "judgments",
    "acknowledgement": "acknowledgment",
    "ageing": "aging",
    "defence": "defense",
    "offence": "offense",
    "offences": "offenses",
    "licence": "license",
    "travelled": "traveled",
    "travelling": "traveling",
    "counselling": "counseling",
    "counsellor": "counselor",
    "counsellors": "counselors",
    "labelled": "labeled",
    "labelling": "labeling",
    "modelling": "modeling",
    "cancelled": "canceled",
    "fuelled": "fueled",
    "signalled": "signaled",
    "channelled": "channeled",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "fulfils": "fulfills",
    "fulfilment": "fulfillment",
}
_ISE = re.compile(r"(?<=\w\w)(is|ys)(e|es|ed|ing|ation|ations)$")
_OUR = re.compile(r"(?<=\w\w\w)our(s|ed|ing|able|ably|ite|ites)?$")
_TRE = re.compile(r"(?<=\w\w)tre(s|d)?$")


def _american(word: str) -> str:
    word = _RESPELLED.get(word, word)
    word = _ISE.sub(lambda m: ("iz" if m.group(1) == "is" else "yz") + m.group(2), word)
    word = _OUR.sub(lambda m: "or" + (m.group(1) or ""), word)
    return _TRE.sub(lambda m: "ter" + (m.group(1) or ""), word)


def _spelling(text: str) -> str:
    """A key two spellings of the same wording share: spaces and hyphens dropped
    ("health care", "health-care", "healthcare"), British forms made American."""
    return "".join(_american(w.replace("-", "")) for w in words(text))


def respelled(old: str, new: str) -> bool:
    """True when ``new`` is ``old`` respelled (spacing, hyphens, British/American)."""
    return _spelling(old) == _spelling(new)


def _lead_adverb_only(run: ChangeRun, new_text: str) -> bool:
    """The run gives the paragraph's lead an adverb and changes nothing else
    ("Encourages" -> "Also encourages", "Noting with" -> "Noting also with")."""
    added = words(run.inserted)
    rest = [w for w in added if w not in _LEAD_ADVERBS]
    return (
        len(rest) < len(added)
        and rest == words(run.deleted)
        and len(words(new_text[: run.new_range[0]])) < _LEAD_WORDS
    )


def _no_question(run: ChangeRun) -> bool:
    """A run that raises no provenance question: a routine update of references
    (``resdiff.routine``) or a respelling."""
    return routine_change(run.deleted, run.inserted) or respelled(run.deleted, run.inserted)


def _without_adverb(query: str) -> str:
    """``query`` without a leading adverb ("Also calls upon Member States" -> "Calls upon
    Member States"): looked up when the whole wording is not found."""
    m = re.match(r"\s*(\w+)\s+", query)
    if m and m.group(1).lower() in _LEAD_ADVERBS and len(words(query)) > MIN_WORDS:
        rest = query[m.end() :]
        return rest[:1].upper() + rest[1:] if query[:1].isupper() else rest
    return query


def widen(text: str, start: int, end: int, min_words: int = MIN_WORDS) -> str:
    """The words of ``text[start:end]`` (whole words), widened with neighbouring words of
    ``text`` until there are at least ``min_words`` (or the text runs out) and neither
    end is a function word ("of", "the", ...; up to ``MAX_EXTRA_WORDS`` more a side)."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if not spans:
        return text[start:end].strip()
    inside = [j for j, (a, b) in enumerate(spans) if a < end and b > start]
    if inside:
        lo, hi = inside[0], inside[-1]
    else:  # the run is punctuation only: anchor on the next word (or the last one)
        lo = hi = next((j for j, (a, _) in enumerate(spans) if a >= start), len(spans) - 1)
    # Widen to the right first: the words after an insertion say what it qualifies.
    while hi - lo + 1 < min_words and (lo > 0 or hi < len(spans) - 1):
        if hi < len(spans) - 1:
            hi += 1
        if hi - lo + 1 < min_words and lo > 0:
            lo -= 1

    def word(j: int) -> str:
        return text[spans[j][0] : spans[j][1]].lower()

    def joined(j: int) -> bool:  # words j and j+1 are in one clause (no punctuation between)
        return not _PUNCT.search(text[spans[j][1] : spans[j + 1][0]])

    # Then make both ends content words (a few words at most each side, within the clause).
    for _ in range(MAX_EXTRA_WORDS):
        if hi < len(spans) - 1 and word(hi) in _FUNCTION_WORDS and joined(hi):
            hi += 1
    for _ in range(MAX_EXTRA_WORDS):
        if lo > 0 and word(lo) in _FUNCTION_WORDS and joined(lo - 1):
            lo -= 1
    return text[spans[lo][0] : spans[hi][1]]


def _clauses(text: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE_END.split(text) if p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and len(words(merged[-1])) < CLAUSE_MIN_WORDS:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    if len(merged) > 1 and len(words(merged[-1])) < CLAUSE_MIN_WORDS:
        last = merged.pop()
        merged[-1] = f"{merged[-1]} {last}"
    return [m.rstrip(";:,") for m in merged]


class Precedents:
    """Agreed-language look-ups: the store's adopted resolutions dated before a cut-off,
    and the texts given (the baseline), memoised per wording and fetched in batches."""

    def __init__(
        self,
        store: Store | None,
        reviewed: Document,
        cutoff: date | None,
        given: Sequence[tuple[str, Document]] = (),
    ) -> None:
        self.store = store
        self.cutoff = cutoff
        self.exclude = {reviewed.key, reviewed.metadata.symbol} - {None}
        # (key, document): texts that count as precedent whatever their date or kind.
        self.given = [(k, d) for k, d in given if k not in self.exclude]
        self._keys = {
            k: [(u, phrase_key(u.text)) for u in d.units if u.text] for k, d in self.given
        }
        self._memo: dict[str, tuple[Occurrence, ...]] = {}

    def load(self, wordings: Sequence[str]) -> None:
        """Look up every wording not yet known, in one pass over the store."""
        todo = [w for w in dict.fromkeys(wordings) if w not in self._memo]
        if not todo:
            return
        stored = (
            agreed_many(self.store, todo, whole_words=True, sentences=False)
            if self.store is not None
            else {}
        )
        for wording in todo:
            found = [
                o
                for o in (stored[wording].occurrences if wording in stored else ())
                if o.key not in self.exclude
                and o.symbol not in self.exclude
                and (self.cutoff is None or (o.date is not None and o.date < self.cutoff))
            ]
            seen = {(o.symbol or o.key) for o in found} | {o.key for o in found}
            for key, doc in self.given:
                if key in seen or (doc.metadata.symbol or key) in seen:
                    continue  # the baseline is stored, and already found there
                found.extend(self._in_given(key, doc, wording))
            found.sort(key=_order)
            self._memo[wording] = tuple(found)

    def _in_given(self, key: str, doc: Document, wording: str) -> list[Occurrence]:
        needle = phrase_key(wording)
        if not needle:
            return []
        m = doc.metadata
        return [
            Occurrence(
                key=key,
                symbol=m.symbol,
                label=u.label,
                date=sort_date(m),
                kind=m.kind,
                sentence=sentence_of(u.text, needle, norm),
                unit_text=u.text,
                position=i,
            )
            for i, (u, norm) in enumerate(self._keys[key])
            if needle in norm and stands_whole(norm, needle)
        ]

    def find(self, wording: str) -> tuple[Occurrence, ...]:
        """The precedents holding ``wording``, earliest first."""
        self.load([wording])
        return self._memo[wording]


def _order(o: Occurrence) -> tuple[bool, date, str, int]:
    return (o.date is None, o.date or date.max, o.symbol or o.key, o.position)


def _count(found: Sequence[Occurrence]) -> int:
    return len({o.key for o in found})


def _ends(found: Sequence[Occurrence]) -> tuple[Precedent | None, Precedent | None]:
    if not found:
        return None, None
    return Precedent.of(found[0]), Precedent.of(found[-1])


def provenance(
    store: Store | None,
    c: Comparison,
    runs: Sequence[ChangeRun],
    cutoff: date | None = None,
    *,
    given: Sequence[tuple[str, Document]] = (),
) -> list[Provenance]:
    """The provenance of each run that inserted words (deletions alone have none).

    Precedent is any adopted resolution of ``store`` (None: no store) dated before
    ``cutoff`` (default: the new text's own date; none when it is undated), and each
    ``(key, document)`` of ``given`` (the text the draft is compared with)."""
    m = c.new.metadata
    lookup = Precedents(store, c.new, cutoff or m.adoption_date or m.distribution_date, given)
    new_text = {u.label: u.text for u in c.new.units}
    asked: list[tuple[ChangeRun, str, bool]] = []  # (run, wording, only a lead adverb)
    for run in runs:
        if not words(run.inserted) or run.new_label is None or _no_question(run):
            continue
        text = new_text.get(run.new_label, run.inserted)
        asked.append((run, widen(text, *run.new_range), _lead_adverb_only(run, text)))
    lookup.load([q for _, q, _ in asked] + [_without_adverb(q) for _, q, _ in asked])
    # The wording that stands: as widened, else without its leading adverb.
    chosen = [
        (run, query if lookup.find(query) else _without_adverb(query), lead)
        for run, query, lead in asked
    ]
    # Long wordings not found whole are looked up clause by clause, in a second batch.
    parts = {
        q: _clauses(q)
        for _, q, _ in chosen
        if not lookup.find(q) and len(words(q)) >= LONG_RUN_WORDS
    }
    lookup.load([part for ps in parts.values() if len(ps) > 1 for part in ps])
    out: list[Provenance] = []
    for run, query, lead in chosen:
        found = lookup.find(query)
        if found:
            out.append(Provenance(run, query, "agreed", _count(found), *_ends(found)))
            continue
        if lead:
            continue  # "Also encourages" where "Encourages" stood: not new language
        clauses: tuple[ClauseFinding, ...] = ()
        if len(parts.get(query, ())) > 1:
            clauses = tuple(
                ClauseFinding(part, _count(f), *_ends(f))
                for part in parts[query]
                for f in (lookup.find(part),)
            )
        status = "partly agreed" if any(cl.count for cl in clauses) else "new language"
        out.append(Provenance(run, query, status, 0, None, None, clauses))
    return out


def longstanding_deletions(
    store: Store,
    c: Comparison,
    runs: Sequence[ChangeRun],
    series: str,
    versions: Sequence[StoredMember],
) -> list[LongStanding]:
    """Deleted wording present in at least ``LONGSTANDING_MIN_VERSIONS`` consecutive
    versions of the series up to the old text (``series``: the series key;
    ``versions``: its full-text versions in order, ending with the old text's version)."""
    if len(versions) < LONGSTANDING_MIN_VERSIONS:
        return []
    keys = [m.key for m in versions]
    old_text = {u.label: u.text for u in c.old.units}
    asked: dict[str, ChangeRun] = {}
    for run in runs:
        if len(words(run.deleted)) < 2 or run.old_label is None or _no_question(run):
            continue
        query = widen(old_text.get(run.old_label, run.deleted), *run.old_range)
        asked.setdefault(query, run)
    found = occurrences_many(store, list(asked), series=series, whole_words=True, sentences=False)
    out: list[LongStanding] = []
    for query, run in asked.items():
        having = {o.key for o in found[query]}
        streak = 0
        for k in reversed(keys):
            if k not in having:
                break
            streak += 1
        if streak >= LONGSTANDING_MIN_VERSIONS:
            first = versions[len(keys) - streak]
            out.append(
                LongStanding(run, query, streak, first.symbol or first.key, streak == len(keys))
            )
    return out
