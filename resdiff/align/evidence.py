"""Evidence for linking paragraphs beyond word order: how informative each shared word is,
and which role a paragraph plays.

``Informativeness`` weighs the words of one comparison: a word counts by how rare it is in
the General Assembly's corpus (``data/word_df.tsv``, built by ``benchmarks/build_idf.py``)
and by how rare it is in the two versions compared, so that "Calls upon Member States" and,
in a resolution on one country, that country's name weigh next to nothing.
``overlap`` (weighted Dice of two word sets) and ``contained`` (weighted share of one set
found in another) are the measures the aligner reads; ``lead_family`` reduces lead words
to the verb they use ("Recalling further" and "Also recalls" -> "recall").
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources

from resdiff.normalize import key_words

__all__ = ["Informativeness", "corpus_frequencies", "lead_family", "word_set"]

_TABLE = "word_df.tsv"


@lru_cache(maxsize=16384)
def word_set(k: str) -> frozenset[str]:
    """The distinct words of a matching key (remembered: versions of a series share most
    of their paragraphs, and a comparison reads each unit's set many times)."""
    return frozenset(key_words(k))


@cache
def corpus_frequencies() -> tuple[int, dict[str, int]]:
    """(number of distinct corpus paragraphs, word -> paragraphs containing it)."""
    text = resources.files("resdiff").joinpath("data", _TABLE).read_text(encoding="utf-8")
    # "#" header lines, then "word<TAB>count" lines. Read with a few whole-text calls, not
    # line by line: every comparison in a one-shot command waits for this table (a third
    # of the time of a small comparison when parsed per line).
    total = 0
    end = 0
    while text.startswith("#", end):
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        name, _, value = text[end + 1 : line_end].strip().partition("\t")
        if name == "paragraphs":
            total = int(value)
        end = line_end + 1
    if not total:
        raise RuntimeError(f"resdiff/data/{_TABLE}: no paragraph count (rebuild it)")
    fields = text[end:].replace("\t", "\n").split("\n")
    if fields and not fields[-1]:
        fields.pop()  # the final newline
    if len(fields) % 2:
        raise RuntimeError(f"resdiff/data/{_TABLE}: a line is not word<TAB>count (rebuild it)")
    return total, dict(zip(fields[::2], map(int, fields[1::2]), strict=True))


class Informativeness:
    """Word weights for one comparison of two versions.

    weight(w) = corpus IDF(w) x local IDF(w) / log(n + 1), where the local IDF counts the
    paragraphs of both versions that contain w (n of them in all). A word used in most
    paragraphs of the two texts gets almost no weight, however rare it is elsewhere.
    """

    def __init__(self, word_sets: Sequence[frozenset[str]]) -> None:
        # Only the local counts are taken up front; a word's weight is worked out the
        # first time it is asked for (a comparison reads a small share of its words).
        self._w = _Weights(Counter(itertools.chain.from_iterable(word_sets)), len(word_sets))
        self._mass: dict[frozenset[str], float] = {}

    def weight(self, word: str) -> float:
        return self._w[word]

    def mass(self, ws: Iterable[str]) -> float:
        """Total weight of a set of words."""
        # Looked up at C speed; a word not weighed yet is worked out by the memo.
        return sum(map(self._w.__getitem__, ws))

    def unit_mass(self, ws: frozenset[str]) -> float:
        """``mass(ws)`` for a unit's word set, remembered (units are scored many times)."""
        m = self._mass.get(ws)
        if m is None:
            m = self._mass[ws] = self.mass(ws)
        return m

    def overlap(self, a: frozenset[str], b: frozenset[str]) -> float:
        """Weighted Dice: 2 x weight(a & b) / (weight(a) + weight(b)), 0..1."""
        total = self.unit_mass(a) + self.unit_mass(b)
        return 2 * self.mass(a & b) / total if total else 0.0

    def shared(self, a: frozenset[str], b: frozenset[str], minimum: float) -> int:
        """How many distinct words of at least ``minimum`` weight the two sets share."""
        return sum(1 for x in a & b if self.weight(x) >= minimum)

    def contained(self, part: frozenset[str], whole: frozenset[str]) -> float:
        """Share of ``part``'s weight found in ``whole``, 0..1 (0 for an empty part)."""
        m = self.unit_mass(part)
        return self.mass(part & whole) / m if m else 0.0


class _Weights(dict[str, float]):
    """Word -> weight in one comparison, each worked out the first time it is asked for
    (read at C speed by ``Informativeness.mass``; a miss is one call, not a chain)."""

    def __init__(self, local: Counter[str], n: int) -> None:
        super().__init__()
        self._local = local
        self._n = n
        self._scale = math.log(n + 1) or 1.0
        self._idf = _idf()

    def __missing__(self, word: str) -> float:
        idf = self._idf.get(word)
        if idf is None:
            idf = self._idf.weigh(word)
        c = self._local.get(word, 0)
        v = self[word] = idf * math.log((self._n + 1) / (c + 1)) / self._scale
        return v


@cache
def _idf() -> _CorpusIdf:
    return _CorpusIdf()


class _CorpusIdf(dict[str, float]):
    """Corpus IDF of a word, log((N + 1) / (df + 1)), computed once per word and process."""

    def __init__(self) -> None:
        super().__init__()
        total, self._df = corpus_frequencies()
        self._log_total = math.log(total + 1)

    def weigh(self, word: str) -> float:
        v = self[word] = self._log_total - math.log(self._df.get(word, 1) + 1)
        return v


# Words that qualify a lead without changing its verb ("Also recalls", "Recalling further",
# "Strongly urges", "Noting with deep concern").
_QUALIFIERS = frozenset(
    {
        "also",
        "further",
        "furthermore",
        "moreover",
        "again",
        "once",
        "strongly",
        "deeply",
        "firmly",
        "gravely",
        "seriously",
        "with",
        "in",
        "this",
        "regard",
        "particular",
    }
)


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word.rstrip("e")


@cache
def lead_family(lead_words: tuple[str, ...]) -> str:
    """The verb of a lead, qualifiers dropped and inflection stripped ("" if none).

    "Recalling also" / "Recalls" -> "recall"; "Taking note" / "Takes note" / "Noting" ->
    "not"; "Welcoming" / "Also welcomes" -> "welcom". The same family in two paragraphs is
    evidence that one took the other's role, whatever its kind.
    """
    ws = [w for w in lead_words if w not in _QUALIFIERS]
    if not ws:
        return ""
    if len(ws) >= 2 and ws[0] in ("take", "takes", "taking") and ws[1] == "note":
        return "not"
    return _stem(ws[0])
