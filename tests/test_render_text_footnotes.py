"""Footnote markers in the plain-text redlines (terminal and Markdown): written into the
paragraph as ``[^n]`` where the footnote is cited, with the op of the citation, so that
a paragraph citing a footnote reads as one change, not as two cut where the marker is."""

from __future__ import annotations

from pathlib import Path

from conftest import SERIES

from resdiff.compare import compare
from resdiff.ingest import parse_file
from resdiff.model import Comparison, Document, Footnote, Metadata, Unit, UnitKind
from resdiff.render import render

RECALLS = "Recalls its resolution 55/19 on the rights of the child,"
NOTES = "Takes note of the report of the Secretary-General on the question,"
WELCOMES = "Welcomes the new plan of action of the Council, and calls for its swift implementation,"


def _unit(label: str, text: str, notes: tuple[int, ...] = (), at: tuple[int, ...] = ()) -> Unit:
    return Unit(label, UnitKind.OPERATIVE, text, "", notes, at)


def _comparison() -> Comparison:
    old = Document(
        Metadata(symbol="A/RES/1/1"),
        (_unit("OP1", RECALLS, (1,), (len(RECALLS),)), _unit("OP2", NOTES, (2,), (len(NOTES),))),
        (Footnote(1, "See A/1/100."), Footnote(2, "A/1/200.")),
    )
    new = Document(
        Metadata(symbol="A/RES/2/1"),
        (
            # A new paragraph citing a new footnote after its first clause.
            _unit("OP1", WELCOMES, (1,), (WELCOMES.index(",") + 1,)),
            # The old OP1, its footnote now numbered 2.
            _unit("OP2", RECALLS, (2,), (len(RECALLS),)),
            # The old OP2, its footnote gone.
            _unit("OP3", NOTES),
        ),
        (Footnote(1, "Plan of action of the Council."), Footnote(2, "See A/1/100.")),
    )
    return compare(old, new)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_terminal_writes_each_marker_with_its_citation() -> None:
    out = _flat(render(_comparison(), "text", color=False))
    # One insertion, the new footnote's marker inside it where it is cited.
    assert (
        "{+Welcomes the new plan of action of the Council,[^1] and calls for its swift "
        "implementation,+}" in out
    )
    assert "{+Welcomes the new plan of action of the Council,+}" not in out
    # A kept citation renumbered, and a removed one (its paragraph is shown whole).
    assert "55/19 on the rights" in out  # folded to its first words: nothing changed
    assert "on the question,[-[^2]-]" in out
    assert "[^5] = footnote 5" in out


def test_markdown_writes_each_marker_escaped() -> None:
    md = render(_comparison(), "md")
    assert (
        "{+**Welcomes the new plan of action of the Council,\\[^1\\] and calls for its swift "
        "implementation,**+}" in md
    )
    assert f"{RECALLS}\\[^1→2\\]" in md
    assert "on the question,[-~~\\[^2\\]~~-]" in md


def test_an_added_paragraph_citing_a_footnote_is_one_insertion(shared_corpus: Path) -> None:
    # The 2025 right-to-food draft's new PP5 cites footnote 5 after the Summit's name:
    # it was shown as two insertions side by side, cut where the marker stands.
    c = compare(parse_file(SERIES / "A_RES_79_171.txt"), parse_file(SERIES / "A_C.3_80_L.41.txt"))
    out = _flat(render(c, "text", color=False))
    assert "Social Development”[^5] to end hunger, malnutrition" in out
    assert "Development”+} {+to end" not in out


OLD_DATES = (
    "Recalls its resolutions 52/13 of 3 April 2023 and 55/7 of 3 April 2024, as well as others;"
)
NEW_DATES = (
    "Recalls its resolutions 52/13 of 3 April 2023, 55/7 of 3 April 2024 "
    "and 58/3 of 2 April 2025, as well as others;"
)


def _old_side(plain: str) -> str:
    """The old side a reader takes from a plain-text redline: deletions kept, insertions
    dropped, and a space left before punctuation by a dropped insertion ("2024 {+and
    …+}, as") taken away, as a reader does."""
    import re

    plain = re.sub(r"\{\+.*?\+\}", "", plain, flags=re.S)
    plain = re.sub(r"\[-(.*?)-\]", r"\1", plain, flags=re.S)
    return re.sub(r"\s+([,;.])", r"\1", plain)


def test_a_space_only_the_old_side_prints_is_deleted_with_the_words_after_it() -> None:
    # "3 April 2023" is one token, printed "2023 " in the old text and "2023" in the new
    # (the comma follows it there). Folded into one unchanged span showing the new form,
    # every format read "2023and" on the old side; the space is deleted with "and".
    cmp = compare(
        Document(Metadata(symbol="A/RES/1/1"), (_unit("OP1", OLD_DATES),)),
        Document(Metadata(symbol="A/RES/2/1"), (_unit("OP1", NEW_DATES),)),
    )
    spans = [(str(s.op), s.text, s.old_text) for s in cmp.pairs[0].spans]
    assert spans[:4] == [
        ("equal", "Recalls its resolutions 52/13 of 3 April 2023", None),
        ("delete", " and", None),
        ("insert", ",", None),
        ("equal", " 55/7 of 3 April 2024", None),
    ]
    html = render(cmp, "html")
    assert "3 April 2023</span><del" in html and "> and</del>" in html
    text = render(cmp, "text", width=1000)
    md = render(cmp, "md")
    assert "2023 [-and-]{+,+} 55/7" in text
    assert "1 paragraph)" in text  # the header counts in the singular too
    assert "2023 [-~~and~~-]{+**,**+} 55/7" in md
    line = next(x for x in text.splitlines() if "Recalls" in x)
    assert _old_side(line).split() == OLD_DATES.split()


def test_markdown_marks_render_where_a_change_touches_a_word() -> None:
    # CommonMark opens "**" only where it is not squeezed between a letter and
    # punctuation: "Korea**{+,+}**" showed its asterisks. Read by a CommonMark parser,
    # every insertion is bold and every deletion struck, wherever it stands.
    from markdown_it import MarkdownIt

    cmp = compare(
        Document(Metadata(symbol="A/RES/1/1"), (_unit("OP1", OLD_DATES),)),
        Document(Metadata(symbol="A/RES/2/1"), (_unit("OP1", NEW_DATES),)),
    )
    md = render(cmp, "md")
    html = MarkdownIt("commonmark").enable("strikethrough").render(md)
    assert "**" not in html and "~~" not in html
    assert "[-<s>and</s>-]{+<strong>,</strong>+}" in html
    assert "2024{+<strong>and 58/3 of 2 April 2025</strong>+}" not in html  # space kept
    assert "2024 {+<strong>and 58/3 of 2 April 2025</strong>+}," in html
