"""The static site: the browse pages of a whole store as files, for any web server or a disk.

build_site(store, out_dir, *, step=None, workers=None) -> SiteReport

Pages: the index (with a search over titles and symbols), the list of series, every
series, every document, the redline of every pair of consecutive versions and the blame
view of every full text of a series; the same templates as ``resdiff serve``, with
relative links (``links.SiteLinks``) so the folder opens from ``file://`` or from any
sub-path of an intranet server.

Re-running updates only what changed. Each page has an input fingerprint (the content
hashes of the versions it shows, the series it belongs to, the comparison settings,
and resdiff's own version and templates); a page whose fingerprint is unchanged is not
even rendered, and a page rendered to the same bytes is not rewritten. The record is
``.resdiff-site.json`` in the folder; pages of a previous run that are gone from the
store are deleted, nothing else is: a non-empty folder that holds no such record is
refused rather than written into.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resdiff.errors import ResdiffError, UsageError, WorkerError
from resdiff.lineage import chain, list_series
from resdiff.model import StoredSeries, StoredSummary
from resdiff.render.html import templates_dir
from resdiff.render.words import counted
from resdiff.settings import DEFAULT_SETTINGS
from resdiff.web import pages
from resdiff.web.assets import assets
from resdiff.web.links import SiteLinks, site_path
from resdiff.workers import main_hidden

if TYPE_CHECKING:
    from resdiff.store import Store

__all__ = ["MANIFEST", "SITE_CSP", "SiteReport", "build_site"]

MANIFEST = ".resdiff-site.json"
# No server sends headers for these files: the policy travels in each page.
SITE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'"
_FORMAT = 1

Step = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class SiteReport:
    """What ``build_site`` did: pages planned, rendered, written, kept, removed; size, time."""

    out_dir: Path
    pages: int
    rendered: int
    written: int
    removed: int
    total_bytes: int
    seconds: float

    @property
    def unchanged(self) -> int:
        """Pages left as they were (not rendered, or rendered to the same bytes)."""
        return self.pages - self.written

    def summary(self) -> str:
        """One line for the user."""
        return (
            f"{self.out_dir}: {self.pages} pages, {self.written} written, "
            f"{self.unchanged} unchanged ({self.pages - self.rendered} not even rendered), "
            f"{self.removed} removed; {self.total_bytes / 2**20:.1f} MB in "
            f"{self.seconds:.1f} s; open {self.out_dir / 'index.html'}"
        )


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page to write: its kind, the stored keys it is about, its input fingerprint."""

    kind: str
    keys: tuple[str, ...]
    fingerprint: str

    @property
    def path(self) -> str:
        return site_path(self.kind, *self.keys)


# --- planning -----------------------------------------------------------------------------


def _code_fingerprint() -> str:
    """resdiff's version and every template and asset: a change there redoes every page."""
    from resdiff import __version__

    h = hashlib.sha256(f"{_FORMAT}|{__version__}|{DEFAULT_SETTINGS.hash()}".encode())
    root = templates_dir()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _fp(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def plan(
    summaries: Sequence[StoredSummary], all_series: Sequence[StoredSeries]
) -> tuple[list[PageSpec], set[tuple[str, str]], set[str]]:
    """Every page of the site with its fingerprint; the redlines and blame views it has."""
    code = _code_fingerprint()
    hashes = {s.key: s.content_hash for s in summaries}
    diffs: set[tuple[str, str]] = set()
    blames: set[str] = set()
    series_of: dict[str, StoredSeries] = {}
    specs: list[PageSpec] = []
    for s in all_series:
        versions = chain(s)
        for m in s.members:
            series_of[m.key] = s
        for n, m in enumerate(versions):
            blames.add(m.key)
            upto = [(v.key, hashes.get(v.key)) for v in versions[: n + 1]]
            specs.append(PageSpec("blame", (m.key,), _fp(code, "blame", s.key, s.title, upto)))
        for a, b in pairwise(versions):
            diffs.add((a.key, b.key))
            specs.append(
                PageSpec(
                    "diff",
                    (a.key, b.key),
                    _fp(code, "diff", a.key, b.key, hashes.get(a.key), hashes.get(b.key)),
                )
            )
        specs.append(PageSpec("series", (s.key,), _fp(code, "series", s)))
    for d in summaries:
        home = series_of.get(d.key)
        specs.append(
            PageSpec(
                "doc", (d.key,), _fp(code, "doc", d.key, d.content_hash, home, d.key in blames)
            )
        )
    specs.append(PageSpec("series-list", (), _fp(code, "series-list", tuple(all_series))))
    specs.append(PageSpec("home", (), _fp(code, "home", tuple(summaries), tuple(all_series))))
    return specs, diffs, blames


# --- rendering (in worker processes for large stores) --------------------------------------


# A worker process's open store and the site's redlines and blame views (set once).
_WORKER: dict[str, Any] = {}


def _page(store: Store, spec: PageSpec) -> pages.Page:
    k = spec.keys
    if spec.kind == "home":
        return pages.home_page(store)
    if spec.kind == "series-list":
        return pages.series_list_page(store)
    if spec.kind == "series":
        return pages.series_page(store, k[0])
    if spec.kind == "doc":
        return pages.doc_page(store, k[0])
    if spec.kind == "diff":
        return pages.diff_page(store, k[0], k[1])
    if spec.kind == "blame":
        return pages.blame_page(store, k[0])
    raise ValueError(spec.kind)


def render_spec(
    store: Store, spec: PageSpec, diffs: set[tuple[str, str]], blames: set[str]
) -> bytes:
    """The bytes of one page of the site."""
    page = _page(store, spec)
    links = SiteLinks(spec.path, diffs, blames)
    return page.html(links, csp=SITE_CSP, api=None).encode("utf-8")


def _init_worker(url: str, diffs: set[tuple[str, str]], blames: set[str]) -> None:
    from resdiff.store import open_store

    _WORKER.update(store=open_store(url, read_only=True), diffs=diffs, blames=blames)


def _render_in_worker(spec: PageSpec) -> tuple[PageSpec, bytes | str]:
    try:
        return spec, render_spec(_WORKER["store"], spec, _WORKER["diffs"], _WORKER["blames"])
    except ResdiffError as exc:
        return spec, str(exc)


def _render_all(
    store: Store,
    todo: list[PageSpec],
    diffs: set[tuple[str, str]],
    blames: set[str],
    workers: int | None,
) -> Iterator[tuple[PageSpec, bytes | str]]:
    n = workers if workers is not None else min(os.cpu_count() or 1, 4)
    # Worker processes pay off only for a real batch (each opens the store once).
    if n <= 1 or len(todo) < 64 or ":memory:" in store.url:
        for spec in todo:
            try:
                yield spec, render_spec(store, spec, diffs, blames)
            except ResdiffError as exc:
                yield spec, str(exc)
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=n, mp_context=ctx, initializer=_init_worker, initargs=(store.url, diffs, blames)
    ) as pool:
        # The workers start as the tasks are handed out, all of them here.
        with main_hidden():
            rendered = pool.map(_render_in_worker, todo, chunksize=4)
        try:
            yield from rendered
        except BrokenProcessPool:
            raise WorkerError(
                "a worker process rendering pages ended (the system may have stopped it for "
                "lack of memory); the pages written so far are kept: run the same command "
                "again to finish"
            ) from None


# --- writing ---------------------------------------------------------------------------


def _read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    path = out / MANIFEST
    if not path.exists():
        if out.exists() and any(out.iterdir()):
            raise UsageError(
                f"{out}: this folder is not empty and was not written by `resdiff site`; "
                "choose an empty or new folder"
            )
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        found = data["pages"] if data.get("format") == _FORMAT else {}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            f"{path}: unreadable record of a previous run ({exc}); delete the folder and rerun"
        ) from exc
    return {str(k): dict(v) for k, v in found.items()}


def _write(out: Path, rel: str, data: bytes) -> None:
    target = out / rel
    # Paths come from links.site_path (escaped names); still, never outside the folder.
    if not target.resolve().is_relative_to(out.resolve()):
        raise UsageError(f"refusing to write {target}: outside {out}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ResdiffError(f"{target}: cannot write ({exc.strerror or exc})") from exc


def _same_file(out: Path, rel: str, old: dict[str, Any] | None) -> bool:
    if old is None:
        return False
    try:
        return (out / rel).stat().st_size == old.get("size")
    except OSError:
        return False


def _search_index(store: Store) -> bytes:
    entries = [{**e, "href": site_path("doc", e["key"])} for e in pages.site_search_index(store)]
    payload = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    return f"window.RESDIFF_INDEX = {payload};\n".encode("ascii")


def build_site(
    store: Store, out_dir: str | Path, *, step: Step | None = None, workers: int | None = None
) -> SiteReport:
    """Write (or bring up to date) the static site of ``store`` in ``out_dir``."""
    started = time.monotonic()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: is a file; give a folder for the site")
    previous = _read_manifest(out)
    out.mkdir(parents=True, exist_ok=True)
    specs, diffs, blames = plan(store.list(), list_series(store))
    todo: list[PageSpec] = []
    planned: set[str] = set()
    for spec in specs:
        planned.add(spec.path)
        old = previous.get(spec.path)
        if not (old and old.get("input") == spec.fingerprint and _same_file(out, spec.path, old)):
            todo.append(spec)
    # What is on disk, kept up to date as pages are written: an interrupted run leaves a
    # record the next run can trust.
    record = dict(previous)
    written = removed = 0
    failed: list[str] = []
    extra = {name: a.data for name, a in assets().items()}
    extra["search-index.js"] = _search_index(store)
    try:
        rendered = _render_all(store, todo, diffs, blames, workers)
        for n, (spec, result) in enumerate(rendered, 1):
            if isinstance(result, str):
                failed.append(f"{spec.path}: {result}")
                continue
            written += _put(out, record, spec.path, result, spec.fingerprint)
            if step is not None:
                step(n, len(todo), f"rendered {spec.path}")
        for name, data in extra.items():
            rel = site_path("asset", name)
            planned.add(rel)
            written += _put(out, record, rel, data, hashlib.sha256(data).hexdigest())
        removed = _remove_stale(out, record, planned)
    finally:
        manifest = json.dumps({"format": _FORMAT, "pages": record}, indent=0, sort_keys=True)
        _write(out, MANIFEST, manifest.encode("utf-8"))
    if failed:
        raise ResdiffError(
            f"{counted(len(failed), 'page')} could not be made, first: {failed[0]}; "
            "the others are written; check the store with `resdiff series list`"
        )
    return SiteReport(
        out_dir=out,
        pages=len(planned),
        rendered=len(todo) + len(extra),
        written=written,
        removed=removed,
        total_bytes=sum(int(record[p]["size"]) for p in planned if p in record),
        seconds=time.monotonic() - started,
    )


def _put(out: Path, record: dict[str, dict[str, Any]], rel: str, data: bytes, fp: str) -> int:
    """Write one page unless the same bytes are there already; 1 if written."""
    digest = hashlib.sha256(data).hexdigest()
    old = record.get(rel)
    same = bool(old and old.get("sha256") == digest and _same_file(out, rel, old))
    if not same:
        _write(out, rel, data)
    record[rel] = {"input": fp, "sha256": digest, "size": len(data)}
    return 0 if same else 1


def _remove_stale(out: Path, record: dict[str, dict[str, Any]], planned: set[str]) -> int:
    """Delete the pages of earlier runs that this run no longer has (and only those)."""
    removed = 0
    for rel in sorted(set(record) - planned):
        del record[rel]
        target = out / rel
        if target.resolve().is_relative_to(out.resolve()) and target.is_file():
            target.unlink()
            removed += 1
            parent = target.parent
            while parent != out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return removed
