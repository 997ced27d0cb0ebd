"""The lineage commands: series, history, trace, agreed and blame.

Each command: parse arguments, one library call (``resdiff.lineage``, ``resdiff.history``,
``resdiff.search``; they group new documents into series themselves), format with
``resdiff.render.lineage``.
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
    OutputOption,
    format_option,
    handle_errors,
    option,
    use_color,
    write_output,
)
from resdiff.errors import UsageError
from resdiff.render import formats

__all__ = ["series_app"]

series_app = typer.Typer(
    help="Resolution series: versions of one text across sessions.\n\nExample: resdiff series list",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(series_app, name="series")


StoredVersion = Annotated[str, typer.Argument(help="A stored version (symbol, key, or its file).")]


@series_app.command("list")
@handle_errors
def series_list(
    fmt: Annotated[str, format_option(formats.SERIES)] = "text",
) -> None:
    """List the series found, each with its versions in order.

    Example: resdiff series list --format json
    """
    from resdiff.lineage import list_series
    from resdiff.render.lineage import render_series_list
    from resdiff.store import open_store

    with open_store(STATE.db, read_only=True) as store:
        found = list_series(store)
    write_output(render_series_list(found, fmt), None)


@series_app.command("show")
@handle_errors
def series_show(
    ref: Annotated[
        str,
        typer.Argument(
            help="A series title, words found in one series' title only, or a version's symbol."
        ),
    ],
    fmt: Annotated[str, format_option(formats.SERIES)] = "text",
) -> None:
    """Show one series: its versions in order, with kind, session and date.

    Example: resdiff series show "Situation of human rights in the Democratic People's Republic of Korea"
    """
    from resdiff.lineage import find_series
    from resdiff.render.lineage import render_series
    from resdiff.store import open_store

    with open_store(STATE.db, read_only=True) as store:
        found = find_series(store, ref)
    write_output(render_series(found, fmt), None)


@series_app.command("link")
@handle_errors
def series_link(
    anchor: Annotated[str, typer.Argument(help="A stored version already in the series.")],
    member: Annotated[str, typer.Argument(help="The stored version to put in that series.")],
) -> None:
    """Put a version in another version's series by hand (kept across re-ingest).

    Example: resdiff series link A/C.3/80/L.41 A/RES/80/210
    """
    from resdiff.lineage import link
    from resdiff.render.lineage import render_series
    from resdiff.store import open_store

    with open_store(STATE.db, create=False) as store:
        found = link(store, anchor, member)
    write_output(render_series(found, "text"), None)


@series_app.command("unlink")
@handle_errors
def series_unlink(
    anchor: Annotated[str, typer.Argument(help="A stored version of the series.")],
    member: Annotated[str, typer.Argument(help="The stored version to take out of it.")],
) -> None:
    """Take a version out of a series by hand (kept across re-ingest).

    Example: resdiff series unlink A/RES/78/198 A/RES/79/171
    """
    from resdiff.lineage import unlink
    from resdiff.render.lineage import render_series
    from resdiff.store import open_store

    with open_store(STATE.db, create=False) as store:
        found = unlink(store, anchor, member)
    write_output(render_series(found, "text"), None)


@app.command()
@handle_errors
def history(
    phrase: Annotated[str, typer.Argument(help="Literal phrase (no query syntax).")],
    series: Annotated[
        str | None,
        option(
            "--series",
            help="Only this series: a version's symbol, the title, or words of one title.",
        ),
    ] = None,
    fuzzy: Annotated[
        float | None,
        option("--fuzzy", help="Also near-variants at this similarity (0-1), e.g. 0.85."),
    ] = None,
    fmt: Annotated[str, format_option(formats.HISTORY)] = "text",
    output: OutputOption = None,
) -> None:
    """First appearance of a phrase, then version by version: kept, changed or dropped.

    Exit 0 when the phrase is found, 1 when it is in no stored version (like grep), 2 on error.

    Example: resdiff history "prisoners of war" --format json
    """
    from resdiff.history import history as phrase_history
    from resdiff.render.lineage import render_history
    from resdiff.search import asked_phrase
    from resdiff.store import open_store

    asked_phrase(phrase)
    if fuzzy is not None and not 0 < fuzzy <= 1:
        raise UsageError(f"--fuzzy {fuzzy}: give a similarity between 0 and 1, e.g. 0.85")
    with open_store(STATE.db, read_only=True) as store:
        found = phrase_history(store, phrase, series=series, fuzzy=fuzzy)
    write_output(render_history(found, fmt), output)
    if found.first is None:
        raise typer.Exit(EXIT_NEGATIVE)


@app.command()
@handle_errors
def trace(
    ref: StoredVersion,
    label: Annotated[
        str,
        typer.Argument(
            help="A paragraph of that version: OP2(a)(xii), op 3, paragraph 3 (operative), "
            "third preambular paragraph."
        ),
    ],
    fmt: Annotated[str, format_option(formats.TRACE)] = "text",
    output: OutputOption = None,
    color: ColorOption = None,
) -> None:
    """Follow one paragraph back to its first version and forward to the latest.

    Example: resdiff trace A/RES/76/177 "OP2(a)(xii)"
    """
    from resdiff.documents import stored_key
    from resdiff.lineage import trace as trace_unit
    from resdiff.render.lineage import render_trace
    from resdiff.store import open_store

    with open_store(STATE.db, read_only=True) as store:
        found = trace_unit(store, stored_key(store, ref), label)
    write_output(render_trace(found, fmt, color=use_color(color, output)), output)


@app.command()
@handle_errors
def agreed(
    wording: Annotated[str, typer.Argument(help="A phrase or a whole paragraph (literal).")],
    fmt: Annotated[str, format_option(formats.AGREED)] = "text",
) -> None:
    """Adopted resolutions (not drafts), any series, already containing this wording.

    Exit 0 when some adopted resolution has it, 1 when none has (like grep), 2 on error.

    Example: resdiff agreed "full, safe and unhindered access"
    """
    from resdiff.render.lineage import render_agreed
    from resdiff.search import agreed as agreed_language
    from resdiff.search import asked_phrase
    from resdiff.store import open_store

    asked_phrase(wording)
    with open_store(STATE.db, read_only=True) as store:
        answer = agreed_language(store, wording)
    write_output(render_agreed(answer, fmt), None)
    if not answer.found:
        raise typer.Exit(EXIT_NEGATIVE)


@app.command()
@handle_errors
def blame(
    ref: StoredVersion,
    fmt: Annotated[str, format_option(formats.BLAME)] = "text",
    output: OutputOption = None,
    color: ColorOption = None,
) -> None:
    """Show a text with every span marked by the version that introduced it, with a legend.

    Example: resdiff blame A/RES/78/218 --format html -o blame.html
    """
    from resdiff.documents import stored_key
    from resdiff.lineage import blame as blame_text
    from resdiff.render.lineage import render_blame
    from resdiff.store import open_store

    with open_store(STATE.db, read_only=True) as store:
        found = blame_text(store, stored_key(store, ref))
    write_output(render_blame(found, fmt, color=use_color(color, output)), output)
