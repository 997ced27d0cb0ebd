"""resdiff: track how United Nations resolutions change from version to version and year to year.

The public API, for Python users (the command line calls the same functions):

Documents
- ``parse_file(path)`` / ``parse_bytes(data, name)``: read a document (text, Markdown,
  PDF, DOCX, HTML) into a ``Document`` without storing it.
- ``load_document(ref, db_url)``: a file path parsed, or a stored symbol looked up.

The store
- ``open_store(url)``: the database (SQLite by default, PostgreSQL by URL);
  ``store.add(doc)``, ``store.get("A/RES/76/177")``, ``store.list()``.
- ``ingest_paths(store, paths)``: parse and store files and folders; the store is left
  ready for lineage questions (series grouped, consecutive versions aligned).

Comparing
- ``compare(old, new)``: the ``Comparison`` of two documents, which
  ``render(comparison, fmt)`` turns into text, HTML, Markdown, JSON or DOCX bytes.

Lineage (any store; documents stored since the last grouping are grouped first)
- ``list_series(store)`` / ``find_series(store, ref)``: series and their versions.
- ``history(store, phrase)``: first appearance, then what each version did with it.
- ``agreed(store, wording)``: adopted resolutions already containing the wording.
- ``trace(store, ref, label)`` / ``blame(store, ref)``: one paragraph's life; who wrote what.
- ``review(store, draft)``: the review pack of a draft (``render_review`` formats it).

Imports are lazy, so that ``resdiff --help`` loads neither SQLAlchemy nor PDFium. Names
that are also submodules (``compare``, ``render``, ``history``, ``review``) are callable
either way: the submodule, once imported, calls its function.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "parse_file": "resdiff.ingest",
    "parse_bytes": "resdiff.ingest",
    "load_document": "resdiff.documents",
    "open_store": "resdiff.store",
    "ingest_paths": "resdiff.batch",
    "compare": "resdiff.compare",
    "render": "resdiff.render",
    "render_document": "resdiff.render",
    "render_review": "resdiff.render.review",
    "list_series": "resdiff.lineage",
    "find_series": "resdiff.lineage",
    "trace": "resdiff.lineage",
    "blame": "resdiff.lineage",
    "history": "resdiff.history",
    "agreed": "resdiff.search",
    "first_appearance": "resdiff.search",
    "review": "resdiff.review",
    "Document": "resdiff.model",
    "Comparison": "resdiff.model",
    "Settings": "resdiff.settings",
    "ResdiffError": "resdiff.errors",
}

__all__ = [
    "Comparison",
    "Document",
    "ResdiffError",
    "Settings",
    "agreed",
    "blame",
    "compare",
    "find_series",
    "first_appearance",
    "history",
    "ingest_paths",
    "list_series",
    "load_document",
    "open_store",
    "parse_bytes",
    "parse_file",
    "render",
    "render_document",
    "render_review",
    "review",
    "trace",
]


class _CallableModule(types.ModuleType):
    """A submodule that is also its namesake function (see ``callable_module``)."""

    __function__: Callable[..., Any]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__function__(*args, **kwargs)


def callable_module(name: str, function: Callable[..., Any]) -> None:
    """Make the submodule ``name`` callable as ``function``.

    Importing a submodule binds it on its package under its own name, so after
    ``import resdiff.compare`` the name ``resdiff.compare`` is the module whatever this
    package exported; the API names that are also submodules (``compare``, ``render``,
    ``history``, ``review``) stay callable that way, and ``import resdiff.render.html``
    keeps working.
    """
    module = sys.modules[name]
    module.__class__ = _CallableModule
    module.__function__ = function  # type: ignore[attr-defined]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'resdiff' has no attribute {name!r}")


def __dir__() -> list[str]:
    # The public API, not this module's own imports and helpers.
    return sorted({*__all__, "__version__"})
