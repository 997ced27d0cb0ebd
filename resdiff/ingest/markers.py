"""Footnote markers in text extracted from PDFs: which bare digits are markers, and removal.

Markers are digits glued to a word or punctuation (``Refugees16``, ``2021,1``),
glued to a year (``201724`` = 2017 + marker 24), or standing after a space where
no number would be written (``Korea, 3 regretting``, ``16 April 2004 4 and``),
never after words that take numbers ("resolution 8", "of 16") nor inside symbols
(``A/HRC/37/56/Add.1``, ``GC(69)/RES/9 A.2``, ``2/CMA.4``, ``COVID‑19``).

First citations come in increasing footnote order, so the markers are read as one
sequence (``_sequence``): of every place each footnote's number could stand, the
placement that cites the most footnotes in increasing order through the document,
then prefers the stronger forms (glued, then spaced, then the weaker forms below),
then the earlier places. Reading the sequence as a whole, not footnote by footnote,
keeps a number in the text ("Action 11. We will") from taking a footnote whose
glued marker comes later ("Peace.12"). The weaker forms: a number printed with the
two spaces of a raised marker (``2015–2030 19  by``), glued to a symbol (``77/2285``
= 77/228 + 5), to the next word (``16including``, ``Agreement4and``), to an acronym
(``INTERPOL1``) or a Roman number (``Protocol I6``); before a lower-case word after
a word that takes no numbers (``Covenant, 1 to continue``), a plural title (``Goals
13 and``) or an ordinal session (``eighth session 40 for``).

A footnote the sequence leaves uncited is then looked for between the markers of its
cited neighbours (``_bounded``), where it must stand; there any bare number counts
(``recommendations 59 emanating``, ``resolution 72/55, 1 of``, ``2 March 2022.13``,
``24 March 2017 23 to``), and so does a number glued to one that the document
prints elsewhere without it (``COVID-1916`` = COVID-19 + 16, ``Agenda 212``) or to a
symbol number too long for one (``VII/1115``: no such body numbers past 999), but
only when exactly one such place lies in the gap; otherwise the footnote stays
uncited and the number in the text.

A footnote cited again later (``_repeated``) is recognised by a marker glued after a
letter or after punctuation (``Rights,5 the``, ``34/24,1 in which``), by ``, 6 as``
after a word (unless a number follows: ``diet, 1 in 5 children``), or by a glued
marker after the same ten letters as its first citation.

``strip_markers`` returns the cleaned texts, the footnotes each cites in reading
order, and the offset in the cleaned text where each marker stood.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = ["Stripped", "strip_markers"]

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
    "weeks", "hours", "million", "billion", "trillion", "thousand", "of", "to", "per cent",
    "states", "countries", "members", "member", "–", "-", "/", "times", "a.m", "p.m",
}  # fmt: skip
# Before a number that belongs to the text: an abbreviation ("Add.1", "No. 5"), a
# symbol's part ("2/CMA.4", decision 2/CMA.4 of the Paris Agreement), a dash.
_ABBREV_BEFORE = re.compile(
    r"(?:\b(?:Add|Rev|Corr|Amend|para|paras|No|Nos|vol|chap|sect|art|arts|Suppl|Ser|p|pp|L|S|"
    r"Sales|E|F|annex)\.\s?|\b[A-Z]\.|[A-Z]{1,5}|[\d]\.|/[A-Za-z]{1,6}\.|[/\-–\u2011])$"
)


_THOUSANDS = re.compile(r",\d{3}(?!\d)")
# A year that ends where a marker starts; searched in the five characters before it
# (the year and the one before, that must not be a digit), not the whole text before.
_YEAR_BEFORE = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d)$")


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
        if _THOUSANDS.match(text, e):
            continue  # "4,998,800 dollars": a figure, not "4" and ",998,800"
        before = text[k - 1] if k > 0 else ""
        if before.isdigit():
            # glued to a year: "201724" is 2017 + marker 24
            m = _YEAR_BEFORE.search(text, max(0, k - 5), k)
            if m:
                out.append((k, e, True))
            continue
        if before and not before.isspace():
            if _ABBREV_BEFORE.search(text[max(0, k - 8) : k]):
                continue
            # after "(2022)" the number may be part of a symbol ("CM/Rec(2022)12"): weak
            out.append((k, e, not (before == ")" and text[k - 2 : k - 1].isdigit())))
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
            if after in (".", ":"):
                continue  # "Action 13. We will", "Panel 2: Resilience": a marker follows a stop
            out.append((k - 1, e, False))  # the space before goes with the marker
    return out


@dataclass(frozen=True, slots=True)
class Stripped:
    """Paragraph texts without their markers; per paragraph, the footnotes cited (in
    reading order) and the offset in the text where each marker stood."""

    texts: list[str]
    refs: list[list[int]]
    at: list[list[int]]


def _index(paras: list[str]) -> dict[int, list[int]]:
    """Number -> paragraphs whose digit runs could hold that marker (a superset filter)."""
    idx: dict[int, list[int]] = {}
    for pi, t in enumerate(paras):
        seen: set[int] = set()
        for run in _DIGITS.findall(t):
            if len(run) <= 3:
                seen.add(int(run))
            else:  # a marker glued to a year, a symbol or a name: "201724", "77/2285"
                seen.update(int(run[-k:]) for k in (1, 2, 3))
        seen.discard(0)
        for n in seen:
            idx.setdefault(n, []).append(pi)
    return idx


_DIGITS = re.compile(r"\d+")
_YEAR_WORD = re.compile(r"^(?:1[6-9]|20)\d\d[,;:]?$")


class _Text:
    """The paragraphs as markers are cut out of them, with each marker's place so far."""

    def __init__(self, paras: list[str]) -> None:
        self.texts = list(paras)
        self.marks: list[list[tuple[int, int]]] = [[] for _ in paras]  # (offset, number)
        self.cited_in: dict[int, set[int]] = {}  # number -> paragraphs citing it
        self._first: dict[int, tuple[int, int]] | None = None

    def cut(self, pi: int, k: int, e: int, n: int) -> None:
        t = self.texts[pi]
        self.texts[pi] = t[:k] + t[e:]
        d = e - k
        self.marks[pi] = [(o - d if o >= e else min(o, k), m) for o, m in self.marks[pi]]
        self.marks[pi].append((k, n))
        self.cited_in.setdefault(n, set()).add(pi)
        self._first = None

    def first(self) -> dict[int, tuple[int, int]]:
        """Where each cited footnote is first cited: (paragraph, offset)."""
        if self._first is None:
            out: dict[int, tuple[int, int]] = {}
            for pi, marks in enumerate(self.marks):
                for o, n in sorted(marks):
                    if n not in out:
                        out[n] = (pi, o)
            self._first = out
        return self._first

    def result(self) -> Stripped:
        refs: list[list[int]] = []
        at: list[list[int]] = []
        for marks in self.marks:
            ordered = sorted(marks)
            refs.append([n for _, n in ordered])
            at.append([o for o, _ in ordered])
        return Stripped(self.texts, refs, at)


def strip_markers(
    paras: list[str], numbers: list[int], spaced: frozenset[tuple[int, str]] = frozenset()
) -> Stripped:
    """Remove footnote markers for ``numbers`` from ``paras`` (see the module docstring).

    ``spaced`` holds (number, next word) pairs that the extraction printed as a bare
    number followed by two spaces, as it prints a raised marker ("2015-2030 19  by,").
    """
    doc = _Text(paras)
    todo = sorted(set(numbers))
    where = _index(paras)
    # cut from the end of each paragraph so that earlier offsets stay valid
    for n, pi, k, e in sorted(_sequence(paras, todo, spaced, where), key=lambda c: (c[1], -c[2])):
        doc.cut(pi, k, e, n)
    _bounded(doc, todo, "\n".join(paras))
    _repeated(doc, where)  # cutting markers adds no digits: the index stays a superset
    # the caches hold paragraph texts: keep them per document
    _candidates.cache_clear()
    _gap_forms.cache_clear()
    _count.cache_clear()
    return doc.result()


# First citation + strength: the count of footnotes cited always outweighs the forms.
_CITED = 1000
_STRONG, _SPACED, _WEAK = 3, 2, 1


class _PrefixMax:
    """Fenwick tree of the best chain ending at each place (max over places before one)."""

    def __init__(self, size: int) -> None:
        self.tree: list[tuple[int, int, int]] = [(0, 0, -1)] * (size + 1)

    def update(self, i: int, value: tuple[int, int, int]) -> None:
        i += 1
        while i < len(self.tree):
            self.tree[i] = max(self.tree[i], value)
            i += i & -i

    def query(self, i: int) -> tuple[int, int, int]:
        """Best value among places 0..i-1."""
        best = (0, 0, -1)
        while i > 0:
            best = max(best, self.tree[i])
            i -= i & -i
        return best


def _sequence(
    paras: list[str],
    todo: list[int],
    spaced: frozenset[tuple[int, str]],
    where: dict[int, list[int]],
) -> list[tuple[int, int, int, int]]:
    """The first citations: (number, paragraph, start, end) of each marker placed."""
    cands: list[tuple[int, int, int, int, int]] = []  # (number, para, start, end, strength)
    for n in todo:
        spans: dict[tuple[int, int, int], int] = {}
        for pi in where.get(n, []):
            t = paras[pi]
            for k, e, strong in _candidates(t, n):
                spans[(pi, k, e)] = max(spans.get((pi, k, e), 0), _STRONG if strong else _SPACED)
            for k, e, strength in _gap_forms(t, spaced).get(n, ()):
                spans[(pi, k, e)] = max(spans.get((pi, k, e), 0), strength)
        cands += [(n, pi, k, e, s) for (pi, k, e), s in sorted(spans.items())]
    places = sorted({(c[1], c[2]) for c in cands})
    rank = {p: i for i, p in enumerate(places)}
    tree = _PrefixMax(len(places))
    prev: list[int] = [-1] * len(cands)
    i = 0
    while i < len(cands):
        j = i
        while j < len(cands) and cands[j][0] == cands[i][0]:
            j += 1
        # a whole footnote's places are scored before any is entered: one place each
        scored: list[tuple[int, tuple[int, int, int]]] = []
        for ci in range(i, j):
            _, pi, k, _, strength = cands[ci]
            r = rank[(pi, k)]
            total, _, before = tree.query(r)
            if before >= 0 and (cands[before][1], cands[before][3]) > (pi, k):
                continue  # overlapping spans
            prev[ci] = before
            scored.append((r, (total + _CITED + strength, -r, ci)))
        for r, entry in scored:
            tree.update(r, entry)
        i = j
    out: list[tuple[int, int, int, int]] = []
    ci = tree.query(len(places))[2]
    while ci >= 0:
        n, pi, k, e, _ = cands[ci]
        out.append((n, pi, k, e))
        ci = prev[ci]
    return out[::-1]


# A symbol with a marker glued to its number: "77/2285" is resolution 77/228 + marker 5
# (GA resolution numbers have at most three digits).
_GLUED_SYMBOL = re.compile(r"(?<![\w/])\d{2}/(\d{4,6})(?![\d/])")
_GLUED_SYMBOL_HINT = re.compile(r"/\d{4}")
_ORDINAL_TAILS = {"st", "nd", "rd", "th", "s", "bis", "ter", "km", "kg", "cm", "mm", "am", "pm"}


@functools.cache
def _rx(n: int) -> dict[str, re.Pattern[str]]:
    """The patterns that look for marker ``n``, compiled once per number (a document
    asks for hundreds of numbers, more than the ``re`` module's own cache keeps)."""
    s = str(n)
    return {
        "bare": re.compile(r"(?<=\S)( " + s + r")(?= (\S+)(?: (\S+))?|$)"),
        "after_number": re.compile(r"\d\.(" + s + r")(?= [A-Z“\"]|$)"),
    }


# The weaker forms, for any number at once (group "n" is the number): one scan of a
# paragraph serves every footnote.
_N = r"(?P<n>\d{1,3})"
# A number standing alone: ``_alone`` checks the character before it, not a look-behind
# in the pattern: a pattern that starts with a digit (or below, a space) lets the regex
# engine skip ahead to the next one, where a leading look-behind is tried at every place.
_ALONE = re.compile(_N + r"(?!\d)")
_BEFORE_ALONE = re.compile(r"[\w/.,\-]")
# A number between two words (the character before its space is not one), with the word
# after it ("x") and whether a number follows that word ("y"): the forms below read the
# word before it from the text.
_BETWEEN_WORDS = re.compile(r"(?P<m> " + _N + r")(?= (?P<x>[a-z]+)(?P<y> \d)?)")
_PLURAL_TITLE = re.compile(r"\b[A-Z][a-z]+s$")
_ORDINAL_SESSION = re.compile(r"(?:th|first|second|third) session$")
_GLUED_FORMS = (
    # glued on both sides ("Paris Agreement4and", "Human Rights,1as"); after an acronym
    # ("INTERPOL1 and", "HIV/AIDS7 and"); after a Roman-numbered instrument ("Protocol
    # I6 to"). Each with what any match of it holds, found by a much faster scan: most
    # paragraphs hold none, and are spared the full pattern.
    (re.compile(r"\d[a-z]{2}"), re.compile(r"[a-z][,;]?(?P<m>" + _N + r")(?=[a-z]{2,})")),
    (
        re.compile(r"[A-Z]\d"),
        re.compile(r"(?<![\w/.\-])[A-Z][A-Z/]*[A-Z]{2}(?P<m>" + _N + r")(?=[ ,;:.])"),
    ),
    (
        re.compile(r"[IVX]\d"),
        re.compile(r"\b(?:Protocol|Annex|Part) [IVX]{1,4}(?P<m>" + _N + r")(?=[ ,;:.])"),
    ),
)
_LOWER_RUN = re.compile(r"[a-z]*")


def _word_at(text: str, k: int) -> str:
    """The word starting at ``k`` (up to the next space)."""
    end = text.find(" ", k)
    return text[k:] if end < 0 else text[k:end]


@functools.lru_cache(maxsize=512)
def _gap_forms(
    text: str, spaced: frozenset[tuple[int, str]]
) -> dict[int, list[tuple[int, int, int]]]:
    """Number -> (start, end, strength) spans where that marker stands in a weaker form:
    after a number or a word that takes numbers, but printed with the two spaces of a
    raised marker ("2015-2030 19  by", "sixtieth session 6  and"); glued to a symbol
    ("77/2285"); glued to the next word ("outcomes, 16including"); and the forms above."""
    out: dict[int, set[tuple[int, int, int]]] = {}

    def add(n: int, k: int, e: int, strength: int = _WEAK) -> None:
        out.setdefault(n, set()).add((k, e, strength))

    for m in _ALONE.finditer(text):
        k, e = m.span()
        if k and _BEFORE_ALONE.match(text, k - 1):
            continue  # inside a longer number or a word; so are the places up to ``e``
        n = int(m.group("n"))
        gap = k > 0 and text[k - 1] == " " and text[e : e + 1] == " "
        if gap and (n, _word_at(text, e + 1)) in spaced:
            add(n, k - 1, e, _SPACED)
            continue
        tail = _LOWER_RUN.match(text, e)
        if tail and tail.group(0) and tail.group(0) not in _ORDINAL_TAILS:
            add(n, k, e)
    for m in _BETWEEN_WORDS.finditer(text):
        k = m.start()
        if not k or text[k - 1].isspace():
            continue  # not after a word; no other match starts before ``m.end()``
        word = text[text.rfind(" ", 0, k) + 1 : k]
        listed = m.group("x") in ("and", "to", "or") and m.group("y") is not None
        # after a plural title that also takes numbers ("Sustainable Development Goals 13
        # and in line", A/RES/73/180) or an ordinal session ("its eighth session 40 for"),
        # unless a list of numbers follows ("Goals 13 and 14")
        if not listed and (
            _PLURAL_TITLE.search(word) or _ORDINAL_SESSION.search(text, max(0, k - 20), k)
        ):
            add(int(m.group("n")), *m.span("m"))
        # before a lower-case word, after a word that does not take numbers: "Bridgetown
        # Covenant, 1 to continue", "Declaration 2 of an", "Secretary-General, 2 and"
        nxt = m.group("x")
        if m.group("y") is not None or (nxt in _MONTHS and nxt not in ("to", "of")):
            continue
        word = word.lower().rstrip(",;:")
        wordy = word.rstrip(")”’").replace("-", "").isalpha()
        if wordy and word not in _NUMERIC_CONTEXT | _MONTHS:
            add(int(m.group("n")), *m.span("m"))
    for hint, rx in _GLUED_FORMS:
        for m in rx.finditer(text) if hint.search(text) else ():
            tail = _LOWER_RUN.match(text, m.end("m"))
            if tail is None or tail.group(0) not in _ORDINAL_TAILS:
                add(int(m.group("n")), *m.span("m"))
    for m in _GLUED_SYMBOL.finditer(text) if _GLUED_SYMBOL_HINT.search(text) else ():
        digits = m.group(1)
        for cut in (1, 2, 3):  # the marker is the last one to three digits
            if 1 <= len(digits) - cut <= 3 and digits[-cut] != "0":
                add(int(digits[-cut:]), m.end() - cut, m.end())
    return {n: sorted(v) for n, v in out.items()}


# Words after which a number is a quantity, a date or a range, never a marker.
_QUANTITY = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "per", "percent", "%", "million", "billion",
    "trillion", "thousand", "hundred", "year", "years", "month", "months", "week", "weeks",
    "day", "days", "hour", "hours", "times", "a.m", "p.m",
}  # fmt: skip
# Words after which a number is a reference ("resolution 8"), even where a footnote is due.
_REFERENCE = {
    "resolution", "resolutions", "paragraph", "paragraphs", "para.", "paras.", "article",
    "articles", "rule", "rules", "annex", "no.", "nos.", "vol.", "chap.", "sect.", "chapter",
    "section", "item", "items", "goal", "goals", "target", "targets", "page", "p.", "pp.",
    "of", "and", "or", "to", "from", "between", "the", "a", "an", "at", "on", "in", "by",
    "for", "with", "than", "over", "under", "about", "some", "least", "per", "since",
    "until", "within", "every", "each", "only", "its", "their", "these", "those", "nearly",
    "approximately", "almost", "around", "up", "all", "once",
}  # fmt: skip


_SYMBOL_PART = re.compile(r"/[A-Za-z]{1,6}\.$")  # "1/CP." of decision 1/CP.27
_PLAIN_NUMBER = re.compile(r"\d[\d.,]*[,;:.)]?")


def _loose_candidates(text: str, n: int, document: str) -> list[tuple[int, int]]:
    """(start, end) spans where marker ``n`` may stand when the sequence says it must lie
    here: a bare number, a number after "digits." or glued to a number the document
    prints elsewhere without it."""
    s = str(n)
    out: list[tuple[int, int]] = []
    # a bare number: "recommendations 59 emanating", "72/55, 1 of", "Committee. 2"
    for m in _rx(n)["bare"].finditer(text):
        prev_word = text[: m.start()].rsplit(" ", 1)[-1].lower()
        nxt = (m.group(2) or "").lower().strip(",;:.")
        after = m.group(3) or ""
        if prev_word in _REFERENCE or prev_word[-1:] in "(/$€£-–‑" or nxt in _QUANTITY:
            continue
        # a list, range or ratio of plain numbers ("paragraphs 4 and 5", "3 to 5", "1 in 5
        # children"), not a symbol ("77/229 24 and 78/221")
        listed = _PLAIN_NUMBER.fullmatch(after) is not None
        if nxt[:1] in "(-–‑" or (nxt in ("and", "or", "to", "and/or", "in", "out") and listed):
            continue
        out.append(m.span(1))
    # after a sentence that ends in a number: "2 March 2022.13", "model strategy 10.24 Furthermore"
    out += [m.span(1) for m in _rx(n)["after_number"].finditer(text)]
    # glued to a number: a symbol's last number past 999 ("VII/1115", "1/CP.2731": no
    # body numbers its decisions or sessions that far), or a token the document prints
    # elsewhere without the marker and nowhere else with it ("COVID-1916")
    for m in re.finditer(r"(\S*?)(\d+)(?![\d/])", text):
        run = m.group(2)
        if len(run) <= len(s) or not run.endswith(s):
            continue
        head = run[: -len(s)]
        token = m.group(0).lstrip("(“\"‘'")
        symbol = m.group(1).endswith("/") or _SYMBOL_PART.search(m.group(1)) is not None
        if symbol and len(run) >= 4 and len(head) <= 3:
            out.append((m.end() - len(s), m.end()))
            continue
        if not token or (token[0].isdigit() and not m.group(1)):
            # a number standing alone: the word before it names it ("Agenda 212")
            word = text[: m.start()].rstrip().rsplit(" ", 1)[-1]
            if not word[:1].isupper() or not word.isalpha():
                continue
            token = f"{word} {run}"
        short = token[: -len(s)]
        if _count(document, short) >= 1 and _count(document, token) == 1:
            out.append((m.end() - len(s), m.end()))
    return sorted(set(out))


@functools.lru_cache(maxsize=1024)
def _count(document: str, token: str) -> int:
    """Occurrences of ``token`` as a whole token (not the tail of a longer one, not
    followed by a digit)."""
    return len(re.findall(r"(?<![\w/.\-])" + re.escape(token) + r"(?!\d)", document))


def _bounded(doc: _Text, todo: list[int], document: str) -> None:
    """Place each footnote still uncited where its cited neighbours pin it down, when
    exactly one loose candidate lies between them."""
    for n in todo:
        first = doc.first()
        if n in first:
            continue
        below = [first[m] for m in first if m < n]
        above = [first[m] for m in first if m > n]
        if (not below and n != todo[0]) or (not above and n != todo[-1]):
            continue
        lo = max(below) if below else (0, 0)
        hi = min(above) if above else (len(doc.texts), 0)
        found = []
        for pi in range(lo[0], min(hi[0] + 1, len(doc.texts))):
            for k, e in _loose_candidates(doc.texts[pi], n, document):
                if (pi, k) >= lo and (pi, e) <= hi:
                    found.append((pi, k, e))
        if len(found) == 1:
            pi, k, e = found[0]
            doc.cut(pi, k, e, n)


def _repeated(doc: _Text, where: dict[int, list[int]]) -> None:
    """Footnotes cited again (see the module docstring). A footnote's markers all follow
    the first citation of the footnote before it; the first of them found may be a
    repeat and the true first citation a weaker form before it ("Political Rights, 5 the
    ... Cultural Rights,5 the"), so the look starts there."""
    for n in sorted(doc.first()):
        first = doc.first()
        fp, fo = first[n]
        below = [first[m] for m in first if m < n]
        start = max(below) if below else (0, -1)
        t = doc.texts[fp]
        key = t[max(0, fo - 12) : fo].rstrip(" ,;:.")[-10:]
        s = str(n)
        words = {
            _last_word(doc.texts[pi][:o])
            for pi in doc.cited_in.get(n, ())
            for o, m in doc.marks[pi]
            if m == n
        }
        for pi in where.get(n, []):
            if pi < start[0]:
                continue
            t = doc.texts[pi]
            if s not in t:
                continue
            spans: set[tuple[int, int]] = set()
            for k, e, strong in _candidates(t, n):
                # the very words of the first citation ("Goals 13 and" ... "Goals;13")
                same = len(key) == 10 and t[max(0, k - 12) : k].rstrip(" ,;:.")[-10:] == key
                if strong and same:
                    spans.add((k, e))
            for k in _occurrences(t, s):
                e = k + len(s)
                if t[e : e + 1] not in ("", " ", ",", ";", ":", ".", ")"):
                    continue
                if _glued_after_word(t, k):
                    # glued after a letter or punctuation: "Rights,5 the", "34/24,1 in"
                    thousands = len(s) == 3 and t[k - 2 : k - 1].isdigit()  # "1,000"
                    if not thousands and not _ABBREV_BEFORE.search(t[max(0, k - 8) : k]):
                        spans.add((k, e))
                elif (
                    t[k - 2 : k] in (", ", "; ")
                    and t[e : e + 1] == " "
                    and _wordy(t[k - 3 : k - 2])
                ):
                    # ", 6 as" after the word another citation of it follows ("Child, 6"),
                    # unless a number follows ("diet, 1 in 5 children")
                    nxt = t[e + 1 :].split(" ", 2)
                    if _last_word(t[: k - 2]) in words and nxt[0].isalpha() and nxt[0].islower():
                        after = nxt[1] if len(nxt) > 1 else ""
                        if nxt[0] not in _QUANTITY and not after[:1].isdigit():
                            spans.add((k - 1, e))
            limit = len(t) + 1
            for k, e in sorted(spans, reverse=True):  # from the end: offsets stay valid
                taken = any(o == k for o, _ in doc.marks[pi])
                if e <= limit and (pi, k) > start and (pi, k) != (fp, fo) and not taken:
                    doc.cut(pi, k, e, n)
                    limit = k


def _occurrences(text: str, s: str) -> list[int]:
    """Where the number ``s`` stands in ``text`` as a whole digit run."""
    out: list[int] = []
    k = text.find(s)
    while k >= 0:
        e = k + len(s)
        if not (k and text[k - 1].isdigit()) and not text[e : e + 1].isdigit():
            out.append(k)
        k = text.find(s, k + 1)
    return out


def _glued_after_word(text: str, k: int) -> bool:
    """A number at ``k`` glued after a letter, after "," ";" ":" that follow a word or a
    number, or after a full stop that ends a lower-case word ("paragraph VIII.8" and
    "A.1189" are references)."""
    before = text[k - 1 : k]
    if before.isalpha() and before.isascii():
        return True
    two = text[max(0, k - 2) : k - 1]
    if before in ",;:":
        return two.isascii() and (two.isalnum() or two in "”’)") and two != ""
    return before == "." and two != "" and (two.islower() or two in "”’)")


def _wordy(char: str) -> bool:
    return (char.isascii() and char.isalpha()) or char in ("”", "’", ")")


def _last_word(text: str) -> str:
    """The last word of ``text``, lower-cased, without the punctuation around it."""
    words = re.findall(r"[A-Za-z”’)]+", text[-40:])
    return words[-1].lower() if words else ""
