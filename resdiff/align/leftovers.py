"""The passes over what the programme left: same-slot matches, functional successors,
and merges or splits of parts that were not adjacent.

``Aligner`` runs the whole alignment (``run``): the programme's anchors and gaps, the
identical texts the gaps left, then the context pass (weak matches the neighbours vouch
for), the successor pass (one global decision among the leftovers on textual or functional
evidence), the gather pass (a run of leftover units each found almost whole, in order,
inside one leftover unit of the other side: list items folded into one paragraph, or a
paragraph cut into several), the attach pass (a leftover unit whose words a changed pair
absorbed becomes part of it), the condense pass (a leftover neighbour whose words a changed
pair holds in another order), the quote pass (two leftovers, one quoted almost whole in the
other) and the phrase pass (a leftover whose own long phrase a changed pair's far unit took
over); last, the learned scorer's merges and splits of what is still left
(``linker.link_leftovers``).
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from rapidfuzz.distance import LCSseq

from resdiff.align.confidence import assess
from resdiff.align.decide import best_matching
from resdiff.align.linker import link_leftovers
from resdiff.align.programme import Programme
from resdiff.align.sides import AlignedPair, Side, cat
from resdiff.model import PairKind
from resdiff.normalize import key_words
from resdiff.sequence import longest_increasing

__all__ = ["Aligner"]


class Aligner(Programme):
    """One alignment of two sides, from anchors to attached parts."""

    def run(self) -> list[AlignedPair]:
        anchors = self.anchor_pass()
        bounds = [(-1, -1), *anchors, (self.n, self.m)]
        for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
            olds = [i for i in range(i0 + 1, i1) if not self.used_a[i]]
            news = [j for j in range(j0 + 1, j1) if not self.used_b[j]]
            self.gap(olds, news)
        self.pair_repeated()
        self.detach_pass()
        self.context_pass()
        self.successor_pass()
        self.gather_pass()
        self.attach_pass()
        self.condense_pass()
        self.quote_pass()
        self.phrase_pass()
        link_leftovers(self)
        return self.finish()

    def finish(self) -> list[AlignedPair]:
        """The matches made, every unused unit added or removed, each decision assessed."""
        out = [*self.ordered, *self.moved]
        out += [
            AlignedPair(PairKind.REMOVED, (i,), (), 0.0)
            for i in range(self.n)
            if not self.used_a[i]
        ]
        out += [
            AlignedPair(PairKind.ADDED, (), (j,), 0.0) for j in range(self.m) if not self.used_b[j]
        ]
        return assess(self, out)

    def run_given(
        self, links: Sequence[tuple[tuple[int, ...], tuple[int, ...]]]
    ) -> list[AlignedPair]:
        """``run`` for links decided elsewhere: kinds, similarities and confidence only."""
        order = sorted(links, key=lambda lk: (min(lk[0]), min(lk[1])))
        chain = set(longest_increasing([min(n) for _, n in order]))
        for k, (olds, news) in enumerate(order):
            if len(olds) == len(news) == 1:
                moved = k not in chain
                self.mark(self.one_to_one(olds[0], news[0], self.sim(olds, news), moved), moved)
            else:
                kind = PairKind.SPLIT if len(olds) == 1 else PairKind.MERGED
                self.mark(AlignedPair(kind, olds, news, self.sim(olds, news)))
        return self.finish()

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
        ea, eb = cat(self.a.enc, olds), cat(self.b.enc, news)
        if len(ea) + len(eb) > self.s.long_unit_words:
            return sum((Counter(ea) & Counter(eb)).values())
        return int(LCSseq.similarity(ea, eb))

    def too_short(self, i: int, j: int) -> bool:
        """Whether either unit has too few words to be judged by the words it shares."""
        return min(len(self.a.enc[i]), len(self.b.enc[j])) < self.s.containment_min_words

    def containment(self, i: int, j: int) -> float:
        """Share of the shorter unit's words found, in order, in the other one."""
        if self.too_short(i, j):
            return 0.0
        return self.lcs([i], [j]) / min(len(self.a.enc[i]), len(self.b.enc[j]))

    def detach_pass(self) -> None:
        """Give a part of a merge (split) to a leftover it matches better, as its own link.

        The programme keeps the order, so two paragraphs that crossed, one carrying a clause
        of the other into its successor ("Appeals ... to the trust fund" and "Decides ...
        travel assistance ..., and notes the contributions ... to the trust fund" became
        "Decides ... travel assistance ...;" and "Appeals ... to the trust fund ..., and
        notes the contributions ..."), read as a merge of both into one successor and the
        other successor added. A part leaves the merge when a leftover of the other side
        is at least ``move_threshold`` similar to it and shares more of its words, in
        order, than it adds to the merge, and the merge without it still matches.
        """
        s = self.s
        if not s.detach_parts:
            return
        for p in list(self.ordered):
            if len(p.old) == len(p.new) == 1:
                continue
            side = "old" if len(p.old) > 1 else "new"
            parts, whole = (p.old, p.new[0]) if side == "old" else (p.new, p.old[0])
            free = [
                x
                for x in range(self.m if side == "old" else self.n)
                if not (self.used_b if side == "old" else self.used_a)[x]
            ]
            best: tuple[int, int, int, tuple[int, ...]] | None = None
            together = self.lcs(p.old, p.new)
            for r in parts:
                rest = tuple(x for x in parts if x != r)
                olds, news = (rest, (whole,)) if side == "old" else ((whole,), rest)
                if self.sim(olds, news) < self.threshold(olds, news, s.match_threshold):
                    continue
                adds = together - self.lcs(olds, news)
                for u in free:
                    i, j = (r, u) if side == "old" else (u, r)
                    if self.sim([i], [j]) < self.threshold1(i, j, s.move_threshold):
                        continue
                    shared = self.lcs([i], [j])
                    if shared > adds and (best is None or shared - adds > best[0]):
                        best = (shared - adds, r, u, rest)
            if best is None:
                continue
            _, r, u, rest = best
            olds, news = (rest, (whole,)) if side == "old" else ((whole,), rest)
            if len(olds) == len(news) == 1:
                kept = self.one_to_one(olds[0], news[0], self.sim(olds, news))
            else:
                kept = AlignedPair(p.kind, olds, news, self.sim(olds, news))
            self.ordered[self.ordered.index(p)] = kept
            i, j = (r, u) if side == "old" else (u, r)
            moved = self.crossings(self.order_index(), i, j) > 0
            self.mark(self.one_to_one(i, j, self.sim([i], [j]), moved=moved), moved=moved)

    def context_pass(self) -> None:
        """Accept weaker same-kind matches that the surrounding alignment vouches for.

        Inside one slot between aligned neighbours, a pair is linked when it shares its
        lead words, or is the only candidate on both sides (sharing at least
        ``context_alone_evidence`` of informative words), with similarity at least
        ``context_threshold``; or when one unit is contained almost whole in the other
        (a sub-item that kept its text and gained a clause). A pair under
        ``move_threshold`` is left to the later passes when either unit has a closer match
        elsewhere, at least ``context_close`` similar (``_close_elsewhere``).
        """
        s = self.s
        slots = self.slots()
        if not slots:
            return
        close_a, close_b = self._close_elsewhere()  # as the pass finds the leftovers
        alone_min = s.context_alone_evidence
        for olds, news in slots:
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
                    # Alone in their slot, the neighbours vouch for a pair sharing a few
                    # informative words (or too short to share any: a footnote's report
                    # symbol, "A/79/171." -> "A/80/213."); among several, the same lead and
                    # a few shared words are not enough when they are boilerplate.
                    ok = sim >= s.context_threshold and (
                        (alone and (self.too_short(i, j) or self.overlap(i, j) >= alone_min))
                        or (same_lead and self.overlap(i, j) >= s.context_evidence_min)
                    )
                    if sim < s.move_threshold and max(close_a.get(i, 0), close_b.get(j, 0)) > sim:
                        # The place vouches for a weak match only when neither unit has a
                        # closer one elsewhere: a paragraph moved two places down, whose
                        # place a new paragraph of the same lead took, stays itself.
                        continue
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

    def _close_elsewhere(self) -> tuple[dict[int, float], dict[int, float]]:
        """For the unused old and new units, the best similarity of an unused unit on the
        other side, when at least ``context_close`` (more across kinds, as the passes that
        would take such a move ask): a weaker match of theirs is not the only reading."""
        olds = [i for i in range(self.n) if not self.used_a[i]]
        news = [j for j in range(self.m) if not self.used_b[j]]
        close_a: dict[int, float] = {}
        close_b: dict[int, float] = {}
        if not olds or not news:
            return close_a, close_b
        close = self.s.context_close
        budget = max(1, self.s.move_max_cells // len(news))
        for i, row in zip(olds, self.rows(olds[:budget], news, close), strict=False):
            for q, sim in row.items():
                j = news[q]
                if sim >= self.threshold1(i, j, close):
                    close_a[i] = max(close_a.get(i, 0.0), sim)
                    close_b[j] = max(close_b.get(j, 0.0), sim)
        return close_a, close_b

    def candidate_pairs(
        self, olds: list[int], news: list[int], cutoff: float
    ) -> tuple[list[tuple[int, int, float, float]], dict[int, float], dict[int, float]]:
        """Leftover pairs of word similarity over ``cutoff`` as (old, new, similarity,
        informative overlap), within the cell budget, and each unit's best overlap."""
        budget = max(1, self.s.move_max_cells // len(news))
        rows = self.rows(olds[:budget], news, cutoff)
        scored: list[tuple[int, int, float, float]] = []
        best_a: dict[int, float] = {}
        best_b: dict[int, float] = {}
        for i, row in zip(olds, rows, strict=False):
            for q, sim in row.items():
                j = news[q]
                e = self.overlap(i, j)
                scored.append((i, j, sim, e))
                best_a[i] = max(best_a.get(i, 0.0), e)
                best_b[j] = max(best_b.get(j, 0.0), e)
        return scored, best_a, best_b

    def order_index(self) -> tuple[list[int], list[int]]:
        """First old and first new unit of each order-preserving match, each sorted."""
        return sorted(min(p.old) for p in self.ordered), sorted(min(p.new) for p in self.ordered)

    @staticmethod
    def crossings(index: tuple[list[int], list[int]], i: int, j: int) -> int:
        """How many order-preserving matches a link ``i -> j`` would cross (0: in its slot).

        The matches keep the order on both sides, so the k-th is crossed exactly when it
        lies before ``i`` but not before ``j`` or the reverse: the difference of the counts.
        """
        return abs(bisect.bisect_left(index[0], i) - bisect.bisect_left(index[1], j))

    def successor_pass(self) -> None:
        """Link what is left, in one decision, on textual or functional evidence.

        A leftover old unit and a leftover new unit are linked when their texts are close
        (``move_threshold``, stricter across kinds), or when, each being the other's best
        informative match, they share enough informative words (rare words, names,
        numbers, cited symbols) and either enough of their wording, or the same role
        (lead verb family) near the same place; or when they sit in the same slot between
        aligned neighbours and share informative words. Among the candidates, the set of
        links with the largest total weight is chosen at once (``best_matching``), so a
        strong pair is never blocked by a weaker one taken earlier.
        """
        s = self.s
        olds = [i for i in range(self.n) if not self.used_a[i]]
        news = [j for j in range(self.m) if not self.used_b[j]]
        if not olds or not news:
            return
        scored, best_a, best_b = self.candidate_pairs(olds, news, s.successor_text_min)
        order = self.order_index()
        edges: list[tuple[int, int, float, float]] = []
        for i, j, sim, e in scored:
            ta, tb = self.a.top1[i], self.b.top1[j]
            one_kind = (ta is None) != (tb is None) or (ta is not None and ta is tb)
            # Each other's best informative match, on more than one informative word (a
            # shared number alone says little).
            best = (
                e > 0
                and e >= best_a[i]
                and e >= best_b[j]
                and sim < (s.move_threshold if one_kind else s.cross_kind_threshold)
            )
            mutual = (
                best
                and self.info.shared(self.a.wordsets[i], self.b.wordsets[j], s.informative_word)
                >= s.successor_shared_words
            )
            if one_kind:
                held = self._held_info(self.a.wordsets[i], self.b.wordsets[j]) if mutual else 0.0
                ok = sim >= s.move_threshold or (
                    mutual and self._successor_evidence(i, j, sim, e, held, order)
                )
            else:
                ok = sim >= s.cross_kind_threshold or (
                    best and self._cross_kind_evidence(i, j, sim, e, mutual)
                )
            if ok and best and sim < (s.move_threshold if one_kind else s.cross_kind_threshold):
                # Linked on evidence, not on wording: the evidence must hold without a
                # name that the two versions repeat in other paragraphs too.
                wa, wb = self.name_free_sets(i, j)
                named = self.info.overlap(wa, wb)
                ok = (
                    self._successor_evidence(i, j, sim, named, self._held_info(wa, wb), order)
                    if one_kind
                    else self._cross_kind_evidence(i, j, sim, named, mutual)
                )
            if ok:
                edges.append((i, j, max(sim, e) + self.bonus(i, j), sim))
        placed: list[tuple[int, int]] = []  # links of this pass kept in place so far
        for i, j, sim in best_matching(edges):
            moved = self.crossings(order, i, j) > 0 or any(
                (i < pi) != (j < pj) for pi, pj in placed
            )
            if not moved:
                placed.append((i, j))
            self.mark(self.one_to_one(i, j, sim, moved=moved), moved=moved)

    def _successor_evidence(
        self, i: int, j: int, sim: float, e: float, held: float, order: tuple[list[int], list[int]]
    ) -> bool:
        """Is informative overlap ``e`` enough for a same-kind successor: with enough of
        the wording, or the same role near the same place, or in the same slot, or with
        most of one unit's informative words (``held``) found in the other?"""
        s = self.s
        return bool(
            (e >= s.successor_evidence and sim >= s.successor_text)
            or (
                e >= s.role_evidence
                and self.a.family[i]
                and self.a.family[i] == self.b.family[j]
                and self.crossings(order, i, j) <= s.role_max_crossings
            )
            or (e >= s.slot_evidence and self.crossings(order, i, j) == 0)
            or (
                held >= s.successor_held
                and e >= s.successor_held_evidence
                and sim >= s.successor_held_text
            )
        )

    def _cross_kind_evidence(self, i: int, j: int, sim: float, e: float, mutual: bool) -> bool:
        """Is the evidence enough to link units of two kinds (each other's best informative
        match, ``mutual`` when on more than one informative word): strong informative
        overlap with the wording, or the same lead verb family ("Recognizes" became
        "Recognizing also", "Noting" became "Takes note") with the wording and some
        informative overlap, as short paragraphs that changed kind keep few rare words."""
        s = self.s
        if sim < s.cross_kind_text:
            return False
        if mutual and e >= s.cross_kind_evidence:
            return True
        fa = self.a.family[i]
        return bool(fa and fa == self.b.family[j] and e >= s.cross_kind_role_evidence)

    def _held_info(self, wa: frozenset[str], wb: frozenset[str]) -> float:
        """Informative share of the smaller of two word sets found in the other.

        A paragraph condensed from another (the request for a report kept as the note of
        that report, in a few of its words) keeps most of its own informative words in
        the longer one, though their overlap, weighed against both, is modest.
        """
        info = self.info
        small, large = (wa, wb) if info.unit_mass(wa) <= info.unit_mass(wb) else (wb, wa)
        return info.contained(small, large)

    def name_free_sets(self, i: int, j: int) -> tuple[frozenset[str], frozenset[str]]:
        """The word sets of ``i`` and ``j`` without the longest run of words they share,
        when that run (``recurring_name_words`` words or more) is found in another
        paragraph of either version as well.

        Such a run is a name or a formula of these texts (a conference's or a treaty's
        long title, "the Democratic People's Republic of Korea"), rare in the corpus but
        common ground of many paragraphs here: two paragraphs citing it are not one.
        """
        wa, wb = self.a.wordsets[i], self.b.wordsets[j]
        found = self.shared_name(i, j)
        if found is None:
            return wa, wb
        at, _, size = found
        name = frozenset(key_words(self.a.keys[i])[at : at + size])
        return wa - name, wb - name

    def shared_name(self, i: int, j: int) -> tuple[int, int, int] | None:
        """The longest run of words old ``i`` and new ``j`` share, as (start in ``i``,
        start in ``j``, length), when it is a name of these texts: ``recurring_name_words``
        words or more, found in another unit of either version as well."""
        ea, eb = self.a.enc[i], self.b.enc[j]
        m = SequenceMatcher(None, ea, eb, autojunk=False).find_longest_match(0, len(ea), 0, len(eb))
        if m.size < self.s.recurring_name_words:
            return None
        run = ea[m.a : m.a + m.size]
        if _held_only_by(run, self.a.enc, i) and _held_only_by(run, self.b.enc, j):
            return None
        return m.a, m.b, m.size

    def gather_pass(self) -> None:
        """Link a run of leftover units to the one leftover unit that holds them all.

        Items of a list merged into one paragraph ("(a) Intentional damage ...; (b) Threats
        to ..." -> "Encourages all States to consider norms ... including intentional damage
        ..., threats to ...") are each too short beside the paragraph for any similarity
        measure, and often of another kind (sub-items -> paragraph). What links them is
        that each one is found almost whole, in order, in the paragraph, and so is the run
        of them together: a merge (a split, the other way round) of at most ``max_split``
        consecutive units, whatever their kinds.
        """
        s = self.s
        if s.max_split < 2:
            return
        for side in ("old", "new"):
            near, far = (self.a, self.b) if side == "old" else (self.b, self.a)
            used_near, used_far = (
                (self.used_a, self.used_b) if side == "old" else (self.used_b, self.used_a)
            )
            parts = [k for k in range(len(near.enc)) if not used_near[k] and near.enc[k]]
            wholes = [w for w in range(len(far.enc)) if not used_far[w] and far.enc[w]]
            if len(parts) < 2 or not wholes:
                continue
            checks = s.move_max_cells
            distinct = {k: frozenset(near.enc[k]) for k in parts}
            for w in wholes:
                if used_far[w]:
                    continue
                whole = far.enc[w]
                letters = frozenset(whole)
                held: list[int] = []
                for k in parts:
                    part = near.enc[k]
                    if used_near[k] or not 0 < len(part) < len(whole):
                        continue
                    checks -= 1
                    if checks < 0:
                        return  # bounded work on huge inputs
                    # A cheap bound first: each distinct word of the part missing from the
                    # whole is at least one word that cannot be held there.
                    if len(distinct[k] - letters) > (1 - s.containment_threshold) * len(part):
                        continue
                    if self._held(part, whole) >= s.containment_threshold:
                        held.append(k)
                run = self._best_run(held, near.enc, whole)
                if run is None:
                    continue
                for k in run:
                    used_near[k] = True
                used_far[w] = True
                olds, news = (run, (w,)) if side == "old" else ((w,), run)
                kind = PairKind.MERGED if side == "old" else PairKind.SPLIT
                self.mark(AlignedPair(kind, olds, news, self.sim(olds, news)))

    def _held(self, part: str, whole: str) -> float:
        """Share of ``part``'s words found in order in ``whole``."""
        if len(part) + len(whole) > self.s.long_unit_words:
            return sum((Counter(part) & Counter(whole)).values()) / len(part)
        return int(LCSseq.similarity(part, whole)) / len(part)

    def _best_run(self, held: list[int], enc: list[str], whole: str) -> tuple[int, ...] | None:
        """The longest run of consecutive units (at most ``max_split``) each held in
        ``whole``, held there together in order and with enough words to say so."""
        s = self.s
        best: tuple[int, ...] | None = None
        start = 0
        while start < len(held):
            end = start + 1
            while end < len(held) and held[end] == held[end - 1] + 1:
                end += 1
            run = tuple(held[start:end][: s.max_split])
            start = end
            words = sum(len(enc[k]) for k in run)
            if len(run) < 2 or words < s.containment_min_words * len(run):
                continue
            if self._held(cat(enc, run), whole) < s.containment_threshold:
                continue
            if best is None or len(run) > len(best):
                best = run
        return best

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
            # Every (distance, leftover, pair) that adds enough first, then the nearest
            # first: a pair takes the part that stands next to it, not the first leftover
            # of the text that adds enough (a dropped request 55 paragraphs up taking the
            # place of the real part two paragraphs down). A far part still joins when no
            # nearer one does (new PP23 = old PP24 + old PP23, or parts moved apart).
            cands: list[tuple[int, int, int]] = []
            out_of_budget = False
            singles = [
                (idx, p)
                for idx, p in enumerate(self.ordered + self.moved)
                if len(p.old) == len(p.new) == 1 and p.kind is not PairKind.UNCHANGED
            ]
            for r in left:
                for idx, p in singles:
                    budget -= 1
                    if budget < 0:
                        out_of_budget = True  # bounded work on huge inputs
                        break
                    if self._absorbs(p.old[0], p.new[0], r, side) is not None:
                        near = p.old[0] if side == "old" else p.new[0]
                        cands.append((abs(r - near), r, idx))
                if out_of_budget:
                    break
            grown: set[int] = set()
            placed: set[int] = set()
            pairs = self.ordered + self.moved  # _grow replaces pairs in place
            for _, r, idx in sorted(cands):
                if r in placed or idx in grown:
                    continue
                p = pairs[idx]
                # Asked only of the candidates that get their turn (most never do).
                if self.parts_informative(
                    (*p.old, r) if side == "old" else p.old,
                    p.new if side == "old" else (*p.new, r),
                ):
                    self._grow(idx, r, side)
                    grown.add(idx)
                    placed.add(r)
            if out_of_budget:
                return  # what is left stays added/removed

    def _grow(self, idx: int, r: int, side: str) -> None:
        """Make leftover ``r`` of ``side`` a part of pair ``idx`` of ordered + moved."""
        p = (self.ordered + self.moved)[idx]
        olds = tuple(sorted((*p.old, r))) if side == "old" else p.old
        news = p.new if side == "old" else tuple(sorted((*p.new, r)))
        kind = PairKind.MERGED if side == "old" else PairKind.SPLIT
        merged = AlignedPair(kind, olds, news, self.sim(olds, news))
        target = self.ordered if idx < len(self.ordered) else self.moved
        target[target.index(p)] = merged
        if side == "old":
            self.used_a[r] = True
        else:
            self.used_b[r] = True

    def condense_pass(self) -> None:
        """Attach a leftover neighbour whose words a changed pair holds, in any order.

        The attach pass reads word order, so a part whose words were woven into its
        neighbour's sentence ("Recalling the work related to the Fourth and Fifth Special
        Sessions ...") adds almost nothing to the common sequence. Here a leftover joins a
        1:1 pair when it stands near the pair's near unit with the same lead verb, most of
        its informative words are in the far unit, and it brings a good share of what the
        far unit says beyond the near one.
        """
        s = self.s
        if s.condense_reach <= 0:
            return
        for side in ("old", "new"):
            near_side, far_side = (self.a, self.b) if side == "old" else (self.b, self.a)
            used = self.used_a if side == "old" else self.used_b
            singles = self._changed_singles(side)
            for r in range(len(used)):
                family = near_side.family[r]
                if used[r] or not family:
                    continue
                part = near_side.wordsets[r]
                best: tuple[float, int] | None = None
                for near in range(r - s.condense_reach, r + s.condense_reach + 1):
                    if near not in singles:
                        continue
                    idx, far = singles[near]
                    if family not in (near_side.family[near], far_side.family[far]):
                        continue
                    i, j = (near, far) if side == "old" else (far, near)
                    if not self._part_kind_fits(i, j, r, side):
                        continue
                    whole = far_side.wordsets[far]
                    info = self.info  # built only once a candidate gets this far
                    held = info.contained(part, whole)
                    if held < s.condense_contained or (best is not None and held <= best[0]):
                        continue
                    # The near unit is the body the leftover was folded into: when the
                    # leftover holds more of the far unit than it does, the link itself
                    # is in doubt ("Welcomes the operationalization of the new funding
                    # arrangements" beside "Recalls the decision ... Santiago network"),
                    # and growing it would only add a wrong part to it.
                    if info.contained(near_side.wordsets[near], whole) < held:
                        continue
                    # A lead's own words ("Also", "Further") say nothing of substance.
                    beyond = whole - near_side.wordsets[near] - far_side.lead_words[far]
                    if info.contained(beyond, part) < s.condense_explains:
                        continue
                    olds, news = ((near, r), (far,)) if side == "old" else ((far,), (near, r))
                    if self.parts_informative(sorted(olds), sorted(news)):
                        best = (held, idx)
                if best is not None:
                    self._grow(best[1], r, side)
                    singles = self._changed_singles(side)

    def runs(self, side: Side, unit: int) -> frozenset[str]:
        """Every run of ``phrase_run`` consecutive words of a unit (remembered: the quote
        and phrase passes read the same leftovers)."""
        memo = self._runs.setdefault(side is self.b, {})
        got = memo.get(unit)
        if got is None:
            enc, k = side.enc[unit], self.s.phrase_run
            got = memo[unit] = frozenset(enc[x : x + k] for x in range(len(enc) - k + 1))
        return got

    def quote_pass(self) -> None:
        """Link two leftovers when one is quoted almost whole in the other.

        A short paragraph taken over word for word into a longer one ("Takes note of the
        report of the Inter-Agency Task Force ... entitled ..." -> "Recalls the report ...
        entitled ..., calls upon the Task Force to continue to report ...") has too few of
        the long one's words for any similarity, and may have changed kind or place. Runs
        of ``phrase_run`` words that the two share and that no other unit of either version
        holds, covering ``quote_share`` of the shorter one's informative weight, say it is
        the same paragraph; weighed so, a name the two share ("the United Nations Relief
        and Works Agency for Palestine Refugees in the Near East") covers little.
        """
        s = self.s
        k = s.phrase_run
        if k <= 0 or s.quote_share <= 0:
            return
        # A quote holds at least two runs' worth of words: a short list item ("196,300
        # dollars under section 29C, Office of Information and Communications Technology")
        # is little more than a name.
        least = 2 * k
        olds = [i for i in range(self.n) if not self.used_a[i] and len(self.a.enc[i]) >= least]
        news = [j for j in range(self.m) if not self.used_b[j] and len(self.b.enc[j]) >= least]
        if not olds or not news:
            return
        grams_b = {j: self.runs(self.b, j) for j in news}
        cands: list[tuple[float, int, int]] = []
        for i in olds:
            ea = self.a.enc[i]
            gi = self.runs(self.a, i)
            for j in news:
                eb = self.b.enc[j]
                shared = gi & grams_b[j]
                if not shared:
                    continue
                if 2 * (len(shared) + k - 1) < min(len(ea), len(eb)):
                    continue  # a cheap bound: even one unbroken run covers under half
                own = [
                    g
                    for g in shared
                    if _held_only_by(g, self.a.enc, i) and _held_only_by(g, self.b.enc, j)
                ]
                share = self._quoted_share(i, j, own)
                if share >= s.quote_share:
                    cands.append((-share, i, j))
        spans = self.ordered_spans()
        for _, i, j in sorted(cands):
            if not self.used_a[i] and not self.used_b[j]:
                self.link_in_place(i, j, self.sim([i], [j]), spans)

    def _quoted_share(self, i: int, j: int, runs: Sequence[str]) -> float:
        """Share of the shorter unit's informative weight in the runs it shares."""
        k = self.s.phrase_run
        side, unit = (self.a, i) if len(self.a.enc[i]) <= len(self.b.enc[j]) else (self.b, j)
        enc = side.enc[unit]
        words = key_words(side.keys[unit])
        seen = bytearray(len(enc))
        for g in runs:
            at = enc.find(g)
            while at >= 0:
                seen[at : at + k] = b"\x01" * k
                at = enc.find(g, at + 1)
        covered = frozenset(w for w, hit in zip(words, seen, strict=False) if hit)
        return self.info.contained(side.wordsets[unit], covered)

    def phrase_pass(self) -> None:
        """Attach a leftover whose own phrase a pair's far unit took over.

        A long dropped paragraph whose first clause was folded into its neighbour's
        successor ("... and expressing concern about the spread of disinformation and
        misinformation, including among children, ...") brings too few of its words for the
        attach or condense pass. What says where it went is the runs of ``phrase_run`` words
        that it and the far unit share and that no other unit of either version holds: at
        least ``phrase_min`` of them (a long name that recurs in the texts leaves only a
        few). A leftover facing a new unit of its own role in its slot is left alone: it may
        be that unit's predecessor, which the phrase cannot tell.
        """
        s = self.s
        k = s.phrase_run
        if k <= 0:
            return
        for side in ("old", "new"):
            near_side, far_side = (self.a, self.b) if side == "old" else (self.b, self.a)
            used = self.used_a if side == "old" else self.used_b
            # Cheap bounds first: most comparisons have no leftover long enough.
            left = [r for r in range(len(used)) if not used[r] and len(near_side.enc[r]) > k]
            if not left:
                continue
            pairs = self.ordered + self.moved
            wholes: dict[int, int] = {}  # far unit -> index of the pair it alone makes up
            for idx, p in enumerate(pairs):
                far, near = (p.new, p.old) if side == "old" else (p.old, p.new)
                if len(far) == 1 and len(near) < s.max_split and p.kind is not PairKind.UNCHANGED:
                    wholes[far[0]] = idx
            # The far units' words in one string (codes are never below U+0100, so no run
            # crosses a separator): a leftover's runs are looked up in it at C speed
            # instead of cutting every far unit into runs of its own.
            units = list(wholes)
            text = "\x00".join([far_side.enc[w] for w in units])
            starts = list(
                itertools.accumulate((len(far_side.enc[w]) + 1 for w in units[:-1]), initial=0)
            )
            choices: list[tuple[int, int, int]] = []
            partnered: set[int] | None = None
            for r in left:
                found: dict[int, set[str]] = {}  # far unit -> the runs of ``r`` it holds
                for g in self.runs(near_side, r):
                    at = text.find(g)
                    while at >= 0:
                        w = units[bisect.bisect_right(starts, at) - 1]
                        found.setdefault(w, set()).add(g)
                        at = text.find(g, at + 1)
                best: tuple[int, int] | None = None
                for w, idx in wholes.items():
                    shared = found.get(w, ())
                    if len(shared) < s.phrase_min or (best is not None and len(shared) <= best[0]):
                        continue
                    p = pairs[idx]
                    if not self._part_kind_fits(p.old[0], p.new[0], r, side):
                        continue
                    own = sum(
                        1
                        for g in shared
                        if _held_only_by(g, near_side.enc, r) and _held_only_by(g, far_side.enc, w)
                    )
                    if own >= s.phrase_min and (best is None or own > best[0]):
                        best = (own, idx)
                if best is None:
                    continue
                if partnered is None:
                    partnered = self._slot_partnered(side)
                if r not in partnered:
                    choices.append((-best[0], r, best[1]))
            for _, r, idx in sorted(choices):
                p = (self.ordered + self.moved)[idx]
                if len(p.old if side == "old" else p.new) < s.max_split:
                    self._grow(idx, r, side)

    def _slot_partnered(self, side: str) -> set[int]:
        """Leftovers of ``side`` that face, in their slot, a leftover of the other side
        with the same kind and lead verb family: a successor in place, not a part."""
        out: set[int] = set()
        for olds, news in self.slots():
            mine, theirs = (olds, news) if side == "old" else (news, olds)
            near_side, far_side = (self.a, self.b) if side == "old" else (self.b, self.a)
            roles = {(far_side.kinds[u], far_side.family[u]) for u in theirs if far_side.family[u]}
            out.update(r for r in mine if (near_side.kinds[r], near_side.family[r]) in roles)
        return out

    def _changed_singles(self, side: str) -> dict[int, tuple[int, int]]:
        """Changed 1:1 pairs by their unit on ``side``: unit -> (index in ordered + moved,
        the unit on the other side)."""
        out: dict[int, tuple[int, int]] = {}
        for idx, p in enumerate(self.ordered + self.moved):
            if len(p.old) == len(p.new) == 1 and p.kind is not PairKind.UNCHANGED:
                out[p.old[0] if side == "old" else p.new[0]] = (
                    idx,
                    p.new[0] if side == "old" else p.old[0],
                )
        return out

    def _part_kind_fits(self, i: int, j: int, r: int, side: str) -> bool:
        """Whether leftover ``r`` of ``side`` may join pair ``i -> j``: it has the far
        unit's kind, or the near unit's when the pair changed kind (parts change kind
        together)."""
        if side == "old":
            return self.a.kinds[r] in (self.b.kinds[j], self.a.kinds[i])
        return self.b.kinds[r] in (self.a.kinds[i], self.b.kinds[j])

    def _absorbs(self, i: int, j: int, r: int, side: str) -> float | None:
        """Coverage gained on the far unit when leftover ``r`` joins the near one.

        The leftover must be of the far unit's kind, or of the near unit's when the pair
        changed kind: two operative paragraphs folded into one preambular paragraph
        ("Welcomes the decisions ..." and "Takes note of the Abidjan Call ..." became
        "Recalling the decisions ..., and noting the Abidjan Call ...") change kind together.
        """
        s = self.s
        if not self._part_kind_fits(i, j, r, side):
            return None
        if side == "old":
            far_len = len(self.b.enc[j])
            part_len = len(self.a.enc[r])
        else:
            far_len = len(self.a.enc[i])
            part_len = len(self.b.enc[r])
        if not far_len:
            return None
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
        if gain < s.attach_gain or share < s.attach_share:
            return None
        if s.attach_name_free and not self._gains_beyond_name(i, j, r, side, base):
            return None
        return gain

    def _gains_beyond_name(self, i: int, j: int, r: int, side: str, base: int) -> bool:
        """Whether leftover ``r`` still adds enough to pair ``i -> j`` without the longest
        run it shares with the far unit, when that run stands in another unit too.

        Such a run is a name of these texts ("the Group of Governmental Experts on Emerging
        Technologies in the Area of Lethal Autonomous Weapons Systems"): a dropped
        paragraph citing it adds it to the common word sequence without being a part.
        """
        s = self.s
        near_side, far_side = (self.a, self.b) if side == "old" else (self.b, self.a)
        near, far = (i, j) if side == "old" else (j, i)
        ep, ef, en = near_side.enc[r], far_side.enc[far], near_side.enc[near]
        if len(ep) + len(ef) + len(en) > s.long_unit_words:
            return True  # word order is not read on such units (see ``lcs``)
        found = self.shared_name(r, j) if side == "old" else self.shared_name(i, r)
        if found is None:
            return True
        at_old, at_new, size = found
        at = at_old if side == "old" else at_new
        rest = ep[:at] + ep[at + size :]
        if not rest:
            return False
        both = max(int(LCSseq.similarity(en + rest, ef)), int(LCSseq.similarity(rest + en, ef)))
        added = both - base
        return added / len(ef) >= s.attach_gain and added / len(rest) >= s.attach_share


def _held_only_by(run: str, encs: Sequence[str], unit: int) -> bool:
    """Whether no unit of a version but ``unit`` holds the word run."""
    return not any(run in e for x, e in enumerate(encs) if x != unit)
