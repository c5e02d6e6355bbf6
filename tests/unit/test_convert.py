"""Conversion from a model catalog to Backstage entities, per MAPPING.md section 2."""

from __future__ import annotations

from typing import Any

import pytest
from core_helpers import CATALOG_INFO, EXAMPLE_IDS, example, minimal_catalog

from catalog.convert import ConvertOptions, to_entities
from catalog.errors import LayoutError
from catalog.schema import ModelCatalog
from catalog.validate import validate

AI = ConvertOptions(layout="ai-model-server")


def convert(document: dict[str, Any], options: ConvertOptions | None = None) -> list[Any]:
    return to_entities(ModelCatalog.model_validate(document), options)


def by_kind(entities: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in entities if e["kind"] == kind]


def embedded_openapi() -> str:
    """The OpenAPI document pasted into the reference catalog-info.yaml (a real one)."""
    import yaml

    for entity in yaml.safe_load_all(CATALOG_INFO.read_text("utf-8")):
        if entity["kind"] == "API":
            definition: str = entity["spec"]["definition"]
            return definition
    raise AssertionError("no API in the reference catalog-info.yaml")


# --- the classic layout ----------------------------------------------------------------


def test_classic_layout_is_component_then_api_then_resources_in_input_order() -> None:
    entities = convert(example("003-multiple-models"))
    assert [e["kind"] for e in entities] == ["Component", "API", "Resource", "Resource", "Resource"]
    assert [e["metadata"]["name"] for e in entities[2:]] == [
        "ibm-granite-20b",
        "mistral-7b",
        "gemma-2-2b",
    ]
    assert all(e["apiVersion"] == "backstage.io/v1alpha1" for e in entities)
    assert all(list(e) == ["apiVersion", "kind", "metadata", "spec"] for e in entities)


def test_the_component_carries_the_server() -> None:
    component = convert(minimal_catalog())[0]
    assert component == {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Component",
        "metadata": {
            "name": "developer-model-service",
            "description": "Developer model service running on vLLM",
            "annotations": {"example.com/gateway": "3scale", "example.com/team": "ai"},
            "tags": ["vllm", "granite", "auth-required"],
            "links": [
                {"url": "https://api.example.com/v1", "title": "API"},
                {"url": "https://model-service.apps.example.com", "title": "Homepage"},
            ],
        },
        "spec": {
            "type": "model-server",
            "lifecycle": "production",
            "owner": "user:jdoe",
            "providesApis": ["developer-model-service"],
            "dependsOn": [
                "resource:granite-8b",
                "resource:mistral-7b",
                "api:developer-model-service",
            ],
        },
    }


def test_the_api_carries_the_server_api() -> None:
    api = convert(minimal_catalog())[1]
    assert api == {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "API",
        "metadata": {
            "name": "developer-model-service",
            "tags": ["openapi", "auth-required"],
            "links": [{"url": "https://api.example.com/v1", "title": "API"}],
        },
        "spec": {
            "type": "openapi",
            "lifecycle": "production",
            "owner": "user:jdoe",
            "definition": {"$text": "https://example.com/openapi.json"},
        },
    }


def test_each_model_becomes_a_resource() -> None:
    granite, mistral = convert(minimal_catalog())[2:]
    assert granite == {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {
            "name": "granite-8b",
            "description": "IBM Granite 8b code instruct",
            "annotations": {
                "backstage.io/techdocs-ref": "url:https://github.com/example/granite-docs"
            },
            "tags": ["granite", "code"],
            "links": [
                {
                    "url": "https://huggingface.co/ibm-granite/granite-8b",
                    "title": "Artifact Location",
                },
                {"url": "https://model-service.apps.example.com/docs", "title": "How to use"},
                {"url": "https://spdx.org/licenses/Apache-2.0.html", "title": "License"},
            ],
        },
        "spec": {
            "type": "ai-model",
            "owner": "user:jdoe",
            "lifecycle": "production",
            "dependencyOf": ["component:developer-model-service"],
        },
    }
    assert mistral["spec"]["owner"] == "group:default/ai-platform"
    assert "links" not in mistral["metadata"]
    assert "tags" not in mistral["metadata"]


def test_models_without_a_server_depend_on_nothing() -> None:
    document = minimal_catalog()
    del document["modelServer"]
    entities = convert(document)
    assert [e["kind"] for e in entities] == ["Resource", "Resource"]
    assert all(e["spec"]["dependencyOf"] == [] for e in entities)


def test_a_server_without_an_api_has_no_api_entity_and_no_api_links() -> None:
    document = minimal_catalog()
    del document["modelServer"]["API"]
    component, *rest = convert(document)
    assert [e["kind"] for e in rest] == ["Resource", "Resource"]
    assert "providesApis" not in component["spec"]
    assert component["spec"]["dependsOn"] == ["resource:granite-8b", "resource:mistral-7b"]
    assert [link["title"] for link in component["metadata"]["links"]] == ["Homepage"]


def test_names_lose_all_whitespace_and_every_reference_uses_the_same_name() -> None:
    document = minimal_catalog()
    document["modelServer"]["name"] = " developer model\tservice "
    document["models"][0]["name"] = "granite 8b"
    component, api, granite, _ = convert(document)
    assert component["metadata"]["name"] == api["metadata"]["name"] == "developermodelservice"
    assert granite["metadata"]["name"] == "granite8b"
    assert component["spec"]["dependsOn"][0] == "resource:granite8b"
    assert component["spec"]["providesApis"] == ["developermodelservice"]
    assert granite["spec"]["dependencyOf"] == ["component:developermodelservice"]


@pytest.mark.parametrize(
    ("owner", "ref"),
    [
        ("jdoe", "user:jdoe"),
        ("user:jdoe", "user:jdoe"),
        ("group:default/ai-platform", "group:default/ai-platform"),
        ("group:ai-platform", "group:ai-platform"),
        ("User:jdoe", "User:jdoe"),
        (" jdoe ", "user:jdoe"),
    ],
)
def test_owner_references(owner: str, ref: str) -> None:
    document = minimal_catalog()
    document["modelServer"]["owner"] = owner
    document["models"][0]["owner"] = owner
    component, api, granite, _ = convert(document)
    assert component["spec"]["owner"] == api["spec"]["owner"] == granite["spec"]["owner"] == ref


def test_tags_are_normalised_deduplicated_and_invalid_ones_left_out() -> None:
    document = minimal_catalog()
    document["modelServer"]["tags"] = [" vLLM ", "Granite", "granite", "bad_tag", "ibm"]
    document["modelServer"]["authentication"] = False
    document["models"][0]["tags"] = ["Code Gen", "code-gen", "c++"]
    component, api, granite, _ = convert(document)
    assert component["metadata"]["tags"] == ["vllm", "granite", "ibm", "auth-not-required"]
    assert api["metadata"]["tags"] == ["openapi", "auth-not-required"]
    assert granite["metadata"]["tags"] == ["codegen", "code-gen", "c++"]


def test_authentication_absent_means_auth_not_required() -> None:
    document = minimal_catalog()
    del document["modelServer"]["authentication"]
    component, api, *_ = convert(document)
    assert component["metadata"]["tags"][-1] == api["metadata"]["tags"][-1] == "auth-not-required"


def test_an_auth_tag_the_user_wrote_is_not_repeated() -> None:
    document = minimal_catalog()
    document["modelServer"]["tags"] = ["auth-required", "vllm"]
    assert convert(document)[0]["metadata"]["tags"] == ["auth-required", "vllm"]


def test_api_annotations_come_first_and_the_server_wins_on_the_same_key() -> None:
    document = minimal_catalog()
    document["modelServer"]["API"]["annotations"] = {"example.com/a": "api", "shared": "api"}
    document["modelServer"]["annotations"] = {"shared": "server", "example.com/b": "server"}
    component = convert(document)[0]
    assert list(component["metadata"]["annotations"].items()) == [
        ("example.com/a", "api"),
        ("shared", "server"),
        ("example.com/b", "server"),
    ]


@pytest.mark.parametrize("key", ["TechDocs", "techdocs", "TECHDOCS", "techDocs"])
def test_the_techdocs_annotation_in_any_case_becomes_a_techdocs_ref(key: str) -> None:
    document = minimal_catalog()
    document["models"][0]["annotations"] = {key: "  https://github.com/x/docs  ", "a": "b"}
    annotations = convert(document)[2]["metadata"]["annotations"]
    assert annotations == {"a": "b", "backstage.io/techdocs-ref": "url:https://github.com/x/docs"}


def test_an_explicit_techdocs_ref_wins_over_the_techdocs_key() -> None:
    document = minimal_catalog()
    document["models"][0]["annotations"] = {
        "TechDocs": "https://github.com/x/docs",
        "backstage.io/techdocs-ref": "dir:.",
    }
    annotations = convert(document)[2]["metadata"]["annotations"]
    assert annotations == {"backstage.io/techdocs-ref": "dir:."}


def test_a_blank_techdocs_value_is_dropped() -> None:
    document = minimal_catalog()
    document["models"][0]["annotations"] = {"TechDocs": "  "}
    assert "annotations" not in convert(document)[2]["metadata"]


@pytest.mark.parametrize(
    ("license_text", "link"),
    [
        (
            "https://www.apache.org/licenses/LICENSE-2.0",
            "https://www.apache.org/licenses/LICENSE-2.0",
        ),
        ("Apache-2.0", "https://spdx.org/licenses/Apache-2.0.html"),
        ("apache-2.0", "https://spdx.org/licenses/Apache-2.0.html"),
        (" MIT ", "https://spdx.org/licenses/MIT.html"),
        ("llama2", None),
        ("Apache 2", None),
        ("the Granite licence, see the repository", None),
    ],
)
def test_license_links(license_text: str, link: str | None) -> None:
    document = minimal_catalog()
    document["models"][0]["license"] = license_text
    links = convert(document)[2]["metadata"]["links"]
    licence = [li["url"] for li in links if li["title"] == "License"]
    assert licence == ([link] if link else [])


def test_empty_optional_fields_never_become_links() -> None:
    document = minimal_catalog()
    document["models"][0].update(artifactLocationURL="", howToUseURL="  ", license="")
    document["modelServer"]["homepageURL"] = ""
    component, _, granite, _ = convert(document)
    assert "links" not in granite["metadata"]
    assert [link["title"] for link in component["metadata"]["links"]] == ["API"]


def test_an_empty_description_is_left_out() -> None:
    document = minimal_catalog()
    document["models"][1]["description"] = "   "
    assert "description" not in convert(document)[3]["metadata"]


# --- the API definition ----------------------------------------------------------------


def test_a_url_spec_becomes_a_text_placeholder_backstage_fetches() -> None:
    document = minimal_catalog()
    document["modelServer"]["API"]["spec"] = "  https://example.com/openapi.json\n"
    api = convert(document)[1]
    assert api["spec"]["definition"] == {"$text": "https://example.com/openapi.json"}


def test_a_pasted_document_is_embedded_as_text() -> None:
    pasted = embedded_openapi()
    document = minimal_catalog()
    document["modelServer"]["API"]["spec"] = pasted.rstrip("\n")
    definition = convert(document)[1]["spec"]["definition"]
    assert definition == pasted.rstrip("\n") + "\n"


def test_url_mode_writes_the_spec_string_as_it_is() -> None:
    document = minimal_catalog()
    document["modelServer"]["API"]["spec"] = "https://example.com/openapi.json"
    api = convert(document, ConvertOptions(api_definition="url"))[1]
    assert api["spec"]["definition"] == "https://example.com/openapi.json"


# --- the ai-model-server layout --------------------------------------------------------


def test_ai_model_server_layout_is_one_entity_of_kind_ai_model_server_api() -> None:
    entities = convert(minimal_catalog(), AI)
    assert entities == [
        {
            "apiVersion": "backstage.io/v1alpha1",
            "kind": "AiModelServerAPI",
            "metadata": {
                "name": "developer-model-service",
                "description": "Developer model service running on vLLM",
                "annotations": {
                    "example.com/gateway": "3scale",
                    "example.com/team": "ai",
                    "backstage.io/techdocs-ref": "url:https://github.com/example/granite-docs",
                },
                "tags": ["vllm", "granite", "auth-required"],
                "links": [
                    {"url": "https://api.example.com/v1", "title": "API"},
                    {"url": "https://model-service.apps.example.com", "title": "Homepage"},
                    {
                        "url": "https://huggingface.co/ibm-granite/granite-8b",
                        "title": "granite-8b artifact",
                    },
                ],
            },
            "spec": {
                "type": "ai-model-server",
                "lifecycle": "production",
                "owner": "user:jdoe",
                "serverType": "openapi",
                "serverUrl": "https://api.example.com/v1",
                "requiresApiKey": True,
                "models": {"available": ["granite-8b", "mistral-7b"], "default": "granite-8b"},
            },
        }
    ]


def test_ai_model_server_layout_can_use_kind_api() -> None:
    (entity,) = convert(minimal_catalog(), ConvertOptions(layout="ai-model-server", kind="API"))
    assert entity["kind"] == "API"
    assert entity["spec"]["type"] == "ai-model-server"


def test_control_annotations_override_the_spec_and_are_removed() -> None:
    document = minimal_catalog()
    document["modelServer"]["annotations"] = {
        "rhdh.io/lifecycle": "experimental",
        "rhdh.io/owner": "group:ml-ops",
        "rhdh.io/system": "ai-platform",
        "rhdh.io/serverType": "openai-v1",
        "rhdh.io/default": "mistral-7b",
        "example.com/kept": "yes",
    }
    (entity,) = convert(document, AI)
    spec = entity["spec"]
    assert spec["lifecycle"] == "experimental"
    assert spec["owner"] == "group:ml-ops"
    assert spec["system"] == "ai-platform"
    assert spec["serverType"] == "openai-v1"
    assert spec["models"]["default"] == "mistral-7b"
    assert not any(k.startswith("rhdh.io/") for k in entity["metadata"]["annotations"])
    assert entity["metadata"]["annotations"]["example.com/kept"] == "yes"


def test_ai_model_server_defaults_without_authentication_or_overrides() -> None:
    document = minimal_catalog()
    del document["modelServer"]["authentication"]
    (entity,) = convert(document, AI)
    assert entity["spec"]["requiresApiKey"] is False
    assert "system" not in entity["spec"]
    assert entity["spec"]["serverType"] == "openapi"


def test_ai_model_server_techdocs_ref_comes_from_the_first_model_that_has_one() -> None:
    document = minimal_catalog()
    document["models"][0]["annotations"] = {}
    document["models"][1]["annotations"] = {"techdocs": "https://docs.example.com/mistral"}
    (entity,) = convert(document, AI)
    annotations = entity["metadata"]["annotations"]
    assert annotations["backstage.io/techdocs-ref"] == "url:https://docs.example.com/mistral"


@pytest.mark.parametrize("remove", ["modelServer", "API"])
def test_ai_model_server_layout_needs_a_server_with_an_api(remove: str) -> None:
    document = minimal_catalog()
    if remove == "API":
        del document["modelServer"]["API"]
    else:
        del document["modelServer"]
    with pytest.raises(LayoutError, match="ai-model-server layout needs"):
        convert(document, AI)
    report = validate(document, AI)
    assert not report.ok
    assert any(i.code == "layout" for i in report.errors)


def test_ai_model_server_layout_warns_what_it_cannot_carry() -> None:
    report = validate(minimal_catalog(), AI)
    assert report.ok
    dropped = [i for i in report.warnings if i.code == "layout-drops"]
    assert [i.path for i in dropped] == ["models.0", "models.1"]
    assert "license" in dropped[0].message


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_conversion_never_changes_its_input(name: str) -> None:
    document = example(name)
    catalog = ModelCatalog.model_validate(document)
    before = catalog.model_dump()
    for options in (ConvertOptions(), AI):
        to_entities(catalog, options)
    assert catalog.model_dump() == before
