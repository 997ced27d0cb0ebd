"""Plain frozen data: documents, units, footnotes, and the comparison of two documents.

No I/O and no ORM here; every other stage reads and writes these objects.
Labels follow one convention everywhere: ``PP3``, ``OP2``, ``OP2(a)``, ``OP2(a)(iv)``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from resdiff.normalize import key, key_words

__all__ = [
    "Alternative",
    "Comparison",
    "DocKind",
    "Document",
    "Footnote",
    "Metadata",
    "Pair",
    "PairKind",
    "Source",
    "Span",
    "SpanOp",
    "Stats",
    "StoredMember",
    "StoredSeries",
    "StoredSummary",
    "Unit",
    "UnitKind",
    "content_hash",
]


class UnitKind(StrEnum):
    """What part of a resolution a unit belongs to."""

    PREAMBULAR = "preambular"
    OPERATIVE = "operative"
    SUBITEM = "subitem"


class DocKind(StrEnum):
    """What sort of General Assembly document this is."""

    DRAFT = "draft"
    REVISED_DRAFT = "revised draft"
    RESOLUTION = "resolution"
    AMENDMENT = "amendment"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote: its printed number and its clean text (never part of a unit's text)."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Unit:
    """One preambular paragraph, operative paragraph or sub-item.

    ``text`` is the full clean text including the lead words, without the printed
    number or enumerator and without footnote markers; ``lead`` is the lead words
    alone ("Recalling", "Strongly urges"), or "" when the unit has none (sub-items).
    ``footnotes`` lists the footnote numbers the unit cites, in order of citation.
    ``footnote_at`` gives, for each of them, the offset in ``text`` where its marker
    stands (``text[:offset]`` is what precedes the marker): non-decreasing, each
    within ``0..len(text)``. It is empty when the positions are unknown (documents
    stored before positions were kept); otherwise it has one offset per footnote.
    """

    label: str
    kind: UnitKind
    text: str
    lead: str = ""
    footnotes: tuple[int, ...] = ()
    footnote_at: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        at = self.footnote_at
        if not at:
            return
        if len(at) != len(self.footnotes):
            raise ValueError(
                f"{self.label}: {len(at)} marker positions for {len(self.footnotes)} footnotes"
            )
        if at[0] < 0 or at[-1] > len(self.text) or any(b < a for a, b in itertools.pairwise(at)):
            raise ValueError(
                f"{self.label}: marker positions {at} not non-decreasing within 0..{len(self.text)}"
            )

    @property
    def parent(self) -> str | None:
        """Label of the enclosing unit (``OP2(a)`` for ``OP2(a)(iv)``), None at top level."""
        if "(" not in self.label:
            return None
        return self.label[: self.label.rindex("(")]

    @property
    def depth(self) -> int:
        """0 for PP/OP, 1 for ``OP2(a)``, 2 for ``OP2(a)(i)``."""
        return self.label.count("(")


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a document says about itself, as printed on its first page."""

    symbol: str | None = None
    kind: DocKind = DocKind.UNKNOWN
    reissue: str | None = None  # e.g. "*" (reissued for technical reasons), "Rev.1", "Corr.1"
    session: int | None = None  # 77 for "Seventy-seventh session"
    body: str | None = None  # "Plenary", "First Committee" ... "Sixth Committee"
    agenda_item: str | None = None  # "68 (c)"
    distribution_date: date | None = None
    adoption_date: date | None = None  # resolutions only
    meeting: str | None = (
        None  # e.g. "on the report of the Third Committee (A/76/462/Add.3, para. 34)"
    )
    title: str | None = None
    sponsors: tuple[str, ...] = ()
    on_behalf_of: tuple[str, ...] = ()  # groups a sponsor speaks for ("Group of 77 and China")
    draft_symbol: str | None = (
        None  # the draft a resolution was adopted from, or an amendment's target
    )


@dataclass(frozen=True, slots=True)
class Source:
    """Where a parsed document came from and how it was read."""

    name: str  # file name or other human label
    format: str  # "text", "markdown", "pdf", "docx", "html"
    sha256: str  # of the raw bytes
    revisions: str | None = None  # DOCX: "accepted" / "rejected" when tracked changes were present
    revision_count: int = 0
    notes: tuple[str, ...] = ()  # parser remarks worth showing (e.g. "2 tracked changes accepted")


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed resolution or draft: metadata, units in document order, footnotes."""

    metadata: Metadata
    units: tuple[Unit, ...]
    footnotes: tuple[Footnote, ...] = ()
    source: Source | None = None
    # Text removed as page furniture (headers, job numbers, barcodes, page numbers),
    # kept so that every character of the input can be accounted for.
    furniture: tuple[str, ...] = ()

    def unit(self, label: str) -> Unit:
        """The unit with this label; KeyError if there is none."""
        for u in self.units:
            if u.label == label:
                return u
        raise KeyError(label)

    @property
    def key(self) -> str:
        """The symbol, or a stable key derived from the content when none is printed."""
        return self.metadata.symbol or f"doc-{content_hash(self)[:16]}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return str(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def content_hash(doc: Document) -> str:
    """SHA-256 of the document's text content, independent of the bytes it came from.

    Two files that parse to the same metadata, units and footnotes (a PDF and its
    re-save, CRLF and LF) have the same hash: that is what makes ingest idempotent.
    """
    meta = {f.name: _jsonable(getattr(doc.metadata, f.name)) for f in dataclasses.fields(Metadata)}
    # Marker positions (``Unit.footnote_at``) are left out on purpose: they say where a
    # marker is shown, not what the document says, and documents stored before positions
    # were kept have none; including them would make the same document "new" again.
    payload = {
        "metadata": meta,
        "units": [[u.label, str(u.kind), u.lead, u.text, list(u.footnotes)] for u in doc.units],
        "footnotes": [[f.number, f.text] for f in doc.footnotes],
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --- comparison ---------------------------------------------------------------


class SpanOp(StrEnum):
    """A word-diff operation."""

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


class PairKind(StrEnum):
    """How a unit (or units) of the old version relates to the new version."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text that is equal in both versions, inserted, or deleted.

    ``old_part`` / ``new_part`` index into the pair's ``old`` / ``new`` label lists:
    the unit this text belongs to on that side (relevant for split and merged pairs;
    0 otherwise). Spans never cross a unit boundary.

    An equal span whose words match only by their matching key (curly against straight
    quotes, NFD against NFC accents, a non-breaking hyphen) carries the old version's
    printed form in ``old_text``; ``text`` is the new version's. Such differences are
    not changes, yet both texts stay exactly rebuildable.
    """

    op: SpanOp
    text: str
    old_part: int = 0
    new_part: int = 0
    old_text: str | None = None

    @property
    def old_side_text(self) -> str:
        """This span's text as printed in the old version."""
        return self.text if self.old_text is None else self.old_text


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another reading of a pair's units, nearly as well supported as the one chosen.

    ``pairs`` are the decisions that reading would make, as (kind, old labels, new
    labels); ``confidence`` is how likely it is (0..1).
    """

    pairs: tuple[tuple[PairKind, tuple[str, ...], tuple[str, ...]], ...]
    confidence: float

    def describe(self, chosen: PairKind) -> str:
        """A few words for a reader: "removed + added", "changed, not split",
        "changed: PP24 → PP21" (the kinds of the other reading, next to the chosen one)."""
        kinds = [k for k, _, _ in self.pairs]
        if chosen in (PairKind.SPLIT, PairKind.MERGED) and PairKind.CHANGED in kinds:
            return f"changed, not {chosen.value}"
        if chosen in (PairKind.ADDED, PairKind.REMOVED) and len(self.pairs) == 1:
            k, old, new = self.pairs[0]
            return f"{k.value}: {', '.join(old)} → {', '.join(new)}"
        return " + ".join(k.value for k in kinds)


@dataclass(frozen=True, slots=True)
class Pair:
    """One alignment decision: old unit(s) ↔ new unit(s), with the word diff between them.

    Equal + delete spans rebuild the old units' texts exactly; equal + insert spans
    rebuild the new units' texts exactly. ``confidence`` (0..1) says how sure the aligner
    is of this decision; ``alternatives`` lists readings of the same units that are
    nearly as likely (empty when the decision is clear).
    """

    kind: PairKind
    old: tuple[str, ...]  # labels in the old version (empty for ADDED)
    new: tuple[str, ...]  # labels in the new version (empty for REMOVED)
    spans: tuple[Span, ...]
    similarity: float = 1.0  # 0..1, word-level normalised Indel similarity
    renumbered: bool = False  # label changed although the unit kept its place
    routine: bool = False  # only symbols, dates, session ordinals or footnote numbers changed
    confidence: float = 1.0
    alternatives: tuple[Alternative, ...] = ()

    def old_texts(self) -> list[str]:
        """The old units' texts, rebuilt from the spans."""
        out = [""] * len(self.old)
        for s in self.spans:
            if s.op is not SpanOp.INSERT:
                out[s.old_part] += s.old_side_text
        return out

    def new_texts(self) -> list[str]:
        """The new units' texts, rebuilt from the spans."""
        out = [""] * len(self.new)
        for s in self.spans:
            if s.op is not SpanOp.DELETE:
                out[s.new_part] += s.text
        return out


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything about comparing two documents; every renderer reads only this.

    ``pairs`` are in reading order of the new version, with removed units placed
    where they stood in the old one. ``footnotes`` pairs footnotes the same way
    (labels ``fn1``...). ``settings`` is the pinned configuration that produced it and
    ``settings_hash`` its digest.
    """

    old: Document
    new: Document
    pairs: tuple[Pair, ...]
    footnotes: tuple[Pair, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    settings_hash: str = ""
    # Derived once from the pairs at construction; every output shows these figures.
    stats: Stats = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stats", Stats.of(self))

    @property
    def identical(self) -> bool:
        """True when no pair (units or footnotes) records any change."""
        return all(p.kind is PairKind.UNCHANGED for p in (*self.pairs, *self.footnotes))

    def counts(self) -> dict[str, int]:
        """Number of pairs of each kind (every kind present, zeros included)."""
        return dict(self.stats.counts)


_LONE = (PairKind.ADDED, PairKind.REMOVED)


@dataclass(frozen=True, slots=True)
class Stats:
    """Summary figures of a comparison: what headers, summaries and exit codes report.

    Words are counted as ``normalize.words`` counts them (punctuation excluded).
    ``rewrite`` is True when less than a fifth of the old words survive and most units
    are added or removed: the two documents are essentially unrelated.
    """

    counts: dict[str, int]
    routine: int
    renumbered: int
    old_units: int
    new_units: int
    words_kept: int
    words_inserted: int
    words_deleted: int
    footnotes_changed: int
    identical: bool
    rewrite: bool

    @property
    def share_kept(self) -> float:
        """Share of the old version's words that survive (1.0 for an empty old version)."""
        old_words = self.words_kept + self.words_deleted
        return round(self.words_kept / old_words, 4) if old_words else 1.0

    @classmethod
    def of(cls, cmp: Comparison) -> Stats:
        """Count ``cmp``'s pairs and spans."""
        kept = inserted = deleted = 0
        for p in cmp.pairs:
            for sp in p.spans:
                n = len(key_words(key(sp.text)))  # len(words(...)) without the list copy
                if sp.op is SpanOp.EQUAL:
                    kept += n
                elif sp.op is SpanOp.INSERT:
                    inserted += n
                else:
                    deleted += n
        counts = {k.value: 0 for k in PairKind}
        for p in cmp.pairs:
            counts[p.kind.value] += 1
        units = len(cmp.old.units) + len(cmp.new.units)
        lone = sum(len(p.old) + len(p.new) for p in cmp.pairs if p.kind in _LONE)
        old_words = kept + deleted
        return cls(
            counts=counts,
            routine=sum(1 for p in cmp.pairs if p.routine),
            renumbered=sum(1 for p in cmp.pairs if p.renumbered),
            old_units=len(cmp.old.units),
            new_units=len(cmp.new.units),
            words_kept=kept,
            words_inserted=inserted,
            words_deleted=deleted,
            footnotes_changed=sum(1 for p in cmp.footnotes if p.kind is not PairKind.UNCHANGED),
            identical=cmp.identical,
            rewrite=bool(units) and lone > units / 2 and kept < 0.2 * max(old_words, 1),
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (``share_kept`` included)."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["counts"] = dict(self.counts)
        out["share_kept"] = self.share_kept
        return out


# --- stored versions, as read back without their units -------------------------


@dataclass(frozen=True, slots=True)
class StoredSummary:
    """One stored document as listed (``Store.list``): what is stored, without its units."""

    key: str
    symbol: str | None
    version: int
    kind: DocKind
    distribution_date: date | None
    adoption_date: date | None
    title: str | None
    unit_count: int
    footnote_count: int
    source_format: str | None
    source_name: str | None
    source_sha256: str | None
    content_hash: str
    session: int | None = None
    body: str | None = None  # "Plenary", "Third Committee"...


@dataclass(frozen=True, slots=True)
class StoredMember:
    """One version of a stored series, without its units."""

    key: str
    symbol: str | None
    kind: DocKind
    session: int | None
    date: date | None  # adoption date for resolutions, else distribution date
    title: str | None
    body: str | None = None  # the Main Committee or plenary that tabled or adopted it
    draft_symbol: str | None = None  # for an amendment: the draft it amends


@dataclass(frozen=True, slots=True)
class StoredSeries:
    """A stored series: key, title and members in version order."""

    key: str
    title: str | None
    members: tuple[StoredMember, ...]
