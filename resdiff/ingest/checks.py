"""Structure checks over a parsed Document: numbering, sub-item sequences, leaks.

``structure_problems(doc)`` returns one line per problem (empty = passes):
operative paragraphs numbered 1..N without gap or repeat (so the count equals
the last printed number); sibling sub-items gapless ((a), (b)... or (i), (ii)...,
where an (i) among letters is the letter); no empty unit; no unit containing
page furniture (a symbol standing alone, job number, barcode, ``n/N`` page number,
a running-title line of the document, a ``_____`` rule) or the text of a
footnote; every cited footnote exists; first citations come in increasing
footnote order through the document (the same footnote may be cited again later,
so only first citations are ordered); no unit text keeps an uncited footnote's
number glued to a word (``Refugees15``, ``Relations,24``: a marker left in the
text); no operative paragraph holds the opening of the next one ("Decides to act
2. Requests ...") while the document lacks that paragraph, and no unit runs past
``MAX_UNIT_CHARS`` (the corpus's longest paragraph has about 17,000 characters):
either means paragraphs were folded into one. ``ANNEX`` units are checked for leaks
and length only: an annex keeps its own numbering.

``uncited_footnotes(doc)`` lists footnotes no unit cites. It is not part of
``structure_problems``: in 16 of the 1,187 bulk texts a footnote stays uncited,
mostly because the extraction lost the marker, so "every footnote cited" holds for
the series texts (tests assert it) and the bulk exceptions are listed one by one,
with why (tests/bulk_known.py).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict

from resdiff.ingest.raw import RawDocument
from resdiff.model import Document, Unit

__all__ = ["MAX_UNIT_CHARS", "lost_text", "structure_problems", "uncited_footnotes"]

_LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
_ROMANS = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
    "xv", "xvi", "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv",
]  # fmt: skip

_FURNITURE_RES = (
    ("job number", re.compile(r"(?<![\w/.\-])\d{2}-\d{5}(?:\s*\([A-Z]\))?(?![\w\-/])(?:\s+\d{6})")),
    ("job number", re.compile(r"(?<![\w/.\-])\d{2}-\d{5}\s*\([A-Z]\)")),
    ("barcode", re.compile(r"\*\d{7,}\*")),
    # a rule followed by a footnote number; "80/___ of ______ 2025" is a blank to fill in
    ("footnote rule", re.compile(r"_{8,}\s+\d{1,3}\s+\S")),
    ("page number", re.compile(r"(?<![\w/.\-,])(\d{1,2})/(\d{1,2})(?![\w/.\-])\s+\d{2}-\d{5}")),
)
# What every pattern above needs somewhere (a job number's "dd-ddddd", a barcode's "*d",
# a rule): one scan rules out most units, where the five patterns, each starting with a
# look-behind that defeats the regex engine's fast scan, took a tenth of a text parse.
_FURNITURE_HINT = re.compile(r"\d-\d|\*\d|_{8}")


def _sequence_ok(tokens: list[str]) -> bool:
    if not tokens:
        return True
    if tokens == _LETTERS[: len(tokens)]:
        return True
    if tokens == _ROMANS[: len(tokens)]:
        return True
    # doubled letters after z: (aa), (bb)...
    doubled = _LETTERS + [c + c for c in _LETTERS]
    return tokens == doubled[: len(tokens)]


def _leak(u: Unit, doc: Document, footnote_texts: list[str], title_lines: set[str]) -> str | None:
    t = u.text
    for what, rx in _FURNITURE_RES if _FURNITURE_HINT.search(t) else ():
        m = rx.search(t)
        if m:
            return f"{u.label}: contains page furniture ({what} {m.group(0)!r})"
    sym = doc.metadata.symbol
    if sym and (f" {sym} {sym} " in f" {t} " or t.endswith(f" {sym}")) and u.kind != "preambular":
        return f"{u.label}: contains page furniture (symbol {sym})"
    if sym:
        for line in title_lines:
            if f"{sym} {line}" in t or f"{line} {sym}" in t:
                return f"{u.label}: contains the running title {line!r} with the symbol"
    for ft in footnote_texts:
        if ft in t:
            return f"{u.label}: contains footnote text {ft[:40]!r}"
    return None


def _numbering(part: str, ops: list[int]) -> list[str]:
    where = f" in part {part}" if part else ""
    out: list[str] = []
    if len(ops) != len(set(ops)):
        dup = sorted(n for n, k in Counter(ops).items() if k > 1)
        out.append(f"operative paragraphs repeated{where}: {dup}")
    if ops != list(range(1, len(ops) + 1)):
        out.append(
            f"operative numbering{where} is not 1..{len(ops)} in order "
            f"(count {len(ops)}, last printed {ops[-1]})"
        )
    return out


def structure_problems(doc: Document) -> list[str]:
    """Problems found in ``doc``; an empty list means it passes (see the module docstring)."""
    problems: list[str] = []
    by_part: dict[str, list[int]] = defaultdict(list)
    for u in doc.units:
        m = re.fullmatch(r"(?:([\w\-]+)\.)?OP(\d+)", u.label)
        if m:
            by_part[m.group(1) or ""].append(int(m.group(2)))
    for part, ops in by_part.items():
        problems += _numbering(part, ops)

    children: dict[str, list[str]] = defaultdict(list)
    for u in doc.units:
        parent = u.parent
        if parent is not None:
            children[parent].append(u.label[len(parent) + 1 : -1])
    for parent, toks in children.items():
        if not _sequence_ok(toks):
            problems.append(f"{parent}: sub-items not gapless: {', '.join(toks)}")
    labels = [u.label for u in doc.units]
    if len(labels) != len(set(labels)):
        dups = sorted(x for x, k in Counter(labels).items() if k > 1)
        problems.append("duplicate labels: " + ", ".join(dups))
    numbers = {f.number for f in doc.footnotes}
    # Only footnote texts long enough to be unmistakable count as leaks ("Ibid." is not).
    ftexts = [f.text for f in doc.footnotes if len(f.text) >= 30]
    # running-title lines repeat on every page; headings and notes do not
    seen = Counter(doc.furniture)
    titles = {ln for ln, k in seen.items() if k >= 2 and not re.search(r"\d", ln)}
    for u in doc.units:
        if not u.text.strip():
            problems.append(f"{u.label}: empty unit")
            continue
        leak = _leak(u, doc, ftexts, titles)
        if leak:
            problems.append(leak)
        for n in u.footnotes:
            if n not in numbers:
                problems.append(f"{u.label}: cites footnote {n}, which does not exist")
    return problems + _folded(doc) + _citations(doc)


# Far past any real paragraph (the corpus's longest has about 17,000 characters).
MAX_UNIT_CHARS = 50_000
_TOP_OP = re.compile(r"((?:[\w\-]+\.)?OP)(\d+)")


def _folded(doc: Document) -> list[str]:
    """Units that swallowed later paragraphs (see the module docstring)."""
    out: list[str] = []
    labels = {u.label for u in doc.units}
    for u in doc.units:
        if len(u.text) > MAX_UNIT_CHARS:
            out.append(
                f"{u.label}: {len(u.text):,} characters, far past any paragraph "
                "(paragraphs folded into one?)"
            )
        m = _TOP_OP.fullmatch(u.label)
        if m is None:
            continue
        nxt = int(m.group(2)) + 1
        if f"{m.group(1)}{nxt}" in labels:
            continue
        held = re.search(rf"(?:^|[\s;:.,]){nxt}\.\s+[A-Za-z“‘\"(]", u.text)
        if held:
            ctx = u.text[max(0, held.start() - 30) : held.end() + 20]
            out.append(f"{u.label}: holds the opening of paragraph {nxt} (folded?): {ctx!r}")
    return out


def _glued(n: int) -> re.Pattern[str]:
    # a lower-case letter or closing punctuation then the bare number: "Refugees15",
    # "Relations,24", "Goals;13"; never a symbol or figure ("A/72/5315", "2017,15")
    return re.compile(r"[a-z\)”’][,;:.]?" + str(n) + r"(?![\d/.\-]\d)(?!\d)")


def uncited_footnotes(doc: Document) -> list[int]:
    """Footnotes that no unit cites: a marker left in the text or misplaced, or a marker
    the extraction lost (some bulk texts lack one; the series texts never do)."""
    cited = {n for u in doc.units for n in u.footnotes}
    return sorted(f.number for f in doc.footnotes if f.number not in cited)


def _citations(doc: Document) -> list[str]:
    """Footnote citation problems (see the module docstring)."""
    out: list[str] = []
    first: list[int] = []
    seen: set[int] = set()
    for u in doc.units:
        for n in u.footnotes:
            if n not in seen:
                seen.add(n)
                first.append(n)
    for a, b in itertools.pairwise(first):
        if b < a:
            out.append(f"footnote {b} first cited after footnote {a}")
            break
    for n in uncited_footnotes(doc):
        rx = _glued(n)
        for u in doc.units:
            m = rx.search(u.text)
            if m:
                ctx = u.text[max(0, m.start() - 20) : m.end()]
                out.append(f"{u.label}: uncited footnote {n} left in the text ({ctx!r})")
                break
    return out


_ALNUM = re.compile(r"\w", re.UNICODE)
_ENUM = re.compile(r"^(?:\d{1,3}\.?|\((?:[a-z]{1,3}|[ivxlc]{1,7})\))\s*")


def _alnum(*texts: str) -> Counter[str]:
    c: Counter[str] = Counter()
    for t in texts:
        c.update(_ALNUM.findall(t))
    return c


def lost_text(source_text: str, raw: RawDocument, doc: Document) -> list[str]:
    """What the parse of ``source_text`` lost or invented; empty when every letter and digit
    is accounted for.

    Repair step: the letters and digits of the input equal those of the header lines,
    furniture, blocks, footnotes (number and text) and removed footnote markers.
    Structure step: every block, its enumerator aside, is found in a unit's text or in
    the furniture.
    """
    out: list[str] = []
    have = _alnum(source_text)
    got = _alnum(*raw.header, *raw.furniture, *(b.text for b in raw.blocks))
    for f in raw.footnotes:
        got += _alnum(str(f.number), f.text)
    for b in raw.blocks:
        got += _alnum(*(str(n) for n in b.footnote_refs))
    missing, invented = have - got, got - have
    if missing:
        out.append(f"lost in repair: {''.join(sorted(missing.elements()))[:80]!r}")
    if invented:
        out.append(f"invented in repair: {''.join(sorted(invented.elements()))[:80]!r}")
    texts = [u.text for u in doc.units]
    furniture = set(doc.furniture)
    for b in raw.blocks:
        t = b.text.strip()
        core = _ENUM.sub("", t, count=1)
        if t in furniture or any(core in u for u in texts):
            continue
        if t.startswith("The General Assembly,") and any(t[21:].strip() in u for u in texts):
            continue
        out.append(f"block not found in any unit: {t[:60]!r}")
    return out
