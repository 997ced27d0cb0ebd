"""trigrams across words: PostgreSQL's GIN index on the key with every space as a letter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 11:30:00

pg_trgm makes trigrams inside words only, so a phrase of common words ("for effective
and") was looked up by the trigrams of each word: 100,000 candidate rows at 1M
paragraphs. The new index is on ``replace(norm, ' ', 'q')`` (resdiff/store/
search_index.py, ``pg_trigram_text``), whose trigrams cross word boundaries. SQLite's FTS5 trigram index already does; nothing changes there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

OLD_TRGM_INDEX = "ix_search_units_norm_trgm"
TRGM_INDEX = "ix_search_units_key_trgm"
# As resdiff/store/search_index.py builds it today (pg_trigram_text), written out so
# that this revision always does the same thing.
CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON search_units "
    "USING gin ((replace(norm, ' ', 'q')) gin_trgm_ops)"
)

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {OLD_TRGM_INDEX}")
    op.execute(CREATE_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
    op.execute(f"CREATE INDEX {OLD_TRGM_INDEX} ON search_units USING gin (norm gin_trgm_ops)")
