"""search index: each unit's matching key, with FTS5 trigram (SQLite) or pg_trgm (PostgreSQL)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 09:40:00

Existing documents are indexed here, so an upgraded database answers phrase queries
at once. See resdiff/store/search.py for why trigram indexes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from resdiff.store.search_index import SQLITE_DROP, reindex

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The PostgreSQL index as this revision made it (0005 replaces it): written out here,
# not imported, so that upgrading through 0004 always does the same thing.
POSTGRES_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_search_units_norm_trgm ON search_units USING gin (norm gin_trgm_ops)",
)
POSTGRES_DROP = ("DROP INDEX IF EXISTS ix_search_units_norm_trgm",)
# SQLite's FTS5 table and triggers as this revision made them (0007 drops the insert
# trigger), written out for the same reason.
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(norm, content='search_units', "
    "content_rowid='id', tokenize='trigram case_sensitive 1', detail='full')",
    "CREATE TRIGGER search_units_ai AFTER INSERT ON search_units BEGIN "
    "INSERT INTO search_fts(rowid, norm) VALUES (new.id, new.norm); END",
    "CREATE TRIGGER search_units_ad AFTER DELETE ON search_units BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, norm) VALUES ('delete', old.id, old.norm); END",
    "CREATE TRIGGER search_units_au AFTER UPDATE ON search_units BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, norm) VALUES ('delete', old.id, old.norm); "
    "INSERT INTO search_fts(rowid, norm) VALUES (new.id, new.norm); END",
)


def upgrade() -> None:
    op.create_table(
        "search_units",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id", "position"],
            ["units.document_id", "units.position"],
            name="fk_search_units_document_id_units",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_units")),
        sa.UniqueConstraint(
            "document_id", "position", name=op.f("uq_search_units_document_id_position")
        ),
    )
    bind = op.get_bind()
    for statement in SQLITE_DDL if bind.dialect.name == "sqlite" else POSTGRES_DDL:
        op.execute(statement)
    reindex(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in SQLITE_DROP if bind.dialect.name == "sqlite" else POSTGRES_DROP:
        op.execute(statement)
    op.drop_table("search_units")
