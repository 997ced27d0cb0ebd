"""The exceptions resdiff raises on purpose; the CLI maps them to one stderr line and an exit code."""

from __future__ import annotations

__all__ = [
    "DamagedError",
    "EncryptedError",
    "IngestError",
    "NoBaselineError",
    "NoTextError",
    "NotFoundError",
    "ParseError",
    "ResdiffError",
    "SchemaError",
    "StoreError",
    "UnsupportedFormatError",
    "UsageError",
    "WorkerError",
]


class ResdiffError(Exception):
    """Base class. ``str(err)`` is one line: what failed, why, and how to fix it."""

    exit_code = 1


class UsageError(ResdiffError):
    """Bad arguments: a missing path, a directory where a file was expected."""

    exit_code = 2


class IngestError(ResdiffError):
    """A file could not be turned into a document."""


class UnsupportedFormatError(IngestError):
    """The content is of a format resdiff does not read (legacy .doc, images...)."""


class ParseError(IngestError):
    """The content claims a supported format but is damaged (truncated, malformed, too large)."""


class NoTextError(IngestError):
    """The content holds no text to parse (empty file, scanned PDF without a text layer)."""


class EncodingError(IngestError):
    """Text whose bytes are not in the encoding read (UTF-8, unless one was given).

    ``detail`` says what failed, without the command line's advice (``--encoding``) that
    the message carries: the web app advises its upload form's encoding box instead.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail or message


class EncryptedError(IngestError):
    """The PDF is encrypted."""


class StoreError(ResdiffError):
    """The database cannot be used as asked."""


class DamagedError(StoreError):
    """The database file fails SQLite's integrity check: restore a backup."""


class SchemaError(StoreError):
    """The database schema is older (or newer) than this resdiff."""


class WorkerError(ResdiffError):
    """A worker process ended while it had work (killed, for lack of memory say)."""


class NotFoundError(ResdiffError):
    """A stored document or unit reference matched nothing."""


class NoBaselineError(NotFoundError):
    """A draft to review has no adopted resolution before it in its series: the text to
    compare it with must be chosen. ``draft`` names it; ``where`` says where none was
    found ("in its series '...'")."""

    def __init__(self, draft: str, where: str) -> None:
        super().__init__(
            f"{draft}: no adopted resolution precedes it {where}; "
            "pass --against SYMBOL (or ingest last year's resolution first)"
        )
        self.draft = draft
        self.where = where
