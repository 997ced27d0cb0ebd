"""Metadata extraction from the header printed on a document's first page (and its trailer).

``extract_metadata(header_lines, trailer_lines)`` reads: the symbol and reissue
mark (``A/C.3/80/L.29*`` → reissue "*", ``.../Rev.1`` → "Rev.1"); the kind
(resolution when "Resolution adopted by the General Assembly" is printed,
amendment, revised draft, draft); the session ("Seventy-seventh session" → 77);
the body (the Main Committee named in the header or in "[on the report of the
Third Committee ...]", else "Plenary"); the agenda item; the distribution and
adoption dates; the meeting (the report line and the "53rd plenary meeting"
trailer, joined by "; "); the title (without "76/177." for resolutions, lines
joined); sponsors split into State names (``lexicon.split_states``) and "on
behalf of" groups from ``*`` notes; the target draft of an amendment.

Header lines are the printed lines in order; blank strings separate groups.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from resdiff.ingest.lexicon import split_states
from resdiff.model import DocKind, Metadata

__all__ = ["extract_metadata", "parse_date", "session_number"]

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_DATE_RE = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})\b")
_SYMBOL_RE = re.compile(r"^(A/(?:RES/|C\.\d/|ES-\d+/|S-\d+/|)[\w.\-/]+?)(\*{1,3})?$")
_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19,
}  # fmt: skip
_TENS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "seventieth": 70, "eightieth": 80, "ninetieth": 90, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_BODY_LINE = re.compile(
    r"^(?:(?:First|Second|Third|Fourth|Fifth|Sixth) Committee|Special Political and "
    r"Decolonization Committee \(Fourth Committee\))$"
)
_COMMITTEES = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth")
_SESSION_RE = re.compile(
    r"^([A-Z][a-z]+(?:-[a-z]+)?)\s+(?:special\s+|emergency\s+special\s+)?session$"
)
_SPONSOR_END_RE = re.compile(
    # The colon may carry footnote marks: "Iraq:*,** draft resolution" (on behalf of ...).
    r"^(?P<who>.*?):(?:\*{1,3}(?:,\*{1,3})*)?\s*(?P<what>(?:revised\s+)?draft\s+(?:resolution|decision)|"
    r"amendments?\s+to\s+(?:the\s+)?(?:revised\s+)?draft\s+(?:resolution|decision)\s*(?P<target>\S+)?|"
    r"amendments?\b.*|revised\s+estimates.*|draft\s+\w+.*)$",
    re.IGNORECASE | re.DOTALL,
)
_RES_TITLE_RE = re.compile(r"^(?:[A-Z]{1,3}-)?\d{1,3}/\d{1,4}\s*[A-Z]?\.\s+(.+)$", re.DOTALL)
_BEHALF_RE = re.compile(
    r"on behalf of (?:the )?(?:States (?:Members of the United Nations )?that are members of )?(?:the )?(.+?)(?:,|\.|$)",
    re.IGNORECASE,
)


def parse_date(text: str) -> date | None:
    """The first "16 December 2021" style date in ``text``."""
    for m in _DATE_RE.finditer(text):
        month = _MONTHS.get(m.group(2).lower())
        if month:
            try:
                return date(int(m.group(3)), month, int(m.group(1)))
            except ValueError:
                continue
    return None


def session_number(words: str) -> int | None:
    """77 for "Seventy-seventh"; None when the words are not an ordinal."""
    w = words.lower()
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS and w.endswith("ieth"):
        return _TENS[w]
    if "-" in w:
        tens, _, unit = w.partition("-")
        if tens in _TENS and unit in _UNITS and _UNITS[unit] < 10:
            return _TENS[tens] + _UNITS[unit]
    return None


def _groups(lines: Sequence[str]) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    for ln in lines:
        s = ln.strip()
        if s:
            cur.append(s)
        elif cur:
            out.append(" ".join(cur))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return out


def extract_metadata(header_lines: Sequence[str], trailer_lines: Sequence[str] = ()) -> Metadata:
    """Read what the first page says about the document (see the module docstring)."""
    lines = [ln.strip() for ln in header_lines]
    groups = _groups(lines)
    flat = [s for s in lines if s]
    symbol = reissue = None
    for s in flat[:12]:
        m = _SYMBOL_RE.match(s)
        if m and s.count("/") >= 2:
            symbol, reissue = m.group(1), m.group(2)
            break
    if symbol:
        rev = re.search(r"/((?:Rev|Corr|Add)\.\d+)$", symbol)
        if rev and not reissue:
            reissue = rev.group(1)
    joined = " ".join(flat)
    kind = DocKind.UNKNOWN
    adoption = None
    m_adopt = re.search(
        r"Resolution adopted by the General Assembly\s+on\s+(\d{1,2} \w+ \d{4})", joined
    )
    if m_adopt or (symbol and symbol.startswith("A/RES/")):
        kind = DocKind.RESOLUTION
        adoption = parse_date(m_adopt.group(1)) if m_adopt else None

    session = None
    for s in flat:
        m = _SESSION_RE.match(s)
        if m:
            session = session_number(m.group(1))
            if session:
                break
    body = None
    for s in flat:
        for c in _COMMITTEES:
            if (
                s == f"{c} Committee"
                or f"report of the {c} Committee" in s
                or f"({c} Committee)" in s
            ):
                body = f"{c} Committee"
                break
        if body:
            break
    committee = re.match(r"A/C\.([1-6])/", symbol or "")
    if body is None and committee:
        # A Main Committee's draft whose header leaves out the committee line (three
        # Third Committee drafts of the eightieth session): its symbol names it.
        body = f"{_COMMITTEES[int(committee.group(1)) - 1]} Committee"
    if body is None and flat:
        body = "Plenary"
    agenda = None
    for s in flat:
        m = re.match(r"^Agenda items?\s+(.+)$", s)
        if m:
            agenda = m.group(1).strip()
            break
    distribution = None
    for i, s in enumerate(flat):
        if s.startswith("Distr."):
            for t in flat[i : i + 3]:
                distribution = parse_date(t)
                if distribution:
                    break
            break

    meeting_parts: list[str] = []
    for g in groups:
        if g.startswith("[") and g.endswith("]"):
            meeting_parts.append(g[1:-1].strip())
    for line in trailer_lines:
        t = " ".join(line.split())
        m = re.match(r"^(\d+(?:st|nd|rd|th)\s+(?:\(resumed\)\s+)?plenary\s+meeting)", t)
        if m:
            meeting_parts.append(m.group(1))
        if adoption is None and kind is DocKind.RESOLUTION:
            adoption = parse_date(t)

    sponsors: tuple[str, ...] = ()
    draft_symbol = None
    title = None
    sponsor_gi = None
    for gi, g in enumerate(groups):
        m = _SPONSOR_END_RE.match(g)
        if m and len(g) < 6000:
            sponsor_gi = gi
            what = m.group("what").lower()
            who = m.group("who").strip()
            if "amendment" in what:
                kind = DocKind.AMENDMENT
                tgt = re.search(r"(A/[\w.\-/]+)", m.group("what"))
                draft_symbol = tgt.group(1).rstrip(".,") if tgt else None
            elif kind is DocKind.UNKNOWN:
                kind = DocKind.REVISED_DRAFT if what.startswith("revised") else DocKind.DRAFT
            if not re.match(r"^(?:Draft|Revised|Amendment)", who, re.IGNORECASE):
                sponsors = _sponsor_names(who)
            break
    if sponsor_gi is None:
        for gi, g in enumerate(groups):
            # "Draft resolution submitted by the Chair", or the words alone above the
            # title (the Sixth Committee's drafts, which name no sponsor there).
            # The line names the submitter, not the subject, whatever the symbol already
            # said of the kind ("Draft decision submitted by the Bureau").
            sub = re.match(
                r"^((?:Revised )?[Dd]raft (?:resolutions?|decisions?))(?: submitted by\b|\s*$)",
                g,
            )
            if sub:
                if kind is DocKind.UNKNOWN:
                    kind = DocKind.REVISED_DRAFT if g.startswith("Revised") else DocKind.DRAFT
                sponsor_gi = gi
                break
    if kind is DocKind.RESOLUTION:
        for g in groups:
            m = _RES_TITLE_RE.match(g)
            if m:
                title = m.group(1).strip()
                break
    elif sponsor_gi is not None and sponsor_gi + 1 < len(groups):
        title = groups[sponsor_gi + 1]
    if title is None and groups:
        # Never the submitter's line: a draft whose title the header does not hold
        # ("Draft decision submitted by the Bureau" as its last line) has no title here.
        title = _fallback_title([g for gi, g in enumerate(groups) if gi != sponsor_gi])
    if symbol and "/Rev." in symbol and kind is DocKind.DRAFT:
        kind = DocKind.REVISED_DRAFT
    if kind is DocKind.UNKNOWN and symbol and "/L." in symbol and "Note by" not in joined:
        kind = DocKind.DRAFT

    behalf: list[str] = []
    for g in groups:
        if g.startswith("*"):
            for m in _BEHALF_RE.finditer(g):
                behalf.append(m.group(1).strip())
    return Metadata(
        symbol=symbol,
        kind=kind,
        reissue=reissue,
        session=session,
        body=body,
        agenda_item=agenda,
        distribution_date=distribution,
        adoption_date=adoption,
        meeting="; ".join(meeting_parts) or None,
        title=title,
        sponsors=sponsors,
        on_behalf_of=tuple(behalf),
        draft_symbol=draft_symbol,
    )


# Footnote marks on a sponsor line ("Nigeria,* and Thailand", "Iraq:*,**"), wherever they
# stand around a name or a comma, with the space before them.
_MARKS_RE = re.compile(r"\s*[*†‡§¶]+")


def _sponsor_names(who: str) -> tuple[str, ...]:
    """The State names of a sponsor line, without footnote marks: no name is empty or
    opens or ends with a mark or punctuation."""
    names = (n.strip(" ,;:.") for n in split_states(_MARKS_RE.sub("", who)))
    return tuple(n for n in names if n)


def _fallback_title(groups: list[str]) -> str | None:
    """The first header group that is not a known header line (nor an agenda item's title)."""
    skip = re.compile(
        r"^(?:United Nations|General Assembly|Distr\.|Original:|Agenda item|\[|\*|A/|\d{2}-\d{5})"
    )
    session = re.compile(r"^[A-Z][a-z]+(?:-[a-z]+)?\s+(?:special\s+)?session\b")
    cands = [g for g in groups if not skip.match(g) and not session.match(g)]
    cands = [g for g in cands if not _BODY_LINE.match(g) and not g.startswith("Resolution adopted")]
    return cands[0] if cands else None
