"""What an amendment instruction means: paragraph references and the operations on a draft.

Plain frozen data, no parsing and no applying. References always use the draft's
numbering *before* any amendment applies, as amendment documents do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

__all__ = [
    "DeleteParagraph",
    "DeleteWording",
    "InsertParagraphs",
    "InsertWording",
    "Instruction",
    "NewText",
    "Operation",
    "ParaRef",
    "Part",
    "ReplaceEverywhere",
    "ReplaceParagraph",
    "ReplaceWording",
]


class Part(StrEnum):
    """The part of a resolution a reference points into."""

    PREAMBULAR = "preambular"
    OPERATIVE = "operative"


@dataclass(frozen=True, slots=True)
class ParaRef:
    """A paragraph as an amendment names it: "operative paragraph 2 (b)" = (OPERATIVE, 2, ("b",))."""

    part: Part
    number: int
    sub: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The model label this reference resolves to: ``PP3``, ``OP2(b)(ii)``."""
        head = "PP" if self.part is Part.PREAMBULAR else "OP"
        return f"{head}{self.number}" + "".join(f"({s})" for s in self.sub)

    def __str__(self) -> str:
        subs = " " + "".join(f"({s})" for s in self.sub) if self.sub else ""
        return f"{self.part.value} paragraph {self.number}{subs}"


@dataclass(frozen=True, slots=True)
class NewText:
    """One paragraph of text an amendment adds: ``depth`` 0 is a paragraph, 1 its sub-item."""

    text: str
    lead: str = ""
    depth: int = 0


def _q(text: str) -> str:
    short = text if len(text) <= 60 else text[:57] + "..."
    return f"“{short}”"


@dataclass(frozen=True, slots=True)
class InsertParagraphs:
    """New paragraphs before/after ``anchor``, or at the start/end of ``part`` (no anchor)."""

    part: Part
    texts: tuple[NewText, ...]
    anchor: ParaRef | None = None
    position: Literal["before", "after", "start", "end"] = "after"

    def describe(self) -> str:
        where = (
            f"{self.position} {self.anchor.label}"
            if self.anchor
            else f"at the {self.position} of the {self.part.value} part"
        )
        what = " + ".join(_q(t.text) for t in self.texts) or "(no text)"
        return f"insert {len(self.texts)} {self.part.value} paragraph(s) {where}: {what}"


@dataclass(frozen=True, slots=True)
class DeleteParagraph:
    """Delete a paragraph (with its sub-items)."""

    target: ParaRef

    def describe(self) -> str:
        return f"delete paragraph {self.target.label}"


@dataclass(frozen=True, slots=True)
class ReplaceParagraph:
    """Replace a whole paragraph (and its sub-items) with new text."""

    target: ParaRef
    texts: tuple[NewText, ...]

    def describe(self) -> str:
        what = " + ".join(_q(t.text) for t in self.texts) or "(no text)"
        return f"replace paragraph {self.target.label} with {what}"


@dataclass(frozen=True, slots=True)
class ReplaceWording:
    """Replace the words ``old`` (occurring once in the target) with ``new``."""

    target: ParaRef
    old: str
    new: str

    def describe(self) -> str:
        return f"in {self.target.label} replace {_q(self.old)} with {_q(self.new)}"


@dataclass(frozen=True, slots=True)
class DeleteWording:
    """Delete the words ``old`` (occurring once in the target)."""

    target: ParaRef
    old: str

    def describe(self) -> str:
        return f"in {self.target.label} delete {_q(self.old)}"


@dataclass(frozen=True, slots=True)
class InsertWording:
    """Insert ``text`` after/before the words ``anchor``, or at the start/end of the target."""

    target: ParaRef
    text: str
    anchor: str | None = None
    position: Literal["before", "after", "start", "end"] = "after"

    def describe(self) -> str:
        where = f"{self.position} {_q(self.anchor)}" if self.anchor else f"at the {self.position}"
        return f"in {self.target.label} insert {_q(self.text)} {where}"


@dataclass(frozen=True, slots=True)
class ReplaceEverywhere:
    """Replace the words ``old`` wherever they stand in the title and the parts named
    ("Replace “Chernobyl” with “Chornobyl” in the title, the preambular paragraphs and the
    operative paragraphs")."""

    old: str
    new: str
    title: bool
    parts: tuple[Part, ...]

    def describe(self) -> str:
        where = (["the title"] if self.title else []) + [
            f"the {p.value} paragraphs" for p in self.parts
        ]
        places = ", ".join(where[:-1]) + " and " + where[-1] if len(where) > 1 else where[0]
        return f"replace {_q(self.old)} with {_q(self.new)} in {places}"


Operation = (
    InsertParagraphs
    | DeleteParagraph
    | ReplaceParagraph
    | ReplaceWording
    | DeleteWording
    | InsertWording
    | ReplaceEverywhere
)


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction of an amendment document, as printed, and what it was parsed into.

    ``problem`` says why the text could not be understood (then ``operations`` is empty).
    """

    amendment: str  # the amendment's symbol (or file name)
    number: int  # 1-based position among the document's instructions
    text: str
    operations: tuple[Operation, ...] = ()
    problem: str | None = None
