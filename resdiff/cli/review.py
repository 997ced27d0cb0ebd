"""The `resdiff review` command: the pack before a vote.

Parse arguments, one library call (``resdiff.review.review``), render it in the chosen
format (``resdiff.render.review``).
"""

# No `from __future__ import annotations` here: typer reads every command's parameter
# annotations at each start-up, and string annotations are compiled again every run.

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resdiff.cli.app import app
from resdiff.cli.options import (
    STATE,
    ColorOption,
    EncodingOption,
    OutputOption,
    format_option,
    handle_errors,
    option,
    refuse_binary_to_terminal,
    use_color,
    write_output,
)
from resdiff.render import formats

if TYPE_CHECKING:  # --help and --version load no document model
    from resdiff.model import Document

__all__ = ["review_command"]


@app.command("review")
@handle_errors
def review_command(
    draft: Annotated[str, typer.Argument(help="The draft: a stored symbol or a file path.")],
    against: Annotated[
        str | None,
        option(
            "--against",
            help="Compare with this text (default: the series' latest adopted resolution).",
        ),
    ] = None,
    fmt: Annotated[str, format_option(formats.REVIEW)] = "text",
    output: OutputOption = None,
    scale: Annotated[
        Path | None,
        option("--scale", help="Verb-strength scale (TOML) replacing the shipped one."),
    ] = None,
    amendments: Annotated[
        bool,
        option("--amendments/--no-amendments", help="Include pending amendments."),
    ] = True,
    author: Annotated[
        str, option("--author", help="DOCX: author name on the tracked changes.")
    ] = "resdiff",
    color: ColorOption = None,
    encoding: EncodingOption = None,
) -> None:
    """Review a draft before the vote: changes since the last adopted text, provenance of
    new wording, verb strength, sponsors, references at risk, pending amendments.

    Two files (DRAFT --against OLD) are reviewed without any store when none exists:
    the OLD text is then the only precedent, and no database is created.

    Example: resdiff review A/C.3/80/L.41 --format html -o review.html
    """
    from resdiff.render.review import render_review
    from resdiff.review import review
    from resdiff.store import open_store

    refuse_binary_to_terminal(fmt, output)
    # Files named with --encoding are read here; stored symbols are looked up as ever.
    draft_doc = _read(draft, encoding)
    against_doc = _read(against, encoding) if against is not None else None
    if _two_files_without_store(draft, against):
        pack = review(None, draft_doc, against=against_doc, scale=scale, amendments=amendments)
    else:
        with open_store(STATE.db, read_only=True) as store:
            pack = review(store, draft_doc, against=against_doc, scale=scale, amendments=amendments)
    rendered = render_review(pack, fmt, color=use_color(color, output), author=author)
    write_output(rendered, output, inputs=[draft, *([against] if against else [])])


def _read(ref: str, encoding: str | None) -> "str | Document":
    """``ref`` parsed when it is a file and an encoding is given, else ``ref`` itself."""
    if encoding is None or not Path(ref).is_file():
        return ref
    from resdiff.ingest import parse_file

    return parse_file(ref, encoding=encoding)


def _two_files_without_store(draft: str, against: str | None) -> bool:
    """True when both texts are files and the default store does not exist (a store
    named with --db / RESDIFF_DB must exist: a typo there is an error, not "no store")."""
    from resdiff.store.engine import default_url, is_sqlite, sqlite_path

    if against is None or STATE.db is not None:
        return False
    if not (Path(draft).is_file() and Path(against).is_file()):
        return False
    url = default_url()
    path = sqlite_path(url) if is_sqlite(url) else None
    return path is not None and not path.exists()
