"""What every command shares: global state, option types, error mapping and output writing.

Exit codes, one policy for every command: 0 done (or found, or the same), 1 a negative
answer that is not an error ("differ" for diff, "nothing found" for history and agreed,
"some files refused" for ingest, "some instructions not applied" for amend), 2 any
error (bad arguments, a missing or damaged store, a bad reference), 130 interrupted.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import click
import typer

from resdiff.errors import ResdiffError, UsageError
from resdiff.render import formats

if TYPE_CHECKING:
    from resdiff.ingest import Revisions

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_NEGATIVE",
    "STATE",
    "ColorOption",
    "EncodingOption",
    "OutputOption",
    "RevisionsOption",
    "State",
    "fail",
    "format_option",
    "handle_errors",
    "option",
    "policy",
    "refuse_binary_to_terminal",
    "use_color",
    "write_output",
]

EXIT_NEGATIVE = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """Global options, set by the top-level callback before any command runs."""

    db: str | None = None
    debug: bool = False


STATE = State()


def option(*decls: str, **kwargs: Any) -> Any:
    """``typer.Option`` without typer's "(env var: 'None')" in error messages: the env var is
    shown only for options that have one."""
    kwargs.setdefault("show_envvar", "envvar" in kwargs)
    return typer.Option(*decls, **kwargs)


def format_option(allowed: tuple[str, ...], help: str = "Output format.") -> Any:
    """``--format/-f`` limited to the formats this output can be rendered in (the table in
    ``resdiff.render.formats``)."""
    return option("--format", "-f", help=help, click_type=click.Choice(allowed))


EncodingOption = Annotated[
    str | None,
    option("--encoding", help="Text encoding of plain-text inputs that are not UTF-8."),
]
RevisionsOption = Annotated[
    str,
    option(
        "--revisions",
        help="DOCX tracked changes: accept (default) or reject them.",
        click_type=click.Choice(("accept", "reject")),
    ),
]
OutputOption = Annotated[
    Path | None,
    option(
        "--output",
        "-o",
        help="Write to this file (replaced whole, only once complete); - for standard output.",
    ),
]


def policy(revisions: str) -> Revisions:
    """The DOCX revision policy named by ``--revisions``."""
    return "reject" if revisions == "reject" else "accept"


ColorOption = Annotated[
    bool | None,
    option("--color/--no-color", help="Colour terminal output (default: when a TTY)."),
]


def _to_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def use_color(color: bool | None, output: Path | None) -> bool:
    """Colour when asked, else when writing to a terminal; NO_COLOR always wins."""
    wanted = color if color is not None else (_to_stdout(output) and sys.stdout.isatty())
    return wanted and "NO_COLOR" not in os.environ


def refuse_binary_to_terminal(fmt: str, output: Path | None) -> None:
    """A binary format (DOCX) written to a terminal is noise: ask for a file instead."""
    if formats.format_named(fmt).binary and _to_stdout(output) and sys.stdout.isatty():
        raise UsageError(f"a {fmt.upper()} file is binary: pass -o FILE.{fmt}, or pipe it")


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """Print ``resdiff: error: message`` on stderr; the Exit to raise."""
    typer.echo(f"resdiff: error: {message}", err=True)
    return typer.Exit(code)


def long_running() -> None:
    """Turn the cyclic garbage collector back on for a command that runs long or grows its
    heap (the console entry point starts with it off). What was built before, the
    imported modules and the command line, is frozen out of every later collection.
    A process that kept its collector on (the command line called from Python) is left
    as it is: freezing there would keep its earlier garbage for good."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def handle_errors(fn: F) -> F:
    """Turn every failure into one stderr line and exit code 2 (130 when interrupted);
    ``--debug`` shows the traceback instead."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _stale_alignments()  # what an earlier command in this process found is not ours
        try:
            result = fn(*args, **kwargs)
            _note_stale_alignments()
            return result
        except typer.Exit:
            _note_stale_alignments()
            raise
        except typer.Abort:
            raise
        except ResdiffError as exc:
            if STATE.debug:
                raise
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted", EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`resdiff diff ... | head`): nothing more to say.
            _silence_stdout()
            raise typer.Exit(EXIT_ERROR) from None
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            if STATE.debug:
                raise
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} (re-run with --debug and report it)"
            ) from None

    return wrapper  # type: ignore[return-value]


def _stale_alignments() -> int:
    # Only where lineage was used: the module is imported by the commands that align.
    lineage = sys.modules.get("resdiff.lineage")
    return int(lineage.take_stale_alignments()) if lineage is not None else 0


def _note_stale_alignments() -> None:
    count = _stale_alignments()
    if count:
        print(
            f"note: {count} stored alignment{'s' if count > 1 else ''} of consecutive versions "
            "were made by another version of the aligner and computed again for this command; "
            "`resdiff db upgrade` stores them, and later commands are faster",
            file=sys.stderr,
        )


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def write_output(data: str | bytes, output: Path | None, *, inputs: Sequence[str] = ()) -> None:
    """Write ``data`` to standard output (no ``-o``, or ``-o -``) or to the file ``output``.

    A file is written beside its target and renamed over it only once complete, so a
    failure (a full disk) leaves the previous file as it was; a target that is one of
    the ``inputs`` (the documents being compared) is refused before anything is written.
    """
    if _to_stdout(output):
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data if data.endswith("\n") else data + "\n")
            sys.stdout.flush()
        return
    assert output is not None
    target = Path(os.path.realpath(output))  # write through a symbolic link, not over it
    _refuse_input(output, target, inputs)
    if target.is_dir():
        raise UsageError(f"{output}: is a folder; give a file name for -o")
    payload = data if isinstance(data, bytes) else data.encode("utf-8")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(tmp, "xb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ResdiffError(
            f"{output}: cannot write ({exc.strerror or exc}); any previous file is unchanged"
        ) from exc
    typer.echo(f"wrote {output}", err=True)


def _refuse_input(output: Path, target: Path, inputs: Sequence[str]) -> None:
    for ref in inputs:
        if os.path.exists(ref) and os.path.realpath(ref) == str(target):
            raise UsageError(
                f"-o {output} is one of the inputs: it would be overwritten; choose another file"
            )
