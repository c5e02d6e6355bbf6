"""Storage of catalogs and their revisions (SQLite by default, PostgreSQL when shared).

::

    store = Store()                      # $MODEL_CATALOG_DB_URL or ./data/catalogs.db
    info = store.create("Granite", document)
    try:
        store.save(info.id, edited, base_revision=info.revision, note="new model")
    except ConflictError as conflict:    # someone saved first: show both, let them choose
        conflict.latest.document

Saving appends a revision and never overwrites one; :meth:`Store.restore` appends an old
document again.  Autosaved working drafts are kept apart from the revisions, one per
editor (:meth:`Store.save_draft`), so people editing the same catalog never overwrite
each other's unsaved work.  Deleting hides a catalog until
:meth:`Store.undelete`; :meth:`Store.purge_deleted` removes it for good.

The schema is created and upgraded by the Alembic migrations in ``catalog/migrations``
when a :class:`Store` opens.  Exceptions (all :class:`catalog.errors.CatalogError`)::

    StoreError          the database refused or failed
     +-- NotFoundError  no such catalog or revision, or the catalog is deleted
     +-- ConflictError  saved on top of a revision that is no longer the latest
     +-- DraftConflictError  another writer changed the same draft since it was read
"""

from catalog.store._document import MAX_DOCUMENT_BYTES, MAX_NAME_CHARS, MAX_NOTE_CHARS
from catalog.store._engine import ENV_DATA_DIR, ENV_URL, resolve_url
from catalog.store._errors import (
    ConflictError,
    DraftConflictError,
    NotFoundError,
    StoreError,
)
from catalog.store._records import (
    CatalogInfo,
    CatalogSummary,
    Draft,
    Revision,
    RevisionInfo,
)
from catalog.store._store import Store, new_id

__all__ = [
    "ENV_DATA_DIR",
    "ENV_URL",
    "MAX_DOCUMENT_BYTES",
    "MAX_NAME_CHARS",
    "MAX_NOTE_CHARS",
    "CatalogInfo",
    "CatalogSummary",
    "ConflictError",
    "Draft",
    "DraftConflictError",
    "NotFoundError",
    "Revision",
    "RevisionInfo",
    "Store",
    "StoreError",
    "new_id",
    "resolve_url",
]
