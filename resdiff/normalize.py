"""Matching keys: the plain form of a text used to compare and search, never to display.

``key(text)`` folds Unicode compatibility forms (NFKC: ligatures such as "ﬁ", NFD
accents), typographic quotes and dashes, invisible characters (soft hyphen,
zero-width), every kind of space and line break, and case. It is idempotent:
``key(key(t)) == key(t)``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean_display", "clear_caches", "key", "key_words", "typographic_key", "words"]

# Characters that carry no text: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)

_FOLD = str.maketrans(
    {
        "\u2018": "'",  # left single quote
        "\u2019": "'",  # right single quote / apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",
        "\u2212": "-",  # minus sign
        "\ufe63": "-",
        "\uff0d": "-",
    }
)

_SPACE = re.compile(r"\s+")
# Han, kana, CJK compatibility ideographs: scripts written without spaces between words,
# so that no character of them starts or ends a word (Hangul uses spaces).
CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK = re.compile(f"[{CJK_RANGES}]")


def spaced_word_char(c: str) -> bool:
    """A character of a word that spaces delimit: a regular expression's \\w (a letter or
    digit of any script, or the underscore), less the scripts written without spaces."""
    return (c.isalnum() or c == "_") and not _CJK.match(c)


_WORD = re.compile(r"\w+(?:['-]\w+)*", re.UNICODE)
# Keys are nearly always ASCII, where \w is exactly [A-Za-z0-9_]: the explicit class is
# matched several times faster.
_WORD_ASCII = re.compile(r"[A-Za-z0-9_]+(?:['-][A-Za-z0-9_]+)*")
# Longer keys are not cached: a 1 MB paragraph would pin its word list in memory.
_CACHE_MAX_CHARS = 20_000


# str.translate looks every character up in a dict; these texts hold few characters to
# fold, so replacing only those present (a C-speed scan each) is several times faster.
# No replacement is itself folded, so replacing one after another equals one pass.
_INVISIBLE_RE = re.compile("[" + "".join(chr(c) for c in _INVISIBLE) + "]")
_FOLD_PAIRS = [(chr(c), str(r)) for c, r in _FOLD.items()]


def _fold(text: str) -> str:
    if text.isascii():  # the common case: only the backtick folds
        return text.replace("`", "'")
    text = unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text))
    for ch, plain in _FOLD_PAIRS:
        if ch in text:
            text = text.replace(ch, plain)
    return text


def _collapse(text: str) -> str:
    # Same as _SPACE.sub(" ", text).strip(): str.split() and the regex \s agree on every
    # code point (both are str.isspace()), and splitting is several times faster.
    return " ".join(text.split())


@lru_cache(maxsize=16384)
def key(text: str) -> str:
    """The matching key of ``text``: folded, case-folded, spaces collapsed, trimmed."""
    if text.isascii():
        return _collapse(text.replace("`", "'").lower())
    folded = _fold(text).casefold()
    # casefold can produce new compatibility forms (e.g. "ß" -> "ss" is fine, but some
    # characters decompose); normalising again keeps key() idempotent.
    folded = unicodedata.normalize("NFKC", folded)
    return _collapse(folded)


def typographic_key(text: str) -> str:
    """``text`` with typography folded (quotes, dashes, Unicode forms, invisible characters,
    spacing) but case kept: two texts with the same typographic key read the same."""
    return _collapse(unicodedata.normalize("NFKC", _fold(text)))


def words(text: str) -> list[str]:
    """The words of the matching key of ``text`` (punctuation dropped)."""
    return list(key_words(key(text)))


def key_words(k: str) -> tuple[str, ...]:
    """The words of a matching key: ``words(t) == list(key_words(key(t)))``.

    Cached like ``key()``: the same paragraphs recur in every version of a series.
    """
    if len(k) > _CACHE_MAX_CHARS:
        return _key_words(k)
    return _key_words_cached(k)


def _key_words(k: str) -> tuple[str, ...]:
    return tuple((_WORD_ASCII if k.isascii() else _WORD).findall(k))


_key_words_cached = lru_cache(maxsize=16384)(_key_words)


def clean_display(text: str) -> str:
    """Text for display: NFC, invisible characters removed, runs of whitespace collapsed.

    Quotes, dashes and case are kept as printed.
    """
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def clear_caches() -> None:
    """Forget the cached keys and word lists."""
    key.cache_clear()
    _key_words_cached.cache_clear()
