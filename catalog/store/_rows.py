"""Reading and writing the store's rows inside one transaction (the ``Store``'s helpers)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, delete, exc, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from catalog.store import _tables as t
from catalog.store._document import Facts, search_text
from catalog.store._errors import NotFoundError, StoreError
from catalog.store._records import Revision

Document = dict[str, Any]
OutputOptions = Mapping[str, str]
#: The output options a revision keeps (see ``catalog.convert.ConvertOptions``).
OUTPUT_OPTION_KEYS = ("layout", "kind", "api_definition")


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn an unreachable, locked or full database into a StoreError for a person."""
    try:
        yield
    except (exc.OperationalError, exc.InterfaceError) as error:
        raise StoreError(f"The catalog database failed: {str(error.orig).strip()}") from error
    except exc.TimeoutError as error:
        raise StoreError(f"The catalog database is too busy: {error}") from error


def not_found(catalog_id: str) -> NotFoundError:
    """The error for a catalog that does not exist or is deleted."""
    return NotFoundError(f"There is no catalog {catalog_id!r} (it may have been deleted).")


def live(conn: Connection, catalog_id: str, *, lock: bool = False) -> Row[Any]:
    """The catalog's row unless deleted; ``lock`` makes writers of it take turns."""
    c = t.catalogs.c
    query = select(t.catalogs).where(c.id == catalog_id, c.deleted_at.is_(None))
    if lock:
        # PostgreSQL: SELECT ... FOR UPDATE.  SQLite has no row locks (the clause is
        # dropped); its writers already take turns through BEGIN IMMEDIATE.
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise not_found(catalog_id)
    return row


def revision(conn: Connection, catalog_id: str, number: int) -> Revision:
    """Revision ``number`` of the catalog, with its document."""
    r = t.revisions.c
    row = conn.execute(
        select(t.revisions).where(r.catalog_id == catalog_id, r.number == number)
    ).first()
    if row is None:
        raise NotFoundError(f"Catalog {catalog_id!r} has no revision {number}.")
    return Revision(
        catalog_id=catalog_id,
        number=number,
        created_at=row.created_at,
        note=row.note,
        document=row.document,
        output_options=row.output_options,
    )


def newest_revision(conn: Connection, catalog_id: str) -> Revision:
    """The catalog's highest-numbered revision, read from the revisions themselves."""
    r = t.revisions.c
    query = select(func.max(r.number)).where(r.catalog_id == catalog_id)
    number = conn.scalar(query)
    if number is None:
        raise not_found(catalog_id)
    return revision(conn, catalog_id, number)


def insert_revision(
    conn: Connection,
    catalog_id: str,
    number: int,
    document: Document,
    note: str | None,
    now: datetime,
    output_options: OutputOptions | None = None,
) -> None:
    """Add one revision row; the primary key refuses a number that is taken."""
    conn.execute(
        insert(t.revisions).values(
            catalog_id=catalog_id,
            number=number,
            document=document,
            note=note,
            created_at=now,
            output_options=clean_output_options(output_options),
        )
    )


def append(
    conn: Connection,
    row: Row[Any],
    number: int,
    document: Document,
    facts: Facts,
    note: str | None,
    now: datetime,
    output_options: OutputOptions | None = None,
) -> None:
    """Add revision ``number`` and point the catalog's listing fields at it.

    A catalog nobody named takes the new document's name (its server's or first model's).
    """
    insert_revision(conn, row.id, number, document, note, now, output_options)
    name = row.name if row.named else facts.default_name
    conn.execute(
        update(t.catalogs)
        .where(t.catalogs.c.id == row.id)
        .values(
            name=name,
            latest_revision=number,
            updated_at=now,
            model_count=facts.model_count,
            owner=facts.owner,
            search_text=search_text(name, facts),
        )
    )
    replace_tags(conn, row.id, facts.tags)


def replace_tags(conn: Connection, catalog_id: str, tags: tuple[str, ...]) -> None:
    """Make ``tags`` the catalog's searchable tags."""
    conn.execute(delete(t.catalog_tags).where(t.catalog_tags.c.catalog_id == catalog_id))
    if tags:
        conn.execute(
            insert(t.catalog_tags),
            [{"catalog_id": catalog_id, "tag": tag} for tag in tags],
        )


def tags_of(conn: Connection, catalog_ids: list[str] | Select[Any]) -> dict[str, tuple[str, ...]]:
    """Each catalog's tags, sorted; ``catalog_ids`` may be a subquery of ids."""
    g = t.catalog_tags.c
    query = select(g.catalog_id, g.tag).where(g.catalog_id.in_(catalog_ids)).order_by(g.tag)
    found: dict[str, list[str]] = {}
    for catalog_id, tag in conn.execute(query):
        found.setdefault(catalog_id, []).append(tag)
    return {catalog_id: tuple(tags) for catalog_id, tags in found.items()}


def summary_fields(row: Row[Any], tags: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """The :class:`CatalogSummary` fields of a catalogs row."""
    return {
        "id": row.id,
        "name": row.name,
        "revision": row.latest_revision,
        "model_count": row.model_count,
        "tags": tags.get(row.id, ()),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "deleted_at": row.deleted_at,
        "owner": row.owner,
        "named": bool(row.named),
    }


def upsert_draft(conn: Connection, values: dict[str, Any], expected_version: int | None) -> Any:
    """INSERT ... ON CONFLICT (catalog_id, editor) DO UPDATE, bumping ``version``.

    With ``expected_version`` the update only happens while the row still has that
    version: a statement that changes no row means another writer came first.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(t.drafts).values({**values, "version": 1})
    changes: dict[str, Any] = {
        key: statement.excluded[key] for key in values if key not in ("catalog_id", "editor")
    }
    changes["version"] = t.drafts.c.version + 1
    where = None if expected_version is None else t.drafts.c.version == expected_version
    return statement.on_conflict_do_update(
        index_elements=["catalog_id", "editor"], set_=changes, where=where
    ).returning(t.drafts.c.version)


def clean_output_options(options: OutputOptions | None) -> dict[str, str] | None:
    """Output options as stored: short strings under the known keys, nothing else."""
    if options is None:
        return None
    if not isinstance(options, Mapping):
        raise TypeError("output_options must be a mapping of option name to value")
    cleaned: dict[str, str] = {}
    for key in OUTPUT_OPTION_KEYS:
        value = options.get(key)
        if value is not None:
            if not isinstance(value, str) or len(value) > 64:
                raise ValueError(f"output option {key!r} must be a short string")
            cleaned[key] = value
    return cleaned
