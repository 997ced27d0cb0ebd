"""How a count reads in the reports: "1 sponsor", "2 sponsors"."""

from __future__ import annotations


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``n`` followed by ``word``, in the plural (``word + "s"`` unless given) when ``n``
    is not 1: a delegate reading "1 sponsors" stops trusting the rest of the page."""
    return f"{n} {word if n == 1 else plural or word + 's'}"
