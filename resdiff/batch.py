"""Ingest many files into a store: expand folders, parse each file, store it, report every outcome.

A file that fails to parse is reported with its reason and never aborts the batch.
Documents are stored in transactions of up to a few hundred (``Store.batch``), each
document whole or not at all. A batch stopped midway (Ctrl-C, a store error) keeps the
documents committed before, says which in its one-line error, and leaves no parse
worker behind; the same command run again stores the rest (the others are "already
stored"). Parse workers die with the process that started them, even on kill -9.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from resdiff.errors import IngestError, StoreError, UsageError, WorkerError
from resdiff.ingest import Revisions, parse_file
from resdiff.model import Document, UnitKind
from resdiff.render.words import counted
from resdiff.workers import default_workers, imap_watched, process_pool

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from resdiff.store import Store

__all__ = [
    "IngestInterrupted",
    "IngestOutcome",
    "expand_paths",
    "ingest_document",
    "ingest_paths",
]

Status = Literal["stored", "already stored", "failed"]

# A commit every this many new documents or seconds, whichever comes first: few enough
# commits for the index to be written in bulk, short enough a hold on SQLite's write
# lock for another writer (which waits up to a minute) and little work lost to Ctrl-C.
_COMMIT_DOCS = 250
_COMMIT_SECONDS = 20.0
# From this many files on, the phrase index is merged once at the end (``Store.batch``).
_BULK_FILES = 50
# Files handed to a parse worker at a time: fewer messages for text files; handing PDFs
# one at a time was measured slower (10.4-10.5 against 11.2-11.8 PDFs/s).
_CHUNK = 8


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one file."""

    path: str
    status: Status
    key: str | None = None
    message: str = ""  # the failure reason, or a summary of what was stored
    problems: tuple[str, ...] = ()  # warnings about what was stored anyway (structure, name)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus every non-hidden file under named folders, in a stable order.

    A missing or unreadable path (or a folder with an unreadable subfolder) is a usage
    error naming it; nothing is ingested then.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder; check the path")
        _readable(p)
        if p.is_dir():
            out.extend(sorted(_walk(p)))
        else:
            out.append(p)
    return out


def _readable(p: Path) -> None:
    what = "folder" if p.is_dir() else "file"
    if not os.access(p, os.R_OK | (os.X_OK if p.is_dir() else 0)):
        raise UsageError(f"{p}: cannot read this {what} (permission denied); check its permissions")


def _walk(folder: Path) -> Iterator[Path]:
    def refuse(err: OSError) -> None:
        name = err.filename or folder
        raise UsageError(f"{name}: cannot read this folder ({err.strerror}); check its permissions")

    for root, dirs, files in os.walk(folder, onerror=refuse):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in files:
            if not f.startswith("."):
                yield Path(root) / f


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    symbol: str | None = None,
    encoding: str | None = None,
    revisions: Revisions = "accept",
    progress: Callable[[int, int, IngestOutcome], None] | None = None,
    workers: int | None = None,
    step: Callable[[int, int, str], None] | None = None,
) -> list[IngestOutcome]:
    """Parse and store every file under ``paths``; return one outcome per file, in order.

    ``symbol`` names the document when exactly one file is given (a draft whose
    symbol is not printed in it). ``progress(done, total, outcome)`` is called after
    each file. Parsing runs in ``workers`` processes (default: one per CPU) for
    large batches; storing stays in this process, in transactions of up to a few
    hundred documents, each document whole or not at all.

    Stopped midway, it raises ``IngestInterrupted`` (Ctrl-C) or a ``StoreError`` whose
    one line says which files are stored: those of the transactions committed before.

    When anything new was stored, the store is left ready for lineage questions: series
    regrouped, consecutive versions aligned (``step(done, total, message)`` reports that
    stage) and the phrase index compacted.
    """
    files = expand_paths(paths)
    if symbol is not None and len(files) != 1:
        raise UsageError(f"--symbol names one document, but {len(files)} files were given")
    with _pool_for(files, workers) as pool:
        outcomes = _store_all(store, files, symbol, encoding, revisions, progress, pool)
        try:
            _lineage_fresh(store, step, any(o.status == "stored" for o in outcomes), pool)
        except KeyboardInterrupt:
            stored = sum(o.status == "stored" for o in outcomes)
            raise IngestInterrupted(
                f"interrupted while aligning versions; all {len(files)} files are done "
                f"({stored} stored); the alignments left are computed when first asked for",
                outcomes,
            ) from None
    return outcomes


def _store_all(
    store: Store,
    files: list[Path],
    symbol: str | None,
    encoding: str | None,
    revisions: Revisions,
    progress: Callable[[int, int, IngestOutcome], None] | None,
    pool: Pool | None,
) -> list[IngestOutcome]:
    """Parse (in ``pool`` when there is one) and store each file, in transactions."""
    outcomes: list[IngestOutcome] = []
    committed = 0  # files whose outcome is final: their documents' transaction committed
    jobs = [(f, encoding, revisions) for f in files]
    parsed = (
        imap_watched(pool, _parse_one, jobs, chunksize=_CHUNK) if pool else map(_parse_one, jobs)
    )
    try:
        with store.batch(bulk=len(files) >= _BULK_FILES, expected=len(files)) as batch:
            since = time.monotonic()
            for i, (path, parsed_one) in enumerate(zip(files, parsed, strict=True), 1):
                if isinstance(parsed_one, str):
                    outcome = IngestOutcome(str(path), "failed", message=parsed_one)
                else:
                    doc, problems, keys = parsed_one
                    result = batch.add(doc, symbol=symbol, keys=keys)
                    outcome = IngestOutcome(
                        str(path),
                        result.status,
                        key=result.key,
                        message=_summary(doc),
                        problems=problems,
                    )
                outcomes.append(outcome)
                if batch.pending >= _COMMIT_DOCS or (
                    batch.pending and time.monotonic() - since >= _COMMIT_SECONDS
                ):
                    batch.commit()
                    committed, since = i, time.monotonic()
                elif not batch.pending:
                    committed = i  # nothing uncommitted before this file
                if progress is not None:
                    progress(i, len(files), outcome)
            batch.commit()
            committed = len(files)
    except KeyboardInterrupt:
        raise IngestInterrupted(
            "interrupted; " + _stored_note(files, outcomes[:committed]), outcomes[:committed]
        ) from None
    except StoreError as exc:
        if not committed:
            raise
        raise StoreError(f"{exc}; {_stored_note(files, outcomes[:committed])}") from exc
    except WorkerError as exc:
        where = files[len(outcomes)] if len(outcomes) < len(files) else files[-1]
        raise WorkerError(
            f"{exc} parsing {where} or a file after it; "
            + _stored_note(files, outcomes[:committed])
        ) from None
    return outcomes


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during ``ingest_paths``: ``str(err)`` says which files are stored (one
    line); ``outcomes`` are those files' outcomes, in order."""

    def __init__(self, message: str, outcomes: list[IngestOutcome]) -> None:
        super().__init__(message)
        self.message = message
        self.outcomes = outcomes

    def __str__(self) -> str:
        return self.message


def _stored_note(files: list[Path], done: list[IngestOutcome]) -> str:
    """Which files are stored when a batch stops: the first ``len(done)`` ones."""
    if not done:
        return "nothing was stored; run the same command again"
    new = sum(o.status == "stored" for o in done)
    kept = sum(o.status == "already stored" for o in done)
    return (
        f"the first {len(done)} of {len(files)} files are done, through {done[-1].path} "
        f"({new} stored, {kept} already stored, {len(done) - new - kept} failed), "
        "the rest not stored; run the same command again to finish"
    )


def ingest_document(
    store: Store, doc: Document, *, name: str = "", symbol: str | None = None
) -> IngestOutcome:
    """Store one document already parsed (an upload read from bytes) exactly as
    ``ingest_paths`` stores a file: one transaction, then, when it was new, the store
    left ready for lineage questions. ``name`` labels the outcome."""
    result = store.add(doc, symbol=symbol)
    outcome = IngestOutcome(
        name or doc.key,
        result.status,
        key=result.key,
        message=_summary(doc),
        problems=_problems(doc),
    )
    _lineage_fresh(store, None, result.stored, None)
    return outcome


def _lineage_fresh(
    store: Store, step: Callable[[int, int, str], None] | None, stored: bool, pool: Pool | None
) -> None:
    # Also after a batch that stored nothing new, when an earlier one was stopped
    # before grouping what it had stored.
    from resdiff.lineage import ensure_lineage, refresh_lineage
    from resdiff.search import optimize_index

    if stored:
        refresh_lineage(store, step, pool=pool)
    elif ensure_lineage(store, step, pool=pool) is None:
        return
    optimize_index(store)


# A document, its structure problems and its units' search keys; or why it failed.
Parsed = tuple[Document, tuple[str, ...], tuple[str, ...]] | str


def _parse_one(args: tuple[Path, str | None, Revisions]) -> Parsed:
    """Parse and check one file, and work out its units' search keys (in a worker,
    off the storing process's critical path).

    A failure comes back as its one-line message: picklable, never raised.
    """
    from resdiff.store.search_index import unit_keys

    path, encoding, revisions = args
    try:
        doc = parse_file(path, encoding=encoding, revisions=revisions)
    except (IngestError, UsageError) as exc:
        return str(exc)
    return doc, _problems(doc), unit_keys(doc)


def _problems(doc: Document) -> tuple[str, ...]:
    """What ingest warns about a document it stores anyway: structure checks that did not
    pass, and a file whose name promises another format than its content."""
    from resdiff.ingest.checks import structure_problems
    from resdiff.ingest.sniff import misnamed

    named = misnamed(doc.source.name, doc.source.format) if doc.source else None
    return (*([named] if named else []), *structure_problems(doc))


@contextmanager
def _pool_for(files: list[Path], workers: int | None) -> Iterator[Pool | None]:
    """Worker processes for a real batch, None for a few files; the same workers parse
    the files and then align the new versions (each worker starts, and imports what
    both stages share, once). Killed when the caller stops early (an error, Ctrl-C)."""
    n = workers if workers is not None else default_workers()
    # A process pool costs about half a second to start: worth it only for real batches.
    if n <= 1 or len(files) < 16:
        yield None
        return
    warm: Callable[[], None] | None = None
    if any(f.suffix.lower() == ".pdf" for f in files):
        # Each worker reads PDFs through a PDFium worker of its own: started at once, it
        # loads PDFium while its parent imports the parsers, instead of after.
        from resdiff.ingest.pdf_worker import prestart as warm
    with process_pool(n, warm) as pool:
        yield pool


def _summary(doc: Document) -> str:
    pp = sum(u.kind is UnitKind.PREAMBULAR for u in doc.units)
    op = sum(u.kind is UnitKind.OPERATIVE for u in doc.units)
    sub = sum(u.kind is UnitKind.SUBITEM for u in doc.units)
    return (
        f"{pp} PP, {op} OP, {counted(sub, 'sub-item')}, {counted(len(doc.footnotes), 'footnote')}"
    )
