"""Series grouping: which stored documents are versions of one resolution, and in what order.

Pure Python over ``Metadata`` and preambular texts (no SQL): ``candidate(key, doc)``
describes a document, ``group(candidates, links)`` returns the ``Series`` found, each
with its members in version order (by session; within a session drafts, revisions and
amendments before the resolution adopted from them; then by date).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from resdiff.model import DocKind, Document, Metadata, Unit, UnitKind
from resdiff.normalize import key as norm_key

__all__ = [
    "Candidate",
    "Link",
    "Series",
    "base_symbol",
    "candidate",
    "candidate_of",
    "group",
    "match_name",
    "recalled_resolutions",
    "same_subject",
    "version_sort_key",
]


@dataclass(frozen=True, slots=True)
class Candidate:
    """What grouping needs to know about one stored document."""

    key: str  # the stored key (unique): what the series lists
    metadata: Metadata
    # Resolution numbers ("75/190") the text recalls as its predecessors.
    recalls: tuple[str, ...] = ()
    # Numbers a list of its resolutions names without saying on what, further down the
    # text: predecessors only if their titles say so (``same_subject``): "Recalling its
    # resolutions 71/141 of …, 76/119 of … and 79/128 of …, as well as its decisions …".
    cited: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A manual correction: ``member`` joins (link) or leaves (unlink) ``anchor``'s series.

    Both are match names (``match_name``): symbol keys, or stored keys without a symbol.
    """

    action: str  # "link" or "unlink"
    anchor: str
    member: str


@dataclass(frozen=True, slots=True)
class Series:
    """A resolution series: its key (the earliest member's key), title, members in order."""

    key: str
    title: str | None
    members: tuple[str, ...]


_REV = re.compile(r"(?:/(?:REV|CORR|ADD)\.\d+)+$")
# "its previous resolutions on ..., including Assembly resolution 75/190": the words
# that make a recalled number a predecessor rather than any cited resolution.
_PREDECESSOR = re.compile(
    r"\b(?:(?:previous|earlier)(?: relevant)?|all(?: of)? its|its(?: relevant)?)\s+resolutions\b",
    re.IGNORECASE,
)
_INCLUDING = re.compile(
    r"\b(?:including|most recent(?:ly)?|latest|last)\b[^;]{0,80}?\bresolutions?\s+"
    r"(\d{1,3}/\d{1,4})",
    re.IGNORECASE,
)
# "its resolutions 47/19 of ..., 48/16 of ... and 79/7": the list up to the clause's end,
# stopping at another body's resolutions ("Council resolution 46/17") or at its decisions.
_ITS_LIST = re.compile(
    r"\bits resolutions\s+(\d{1,3}/\d{1,4}(?:(?!council|security|board|decision)[^;])*)",
    re.IGNORECASE,
)
# One resolution named as the latest of the text's own: "its resolution 78/195 of
# 19 December 2023 and its previous relevant resolutions" (a text adopted every other
# year whose title changes with its theme).
_DATE = re.compile(r"(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}")  # "23 December 2003", "May 2024"
_ONE_AND_EARLIER = re.compile(
    r"\bits resolution\s+(\d{1,3}/\d{1,4})(?:\s|,|\bof\b|" + _DATE.pattern + ")*"
    r"\band\s+(?:all\s+)?its\s+(?:previous|earlier)\s+(?:relevant\s+)?resolutions\b"
)
_GENERIC_TITLES = frozenset(
    {
        "draft resolution",
        "draft resolutions",
        "revised draft resolution",
        "draft decision",
        "resolution",
        "amendment",
        "amendments",
    }
)
_NUMBER = re.compile(r"\b(\d{1,3})/(\d{1,4})\b")


def match_name(symbol: str | None, key: str) -> str:
    """How links and look-ups name a document: its symbol key, else its stored key."""
    if symbol:
        return re.sub(r"\s+", "", symbol).replace("_", "/").upper()
    return key


def base_symbol(symbol: str) -> str:
    """The symbol without reissue marks, revision/corrigendum suffixes or ``@n`` versions."""
    s = match_name(symbol, "").split("@", 1)[0].rstrip("*")
    return _REV.sub("", s)


def recalled_resolutions(units: Iterable[Unit], title: str | None = None) -> tuple[str, ...]:
    """Resolution numbers a text recalls as its predecessors, in order of mention.

    Only preambular paragraphs that speak of previous resolutions count: a resolution
    cites many others (of other series), and those must not pull series together. In a
    list ("its resolutions 73/162 of …, 75/174 of … and 79/165 of … on the human rights
    treaty body system") only the latest number of each run stands for a predecessor,
    and only when the run names no subject, or names the text's own (``title``): the
    enforced disappearance draft cites the treaty body system's resolutions that way, and
    the crime prevention draft the Pact for the Future, and each was filed, and reviewed,
    as the other's next version.
    """
    return _recalled(units, title)[0]


def _recalled(units: Iterable[Unit], title: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    out: list[str] = []
    cited: list[str] = []
    recitals = [u for u in units if u.kind is UnitKind.PREAMBULAR]
    for place, u in enumerate(recitals):
        if not _PREDECESSOR.search(u.text):
            continue
        found = [m.group(1) for m in _INCLUDING.finditer(u.text)]
        for m in _ONE_AND_EARLIER.finditer(u.text):
            # As a list naming no subject: the text's own where it opens, else cited.
            (found if place < _BARE_LISTS_IN else cited).append(m.group(1))
        for m in _ITS_LIST.finditer(u.text):
            sure, maybe = _listed_predecessors(m.group(1), title, bare=place < _BARE_LISTS_IN)
            found.extend(sure)
            cited.extend(n for n in maybe if n not in cited)
        for number in found:
            if number not in out:
                out.append(number)
    return tuple(out), tuple(n for n in cited if n not in out)


# What may stand between two numbers of one run: "of 23 December 2003, ", " and ".
_BETWEEN_IN_RUN = re.compile(r"(?:\s|,|\band\b|\bof\b|" + _DATE.pattern + ")*")
# What introduces a run's subject: "… and 78/148 of 19 December 2023 on sustainable
# transport", "…, entitled “The Pact for the Future”"; anything else ("…, as well as its
# decisions …") names none.
_SUBJECT_START = re.compile(
    r"^(?:\s|,|\bof\b|" + _DATE.pattern + r")*(?:on|entitled|concerning|relating to|regarding)\b",
    re.IGNORECASE,
)
_SUBJECT_WORD = re.compile(r"[^\W\d_]{3,}")
# Words every title and subject shares: they tell nothing about which text it is.
_PLAIN_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "its",
        "all",
        "with",
        "from",
        "into",
        "united",
        "nations",
        "general",
        "assembly",
        "resolution",
        "resolutions",
        "entitled",
        "which",
    ]
)


# A list naming no subject is the text's own history only where a text opens with it
# ("Recalling its resolutions 63/33 of … and 78/280 of 2 May 2024,"); further down it is
# whatever the recital is about (the terrorism draft bearing in mind the resolutions on
# terrorism and human rights).
_BARE_LISTS_IN = 2


# More runs naming a subject than this in one list: a list of other texts.
_MANY_SUBJECTS = 2


def _listed_predecessors(
    listing: str, title: str | None, *, bare: bool
) -> tuple[list[str], list[str]]:
    """The latest number of each run of ``listing`` whose subject is the title's (or,
    ``bare`` allowing it, the first run when it names no subject). A run whose latest
    session holds two numbers or more ("78/252, 78/253 and 78/257 of 22 December 2023")
    names no one predecessor and gives none. Second: the latest numbers of runs naming no
    subject where ``bare`` does not allow them (``Candidate.cited``)."""
    out: list[str] = []
    maybe: list[str] = []
    numbers = list(_NUMBER.finditer(listing))
    run: list[tuple[int, int]] = []
    subjects = 0
    for k, m in enumerate(numbers):
        run.append((int(m.group(1)), int(m.group(2))))
        end = numbers[k + 1].start() if k + 1 < len(numbers) else len(listing)
        gap = listing[m.end() : end]
        if k + 1 < len(numbers) and _BETWEEN_IN_RUN.fullmatch(gap):
            continue
        subject = _DATE.sub(" ", gap) if _SUBJECT_START.match(gap) else ""
        latest = max(run)
        number = f"{latest[0]}/{latest[1]}"
        # Two numbers of the latest session: no one predecessor named.
        if sum(session == latest[0] for session, _ in run) == 1:
            if _subject_is_title(subject, title, bare=bare):
                out.append(number)
            elif not _words(subject):
                maybe.append(number)
        run = []
        bare = False  # after a subject, a further run is another citation
        subjects += bool(_words(subject))
    if subjects > _MANY_SUBJECTS:
        # A list of resolutions on as many subjects ("72/283 ... on peace in Central Asia,
        # 74/214 ... on sustainable tourism in Central Asia, 78/147 ... on environmental
        # challenges ...") cites the region's texts; none of them is this text's own.
        return [], maybe
    return out, maybe


def _words(text: str) -> set[str]:
    return {w.lower() for w in _SUBJECT_WORD.findall(text)} - _PLAIN_WORDS


def same_subject(title: str | None, other: str | None) -> bool:
    """Whether the title ``other`` (of a recalled resolution) names what ``title`` names
    (as a list's subject must, ``_subject_is_title``); never when either is generic."""
    if _title_key(title) is None or _title_key(other) is None:
        return False
    return _subject_is_title(other or "", title, bare=False)


def _subject_is_title(subject: str, title: str | None, *, bare: bool) -> bool:
    words = _words(subject)
    if not words:
        return bare
    named = _words(title or "")
    if not named or _title_key(title) is None:
        return True  # no title to judge by ("Draft resolution"): as before, trusted
    # Half the title's words named by the subject, and two of them when it has two: "on
    # sustainable transport" for the Decade of Sustainable Transport; not "on the
    # follow-up to the Fourteenth Congress on Crime Prevention and Criminal Justice" for
    # the crime prevention programme, nor "on child, early and forced marriage" (one
    # word) for the rights of the child.
    shared = len(words & named)
    return 2 * shared >= len(named) and shared >= min(2, len(named))


def candidate(key: str, doc: Document) -> Candidate:
    """The grouping facts of a parsed or stored document."""
    return candidate_of(key, doc.metadata, doc.units)


def candidate_of(key: str, metadata: Metadata, units: Iterable[Unit]) -> Candidate:
    """The grouping facts of a document known by its metadata and its units (the
    preambular ones suffice)."""
    recalls, cited = _recalled(units, metadata.title)
    return Candidate(key, metadata, recalls, cited)


_TITLE_YEAR = re.compile(r"\b(?:19|20)\d\d(?:[–-](?:19|20)?\d\d)?\b")
# The session a yearly report is about: "... on the work of its fifty-eighth session".
_TITLE_SESSION = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-\s?)?"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    r"|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth)"
    r"(?=\s+(?:regular\s+|resumed\s+)?sessions?\b)"
)


def _title_key(title: str | None) -> str | None:
    if not title:
        return None
    t = norm_key(title).strip(" .;:")
    # A title the parser could not find ("Draft resolution") says nothing about the series.
    if not t or t in _GENERIC_TITLES or not re.search(r"[^\W\d_]", t):
        return None
    # The same title a year on: "Questions relating to the proposed programme budget for
    # 2025" follows "... for 2024", and the report "on the work of its fifty-eighth
    # session" the one on its fifty-seventh.
    return " ".join(_TITLE_SESSION.sub(" ", _TITLE_YEAR.sub(" ", t)).split())


def _is_resolution(meta: Metadata) -> bool:
    return meta.kind is DocKind.RESOLUTION


def version_sort_key(meta: Metadata, key: str) -> tuple[int, int, date, str, str]:
    """Session; then drafts and revisions, amendments, the resolution; then date, symbol."""
    when = meta.adoption_date if _is_resolution(meta) else meta.distribution_date
    when = when or meta.distribution_date or date.max
    session = meta.session if meta.session is not None else (when.year - 1945 if when else 10**6)
    sym = match_name(meta.symbol, key)
    # Amendments after the drafts (and revisions) they amend, whatever their dates.
    rank = 2 if _is_resolution(meta) else 1 if meta.kind is DocKind.AMENDMENT else 0
    return (session, rank, when, sym, key)


class _Groups:
    """Union-find that refuses to put two resolutions of one session in the same series."""

    def __init__(self, cands: Sequence[Candidate]) -> None:
        self.parent = list(range(len(cands)))
        self.sessions: list[set[int]] = [
            {c.metadata.session}
            if _is_resolution(c.metadata) and c.metadata.session is not None
            else set()
            for c in cands
        ]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.sessions[ra] & self.sessions[rb]:
            return False
        ra, rb = min(ra, rb), max(ra, rb)  # deterministic roots
        self.parent[rb] = ra
        self.sessions[ra] |= self.sessions[rb]
        return True


def _automatic(cands: Sequence[Candidate]) -> _Groups:
    g = _Groups(cands)
    by_base: dict[str, list[int]] = {}
    by_res_number: dict[str, int] = {}
    by_session_title: dict[tuple[int | None, str], list[int]] = {}
    by_title: dict[str, list[int]] = {}
    order = sorted(
        range(len(cands)), key=lambda i: version_sort_key(cands[i].metadata, cands[i].key)
    )
    for i in order:
        meta = cands[i].metadata
        if meta.symbol:
            base = base_symbol(meta.symbol)
            by_base.setdefault(base, []).append(i)
            m = re.fullmatch(r"A/RES/(\d{1,3}/\d{1,4})", base)
            if m:
                by_res_number.setdefault(m.group(1), i)
        tk = _title_key(meta.title)
        if tk and meta.kind is not DocKind.AMENDMENT:
            by_session_title.setdefault((meta.session, tk), []).append(i)
            by_title.setdefault(tk, []).append(i)
    # 1. Revisions, reissues and later stored versions of one symbol.
    for members in by_base.values():
        for i in members[1:]:
            g.union(members[0], i)
    # 2. Amendments join the draft they amend (or its series when it is not stored).
    for i in order:
        meta = cands[i].metadata
        if meta.kind is DocKind.AMENDMENT and meta.draft_symbol:
            target = by_base.get(base_symbol(meta.draft_symbol))
            if target:
                g.union(target[0], i)
    # 3. Drafts with the resolution adopted from them: same session, same title; a
    #    resolution that names its draft is linked to it first.
    for i in order:
        meta = cands[i].metadata
        if _is_resolution(meta) and meta.draft_symbol:
            target = by_base.get(base_symbol(meta.draft_symbol))
            if target:
                g.union(target[0], i)
    for members in by_session_title.values():
        for i in members[1:]:
            g.union(members[0], i)
    # 4. The same title in other sessions (before recalls: a mistyped number in a
    #    recital must not win over the title; the session guard then refuses it).
    for members in by_title.values():
        for i in members[1:]:
            g.union(members[0], i)
    # 5. The predecessor a text recalls ("including resolution 75/190"): follows a
    #    series through a change of title, unless the predecessor's title goes on in a
    #    later text (then the recalling one is another text on the subject: a meeting's
    #    modalities recalling the coordination resolution the next session renews).
    for i in order:
        for number in cands[i].recalls:
            j = by_res_number.get(number)
            if j is not None and not _title_goes_on(cands, by_title, j, i):
                g.union(j, i)
        for number in cands[i].cited:
            j = by_res_number.get(number)
            if j is not None and same_subject(cands[i].metadata.title, cands[j].metadata.title):
                g.union(j, i)
    return g


def _title_goes_on(
    cands: Sequence[Candidate], by_title: dict[str, list[int]], j: int, i: int
) -> bool:
    """Whether text ``i``, titled otherwise than the resolution ``j`` it recalls, stands
    beside a text of ``j``'s title from ``i``'s session or later (``j``'s series did not
    change its title into ``i``'s)."""
    tj, ti = _title_key(cands[j].metadata.title), _title_key(cands[i].metadata.title)
    session = cands[i].metadata.session
    if tj is None or ti is None or ti == tj or session is None:
        return False
    return any(k != i and (cands[k].metadata.session or 0) >= session for k in by_title.get(tj, ()))


def group(cands: Sequence[Candidate], links: Sequence[Link] = ()) -> list[Series]:
    """Series of ``cands``: automatic grouping, then manual links applied in order.

    Every candidate is in exactly one series (a lone document is a series of one);
    series come sorted by their first member's version order. Links naming documents
    that are not among ``cands`` are ignored (they apply again once those are stored).
    """
    g = _automatic(cands)
    n = len(cands)
    label = [g.find(i) for i in range(n)]
    names: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        names.setdefault(match_name(c.metadata.symbol, c.key), []).append(i)
        names.setdefault(c.key, []).append(i)
    fresh = n  # labels for series created by unlinking
    for link in links:
        anchors = names.get(link.anchor, [])
        members = names.get(link.member, [])
        if not anchors or not members:
            continue
        target = label[anchors[0]]
        for i in members:
            if link.action == "link":
                label[i] = target
            elif label[i] == target and i not in anchors:
                label[i] = fresh
        if link.action == "unlink":
            fresh += 1
    buckets: dict[int, list[int]] = {}
    for i in range(n):
        buckets.setdefault(label[i], []).append(i)
    out: list[Series] = []
    for idx in buckets.values():
        idx.sort(key=lambda i: version_sort_key(cands[i].metadata, cands[i].key))
        titles = [cands[i].metadata.title for i in idx if cands[i].metadata.title]
        resolutions = [
            cands[i].metadata.title
            for i in idx
            if _is_resolution(cands[i].metadata) and cands[i].metadata.title
        ]
        title = (resolutions or titles or [None])[-1]
        out.append(Series(cands[idx[0]].key, title, tuple(cands[i].key for i in idx)))
    first = {c.key: c for c in cands}
    out.sort(key=lambda s: version_sort_key(first[s.key].metadata, s.key))
    return out
