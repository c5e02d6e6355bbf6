"""Each revision keeps the output options it was saved with (layout, kind, API definition).

The Studio publishes a catalog's last saved revision to Backstage
(``/published/<id>/catalog-info.yaml``) in the options the person chose when saving, so
they travel with the revision.  Revisions saved before have none: they publish with the
defaults (classic layout, ``$text`` API definitions), what the Export page offered first.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``revisions.output_options`` (JSON, empty for the revisions so far)."""
    op.add_column("revisions", sa.Column("output_options", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop ``revisions.output_options``."""
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not batch mode, which would copy
    # and drop the table.
    op.drop_column("revisions", "output_options")
