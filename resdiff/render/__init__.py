"""Renderers: one Comparison (or one Document) to HTML, Markdown, terminal text or JSON.

Every format is a pure function of the comparison, through the view model of
``viewmodel.build_view``; none recomputes a diff. Output is deterministic.

    render(comparison, "html" | "md" | "text" | "json" | "docx", color=False, only=None,
           hide_routine=False, width=80, author="resdiff") -> str (bytes for docx)
    FORMATS, OutputFormat: the table of output formats (``formats``)
    render_document(document, "text" | "json" | "md") -> str
    comparison_to_json(comparison) -> dict;  document_to_json(document) -> dict
    load_schema("comparison" | "document") -> dict
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, overload

from resdiff import callable_module
from resdiff.render.formats import COMPARISON, FORMATS, OutputFormat, check_format

if TYPE_CHECKING:
    from resdiff.model import Comparison
    from resdiff.render.document import render_document
    from resdiff.render.jsonout import comparison_to_json, document_to_json
    from resdiff.schemas import load_schema

__all__ = [
    "FORMATS",
    "OutputFormat",
    "comparison_to_json",
    "document_to_json",
    "load_schema",
    "render",
    "render_document",
]


@overload
def render(
    comparison: Comparison,
    fmt: Literal["docx"],
    *,
    color: bool = ...,
    only: str | Iterable[str] | None = ...,
    hide_routine: bool = ...,
    width: int = ...,
    author: str = ...,
) -> bytes: ...


@overload
def render(
    comparison: Comparison,
    fmt: Literal["text", "html", "md", "json", "markdown", "terminal"],
    *,
    color: bool = ...,
    only: str | Iterable[str] | None = ...,
    hide_routine: bool = ...,
    width: int = ...,
    author: str = ...,
) -> str: ...


@overload
def render(
    comparison: Comparison,
    fmt: str,
    *,
    color: bool = ...,
    only: str | Iterable[str] | None = ...,
    hide_routine: bool = ...,
    width: int = ...,
    author: str = ...,
) -> str | bytes: ...


def render(
    comparison: Comparison,
    fmt: str,
    *,
    color: bool = False,
    only: str | Iterable[str] | None = None,
    hide_routine: bool = False,
    width: int = 80,
    author: str = "resdiff",
) -> str | bytes:
    """The comparison in one format of ``formats.COMPARISON``: text for all but "docx",
    whose bytes are a Word document with tracked changes by ``author`` (whole text).

    ``only`` selects pair kinds ("changed" = any change); ``color`` adds ANSI escapes to
    terminal text; ``width`` wraps terminal text. Raises ValueError for an unknown format
    or pair kind.
    """
    kind = check_format(fmt, COMPARISON, "a comparison").name
    if kind == "docx":
        from resdiff.render.docx_tracked import render_docx

        return render_docx(comparison, author=author)
    if kind == "json":
        from resdiff.render.jsonout import render_json

        return render_json(comparison, only=only, hide_routine=hide_routine)
    from resdiff.render.viewmodel import build_view

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


# Imported on first use, so that a command importing only ``formats`` (every command,
# for its --format choices) does not pay for the view model, JSON and terminal renderers.
_LAZY = {
    "render_document": "resdiff.render.document",
    "comparison_to_json": "resdiff.render.jsonout",
    "document_to_json": "resdiff.render.jsonout",
    "load_schema": "resdiff.schemas",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# `resdiff.render` is this module once imported: calling it calls render().
callable_module(__name__, render)
