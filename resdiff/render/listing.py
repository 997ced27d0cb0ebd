"""The table of stored documents shown by `resdiff list`, as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from resdiff.model import StoredSummary

__all__ = ["listing_row", "render_listing"]

_COLUMNS = ("key", "date", "kind", "units", "footnotes", "title")


def listing_row(s: StoredSummary) -> dict[str, Any]:
    """One stored document as `resdiff list --format json` gives it."""
    when = s.adoption_date or s.distribution_date
    return {
        "key": s.key,
        "symbol": s.symbol,
        "version": s.version,
        "kind": str(s.kind),
        "date": when.isoformat() if when else None,
        "distribution_date": s.distribution_date.isoformat() if s.distribution_date else None,
        "adoption_date": s.adoption_date.isoformat() if s.adoption_date else None,
        "title": s.title,
        "session": s.session,
        "body": s.body,
        "units": s.unit_count,
        "footnotes": s.footnote_count,
        "format": s.source_format,
        "source": s.source_name,
    }


def render_listing(
    rows: Sequence[StoredSummary],
    fmt: str,
    *,
    full_titles: bool = False,
    filtered: bool = False,
) -> str:
    """One line per stored document, in the order given. Text cuts titles to 70 characters
    unless ``full_titles``; ``filtered`` says the rows were chosen by filters (what to
    say when there are none)."""
    data = [listing_row(s) for s in rows]
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    if not data:
        if filtered:
            return "no stored document matches these filters"
        return "no documents stored yet: run `resdiff ingest FILES_OR_FOLDERS`"
    cells = [
        [
            r["key"],
            r["date"] or "-",
            r["kind"],
            str(r["units"]),
            str(r["footnotes"]),
            r["title"] or "-",
        ]
        for r in data
    ]
    if fmt == "md":
        esc = [[c.replace("|", "\\|") for c in row] for row in cells]
        head = "| " + " | ".join(_COLUMNS) + " |\n|" + "---|" * len(_COLUMNS)
        return head + "\n" + "\n".join("| " + " | ".join(r) + " |" for r in esc)
    widths = [max(len(_COLUMNS[i]), *(len(r[i]) for r in cells)) for i in range(len(_COLUMNS) - 1)]
    lines = [
        "  ".join(c.upper().ljust(w) for c, w in zip(_COLUMNS, widths, strict=False)) + "  TITLE"
    ]
    for r in cells:
        title = r[-1] if full_titles or len(r[-1]) <= 70 else r[-1][:69] + "…"
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + title)
    lines.append(f"{len(data)} document" + ("" if len(data) == 1 else "s"))
    return "\n".join(lines)
