"""Matching keys: idempotent, blind to Unicode form and typography, never used for display."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from resdiff.normalize import clean_display, key, typographic_key, words

# Any text, weighted towards the characters the key folds.
FOLDED = "\u00a0\u00ad\u200b\u2011\u2013\u2014\u2018\u2019\u201c\u201d\ufb01\u00e9e\u0301 \n\t"
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from([*FOLDED, *"aZ9-'\".,;"]), max_size=60),
)


@given(texts)
def test_key_is_idempotent(t: str) -> None:
    assert key(key(t)) == key(t)
    assert typographic_key(typographic_key(t)) == typographic_key(t)


@given(texts)
def test_nfd_and_nfc_forms_have_the_same_key(t: str) -> None:
    assert key(unicodedata.normalize("NFD", t)) == key(unicodedata.normalize("NFC", t))


@given(texts)
def test_key_has_no_invisible_characters_or_runs_of_space(t: str) -> None:
    k = key(t)
    assert not any(c in k for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff")
    assert "  " not in k and k == k.strip()


def test_plain_forms() -> None:
    printed = "Non\u2011self\u2011governing \u201cterritories\u201d \u2013 the \ufb01nal Member\u00a0States\u2019 r\u00e9ports"
    plain = 'non-self-governing "territories" - the final member states\' r\u00e9ports'
    assert key(printed) == plain
    assert key("soft\u00adhyphen and zero\u200bwidth") == "softhyphen and zerowidth"
    assert words("The General Assembly, recalling...") == [
        "the",
        "general",
        "assembly",
        "recalling",
    ]


def test_typographic_key_keeps_case_and_display_keeps_typography() -> None:
    assert typographic_key("Also") != typographic_key("also")
    assert typographic_key("People\u2019s") == typographic_key("People's")
    assert clean_display("People\u2019s \u00a0 Republic\u00ad") == "People\u2019s Republic"
