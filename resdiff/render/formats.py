"""The output formats: one table that the command line, the Python API and the web app read.

Each format has a name (the ``--format`` value), a label for people, a media type and a
file suffix (downloads, ``-o`` suggestions), and whether it is binary. Each kind of
output lists the formats it can be rendered in, in the order offered to users.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGREED",
    "BLAME",
    "COMPARISON",
    "DOCUMENT",
    "FORMATS",
    "HISTORY",
    "LISTING",
    "REVIEW",
    "SERIES",
    "TRACE",
    "OutputFormat",
    "check_format",
    "format_named",
]


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """One output format."""

    name: str
    label: str
    media_type: str
    suffix: str
    binary: bool = False


FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("text", "Terminal text", "text/plain; charset=utf-8", ".txt"),
        OutputFormat("html", "Web page", "text/html; charset=utf-8", ".html"),
        OutputFormat("md", "Markdown", "text/markdown; charset=utf-8", ".md"),
        OutputFormat("json", "JSON", "application/json", ".json"),
        OutputFormat(
            "docx",
            "Word, with tracked changes",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
            binary=True,
        ),
    )
}

# Other names people type for the same formats.
_ALIASES = {"markdown": "md", "terminal": "text", "txt": "text", "word": "docx"}

# What each kind of output can be rendered as.
COMPARISON = ("text", "html", "md", "json", "docx")
DOCUMENT = ("text", "md", "json")
REVIEW = ("text", "html", "md", "json", "docx")
LISTING = ("text", "md", "json")
SERIES = ("text", "md", "html", "json")
HISTORY = ("text", "json")
AGREED = ("text", "json")
TRACE = ("text", "html", "json")
BLAME = ("text", "html", "json")


def format_named(name: str) -> OutputFormat:
    """The format called ``name`` (aliases accepted); ValueError if there is none."""
    found = FORMATS.get(_ALIASES.get(name, name))
    if found is None:
        raise ValueError(f"unknown format {name!r}; use one of: {', '.join(FORMATS)}")
    return found


def check_format(name: str, allowed: tuple[str, ...], what: str) -> OutputFormat:
    """The format ``name`` if ``what`` (a comparison, a review...) can be rendered in it."""
    fmt = format_named(name)
    if fmt.name not in allowed:
        raise ValueError(f"{what} cannot be rendered as {name!r}; use one of: {', '.join(allowed)}")
    return fmt
