"""The browsing pages: each is the library call the command line makes, plus a view.

Every builder takes an open store and the page's arguments and returns a ``Page``: the
template to render with its view models, and the page's JSON twin, which is exactly
what the matching command prints with ``--format json`` (``/api/history?q=`` is
``resdiff history --format json``). Nothing is computed here that the library does not
compute for the command line; the app (``app``) and the static site (``site``) only
choose the links. References are always looked up in the store, never read as paths:
a page must not open a file named by a visitor.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from resdiff.compare import compare
from resdiff.errors import NotFoundError, UsageError
from resdiff.history import history as phrase_history
from resdiff.lineage import (
    blame as blame_text,
)
from resdiff.lineage import (
    chain,
    committees,
    filter_series,
    find_series,
    list_series,
    outline,
    series_of,
)
from resdiff.lineage import (
    trace as trace_unit,
)
from resdiff.model import DocKind, Document, StoredMember, StoredSeries, StoredSummary
from resdiff.render import formats, render
from resdiff.render.document import render_document
from resdiff.render.html import render_page
from resdiff.render.lineage import (
    PALETTE,
    blame_to_json,
    render_agreed,
    render_blame,
    render_history,
    render_series,
    render_series_list,
    render_trace,
    trace_to_json,
)
from resdiff.render.listing import listing_row
from resdiff.render.review import render_review
from resdiff.render.review_view import build_review_view
from resdiff.render.viewmodel import build_view
from resdiff.review import review
from resdiff.search import agreed as agreed_language
from resdiff.search import asked_phrase
from resdiff.web.links import Links

if TYPE_CHECKING:
    from resdiff.store import Store

__all__ = [
    "Page",
    "agreed_page",
    "blame_page",
    "diff_download",
    "diff_page",
    "doc_page",
    "error_page",
    "file_stem",
    "history_page",
    "home_page",
    "inline_downloads",
    "review_download",
    "review_page",
    "series_list_page",
    "series_page",
    "site_search_index",
    "trace_page",
    "upload_form",
]

RECENT = 15  # versions listed on the home page, newest first
DOWNLOADS = ("docx", "md", "json")  # what a redline or a review page offers to save


@dataclass(frozen=True)
class Page:
    """A page: its template and view models, its JSON twin, its HTTP status."""

    template: str
    context: dict[str, Any]
    to_json: Callable[[], str] | None = None
    status: int = 200
    section: str = ""  # the navigation entry it belongs to
    extra: dict[str, Any] = field(default_factory=dict)

    def html(self, links: Links, **chrome: Any) -> str:
        """The page with ``links`` (server URLs or site paths) and any extra chrome."""
        return render_page(
            self.template, link=links, section=self.section, **self.context, **chrome
        )

    def json(self) -> str:
        """The JSON twin (what the command line prints with ``--format json``)."""
        if self.to_json is None:
            raise NotFoundError("this page has no JSON form")
        return self.to_json()


def _when(m: StoredSummary) -> str:
    d = m.adoption_date or m.distribution_date
    return d.isoformat() if d else ""


def _summaries(store: Store) -> list[StoredSummary]:
    return store.cached("summaries", store.list)


def _in_chain(all_series: list[StoredSeries], key: str) -> StoredSeries | None:
    """The series in which ``key`` is a full-text version (amendments have no blame)."""
    s = series_of(all_series, key)
    if s is None or key not in [m.key for m in chain(s)]:
        return None
    return s


# --- home, series ----------------------------------------------------------------------


def home_page(store: Store) -> Page:
    """Counts by kind, series, and the most recent versions; the search boxes."""
    rows = _summaries(store)
    all_series = list_series(store)
    kinds = Counter(str(r.kind) for r in rows)
    recent = sorted(rows, key=lambda r: (_when(r), r.key), reverse=True)[:RECENT]
    data = {
        "documents": len(rows),
        "kinds": dict(sorted(kinds.items())),
        "series": len(all_series),
        "series_with_versions": sum(len(chain(s)) > 1 for s in all_series),
        "recent": [listing_row(r) for r in recent],
    }
    from resdiff.render.jsonout import dumps

    return Page(
        "web/home.html",
        {"counts": data, "recent": data["recent"]},
        lambda: dumps(data),
        section="home",
    )


def series_list_page(
    store: Store,
    *,
    committee: str | None = None,
    session: int | None = None,
    title: str | None = None,
) -> Page:
    """Every series (or those of a committee, a session, a title), each with its versions."""
    all_series = list_series(store)
    found = filter_series(all_series, committee=committee, session=session, title=title)
    rows = [
        {
            "series": s,
            "versions": chain(s),
            "amendments": len(s.members) - len(chain(s)),
            "sessions": sorted({m.session for m in s.members if m.session is not None}),
        }
        for s in found
    ]
    return Page(
        "web/series_list.html",
        {
            "rows": rows,
            "total": len(all_series),
            "committees": committees(all_series),
            "query": {"committee": committee or "", "session": session, "title": title or ""},
        },
        lambda: render_series_list(found, "json"),
        section="series",
    )


def series_page(store: Store, ref: str) -> Page:
    """One series: its versions in order, amendments under their draft, a redline link
    for each consecutive pair and a form to compare any two."""
    s = find_series(store, ref)
    entries, orphans = outline(s)
    versions = chain(s)
    steps = list(zip([None, *versions], versions, strict=False))  # (previous, version)
    return Page(
        "web/series.html",
        {"series": s, "entries": entries, "orphans": orphans, "versions": versions, "steps": steps},
        lambda: render_series(s, "json"),
        section="series",
    )


# --- one document ----------------------------------------------------------------------


def doc_page(store: Store, ref: str) -> Page:
    """A document: metadata, sponsors, units with labels and lead words, footnotes."""
    doc = store.get(ref)
    key = store.key_of(doc) or doc.key
    all_series = list_series(store)
    s = series_of(all_series, key)
    traced = _in_chain(all_series, key) is not None
    return Page(
        "web/doc.html",
        {"doc": doc, "key": key, "series": s, "traced": traced, "amends": _amends(doc, s)},
        lambda: render_document(doc, "json"),
        section="series",
    )


def _amends(doc: Document, s: StoredSeries | None) -> StoredMember | None:
    """For an amendment, the stored version it amends (its outline entry in the series)."""
    if s is None or doc.metadata.kind is not DocKind.AMENDMENT:
        return None
    entries, _orphans = outline(s)
    return next((e.version for e in entries if any(a.key == doc.key for a in e.amendments)), None)


# --- redline ---------------------------------------------------------------------------


def _comparison_inputs(store: Store, old: str | None, new: str | None) -> tuple[Document, Document]:
    if not old or not new or not old.strip() or not new.strip():
        raise UsageError("give two stored versions to compare: old and new (symbols or keys)")
    return store.get(old), store.get(new)


def diff_page(
    store: Store,
    old: str | None,
    new: str | None,
    *,
    only: str | None = None,
    hide_routine: bool = False,
) -> Page:
    """The redline of two stored versions: the renderer of ``resdiff diff --format html``."""
    a, b = _comparison_inputs(store, old, new)
    comparison = compare(a, b)
    keys = (store.key_of(a) or a.key, store.key_of(b) or b.key)
    return Page(
        "web/redline.html",
        {
            "view": build_view(comparison, only=only, hide_routine=hide_routine),
            "keys": keys,
            "filters": {"only": only or "", "hide_routine": hide_routine},
            "save_as": {f: _download_name(a, b, formats.format_named(f).suffix) for f in DOWNLOADS},
        },
        lambda: render(comparison, "json", only=only, hide_routine=hide_routine),
        section="series",
    )


def diff_download(
    store: Store, old: str | None, new: str | None, fmt: str
) -> tuple[bytes, str, str]:
    """The redline in a download format: (bytes, media type, file name)."""
    chosen = formats.check_format(fmt, formats.COMPARISON, "a comparison")
    a, b = _comparison_inputs(store, old, new)
    data = render(compare(a, b), chosen.name)
    return _bytes(data), chosen.media_type, _download_name(a, b, chosen.suffix)


def _download_name(a: Document, b: Document, suffix: str) -> str:
    return f"{file_stem(a.key)}--{file_stem(b.key)}{suffix}"


def file_stem(key: str) -> str:
    """A download's file name for a stored key: letters, digits, "." and "-"; "_" else."""
    return "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "_" for c in key)[:80]


def _bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


# --- lineage ---------------------------------------------------------------------------


def _phrase(q: str | None) -> str | None:
    """The phrase asked for; None for an empty box (the page shows its form alone)."""
    return asked_phrase(q) if q is not None and q.strip() else None


def history_page(
    store: Store, q: str | None, *, series: str | None = None, fuzzy: float | None = None
) -> Page:
    """First appearance of a phrase and every later version, per series, with statuses."""
    phrase = _phrase(q)
    if fuzzy is not None and not 0 < fuzzy <= 1:
        raise UsageError(f"fuzzy {fuzzy}: give a similarity between 0 and 1, e.g. 0.85")
    if phrase is None:
        return Page("web/history.html", {"q": "", "found": None, "groups": []}, section="history")
    found = phrase_history(store, phrase, series=series or None, fuzzy=fuzzy)
    titles = {s.key: s.title for s in list_series(store)}
    groups: list[dict[str, Any]] = []
    for e in found.entries:
        if not groups or groups[-1]["key"] != e.series:
            groups.append({"key": e.series, "title": titles.get(e.series or ""), "entries": []})
        groups[-1]["entries"].append(e)
    return Page(
        "web/history.html",
        {"q": phrase, "found": found, "groups": groups, "series_ref": series or ""},
        lambda: render_history(found, "json"),
        section="history",
    )


def agreed_page(store: Store, q: str | None) -> Page:
    """Adopted resolutions, any series, already containing the wording; earliest first."""
    wording = _phrase(q)
    if wording is None:
        return Page("web/agreed.html", {"q": "", "answer": None}, section="agreed")
    answer = agreed_language(store, wording)
    return Page(
        "web/agreed.html",
        {"q": wording, "answer": answer},
        lambda: render_agreed(answer, "json"),
        section="agreed",
    )


def trace_page(store: Store, ref: str, label: str) -> Page:
    """One paragraph back to its first version and forward to the latest."""
    found = trace_unit(store, ref, label)
    return Page(
        "web/trace.html",
        {"view": trace_to_json(found)},
        lambda: render_trace(found, "json"),
        section="series",
    )


def blame_page(store: Store, ref: str) -> Page:
    """Every span of a version coloured by the version (the year) that introduced it."""
    found = blame_text(store, ref)
    return Page(
        "web/blame.html",
        {"view": blame_to_json(found), "palette": PALETTE},
        lambda: render_blame(found, "json"),
        section="series",
    )


# --- review ----------------------------------------------------------------------------


def _review_inputs(store: Store, draft: Document | str, against: str | None) -> tuple[Any, ...]:
    doc = store.get(draft) if isinstance(draft, str) else draft
    base = store.get(against) if against and against.strip() else None
    return doc, base


def review_page(
    store: Store, draft: Document | str, *, against: str | None = None, note: str = ""
) -> Page:
    """The review pack of a stored draft (by reference) or of an uploaded one (parsed)."""
    doc, base = _review_inputs(store, draft, against)
    pack = review(store, doc, against=base)
    key = store.key_of(doc)
    return Page(
        "web/review.html",
        {
            "view": build_review_view(pack),
            "key": key,
            "against": against or "",
            "note": note,
        },
        lambda: render_review(pack, "json"),
        section="review",
        extra={"pack": pack},
    )


def review_download(
    store: Store, draft: Document | str, fmt: str, *, against: str | None = None
) -> tuple[bytes, str, str]:
    """The review pack in a download format: (bytes, media type, file name)."""
    chosen = formats.check_format(fmt, formats.REVIEW, "a review")
    doc, base = _review_inputs(store, draft, against)
    data = render_review(review(store, doc, against=base), chosen.name)
    return _bytes(data), chosen.media_type, f"review-{file_stem(doc.key)}{chosen.suffix}"


def inline_downloads(page: Page, name: str) -> dict[str, dict[str, str]]:
    """The review of an upload in each download format, as ``data:`` links: the draft was
    never stored, so nothing on the server could hand it out later."""
    pack = page.extra["pack"]
    out: dict[str, dict[str, str]] = {}
    for f in DOWNLOADS:
        chosen = formats.format_named(f)
        data = _bytes(render_review(pack, f))
        media = chosen.media_type.split(";")[0]
        href = f"data:{media};base64," + base64.b64encode(data).decode("ascii")
        out[f] = {"href": href, "name": f"review-{name}{chosen.suffix}"}
    return out


# The text encodings the upload form offers for a text file that is not UTF-8 (what the
# command line's --encoding takes): the Windows and ISO code pages of the six official
# languages' scripts that drafts are still saved in.
UPLOAD_ENCODINGS = {
    "cp1252": "Windows Western (cp1252): English, French, Spanish",
    "iso-8859-1": "ISO Latin-1 (iso-8859-1)",
    "cp1251": "Windows Cyrillic (cp1251): Russian",
    "cp1256": "Windows Arabic (cp1256)",
    "gb18030": "Chinese (GB 18030)",
}


def upload_form(*, can_store: bool, max_mb: int) -> Page:
    """The form to review a draft file (PDF, DOCX, text, HTML) without storing it."""
    return Page(
        "web/upload.html",
        {"can_store": can_store, "max_mb": max_mb, "encodings": UPLOAD_ENCODINGS},
        section="review",
    )


# --- errors and the static site's search -----------------------------------------------


def error_page(status: int, title: str, message: str, *, choose_against: str = "") -> Page:
    """What went wrong, in one sentence (the library's message), and where to go next;
    ``choose_against``: the review page to ask again with a text to compare with."""
    from resdiff.render.jsonout import dumps

    data = {"error": message, "status": status}
    return Page(
        "web/error.html",
        {"status": status, "title": title, "message": message, "choose_against": choose_against},
        lambda: dumps(data),
        status=status,
    )


def site_search_index(store: Store) -> list[dict[str, Any]]:
    """Titles and symbols of every stored version, for the static site's search box."""
    return [
        {
            "key": r.key,
            "symbol": r.symbol or "",
            "title": r.title or "",
            "kind": str(r.kind),
            "date": _when(r),
        }
        for r in _summaries(store)
    ]
