"""Escaping: markup, template syntax, quotes and escapes in document text render as text, in every format."""

from __future__ import annotations

import json
import re

import pytest
from comparison_fixtures import HOSTILE, comparisons, dprk_comparison, hostile_comparison
from hypothesis import HealthCheck, given, settings
from redline_reader import expected_texts, read_redline

from resdiff.model import Comparison
from resdiff.render import render
from resdiff.render.html import page_script

# Every tag the templates write, with the attributes each may carry (data-* and
# aria-* listed explicitly: nothing else may appear, whatever the document says).
ALLOWED: dict[str, set[str]] = {
    "html": {"lang"},
    "head": set(),
    "meta": {"charset", "name", "content", "http-equiv"},
    "title": set(),
    "style": set(),
    "body": set(),
    "input": {"type", "name", "id", "class", "checked"},
    "header": {"class"},
    "nav": {"class", "aria-label"},
    "main": {"class"},
    "footer": {"class"},
    "section": {"class", "id", "aria-labelledby"},
    "article": {"class", "id", "data-kind", "data-old", "data-new"},
    "div": {"class", "id", "hidden"},
    "p": {"class", "data-side", "data-label"},
    "h1": set(),
    "h2": {"id", "class"},
    "span": {
        "class",
        "id",
        "aria-hidden",
        "aria-label",
        "data-op",
        "data-o",
        "data-n",
        "data-old-text",
        "title",
    },
    "ins": {"data-op", "data-n"},
    "del": {"data-op", "data-o"},
    "a": {"href", "class", "rel", "aria-label"},
    "sup": {"class", "id"},
    "kbd": set(),
    "br": set(),
    "script": set(),
    "label": {"for", "class"},
    "details": {"class"},
    "summary": {"class"},
    "dl": {"class"},
    "dt": set(),
    "dd": set(),
    "table": {"class"},
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"scope", "class"},
    "td": {"class"},
    "ul": set(),
    "li": set(),
    "strong": set(),
}


def _check_markup(html: str) -> None:
    r = read_redline(html)
    for tag, attrs in r.tags:
        assert tag in ALLOWED, f"unexpected tag <{tag}>"
        extra = set(attrs) - ALLOWED[tag]
        assert not extra, f"unexpected attributes {extra} on <{tag}>"
        assert not any(a.startswith("on") for a in attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs["href"]
        for value in attrs.values():
            assert "javascript:" not in value.lower()
    # Exactly one <style>, from the template; one script, the navigation the policy
    # names by its digest (no inline script of any other content could run).
    assert sum(1 for t, _ in r.tags if t == "style") == 1
    assert sum(1 for t, _ in r.tags if t == "script") == 1
    assert f"<script>{page_script().code}</script>" in html
    assert f"script-src '{page_script().csp}'" in html


def test_html_hostile_text_is_text() -> None:
    c = hostile_comparison()
    html = render(c, "html")
    _check_markup(html)
    r = read_redline(html)
    page = "".join(r.text)
    # The hostile strings come back as text, character for character.
    assert HOSTILE in page
    assert "<script>x()</script> {{ 7*7 }}" in page
    assert "49" not in page  # no template evaluation
    assert "A/RES/1/<b>1</b>" in page and 'A/RES/2/"2"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for side in ("old", "new"):
        want = expected_texts(c, side)
        got = r.inline_old if side == "old" else r.inline_new
        assert {k: got.get(k, "") for k in want} == want


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons())
def test_html_allow_list_property(c: Comparison) -> None:
    _check_markup(render(c, "html"))


def test_html_allow_list_on_realistic_fixture() -> None:
    _check_markup(render(dprk_comparison(), "html"))
    _check_markup(render(dprk_comparison(), "html", only="changed", hide_routine=True))


def test_markdown_escapes_metacharacters() -> None:
    md = render(hostile_comparison(), "md")
    # No raw markup or link syntax survives: every < [ ] * _ | ` ~ & is escaped.
    body = md.split("## Paragraphs", 1)[1]
    # Our own change markers are the only unescaped brackets (no link definitions
    # can exist, since document text cannot write "[").
    for marker in ("[-~~", "~~-]", "{+**", "**+}"):
        body = body.replace(marker, "")
    for ch in "<>[]`|&":
        for m in re.finditer(re.escape(ch), body):
            near = body[m.start() - 20 : m.start() + 5]
            assert body[m.start() - 1] == "\\", f"unescaped {ch!r} near {near!r}"
    assert "\\<script\\>alert\\(1\\)" not in md  # parentheses stay readable
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "\\[link\\](javascript:x)" in md  # no link can form
    assert "\\{\\{ config \\}\\}" in md
    assert "\x1b" not in md or "\\x1b" in md


def test_markdown_keeps_text_after_unescaping() -> None:
    # Removing the backslash escapes and the change markers gives the new text back.
    c = hostile_comparison()
    md = render(c, "md", only="changed")
    line = next(ln for ln in md.splitlines() if ln.startswith("Decides"))
    new = re.sub(r"\[-~~.*?~~-\]", "", line)
    new = re.sub(r"\{\+\*\*(.*?)\*\*\+\}", r"\1", new)
    new = re.sub(r"\\([\\`*_{}\[\]<>#|~&$])", r"\1", new)
    want = c.new.unit("OP1").text.replace("\x1b", "\\x1b")  # ESC is shown, not sent
    assert " ".join(new.split()) == " ".join(want.split())


def test_terminal_never_emits_document_escapes() -> None:
    out = render(hostile_comparison(), "text")
    assert "\x1b" not in out
    assert "\\x1b[31m" in out  # shown, not obeyed
    coloured = render(hostile_comparison(), "text", color=True)
    # Only our own SGR sequences appear, never the document's raw ESC.
    assert set(re.findall(r"\x1b\[[0-9;]*m", coloured)) <= {
        "\x1b[32;4m",
        "\x1b[31;9m",
        "\x1b[2m",
        "\x1b[1m",
        "\x1b[1;36m",
        "\x1b[0m",
    }
    assert "<script>alert(1)</script>" in out  # plain text stays plain


def test_json_is_plain_data() -> None:
    c = hostile_comparison()
    text = render(c, "json")
    data = json.loads(text)
    assert data["old"]["title"] == HOSTILE
    assert "<script>alert(1)</script>" in text  # data, not markup: no \\u003c games
    spans = [s["text"] for p in data["pairs"] for s in p["spans"]]
    assert any("</script>" in s for s in spans)


@pytest.mark.parametrize("fmt", ["html", "md", "text", "json"])
def test_every_format_renders_hostile(fmt: str) -> None:
    out = render(hostile_comparison(), fmt)
    assert "javascript" in out  # shown as text
    assert "alert" in out
