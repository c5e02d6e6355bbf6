"""Each draft keeps the output options chosen while it was written.

A person who switches the preview to the ai-model-server layout and reloads the page
gets their draft back; until now it came back with the options of the revision it was
edited from, and a change of the options alone was kept nowhere.  Drafts written before
have none: they come back with their revision's options, as before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``drafts.output_options`` (JSON, empty for the drafts so far)."""
    op.add_column("drafts", sa.Column("output_options", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop ``drafts.output_options``."""
    op.drop_column("drafts", "output_options")
