"""One draft per editor: people editing the same catalog no longer overwrite each other.

A draft was one row per catalog, so two people's autosaves replaced each other's work.
Drafts are now keyed by catalog and editor (a random token per editing line), and carry
a version that a save names, so two browsers writing the same draft notice each other.
The one draft a catalog had becomes the draft of editor "" (an editor like any other).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``editor`` (in the primary key) and ``version`` to ``drafts``."""
    # SQLite cannot change a primary key in place: batch mode copies the table.
    with op.batch_alter_table("drafts", recreate="auto") as batch:
        batch.add_column(sa.Column("editor", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.drop_constraint("pk_drafts", type_="primary")
        batch.create_primary_key("pk_drafts", ["catalog_id", "editor"])
    with op.batch_alter_table("drafts", recreate="auto") as batch:
        # The defaults were only for the rows already there; the code gives both.
        batch.alter_column("editor", server_default=None)
        batch.alter_column("version", server_default=None)


def downgrade() -> None:
    """Keep each catalog's newest draft only, as one draft per catalog again."""
    drafts = sa.table(
        "drafts",
        sa.column("catalog_id", sa.String),
        sa.column("editor", sa.String),
        sa.column("updated_at", sa.DateTime),
    )
    newer = drafts.alias("newer")
    op.execute(
        drafts.delete().where(
            sa.exists().where(
                newer.c.catalog_id == drafts.c.catalog_id,
                sa.or_(
                    newer.c.updated_at > drafts.c.updated_at,
                    sa.and_(
                        newer.c.updated_at == drafts.c.updated_at,
                        newer.c.editor > drafts.c.editor,
                    ),
                ),
            )
        )
    )
    with op.batch_alter_table("drafts", recreate="auto") as batch:
        batch.drop_constraint("pk_drafts", type_="primary")
        batch.create_primary_key("pk_drafts", ["catalog_id"])
        batch.drop_column("version")
        batch.drop_column("editor")
