"""JSON output: the comparison contract (``resdiff.comparison`` v1) and the document contract
(``resdiff.document`` v1, for ``resdiff show``); both have JSON Schemas in resdiff/schemas/.

JSON is data: plain UTF-8 (``ensure_ascii=False``), keys in a fixed order, no HTML escaping.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any

from resdiff.model import Comparison, Document, Metadata, Pair
from resdiff.render.viewmodel import parse_only, select_pairs

__all__ = [
    "comparison_to_json",
    "document_to_json",
    "dumps",
    "metadata_to_json",
    "plain_json",
    "render_json",
    "side_json",
]

COMPARISON_FORMAT = "resdiff.comparison"
DOCUMENT_FORMAT = "resdiff.document"
VERSION = 1


def plain_json(value: Any) -> Any:
    """``value`` with dates as ISO strings, enums as values, tuples as lists, dicts sorted."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [plain_json(v) for v in value]
    if isinstance(value, dict):
        # Sorted so that the output does not depend on how settings were built.
        return {str(k): plain_json(value[k]) for k in sorted(value, key=str)}
    return value


def metadata_to_json(m: Metadata) -> dict[str, Any]:
    """Every metadata field, dates as ISO strings, lists as lists."""
    return {f.name: plain_json(getattr(m, f.name)) for f in dataclasses.fields(Metadata)}


def document_to_json(doc: Document) -> dict[str, Any]:
    """The ``resdiff show --format json`` contract (see document.schema.json)."""
    src = doc.source
    return {
        "format": DOCUMENT_FORMAT,
        "version": VERSION,
        "key": doc.key,
        "metadata": metadata_to_json(doc.metadata),
        "units": [
            {
                "label": u.label,
                "kind": u.kind.value,
                "lead": u.lead,
                "text": u.text,
                "footnotes": list(u.footnotes),
                "footnote_at": list(u.footnote_at),
            }
            for u in doc.units
        ],
        "footnotes": [{"number": f.number, "text": f.text} for f in doc.footnotes],
        "source": None
        if src is None
        else {
            "name": src.name,
            "format": src.format,
            "sha256": src.sha256,
            "revisions": src.revisions,
            "revision_count": src.revision_count,
            "notes": list(src.notes),
        },
    }


def _pair(p: Pair) -> dict[str, Any]:
    # Part indices only matter when a side holds several units (split, merged);
    # elsewhere they are always 0 and would only add noise.
    parts = len(p.old) > 1 or len(p.new) > 1
    spans = []
    for s in p.spans:
        d: dict[str, Any] = {"op": s.op.value, "text": s.text}
        if s.old_text is not None:
            d["old_text"] = s.old_text
        if parts:
            d["old_part"] = s.old_part
            d["new_part"] = s.new_part
        spans.append(d)
    return {
        "kind": p.kind.value,
        "old": list(p.old),
        "new": list(p.new),
        "renumbered": p.renumbered,
        "routine": p.routine,
        "similarity": round(p.similarity, 4),
        "confidence": round(p.confidence, 4),
        "alternatives": [
            {
                "reading": a.describe(p.kind),
                "confidence": round(a.confidence, 4),
                "pairs": [{"kind": k.value, "old": list(o), "new": list(n)} for k, o, n in a.pairs],
            }
            for a in p.alternatives
        ],
        "spans": spans,
    }


def side_json(doc: Document) -> dict[str, Any]:
    """One side of a comparison: key, metadata and unit count."""
    return {"key": doc.key, **metadata_to_json(doc.metadata), "units": len(doc.units)}


def _stats(c: Comparison) -> dict[str, Any]:
    st = c.stats
    return {
        "pairs": len(c.pairs),
        "kinds": dict(st.counts),
        "routine": st.routine,
        "renumbered": st.renumbered,
        "words_kept": st.words_kept,
        "words_inserted": st.words_inserted,
        "words_deleted": st.words_deleted,
        "share_kept": st.share_kept,
        "footnote_changes": st.footnotes_changed,
        "identical": st.identical,
        "rewrite": st.rewrite,
    }


def comparison_to_json(
    c: Comparison, *, only: str | Iterable[str] | None = None, hide_routine: bool = False
) -> dict[str, Any]:
    """The ``resdiff.comparison`` contract (see comparison.schema.json).

    ``stats`` always describes the whole comparison; the filters only drop pairs
    from ``pairs`` and ``footnotes`` and are recorded under ``filters``.
    """
    kinds = parse_only(only)
    return {
        "format": COMPARISON_FORMAT,
        "version": VERSION,
        "settings": plain_json(c.settings),
        "settings_hash": c.settings_hash,
        "old": side_json(c.old),
        "new": side_json(c.new),
        "filters": {
            "only": sorted(kinds) if kinds is not None else None,
            "hide_routine": hide_routine,
        },
        "stats": _stats(c),
        "pairs": [_pair(p) for _, p in select_pairs(c.pairs, kinds, hide_routine)],
        "footnotes": [_pair(p) for _, p in select_pairs(c.footnotes, kinds, hide_routine)],
    }


def dumps(obj: Any) -> str:
    """Deterministic, readable JSON text ending with a newline."""
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def render_json(
    c: Comparison, *, only: str | Iterable[str] | None = None, hide_routine: bool = False
) -> str:
    """The comparison as JSON text."""
    return dumps(comparison_to_json(c, only=only, hide_routine=hide_routine))
