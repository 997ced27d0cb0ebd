"""Verb and qualifier strength: which changed paragraphs now press harder or softer.

A ``Scale`` ranks terms in three groups: the lead words of operative paragraphs
("Encourages" < "Urges"), those of preambular paragraphs ("Noting" < "Noting with
concern"), and qualifiers in the text ("concern" < "deep concern"); the shipped
``strength_scale.toml`` documents them and can be replaced by a user's own file.
``strength_changes`` reports, for every changed or moved pair of a ``Comparison``:

* its lead, when old and new leads both have a rank and the ranks differ, unless
  the lead words gained were already in the old paragraph's body or those lost are
  still in the new body ("Expresses concern ..., underlines" -> "Underlines"): then
  a clause was cut or moved, which the redline shows, and no verb was reworded;
* each qualifier whose noun was carried over unchanged (it sits in an equal span of
  the pair's word diff) while the words ranking it changed: the old and new
  qualifier phrases ending at that same noun are compared. Qualifiers inside the
  lead are left to the lead comparison when both leads are ranked. Unchanged pairs
  have no such noun with different phrases on each side, so they yield nothing.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from resdiff.errors import UsageError
from resdiff.model import Comparison, Document, Pair, PairKind, SpanOp, UnitKind
from resdiff.normalize import key

__all__ = ["GROUPS", "Scale", "StrengthChange", "load_scale", "strength_changes"]

Group = Literal["operative verb", "preambular lead", "qualifier"]
# Group name in reports -> table name in the scale file.
GROUPS: dict[Group, str] = {
    "operative verb": "operative_verb",
    "preambular lead": "preambular_lead",
    "qualifier": "qualifier",
}
_DEFAULT = "strength_scale.toml"


@dataclass(frozen=True, slots=True)
class GroupScale:
    """One group's ranked terms and its deliberately unranked (neutral) terms, as keys."""

    ranks: MappingProxyType[str, int]
    neutral: frozenset[str]


@dataclass(frozen=True, slots=True)
class Scale:
    """A strength scale: per group, term key -> rank; plus the matching rules' word lists."""

    source: str
    groups: MappingProxyType[str, GroupScale]
    ignore: tuple[str, ...]
    prefix_intensifiers: tuple[str, ...]
    suffix_intensifiers: tuple[str, ...]
    bonus: int
    infix_intensifiers: tuple[str, ...] = ()

    def canonical(self, term: str) -> str:
        """The matching key of ``term``: folded (case, quotes, spaces), filler words dropped."""
        words = f" {key(term)} "
        for filler in self.ignore:
            words = words.replace(f" {filler} ", " ")
        return " ".join(words.split())

    def rank(self, group: Group, term: str) -> int | None:
        """The rank of ``term`` in ``group`` by the rules in the scale file; None if unranked."""
        return self._rank(self.groups[GROUPS[group]], self.canonical(term), depth=0)

    def known(self, group: Group, term: str) -> bool:
        """True when ``term`` is ranked or deliberately neutral in ``group``."""
        g = self.groups[GROUPS[group]]
        c = self.canonical(term)
        return self._rank(g, c, 0) is not None or any(
            c == n or c.startswith(n + " ") for n in g.neutral
        )

    def _rank(self, g: GroupScale, c: str, depth: int) -> int | None:
        if c in g.ranks:
            return g.ranks[c]
        if c in g.neutral or depth > 2:
            return None
        if " and " in c:  # "welcomes and encourages": the stronger half
            parts = [self._rank(g, p, depth + 1) for p in c.split(" and ")]
            found = [r for r in parts if r is not None]
            if found:
                return max(found)
        for p in self.prefix_intensifiers:
            if c.startswith(p + " "):
                base = self._rank(g, c[len(p) + 1 :], depth + 1)
                return None if base is None else base + self.bonus
        for s in self.suffix_intensifiers:
            if c.endswith(" " + s):
                base = self._rank(g, c[: -len(s) - 1], depth + 1)
                return None if base is None else base + self.bonus
        # "notes with deep concern" -> "notes with concern": a listed term with a
        # qualifier inside it, before the longest listed start ("notes") could claim it.
        words = c.split()
        for k in range(1, len(words)):
            if words[k] in self.infix_intensifiers:
                base = g.ranks.get(" ".join(words[:k] + words[k + 1 :]))
                if base is not None:
                    return base + self.bonus
        # "affirms its deep commitment" -> "affirms": the longest listed start.
        starts = [t for t in (*g.ranks, *g.neutral) if c.startswith(t + " ")]
        if not starts:
            return None
        best = max(starts, key=len)
        return g.ranks.get(best)

    def qualifier_pattern(self) -> re.Pattern[str]:
        """Regex finding any ranked qualifier phrase (longest first) in a folded text."""
        terms = sorted(self.groups["qualifier"].ranks, key=len, reverse=True)
        if not terms:
            return re.compile(r"(?!x)x")
        alts = "|".join(r"\s+".join(map(re.escape, t.split())) for t in terms)
        return re.compile(rf"\b(?:{alts})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StrengthChange:
    """One lead or qualifier whose rank changed within a changed or moved pair."""

    pair_index: int
    old_labels: tuple[str, ...]
    new_labels: tuple[str, ...]
    group: Group
    old_term: str
    new_term: str
    old_rank: int
    new_rank: int
    direction: Literal["strengthened", "softened"] = field(init=False)

    def __post_init__(self) -> None:
        up = self.new_rank > self.old_rank
        object.__setattr__(self, "direction", "strengthened" if up else "softened")


def _fail(source: str, problem: str) -> UsageError:
    return UsageError(
        f"strength scale {source}: {problem}; fix the file (see the shipped strength_scale.toml)"
    )


def _strings(value: Any, source: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, f"{where} must be a list of non-empty strings")
    return tuple(value)


def _parse(data: dict[str, Any], source: str) -> Scale:
    ignore = tuple(key(w) for w in _strings(data.get("ignore", []), source, "'ignore'"))
    inten = data.get("intensifiers", {})
    if not isinstance(inten, dict):
        raise _fail(source, "[intensifiers] must be a table")
    bonus = inten.get("bonus", 0)
    if not isinstance(bonus, int) or isinstance(bonus, bool):
        raise _fail(source, "intensifiers.bonus must be an integer")
    partial = Scale(source, MappingProxyType({}), ignore, (), (), bonus)
    groups: dict[str, GroupScale] = {}
    for table in GROUPS.values():
        g = data.get(table)
        if not isinstance(g, dict):
            raise _fail(source, f"missing table [{table}]")
        unknown = set(g) - {"tier", "neutral"}
        if unknown:
            raise _fail(source, f"unknown key(s) {sorted(unknown)} in [{table}]")
        tiers = g.get("tier")
        if not isinstance(tiers, list) or not tiers:
            raise _fail(source, f"[{table}] needs at least one [[{table}.tier]]")
        ranks: dict[str, int] = {}
        for i, tier in enumerate(tiers, 1):
            rank = tier.get("rank") if isinstance(tier, dict) else None
            if not isinstance(rank, int) or isinstance(rank, bool):
                raise _fail(source, f"tier {i} of [{table}] needs an integer 'rank'")
            for term in _strings(tier.get("terms"), source, f"tier {i} of [{table}] 'terms'"):
                c = partial.canonical(term)
                if ranks.get(c, rank) != rank:
                    raise _fail(source, f"'{term}' has two ranks in [{table}]")
                ranks[c] = rank
        neutral = {partial.canonical(t) for t in _strings(g.get("neutral", []), source, table)}
        clash = sorted(neutral & set(ranks))
        if clash:
            raise _fail(source, f"'{clash[0]}' is both ranked and neutral in [{table}]")
        groups[table] = GroupScale(MappingProxyType(ranks), frozenset(neutral))
    pre, suf, infix = (
        tuple(partial.canonical(w) for w in _strings(inten.get(k, []), source, k))
        for k in ("prefix", "suffix", "infix")
    )
    return Scale(source, MappingProxyType(groups), ignore, pre, suf, bonus, infix)


def load_scale(path: Path | None = None) -> Scale:
    """Read a scale file (default: the shipped one); UsageError naming the file if bad."""
    if path is None:
        return _shipped_scale()
    source = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise _fail(source, f"cannot be read ({err.__class__.__name__})") from err
    return _scale_of(raw, source)


@functools.cache
def _shipped_scale() -> Scale:
    # Read once per process: a Scale is immutable, and a process reviewing many drafts
    # (the web app, a corpus audit) would otherwise parse the same file for each.
    raw = (resources.files(__package__) / _DEFAULT).read_text(encoding="utf-8")
    return _scale_of(raw, _DEFAULT)


def _scale_of(raw: str, source: str) -> Scale:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        raise _fail(source, f"not valid TOML ({err})") from err
    return _parse(data, source)


_KIND_GROUP: dict[UnitKind, Group] = {
    UnitKind.OPERATIVE: "operative verb",
    UnitKind.PREAMBULAR: "preambular lead",
}


def _lead_group(doc: Document, label: str) -> tuple[str, Group | None]:
    u = doc.unit(label)
    return u.lead, _KIND_GROUP.get(u.kind)


def _equal_map(pair: Pair) -> list[tuple[int, int, int]]:
    """(old start, new start, length) of each equal span printed identically on both sides."""
    out = []
    o = n = 0
    for s in pair.spans:
        if s.op is SpanOp.EQUAL:
            if s.old_side_text == s.text:
                out.append((o, n, len(s.text)))
            o += len(s.old_side_text)
            n += len(s.text)
        elif s.op is SpanOp.DELETE:
            o += len(s.text)
        else:
            n += len(s.text)
    return out


def _qualifiers(
    pattern: re.Pattern[str], text: str
) -> dict[int, tuple[str, int]]:  # noun start -> (phrase, phrase start)
    found = {}
    for m in pattern.finditer(text):
        noun = m.start() + m.group(0).rfind(m.group(0).split()[-1])
        found[noun] = (m.group(0), m.start())
    return found


def _clause_moved(scale: Scale, leads: tuple[str, str], texts: tuple[str, str]) -> bool:
    """True when a lead word gained was in the old body, or one lost is in the new body."""
    halves = [set(scale.canonical(lead).split(" and ")) for lead in leads]
    bodies = [scale.canonical(t[len(lead) :]) for lead, t in zip(leads, texts, strict=True)]

    def within(term: str, body: str) -> bool:
        return re.search(rf"\b{re.escape(term)}\b", body) is not None

    gained, lost = halves[1] - halves[0], halves[0] - halves[1]
    return any(within(h, bodies[0]) for h in gained) or any(within(h, bodies[1]) for h in lost)


def _pair_changes(
    index: int, pair: Pair, cmp: Comparison, scale: Scale, pattern: re.Pattern[str]
) -> list[StrengthChange]:
    out: list[StrengthChange] = []
    old_lead, old_group = _lead_group(cmp.old, pair.old[0])
    new_lead, new_group = _lead_group(cmp.new, pair.new[0])
    old_text, new_text = pair.old_texts()[0], pair.new_texts()[0]
    leads_ranked = False
    if old_group is not None and old_group == new_group:
        ro, rn = scale.rank(old_group, old_lead), scale.rank(old_group, new_lead)
        if ro is not None and rn is not None:
            leads_ranked = True
            if ro != rn and not _clause_moved(scale, (old_lead, new_lead), (old_text, new_text)):
                out.append(
                    StrengthChange(index, pair.old, pair.new, old_group, old_lead, new_lead, ro, rn)
                )
    old_q, new_q = _qualifiers(pattern, old_text), _qualifiers(pattern, new_text)
    for o_start, n_start, length in _equal_map(pair):
        for noun in sorted(p for p in old_q if o_start <= p < o_start + length):
            new_noun = n_start + noun - o_start
            if new_noun not in new_q:
                continue
            (old_phrase, _), (new_phrase, _) = old_q[noun], new_q[new_noun]
            if leads_ranked and noun < len(old_lead) and new_noun < len(new_lead):
                continue  # the lead comparison above already ranks this phrase
            ro = scale.rank("qualifier", old_phrase)
            rn = scale.rank("qualifier", new_phrase)
            if ro is not None and rn is not None and ro != rn:
                terms = (" ".join(old_phrase.split()), " ".join(new_phrase.split()))
                out.append(StrengthChange(index, pair.old, pair.new, "qualifier", *terms, ro, rn))
    return out


def strength_changes(cmp: Comparison, scale: Scale) -> tuple[StrengthChange, ...]:
    """Every lead or qualifier strength change in ``cmp``'s changed and moved pairs, in order."""
    pattern = scale.qualifier_pattern()
    out: list[StrengthChange] = []
    for i, pair in enumerate(cmp.pairs):
        if pair.kind in (PairKind.CHANGED, PairKind.MOVED) and pair.old and pair.new:
            out.extend(_pair_changes(i, pair, cmp, scale, pattern))
    return tuple(out)
