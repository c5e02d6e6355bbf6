"""Check generated entities against Backstage's catalog rules.

This is the runtime twin of Backstage's JSON Schemas plus ``makeValidator``: the
envelope, names, tags, annotation keys, references and links of each entity, and the
references between the entities of one catalog.  The tests also validate the same
entities against the JSON Schemas themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from catalog.rules import (
    is_valid_annotation_key,
    is_valid_entity_name,
    is_valid_entity_ref,
    is_valid_kind,
    is_valid_tag,
    is_valid_url,
    parse_entity_ref,
)

API_VERSIONS = ("backstage.io/v1alpha1", "backstage.io/v1beta1")
REQUIRED_SPEC = {
    "Component": ("type", "lifecycle", "owner"),
    "Resource": ("type", "owner"),
    "API": ("type", "lifecycle", "owner", "definition"),
    "AiModelServerAPI": ("type", "lifecycle", "owner", "serverType", "serverUrl"),
}
REF_FIELDS = {
    "dependsOn": None,
    "dependencyOf": None,
    "providesApis": "api",
    "consumesApis": "api",
}


def entity_problems(entity: dict[str, Any]) -> list[str]:
    """Every way ``entity`` breaks Backstage's rules, as readable sentences."""
    return list(_problems(entity))


def _problems(entity: dict[str, Any]) -> Iterator[str]:
    if entity.get("apiVersion") not in API_VERSIONS:
        yield f"apiVersion must be one of {', '.join(API_VERSIONS)}"
    kind = entity.get("kind")
    if not isinstance(kind, str) or not is_valid_kind(kind):
        yield f"kind {kind!r} is not a valid kind"
    meta = entity.get("metadata")
    if not isinstance(meta, dict):
        yield "metadata is missing"
        return
    name = meta.get("name")
    if not isinstance(name, str) or not is_valid_entity_name(name):
        yield f"metadata.name {name!r} is not a valid entity name"
    for tag in meta.get("tags", []):
        if not isinstance(tag, str) or not is_valid_tag(tag):
            yield f"tag {tag!r} is not a valid tag"
    for key, value in (meta.get("annotations") or {}).items():
        if not is_valid_annotation_key(key):
            yield f"annotation key {key!r} is not valid"
        if not isinstance(value, str):
            yield f"annotation {key!r} must be text"
    for link in meta.get("links", []):
        if not isinstance(link, dict) or not is_valid_url(str(link.get("url", ""))):
            yield f"link {link!r} has no valid url"
    spec = entity.get("spec")
    if not isinstance(spec, dict):
        yield "spec is missing"
        return
    required = REQUIRED_SPEC.get(str(kind), ())
    if kind == "API" and spec.get("type") == "ai-model-server":
        required = REQUIRED_SPEC["AiModelServerAPI"]
    for key in required:
        value = spec.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield f"spec.{key} is required"
    definition = spec.get("definition")
    if isinstance(definition, dict) and not isinstance(definition.get("$text"), str):
        yield "spec.definition must be text or a {$text: url} placeholder"
    owner = spec.get("owner")
    if isinstance(owner, str) and owner and not is_valid_entity_ref(owner):
        yield f"spec.owner {owner!r} is not a valid entity reference"
    for field_name in REF_FIELDS:
        for ref in spec.get(field_name, []) or []:
            if not isinstance(ref, str) or not is_valid_entity_ref(ref):
                yield f"spec.{field_name} entry {ref!r} is not a valid entity reference"


def entity_ref(entity: dict[str, Any]) -> str:
    """The full reference ``kind:namespace/name`` of an entity, lower-cased."""
    meta = entity.get("metadata", {})
    namespace = meta.get("namespace", "default")
    return f"{entity.get('kind', '')}:{namespace}/{meta.get('name', '')}".lower()


def normalise_ref(ref: str, default_kind: str | None) -> str:
    """``api:x`` -> ``api:default/x``, lower-cased (Backstage compares refs that way)."""
    kind, namespace, name = parse_entity_ref(ref, default_kind)
    return f"{kind or ''}:{namespace}/{name}".lower()


def reference_problems(entities: Iterable[dict[str, Any]]) -> list[str]:
    """References between the catalog's own entities that point at nothing."""
    entities = list(entities)
    known = {entity_ref(e) for e in entities}
    problems = []
    for entity in entities:
        spec = entity.get("spec") or {}
        for field_name, default_kind in REF_FIELDS.items():
            for ref in spec.get(field_name, []) or []:
                if isinstance(ref, str) and normalise_ref(ref, default_kind) not in known:
                    problems.append(
                        f"{entity.get('kind')} {entity['metadata'].get('name')}: "
                        f"{field_name} refers to {ref}, which is not in this catalog"
                    )
    return problems
