"""The `resdiff` console entry point: process-wide settings for a short-lived command."""

from __future__ import annotations

import gc
import sys
from pathlib import Path


def main() -> None:
    """Run the command line with the cyclic collector off, as a short-lived process can,
    and with a PDF parse worker already starting when a PDF file is named.

    Most of a command's objects live until it exits, so each collection walks them all
    for nothing: on the whole-corpus store the collector took 100-190 ms of a 0.7-1.6 s
    `list`, `diff` or `review`, and switching it off changed no command's peak memory.
    Commands that run long or hold a growing heap (ingest, serve, site, db upgrade) turn
    it back on (``resdiff.cli.options.long_running``). Library users are not affected.

    PDFs are read in a worker process (``resdiff.ingest.pdf_worker``) that takes a few
    hundred milliseconds to start: started first, it loads while this process imports the
    command line, instead of after.
    """
    gc.disable()
    if any(_names_a_pdf(arg) for arg in sys.argv[1:]):
        from resdiff.ingest.pdf_worker import prestart

        prestart()
    from resdiff.cli import main as run_cli

    run_cli()


def _names_a_pdf(arg: str) -> bool:
    return arg[-4:].lower() == ".pdf" and Path(arg).is_file()
