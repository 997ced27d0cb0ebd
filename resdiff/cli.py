"""The `resdiff` command line: parse arguments, make one library call, format, map errors to exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from resdiff.errors import ResdiffError, UsageError

if TYPE_CHECKING:
    from resdiff.model import Comparison

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="resdiff",
    help="Track how United Nations resolutions change from version to version and year to year.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(
    help="Manage the database schema.\n\nExample: resdiff db upgrade",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(db_app, name="db")


class _State:
    db: str | None = None
    debug: bool = False


STATE = _State()


class ShowFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    md = "md"
    docx = "docx"


class Only(StrEnum):
    changed = "changed"
    all = "all"


class RevisionPolicy(StrEnum):
    accept = "accept"
    reject = "reject"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="RESDIFF_DB",
        help="SQLAlchemy database URL (default: an SQLite file in your data folder).",
        show_default=False,
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option("--encoding", help="Text encoding of plain-text inputs that are not UTF-8."),
]
RevisionsOption = Annotated[
    RevisionPolicy,
    typer.Option("--revisions", help="DOCX tracked changes: accept (default) or reject them."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of standard output."),
]
ColorOption = Annotated[
    bool | None,
    typer.Option("--color/--no-color", help="Colour terminal output (default: when a TTY)."),
]


def use_color(color: bool | None, output: Path | None) -> bool:
    """Colour when asked, else when writing to a terminal; NO_COLOR always wins."""
    wanted = color if color is not None else (output is None and sys.stdout.isatty())
    return wanted and "NO_COLOR" not in os.environ


def refuse_binary_to_terminal(fmt: StrEnum, output: Path | None) -> None:
    """A DOCX written to a terminal is noise: ask for a file instead."""
    if fmt.value == "docx" and output is None and sys.stdout.isatty():
        raise UsageError("a DOCX file is binary: pass -o FILE.docx")


def render_comparison(comparison: Comparison, fmt: DiffFormat, **options: Any) -> str | bytes:
    """The comparison in a --format: a DOCX with tracked changes, or text."""
    from resdiff.render import render
    from resdiff.render.docx_tracked import render_docx

    if fmt is DiffFormat.docx:
        return render_docx(comparison)
    return render(comparison, fmt.value, **options)


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"resdiff: error: {message}", err=True)
    return typer.Exit(code)


def handle_errors(error_code: int | None = None) -> Callable[[F], F]:
    """Turn library errors into one stderr line and an exit code (``error_code`` overrides)."""

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except (typer.Exit, typer.Abort):
                raise
            except ResdiffError as exc:
                if STATE.debug:
                    raise
                raise _fail(str(exc), error_code or exc.exit_code) from None
            except KeyboardInterrupt:
                raise _fail("interrupted", 130) from None
            except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
                if STATE.debug:
                    raise
                raise _fail(
                    f"internal error: {type(exc).__name__}: {exc} (re-run with --debug and report it)",
                    error_code or 1,
                ) from None

        return wrapper  # type: ignore[return-value]

    return deco


def _write(text: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        if isinstance(text, bytes):
            output.write_bytes(text)
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ResdiffError(f"{output}: cannot write ({exc.strerror or exc})") from exc
    typer.echo(f"wrote {output}", err=True)


@app.callback()
def main_callback(
    db: DbOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Track how United Nations resolutions change from version to version and year to year.

    Example: resdiff ingest corpus/ && resdiff list
    """
    STATE.db = db
    STATE.debug = debug


@app.command()
@handle_errors()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    symbol: Annotated[
        str | None, typer.Option("--symbol", help="Symbol for a single document that lacks one.")
    ] = None,
    encoding: EncodingOption = None,
    revisions: RevisionsOption = RevisionPolicy.accept,
) -> None:
    """Parse documents (text, Markdown, PDF, DOCX, HTML) and store them.

    Example: resdiff ingest corpus/ ; resdiff ingest draft.docx --symbol A/C.3/81/L.12
    """
    from resdiff.batch import ingest_paths
    from resdiff.cli_progress import Progress
    from resdiff.lineage import refresh_lineage
    from resdiff.search import optimize_index
    from resdiff.store import open_store

    with open_store(STATE.db) as store, Progress() as progress:
        outcomes = ingest_paths(
            store,
            paths,
            symbol=symbol,
            encoding=encoding,
            revisions=revisions.value,
            progress=progress.update,
        )
        if any(o.status == "stored" for o in outcomes):
            # New versions: regroup series and align new neighbours (stored, reused later),
            # then compact the phrase index the new units went into.
            refresh_lineage(store, progress.step)
            optimize_index(store)
    counts = {
        s: sum(o.status == s for o in outcomes) for s in ("stored", "already stored", "failed")
    }
    flagged = sum(bool(o.problems) for o in outcomes)
    typer.echo(
        f"{counts['stored']} stored, {counts['already stored']} already stored, "
        f"{counts['failed']} failed" + (f", {flagged} with structure warnings" if flagged else ""),
        err=True,
    )
    if counts["failed"]:
        raise typer.Exit(1)


@app.command("list")
@handle_errors()
def list_documents(
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ShowFormat.text,
) -> None:
    """List stored documents: symbol, date, kind, title, unit counts.

    Example: resdiff list
    """
    from resdiff.render.listing import render_listing
    from resdiff.store import open_store

    with open_store(STATE.db) as store:
        rows = store.list()
    _write(render_listing(rows, fmt.value), None)


@app.command()
@handle_errors()
def show(
    ref: Annotated[
        str, typer.Argument(help="A file path (parsed, not stored) or a stored symbol.")
    ],
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ShowFormat.text,
    encoding: EncodingOption = None,
    revisions: RevisionsOption = RevisionPolicy.accept,
    output: OutputOption = None,
) -> None:
    """Show a document: metadata, sponsors, every unit with its label and lead words, footnotes.

    Example: resdiff show A/RES/76/177 --format json
    """
    from resdiff.documents import load_document
    from resdiff.render import render_document

    doc = load_document(ref, STATE.db, encoding=encoding, revisions=revisions.value)
    _write(render_document(doc, fmt.value), output)


@app.command()
@handle_errors(error_code=2)
def diff(
    old: Annotated[str, typer.Argument(help="Old version: a file path or a stored symbol.")],
    new: Annotated[str, typer.Argument(help="New version: a file path or a stored symbol.")],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.text,
    output: OutputOption = None,
    only: Annotated[
        Only, typer.Option("--only", help="Show only changed paragraphs, or all.")
    ] = Only.all,
    hide_routine: Annotated[
        bool,
        typer.Option("--hide-routine", help="Hide changes to symbols, dates and session numbers."),
    ] = False,
    color: ColorOption = None,
    encoding: EncodingOption = None,
    revisions: RevisionsOption = RevisionPolicy.accept,
) -> None:
    """Compare two versions; exit 0 if the same, 1 if different, 2 on error (like diff).

    Example: resdiff diff A/RES/75/190 A/RES/76/177 --format html -o redline.html
    """
    from resdiff.compare import compare
    from resdiff.documents import load_document

    refuse_binary_to_terminal(fmt, output)
    a = load_document(old, STATE.db, encoding=encoding, revisions=revisions.value)
    b = load_document(new, STATE.db, encoding=encoding, revisions=revisions.value)
    comparison = compare(a, b)
    _write(
        render_comparison(
            comparison,
            fmt,
            color=use_color(color, output),
            only=None if only is Only.all else only.value,
            hide_routine=hide_routine,
        ),
        output,
    )
    raise typer.Exit(0 if comparison.identical else 1)


@db_app.command("upgrade")
@handle_errors()
def db_upgrade() -> None:
    """Migrate the database schema to the latest version, keeping all data.

    Example: resdiff db upgrade
    """
    from resdiff.store import upgrade

    before, after = upgrade(STATE.db)
    if before == after:
        typer.echo(f"database already at {after}", err=True)
    else:
        typer.echo(f"database upgraded from {before or 'empty'} to {after}", err=True)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="resdiff")


from resdiff import cli_amend as _cli_amend  # noqa: E402,F401  (registers the amend command)
from resdiff import cli_lineage as _cli_lineage  # noqa: E402,F401  (registers the lineage commands)
from resdiff import cli_review as _cli_review  # noqa: E402,F401  (registers the review command)
