"""The top-level typer application: global options (--db, --debug, --version) and help."""

# No `from __future__ import annotations` here: typer reads every command's parameter
# annotations at each start-up, and string annotations are compiled again every run.

from typing import Annotated

import typer

from resdiff.cli.options import STATE, option

__all__ = ["app"]

app = typer.Typer(
    name="resdiff",
    help="Track how United Nations resolutions change from version to version and year to year.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from resdiff import __version__

        typer.echo(f"resdiff {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    db: Annotated[
        str | None,
        option(
            "--db",
            envvar="RESDIFF_DB",
            help="SQLAlchemy database URL (default: an SQLite file in your data folder).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        option(
            "--version",
            help="Print resdiff's version and exit.",
            is_eager=True,
            callback=_version,
        ),
    ] = False,
) -> None:
    """Track how United Nations resolutions change from version to version and year to year.

    Exit codes: 0 done, found or the same; 1 differ (diff), nothing found (history,
    agreed), files refused (ingest); 2 any error.

    Example: resdiff ingest corpus/ && resdiff list
    """
    STATE.db = db
    STATE.debug = debug
