"""Everything the Studio publishes, registered in a real Backstage, comes through whole.

Every example and 25 property-generated valid catalogs, in both layouts, are saved in one
library, served by the running app, and registered in Backstage as its one Location.
Backstage then processes every entity, keeps none pending with an error, computes
exactly the relations the entities describe, and holds API definitions as text.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from hypothesis import HealthCheck, given, settings
from test_properties import catalogs

from catalog.publish import options_from
from catalog.validate import validate
from tests.backstage.conftest import (
    OPENAPI,
    Studio,
    actual_relations,
    expected_relations,
    self_ref,
    start_studio,
)
from tests.backstage_backend import BackstageBackend, managed_by

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
LAYOUTS = {
    "classic": {"layout": "classic", "kind": "AiModelServerAPI", "api_definition": "ref"},
    "ai-model-server": {
        "layout": "ai-model-server",
        "kind": "AiModelServerAPI",
        "api_definition": "ref",
    },
}
GENERATED_PER_LAYOUT = 25


def generated(options: dict[str, str], count: int, prefix: str) -> list[dict[str, Any]]:
    """``count`` catalogs from the property tests' generator that validate with ``options``.

    Names get ``prefix`` and a number, so no two catalogs claim the same entity.
    """
    found: list[dict[str, Any]] = []

    @settings(
        max_examples=600,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(catalogs())
    def collect(document: dict[str, Any]) -> None:
        if len(found) >= count:
            return
        document = _prefixed(document, f"{prefix}{len(found)}-")
        if validate(document, options_from(options)).ok:
            found.append(document)

    collect()
    assert len(found) == count, f"the generator gave only {len(found)} valid catalogs"
    return found


def _prefixed(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    document = copy.deepcopy(document)
    for part in [document.get("modelServer"), *document.get("models", [])]:
        if isinstance(part, dict) and isinstance(part.get("name"), str):
            part["name"] = prefix + part["name"].strip()
    return document


def _served_spec(document: dict[str, Any], spec_url: str) -> dict[str, Any]:
    """The document with an API spec URL moved to a host Backstage may read (the test's)."""
    api = (document.get("modelServer") or {}).get("API") or {}
    if str(api.get("spec", "")).strip().startswith(("http://", "https://")):
        api["spec"] = spec_url
    return document


@dataclass
class Published:
    """What the module registered: the Studio, its catalogs' entities, Backstage's view."""

    studio: Studio
    entities: dict[str, dict[str, Any]]
    """Our entities as served, by reference."""
    received: dict[str, dict[str, Any]]
    """Backstage's entities from the Studio's Location, by reference."""
    pending: list[dict[str, Any]]


@pytest.fixture(scope="module")
def published(
    tmp_path_factory: pytest.TempPathFactory, backstage: BackstageBackend, spec_server: str
) -> Iterator[Published]:
    data_dir = tmp_path_factory.mktemp("published")
    with start_studio(data_dir) as studio:
        ids: list[str] = []
        with studio.store() as store:
            for layout, options in LAYOUTS.items():
                documents = [json.loads(path.read_text()) for path in EXAMPLES]
                documents = [d for d in documents if validate(d, options_from(options)).ok]
                if layout == "classic":  # every example makes classic entities
                    assert len(documents) == len(EXAMPLES)
                documents += generated(options, GENERATED_PER_LAYOUT, f"g{layout[0]}")
                for document in documents:
                    document = _served_spec(document, spec_server)
                    ids.append(store.create(None, document, output_options=options).id)

        entities: dict[str, dict[str, Any]] = {}
        for catalog_id in ids:
            answer = requests.get(studio.target(catalog_id), timeout=30)
            assert answer.status_code == 200, answer.text
            for entity in yaml.safe_load_all(answer.text):
                entities[self_ref(entity)] = entity
        location = backstage.register(studio.location)

        def settled() -> dict[str, dict[str, Any]] | None:
            received = {self_ref(e): e for e in backstage.entities(studio.location)}
            if received.keys() >= entities.keys() and all(_relations_match(entities, received)):
                return received
            return None

        try:
            received = backstage.wait_for(f"the {len(entities)} entities", settled, 120)
        except AssertionError:  # let the tests show what differs
            received = {self_ref(e): e for e in backstage.entities(studio.location)}
        pending = [
            p
            for p in backstage.pending()
            if managed_by(p["unprocessed_entity"]).startswith(studio.url)
        ]
        yield Published(studio, entities, received, pending)
        backstage.unregister(location["location"]["id"])


def _relations_match(
    entities: dict[str, dict[str, Any]], received: dict[str, dict[str, Any]]
) -> Iterator[bool]:
    expected = expected_relations(entities.values())
    for reference in entities:
        yield actual_relations(received[reference]) == expected[reference]


def test_every_published_entity_is_processed_and_nothing_else(published: Published) -> None:
    assert sorted(published.received) == sorted(published.entities)
    kinds = {entity["kind"] for entity in published.entities.values()}
    assert kinds == {"Component", "API", "Resource", "AiModelServerAPI"}


def test_nothing_is_pending_with_an_error(published: Published) -> None:
    errors = {
        managed_by(p["unprocessed_entity"]): [e["message"] for e in p["errors"]]
        for p in published.pending
    }
    assert errors == {}


def test_backstage_computes_exactly_the_relations_the_entities_describe(
    published: Published,
) -> None:
    expected = expected_relations(published.entities.values())
    differ = {
        reference: {
            "missing": sorted(expected[reference] - actual_relations(received)),
            "extra": sorted(actual_relations(received) - expected[reference]),
        }
        for reference, received in published.received.items()
        if reference in published.entities and actual_relations(received) != expected[reference]
    }
    assert differ == {}
    relation_types = {kind for pairs in expected.values() for kind, _ in pairs}
    assert {"dependsOn", "dependencyOf", "providesApi", "apiProvidedBy", "ownedBy"} <= (
        relation_types
    )


def test_backstage_keeps_what_we_wrote(published: Published) -> None:
    for reference, ours in published.entities.items():
        theirs = published.received[reference]
        for key in ("name", "description", "tags", "links"):
            assert theirs["metadata"].get(key) == ours["metadata"].get(key), (reference, key)
        mine = {k: _unordered(v) for k, v in ours["spec"].items() if k != "definition"}
        assert {k: _unordered(theirs["spec"][k]) for k in mine} == mine, reference


def _unordered(value: Any) -> Any:
    """Lists of references in any order: Backstage sorts ``spec.dependsOn``."""
    return sorted(value) if isinstance(value, list) else value


def test_api_definitions_arrive_as_text(published: Published) -> None:
    apis = [e for e in published.entities.values() if e["kind"] == "API"]
    embedded = fetched = 0
    for ours in apis:
        definition = published.received[self_ref(ours)]["spec"]["definition"]
        written = ours["spec"]["definition"]
        if isinstance(written, dict):  # {$text: <url>}: Backstage fetched it
            assert definition == OPENAPI
            fetched += 1
        else:
            assert definition == written
            embedded += 1
    assert embedded and fetched
