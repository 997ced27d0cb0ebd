"""Audit of the review's claims on the whole corpus, against a brute-force scan.

For every stored draft with a baseline (the latest adopted resolution of its series
before it), the review is run and each provenance claim is checked against the texts:
"agreed language" wording must stand, as whole words, in every resolution the claim
cites, each dated before the draft; "new language" wording must stand in no adopted
resolution dated before the draft, nor in the baseline; deleted wording "in every version
since X (N versions)" must stand in the last N full texts of the series up to the baseline
and not in the one before, and "the earliest stored" must mean that none is before. The scan normalises the texts
itself (no resdiff key, tokeniser or search code), so a fault there cannot hide here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest

from resdiff.errors import NotFoundError
from resdiff.lineage import chain, list_series
from resdiff.model import DocKind, Document
from resdiff.review import ReviewPack, review
from resdiff.review.provenance import Precedent
from resdiff.store import Store, open_store

pytestmark = pytest.mark.slow

_APOSTROPHES = "\u2018\u2019\u201a\u201b\u2032`"
_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def oracle_norm(text: str) -> str:
    """Lower case, one space between words, quotes, dashes and Unicode forms folded."""
    t = unicodedata.normalize("NFKC", text)
    table = {ord(c): "'" for c in _APOSTROPHES}
    table.update({ord(c): '"' for c in _QUOTES})
    table.update({ord(c): "-" for c in _DASHES})
    table.update({ord(c): None for c in _INVISIBLE})
    return " ".join(t.translate(table).lower().split())


def holds(wording: str, text: str) -> bool:
    """``wording`` (normalised) stands in ``text`` (normalised) as whole words."""
    start = text.find(wording)
    while start >= 0:
        end = start + len(wording)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        ok_before = not (wording[0].isalnum() and before.isalnum())
        ok_after = not (wording[-1].isalnum() and after.isalnum())
        # "2.3" is not a whole number inside "2.33"; "79/7" not inside "A/RES/79/7",
        # "76" not inside "76/245".
        if wording[0].isdigit() and start >= 2:
            prev = text[start - 2]
            if (before in ".," and prev.isdigit()) or (before == "/" and prev.isalnum()):
                ok_before = False
        if wording[-1].isdigit() and end + 1 < len(text):
            nxt = text[end + 1]
            if (after in ".," and nxt.isdigit()) or (after == "/" and nxt.isalnum()):
                ok_after = False
        if ok_before and ok_after:
            return True
        start = text.find(wording, start + 1)
    return False


@dataclass(frozen=True)
class Text:
    key: str
    symbol: str | None
    day: date | None
    units: dict[str, str]  # label -> normalised text
    whole: str  # every unit, normalised, one per line
    words: frozenset[str]  # its runs of letters and digits (to skip texts quickly)


def _text(key: str, doc: Document) -> Text:
    m = doc.metadata
    units = {u.label: oracle_norm(u.text) for u in doc.units}
    day = m.adoption_date or m.distribution_date
    whole = "\n".join(units.values())
    return Text(key, m.symbol, day, units, whole, frozenset(_RUNS.findall(whole)))


_RUNS = re.compile(r"[^\W_]+")


@dataclass
class Audit:
    reviews: int = 0
    claims: int = 0
    false: list[str] | None = None
    edges: set[bool] = field(default_factory=set)  # "the earliest stored" said, and not

    def fail(self, why: str) -> None:
        assert self.false is not None
        self.false.append(why)


def _resolutions(store: Store) -> list[Text]:
    return [_text(s.key, store.get(s.key)) for s in store.list() if s.kind is DocKind.RESOLUTION]


def _drafts(store: Store) -> Iterator[str]:
    for s in store.list():
        if s.kind in (DocKind.DRAFT, DocKind.REVISED_DRAFT):
            yield s.key


def _claims(pack: ReviewPack) -> Iterator[tuple[str, str, tuple[Precedent | None, ...]]]:
    """(wording, "agreed" or "new language", resolutions cited) of every claim."""
    for n in pack.notes:
        for x in n.provenance:
            if x.status != "partly agreed":  # its clauses carry the claims
                yield x.query, x.status, (x.earliest, x.latest)
            for cl in x.clauses:
                yield cl.text, "agreed" if cl.count else "new language", (cl.earliest, cl.latest)


def _holding_words(adopted: list[Text]) -> dict[str, set[int]]:
    """Word -> places in ``adopted`` of the texts having it (to skip texts quickly)."""
    index: dict[str, set[int]] = {}
    for n, t in enumerate(adopted):
        for word in t.words:
            index.setdefault(word, set()).add(n)
    return index


def _check(
    pack: ReviewPack, key: str, adopted: list[Text], words: dict[str, set[int]], audit: Audit
) -> None:
    by_key = {t.key: t for t in adopted}
    draft = pack.comparison.new.metadata
    when = draft.distribution_date or draft.adoption_date
    base = _text("baseline", pack.comparison.old)
    earlier = [
        (n, t)
        for n, t in enumerate(adopted)
        if when is None or (t.day is not None and t.day < when)
    ]
    for wording, status, cited in _claims(pack):
        audit.claims += 1
        w = oracle_norm(wording)
        if status == "agreed":
            for p in cited:
                t = by_key.get(p.key) if p is not None else None
                if p is not None and t is None and p.symbol == pack.comparison.old.metadata.symbol:
                    t = base  # the baseline given, not stored: precedent whatever its date
                if p is None or t is None or not holds(w, t.units.get(p.label, "")):
                    where = f"{p.symbol} {p.label}" if p is not None else "no citation"
                    audit.fail(f"{key}: {wording!r} called agreed, not in {where}")
                elif t is not base and when is not None and (t.day is None or t.day >= when):
                    audit.fail(f"{key}: {wording!r} cites {p.symbol}, not dated before the draft")
            continue
        # The texts having every word of the wording: only they can hold it.
        having = [words.get(word, set()) for word in set(_RUNS.findall(w))]
        can = set.intersection(*having) if having else set(range(len(adopted)))
        found = [t.symbol for n, t in earlier if n in can and w in t.whole and holds(w, t.whole)]
        if holds(w, base.whole):
            found.append("the baseline")
        if found:
            audit.fail(f"{key}: {wording!r} called new language, but in {found[:3]}")


def _check_longstanding(
    pack: ReviewPack,
    key: str,
    chains: dict[str, list[str]],
    texts: Callable[[str], Text],
    audit: Audit,
) -> None:
    """Each "in every version since X (N versions)" note against the series' full texts."""
    base = pack.comparison.old.key
    upto = chains.get(base, [base])
    upto = upto[: upto.index(base) + 1] if base in upto else [base]
    for n in pack.notes:
        for ls in n.longstanding:
            audit.claims += 1
            w = oracle_norm(ls.query)
            held = [holds(w, texts(k).whole) for k in upto]
            streak = next((k for k, h in enumerate(reversed(held)) if not h), len(held))
            first = upto[len(upto) - streak] if streak else None
            since = texts(first).symbol or first if first else None
            if (streak, since) != (ls.versions, ls.since):
                audit.fail(
                    f"{key}: {w!r} said in {ls.versions} versions since {ls.since}, held in {streak} since {since}"
                )
            audit.edges.add(ls.since_earliest)
            if ls.since_earliest != (streak == len(upto)):
                audit.fail(f"{key}: {w!r} 'the earliest stored' said {ls.since_earliest}")


def _audit(store: Store) -> Audit:
    adopted = _resolutions(store)
    words = _holding_words(adopted)
    audit = Audit(false=[])
    chains = {m.key: [x.key for x in chain(s)] for s in list_series(store) for m in chain(s)}
    cache: dict[str, Text] = {}

    def texts(k: str) -> Text:
        if k not in cache:
            cache[k] = _text(k, store.get(k))
        return cache[k]

    for key in _drafts(store):
        try:
            pack = review(store, key, amendments=False)
        except NotFoundError:
            continue  # no baseline in its series
        audit.reviews += 1
        _check(pack, key, adopted, words, audit)
        _check_longstanding(pack, key, chains, texts, audit)
    return audit


def test_every_provenance_claim_holds_on_the_corpus(corpus_db: str) -> None:
    with open_store(corpus_db, create=False) as store:
        audit = _audit(store)
    false = audit.false or []
    print(f"\nreview audit: {audit.reviews} reviews, {audit.claims} claims, {len(false)} false")
    assert audit.reviews > 50 and audit.claims > 500  # the audit has teeth
    assert audit.edges == {True, False}  # long-standing streaks from the first version and later
    assert not false, "\n".join(false[:40])
