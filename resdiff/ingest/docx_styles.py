"""WordprocessingML styles and list numbering: italics through style chains, headings, "1." / "(a)" / "(iv)".

Reads already-parsed (defused) XML elements from ``resdiff.ingest.docx``; the small
element helpers here look attributes up by local name, so transitional and strict
OOXML namespaces both work.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from xml.etree.ElementTree import Element

__all__ = [
    "Counters",
    "Numbering",
    "Styles",
    "attr",
    "first_child",
    "format_number",
    "local",
    "num_pr",
    "toggle",
    "val",
]


def local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def attr(el: Element, name: str) -> str | None:
    """An attribute by local name, whatever namespace (transitional or strict OOXML) it is in."""
    for k, v in el.attrib.items():
        if k == name or k.endswith("}" + name):
            return v
    return None


def first_child(el: Element | None, name: str) -> Element | None:
    if el is None:
        return None
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def val(el: Element | None, name: str) -> str | None:
    """The ``w:val`` of child ``name`` (``<w:numId w:val="3"/>``), None when absent."""
    found = first_child(el, name)
    return attr(found, "val") if found is not None else None


def toggle(el: Element | None) -> bool | None:
    """A toggle property (``w:i``): None when absent, else its value."""
    if el is None:
        return None
    return attr(el, "val") not in ("0", "false", "off")


# --- styles and numbering ------------------------------------------------------------


class Styles:
    """Just enough of styles.xml: italics and numbering through basedOn chains, heading styles."""

    def __init__(self, root: Element | None) -> None:
        self.styles: dict[str, Element] = {}
        self.default_para: str | None = None
        self.default_italic = False
        if root is None:
            return
        for el in root:
            name = local(el.tag)
            if name == "docDefaults":
                rpr = first_child(first_child(el, "rPrDefault"), "rPr")
                self.default_italic = bool(toggle(first_child(rpr, "i")))
            elif name == "style":
                sid = attr(el, "styleId") or ""
                self.styles[sid] = el
                if attr(el, "type") == "paragraph" and attr(el, "default") in ("1", "true"):
                    self.default_para = sid

    def _chain(self, sid: str | None) -> list[Element]:
        out: list[Element] = []
        seen: set[str] = set()
        while sid and sid in self.styles and sid not in seen and len(out) < 20:
            seen.add(sid)
            el = self.styles[sid]
            out.append(el)
            based = first_child(el, "basedOn")
            sid = attr(based, "val") if based is not None else None
        return out

    def italic(self, sid: str | None) -> bool | None:
        for el in self._chain(sid):
            value = toggle(first_child(first_child(el, "rPr"), "i"))
            if value is not None:
                return value
        return None

    def para_italic(self, sid: str | None) -> bool:
        value = self.italic(sid or self.default_para)
        return self.default_italic if value is None else value

    def numbering_of(self, sid: str | None) -> tuple[str, int] | None:
        for el in self._chain(sid or self.default_para):
            num = num_pr(first_child(el, "pPr"))
            if num is not None:
                return num
        return None

    def is_heading(self, sid: str | None) -> bool:
        for el in self._chain(sid):
            name = (val(el, "name") or "").lower()
            if name.startswith("heading") or name in ("title", "subtitle"):
                return True
        return False


def num_pr(ppr: Element | None) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph's or style's ``w:numPr``; None when it has none."""
    num_pr = first_child(ppr, "numPr")
    if num_pr is None:
        return None
    num_id = val(num_pr, "numId")
    ilvl = val(num_pr, "ilvl")
    if not num_id:
        return None
    # numId 0 switches off numbering a style would give; kept so that it overrides.
    try:
        level = int(ilvl or 0)
    except ValueError:
        level = 0
    return num_id, min(max(level, 0), 8)


@dataclass(frozen=True, slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"


def _level_of(el: Element) -> Level:
    def val(name: str) -> str | None:
        c = first_child(el, name)
        return attr(c, "val") if c is not None else None

    try:
        start = int(val("start") or 1)
    except ValueError:
        start = 1
    return Level(start, val("numFmt") or "decimal", val("lvlText") or "", val("suff") or "tab")


class Numbering:
    """numbering.xml: list instances → abstract definitions → level formats."""

    def __init__(self, root: Element | None) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, Level]]] = {}
        if root is None:
            return
        for el in root:
            name = local(el.tag)
            if name == "abstractNum":
                levels = {}
                for lvl in el:
                    if local(lvl.tag) == "lvl":
                        levels[_int(attr(lvl, "ilvl"))] = _level_of(lvl)
                self.abstract[attr(el, "abstractNumId") or ""] = levels
            elif name == "num":
                abstract = val(el, "abstractNumId") or ""
                overrides: dict[int, Level] = {}
                for ov in el:
                    if local(ov.tag) != "lvlOverride":
                        continue
                    ilvl = _int(attr(ov, "ilvl"))
                    lvl_el = first_child(ov, "lvl")
                    start_el = first_child(ov, "startOverride")
                    if lvl_el is not None:
                        overrides[ilvl] = _level_of(lvl_el)
                    if start_el is not None:
                        base = overrides.get(ilvl) or self.abstract.get(abstract, {}).get(ilvl)
                        overrides[ilvl] = dataclasses.replace(
                            base or Level(), start=_int(attr(start_el, "val"), 1)
                        )
                self.nums[attr(el, "numId") or ""] = (abstract, overrides)

    def level(self, num_id: str, ilvl: int) -> Level | None:
        if num_id not in self.nums:
            return None
        abstract, overrides = self.nums[num_id]
        return overrides.get(ilvl) or self.abstract.get(abstract, {}).get(ilvl)


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def _roman(n: int) -> str:
    out = []
    for value, digits in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """A list counter as Word prints it for ``numFmt`` (decimal, lowerLetter, lowerRoman...)."""
    if fmt in ("bullet", "none"):
        return ""
    if n <= 0 and fmt != "decimal":
        return str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        # Word goes a..z, then aa..zz, aaa...
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Counters:
    """The running counters of every list, as Word advances them paragraph by paragraph."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.values: dict[str, list[int | None]] = {}

    def render(self, num_id: str, ilvl: int) -> str:
        lvl = self.numbering.level(num_id, ilvl)
        if lvl is None:
            return ""
        values = self.values.setdefault(num_id, [None] * 9)
        current = values[ilvl]
        values[ilvl] = lvl.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            values[deeper] = None
        if lvl.fmt == "bullet":
            return ""
        text = lvl.text
        for k in range(9, 0, -1):
            marker = f"%{k}"
            if marker in text:
                other = self.numbering.level(num_id, k - 1) or Level()
                value = values[k - 1]
                text = text.replace(
                    marker, format_number(other.start if value is None else value, other.fmt)
                )
        return text
