"""initial schema: documents, sponsors, units, footnotes

Revision ID: 0001
Revises:
Create Date: 2026-11-28 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("symbol", sa.String(length=200), nullable=True),
        sa.Column("symbol_key", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("reissue", sa.String(length=100), nullable=True),
        sa.Column("session", sa.Integer(), nullable=True),
        sa.Column("body", sa.String(length=200), nullable=True),
        sa.Column("agenda_item", sa.String(length=200), nullable=True),
        sa.Column("distribution_date", sa.Date(), nullable=True),
        sa.Column("adoption_date", sa.Date(), nullable=True),
        sa.Column("meeting", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("draft_symbol", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("has_source", sa.Boolean(), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=True),
        sa.Column("source_format", sa.String(length=40), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("source_revisions", sa.String(length=40), nullable=True),
        sa.Column("source_revision_count", sa.Integer(), nullable=False),
        sa.Column("source_notes", sa.JSON(), nullable=False),
        sa.Column("furniture", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_documents_version_positive")),
        sa.CheckConstraint("key <> ''", name=op.f("ck_documents_key_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_documents_content_hash")),
        sa.UniqueConstraint("key", name=op.f("uq_documents_key")),
        sa.UniqueConstraint("symbol_key", "version", name=op.f("uq_documents_symbol_key_version")),
    )
    op.create_index(op.f("ix_documents_symbol_key"), "documents", ["symbol_key"], unique=False)
    op.create_table(
        "sponsors",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_sponsors_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "on_behalf", "position", name=op.f("pk_sponsors")),
    )
    op.create_table(
        "units",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("lead", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("footnotes", sa.JSON(), nullable=False),
        sa.CheckConstraint("label <> ''", name=op.f("ck_units_label_not_empty")),
        sa.CheckConstraint(
            "kind IN ('preambular', 'operative', 'subitem')", name=op.f("ck_units_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_units_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "position", name=op.f("pk_units")),
    )
    op.create_index("ix_units_document_id_label", "units", ["document_id", "label"], unique=False)
    op.create_table(
        "footnotes",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_footnotes_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "position", name=op.f("pk_footnotes")),
    )


def downgrade() -> None:
    op.drop_table("footnotes")
    op.drop_index("ix_units_document_id_label", table_name="units")
    op.drop_table("units")
    op.drop_table("sponsors")
    op.drop_index(op.f("ix_documents_symbol_key"), table_name="documents")
    op.drop_table("documents")
