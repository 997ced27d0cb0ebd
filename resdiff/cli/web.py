"""The browser commands: ``serve`` (the store as a local web app) and ``site`` (static pages).

The web stack (Starlette, uvicorn) is imported only inside ``serve``: every other
command starts without it.
"""

# No `from __future__ import annotations` here: typer reads every command's parameter
# annotations at each start-up, and string annotations are compiled again every run.

from pathlib import Path
from typing import Annotated

import typer

from resdiff.cli.app import app
from resdiff.cli.options import STATE, handle_errors, long_running, option

__all__ = ["serve", "site"]


@app.command()
@handle_errors
def serve(
    host: Annotated[
        str,
        option("--host", help="Address to listen on (default: this machine only)."),
    ] = "127.0.0.1",
    port: Annotated[int, option("--port", help="Port to listen on (0: any free port).")] = 8422,
    read_only: Annotated[
        bool,
        option("--read-only", help="Never store uploaded drafts, even when asked to."),
    ] = False,
) -> None:
    """Browse the store in a web browser: series, documents, redlines, phrase histories,
    traces, blame, agreed language, and review packs of uploaded drafts.

    Prints the address to open, then serves until Ctrl-C. Only this machine can connect
    unless --host says otherwise. The store is only read, except to store an uploaded
    draft when its sender ticks "store" (never with --read-only).

    Example: resdiff serve --port 8422   (then open http://127.0.0.1:8422/)
    """
    long_running()
    from resdiff.web.server import is_loopback
    from resdiff.web.server import serve as run_server

    if not 0 <= port <= 65535:
        raise typer.BadParameter(f"{port} is not a port number (0-65535)", param_hint="--port")
    if not is_loopback(host):
        typer.echo(
            f"resdiff: warning: listening on {host}: anyone who can reach this machine can "
            "read the whole store"
            + ("" if read_only else " and store drafts in it (--read-only prevents that)"),
            err=True,
        )

    def announce(url: str) -> None:
        typer.echo(url)
        typer.echo(f"resdiff: serving {STATE.db or 'the default store'}; Ctrl-C stops", err=True)

    run_server(
        STATE.db, host=host, port=port, read_only=read_only, debug=STATE.debug, announce=announce
    )


@app.command()
@handle_errors
def site(
    out_dir: Annotated[
        Path, typer.Argument(help="Folder to write the pages in (created if missing).")
    ],
) -> None:
    """Write the browse pages as static files: every series, document, consecutive
    redline and blame view, an index and a search over titles and symbols.

    Links are relative: open index.html from disk or put the folder on any web server.
    Run it again after an ingest: only pages that changed are rewritten.

    Example: resdiff site public/ && xdg-open public/index.html
    """
    long_running()
    from resdiff.cli.progress import Progress
    from resdiff.store import open_store
    from resdiff.web.site import build_site

    with open_store(STATE.db, read_only=True) as store, Progress() as progress:
        report = build_site(store, out_dir, step=progress.step)
    typer.echo(report.summary(), err=True)
