"""unit footnote positions: where each cited footnote's marker stands in a unit's text

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:30:00

``units.footnote_at`` holds a JSON list parallel to ``units.footnotes``: the offset in
``units.text`` of each marker, so that a redline can show the marker where it stands.
Nullable: rows stored before this revision keep NULL (positions unknown) and read back
as documents without positions; their content hash does not include positions, so the
same document parsed again is still "already stored". A plain ADD COLUMN on both
engines: SQLite adds a nullable column in place, without the copy-and-rename of a batch
operation (which would drop ``units`` and, through ``search_units``' foreign key,
the search index rows with it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("units", sa.Column("footnote_at", sa.JSON(), nullable=True))


def downgrade() -> None:
    # SQLite 3.35 and later drop a column in place too (no table copy).
    op.drop_column("units", "footnote_at")
