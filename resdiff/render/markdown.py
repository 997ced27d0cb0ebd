"""Markdown output, for pasting a redline into an e-mail or an issue.

Scheme (readable raw and rendered): inserted text is ``{+**inserted**+}`` (bold,
inside git word-diff markers) and deleted text ``[-~~deleted~~-]`` (struck through on
GitHub and most renderers). The markers keep the meaning where neither bold nor
strike is rendered. Spaces around a change stay outside the markers, because
CommonMark only opens ``**``/``~~`` next to a non-space; and the emphasis goes inside
the markers, because there punctuation stands on its outer side, so it opens and
closes even where the change touches a word ("Korea{+**,**+} following": written
``Korea**{+,+}**``, CommonMark would not open the bold after "a"). Every Markdown
metacharacter in document text is backslash-escaped, so ``*``, ``_``, ``[``, ``<``,
``|``, ``&`` and the like render literally and no link or HTML can be smuggled in.
"""

from __future__ import annotations

import re

from resdiff.model import Document
from resdiff.render.segview import with_note_text
from resdiff.render.viewmodel import DocHeader, PairView, RedlineView, SegView

__all__ = ["escape_md", "pair_block", "render_document_markdown", "render_markdown"]

# ASCII punctuation CommonMark lets us escape, restricted to what can change the
# meaning of inline text here (keeps ordinary "." "," "-" "/" readable).
_META = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
# Any line break would let document text start a heading, list or quote.
_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def escape_md(text: str) -> str:
    """Backslash-escape Markdown metacharacters; line breaks become spaces; control
    characters (ESC...) are shown as ``\\x1b`` so pasting into a terminal is harmless."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}", _META.sub(r"\\\1", _BREAKS.sub(" ", text))
    )


def _span(s: SegView) -> str:
    if s.op == "equal":
        return escape_md(s.text)
    core = s.text.strip()
    if not core:
        return escape_md(s.text)
    lead = s.text[: len(s.text) - len(s.text.lstrip())]
    trail = s.text[len(s.text.rstrip()) :]
    body = escape_md(core)
    mark = f"{{+**{body}**+}}" if s.op == "insert" else f"[-~~{body}~~-]"
    return f"{lead}{mark}{trail}"


def _inline(p: PairView) -> str:
    out = []
    for s in with_note_text(p.inline):
        if s.part_label:
            out.append(f" ¶**{escape_md(s.part_label)}** ")
        out.append(_span(s))
    return "".join(out)


def _doc_row(tag: str, h: DocHeader) -> str:
    cells = [
        tag,
        escape_md(h.symbol or h.key),
        escape_md(h.title),
        escape_md(h.kind),
        escape_md(h.session),
        escape_md(f"{h.date_label} {h.date}" if h.date else ""),
    ]
    return "| " + " | ".join(cells) + " |"


def pair_block(p: PairView) -> list[str]:
    tags = [p.kind_label]
    if p.renumbered:
        tags.append("renumbered")
    if p.routine:
        tags.append("routine")
    if p.moved_from_after:
        tags.append(f"was {escape_md(p.moved_from_after)}")
    if p.kind not in ("unchanged", "added", "removed"):
        tags.append(f"{p.similarity_pct}% similar")
    if p.note:
        tags.append(f"*{escape_md(p.note)}*")
    return [f"**{escape_md(p.label)}** · {' · '.join(tags)}", "", _inline(p), ""]


def render_markdown(view: RedlineView) -> str:
    """The redline as Markdown."""
    s = view.summary
    out = [
        f"# Changes from {escape_md(view.old.symbol or view.old.key)} "
        f"to {escape_md(view.new.symbol or view.new.key)}",
        "",
        "| | Symbol | Title | Kind | Session | Date |",
        "|---|---|---|---|---|---|",
        _doc_row("Old", view.old),
        _doc_row("New", view.new),
        "",
        "## Summary",
        "",
    ]
    out += [f"- {k.label}: {k.count}" for k in s.kinds if k.count]
    out += [
        f"- Routine (symbols, dates, session numbers only): {s.routine}",
        f"- Renumbered: {s.renumbered}",
        f"- Words inserted: {s.words_inserted}; deleted: {s.words_deleted}",
        f"- Footnote changes: {s.footnote_changes}",
        "",
        "Legend: {+**inserted**+} · [-~~deleted~~-] · ¶**OP6** marks where a split "
        "or merged paragraph starts · \\[^5\\] is footnote 5.",
        "",
    ]
    if view.identical:
        out += ["The two versions are identical.", ""]
    if view.filters:
        out += [f"Showing {view.filters} ({view.hidden} hidden).", ""]
    for title, rows in (("Paragraphs", view.rows), ("Footnotes", view.footnote_rows)):
        pairs = [r.pair for r in rows if r.pair is not None]
        if pairs:
            out += [f"## {title}", ""]
            for p in pairs:
                out += pair_block(p)
    return "\n".join(out).rstrip("\n") + "\n"


def render_document_markdown(doc: Document) -> str:
    """A parsed document as Markdown (``resdiff show --format md``)."""
    m = doc.metadata
    out = [f"# {escape_md(m.symbol or doc.key)}", ""]
    if m.title:
        out += [f"**{escape_md(m.title)}**", ""]
    facts = [
        ("Kind", str(m.kind)),
        ("Session", str(m.session) if m.session is not None else ""),
        ("Body", m.body or ""),
        ("Agenda item", m.agenda_item or ""),
        ("Distributed", m.distribution_date.isoformat() if m.distribution_date else ""),
        ("Adopted", m.adoption_date.isoformat() if m.adoption_date else ""),
        ("Sponsors", ", ".join(m.sponsors)),
    ]
    out += [f"- {k}: {escape_md(v)}" for k, v in facts if v]
    out.append("")
    for u in doc.units:
        text = escape_md(u.text)
        lead = escape_md(u.lead)
        if lead and text.startswith(lead):
            text = f"*{lead}*{text[len(lead) :]}"
        notes = "".join(f"[^{n}]" for n in u.footnotes)
        out += [f"**{escape_md(u.label)}** {text}{notes}", ""]
    for f in doc.footnotes:
        out += [f"[^{f.number}]: {escape_md(f.text)}", ""]
    return "\n".join(out).rstrip("\n") + "\n"
