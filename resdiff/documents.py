"""Resolve what a user names, a file path or a stored document reference, to a Document."""

from __future__ import annotations

from pathlib import Path

from resdiff.errors import NotFoundError
from resdiff.ingest import Revisions, parse_file
from resdiff.model import Document

__all__ = ["load_document"]


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
        return parse_file(path, encoding=encoding, revisions=revisions)
    from resdiff.store import open_store

    with open_store(db_url) as store:
        try:
            return store.get(ref)
        except NotFoundError as exc:
            raise NotFoundError(
                f"{ref}: no such file, and {exc}"
                if "stored" in str(exc)
                else f"{ref}: no such file and no stored document; see `resdiff list`"
            ) from exc
