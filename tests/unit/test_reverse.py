"""Reading catalog-info.yaml back into a model catalog, and what cannot come along."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from core_helpers import CATALOG_INFO, EXAMPLE_IDS, example, minimal_catalog

from catalog.convert import ConvertOptions, normalise_tags, owner_ref, to_entities
from catalog.emit import to_yaml
from catalog.errors import InputError
from catalog.licenses import license_url
from catalog.reverse import from_entities, import_catalog_info
from catalog.rules import strip_whitespace
from catalog.schema import ModelCatalog
from catalog.validate import validate


@pytest.fixture(scope="module")
def imported() -> Any:
    return import_catalog_info(CATALOG_INFO.read_bytes(), name=CATALOG_INFO.name)


def test_the_real_catalog_info_imports_into_a_valid_catalog(imported: Any) -> None:
    report = validate(imported.document)
    assert report.ok, [str(i) for i in report.errors]
    assert imported.imported == [
        "model server developer-model-service",
        "authentication: true, inferred from the server tag 'authenticated' and the API "
        "definition's security: bearerAuth (declared in securitySchemes)",
        "model ibm-granite-8b-code-instruct",
    ]


def test_the_server_comes_back_with_its_homepage_tags_and_owner(imported: Any) -> None:
    server = imported.document["modelServer"]
    assert server["name"] == "developer-model-service"
    assert server["owner"] == "exampleuser"
    assert server["lifecycle"] == "production"
    assert server["description"].startswith("A vLLM and 3scale-based model service")
    assert server["homepageURL"] == "https://model-service.apps.domain.com"
    assert server["tags"][:3] == ["genai", "ibm-granite", "vllm"]
    assert server["annotations"] == {"backstage.io/techdocs-ref": "dir:./"}


def test_the_api_comes_back_with_its_embedded_openapi_document(imported: Any) -> None:
    api = imported.document["modelServer"]["API"]
    assert api["type"] == "openapi"
    assert api["url"] == "https://ibm-granite-8b-code-instruct-vllm.apps.domain.com"
    openapi = json.loads(api["spec"])
    assert openapi["openapi"] == "3.1.0"
    assert "/health" in openapi["paths"]


def test_the_model_comes_back_with_its_links(imported: Any) -> None:
    (model,) = imported.document["models"]
    assert model["name"] == "ibm-granite-8b-code-instruct"
    assert model["owner"] == "exampleuser"
    assert (
        model["artifactLocationURL"]
        == "https://huggingface.co/ibm-granite/granite-8b-code-instruct"
    )
    assert model["license"] == "https://www.apache.org/licenses/LICENSE-2.0"
    assert "task-text-generation" in model["tags"]


def test_what_has_no_place_in_the_schema_is_listed(imported: Any) -> None:
    left_out = "\n".join(imported.left_out)
    for expected in [
        "Component developer-model-service: spec.profile",
        "Resource ibm-granite-8b-code-instruct: spec.profile",
        "Resource ibm-granite-8b-code-instruct: metadata.links.0 'Access'",
        "Resource ibm-granite-8b-code-instruct: metadata.links.1 'API URL'",
        "Resource ibm-granite-8b-code-instruct: metadata.links.3 'Download Model Artifacts'",
        "Resource ibm-granite-8b-code-instruct: metadata.links.2.title 'Model Repository': "
        "the link becomes artifactLocationURL and is exported as 'Artifact Location'",
        "Resource ibm-granite-8b-code-instruct: metadata.links.4.title 'Apache-2.0 License': "
        "the link becomes license and is exported as 'License'",
        "Component developer-model-service: metadata.links.0.title 'Access': the link "
        "becomes homepageURL and is exported as 'Homepage'",
        "Component developer-model-service: metadata.links.0.icon (WebAssett)",
        "Resource ibm-granite-8b-code-instruct: metadata.links.4.type (website)",
        "API model-service-api: metadata.title (Model Service API)",
        "API model-service-api: metadata.description",
        "API model-service-api: metadata.name: exported again under the server's name",
        "https://model-service.apps.domain.com/docs",
    ]:
        assert expected in left_out


def test_the_imported_catalog_converts_into_entities_backstage_accepts(imported: Any) -> None:
    report = validate(imported.document)
    assert report.entities is not None
    component, api, resource = report.entities
    assert component["spec"]["providesApis"] == ["developer-model-service"]
    assert api["spec"]["definition"].startswith("{\n")
    assert resource["spec"]["dependencyOf"] == ["component:developer-model-service"]


def test_other_kinds_are_reported_not_imported() -> None:
    text = (
        # The file ends without a newline: without this one, the Group's keys would go on
        # the API entity's mapping (each key a second time, which is refused).
        CATALOG_INFO.read_text("utf-8")
        + "\n---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\n"
    )
    result = import_catalog_info(text)
    assert "Group team: not a model server, API or ai-model resource" in result.left_out


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\n",
        "- just\n- a list\n",
        "kind: Component\nmetadata:\n  name: x\nspec:\n  type: service\n",
    ],
    ids=["no-model-entities", "not-entities", "other-component"],
)
def test_files_without_a_model_server_or_model_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        import_catalog_info(text)


# --- round trip of our own output --------------------------------------------------------


def mapped(document: dict[str, Any]) -> dict[str, Any]:
    """What a catalog -> entities -> catalog round trip keeps, in normal form.

    Names and tags are normalised, API annotations join the server's (one Component
    carries both), a licence is kept when it is a link or an SPDX id, and usage,
    training, ethics and support go to TechDocs only.
    """
    catalog = ModelCatalog.model_validate(document)

    def base(obj: Any) -> dict[str, Any]:
        return {
            "name": strip_whitespace(obj.name),
            "owner": owner_ref(obj.owner),
            "lifecycle": obj.lifecycle.strip(),
            "description": obj.description if obj.description.strip() else "",
        }

    out: dict[str, Any] = {"models": []}
    server = catalog.modelServer
    if server is not None:
        annotations = {**((server.API.annotations or {}) if server.API else {})}
        annotations.update(server.annotations or {})
        out["modelServer"] = {
            **base(server),
            "authentication": bool(server.authentication),
            "homepageURL": (server.homepageURL or "").strip() or None,
            "tags": [t for t in normalise_tags(server.tags) if not t.startswith("auth-")],
            "annotations": annotations,
            "API": None
            if server.API is None
            else {
                "url": server.API.url.strip(),
                "type": server.API.type,
                "spec": server.API.spec.strip(),
                "tags": [t for t in normalise_tags(server.API.tags) if not t.startswith("auth-")],
            },
        }
    for model in catalog.models:
        annotations = {
            ("TechDocs" if k.lower() == "techdocs" else k): v.strip()
            if k.lower() == "techdocs"
            else v
            for k, v in (model.annotations or {}).items()
            if k.lower() != "techdocs" or v.strip()
        }
        out["models"].append(
            {
                **base(model),
                "artifactLocationURL": (model.artifactLocationURL or "").strip() or None,
                "howToUseURL": (model.howToUseURL or "").strip() or None,
                "license": license_url(model.license),
                "tags": normalise_tags(model.tags),
                "annotations": annotations,
            }
        )
    return out


def round_trip(document: dict[str, Any], options: ConvertOptions) -> dict[str, Any]:
    entities = to_entities(ModelCatalog.model_validate(document), options)
    text = to_yaml(entities)
    result = import_catalog_info(text)
    assert result.left_out == []
    return result.document


@pytest.mark.parametrize("mode", ["ref", "url"])
@pytest.mark.parametrize("name", [*EXAMPLE_IDS, "minimal"])
def test_our_own_output_comes_back_as_the_same_catalog(name: str, mode: str) -> None:
    document = minimal_catalog() if name == "minimal" else example(name)
    options = ConvertOptions(api_definition="ref" if mode == "ref" else "url")
    back = round_trip(document, options)
    assert validate(back).ok
    assert mapped(back) == mapped(document)


def test_a_pasted_definition_comes_back_as_the_document() -> None:
    document = minimal_catalog()
    pasted = {"openapi": "3.1.0", "paths": {"/v1/chat": {}}}
    document["modelServer"]["API"]["spec"] = json.dumps(pasted, indent=2)
    back = round_trip(document, ConvertOptions())
    assert json.loads(back["modelServer"]["API"]["spec"]) == pasted


def test_from_entities_takes_plain_entities_too() -> None:
    entities = to_entities(ModelCatalog.model_validate(minimal_catalog()))
    result = from_entities(json.loads(json.dumps(entities)))
    assert mapped(result.document) == mapped(minimal_catalog())
    assert yaml.safe_load(to_yaml([result.document])) == result.document
