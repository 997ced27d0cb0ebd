"""The `resdiff review` command, registered on ``resdiff.cli.app``: the pack before a vote.

Parse arguments, one library call (``resdiff.review.review``), render it in the chosen
format (``resdiff.render.review``); errors through ``handle_errors``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from resdiff.cli import (
    STATE,
    ColorOption,
    OutputOption,
    _write,
    app,
    handle_errors,
    refuse_binary_to_terminal,
    use_color,
)

__all__ = ["review_command"]


class ReviewFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"
    docx = "docx"


@app.command("review")
@handle_errors(error_code=2)
def review_command(
    draft: Annotated[str, typer.Argument(help="The draft: a stored symbol or a file path.")],
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="Compare with this text (default: the series' latest adopted resolution).",
        ),
    ] = None,
    fmt: Annotated[
        ReviewFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReviewFormat.text,
    output: OutputOption = None,
    scale: Annotated[
        Path | None,
        typer.Option("--scale", help="Verb-strength scale (TOML) replacing the shipped one."),
    ] = None,
    amendments: Annotated[
        bool,
        typer.Option("--amendments/--no-amendments", help="Include pending amendments."),
    ] = True,
    author: Annotated[
        str, typer.Option("--author", help="DOCX: author name on the tracked changes.")
    ] = "resdiff",
    color: ColorOption = None,
) -> None:
    """Review a draft before the vote: changes since the last adopted text, provenance of
    new wording, verb strength, sponsors, references at risk, pending amendments.

    Example: resdiff review A/C.3/80/L.41 --format html -o review.html
    """
    from resdiff.render.review import render_review, render_review_docx
    from resdiff.review import review
    from resdiff.store import open_store

    refuse_binary_to_terminal(fmt, output)
    with open_store(STATE.db, create=False) as store:
        pack = review(store, draft, against=against, scale=scale, amendments=amendments)
    if fmt is ReviewFormat.docx:
        _write(render_review_docx(pack, author=author), output)
    else:
        _write(render_review(pack, fmt.value, color=use_color(color, output)), output)
