"""Catalogs, their revisions, tags and drafts.

Revision ID: 0001
Revises:
Create Date: 2025-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "catalogs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("model_count", sa.Integer(), nullable=False),
        sa.Column("latest_revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_catalogs"),
    )
    op.create_index("ix_catalogs_updated_at", "catalogs", ["updated_at"])
    op.create_table(
        "revisions",
        sa.Column("catalog_id", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalog_id"],
            ["catalogs.id"],
            name="fk_revisions_catalog_id_catalogs",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("catalog_id", "number", name="pk_revisions"),
    )
    op.create_table(
        "catalog_tags",
        sa.Column("catalog_id", sa.String(32), nullable=False),
        sa.Column("tag", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalog_id"],
            ["catalogs.id"],
            name="fk_catalog_tags_catalog_id_catalogs",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("catalog_id", "tag", name="pk_catalog_tags"),
    )
    op.create_index("ix_catalog_tags_tag", "catalog_tags", ["tag"])
    op.create_table(
        "drafts",
        sa.Column("catalog_id", sa.String(32), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalog_id"],
            ["catalogs.id"],
            name="fk_drafts_catalog_id_catalogs",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("catalog_id", name="pk_drafts"),
    )


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("drafts")
    op.drop_table("catalog_tags")
    op.drop_table("revisions")
    op.drop_index("ix_catalogs_updated_at", table_name="catalogs")
    op.drop_table("catalogs")
