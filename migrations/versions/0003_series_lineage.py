"""series lineage: series, their members, manual links, stored alignments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("key", name=op.f("uq_series_key")),
    )
    op.create_table(
        "series_members",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_series_members_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["series.id"],
            name=op.f("fk_series_members_series_id_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_series_members")),
    )
    op.create_index(
        op.f("ix_series_members_series_id"), "series_members", ["series_id"], unique=False
    )
    op.create_table(
        "series_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("anchor", sa.String(length=200), nullable=False),
        sa.Column("member", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('link', 'unlink')", name=op.f("ck_series_links_action_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series_links")),
    )
    op.create_table(
        "alignments",
        sa.Column("old_document_id", sa.Integer(), nullable=False),
        sa.Column("new_document_id", sa.Integer(), nullable=False),
        sa.Column("settings_hash", sa.String(length=64), nullable=False),
        sa.Column("pairs", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["new_document_id"],
            ["documents.id"],
            name=op.f("fk_alignments_new_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["old_document_id"],
            ["documents.id"],
            name=op.f("fk_alignments_old_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("old_document_id", "new_document_id", name=op.f("pk_alignments")),
    )


def downgrade() -> None:
    op.drop_table("alignments")
    op.drop_table("series_links")
    op.drop_index(op.f("ix_series_members_series_id"), table_name="series_members")
    op.drop_table("series_members")
    op.drop_table("series")
