"""Names that follow the document, owners in the listing, drafts that know their browser.

* ``catalogs.named``: whether a person named the catalog (Rename).  Until then its name
  follows the document (the server's name, else the first model's) at every save, so a
  catalog keeps no stale name of what it held before.
* ``catalogs.owner``: the server's (else the first model's) owner, so the Library can
  tell same-named catalogs apart without reading documents.
* ``drafts.browser``: the token of the browser that wrote the draft, so a link opened
  in another browser never shows (or takes over) somebody else's unsaved work.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def _owner(document: object) -> str | None:
    if not isinstance(document, dict):
        return None
    server = document.get("modelServer")
    models = document.get("models")
    for owner in (server, *(models if isinstance(models, list) else [])):
        value = owner.get("owner") if isinstance(owner, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return None


def upgrade() -> None:
    """Add the three columns; catalogs so far count as named, their owner is read once."""
    with op.batch_alter_table("catalogs", recreate="auto") as batch:
        # Existing names may have been given by hand: keep them (Rename with an empty
        # name hands a catalog back to its document).
        batch.add_column(sa.Column("named", sa.Boolean(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("owner", sa.String(200), nullable=True))
    with op.batch_alter_table("drafts", recreate="auto") as batch:
        batch.add_column(sa.Column("browser", sa.String(64), nullable=False, server_default=""))
    catalogs = sa.table(
        "catalogs",
        sa.column("id", sa.String),
        sa.column("latest_revision", sa.Integer),
        sa.column("owner", sa.String),
    )
    revisions = sa.table(
        "revisions",
        sa.column("catalog_id", sa.String),
        sa.column("number", sa.Integer),
        sa.column("document", sa.JSON),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(catalogs.c.id, revisions.c.document).join(
            revisions,
            (revisions.c.catalog_id == catalogs.c.id)
            & (revisions.c.number == catalogs.c.latest_revision),
        )
    ).all()
    for catalog_id, document in rows:
        if owner := _owner(document):
            conn.execute(
                sa.update(catalogs).where(catalogs.c.id == catalog_id).values(owner=owner)
            )


def downgrade() -> None:
    """Drop the three columns."""
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): batch mode would copy and drop
    # ``catalogs``, and dropping it cascades to every revision and draft.
    op.drop_column("drafts", "browser")
    op.drop_column("catalogs", "owner")
    op.drop_column("catalogs", "named")
