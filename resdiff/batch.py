"""Ingest many files into a store: expand folders, parse each file, store it, report every outcome.

A file that fails is reported with its reason and never aborts the batch; each
document is stored in its own transaction, so a failure leaves the database as it was.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from resdiff.errors import IngestError, UsageError
from resdiff.ingest import Revisions, parse_file
from resdiff.model import Document, UnitKind

if TYPE_CHECKING:
    from resdiff.store import Store

__all__ = ["IngestOutcome", "expand_paths", "ingest_document", "ingest_paths"]

Status = Literal["stored", "already stored", "failed"]


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one file."""

    path: str
    status: Status
    key: str | None = None
    message: str = ""  # the failure reason, or a summary of what was stored
    problems: tuple[str, ...] = ()  # structure checks that did not pass (stored anyway)


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
    large batches; storing stays in this process, one transaction per document.

    When anything new was stored, the store is left ready for lineage questions: series
    regrouped, consecutive versions aligned (``step(done, total, message)`` reports that
    stage) and the phrase index compacted.
    """
    files = expand_paths(paths)
    if symbol is not None and len(files) != 1:
        raise UsageError(f"--symbol names one document, but {len(files)} files were given")
    outcomes: list[IngestOutcome] = []
    parsed = _parse_all(files, encoding, revisions, workers)
    for i, (path, parsed_one) in enumerate(zip(files, parsed, strict=True), 1):
        if isinstance(parsed_one, str):
            outcome = IngestOutcome(str(path), "failed", message=parsed_one)
        else:
            doc, problems = parsed_one
            result = store.add(doc, symbol=symbol)
            outcome = IngestOutcome(
                str(path), result.status, key=result.key, message=_summary(doc), problems=problems
            )
        outcomes.append(outcome)
        if progress is not None:
            progress(i, len(files), outcome)
    if any(o.status == "stored" for o in outcomes):
        _lineage_fresh(store, step)
    return outcomes


def ingest_document(
    store: Store, doc: Document, *, name: str = "", symbol: str | None = None
) -> IngestOutcome:
    """Store one document already parsed (an upload read from bytes) exactly as
    ``ingest_paths`` stores a file: one transaction, then, when it was new, the store
    left ready for lineage questions. ``name`` labels the outcome."""
    from resdiff.ingest.checks import structure_problems

    result = store.add(doc, symbol=symbol)
    outcome = IngestOutcome(
        name or doc.key,
        result.status,
        key=result.key,
        message=_summary(doc),
        problems=tuple(structure_problems(doc)),
    )
    if result.stored:
        _lineage_fresh(store, None)
    return outcome


def _lineage_fresh(store: Store, step: Callable[[int, int, str], None] | None) -> None:
    from resdiff.lineage import refresh_lineage
    from resdiff.search import optimize_index

    refresh_lineage(store, step)
    optimize_index(store)


Parsed = tuple[Document, tuple[str, ...]] | str


def _parse_one(args: tuple[Path, str | None, Revisions]) -> Parsed:
    """Parse and check one file (in a worker, off the storing process's critical path).

    A failure comes back as its one-line message: picklable, never raised.
    """
    from resdiff.ingest.checks import structure_problems

    path, encoding, revisions = args
    try:
        doc = parse_file(path, encoding=encoding, revisions=revisions)
    except (IngestError, UsageError) as exc:
        return str(exc)
    return doc, tuple(structure_problems(doc))


def _parse_all(
    files: list[Path], encoding: str | None, revisions: Revisions, workers: int | None
) -> Iterator[Parsed]:
    jobs = [(f, encoding, revisions) for f in files]
    n = workers if workers is not None else min(os.cpu_count() or 1, 4)
    # A process pool costs about half a second to start: worth it only for real batches.
    if n <= 1 or len(files) < 16:
        yield from map(_parse_one, jobs)
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
        yield from pool.map(_parse_one, jobs, chunksize=8)


def _summary(doc: Document) -> str:
    pp = sum(u.kind is UnitKind.PREAMBULAR for u in doc.units)
    op = sum(u.kind is UnitKind.OPERATIVE for u in doc.units)
    sub = sum(u.kind is UnitKind.SUBITEM for u in doc.units)
    return f"{pp} PP, {op} OP, {sub} sub-items, {len(doc.footnotes)} footnotes"
