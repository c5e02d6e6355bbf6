"""Real-world catalog-info files read back: every fact is kept, or named on "left out".

Each fixture in ``tests/data/import/reverse/`` has the shape of files found in the wild
(issue 13): one entity per file templates, the bridge's generator output, entities as
Backstage's REST API serves them, the ai-model-server layout, two-server files, a YAML
stream of JSON documents.  Each test asserts one of two outcomes for what the file holds:
the data is in the imported catalog, or it is on the import's left-out list with its path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.errors import InputError
from catalog.reader import load_documents
from catalog.reverse import (
    ImportResult,
    ServerChoiceError,
    catalogs_from_entities,
    import_catalog_info,
    import_catalog_infos,
)
from catalog.validate import validate

CASES = Path(__file__).resolve().parents[1] / "data" / "import" / "reverse"


def read(name: str, server: str | None = None) -> ImportResult:
    return import_catalog_info((CASES / name).read_bytes(), name=name, server=server)


def listed(result: ImportResult, *parts: str) -> bool:
    """Whether one left-out line names all of ``parts`` (an entity, a path, a value)."""
    return any(all(p in line for p in parts) for line in result.left_out)


def test_a_link_to_a_server_in_another_file_is_reported_with_its_target() -> None:
    result = read("template-resource.yaml")
    [model] = result.document["models"]
    assert model["name"] == "granite-3-8b-instruct"
    assert model["artifactLocationURL"].endswith("granite-3.0-8b-instruct")
    assert "modelServer" not in result.document
    assert listed(
        result,
        "Resource granite-3-8b-instruct",
        "spec.dependencyOf component:shared-model-server",
        "not in this file",
    )


def test_an_api_nobody_provides_is_reported_field_by_field() -> None:
    result = read("api-nobody-provides.yaml")
    assert [m["name"] for m in result.document["models"]] == ["mistral-7b"]
    assert listed(result, "API mistral-api", "no model server in this file provides it")
    assert listed(result, "API mistral-api", "metadata.title", "Mistral API")
    assert listed(result, "API mistral-api", "metadata.description", "OpenAI-compatible")
    assert listed(result, "API mistral-api", "metadata.links", "mistral.example.com/docs")
    assert listed(result, "API mistral-api", "spec.definition", "openapi.json")


def test_an_api_provided_by_a_component_typed_ai_model_server_is_imported() -> None:
    result = read("component-typed-ai-model-server.yaml")
    server = result.document["modelServer"]
    assert server["name"] == "bridge-server"
    assert server["API"]["url"] == "https://bridge.example.com/v1"
    assert server["API"]["spec"].startswith("openapi: 3.0.0")
    assert listed(result, "API bridge-server", "metadata.title", "Bridge server API")
    assert listed(result, "Component bridge-server", "spec.type", "ai-model-server")


def test_each_server_of_a_two_server_file_is_its_own_catalog_with_its_own_models() -> None:
    data = (CASES / "two-servers.yaml").read_bytes()
    results = import_catalog_infos(data, "two-servers.yaml")
    by_server = {r.server: r.document for r in results}
    assert list(by_server) == ["server-a", "server-b"]
    assert [m["name"] for m in by_server["server-a"]["models"]] == ["model-a1"]
    assert [m["name"] for m in by_server["server-b"]["models"]] == ["model-b1", "model-b2"]
    assert "API" not in by_server["server-a"]["modelServer"]
    assert by_server["server-b"]["modelServer"]["API"]["url"] == "https://b.example.com/v1"
    for result in results:
        assert validate(result.document).ok
        _component, *rest = validate(result.document).entities or []
        resources = [e for e in rest if e["kind"] == "Resource"]
        assert all(r["spec"]["dependencyOf"] == [f"component:{result.server}"] for r in resources)


def test_a_two_server_file_without_a_choice_is_refused_naming_the_servers() -> None:
    with pytest.raises(ServerChoiceError) as refused:
        read("two-servers.yaml")
    assert refused.value.servers == ["server-a", "server-b"]
    assert "server-a, server-b" in str(refused.value)
    assert [m["name"] for m in read("two-servers.yaml", "server-b").document["models"]] == [
        "model-b1",
        "model-b2",
    ]
    with pytest.raises(ServerChoiceError, match="no model server 'server-c'"):
        read("two-servers.yaml", "server-c")


def test_authentication_comes_from_the_tag_and_the_openapi_security_and_says_so() -> None:
    result = read("authenticated-openapi.yaml")
    server = result.document["modelServer"]
    assert server["authentication"] is True
    assert "authenticated" in server["tags"]  # the person's tag stays a tag
    [note] = [line for line in result.imported if line.startswith("authentication")]
    assert "the server tag 'authenticated'" in note
    assert "the API definition's security: bearerAuth" in note
    component = (validate(result.document).entities or [])[0]
    assert "auth-required" in component["metadata"]["tags"]


def test_no_evidence_of_authentication_is_said_and_nothing_is_invented() -> None:
    result = read("no-auth-evidence.yaml")
    assert "authentication" not in result.document["modelServer"]
    assert any(w.startswith("authentication: nothing in the file says") for w in result.warnings)


def test_authentication_evidence_that_disagrees_is_a_warning() -> None:
    text = (CASES / "authenticated-openapi.yaml").read_text("utf-8")
    text = text.replace("tags: [vllm, authenticated]", "tags: [vllm, auth-not-required]")
    result = import_catalog_info(text)
    assert result.document["modelServer"]["authentication"] is False
    assert any("disagrees" in w and "bearerAuth" in w for w in result.warnings)


def test_what_backstage_added_is_dropped_and_each_field_is_named() -> None:
    result = read("backstage-api.json")
    server = result.document["modelServer"]
    assert server["annotations"] == {"example.com/team": "ml"}
    assert server["homepageURL"] == "https://served.example.com"
    assert [m["name"] for m in result.document["models"]] == ["served-model"]
    for entity in ("Component served-model-server", "Resource served-model"):
        for path in (
            "relations",
            "metadata.uid",
            "metadata.etag",
            "metadata.namespace (default)",
            "metadata.annotations.backstage.io/managed-by-location",
            "metadata.annotations.backstage.io/managed-by-origin-location",
        ):
            assert listed(result, entity, path, "added by Backstage's catalog"), (entity, path)
    assert listed(result, "Component served-model-server", "status")
    assert listed(result, "metadata.annotations.backstage.io/view-url", "added by Backstage")
    entities = validate(result.document).entities or []
    exported = str(entities)
    for added in ("uid", "etag", "managed-by", "view-url", "relations", "namespace"):
        assert added not in exported


def test_link_type_and_icon_are_reported_with_their_paths() -> None:
    result = read("backstage-api.json")
    assert listed(result, "Component served-model-server: metadata.links.0.type (website)")
    assert listed(result, "Component served-model-server: metadata.links.0.icon (WebAsset)")


def test_renamed_link_titles_are_reported() -> None:
    text = (CASES / "template-resource.yaml").read_text("utf-8")
    text = text.replace("title: Artifact Location", "title: Model Repository")
    result = import_catalog_info(text)
    assert result.document["models"][0]["artifactLocationURL"].startswith("https://")
    assert listed(
        result,
        "metadata.links.0.title 'Model Repository'",
        "exported as 'Artifact Location'",
    )


def test_the_ai_model_server_layout_maps_back() -> None:
    results = import_catalog_infos((CASES / "ai-model-server.yaml").read_bytes())
    rhdh, upstream = (r.document for r in results)
    server = rhdh["modelServer"]
    assert server["name"] == "rhdh-model-server"
    assert server["owner"] == "group:ml-platform" and server["lifecycle"] == "production"
    assert server["API"]["url"] == "https://models.example.com/v1"
    assert server["homepageURL"] == "https://models.example.com"
    assert server["authentication"] is True
    assert server["tags"] == ["vllm"]
    assert server["annotations"] == {
        "example.com/team": "ml",
        "rhdh.io/serverType": "openai-v1",
        "rhdh.io/system": "genai",
        "rhdh.io/default": "llama-3-8b",
    }
    assert [m["name"] for m in rhdh["models"]] == ["granite-3.1-8b-instruct", "llama-3-8b"]
    assert rhdh["models"][0]["artifactLocationURL"].endswith("granite-3.1-8b-instruct")
    assert upstream["modelServer"]["API"]["type"] == "openapi"
    assert upstream["modelServer"]["authentication"] is False
    assert [m["name"] for m in upstream["models"]] == ["mistral-7b"]
    # What the layout does not carry is said, not invented silently.
    warnings = "\n".join(results[0].warnings)
    assert "API.spec is empty" in warnings
    assert "the server's owner and lifecycle" in warnings
    assert "'openai-v1' is no API type" in warnings


def test_a_yaml_stream_of_json_documents_imports() -> None:
    result = read("json-documents.yaml")
    assert result.document["modelServer"]["name"] == "json-server"
    assert [m["name"] for m in result.document["models"]] == ["json-model"]
    assert result.left_out == []


#: Fields that become the catalog's structure rather than a value in it.
STRUCTURE = (
    "apiVersion",
    "kind",
    "spec.type",
    "spec.dependsOn",
    "spec.dependencyOf",
    "spec.providesApis",
    "spec.models",
    "spec.requiresApiKey",
    "spec.apiEntityRef",
)


def leaves(node: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [pair for k, v in node.items() for pair in leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(node, list):
        return [pair for i, v in enumerate(node) for pair in leaves(v, f"{path}.{i}")]
    return [(path, node)]


def kept(value: Any, document: dict[str, Any]) -> bool:
    text = str(value)
    values = {str(v) for _, v in leaves(document)}
    return (
        text in values
        or text.removeprefix("user:") in values
        or any(text in v for v in values if len(text) > 3)
        or text in ("auth-required", "auth-not-required")  # become authentication
        # link titles the export writes as they are
        or text in ("API", "Homepage", "Artifact Location", "How to use", "License")
        or text.endswith(" artifact")
    )


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir()))
def test_every_field_of_every_fixture_is_kept_or_listed(name: str) -> None:
    """Never silence: each leaf of each entity is in a catalog, or its path is listed."""
    docs = load_documents((CASES / name).read_bytes())
    entities = docs[0] if len(docs) == 1 and isinstance(docs[0], list) else docs
    results = import_catalog_infos((CASES / name).read_bytes(), name)
    documents = {"catalogs": [r.document for r in results]}
    said = [line for r in results for line in r.left_out]
    for entity in entities:
        who = f"{entity['kind']} {entity['metadata']['name']}: "
        for path, value in leaves(entity):
            if path.startswith(STRUCTURE) or path == "metadata.name":
                continue
            on_list = any(
                line.startswith(who) and path.startswith(line[len(who) :].split(" ")[0])
                for line in said
            )
            assert kept(value, documents) or on_list, (who, path, value)


def test_tags_written_as_text_instead_of_a_list_are_reported() -> None:
    text = (CASES / "template-resource.yaml").read_text("utf-8")
    text = text.replace("  tags:\n    - granite\n", "  tags: granite, llm\n")
    result = import_catalog_info(text)
    assert "tags" not in result.document["models"][0]
    assert listed(result, "Resource granite-3-8b-instruct: metadata.tags (granite, llm)", "list")


def test_an_inline_yaml_definition_comes_back_as_json_text_with_its_security() -> None:
    text = (CASES / "authenticated-openapi.yaml").read_text("utf-8")
    start = text.index("  definition: |")
    inline = (
        "  definition:\n    openapi: 3.0.3\n    info: {title: Secure, version: '1'}\n"
        "    security: [{apiKey: []}]\n    paths: {}\n"
    )
    result = import_catalog_info(text[:start] + inline)
    api = result.document["modelServer"]["API"]
    assert '"openapi": "3.0.3"' in api["spec"]
    assert any("security: apiKey" in line for line in result.imported)


def test_a_file_holding_only_an_api_is_refused_naming_the_api() -> None:
    text = (CASES / "api-nobody-provides.yaml").read_text("utf-8").split("---\n", 1)[1]
    with pytest.raises(InputError, match="It holds the API mistral-api"):
        import_catalog_info(text)


def test_a_missing_lifecycle_is_not_invented() -> None:
    text = (CASES / "template-resource.yaml").read_text("utf-8")
    result = import_catalog_info(text.replace("  lifecycle: production\n", ""))
    assert result.document["models"][0]["lifecycle"] == ""
    assert any(i.path == "models.0.lifecycle" for i in validate(result.document).errors)


def test_a_listed_model_described_by_a_resource_in_the_file_comes_from_it() -> None:
    layout = (CASES / "ai-model-server.yaml").read_text("utf-8").split("\n---\n")[0]
    resource = (
        "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n"
        "  name: granite-3.1-8b-instruct\n  description: Granite, described in full.\n"
        "  links:\n    - url: https://models.example.com/granite\n      title: Artifact Location\n"
        "spec: {type: ai-model, owner: group:ml, lifecycle: experimental}\n"
    )
    result = import_catalog_info(layout + "\n---\n" + resource)
    granite, llama = result.document["models"]
    assert granite["description"] == "Granite, described in full."
    assert granite["owner"] == "group:ml" and granite["lifecycle"] == "experimental"
    assert granite["artifactLocationURL"] == "https://models.example.com/granite"
    assert listed(result, "metadata.links.2 'granite-3.1-8b-instruct artifact'", "Resource gives")
    assert llama["description"] == "" and llama["owner"] == "group:ml-platform"


def test_the_by_query_shape_of_backstage_s_rest_api_is_read_too() -> None:
    entities = json.loads((CASES / "backstage-api.json").read_text("utf-8"))
    page = json.dumps({"items": entities, "totalItems": 2, "pageInfo": {}})
    result = import_catalog_info(page)
    assert result.document["modelServer"]["name"] == "served-model-server"
    assert [m["name"] for m in result.document["models"]] == ["served-model"]


# --- odd shapes never crash the import ----------------------------------------------------

_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(["model-server", "ai-model", "ai-model-server", "x", "resource:a", ""]),
    st.text(max_size=8),
)
_VALUE = st.recursive(
    _LEAF,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["url", "title", "type", "$text", "available", "default"]),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)
_ENTITY = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["Component", "Resource", "API", "AiModelServerAPI", "Group"]),
        "metadata": st.one_of(
            _VALUE,
            st.fixed_dictionaries(
                {"name": st.sampled_from(["a", "b", "s"])},
                optional={k: _VALUE for k in ("tags", "links", "annotations", "description")},
            ),
        ),
        "spec": st.one_of(
            _VALUE,
            st.fixed_dictionaries(
                {"type": st.sampled_from(["model-server", "ai-model", "ai-model-server"])},
                optional={
                    k: _VALUE
                    for k in (
                        "dependsOn",
                        "dependencyOf",
                        "providesApis",
                        "models",
                        "definition",
                        "serverUrl",
                        "serverType",
                        "requiresApiKey",
                        "apiEntityRef",
                        "system",
                    )
                },
            ),
        ),
    }
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ENTITY, max_size=5))
def test_odd_entities_import_or_get_one_clear_message(entities: list[dict[str, Any]]) -> None:
    try:
        results = catalogs_from_entities(entities)
    except InputError as exc:
        assert str(exc)
        return
    for result in results:
        assert isinstance(result.document.get("models"), list)
