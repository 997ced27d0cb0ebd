"""Where each page lives: URLs of the web app, or relative file paths of the static site.

Templates ask a ``Links`` object for every link (``link.doc(key)``), so one template
serves both: ``ServerLinks`` gives absolute URLs with every reference percent-encoded;
``SiteLinks`` gives paths relative to the page being written (the site opens from
``file://`` and from any sub-path of an intranet server), and ``None`` for pages a
static site cannot have (a trace of every paragraph, phrase searches, uploads).

Stored keys become file names through ``file_name``: readable (``A/RES/79/171`` ->
``A_RES_79_171``), one name per key, and never a path outside the site whatever the
key holds (``..``, ``/``, control characters).
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Collection
from urllib.parse import quote, urlencode

__all__ = ["Links", "ServerLinks", "SiteLinks", "file_name", "site_path"]

_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-")
_MAX_NAME = 120  # bytes: well under every file system's 255, with room for a suffix


def file_name(key: str) -> str:
    """A file-name stem for a stored key, different for every key.

    Letters, digits, "." and "-" stay; "/" becomes "_"; every other character
    (including "_") becomes "~" and the hex of its UTF-8 bytes. A leading "." is
    escaped too, so no name is "." or ".." or hidden. Past ``_MAX_NAME`` characters,
    the name is cut and ends with "~~" and a digest of the whole key.
    """
    out: list[str] = []
    for n, ch in enumerate(key):
        if ch == "/":
            out.append("_")
        elif ch in _KEEP and not (n == 0 and ch == "."):
            out.append(ch)
        else:
            out.append("".join(f"~{b:02X}" for b in ch.encode("utf-8")))
    name = "".join(out) or "~"
    if len(name) > _MAX_NAME:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        name = name[: _MAX_NAME - 18] + "~~" + digest
    return name


def site_path(kind: str, *keys: str) -> str:
    """The path of a page of the static site, relative to its root."""
    if kind == "home":
        return "index.html"
    if kind == "series-list":
        return "series/index.html"
    if kind == "diff":
        old, new = keys
        return f"diff/{file_name(old)}/{file_name(new)}.html"
    if kind in ("series", "doc", "blame"):
        return f"{kind}/{file_name(keys[0])}.html"
    if kind == "asset":
        return f"assets/{keys[0]}"
    raise ValueError(f"no static page of kind {kind!r}")


def _q(value: str, safe: str = "") -> str:
    return quote(value, safe=safe)


class Links:
    """Every link a page can show; ``None`` when that page does not exist here."""

    #: True when the pages can submit forms to a server (search, compare, upload).
    dynamic = False

    def home(self) -> str:
        raise NotImplementedError

    def series_list(self) -> str:
        raise NotImplementedError

    def series(self, key: str) -> str | None:
        raise NotImplementedError

    def doc(self, key: str) -> str | None:
        raise NotImplementedError

    def diff(self, old: str, new: str) -> str | None:
        raise NotImplementedError

    def blame(self, key: str) -> str | None:
        raise NotImplementedError

    def asset(self, name: str) -> str:
        raise NotImplementedError

    def trace(self, key: str, label: str) -> str | None:
        return None

    def history(self, phrase: str) -> str | None:
        return None

    def agreed(self, wording: str) -> str | None:
        return None

    def review(self, key: str) -> str | None:
        return None

    def download_diff(self, old: str, new: str, fmt: str) -> str | None:
        return None

    def download_review(self, key: str, fmt: str, against: str = "") -> str | None:
        return None

    def api(self, path: str) -> str | None:
        return None

    def route(self, name: str) -> str | None:
        """A page of the server without arguments (the forms' targets)."""
        return None


class ServerLinks(Links):
    """Absolute URLs of the web app; every reference and query percent-encoded."""

    dynamic = True

    def home(self) -> str:
        return "/"

    def series_list(self) -> str:
        return "/series"

    def series(self, key: str) -> str:
        return "/series/" + _q(key, "/")

    def doc(self, key: str) -> str:
        return "/doc/" + _q(key, "/")

    def diff(self, old: str, new: str) -> str:
        return "/diff?" + urlencode({"old": old, "new": new})

    def blame(self, key: str) -> str:
        return "/blame/" + _q(key, "/")

    def asset(self, name: str) -> str:
        return "/static/" + _q(name)

    def trace(self, key: str, label: str) -> str:
        return "/trace/" + _q(key, "/") + "/" + _q(label)

    def history(self, phrase: str) -> str:
        return "/history?" + urlencode({"q": phrase})

    def agreed(self, wording: str) -> str:
        return "/agreed?" + urlencode({"q": wording})

    def review(self, key: str) -> str:
        return "/review/" + _q(key, "/")

    def download_diff(self, old: str, new: str, fmt: str) -> str:
        return "/download/diff?" + urlencode({"old": old, "new": new, "format": fmt})

    def download_review(self, key: str, fmt: str, against: str = "") -> str:
        query = {"format": fmt, **({"against": against} if against else {})}
        return "/download/review/" + _q(key, "/") + "?" + urlencode(query)

    def api(self, path: str) -> str:
        return "/api" + path

    def route(self, name: str) -> str:
        return {"history": "/history", "agreed": "/agreed", "review": "/review", "diff": "/diff"}[
            name
        ]


class SiteLinks(Links):
    """Paths relative to the page at ``here`` (a path from the site root); only the pages
    the site holds: redlines of ``diffs`` (old, new) and blame views of ``blames``."""

    def __init__(
        self, here: str, diffs: Collection[tuple[str, str]], blames: Collection[str]
    ) -> None:
        self._base = posixpath.dirname(here) or "."
        self._diffs = diffs
        self._blames = blames

    def _rel(self, path: str) -> str:
        return _q(posixpath.relpath(path, self._base), "/~.-_")

    def home(self) -> str:
        return self._rel(site_path("home"))

    def series_list(self) -> str:
        return self._rel(site_path("series-list"))

    def series(self, key: str) -> str:
        return self._rel(site_path("series", key))

    def doc(self, key: str) -> str:
        return self._rel(site_path("doc", key))

    def diff(self, old: str, new: str) -> str | None:
        return self._rel(site_path("diff", old, new)) if (old, new) in self._diffs else None

    def blame(self, key: str) -> str | None:
        return self._rel(site_path("blame", key)) if key in self._blames else None

    def asset(self, name: str) -> str:
        return self._rel(site_path("asset", name))
