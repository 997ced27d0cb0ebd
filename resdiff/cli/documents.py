"""The document commands: ingest, list, show and diff."""

# No `from __future__ import annotations` here: typer reads every command's parameter
# annotations at each start-up, and string annotations are compiled again every run.

from pathlib import Path
from typing import Annotated

import click
import typer

from resdiff.cli.app import app
from resdiff.cli.options import (
    EXIT_INTERRUPTED,
    EXIT_NEGATIVE,
    STATE,
    ColorOption,
    EncodingOption,
    OutputOption,
    RevisionsOption,
    fail,
    format_option,
    handle_errors,
    long_running,
    option,
    policy,
    refuse_binary_to_terminal,
    use_color,
    write_output,
)
from resdiff.render import formats

__all__ = ["diff", "ingest", "list_documents", "show"]


@app.command()
@handle_errors
def ingest(
    paths: Annotated[
        # Checked by the library (one line naming the path), not by click's usage block.
        list[Path],
        typer.Argument(help="Files or folders to ingest.", readable=False, resolve_path=False),
    ],
    symbol: Annotated[
        str | None, option("--symbol", help="Symbol for a single document that lacks one.")
    ] = None,
    encoding: EncodingOption = None,
    revisions: RevisionsOption = "accept",
) -> None:
    """Parse documents (text, Markdown, PDF, DOCX, HTML) and store them.

    Exit 0 when every file is stored (or already was), 1 when some were refused (each
    named on stderr with the reason), 2 on error, 130 when interrupted. Documents are
    committed a few hundred at a time: a stopped ingest says which files are stored,
    and the same command run again finishes it.

    Example: resdiff ingest corpus/ ; resdiff ingest draft.docx --symbol A/C.3/81/L.12
    """
    long_running()
    from resdiff.batch import IngestInterrupted, expand_paths, ingest_paths
    from resdiff.cli.progress import Progress
    from resdiff.store import open_store

    files = expand_paths(paths)  # a bad path is refused before a database is created
    try:
        with open_store(STATE.db) as store, Progress() as progress:
            outcomes = ingest_paths(
                store,
                files,
                symbol=symbol,
                encoding=encoding,
                revisions=policy(revisions),
                progress=progress.update,
                step=progress.step,
            )
    except IngestInterrupted as exc:  # says which files are stored
        raise fail(str(exc), EXIT_INTERRUPTED) from None
    counts = {
        s: sum(o.status == s for o in outcomes) for s in ("stored", "already stored", "failed")
    }
    flagged = sum(bool(o.problems) for o in outcomes)
    typer.echo(
        f"{counts['stored']} stored, {counts['already stored']} already stored, "
        f"{counts['failed']} failed" + (f", {flagged} with warnings" if flagged else ""),
        err=True,
    )
    if counts["failed"]:
        raise typer.Exit(EXIT_NEGATIVE)


@app.command("list")
@handle_errors
def list_documents(
    series: Annotated[
        str | None,
        option(
            "--series",
            help="Only this series: a version's symbol, the title, or words of one title.",
        ),
    ] = None,
    session: Annotated[int | None, option("--session", help="Only this session, e.g. 79.")] = None,
    kind: Annotated[
        str | None,
        option("--kind", help="Only this kind: resolution, draft, revised draft, amendment."),
    ] = None,
    body: Annotated[
        str | None, option("--body", help="Only this body, e.g. plenary, third, First Committee.")
    ] = None,
    fmt: Annotated[str, format_option(formats.LISTING)] = "text",
) -> None:
    """List stored documents in symbol order: key, date, kind, unit and footnote counts, title.

    Titles are cut to fit a terminal, and given whole when the output goes to a file or a pipe.

    Example: resdiff list --session 80 --body third --kind draft
    """
    import sys

    from resdiff.listing import list_documents as listed
    from resdiff.render.listing import render_listing
    from resdiff.store import open_store

    with open_store(STATE.db, read_only=True) as store:
        rows = listed(store, series=series, session=session, kind=kind, body=body)
    filtered = any(x is not None for x in (series, session, kind, body))
    write_output(
        render_listing(rows, fmt, full_titles=not sys.stdout.isatty(), filtered=filtered), None
    )


@app.command()
@handle_errors
def show(
    ref: Annotated[
        str, typer.Argument(help="A file path (parsed, not stored) or a stored symbol.")
    ],
    fmt: Annotated[str, format_option(formats.DOCUMENT)] = "text",
    encoding: EncodingOption = None,
    revisions: RevisionsOption = "accept",
    output: OutputOption = None,
) -> None:
    """Show a document: metadata, sponsors, every unit with its label and lead words, footnotes.

    Example: resdiff show A/RES/76/177 --format json
    """
    from resdiff.documents import load_document
    from resdiff.render import render_document

    doc = load_document(ref, STATE.db, encoding=encoding, revisions=policy(revisions))
    write_output(render_document(doc, fmt), output, inputs=[ref])


@app.command()
@handle_errors
def diff(
    old: Annotated[str, typer.Argument(help="Old version: a file path or a stored symbol.")],
    new: Annotated[str, typer.Argument(help="New version: a file path or a stored symbol.")],
    fmt: Annotated[str, format_option(formats.COMPARISON)] = "text",
    output: OutputOption = None,
    only: Annotated[
        str,
        option(
            "--only",
            help="Show only changed paragraphs, or all.",
            click_type=click.Choice(("changed", "all")),
        ),
    ] = "all",
    hide_routine: Annotated[
        bool,
        option("--hide-routine", help="Hide changes to symbols, dates and session numbers."),
    ] = False,
    color: ColorOption = None,
    encoding: EncodingOption = None,
    revisions: RevisionsOption = "accept",
) -> None:
    """Compare two versions; exit 0 if the same, 1 if different, 2 on error (like diff).

    Example: resdiff diff A/RES/75/190 A/RES/76/177 --format html -o redline.html
    """
    from resdiff.compare import compare
    from resdiff.documents import load_document
    from resdiff.render import render

    refuse_binary_to_terminal(fmt, output)
    a = load_document(old, STATE.db, encoding=encoding, revisions=policy(revisions))
    b = load_document(new, STATE.db, encoding=encoding, revisions=policy(revisions))
    comparison = compare(a, b)
    rendered = render(
        comparison,
        fmt,
        color=use_color(color, output),
        only=None if only == "all" else only,
        hide_routine=hide_routine,
    )
    write_output(rendered, output, inputs=[old, new])
    raise typer.Exit(0 if comparison.identical else EXIT_NEGATIVE)
