"""Cross-references at risk: internal paragraph references whose target moved or vanished.

A reference is internal when it ends in "above", "below", "hereof", "of the present
resolution" or "of this resolution", or names an "operative"/"preambular" paragraph
without going on to "of <another text>". "paragraph 5 of resolution 75/190" and
"paragraph 12 of the Vienna Declaration" point elsewhere and are ignored. Bare
numbers point to operative paragraphs (only those are numbered in print). An
amendment document's paragraph numbers name its target draft's paragraphs, so
amendments have no internal references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from resdiff.model import Comparison, DocKind, Document
from resdiff.normalize import key

__all__ = ["Reference", "RiskyReference", "find_references", "references_at_risk"]

_NUM = r"\d+(?:\s*\([a-z]{1,5}\))*"
_SUB = r"\([a-z]{1,5}\)"
_SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+to\s+|\s*[-–]\s*)"
_TAIL = r"\s+(?:above|below|hereof|of\s+the\s+present\s+resolution|of\s+this\s+resolution)\b"
_REF = re.compile(
    rf"\b(?:(?P<kind>operative|preambular)\s+)?"
    rf"(?:(?P<sub>subparagraphs?)\s+(?P<subs>{_SUB}(?:{_SEP}{_SUB})*)"
    rf"|paragraphs?\s+(?P<nums>{_NUM}(?:{_SEP}{_NUM})*))"
    rf"(?P<tail>{_TAIL})?",
    re.IGNORECASE,
)
_ITEM = re.compile(r"\d+(?:\s*\([a-z]{1,5}\))*|\([a-z]{1,5}\)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Reference:
    """An internal reference: where it is, its printed text, and the labels it names."""

    unit: str
    text: str
    start: int
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskyReference:
    """One target of a reference in the new text that no longer points where it did."""

    unit: str  # label in the new document
    text: str
    start: int
    printed: str  # the target label the printed number names, e.g. "OP12"
    old_target: str | None  # what it meant in the old document (None: not carried over)
    new_target: str | None  # where that paragraph is now (None: removed or missing)
    reason: Literal["renumbered", "removed", "missing"]
    explanation: str


def _labels(m: re.Match[str], unit: str) -> tuple[str, ...]:
    if m.group("sub"):
        base = unit[: unit.index("(")] if "(" in unit else unit
        if unit.count("(") >= 2:  # a sub-sub-item names its siblings
            base = unit[: unit.rindex("(")]
        return tuple(base + s.replace(" ", "").lower() for s in _ITEM.findall(m.group("subs")))
    prefix = "PP" if (m.group("kind") or "").lower() == "preambular" else "OP"
    items = _ITEM.findall(m.group("nums"))
    seps = re.findall(_SEP, m.group("nums"))
    out: list[str] = []
    for i, item in enumerate(items):
        label = prefix + re.sub(r"\s+", "", item).lower()
        is_range = i > 0 and re.fullmatch(r"\s+to\s+|\s*[-–]\s*", seps[i - 1] or "")
        if is_range and item.isdigit() and out and out[-1][2:].isdigit():
            start = int(out[-1][2:])
            out.extend(f"{prefix}{n}" for n in range(start + 1, int(item)))
        out.append(label)
    return tuple(dict.fromkeys(out))


def find_references(doc: Document) -> tuple[Reference, ...]:
    """Every internal paragraph reference in ``doc``, in document order (none in amendments)."""
    out: list[Reference] = []
    if doc.metadata.kind is DocKind.AMENDMENT:
        return ()
    for u in doc.units:
        for m in _REF.finditer(u.text):
            follows = u.text[m.end() : m.end() + 4].lower()
            internal = m.group("tail") is not None or (
                m.group("kind") is not None and not follows.startswith(" of ")
            )
            if internal:
                out.append(Reference(u.label, m.group(0), m.start(), _labels(m, u.label)))
    return tuple(out)


def _label_map(cmp: Comparison) -> tuple[dict[str, str | None], dict[str, tuple[str, ...]]]:
    """Old label -> its new label (None if removed); new label -> the old labels it came from."""
    forward: dict[str, str | None] = {}
    backward: dict[str, tuple[str, ...]] = {}
    for p in cmp.pairs:
        for o in p.old:
            forward[o] = p.new[0] if p.new else None
        for n in p.new:
            backward[n] = p.old
    return forward, backward


def _number(label: str) -> str:
    return f"paragraph {label[2:]}" if label[:2] in {"OP", "PP"} else label


def references_at_risk(cmp: Comparison) -> tuple[RiskyReference, ...]:
    """Internal references in the new text whose printed target is no longer the right one.

    A reference carried over (the same text in the old unit it came from) meant a
    paragraph of the old document; when that paragraph is now elsewhere or gone, the
    printed number is stale. Any reference naming a paragraph the new text lacks is
    reported too.
    """
    forward, backward = _label_map(cmp)
    new_labels = {u.label for u in cmp.new.units}
    old_refs: dict[tuple[str, str], Reference] = {
        (r.unit, key(r.text)): r for r in find_references(cmp.old)
    }
    out: list[RiskyReference] = []
    for ref in find_references(cmp.new):
        carried = next(
            (
                old_refs[(o, key(ref.text))]
                for o in backward.get(ref.unit, ())
                if (o, key(ref.text)) in old_refs
            ),
            None,
        )
        quote = f"“{ref.text}” in {ref.unit}"
        for printed in ref.targets:
            old_target = printed if carried is not None and printed in carried.targets else None
            if old_target is not None and old_target in forward:
                now = forward[old_target]
                if now is None:
                    why = f"{quote} meant old {old_target}, which was removed"
                    out.append(_risky(ref, printed, old_target, None, "removed", why))
                    continue
                if now != printed:
                    why = (
                        f"{quote} meant old {old_target}, which is now {now}: "
                        f"it should read {_number(now)}"
                    )
                    out.append(_risky(ref, printed, old_target, now, "renumbered", why))
                    continue
            if printed not in new_labels:
                why = f"{quote} names {printed}, which the new text does not have"
                out.append(_risky(ref, printed, old_target, None, "missing", why))
    return tuple(out)


def _risky(
    ref: Reference,
    printed: str,
    old_target: str | None,
    new_target: str | None,
    reason: Literal["renumbered", "removed", "missing"],
    why: str,
) -> RiskyReference:
    return RiskyReference(
        ref.unit, ref.text, ref.start, printed, old_target, new_target, reason, why
    )
