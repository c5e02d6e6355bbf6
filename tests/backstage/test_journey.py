"""The whole journey: save in the Studio, register once, edit, refresh, delete.

One running Studio, one real Backstage.  Catalogs are saved through the store (as the
app's Save button does), the Studio's Location is registered once, and from then on
what is saved is what Backstage shows.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from tests.backstage.conftest import Studio, start_studio
from tests.backstage_backend import BackstageBackend, managed_by

ROOT = Path(__file__).resolve().parents[2]
CLASSIC = {"layout": "classic", "kind": "AiModelServerAPI", "api_definition": "url"}


def catalog(prefix: str) -> dict[str, Any]:
    """The developer-model-service example with names of its own (``<prefix>-...``)."""
    document = json.loads((ROOT / "examples" / "developer-model-service.json").read_text())
    document["modelServer"]["name"] = f"{prefix}-server"
    for number, model in enumerate(document["models"]):
        model["name"] = f"{prefix}-model-{number}"
    return document


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    with start_studio(tmp_path_factory.mktemp("journey")) as running:
        yield running


def _entity(backstage: BackstageBackend, reference: str) -> dict[str, Any] | None:
    kind, _, rest = reference.partition(":")
    answer = backstage.request("GET", f"/api/catalog/entities/by-name/{kind}/default/{rest}")
    return answer.json() if answer.status_code == 200 else None


def _targets(studio: Studio) -> list[str]:
    answer = requests.get(studio.location, timeout=30)
    assert answer.status_code == 200
    return list(yaml.safe_load(answer.text)["spec"]["targets"])


def test_save_register_edit_refresh_delete(studio: Studio, backstage: BackstageBackend) -> None:
    with studio.store() as store:
        info = store.create(None, catalog("journey"), output_options=CLASSIC)

    # The administrator's one step: a dry run shows what would come, then registration.
    dry = backstage.register(studio.location, dry_run=True)
    names = {e["metadata"]["name"] for e in dry["entities"]}
    assert {"journey-server", "journey-model-0", "journey-model-1"} <= names
    location = backstage.register(studio.location)

    component = backstage.wait_for(
        "the saved catalog's Component", lambda: _entity(backstage, "component:journey-server")
    )
    assert managed_by(component) == studio.target(info.id)
    for name in ("journey-model-0", "journey-model-1"):
        assert backstage.wait_for(name, lambda n=name: _entity(backstage, f"resource:{n}"))

    # Edit and save; a refresh makes Backstage read it again.
    edited = copy.deepcopy(catalog("journey"))
    edited["models"][0]["description"] = "Edited in the Studio, saved, refreshed."
    edited["models"].append({**edited["models"][1], "name": "journey-model-2"})
    with studio.store() as store:
        store.save(info.id, edited, base_revision=1, output_options=CLASSIC)
    backstage.refresh("component:default/journey-server")
    backstage.wait_for(
        "the edited description",
        lambda: (
            (_entity(backstage, "resource:journey-model-0") or {})
            .get("metadata", {})
            .get("description")
            == "Edited in the Studio, saved, refreshed."
        ),
    )
    assert backstage.wait_for(
        "the added model", lambda: _entity(backstage, "resource:journey-model-2")
    )

    # Delete: the Location drops the catalog, Backstage orphans its entities.
    with studio.store() as store:
        store.delete(info.id)
    assert _targets(studio) == []
    backstage.refresh(location["location"]["entityRef"])
    orphaned = backstage.wait_for(
        "the deleted catalog's entities as orphans",
        lambda: (
            (_entity(backstage, "component:journey-server") or {})
            .get("metadata", {})
            .get("annotations", {})
            .get("backstage.io/orphan")
            == "true"
        ),
    )
    assert orphaned
    backstage.unregister(location["location"]["id"])


def test_a_catalog_with_errors_stays_out_of_backstage(
    studio: Studio, backstage: BackstageBackend
) -> None:
    broken = catalog("broken")
    broken["models"][0]["name"] = "broken/model"
    with studio.store() as store:
        bad = store.create(None, broken, output_options=CLASSIC)
        good = store.create(None, catalog("fine"), output_options=CLASSIC)

    assert _targets(studio) == [f"./{good.id}/catalog-info.yaml"]
    answer = requests.get(studio.target(bad.id), timeout=30)
    assert answer.status_code == 404 and "broken/model" in answer.text

    location = backstage.register(studio.location)
    backstage.wait_for("the good catalog", lambda: _entity(backstage, "component:fine-server"))
    assert _entity(backstage, "component:broken-server") is None
    assert not [p for p in backstage.pending() if studio.url in managed_by(p["unprocessed_entity"])]
    backstage.unregister(location["location"]["id"])


def test_the_studio_answers_backstage_refreshes_with_304(studio: Studio) -> None:
    with studio.store() as store:
        info = store.create(None, catalog("etag"), output_options=CLASSIC)
    first = requests.get(studio.target(info.id), timeout=30)
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/yaml; charset=utf-8"
    etag = first.headers["etag"]

    again = requests.get(studio.target(info.id), headers={"If-None-Match": etag}, timeout=30)
    assert (again.status_code, again.text, again.headers["etag"]) == (304, "", etag)

    location = requests.get(studio.location, timeout=30)
    assert location.headers["content-type"] == "application/yaml; charset=utf-8"
    unchanged = requests.get(
        studio.location, headers={"If-None-Match": location.headers["etag"]}, timeout=30
    )
    assert unchanged.status_code == 304

    unknown = requests.get(f"{studio.url}/published/nothing-here/catalog-info.yaml", timeout=30)
    assert unknown.status_code == 404
    assert "No catalog 'nothing-here'" in unknown.text
