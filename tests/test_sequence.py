"""The longest increasing subsequence against brute force."""

from __future__ import annotations

from itertools import combinations, pairwise

from hypothesis import given
from hypothesis import strategies as st

from resdiff.sequence import longest_increasing


def _brute_length(values: list[int]) -> int:
    for size in range(len(values), 0, -1):
        for idx in combinations(range(len(values)), size):
            if all(values[a] < values[b] for a, b in pairwise(idx)):
                return size
    return 0


@given(st.lists(st.integers(-5, 5), max_size=10))
def test_longest_increasing_is_longest_and_increasing(values: list[int]) -> None:
    idx = longest_increasing(values)
    assert idx == sorted(idx) and len(set(idx)) == len(idx)
    assert all(values[a] < values[b] for a, b in pairwise(idx))
    assert len(idx) == _brute_length(values)
    assert longest_increasing(values) == idx  # deterministic


def test_examples() -> None:
    assert longest_increasing([]) == []
    assert longest_increasing([3, 1, 2, 5, 4]) == [1, 2, 4]
    assert longest_increasing([2, 2, 2]) == [2]


@given(st.lists(st.integers(-50, 50), max_size=30))
def test_an_increasing_run_is_kept_whole_and_sorted_input_is_no_shortcut_for_ties(
    values: list[int],
) -> None:
    increasing = sorted(set(values))
    assert longest_increasing(increasing) == list(range(len(increasing)))
    # Sorted with repeats is not strictly increasing: one of each value is kept.
    ties = sorted(values)
    assert len(longest_increasing(ties)) == len(set(values))
