"""What the Studio says about publishing: is this catalog in Backstage, and where.

The sidebar tells, for the catalog open, whether its last saved revision is published
at ``/published/<id>/catalog-info.yaml`` (it is, unless it has errors) and the Library's
delete confirmation says what Backstage does with a deleted catalog's entities.  The
decision itself is :mod:`catalog.publish`'s, the same one the publishing routes make.
"""

from __future__ import annotations

import os

import streamlit as st

from catalog.publish import (
    LOCATION_PATH,
    PUBLIC_URL_ENV,
    Publication,
    Publisher,
    catalog_path,
    public_base,
)
from catalog.store import Store, StoreError
from ui import persistence
from ui.text import plural

ORPHAN_NOTE = (
    "Backstage keeps the entities it read from it, marked as orphans, until an "
    "administrator removes them."
)


@st.cache_resource(show_spinner=False)
def _publisher(_store: Store, url: str) -> Publisher:
    # One per store (keyed by its URL): it remembers each revision's verdict.
    return Publisher(_store, public_url=os.environ.get(PUBLIC_URL_ENV))


def publisher() -> Publisher:
    """The publisher of the library the app uses."""
    store = persistence.store()
    return _publisher(store, str(store.url))


def status(catalog_id: str, name: str, revision: int) -> Publication | None:
    """How a saved revision is published, or None when the library cannot be read."""
    try:
        return publisher().status(catalog_id, name, revision)
    except StoreError:
        return None


def sidebar_notice() -> None:
    """One line for the sidebar (drawn where the caller is): the open catalog is
    published to Backstage, or why not."""
    catalog_id = persistence.catalog_id()
    if catalog_id is None:
        return
    try:
        summary = persistence.store().summary(catalog_id)
    except StoreError:  # deleted meanwhile, or the database is away: the sidebar says so
        return
    found = status(summary.id, summary.name, summary.revision)
    if found is None:
        return
    if found.published:
        base = public_base(os.environ.get(PUBLIC_URL_ENV)) or ""
        st.caption(
            f":material/cloud_done: Saved revision {summary.revision} is published for "
            f"Backstage at `{base}{catalog_path(catalog_id)}`, listed in the library's "
            f"Location `{base}{LOCATION_PATH}`."
        )
    else:
        st.warning(
            f"Not published to Backstage: saved revision {summary.revision} has "
            f"{plural(found.error_count, 'error')}. Fix them and save; the library's Location "
            "leaves this catalog out until then.",
            icon=":material/cloud_off:",
        )


def delete_note(catalog_id: str, name: str, revision: int) -> str:
    """What deleting does to Backstage, for the confirmation ("" when never published)."""
    found = status(catalog_id, name, revision)
    if found is None or not found.published:
        return ""
    return " It drops out of the library's Location for Backstage: " + ORPHAN_NOTE
