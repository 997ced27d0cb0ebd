"""The fast paths of the word diff and alignment give exactly what the plain ones give.

The ASCII tokeniser, word pattern, matching key and shared word codes against the
general ones (and on real pairs).
"""

from __future__ import annotations

import pickle
import re
import unicodedata

from conftest import SERIES
from hypothesis import given
from hypothesis import strategies as st

from resdiff import normalize, wordcodes, worddiff
from resdiff.compare import compare
from resdiff.ingest.text import parse_text
from resdiff.model import Document, Source
from resdiff.settings import Settings

S = Settings()


_GENERAL_TOKEN = re.compile(r"\w+(?:['\u2019\u2010\u2011\-]\w+)*\s*|[^\w\s]\s*|\s+")
typed = st.text(
    alphabet=st.sampled_from([*"aZ9_ '-.,;\n\t\x1c", "\u2019", "\u201c", "\u2013", "é"]),
    max_size=60,
)


@given(typed)
def test_fast_tokeniser_equals_general_one(t: str) -> None:
    assert worddiff.tokenize(t, S) == _GENERAL_TOKEN.findall(t)


@given(typed)
def test_fast_word_pattern_equals_general_one(t: str) -> None:
    k = normalize.key(t)
    assert list(normalize.key_words(k)) == re.findall(r"\w+(?:['-]\w+)*", k)


def _load(name: str) -> Document:
    path = SERIES / f"{name}.txt"
    return parse_text(path.read_text(encoding="utf-8"), Source(path.name, "text", ""))


def test_shared_word_codes_do_not_change_comparisons() -> None:
    """A comparison made after others (shared codes, warm caches) equals a fresh one."""
    old, new = _load("A_RES_75_190"), _load("A_RES_76_177")
    wordcodes.clear_caches()
    fresh = pickle.dumps(compare(old, new))
    compare(_load("A_RES_78_198"), _load("A_RES_79_171"))
    again = pickle.dumps(compare(old, new))
    assert again == fresh


_SPACE = re.compile(r"\s+")
_FOLD_RE = re.compile("[" + re.escape("".join(chr(c) for c in normalize._FOLD)) + "]")


def _reference_key(text: str) -> str:
    """key() as first written: regex folding and regex whitespace collapsing."""
    if text.isascii():
        return _SPACE.sub(" ", text.replace("`", "'").lower()).strip()
    text = unicodedata.normalize("NFKC", normalize._INVISIBLE_RE.sub("", text))
    text = _FOLD_RE.sub(lambda m: str(normalize._FOLD[ord(m.group())]), text).casefold()
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def test_split_whitespace_is_regex_whitespace() -> None:
    spaces = [c for c in map(chr, range(0x110000)) if _SPACE.fullmatch(c)]
    assert spaces == [c for c in map(chr, range(0x110000)) if c.isspace()]


folded = st.text(
    alphabet=st.one_of(
        st.sampled_from([chr(c) for c in normalize._FOLD] + ["\u00ad", "\u200b", "\ufb01", "ß"]),
        st.sampled_from(list("aB `'\"-\t\n\u00a0\u2028\u3000")),
        st.characters(),
    ),
    max_size=40,
)


@given(folded)
def test_key_equals_reference(t: str) -> None:
    assert normalize.key.__wrapped__(t) == _reference_key(t)
