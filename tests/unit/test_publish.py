"""What the Studio publishes for Backstage: the last saved revision, in its saved options."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from core_helpers import ROOT

from catalog.publish import (
    CONTENT_TYPE,
    Answer,
    Publisher,
    catalog_path,
    location_url,
    options_from,
)
from catalog.store import Store

AI_SERVER = {"layout": "ai-model-server", "kind": "AiModelServerAPI", "api_definition": "ref"}


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(f"sqlite:///{tmp_path / 'catalogs.db'}") as opened:
        yield opened


def example(name: str) -> dict[str, Any]:
    """One of the Studio's examples (examples/*.json), a fresh copy."""
    document: dict[str, Any] = json.loads((ROOT / "examples" / f"{name}.json").read_text())
    return document


def broken(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a model name Backstage refuses."""
    bad = copy.deepcopy(document)
    bad["models"][0]["name"] = "ibm-granite/granite"
    return bad


def targets(publisher: Publisher) -> list[str]:
    location = yaml.safe_load(publisher.location().body)
    assert (location["kind"], location["spec"]["type"]) == ("Location", "url")
    return list(location["spec"]["targets"])


def entities(answer: Answer) -> list[dict[str, Any]]:
    assert (answer.status, answer.content_type) == (200, CONTENT_TYPE)
    return list(yaml.safe_load_all(answer.body))


def test_the_location_lists_every_catalog_without_errors(store: Store) -> None:
    good = store.create(None, example("developer-model-service"))
    other = store.create(None, example("standalone-models"))
    bad = store.create(None, broken(example("standalone-models")))

    found = targets(Publisher(store))

    assert sorted(found) == sorted(
        [f"./{good.id}/catalog-info.yaml", f"./{other.id}/catalog-info.yaml"]
    )
    assert not any(bad.id in target for target in found)


def test_targets_are_absolute_under_the_public_url(store: Store) -> None:
    info = store.create(None, example("developer-model-service"))
    publisher = Publisher(store, public_url="https://studio.example.com/ ")

    assert targets(publisher) == [
        f"https://studio.example.com/published/{info.id}/catalog-info.yaml"
    ]
    assert location_url(" https://studio.example.com/") == (
        "https://studio.example.com/published/location.yaml"
    )
    assert location_url("") is None


def test_a_catalog_is_published_as_its_last_saved_revision_never_a_draft(store: Store) -> None:
    first = example("developer-model-service")
    info = store.create(None, first)
    saved = copy.deepcopy(first)
    saved["models"][0]["description"] = "Saved, second revision."
    store.save(info.id, saved, base_revision=1)
    draft = copy.deepcopy(saved)
    draft["models"][0]["description"] = "Only a draft."
    store.save_draft(info.id, draft, base_revision=2)

    body = Publisher(store).catalog_info(info.id).body

    assert "Saved, second revision." in body
    assert "Only a draft." not in body


def test_the_saved_output_options_choose_the_layout(store: Store) -> None:
    info = store.create(None, example("developer-model-service"), output_options=AI_SERVER)

    (entity,) = entities(Publisher(store).catalog_info(info.id))

    assert (entity["kind"], entity["spec"]["type"]) == ("AiModelServerAPI", "ai-model-server")


def test_without_saved_options_the_classic_layout_is_published(store: Store) -> None:
    info = store.create(None, example("developer-model-service"))

    kinds = [e["kind"] for e in entities(Publisher(store).catalog_info(info.id))]

    assert kinds[:2] == ["Component", "API"]
    assert set(kinds[2:]) == {"Resource"}


@pytest.mark.parametrize(
    ("saved", "expected"),
    [
        (None, ("classic", "AiModelServerAPI", "ref")),
        ({"layout": "ai-model-server", "kind": "API"}, ("ai-model-server", "API", "ref")),
        ({"layout": "sideways", "api_definition": "url"}, ("classic", "AiModelServerAPI", "url")),
    ],
)
def test_unknown_saved_options_fall_back_to_the_defaults(
    saved: dict[str, str] | None, expected: tuple[str, str, str]
) -> None:
    options = options_from(saved)
    assert (options.layout, options.kind, options.api_definition) == expected


def test_a_catalog_with_errors_answers_404_naming_them(store: Store) -> None:
    info = store.create("Broken", broken(example("standalone-models")))

    answer = Publisher(store).catalog_info(info.id)

    assert answer.status == 404
    assert "Broken" in answer.body and "not published" in answer.body
    assert "models.0.name" in answer.body and "ibm-granite/granite" in answer.body


def test_fixing_and_saving_publishes_it_again(store: Store) -> None:
    good = example("standalone-models")
    info = store.create(None, broken(good))
    publisher = Publisher(store)
    assert targets(publisher) == []

    store.save(info.id, good, base_revision=1)

    assert targets(publisher) == [f"./{info.id}/catalog-info.yaml"]
    assert publisher.catalog_info(info.id).status == 200


def test_a_deleted_catalog_drops_out_and_answers_404(store: Store) -> None:
    info = store.create(None, example("developer-model-service"))
    publisher = Publisher(store)
    assert publisher.catalog_info(info.id).status == 200

    store.delete(info.id)

    assert targets(publisher) == []
    answer = publisher.catalog_info(info.id)
    assert answer.status == 404 and "deleted" in answer.body


@pytest.mark.parametrize("catalog_id", ["nope", "../etc", "", "x" * 40])
def test_an_unknown_id_answers_404(store: Store, catalog_id: str) -> None:
    answer = Publisher(store).catalog_info(catalog_id)
    assert answer.status == 404
    assert answer.content_type.startswith("text/plain")


def test_the_etag_follows_the_content(store: Store) -> None:
    document = example("developer-model-service")
    info = store.create(None, document)
    publisher = Publisher(store)
    before = publisher.catalog_info(info.id)
    assert before.etag is not None
    assert publisher.catalog_info(info.id).etag == before.etag

    edited = copy.deepcopy(document)
    edited["models"][0]["description"] = "Changed."
    store.save(info.id, edited, base_revision=1)
    after = publisher.catalog_info(info.id)

    assert after.etag != before.etag
    assert after.not_modified(after.etag)
    assert after.not_modified(f'"other", W/{after.etag}')
    assert after.not_modified("*")
    assert not after.not_modified(before.etag)
    assert not after.not_modified(None)


def test_the_location_etag_changes_when_a_catalog_is_published(store: Store) -> None:
    publisher = Publisher(store)
    empty = publisher.location()
    store.create(None, example("developer-model-service"))
    assert publisher.location().etag != empty.etag


def test_catalog_path_names_the_file() -> None:
    assert catalog_path("abc") == "/published/abc/catalog-info.yaml"
