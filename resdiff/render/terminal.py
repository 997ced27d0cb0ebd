"""Terminal output: a redline readable with or without colour, wrapped to a width.

Insertions are written ``{+like this+}`` and deletions ``[-like this-]`` (git's
word-diff markers) in both modes, so a change never depends on colour alone; with
``color=True`` insertions are also green and underlined, deletions red and struck.
Unchanged paragraphs are shown as one line with their first words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from resdiff.render.segview import with_note_text
from resdiff.render.viewmodel import DocHeader, PairView, RedlineView, SegView
from resdiff.render.words import counted

__all__ = ["doc_lines", "paint", "pair_lines", "render_terminal", "wrap_segments"]

_CODES = {
    "ins": "\x1b[32;4m",
    "del": "\x1b[31;9m",
    "dim": "\x1b[2m",
    "bold": "\x1b[1m",
    "head": "\x1b[1;36m",
}
_RESET = "\x1b[0m"
_MARKERS = {"insert": ("{+", "+}", "ins"), "delete": ("[-", "-]", "del")}

Seg = tuple[str | None, str]  # (style, text)

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Break lines at whitespace, but never at a no-break space ("16\u00a0December").
_BREAK = re.compile(r"([^\S\u00a0\u2007\u202f]+)")


def _clean(text: str) -> str:
    # A document must not be able to drive the terminal: control characters (ESC
    # above all) are shown as escapes instead of being written raw.
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def paint(style: str | None, text: str, color: bool) -> str:
    """``text`` in a style's ANSI colours when ``color`` (control characters not cleaned)."""
    if not color or style is None or not text:
        return text
    return f"{_CODES[style]}{text}{_RESET}"


def wrap_segments(
    segs: Sequence[Seg], width: int, indent: str, color: bool, first: str | None = None
) -> list[str]:
    """Greedy word wrap of styled text; escapes never count towards the width.

    ``first`` is the first line's indent (default: ``indent``). Runs of whitespace
    become single spaces (unit texts are single-spaced anyway); a word longer than
    the line stands alone on its line.
    """
    words: list[list[Seg]] = [[]]
    for style, text in segs:
        for k, part in enumerate(_BREAK.split(_clean(text))):
            if k % 2:  # a run of breaking whitespace
                if words[-1]:
                    words.append([])
            elif part:
                words[-1].append((style, part))
    lines: list[str] = []
    line = ""
    used = 0
    lead = indent if first is None else first
    for word in words:
        if not word:
            continue
        size = sum(len(t) for _, t in word)
        painted = "".join(paint(s, t, color) for s, t in word)
        if used and used + 1 + size > max(width - len(lead), 20):
            lines.append(lead + line)
            line, used, lead = "", 0, indent
        line = f"{line} {painted}" if used else painted
        used += size + (1 if used else 0)
    if used:
        lines.append(lead + line)
    return lines


def _marked(segments: Iterable[SegView]) -> list[Seg]:
    out: list[Seg] = []
    for s in with_note_text(segments):
        if s.part_label:
            out.append(("bold", f" ¶{s.part_label} "))
        if s.op == "equal":
            out.append((None, s.text))
            continue
        opening, closing, style = _MARKERS[s.op]
        # Keep surrounding spaces outside the markers: "the {+new+} text".
        core = s.text.strip()
        lead = s.text[: len(s.text) - len(s.text.lstrip())]
        trail = s.text[len(s.text.rstrip()) :]
        if not core:
            out.append((None, s.text))
            continue
        out.extend([(None, lead), (style, opening + core + closing), (None, trail)])
    return out


def doc_lines(tag: str, h: DocHeader, width: int, color: bool) -> list[str]:
    facts = [h.kind]
    if h.session:
        facts.append(f"session {h.session}")
    if h.date:
        facts.append(f"{h.date_label.lower()} {h.date}")
    if h.body:
        facts.append(h.body)
    facts.append(counted(h.units, "paragraph"))
    out = wrap_segments(
        [("bold", tag), (None, f" {h.symbol or h.key} ({', '.join(facts)})")],
        width,
        "    ",
        color,
        first="",
    )
    if h.title:
        out += wrap_segments([(None, h.title)], width, "    ", color)
    return out


def _cites_differently(p: PairView) -> bool:
    # Same words, but a footnote citation added or removed: shown whole, marker and all.
    return any(r.op != "equal" for s in p.inline for r in (*s.notes_before, *s.notes))


def pair_lines(p: PairView, width: int, color: bool) -> list[str]:
    tags = [p.kind_label.lower()]
    if p.renumbered:
        tags.append("renumbered")
    if p.routine:
        tags.append("routine")
    if p.moved_from_after:
        tags.append(f"was {p.moved_from_after}")
    if p.kind not in ("unchanged", "added", "removed"):
        tags.append(f"{p.similarity_pct}% similar")
    head: list[Seg] = [("head", p.label), (None, "  " + ", ".join(tags))]
    if p.note:
        head.append(("dim", f"  ({p.note})"))
    if p.kind == "unchanged" and not p.has_changes and not _cites_differently(p):
        # One line: the label and as many first words as fit.
        room = width - len(p.label) - len(head[1][1]) - 3
        words = "".join(s.text for s in p.inline).split()
        shown = ""
        for w in words:
            if len(shown) + len(w) + 2 > room:
                shown += "…"
                break
            shown = f"{shown} {w}" if shown else w
        head.append(("dim", "  " + shown))
        return wrap_segments(head, width, "    ", color, first="")
    return [
        *wrap_segments(head, width, "    ", color, first=""),
        *wrap_segments(_marked(p.inline), width, "    ", color),
    ]


def render_terminal(view: RedlineView, *, color: bool = False, width: int = 80) -> str:
    """The redline as terminal text (ANSI escapes only when ``color``)."""
    out = doc_lines("---", view.old, width, color) + doc_lines("+++", view.new, width, color)
    s = view.summary
    counts = ", ".join(f"{k.count} {k.label.lower()}" for k in s.kinds if k.count)
    out.append("")
    out += wrap_segments(
        [
            (
                None,
                f"Summary: {counts or 'no paragraphs'}; {s.routine} routine, "
                f"{s.renumbered} renumbered; {s.words_inserted} words inserted, "
                f"{s.words_deleted} deleted; {s.footnote_changes} footnote change"
                f"{'' if s.footnote_changes == 1 else 's'}.",
            )
        ],
        width,
        "",
        False,
    )
    if view.identical:
        out.append("The two versions are identical.")
    legend = (
        "Legend: {+inserted+} [-deleted-] ¶OP6 = where a split/merged paragraph starts; "
        "[^5] = footnote 5"
    )
    out += wrap_segments([(None, legend)], width, "  ", False, first="")
    if view.filters:
        out += wrap_segments(
            [(None, f"Showing {view.filters} ({view.hidden} hidden).")],
            width,
            "  ",
            False,
            first="",
        )
    for title, rows in (("Paragraphs", view.rows), ("Footnotes", view.footnote_rows)):
        pairs = [r.pair for r in rows if r.pair is not None]
        if not pairs:
            continue
        out += ["", paint("bold", f"== {title} ==", color)]
        for p in pairs:
            out += pair_lines(p, width, color)
    return "\n".join(out) + "\n"
