"""What the store hands out: frozen records, never live database rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, kw_only=True)
class CatalogSummary:
    """One line of the library: a catalog without its document."""

    id: str
    name: str
    revision: int
    """The latest revision's number."""
    model_count: int
    tags: tuple[str, ...]
    """Server, API and model tags, lower-cased, sorted, without duplicates."""
    created_at: datetime
    updated_at: datetime
    """The last save, restore or rename (UTC)."""
    deleted_at: datetime | None = None
    owner: str | None = None
    """The server's (else the first model's) owner in the latest revision."""
    named: bool = True
    """Whether a person named it; if not, the name follows the document at every save."""


@dataclass(frozen=True, kw_only=True)
class CatalogInfo(CatalogSummary):
    """A catalog with its latest revision's document."""

    document: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class RevisionInfo:
    """One saved revision of a catalog, without its document."""

    catalog_id: str
    number: int
    created_at: datetime
    note: str | None


@dataclass(frozen=True, kw_only=True)
class Revision(RevisionInfo):
    """One saved revision of a catalog, with its document."""

    document: dict[str, Any]
    output_options: dict[str, str] | None = None
    """The output options it was saved with (``layout``, ``kind``, ``api_definition``);
    None when saved without (before the store kept them)."""


@dataclass(frozen=True, kw_only=True)
class Draft:
    """The autosaved working copy of a catalog, kept apart from its revisions."""

    catalog_id: str
    document: dict[str, Any]
    base_revision: int
    """The revision the draft was edited from."""
    latest_revision: int
    """The catalog's latest revision when the draft was read."""
    updated_at: datetime
    editor: str = ""
    """Whose draft: the token of one line of editing (see :meth:`Store.save_draft`)."""
    version: int = 1
    """Bumped by every write of this draft; a write naming an older one is refused."""
    browser: str = ""
    """The token of the browser that wrote it ("" when unknown)."""
    output_options: dict[str, str] | None = None
    """The output options chosen while it was written (None: its base revision's)."""

    @property
    def stale(self) -> bool:
        """Whether someone saved a newer revision than the one this draft started from."""
        return self.base_revision < self.latest_revision
