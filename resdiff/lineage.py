"""Lineage across versions: refresh series and stored alignments, trace a unit, blame a text.

refresh_lineage(store, progress=None, settings=DEFAULT_SETTINGS) -> RefreshReport
ensure_lineage(store) -> RefreshReport | None   (refresh only if documents are ungrouped)
list_series(store) / find_series(store, ref) / link(store, a, b) / unlink(store, a, b)
filter_series(series, committee=, session=, title=) / outline(series)   (browsing series)
alignment(store, old_key, new_key) -> pairs   (stored, recomputed only when settings change)
trace(store, ref, label) -> Trace             (one unit back to its first version and forward)
blame(store, ref) -> Blame                    (every span marked with the version that wrote it)
phrase histories: resdiff.history
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from resdiff.errors import NotFoundError
from resdiff.model import DocKind, Document, Pair, SpanOp, StoredMember, StoredSeries, UnitKind
from resdiff.normalize import key as norm_key
from resdiff.series import base_symbol, group, match_name
from resdiff.settings import DEFAULT_SETTINGS, Settings
from resdiff.store import Store
from resdiff.store.lineage import LineageStore
from resdiff.store.repo import resolution_symbol
from resdiff.unitref import resolve_label

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

__all__ = [
    "Blame",
    "BlameSpan",
    "BlameUnit",
    "OutlineEntry",
    "RefreshReport",
    "Trace",
    "TraceStep",
    "alignment",
    "blame",
    "chain",
    "committees",
    "ensure_lineage",
    "filter_series",
    "find_series",
    "follow",
    "link",
    "list_series",
    "outline",
    "refresh_lineage",
    "series_containing",
    "series_of",
    "trace",
    "unlink",
]

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """What ``refresh_lineage`` did."""

    series: int  # series found (lone documents included)
    multi: int  # series with two or more versions
    computed: int  # alignments computed now
    reused: int  # alignments already stored with the current settings
    pruned: int  # stored alignments no longer between consecutive versions


def chain(series: StoredSeries) -> list[StoredMember]:
    """The versions of a series that carry a full text (amendments hold instructions only)."""
    return [m for m in series.members if m.kind != DocKind.AMENDMENT.value]


def refresh_lineage(
    store: Store,
    progress: Progress | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    workers: int | None = None,
    pool: Pool | None = None,
) -> RefreshReport:
    """Regroup every stored document into series (manual links applied last) and make sure
    the alignment of each pair of consecutive versions is stored with ``settings``' hash.

    Incremental: alignments already stored with the same settings hash are reused; only
    new neighbours (or all, after a settings change) are compared. Safe to run from
    several processes at once (see ``resdiff.store.lineage``). On a read-only store the
    grouping is kept in memory and alignments are computed when first asked for.
    Many alignments are computed in ``workers`` processes (default: one per CPU), or in
    ``pool``, workers already started (an ingest's), whatever their number.
    """
    ls = LineageStore(store)
    found = ls.regroup(group)
    if store.read_only:
        multi = sum(len(s.members) > 1 for s in found)
        return RefreshReport(series=len(found), multi=multi, computed=0, reused=0, pruned=0)
    stored = ls.alignment_hashes()
    wanted: list[tuple[str, str]] = []
    for s in ls.series():
        versions = chain(s)
        wanted.extend((a.key, b.key) for a, b in pairwise(versions))
    digest = settings.hash()
    todo = [p for p in wanted if stored.get(p) != digest]
    done: list[tuple[str, str, str, Sequence[Pair]]] = []  # computed, not yet written
    n = 0
    for keys, results in _aligned(store, _runs(todo), settings, workers, pool):
        for (old, new), (settings_hash, pairs) in zip(pairwise(keys), results, strict=True):
            done.append((old, new, settings_hash, pairs))
            n += 1
            if progress is not None:
                progress(n, len(todo), f"aligned {old} -> {new}")
        if len(done) >= _WRITE_EVERY:
            ls.put_alignments(done)
            done = []
    ls.put_alignments(done)
    pruned = ls.prune_alignments()
    return RefreshReport(
        series=len(found),
        multi=sum(len(s.members) > 1 for s in found),
        computed=len(todo),
        reused=len(wanted) - len(todo),
        pruned=pruned,
    )


# Alignments computed in parallel from this many on (a pool takes about a second to
# start and import the aligner), and written this many at a time: one transaction each.
_PARALLEL_PAIRS = 24
_WRITE_EVERY = 32


def _runs(todo: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Pairs to align as runs of consecutive versions ([a, b, c] for a->b, b->c): each
    version is read and sent to a worker once."""
    runs: list[list[str]] = []
    for old, new in todo:
        if runs and runs[-1][-1] == old:
            runs[-1].append(new)
        else:
            runs.append([old, new])
    return runs


_Aligned = list[tuple[str, tuple[Pair, ...]]]
_readers: dict[str, Store] = {}  # in a worker: the store it reads versions from


def _align_docs(docs: Sequence[Document], settings: Settings) -> _Aligned:
    """(settings hash, pairs) of each consecutive pair of a run's versions."""
    from resdiff.compare import compare  # the aligner: only when aligning

    out = []
    for a, b in pairwise(docs):
        result = compare(a, b, settings)
        out.append((result.settings_hash, result.pairs))
    return out


def _align_run(job: tuple[Sequence[str], str, Settings]) -> _Aligned:
    """``_align_docs`` in a worker, which reads the run's versions (keys) from the store
    at the URL itself."""
    keys, url, settings = job
    reader = _readers.get(url)
    if reader is None:
        from resdiff.store import open_store

        reader = _readers[url] = open_store(url, read_only=True)
    return _align_docs([reader.get(k) for k in keys], settings)


def _aligned(
    store: Store,
    runs: list[list[str]],
    settings: Settings,
    workers: int | None,
    pool: Pool | None = None,
) -> Iterator[tuple[list[str], _Aligned]]:
    """Each run with its alignments, in order: computed in worker processes, which read
    the versions themselves while this one stores what comes back, when there are enough
    (or when ``pool``'s workers are already running)."""
    from resdiff.store.engine import is_sqlite, sqlite_path
    from resdiff.workers import default_workers, imap_watched, process_pool  # when aligning

    n = workers if workers is not None else default_workers()
    # Another process cannot open an in-memory database.
    shared = not (is_sqlite(store.url) and sqlite_path(store.url) is None)
    jobs = [(keys, store.url, settings) for keys in runs]
    if shared and pool is not None and runs:
        yield from zip(runs, imap_watched(pool, _align_run, jobs), strict=True)
    elif n <= 1 or not shared or sum(len(r) - 1 for r in runs) < _PARALLEL_PAIRS:
        for keys in runs:
            yield keys, _align_docs([store.get(k) for k in keys], settings)
    else:
        with process_pool(n) as started:
            yield from zip(runs, imap_watched(started, _align_run, jobs), strict=True)


def ensure_lineage(
    store: Store, progress: Progress | None = None, *, pool: Pool | None = None
) -> RefreshReport | None:
    """Refresh series and alignments if documents were stored since the last refresh."""
    if LineageStore(store).ungrouped() == 0:
        return None
    return refresh_lineage(store, progress, pool=pool)


def _compute(ls: LineageStore, old: str, new: str, settings: Settings) -> tuple[Pair, ...]:
    from resdiff.compare import compare  # the aligner: only when aligning

    result = compare(ls.store.get(old), ls.store.get(new), settings)
    ls.put_alignment(old, new, result.settings_hash, result.pairs)
    return result.pairs


def alignment(
    store: Store,
    old_key: str,
    new_key: str,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    spans: bool = True,
) -> tuple[Pair, ...]:
    """Unit pairs between two versions: the stored ones if made with these settings
    (``spans=False``: without word diffs, for callers that need only the unit mapping)."""
    ls = LineageStore(store)
    if spans:
        hit = ls.alignment(old_key, new_key)
    else:
        # Unit mappings are read again and again (a phrase history walks every series
        # holding the phrase): kept per state of the store, which an alignment stored
        # meanwhile changes.
        hit = store.cached(
            f"unit mapping {old_key}\x00{new_key}",
            lambda: ls.alignment(old_key, new_key, spans=False),
        )
    if hit is not None and hit[0] == settings.hash():
        return hit[1]
    if hit is not None and store.read_only:
        _STALE.add((old_key, new_key))
    return _compute(ls, old_key, new_key, settings)


# Pairs whose stored alignment was made with other settings (another resdiff) and, the
# store being open read-only, computed again in memory: every command does it again
# until `resdiff db upgrade` stores them (a broad phrase history: seconds instead of
# a quarter of one), so the command line says so once (``take_stale_alignments``).
_STALE: set[tuple[str, str]] = set()


def take_stale_alignments() -> int:
    """How many stored alignments were found made with other settings and had to be
    computed again, the store being read-only, since the last call (which this resets)."""
    count = len(_STALE)
    _STALE.clear()
    return count


# --- series look-ups -------------------------------------------------------------------


def list_series(store: Store) -> list[StoredSeries]:
    """Every stored series, members in version order (grouping first any document
    stored since the last refresh, so every lineage answer sees the whole store)."""
    ensure_lineage(store)
    return LineageStore(store).series()


def series_containing(store: Store, key: str) -> StoredSeries | None:
    """The series holding the stored document ``key`` (after the same refresh as
    ``list_series``), read without the others; None when it is in none."""
    ensure_lineage(store)
    return LineageStore(store).series_containing(key)


def series_of(all_series: Sequence[StoredSeries], ref: str) -> StoredSeries | None:
    """The series with this key or title, or containing a member with this symbol or key."""
    want = ref.strip()
    name = match_name(resolution_symbol(want) or want, want)
    for s in all_series:
        if s.key == want or any(m.key == want for m in s.members):
            return s
    for s in all_series:
        if any(m.symbol and match_name(m.symbol, m.key) == name for m in s.members):
            return s
    title = norm_key(want)
    titled = [s for s in all_series if s.title and norm_key(s.title) == title]
    # Two series can share a title (a text re-launched under the same name): the largest.
    if titled:
        return max(titled, key=lambda s: len(s.members))
    return None


def find_series(store: Store, ref: str) -> StoredSeries:
    """The series named by ``ref`` (title, series key, or a member's symbol or key), or
    by words of its title when they are in one series' title only ("right to food")."""
    all_series = list_series(store)
    found = series_of(all_series, ref)
    if found is not None:
        return found
    words = norm_key(ref)
    titled = [s for s in all_series if words and s.title and words in norm_key(s.title)]
    if len({norm_key(s.title or "") for s in titled}) == 1:
        return max(titled, key=lambda s: len(s.members))
    if titled:
        shown = "; ".join(
            f"{s.title} ({s.members[-1].symbol or s.members[-1].key})" for s in titled[:4]
        )
        more = f"; and {len(titled) - 4} more" if len(titled) > 4 else ""
        raise NotFoundError(
            f"{ref!r} is in the titles of {len(titled)} series: {shown}{more}; "
            "give more of the title or a version's symbol"
        )
    hint = (
        "`resdiff series list` shows the stored series"
        if all_series
        else "no series are stored: ingest documents first (`resdiff ingest FOLDER`)"
    )
    raise NotFoundError(f"no series matches {ref!r}: {hint}")


def committees(all_series: Sequence[StoredSeries]) -> list[str]:
    """The bodies (Main Committees, plenary) that tabled or adopted a stored version, sorted."""
    return sorted({m.body for s in all_series for m in s.members if m.body})


def filter_series(
    all_series: Sequence[StoredSeries],
    *,
    committee: str | None = None,
    session: int | None = None,
    title: str | None = None,
) -> list[StoredSeries]:
    """The series with a version of ``committee`` (a case-insensitive part of the body
    that tabled or adopted it, as ``resdiff list --body`` reads it: "third", "Third
    Committee", "plenary") and of ``session``, whose title contains ``title`` (compared by
    matching keys: case, quotes and dashes ignored); order kept."""
    body = committee.strip().casefold() if committee and committee.strip() else None
    words = norm_key(title) if title and title.strip() else None
    out: list[StoredSeries] = []
    for s in all_series:
        if body is not None and not any(m.body and body in m.body.casefold() for m in s.members):
            continue
        if session is not None and not any(m.session == session for m in s.members):
            continue
        if words is not None and words not in norm_key(s.title or s.key):
            continue
        out.append(s)
    return out


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """A full-text version of a series and the amendments tabled against it."""

    version: StoredMember
    amendments: tuple[StoredMember, ...]


def outline(series: StoredSeries) -> tuple[list[OutlineEntry], list[StoredMember]]:
    """The full-text versions in order, each with the amendments that name it (by base
    symbol: an amendment to L.20 belongs to L.20/Rev.1 too, the latest such version
    before the amendment); and the amendments whose draft is not stored."""
    versions = chain(series)
    found: dict[str, list[StoredMember]] = {m.key: [] for m in versions}
    orphans: list[StoredMember] = []
    order = {m.key: n for n, m in enumerate(series.members)}
    for a in series.members:
        if a.kind != DocKind.AMENDMENT.value:
            continue
        target = base_symbol(a.draft_symbol) if a.draft_symbol else None
        named = [
            m
            for m in versions
            if target
            and m.symbol
            and base_symbol(m.symbol) == target
            and order[m.key] < order[a.key]
        ] or [m for m in versions if target and m.symbol and base_symbol(m.symbol) == target]
        if named:
            found[named[-1].key].append(a)
        else:
            orphans.append(a)
    return [OutlineEntry(m, tuple(found[m.key])) for m in versions], orphans


def link(store: Store, anchor: str, member: str) -> StoredSeries:
    """Put ``member`` in ``anchor``'s series, now and after every later re-grouping."""
    LineageStore(store).add_link("link", anchor, member)
    refresh_lineage(store)
    return find_series(store, anchor)


def unlink(store: Store, anchor: str, member: str) -> StoredSeries:
    """Take ``member`` out of ``anchor``'s series, now and after every later re-grouping."""
    LineageStore(store).add_link("unlink", anchor, member)
    refresh_lineage(store)
    return find_series(store, anchor)


def _position(store: Store, ref: str) -> tuple[StoredSeries, list[StoredMember], int, Document]:
    doc = store.get(ref)
    all_series = list_series(store)
    s = series_of(all_series, doc.key) or series_of(all_series, ref)
    if s is None:
        raise NotFoundError(
            f"{ref} is stored but in no series yet: run `resdiff series list` to regroup"
        )
    versions = chain(s)
    keys = [m.key for m in versions]
    stored_key = next(
        (m.key for m in s.members if match_name(m.symbol, m.key) == match_name(ref, ref)), None
    )
    here = stored_key if stored_key in keys else doc.key if doc.key in keys else None
    if here is None:
        raise NotFoundError(f"{ref} is an amendment: trace or blame the draft it amends")
    return s, versions, keys.index(here), doc


# --- trace -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One version of the traced unit; ``pair`` links it to the previous step (None first)."""

    version: StoredMember
    label: str | None  # None: the unit is gone from this version (dropped)
    kind: UnitKind | None
    text: str
    pair: Pair | None


@dataclass(frozen=True, slots=True)
class Trace:
    """The lineage of one unit through its series."""

    series: StoredSeries
    start: str  # the version asked about
    label: str  # the label asked about
    steps: tuple[TraceStep, ...]

    @property
    def first(self) -> TraceStep:
        """The version where the unit first appears."""
        return self.steps[0]

    @property
    def adopted(self) -> TraceStep | None:
        """The first adopted resolution containing the unit (None if only ever drafted)."""
        return next(
            (
                s
                for s in self.steps
                if s.label is not None and s.version.kind == DocKind.RESOLUTION.value
            ),
            None,
        )


def follow(pairs: Sequence[Pair], label: str, *, backward: bool) -> Pair | None:
    """The pair holding ``label`` on the new side (``backward``) or the old side."""
    for p in pairs:
        if label in (p.new if backward else p.old):
            return p
    return None


def trace(store: Store, ref: str, label: str, settings: Settings = DEFAULT_SETTINGS) -> Trace:
    """Follow unit ``label`` of version ``ref`` back to the version that introduced it and
    forward to the latest version of its series (or to the version that dropped it)."""
    s, versions, i, doc = _position(store, ref)
    found = resolve_label((u.label for u in doc.units), label)
    if found is None:
        raise NotFoundError(
            f"{ref} has no unit {label.strip()!r}: labels look like PP3 or OP2(a)(iv); "
            f"`resdiff show {ref}` lists them"
        )
    label = found
    unit = doc.unit(label)
    steps: list[TraceStep] = [TraceStep(versions[i], label, unit.kind, unit.text, None)]
    cur = label
    for j in range(i - 1, -1, -1):
        pairs = alignment(store, versions[j].key, versions[j + 1].key, settings)
        p = follow(pairs, cur, backward=True)
        if p is None or not p.old:
            break
        steps[0] = TraceStep(steps[0].version, steps[0].label, steps[0].kind, steps[0].text, p)
        part = p.new.index(cur)
        cur = p.old[min(part, len(p.old) - 1)]
        u = store.get(versions[j].key).unit(cur)
        steps.insert(0, TraceStep(versions[j], cur, u.kind, u.text, None))
    cur = label
    for j in range(i + 1, len(versions)):
        pairs = alignment(store, versions[j - 1].key, versions[j].key, settings)
        p = follow(pairs, cur, backward=False)
        if p is None or not p.new:
            steps.append(TraceStep(versions[j], None, None, "", p))
            break
        part = p.old.index(cur)
        cur = p.new[min(part, len(p.new) - 1)]
        u = store.get(versions[j].key).unit(cur)
        steps.append(TraceStep(versions[j], cur, u.kind, u.text, p))
    return Trace(s, versions[i].key, label, tuple(steps))


# --- blame -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BlameSpan:
    """A run of text and the index (into ``Blame.versions``) of the version that wrote it."""

    text: str
    origin: int


@dataclass(frozen=True, slots=True)
class BlameUnit:
    """One unit of the blamed version, as spans of origin."""

    label: str
    kind: UnitKind
    spans: tuple[BlameSpan, ...]

    @property
    def text(self) -> str:
        """The unit's text, rebuilt from the spans."""
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class Blame:
    """A "year of origin" view: ``versions`` is the legend, oldest first, ending at the text."""

    series: StoredSeries
    versions: tuple[StoredMember, ...]
    units: tuple[BlameUnit, ...]

    @property
    def key(self) -> str:
        """The blamed version."""
        return self.versions[-1].key


def _common_prefix(a: str, b: str) -> int:
    k = 0
    while k < len(a) and k < len(b) and a[k] == b[k]:
        k += 1
    return k


def _carry(
    pairs: Sequence[Pair], old: dict[str, list[int]], new_doc: Document, here: int
) -> dict[str, list[int]]:
    """Origins of every character of ``new_doc``'s units, carried through one alignment."""
    out: dict[str, list[int]] = {u.label: [here] * len(u.text) for u in new_doc.units}
    for p in pairs:
        if not p.new or not p.old:
            continue
        old_pos = [0] * len(p.old)
        new_pos = [0] * len(p.new)
        for sp in p.spans:
            n = len(sp.text)
            n_old = len(sp.old_side_text)
            if sp.op is SpanOp.EQUAL:
                src = old.get(p.old[sp.old_part])
                dst = out.get(p.new[sp.new_part])
                a, b = old_pos[sp.old_part], new_pos[sp.new_part]
                if (
                    src is not None
                    and dst is not None
                    and len(src) >= a + n_old
                    and len(dst) >= b + n
                ):
                    # A typographic variant of the same length (curly/straight quotes)
                    # maps position by position; one of another length (NFD accents,
                    # spacing) keeps old origins only for its common prefix.
                    same = n if n == n_old else _common_prefix(sp.text, sp.old_side_text)
                    dst[b : b + same] = src[a : a + same]
            if sp.op is not SpanOp.INSERT:
                old_pos[sp.old_part] += n_old
            if sp.op is not SpanOp.DELETE:
                new_pos[sp.new_part] += n
    return out


def blame(store: Store, ref: str, settings: Settings = DEFAULT_SETTINGS) -> Blame:
    """Every character of version ``ref`` attributed to the earliest version of its series
    from which it survives unchanged, through the chain of stored alignments."""
    s, versions, i, doc = _position(store, ref)
    first = store.get(versions[0].key)
    origins: dict[str, list[int]] = {u.label: [0] * len(u.text) for u in first.units}
    for j in range(1, i + 1):
        nxt = doc if j == i else store.get(versions[j].key)
        pairs = alignment(store, versions[j - 1].key, versions[j].key, settings)
        origins = _carry(pairs, origins, nxt, j)
    units: list[BlameUnit] = []
    for u in doc.units:
        marks = origins.get(u.label, [i] * len(u.text))
        spans: list[BlameSpan] = []
        start = 0
        for k in range(1, len(u.text) + 1):
            if k == len(u.text) or marks[k] != marks[start]:
                spans.append(BlameSpan(u.text[start:k], marks[start]))
                start = k
        units.append(BlameUnit(u.label, u.kind, tuple(spans)))
    return Blame(s, tuple(versions[: i + 1]), tuple(units))


# --- history ---------------------------------------------------------------------------
