"""Sponsor lists of two drafts compared: who joined, who left, who stayed, names normalised.

Member States appear under several spellings across documents and years (Türkiye /
Turkey, Czechia / Czech Republic, "Netherlands (Kingdom of the)" / Netherlands);
``normalise_sponsor`` maps each to one comparison key, and ``diff_sponsors`` compares
two lists by those keys while showing each name as the draft printed it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from resdiff.normalize import key

__all__ = ["SponsorDiff", "diff_sponsors", "normalise_sponsor"]

# Other spelling -> the name the UN uses today. Keys and values are written plainly;
# both go through the same folding (case, accents, quotes, spaces) before use.
_ALIASES = {
    "Turkey": "Türkiye",
    "Czech Republic": "Czechia",
    "Netherlands (Kingdom of the)": "Netherlands",
    "Kingdom of the Netherlands": "Netherlands",
    "Bolivia": "Bolivia (Plurinational State of)",
    "Plurinational State of Bolivia": "Bolivia (Plurinational State of)",
    "Venezuela": "Venezuela (Bolivarian Republic of)",
    "Bolivarian Republic of Venezuela": "Venezuela (Bolivarian Republic of)",
    "Iran": "Iran (Islamic Republic of)",
    "Islamic Republic of Iran": "Iran (Islamic Republic of)",
    "Micronesia": "Micronesia (Federated States of)",
    "Federated States of Micronesia": "Micronesia (Federated States of)",
    "Korea, Republic of": "Republic of Korea",
    "South Korea": "Republic of Korea",
    "Korea, Democratic People's Republic of": "Democratic People's Republic of Korea",
    "North Korea": "Democratic People's Republic of Korea",
    "Ivory Coast": "Côte d'Ivoire",
    "Cote d'Ivoire": "Côte d'Ivoire",
    "Congo, Democratic Republic of the": "Democratic Republic of the Congo",
    "DR Congo": "Democratic Republic of the Congo",
    "United Kingdom": "United Kingdom of Great Britain and Northern Ireland",
    "UK": "United Kingdom of Great Britain and Northern Ireland",
    "United States": "United States of America",
    "USA": "United States of America",
    "Russia": "Russian Federation",
    "Swaziland": "Eswatini",
    "Kingdom of Eswatini": "Eswatini",
    "The former Yugoslav Republic of Macedonia": "North Macedonia",
    "Macedonia": "North Macedonia",
    "Cape Verde": "Cabo Verde",
    "Palestine": "State of Palestine",
    "Laos": "Lao People's Democratic Republic",
    "Lao PDR": "Lao People's Democratic Republic",
    "Syria": "Syrian Arab Republic",
    "Vietnam": "Viet Nam",
    "Brunei": "Brunei Darussalam",
    "Moldova": "Republic of Moldova",
    "Tanzania": "United Republic of Tanzania",
    "East Timor": "Timor-Leste",
    "Burma": "Myanmar",
    "Bahamas (The)": "Bahamas",
    "The Bahamas": "Bahamas",
    "Gambia (Republic of The)": "Gambia",
    "The Gambia": "Gambia",
}

# Marks and words that surround a name in a parsed list without being part of it:
# footnote asterisks, a trailing "and", "on behalf of the Group of ..." tails.
_BEHALF = re.compile(r"\s*[,:]?\s*\bon behalf of\b.*$", re.IGNORECASE | re.DOTALL)
_EDGE = re.compile(r"^[\s*†‡,;:.]+|[\s*†‡,;:.]+$")
_LEADING_AND = re.compile(r"^and\s+", re.IGNORECASE)
_TRAILING_AND = re.compile(r"\s+and$", re.IGNORECASE)


def _fold(name: str) -> str:
    """Case, accent, quote and whitespace-insensitive form of a name."""
    plain = unicodedata.normalize("NFKD", key(name))
    return "".join(c for c in plain if not unicodedata.combining(c))


_CANON = {_fold(k): _fold(v) for k, v in _ALIASES.items()}
# Member States whose names contain "and": never split these as list glue.
_AND_NAMES = frozenset(
    _fold(n)
    for n in (
        "Antigua and Barbuda",
        "Bosnia and Herzegovina",
        "Saint Kitts and Nevis",
        "Saint Vincent and the Grenadines",
        "Sao Tome and Principe",
        "Trinidad and Tobago",
        "United Kingdom of Great Britain and Northern Ireland",
    )
)


def _split_glued(raw: str) -> list[str]:
    """Split "Norway and Sweden" (a parser left the last "and" in), keeping "X and Y" names."""
    tokens = clean_sponsor(raw).split(" and ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        # The longest run of tokens that is one Member State's name, else one token.
        j = next(
            (
                j
                for j in range(len(tokens), i + 1, -1)
                if _fold(" and ".join(tokens[i:j])) in _AND_NAMES
            ),
            i + 1,
        )
        out.append(" and ".join(tokens[i:j]))
        i = j
    return out


def clean_sponsor(name: str) -> str:
    """The name as printed, stripped of asterisks, list glue ("and") and "on behalf of" tails."""
    out = _BEHALF.sub("", name)
    prev = None
    while prev != out:
        prev = out
        out = _EDGE.sub("", out)
        out = _LEADING_AND.sub("", out)
        out = _TRAILING_AND.sub("", out)
    return " ".join(out.split())


def normalise_sponsor(name: str) -> str:
    """A comparison key: the same for every spelling of one Member State ("" for no name)."""
    folded = _fold(clean_sponsor(name))
    return _CANON.get(folded, folded)


@dataclass(frozen=True, slots=True)
class SponsorDiff:
    """Sponsors joined (new order), left (old order) and unchanged (new order), as printed."""

    joined: tuple[str, ...]
    left: tuple[str, ...]
    unchanged: tuple[str, ...]


def _keyed(names: Sequence[str]) -> dict[str, str]:
    """Normalised key -> display name (the first spelling seen), in list order."""
    out: dict[str, str] = {}
    for raw in names:
        for part in _split_glued(raw):
            k = normalise_sponsor(part)
            if k and k not in out:
                out[k] = clean_sponsor(part)
    return out


def diff_sponsors(old: Sequence[str], new: Sequence[str]) -> SponsorDiff:
    """Compare two sponsor lists by normalised name; display keeps each draft's own spelling.

    A parsed entry may still carry list glue ("Norway and Sweden", "and Chile",
    "Spain*"); these are split and cleaned first. Duplicates count once.
    """
    before, after = _keyed(old), _keyed(new)
    return SponsorDiff(
        joined=tuple(v for k, v in after.items() if k not in before),
        left=tuple(v for k, v in before.items() if k not in after),
        unchanged=tuple(v for k, v in after.items() if k in before),
    )
