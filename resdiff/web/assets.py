"""The files every page links: one stylesheet, two small scripts and an icon, all local.

Delegates' networks block content delivery networks, and a page that loads nothing from
elsewhere works offline: the app serves these from ``/static/``, the static site copies
them to ``assets/``. The stylesheet is the redline, lineage and review stylesheets (the
same files the standalone pages inline) followed by the browsing pages' own rules.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from resdiff.render.html import templates_dir

__all__ = ["Asset", "asset_named", "assets"]

# Stylesheets in cascade order: the pages' own rules come last and may refine the others.
_CSS = ("redline.css", "lineage.css", "review.css", "static/web.css")
_FILES = {
    "resdiff.js": ("static/resdiff.js", "text/javascript; charset=utf-8"),
    "search.js": ("static/search.js", "text/javascript; charset=utf-8"),
    "icon.svg": ("static/icon.svg", "image/svg+xml"),
}


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file: its bytes, media type and a digest (the ETag)."""

    name: str
    data: bytes
    media_type: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:32]


@lru_cache(maxsize=1)
def assets() -> dict[str, Asset]:
    """Every static file by the name pages link it under."""
    root = templates_dir()
    css = b"".join(f"/* {name} */\n".encode() + (root / name).read_bytes() + b"\n" for name in _CSS)
    found = {"resdiff.css": Asset("resdiff.css", css, "text/css; charset=utf-8")}
    for name, (path, media_type) in _FILES.items():
        found[name] = Asset(name, (root / path).read_bytes(), media_type)
    # The redline's navigation (the script the standalone pages embed) rides along.
    js = found["resdiff.js"]
    nav = (root / "static" / "redline.js").read_bytes()
    found["resdiff.js"] = Asset(js.name, js.data + b"\n" + nav, js.media_type)
    return found


def asset_named(name: str) -> Asset | None:
    """The static file called ``name``; None for any other name (never a file path)."""
    return assets().get(name)
