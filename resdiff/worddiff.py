"""Word-level diffs inside one pair of units: tokens, diff-match-patch, spans.

``word_diff(old, new, settings)`` gives ``(SpanOp, text)`` runs whose equal + delete
texts rebuild ``old`` exactly and equal + insert texts rebuild ``new`` exactly.
``diff_units(old_texts, new_texts, settings)`` does the same across the unit
boundaries of a split or merge and returns ``model.Span`` objects with their parts.
``tokenize(text, settings)`` is the tokeniser both use.

Words are never split: each token is a word (hyphens and apostrophes inside it kept),
one punctuation character, or one character of a script written without spaces, with
the whitespace that follows it attached. Tokens are compared by their matching key
(``normalize.key``), so curly and straight quotes or NFD and NFC forms are equal to the
algorithm. ``diff_units`` keeps such tokens in equal spans that carry the old printed
form in ``Span.old_text``; ``word_diff`` (plain ``(op, text)`` runs, which cannot carry
two forms) shows them as a deletion and an insertion.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from diff_match_patch import diff_match_patch

from resdiff.model import Span, SpanOp
from resdiff.normalize import key, typographic_key
from resdiff.settings import DEFAULT_SETTINGS, Settings

__all__ = ["diff_units", "tokenize", "word_diff"]

# Han, kana, CJK compatibility ideographs: scripts written without spaces between
# words, which fall back to one token per character. (Hangul uses spaces.)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_W = rf"(?:(?![{_CJK}])\w)"
_TOKEN = re.compile(
    rf"[{_CJK}]\s*"  # one ideograph or kana
    rf"|{_W}+(?:['\u2019\u2010\u2011\-]{_W}+)*\s*"  # a word, inner hyphens/apostrophes kept
    r"|[^\w\s]\s*"  # one punctuation character
    r"|\s+",  # leading whitespace
)
# The same tokens for texts without any character of those scripts, minus the
# per-character look-ahead (the common case, and several times faster).
_HAS_CJK = re.compile(rf"[{_CJK}]")
_TOKEN_PLAIN = re.compile(r"\w+(?:['\u2019\u2010\u2011\-]\w+)*\s*|[^\w\s]\s*|\s+")
_SENTENCE_END = frozenset({".", ";", ":"})


def tokenize(text: str, settings: Settings = DEFAULT_SETTINGS) -> list[str]:
    """Split ``text`` into tokens whose concatenation is exactly ``text``."""
    if settings.tokenisation == "char":
        return list(text)
    if _HAS_CJK.search(text):
        return _TOKEN.findall(text)
    return _TOKEN_PLAIN.findall(text)


def _token_key(token: str, cache: dict[str, str]) -> str:
    k = cache.get(token)
    if k is None:
        # For ASCII, what key() gives without its Unicode passes (the hot path).
        k = token.strip().lower().replace("`", "'") if token.isascii() else key(token)
        # An all-whitespace token keeps a key of its own: it only occurs at a text's start.
        k = k or " "
        cache[token] = k
    return k


def _encode(a: list[str], b: list[str]) -> tuple[str, str]:
    """Map each distinct key to one character (the linesToChars trick on words).

    Codes are assigned in sorted key order, so the encoding (hence the diff) does not
    depend on which text came first: that makes compare(B, A) the mirror of compare(A, B).
    """
    vocab = sorted(set(a) | set(b))
    code: dict[str, str] = {}
    cp = 0xE000  # private-use plane onwards: no surrogates, no whitespace classes
    for k in vocab:
        if cp == 0xF900:
            cp = 0xF0000  # skip CJK compatibility (not private) up to plane 15
        code[k] = chr(cp)
        cp += 1
    return "".join(code[k] for k in a), "".join(code[k] for k in b)


def _dmp(settings: Settings) -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = settings.diff_timeout
    dmp.Diff_EditCost = settings.diff_edit_cost
    return dmp


def _dmp_ops(a: str, b: str, settings: Settings) -> list[tuple[int, int]]:
    """diff-match-patch with semantic cleanup on encoded strings, as (op, length) runs.

    The inputs are put in a canonical order first and the result swapped back, so the
    diff of (b, a) is exactly the mirror of the diff of (a, b).
    """
    swap = a > b
    if swap:
        a, b = b, a
    dmp = _dmp(settings)
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(-op if swap else op, len(text)) for op, text in diffs]


def _diff_keys(a: list[str], b: list[str], settings: Settings) -> list[tuple[int, int]]:
    """Diff two key sequences as (op, count) runs: -1 delete, 0 equal, 1 insert."""
    n, m = len(a), len(b)
    pre = 0
    while pre < n and pre < m and a[pre] == b[pre]:
        pre += 1
    suf = 0
    while suf < n - pre and suf < m - pre and a[n - 1 - suf] == b[m - 1 - suf]:
        suf += 1
    mid_a, mid_b = a[pre : n - suf], b[pre : m - suf]
    out: list[tuple[int, int]] = []
    if pre:
        out.append((0, pre))
    out.extend(_diff_middle(mid_a, mid_b, settings))
    if suf:
        out.append((0, suf))
    return out


def _replace(a_len: int, b_len: int) -> list[tuple[int, int]]:
    return [(op, n) for op, n in ((-1, a_len), (1, b_len)) if n]


def _diff_middle(a: list[str], b: list[str], settings: Settings) -> list[tuple[int, int]]:
    if not a or not b:
        return _replace(len(a), len(b))
    if len(a) + len(b) <= settings.max_diff_tokens:
        ea, eb = _encode(a, b)
        return _dmp_ops(ea, eb, settings)
    # Too long for an unbounded token diff: diff by sentences first, then by tokens
    # inside each changed region that is small enough; larger regions are replaced.
    sa, sb = _sentences(a), _sentences(b)
    if len(sa) + len(sb) > settings.max_diff_tokens:
        return _replace(len(a), len(b))
    ka = ["\x00".join(a[i:j]) for i, j in sa]
    kb = ["\x00".join(b[i:j]) for i, j in sb]
    ea, eb = _encode(ka, kb)
    out: list[tuple[int, int]] = []
    ia = ib = 0  # sentence cursors
    pending_a = pending_b = 0  # sentences in the current changed region
    for op, count in [*_dmp_ops(ea, eb, settings), (0, 0)]:
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


def _sentences(tokens: list[str]) -> list[tuple[int, int]]:
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
    a_tok: list[str] = []
    a_part: list[int] = []
    for i, t in enumerate(old_texts):
        toks = tokenize(t, settings)
        a_tok += toks
        a_part += [i] * len(toks)
    b_tok: list[str] = []
    b_part: list[int] = []
    for j, t in enumerate(new_texts):
        toks = tokenize(t, settings)
        b_tok += toks
        b_part += [j] * len(toks)
    cache: dict[str, str] = {}
    a_key = [_token_key(t, cache) for t in a_tok]
    b_key = [_token_key(t, cache) for t in b_tok]
    a_starts = _starts(old_texts, a_part)
    b_starts = _starts(new_texts, b_part)
    last_a, last_b = max(len(old_texts) - 1, 0), max(len(new_texts) - 1, 0)

    def part(parts: list[int], k: int, last: int) -> int:
        return parts[k] if k < len(parts) else last

    raw: list[Span] = []
    i = j = 0
    for op, count in _diff_keys(a_key, b_key, settings):
        end_i = i + count if op <= 0 else i
        end_j = j + count if op >= 0 else j
        # Cut the run where either side crosses a unit boundary; spans never cross one.
        while i < end_i or j < end_j:
            pa, pb = part(a_part, i, last_a), part(b_part, j, last_b)
            if op == 0:
                c = min(_next(a_starts, i) - i, _next(b_starts, j) - j, end_i - i)
                ta, tb = "".join(a_tok[i : i + c]), "".join(b_tok[j : j + c])
                if ta == tb:
                    raw.append(Span(SpanOp.EQUAL, ta, pa, pb))
                else:
                    raw += _equal_by_key(
                        a_tok[i : i + c], b_tok[j : j + c], pa, pb, fold_typography
                    )
                i += c
                j += c
            elif op < 0:
                c = min(_next(a_starts, i), end_i) - i
                raw.append(Span(SpanOp.DELETE, "".join(a_tok[i : i + c]), pa, pb))
                i += c
            else:
                c = min(_next(b_starts, j), end_j) - j
                raw.append(Span(SpanOp.INSERT, "".join(b_tok[j : j + c]), pa, pb))
                j += c
    # Parts of empty units are not reached by any token; nothing to emit for them.
    return _merge(raw)


def _starts(texts: Sequence[str], parts: list[int]) -> list[int]:
    """Token index where each unit after the first begins."""
    return [k for k in range(1, len(parts)) if parts[k] != parts[k - 1]]


def _next(starts: list[int], k: int) -> int:
    """The first unit start after token k (or infinity-like)."""
    n = bisect.bisect_right(starts, k)
    return starts[n] if n < len(starts) else 1 << 62


def _equal_by_key(a: list[str], b: list[str], pa: int, pb: int, fold: bool) -> list[Span]:
    """Tokens equal by key but printed differently.

    Folded: one equal span showing the new form and recording the old one. Not folded:
    keep what is byte-equal, replace the rest.
    """
    out: list[Span] = []
    for ta, tb in zip(a, b, strict=True):
        if ta == tb:
            out.append(Span(SpanOp.EQUAL, ta, pa, pb))
            continue
        # Case is part of the wording ("also" -> "Also" is an edit); typography is not.
        if fold and typographic_key(ta) == typographic_key(tb):
            out.append(Span(SpanOp.EQUAL, tb, pa, pb, old_text=ta))
            continue
        wa, wb = ta.rstrip(), tb.rstrip()
        rest_a, rest_b = ta, tb
        if wa == wb:  # only the whitespace after the word differs
            out.append(Span(SpanOp.EQUAL, wa, pa, pb))
            rest_a, rest_b = ta[len(wa) :], tb[len(wb) :]
        if rest_a:
            out.append(Span(SpanOp.DELETE, rest_a, pa, pb))
        if rest_b:
            out.append(Span(SpanOp.INSERT, rest_b, pa, pb))
    return out


def _merge(spans: list[Span]) -> list[Span]:
    """Deletions before insertions in each changed run, then adjacent runs joined."""
    ordered: list[Span] = []
    dels: list[Span] = []
    ins: list[Span] = []
    for s in spans:
        if s.op is SpanOp.EQUAL:
            ordered += dels
            ordered += ins
            dels.clear()
            ins.clear()
            ordered.append(s)
        elif s.op is SpanOp.DELETE:
            dels.append(s)
        else:
            ins.append(s)
    ordered += dels
    ordered += ins

    def group(s: Span) -> tuple[SpanOp, int, int, bool]:
        # A deletion belongs to its old unit only, an insertion to its new unit only.
        # Typographic variants stay apart from byte-equal text, so a reader (or blame)
        # can map byte-equal runs position by position.
        if s.op is SpanOp.DELETE:
            return (s.op, s.old_part, -1, False)
        if s.op is SpanOp.INSERT:
            return (s.op, -1, s.new_part, False)
        return (s.op, s.old_part, s.new_part, s.old_text is not None)

    out: list[Span] = []
    k = 0
    while k < len(ordered):
        first = ordered[k]
        g = group(first)
        end = k + 1
        while end < len(ordered) and group(ordered[end]) == g:
            end += 1
        run = ordered[k:end]
        text = "".join(s.text for s in run)
        old_text = (
            "".join(s.old_side_text for s in run)
            if any(s.old_text is not None for s in run)
            else None
        )
        out.append(Span(first.op, text, first.old_part, first.new_part, old_text))
        k = end
    return out


def word_diff(
    old: str, new: str, settings: Settings = DEFAULT_SETTINGS
) -> list[tuple[SpanOp, str]]:
    """``(op, text)`` runs turning ``old`` into ``new`` at word granularity."""
    return [(s.op, s.text) for s in diff_units([old], [new], settings, fold_typography=False)]
