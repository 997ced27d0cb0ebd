"""What a reader types for a paragraph ("op 3", "operative paragraph 2 (a)", "third
preambular paragraph") resolved to the label a document gives it ("OP3", "OP2(a)", "PP3")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = ["resolve_label"]

# "the third preambular paragraph", as amendments and delegates name one.
_ORDINAL_FORM = re.compile(
    r"(?:the )?([a-z0-9]+(?:-[a-z]+)?) (preambular|operative) paragraph ?(.*)"
)
# A kind in words or letters, then the number: "operative paragraph 3", "op. 3", "pp2".
_KIND_FORM = re.compile(
    r"(?:(operative|op|preambular|pp)\b ?(?:paragraph|para)?|paragraph|para|§)? ?(\d.*)"
)


def resolve_label(labels: Iterable[str], typed: str) -> str | None:
    """The label among ``labels`` that ``typed`` names, or None.

    An exact label wins; otherwise case, spaces and dots are ignored, the kind may be
    spelt out ("operative paragraph 3", "preambular 2") or given as an ordinal ("third
    preambular paragraph"), and a number without a kind ("3", "paragraph 3") is the
    operative paragraph, as resolutions cite their own paragraphs.
    """
    known = list(labels)
    if typed in known:
        return typed
    folded = {_fold(label): label for label in known}
    for reading in _readings(typed):
        found = folded.get(_fold(reading))
        if found is not None:
            return found
    return None


def _fold(label: str) -> str:
    return re.sub(r"[\s.]+", "", label).casefold()


def _readings(typed: str) -> Iterator[str]:
    text = re.sub(r"[\s.]+", " ", typed.strip().casefold()).strip()
    yield text
    m = _ORDINAL_FORM.fullmatch(text)
    if m:
        from resdiff.amend.instructions import ordinal  # the amendments' ordinal words

        number = ordinal(m.group(1))
        if number is not None:
            yield ("pp" if m.group(2) == "preambular" else "op") + str(number) + m.group(3)
        return
    m = _KIND_FORM.fullmatch(text)
    if m:
        kind = "pp" if m.group(1) in ("preambular", "pp") else "op"
        yield kind + m.group(2)
