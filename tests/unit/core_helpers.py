"""Shared data and checks for the core's unit tests: the reference files and their schemas.

Not a test module: the ``test_*`` files import what they need from here.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from catalog.convert import ConvertOptions

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "reference"
MODEL_CATALOG_SCHEMA = REFERENCE / "model-catalog" / "model-catalog.schema.json"
EXAMPLES_DIR = REFERENCE / "model-catalog" / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))
EXAMPLE_IDS = [p.stem for p in EXAMPLES]
BACKSTAGE_SCHEMAS = REFERENCE / "backstage-schema"
CATALOG_INFO = REFERENCE / "catalog-info-examples" / "developer-model-service.catalog-info.yaml"

#: Every output the command line offers: the classic layout with both API definition
#: modes, and the ai-model-server layout with both kinds.
OPTION_SETS = {
    "classic-ref": ConvertOptions(),
    "classic-url": ConvertOptions(api_definition="url"),
    "ai-model-server-AiModelServerAPI": ConvertOptions(layout="ai-model-server"),
    "ai-model-server-API": ConvertOptions(layout="ai-model-server", kind="API"),
}


def example(name: str) -> dict[str, Any]:
    """A fresh copy of one of the five reference catalogs, by file stem or index."""
    return copy.deepcopy(_example(name))


@cache
def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES_DIR / f"{name}.json").read_text("utf-8"))
    return data


def minimal_catalog() -> dict[str, Any]:
    """A small valid catalog with every field that maps to an entity field."""
    return {
        "modelServer": {
            "name": "developer-model-service",
            "owner": "jdoe",
            "lifecycle": "production",
            "description": "Developer model service running on vLLM",
            "homepageURL": "https://model-service.apps.example.com",
            "authentication": True,
            "tags": ["vllm", "granite"],
            "annotations": {"example.com/team": "ai"},
            "API": {
                "url": "https://api.example.com/v1",
                "type": "openapi",
                "spec": "https://example.com/openapi.json",
                "tags": ["openapi"],
                "annotations": {"example.com/gateway": "3scale"},
            },
        },
        "models": [
            {
                "name": "granite-8b",
                "owner": "jdoe",
                "lifecycle": "production",
                "description": "IBM Granite 8b code instruct",
                "artifactLocationURL": "https://huggingface.co/ibm-granite/granite-8b",
                "howToUseURL": "https://model-service.apps.example.com/docs",
                "license": "Apache-2.0",
                "tags": ["granite", "code"],
                "annotations": {"TechDocs": "https://github.com/example/granite-docs"},
            },
            {
                "name": "mistral-7b",
                "owner": "group:default/ai-platform",
                "lifecycle": "experimental",
                "description": "Mistral 7b instruct",
            },
        ],
    }


# --- Backstage's JSON Schemas -------------------------------------------------------


@cache
def backstage_registry() -> Registry:
    """The Backstage schemas under their ``$id`` (``Entity``, ``EntityMeta``, ``common``...)."""
    resources = []
    for path in sorted(BACKSTAGE_SCHEMAS.rglob("*.json")):
        contents = json.loads(path.read_text("utf-8"))
        resources.append(
            (contents["$id"], Resource.from_contents(contents, default_specification=DRAFT7))
        )
    registry: Registry = Registry().with_resources(resources)
    return registry.crawl()


@cache
def kind_validator(schema_file: str) -> Draft7Validator:
    """A draft-07 validator for one of ``kinds/*.json``, resolving refs through the registry."""
    contents = json.loads((BACKSTAGE_SCHEMAS / "kinds" / schema_file).read_text("utf-8"))
    Draft7Validator.check_schema(contents)
    return Draft7Validator(contents, registry=backstage_registry())


def schema_file_for(entity: dict[str, Any]) -> str:
    """The kind schema Backstage would check ``entity`` against."""
    if (entity.get("spec") or {}).get("type") == "ai-model-server":
        return "AiModelServer.v1alpha1.schema.json"
    return {
        "Component": "Component.v1alpha1.schema.json",
        "Resource": "Resource.v1alpha1.schema.json",
        "API": "API.v1alpha1.schema.json",
    }[entity["kind"]]


def resolve_placeholders(entity: dict[str, Any]) -> dict[str, Any]:
    """The entity as Backstage validates it: ``{$text: url}`` replaced by the fetched text.

    Backstage's PlaceholderProcessor runs before schema validation; it accepts a mapping
    with exactly one ``$``-key and replaces it with the text it reads from the URL.
    """

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if len(node) == 1 and "$text" in node:
                assert isinstance(node["$text"], str) and node["$text"]
                return f"(the document fetched from {node['$text']})"
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    resolved: dict[str, Any] = walk(entity)
    return resolved


def schema_errors(entity: dict[str, Any]) -> list[str]:
    """Every way ``entity`` (placeholders resolved) breaks Backstage's JSON Schemas."""
    validator = kind_validator(schema_file_for(entity))
    return [
        f"{'.'.join(map(str, e.absolute_path)) or '(entity)'}: {e.message}"
        for e in validator.iter_errors(resolve_placeholders(entity))
    ]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``python -m catalog ARGV`` in-process: (exit status, stdout, stderr), no traceback."""
    from catalog.cli import main

    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err
