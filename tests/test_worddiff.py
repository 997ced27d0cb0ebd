"""Word diffs: exact rebuild, word granularity, mirror, determinism, bounded work."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from resdiff.model import SpanOp
from resdiff.settings import Settings
from resdiff.worddiff import _dmp, diff_units, tokenize, word_diff

S = Settings()

# Texts from a small vocabulary so that diffs have real common parts.
WORDS = [
    "the",
    "General",
    "Assembly",
    "Recalls",
    "human",
    "rights",
    "75/190",
    "2020",
    "non-governmental",
    "People’s",
    "(a)",
    "é",
    "e\u0301",
    "人权",
    "理事会",
    "“quoted”",
    '"quoted"',
    ";",
    ",",
    ".",
]
text = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(["", " ", "  ", "\n"])), max_size=25
).map(lambda xs: "".join(w + s for w, s in xs))
any_text = st.one_of(text, st.text(max_size=60))


def rebuild(spans: list[tuple[SpanOp, str]]) -> tuple[str, str]:
    old = "".join(t for op, t in spans if op is not SpanOp.INSERT)
    new = "".join(t for op, t in spans if op is not SpanOp.DELETE)
    return old, new


@given(any_text, any_text)
def test_rebuilds_both_texts(a: str, b: str) -> None:
    assert rebuild(word_diff(a, b, S)) == (a, b)


@given(any_text)
def test_tokens_concatenate_to_text(a: str) -> None:
    assert "".join(tokenize(a, S)) == a


def mirror(spans: list[tuple[SpanOp, str]]) -> list[tuple[SpanOp, str]]:
    """Insertions and deletions swapped; in each changed run deletions again come first."""
    swap = {SpanOp.INSERT: SpanOp.DELETE, SpanOp.DELETE: SpanOp.INSERT, SpanOp.EQUAL: SpanOp.EQUAL}
    swapped = [(swap[op], t) for op, t in spans]
    out: list[tuple[SpanOp, str]] = []
    run: list[tuple[SpanOp, str]] = []
    for op, t in [*swapped, (SpanOp.EQUAL, "")]:
        if op is SpanOp.EQUAL:
            out += sorted(run, key=lambda s: s[0] is SpanOp.INSERT)
            run = []
            if t:
                out.append((op, t))
        else:
            run.append((op, t))
    return out


@given(any_text, any_text)
def test_mirror(a: str, b: str) -> None:
    assert word_diff(b, a, S) == mirror(word_diff(a, b, S))


def _boundaries(spans: list[tuple[SpanOp, str]], side: SpanOp) -> list[int]:
    pos, out = 0, []
    for op, t in spans:
        if op is side:
            continue
        out.append(pos)
        pos += len(t)
    return out


@given(text, text)
def test_never_splits_inside_a_word(a: str, b: str) -> None:
    spans = word_diff(a, b, S)
    for txt, side in ((a, SpanOp.INSERT), (b, SpanOp.DELETE)):
        cuts = {0}
        for tok in tokenize(txt, S):
            cuts.add(next(iter(sorted(cuts, reverse=True))) + len(tok))
        pos = 0
        cuts = {0}
        for tok in tokenize(txt, S):
            pos += len(tok)
            cuts.add(pos)
        for p in _boundaries(spans, side):
            # A cut is at a token boundary, or between a word and its trailing whitespace.
            assert p in cuts or txt[p].isspace(), (txt, p, spans)


@given(any_text, any_text)
def test_runs_are_merged_and_deletions_come_first(a: str, b: str) -> None:
    spans = word_diff(a, b, S)
    for (op1, t1), (op2, _) in itertools.pairwise(spans):
        assert op1 is not op2
        assert not (op1 is SpanOp.INSERT and op2 is SpanOp.DELETE)
        assert t1


def test_punctuation_is_its_own_token() -> None:
    assert tokenize("rights, including 75/190;", S) == [
        "rights",
        ", ",
        "including ",
        "75/190",
        ";",
    ]
    assert tokenize("non-governmental People’s", S) == ["non-governmental ", "People’s"]


def test_word_granularity_on_a_real_edit() -> None:
    spans = word_diff(
        "Decides to continue its consideration of the matter at its seventy-sixth session.",
        "Decides to continue its consideration of the matter at its seventy-seventh session.",
        S,
    )
    assert spans == [
        (SpanOp.EQUAL, "Decides to continue its consideration of the matter at its "),
        (SpanOp.DELETE, "seventy-sixth"),
        (SpanOp.INSERT, "seventy-seventh"),
        # The space both words are followed by is unchanged: no underline runs past a word.
        (SpanOp.EQUAL, " session."),
    ]


def test_scripts_without_spaces_fall_back_to_characters() -> None:
    assert word_diff("人权理事会决议", "人权委员会决议", S) == [
        (SpanOp.EQUAL, "人权"),
        (SpanOp.DELETE, "理事"),
        (SpanOp.INSERT, "委员"),
        (SpanOp.EQUAL, "会决议"),
    ]


def test_typographic_variants_are_equal_to_the_algorithm() -> None:
    # Curly vs straight quotes: the words between stay equal; only the marks are replaced.
    spans = word_diff("the “right” to food", 'the "right" to food', S)
    assert (SpanOp.EQUAL, "right") in spans
    assert rebuild(spans) == ("the “right” to food", 'the "right" to food')


def test_timeout_is_pinned() -> None:
    dmp = _dmp(S)
    assert S.diff_timeout == 0 and dmp.Diff_Timeout == 0
    assert dmp.Diff_EditCost == S.diff_edit_cost


def test_char_mode() -> None:
    spans = word_diff("abc", "abd", Settings(tokenisation="char"))
    assert spans == [(SpanOp.EQUAL, "ab"), (SpanOp.DELETE, "c"), (SpanOp.INSERT, "d")]


def test_one_megabyte_paragraph_with_a_small_edit() -> None:
    old = "The Assembly recalls its resolutions on the matter. " * 20_000  # ~1 MB
    new = old[:500_000] + "It also welcomes the report. " + old[500_000:]
    spans = word_diff(old, new, S)
    assert rebuild(spans) == (old, new)
    assert len(spans) <= 5
    assert sum(len(t) for op, t in spans if op is SpanOp.INSERT) < 100


def test_one_megabyte_unrelated_paragraphs_are_replaced_wholesale() -> None:
    old = " ".join(f"w{i % 997}" for i in range(150_000))
    new = ". ".join(f"v{i % 991}" for i in range(150_000))
    spans = word_diff(old, new, S)
    assert rebuild(spans) == (old, new)
    assert [op for op, _ in spans] == [SpanOp.DELETE, SpanOp.INSERT]


def test_long_texts_with_scattered_edits_stay_word_level() -> None:
    # Beyond max_diff_tokens the diff goes sentence by sentence, still at word level inside.
    sents = [f"Sentence {i} recalls resolution {i}/1 of the Assembly." for i in range(800)]
    old = " ".join(sents)
    edited = list(sents)
    edited[100] = edited[100].replace("recalls", "reaffirms")
    edited[700] = edited[700].replace("Assembly", "Council")
    new = " ".join(edited)
    spans = word_diff(old, new, Settings(max_diff_tokens=2000))
    assert rebuild(spans) == (old, new)
    changed = sorted(re.sub(r"\s", "", t) for op, t in spans if op is not SpanOp.EQUAL)
    assert changed == ["Assembly", "Council", "reaffirms", "recalls"]


def test_multi_unit_spans_rebuild_each_unit() -> None:
    old = ["Condemns the violations; and also calls for accountability;"]
    new = ["Condemns the violations;", "Also calls for accountability;"]
    spans = diff_units(old, new, S)
    rebuilt_new = ["", ""]
    for sp in spans:
        if sp.op is not SpanOp.DELETE:
            rebuilt_new[sp.new_part] += sp.text
    assert rebuilt_new == new
    assert "".join(sp.old_side_text for sp in spans if sp.op is not SpanOp.INSERT) == old[0]


@settings(max_examples=200)
@given(st.lists(any_text, max_size=3), st.lists(any_text, max_size=3))
def test_multi_unit_rebuild_property(old: list[str], new: list[str]) -> None:
    spans = diff_units(old, new, S)
    ro, rn = [""] * len(old), [""] * len(new)
    for sp in spans:
        if sp.op is not SpanOp.INSERT:
            ro[sp.old_part] += sp.old_side_text
        if sp.op is not SpanOp.DELETE:
            rn[sp.new_part] += sp.text
    assert ro == old and rn == new


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_fast_tokeniser_agrees_with_the_general_one(a: str) -> None:
    from resdiff.worddiff import _HAS_CJK, _TOKEN_ALL, _compiled

    if not _HAS_CJK.search(a):
        assert tokenize(a, S) == _compiled(_TOKEN_ALL).findall(a)


# --- numbers, symbols and dates are one token -------------------------------------
# Written apart from the tokeniser (a different shape, not its pattern): the spans a
# change may not cut into.
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _atom_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every number, symbol and date in ``text``, found by hand."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if i and (text[i - 1].isalnum() or text[i - 1] in "/.-("):
            i += 1
            continue
        j = i
        # a run of characters symbols and numbers are made of
        while j < n and (text[j].isalnum() or text[j] in "/.,-()%"):
            j += 1
        # trailing punctuation ends a sentence or a list, not the token
        while j > i and not (text[j - 1].isalnum() or text[j - 1] in ")%"):
            j -= 1
        chunk = text[i:j]
        has_digit = any(c.isdigit() for c in chunk)
        symbol = "/" in chunk and has_digit and (chunk[0].isdigit() or chunk[0].isupper())
        number = chunk[:1].isdigit() and all(c.isdigit() or c in ".,%" for c in chunk)
        if symbol or (number and len(chunk) > 1):
            out.append((i, j))
        words = text[i:].split(" ", 3)
        if (
            len(words) >= 2
            and words[0].isdigit()
            and len(words[0]) <= 2
            and words[1].rstrip(",.;") in _MONTH_NAMES
        ):
            end = i + len(words[0]) + 1 + len(words[1].rstrip(",.;"))
            if words[1] in _MONTH_NAMES and len(words) >= 3 and words[2][:4].isdigit():
                end += 1 + 4
            out.append((i, end))
        i = max(j, i + 1)
    return out


ATOM_WORDS = [
    "28.9",
    "28.0",
    "2.33",
    "2.4",
    "1,000",
    "45%",
    "78/7",
    "79/7",
    "A/RES/79/7",
    "A/RES/78/7",
    "A/C.3/80/L.41",
    "A/C.3/80/L.42",
    "S-35/1",
    "E/CN.4/2005/L.10/Add.17",
    "55/19",
    "30 October 2024",
    "2 November 2023",
    "resolution",
    "and",
    "of",
    "per cent",
]
atom_text = st.lists(
    st.tuples(st.sampled_from(ATOM_WORDS), st.sampled_from([" ", ", ", "; ", ". "])),
    max_size=12,
).map(lambda xs: "".join(w + s for w, s in xs))


@given(atom_text, atom_text)
def test_numbers_symbols_and_dates_are_never_cut(a: str, b: str) -> None:
    spans = word_diff(a, b, S)
    assert rebuild(spans) == (a, b)
    for txt, side in ((a, SpanOp.INSERT), (b, SpanOp.DELETE)):
        inside = {p for s, e in _atom_spans(txt) for p in range(s + 1, e)}
        for p in _boundaries(spans, side):
            assert p not in inside, (txt, p, spans)


@given(atom_text, st.sampled_from(ATOM_WORDS[:16]), st.sampled_from(ATOM_WORDS[:16]))
def test_a_changed_atom_is_replaced_whole(ctx: str, x: str, y: str) -> None:
    old, new = f"{ctx}recalling {x} in full", f"{ctx}recalling {y} in full"
    changed = [(op, t.strip()) for op, t in word_diff(old, new, S) if op is not SpanOp.EQUAL]
    assert changed == ([] if x == y else [(SpanOp.DELETE, x), (SpanOp.INSERT, y)])


def test_the_cuts_seen_in_real_redlines_are_whole_tokens() -> None:
    def changes(old: str, new: str) -> list[str]:
        return [t.strip() for op, t in word_diff(old, new, S) if op is not SpanOp.EQUAL]

    assert changes("an estimated 28.9 per cent", "an estimated 28.0 per cent") == ["28.9", "28.0"]
    assert changes("or 2.4 billion", "or 2.33 billion") == ["2.4", "2.33"]
    assert changes("resolution 78/7 of", "resolution 79/7 of") == ["78/7", "79/7"]
    assert changes("adopted on 30 October 2024,", "adopted on 29 October 2024,") == [
        "30 October 2024",
        "29 October 2024",
    ]


CARRIED = "expressing concern about the spread of disinformation and misinformation, including among children"


def test_a_phrase_carried_between_long_edits_stays_visible() -> None:
    # A clause carried verbatim into a merged paragraph, between two long deletions: the
    # semantic cleanup alone folds it into the edits (shown struck and retyped), which
    # hides that it is agreed language.
    old = (
        "such as harassment and abuse, sexual and gender-based violence, child grooming,"
        " gambling and economic exploitation, including child labour; Expressing concern about"
        " the spread of disinformation and misinformation, including among children, which can"
        " be designed and implemented so as to mislead, to spread racism and to incite violence,"
    )
    new = "and " + CARRIED + ","
    kept = "".join(t for op, t in word_diff(old, new) if op is SpanOp.EQUAL)
    assert CARRIED.removeprefix("expressing ") in kept
    folded = word_diff(old, new, Settings(diff_keep_equal=0))
    assert "disinformation" not in "".join(t for op, t in folded if op is SpanOp.EQUAL)
