"""Routine changes: a change that only updates symbols, resolution numbers, dates, years or
session ordinals, such as a yearly recall list gaining the latest resolution.

``routine_change(deleted, inserted)`` judges one changed run; ``routine_spans(spans)``
a whole word diff (every changed run routine). The comparison's ``Pair.routine``, the
review's skipped runs and every renderer reading those marks use this one rule.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

from resdiff.model import Span, SpanOp
from resdiff.normalize import key
from resdiff.worddiff import ATOMS, iter_tokens

__all__ = ["routine_change", "routine_spans", "routine_words_only"]

_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_ORD = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
# Session ordinals: "seventy-ninth", "eightieth", "76th". Not "first" to "nineteenth":
# "the first and second cycles" -> "the first, second and third cycles" is news.
_ORDINAL = re.compile(
    rf"(?:(?:{_TENS})[-\u2010\u2011](?:{_UNITS_ORD})"
    r"|(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)ieth"
    r"|\d+(?:st|nd|rd|th))",
    re.IGNORECASE,
)
_ATOM = re.compile(rf"(?:{ATOMS})")
# What moves when a list of references grows ("77/7 and 78/7" -> "77/7, 78/7 and 79/7"):
# its commas and its last "and"; never "or", which changes what the list says.
_LIST_PUNCTUATION = re.compile(r"(?:[\s,;]|\band\b)*")
_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")
# Words and punctuation that join routine items in a list of references
# ("…, 77/7, 78/7 and 79/7 of 30 October 2024").
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
        ",",
        ";",
        "(",
        ")",
    }
)


def _is_routine_item(word: str) -> bool:
    if _ORDINAL.fullmatch(word) or _YEAR.fullmatch(word):
        return True
    if _ATOM.fullmatch(word):
        # Symbols, resolution numbers and dates; not a figure ("28.9", "45%").
        return "/" in word or not word[:1].isdigit() or " " in word or "\u00a0" in word
    return False


def _rest(text: str, found: list[bool]) -> Iterator[str]:
    """The words of ``text`` that are neither routine items nor joiners, as they come;
    ``found[0]`` turns True once a routine item has gone by."""
    for token in iter_tokens(text):
        word = token.strip()
        if not word:
            continue
        if _is_routine_item(word):
            found[0] = True
        else:
            k = key(word)
            if k not in _JOINERS:
                yield k


def routine_change(deleted: str, inserted: str) -> bool:
    """True when replacing ``deleted`` by ``inserted`` only updates routine items: both
    sides are the same once symbols, dates, years, session ordinals and the words joining
    them are set aside, and at least one side holds such an item."""
    found = [False]
    # Word by word, stopping at the first difference: most changed runs are not routine,
    # and their first other words already tell.
    for old, new in itertools.zip_longest(_rest(deleted, found), _rest(inserted, found)):
        if old != new:
            return False
    return found[0]


def routine_words_only(text: str) -> bool:
    """True when ``text`` holds a routine item and every other word joins such items
    ("and 79/160 of 17 December 2024")."""
    return routine_change(text, "")


def routine_spans(spans: Sequence[Span]) -> bool:
    """True when every changed run of the word diff is routine (or only moves the commas
    and the "and" of a list of references) and at least one is."""
    runs = 0
    k = 0
    while k < len(spans):
        if spans[k].op is SpanOp.EQUAL:
            k += 1
            continue
        end = k
        while end < len(spans) and spans[end].op is not SpanOp.EQUAL:
            end += 1
        deleted = "".join(s.text for s in spans[k:end] if s.op is SpanOp.DELETE)
        inserted = "".join(s.text for s in spans[k:end] if s.op is SpanOp.INSERT)
        if routine_change(deleted, inserted):
            runs += 1
        elif not _LIST_PUNCTUATION.fullmatch(deleted + inserted):
            return False
        k = end
    return runs > 0
