"""Longest increasing subsequence: the one order-keeping chain that alignment, word-diff
anchors and the tracked-changes writer all need."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

__all__ = ["longest_increasing"]


def longest_increasing(values: Sequence[int]) -> list[int]:
    """Indices (into ``values``) of one longest strictly increasing subsequence.

    O(n log n) patience sorting; deterministic: among chains of equal length, the one
    ending with the smallest values found first.
    """
    if list(values) == sorted(values) and len(set(values)) == len(values):
        # Already strictly increasing (most anchors are): C-speed checks.
        return list(range(len(values)))
    tails: list[int] = []  # tails[k]: smallest last value of a chain of length k + 1
    tail_idx: list[int] = []  # the index of that last value
    prev = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        prev[i] = tail_idx[k - 1] if k else -1
        if k == len(tails):
            tails.append(v)
            tail_idx.append(i)
        else:
            tails[k] = v
            tail_idx[k] = i
    out: list[int] = []
    i = tail_idx[-1] if tail_idx else -1
    while i >= 0:
        out.append(i)
        i = prev[i]
    return out[::-1]
