"""The pinned comparison settings: every threshold, weight and cap in one frozen dataclass.

A ``Comparison`` records ``Settings.as_dict()`` and ``Settings.hash()`` so that a stored
comparison says exactly which configuration produced it (STYLE.md, habit 6).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

__all__ = ["DEFAULT_SETTINGS", "Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunables of alignment and word diffs. Change a value and the hash changes."""

    # --- alignment -----------------------------------------------------------
    # Word-level normalised Indel similarity at which two units of the same kind match
    # in the order-preserving programme (the issue measured about 0.5).
    match_threshold: float = 0.5
    # Weaker matches are accepted when the context vouches for them: the units sit
    # alone in the same slot between two aligned neighbours and share their lead words.
    context_threshold: float = 0.25
    # A unit that left its place (the move pass) needs stronger evidence.
    move_threshold: float = 0.6
    # Functional successors among the units left over (successor pass): candidates need
    # this word similarity at least; then, for two units that are each other's best
    # informative match, informative overlap (align_evidence) and word similarity both at
    # least successor_evidence / successor_text, or the same lead verb family with
    # role_evidence and at most role_max_crossings aligned pairs crossed, or the same
    # slot with slot_evidence. Across kinds: cross_kind_evidence and cross_kind_text.
    successor_text_min: float = 0.2
    # ... and share at least successor_shared_words words of weight informative_word.
    successor_shared_words: int = 2
    informative_word: float = 1.0
    successor_evidence: float = 0.4
    successor_text: float = 0.4
    role_evidence: float = 0.2
    role_max_crossings: int = 3
    slot_evidence: float = 0.25
    # ... or, wherever they stand, this share of the smaller unit's informative weight
    # found in the other, with informative overlap and word similarity both at least
    # successor_held_evidence / successor_held_text (a paragraph condensed or grown).
    successor_held: float = 0.5
    successor_held_evidence: float = 0.35
    successor_held_text: float = 0.35
    cross_kind_evidence: float = 0.5
    # ... or, with the same lead verb family, informative overlap of at least this (and
    # cross_kind_text), even on a single informative word.
    cross_kind_role_evidence: float = 0.15
    # A run of at least this many words shared by two units and found in a third unit
    # too is a name of the texts (a conference's title): it is no evidence of a link.
    recurring_name_words: int = 4
    cross_kind_text: float = 0.5
    # Learned link scorer (align.linker) over the units every other pass left: merges and
    # splits of two or three leftover units with one, or a merge (split) already made
    # grown by a leftover part, each part with word similarity at least linker_text_min and
    # informative words of the whole, linked in one decision when the model's log-odds
    # (weights in the order of align.linker.FEATURES, written by
    # benchmarks/train_linker.py --write from the tuning half) reach linker_min.
    # No weights: off.
    linker_weights: tuple[float, ...] = (
        -6.9442,  # bias
        0.1048,  # similarity
        1.7904,  # held
        -0.855,  # name_free
        2.1127,  # shared_rare
        0.93,  # same_role
        0.9714,  # same_kind
        -0.9956,  # place
        -0.7067,  # crossings
        2.8902,  # mutual_best
        1.7099,  # margin
        -1.0441,  # crowd
        -0.0493,  # numbers
    )
    linker_min: float = 0.0
    linker_text_min: float = 0.15
    # ... merges and splits only: 1:1 links among the leftovers stay the successor pass's
    # (scored 1:1 links, in cross-validation, linked paragraphs sharing a theme's names).
    linker_groups_only: bool = True
    # Units of different kinds (preambular vs operative, sub-item vs paragraph) are
    # only linked when the evidence is overwhelming.
    cross_kind_threshold: float = 0.75
    # Bonus added to the score (not to the reported similarity) when lead words agree.
    lead_bonus: float = 0.05
    # Two units with the same lead, one of 2 x phrase_run words or more found almost whole
    # and in order in the other (this share of its words: a paragraph cut to its opening
    # clause), match in the programme as if contain_gain over the threshold, however low
    # their similarity (from split_part_min): enough to beat a weak match of another
    # paragraph, not a split whose parts together are the text. 0: off.
    contain_match: float = 0.85
    contain_gain: float = 0.15
    # In a slot between aligned neighbours, a unit whose words (at least this many) are
    # found in order in the other one at this share is the same unit, grown or trimmed.
    containment_threshold: float = 0.8
    containment_min_words: int = 6
    # A leftover unit joins a changed pair as a merge/split part when it explains this
    # share of the far unit's words and this share of its own words are found there.
    attach_gain: float = 0.15
    attach_share: float = 0.25
    attach_max_checks: int = 4_000  # a real resolution needs a few hundred
    # ... and still adds that much without the longest run it shares with the far unit,
    # when that run (recurring_name_words or more) stands in another unit too: a name.
    attach_name_free: bool = True
    # ... or, in words rather than word order, a leftover within condense_reach places of
    # the pair's near unit, with that unit's lead verb, joins it when this share of its
    # informative weight is found in the far unit and it brings this share of what the far
    # unit says beyond the near one ("Recalling the Fourth ..." and "Recalling also the
    # Fifth ..." condensed into "Recalling the Fourth and Fifth ..."). 0 reach: off.
    condense_reach: int = 2
    condense_contained: float = 0.45
    condense_explains: float = 0.25
    # ... or, wherever it stands, a leftover sharing with a pair's far unit at least
    # phrase_min runs of phrase_run words that no other unit of either version holds: a
    # phrase lifted from a dropped paragraph into its neighbour's successor (a long name
    # recurring in the texts shares few such runs). 0: off.
    phrase_run: int = 8
    phrase_min: int = 10
    # Two leftover units, whatever their kinds or places, are one paragraph quoted in the
    # other when runs of phrase_run words that no other unit holds cover at least this
    # share of the shorter one's informative weight, and it has 2 x phrase_run words
    # ("Takes note of the report ... entitled ..." -> "Recalls the report ... entitled ...,
    # calls upon the Task Force to ..."). 0: off.
    quote_share: float = 0.85
    # Units longer than this (both sides' words together) are compared by word counts
    # instead of word order, so that a 1 MB paragraph stays linear.
    long_unit_words: int = 20_000
    # A part of a merge (split) the programme made leaves it for a leftover unit of the
    # other side that is at least move_threshold similar to it and with which it shares
    # more words, in order, than it adds to the merge: two paragraphs that crossed, one
    # carrying a clause of the other, are two successors, not a merge and an added unit.
    detach_parts: bool = True
    # Largest number of units on one side of a split or merge (the gold has a list of
    # four items folded into one paragraph).
    max_split: int = 5
    # Each part of a split/merge must share at least this much with the whole.
    split_part_min: float = 0.2
    # ... and this share of its informative word weight (align_evidence) must be found in
    # the whole: a part that shares only boilerplate is a new paragraph, not a part.
    part_evidence_min: float = 0.16
    # ... and this share of it must be found in the whole and in no other part: a part
    # that only repeats what its neighbours bring adds nothing to the link.
    part_novel_min: float = 0.05
    # ... and its sub-items belong to one list: items of two lists are two items.
    one_list_parts: bool = True
    # A weak same-slot match (context pass) among several needs this informative word
    # overlap, and is left to the later passes when either unit has an unused match
    # elsewhere at least this similar (a reading the programme itself would take,
    # stronger across kinds).
    context_evidence_min: float = 0.2
    context_close: float = 0.5
    # Alone in their slot, two units still share this informative word overlap: a recital
    # on multilingualism and a new "Having also considered the notes ..." between the same
    # neighbours share only "the United Nations".
    context_alone_evidence: float = 0.05
    # Cell cap of one dynamic programme (old units x new units between two anchors);
    # larger gaps are cut into diagonal blocks so the work stays bounded.
    dp_max_cells: int = 40_000
    # Cap of the move pass (leftover old units x leftover new units).
    move_max_cells: int = 250_000

    # --- word diffs ----------------------------------------------------------
    # "word": words and punctuation are tokens (scripts without spaces fall back to
    # characters); "char": every character is a token.
    tokenisation: str = "word"
    # diff-match-patch's timeout pinned to 0 (unbounded) so output never depends on
    # machine speed; work is bounded by max_diff_tokens instead.
    diff_timeout: float = 0.0
    diff_edit_cost: int = 4
    # When the differing middle of two texts has more tokens than this (both sides
    # together), it is first diffed by sentences and only the changed sentences by words.
    max_diff_tokens: int = 4_000
    # diff-match-patch's semantic cleanup folds a stretch of equal words into the edits
    # around it when they are longer; a run of at least this many equal tokens is kept
    # visible whatever surrounds it (a clause carried verbatim into a merged paragraph is
    # agreed language, not a rewrite). 0: plain semantic cleanup.
    diff_keep_equal: int = 10

    def as_dict(self) -> dict[str, Any]:
        """The settings as a plain JSON-able dict (field order preserved)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def hash(self) -> str:
        """SHA-256 of the canonical JSON of :meth:`as_dict`."""
        blob = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


DEFAULT_SETTINGS = Settings()
