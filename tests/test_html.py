"""HTML parser: a saved resolution page with its chrome, footnote styles, hostile markup."""

from __future__ import annotations

import contextlib
import html

import pytest
from conftest import SEED, SERIES
from docx_builder import (
    FOOTNOTES,
    HEADER,
    OPERATIVE,
    PREAMBLE,
    SAMPLE_LABELS,
    enumerator,
    sample_blocks,
    unit_runs,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from resdiff.errors import NoTextError, ResdiffError
from resdiff.ingest import parse_file
from resdiff.ingest.html import collapse, parse_html, raw_html
from resdiff.model import Document, Source

SRC = Source(name="page.html", format="html", sha256="0" * 64)
SYMBOL = "A/C.3/76/L.21"

# Everything a saved UN page carries around the document; none of it is text.
CHROME_WORDS = ("NOTTEXT", "Skip to content", "Français", "Terms of use", "track(")


def esc(text: str) -> str:
    return html.escape(text, quote=False).replace("’", "&rsquo;")


def page(body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{SYMBOL} - E - {SYMBOL}</title>
<style>p.lead {{ font-style: italic }} .x::before {{ content: "NOTTEXT style" }}</style>
<script>var s = "<p>NOTTEXT in script</p>"; if (a < b && c > d) {{ x(); }}</script>
</head><body>
<header class="site-header"><a href="/">United Nations</a> NOTTEXT Official Document System</header>
<nav aria-label="languages"><ul><li><a href="/ar">NOTTEXT عربي</a></li><li>Français</li></ul></nav>
<a class="sr-only" href="#main">Skip to content</a>
<!-- NOTTEXT: a comment with <p>markup</p> -->
<main id="main"><article class="document">
{body}
</article></main>
<div hidden><p>NOTTEXT hidden attribute</p></div>
<div style="display: none">NOTTEXT display none</div>
<span aria-hidden="true">NOTTEXT aria</span>
<footer><p>© United Nations <a href="/terms">Terms of use</a></p></footer>
<script>track("NOTTEXT Decides");</script>
<noscript>NOTTEXT enable JavaScript</noscript>
</body></html>"""


def header_html() -> str:
    lines = [f'<div class="symbol">{SYMBOL}</div>', f"<p>{esc(HEADER[0])}</p>"]
    lines.append(f"<p>{esc(HEADER[1])}<br>\n{esc(HEADER[2])}</p>")
    lines += [f"<p>{esc(h)}</p>" for h in HEADER[3:8]]
    lines.append(f"<p><b>{esc(HEADER[8])}</b></p>")
    lines.append(f"<h1>{esc(HEADER[9])}</h1>")
    lines.append("<p><em>The General Assembly</em>,</p>")
    return "\n".join(lines)


def refs(notes: tuple[int, ...], style: str) -> str:
    if style == "pandoc":
        return "".join(
            f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}" role="doc-noteref"><sup>{n}</sup></a>'
            for n in notes
        )
    if style == "word":
        # Word's "Save as Web Page": the marker is a link wrapping nested spans and an
        # Internet Explorer conditional section.
        return "".join(
            f"<a href='#_ftn{n}' name='_ftnref{n}' title=''><span class=MsoFootnoteReference>"
            f"<span style='mso-special-character:footnote'><![if !supportFootnotes]>"
            f"<span class=MsoFootnoteReference><span style='font-size:10.0pt'>[{n}]</span>"
            "</span><![endif]></span></span></a>"
            for n in notes
        )
    return "".join(f"<sup>{n}</sup>" for n in notes)


def sample_page(*, lists: bool, notes: str) -> str:
    """The sample resolution as a web page: ``lists`` uses <ol>, else literal numbers."""
    body = [header_html()]
    for s in PREAMBLE:
        body.append(f"<p>\n  <i>{esc(s.lead)}</i>   {esc(s.rest)}{refs(s.notes, notes)}\n</p>")
    body.append('<p style="display:none">NOTTEXT a hidden paragraph</p>')
    if lists:
        body.append('<ol class="operative">')
    for i, s in enumerate(OPERATIVE, 1):
        text = f"<em>{esc(s.lead)}</em> {esc(s.rest)}{refs(s.notes, notes)}"
        subs = ""
        if s.subs and lists:
            subs = '<ol type="a">' + "".join(f"<li>{esc(x)}" for x in s.subs) + "</ol>"
        elif s.subs:
            subs = "".join(f"<p>({'abc'[j]})&#9;{esc(x)}</p>" for j, x in enumerate(s.subs))
        body.append(f"<li>{text}{subs}</li>" if lists else f"<p>{i}.&nbsp; {text}</p>{subs}")
    if lists:
        body.append("</ol>")
    if notes == "pandoc":
        items = "".join(
            f'<li id="fn{n}"><p>{esc(t)}<a href="#fnref{n}" class="footnote-back" '
            f'role="doc-backlink">↩︎</a></p></li>'
            for n, t in FOOTNOTES.items()
        )
        body.append(
            f'<section class="footnotes" role="doc-endnotes"><hr><ol>{items}</ol></section>'
        )
    elif notes == "word":
        body.append("<div style='mso-element:footnote-list'><br clear=all><hr width='33%'>")
        for n, t in FOOTNOTES.items():
            body.append(
                f"<div style='mso-element:footnote' id=ftn{n}><p class=MsoFootnoteText>"
                f"<a href='#_ftnref{n}' name='_ftn{n}'><span class=MsoFootnoteReference>"
                f"<span><span>[{n}]</span></span></span></a> {esc(t)}</p></div>"
            )
        body.append("</div>")
    else:
        body.append("<hr>")
        body += [f"<p><sup>{n}</sup> {esc(t)}</p>" for n, t in FOOTNOTES.items()]
    return page("\n".join(body))


def sample_blocks_nbsp(lists: bool) -> list[tuple[str, str, tuple[int, ...]]]:
    if lists:
        return sample_blocks()
    # Literal numbers written "1.&nbsp; ": the no-break space is kept as printed.
    return [
        (t.replace(". ", ".\u00a0 ", 1) if t[0].isdigit() else t, lead, r)
        for t, lead, r in sample_blocks()
    ]


@pytest.mark.parametrize("notes", ["pandoc", "word", "sup"])
@pytest.mark.parametrize("lists", [True, False], ids=["ol", "literal"])
def test_sample_page(lists: bool, notes: str) -> None:
    raw = raw_html(sample_page(lists=lists, notes=notes), SRC)
    got = [(b.text, b.italic_lead, b.footnote_refs) for b in raw.blocks]
    want = sample_blocks_nbsp(lists)
    want = [(collapse(t), lead, r) for t, lead, r in want]
    assert got == want
    assert [(f.number, f.text) for f in raw.footnotes] == list(FOOTNOTES.items())
    groups = [h for h in raw.header if h]
    assert groups == [SYMBOL, HEADER[0], *HEADER[1:], "The General Assembly,"]
    assert raw.header[:6] == (SYMBOL, "", HEADER[0], "", HEADER[1], HEADER[2])
    assert raw.furniture == (f"{SYMBOL} - E - {SYMBOL}",)


@pytest.mark.parametrize("notes", ["pandoc", "word", "sup"])
def test_chrome_scripts_styles_hidden_never_text(notes: str) -> None:
    raw = raw_html(sample_page(lists=True, notes=notes), SRC)
    everything = " ".join(
        [*(b.text for b in raw.blocks), *(f.text for f in raw.footnotes), *raw.header]
    )
    for word in CHROME_WORDS:
        assert word not in everything
    assert "United Nations" not in everything  # the site header's link


def test_parse_html_end_to_end() -> None:
    doc = parse_html(sample_page(lists=True, notes="pandoc"), SRC)
    assert [u.label for u in doc.units] == SAMPLE_LABELS
    assert doc.unit("PP2").lead == "Recalling" and doc.unit("PP2").footnotes == (1,)
    assert doc.unit("OP2(c)").text == OPERATIVE[1].subs[2]
    assert doc.unit("OP3").footnotes == (3,)
    assert doc.metadata.symbol == SYMBOL
    assert doc.metadata.session == 76 and doc.metadata.agenda_item == "74 (c)"
    assert doc.metadata.title == HEADER[-1]
    assert len(doc.metadata.sponsors) == 6
    assert doc.source is not None and doc.source.format == "html"


def test_escaped_markup_is_literal_text() -> None:
    raw = raw_html(
        "<p>Noting &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;javascript:&quot; "
        "&#8209;&nbsp;&ldquo;x&rdquo;</p>",
        SRC,
    )
    assert raw.blocks[0].text == (
        'Noting <script>alert(1)</script> & "javascript:" \u2011\u00a0\u201cx\u201d'
    )


def test_inline_nesting_whitespace_breaks_and_non_note_superscripts() -> None:
    raw = raw_html(
        "<div><p><em>Re<b>call</b>ing</em>\n\t its   resolution<br/>of the 1<sup>st</sup>"
        "<span> session,<sup>[2]</sup></span></p>text outside<p>next</div>",
        SRC,
    )
    assert [(b.text, b.italic_lead, b.footnote_refs) for b in raw.blocks] == [
        ("Recalling its resolution of the 1st session,", "Recalling", (2,)),
        ("text outside", "", ()),
        ("next", "", ()),
    ]


def test_malformed_markup_is_read_like_a_browser_would() -> None:
    raw = raw_html(
        "</p></div><p>One<p>Two<li>Three</b></i><table><tr><td>Four<td>Five</table>"
        '<p style="visibility: hidden">NOTTEXT<p>Six<ul><li>Seven<li>Eight</ul><div class="d-none">'
        "NOTTEXT</div>Nine<!-- unterminated comment",
        SRC,
    )
    assert [b.text for b in raw.blocks] == [
        "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
    ]  # fmt: skip


@pytest.mark.parametrize("tag", ["div", "span", "b", "em", "section", "p"])
def test_nesting_ten_thousand_deep(tag: str) -> None:
    depth = 10_000
    text = f"<{tag}>" * depth + "Decides to remain seized of the matter." + f"</{tag}>" * depth
    raw = raw_html(text + "<p>After</p>", SRC)
    assert [b.text for b in raw.blocks] == ["Decides to remain seized of the matter.", "After"]
    unclosed = "<div><span>" * depth + "Deep text"
    assert [b.text for b in raw_html(unclosed, SRC).blocks] == ["Deep text"]
    hidden = (
        '<div hidden="">' + "<div>" * depth + "NOTTEXT" + "</div>" * depth + "</div><p>Seen</p>"
    )
    assert [b.text for b in raw_html(hidden, SRC).blocks] == ["Seen"]


def test_unterminated_script_swallows_nothing_after_a_page_that_closes_it() -> None:
    raw = raw_html("<p>Before</p><script>if (a</b) { '</p>' }</script><p>After</p>", SRC)
    assert [b.text for b in raw.blocks] == ["Before", "After"]


@pytest.mark.parametrize(
    "text",
    ["", "   \n ", "<html><head><title>Only</title></head><body></body></html>",
     "<script>var x = 1;</script><style>p{}</style>", '<p hidden>NOTTEXT</p><nav>menu</nav>'],
)  # fmt: skip
def test_no_text(text: str) -> None:
    with pytest.raises(NoTextError, match="no text found"):
        raw_html(text, SRC)


# --- real documents ------------------------------------------------------------------


def document_to_html(doc: Document) -> str:
    """A parsed document published as a web page: <p> per unit, <sup> markers, notes list."""
    body = [
        f"<h1>{esc(doc.metadata.title or 'Resolution')}</h1>",
        "<p><i>The General Assembly</i>,</p>",
    ]
    for u in doc.units:
        runs = "".join(f"<em>{esc(t)}</em>" if i else esc(t) for t, i in unit_runs(u.text, u.lead))
        number = enumerator(u.label)
        marks = "".join(f'<sup><a href="#fn{n}">{n}</a></sup>' for n in u.footnotes)
        body.append(f"<p>{number + '&#9;' if number else ''}{runs}{marks}</p>")
    notes = "".join(
        f'<li id="fn{f.number}" value="{f.number}">{esc(f.text)}</li>' for f in doc.footnotes
    )
    body.append(f'<div class="footnotes"><ol>{notes}</ol></div>')
    return page("\n".join(body))


@pytest.mark.usefixtures("shared_corpus")
def test_real_documents_round_trip_through_html() -> None:
    # The seed and every series text, parsed by the text route, published as HTML and
    # read back: every unit (label, lead, text, notes cited) and footnote must survive.
    checked, failures = 0, []
    for path in [SEED, *sorted(SERIES.glob("*.txt"))]:
        doc = parse_file(path)
        if not doc.units:
            continue  # amendments: instructions, not units
        back = parse_html(document_to_html(doc), SRC)
        checked += 1
        want = [(u.label, u.lead, u.text, u.footnotes) for u in doc.units]
        if [(u.label, u.lead, u.text, u.footnotes) for u in back.units] != want or [
            (f.number, f.text) for f in back.footnotes
        ] != [(f.number, f.text) for f in doc.footnotes]:
            failures.append(path.name)
    assert checked == 73  # the seed and every series text with units
    assert failures == []


# --- properties ---------------------------------------------------------------------

plain = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
runs = st.lists(st.tuples(plain, st.booleans()), min_size=1, max_size=5)


@settings(max_examples=80, deadline=None)
@given(st.lists(runs, min_size=1, max_size=8))
def test_property_no_text_lost(paragraphs: list[list[tuple[str, bool]]]) -> None:
    joined = [collapse("".join(t for t, _ in p)) for p in paragraphs]
    assume(not any("The General Assembly" in j for j in joined))
    expected = [j for j in joined if j.strip()]
    body = "".join(
        "<p>" + "".join(f"<em>{esc(t)}</em>" if i else esc(t) for t, i in p) + "</p>\n"
        for p in paragraphs
    )
    if not expected:
        with pytest.raises(NoTextError):
            raw_html(page(body), SRC)
        return
    assert [b.text for b in raw_html(page(body), SRC).blocks] == expected


tags = st.sampled_from(
    ["p", "div", "em", "i", "sup", "ol", "li", "script", "style", "nav", "table", "td", "a", "br"]
)
tokens = st.one_of(
    plain,
    tags.map(lambda t: f"<{t}>"),
    tags.map(lambda t: f"</{t}>"),
    st.sampled_from(['<p hidden>', '<div style="display:none">', "<!--", "-->", "<![CDATA[", "&",
                     "&#", "&#x110000;", "<a href='#fn1'>", "<sup>1</sup>", "<", ">", "<!DOCTYPE"]),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(tokens, max_size=40))
def test_property_parser_is_total_on_tag_soup(parts: list[str]) -> None:
    with contextlib.suppress(ResdiffError):
        raw_html("".join(parts), SRC)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_property_parse_html_is_total_on_any_text(text: str) -> None:
    with contextlib.suppress(ResdiffError):
        parse_html(text, SRC)
