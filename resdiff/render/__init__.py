"""Renderers: one Comparison (or one Document) to HTML, Markdown, terminal text or JSON.

Every format is a pure function of the comparison, through the view model of
``viewmodel.build_view``; none recomputes a diff. Output is deterministic.

    render(comparison, "html" | "md" | "text" | "json", color=False, only=None,
           hide_routine=False, width=80) -> str
    render_document(document, "text" | "json" | "md") -> str
    comparison_to_json(comparison) -> dict;  document_to_json(document) -> dict
    load_schema("comparison" | "document") -> dict
"""

from __future__ import annotations

from collections.abc import Iterable

from resdiff.model import Comparison
from resdiff.render.document import render_document
from resdiff.render.jsonout import comparison_to_json, document_to_json, render_json
from resdiff.render.viewmodel import build_view
from resdiff.schemas import load_schema

__all__ = [
    "FORMATS",
    "comparison_to_json",
    "document_to_json",
    "load_schema",
    "render",
    "render_document",
]

# Names accepted for each format; the CLI's --format values map here.
FORMATS = {
    "html": "html",
    "md": "md",
    "markdown": "md",
    "text": "text",
    "terminal": "text",
    "json": "json",
}


def render(
    comparison: Comparison,
    fmt: str,
    *,
    color: bool = False,
    only: str | Iterable[str] | None = None,
    hide_routine: bool = False,
    width: int = 80,
) -> str:
    """The comparison in one format. ``only`` selects pair kinds ("changed" = any change);
    ``color`` adds ANSI escapes to terminal text; ``width`` wraps terminal text.

    Raises ValueError for an unknown format or pair kind.
    """
    kind = FORMATS.get(fmt)
    if kind is None:
        raise ValueError(f"unknown format {fmt!r}; use one of: html, md, text, json")
    if kind == "json":
        return render_json(comparison, only=only, hide_routine=hide_routine)
    view = build_view(comparison, only=only, hide_routine=hide_routine)
    if kind == "html":
        # jinja2 is imported only when HTML is asked for: keeps `resdiff diff` startup lean.
        from resdiff.render.html import render_html

        return render_html(view)
    if kind == "md":
        from resdiff.render.markdown import render_markdown

        return render_markdown(view)
    from resdiff.render.terminal import render_terminal

    return render_terminal(view, color=color, width=width)
