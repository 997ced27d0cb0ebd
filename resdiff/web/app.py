"""The web app: Starlette routes over ``pages`` (the only module that imports Starlette).

    create_app(url=None, *, read_only=False, loopback=True, debug=False) -> ASGI app
    app_over(store, ...) -> ASGI app over a store already open
    (``server.serve`` runs it with uvicorn)

Every page has a JSON twin under ``/api`` (``/history?q=`` and ``/api/history?q=``).
Safety, for a tool that holds negotiating texts: the server binds 127.0.0.1 unless told
otherwise and then only answers requests addressed to a loopback name (a page elsewhere
cannot reach it by DNS rebinding); it opens the store read-only and never writes to it
except to ingest an upload its user asked to store (through a writable store opened for
that ingest alone), and refuses such posts from other sites; references
are looked up in the store, never opened as paths, and static files come from a fixed
table, so no route reaches the file system; uploads are capped before they are read
and parsed with the bounds of ``resdiff ingest``; every failure is a page with the
library's one-line message and a 4xx status, never a traceback; every response carries
a Content-Security-Policy without inline script.

Pages are pure functions of the store: each is rendered once per state of the store
(``Store.state``) and kept in a bounded cache, so a page asked for again, by anyone,
costs a look-up until the next ingest.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from resdiff.errors import (
    EncodingError,
    IngestError,
    NoBaselineError,
    NotFoundError,
    ResdiffError,
    StoreError,
    UsageError,
)
from resdiff.render import formats
from resdiff.web import pages
from resdiff.web.assets import asset_named
from resdiff.web.cache import PageCache, Rendered
from resdiff.web.guard import BodyTooLarge, Guard, too_large
from resdiff.web.links import ServerLinks

if TYPE_CHECKING:
    from resdiff.store import Store

__all__ = ["MAX_UPLOAD_BYTES", "app_over", "create_app"]

MAX_UPLOAD_BYTES = 20 * 2**20  # a draft is a few hundred KB; a scanned annex a few MB
MAX_QUERY = 10_000  # characters of one query value: a whole paragraph fits
CACHE_BYTES = 96 * 2**20

_HTML = "text/html; charset=utf-8"
_JSON = "application/json; charset=utf-8"


# --- errors ---------------------------------------------------------------------------------


_TITLES = {
    400: "That request cannot be answered",
    403: "Refused",
    404: "Not found",
    405: "Not allowed",
    413: "Upload too large",
    415: "Unsupported format",
    422: "The file cannot be read",
    500: "Internal error",
    503: "The store cannot be read",
}


def status_of(exc: BaseException) -> int:
    """The HTTP status for a library error: the same classes the CLI maps to exit codes."""
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, UsageError):
        return 400
    if isinstance(exc, IngestError):
        return 422  # the upload itself is under the cap: its content is what failed
    if isinstance(exc, StoreError):
        return 503
    return 500


# --- the app ---------------------------------------------------------------------------------


class WebApp:
    """The routes' shared state: the store, the cache, the links, the options."""

    def __init__(self, store: Store, *, read_only: bool, debug: bool) -> None:
        self.store = store
        self.read_only = read_only
        self.debug = debug
        self.links = ServerLinks()
        self.cache = PageCache(CACHE_BYTES)
        self._write = threading.Lock()  # one upload ingest at a time

    @contextmanager
    def writable(self) -> Iterator[Store]:
        """The store to write an upload its sender asked to store into: the served store
        is opened read-only, so a writable one is opened for that ingest alone."""
        if not self.store.read_only:
            yield self.store
            return
        from resdiff.store import open_store

        with open_store(self.store.url, create=False) as store:
            yield store

    # --- rendering ----------------------------------------------------------------

    def html(self, page: pages.Page, request: Request, **chrome: Any) -> Rendered:
        api = self.links.api(request.url.path) if page.to_json is not None else None
        if api and request.url.query:
            api += "?" + request.url.query
        body = page.html(self.links, csp="", api=api, **chrome)
        return Rendered(body.encode("utf-8"), _HTML, page.status)

    def error(
        self, request: Request, status: int, message: str, *, choose_against: str = ""
    ) -> Rendered:
        page = pages.error_page(
            status, _TITLES.get(status, "Error"), message, choose_against=choose_against
        )
        if request.url.path.startswith("/api"):
            return Rendered(page.json().encode("utf-8"), _JSON, status)
        return Rendered(page.html(self.links, csp="", api=None).encode("utf-8"), _HTML, status)

    def guarded(self, request: Request, make: Callable[[], Rendered]) -> Rendered:
        """``make()``, with every failure turned into an error page (a bug: a 500 page and
        one line on stderr; the traceback only with --debug)."""
        try:
            return make()
        except NoBaselineError as exc:
            # In the browser the advice is the form below the message, not an option.
            message = f"{exc.draft}: no adopted resolution precedes it {exc.where}."
            here = "" if request.url.path.startswith("/api") else request.url.path
            return self.error(request, status_of(exc), message, choose_against=here)
        except EncodingError as exc:
            # In the browser the advice is the upload form's encoding box, not an option.
            message = (
                f"{exc.detail}: send it again and choose its encoding in the form's "
                "“Text encoding” box (Windows Western, cp1252, is the usual one)"
            )
            return self.error(request, status_of(exc), message)
        except ResdiffError as exc:
            return self.error(request, status_of(exc), str(exc))
        except Exception as exc:
            where = f"{request.method} {request.url.path}"
            print(
                f"resdiff serve: internal error on {where}: {type(exc).__name__}: {exc}"
                " (re-run with --debug and report it)",
                file=sys.stderr,
            )
            if self.debug:
                traceback.print_exc()
            return self.error(
                request, 500, "internal error: the page could not be made; the server log says why"
            )

    def cached_rendered(self, request: Request, make: Callable[[], Rendered]) -> Rendered:
        """A GET response from the cache, else made now (and kept while the store is
        unchanged): the key is the store's state and the URL."""

        def attempt() -> Rendered:
            state = self.store.state()
            url = request.url.path + "?" + request.url.query
            return self.cache.get_or_render((state, url), lambda: self.guarded(request, make))

        return self.guarded(request, attempt)

    def cached(self, request: Request, make: Callable[[], Rendered]) -> Response:
        """``cached_rendered`` as a response."""
        return respond(request, self.cached_rendered(request, make))


def respond(request: Request, r: Rendered) -> Response:
    """The response for a rendered page: 304 when the browser has it already; a download
    is an attachment (its file name is made of letters, digits, "." "-" and "_" only)."""
    headers = {"etag": r.etag, "cache-control": "no-cache"}
    if r.filename is not None and r.status == 200:
        headers["content-disposition"] = f'attachment; filename="{r.filename}"'
    if r.status == 200 and r.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"etag": r.etag, "cache-control": "no-cache"})
    return Response(r.body, status_code=r.status, media_type=r.media_type, headers=headers)


# --- parameters --------------------------------------------------------------------------


def _param(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is not None and len(value) > MAX_QUERY:
        raise UsageError(f"{name}: {len(value)} characters is too long (at most {MAX_QUERY})")
    if value is not None and "\x00" in value:
        raise UsageError(f"{name}: a NUL character is not text")
    return value


def _int(request: Request, name: str) -> int | None:
    value = (_param(request, name) or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"{name}={value!r}: give a whole number") from None


def _float(request: Request, name: str) -> float | None:
    value = (_param(request, name) or "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise UsageError(f"{name}={value!r}: give a number between 0 and 1, e.g. 0.85") from None


def _ref(request: Request, name: str = "ref") -> str:
    value = str(request.path_params.get(name, ""))
    if "\x00" in value or len(value) > MAX_QUERY:
        raise NotFoundError("no stored document has such a reference")
    return value


def _trace_args(request: Request) -> tuple[str, str]:
    rest = _ref(request, "rest")
    ref, _sep, label = rest.rpartition("/")
    if not ref or not label:
        raise NotFoundError("a trace is /trace/SYMBOL/LABEL, e.g. /trace/A/RES/76/177/OP2(a)(xii)")
    return ref, label


def _format(request: Request, allowed: tuple[str, ...]) -> str:
    fmt = (_param(request, "format") or "").strip()
    try:
        chosen = formats.check_format(fmt, allowed, "this page")
    except ValueError as exc:
        raise UsageError(f"format {fmt!r}: {exc}") from None
    if chosen.name not in pages.DOWNLOADS:
        raise UsageError(f"format {fmt!r}: downloads are {', '.join(pages.DOWNLOADS)}")
    return chosen.name


# --- the routes ------------------------------------------------------------------------


PageBuilder = Callable[["Store", Request], pages.Page]


def _page_routes(web: WebApp, path: str, build: PageBuilder) -> list[Route]:
    """The HTML page at ``path`` and its JSON twin at ``/api`` + ``path``."""

    def html(request: Request) -> Response:
        return web.cached(request, lambda: web.html(build(web.store, request), request))

    def api(request: Request) -> Response:
        def make() -> Rendered:
            page = build(web.store, request)
            return Rendered(page.json().encode("utf-8"), _JSON, page.status)

        return web.cached(request, make)

    return [Route(path, html, methods=["GET"]), Route("/api" + path, api, methods=["GET"])]


def _routes(web: WebApp) -> list[Route]:
    L = web.links

    def review_stored(store: Store, request: Request) -> pages.Page:
        return pages.review_page(store, _ref(request), against=_param(request, "against"))

    def review_html(request: Request) -> Response:
        def make() -> Rendered:
            ref, against = _ref(request), _param(request, "against") or ""
            page = review_stored(web.store, request)
            key = page.context["key"] or ref
            downloads = {
                f: {
                    "href": L.download_review(key, f, against),
                    "name": f"review-{pages.file_stem(key)}{formats.format_named(f).suffix}",
                }
                for f in pages.DOWNLOADS
            }
            return web.html(page, request, downloads=downloads)

        return web.cached(request, make)

    def review_api(request: Request) -> Response:
        return web.cached(
            request,
            lambda: Rendered(review_stored(web.store, request).json().encode("utf-8"), _JSON),
        )

    def download_diff(request: Request) -> Response:
        def make() -> Rendered:
            data, media, name = pages.diff_download(
                web.store,
                _param(request, "old"),
                _param(request, "new"),
                _format(request, formats.COMPARISON),
            )
            return Rendered(data, media, filename=name)

        return web.cached(request, make)

    def download_review(request: Request) -> Response:
        def make() -> Rendered:
            data, media, name = pages.review_download(
                web.store,
                _ref(request),
                _format(request, formats.REVIEW),
                against=_param(request, "against"),
            )
            return Rendered(data, media, filename=name)

        return web.cached(request, make)

    def static(request: Request) -> Response:
        asset = asset_named(str(request.path_params.get("name", "")))
        if asset is None:
            r = web.error(request, 404, "no such file")
            return respond(request, r)
        r = Rendered(asset.data, asset.media_type)
        return respond(request, r)

    def upload_form(request: Request) -> Response:
        page = pages.upload_form(can_store=not web.read_only, max_mb=MAX_UPLOAD_BYTES // 2**20)
        return respond(request, web.guarded(request, lambda: web.html(page, request)))

    async def upload(request: Request) -> Response:
        return await _upload(web, request, api=False)

    async def upload_api(request: Request) -> Response:
        return await _upload(web, request, api=True)

    routes: list[Route] = []
    routes += _page_routes(web, "/", lambda s, r: pages.home_page(s))
    routes += _page_routes(
        web,
        "/series",
        lambda s, r: pages.series_list_page(
            s,
            committee=_param(r, "committee"),
            session=_int(r, "session"),
            title=_param(r, "title"),
        ),
    )
    routes += _page_routes(web, "/series/{ref:path}", lambda s, r: pages.series_page(s, _ref(r)))
    routes += _page_routes(web, "/doc/{ref:path}", lambda s, r: pages.doc_page(s, _ref(r)))
    routes += _page_routes(
        web,
        "/diff",
        lambda s, r: pages.diff_page(
            s,
            _param(r, "old"),
            _param(r, "new"),
            only="changed" if _param(r, "only") == "changed" else None,
            hide_routine=bool(_param(r, "hide_routine")),
        ),
    )
    routes += _page_routes(
        web,
        "/history",
        lambda s, r: pages.history_page(
            s, _param(r, "q"), series=_param(r, "series"), fuzzy=_float(r, "fuzzy")
        ),
    )
    routes += _page_routes(web, "/agreed", lambda s, r: pages.agreed_page(s, _param(r, "q")))
    routes += _page_routes(
        web, "/trace/{rest:path}", lambda s, r: pages.trace_page(s, *_trace_args(r))
    )
    routes += _page_routes(web, "/blame/{ref:path}", lambda s, r: pages.blame_page(s, _ref(r)))
    routes += [
        Route("/review", upload_form, methods=["GET"]),
        Route("/review", upload, methods=["POST"]),
        Route("/api/review", upload_api, methods=["POST"]),
        Route("/review/{ref:path}", review_html, methods=["GET"]),
        Route("/api/review/{ref:path}", review_api, methods=["GET"]),
        Route("/download/diff", download_diff, methods=["GET"]),
        Route("/download/review/{ref:path}", download_review, methods=["GET"]),
        Route("/static/{name:path}", static, methods=["GET"]),
    ]
    return routes


# --- uploads ---------------------------------------------------------------------------


def _cross_site(request: Request) -> bool:
    """True for a form posted from another site (a page elsewhere driving the browser)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False  # not a browser form (curl, scripts): nothing to forge
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


def _upload_name(raw: str | None) -> str:
    name = PurePosixPath((raw or "").replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable())[:200]
    return name or "upload"


async def _upload(web: WebApp, request: Request, *, api: bool) -> Response:
    def fail(status: int, message: str) -> Response:
        return respond(request, web.error(request, status, message))

    if _cross_site(request):
        return fail(403, "a draft can only be sent from this server's own form")
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=64 * 1024)
    except BodyTooLarge as exc:
        return fail(413, str(exc))
    except MultiPartException as exc:
        return fail(400, f"the upload could not be read: {exc.message}; send it from the form")
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return fail(400, "no file was sent: choose the draft's file (PDF, DOCX, text or HTML)")
        data = await upload.read()
        against = form.get("against")
        wants_store = form.get("store") == "1"
        asked_encoding = form.get("encoding")
    finally:
        await form.close()
    if asked_encoding and asked_encoding not in pages.UPLOAD_ENCODINGS:
        return fail(400, "unknown text encoding: choose one in the form's “Text encoding” box")
    encoding = asked_encoding if isinstance(asked_encoding, str) and asked_encoding else None
    if len(data) > MAX_UPLOAD_BYTES:
        return fail(413, too_large(len(data), MAX_UPLOAD_BYTES))
    if wants_store and web.read_only:
        return fail(403, "this server is read-only (--read-only): the draft was not stored")
    name = _upload_name(upload.filename)
    against_ref = against.strip() if isinstance(against, str) and against.strip() else None

    def make() -> Rendered:
        return _review_upload(web, request, data, name, against_ref, wants_store, encoding, api=api)

    return respond(request, await run_in_threadpool(web.guarded, request, make))


def _review_upload(
    web: WebApp,
    request: Request,
    data: bytes,
    name: str,
    against: str | None,
    wants_store: bool,
    encoding: str | None,
    *,
    api: bool,
) -> Rendered:
    from resdiff.batch import ingest_document
    from resdiff.ingest import parse_bytes

    # the bounds of `resdiff ingest`: caps, bombs, time
    doc = parse_bytes(data, name, encoding=encoding)
    if wants_store:
        with web._write, web.writable() as target:
            outcome = ingest_document(target, doc, name=name)
        note = (
            f"{name} was stored as {outcome.key}."
            if outcome.status == "stored"
            else f"{name} was already stored, as {outcome.key}."
        )
    else:
        note = f"{name} was reviewed and not stored."
    page = pages.review_page(web.store, doc, against=against, note=note)
    if api:
        return Rendered(page.json().encode("utf-8"), _JSON)
    stem = pages.file_stem(PurePosixPath(name).stem or "draft")
    return web.html(page, request, downloads=pages.inline_downloads(page, stem))


# --- assembling and serving ------------------------------------------------------------


def create_app(
    url: str | None = None, *, read_only: bool = False, loopback: bool = True, debug: bool = False
) -> ASGIApp:
    """The ASGI app over the store at ``url``, opened read-only now (a missing or
    out-of-date store fails here, before anything listens); an upload its sender asks to
    store is written through a writable store opened for that ingest alone."""
    from resdiff.store import open_store

    return app_over(
        open_store(url, read_only=True), read_only=read_only, loopback=loopback, debug=debug
    )


def app_over(
    store: Store, *, read_only: bool = False, loopback: bool = True, debug: bool = False
) -> ASGIApp:
    """The ASGI app over an open store (which it uses until closed by its owner)."""
    web = WebApp(store, read_only=read_only, debug=debug)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = {
            404: "there is no such page here",
            405: "this page cannot be asked for that way",
        }.get(status, "that request cannot be answered")
        return respond(request, web.error(request, status, message))

    handlers: Mapping[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        404: http_error,
        405: http_error,
    }
    app = Starlette(routes=_routes(web), exception_handlers=dict(handlers))
    app.state.web = web
    return Guard(app, loopback=loopback, max_body=MAX_UPLOAD_BYTES + 64 * 1024)
