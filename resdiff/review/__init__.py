"""The review pack before a Committee vote: what changed, how strongly, who sponsors it, which references broke.

review(store, draft_ref, against=None, scale=None, amendments=True) -> ReviewPack
    the draft against its series' latest adopted resolution (or ``against``), with the
    provenance of new wording (``provenance``), long-standing deletions, verb and
    qualifier strength (``strength``, scale in ``strength_scale.toml``), sponsors
    joined / left (``sponsors``), paragraph references at risk (``crossrefs``) and
    pending amendments (``resdiff.amend``). Render with ``resdiff.render.review``.
"""

from __future__ import annotations

from resdiff import callable_module
from resdiff.review.locate import Located, locate
from resdiff.review.pack import (
    AmendmentReview,
    ChangeNotes,
    ReviewPack,
    ReviewSummary,
    SponsorReview,
    build_pack,
    review,
)

__all__ = [
    "AmendmentReview",
    "ChangeNotes",
    "Located",
    "ReviewPack",
    "ReviewSummary",
    "SponsorReview",
    "build_pack",
    "locate",
    "review",
]


# `resdiff.review` is this module once imported: calling it calls review().
callable_module(__name__, review)
