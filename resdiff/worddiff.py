"""Word-level diffs inside one pair of units: tokens, diff-match-patch, spans.

``word_diff(old, new, settings)`` gives ``(SpanOp, text)`` runs whose equal + delete
texts rebuild ``old`` exactly and equal + insert texts rebuild ``new`` exactly.
``diff_units(old_texts, new_texts, settings)`` does the same across the unit
boundaries of a split or merge and returns ``model.Span`` objects with their parts.
``tokenize(text, settings)`` is the tokeniser both use; ``iter_tokens(text)`` gives its
word tokens one at a time.

Words are never split: each token is a word (hyphens and apostrophes inside it kept),
one punctuation character, or one character of a script written without spaces, with
the whitespace that follows it attached. A number ("28.9", "1,000", "45%"), a document
symbol ("A/C.3/80/L.41", "S-35/1", "55/19", "GC(68)/RES/9") or a date ("30 October 2024",
"March 2021") is one token too: a change to it replaces it whole, never "28.[-9-]{+0+}". Tokens are compared by their matching key
(``normalize.key``), so curly and straight quotes or NFD and NFC forms are equal to the
algorithm. ``diff_units`` keeps such tokens in equal spans that carry the old printed
form in ``Span.old_text``; ``word_diff`` (plain ``(op, text)`` runs, which cannot carry
two forms) shows them as a deletion and an insertion.

Long token sequences are first cut at tokens that occur once on each side in the same
order (patience anchors); diff-match-patch diffs the stretches between them and its
semantic cleanup runs over the whole result, except that a run of at least
``diff_keep_equal`` equal tokens is never folded into the edits around it (a clause
carried verbatim between two long rewrites stays visible as kept wording).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache

from diff_match_patch import diff_match_patch

from resdiff.model import Span, SpanOp
from resdiff.normalize import CJK_RANGES, key, typographic_key
from resdiff.sequence import longest_increasing
from resdiff.settings import DEFAULT_SETTINGS, Settings

__all__ = ["clear_caches", "diff_units", "iter_tokens", "tokenize", "word_diff"]

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_SEGMENT = r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*"  # "80", "L.41", "Add.17", "CN.4"
# Numbers, symbols and dates (ASCII only), each one token, tried before words.
ATOMS = (
    rf"(?:\d{{1,2}}[ \u00a0](?:{_MONTHS})(?:[ \u00a0]\d{{4}})?|(?:{_MONTHS})[ \u00a0]\d{{4}})(?!\w)"
    # A symbol has a slash and a digit: "A/RES/79/7", "GC(68)/DEC/9", not "HIV/AIDS".
    rf"|(?=[A-Za-z0-9.()/\-]*\d)[A-Z][A-Za-z]*(?:\.\d+|\(\d+\)|-\d+)?(?:/{_SEGMENT})+"
    rf"|\d+(?:/{_SEGMENT})+"  # resolution numbers: "55/19", "79/7"
    r"|\d+(?:[.,]\d+)+%?|\d+%"  # decimals, thousands, percentages
)
# Scripts written without spaces between words fall back to one token per character.
_CJK = CJK_RANGES
_W = rf"(?:(?![{_CJK}])\w)"
_TOKEN_ALL = (
    rf"(?:{ATOMS})\s*"
    rf"|[{_CJK}]\s*"  # one ideograph or kana
    rf"|{_W}+(?:['\u2019\u2010\u2011\-]{_W}+)*\s*"  # a word, inner hyphens/apostrophes kept
    r"|[^\w\s]\s*"  # one punctuation character
    r"|\s+"  # leading whitespace
)
# The same tokens for texts without any character of those scripts, minus the
# per-character look-ahead (the common case, and several times faster).
_HAS_CJK = re.compile(rf"[{_CJK}]")
_TOKEN_PLAIN = rf"(?:{ATOMS})\s*|\w+(?:['\u2019\u2010\u2011\-]\w+)*\s*|[^\w\s]\s*|\s+"
# Texts made of ASCII plus the curly quotes and dashes of UN documents (most of them):
# there, \w is exactly [A-Za-z0-9_], and an explicit class is much faster to match.
_NOT_PLAIN = re.compile(r"[^\x00-\x7f\u2018\u2019\u201c\u201d\u2013\u2014]")
_TOKEN_FAST = re.compile(
    rf"(?:{ATOMS})\s*|[A-Za-z0-9_]+(?:['\u2019\-][A-Za-z0-9_]+)*\s*|[^\w\s]\s*|\s+"
)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # The rarer tokenizers are compiled when first needed: each costs milliseconds at
    # every start-up, and most documents need only the fast one.
    return re.compile(pattern)


_SENTENCE_END = frozenset({".", ";", ":"})


def tokenize(text: str, settings: Settings = DEFAULT_SETTINGS) -> list[str]:
    """Split ``text`` into tokens whose concatenation is exactly ``text``."""
    if settings.tokenisation == "char":
        return list(text)
    return _token_pattern(text).findall(text)


def iter_tokens(text: str) -> Iterator[str]:
    """The word tokens of ``text`` one by one, each found only when asked for (a reader
    that stops at the first difference need not cut the whole text)."""
    return (m.group() for m in _token_pattern(text).finditer(text))


def _token_pattern(text: str) -> re.Pattern[str]:
    """The fastest word tokeniser that reads ``text`` right."""
    if text.isascii() or not _NOT_PLAIN.search(text):
        return _TOKEN_FAST
    if _HAS_CJK.search(text):
        return _compiled(_TOKEN_ALL)
    return _compiled(_TOKEN_PLAIN)


# Token -> matching key, shared across calls: the vocabulary of resolutions is small and
# the same tokens recur in every pair. Replaced (never cleared in place, so a thread
# still reading the old dict is unaffected) when full, so memory stays bounded.
_KEYS: list[dict[str, str]] = [{}]
_KEYS_MAX = 200_000
# Longer texts are not cached: a 1 MB paragraph would pin its tokens in memory.
_CACHE_MAX_CHARS = 20_000


def _token_key(token: str) -> str:
    # For ASCII, what key() gives without its Unicode passes (the hot path).
    k = token.strip().lower().replace("`", "'") if token.isascii() else key(token)
    # An all-whitespace token keeps a key of its own: it only occurs at a text's start.
    return k or " "


def _token_keys(tokens: Sequence[str]) -> list[str]:
    """The keys of ``tokens``, each distinct token keyed once (then a C-speed lookup)."""
    keys = _KEYS[0]
    missing = set(tokens).difference(keys)
    if missing:
        if len(keys) + len(missing) > _KEYS_MAX:
            keys = _KEYS[0] = {}
            missing = set(tokens)
        for t in missing:
            keys[t] = _token_key(t)
    return list(map(keys.__getitem__, tokens))


def _encode(a: Sequence[str], b: Sequence[str]) -> tuple[str, str]:
    """Map each distinct key to one character (the linesToChars trick on words).

    Codes are assigned in sorted key order, so comparing two encodings orders them as
    their keys: the canonical order of ``_dmp_ops`` does not depend on which text came
    first, which makes compare(B, A) the mirror of compare(A, B).
    """
    vocab = sorted(set(a) | set(b))
    if len(vocab) <= len(_BMP_CODES):
        code = dict(zip(vocab, _BMP_CODES, strict=False))
    else:
        code = {k: _code_point(n) for n, k in enumerate(vocab)}
    return "".join(map(code.__getitem__, a)), "".join(map(code.__getitem__, b))


def _code_point(n: int) -> str:
    """The n-th private-use character: no surrogates, no letter, digit or space class."""
    # The BMP's private-use block, then planes 15 and 16 (CJK compatibility skipped).
    return chr(0xE000 + n if n < len(_BMP_CODES) else 0xF0000 + n - len(_BMP_CODES))


# The first codes handed out, in order (the whole private-use block of the BMP).
_BMP_CODES = "".join(map(chr, range(0xE000, 0xF900)))

# Token key -> code, shared by every word diff. diff-match-patch only tests codes for
# equality, and its semantic cleanup gives every private-use character the same class,
# so which code a key gets never changes a diff; sharing them lets each diff encode its
# tokens with one C-speed lookup each instead of building and sorting a vocabulary.
# Replaced (never cleared in place, so a diff still using the old table is unaffected)
# when full; the lock keeps two threads from giving two keys one code.
_CODES: list[dict[str, str]] = [{}]
_CODES_MAX = 100_000  # of the 137,472 private-use characters
_CODES_LOCK = threading.Lock()


def _encode_shared(a: Sequence[str], b: Sequence[str]) -> tuple[str, str]:
    """Both key sequences under the shared codes (equal keys, equal characters)."""
    codes = _CODES[0]
    try:
        return "".join(map(codes.__getitem__, a)), "".join(map(codes.__getitem__, b))
    except KeyError:
        pass
    with _CODES_LOCK:
        codes = _CODES[0]
        new = [k for k in dict.fromkeys([*a, *b]) if k not in codes]
        if len(codes) + len(new) > _CODES_MAX:
            codes = _CODES[0] = {}
            new = list(dict.fromkeys([*a, *b]))
        for k in new:
            codes[k] = _code_point(len(codes))
    return "".join(map(codes.__getitem__, a)), "".join(map(codes.__getitem__, b))


def _dmp(settings: Settings) -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = settings.diff_timeout
    dmp.Diff_EditCost = settings.diff_edit_cost
    return dmp


def _dmp_ops(a: str, b: str, settings: Settings, swap: bool) -> list[tuple[int, int]]:
    """diff-match-patch with semantic cleanup on encoded strings, as (op, length) runs.

    ``swap`` says whether ``a`` comes after ``b`` in the canonical order of their keys:
    the inputs are diffed in that order and the result swapped back, so the diff of
    (b, a) is exactly the mirror of the diff of (a, b).
    """
    if swap:
        a, b = b, a
    dmp = _dmp(settings)
    diffs: list[tuple[int, str]] = []
    start_a = start_b = 0
    # Tokens that occur once on each side and in the same order are certain matches
    # (patience diff): diffing only the stretches between them gives the same kind of
    # result for a fraction of diff-match-patch's quadratic-time bisection.
    kept = 0  # start of the anchors met since the last changed stretch, in a
    for ia, ib in [*_anchors(a, b), (len(a), len(b))]:
        if ia == start_a and ib == start_b:  # another anchor right after the last one
            start_a, start_b = ia + 1, ib + 1
            continue
        # Consecutive anchors go in as one equality, as diff_cleanupMerge joins them.
        if kept < start_a:
            diffs.append((0, a[kept:start_a]))
        seg_a, seg_b = a[start_a:ia], b[start_b:ib]
        if seg_a and seg_b:
            diffs += dmp.diff_main(seg_a, seg_b, False)
        else:  # a pure deletion or insertion needs no diff
            diffs.append((-1, seg_a) if seg_a else (1, seg_b))
        kept = ia
        start_a, start_b = ia + 1, ib + 1
    if kept < len(a):
        diffs.append((0, a[kept:]))
    dmp.diff_cleanupMerge(diffs)
    diffs = _cleanup_semantic(dmp, diffs, settings.diff_keep_equal)
    return [(-op if swap else op, len(text)) for op, text in diffs]


def _cleanup_semantic(
    dmp: diff_match_patch, diffs: list[tuple[int, str]], keep: int
) -> list[tuple[int, str]]:
    """Semantic cleanup of each stretch between equal runs of at least ``keep`` tokens,
    which stay as they are (``keep`` 0: of the whole)."""
    if keep <= 0:
        dmp.diff_cleanupSemantic(diffs)
        return diffs
    out: list[tuple[int, str]] = []
    stretch: list[tuple[int, str]] = []
    for d in [*diffs, (0, "")]:
        if (d[0] == 0 and len(d[1]) >= keep) or not d[1]:
            if stretch:
                dmp.diff_cleanupSemantic(stretch)
                out += stretch
                stretch = []
            if d[1]:
                out.append(d)
        else:
            stretch.append(d)
    dmp.diff_cleanupMerge(out)
    return out


def _anchors(a: str, b: str) -> list[tuple[int, int]]:
    """Positions of characters unique in both strings, longest run in the same order."""
    if len(a) + len(b) < 64:  # small enough for diff-match-patch alone
        return []
    # Counting and finding run at C speed; only the few unique characters are visited.
    count_a, count_b = Counter(a), Counter(b)
    pairs = sorted(
        (a.find(c), b.find(c)) for c, n in count_a.items() if n == 1 and count_b.get(c) == 1
    )
    return [pairs[k] for k in longest_increasing([j for _, j in pairs])]


def _diff_keys(a: Sequence[str], b: Sequence[str], settings: Settings) -> list[tuple[int, int]]:
    """Diff two key sequences as (op, count) runs: -1 delete, 0 equal, 1 insert."""
    if type(a) is not type(b):  # slices of a list and a tuple never compare equal
        a, b = tuple(a), tuple(b)
    n, m = len(a), len(b)
    pre = _common_prefix(a, b, min(n, m))
    suf = _common_suffix(a, b, min(n, m) - pre)
    mid_a, mid_b = a[pre : n - suf], b[pre : m - suf]
    out: list[tuple[int, int]] = []
    if pre:
        out.append((0, pre))
    out.extend(_diff_middle(mid_a, mid_b, settings))
    if suf:
        out.append((0, suf))
    return out


def _common_prefix(a: Sequence[str], b: Sequence[str], limit: int) -> int:
    """Length of the common prefix (at most ``limit``): bisection on C-speed slice equality."""
    if a[:limit] == b[:limit]:
        return limit
    lo, hi = 0, limit  # a[:lo] == b[:lo]; the first difference is before hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _common_suffix(a: Sequence[str], b: Sequence[str], limit: int) -> int:
    """Length of the common suffix (at most ``limit``)."""
    n, m = len(a), len(b)
    if a[n - limit :] == b[m - limit :]:
        return limit
    lo, hi = 0, limit
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[n - mid : n - lo] == b[m - mid : m - lo]:
            lo = mid
        else:
            hi = mid
    return lo


def _replace(a_len: int, b_len: int) -> list[tuple[int, int]]:
    return [(op, n) for op, n in ((-1, a_len), (1, b_len)) if n]


def _diff_middle(a: Sequence[str], b: Sequence[str], settings: Settings) -> list[tuple[int, int]]:
    if not a or not b:
        return _replace(len(a), len(b))
    if len(a) + len(b) <= settings.max_diff_tokens:
        ea, eb = _encode_shared(a, b)
        # Key order is the order sorted codes would give the encodings.
        return _dmp_ops(ea, eb, settings, tuple(a) > tuple(b))
    # Too long for an unbounded token diff: diff by sentences first, then by tokens
    # inside each changed region that is small enough; larger regions are replaced.
    sa, sb = _sentences(a), _sentences(b)
    if len(sa) + len(sb) > settings.max_diff_tokens:
        return _replace(len(a), len(b))
    ka = ["\x00".join(a[i:j]) for i, j in sa]
    kb = ["\x00".join(b[i:j]) for i, j in sb]
    # Sentence keys are long and met once: a private vocabulary, not the shared codes
    # (which would keep the texts of huge paragraphs alive in a process-wide table).
    ea, eb = _encode(ka, kb)
    out: list[tuple[int, int]] = []
    ia = ib = 0  # sentence cursors
    pending_a = pending_b = 0  # sentences in the current changed region
    for op, count in [*_dmp_ops(ea, eb, settings, ea > eb), (0, 0)]:
        if op == 0:
            if pending_a or pending_b:
                ta0, ta1 = (
                    sa[ia - pending_a][0] if pending_a else 0,
                    sa[ia - 1][1] if pending_a else 0,
                )
                tb0, tb1 = (
                    sb[ib - pending_b][0] if pending_b else 0,
                    sb[ib - 1][1] if pending_b else 0,
                )
                sub_a, sub_b = a[ta0:ta1], b[tb0:tb1]
                if len(sub_a) + len(sub_b) <= settings.max_diff_tokens:
                    out.extend(_diff_keys(sub_a, sub_b, settings))
                else:
                    out.extend(_replace(len(sub_a), len(sub_b)))
                pending_a = pending_b = 0
            if count:
                tokens = sa[ia + count - 1][1] - sa[ia][0]
                out.append((0, tokens))
                ia += count
                ib += count
        elif op < 0:
            pending_a += count
            ia += count
        else:
            pending_b += count
            ib += count
    return out


def _sentences(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges of sentences (ending after '.', ';' or ':')."""
    out: list[tuple[int, int]] = []
    start = 0
    for i, t in enumerate(tokens):
        if t in _SENTENCE_END:
            out.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        out.append((start, len(tokens)))
    return out


# A span under construction: (op, text, old_part, new_part, old_text). Plain tuples,
# turned into frozen Span objects only once runs are merged (construction is costly).
_Raw = tuple[SpanOp, str, int, int, str | None]


def diff_units(
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    settings: Settings = DEFAULT_SETTINGS,
    *,
    fold_typography: bool = True,
) -> list[Span]:
    """Word diff between the concatenated old and new units, spans cut at unit boundaries.

    Equal + delete spans with ``old_part == i`` rebuild ``old_texts[i]`` exactly; equal +
    insert spans with ``new_part == j`` rebuild ``new_texts[j]``. Adjacent spans of the
    same op and part are merged; within each changed run deletions precede insertions.
    """
    a_tok, a_key, a_part = _tokens(old_texts, settings)
    b_tok, b_key, b_part = _tokens(new_texts, settings)
    a_starts = _starts(old_texts, a_part)
    b_starts = _starts(new_texts, b_part)
    last_a, last_b = max(len(old_texts) - 1, 0), max(len(new_texts) - 1, 0)
    equal, delete, insert = SpanOp.EQUAL, SpanOp.DELETE, SpanOp.INSERT

    def part(parts: list[int], k: int, last: int) -> int:
        return parts[k] if k < len(parts) else last

    raw: list[_Raw] = []
    i = j = 0
    ops = _diff_keys(a_key, b_key, settings)
    if len(old_texts) == 1 and len(new_texts) == 1:  # no unit boundary to cut runs at
        for op, count in ops:
            if op == 0:
                ta, tb = "".join(a_tok[i : i + count]), "".join(b_tok[j : j + count])
                if ta == tb:
                    raw.append((equal, ta, 0, 0, None))
                else:
                    raw += _equal_by_key(
                        a_tok[i : i + count], b_tok[j : j + count], 0, 0, fold_typography
                    )
                i += count
                j += count
            elif op < 0:
                raw.append((delete, "".join(a_tok[i : i + count]), 0, 0, None))
                i += count
            else:
                raw.append((insert, "".join(b_tok[j : j + count]), 0, 0, None))
                j += count
        return _merge(raw)
    for op, count in ops:
        end_i = i + count if op <= 0 else i
        end_j = j + count if op >= 0 else j
        # Cut the run where either side crosses a unit boundary; spans never cross one.
        while i < end_i or j < end_j:
            pa, pb = part(a_part, i, last_a), part(b_part, j, last_b)
            if op == 0:
                c = min(_next(a_starts, i) - i, _next(b_starts, j) - j, end_i - i)
                ta, tb = "".join(a_tok[i : i + c]), "".join(b_tok[j : j + c])
                if ta == tb:
                    raw.append((equal, ta, pa, pb, None))
                else:
                    raw += _equal_by_key(
                        a_tok[i : i + c], b_tok[j : j + c], pa, pb, fold_typography
                    )
                i += c
                j += c
            elif op < 0:
                c = min(_next(a_starts, i), end_i) - i
                raw.append((delete, "".join(a_tok[i : i + c]), pa, pb, None))
                i += c
            else:
                c = min(_next(b_starts, j), end_j) - j
                raw.append((insert, "".join(b_tok[j : j + c]), pa, pb, None))
                j += c
    # Parts of empty units are not reached by any token; nothing to emit for them.
    return _merge(raw)


def _tokens(
    texts: Sequence[str], settings: Settings
) -> tuple[Sequence[str], Sequence[str], list[int]]:
    """Tokens and keys of several units in a row, and the unit each token belongs to."""
    if len(texts) == 1:
        toks, keys = _tokenized(texts[0], settings)
        return toks, keys, [0] * len(toks)
    tok: list[str] = []
    keys_: list[str] = []
    parts: list[int] = []
    for i, t in enumerate(texts):
        toks, keys = _tokenized(t, settings)
        tok += toks
        keys_ += keys
        parts += [i] * len(toks)
    return tok, keys_, parts


def _tokenized(text: str, settings: Settings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tokens of ``text`` and their keys; cached for word tokens of ordinary texts."""
    if settings.tokenisation != "word" or len(text) > _CACHE_MAX_CHARS:
        toks = tokenize(text, settings)
        return tuple(toks), tuple(_token_keys(toks))
    return _tokenized_words(text)


def clear_caches() -> None:
    """Forget the cached tokens, token keys and token codes."""
    _tokenized_words.cache_clear()
    _KEYS[0] = {}
    _CODES[0] = {}


@lru_cache(maxsize=16384)
def _tokenized_words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # Versions of one resolution share most paragraphs: each is tokenised once.
    toks = tokenize(text, DEFAULT_SETTINGS)
    return tuple(toks), tuple(_token_keys(toks))


def _starts(texts: Sequence[str], parts: list[int]) -> list[int]:
    """Token index where each unit after the first begins."""
    if len(texts) == 1:
        return []
    return [k for k in range(1, len(parts)) if parts[k] != parts[k - 1]]


def _next(starts: list[int], k: int) -> int:
    """The first unit start after token k (or infinity-like)."""
    if not starts:
        return 1 << 62
    n = bisect.bisect_right(starts, k)
    return starts[n] if n < len(starts) else 1 << 62


def _equal_by_key(a: Sequence[str], b: Sequence[str], pa: int, pb: int, fold: bool) -> list[_Raw]:
    """Tokens equal by key but printed differently.

    Folded: one equal span showing the new form and recording the old one. Not folded:
    keep what is byte-equal, replace the rest.
    """
    out: list[_Raw] = []
    same: list[str] = []  # byte-equal tokens since the last variant, emitted as one span
    for ta, tb in zip(a, b, strict=True):
        if ta == tb:
            same.append(ta)
            continue
        if same:
            out.append((SpanOp.EQUAL, "".join(same), pa, pb, None))
            same = []
        wa, wb = ta.rstrip(), tb.rstrip()
        rest_a, rest_b = ta, tb
        # A space after the word on one side only is where the text around it changed
        # ("2023 and" -> "2023,"): it stays a deletion or insertion of its own, or the
        # side without it would read "2023and" wherever one form is shown for both.
        spaced = bool(ta[len(wa) :]) != bool(tb[len(wb) :])
        # Case is part of the wording ("also" -> "Also" is an edit); typography is not.
        if fold and typographic_key(ta) == typographic_key(tb) and not spaced:
            out.append((SpanOp.EQUAL, tb, pa, pb, ta))
            continue
        if wa == wb or (fold and typographic_key(wa) == typographic_key(wb)):
            out.append((SpanOp.EQUAL, wb, pa, pb, None if wa == wb else wa))
            rest_a, rest_b = ta[len(wa) :], tb[len(wb) :]
        if rest_a:
            out.append((SpanOp.DELETE, rest_a, pa, pb, None))
        if rest_b:
            out.append((SpanOp.INSERT, rest_b, pa, pb, None))
    if same:
        out.append((SpanOp.EQUAL, "".join(same), pa, pb, None))
    return out


def _merge(spans: list[_Raw]) -> list[Span]:
    """Deletions before insertions in each changed run, then adjacent runs joined."""
    equal, delete, insert = SpanOp.EQUAL, SpanOp.DELETE, SpanOp.INSERT
    ordered: list[_Raw] = []
    dels: list[_Raw] = []
    ins: list[_Raw] = []
    for s in spans:
        op = s[0]
        if op is equal:
            if dels or ins:
                ordered += _spaces_shared(dels, ins)
                dels.clear()
                ins.clear()
            ordered.append(s)
        elif op is delete:
            dels.append(s)
        else:
            ins.append(s)
    ordered += _spaces_shared(dels, ins)

    out: list[Span] = []
    run: list[_Raw] = []
    prev: tuple[SpanOp, int, int, bool] | None = None
    for s in ordered:
        op = s[0]
        # A deletion belongs to its old unit only, an insertion to its new unit only.
        # Typographic variants stay apart from byte-equal text, so a reader (or blame)
        # can map byte-equal runs position by position.
        if op is delete:
            g = (op, s[2], -1, False)
        elif op is insert:
            g = (op, -1, s[3], False)
        else:
            g = (op, s[2], s[3], s[4] is not None)
        if g != prev:
            if run:
                out.append(_joined(run))
            run = [s]
            prev = g
        else:
            run.append(s)
    if run:
        out.append(_joined(run))
    return out


def _spaces_shared(dels: list[_Raw], ins: list[_Raw]) -> list[_Raw]:
    """One changed run, deletions first, with the whitespace that both ends of it share
    taken out as unchanged: " and " -> ", " is " [-and-]{+,+} ", and " " -> ", " (a
    comma inserted where the old text had a space) is "{+,+} ", which reads right on
    both sides instead of one side carrying a space the other lacks."""
    if not dels or not ins:
        return dels + ins
    head: list[_Raw] = []
    tail: list[_Raw] = []
    d0, d1, i0, i1 = dels[0], dels[-1], ins[0], ins[-1]
    lead = _shared_space(d0[1], i0[1], front=True)
    if lead:
        head = [(SpanOp.EQUAL, lead, d0[2], i0[3], None)]
        dels[0] = (d0[0], d0[1][len(lead) :], *d0[2:])
        ins[0] = (i0[0], i0[1][len(lead) :], *i0[2:])
        d1, i1 = dels[-1], ins[-1]
    trail = _shared_space(d1[1], i1[1], front=False)
    if trail:
        tail = [(SpanOp.EQUAL, trail, d1[2], i1[3], None)]
        dels[-1] = (d1[0], d1[1][: len(d1[1]) - len(trail)], *d1[2:])
        ins[-1] = (i1[0], i1[1][: len(i1[1]) - len(trail)], *i1[2:])
    return head + [s for s in dels + ins if s[1]] + tail


def _shared_space(a: str, b: str, *, front: bool) -> str:
    """The whitespace both ``a`` and ``b`` start (``front``) or end with."""
    n = 0
    while n < min(len(a), len(b)):
        ca, cb = (a[n], b[n]) if front else (a[-1 - n], b[-1 - n])
        if ca != cb or not ca.isspace():
            break
        n += 1
    if not n:
        return ""
    return a[:n] if front else a[len(a) - n :]


def _joined(run: list[_Raw]) -> Span:
    """One span from a run of raw spans of the same op and parts."""
    first = run[0]
    if len(run) == 1:
        return Span(first[0], first[1], first[2], first[3], first[4])
    text = "".join([s[1] for s in run])
    old_text = (
        "".join([s[1] if s[4] is None else s[4] for s in run])
        if any(s[4] is not None for s in run)
        else None
    )
    return Span(first[0], text, first[2], first[3], old_text)


def word_diff(
    old: str, new: str, settings: Settings = DEFAULT_SETTINGS
) -> list[tuple[SpanOp, str]]:
    """``(op, text)`` runs turning ``old`` into ``new`` at word granularity."""
    return [(s.op, s.text) for s in diff_units([old], [new], settings, fold_typography=False)]
