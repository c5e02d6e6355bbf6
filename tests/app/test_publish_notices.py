"""The Studio says what Backstage gets: published or not (and why), orphans on delete,
and each save keeps the output options it is published with."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from test_library_page import DOCUMENT, _NavigationPages, library, run, save, start, texts

from catalog.store import Store


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An empty library of the test's own, the one the app uses (see test_library_page)."""
    monkeypatch.setenv("MODEL_CATALOG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MODEL_CATALOG_DB_URL", raising=False)
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPages)
    with Store() as opened:
        yield opened


BROKEN = copy.deepcopy(DOCUMENT)
BROKEN["models"][0]["name"] = "ibm-granite/granite"


def sidebar_texts(at: object) -> str:
    sidebar = at.sidebar  # type: ignore[attr-defined]
    parts = [c.value for c in sidebar.caption] + [w.value for w in sidebar.warning]
    return "\n".join(parts)


def test_a_saved_catalog_says_where_backstage_reads_it(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    at = start(catalog=info.id)
    assert f"/published/{info.id}/catalog-info.yaml" in sidebar_texts(at)
    assert "Not published" not in sidebar_texts(at)


def test_with_a_public_url_the_sidebar_gives_the_full_addresses(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODEL_CATALOG_PUBLIC_URL", "https://studio.example.com/")
    info = store.create("Shared", DOCUMENT)
    shown = sidebar_texts(start(catalog=info.id))
    assert f"https://studio.example.com/published/{info.id}/catalog-info.yaml" in shown
    assert "https://studio.example.com/published/location.yaml" in shown


def test_a_catalog_whose_last_revision_has_errors_says_it_is_not_published(
    store: Store,
) -> None:
    info = store.create("Broken", BROKEN)
    at = start(catalog=info.id)
    shown = sidebar_texts(at)
    assert "Not published to Backstage" in shown
    assert "has 1 error." in shown


def test_save_keeps_the_output_options_chosen(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    at = start(catalog=info.id)
    at.switch_page("pages/export.py")
    run(at)
    run(at.radio(key="export.layout").set_value("ai-model-server"))
    at.switch_page("pages/author.py")
    run(at)
    run(at.text_area(key="modelServer.description").input("Edited."))
    save(at)

    assert store.get(info.id).revision == 2
    assert store.revision(info.id, 2).output_options == {
        "layout": "ai-model-server",
        "kind": "AiModelServerAPI",
        "api_definition": "ref",
    }


def test_opening_a_catalog_takes_up_the_options_it_was_saved_with(store: Store) -> None:
    options = {"layout": "ai-model-server", "kind": "API", "api_definition": "ref"}
    info = store.create("Served", DOCUMENT, output_options=options)
    at = start(catalog=info.id)
    at.switch_page("pages/export.py")
    run(at)
    assert at.radio(key="export.layout").value == "ai-model-server"
    assert at.selectbox(key="export.kind").value == "API"


def test_deleting_a_published_catalog_warns_that_backstage_orphans_its_entities(
    store: Store,
) -> None:
    info = store.create("Shared", DOCUMENT)
    at = library(start())
    run(at.button(key=f"library.delete.{info.id}").click())
    assert "orphans" in texts(at)
