"""Choosing among candidate links at once: the set with the largest total weight.

``best_matching`` takes weighted candidate edges between old and new units and returns
the links of a maximum-weight matching, solved exactly on each small connected group of
candidates (greedily on the rare large one), so that no strong link is blocked by a weaker
one taken first.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["best_links", "best_matching"]


def best_matching(
    edges: Sequence[tuple[int, int, float, float]],
) -> list[tuple[int, int, float]]:
    """The set of edges (old, new, weight, similarity) with the largest total weight in
    which no unit appears twice; returns (old, new, similarity), deterministic.

    Edges fall into small connected groups (a unit rarely has more than a few plausible
    partners): each group is solved exactly by trying its edges in order with
    backtracking when it is small, and greedily by weight when it is not (``best_links``
    with one unit on each side).
    """
    links = best_links([((i,), (j,), w, sim) for i, j, w, sim in edges])
    return [(olds[0], news[0], sim) for olds, news, sim in links]


_EXACT_EDGES = 12  # 2^12 subsets at worst; real groups have two or three edges


Group = tuple[int, ...]


def best_links(
    edges: Sequence[tuple[Group, Group, float, float]],
) -> list[tuple[Group, Group, float]]:
    """``best_matching`` for links that may join several units on one side (merges and
    splits): the set of edges (olds, news, weight, similarity) with the largest total
    weight in which no unit appears twice; returns (olds, news, similarity), sorted."""
    by_unit: dict[tuple[int, int], list[int]] = {}
    for k, (olds, news, _, _) in enumerate(edges):
        for u in (*((0, i) for i in olds), *((1, j) for j in news)):
            by_unit.setdefault(u, []).append(k)
    seen: set[int] = set()
    out: list[tuple[Group, Group, float]] = []
    for start in range(len(edges)):
        if start in seen:
            continue
        group: list[int] = []
        stack = [start]
        seen.add(start)
        while stack:
            k = stack.pop()
            group.append(k)
            olds, news = edges[k][0], edges[k][1]
            for u in (*((0, i) for i in olds), *((1, j) for j in news)):
                for nk in by_unit[u]:
                    if nk not in seen:
                        seen.add(nk)
                        stack.append(nk)
        group.sort(key=lambda k: (-edges[k][2], edges[k][0], edges[k][1]))
        chosen = _exact_links(group, edges, len(group) <= _EXACT_EDGES)
        out += [(edges[k][0], edges[k][1], edges[k][3]) for k in chosen]
    return sorted(out)


def _exact_links(
    group: list[int], edges: Sequence[tuple[Group, Group, float, float]], exact: bool
) -> list[int]:
    """Best set of one connected group: depth-first search when small, else greedy."""

    def units(k: int) -> frozenset[tuple[int, int]]:
        return frozenset((*((0, i) for i in edges[k][0]), *((1, j) for j in edges[k][1])))

    if not exact:
        used: set[tuple[int, int]] = set()
        chosen: list[int] = []
        for k in group:
            u = units(k)
            if not u & used:
                used |= u
                chosen.append(k)
        return chosen
    best: tuple[float, list[int]] = (-1.0, [])

    def walk(pos: int, used: frozenset[tuple[int, int]], total: float, chosen: list[int]) -> None:
        nonlocal best
        if pos == len(group):
            if total > best[0] + 1e-12:
                best = (total, list(chosen))
            return
        k = group[pos]
        u = units(k)
        if not u & used:
            chosen.append(k)
            walk(pos + 1, used | u, total + edges[k][2], chosen)
            chosen.pop()
        walk(pos + 1, used, total, chosen)

    walk(0, frozenset(), 0.0, [])
    return best[1]
