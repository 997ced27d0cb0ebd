"""resdiff: track how United Nations resolutions change from version to version and year to year.

The public API, for Python users (the CLI calls the same functions):

- ``parse_file(path)`` / ``parse_bytes(data, name)``: read a document (text, Markdown,
  PDF, DOCX, HTML) into a ``Document`` without storing it.
- ``open_store(url)``: the database (SQLite by default, PostgreSQL by URL);
  ``store.add(doc)``, ``store.get("A/RES/76/177")``, ``store.list()``.
- ``ingest_paths(store, paths)``: parse and store files and folders.
- ``compare(old, new)``: the ``Comparison`` of two documents, which ``render(comparison, fmt)``
  turns into HTML, Markdown, JSON or terminal text.

Imports are lazy so that ``resdiff --help`` does not load SQLAlchemy or PDFium.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "parse_file": "resdiff.ingest",
    "parse_bytes": "resdiff.ingest",
    "open_store": "resdiff.store",
    "ingest_paths": "resdiff.batch",
    "compare": "resdiff.compare",
    "render": "resdiff.render",
    "render_document": "resdiff.render",
    "load_document": "resdiff.documents",
    "Document": "resdiff.model",
    "Comparison": "resdiff.model",
}

__all__ = [
    "Comparison",
    "Document",
    "compare",
    "ingest_paths",
    "load_document",
    "open_store",
    "parse_bytes",
    "parse_file",
    "render",
    "render_document",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'resdiff' has no attribute {name!r}")
