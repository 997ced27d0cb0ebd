"""HTML output: one self-contained redline page from the Jinja2 templates in templates/.

The templates live at the repository top level; an installed wheel carries them as
``resdiff/_data/templates``. Autoescaping is on and undefined names are errors.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from resdiff.errors import ResdiffError
from resdiff.render.viewmodel import RedlineView
from resdiff.render.words import counted

__all__ = [
    "PageScript",
    "environment",
    "page_script",
    "render_html",
    "render_page",
    "templates_dir",
]


def templates_dir() -> Path:
    """Where the templates are: inside the installed package, else the source checkout."""
    installed = Path(str(resources.files("resdiff"))) / "_data" / "templates"
    if (installed / "redline.html").is_file():
        return installed
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if (checkout / "redline.html").is_file():
        return checkout
    raise ResdiffError(
        f"HTML templates not found (looked in {installed} and {checkout}); "
        "reinstall resdiff or run from a complete source checkout"
    )


# Everything besides a template's source that changes its compiled code. Jinja keys
# cached bytecode by the source alone, so the folder carries these: another resdiff or
# Jinja version, or other environment options, must never be served this one's code.
_ENV_OPTIONS = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


def _cache_tag() -> str:
    from resdiff import __version__

    blob = f"{__version__}|{jinja2.__version__}|{sorted(_ENV_OPTIONS.items())}|autoescape|strict"
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    # Compiling the templates costs about 100 ms, a third of a one-shot `resdiff diff
    # --format html`; compiled templates are cached like __pycache__ (keyed by the
    # template source's checksum, so an edited template is never served stale).
    # RESDIFF_NO_TEMPLATE_CACHE=1, or a cache folder we cannot create, disables it.
    if os.environ.get("RESDIFF_NO_TEMPLATE_CACHE"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "resdiff" / "templates" / _cache_tag()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@dataclass(frozen=True, slots=True)
class PageScript:
    """The redline's navigation script as the standalone pages embed it, and the
    Content-Security-Policy source that allows exactly that script and no other."""

    code: Markup
    csp: str


@lru_cache(maxsize=1)
def page_script() -> PageScript:
    """``static/redline.js``, checked to be embeddable, with its sha256 policy source."""
    code = (templates_dir() / "static" / "redline.js").read_text(encoding="utf-8")
    if "</" in code or "<!--" in code:
        raise ResdiffError("templates/static/redline.js must not contain '</' or '<!--'")
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    return PageScript(Markup(code), f"sha256-{digest}")  # checked above: no end tag


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: autoescape everywhere, StrictUndefined."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        trim_blocks=_ENV_OPTIONS["trim_blocks"],
        lstrip_blocks=_ENV_OPTIONS["lstrip_blocks"],
        keep_trailing_newline=_ENV_OPTIONS["keep_trailing_newline"],
        bytecode_cache=_bytecode_cache(),
    )
    env.globals["redline_js"] = page_script()
    env.filters["counted"] = counted
    return env


def render_html(view: RedlineView) -> str:
    """The redline page for a view model."""
    return environment().get_template("redline.html").render(view=view)


def render_page(template: str, **context: object) -> str:
    """Any page template (``templates/``) with its view models: the redline, trace, blame
    and review pages and the pages that extend them (the web app and the static site)."""
    return environment().get_template(template).render(**context)
