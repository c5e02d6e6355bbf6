"""Every entity we generate passes Backstage's own JSON Schemas and its runtime rules.

The schemas in ``reference/backstage-schema`` are draft-07 documents that refer to each
other by ``$id`` (``Entity``, ``EntityMeta``, ``common#relation``...); a ``referencing``
registry resolves them offline.  Backstage fills ``{$text: url}`` placeholders before it
validates, so the tests do the same (:func:`core_helpers.resolve_placeholders`).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from core_helpers import (
    CATALOG_INFO,
    EXAMPLE_IDS,
    OPTION_SETS,
    backstage_registry,
    example,
    minimal_catalog,
    schema_errors,
)

from catalog.backstage import entity_problems, reference_problems
from catalog.convert import ConvertOptions, to_entities
from catalog.schema import ModelCatalog


def _entities(document: dict[str, Any], options: ConvertOptions) -> list[dict[str, Any]]:
    return to_entities(ModelCatalog.model_validate(document), options)


def _with_pasted_definition(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    for entity in yaml.safe_load_all(CATALOG_INFO.read_text("utf-8")):
        if entity["kind"] == "API":
            document["modelServer"]["API"]["spec"] = entity["spec"]["definition"]
    return document


@pytest.mark.parametrize("options", OPTION_SETS.values(), ids=OPTION_SETS.keys())
@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_example_entities_pass_the_json_schemas_and_backstage_rules(
    name: str, options: ConvertOptions
) -> None:
    entities = _entities(example(name), options)
    assert entities
    for entity in entities:
        assert schema_errors(entity) == [], entity["kind"]
        assert entity_problems(entity) == [], entity["kind"]
    assert reference_problems(entities) == []


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_a_pasted_definition_passes_as_embedded_text(name: str) -> None:
    entities = _entities(_with_pasted_definition(example(name)), ConvertOptions())
    (api,) = [e for e in entities if e["kind"] == "API"]
    assert isinstance(api["spec"]["definition"], str)
    assert api["spec"]["definition"].startswith("{\n")
    for entity in entities:
        assert schema_errors(entity) == []
        assert entity_problems(entity) == []


def test_every_field_of_the_mapping_passes_the_schemas() -> None:
    for options in OPTION_SETS.values():
        entities = _entities(minimal_catalog(), options)
        for entity in entities:
            assert schema_errors(entity) == []
            assert entity_problems(entity) == []
        assert reference_problems(entities) == []


def test_the_real_catalog_info_passes_the_schemas() -> None:
    """The registry and schemas are wired right: the hand-written reference file passes."""
    for entity in yaml.safe_load_all(CATALOG_INFO.read_text("utf-8")):
        assert schema_errors(entity) == []


def test_the_registry_resolves_references_by_id() -> None:
    registry = backstage_registry()
    assert registry.contents("Entity")["$id"] == "Entity"
    relation = registry.resolver().lookup("common#relation").contents
    assert relation["required"] == ["type", "target"]


def test_an_unresolved_placeholder_is_not_yet_a_definition() -> None:
    """Why the tests resolve placeholders: the API schema wants the text itself."""
    from core_helpers import kind_validator

    api = _entities(example("001-min-values"), ConvertOptions())[1]
    assert api["spec"]["definition"] == {
        "$text": example("001-min-values")["modelServer"]["API"]["spec"]
    }
    assert not kind_validator("API.v1alpha1.schema.json").is_valid(api)
    assert schema_errors(api) == []


BROKEN: list[tuple[str, Any, str]] = [
    ("no-owner", lambda e: e["spec"].pop("owner"), "owner"),
    ("empty-type", lambda e: e["spec"].update(type=""), "type"),
    ("unknown-top-level-key", lambda e: e.update(extra=1), "extra"),
    ("empty-name", lambda e: e["metadata"].update(name=""), "name"),
    ("link-without-url", lambda e: e["metadata"].update(links=[{"title": "x"}]), "url"),
    ("tag-not-text", lambda e: e["metadata"].update(tags=[1]), "tags"),
]


@pytest.mark.parametrize(("_id", "breaks", "word"), BROKEN, ids=[b[0] for b in BROKEN])
def test_the_schemas_refuse_broken_entities(_id: str, breaks: Any, word: str) -> None:
    component = _entities(minimal_catalog(), ConvertOptions())[0]
    breaks(component)
    errors = schema_errors(component)
    assert errors and any(word in e for e in errors), errors


def test_the_ai_model_server_schema_refuses_a_server_without_its_url() -> None:
    (entity,) = _entities(minimal_catalog(), OPTION_SETS["ai-model-server-AiModelServerAPI"])
    entity["spec"].pop("serverUrl")
    assert any("serverUrl" in e for e in schema_errors(entity))


# --- the runtime rules ---------------------------------------------------------------


def _component() -> dict[str, Any]:
    return _entities(minimal_catalog(), ConvertOptions())[0]


RULE_BREAKS: list[tuple[str, Any, str]] = [
    ("api-version", lambda e: e.update(apiVersion="v1"), "apiVersion"),
    ("kind", lambda e: e.update(kind="model-server"), "kind"),
    ("name", lambda e: e["metadata"].update(name="ibm-granite/granite"), "metadata.name"),
    ("tag", lambda e: e["metadata"].update(tags=["Large Model"]), "tag"),
    ("annotation-key", lambda e: e["metadata"].update(annotations={"a b": "x"}), "annotation"),
    ("annotation-value", lambda e: e["metadata"].update(annotations={"a": 1}), "must be text"),
    ("link", lambda e: e["metadata"].update(links=[{"url": "example.com"}]), "link"),
    ("owner", lambda e: e["spec"].update(owner="user:kube:admin"), "spec.owner"),
    ("missing-lifecycle", lambda e: e["spec"].pop("lifecycle"), "spec.lifecycle"),
    ("blank-type", lambda e: e["spec"].update(type=" "), "spec.type"),
    ("depends-on", lambda e: e["spec"].update(dependsOn=["resource:a b"]), "dependsOn"),
    ("metadata", lambda e: e.pop("metadata"), "metadata"),
    ("spec", lambda e: e.pop("spec"), "spec"),
]


@pytest.mark.parametrize(("_id", "breaks", "word"), RULE_BREAKS, ids=[b[0] for b in RULE_BREAKS])
def test_entity_problems_names_each_broken_rule(_id: str, breaks: Any, word: str) -> None:
    entity = _component()
    breaks(entity)
    problems = entity_problems(entity)
    assert problems and any(word in p for p in problems), problems


def test_a_definition_placeholder_needs_a_url_text() -> None:
    api = _entities(minimal_catalog(), ConvertOptions())[1]
    api["spec"]["definition"] = {"$json": "https://x.io"}
    assert any("definition" in p for p in entity_problems(api))


def test_reference_problems_find_what_points_at_nothing() -> None:
    entities = _entities(minimal_catalog(), ConvertOptions())
    assert reference_problems(entities) == []
    assert reference_problems(entities[1:])  # the Resources name a Component that is gone
    entities[0]["spec"]["dependsOn"].append("resource:llama")
    (problem,) = reference_problems(entities)
    assert "resource:llama" in problem


def test_references_compare_like_backstage_does() -> None:
    """Kind and name in any letter case, ``default`` namespace implied."""
    entities = _entities(minimal_catalog(), ConvertOptions())
    entities[0]["spec"]["dependsOn"] = [
        "Resource:default/GRANITE-8B",
        "api:developer-model-service",
    ]
    entities[0]["spec"]["providesApis"] = ["default/developer-model-service"]
    assert reference_problems(entities) == []
