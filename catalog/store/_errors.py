"""The store's exceptions.

::

    CatalogError                (catalog.errors)
     +-- StoreError             the database refused or failed; the message is for a person
          +-- NotFoundError     no such catalog or revision (or the catalog is deleted)
          +-- ConflictError     the save was based on a revision that is no longer the latest
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.errors import CatalogError

if TYPE_CHECKING:
    from catalog.store._records import Revision


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
