"""The comparison of two documents: alignment + word diffs + routine marks, as one object.

``compare(old, new, settings)`` returns the ``model.Comparison`` every renderer reads
(its ``stats`` summarise it: counts by kind, words kept, inserted and deleted, and
whether it looks like a wholesale rewrite); ``is_routine(old, new)`` says whether two
texts differ only by document symbols, dates, years or session ordinals;
``clear_caches()`` forgets the per-process caches of keys, tokens and word codes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from resdiff import callable_module, normalize, wordcodes, worddiff
from resdiff.align import align, align_given
from resdiff.align.evidence import word_set
from resdiff.model import (
    Alternative,
    Comparison,
    Document,
    Pair,
    PairKind,
    Span,
    SpanOp,
    Unit,
    UnitKind,
)
from resdiff.normalize import key
from resdiff.settings import DEFAULT_SETTINGS, Settings
from resdiff.worddiff import diff_units, tokenize

__all__ = ["clear_caches", "compare", "is_routine", "routine_words_only"]


_MONTH = "january|february|march|april|may|june|july|august|september|october|november|december"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_ORD = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_ORD_WORDS = (
    rf"(?:(?:{_TENS})-(?:{_UNITS_ORD})"
    rf"|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth"
    rf"|{_UNITS_ORD}|tenth|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth"
    r"|hundredth)"
)
# Applied to the matching key (lower case, plain dashes and quotes), longest forms first.
# Every form starts at a word boundary with an ASCII letter or a digit; grouping the forms
# by that first character (order kept within each group, and no form of one group can
# match where the other's does) halves the scan; the possessive ``*+`` skips giving back
# characters of a symbol's head, which could never put the required "/" after it. The
# matches are exactly those of the plain alternation of the forms (tests/test_fastpaths.py).
_ROUTINE = re.compile(
    r"\b(?:(?=[a-z])(?:"
    r"[a-z][a-z0-9.]*+(?:/[a-z0-9.\-]+)+"  # document symbols: a/res/76/177, a/c.3/76/l.21
    rf"|(?:{_MONTH}) \d{{4}}"  # march 2021
    rf"|{_ORD_WORDS}\b"  # seventy-sixth
    r")|(?=\d)(?:"
    r"\d+/\d+(?:/\d+)*"  # resolution numbers: 75/190
    rf"|\d{{1,2}} (?:{_MONTH})(?: \d{{4}})?"  # 16 december 2020
    r"|\d+(?:st|nd|rd|th)\b"  # 76th
    r"|(?:1[89]|2[01])\d\d\b"  # years
    r"))"
)


def is_routine(old: str, new: str, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """True when the texts differ, but only by symbols, dates, years or session ordinals."""
    return _routine(diff_units([old], [new], settings), settings)


# Words that join routine items in a list of references ("and 79/160 of 17 December 2024").
_JOINERS = frozenset(
    {
        "and",
        "or",
        "of",
        "the",
        "its",
        "in",
        "on",
        "at",
        "to",
        "resolution",
        "resolutions",
        "decision",
        "decisions",
        "session",
        "sessions",
        "meeting",
        "dated",
    }
)


def routine_words_only(text: str) -> bool:
    """True when ``text`` has words and every one is routine (a symbol, date, year,
    session ordinal or number) or a word joining such items."""
    if not normalize.words(text):
        return False
    rest = normalize.words(_ROUTINE.sub(" ", key(text)))
    return all(w in _JOINERS or w.isdigit() for w in rest)


def _masked(text: str) -> str:
    return _ROUTINE.sub("\x00", key(text))


# A token always starts after whitespace followed by a non-space character.
_TOKEN_START = re.compile(r"(?<=\s)\S")
_EDGE_CHARS = 48  # enough to hold the first or last token of nearly every span


def _first_token(text: str, settings: Settings) -> list[str]:
    """``tokenize(text)[:1]``, tokenising only the head of a long text."""
    if len(text) > _EDGE_CHARS:
        m = _TOKEN_START.search(text, 1, _EDGE_CHARS)
        if m:  # the tokens before a token start do not depend on what follows it
            return tokenize(text[: m.start()], settings)[:1]
    return tokenize(text, settings)[:1]


def _last_token(text: str, settings: Settings) -> list[str]:
    """``tokenize(text)[-1:]``, tokenising only the tail of a long text."""
    if len(text) > _EDGE_CHARS:
        # The last token start within the tail (tokens after a start are the same
        # whether or not the text before it is there).
        start = -1
        for m in _TOKEN_START.finditer(text, len(text) - _EDGE_CHARS):
            start = m.start()
        if start >= 0:
            return tokenize(text[start:], settings)[-1:]
    return tokenize(text, settings)[-1:]


def _routine(spans: Sequence[Span], settings: Settings) -> bool:
    """Every changed run, with one word of context each side, differs only by routine items.

    Working on the changed runs keeps this linear in the size of the change, and the
    context word lets "16 December" -> "15 December" be seen as a date.
    """
    runs = 0
    k = 0
    while k < len(spans):
        if spans[k].op is SpanOp.EQUAL:
            k += 1
            continue
        end = k
        while end < len(spans) and spans[end].op is not SpanOp.EQUAL:
            end += 1
        before = _last_token(spans[k - 1].text, settings) if k else []
        after = _first_token(spans[end].text, settings) if end < len(spans) else []
        dels = "".join(s.text for s in spans[k:end] if s.op is SpanOp.DELETE)
        ins = "".join(s.text for s in spans[k:end] if s.op is SpanOp.INSERT)
        ctx_a, ctx_b = "".join(before), "".join(after)
        if _masked(ctx_a + dels + ctx_b) != _masked(ctx_a + ins + ctx_b):
            return False
        runs += 1
        k = end
    return runs > 0


def _spans(old: Sequence[Unit], new: Sequence[Unit], settings: Settings) -> tuple[Span, ...]:
    if not old:
        return tuple(Span(SpanOp.INSERT, u.text, 0, j) for j, u in enumerate(new) if u.text)
    if not new:
        return tuple(Span(SpanOp.DELETE, u.text, i, 0) for i, u in enumerate(old) if u.text)
    if len(old) == 1 and len(new) == 1 and old[0].text == new[0].text:
        return (Span(SpanOp.EQUAL, old[0].text),) if old[0].text else ()
    return tuple(diff_units([u.text for u in old], [u.text for u in new], settings))


def _pairs(
    old: Sequence[Unit],
    new: Sequence[Unit],
    settings: Settings,
    links: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
) -> tuple[Pair, ...]:
    out: list[Pair] = []
    if links is None:
        aligned = align(old, new, settings)
    else:
        pos_old = {u.label: i for i, u in enumerate(old)}
        pos_new = {u.label: j for j, u in enumerate(new)}
        try:
            given = [([pos_old[x] for x in o], [pos_new[y] for y in n]) for o, n in links]
        except KeyError as e:
            raise ValueError(
                f"alignment names unit {e.args[0]}, which is not in the version"
            ) from e
        aligned = align_given(old, new, given, settings)
    for ap in aligned:
        ou = [old[i] for i in ap.old]
        nu = [new[j] for j in ap.new]
        ol = tuple(u.label for u in ou)
        nl = tuple(u.label for u in nu)
        spans = _spans(ou, nu, settings)
        routine = (
            ap.kind in (PairKind.CHANGED, PairKind.MOVED)
            and len(ou) == len(nu) == 1
            and _routine(spans, settings)
        )
        out.append(
            Pair(
                kind=ap.kind,
                old=ol,
                new=nl,
                spans=spans,
                similarity=round(ap.similarity, 6),
                renumbered=bool(ol and nl and ol[0] != nl[0]),
                routine=routine,
                confidence=ap.confidence,
                alternatives=tuple(
                    Alternative(
                        tuple(
                            (k, tuple(old[i].label for i in o), tuple(new[j].label for j in n))
                            for k, o, n in a.pairs
                        ),
                        a.confidence,
                    )
                    for a in ap.alternatives
                ),
            )
        )
    return tuple(out)


def _footnote_units(doc: Document) -> list[Unit]:
    # Footnotes align like preambular units; their label carries the printed number.
    return [Unit(f"fn{f.number}", UnitKind.PREAMBULAR, f.text) for f in doc.footnotes]


def compare(
    old: Document,
    new: Document,
    settings: Settings | None = None,
    *,
    links: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
) -> Comparison:
    """Compare two versions: every unit and footnote of both in exactly one pair.

    ``links`` (old labels, new labels) imposes an alignment decided elsewhere, such as a
    hand-checked one, instead of the aligner's: units in no link are added or removed;
    word diffs, kinds and confidence are worked out as usual. Footnotes are always aligned.
    """
    s = settings or DEFAULT_SETTINGS
    return Comparison(
        old=old,
        new=new,
        pairs=_pairs(old.units, new.units, s, links),
        footnotes=_pairs(_footnote_units(old), _footnote_units(new), s),
        settings=s.as_dict(),
        settings_hash=s.hash(),
    )


def clear_caches() -> None:
    """Forget cached matching keys, tokens and word codes (outputs never depend on them).

    For cold-start measurements, or to give the memory back in a long-running process.
    """
    normalize.clear_caches()
    worddiff.clear_caches()
    wordcodes.clear_caches()
    word_set.cache_clear()


# `resdiff.compare` is this module once imported: calling it calls compare().
callable_module(__name__, compare)
