"""The store's tables (SQLAlchemy Core); migrations in ``catalog/migrations`` create them.

A catalog row carries what the library lists (name, model count, latest revision number,
timestamps) so listing never reads documents.  Revisions are append-only: the primary key
``(catalog_id, number)`` makes a second writer of the same number fail instead of
overwriting.  Tags have their own table so tag search is an indexed equality.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

# The newest migration in catalog/migrations/versions: the schema these tables describe.
# A test checks it against the migration scripts; bump it with every new migration.
SCHEMA_REVISION = "0005"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; store UTC (without zone on SQLite, so text sorts)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store only takes timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Hand back an aware UTC datetime whatever the backend returned."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Plain JSON, not PostgreSQL's JSONB: JSONB reorders keys, and the key order of a
# document is what the person sees in the YAML and in diffs.
catalogs = Table(
    "catalogs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("search_text", Text, nullable=False),
    Column("model_count", Integer, nullable=False),
    Column("latest_revision", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime, nullable=True),
    # False while the name follows the document (see migration 0003); Rename sets it.
    Column("named", Boolean, nullable=False),
    Column("owner", String(200), nullable=True),
    Index(None, "updated_at"),
)

revisions = Table(
    "revisions",
    metadata,
    Column(
        "catalog_id",
        String(32),
        ForeignKey("catalogs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("number", Integer, primary_key=True),
    Column("document", JSON, nullable=False),
    Column("note", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    # How it is written for Backstage (layout, kind, API definition), as chosen when saved;
    # NULL for revisions saved before migration 0004 (they publish with the defaults).
    Column("output_options", JSON, nullable=True),
)

catalog_tags = Table(
    "catalog_tags",
    metadata,
    Column(
        "catalog_id",
        String(32),
        ForeignKey("catalogs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag", String(200), primary_key=True),
    Index(None, "tag"),
)

drafts = Table(
    "drafts",
    metadata,
    Column(
        "catalog_id",
        String(32),
        ForeignKey("catalogs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # Whose draft: a random token per line of editing (one browser tab, a link with it).
    Column("editor", String(64), primary_key=True),
    # The browser that wrote it: only that browser is offered the draft by a link.
    Column("browser", String(64), nullable=False),
    # Bumped by every write; a write naming an older version is refused (two writers).
    Column("version", Integer, nullable=False),
    Column("base_revision", Integer, nullable=False),
    Column("document", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # The output options chosen while it was written (NULL: the base revision's; drafts
    # written before migration 0005).
    Column("output_options", JSON, nullable=True),
)
