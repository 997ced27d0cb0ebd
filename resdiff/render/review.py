"""The review pack in every format: HTML page, Markdown, terminal text, JSON, tracked-changes DOCX.

Text formats read ``review_view.ReviewView`` (sentences composed once); JSON is the
``resdiff.review`` v1 contract (schema ``resdiff/schemas/review.schema.json``) built
from the pack itself; DOCX is the comparison with Word tracked changes against the
last adopted text (``docx_tracked``).
"""

from __future__ import annotations

from typing import Any, Literal, overload

from resdiff.render.formats import REVIEW, check_format
from resdiff.render.jsonout import comparison_to_json, dumps, plain_json, side_json
from resdiff.render.review_view import Note, ReviewView, build_review_view
from resdiff.render.words import counted
from resdiff.review.pack import ReviewPack
from resdiff.review.provenance import Precedent

# Each format's renderer is imported when that format is asked for (start-up time).

__all__ = ["REVIEW_FORMATS", "render_review", "render_review_docx", "review_to_json"]

REVIEW_FORMATS = REVIEW
REVIEW_FORMAT = "resdiff.review"
VERSION = 1

_NOTE_STYLE = {"new": "bold", "longstanding": "del", "softened": "del", "strengthened": "ins"}


# --- JSON ------------------------------------------------------------------------------


def _precedent(p: Precedent | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"symbol": p.symbol, "key": p.key, "label": p.label, "date": plain_json(p.date)}


def review_to_json(pack: ReviewPack) -> dict[str, Any]:
    """The ``resdiff.review`` contract: the comparison, then the notes on each change."""
    from resdiff.amend import report_json

    c = pack.comparison
    s = pack.summary()
    notes = []
    for n in pack.notes:
        p = c.pairs[n.pair]
        notes.append(
            {
                "pair": n.pair,
                "kind": p.kind.value,
                "old": list(p.old),
                "new": list(p.new),
                "routine": p.routine,
                "provenance": [
                    {
                        "label": x.label,
                        "inserted": x.run.inserted,
                        "deleted": x.run.deleted,
                        "query": x.query,
                        "status": x.status,
                        "count": x.count,
                        "earliest": _precedent(x.earliest),
                        "latest": _precedent(x.latest),
                        "clauses": [
                            {
                                "text": cl.text,
                                "count": cl.count,
                                "earliest": _precedent(cl.earliest),
                                "latest": _precedent(cl.latest),
                            }
                            for cl in x.clauses
                        ],
                    }
                    for x in n.provenance
                ],
                "longstanding_deleted": [
                    {
                        "query": ls.query,
                        "versions": ls.versions,
                        "since": ls.since,
                        "since_earliest_stored": ls.since_earliest,
                    }
                    for ls in n.longstanding
                ],
                "strength": [
                    {
                        "group": x.group,
                        "old_term": x.old_term,
                        "new_term": x.new_term,
                        "old_rank": x.old_rank,
                        "new_rank": x.new_rank,
                        "direction": x.direction,
                    }
                    for x in n.strength
                ],
                "crossrefs": [
                    {
                        "unit": r.unit,
                        "text": r.text,
                        "printed": r.printed,
                        "old_target": r.old_target,
                        "new_target": r.new_target,
                        "reason": r.reason,
                        "explanation": r.explanation,
                    }
                    for r in n.crossrefs
                ],
            }
        )
    sp = pack.sponsors
    return {
        "format": REVIEW_FORMAT,
        "version": VERSION,
        "draft": side_json(c.new),
        "baseline": side_json(c.old),
        "baseline_how": pack.baseline_how,
        "precedent": pack.precedent,
        "series": pack.series_title,
        "settings": plain_json(pack.settings),
        "summary": {k: getattr(s, k) for k in s.__dataclass_fields__},
        "notes": notes,
        "sponsors": {
            "sponsors": list(sp.sponsors),
            "previous_draft": sp.previous,
            "joined": list(sp.diff.joined) if sp.diff else None,
            "left": list(sp.diff.left) if sp.diff else None,
            "unchanged": list(sp.diff.unchanged) if sp.diff else None,
        },
        "amendments": [
            {
                "symbol": a.amendment.metadata.symbol or a.amendment.key,
                "report": report_json(a.result),
                "reflected": [
                    {"status": r.status, "detail": r.detail, "applied": r.outcome.applied}
                    for r in a.reflected
                ],
            }
            for a in pack.amendments
        ],
        "comparison": comparison_to_json(c),
    }


# --- terminal text -----------------------------------------------------------------------


def _figures(lines: tuple[Any, ...]) -> str:
    return "; ".join(f"{x.count} {x.label}" for x in lines if x.count) or "none"


def _note_lines(notes: tuple[Note, ...], width: int, color: bool) -> list[str]:
    from resdiff.render.terminal import wrap_segments

    out: list[str] = []
    for n in notes:
        out += wrap_segments(
            [(_NOTE_STYLE.get(n.kind, "bold"), f"• {n.tag}:"), (None, f" {n.text}")],
            width,
            "      ",
            color,
            first="    ",
        )
    return out


def _text(v: ReviewView, color: bool, width: int) -> str:
    from resdiff.render.terminal import doc_lines, paint, pair_lines, wrap_segments

    out = wrap_segments([("bold", f"Review of {v.draft_name}")], width, "  ", color, first="")
    out += doc_lines("Draft:   ", v.draft, width, color)
    out += doc_lines("Against: ", v.baseline, width, color)
    out += wrap_segments([(None, f"Baseline: {v.baseline_how}.")], width, "  ", False, first="")
    out += wrap_segments(
        [(None, f"Precedent searched: {v.precedent}.")], width, "  ", False, first=""
    )
    if v.series:
        out += wrap_segments([(None, f"Series: {v.series}")], width, "  ", False, first="")
    out += ["", paint("bold", "== Summary ==", color)]
    out += wrap_segments([(None, f"Paragraphs: {_figures(v.summary)}.")], width, "  ", color)
    out += wrap_segments([(None, f"To look at: {_figures(v.attention)}.")], width, "  ", color)
    out += wrap_segments(
        [(None, "Legend: {+inserted+} [-deleted-]; each change is followed by its notes.")],
        width,
        "  ",
        False,
    )
    out += ["", paint("bold", "== Changes, in document order ==", color)]
    pairs = [r.pair for r in v.redline.rows if r.pair is not None]
    if not pairs:
        out.append("No paragraph changed.")
    for p in pairs:
        out += pair_lines(p, width, color)
        out += _note_lines(v.notes.get(p.index, ()), width, color)
    out += ["", paint("bold", "== Sponsors ==", color)]
    out += _sponsor_text(v, width)
    if v.amendments:
        out += ["", paint("bold", "== Amendments pending ==", color)]
        for a in v.amendments:
            head = f"{a.symbol}: {a.applied} of {a.operations} operations apply"
            if a.reflected:
                head += f"; the adopted text: {a.reflected}"
            out += wrap_segments([("bold", head)], width, "    ", color, first="")
            for line in (*a.report, *a.reflections):
                out += wrap_segments([(None, line)], width, "      ", False, first="    ")
    return "\n".join(out) + "\n"


def _sponsor_text(v: ReviewView, width: int) -> list[str]:
    from resdiff.render.terminal import wrap_segments

    if not v.sponsors_previous:
        lines = [
            f"{counted(len(v.sponsors), 'sponsor')}: {', '.join(v.sponsors) or 'none listed'}.",
            "No earlier draft of this series is stored, so joined/left cannot be told.",
        ]
    elif v.sponsors_note:
        lines = [f"0 sponsors: none listed. {v.sponsors_note}"]
    else:
        lines = [
            f"Against {v.sponsors_previous}: {len(v.joined)} joined, {len(v.left)} left, "
            f"{v.unchanged_sponsors} unchanged.",
            f"Joined: {', '.join(v.joined) or 'none'}.",
            f"Left: {', '.join(v.left) or 'none'}.",
        ]
    out: list[str] = []
    for line in lines:
        out += wrap_segments([(None, line)], width, "    ", False, first="  ")
    return out


# --- Markdown --------------------------------------------------------------------------


def _markdown(v: ReviewView) -> str:
    from resdiff.render.markdown import escape_md, pair_block

    name = escape_md(v.draft_name)
    out = [
        f"# Review of {name}",
        "",
        f"Against **{escape_md(v.baseline.symbol or v.baseline.key)}**: "
        f"{escape_md(v.baseline_how)}." + (f" Series: {escape_md(v.series)}." if v.series else ""),
        "",
        f"Precedent searched: {escape_md(v.precedent)}.",
        "",
        "## Summary",
        "",
    ]
    out += [f"- {x.count} {escape_md(x.label)}" for x in v.summary if x.count]
    out += ["", "**To look at:**", ""]
    out += [f"- {x.count} {escape_md(x.label)}" for x in v.attention if x.count] or ["- nothing"]
    out += ["", "Legend: {+**inserted**+} · [-~~deleted~~-]", "", "## Changes", ""]
    for row in v.redline.rows:
        if row.pair is None:
            continue
        out += pair_block(row.pair)
        out += [
            f"- *{escape_md(n.tag)}:* {escape_md(n.text)}" for n in v.notes.get(row.pair.index, ())
        ]
        out.append("")
    out += ["## Sponsors", ""]
    out += [escape_md(line.strip()) for line in _sponsor_text(v, 10_000)]
    if v.amendments:
        out += ["", "## Amendments pending", ""]
        for a in v.amendments:
            out.append(f"### {escape_md(a.symbol)}: {a.applied} of {a.operations} operations apply")
            out.append("")
            out += [f"- {escape_md(line)}" for line in (*a.report, *a.reflections)]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- entry points ----------------------------------------------------------------------


@overload
def render_review(
    pack: ReviewPack,
    fmt: Literal["docx"],
    *,
    color: bool = ...,
    width: int = ...,
    author: str = ...,
) -> bytes: ...


@overload
def render_review(
    pack: ReviewPack,
    fmt: Literal["text", "html", "md", "json", "markdown", "terminal"] = ...,
    *,
    color: bool = ...,
    width: int = ...,
    author: str = ...,
) -> str: ...


@overload
def render_review(
    pack: ReviewPack, fmt: str, *, color: bool = ..., width: int = ..., author: str = ...
) -> str | bytes: ...


def render_review(
    pack: ReviewPack,
    fmt: str = "text",
    *,
    color: bool = False,
    width: int = 80,
    author: str = "resdiff",
) -> str | bytes:
    """The review pack in one format of ``formats.REVIEW``: text for all but "docx", whose
    bytes are the draft with Word tracked changes by ``author`` against the adopted text."""
    kind = check_format(fmt, REVIEW_FORMATS, "a review pack").name
    if kind == "docx":
        return render_review_docx(pack, author=author)
    if kind == "json":
        return dumps(review_to_json(pack))
    view = build_review_view(pack)
    if kind == "html":
        from resdiff.render.html import environment

        return environment().get_template("review.html").render(view=view)
    if kind == "md":
        return _markdown(view)
    return _text(view, color, width)


def render_review_docx(pack: ReviewPack, *, author: str = "resdiff") -> bytes:
    """The draft as a Word document tracking its changes against the last adopted text,
    each review note a Word comment anchored at the change it is about."""
    from resdiff.render.docx_tracked import render_docx

    notes = build_review_view(pack).notes
    comments = {i: [(n.tag, n.text) for n in ns] for i, ns in notes.items()}
    return render_docx(
        pack.comparison,
        author=author,
        comments=comments,
        note=f"Precedent searched: {pack.precedent}.",
    )
