"""Operations → the amended draft, and a report of what was applied and what was not (and why).

Every reference is resolved against the draft's numbering before any amendment applies:
edits change the original units in place, deletions only mark them, insertions are
anchored to original units; the amended units are then laid out and relabelled as
they would be printed (PP1.., OP1.., (a).., (i)..).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from resdiff.amend.instructions import parse_amendment
from resdiff.amend.operations import (
    DeleteParagraph,
    DeleteWording,
    InsertParagraphs,
    InsertWording,
    Instruction,
    NewText,
    Operation,
    ParaRef,
    Part,
    ReplaceEverywhere,
    ReplaceParagraph,
    ReplaceWording,
)
from resdiff.amend.wording import find_wording, splice
from resdiff.errors import UsageError
from resdiff.ingest.lexicon import lead_words
from resdiff.model import DocKind, Document, Unit, UnitKind
from resdiff.series import base_symbol

__all__ = ["AmendResult", "Outcome", "amend", "apply_instructions", "find_wording"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one operation: applied, or not and why."""

    instruction: Instruction
    operation: Operation | None  # None for an instruction that could not be read
    applied: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AmendResult:
    """The draft, the draft as amended, and one outcome per operation (plus notes)."""

    draft: Document
    amended: Document
    instructions: tuple[Instruction, ...]
    outcomes: tuple[Outcome, ...]
    notes: tuple[str, ...] = ()

    @property
    def all_applied(self) -> bool:
        """True when every instruction was read and every operation applied."""
        return all(o.applied for o in self.outcomes)

    def status(self, ins: Instruction) -> str:
        """ "applied", "partly applied" or "not applied" for one instruction."""
        got = [o.applied for o in self.outcomes if o.instruction is ins]
        if got and all(got):
            return "applied"
        return "partly applied" if any(got) else "not applied"


# --- applying -----------------------------------------------------------------


@dataclass(slots=True)
class _Slot:
    unit: Unit
    deleted_by: str = ""  # the instruction that deleted it ("": kept)
    # new paragraphs placed before / after this unit: (text, part, depth of the anchor)
    before: list[tuple[NewText, Part, int]] = field(default_factory=list)
    after: list[tuple[NewText, Part, int]] = field(default_factory=list)


_PLAIN = re.compile(r"(PP|OP)(\d+)((?:\([a-z]+\))*)")


def _family_end(units: Sequence[Unit], i: int) -> int:
    """Index of the last unit of unit ``i``'s family (itself and its sub-items)."""
    label = units[i].label
    j = i
    while j + 1 < len(units) and units[j + 1].label.startswith(label + "("):
        j += 1
    return j


def _missing(ref: ParaRef, labels: dict[str, int], units: Sequence[Unit]) -> str:
    head = "PP" if ref.part is Part.PREAMBULAR else "OP"
    tops = [u.label for u in units if re.fullmatch(rf"{head}\d+", u.label)]
    if not ref.sub:
        return f"{ref} not found: the draft has {len(tops)} {ref.part.value} paragraphs"
    parent = ParaRef(ref.part, ref.number, ref.sub[:-1])
    if parent.label not in labels:
        return f"{ref} not found: the draft has no {parent}"
    kids = [u.label[len(parent.label) :] for u in units if u.parent == parent.label]
    has = f"sub-items {kids[0]}-{kids[-1]}" if kids else "no sub-items"
    return f"{ref} not found: {parent} has {has}"


def _relead(old: Unit, text: str) -> Unit:
    lead = old.lead if old.lead and text.startswith(old.lead) else ""
    if not lead and old.kind is not UnitKind.SUBITEM:
        lead = lead_words(text, old.kind is UnitKind.OPERATIVE)
    # new wording: where the old markers stood in it is unknown
    return dataclasses.replace(old, text=text, lead=lead, footnote_at=())


def _apply_one(
    op: Operation,
    ins: Instruction,
    slots: list[_Slot],
    labels: dict[str, int],
    renamed: Sequence[tuple[str, str]] = (),
) -> str:
    """Apply ``op`` (any but ``ReplaceEverywhere``, which names no paragraph); "" when
    applied, else the reason it was not. ``renamed``: the replacements made everywhere so
    far, (old, new), through which quoted wording is also looked for."""
    assert not isinstance(op, ReplaceEverywhere)
    units = [s.unit for s in slots]
    who = f"{ins.amendment} instruction {ins.number}"
    depth = 0
    target = op.anchor if isinstance(op, InsertParagraphs) else op.target
    if isinstance(op, InsertParagraphs) and target is None:
        head = "PP" if op.part is Part.PREAMBULAR else "OP"
        tops = [i for i, u in enumerate(units) if re.fullmatch(rf"{head}\d+", u.label)]
        if not op.texts:
            return "no text to insert"
        if tops:
            i = tops[0] if op.position == "start" else _family_end(units, tops[-1])
        elif op.part is Part.PREAMBULAR:
            ops_ = [i for i, u in enumerate(units) if _PLAIN.fullmatch(u.label)]
            if not ops_:
                return "the draft has no paragraphs to insert among"
            i = ops_[0]
            slots[i].before += [(t, op.part, depth) for t in op.texts]
            return ""
        else:
            return "the draft has no operative part to add to"
        side = slots[i].before if op.position == "start" else slots[i].after
        side += [(t, op.part, depth) for t in op.texts]
        return ""
    assert target is not None
    found = labels.get(target.label)
    if found is None:
        return _missing(target, labels, units)
    i = found
    slot = slots[i]
    depth = target_depth = len(target.sub)
    if isinstance(op, InsertParagraphs):
        if op.part is not target.part:
            return f"a new {op.part.value} paragraph cannot go {op.position} {target}"
        if not op.texts:
            return "no text to insert"
        if op.position == "before":
            slot.before += [(t, op.part, depth) for t in op.texts]
        else:
            slots[_family_end(units, i)].after += [(t, op.part, depth) for t in op.texts]
        return ""
    if slot.deleted_by:
        return f"{target} was deleted by {slot.deleted_by}"
    if isinstance(op, DeleteParagraph):
        for j in range(i, _family_end(units, i) + 1):
            slots[j].deleted_by = slots[j].deleted_by or who
        return ""
    if isinstance(op, ReplaceParagraph):
        if not op.texts:
            return "no replacement text"
        for j in range(i + 1, _family_end(units, i) + 1):
            slots[j].deleted_by = slots[j].deleted_by or who
        slot.unit = _relead(dataclasses.replace(slot.unit, lead=""), op.texts[0].text)
        if op.texts[0].lead:
            slot.unit = dataclasses.replace(slot.unit, lead=op.texts[0].lead)
        slots[_family_end(units, i)].after += [(t, target.part, target_depth) for t in op.texts[1:]]
        return ""
    text = slot.unit.text
    if isinstance(op, InsertWording) and op.anchor is None:
        new = text + " " + op.text if op.position == "end" else op.text + " " + text
        slot.unit = _relead(slot.unit, " ".join(new.split()))
        return ""
    wording = op.anchor if isinstance(op, InsertWording) else op.old
    assert wording is not None
    asked = wording
    hits = find_wording(text, wording)
    if not hits and renamed:
        # An amendment that replaces a name everywhere may quote a paragraph's wording
        # before that replacement ("the consequences of the Chernobyl disaster" once
        # "Chernobyl" became "Chornobyl"): the wording is looked for as it now reads.
        for old, new in renamed:
            wording = _replace_all(wording, old, new)[0]
        hits = find_wording(text, wording)
    if len(hits) != 1:
        where = "not found" if not hits else f"occurs {len(hits)} times"
        return f"wording “{_short(asked)}” {where} in {target.label}"
    s, e = hits[0]
    if isinstance(op, ReplaceWording):
        text = splice(text, s, e, op.new)
    elif isinstance(op, DeleteWording):
        text = splice(text, s, e, "")
    elif op.position == "after":
        text = splice(text, e, e, op.text)
    else:
        text = splice(text, s, s, op.text)
    if not text.strip():
        return (
            f"deleting the wording would leave {target.label} empty; delete the paragraph instead"
        )
    slot.unit = _relead(slot.unit, text)
    return ""


def _replace_all(text: str, old: str, new: str) -> tuple[str, int]:
    """``text`` with every occurrence of the wording ``old`` replaced, and how many."""
    hits = find_wording(text, old)
    for s, e in reversed(hits):
        text = splice(text, s, e, new)
    return text, len(hits)


def _replace_everywhere(op: ReplaceEverywhere, slots: list[_Slot], title: str) -> tuple[str, str]:
    """Apply a replacement in the title and the parts it names: (the title after it, ""
    when applied, else the reason it was not)."""
    count = 0
    if op.title and title:
        title, count = _replace_all(title, op.old, op.new)
    heads = tuple("PP" if p is Part.PREAMBULAR else "OP" for p in op.parts)
    for slot in slots:
        if slot.deleted_by or not slot.unit.label.startswith(heads):
            continue
        text, n = _replace_all(slot.unit.text, op.old, op.new)
        if n:
            slot.unit = _relead(slot.unit, text)
            count += n
    return title, "" if count else f"wording “{_short(op.old)}” not found anywhere it names"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


# --- layout and labels ----------------------------------------------------------

_LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
_LETTERS += [c + c for c in _LETTERS]
_ROMANS = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
    "xv", "xvi", "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv",
]  # fmt: skip


def _style(first_token: str | None, depth: int) -> list[str]:
    """Enumerators for a parent's sub-items, from its first child's printed token:
    "a" letters, "ii"/"iv" Roman; "i", "v", "x" alone are Roman at depth 2 or first."""
    if first_token is None:
        return _ROMANS if depth >= 2 else _LETTERS
    if first_token == "i" or (first_token in _ROMANS and len(first_token) > 1):
        return _ROMANS
    if first_token in {"v", "x"}:
        return _ROMANS if depth >= 2 else _LETTERS
    return _LETTERS


def _relabel(items: list[tuple[Unit | None, NewText | None, Part, int]]) -> list[Unit]:
    """Units laid out in order, numbered as printed: PP1.., OP1.., (a).., (i).."""
    out: list[Unit] = []
    counts = {Part.PREAMBULAR: 0, Part.OPERATIVE: 0}
    parents: list[str] = []  # new labels of the enclosing units, by depth
    kids: dict[str, list[str]] = {}  # new parent label -> enumerators chosen so far
    style: dict[str, list[str]] = {}
    for unit, new, part, wanted in items:
        if unit is not None and not _PLAIN.fullmatch(unit.label):
            out.append(unit)  # an annex or a named part keeps its own numbering
            continue
        token = unit.label[unit.label.rindex("(") + 1 : -1] if unit and wanted else None
        depth = min(wanted, len(parents))
        if depth == 0:
            counts[part] += 1
            label = f"{'PP' if part is Part.PREAMBULAR else 'OP'}{counts[part]}"
            kind = UnitKind.PREAMBULAR if part is Part.PREAMBULAR else UnitKind.OPERATIVE
        else:
            parent = parents[depth - 1]
            seen = kids.setdefault(parent, [])
            seq = style.setdefault(parent, _style(token, depth))
            label = f"{parent}({seq[min(len(seen), len(seq) - 1)]})"
            seen.append(label)
            kind = UnitKind.SUBITEM
        parents = [*parents[:depth], label]
        if unit is not None:
            out.append(dataclasses.replace(unit, label=label))
        else:
            assert new is not None
            lead = (new.lead or lead_words(new.text, part is Part.OPERATIVE)) if depth == 0 else ""
            out.append(Unit(label=label, kind=kind, text=new.text, lead=lead))
    return out


def _layout(slots: list[_Slot]) -> list[Unit]:
    items: list[tuple[Unit | None, NewText | None, Part, int]] = []

    def add_new(entries: list[tuple[NewText, Part, int]]) -> None:
        # inserts anchored deeper come first ("after OP2(c)" before "after OP2")
        for t, part, base in sorted(entries, key=lambda e: -e[2]):
            items.append((None, t, part, base + t.depth))

    for slot in slots:
        add_new(slot.before)
        u = slot.unit
        if not slot.deleted_by:
            part = Part.PREAMBULAR if u.label.startswith("PP") else Part.OPERATIVE
            items.append((u, None, part, u.label.count("(")))
        add_new(slot.after)
    return _relabel(items)


# --- entry points -----------------------------------------------------------------


def apply_instructions(
    draft: Document, instructions: Sequence[Instruction], *, notes: Sequence[str] = ()
) -> AmendResult:
    """Apply ``instructions`` (all against ``draft``'s original numbering) to ``draft``."""
    slots = [_Slot(u) for u in draft.units]
    labels = {u.label: i for i, u in enumerate(draft.units)}
    outcomes: list[Outcome] = []
    title = draft.metadata.title or ""
    renamed: list[tuple[str, str]] = []
    for ins in instructions:
        if ins.problem is not None:
            outcomes.append(Outcome(ins, None, False, ins.problem))
            continue
        for op in ins.operations:
            if isinstance(op, ReplaceEverywhere):
                title, reason = _replace_everywhere(op, slots, title)
                if not reason:
                    renamed.append((op.old, op.new))
            else:
                reason = _apply_one(op, ins, slots, labels, renamed)
            outcomes.append(Outcome(ins, op, not reason, reason))
    names = list(dict.fromkeys(i.amendment for i in instructions))
    sym = draft.metadata.symbol or (draft.source.name if draft.source else "the draft")
    meta = dataclasses.replace(
        draft.metadata,
        symbol=f"{sym} as amended by {', '.join(names)}" if names else sym,
        draft_symbol=draft.metadata.symbol,
        title=title or draft.metadata.title,
    )
    source = draft.source
    if source is not None:
        source = dataclasses.replace(
            source, notes=(*source.notes, f"amended by {', '.join(names)}")
        )
    amended = dataclasses.replace(draft, metadata=meta, units=tuple(_layout(slots)), source=source)
    return AmendResult(draft, amended, tuple(instructions), tuple(outcomes), tuple(notes))


def amend(draft: Document, amendments: Sequence[Document], *, force: bool = False) -> AmendResult:
    """Parse each amendment, check it names ``draft``, and apply them all to ``draft``.

    Raises UsageError when ``draft`` is itself an amendment, or an amendment names another
    draft (or none) and ``force`` is False; ParseError when an amendment has no instruction.
    A different version of the same draft (L.20 for L.20/Rev.1) is applied with a note.
    """
    dsym = draft.metadata.symbol
    dname = dsym or (draft.source.name if draft.source else "the draft")
    if draft.metadata.kind is DocKind.AMENDMENT:
        raise UsageError(f"{dname} is an amendment; give the draft first, then its amendments")
    notes: list[str] = []
    instructions: list[Instruction] = []
    for doc in amendments:
        found = parse_amendment(doc)
        name = found[0].amendment
        target = doc.metadata.draft_symbol
        if target is None or dsym is None or base_symbol(target) != base_symbol(dsym):
            why = (
                f"{name} does not name the draft it amends"
                if target is None
                else f"{name} amends {target}, not {dname}"
            )
            if not force:
                raise UsageError(f"{why}; give that draft, or pass --force to apply it anyway")
            notes.append(f"{why}; applied anyway (--force)")
        elif re.sub(r"\s+", "", target).rstrip("*") != re.sub(r"\s+", "", dsym).rstrip("*"):
            notes.append(
                f"target version differs: {name} amends {target}; applied to {dsym} "
                "(paragraph numbers and wording may differ from the version it was written for)"
            )
        instructions += found
    return apply_instructions(draft, instructions, notes=notes)
