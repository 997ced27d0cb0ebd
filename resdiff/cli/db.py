"""The database commands: `resdiff db upgrade`."""

# No `from __future__ import annotations` here: typer reads every command's parameter
# annotations at each start-up, and string annotations are compiled again every run.

import typer

from resdiff.cli.app import app
from resdiff.cli.options import STATE, handle_errors

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
    """Migrate the database schema to the latest version, keeping all data.

    Example: resdiff db upgrade
    """
    from resdiff.store import upgrade

    before, after = upgrade(STATE.db)
    if before == after:
        typer.echo(f"database already at {after}", err=True)
    else:
        typer.echo(f"database upgraded from {before or 'empty'} to {after}", err=True)
