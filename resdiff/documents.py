"""Resolve what a user names, a file path or a stored document reference, to a Document or a key."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from resdiff.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from resdiff.ingest import Revisions
    from resdiff.model import Document
    from resdiff.store import Store

__all__ = ["document_in", "load_document", "stored_key"]

# A reference ending like a document file is a path with a typo, not a symbol.
_FILE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".pdf", ".docx", ".doc", ".html", ".htm"})


def load_document(
    ref: str,
    db_url: str | None = None,
    *,
    encoding: str | None = None,
    revisions: Revisions = "accept",
) -> Document:
    """An existing path is parsed (not stored); anything else is looked up in the store."""
    path = Path(ref)
    if path.exists():
        from resdiff.ingest import parse_file  # the parsers: only for a file

        return parse_file(path, encoding=encoding, revisions=revisions)
    _not_a_missing_file(path, ref)
    from resdiff.store import open_store

    # Looking a symbol up never creates a database: a missing one is worth saying.
    with open_store(db_url, create=False) as store:
        return store.get(ref)


def _not_a_missing_file(path: Path, ref: str) -> None:
    if path.suffix.lower() in _FILE_SUFFIXES:
        raise UsageError(f"{ref}: no such file; check the path")


def document_in(store: Store, ref: str) -> Document:
    """``load_document`` with a store already open: a path is parsed, else looked up."""
    path = Path(ref)
    if path.exists():
        from resdiff.ingest import parse_file

        return parse_file(path)
    _not_a_missing_file(path, ref)
    return store.get(ref)


def stored_key(store: Store, ref: str) -> str:
    """The stored key for ``ref``: a symbol or key as given, or the file whose content is stored.

    Series questions (trace, blame) need the version's place in its series, so a file
    must have been ingested first; a file that was not is a clear error.
    """
    path = Path(ref)
    if not path.exists():
        return ref
    from resdiff.ingest import parse_file

    key = store.key_of(parse_file(path))
    if key is None:
        raise NotFoundError(f"{ref}: this file is not stored; run `resdiff ingest {ref}` first")
    return key
