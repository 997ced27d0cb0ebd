"""FTS entries written in bulk: SQLite's per-row insert trigger on search_units dropped

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:50:00

The trigger added each new ``search_units`` row to the FTS5 index one statement at a
time. Writers now add the entries of a whole batch of documents in one statement, in
the same transaction as the rows (``resdiff/store/search_index.py``, ``index_fts``),
which FTS5 builds in memory and writes once. Nothing is reindexed: every row stored so
far already has its entries. The delete and update triggers stay. PostgreSQL's GIN
index follows its table by itself: nothing changes there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The trigger as revision 0004 made it, for the downgrade.
INSERT_TRIGGER = (
    "CREATE TRIGGER search_units_ai AFTER INSERT ON search_units BEGIN "
    "INSERT INTO search_fts(rowid, norm) VALUES (new.id, new.norm); END"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS search_units_ai")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(INSERT_TRIGGER)
