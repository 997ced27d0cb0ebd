"""Paragraph alignment: which units of the old version became which units of the new one.

``align(old, new, settings)`` returns ``AlignedPair`` objects (kind, old indices, new
indices, similarity) covering every unit of both sides exactly once, in reading order
of the new version with removed units where they stood in the old one.

Method (issue 3): identical units of the same kind unique to both sides are anchors
(the longest in-order run of them; the rest are moves), repeated identical texts pair
up in turn; between anchors an order-preserving dynamic programme with 1:1, split (1:k)
and merge (k:1) steps scored by word-level normalised Indel similarity (threshold
about 0.5, stricter across kinds; a sub-item split off with its chapeau stays within
kind); a context pass accepting weaker matches that sit in the same slot between
aligned neighbours with the same lead words, or contained almost whole in each other;
a move pass over what is left; and an attach pass turning a leftover unit absorbed by
a changed pair into a merge or split (non-adjacent or reordered parts). Work is capped
by the settings, so huge inputs degrade to added/removed instead of blowing up. The
function is symmetric by construction: aligning (new, old) mirrors (old, new).
``partial_similarity`` (fuzzy phrase search) lives here because rapidfuzz does.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, LCSseq

from resdiff.model import PairKind, Unit, UnitKind
from resdiff.normalize import key, words
from resdiff.sequence import longest_increasing
from resdiff.settings import Settings
from resdiff.wordcodes import encode_sides, encode_words

__all__ = ["AlignedPair", "align", "partial_similarity", "similarity"]


_MIRROR = {
    PairKind.SPLIT: PairKind.MERGED,
    PairKind.MERGED: PairKind.SPLIT,
    PairKind.ADDED: PairKind.REMOVED,
    PairKind.REMOVED: PairKind.ADDED,
}


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One alignment decision: indices into the old and new unit sequences."""

    kind: PairKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float


class _Side:
    """Per-unit data of one version: keys, encoded word strings, kinds, leads."""

    def __init__(
        self,
        units: Sequence[Unit],
        keys: list[str],
        enc: list[str],
    ) -> None:
        self.keys = keys
        self.kinds = [u.kind for u in units]
        # Leads only ever meet other leads: case-folding is enough to compare them.
        self.leads = [u.lead.strip().casefold() for u in units]
        # The words of each key (normalize.words), one character per distinct word.
        self.enc = enc
        self.labels = [u.label for u in units]
        self.parents = [u.parent for u in units]
        # top_kinds([i]) of each unit, precomputed for the 1:1 cells of the programme.
        self.top1 = [
            k if par != lab else None
            for k, par, lab in zip(self.kinds, self.parents, self.labels, strict=True)
        ]
        self._groups: dict[tuple[int, ...], tuple[str, UnitKind | None]] = {}

    def top_kinds(self, idx: Sequence[int]) -> set[UnitKind]:
        """Kinds of the units of a group that are not sub-items of another group member.

        A paragraph that became a chapeau plus its sub-items keeps its kind: the split
        "PP39 -> PP38 + PP38(a)" is within the preambular part.
        """
        inside = {self.labels[i] for i in idx}
        return {self.kinds[i] for i in idx if self.parents[i] not in inside}

    def group(self, idx: tuple[int, ...]) -> tuple[str, UnitKind | None]:
        """The encoded words of a group and its one top kind (None if it has several).

        Memoised: the programme scores the same group of consecutive units against
        every candidate of the other side.
        """
        g = self._groups.get(idx)
        if g is None:
            kinds = self.top_kinds(idx)
            g = self._groups[idx] = (
                _cat(self.enc, idx),
                next(iter(kinds)) if len(kinds) == 1 else None,
            )
        return g


def _indel(ea: str, eb: str, settings: Settings) -> float:
    """Word-level Indel similarity; for very long units, its bag-of-words upper bound.

    Indel is quadratic in words; beyond ``settings.long_unit_words`` the multiset overlap
    2|A∩B|/(|A|+|B|) stands in, linear and equal to Indel when word order is kept.
    """
    if len(ea) + len(eb) > settings.long_unit_words:
        common = sum((Counter(ea) & Counter(eb)).values())
        return 2 * common / (len(ea) + len(eb))
    return float(Indel.normalized_similarity(ea, eb))


def _cat(enc: list[str], idx: Sequence[int]) -> str:
    """The encoded words of a group of units, in the given order."""
    return enc[idx[0]] if len(idx) == 1 else "".join([enc[i] for i in idx])


def similarity(a: str, b: str) -> float:
    """Word-level normalised Indel similarity of two texts (0..1)."""
    vocab: dict[str, str] = {}
    ea, eb = encode_words(words(a), vocab), encode_words(words(b), vocab)
    return float(Indel.normalized_similarity(ea, eb))


def align(old: Sequence[Unit], new: Sequence[Unit], settings: Settings) -> list[AlignedPair]:
    """Align two unit sequences; every unit of both sides lands in exactly one pair."""
    ka, kb = [key(u.text) for u in old], [key(u.text) for u in new]
    ea, eb = encode_sides(ka, kb)
    a, b = _Side(old, ka, ea), _Side(new, kb, eb)
    # Canonical argument order makes every tie-break independent of which side is
    # "old": compare(B, A) is then exactly the mirror of compare(A, B).
    if (a.keys, [str(k) for k in a.kinds]) > (b.keys, [str(k) for k in b.kinds]):
        pairs = _Aligner(b, a, settings).run()
        pairs = [
            AlignedPair(_MIRROR.get(p.kind, p.kind), p.new, p.old, p.similarity) for p in pairs
        ]
    else:
        pairs = _Aligner(a, b, settings).run()
    return _reading_order(pairs)


def _reading_order(pairs: list[AlignedPair]) -> list[AlignedPair]:
    """New version's order; a removed unit follows the pair holding its old predecessor."""
    pos_of_old: dict[int, int] = {}
    for p in pairs:
        if p.new:
            for i in p.old:
                pos_of_old[i] = min(p.new)
    placed_old = sorted(pos_of_old)

    def sort_key(p: AlignedPair) -> tuple[int, int, int]:
        if p.new:
            return (min(p.new), 0, 0)
        i = min(p.old)
        k = bisect.bisect_left(placed_old, i)
        anchor = pos_of_old[placed_old[k - 1]] if k else -1
        return (anchor, 1, i)

    return sorted(pairs, key=sort_key)


class _Aligner:
    def __init__(self, a: _Side, b: _Side, settings: Settings) -> None:
        self.a, self.b, self.s = a, b, settings
        self.n, self.m = len(a.keys), len(b.keys)
        self.used_a = [False] * self.n
        self.used_b = [False] * self.m
        self.ordered: list[AlignedPair] = []  # order-preserving matches
        self.moved: list[AlignedPair] = []
        self._pair_lcs: dict[tuple[int, int], int] = {}  # lcs([i], [j]) in the attach pass

    # --- scoring --------------------------------------------------------------

    def sim(self, olds: Sequence[int], news: Sequence[int]) -> float:
        return _indel(_cat(self.a.enc, olds), _cat(self.b.enc, news), self.s)

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

    def run(self) -> list[AlignedPair]:
        anchors = self.anchor_pass()
        bounds = [(-1, -1), *anchors, (self.n, self.m)]
        for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
            olds = [i for i in range(i0 + 1, i1) if not self.used_a[i]]
            news = [j for j in range(j0 + 1, j1) if not self.used_b[j]]
            self.gap(olds, news)
        self.context_pass()
        self.move_pass()
        self.attach_pass()
        out = [*self.ordered, *self.moved]
        out += [
            AlignedPair(PairKind.REMOVED, (i,), (), 0.0)
            for i in range(self.n)
            if not self.used_a[i]
        ]
        out += [
            AlignedPair(PairKind.ADDED, (), (j,), 0.0) for j in range(self.m) if not self.used_b[j]
        ]
        return out

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
            anchors += self.keep_order(self.repeated(range(i0 + 1, i1), range(j0 + 1, j1)))
        self.keep_order(self.repeated(range(self.n), range(self.m)), moved_only=True)
        return sorted(anchors)

    def repeated(self, olds: range, news: range) -> list[tuple[int, int]]:
        """Unused identical units of one kind, k-th occurrence with k-th occurrence."""
        queue: dict[tuple[str, UnitKind], list[int]] = {}
        for j in news:
            if not self.used_b[j]:
                queue.setdefault((self.b.keys[j], self.b.kinds[j]), []).append(j)
        out: list[tuple[int, int]] = []
        for i in olds:
            q = queue.get((self.a.keys[i], self.a.kinds[i]))
            if q and not self.used_a[i]:
                out.append((i, q.pop(0)))
        return out

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
        # Loop invariants hoisted: this is the hot loop of the whole comparison. Every
        # cell is reachable from above or the left, so no score is ever -inf.
        up, left = (1, 0, 0.0), (0, 1, 0.0)
        cross = max(base, s.cross_kind_threshold)
        lead_bonus = s.lead_bonus
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
                    if eff >= thr and prev[q - 1] + eff - thr > v:
                        v, how = prev[q - 1] + eff - thr, (1, 1, sim)
                    # split: old i -> news[q-k .. q-1] (each part must be a candidate)
                    for k in range(2, max_k + 1):
                        if q - k < 0 or row.get(q - k) is None:
                            break
                        sc = self._multi((i,), tuple(news[q - k : q]), base, k)
                        if sc is not None and best[p - 1][q - k] + sc[0] > v:
                            v, how = best[p - 1][q - k] + sc[0], (1, k, sc[1])
                    # merge: olds[p-k .. p-1] -> new j
                    for k in range(2, max_k + 1):
                        if p - k < 0 or rows[p - k].get(q - 1) is None:
                            break
                        sc = self._multi(tuple(olds[p - k : p]), (j,), base, k)
                        if sc is not None and best[p - k][q - 1] + sc[0] > v:
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
        sim = _indel(ea, eb, self.s)
        if sim < thr:
            return None
        # Weighted by the number of units it accounts for, so one split can beat a
        # 1:1 match plus an added unit when the parts together really are the old text.
        return (sim - thr) * (k + 1) / 2, sim

    def slots(self) -> list[tuple[list[int], list[int]]]:
        """Unmatched units between consecutive order-preserving matches."""
        spans = sorted((min(p.old), max(p.old), min(p.new), max(p.new)) for p in self.ordered)
        out: list[tuple[list[int], list[int]]] = []
        prev_a = prev_b = -1
        for lo_a, hi_a, lo_b, hi_b in [*spans, (self.n, self.n, self.m, self.m)]:
            olds = [i for i in range(prev_a + 1, lo_a) if not self.used_a[i]]
            news = [j for j in range(prev_b + 1, lo_b) if not self.used_b[j]]
            if olds and news:
                out.append((olds, news))
            prev_a, prev_b = max(prev_a, hi_a), max(prev_b, hi_b)
        return out

    def lcs(self, olds: Sequence[int], news: Sequence[int]) -> int:
        """Words in common, in order (longest common subsequence of the word lists)."""
        ea, eb = _cat(self.a.enc, olds), _cat(self.b.enc, news)
        if len(ea) + len(eb) > self.s.long_unit_words:
            return sum((Counter(ea) & Counter(eb)).values())
        return int(LCSseq.similarity(ea, eb))

    def containment(self, i: int, j: int) -> float:
        """Share of the shorter unit's words found, in order, in the other one."""
        short = min(len(self.a.enc[i]), len(self.b.enc[j]))
        if short < self.s.containment_min_words:
            return 0.0
        return self.lcs([i], [j]) / short

    def context_pass(self) -> None:
        """Accept weaker same-kind matches that the surrounding alignment vouches for.

        Inside one slot between aligned neighbours, a pair is linked when it shares its
        lead words, or is the only candidate on both sides, with similarity at least
        ``context_threshold``; or when one unit is contained almost whole in the other
        (a sub-item that kept its text and gained a clause).
        """
        s = self.s
        for olds, news in self.slots():
            if len(olds) * len(news) > s.dp_max_cells:
                continue
            cands: list[tuple[float, int, int, float]] = []
            for i in olds:
                for j in news:
                    if self.a.kinds[i] is not self.b.kinds[j]:
                        continue
                    sim = self.sim([i], [j])
                    same_lead = bool(self.a.leads[i]) and self.a.leads[i] == self.b.leads[j]
                    alone = len(olds) == 1 and len(news) == 1
                    ok = (same_lead or alone) and sim >= s.context_threshold
                    if ok or self.containment(i, j) >= s.containment_threshold:
                        cands.append((-sim, i, j, sim))
            taken: list[tuple[int, int]] = []
            for _, i, j, sim in sorted(cands):
                if self.used_a[i] or self.used_b[j]:
                    continue
                if any((i < ti) != (j < tj) for ti, tj in taken):
                    continue  # would cross a link already made in this slot
                taken.append((i, j))
                self.mark(self.one_to_one(i, j, sim))

    def move_pass(self) -> None:
        s = self.s
        olds = [i for i in range(self.n) if not self.used_a[i]]
        news = [j for j in range(self.m) if not self.used_b[j]]
        if not olds or not news:
            return
        budget = max(1, s.move_max_cells // len(news))
        rows = self.rows(olds[:budget], news, min(s.move_threshold, s.cross_kind_threshold))
        cands: list[tuple[float, int, int, float]] = []
        for i, row in zip(olds, rows, strict=False):
            for q, sim in row.items():
                j = news[q]
                thr = self.threshold1(i, j, s.move_threshold)
                if sim >= thr:
                    cands.append((-(sim + self.bonus(i, j)), i, j, sim))
        for _, i, j, sim in sorted(cands):
            if not self.used_a[i] and not self.used_b[j]:
                self.mark(self.one_to_one(i, j, sim, moved=True), moved=True)

    def attach_pass(self) -> None:
        """Attach a leftover unit to a 1:1 pair whose other side absorbed its words.

        Catches merges and splits of units that were not adjacent or whose parts were
        reordered (new PP23 = old PP24 + old PP23), which the programme cannot see.
        """
        budget = self.s.attach_max_checks
        for side in ("old", "new"):
            left = [
                k
                for k in range(self.n if side == "old" else self.m)
                if not (self.used_a if side == "old" else self.used_b)[k]
            ]
            for r in left:
                best: tuple[float, int] | None = None
                for idx, p in enumerate(self.ordered + self.moved):
                    if len(p.old) != 1 or len(p.new) != 1 or p.kind is PairKind.UNCHANGED:
                        continue
                    budget -= 1
                    if budget < 0:
                        return  # bounded work on huge inputs; what is left stays added/removed
                    gain = self._absorbs(p.old[0], p.new[0], r, side)
                    if gain is not None and (best is None or gain > best[0]):
                        best = (gain, idx)
                if best is None:
                    continue
                pairs = self.ordered + self.moved
                p = pairs[best[1]]
                olds = tuple(sorted((*p.old, r))) if side == "old" else p.old
                news = p.new if side == "old" else tuple(sorted((*p.new, r)))
                kind = PairKind.MERGED if side == "old" else PairKind.SPLIT
                merged = AlignedPair(kind, olds, news, self.sim(olds, news))
                target = self.ordered if best[1] < len(self.ordered) else self.moved
                target[target.index(p)] = merged
                if side == "old":
                    self.used_a[r] = True
                else:
                    self.used_b[r] = True

    def _absorbs(self, i: int, j: int, r: int, side: str) -> float | None:
        """Coverage gained on the far unit when leftover ``r`` joins the near one."""
        s = self.s
        if side == "old":
            far_len = len(self.b.enc[j])
            if self.a.kinds[r] is not self.b.kinds[j] or not far_len:
                return None
            part_len = len(self.a.enc[r])
        else:
            far_len = len(self.a.enc[i])
            if self.b.kinds[r] is not self.a.kinds[i] or not far_len:
                return None
            part_len = len(self.b.enc[r])
        if not part_len:
            return None
        base = self._pair_lcs.get((i, j))
        if base is None:
            base = self._pair_lcs[i, j] = self.lcs([i], [j])
        if len(self.a.enc[i]) + len(self.b.enc[j]) + part_len <= s.long_unit_words:
            # Word order counts on every side here (no bag-of-words stand-in), so the
            # leftover adds at most its own words to the LCS, and the LCS is at most the
            # far unit: when even that bound falls short, the exact scores would too.
            bound = min(part_len, far_len - base)
            if bound / far_len < s.attach_gain or bound / part_len < s.attach_share:
                return None
        if side == "old":
            both = max(self.lcs([i, r], [j]), self.lcs([r, i], [j]))
        else:
            both = max(self.lcs([i], [j, r]), self.lcs([i], [r, j]))
        gain = (both - base) / far_len
        share = (both - base) / part_len
        if gain >= s.attach_gain and share >= s.attach_share:
            return gain
        return None


def partial_similarity(needle: str, hay: str) -> float:
    """How closely ``needle`` matches its best-aligned stretch of ``hay``, 0..1 (1: contained).

    For fuzzy phrase search (resdiff.search); both arguments should be matching keys.
    A needle longer than the text is scored against the whole text, never the reverse.
    """
    if not needle or not hay:
        return 0.0
    if len(needle) > len(hay):
        return float(fuzz.ratio(needle, hay)) / 100.0
    return float(fuzz.partial_ratio(needle, hay)) / 100.0
