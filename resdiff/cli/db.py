"""The database commands: `resdiff db upgrade`, `db check` and `db backup`."""

# No `from __future__ import annotations` here: typer reads every command's parameter
# annotations at each start-up, and string annotations are compiled again every run.

from pathlib import Path
from typing import Annotated

import typer

from resdiff.cli.app import app
from resdiff.cli.options import EXIT_ERROR, STATE, fail, handle_errors, long_running

__all__ = ["db_app"]

db_app = typer.Typer(
    help="Manage the database.\n\nExample: resdiff db upgrade",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
@handle_errors
def db_upgrade() -> None:
    """Migrate the database schema to the latest version, keeping all data, and align
    again the versions this resdiff would align differently (its settings changed).

    A damaged SQLite file is refused before anything is written (restore a backup).

    Example: resdiff db upgrade
    """
    long_running()
    from resdiff.cli.progress import Progress
    from resdiff.lineage import refresh_lineage
    from resdiff.store import open_store, upgrade

    before, after = upgrade(STATE.db)
    if before == after:
        typer.echo(f"database already at {after}", err=True)
    else:
        typer.echo(f"database upgraded from {before or 'empty'} to {after}", err=True)
    # Lineage answers read stored alignments; ones made with other settings would be
    # computed again by every command that needs them, and never stored.
    with open_store(STATE.db) as store, Progress() as progress:
        report = refresh_lineage(store, progress.step)
    if report.computed:
        typer.echo(
            f"aligned {report.computed} pairs of consecutive versions again "
            f"({report.reused} were current)",
            err=True,
        )


@db_app.command("check")
@handle_errors
def db_check() -> None:
    """Check the database: integrity (SQLite's full check) and schema version. Never writes.

    Exit 0 when sound and current; 2 when damaged or behind (the error line says what to do).

    Example: resdiff db check
    """
    from resdiff.store.health import check

    health = check(STATE.db)
    for line in health.lines():
        typer.echo(line)
    problem = health.problem()
    if problem is not None:
        raise fail(problem, EXIT_ERROR)


@db_app.command("backup")
@handle_errors
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy (replaced once complete).")],
) -> None:
    """Copy a SQLite database to FILE while others go on reading it: one consistent
    snapshot, written beside FILE and renamed over it only once complete and checked.
    PostgreSQL: use pg_dump.

    Example: resdiff db backup resdiff-2025-12-03.db
    """
    from resdiff.store.health import backup

    written = backup(STATE.db, file)
    size = written.stat().st_size / 2**20
    typer.echo(f"backed up to {file} ({size:.1f} MB)", err=True)
