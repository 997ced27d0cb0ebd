"""The test oracles' own text normalisation, written apart from resdiff's (shares no code
with ``resdiff.normalize`` or the search key, so a fault there cannot hide here).

What a phrase query must tolerate, said once more from the README: case; curly or
straight quotes; hyphen and dash variants; invisible characters (soft hyphen, zero-width);
compatibility forms (ligatures, NFD accents); any run of spaces and line breaks; and a
footnote number left glued to the end of a word ("Refugees16", "Relations,24 to").
"""

from __future__ import annotations

import re
import sys
import unicodedata

__all__ = ["oracle_key"]

_TO_APOSTROPHE = "\u2018\u2019\u201a\u201b\u2032\u00b4`"
_TO_QUOTE = "\u201c\u201d\u201e\u201f\u00ab\u00bb"
_TO_HYPHEN = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_DROPPED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


# One table for the whole mapping (str.translate), not a loop per character: the history
# audit keys every unit of the corpus (22 million characters).
_PLAIN = str.maketrans(
    {
        **dict.fromkeys(_DROPPED),
        **dict.fromkeys(_TO_APOSTROPHE, "'"),
        **dict.fromkeys(_TO_QUOTE, '"'),
        **dict.fromkeys(_TO_HYPHEN, "-"),
    }
)


def _plain(text: str) -> str:
    return text.translate(_PLAIN)


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# Every character for which str.isdigit holds (superscripts and other digit forms too,
# not only the decimal ones ``\d`` takes) becomes "0" in a copy of the text, whose runs of
# "0" are then the runs of digits, found by one regex scan (a class of all 788 such
# characters makes the scan slower than the loop over the text it replaced).
_AS_ZERO = str.maketrans(
    dict.fromkeys((c for c in map(chr, range(sys.maxunicode + 1)) if c.isdigit()), "0")
)
_DIGIT_RUN = re.compile("0+")


def _without_glued_numbers(t: str) -> str:
    """Drop each run of one to three digits that ends a word and is glued to three letters
    before it ("refugees16"), or to a letter and a comma or semicolon and is followed by
    a space or the end ("relations,24 to")."""
    out: list[str] = []
    kept = 0  # t[:kept] is in out
    for run in _DIGIT_RUN.finditer(t.translate(_AS_ZERO)):
        i, j = run.span()
        after = t[j] if j < len(t) else ""
        glued_to_word = (
            i >= 3 and all(_is_letter(c) for c in t[i - 3 : i]) and not _word_char(after)
        )
        after_comma = i >= 2 and t[i - 1] in ",;" and _is_letter(t[i - 2]) and after in ("", " ")
        if j - i <= 3 and (glued_to_word or after_comma):
            out.append(t[kept:i])
            kept = j
    out.append(t[kept:])
    return "".join(out)


def oracle_key(text: str) -> str:
    """The plain form a phrase and a unit text are compared in."""
    t = unicodedata.normalize("NFKC", _plain(unicodedata.normalize("NFKC", text)))
    t = unicodedata.normalize("NFKC", _plain(t.casefold()))
    t = " ".join(t.split())
    return _without_glued_numbers(t)
