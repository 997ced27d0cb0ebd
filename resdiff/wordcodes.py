"""Word codes: each word of a matching key as one character, so that similarity and LCS
over word lists run as C-speed string operations (rapidfuzz in ``align``).

``encode_sides(old_keys, new_keys)`` encodes both versions with one vocabulary;
``encode_words(words, vocab)`` encodes one word list; ``clear_caches()`` forgets the
shared vocabulary and the cached encodings.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from resdiff.normalize import key_words

__all__ = ["clear_caches", "encode_sides", "encode_words"]

# Word codes shared by every call. Only the equality of codes matters (Indel, LCS and
# counts compare codes, never order them), so one growing vocabulary serves every
# comparison and each paragraph is encoded once per process. Cleared when large; the
# lock keeps two threads from giving two words one code.
_VOCAB: dict[str, str] = {}
_ENC: dict[str, str] = {}  # key -> its encoding under _VOCAB
_VOCAB_MAX = 300_000  # codes run to about 1.1 million; a call may add 100,000 more
_SHARED_MAX_CHARS = 200_000  # larger inputs get a private vocabulary, as before
_ENC_MAX_CHARS = 20_000  # longer keys are encoded but not kept
_LOCK = threading.Lock()


def clear_caches() -> None:
    """Forget the shared word codes and the cached encodings."""
    with _LOCK:
        _VOCAB.clear()
        _ENC.clear()


def _encode_key(k: str, vocab: dict[str, str], cache: dict[str, str] | None) -> str:
    """The encoded words of key ``k``, from (and into) ``cache`` when there is one."""
    if cache is None:
        return encode_words(key_words(k), vocab)
    e = cache.get(k)
    if e is None:
        e = encode_words(key_words(k), vocab)
        if len(k) <= _ENC_MAX_CHARS:
            cache[k] = e
    return e


def encode_words(ws: Sequence[str], vocab: dict[str, str]) -> str:
    """The word list as a string of one-character codes (C-speed mapping)."""
    # Distinct words in order of first appearance, so codes are assigned as before.
    for w in dict.fromkeys(ws):
        if w not in vocab:
            _code(w, vocab)
    return "".join(map(vocab.__getitem__, ws))


def _code(word: str, vocab: dict[str, str]) -> str:
    """One character per distinct word, so Indel on strings is Indel on word lists."""
    c = vocab.get(word)
    if c is None:
        n = len(vocab)
        # Skip the surrogate block so every code is a valid character.
        c = chr(n + 0x100 if n + 0x100 < 0xD800 else n + 0x100 + 0x800)
        vocab[word] = c
    return c


def encode_sides(old_keys: list[str], new_keys: list[str]) -> tuple[list[str], list[str]]:
    """The encodings of both versions' keys, under one vocabulary."""
    if sum(map(len, old_keys)) + sum(map(len, new_keys)) > _SHARED_MAX_CHARS:
        vocab: dict[str, str] = {}
        return (
            [encode_words(key_words(k), vocab) for k in old_keys],
            [encode_words(key_words(k), vocab) for k in new_keys],
        )
    with _LOCK:
        if len(_VOCAB) > _VOCAB_MAX or len(_ENC) > _VOCAB_MAX:
            _VOCAB.clear()
            _ENC.clear()
        return (
            [_encode_key(k, _VOCAB, _ENC) for k in old_keys],
            [_encode_key(k, _VOCAB, _ENC) for k in new_keys],
        )
