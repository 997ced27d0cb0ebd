"""Amendment text → operations: quoted wording, paragraph references, instruction grammar.

``parse_instruction(text)`` reads one instruction ("In operative paragraphs 27 and 43,
delete “sexual and reproductive”"); ``parse_amendment(doc)`` reads every instruction of
an amendment document, attaching the paragraphs that follow a "reading:" to the
instruction before them. Text that is not understood becomes an ``Instruction`` with a
``problem``, never an exception: the report must show it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal

from resdiff.amend.operations import (
    DeleteParagraph,
    DeleteWording,
    InsertParagraphs,
    InsertWording,
    Instruction,
    NewText,
    Operation,
    ParaRef,
    Part,
    ReplaceEverywhere,
    ReplaceParagraph,
    ReplaceWording,
)
from resdiff.errors import ParseError
from resdiff.ingest.lexicon import lead_words
from resdiff.model import DocKind, Document, UnitKind

__all__ = ["ParsedInstruction", "ordinal", "parse_amendment", "parse_instruction", "parse_refs"]

_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
          "sixteenth", "seventeenth", "eighteenth", "nineteenth"]  # fmt: skip
_TENS = ["twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]
_ORDINALS: dict[str, int] = {w: i + 1 for i, w in enumerate(_UNITS)}
_ORDINALS |= {w: i + 10 for i, w in enumerate(_TEENS)}
for _i, _t in enumerate(_TENS):
    _ORDINALS[_t + "ieth"] = 20 + 10 * _i
    for _j, _u in enumerate(_UNITS):
        _ORDINALS[f"{_t}y-{_u}"] = 20 + 10 * _i + _j + 1


def ordinal(word: str) -> int | None:
    """3 for "third", 28 for "twenty-eighth" (or "twenty eighth", "28th"); None otherwise."""
    w = word.lower().replace(" ", "-").replace("\u2011", "-").replace("\u2010", "-")
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", w)
    return int(m.group(1)) if m else _ORDINALS.get(w)


# --- quoted wording -----------------------------------------------------------

_OPEN, _CLOSE = "\u201c", "\u201d"


def _extract_quotes(text: str) -> tuple[str, list[str]]:
    """Replace each top-level quotation with «n»; curly quotes nest, straight ones pair up.

    Raises ValueError for an unbalanced quotation.
    """
    out: list[str] = []
    quotes: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == _OPEN:
            depth, j = 1, i + 1
            while j < n and depth:
                depth += {_OPEN: 1, _CLOSE: -1}.get(text[j], 0)
                j += 1
            if depth:
                raise ValueError("a “ has no closing ”")
            quotes.append(text[i + 1 : j - 1])
        elif ch == '"':
            j = text.find('"', i + 1)
            if j < 0:
                raise ValueError('a " has no closing "')
            j += 1
            quotes.append(text[i + 1 : j - 1])
        elif ch == _CLOSE:
            raise ValueError("a ” has no opening “")
        else:
            out.append(ch)
            i += 1
            continue
        out.append(f"«{len(quotes) - 1}»")
        i = j
    return "".join(out), quotes


def _clean_quote(q: str) -> str:
    # a "*" glued to a word is a footnote reference of the amendment, not wording
    return " ".join(re.sub(r"(?<=[\w’”')])\*+", "", q).split())


# --- paragraph references -----------------------------------------------------

_REF_TOKEN = re.compile(r"\([a-z]{1,5}\)|\d+(?:st|nd|rd|th)?|[a-z]+(?:[-\u2010\u2011][a-z]+)*|,")


def parse_refs(text: str) -> list[ParaRef] | None:
    """Every paragraph a reference phrase names, in order; None when it is not one.

    "the third preambular paragraph and operative paragraph 2", "operative paragraphs
    27 and 43", "subparagraph (c) of operative paragraph 4", "operative paragraph 2 (b)".
    A bare "paragraph 5" is operative: only operative paragraphs are numbered in print.
    """
    toks = _REF_TOKEN.findall(text.lower())
    if "".join(toks).replace(",", "") != re.sub(r"[\s,]", "", text.lower()):
        return None  # something we do not read (a quote, a stray word in another script)
    refs: list[ParaRef] = []
    part: Part | None = None
    ords: list[int] = []
    subs: list[str] = []  # "subparagraphs (a) and (b) of ...": waiting for their paragraph
    after_number = expect_numbers = False
    for tok in toks:
        glued = after_number
        after_number = False
        if tok in {"the", "and", ",", "of"}:
            continue
        if tok in {"preambular", "operative"}:
            part = Part(tok)
            refs += [ParaRef(part, o) for o in ords]
            ords = []
        elif tok in {"paragraph", "paragraphs"}:
            expect_numbers = True
        elif tok in {"subparagraph", "subparagraphs", "sub-paragraph", "sub-paragraphs"}:
            continue
        elif tok.startswith("("):
            if glued:  # "operative paragraph 2 (b) (ii)"
                refs[-1] = dataclasses.replace(refs[-1], sub=(*refs[-1].sub, tok[1:-1]))
                after_number = True
            else:
                subs.append(tok[1:-1])
        elif tok.isdigit() and expect_numbers:
            ref = ParaRef(part or Part.OPERATIVE, int(tok))
            refs += [dataclasses.replace(ref, sub=(s,)) for s in subs] if subs else [ref]
            subs = []
            after_number = True
        elif (o := ordinal(tok)) is not None and not tok.isdigit():
            ords.append(o)
        else:
            return None
    if ords:
        return None  # "the third paragraph": which part?
    if subs:
        if len(refs) != 1 or refs[0].sub:
            return None
        # "operative paragraph 4, subparagraph (c)"
        refs = [dataclasses.replace(refs[0], sub=(s,)) for s in subs]
    return refs or None


# --- one instruction ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedInstruction:
    """Operations read from one instruction; ``wants_text`` > 0 when the paragraphs to
    insert follow it ("... reading:"): 1 for "a new paragraph", 2 for "new paragraphs"."""

    operations: tuple[Operation, ...]
    wants_text: int = 0


_Q = r"«(\d+)»"
_WORDS = r"(?:the\s+(?:words?|phrase|text)\s+)?"
_READING = r"(?:,?\s*(?:reading|which reads?|to read|as follows|the following(?:\s+text)?)?\s*:?)?"
_KIND = r"(?:(?P<kind>preambular|operative)\s+)?(?P<sub>sub-?)?paragraph(?P<plural>s)?"
# "a new operative paragraph", "two new preambular paragraphs", "the following operative
# paragraph" (no "new": the paragraph follows the instruction all the same).
_NEW = (
    rf"(?:(?:(?P<count>a|the\s+following|two|three|four|five)\s+)?new\s+|the\s+following\s+)"
    rf"{_KIND}(?:\s+\d+|\s+\([a-z]+\))?"
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}
# Where one inline paragraph ends and the next begins: a ";" or "." and a capital.
_INLINE_END = re.compile(r"(?<=[;.])\s+(?=[A-Z])")
# "... reading: Stressing that ...": the one paragraph to insert, printed in the same
# block as the instruction rather than quoted or below it.
_INLINE = re.compile(rf"{_READING}\s*(?P<text>[A-Z][^«]*)")

_ACTIONS = [
    ("replace", re.compile(rf"replace\s+{_WORDS}{_Q}\s+(?:with|by)\s+{_WORDS}{_Q}", re.I)),
    ("delete", re.compile(rf"delete\s+{_WORDS}{_Q}(?:(?:,\s*|\s+and\s+){_Q})*", re.I)),
    (
        "insert_at",
        re.compile(rf"(after|before)\s+{_WORDS}{_Q},?\s+(?:insert|add)\s+{_WORDS}{_Q}", re.I),
    ),
    (
        "insert_rel",
        re.compile(rf"(?:insert|add)\s+{_WORDS}{_Q}\s+(after|before)\s+{_WORDS}{_Q}", re.I),
    ),
    (
        "insert_end",
        re.compile(
            rf"(?:at\s+the\s+(end|beginning)(?:\s+of\s+the\s+paragraph)?,?\s+)?(?:insert|add)"
            rf"\s+{_WORDS}{_Q}(?:\s+at\s+the\s+(end|beginning)(?:\s+of\s+the\s+paragraph)?)?",
            re.I,
        ),
    ),
]
_ACTION_SPLIT = re.compile(
    r"\s*;\s*(?:and\s+)?|,?\s+and\s+(?=(?:replace|delete|insert|add|after|before|at)\b)", re.I
)


def _side(word: str) -> Literal["before", "after"]:
    return "after" if word.lower() == "after" else "before"


def _with_texts(op: Operation, texts: tuple[NewText, ...]) -> Operation:
    if isinstance(op, InsertParagraphs | ReplaceParagraph):
        return dataclasses.replace(op, texts=texts)
    return op


def _wording(target: ParaRef, action: str, quotes: list[str]) -> list[Operation] | None:
    for name, rx in _ACTIONS:
        m = rx.fullmatch(action)
        if not m:
            continue
        g = m.groups()
        if name == "replace":
            return [ReplaceWording(target, quotes[int(g[0])], quotes[int(g[1])])]
        if name == "delete":
            idx = [int(x) for x in re.findall(_Q, action)]
            return [DeleteWording(target, quotes[i]) for i in idx]
        if name == "insert_at":
            return [InsertWording(target, quotes[int(g[2])], quotes[int(g[1])], _side(g[0]))]
        if name == "insert_rel":
            return [InsertWording(target, quotes[int(g[0])], quotes[int(g[2])], _side(g[1]))]
        where = (g[0] or g[2] or "end").lower()
        return [
            InsertWording(target, quotes[int(g[1])], None, "end" if where == "end" else "start")
        ]
    return None


def _texts(skeleton_tail: str, quotes: list[str]) -> tuple[NewText, ...]:
    return tuple(_new_text(quotes[int(i)]) for i in re.findall(_Q, skeleton_tail))


def _new_text(text: str, lead: str = "", depth: int = 0) -> NewText:
    text = _clean_quote(re.sub(r"^\s*\d{1,3}\.\s+", "", text))
    if len(text) >= 2 and text[0] == _OPEN and text[-1] == _CLOSE:
        text = text[1:-1].strip()
    return NewText(text=text, lead=lead, depth=depth)


_INSERT_ANCHORED = [
    re.compile(rf"(?P<pos>after|before)\s+(?P<refs>.+?),?\s+(?:insert|add)\s+{_NEW}(?P<rest>.*)", re.I),
    re.compile(rf"(?:insert|add)\s+{_NEW},?\s+(?P<pos>after|before)\s+(?P<refs>.+?)(?P<rest>(?:,|\s+reading|\s+which|\s+as\s+follows|\s*:|\s*«).*|)", re.I),
]  # fmt: skip
_INSERT_END = [
    re.compile(rf"at\s+the\s+(?P<pos>end|beginning)\s+of\s+the\s+(?P<part>preambular|operative)\s+(?:part|section|paragraphs),?\s+(?:insert|add)\s+{_NEW}(?P<rest>.*)", re.I),
    re.compile(rf"(?:insert|add)\s+{_NEW}(?:,?\s+at\s+the\s+(?P<pos>end|beginning)(?:\s+of\s+the\s+(?P<part>preambular|operative)\s+(?:part|section|paragraphs))?)?(?P<rest>.*)", re.I),
]  # fmt: skip


def _rest_texts(
    rest: str, quotes: list[str], ending: str, *, count: int, operative: bool
) -> tuple[NewText, ...] | None:
    """The paragraphs an insertion's tail gives: quoted ones, or printed inline after
    "reading:" (``ending`` is the last one's final "." or ";", taken off the instruction),
    or none yet (they follow); None when the tail is something else.

    Several paragraphs inline ("insert two new operative paragraphs reading: Expresses
    ...; Stresses ...;") are cut where a paragraph's end meets a lead ("Stresses"); they
    are read only when the cuts give exactly the number announced (0: not said).
    """
    if re.fullmatch(rf"{_READING}\s*(?:{_Q}\s*)*", rest):
        return _texts(rest, quotes)
    inline = _INLINE.fullmatch(rest)
    if not inline or ":" not in rest[: inline.start("text")]:
        return None
    if count == 1:
        return (_new_text(inline["text"] + ending),)
    text = inline["text"] + ending
    cuts = [m.end() for m in _INLINE_END.finditer(text) if lead_words(text[m.end() :], operative)]
    pieces = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    if len(pieces) != count:
        return None
    return tuple(_new_text(p) for p in pieces)


def _count(m: re.Match[str]) -> int:
    """How many paragraphs an insertion announces: 1 for "a new paragraph", 2 for "two
    new paragraphs", 0 for "new paragraphs" (not said)."""
    if not m["plural"]:
        return 1
    return _COUNTS.get((m["count"] or "").lower(), 0)


def _insert(skel: str, quotes: list[str], ending: str = "") -> ParsedInstruction | None:
    for rx in _INSERT_ANCHORED:
        m = rx.fullmatch(skel)
        if not m:
            continue
        refs = parse_refs(m["refs"])
        if not refs or len(refs) != 1:
            continue
        anchor = refs[0]
        part = Part(m["kind"].lower()) if m["kind"] else anchor.part
        count = _count(m)
        texts = _rest_texts(
            m["rest"], quotes, ending, count=count, operative=part is Part.OPERATIVE
        )
        if texts is None:
            continue
        op = InsertParagraphs(
            part, texts, anchor, "after" if m["pos"].lower() == "after" else "before"
        )
        return ParsedInstruction((op,), 0 if texts else (2 if m["plural"] else 1))
    for rx in _INSERT_END:
        m = rx.fullmatch(skel)
        kind = (m["kind"] or m["part"]) if m else None
        texts = (
            _rest_texts(m["rest"], quotes, ending, count=_count(m), operative=kind == "operative")
            if m
            else None
        )
        if m is None or texts is None:
            continue
        if kind is None or m["sub"]:
            return None  # "insert a new paragraph": into which part?
        at_start = (m["pos"] or "end").lower() == "beginning"
        op = InsertParagraphs(Part(kind.lower()), texts, None, "start" if at_start else "end")
        return ParsedInstruction((op,), 0 if texts else (2 if m["plural"] else 1))
    return None


def parse_instruction(text: str) -> ParsedInstruction | str:
    """The operations of one instruction, or a one-line reason it is not understood."""
    flat = " ".join(text.split())
    try:
        skel, quotes = _extract_quotes(flat)
    except ValueError as exc:
        return f"unbalanced quotation marks ({exc})"
    quotes = [_clean_quote(q) for q in quotes]
    skel = re.sub(r"^\s*(?:\d{1,3}\.|\([a-z]{1,4}\))\s+", "", skel).strip()
    ending = skel.rstrip()[-1:] if skel.rstrip()[-1:] in (".", ";") else ""
    skel = re.sub(r"\s*[.;]$", "", skel).strip()
    m = re.fullmatch(r"in\s+(?:the\s+)?(?P<refs>[^«]+?),\s*(?P<actions>.+)", skel, re.I)
    if m and (refs := parse_refs(m["refs"])):
        ops: list[Operation] = []
        for action in _ACTION_SPLIT.split(m["actions"]):
            for ref in refs:
                got = _wording(ref, action.strip(" ,"), quotes)
                if got is None:
                    return f"cannot read the action {action!r}"
                ops += got
        return ParsedInstruction(tuple(ops))
    m = re.fullmatch(
        rf"(?:delete|replace)\s+{_WORDS}{_Q}(?:\s+(?:with|by)\s+{_WORDS}{_Q})?\s+(?:in|from)\s+(?P<refs>[^«]+)",
        skel,
        re.I,
    )
    if m and (refs := parse_refs(m["refs"])):
        old, new = quotes[int(m.group(1))], m.group(2)
        if skel.lower().startswith("delete") and new is None:
            return ParsedInstruction(tuple(DeleteWording(r, old) for r in refs))
        if new is not None and skel.lower().startswith("replace"):
            return ParsedInstruction(tuple(ReplaceWording(r, old, quotes[int(new)]) for r in refs))
    m = re.fullmatch(
        rf"replace\s+{_WORDS}{_Q}\s+(?:with|by)\s+{_WORDS}{_Q}\s+(?P<where>(?:in|throughout)\s+[^«]+)",
        skel,
        re.I,
    )
    if m and (everywhere := _everywhere(m["where"])) is not None:
        title, parts = everywhere
        old, new = quotes[int(m.group(1))], quotes[int(m.group(2))]
        return ParsedInstruction((ReplaceEverywhere(old, new, title, parts),))
    m = re.fullmatch(r"delete\s+(?P<refs>[^«]+)", skel, re.I)
    if m and (refs := parse_refs(m["refs"])):
        return ParsedInstruction(tuple(DeleteParagraph(r) for r in refs))
    # "Delete the thirty-eighth preambular paragraph reading:" and the paragraph below,
    # quoted for the reader: the paragraph is deleted, its quoted text is no instruction.
    m = re.fullmatch(
        r"delete\s+(?P<refs>[^«:]+?),?\s+(?:reading|which reads?)\s*:(?P<rest>.*)", skel, re.I
    )
    if m and (refs := parse_refs(m["refs"])) and len(refs) == 1:
        quoted = bool(m["rest"].strip())
        return ParsedInstruction((DeleteParagraph(refs[0]),), 0 if quoted else 1)
    m = re.fullmatch(
        rf"replace\s+(?:the\s+text\s+of\s+)?(?P<refs>[^«]+?)\s+(?:with|by)(?P<rest>{_READING}\s*(?:{_Q}\s*)*)",
        skel,
        re.I,
    )
    if m and (refs := parse_refs(m["refs"])) and len(refs) == 1:
        texts = _texts(m["rest"], quotes)
        return ParsedInstruction((ReplaceParagraph(refs[0], texts),), 0 if texts else 1)
    inserted = _insert(skel, quotes, ending)
    if inserted is not None:
        return inserted
    return "not an instruction resdiff can read (no known pattern matches)"


_PLACES = {
    "title": (True, ()),
    "preambular paragraphs": (False, (Part.PREAMBULAR,)),
    "preambular part": (False, (Part.PREAMBULAR,)),
    "preamble": (False, (Part.PREAMBULAR,)),
    "operative paragraphs": (False, (Part.OPERATIVE,)),
    "operative part": (False, (Part.OPERATIVE,)),
    "text": (True, (Part.PREAMBULAR, Part.OPERATIVE)),
    "draft resolution": (True, (Part.PREAMBULAR, Part.OPERATIVE)),
    "whole text": (True, (Part.PREAMBULAR, Part.OPERATIVE)),
}


def _everywhere(where: str) -> tuple[bool, tuple[Part, ...]] | None:
    """The places a global replacement names ("in the title, the preambular paragraphs and
    the operative paragraphs", "throughout the text"); None when it names paragraphs by
    number (a replacement in those paragraphs) or anything else."""
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+", re.sub(r"^(?:in|throughout)\s+", "", where))
    title, parts = False, set[Part]()
    for name in names:
        got = _PLACES.get(re.sub(r"^the\s+", "", name.strip().lower()))
        if got is None:
            return None
        title = title or got[0]
        parts.update(got[1])
    return title, tuple(p for p in Part if p in parts)


# --- a whole amendment document -----------------------------------------------


def parse_amendment(doc: Document) -> tuple[Instruction, ...]:
    """Every instruction of an amendment document, with the paragraphs it inserts attached.

    Raises ParseError when ``doc`` is not an amendment or holds no instruction at all.
    """
    name = doc.metadata.symbol or (doc.source.name if doc.source else "amendment")
    if doc.metadata.kind is not DocKind.AMENDMENT:
        raise ParseError(
            f"{name}: not an amendment (parsed as {doc.metadata.kind.value}); "
            "give an amendment document such as A/C.3/80/L.56"
        )
    units = [u for u in doc.units if not u.label.startswith("ANNEX")]
    out: list[Instruction] = []
    i = 0
    while i < len(units):
        u = units[i]
        number = len(out) + 1
        got = parse_instruction(u.text)
        i += 1
        if isinstance(got, str):
            out.append(Instruction(name, number, u.text, (), got))
            continue
        if got.wants_text:
            texts: list[NewText] = []
            base = None
            while i < len(units):
                nxt = units[i]
                top = nxt.kind is not UnitKind.SUBITEM
                if (
                    top
                    and texts
                    and (got.wants_text == 1 or not isinstance(parse_instruction(nxt.text), str))
                ):
                    break
                if base is None:
                    base = nxt.label.count("(")
                depth = max(0, nxt.label.count("(") - base)
                operative = next((o.part for o in got.operations if hasattr(o, "part")), None)
                lead = nxt.lead or (
                    lead_words(nxt.text, operative is Part.OPERATIVE) if depth == 0 else ""
                )
                texts.append(_new_text(nxt.text, lead, depth))
                i += 1
            if not texts:
                out.append(Instruction(name, number, u.text, (), "the text to insert is missing"))
                continue
            ops = tuple(_with_texts(o, tuple(texts)) for o in got.operations)
            full = " ".join([u.text, *(t.text for t in texts)])
            out.append(Instruction(name, number, full, ops))
            continue
        out.append(Instruction(name, number, u.text, got.operations))
    if not out:
        raise ParseError(f"{name}: no instructions found; is it an amendment document?")
    return tuple(out)
