"""Reading a rendered redline back with html.parser: tags seen, and each unit's text per view.

Used by the "nothing lost through HTML" and escaping tests.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

from resdiff.model import Comparison

# --- reading a rendered redline back (html.parser), for "nothing lost" -------------------

VOID = {"meta", "input", "br", "img", "link", "hr", "wbr", "source", "col", "area", "base"}


class RedlineReader(HTMLParser):
    """Collects tags/attributes seen and rebuilds each unit's text from the span elements.

    Inline view: ``data-o`` / ``data-n`` give the part of the enclosing article's
    ``data-old`` / ``data-new`` labels. Side-by-side view: each ``p.utext`` carries
    its side and label.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_old: dict[str, str] = {}
        self.inline_new: dict[str, str] = {}
        self.side: dict[str, dict[str, str]] = {"old": {}, "new": {}}
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1][0] == tag, f"unbalanced </{tag}>"
        self.stack.pop()

    def _find(self, pred: Callable[[str, dict[str, str]], bool]) -> dict[str, str] | None:
        for t, a in reversed(self.stack):
            if pred(t, a):
                return a
        return None

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] in ("style", "title"):
            return
        self.text.append(data)
        if not self.stack or "data-op" not in self.stack[-1][1]:
            return
        a = self.stack[-1][1]
        op = a["data-op"]
        classes = lambda x: x.get("class", "").split()  # noqa: E731
        if self._find(lambda t, x: "inline" in classes(x)) is not None:
            art = self._find(lambda t, x: t == "article")
            assert art is not None
            old, new = art["data-old"].split(), art["data-new"].split()
            if op != "insert":
                lb = old[int(a["data-o"])]
                # An equal span that differs only in typography records the old form.
                self.inline_old[lb] = self.inline_old.get(lb, "") + a.get("data-old-text", data)
            if op != "delete":
                lb = new[int(a["data-n"])]
                self.inline_new[lb] = self.inline_new.get(lb, "") + data
        else:
            u = self._find(lambda t, x: "utext" in classes(x))
            assert u is not None, "span outside a unit"
            side = self.side[u["data-side"]]
            side[u["data-label"]] = side.get(u["data-label"], "") + data


def read_redline(html: str) -> RedlineReader:
    r = RedlineReader()
    r.feed(html)
    r.close()
    assert not r.stack, f"unclosed tags: {[t for t, _ in r.stack]}"
    return r


def expected_texts(c: Comparison, side: str) -> dict[str, str]:
    """label → text of every unit and footnote (``fnN``) on one side."""
    doc = c.old if side == "old" else c.new
    out = {u.label: u.text for u in doc.units}
    out.update({f"fn{f.number}": f.text for f in doc.footnotes})
    return out
