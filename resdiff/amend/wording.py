"""Quoted wording inside a paragraph: found by matching key, replaced with tidy seams."""

from __future__ import annotations

from resdiff.normalize import key

__all__ = ["find_wording", "splice"]


def _folded(text: str) -> tuple[str, list[int]]:
    """The matching key of ``text`` built character by character, with each key
    character's index in ``text``, so that a match in the key maps back to the text."""
    out: list[str] = []
    idx: list[int] = []
    space = True
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                idx.append(i)
                space = True
            continue
        # a quotation inside quoted wording is printed with single quotes: ‘ ’ in the
        # amendment stand for “ ” in the draft, so both fold to one character here
        for c in key(ch).replace('"', "'"):
            out.append(c)
            idx.append(i)
            space = False
    return "".join(out), idx


def find_wording(text: str, wording: str) -> list[tuple[int, int]]:
    """Every (start, end) of ``wording`` in ``text``, matched by their keys (case, spacing,
    quote and dash variants folded) and never inside a word ("men" is not in "women")."""
    hay, idx = _folded(text)
    needle = _folded(wording)[0].strip()
    if not needle:
        return []
    found: list[tuple[int, int]] = []
    at = hay.find(needle)
    while at >= 0:
        end = at + len(needle)
        before_ok = at == 0 or not (hay[at - 1].isalnum() and needle[0].isalnum())
        after_ok = end == len(hay) or not (hay[end].isalnum() and needle[-1].isalnum())
        if before_ok and after_ok:
            found.append((idx[at], idx[end - 1] + 1))
        at = hay.find(needle, at + 1)
    return found


def splice(text: str, start: int, end: int, new: str) -> str:
    """``text`` with [start, end) replaced by ``new``; only the seams' spacing is tidied
    (one space between words, none before punctuation)."""
    parts = [p for p in (text[:start].rstrip(), new.strip(), text[end:].lstrip()) if p]
    out = parts[0] if parts else ""
    for p in parts[1:]:
        out += p if p[0] in ",;:.)" or out.endswith("(") else " " + p
    return out
