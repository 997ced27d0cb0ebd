"""The comparison of two documents: alignment + word diffs + routine marks, as one object.

``compare(old, new, settings)`` returns the ``model.Comparison`` every renderer reads
(its ``stats`` summarise it: counts by kind, words kept, inserted and deleted, and
whether it looks like a wholesale rewrite); ``is_routine(old, new)`` says whether two
texts differ only by document symbols, dates, years or session ordinals (the rule of
``resdiff.routine``);
``clear_caches()`` forgets the per-process caches of keys, tokens and word codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from resdiff import callable_module, normalize, wordcodes, worddiff
from resdiff.align import AlignedAlternative, align, align_given
from resdiff.align.evidence import word_set
from resdiff.model import (
    Alternative,
    Comparison,
    Document,
    Pair,
    PairKind,
    Span,
    SpanOp,
    Unit,
    UnitKind,
)
from resdiff.routine import routine_spans, routine_words_only
from resdiff.settings import DEFAULT_SETTINGS, Settings
from resdiff.worddiff import diff_units

__all__ = ["clear_caches", "compare", "is_routine", "routine_words_only"]


def is_routine(old: str, new: str, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """True when the texts differ, but only by symbols, dates, years or session ordinals."""
    return routine_spans(diff_units([old], [new], settings))


def _spans(old: Sequence[Unit], new: Sequence[Unit], settings: Settings) -> tuple[Span, ...]:
    if not old:
        return tuple(Span(SpanOp.INSERT, u.text, 0, j) for j, u in enumerate(new) if u.text)
    if not new:
        return tuple(Span(SpanOp.DELETE, u.text, i, 0) for i, u in enumerate(old) if u.text)
    if len(old) == 1 and len(new) == 1 and old[0].text == new[0].text:
        return (Span(SpanOp.EQUAL, old[0].text),) if old[0].text else ()
    return tuple(diff_units([u.text for u in old], [u.text for u in new], settings))


def _pairs(
    old: Sequence[Unit],
    new: Sequence[Unit],
    settings: Settings,
    links: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
) -> tuple[Pair, ...]:
    out: list[Pair] = []
    if links is None:
        aligned = align(old, new, settings)
    else:
        pos_old = {u.label: i for i, u in enumerate(old)}
        pos_new = {u.label: j for j, u in enumerate(new)}
        try:
            given = [([pos_old[x] for x in o], [pos_new[y] for y in n]) for o, n in links]
        except KeyError as e:
            raise ValueError(
                f"alignment names unit {e.args[0]}, which is not in the version"
            ) from e
        aligned = align_given(old, new, given, settings)
    for ap in aligned:
        ou = [old[i] for i in ap.old]
        nu = [new[j] for j in ap.new]
        ol = tuple([u.label for u in ou])
        nl = tuple([u.label for u in nu])
        spans = _spans(ou, nu, settings)
        routine = (
            ap.kind in (PairKind.CHANGED, PairKind.MOVED)
            and len(ou) == len(nu) == 1
            and routine_spans(spans)
        )
        out.append(
            Pair(
                kind=ap.kind,
                old=ol,
                new=nl,
                spans=spans,
                similarity=round(ap.similarity, 6),
                renumbered=bool(ol and nl and ol[0] != nl[0]),
                routine=routine,
                confidence=ap.confidence,
                alternatives=_alternatives(ap.alternatives, old, new) if ap.alternatives else (),
            )
        )
    return tuple(out)


def _alternatives(
    found: Sequence[AlignedAlternative], old: Sequence[Unit], new: Sequence[Unit]
) -> tuple[Alternative, ...]:
    """The aligner's other readings of a pair, with unit labels for its indices."""
    return tuple(
        Alternative(
            tuple(
                (k, tuple(old[i].label for i in o), tuple(new[j].label for j in n))
                for k, o, n in a.pairs
            ),
            a.confidence,
        )
        for a in found
    )


def _footnote_units(doc: Document) -> list[Unit]:
    # Footnotes align like preambular units; their label carries the printed number.
    return [Unit(f"fn{f.number}", UnitKind.PREAMBULAR, f.text) for f in doc.footnotes]


def compare(
    old: Document,
    new: Document,
    settings: Settings | None = None,
    *,
    links: Sequence[tuple[Sequence[str], Sequence[str]]] | None = None,
) -> Comparison:
    """Compare two versions: every unit and footnote of both in exactly one pair.

    ``links`` (old labels, new labels) imposes an alignment decided elsewhere, such as a
    hand-checked one, instead of the aligner's: units in no link are added or removed;
    word diffs, kinds and confidence are worked out as usual. Footnotes are always aligned.
    """
    s = settings or DEFAULT_SETTINGS
    return Comparison(
        old=old,
        new=new,
        pairs=_pairs(old.units, new.units, s, links),
        footnotes=_pairs(_footnote_units(old), _footnote_units(new), s),
        settings=s.as_dict(),
        settings_hash=s.hash(),
    )


def clear_caches() -> None:
    """Forget cached matching keys, tokens and word codes (outputs never depend on them).

    For cold-start measurements, or to give the memory back in a long-running process.
    """
    normalize.clear_caches()
    worddiff.clear_caches()
    wordcodes.clear_caches()
    word_set.cache_clear()


# `resdiff.compare` is this module once imported: calling it calls compare().
callable_module(__name__, compare)
