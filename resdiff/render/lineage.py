"""Lineage output: series lists, phrase histories, unit traces, blame and agreed language.

Each renderer is a pure function of the lineage objects (``resdiff.lineage``,
``resdiff.search``) to text, JSON or HTML; nothing is recomputed here.

    render_series_list(series, fmt) / render_series(series, fmt)
    render_history(history, fmt) ; history_to_json(history) -> dict (history.schema.json)
    render_trace(trace, fmt, color=False) ; render_blame(blame, fmt, color=False)
    render_agreed(answer, fmt)
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from resdiff.model import Pair, SpanOp, StoredMember, StoredSeries
from resdiff.render import formats
from resdiff.render.markdown import escape_md
from resdiff.render.terminal import Seg, wrap_segments
from resdiff.render.words import counted

if TYPE_CHECKING:
    # Types only: importing them would load the store and the aligner into every
    # command that renders a series list.
    from resdiff.history import History
    from resdiff.lineage import Blame, Trace
    from resdiff.search import AgreedAnswer, Occurrence

__all__ = [
    "PALETTE",
    "history_to_json",
    "render_agreed",
    "render_blame",
    "render_history",
    "render_series",
    "render_series_list",
    "render_trace",
]

WIDTH = 80
# Blame colours cycle through this many classes (templates/lineage.css) and ANSI codes.
PALETTE = 8
_ANSI = ["33", "36", "35", "32", "34", "31", "93", "96"]
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _iso(when: date | None) -> str | None:
    return when.isoformat() if when else None


def _name(m: StoredMember | Occurrence) -> str:
    return m.symbol or m.key


def _member_json(m: StoredMember) -> dict[str, Any]:
    return {
        "symbol": _name(m),
        "key": m.key,
        "kind": m.kind,
        "session": m.session,
        "date": _iso(m.date),
    }


def _check(fmt: str, allowed: Sequence[str]) -> None:
    if fmt not in allowed:
        raise ValueError(f"format {fmt!r} is not one of {', '.join(allowed)}")


def _para(text: str, indent: str = "  ", first: str = "") -> list[str]:
    return wrap_segments([(None, text)], WIDTH, indent, False, first=first)


# --- series ------------------------------------------------------------------------------


def _series_view(s: StoredSeries) -> dict[str, Any]:
    """A series as plain data: its full-text versions in order, and its amendments apart,
    each naming the version it amends (``amends``: that version's key, null when the
    draft it names is not stored). Amendments hold instructions: never versions."""
    from resdiff.lineage import outline  # the series logic, not needed to render anything else

    entries, orphans = outline(s)
    amendments = [
        {**_member_json(a), "amends": e.version.key, "draft_symbol": a.draft_symbol}
        for e in entries
        for a in e.amendments
    ] + [{**_member_json(a), "amends": None, "draft_symbol": a.draft_symbol} for a in orphans]
    return {
        "key": s.key,
        "title": s.title,
        "versions": [_member_json(e.version) for e in entries],
        "amendments": amendments,
    }


def _amended(view: dict[str, Any], key: str | None) -> list[dict[str, Any]]:
    return [a for a in view["amendments"] if a["amends"] == key]


def _member_line(m: dict[str, Any]) -> str:
    session = str(m["session"]) if m["session"] is not None else "?"
    return f"{m['symbol']:<24} {m['kind']:<14} session {session:<4} {m['date'] or ''}".rstrip()


def _series_text(view: dict[str, Any], *, listed: bool) -> list[str]:
    versions, amendments = view["versions"], view["amendments"]
    if listed:
        lines = _para(view["title"] or view["key"])
        lines += _para(" → ".join(v["symbol"] for v in versions), "    ", "  ")
        if amendments:
            named = ", ".join(
                a["symbol"] + (f" (to {a['draft_symbol']})" if a["draft_symbol"] else "")
                for a in amendments
            )
            lines += _para(f"amendments: {named}", "    ", "  ")
        return lines
    lines = _para(f"Series: {view['title'] or view['key']}")
    extra = (
        f"; {counted(len(amendments), 'amendment')}, each under the draft it amends"
        if amendments
        else ""
    )
    lines.append(f"{counted(len(versions), 'version')}, oldest first{extra}:")
    for n, v in enumerate(versions, 1):
        lines.append(f"{n:>3}. {_member_line(v)}")
        lines += [f"       ↳ {_member_line(a)}" for a in _amended(view, v["key"])]
    orphans = _amended(view, None)
    if orphans:
        lines.append("Amendments to drafts that are not stored:")
        lines += [
            f"       ↳ {_member_line(a)} (amends {a['draft_symbol'] or 'an unnamed draft'})"
            for a in orphans
        ]
    return lines


def _series_md(view: dict[str, Any]) -> list[str]:
    lines = [f"## {escape_md(view['title'] or view['key'])}", ""]
    lines.append(f"Series key: `{view['key']}`")
    lines.append("")
    for n, v in enumerate(view["versions"], 1):
        lines.append(f"{n}. {_md_member(v)}")
        lines += [f"    - amendment {_md_member(a)}" for a in _amended(view, v["key"])]
    orphans = _amended(view, None)
    if orphans:
        lines += ["", "Amendments to drafts that are not stored:", ""]
        lines += [
            f"- {_md_member(a)}, amends {escape_md(a['draft_symbol'] or 'an unnamed draft')}"
            for a in orphans
        ]
    return [*lines, ""]


def _md_member(m: dict[str, Any]) -> str:
    session = f", session {m['session']}" if m["session"] is not None else ""
    return (
        f"**{escape_md(m['symbol'])}** ({escape_md(m['kind'])}{session}, {m['date'] or 'undated'})"
    )


def render_series_list(series: Sequence[StoredSeries], fmt: str = "text") -> str:
    """Every series with its full-text versions in order, and its amendments apart."""
    _check(fmt, formats.SERIES)
    views = [_series_view(s) for s in series]
    if fmt == "json":
        return _dump(views)
    multi = sum(len(v["versions"]) > 1 for v in views)
    head = f"{len(series)} series ({multi} with two or more versions)"
    if fmt == "html":
        return _series_html(views, head)
    if fmt == "md":
        return "\n".join([f"# {head}", "", *(x for v in views for x in _series_md(v))])
    lines = [head]
    for v in views:
        lines.append("")
        lines += _series_text(v, listed=True)
    return "\n".join(lines) + "\n"


def render_series(s: StoredSeries, fmt: str = "text") -> str:
    """One series: each full-text version with kind, session and date, and under each
    version the amendments tabled against it."""
    _check(fmt, formats.SERIES)
    view = _series_view(s)
    if fmt == "json":
        return _dump(view)
    if fmt == "html":
        return _series_html([view], None)
    if fmt == "md":
        return "\n".join(_series_md(view))
    return "\n".join(_series_text(view, listed=False)) + "\n"


def _series_html(views: Sequence[dict[str, Any]], head: str | None) -> str:
    from resdiff.render.html import environment  # jinja2: HTML only

    return environment().get_template("lineage_series.html").render(views=views, head=head)


# --- history -----------------------------------------------------------------------------


def history_to_json(h: History) -> dict[str, Any]:
    """The stable JSON contract of ``resdiff history`` (resdiff/schemas/history.schema.json)."""
    first = None
    if h.first is not None:
        first = {
            "symbol": _name(h.first),
            "label": h.first.label,
            "date": _iso(h.first.date),
            "earliest_stored": h.first_earliest,
        }
    return {
        "phrase": h.phrase,
        "series": h.series,
        "elsewhere": h.elsewhere,
        "first": first,
        "occurrences": [
            {
                "symbol": e.symbol or e.key,
                "label": e.label,
                "date": _iso(e.date),
                "status": e.status,
                "key": e.key,
                "series": e.series,
                "sentence": e.sentence,
                "similarity": round(e.similarity, 4),
                "previous": e.previous,
            }
            for e in h.entries
        ],
    }


def _not_found(h: History) -> str:
    if h.series is None:
        return f"“{h.phrase}” is in no stored version.\n"
    where = h.series_title or h.series
    n = h.elsewhere
    said = (
        f"“{h.phrase}” is not in this series ({where}); {n} stored version"
        f"{'s' if n != 1 else ''} outside it hold{'s' if n == 1 else ''} it "
        "(leave out --series to see them)."
        if n
        else f"“{h.phrase}” is not in this series ({where}), nor in any stored version."
    )
    return "\n".join(_para(said, "")) + "\n"


def render_history(h: History, fmt: str = "text") -> str:
    """First appearance (version, unit, date, sentence), then each version's status."""
    _check(fmt, ("text", "json"))
    if fmt == "json":
        return _dump(history_to_json(h))
    if h.first is None:
        return _not_found(h)
    f = h.first
    when = _iso(f.date) or "undated"
    edge = (
        ", the earliest stored version of its series (it may be older)" if h.first_earliest else ""
    )
    lines = _para(f"“{h.phrase}” first appears in {_name(f)} {f.label} ({when}){edge}:")
    lines += _para(f"“{f.sentence}”", "    ", "    ")
    series: str | None = "\x00"
    for e in h.entries:
        if e.series != series:
            series = e.series
            lines += ["", f"Series {series}:" if series else "Outside any series:"]
        sim = f"  ({e.similarity:.0%} similar)" if e.similarity < 1 else ""
        was = f"  (was {e.previous})" if e.status == "dropped" and e.previous else ""
        lines.append(
            f"  {e.status:<12} {e.symbol or e.key:<24} {e.label or '-':<14} "
            f"{_iso(e.date) or ''}{sim}{was}"
        )
    return "\n".join(lines) + "\n"


# --- agreed ------------------------------------------------------------------------------


def render_agreed(a: AgreedAnswer, fmt: str = "text") -> str:
    """Adopted resolutions containing the wording, earliest first."""
    _check(fmt, ("text", "json"))
    rows = [
        {"symbol": _name(o), "label": o.label, "date": _iso(o.date), "sentence": o.sentence}
        for o in a.occurrences
    ]
    if fmt == "json":
        return _dump(
            {"wording": a.wording, "resolutions": list(a.resolutions), "occurrences": rows}
        )
    if a.earliest is None or a.latest is None:
        return f"No adopted resolution contains “{a.wording}”.\n"
    lines = _para(
        f"“{a.wording}”: agreed language in {counted(len(a.resolutions), 'adopted resolution')}"
    )
    for r in rows:
        lines.append(f"  {r['symbol']:<20} {r['label']:<14} {r['date'] or ''}")
    lines.append(f"Earliest: {_name(a.earliest)}; latest: {_name(a.latest)}")
    return "\n".join(lines) + "\n"


# --- trace -------------------------------------------------------------------------------


def _step_spans(pair: Pair | None, label: str | None, text: str) -> list[dict[str, str]]:
    """The word diff of one step, restricted to the traced unit's part of the pair.

    In a merge, the span where each old paragraph starts names it (``part``): the old
    paragraphs are separate texts, and joined without that mark the last word of one
    would run into the first of the next ("ecosystem,Recalling").
    """
    if pair is None:
        return [{"op": "equal", "text": text}] if text else []
    part = pair.new.index(label) if label in pair.new else None
    merged = len(pair.old) > 1
    last_old = -1
    out: list[dict[str, str]] = []
    for s in pair.spans:
        if not (s.op is SpanOp.DELETE or part is None or s.new_part == part):
            continue
        span = {"op": s.op.value, "text": s.text}
        if merged and s.op is not SpanOp.INSERT and s.old_part != last_old:
            span["part"] = pair.old[s.old_part]
            last_old = s.old_part
        out.append(span)
    return out


def trace_to_json(t: Trace) -> dict[str, Any]:
    """The trace as plain data (what the JSON and HTML outputs show)."""
    adopted = t.adopted
    return {
        "series": t.series.key,
        "title": t.series.title,
        "start": t.start,
        "label": t.label,
        "first": {**_member_json(t.first.version), "label": t.first.label},
        "adopted": None
        if adopted is None
        else {**_member_json(adopted.version), "label": adopted.label},
        "steps": [
            {
                **_member_json(s.version),
                "label": s.label,
                "unit_kind": s.kind.value if s.kind else None,
                "change": s.pair.kind.value if s.pair else ("first" if n == 0 else "dropped"),
                "renumbered": bool(s.pair and s.pair.renumbered),
                "similarity": round(s.pair.similarity, 4) if s.pair else None,
                "spans": _step_spans(s.pair, s.label, s.text),
            }
            for n, s in enumerate(t.steps)
        ],
    }


def _diff_segs(spans: Sequence[dict[str, str]]) -> list[Seg]:
    out: list[Seg] = []
    for s in spans:
        if "part" in s:
            out.append(("head", f" ¶{s['part']} "))
        core = s["text"].strip()
        if s["op"] == "equal" or not core:
            out.append((None, s["text"]))
            continue
        lead = s["text"][: len(s["text"]) - len(s["text"].lstrip())]
        trail = s["text"][len(s["text"].rstrip()) :]
        mark = "{+" + core + "+}" if s["op"] == "insert" else "[-" + core + "-]"
        out += [(None, lead), ("ins" if s["op"] == "insert" else "del", mark), (None, trail)]
    return out


def render_trace(t: Trace, fmt: str = "text", *, color: bool = False) -> str:
    """Each version of the unit, oldest first: label, change and word diff."""
    _check(fmt, ("text", "json", "html"))
    data = trace_to_json(t)
    if fmt == "json":
        return _dump(data)
    if fmt == "html":
        from resdiff.render.html import environment  # jinja2: HTML only

        return environment().get_template("lineage_trace.html").render(view=data)
    first, adopted = data["first"], data["adopted"]
    where = (
        f"first adopted in {adopted['symbol']} as {adopted['label']}"
        if adopted
        else "never adopted"
    )
    lines = _para(f"Trace of {t.label} of {t.start} ({t.series.title or t.series.key})")
    lines += _para(f"First version: {first['symbol']} {first['label']}; {where}.")
    lines.append("Legend: {+inserted+} [-deleted-] ¶OP6 = where a merged paragraph starts")
    for step in data["steps"]:
        what = step["change"] + (", renumbered" if step["renumbered"] else "")
        head: list[Seg] = [
            ("head", f"{step['symbol']} {step['label'] or '(gone)'}"),
            (None, f"  {what}  {step['date'] or ''}"),
        ]
        lines.append("")
        lines += wrap_segments(head, WIDTH, "    ", color, first="")
        lines += wrap_segments(_diff_segs(step["spans"]), WIDTH, "    ", color)
    return "\n".join(lines) + "\n"


# --- blame -------------------------------------------------------------------------------


def blame_to_json(b: Blame) -> dict[str, Any]:
    """The blame as plain data: versions (the legend) and units as spans of origin."""
    return {
        "key": b.key,
        "series": b.series.key,
        "title": b.series.title,
        "versions": [{**_member_json(m), "index": n} for n, m in enumerate(b.versions)],
        "units": [
            {
                "label": u.label,
                "kind": u.kind.value,
                "spans": [{"text": s.text, "origin": s.origin} for s in u.spans],
            }
            for u in b.units
        ],
    }


def _blame_lines(label: str, spans: Sequence[dict[str, Any]], color: bool) -> list[str]:
    # Words with the colour of their span; escapes never count towards the width.
    words: list[tuple[str, int]] = []
    glue = False
    for s in spans:
        tag = f"[{s['origin']}]"
        for k, part in enumerate(re.split(r"(\s+)", _CONTROL.sub("", s["text"]))):
            if k % 2:
                glue = False
                continue
            if not part:
                continue
            piece = (tag if k == 0 else "") + part
            code = _ANSI[s["origin"] % PALETTE]
            painted = f"\x1b[{code}m{piece}\x1b[0m" if color else piece
            if glue and words:
                words[-1] = (words[-1][0] + painted, words[-1][1] + len(piece))
            else:
                words.append((painted, len(piece)))
            glue = True
        glue = bool(s["text"]) and not s["text"][-1].isspace()
    lines: list[str] = []
    line, used = label, len(label)
    for painted, size in words:
        if used + 1 + size > WIDTH and used > 4:
            lines.append(line)
            line, used = "    " + painted, 4 + size
        else:
            line, used = f"{line} {painted}", used + 1 + size
    lines.append(line)
    return lines


def render_blame(b: Blame, fmt: str = "text", *, color: bool = False) -> str:
    """The whole text, every span tagged with the version that introduced it, and a legend.

    Text: ``[n]`` opens each span (n indexes the legend), coloured when asked; HTML: one
    colour class per version, the version named on hover and in the legend.
    """
    _check(fmt, ("text", "json", "html"))
    data = blame_to_json(b)
    if fmt == "json":
        return _dump(data)
    if fmt == "html":
        from resdiff.render.html import environment  # jinja2: HTML only

        return environment().get_template("lineage_blame.html").render(view=data, palette=PALETTE)
    lines = _para(f"Blame of {_name(b.versions[-1])} ({b.series.title or b.series.key})")
    lines.append("Legend (the version that introduced the text):")
    for n, m in enumerate(b.versions):
        tag = f"[{n}]"
        if color:
            tag = f"\x1b[{_ANSI[n % PALETTE]}m{tag}\x1b[0m"
        lines.append(f"  {tag} {_name(m)} ({m.kind}, {_iso(m.date) or 'undated'})")
        if n == 0:
            lines.append("      the earliest stored version: its text may be older")
    for u in data["units"]:
        lines.append("")
        lines += _blame_lines(u["label"], u["spans"], color)
    return "\n".join(lines) + "\n"
