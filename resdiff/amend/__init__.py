"""Amendment documents: read their instructions, apply them to the draft they name, report.

amend(draft, [amendment, ...], force=False) -> AmendResult
    (.amended Document, .outcomes: applied / not applied + reason, .notes)
parse_amendment(doc) -> tuple[Instruction, ...];  parse_instruction(text)
apply_instructions(draft, instructions) -> AmendResult
reflected_in(result, adopted) -> list[Reflection]  (does the adopted text reflect each?)
report_lines(result) / report_json(result)  (the report as text lines / JSON data)
"""

from __future__ import annotations

from resdiff.amend.apply import AmendResult, Outcome, amend, apply_instructions
from resdiff.amend.instructions import parse_amendment, parse_instruction, parse_refs
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
from resdiff.amend.reflect import Reflection, reflected_in, summary
from resdiff.amend.report import report_json, report_lines
from resdiff.amend.wording import find_wording

__all__ = [
    "AmendResult",
    "DeleteParagraph",
    "DeleteWording",
    "InsertParagraphs",
    "InsertWording",
    "Instruction",
    "NewText",
    "Operation",
    "Outcome",
    "ParaRef",
    "Part",
    "Reflection",
    "ReplaceEverywhere",
    "ReplaceParagraph",
    "ReplaceWording",
    "amend",
    "apply_instructions",
    "find_wording",
    "parse_amendment",
    "parse_instruction",
    "parse_refs",
    "reflected_in",
    "report_json",
    "report_lines",
    "summary",
]
