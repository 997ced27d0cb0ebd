"""Hand-checked gold alignments: the file format, loading, drafting and scoring.

A gold file (``tests/gold/<half>/<old>__<new>.json``, format described in
``tests/gold/SPLIT.md``) records which units of one version became which units of the
next, as read by a person in both texts. This module loads them, drafts a new one from
the current aligner (``draft``), prints what a reviewer must read (``review_text``), and
scores a comparison against one (``score``, ``Totals``). ``benchmarks/draft_gold.py`` and
``benchmarks/score_gold.py`` are its command-line faces; the tests read it directly.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from resdiff.align import similarity
from resdiff.compare import compare
from resdiff.ingest import parse_bytes
from resdiff.model import Comparison, Document, PairKind, SpanOp
from resdiff.normalize import key
from resdiff.settings import Settings
from resdiff.worddiff import diff_units

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path(os.environ.get("RESDIFF_SHARED_CORPUS", REPO.parent / "shared" / "corpus"))
GOLD = REPO / "tests" / "gold"
HALVES = ("tuning", "test")
FORMAT = "resdiff.gold-alignment"
VERSION = 2
SEED_SOURCE = "seed/000_4a554fcc2369da89.txt"

Labels = tuple[str, ...]
Link = tuple[Labels, Labels]


# --- documents ------------------------------------------------------------------


def source_of(name: str) -> str:
    """The corpus-relative path of a document name: ``seed``, else series/ before bulk/."""
    if name == "seed":
        return SEED_SOURCE
    for folder in ("series", "bulk"):
        if (SHARED_CORPUS / folder / f"{name}.txt").is_file():
            return f"{folder}/{name}.txt"
    raise FileNotFoundError(f"{name}: not in {SHARED_CORPUS}/series or bulk")


@cache
def load_document(source: str) -> Document:
    """Parse a corpus file the way ``resdiff ingest`` and ``resdiff diff`` do (sniffed)."""
    path = SHARED_CORPUS / source
    return parse_bytes(path.read_bytes(), path.name)


def fingerprint(text: str) -> str:
    """A short digest of a unit's matching key: tells when the parser changed a unit."""
    return hashlib.sha256(key(text).encode("utf-8")).hexdigest()[:10]


# --- the gold file ----------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """A set of alignment decisions: links plus units left alone."""

    links: frozenset[Link] = frozenset()
    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    def old_units(self) -> set[str]:
        return {x for o, _ in self.links for x in o} | set(self.removed)

    def new_units(self) -> set[str]:
        return {x for _, n in self.links for x in n} | set(self.added)


@dataclass(frozen=True)
class Decision:
    """One gold decision: a link, or an added or removed unit, with its record."""

    old: Labels
    new: Labels
    note: str = ""
    ambiguous: bool = False
    alternative: Reading | None = None


@dataclass(frozen=True)
class Side:
    name: str
    source: str
    parser: str

    def document(self) -> Document:
        return load_document(self.source)


@dataclass(frozen=True)
class Gold:
    """One hand-checked gold alignment."""

    path: Path
    old: Side
    new: Side
    half: str
    why: str
    decisions: tuple[Decision, ...]
    units_old: dict[str, str]
    units_new: dict[str, str]
    checked: dict[str, str] | None

    @property
    def stem(self) -> str:
        return f"{self.old.name}__{self.new.name}"

    @property
    def links(self) -> set[Link]:
        return {(d.old, d.new) for d in self.decisions if d.old and d.new}

    @property
    def added(self) -> set[str]:
        return {d.new[0] for d in self.decisions if not d.old}

    @property
    def removed(self) -> set[str]:
        return {d.old[0] for d in self.decisions if not d.new}

    def ambiguous_units(self) -> tuple[set[str], set[str]]:
        """Old and new units touched by an ambiguous decision, in either reading."""
        olds: set[str] = set()
        news: set[str] = set()
        for d in self.decisions:
            if d.ambiguous:
                olds |= set(d.old)
                news |= set(d.new)
                if d.alternative is not None:
                    olds |= d.alternative.old_units()
                    news |= d.alternative.new_units()
        return olds, news


def _labels(v: Any) -> Labels:
    return tuple(str(x) for x in v)


def _reading(d: dict[str, Any]) -> Reading:
    return Reading(
        links=frozenset((_labels(x["old"]), _labels(x["new"])) for x in d.get("links", [])),
        added=frozenset(str(x) for x in d.get("added", [])),
        removed=frozenset(str(x) for x in d.get("removed", [])),
    )


def _decision(old: Labels, new: Labels, d: dict[str, Any]) -> Decision:
    alt = d.get("alternative")
    return Decision(
        old=old,
        new=new,
        note=str(d.get("note", "")),
        ambiguous=bool(d.get("ambiguous", False)),
        alternative=_reading(alt) if alt is not None else None,
    )


def _lone(entry: str | dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(entry, str):
        return entry, {}
    return str(entry["label"]), entry


def parse_gold(path: Path) -> Gold:
    """Read one gold file (raises ValueError on a malformed one)."""
    g = json.loads(path.read_text(encoding="utf-8"))
    if g.get("format") != FORMAT or g.get("version") != VERSION:
        raise ValueError(f"{path}: not a {FORMAT} v{VERSION} file")
    decisions = [_decision(_labels(x["old"]), _labels(x["new"]), x) for x in g["links"]]
    for entry in g.get("removed", []):
        label, d = _lone(entry)
        decisions.append(_decision((label,), (), d))
    for entry in g.get("added", []):
        label, d = _lone(entry)
        decisions.append(_decision((), (label,), d))
    return Gold(
        path=path,
        old=Side(**g["old"]),
        new=Side(**g["new"]),
        half=g["half"],
        why=g.get("why", ""),
        decisions=tuple(decisions),
        units_old=dict(g["units"]["old"]),
        units_new=dict(g["units"]["new"]),
        checked=g.get("checked"),
    )


def gold_files(half: str | None = None) -> list[Path]:
    """Gold files of one half (or both), sorted by name."""
    halves = HALVES if half is None else (half,)
    return sorted(p for h in halves for p in (GOLD / h).glob("*.json"))


def load_gold(half: str | None = None) -> list[Gold]:
    return [parse_gold(p) for p in gold_files(half)]


def built_by(gold: Gold, reviewers: Sequence[str]) -> bool:
    """Whether one of ``reviewers`` built a gold file (its name, as a word, in ``checked.by``):
    the builds of a half are told apart so (tests/gold/SPLIT.md)."""
    by = (gold.checked or {}).get("by", "")
    return any(re.search(rf"\b{re.escape(r)}\b", by) for r in reviewers)


SECOND_READING = GOLD / "second_reading"


def decided_units(old: Document, new: Document) -> tuple[list[str], list[str]]:
    """The units a second reader decides: all but those whose text is identical to exactly
    one unit of the other version (linked mechanically, as in every gold file)."""
    ka, kb = [key(u.text) for u in old.units], [key(u.text) for u in new.units]
    ca, cb = Counter(ka), Counter(kb)
    unique = {k for k in ca if ca[k] == 1 and cb.get(k) == 1}
    return (
        [u.label for u, k in zip(old.units, ka, strict=True) if k not in unique],
        [u.label for u, k in zip(new.units, kb, strict=True) if k not in unique],
    )


def gold_path(name: str) -> Path | None:
    """The gold file of a pair (``OLD__NEW.json``) in whichever half holds it."""
    return next((GOLD / h / name for h in HALVES if (GOLD / h / name).is_file()), None)


def second_reading_disagreements(gold: Gold, reading: dict[str, Any]) -> tuple[int, list[str]]:
    """An independent reading of a pair's decided units against its gold file: the number
    of decisions read, and each one the two do not share (in either direction)."""
    mine = {(_labels(x["old"]), _labels(x["new"])) for x in reading["links"]}
    mine |= {((str(x),), ()) for x in reading["removed"]}
    mine |= {((), (str(x),)) for x in reading["added"]}
    olds = {x for o, _ in mine for x in o}
    news = {y for _, n in mine for y in n}
    theirs = {(d.old, d.new) for d in gold.decisions if set(d.old) & olds or set(d.new) & news}
    out = [f"second reading only: {show(d)}" for d in sorted(mine - theirs)]
    out += [f"gold only: {show(d)}" for d in sorted(theirs - mine)]
    return len(mine), out


def show(d: tuple[Labels, Labels]) -> str:
    old, new = d
    if not new:
        return f"{'+'.join(old)} removed"
    if not old:
        return f"{'+'.join(new)} added"
    return f"{'+'.join(old)} -> {'+'.join(new)}"


def label_drift(gold: Gold) -> list[str]:
    """Problems between a gold file and today's parser: labels or texts that moved."""
    out: list[str] = []
    for side, units, doc, record in (
        ("old", gold.units_old, gold.old.document(), gold.old),
        ("new", gold.units_new, gold.new.document(), gold.new),
    ):
        fmt = doc.source.format if doc.source else "?"
        if record.parser != fmt:
            out.append(f"{side}: read by the {fmt} parser, the gold says {record.parser}")
        now = {u.label: fingerprint(u.text) for u in doc.units}
        if set(now) != set(units):
            out.append(f"{side}: labels differ: {sorted(set(now) ^ set(units))[:8]}")
        out += [
            f"{side} {lab}: text changed since the gold was checked"
            for lab in sorted(set(now) & set(units))
            if now[lab] != units[lab]
        ]
    covered_old = [x for d in gold.decisions for x in d.old]
    covered_new = [x for d in gold.decisions for x in d.new]
    if sorted(covered_old) != sorted(gold.units_old):
        out.append("old: decisions do not cover every unit exactly once")
    if sorted(covered_new) != sorted(gold.units_new):
        out.append("new: decisions do not cover every unit exactly once")
    return out


# --- drafting ---------------------------------------------------------------------


def draft(
    old_name: str, new_name: str, half: str, why: str, settings: Settings | None = None
) -> dict[str, Any]:
    """A gold file drafted from the current aligner, to be read and corrected by hand.

    ``checked`` is left empty: a draft is not gold until a person has read it.
    """
    old_src, new_src = source_of(old_name), source_of(new_name)
    a, b = load_document(old_src), load_document(new_src)
    cmp = compare(a, b, settings)
    links = [{"old": list(p.old), "new": list(p.new)} for p in cmp.pairs if p.old and p.new]
    fmt = {
        s: load_document(s).source.format if load_document(s).source else "?"
        for s in (old_src, new_src)
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "old": {"name": old_name, "source": old_src, "parser": fmt[old_src]},
        "new": {"name": new_name, "source": new_src, "parser": fmt[new_src]},
        "half": half,
        "why": why,
        "checked": None,
        "links": links,
        "removed": [x for p in cmp.pairs if p.kind is PairKind.REMOVED for x in p.old],
        "added": [x for p in cmp.pairs if p.kind is PairKind.ADDED for x in p.new],
        "units": {
            "old": {u.label: fingerprint(u.text) for u in a.units},
            "new": {u.label: fingerprint(u.text) for u in b.units},
        },
    }


def dump_gold(g: dict[str, Any]) -> str:
    """The canonical text of a gold file: one decision per line, easy to diff and edit."""
    head = {k: v for k, v in g.items() if k not in ("links", "removed", "added", "units")}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    for k in ("links", "removed", "added"):
        items = g.get(k, [])
        lines.append(f"  {json.dumps(k)}: [")
        for n, it in enumerate(items):
            comma = "," if n + 1 < len(items) else ""
            lines.append(f"    {json.dumps(it, ensure_ascii=False)}{comma}")
        lines.append("  ],")
    lines.append('  "units": {')
    for n, side in enumerate(("old", "new")):
        comma = "," if n == 0 else ""
        lines.append(f"    {json.dumps(side)}: {json.dumps(g['units'][side])}{comma}")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _texts(doc: Document, labels: Iterable[str]) -> str:
    by = {u.label: u.text for u in doc.units}
    return " ".join(by[x] for x in labels)


def _inline(old: list[str], new: list[str]) -> str:
    """Both texts in one: ``[-deleted-]{+inserted+}``, a bar between the units of a side."""
    parts: list[str] = []
    last = (0, 0)
    for sp in diff_units(old, new):
        if (sp.old_part, sp.new_part) != last:
            parts.append(" | ")
            last = (sp.old_part, sp.new_part)
        if sp.op is SpanOp.EQUAL:
            parts.append(sp.text)
        elif sp.op is SpanOp.DELETE:
            parts.append(f"[-{sp.text}-]")
        else:
            parts.append(f"{{+{sp.text}+}}")
    return "".join(parts)


def review_text(g: dict[str, Any], inline: bool = False) -> str:
    """What a reviewer must read: every non-identical link with both texts, and every
    added or removed unit with its three most similar units on the other side.
    Links joining identical texts (same matching key) are listed only by count.
    ``inline`` prints a link as one word diff (both texts, whole) instead of two texts."""
    a, b = load_document(g["old"]["source"]), load_document(g["new"]["source"])
    ua = {u.label: u for u in a.units}
    ub = {u.label: u for u in b.units}
    link_of_old = {x: tuple(lk["new"]) for lk in g["links"] for x in lk["old"]}
    link_of_new = {x: tuple(lk["old"]) for lk in g["links"] for x in lk["new"]}
    out: list[str] = []
    same = 0
    for lk in g["links"]:
        ta, tb = _texts(a, lk["old"]), _texts(b, lk["new"])
        if key(ta) == key(tb):
            same += 1
            continue
        o, n = ",".join(lk["old"]), ",".join(lk["new"])
        out.append(f"## LINK {o} -> {n}   similarity {similarity(ta, tb):.2f}")
        if inline:
            olds = [ua[x].text for x in lk["old"]]
            news = [ub[x].text for x in lk["new"]]
            out.append(f"  {_inline(olds, news)}")
            continue
        for lab in lk["old"]:
            out.append(f"  OLD {lab}: {ua[lab].text}")
        for lab in lk["new"]:
            out.append(f"  NEW {lab}: {ub[lab].text}")
    for side, labels, mine, other, linked in (
        ("REMOVED", _lone_labels(g["removed"]), ua, ub, link_of_new),
        ("ADDED", _lone_labels(g["added"]), ub, ua, link_of_old),
    ):
        for lab in labels:
            out.append(f"## {side} {lab}: {mine[lab].text}")
            cands = sorted(
                ((similarity(mine[lab].text, u.text), u.label) for u in other.values()),
                key=lambda t: (-t[0], t[1]),
            )[:3]
            for sim, cl in cands:
                now = linked.get(cl)
                where = f"linked to {','.join(now)}" if now else "unlinked"
                out.append(f"    cand {cl} ({sim:.2f}, {where}): {other[cl].text}")
    out.insert(0, f"# {g['old']['name']} -> {g['new']['name']}: {same} identical links not shown")
    return "\n".join(out) + "\n"


def _lone_labels(entries: Sequence[str | dict[str, Any]]) -> list[str]:
    return [_lone(e)[0] for e in entries]


# --- scoring ----------------------------------------------------------------------


@dataclass
class Count:
    """True positives, false positives, false negatives of one kind of decision."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, pred: set[Any], gold: set[Any]) -> None:
        self.tp += len(pred & gold)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def __iadd__(self, o: Count) -> Count:
        self.tp, self.fp, self.fn = self.tp + o.tp, self.fp + o.fp, self.fn + o.fn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def brief(self) -> str:
        return (
            f"P {self.precision:.3f} R {self.recall:.3f} (tp {self.tp} fp {self.fp} fn {self.fn})"
        )


KINDS = ("moved", "split", "merged", "added", "removed")


@dataclass
class Score:
    """A comparison scored against one gold file, strict and lax."""

    stem: str
    strict: Count = field(default_factory=Count)
    lax: Count = field(default_factory=Count)
    kinds: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in KINDS})
    kinds_lax: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in KINDS})
    nonidentical: Count = field(default_factory=Count)
    nonidentical_lax: Count = field(default_factory=Count)
    unchanged_called_changed: int = 0
    wrong: list[Link] = field(default_factory=list)  # predicted links not in the gold (lax)
    missed: list[Link] = field(default_factory=list)  # gold links not predicted (lax)


def _crossing(links: set[Link], pos_old: dict[str, int], pos_new: dict[str, int]) -> set[Link]:
    """Links whose order in the old version disagrees with another link's order in the new."""
    keyed = [(min(pos_old[x] for x in o), min(pos_new[x] for x in n), (o, n)) for o, n in links]
    out: set[Link] = set()
    for i, (a1, b1, l1) in enumerate(keyed):
        for a2, b2, l2 in keyed[i + 1 :]:
            if (a1 < a2) != (b1 < b2):
                out.add(l1)
                out.add(l2)
    return out


def score(gold: Gold, cmp: Comparison) -> Score:
    """Score ``cmp`` (the two documents of ``gold``) against the gold decisions.

    Strict counts every decision; lax leaves out every unit an ambiguous decision
    touches, in the gold reading or its alternative. Per kind: moved (links that cross
    another link), split (1:k), merged (k:1), added and removed units. Non-identical
    links: those whose joined texts differ in matching key.
    """
    a, b = cmp.old, cmp.new
    pos_old = {u.label: i for i, u in enumerate(a.units)}
    pos_new = {u.label: i for i, u in enumerate(b.units)}
    text_old = {u.label: u.text for u in a.units}
    text_new = {u.label: u.text for u in b.units}
    pred_links = {(p.old, p.new) for p in cmp.pairs if p.old and p.new}
    pred_added = {x for p in cmp.pairs if p.kind is PairKind.ADDED for x in p.new}
    pred_removed = {x for p in cmp.pairs if p.kind is PairKind.REMOVED for x in p.old}
    amb_old, amb_new = gold.ambiguous_units()

    def clear(link: Link) -> bool:
        return not (set(link[0]) & amb_old or set(link[1]) & amb_new)

    def identical(link: Link) -> bool:
        return key(" ".join(text_old[x] for x in link[0])) == key(
            " ".join(text_new[x] for x in link[1])
        )

    s = Score(gold.stem)
    for lax, total, kinds, nonid in (
        (False, s.strict, s.kinds, s.nonidentical),
        (True, s.lax, s.kinds_lax, s.nonidentical_lax),
    ):
        g_links = {lk for lk in gold.links if not lax or clear(lk)}
        p_links = {lk for lk in pred_links if not lax or clear(lk)}
        g_add = {x for x in gold.added if not lax or x not in amb_new}
        p_add = {x for x in pred_added if not lax or x not in amb_new}
        g_rem = {x for x in gold.removed if not lax or x not in amb_old}
        p_rem = {x for x in pred_removed if not lax or x not in amb_old}
        total.add(p_links, g_links)
        kinds["moved"].add(
            _crossing(p_links, pos_old, pos_new), _crossing(g_links, pos_old, pos_new)
        )
        kinds["split"].add(
            {lk for lk in p_links if len(lk[0]) == 1 < len(lk[1])},
            {lk for lk in g_links if len(lk[0]) == 1 < len(lk[1])},
        )
        kinds["merged"].add(
            {lk for lk in p_links if len(lk[1]) == 1 < len(lk[0])},
            {lk for lk in g_links if len(lk[1]) == 1 < len(lk[0])},
        )
        kinds["added"].add(p_add, g_add)
        kinds["removed"].add(p_rem, g_rem)
        g_ni = {lk for lk in g_links if not identical(lk)}
        p_ni = {lk for lk in p_links if not identical(lk)}
        # Precision over predicted non-identical links, recall over gold ones.
        nonid.tp += len(p_ni & g_links)
        nonid.fp += len(p_ni - g_links)
        nonid.fn += len(g_ni - p_links)
        if lax:
            s.wrong = sorted(p_links - g_links)
            s.missed = sorted(g_links - p_links)
    kind_of = {(p.old, p.new): p.kind for p in cmp.pairs}
    for lk in gold.links:
        if (
            len(lk[0]) == len(lk[1]) == 1
            and identical(lk)
            and kind_of.get(lk) not in (PairKind.UNCHANGED, PairKind.MOVED)
        ):
            s.unchanged_called_changed += 1
    for p in cmp.pairs:
        if (
            len(p.old) == len(p.new) == 1
            and p.kind is PairKind.CHANGED
            and identical((p.old, p.new))
        ):
            s.unchanged_called_changed += 1
    return s


@dataclass
class Totals:
    """Scores of several gold files: summed counts and the mean and minimum of F1s."""

    scores: list[Score]

    def sum(self, attr: str, kind: str | None = None) -> Count:
        c = Count()
        for s in self.scores:
            c += getattr(s, attr)[kind] if kind else getattr(s, attr)
        return c

    def mean_f1(self, attr: str) -> float:
        return sum(getattr(s, attr).f1 for s in self.scores) / len(self.scores)

    def min_f1(self, attr: str) -> float:
        return min(getattr(s, attr).f1 for s in self.scores)

    @property
    def wrong(self) -> int:
        return sum(len(s.wrong) for s in self.scores)

    @property
    def missed(self) -> int:
        return sum(len(s.missed) for s in self.scores)

    @property
    def unchanged_called_changed(self) -> int:
        return sum(s.unchanged_called_changed for s in self.scores)


def score_gold(golds: Sequence[Gold], settings: Settings | None = None) -> Totals:
    """Compare every gold pair with ``settings`` and score it."""
    return Totals([score(g, compare(g.old.document(), g.new.document(), settings)) for g in golds])


def report(t: Totals, verbose: bool = True) -> str:
    """The figures of a scoring run, as printed by ``benchmarks/score_gold.py``."""
    out: list[str] = []
    if verbose:
        for s in t.scores:
            line = (
                f"{s.stem:<40} strict F1 {s.strict.f1:.4f}  lax F1 {s.lax.f1:.4f}"
                f"  non-identical F1 {s.nonidentical_lax.f1:.4f}"
                f"  wrong {len(s.wrong)} missed {len(s.missed)}"
            )
            if s.unchanged_called_changed:
                line += f"  UNCHANGED-CALLED-CHANGED {s.unchanged_called_changed}"
            out.append(line)
            for lk in s.wrong:
                out.append(f"    wrong  {','.join(lk[0])} -> {','.join(lk[1])}")
            for lk in s.missed:
                out.append(f"    missed {','.join(lk[0])} -> {','.join(lk[1])}")
    n = len(t.scores)
    out.append(f"pairs {n}")
    out.append(
        f"links strict: micro {t.sum('strict').brief()} F1 {t.sum('strict').f1:.4f};"
        f" mean F1 {t.mean_f1('strict'):.4f}, min {t.min_f1('strict'):.4f}"
    )
    out.append(
        f"links lax:    micro {t.sum('lax').brief()} F1 {t.sum('lax').f1:.4f};"
        f" mean F1 {t.mean_f1('lax'):.4f}, min {t.min_f1('lax'):.4f}"
    )
    for attr in ("nonidentical", "nonidentical_lax"):
        c = t.sum(attr)
        out.append(f"{attr:<17} {c.brief()} F1 {c.f1:.4f}")
    for k in KINDS:
        out.append(
            f"  {k:<8} strict {t.sum('kinds', k).brief()}   lax {t.sum('kinds_lax', k).brief()}"
        )
    out.append(
        f"wrong links (lax) {t.wrong}, missed links (lax) {t.missed},"
        f" unchanged called changed {t.unchanged_called_changed}"
    )
    return "\n".join(out) + "\n"


# --- editing ----------------------------------------------------------------------


class Editor:
    """Corrections to a gold file, applied decision by decision while reading it.

    ``link`` and ``lone`` replace every decision that touches their units; units left
    without a decision become removed or added. ``save`` writes the file in reading
    order (links by the new version's order, lone units by their own side's order).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.g: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        a = load_document(self.g["old"]["source"])
        b = load_document(self.g["new"]["source"])
        self.pos_old = {u.label: i for i, u in enumerate(a.units)}
        self.pos_new = {u.label: i for i, u in enumerate(b.units)}
        self.links: list[dict[str, Any]] = list(self.g["links"])
        self.lone: dict[tuple[str, str], dict[str, Any]] = {}
        for side in ("removed", "added"):
            for e in self.g[side]:
                label, d = _lone(e)
                self.lone[side, label] = {k: v for k, v in d.items() if k != "label"}

    def _drop(self, olds: Sequence[str], news: Sequence[str]) -> None:
        self.links = [
            lk
            for lk in self.links
            if not (set(lk["old"]) & set(olds) or set(lk["new"]) & set(news))
        ]
        for x in olds:
            self.lone.pop(("removed", x), None)
        for x in news:
            self.lone.pop(("added", x), None)

    def link(self, old: str, new: str, note: str = "", alt: dict[str, Any] | None = None) -> Editor:
        """Link ``"PP1+PP2"`` to ``"PP1"``; ``alt`` (the other reading) marks it ambiguous."""
        olds, news = old.split("+"), new.split("+")
        for x in olds:
            assert x in self.pos_old, f"no old unit {x}"
        for x in news:
            assert x in self.pos_new, f"no new unit {x}"
        self._drop(olds, news)
        d: dict[str, Any] = {"old": olds, "new": news}
        if note:
            d["note"] = note
        if alt is not None:
            d["ambiguous"] = True
            d["alternative"] = alt
        self.links.append(d)
        return self

    def lone_unit(
        self, side: str, label: str, note: str = "", alt: dict[str, Any] | None = None
    ) -> Editor:
        """Mark ``label`` as ``removed`` (old side) or ``added`` (new side)."""
        assert label in (self.pos_old if side == "removed" else self.pos_new), label
        if side == "removed":
            self._drop([label], [])
        else:
            self._drop([], [label])
        d: dict[str, Any] = {}
        if note:
            d["note"] = note
        if alt is not None:
            d["ambiguous"] = True
            d["alternative"] = alt
        self.lone[side, label] = d
        return self

    def removed(self, label: str, note: str = "", alt: dict[str, Any] | None = None) -> Editor:
        return self.lone_unit("removed", label, note, alt)

    def added(self, label: str, note: str = "", alt: dict[str, Any] | None = None) -> Editor:
        return self.lone_unit("added", label, note, alt)

    def note(self, old: str, new: str, note: str, alt: dict[str, Any] | None = None) -> Editor:
        """Add a note (and optionally an alternative reading) to an existing decision."""
        olds, news = old.split("+") if old else [], new.split("+") if new else []
        for lk in self.links:
            if lk["old"] == olds and lk["new"] == news:
                lk["note"] = note
                if alt is not None:
                    lk["ambiguous"], lk["alternative"] = True, alt
                return self
        if not news or not olds:
            side, label = ("removed", olds[0]) if olds else ("added", news[0])
            if (side, label) in self.lone:
                self.lone[side, label]["note"] = note
                if alt is not None:
                    self.lone[side, label].update(ambiguous=True, alternative=alt)
                return self
        raise KeyError(f"no decision {old} -> {new}")

    def save(self, why: str, checked: dict[str, str] | None) -> None:
        covered_old = {x for lk in self.links for x in lk["old"]}
        covered_new = {x for lk in self.links for x in lk["new"]}
        for x in self.pos_old:
            if x not in covered_old and ("removed", x) not in self.lone:
                self.lone["removed", x] = {}
        for x in self.pos_new:
            if x not in covered_new and ("added", x) not in self.lone:
                self.lone["added", x] = {}
        self.links.sort(key=lambda lk: (min(self.pos_new[x] for x in lk["new"]), lk["old"]))
        for lk in self.links:
            lk["old"].sort(key=self.pos_old.__getitem__)
            lk["new"].sort(key=self.pos_new.__getitem__)
        g = self.g
        g["why"], g["checked"], g["links"] = why, checked, self.links
        for side, pos in (("removed", self.pos_old), ("added", self.pos_new)):
            labels = sorted((lab for s, lab in self.lone if s == side), key=pos.__getitem__)
            g[side] = [
                {"label": lab, **self.lone[side, lab]} if self.lone[side, lab] else lab
                for lab in labels
            ]
        self.path.write_text(dump_gold(g), encoding="utf-8")


# --- calibration --------------------------------------------------------------------

_BINS = (0.0, 0.5, 0.7, 0.9, 0.99, 1.0001)


def calibration(golds: Sequence[Gold], settings: Settings | None = None) -> str:
    """How often decisions of each confidence band agree with the gold (ambiguous units
    left out), and how often the gold took the reported alternative instead."""
    counts = {t: [[0, 0] for _ in _BINS[:-1]] for t in ("links", "lone")}
    alt_total = alt_taken = 0
    for g in golds:
        cmp = compare(g.old.document(), g.new.document(), settings)
        amb_old, amb_new = g.ambiguous_units()
        for p in cmp.pairs:
            if set(p.old) & amb_old or set(p.new) & amb_new:
                continue
            if p.old and p.new:
                right = (p.old, p.new) in g.links
            elif p.old:
                right = p.old[0] in g.removed
            else:
                right = p.new[0] in g.added
            k = next(n for n in range(len(_BINS) - 1) if p.confidence < _BINS[n + 1])
            c = counts["links" if p.old and p.new else "lone"][k]
            c[0] += 1
            c[1] += right
            for a in p.alternatives:
                alt_total += 1
                alt_taken += all(
                    ((o, n) in g.links)
                    if o and n
                    else (o[0] in g.removed if o else n[0] in g.added)
                    for _, o, n in a.pairs
                )
    lines = ["confidence band     links agreeing    added/removed agreeing"]
    for n in range(len(_BINS) - 1):
        lo, hi = _BINS[n], min(_BINS[n + 1], 1.0)
        cells = []
        for t in ("links", "lone"):
            total, right = counts[t][n]
            cells.append(f"{total:6d} {right / total:.3f}" if total else f"{total:6d}   -  ")
        lines.append(f"  [{lo:.2f}, {hi:.2f}{']' if hi == 1.0 else ')'}  {cells[0]}    {cells[1]}")
    lines.append(f"alternatives reported {alt_total}, taken by the gold {alt_taken}")
    return "\n".join(lines) + "\n"
