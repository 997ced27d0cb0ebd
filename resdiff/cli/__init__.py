"""The `resdiff` command line: typer commands over the library, one module per family.

Each command parses its arguments, makes one library call, formats the answer with
``resdiff.render`` and maps errors to exit codes (``options``); importing this package
registers every command on ``app``, in the order ``--help`` lists them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
import typer

# isort: off
from resdiff.cli import documents, lineage, review, amend, web, db  # noqa: F401  (registers commands)

# isort: on
from resdiff.cli.app import app
from resdiff.cli.options import EXIT_ERROR, EXIT_INTERRUPTED

__all__ = ["app", "command", "main", "run"]


def command() -> click.Command:
    """The click command behind ``app``, every option showing an env var only if it has one
    (typer's own completion options would otherwise print "(env var: 'None')")."""
    root = typer.main.get_command(app)
    todo: list[click.Command] = [root]
    while todo:
        cmd = todo.pop()
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.envvar:
                param.show_envvar = False
        todo.extend(getattr(cmd, "commands", {}).values())
    return root


def run(args: Sequence[str] | None = None) -> int:
    """Run the command line on ``args`` (default: ``sys.argv[1:]``); the exit code.

    A usage error (an unknown option, a bad ``--format`` value) is one line on stderr
    naming the command's help, like every other error.
    """
    try:
        code = command().main(
            args=list(sys.argv[1:] if args is None else args),
            prog_name="resdiff",
            standalone_mode=False,
        )
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()
        return EXIT_ERROR
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "resdiff"
        message = exc.format_message().replace("\n", " ").rstrip(".")
        typer.echo(f"resdiff: error: {message}; see `{where} -h`", err=True)
        return EXIT_ERROR
    except click.Abort:
        typer.echo("resdiff: error: interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        typer.echo(f"resdiff: error: {exc.format_message()}", err=True)
        return exc.exit_code
    return code if isinstance(code, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
