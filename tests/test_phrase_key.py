"""The search key's glued-marker rule: the fast pattern gives the plain pattern's output."""

from __future__ import annotations

import re
from pathlib import Path

from resdiff.ingest import parse_file
from resdiff.normalize import key
from resdiff.store.search_index import phrase_key

# The rule written plainly (look-behinds tried at every position): the oracle.
_PLAIN = re.compile(r"(?<=[^\W\d_]{3})\d{1,3}(?!\w)|(?<=[^\W\d_][,;])\d{1,3}(?= |$)")


def plain_phrase_key(text: str) -> str:
    return _PLAIN.sub("", key(text))


def test_glued_markers_dropped_and_symbols_kept() -> None:
    assert phrase_key("Status of Refugees15 and the 1967 Protocol thereto16") == (
        "status of refugees and the 1967 protocol thereto"
    )
    assert phrase_key("Consular Relations,24 to which") == "consular relations, to which"
    for kept in ("G77", "H5N1", "A/RES/72/188", "Rev.1", "1,000"):
        assert phrase_key(kept) == key(kept)


def test_same_key_as_the_plain_rule_on_every_unit_of_the_series(shared_corpus: Path) -> None:
    files = sorted((shared_corpus / "series").iterdir())
    texts = [u.text for f in files for u in parse_file(f).units]
    texts += [n.text for f in files for n in parse_file(f).footnotes]
    assert len(texts) > 1000
    differing = [t for t in texts if phrase_key(t) != plain_phrase_key(t)]
    assert differing == []
