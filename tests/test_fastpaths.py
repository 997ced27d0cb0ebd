"""The fast paths of the word diff and alignment give exactly what the plain ones give.

The ASCII tokeniser, word pattern, matching key and shared word codes against the
general ones (and on real pairs).
"""

from __future__ import annotations

import itertools
import math
import pickle
import re
import sys
import unicodedata

import pytest
from conftest import SERIES
from hypothesis import example, given
from hypothesis import strategies as st

from resdiff import normalize, wordcodes, worddiff
from resdiff.align import align as align_fn
from resdiff.align import leftovers as align_module
from resdiff.align import programme as align_programme
from resdiff.align import sides as align_sides
from resdiff.compare import compare
from resdiff.ingest.text import parse_text
from resdiff.model import Document, Source, SpanOp
from resdiff.sequence import longest_increasing
from resdiff.settings import Settings

S = Settings()


# The general tokeniser: numbers, symbols and dates first (one token each: "9.9",
# "A/RES/79/7"), then words with their inner hyphens and apostrophes, then punctuation.
_GENERAL_TOKEN = re.compile(
    rf"(?:{worddiff.ATOMS})\s*|\w+(?:['\u2019\u2010\u2011\-]\w+)*\s*|[^\w\s]\s*|\s+"
)
typed = st.text(
    alphabet=st.sampled_from([*"aZ9_ '-.,;\n\t\x1c", "\u2019", "\u201c", "\u2013", "é"]),
    max_size=60,
)


@given(typed)
@example("9.9")  # a decimal: one token on every path
@example("1,000 and 5% in 79/171")
def test_fast_tokeniser_equals_general_one(t: str) -> None:
    assert worddiff.tokenize(t, S) == _GENERAL_TOKEN.findall(t)


@given(st.one_of(typed, st.text(max_size=40)))
def test_lazy_tokens_are_the_tokens(t: str) -> None:
    assert list(worddiff.iter_tokens(t)) == worddiff.tokenize(t, S)


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


# --- word diff and routine marks: counted anchors, edge tokens -------------------


def _reference_anchors(a: str, b: str) -> list[tuple[int, int]]:
    """_anchors as first written: a dict walk over every character."""
    if len(a) + len(b) < 64:
        return []
    seen_a: dict[str, int] = {}
    for i, c in enumerate(a):
        seen_a[c] = -1 if c in seen_a else i
    seen_b: dict[str, int] = {}
    for j, c in enumerate(b):
        seen_b[c] = -1 if c in seen_b else j
    pairs = sorted((i, seen_b[c]) for c, i in seen_a.items() if i >= 0 and seen_b.get(c, -1) >= 0)
    return [pairs[k] for k in longest_increasing([j for _, j in pairs])]


@given(
    st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=30, max_size=90),
    st.text(alphabet="abcdé\ue000\ue001", max_size=40),
)
def test_counted_anchors_equal_reference(a: str, b: str) -> None:
    b = a[::3] + b + a[1::4]
    assert worddiff._anchors(a, b) == _reference_anchors(a, b)
    assert worddiff._anchors(b, a) == _reference_anchors(b, a)


def test_real_pairs_same_with_plain_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted anchors on, against the plain code they replace, on real pairs."""
    pairs = [
        ("A_RES_75_190", "A_RES_76_177"),
        ("A_RES_78_198", "A_RES_79_171"),
        ("A_RES_79_171", "A_C.3_80_L.41"),
        ("A_RES_78_7", "A_RES_80_179"),
    ]
    fast = [pickle.dumps(compare(_load(a), _load(b))) for a, b in pairs]
    monkeypatch.setattr(worddiff, "_anchors", _reference_anchors)
    wordcodes.clear_caches()
    assert [pickle.dumps(compare(_load(a), _load(b))) for a, b in pairs] == fast


# --- alignment: memoised groups, the attach bound and the step caps; spans built by descriptor ---


def _plain_multi(
    self: align_module.Aligner,
    olds: tuple[int, ...],
    news: tuple[int, ...],
    base: float,
    k: int,
) -> tuple[float, float] | None:
    """_multi as first written: concatenation and kind sets built on every call."""
    ea, eb = align_sides.cat(self.a.enc, olds), align_sides.cat(self.b.enc, news)
    thr = self.threshold(olds, news, base)
    if 2 * min(len(ea), len(eb)) < (thr - 1e-9) * (len(ea) + len(eb)):
        return None
    sim = align_sides.indel(ea, eb, self.s)
    if sim < thr:
        return None
    return (sim - thr) * (k + 1) / 2, sim


def _plain_absorbs(self: align_module.Aligner, i: int, j: int, r: int, side: str) -> float | None:
    """_absorbs as first written: every LCS computed, no bound."""
    s = self.s
    if side == "old":
        far_len = len(self.b.enc[j])
        if self.a.kinds[r] is not self.b.kinds[j] or not far_len:
            return None
        base = self.lcs([i], [j])
        both = max(self.lcs([i, r], [j]), self.lcs([r, i], [j]))
        part_len = len(self.a.enc[r])
    else:
        far_len = len(self.a.enc[i])
        if self.b.kinds[r] is not self.a.kinds[i] or not far_len:
            return None
        base = self.lcs([i], [j])
        both = max(self.lcs([i], [j, r]), self.lcs([i], [r, j]))
        part_len = len(self.b.enc[r])
    if not part_len:
        return None
    gain, share = (both - base) / far_len, (both - base) / part_len
    return gain if gain >= s.attach_gain and share >= s.attach_share else None


def test_alignment_fast_paths_equal_plain_ones_on_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tenth consecutive pair of the series texts, both ways, default and tight
    settings (a fixed sample: the plain paths are slow, and the pairs differ in kind)."""
    names = [p.stem for p in sorted(SERIES.glob("*.txt"))]
    pairs = list(itertools.pairwise(names))[::10]
    docs = {n: _load(n) for pair in pairs for n in pair}
    settings = [S, Settings(max_split=3, long_unit_words=60, attach_gain=0.05)]
    runs = [(docs[a], docs[b], s) for x, y in pairs for a, b in ((x, y), (y, x)) for s in settings]
    fast = [
        [(p.kind, p.old, p.new, p.similarity) for p in align_fn(o.units, n.units, s)]
        for o, n, s in runs
    ]
    monkeypatch.setattr(align_module.Aligner, "_multi", _plain_multi)
    monkeypatch.setattr(align_module.Aligner, "_absorbs", _plain_absorbs)
    # Every split and merge step scored, none passed over by a bound.
    monkeypatch.setattr(align_programme, "step_caps", lambda base, k: [math.inf] * (k + 1))
    monkeypatch.setattr(align_programme, "held_cap", lambda *_: math.inf)
    plain = [
        [(p.kind, p.old, p.new, p.similarity) for p in align_fn(o.units, n.units, s)]
        for o, n, s in runs
    ]
    assert plain == fast
    assert sum(p[0] in ("split", "merged") for found in plain for p in found) > 5  # has teeth


# --- word diff: shared token codes, joined anchors --------------------------------


def _reference_dmp_ops(a: str, b: str, settings: Settings) -> list[tuple[int, int]]:
    """_dmp_ops as first written: each anchor a one-character equality of its own,
    the canonical order read from the (sorted-vocabulary) encodings."""
    swap = a > b
    if swap:
        a, b = b, a
    dmp = worddiff._dmp(settings)
    diffs: list[tuple[int, str]] = []
    start_a = start_b = 0
    for ia, ib in [*worddiff._anchors(a, b), (len(a), len(b))]:
        seg_a, seg_b = a[start_a:ia], b[start_b:ib]
        if seg_a and seg_b:
            diffs += dmp.diff_main(seg_a, seg_b, False)
        elif seg_a or seg_b:
            diffs.append((-1, seg_a) if seg_a else (1, seg_b))
        if ia < len(a):
            diffs.append((0, a[ia]))
        start_a, start_b = ia + 1, ib + 1
    dmp.diff_cleanupMerge(diffs)
    diffs = worddiff._cleanup_semantic(dmp, diffs, settings.diff_keep_equal)
    return [(-op if swap else op, len(text)) for op, text in diffs]


words = st.lists(st.sampled_from([f"w{n}" for n in range(40)]), max_size=90)


@given(words, words, st.randoms(use_true_random=False))
@example(["w1", "w2", "w3"] * 30, ["w1", "w3"] * 30, None)
def test_shared_codes_and_joined_anchors_equal_reference(
    a: list[str], extra: list[str], rnd: object
) -> None:
    # b shares stretches of a (so there are anchors, runs of them and edits between).
    b = a[: len(a) // 3] + extra + a[len(a) // 2 :]
    ka, kb = tuple(a), tuple(b)
    for x, y in ((ka, kb), (kb, ka)):
        want = _reference_dmp_ops(*worddiff._encode(x, y), S)
        assert worddiff._dmp_ops(*worddiff._encode_shared(x, y), S, x > y) == want


def test_token_codes_are_shared_but_never_change_a_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which code a key gets depends on what was diffed before; no diff does: fresh
    codes, codes handed out by other diffs first, and a table replaced at every diff."""
    old, new = _load("A_RES_75_190"), _load("A_RES_76_177")
    texts = [(a.text, b.text) for a, b in zip(old.units, new.units, strict=False)]
    worddiff.clear_caches()
    fresh = [worddiff.diff_units([a], [b]) for a, b in texts]
    worddiff.clear_caches()
    for a, b in reversed(texts):  # the same keys, coded in another order
        worddiff.diff_units([b], [a])
    assert [worddiff.diff_units([a], [b]) for a, b in texts] == fresh
    monkeypatch.setattr(worddiff, "_CODES_MAX", 5)
    worddiff.clear_caches()
    assert [worddiff.diff_units([a], [b]) for a, b in texts] == fresh
    assert len(worddiff._CODES[0]) < 300  # replaced, not grown
    assert sum(s.op is not SpanOp.EQUAL for d in fresh for s in d) > 50  # has teeth


def test_split_and_merge_bounds_change_no_alignment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every consecutive pair of the series texts (one way: the aligner puts both ways in
    one canonical order): the programme with its step bounds gives what it gives scoring
    every step."""
    names = [p.stem for p in sorted(SERIES.glob("*.txt"))]
    docs = {n: _load(n) for n in names}
    runs = [(docs[a], docs[b], S) for a, b in itertools.pairwise(names)]

    def aligned() -> list[list[tuple[object, ...]]]:
        return [
            [(p.kind, p.old, p.new, p.similarity) for p in align_fn(o.units, n.units, s)]
            for o, n, s in runs
        ]

    bounded = aligned()
    monkeypatch.setattr(align_programme, "step_caps", lambda base, k: [math.inf] * (k + 1))
    monkeypatch.setattr(align_programme, "held_cap", lambda *_: math.inf)
    assert aligned() == bounded
    kinds = [p[0] for found in bounded for p in found]
    assert kinds.count("split") + kinds.count("merged") >= 4  # has teeth


def test_token_codes_shared_by_threads_never_mix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Diffs in four threads at once, the code table replaced again and again under
    them, give what one thread gives."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        (a.text, b.text)
        for x, y in (("A_RES_75_190", "A_RES_76_177"), ("A_RES_78_198", "A_RES_79_171"))
        for a, b in zip(_load(x).units, _load(y).units, strict=False)
    ]
    worddiff.clear_caches()
    want = [worddiff.diff_units([a], [b]) for a, b in texts]
    monkeypatch.setattr(worddiff, "_CODES_MAX", 300)
    worddiff.clear_caches()
    # Threads switch every microsecond instead of every five milliseconds, so they
    # interleave inside each other's encodings.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(4) as pool:
            runs = [
                pool.submit(
                    lambda k=k: [worddiff.diff_units([a], [b]) for a, b in texts[k::4] + texts]
                )
                for k in range(4)
            ]
            got = [run.result() for run in runs]
    finally:
        sys.setswitchinterval(interval)
    for k in range(4):
        assert got[k] == [*want[k::4], *want]
