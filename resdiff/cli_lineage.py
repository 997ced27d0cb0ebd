"""The lineage commands (series, history, trace, agreed, blame), registered on ``resdiff.cli.app``.

Each command: parse arguments, one library call (``resdiff.lineage`` / ``resdiff.search``),
format with ``resdiff.render.lineage``, errors through ``handle_errors``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from resdiff.cli import STATE, ColorOption, OutputOption, _write, app, handle_errors, use_color
from resdiff.errors import UsageError

__all__ = ["series_app"]

series_app = typer.Typer(
    help="Resolution series: versions of one text across sessions.\n\nExample: resdiff series list",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(series_app, name="series")


StoredVersion = Annotated[str, typer.Argument(help="A stored version (symbol, key, or its file).")]


class TextJson(StrEnum):
    text = "text"
    json = "json"


class TextJsonHtml(StrEnum):
    text = "text"
    json = "json"
    html = "html"


@series_app.command("list")
@handle_errors()
def series_list(
    fmt: Annotated[TextJson, typer.Option("--format", "-f", help="Output format.")] = TextJson.text,
) -> None:
    """List the series found, each with its versions in order.

    Example: resdiff series list --format json
    """
    from resdiff.lineage import ensure_lineage, list_series
    from resdiff.render.lineage import render_series_list
    from resdiff.store import open_store

    with open_store(STATE.db, create=False) as store:
        ensure_lineage(store)
        found = list_series(store)
    _write(render_series_list(found, fmt.value), None)


@series_app.command("show")
@handle_errors()
def series_show(
    ref: Annotated[
        str, typer.Argument(help="A series title, or the symbol of one of its versions.")
    ],
    fmt: Annotated[TextJson, typer.Option("--format", "-f", help="Output format.")] = TextJson.text,
) -> None:
    """Show one series: its versions in order, with kind, session and date.

    Example: resdiff series show "Situation of human rights in the Democratic People's Republic of Korea"
    """
    from resdiff.lineage import ensure_lineage, find_series
    from resdiff.render.lineage import render_series
    from resdiff.store import open_store

    with open_store(STATE.db, create=False) as store:
        ensure_lineage(store)
        found = find_series(store, ref)
    _write(render_series(found, fmt.value), None)


@series_app.command("link")
@handle_errors()
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
    _write(render_series(found, "text"), None)


@series_app.command("unlink")
@handle_errors()
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
    _write(render_series(found, "text"), None)


@app.command()
@handle_errors()
def history(
    phrase: Annotated[str, typer.Argument(help="Literal phrase (no query syntax).")],
    series: Annotated[
        str | None,
        typer.Option("--series", help="Only this series (title, or a member's symbol)."),
    ] = None,
    fuzzy: Annotated[
        float | None,
        typer.Option("--fuzzy", help="Also near-variants at this similarity (0-1), e.g. 0.85."),
    ] = None,
    fmt: Annotated[TextJson, typer.Option("--format", "-f", help="Output format.")] = TextJson.text,
    output: OutputOption = None,
) -> None:
    """First appearance of a phrase, then version by version: kept, changed or dropped.

    Example: resdiff history "prisoners of war" --format json
    """
    from resdiff.history import history as phrase_history
    from resdiff.lineage import ensure_lineage
    from resdiff.render.lineage import render_history
    from resdiff.store import open_store

    if fuzzy is not None and not 0 < fuzzy <= 1:
        raise UsageError(f"--fuzzy {fuzzy}: give a similarity between 0 and 1, e.g. 0.85")
    with open_store(STATE.db, create=False) as store:
        ensure_lineage(store)
        found = phrase_history(store, phrase, series=series, fuzzy=fuzzy)
    _write(render_history(found, fmt.value), output)


@app.command()
@handle_errors()
def trace(
    ref: StoredVersion,
    label: Annotated[str, typer.Argument(help="A unit label of that version, e.g. OP2(a)(xii).")],
    fmt: Annotated[
        TextJsonHtml, typer.Option("--format", "-f", help="Output format.")
    ] = TextJsonHtml.text,
    output: OutputOption = None,
    color: ColorOption = None,
) -> None:
    """Follow one paragraph back to its first version and forward to the latest.

    Example: resdiff trace A/RES/76/177 "OP2(a)(xii)"
    """
    from resdiff.documents import stored_key
    from resdiff.lineage import ensure_lineage
    from resdiff.lineage import trace as trace_unit
    from resdiff.render.lineage import render_trace
    from resdiff.store import open_store

    with open_store(STATE.db, create=False) as store:
        ensure_lineage(store)
        found = trace_unit(store, stored_key(store, ref), label)
    _write(render_trace(found, fmt.value, color=use_color(color, output)), output)


@app.command()
@handle_errors()
def agreed(
    wording: Annotated[str, typer.Argument(help="A phrase or a whole paragraph (literal).")],
    fmt: Annotated[TextJson, typer.Option("--format", "-f", help="Output format.")] = TextJson.text,
) -> None:
    """Adopted resolutions (not drafts), any series, already containing this wording.

    Example: resdiff agreed "full, safe and unhindered access"
    """
    from resdiff.render.lineage import render_agreed
    from resdiff.search import agreed as agreed_language
    from resdiff.store import open_store

    with open_store(STATE.db, create=False) as store:
        answer = agreed_language(store, wording)
    _write(render_agreed(answer, fmt.value), None)


@app.command()
@handle_errors()
def blame(
    ref: StoredVersion,
    fmt: Annotated[
        TextJsonHtml, typer.Option("--format", "-f", help="Output format.")
    ] = TextJsonHtml.text,
    output: OutputOption = None,
    color: ColorOption = None,
) -> None:
    """Show a text with every span marked by the version that introduced it, with a legend.

    Example: resdiff blame A/RES/78/218 --format html -o blame.html
    """
    from resdiff.documents import stored_key
    from resdiff.lineage import blame as blame_text
    from resdiff.lineage import ensure_lineage
    from resdiff.render.lineage import render_blame
    from resdiff.store import open_store

    with open_store(STATE.db, create=False) as store:
        ensure_lineage(store)
        found = blame_text(store, stored_key(store, ref))
    _write(render_blame(found, fmt.value, color=use_color(color, output)), output)
