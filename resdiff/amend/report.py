"""The amendment report as text lines (for stderr) and as JSON-ready data."""

from __future__ import annotations

from typing import Any

from resdiff.amend.apply import AmendResult

__all__ = ["report_json", "report_lines"]


def report_lines(result: AmendResult) -> list[str]:
    """One line per operation: ``<amendment> #<n> <applied|NOT APPLIED>: <operation>[: reason]``,
    an unreadable instruction with its text, then ``note:`` lines and a count."""
    out = [f"note: {n}" for n in result.notes]
    for o in result.outcomes:
        ins = o.instruction
        head = f"{ins.amendment} #{ins.number} {'applied' if o.applied else 'NOT APPLIED'}"
        if o.operation is None:
            text = " ".join(ins.text.split())
            out.append(f"{head}: {o.reason}: “{text[:200]}”")
        elif o.applied:
            out.append(f"{head}: {o.operation.describe()}")
        else:
            out.append(f"{head}: {o.operation.describe()}: {o.reason}")
    done = sum(o.applied for o in result.outcomes)
    out.append(f"{done} of {len(result.outcomes)} operations applied")
    return out


def report_json(result: AmendResult) -> dict[str, Any]:
    """The report as data: notes, and per instruction its text, status and operations."""
    instructions = []
    for ins in result.instructions:
        ops = [o for o in result.outcomes if o.instruction is ins]
        instructions.append(
            {
                "amendment": ins.amendment,
                "number": ins.number,
                "text": ins.text,
                "status": result.status(ins),
                "problem": ins.problem,
                "operations": [
                    {
                        "operation": type(o.operation).__name__ if o.operation else None,
                        "description": o.operation.describe() if o.operation else None,
                        "applied": o.applied,
                        "reason": o.reason or None,
                    }
                    for o in ops
                ],
            }
        )
    return {
        "draft": result.draft.metadata.symbol,
        "amended": result.amended.metadata.symbol,
        "all_applied": result.all_applied,
        "notes": list(result.notes),
        "instructions": instructions,
    }
