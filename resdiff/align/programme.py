"""The order-preserving part of the alignment: anchors and the programme between them.

``Programme`` holds the state of one alignment (which units are used, the matches so far)
and its scores: word similarity of units and groups, the thresholds within and across
kinds, the lead bonus, and the informative evidence of ``evidence``. Its passes pair
identical units (anchors: the longest in-order run; repeats in turn; the rest as moves)
and, between anchors, run a dynamic programme over 1:1, split (1:k) and merge (k:1)
steps whose parts must each bring informative words of the whole.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import Indel

from resdiff.align.evidence import Informativeness
from resdiff.align.sides import AlignedPair, Side, cat, indel
from resdiff.model import PairKind, UnitKind
from resdiff.sequence import longest_increasing
from resdiff.settings import Settings

__all__ = ["Programme"]


class Programme:
    """Alignment state, scoring and the order-preserving passes: identical anchors and the
    programme with splits and merges between them (``Aligner`` adds the leftover passes)."""

    def __init__(self, a: Side, b: Side, settings: Settings) -> None:
        self.a, self.b, self.s = a, b, settings
        self.n, self.m = len(a.keys), len(b.keys)
        self.used_a = [False] * self.n
        self.used_b = [False] * self.m
        self.ordered: list[AlignedPair] = []  # order-preserving matches
        self.moved: list[AlignedPair] = []
        self._pair_lcs: dict[tuple[int, int], int] = {}  # lcs([i], [j]) in the attach pass
        self._info: Informativeness | None = None
        self._parts: dict[tuple[tuple[int, ...], tuple[int, ...]], bool] = {}
        self._overlap: dict[tuple[int, int], float] = {}
        self._runs: dict[bool, dict[int, frozenset[str]]] = {}  # Aligner.runs, by side

    @property
    def info(self) -> Informativeness:
        """Word weights of this comparison, built on first use (most pairs never need them)."""
        if self._info is None:
            self._info = Informativeness([*self.a.wordsets, *self.b.wordsets])
        return self._info

    def overlap(self, i: int, j: int) -> float:
        """Informative word overlap of old unit ``i`` and new unit ``j`` (remembered: the
        leftover passes weigh the same candidates in turn)."""
        v = self._overlap.get((i, j))
        if v is None:
            v = self._overlap[i, j] = self.info.overlap(self.a.wordsets[i], self.b.wordsets[j])
        return v

    def parts_informative(self, olds: Sequence[int], news: Sequence[int]) -> bool:
        """Does every part of a split (merge) bring informative words of the whole?

        A part whose only common ground with the whole is boilerplate ("the rights of
        persons belonging to national or ethnic, religious and linguistic minorities"),
        or words the other parts already bring, is a new or dropped paragraph next to the
        successor, not a piece of it.
        """
        if len(olds) == len(news) == 1:
            return True
        memo = self._parts.get((tuple(olds), tuple(news)))
        if memo is not None:
            return memo
        minimum = self.s.part_evidence_min
        if self.s.one_list_parts and not self._one_list(
            olds if len(news) == 1 else news, self.a if len(news) == 1 else self.b
        ):
            self._parts[tuple(olds), tuple(news)] = False
            return False
        if len(olds) == 1:
            whole, parts = self.a.wordsets[olds[0]], [self.b.wordsets[j] for j in news]
            lead, part_leads = self.a.lead_words[olds[0]], [self.b.lead_words[j] for j in news]
        else:
            whole, parts = self.b.wordsets[news[0]], [self.a.wordsets[i] for i in olds]
            lead, part_leads = self.b.lead_words[news[0]], [self.a.lead_words[i] for i in olds]
        info = self.info
        novel = self.s.part_novel_min
        ok = self._parts[tuple(olds), tuple(news)] = all(
            info.contained(p, whole) >= minimum
            and (
                novel <= 0
                or self._novel_share(p, whole, [*parts[:k], *parts[k + 1 :], lead & part_leads[k]])
                >= novel
            )
            for k, p in enumerate(parts)
        )
        return ok

    @staticmethod
    def _one_list(parts: Sequence[int], side: Side) -> bool:
        """Whether the sub-items among ``parts`` belong to one list (one enclosing unit).

        Lists of texts adopted and of tasks requested open their items alike ("In the area
        of electronic commerce, ..."): an item of one list and an item of another sharing
        that frame are two items, not the pieces of one.
        """
        lists = {side.parents[k] for k in parts if side.parents[k] is not None}
        return len(lists) <= 1

    def _novel_share(
        self, part: frozenset[str], whole: frozenset[str], others: list[frozenset[str]]
    ) -> float:
        """Share of ``part``'s informative weight found in ``whole`` and in no other part.

        A part that brings nothing of the whole that its neighbours do not already bring
        ("Notes the informal first approach within the system of administration of
        justice" beside the mediation paragraph that keeps "the system of administration
        of justice") is a paragraph dropped next to the successor, not a piece of it.
        ``others`` holds the words the part's lead shares with the whole's lead too: a
        lead ("Recalling also") passed on to the next paragraph says nothing of substance.
        """
        m = self.info.unit_mass(part)
        if not m:
            return 0.0
        return self.info.mass((part & whole).difference(*others)) / m

    # --- scoring --------------------------------------------------------------

    def sim(self, olds: Sequence[int], news: Sequence[int]) -> float:
        return indel(cat(self.a.enc, olds), cat(self.b.enc, news), self.s)

    def threshold1(self, i: int, j: int, base: float) -> float:
        """``threshold([i], [j], base)`` without building sets."""
        ta, tb = self.a.top1[i], self.b.top1[j]
        one_kind = (ta is None) != (tb is None) or (ta is not None and ta is tb)
        return base if one_kind else max(base, self.s.cross_kind_threshold)

    def threshold(self, olds: Sequence[int], news: Sequence[int], base: float) -> float:
        kinds = self.a.top_kinds(olds) | self.b.top_kinds(news)
        return base if len(kinds) == 1 else max(base, self.s.cross_kind_threshold)

    def bonus(self, i: int, j: int) -> float:
        la, lb = self.a.leads[i], self.b.leads[j]
        return self.s.lead_bonus if la and la == lb else 0.0

    def mark(self, p: AlignedPair, moved: bool = False) -> None:
        for i in p.old:
            self.used_a[i] = True
        for j in p.new:
            self.used_b[j] = True
        (self.moved if moved else self.ordered).append(p)

    def one_to_one(self, i: int, j: int, sim: float, moved: bool = False) -> AlignedPair:
        if moved:
            kind = PairKind.MOVED
        elif self.a.keys[i] == self.b.keys[j]:
            kind = PairKind.UNCHANGED
        else:
            kind = PairKind.CHANGED
        return AlignedPair(kind, (i,), (j,), 1.0 if kind is PairKind.UNCHANGED else sim)

    # --- passes ---------------------------------------------------------------

    def anchor_pass(self) -> list[tuple[int, int]]:
        """Identical units: unique ones anchor the order, repeated ones pair up in turn.

        Identical units of the same kind, unique to both sides, are paired (a unit that
        changed kind is left to the move pass); the longest order-preserving
        run of them are the anchors, the rest are moves. Repeated identical texts are then
        paired occurrence by occurrence, first inside each gap between anchors (in order,
        so more anchors) and then across gaps (moves), before any fuzzy matching can
        claim them.
        """
        ca, cb = Counter(self.a.keys), Counter(self.b.keys)
        where_b = {k: j for j, k in enumerate(self.b.keys) if cb[k] == 1}
        cands = [
            (i, where_b[k])
            for i, k in enumerate(self.a.keys)
            if ca[k] == 1 and k in where_b and self.a.kinds[i] is self.b.kinds[where_b[k]]
        ]
        anchors = self.keep_order(cands)
        bounds = [(-1, -1), *anchors, (self.n, self.m)]
        for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
            if i1 - i0 > 1 and j1 - j0 > 1:  # most anchors follow each other on a side
                anchors += self.keep_order(
                    self.repeated(range(i0 + 1, i1), range(j0 + 1, j1), as_many=True)
                )
        self.keep_order(self.repeated(range(self.n), range(self.m), as_many=True), moved_only=True)
        return sorted(anchors)

    def repeated(
        self, olds: Sequence[int], news: Sequence[int], as_many: bool = False
    ) -> list[tuple[int, int]]:
        """Unused identical units of one kind, k-th occurrence with k-th occurrence.

        ``as_many``: only texts occurring as many times on each side. Where one side has
        more occurrences, which of them is the old one depends on the neighbours: the
        programme of the gap decides (identical texts are its best matches), and
        ``pair_repeated`` pairs what it left.
        """
        queue: dict[tuple[str, UnitKind], list[int]] = {}
        for j in news:
            if not self.used_b[j]:
                queue.setdefault((self.b.keys[j], self.b.kinds[j]), []).append(j)
        if not queue:
            return []  # most gaps between anchors hold no new unit at all
        if as_many:
            counts = Counter((self.a.keys[i], self.a.kinds[i]) for i in olds if not self.used_a[i])
            queue = {k: q for k, q in queue.items() if counts[k] == len(q)}
        out: list[tuple[int, int]] = []
        for i in olds:
            q = queue.get((self.a.keys[i], self.a.kinds[i]))
            if q and not self.used_a[i]:
                out.append((i, q.pop(0)))
        return out

    def pair_repeated(self) -> None:
        """Identical units the programmes left, paired in turn: in order where no match
        stands between them, else as moves."""
        spans = self.ordered_spans()
        for i, j in self.repeated(range(self.n), range(self.m)):
            self.link_in_place(i, j, 1.0, spans)

    def ordered_spans(self) -> list[tuple[int, int, int, int]]:
        """The order-preserving matches as (first old, last old, first new, last new),
        sorted: they never cross, so a link's neighbours in this list say if it would."""
        return sorted((min(p.old), max(p.old), min(p.new), max(p.new)) for p in self.ordered)

    def link_in_place(
        self, i: int, j: int, sim: float, spans: list[tuple[int, int, int, int]]
    ) -> None:
        """Link old ``i`` to new ``j``: in order when it crosses no order-preserving match
        (``spans``, kept up to date), else as a move."""
        k = bisect.bisect_left(spans, (i, i, j, j))
        before = spans[k - 1] if k else None
        after = spans[k] if k < len(spans) else None
        moved = (before is not None and not (before[1] < i and before[3] < j)) or (
            after is not None and not (after[0] > i and after[2] > j)
        )
        if not moved:
            spans.insert(k, (i, i, j, j))
        self.mark(self.one_to_one(i, j, sim, moved=moved), moved=moved)

    def keep_order(
        self, cands: list[tuple[int, int]], moved_only: bool = False
    ) -> list[tuple[int, int]]:
        """Mark identical pairs: the longest in-order run as ordered, the others as moved."""
        keep = set() if moved_only else set(longest_increasing([j for _, j in cands]))
        kept: list[tuple[int, int]] = []
        for n, (i, j) in enumerate(cands):
            if n in keep:
                self.mark(self.one_to_one(i, j, 1.0))
                kept.append((i, j))
            else:
                self.mark(self.one_to_one(i, j, 1.0, moved=True), moved=True)
        return kept

    def gap(self, olds: list[int], news: list[int]) -> None:
        if not olds or not news:
            return
        cap = self.s.dp_max_cells
        if len(olds) * len(news) <= cap:
            self.dp(olds, news, self.s.match_threshold)
            return
        # Too big for one programme: cut along the diagonal into blocks of bounded size.
        side = max(1, int(cap**0.5))
        blocks = max(1, -(-max(len(olds), len(news)) // side))
        for k in range(blocks):
            bo = olds[k * len(olds) // blocks : (k + 1) * len(olds) // blocks]
            bn = news[k * len(news) // blocks : (k + 1) * len(news) // blocks]
            if bo and bn:
                self.dp(bo, bn, self.s.match_threshold)

    def rows(self, olds: list[int], news: list[int], cutoff: float) -> list[dict[int, float]]:
        """For each old unit, the similarity to each new unit in the gap, if >= cutoff.

        Units without words (empty text) get no fuzzy matches: only an identical unit of
        the same kind (an anchor) can claim them.
        """
        choices = [self.b.enc[j] for j in news]
        out: list[dict[int, float]] = []
        long = self.s.long_unit_words // 2
        any_long = any(len(c) > long for c in choices)
        for i in olds:
            if not self.a.enc[i]:
                out.append({})
                continue
            if any_long or len(self.a.enc[i]) > long:
                row = {q: self.sim([i], [j]) for q, j in enumerate(news)}
                out.append({q: v for q, v in row.items() if v >= cutoff and choices[q]})
                continue
            hits = process.extract(
                self.a.enc[i],
                choices,
                scorer=Indel.normalized_similarity,
                score_cutoff=cutoff,
                limit=None,
            )
            out.append({q: float(sc) for _, sc, q in hits if choices[q]})
        return out

    def dp(self, olds: list[int], news: list[int], base: float) -> None:
        """Order-preserving programme with 1:1, split and merge steps; marks the matches."""
        s = self.s
        n, m = len(olds), len(news)
        low = min(s.split_part_min, base)
        rows = self.rows(olds, news, low)
        best = [[0.0] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        max_k = max(1, s.max_split)
        cap = step_caps(base, max_k)
        long_words = s.long_unit_words  # up to here a group is scored by exact Indel
        # Loop invariants hoisted: this is the hot loop of the whole comparison. Every
        # cell is reachable from above or the left, so no score is ever -inf.
        up, left = (1, 0, 0.0), (0, 1, 0.0)
        cross = max(base, s.cross_kind_threshold)
        lead_bonus = s.lead_bonus
        contain, contain_gain = s.contain_match, s.contain_gain
        min_words = 2 * s.phrase_run  # as a quote: a formula of a few words is no evidence
        a_enc, b_enc = self.a.enc, self.b.enc
        a_top, b_top, b_leads = self.a.top1, self.b.top1, self.b.leads
        b0 = back[0]
        for q in range(1, m + 1):
            b0[q] = left
        for p in range(1, n + 1):
            bp, bkp, prev = best[p], back[p], best[p - 1]
            row = rows[p - 1]
            i = olds[p - 1]
            ta, la = a_top[i], self.a.leads[i]
            bp[0], bkp[0] = prev[0], up
            for q in range(1, m + 1):
                v, how = prev[q], up
                if bp[q - 1] > v:
                    v, how = bp[q - 1], left
                sim = row.get(q - 1)
                if sim is not None:
                    j = news[q - 1]
                    tb = b_top[j]
                    one_kind = (ta is None) != (tb is None) or (ta is not None and ta is tb)
                    thr = base if one_kind else cross
                    eff = sim + (lead_bonus if la and la == b_leads[j] else 0.0)
                    if contain and la and la == b_leads[j]:
                        # Indel similarity is 2 x LCS / (|a| + |b|): the share of the
                        # shorter unit found in order in the other comes for free.
                        na, nb = len(a_enc[i]), len(b_enc[j])
                        short = min(na, nb)
                        held = sim * (na + nb) / (2 * short) if short >= min_words else 0.0
                        if held >= contain:
                            eff = max(eff, thr + contain_gain)
                    if eff >= thr and prev[q - 1] + eff - thr > v:
                        v, how = prev[q - 1] + eff - thr, (1, 1, sim)
                    # split: old i -> news[q-k .. q-1] (each part must be a candidate)
                    na = len(a_enc[i])
                    held, size = lcs_of(sim, na, len(b_enc[j])), len(b_enc[j])
                    for k in range(2, max_k + 1):
                        part = row.get(q - k)
                        if q - k < 0 or part is None:
                            break
                        jk = news[q - k]
                        held += lcs_of(part, na, len(b_enc[jk]))
                        size += len(b_enc[jk])
                        if best[p - 1][q - k] + cap[k] <= v:
                            continue  # cannot win even at similarity 1: not scored
                        if na + size <= long_words and (
                            best[p - 1][q - k] + held_cap(held, na, size, base, k) <= v
                        ):
                            continue  # nor with every part's words in common
                        parts = tuple(news[q - k : q])
                        sc = self._multi((i,), parts, base, k)
                        if (
                            sc is not None
                            and best[p - 1][q - k] + sc[0] > v
                            and self.parts_informative((i,), parts)
                        ):
                            v, how = best[p - 1][q - k] + sc[0], (1, k, sc[1])
                    # merge: olds[p-k .. p-1] -> new j
                    nb = len(b_enc[j])
                    held, size = lcs_of(sim, len(a_enc[i]), nb), len(a_enc[i])
                    for k in range(2, max_k + 1):
                        part = rows[p - k].get(q - 1) if p - k >= 0 else None
                        if part is None:
                            break
                        ik = olds[p - k]
                        held += lcs_of(part, len(a_enc[ik]), nb)
                        size += len(a_enc[ik])
                        if best[p - k][q - 1] + cap[k] <= v:
                            continue
                        if nb + size <= long_words and (
                            best[p - k][q - 1] + held_cap(held, nb, size, base, k) <= v
                        ):
                            continue
                        parts = tuple(olds[p - k : p])
                        sc = self._multi(parts, (j,), base, k)
                        if (
                            sc is not None
                            and best[p - k][q - 1] + sc[0] > v
                            and self.parts_informative(parts, (j,))
                        ):
                            v, how = best[p - k][q - 1] + sc[0], (k, 1, sc[1])
                bp[q], bkp[q] = v, how
        p, q = n, m
        found: list[AlignedPair] = []
        while p or q:
            step = back[p][q]
            assert step is not None
            dp_, dq, sim = step
            if dp_ and dq:
                o, w = tuple(olds[p - dp_ : p]), tuple(news[q - dq : q])
                if dp_ == 1 and dq == 1:
                    found.append(self.one_to_one(o[0], w[0], sim))
                else:
                    kind = PairKind.SPLIT if dp_ == 1 else PairKind.MERGED
                    found.append(AlignedPair(kind, o, w, sim))
            p, q = p - dp_, q - dq
        for pair in reversed(found):
            self.mark(pair)

    def _multi(
        self, olds: tuple[int, ...], news: tuple[int, ...], base: float, k: int
    ) -> tuple[float, float] | None:
        (ea, ka), (eb, kb) = self.a.group(olds), self.b.group(news)
        # threshold(olds, news, base), from the groups' memoised top kinds.
        thr = base if ka is not None and ka is kb else max(base, self.s.cross_kind_threshold)
        # Indel similarity (and its bag-of-words stand-in) is at most 2·min/(|A|+|B|):
        # groups whose lengths alone rule out the threshold are not scored (the margin
        # absorbs rounding, so this never rejects a group the score would accept).
        if 2 * min(len(ea), len(eb)) < (thr - 1e-9) * (len(ea) + len(eb)):
            return None
        sim = indel(ea, eb, self.s)
        if sim < thr:
            return None
        # Weighted by the number of units it accounts for, so one split can beat a
        # 1:1 match plus an added unit when the parts together really are the old text.
        return (sim - thr) * (k + 1) / 2, sim


# A split or merge step is scored only when it can beat the best way into its cell; two
# upper bounds of its score tell most cannot, before any group of texts is built.


def step_caps(base: float, max_k: int) -> list[float]:
    """The most a k-part step can score, by k: ``_multi`` scores (sim - thr)(k + 1) / 2
    with sim at most 1 and thr at least ``base``, and the same float operations on 1 and
    ``base`` never give less."""
    return [(1 - base) * (k + 1) / 2 for k in range(max_k + 1)]


def held_cap(held: int, whole: int, parts: int, base: float, k: int) -> float:
    """The most a k-part step can score when its parts share ``held`` words in order with
    the whole, in all: the group's LCS is at most that sum, the whole, or the parts
    together. For exact Indel only (groups of at most ``long_unit_words`` words); the
    margin absorbs the rounding of the score it bounds."""
    best_sim = 2 * min(held, whole, parts) / (whole + parts)
    return (best_sim - base) * (k + 1) / 2 + 1e-9


def lcs_of(sim: float, len_a: int, len_b: int) -> int:
    """Words two units share in order, read back from their Indel similarity
    (2 x LCS / (|A| + |B|); the LCS is a whole number, so rounding recovers it)."""
    return round(sim * (len_a + len_b) / 2)
