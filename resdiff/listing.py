"""The stored documents as people ask for them: filtered by series, session, kind or body, in
natural symbol order (A/RES/78/53 before A/RES/78/222)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from resdiff.errors import UsageError
from resdiff.model import DocKind, StoredSummary

if TYPE_CHECKING:
    from resdiff.store import Store

__all__ = ["list_documents", "natural_key"]

_CHUNKS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key reading runs of digits as numbers: "A/RES/78/53" < "A/RES/78/222" <
    "A/RES/79/1", and "A/C.3/80/L.5" < "A/C.3/80/L.41"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in _CHUNKS.split(text)
        if part
    )


def _kind(value: str) -> DocKind:
    wanted = value.strip().casefold()
    for kind in DocKind:
        if kind.value == wanted or kind.name.casefold() == wanted:
            return kind
    names = ", ".join(k.value for k in DocKind if k is not DocKind.UNKNOWN)
    raise UsageError(f"--kind {value!r}: not a document kind; use one of: {names}")


def _body_matches(body: str | None, wanted: str) -> bool:
    """``--body third``, ``--body "Third Committee"`` and ``--body plenary`` all match."""
    return body is not None and wanted.strip().casefold() in body.casefold()


def list_documents(
    store: Store,
    *,
    series: str | None = None,
    session: int | None = None,
    kind: str | None = None,
    body: str | None = None,
) -> list[StoredSummary]:
    """Stored documents, in natural symbol order (then version), keeping those that match
    every filter given: ``series`` (a member's symbol, or the series title), ``session``
    (77), ``kind`` ("resolution", "draft", "revised draft", "amendment") and ``body``
    (a case-insensitive part of it: "third", "Plenary")."""
    rows = store.list()
    if series is not None:
        from resdiff.lineage import find_series

        keys = {m.key for m in find_series(store, series).members}
        rows = [r for r in rows if r.key in keys]
    if session is not None:
        rows = [r for r in rows if r.session == session]
    if kind is not None:
        wanted = _kind(kind)
        rows = [r for r in rows if r.kind is wanted]
    if body is not None:
        rows = [r for r in rows if _body_matches(r.body, body)]
    return sorted(rows, key=lambda r: (natural_key(r.symbol or r.key), r.version, r.key))
