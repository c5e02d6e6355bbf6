"""The store's exceptions.

::

    CatalogError                (catalog.errors)
     +-- StoreError             the database refused or failed; the message is for a person
          +-- NotFoundError     no such catalog or revision (or the catalog is deleted)
          +-- ConflictError     the save was based on a revision that is no longer the latest
          +-- DraftConflictError  another writer changed the draft since it was read
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.errors import CatalogError

if TYPE_CHECKING:
    from catalog.store._records import Draft, Revision


class StoreError(CatalogError):
    """The catalog store could not do what was asked; the message says why."""


class NotFoundError(StoreError):
    """The catalog (or one of its revisions) does not exist or is deleted."""


class ConflictError(StoreError):
    """A save was based on an older revision: nothing was written.

    ``latest`` is the revision (with its document) that won, so the caller can show both
    and let the person choose; saving again with ``base_revision=latest.number`` keeps
    theirs.
    """

    def __init__(self, base_revision: int, latest: Revision) -> None:
        super().__init__(
            f"This catalog was saved as revision {latest.number} since revision "
            f"{base_revision} was opened; nothing was overwritten."
        )
        self.base_revision = base_revision
        self.latest = latest


class DraftConflictError(StoreError):
    """Someone else wrote this editor's draft since it was read: nothing was written.

    Two browsers on the same draft (a link passed on, a tab duplicated) would otherwise
    overwrite each other's autosaves; the caller keeps its work in a draft of its own.
    ``current`` is the draft as the other writer left it.
    """

    def __init__(self, catalog_id: str, editor: str, current: Draft) -> None:
        super().__init__(
            f"The draft of catalog {catalog_id!r} was changed by another writer; "
            "nothing was overwritten."
        )
        self.catalog_id = catalog_id
        self.editor = editor
        self.current = current
