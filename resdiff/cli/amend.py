"""The `resdiff amend` command: a draft as amended, as a redline.

Parse arguments, one library call (``resdiff.amend.amend``), render the comparison of the
draft with the amended draft; the report of instructions goes to stderr (text, md, html)
or into the JSON under ``amendments``.
"""

# No `from __future__ import annotations` here: typer reads every command's parameter
# annotations at each start-up, and string annotations are compiled again every run.

from typing import Annotated

import typer

from resdiff.cli.app import app
from resdiff.cli.options import (
    EXIT_NEGATIVE,
    STATE,
    ColorOption,
    EncodingOption,
    OutputOption,
    format_option,
    handle_errors,
    option,
    refuse_binary_to_terminal,
    use_color,
    write_output,
)
from resdiff.render import formats

__all__ = ["amend_command"]


@app.command("amend")
@handle_errors
def amend_command(
    draft: Annotated[str, typer.Argument(help="The draft: a file path or a stored symbol.")],
    amendments: Annotated[
        list[str], typer.Argument(help="Amendment documents: file paths or stored symbols.")
    ],
    fmt: Annotated[str, format_option(formats.COMPARISON)] = "text",
    output: OutputOption = None,
    force: Annotated[
        bool,
        option("--force", help="Apply even if an amendment names another draft."),
    ] = False,
    color: ColorOption = None,
    encoding: EncodingOption = None,
) -> None:
    """Apply amendments to their draft and show the amended draft as a redline against it.

    Exit 0 when every instruction applied, 1 when some could not be (each reported with
    the reason), 2 on error. JSON output is {"comparison": ..., "amendments": ...}.

    Example: resdiff amend A/C.3/80/L.2 A/C.3/80/L.56 --format html -o amended.html
    """
    from resdiff.amend import amend, report_json, report_lines
    from resdiff.compare import compare
    from resdiff.documents import load_document
    from resdiff.render import comparison_to_json, render
    from resdiff.render.jsonout import dumps

    refuse_binary_to_terminal(fmt, output)
    base = load_document(draft, STATE.db, encoding=encoding)
    docs = [load_document(a, STATE.db, encoding=encoding) for a in amendments]
    result = amend(base, docs, force=force)
    comparison = compare(result.draft, result.amended)
    inputs = [draft, *amendments]
    if fmt == "json":
        data = {"comparison": comparison_to_json(comparison), "amendments": report_json(result)}
        write_output(dumps(data), output, inputs=inputs)
    else:
        rendered = render(comparison, fmt, color=use_color(color, output))
        write_output(rendered, output, inputs=inputs)
        for line in report_lines(result):
            typer.echo(f"resdiff: amend: {line}", err=True)
    raise typer.Exit(0 if result.all_applied else EXIT_NEGATIVE)
