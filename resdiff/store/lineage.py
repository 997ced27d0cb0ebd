"""Series, members, manual links and stored alignments in the database (tables of migration 0003).

Everything is addressed by stored document key; row ids stay inside this module.
``LineageStore(store)`` wraps an open ``Store``; each write is one transaction.

Several processes refresh lineage at once (concurrent ingests): a grouping is read and
stored in one write transaction, so no process stores a grouping older than the
documents another has stored; and stale alignments are pruned against the series stored
when the prune runs, so no process deletes the alignments of another's newer grouping.

A read-only store keeps what it cannot write (a grouping of documents stored since the
last refresh, alignments not stored yet) in memory for as long as it is open.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from resdiff.errors import NotFoundError, StoreError
from resdiff.model import (
    Alternative,
    DocKind,
    Metadata,
    Pair,
    PairKind,
    Span,
    SpanOp,
    StoredMember,
    StoredSeries,
    Unit,
    UnitKind,
)
from resdiff.series import Candidate, Link, Series, candidate_of, match_name
from resdiff.store.engine import describe_error, display_url, write_connection
from resdiff.store.repo import Store, symbol_key
from resdiff.store.rows import doc_kind
from resdiff.store.tables import (
    ALIGNMENTS,
    DOCUMENTS,
    SERIES,
    SERIES_LINKS,
    SERIES_MEMBERS,
    UNITS,
)

__all__ = ["LineageStore", "pairs_from_json", "pairs_to_json"]


def pairs_to_json(pairs: Sequence[Pair]) -> list[Any]:
    """Compact JSON form of alignment pairs (word spans included, so nothing is recomputed;
    the aligner's confidence and other readings too, appended where there are any)."""
    out: list[Any] = []
    for p in pairs:
        row: list[Any] = [
            p.kind.value,
            list(p.old),
            list(p.new),
            p.similarity,
            p.renumbered,
            p.routine,
            [
                [s.op.value, s.text, s.old_part, s.new_part]
                + ([] if s.old_text is None else [s.old_text])
                for s in p.spans
            ],
        ]
        if p.confidence != 1.0 or p.alternatives:
            row += [
                p.confidence,
                [
                    [a.confidence, [[k.value, list(o), list(n)] for k, o, n in a.pairs]]
                    for a in p.alternatives
                ],
            ]
        out.append(row)
    return out


def pairs_from_json(data: Sequence[Any], *, spans: bool = True) -> tuple[Pair, ...]:
    """The pairs stored by :func:`pairs_to_json` (without word spans when ``spans`` is
    False: label look-ups such as phrase histories need only the unit mapping)."""
    return tuple(
        Pair(
            kind=PairKind(kind),
            old=tuple(old),
            new=tuple(new),
            spans=tuple(
                Span(SpanOp(r[0]), r[1], int(r[2]), int(r[3]), r[4] if len(r) > 4 else None)
                for r in runs
            )
            if spans
            else (),
            similarity=float(sim),
            renumbered=bool(renumbered),
            routine=bool(routine),
            # Rows stored before confidence was recorded have seven fields.
            confidence=float(rest[0]) if rest else 1.0,
            alternatives=tuple(
                Alternative(
                    tuple((PairKind(k), tuple(o), tuple(n)) for k, o, n in alt_pairs),
                    float(conf),
                )
                for conf, alt_pairs in (rest[1] if rest else [])
            ),
        )
        for kind, old, new, sim, renumbered, routine, runs, *rest in data
    )


def _metadata(row: Any) -> Metadata:
    return Metadata(
        symbol=row.symbol,
        kind=doc_kind(row.kind),
        reissue=row.reissue,
        session=row.session,
        body=row.body,
        agenda_item=row.agenda_item,
        distribution_date=row.distribution_date,
        adoption_date=row.adoption_date,
        meeting=row.meeting,
        title=row.title,
        draft_symbol=row.draft_symbol,
    )


Grouper = Callable[[Sequence[Candidate], Sequence[Link]], list[Series]]


@dataclass
class _Memory:
    """Lineage a read-only store could not write: a grouping of every stored document
    (None while the stored one is complete) and alignments, by (old key, new key)."""

    series: tuple[Series, ...] | None = None
    alignments: dict[tuple[str, str], tuple[str, tuple[Pair, ...]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_MEMORY: weakref.WeakKeyDictionary[Store, _Memory] = weakref.WeakKeyDictionary()
_MEMORY_LOCK = threading.Lock()


def _memory(store: Store) -> _Memory:
    with _MEMORY_LOCK:
        found = _MEMORY.get(store)
        if found is None:
            found = _MEMORY[store] = _Memory()
        return found


class LineageStore:
    """Series and alignment tables of one open ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._engine = store._engine  # same package: the store's own engine and pragmas
        self.read_only = store.read_only
        self._memory = _memory(store)

    def _fail(self, exc: SQLAlchemyError, what: str) -> StoreError:
        return describe_error(exc, self.store.url, what=what)

    def _refuse_write(self, what: str) -> None:
        if self.read_only:
            raise StoreError(
                f"cannot {what}: the store {display_url(self.store.url)} is open read-only; "
                "run this where it can be written"
            )

    # --- grouping input --------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        """Every stored document as a grouping candidate (metadata + recalled resolutions)."""
        try:
            with self._engine.connect() as conn:
                return _candidates(conn)
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot read documents for series grouping") from exc

    def regroup(self, grouper: Grouper) -> list[Series]:
        """Group every stored document with ``grouper(candidates, links)`` and store that
        grouping in place of the previous one; the grouping.

        Read and written in one write transaction: a document another process stores
        meanwhile waits for it, so the grouping stored is never older than the documents
        (that process then regroups, seeing everything). A read-only store keeps the
        grouping in memory instead.
        """
        if self.read_only:
            try:
                with self._engine.connect() as conn:
                    found = grouper(_candidates(conn), _links(conn))
            except SQLAlchemyError as exc:
                raise self._fail(exc, "cannot read documents for series grouping") from exc
            with self._memory.lock:
                self._memory.series = tuple(found)
            self.store.forget("series")
            return found
        try:
            with write_connection(self._engine) as conn:
                if conn.dialect.name == "postgresql":
                    # Two refreshes at once would both insert the same series keys after
                    # deleting only the rows each saw; SQLite is serialised by its write lock.
                    conn.execute(text("LOCK TABLE series IN SHARE ROW EXCLUSIVE MODE"))
                found = grouper(_candidates(conn), _links(conn))
                self._replace_series(conn, found)
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot store the series") from exc
        return found

    def _ids(self, conn: Connection) -> dict[str, int]:
        return {k: int(i) for k, i in conn.execute(select(DOCUMENTS.c.key, DOCUMENTS.c.id))}

    # --- series ------------------------------------------------------------------------

    def replace_series(self, series: Iterable[Series]) -> None:
        """Store this grouping in place of the previous one, in one transaction."""
        self._refuse_write("store the series")
        try:
            with write_connection(self._engine) as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("LOCK TABLE series IN SHARE ROW EXCLUSIVE MODE"))
                self._replace_series(conn, series)
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot store the series") from exc

    def _replace_series(self, conn: Connection, series: Iterable[Series]) -> None:
        ids = self._ids(conn)
        conn.execute(delete(SERIES_MEMBERS))
        conn.execute(delete(SERIES))
        members: list[dict[str, Any]] = []
        for s in series:
            res = conn.execute(insert(SERIES).values(key=s.key, title=s.title))
            pk = res.inserted_primary_key
            assert pk is not None
            members.extend(
                {"document_id": ids[k], "series_id": int(pk[0]), "position": n}
                for n, k in enumerate(s.members)
                if k in ids
            )
        if members:
            conn.execute(insert(SERIES_MEMBERS), members)

    def series(self) -> list[StoredSeries]:
        """Every stored series, members in version order, series by first member's order
        (read once per state of the store: lineage questions ask for it again and again)."""
        return list(self.store.cached("series", self._every_series))

    def _every_series(self) -> tuple[StoredSeries, ...]:
        with self._memory.lock:
            held = self._memory.series
        return self._held_series(held) if held is not None else self._read_series(None)

    def series_containing(self, key: str) -> StoredSeries | None:
        """The stored series holding the document ``key``, or None: read on its own, for
        a command about one document (a review), which need not wait for every series."""
        with self._memory.lock:
            held = self._memory.series
        if held is not None:
            return next((s for s in self.series() if any(m.key == key for m in s.members)), None)
        found = self._read_series(key)
        return found[0] if found else None

    def _read_series(self, key: str | None) -> tuple[StoredSeries, ...]:
        """Every series of the stored grouping, or (``key``) those holding that document."""
        query = (
            select(
                SERIES.c.id,
                SERIES.c.key.label("series_key"),
                SERIES.c.title.label("series_title"),
                SERIES_MEMBERS.c.position,
                DOCUMENTS.c.key,
                DOCUMENTS.c.symbol,
                DOCUMENTS.c.kind,
                DOCUMENTS.c.session,
                DOCUMENTS.c.adoption_date,
                DOCUMENTS.c.distribution_date,
                DOCUMENTS.c.title,
                DOCUMENTS.c.body,
                DOCUMENTS.c.draft_symbol,
            )
            .join(SERIES_MEMBERS, SERIES_MEMBERS.c.series_id == SERIES.c.id)
            .join(DOCUMENTS, DOCUMENTS.c.id == SERIES_MEMBERS.c.document_id)
            .order_by(SERIES.c.id, SERIES_MEMBERS.c.position)
        )
        if key is not None:
            holding = (
                select(SERIES_MEMBERS.c.series_id)
                .join(DOCUMENTS, DOCUMENTS.c.id == SERIES_MEMBERS.c.document_id)
                .where(DOCUMENTS.c.key == key)
            )
            query = query.where(SERIES.c.id.in_(holding))
        try:
            with self._engine.connect() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot read the series") from exc
        grouped: dict[int, tuple[str, str | None, list[StoredMember]]] = {}
        for r in rows:
            grouped.setdefault(r.id, (r.series_key, r.series_title, []))[2].append(_member(r))
        return tuple(StoredSeries(k, t, tuple(m)) for _id, (k, t, m) in sorted(grouped.items()))

    def _held_series(self, held: Sequence[Series]) -> tuple[StoredSeries, ...]:
        # A grouping kept in memory: its members' details come from the documents table.
        try:
            with self._engine.connect() as conn:
                rows = {r.key: r for r in conn.execute(select(DOCUMENTS))}
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot read the series") from exc
        return tuple(
            StoredSeries(s.key, s.title, tuple(_member(rows[k]) for k in s.members if k in rows))
            for s in held
        )

    def held_members(self, ref: str) -> tuple[str, ...] | None:
        """Keys of the members of series ``ref`` (its key, or its title in any case) in the
        grouping held in memory; None when the stored grouping is the one in use."""
        with self._memory.lock:
            held = self._memory.series
        if held is None:
            return None
        for s in held:
            if s.key == ref or (s.title is not None and s.title.lower() == ref.lower()):
                return s.members
        return ()

    def ungrouped(self) -> int:
        """How many stored documents are in no series (stored since the last refresh;
        on a read-only store, in neither the stored grouping nor the one held in memory)."""
        query = (
            select(func.count())
            .select_from(DOCUMENTS)
            .where(DOCUMENTS.c.id.not_in(select(SERIES_MEMBERS.c.document_id)))
        )
        try:
            with self._engine.connect() as conn:
                stored = int(conn.execute(query).scalar() or 0)
                if not self.read_only:
                    return stored
                with self._memory.lock:
                    held = self._memory.series
                    if stored == 0 and held is not None:
                        # Refreshed by a writer since: the stored grouping is whole again.
                        self._memory.series = None
                        self.store.forget("series")
                if stored == 0 or held is None:
                    return stored
                keys = set(conn.execute(select(DOCUMENTS.c.key)).scalars())
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot read the series") from exc
        return len(keys - {k for s in held for k in s.members})

    # --- manual links --------------------------------------------------------------------

    def add_link(self, action: str, anchor: str, member: str) -> Link:
        """Record a manual link/unlink between two stored documents (named by key or symbol)."""
        if action not in ("link", "unlink"):
            raise ValueError(action)
        self._refuse_write(f"record the {action}")
        try:
            with write_connection(self._engine) as conn:
                names = [self._match_name(conn, ref) for ref in (anchor, member)]
                conn.execute(
                    insert(SERIES_LINKS).values(
                        action=action,
                        anchor=names[0],
                        member=names[1],
                        created_at=datetime.now(UTC),
                    )
                )
        except SQLAlchemyError as exc:
            raise self._fail(exc, f"cannot record the {action}") from exc
        return Link(action, names[0], names[1])

    def _match_name(self, conn: Connection, ref: str) -> str:
        ref = ref.strip()
        row = conn.execute(
            select(DOCUMENTS.c.symbol, DOCUMENTS.c.key).where(DOCUMENTS.c.key == ref)
        ).first()
        if row is None and ref:
            row = conn.execute(
                select(DOCUMENTS.c.symbol, DOCUMENTS.c.key)
                .where(DOCUMENTS.c.symbol_key == symbol_key(ref))
                .order_by(DOCUMENTS.c.version)
            ).first()
        if row is None:
            raise NotFoundError(
                f"no stored document matches {ref!r}: give a stored symbol or key "
                "(`resdiff list` shows them)"
            )
        return match_name(row.symbol, row.key)

    def links(self) -> list[Link]:
        """Manual links and unlinks in the order they were made."""
        try:
            with self._engine.connect() as conn:
                return _links(conn)
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot read series links") from exc

    # --- stored alignments ---------------------------------------------------------------

    def alignment(
        self, old_key: str, new_key: str, *, spans: bool = True
    ) -> tuple[str, tuple[Pair, ...]] | None:
        """(settings hash, pairs) stored for this pair of versions, or None (a read-only
        store also answers with the alignments it holds in memory)."""
        if self.read_only:
            with self._memory.lock:
                held = self._memory.alignments.get((old_key, new_key))
            if held is not None:
                return held
        query = (
            select(ALIGNMENTS.c.settings_hash, ALIGNMENTS.c.pairs)
            .join(DOCUMENTS, DOCUMENTS.c.id == ALIGNMENTS.c.old_document_id)
            .where(
                DOCUMENTS.c.key == old_key,
                ALIGNMENTS.c.new_document_id
                == select(DOCUMENTS.c.id).where(DOCUMENTS.c.key == new_key).scalar_subquery(),
            )
        )
        try:
            with self._engine.connect() as conn:
                row = conn.execute(query).first()
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot read a stored alignment") from exc
        return None if row is None else (row[0], pairs_from_json(row[1], spans=spans))

    def alignment_hashes(self) -> dict[tuple[str, str], str]:
        """Settings hash of every stored alignment, by (old key, new key)."""
        try:
            with self._engine.connect() as conn:
                keys = {int(i): k for k, i in self._ids(conn).items()}
                rows = conn.execute(
                    select(
                        ALIGNMENTS.c.old_document_id,
                        ALIGNMENTS.c.new_document_id,
                        ALIGNMENTS.c.settings_hash,
                    )
                ).all()
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot read stored alignments") from exc
        return {(keys[a], keys[b]): h for a, b, h in rows}

    def put_alignment(
        self, old_key: str, new_key: str, settings_hash: str, pairs: Sequence[Pair]
    ) -> None:
        """Store (or replace) the alignment of two versions (a read-only store holds it
        in memory instead)."""
        self.put_alignments([(old_key, new_key, settings_hash, pairs)])

    def put_alignments(self, found: Sequence[tuple[str, str, str, Sequence[Pair]]]) -> None:
        """Store (or replace) several alignments, (old key, new key, settings hash, pairs)
        each, in one transaction: what a refresh computes, written a few dozen at a time
        rather than one transaction (and one read of every document's id) each. A
        read-only store holds them in memory instead."""
        if not found:
            return
        if self.read_only:
            with self._memory.lock:
                for old, new, digest, pairs in found:
                    self._memory.alignments[(old, new)] = (digest, tuple(pairs))
            return
        try:
            with write_connection(self._engine) as conn:
                ids = self._ids(conn)
                keys = [{"a": ids[old], "b": ids[new]} for old, new, _d, _p in found]
                conn.execute(
                    delete(ALIGNMENTS).where(
                        ALIGNMENTS.c.old_document_id == bindparam("a"),
                        ALIGNMENTS.c.new_document_id == bindparam("b"),
                    ),
                    keys,
                )
                now = datetime.now(UTC)
                conn.execute(
                    insert(ALIGNMENTS),
                    [
                        {
                            "old_document_id": k["a"],
                            "new_document_id": k["b"],
                            "settings_hash": digest,
                            "pairs": pairs_to_json(pairs),
                            "created_at": now,
                        }
                        for k, (_old, _new, digest, pairs) in zip(keys, found, strict=True)
                    ],
                )
        except IntegrityError:
            # Another process stored some of these meanwhile (same inputs, same result):
            # one at a time, which keeps theirs and stores the rest.
            if len(found) > 1:
                for one in found:
                    self.put_alignments([one])
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot store alignments") from exc

    def prune_alignments(self) -> int:
        """Delete stored alignments that are not between consecutive full-text versions
        of a series as stored now; how many (none on a read-only store).

        What to keep is read in the deleting transaction, never passed in: a grouping
        computed earlier may already be replaced by another process's newer one, whose
        alignments must stay."""
        if self.read_only:
            return 0
        try:
            with write_connection(self._engine) as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("LOCK TABLE series IN SHARE ROW EXCLUSIVE MODE"))
                keep = _consecutive(conn)
                rows = conn.execute(
                    select(ALIGNMENTS.c.old_document_id, ALIGNMENTS.c.new_document_id)
                ).all()
                stale = [(a, b) for a, b in rows if (a, b) not in keep]
                for a, b in stale:
                    conn.execute(
                        delete(ALIGNMENTS).where(
                            ALIGNMENTS.c.old_document_id == a, ALIGNMENTS.c.new_document_id == b
                        )
                    )
        except SQLAlchemyError as exc:
            raise self._fail(exc, "cannot delete stale alignments") from exc
        return len(stale)


# --- helpers ---------------------------------------------------------------------------


def _candidates(conn: Connection) -> list[Candidate]:
    rows = conn.execute(select(DOCUMENTS)).all()
    recitals: dict[int, list[Unit]] = {}
    pp = select(UNITS.c.document_id, UNITS.c.label, UNITS.c.text).where(
        UNITS.c.kind == UnitKind.PREAMBULAR.value
    )
    for doc_id, label, body in conn.execute(pp.order_by(UNITS.c.document_id, UNITS.c.position)):
        recitals.setdefault(doc_id, []).append(Unit(label, UnitKind.PREAMBULAR, body))
    out = [candidate_of(r.key, _metadata(r), recitals.get(r.id, ())) for r in rows]
    out.sort(key=lambda c: c.key)
    return out


def _links(conn: Connection) -> list[Link]:
    rows = conn.execute(
        select(SERIES_LINKS.c.action, SERIES_LINKS.c.anchor, SERIES_LINKS.c.member).order_by(
            SERIES_LINKS.c.id
        )
    ).all()
    return [Link(a, b, c) for a, b, c in rows]


def _member(row: Any) -> StoredMember:
    when = row.adoption_date if row.kind == "resolution" else row.distribution_date
    return StoredMember(
        row.key,
        row.symbol,
        doc_kind(row.kind),
        row.session,
        when or row.distribution_date,
        row.title,
        row.body,
        row.draft_symbol,
    )


def _consecutive(conn: Connection) -> set[tuple[int, int]]:
    """(old id, new id) of consecutive full-text versions (amendments hold instructions,
    not text) in every stored series: the alignments worth keeping."""
    rows = conn.execute(
        select(SERIES_MEMBERS.c.series_id, SERIES_MEMBERS.c.document_id)
        .join(DOCUMENTS, DOCUMENTS.c.id == SERIES_MEMBERS.c.document_id)
        .where(DOCUMENTS.c.kind != DocKind.AMENDMENT.value)
        .order_by(SERIES_MEMBERS.c.series_id, SERIES_MEMBERS.c.position)
    ).all()
    by_series: dict[int, list[int]] = {}
    for series_id, doc_id in rows:
        by_series.setdefault(series_id, []).append(doc_id)
    return {pair for ids in by_series.values() for pair in pairwise(ids)}
