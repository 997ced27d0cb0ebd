"""Footnote markers in text extracted from PDFs: which bare digits are markers, and removal.

Markers are digits glued to a word or punctuation (``Refugees16``, ``2021,1``),
glued to a year (``201724`` = 2017 + marker 24), or standing after a space where
no number would be written (``Korea, 3 regretting``, ``16 April 2004 4 and``),
never after words that take numbers ("resolution 8", "of 16") nor inside symbols
(``A/HRC/37/56/Add.1``, ``GC(69)/RES/9 A.2``). Footnotes are cited in increasing
order, so each footnote number is looked for after the previous marker and before
the next footnote's unambiguous (glued) marker; a number that cannot be placed that
way is left for a second pass. That pass looks for each footnote still uncited
between the markers of its cited neighbours, and there only accepts weaker forms:
a number after a number or a word that takes numbers but printed with the two
spaces of a raised marker (``2015–2030 19  by``), a number glued to a symbol
(``77/2285`` = 77/228 + 5) or to the next word (``16including``). A number that
fits neither pass stays in the text. A footnote cited again
later is recognised only by a glued marker after the same twelve characters as
its first citation.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = ["find_marker", "strip_markers"]

# Words after which a bare number is text, not a marker ("resolution 8", "of 16").
_NUMERIC_CONTEXT = {
    "resolution", "resolutions", "paragraph", "paragraphs", "para.", "paras.", "article",
    "articles", "rule", "rules", "annex", "no.", "nos.", "vol.", "chapter", "chap.", "sect.",
    "section", "principle", "principles", "goal", "goals", "target", "targets", "item",
    "items", "decision", "decisions", "of", "and", "to", "from", "than", "over", "under",
    "about", "some", "least", "by", "at", "in", "on", "for", "with", "the", "or", "between",
    "protocol", "recommendation", "recommendations", "comment", "page", "pp.", "p.",
    "table", "figure", "phase", "level", "step", "part", "point", "category", "since",
    "until", "per", "approximately", "nearly", "almost", "around", "within", "up", "every",
    "each", "only", "first", "last", "next", "those", "these", "its", "their", "session",
    "meeting", "a", "an", "amendment", "appendix", "sub-item", "subparagraph", "cycle",
    "number", "numbers", "group", "sessions", "once", "all", "below",
    "above", "exceeding", "additional", "another", "other", "convention", "decade", "sdg",
    "covid-19", "year", "years", "days", "day", "edition", "version", "no", "footnote",
}  # fmt: skip
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "per", "percent", "%", "years", "days", "months",
    "weeks", "hours", "million", "billion", "thousand", "of", "to", "per cent",
    "states", "countries", "members", "member", "–", "-", "/", "times",
}  # fmt: skip
_ABBREV_BEFORE = re.compile(
    r"(?:\b(?:Add|Rev|Corr|Amend|para|paras|No|Nos|vol|chap|sect|art|arts|Suppl|Ser|p|pp|L|S|"
    r"Sales|E|F|annex)\.\s?|\b[A-Z]\.|[A-Z]{1,5}|[\d]\.|[/\-–])$"
)


@dataclass(frozen=True, slots=True)
class _Hit:
    para: int
    start: int
    end: int
    strong: bool


@functools.lru_cache(maxsize=512)
def _candidates(text: str, n: int) -> list[tuple[int, int, bool]]:
    """(start, end, strong) spans where footnote marker ``n`` could stand in ``text``."""
    s = str(n)
    out: list[tuple[int, int, bool]] = []
    start = 0
    while True:
        k = text.find(s, start)
        if k < 0:
            break
        start = k + 1
        e = k + len(s)
        if e < len(text) and text[e].isdigit():
            continue
        after = text[e : e + 1]
        if after and after not in " ,;.:)”’\"'":
            continue
        if after == "." and text[e + 1 : e + 2].isdigit():
            continue
        before = text[k - 1] if k > 0 else ""
        if before.isdigit():
            # glued to a year: "201724" is 2017 + marker 24
            m = re.search(r"(?<!\d)(1[6-9]\d\d|20\d\d)$", text[:k])
            if m:
                out.append((k, e, True))
            continue
        if before and not before.isspace():
            if _ABBREV_BEFORE.search(text[max(0, k - 8) : k]):
                continue
            out.append((k, e, True))
            continue
        if before == " ":
            prev_word = text[:k].rstrip().rsplit(" ", 1)[-1]
            nxt = text[e:].lstrip(" ").split(" ", 1)[0].lower().strip(",;.:")
            year = _YEAR_WORD.match(prev_word) is not None  # "16 April 2004 4 and"
            if prev_word.lower() in _NUMERIC_CONTEXT or (prev_word[-1:].isdigit() and not year):
                continue
            if nxt in _MONTHS or not prev_word or prev_word[-1] in "(/-–$€£":
                continue
            if prev_word[:1].isupper() and not prev_word.rstrip(",;:.)”’").isalpha():
                continue
            out.append((k - 1, e, False))  # the space before goes with the marker
    return out


def _index(paras: list[str]) -> dict[int, list[int]]:
    """Number -> paragraphs whose digit runs could hold that marker (a superset filter)."""
    idx: dict[int, list[int]] = {}
    for pi, t in enumerate(paras):
        seen: set[int] = set()
        for run in _DIGITS.findall(t):
            if len(run) <= 3:
                seen.add(int(run))
            elif len(run) > 4 and _YEAR.match(run):
                seen.add(int(run[4:]))
        for n in seen:
            idx.setdefault(n, []).append(pi)
    return idx


_DIGITS = re.compile(r"\d+")
_YEAR_WORD = re.compile(r"^(?:1[6-9]|20)\d\d[,;:]?$")
_YEAR = re.compile(r"^(?:1[6-9]|20)\d\d")


def find_marker(
    paras: list[str],
    n: int,
    para: int,
    pos: int,
    *,
    strong_only: bool = False,
    where: list[int] | None = None,
) -> _Hit | None:
    """The first plausible place of marker ``n`` at or after (para, pos)."""
    candidates_in = where if where is not None else range(len(paras))
    for pi in candidates_in:
        if pi < para:
            continue
        lo = pos if pi == para else 0
        for k, e, strong in _candidates(paras[pi], n):
            if k >= lo and (strong or not strong_only):
                return _Hit(pi, k, e, strong)
    return None


def strip_markers(
    paras: list[str], numbers: list[int], spaced: frozenset[tuple[int, str]] = frozenset()
) -> tuple[list[str], list[list[int]]]:
    """Remove footnote markers for ``numbers`` (in citation order) from ``paras``.

    ``spaced`` holds (number, next word) pairs that the extraction printed as a bare
    number followed by two spaces, as it prints a raised marker ("2015-2030 19  by,").
    """
    out = list(paras)
    refs: list[list[int]] = [[] for _ in paras]
    where = _index(out)
    contexts: dict[int, str] = {}
    placed: dict[int, tuple[int, int]] = {}  # cited number -> (para, start) of its marker
    pi, pos = 0, 0
    todo = sorted(set(numbers))
    for idx, n in enumerate(todo):
        hit = find_marker(out, n, pi, pos, where=where.get(n, []))
        if hit is None:
            continue
        if idx + 1 < len(todo):
            m = todo[idx + 1]
            nxt = find_marker(out, m, pi, pos, strong_only=True, where=where.get(m, []))
            if nxt is not None and (nxt.para, nxt.start) < (hit.para, hit.start):
                continue  # n's marker is not where it should be; leave n uncited
        t = out[hit.para]
        contexts[n] = t[max(0, hit.start - 12) : hit.start]
        out[hit.para] = t[: hit.start] + t[hit.end :]
        refs[hit.para].append(n)
        placed[n] = (hit.para, hit.start)
        pi, pos = hit.para, hit.start
    _fill_gaps(out, refs, contexts, placed, [n for n in todo if n not in placed], spaced)
    _repeated_citations(out, refs, contexts, where)
    _candidates.cache_clear()  # the cache holds paragraph texts: keep it per document
    return out, refs


def _repeated_citations(
    out: list[str], refs: list[list[int]], contexts: dict[int, str], where: dict[int, list[int]]
) -> None:
    """A footnote cited again later ("... of 12 August 1949,2" in PP5 and again in OP3):
    a glued marker after the very words of its first citation is that footnote again."""
    for n, ctx in contexts.items():
        if len(ctx) < 12:
            continue
        for pi in where.get(n, []):
            t = out[pi]
            for k, e, strong in reversed(_candidates(t, n)):
                if strong and t[max(0, k - 12) : k] == ctx and n not in refs[pi]:
                    t = t[:k] + t[e:]
                    refs[pi].append(n)
                    refs[pi].sort()
            out[pi] = t


# A symbol with a marker glued to its number: "77/2285" is resolution 77/228 + marker 5
# (GA resolution numbers have at most three digits).
_GLUED_SYMBOL = re.compile(r"(?<![\w/])\d{2}/(\d{4,6})(?![\d/])")
_ORDINAL_TAILS = {"st", "nd", "rd", "th", "s", "bis", "ter", "km", "kg", "cm", "mm", "am", "pm"}


def _gap_candidates(text: str, n: int, spaced: frozenset[tuple[int, str]]) -> list[tuple[int, int]]:
    """(start, end) spans where marker ``n`` stands in forms too weak to trust on their own:
    after a number or a word that takes numbers, but printed with the two spaces of a
    raised marker ("2015-2030 19  by", "sixtieth session 6  and"); glued to a symbol
    ("77/2285"); or glued to the next word ("outcomes, 16including")."""
    s = str(n)
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"(?<![\w/.,\-])" + s + r"(?!\d)", text):
        k, e = m.span()
        if k > 0 and text[k - 1] == " " and text[e : e + 1] == " ":
            nxt = text[e + 1 :].split(" ", 1)[0]
            if (n, nxt) in spaced:
                out.append((k - 1, e))
                continue
        tail = re.match(r"[a-z]+", text[e:])
        if tail and tail.group(0) not in _ORDINAL_TAILS:
            out.append((k, e))
    for m in _GLUED_SYMBOL.finditer(text):
        digits = m.group(1)
        if digits.endswith(s) and 1 <= len(digits) - len(s) <= 3:
            out.append((m.end() - len(s), m.end()))
    return sorted(out)


def _fill_gaps(
    out: list[str],
    refs: list[list[int]],
    contexts: dict[int, str],
    placed: dict[int, tuple[int, int]],
    missing: list[int],
    spaced: frozenset[tuple[int, str]],
) -> None:
    """Footnotes left uncited by the main pass: citations come in increasing order, so
    marker ``n`` lies between the markers of the nearest cited numbers below and above
    it; there, and only there, weaker forms of ``n`` count as its marker."""
    for n in missing:
        below = [placed[m] for m in placed if m < n]
        above = [placed[m] for m in placed if m > n]
        lo = max(below) if below else (0, 0)
        hi = min(above) if above else (len(out), 0)
        hit = None
        for pi in range(lo[0], min(hi[0] + 1, len(out))):
            for k, e in _gap_candidates(out[pi], n, spaced):
                if (pi, k) >= lo and (pi, e) <= hi:
                    hit = (pi, k, e)
                    break
            if hit:
                break
        if hit is None:
            continue
        pi, k, e = hit
        t = out[pi]
        contexts[n] = t[max(0, k - 12) : k]
        out[pi] = t[:k] + t[e:]
        refs[pi].append(n)
        refs[pi].sort()
        # later markers in the same paragraph moved left by the removed span
        for m, (mp, ms) in placed.items():
            if mp == pi and ms > k:
                placed[m] = (mp, ms - (e - k))
        placed[n] = (pi, k)
