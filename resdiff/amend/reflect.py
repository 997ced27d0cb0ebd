"""Which amendments an adopted resolution reflects: wording present or absent where the
amendment put or took it, paragraphs inserted or deleted.

The draft is compared with the adopted text (``resdiff.compare``) to find each draft
paragraph's counterpart; an instruction's effect is then looked for there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from resdiff.amend.apply import AmendResult, Outcome
from resdiff.amend.operations import (
    DeleteParagraph,
    DeleteWording,
    InsertParagraphs,
    InsertWording,
    ReplaceEverywhere,
    ReplaceParagraph,
    ReplaceWording,
)
from resdiff.amend.wording import find_wording
from resdiff.compare import compare
from resdiff.model import Document, PairKind, Unit
from resdiff.normalize import words

__all__ = ["REFLECTED", "Reflection", "reflected_in"]

REFLECTED = "reflected"
NOT_REFLECTED = "not reflected"
PARTLY = "partly"
UNCLEAR = "unclear"
NOT_CHECKED = "not checked"

# A paragraph counts as present in the adopted text when this share of its words match
# one adopted paragraph in order: editing after adoption changes symbols and dates.
_SAME_PARAGRAPH = 0.9


@dataclass(frozen=True, slots=True)
class Reflection:
    """Whether the adopted text reflects one operation: ``status`` is "reflected",
    "not reflected", "partly", "unclear" (no counterpart) or "not checked" (not applied)."""

    outcome: Outcome
    status: str
    detail: str


def _similar(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _present(text: str, units: Sequence[Unit]) -> bool:
    return any(_similar(text, u.text) >= _SAME_PARAGRAPH for u in units)


def _has(units: Sequence[Unit], wording: str) -> bool:
    return any(find_wording(u.text, wording) for u in units)


def _elsewhere(o: Outcome, adopted: Document) -> str:
    """Where the wording an operation removes still occurs in the adopted text, as a hint."""
    op = o.operation
    if not isinstance(op, DeleteWording | ReplaceWording | ReplaceEverywhere):
        return ""
    where = [u.label for u in adopted.units if find_wording(u.text, op.old)]
    return f" (the wording occurs in adopted {', '.join(where)})" if where else ""


def _one(o: Outcome, counterparts: dict[str, list[Unit]], adopted: Document) -> Reflection:
    op = o.operation
    if op is None or not o.applied:
        return Reflection(o, NOT_CHECKED, "not applied to the draft" + _elsewhere(o, adopted))
    if isinstance(op, InsertParagraphs):
        hits = sum(_present(t.text, adopted.units) for t in op.texts)
        status = REFLECTED if hits == len(op.texts) else NOT_REFLECTED if not hits else PARTLY
        return Reflection(
            o, status, f"{hits} of {len(op.texts)} new paragraph(s) in the adopted text"
        )
    if isinstance(op, ReplaceEverywhere):
        # Everywhere: the adopted text as a whole (its title too, when the replacement
        # named the title) holds the new wording and no longer the old one.
        texts = list(adopted.units)
        title = adopted.metadata.title or ""
        old = _has(texts, op.old) or bool(op.title and find_wording(title, op.old))
        new = _has(texts, op.new) or bool(op.title and find_wording(title, op.new))
        status = REFLECTED if new and not old else NOT_REFLECTED if old and not new else PARTLY
        return Reflection(
            o,
            status,
            f"new wording {'' if new else 'not '}in the adopted text; old wording "
            f"{'still' if old else 'not'} there" + (_elsewhere(o, adopted) if old else ""),
        )
    target = op.target.label
    found = counterparts.get(target, [])
    if isinstance(op, DeleteParagraph):
        if not found:
            return Reflection(o, REFLECTED, f"{target} has no counterpart in the adopted text")
        labels = ", ".join(u.label for u in found)
        return Reflection(o, NOT_REFLECTED, f"{target} kept as {labels}")
    if not found:
        detail = f"{target} has no counterpart in the adopted text" + _elsewhere(o, adopted)
        return Reflection(o, UNCLEAR, detail)
    where = ", ".join(u.label for u in found)
    if isinstance(op, ReplaceParagraph):
        new = all(_present(t.text, found) for t in op.texts[:1])
        status = REFLECTED if new else NOT_REFLECTED
        return Reflection(o, status, f"new text {'' if new else 'not '}found in {where}")
    if isinstance(op, DeleteWording):
        old = _has(found, op.old)
        return Reflection(
            o,
            NOT_REFLECTED if old else REFLECTED,
            f"wording {'still' if old else 'not'} in {where}",
        )
    if isinstance(op, InsertWording):
        new = _has(found, op.text)
        return Reflection(
            o, REFLECTED if new else NOT_REFLECTED, f"wording {'' if new else 'not '}in {where}"
        )
    assert isinstance(op, ReplaceWording)
    old, new = _has(found, op.old), _has(found, op.new)
    status = REFLECTED if new and not old else NOT_REFLECTED if old and not new else PARTLY
    return Reflection(
        o,
        status,
        f"new wording {'' if new else 'not '}in {where}; old wording {'still' if old else 'not'} there",
    )


def reflected_in(result: AmendResult, adopted: Document) -> list[Reflection]:
    """For each operation of ``result``, whether ``adopted`` reflects it (see ``Reflection``)."""
    cmp = compare(result.draft, adopted)
    by_label = {u.label: u for u in adopted.units}
    counterparts: dict[str, list[Unit]] = {}
    for p in cmp.pairs:
        if p.kind is PairKind.REMOVED:
            continue
        for label in p.old:
            counterparts[label] = [by_label[n] for n in p.new if n in by_label]
    return [_one(o, counterparts, adopted) for o in result.outcomes]


def summary(reflections: Sequence[Reflection]) -> str:
    """One word for a whole amendment: reflected / not reflected / partly / not checked."""
    got = {r.status for r in reflections if r.status != NOT_CHECKED}
    if not got:
        return NOT_CHECKED
    if got == {REFLECTED}:
        return REFLECTED
    if got <= {NOT_REFLECTED, UNCLEAR}:
        return NOT_REFLECTED if NOT_REFLECTED in got else UNCLEAR
    return PARTLY
