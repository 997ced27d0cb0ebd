"""Footnote markers in text extracted from PDFs: which bare digits are markers, and removal.

Markers are digits glued to a word or punctuation (``Refugees16``, ``2021,1``),
glued to a year (``201724`` = 2017 + marker 24), or standing after a space where
no number would be written (``Korea, 3 regretting``, ``16 April 2004 4 and``),
never after words that take numbers ("resolution 8", "of 16") nor inside symbols
(``A/HRC/37/56/Add.1``, ``GC(69)/RES/9 A.2``, ``2/CMA.4``, ``COVID‑19``). Footnotes
are cited in increasing order, so each footnote number is looked for after the
previous marker and before the glued markers of the next footnote (or of two of the
next three, in order); a number that cannot be placed that way is left for a second
pass. That pass looks for each footnote still uncited between the markers of its
cited neighbours, and there only accepts weaker forms: a number printed with the two
spaces of a raised marker (``2015–2030 19  by``), glued to a symbol (``77/2285`` =
77/228 + 5), to the next word (``16including``, ``Agreement4and``), to an acronym
(``INTERPOL1``) or a Roman number (``Protocol I6``); before a lower-case word after a
word that takes no numbers (``Covenant, 1 to continue``), a plural title (``Goals 13
and``) or an ordinal session (``eighth session 40 for``); after a year only where
both neighbours are cited (``24 March 2017 23 to``). A number that fits neither pass
stays in the text. A footnote cited again later is recognised only by a glued marker
after the same ten letters (punctuation aside) as its first citation.
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
# Before a number that belongs to the text: an abbreviation ("Add.1", "No. 5"), a
# symbol's part ("2/CMA.4", decision 2/CMA.4 of the Paris Agreement), a dash.
_ABBREV_BEFORE = re.compile(
    r"(?:\b(?:Add|Rev|Corr|Amend|para|paras|No|Nos|vol|chap|sect|art|arts|Suppl|Ser|p|pp|L|S|"
    r"Sales|E|F|annex)\.\s?|\b[A-Z]\.|[A-Z]{1,5}|[\d]\.|/[A-Za-z]{1,6}\.|[/\-–\u2011])$"
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
        if _overtaken(out, todo[idx + 1 : idx + 1 + _LOOKAHEAD], hit, pi, pos, where):
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


# A hit for footnote n comes too late when the glued marker of n + 1 stands before it,
# or when the glued markers of two of n + 1..n + 3 do, in order: n + 1 may be cited in a
# weak form ("2013, 14 has") that the strong-only look misses, as in A/RES/73/180 where
# "Goals;13" in OP16(n) came after "Refugees15" and "thereto16" in OP2. One stray glued
# number further on ("COVID-19") must not reject a good hit, hence two in order.
_LOOKAHEAD = 3


def _overtaken(
    out: list[str], later: list[int], hit: _Hit, pi: int, pos: int, where: dict[int, list[int]]
) -> bool:
    """Whether glued markers of the ``later`` footnotes show that ``hit`` is too late."""
    before: list[tuple[int, int]] = []
    for i, m in enumerate(later):
        nxt = find_marker(out, m, pi, pos, strong_only=True, where=where.get(m, []))
        if nxt is not None and (nxt.para, nxt.start) < (hit.para, hit.start):
            if i == 0:
                return True
            word = out[nxt.para][: nxt.start].rsplit(" ", 1)[-1]
            if "/" not in word:  # "C-24/DEC.4 and C-24/DEC.5" are symbols, not markers
                before.append((nxt.para, nxt.start))
    return len(before) >= 2 and before == sorted(before)


def _repeated_citations(
    out: list[str], refs: list[list[int]], contexts: dict[int, str], where: dict[int, list[int]]
) -> None:
    """A footnote cited again later ("... of 12 August 1949,2" in PP5 and again in OP3):
    a glued marker after the very words of its first citation is that footnote again."""
    for n, ctx in contexts.items():
        if len(ctx) < 12:
            continue
        # punctuation may differ between the citations ("Goals 13 and", "Goals;13")
        key = ctx.rstrip(" ,;:.")[-10:]
        for pi in where.get(n, []):
            t = out[pi]
            for k, e, strong in reversed(_candidates(t, n)):
                same = t[max(0, k - 12) : k].rstrip(" ,;:.")[-10:] == key and len(key) == 10
                if strong and same and n not in refs[pi]:
                    t = t[:k] + t[e:]
                    refs[pi].append(n)
                    refs[pi].sort()
            out[pi] = t


# A symbol with a marker glued to its number: "77/2285" is resolution 77/228 + marker 5
# (GA resolution numbers have at most three digits).
_GLUED_SYMBOL = re.compile(r"(?<![\w/])\d{2}/(\d{4,6})(?![\d/])")
_YEARS = re.compile(r"(?:(?:1[6-9]|20)\d\d[–-])?(?:1[6-9]|20)\d\d,?")
_ORDINAL_TAILS = {"st", "nd", "rd", "th", "s", "bis", "ter", "km", "kg", "cm", "mm", "am", "pm"}


def _gap_candidates(
    text: str, n: int, spaced: frozenset[tuple[int, str]], bounded: bool = False
) -> list[tuple[int, int]]:
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
    # after a plural title that also takes numbers ("Sustainable Development Goals 13 and
    # in line", A/RES/73/180), unless a list of numbers follows ("Goals 13 and 14")
    rx = r"\b[A-Z][a-z]+s( " + s + r")(?= [a-z])(?! (?:and|to|or) \d)"
    out += [m.span(1) for m in re.finditer(rx, text)]
    # before a lower-case word, after a word that does not take numbers: "Bridgetown
    # Covenant, 1 to continue", "Declaration 2 of an", "Secretary-General, 2 and"; or
    # after a year or a range of years ("1993, 5 to", "2015–2030 29 and")
    rx = r"(\S+)( " + s + r") ([a-z]+)(?! \d)"
    for m in re.finditer(rx, text):
        word = m.group(1).lower().rstrip(",;:")
        nxt = m.group(3)
        if nxt in _MONTHS and nxt not in ("to", "of"):
            continue
        wordy = word.rstrip(")”’").replace("-", "").isalpha()
        if wordy and word not in _NUMERIC_CONTEXT | _MONTHS:
            out.append(m.span(2))
        elif bounded and _YEARS.fullmatch(m.group(1)):
            # a number after a number: only where both neighbours pin the gap down
            # ("of 24 March 2017 23 to strengthen", A/RES/73/180 OP8)
            out.append(m.span(2))
    # glued on both sides ("Paris Agreement4and", "Human Rights,1as"); after an acronym
    # ("INTERPOL1 and", "HIV/AIDS7 and"); after a Roman-numbered instrument ("Protocol
    # I6 to"); after an ordinal session ("its eighth session 40 for")
    for rx in (
        r"[a-z][,;]?(" + s + r")(?=[a-z]{2,})",
        r"(?<![\w/.\-])[A-Z][A-Z/]*[A-Z]{2}(" + s + r")(?=[ ,;:.])",
        r"\b(?:Protocol|Annex|Part) [IVX]{1,4}(" + s + r")(?=[ ,;:.])",
        r"(?:th|first|second|third) session( " + s + r")(?= [a-z])(?! (?:and|to|or) \d)",
    ):
        for m in re.finditer(rx, text):
            tail = re.match(r"[a-z]*", text[m.end(1) :])
            if tail is None or tail.group(0) not in _ORDINAL_TAILS:
                out.append(m.span(1))
    for m in _GLUED_SYMBOL.finditer(text):
        digits = m.group(1)
        if digits.endswith(s) and 1 <= len(digits) - len(s) <= 3:
            out.append((m.end() - len(s), m.end()))
    return sorted(set(out))


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
        # the first and last footnotes are bounded by the document's ends
        bounded = (bool(below) or n == min(missing + list(placed))) and (
            bool(above) or n == max(missing + list(placed))
        )
        for pi in range(lo[0], min(hi[0] + 1, len(out))):
            for k, e in _gap_candidates(out[pi], n, spaced, bounded):
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
