"""Read an existing catalog-info.yaml back into a model catalog (MAPPING.md section 4).

A Component of type ``model-server``, its API and Resources of type ``ai-model`` map back
to the schema's fields.  Everything that has no place in the schema (extra links,
``spec.profile``, titles, unknown fields) is listed in ``left_out`` so the person sees
what an export would no longer carry: never lost without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog.convert import AUTH_NOT_REQUIRED, AUTH_REQUIRED, TECHDOCS_REF
from catalog.errors import InputError
from catalog.issues import get_at
from catalog.reader import load_documents

#: Link titles our conversion writes, and what they map back to.
SERVER_LINKS = {"api": "API.url", "homepage": "homepageURL"}
MODEL_LINKS = {
    "artifact location": "artifactLocationURL",
    "how to use": "howToUseURL",
    "license": "license",
    # Titles people write by hand ("~" = contained in the title), tried after exact ones.
    "~repository": "artifactLocationURL",
    "~artifact": "artifactLocationURL",
    "~licen": "license",
    "~how to": "howToUseURL",
}
_HANDLED_META = {"name", "description", "tags", "links", "annotations"}


@dataclass
class ImportResult:
    """A catalog read from entities, with what it could not carry."""

    document: dict[str, Any]
    imported: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def _owner(value: Any) -> str:
    text = str(value or "")
    return text[5:] if text.lower().startswith("user:") else text


def _entity_label(entity: dict[str, Any]) -> str:
    return f"{entity.get('kind')} {entity.get('metadata', {}).get('name')}"


def _leftover_meta(entity: dict[str, Any], out: list[str]) -> None:
    meta = entity.get("metadata", {})
    for key in meta:
        if key not in _HANDLED_META:
            out.append(f"{_entity_label(entity)}: metadata.{key} ({_preview(meta[key])})")


def _preview(value: Any) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def _links(
    entity: dict[str, Any], mapping: dict[str, str], target: dict[str, Any], left_out: list[str]
) -> None:
    for link in entity.get("metadata", {}).get("links") or []:
        if not isinstance(link, dict):
            continue
        title = str(link.get("title", "")).strip().lower()
        key = mapping.get(title) or next(
            (v for k, v in mapping.items() if k.startswith("~") and k[1:] in title), None
        )
        url = link.get("url")
        if key and isinstance(url, str) and get_at(target, key) is None:
            if key == "license" and url.startswith("https://spdx.org/licenses/"):
                url = url.removeprefix("https://spdx.org/licenses/").removesuffix(".html")
            _set(target, key, url)
        else:
            left_out.append(
                f"{_entity_label(entity)}: link '{link.get('title', '')}' ({link.get('url')})"
            )


def _set(obj: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        obj = obj.setdefault(part, {})
    obj[parts[-1]] = value


def _spec_leftovers(entity: dict[str, Any], handled: set[str], out: list[str]) -> None:
    for key, value in (entity.get("spec") or {}).items():
        if key not in handled:
            out.append(f"{_entity_label(entity)}: spec.{key} ({_preview(value)})")


def _base(entity: dict[str, Any]) -> dict[str, Any]:
    meta = entity.get("metadata", {})
    spec = entity.get("spec") or {}
    return {
        "name": str(meta.get("name", "")),
        "owner": _owner(spec.get("owner")),
        "lifecycle": str(spec.get("lifecycle", "") or "production"),
        "description": str(meta.get("description", "") or ""),
    }


def from_entities(entities: list[dict[str, Any]]) -> ImportResult:
    """Map Backstage entities back to a model catalog document."""
    left_out: list[str] = []
    imported: list[str] = []
    servers = [
        e
        for e in entities
        if e.get("kind") == "Component" and (e.get("spec") or {}).get("type") == "model-server"
    ]
    apis = [e for e in entities if e.get("kind") == "API"]
    resources = [
        e
        for e in entities
        if e.get("kind") == "Resource" and (e.get("spec") or {}).get("type") == "ai-model"
    ]
    for e in entities:
        if e not in servers and e not in apis and e not in resources:
            left_out.append(f"{_entity_label(e)}: not a model server, API or ai-model resource")
    if not servers and not resources:
        raise InputError(
            "no model server (Component of type model-server) and no model (Resource of "
            "type ai-model) found; is this a model catalog-info.yaml?"
        )
    doc: dict[str, Any] = {}
    if servers:
        if len(servers) > 1:
            left_out.extend(
                f"{_entity_label(s)}: only the first model server is imported" for s in servers[1:]
            )
        doc["modelServer"] = _server(servers[0], apis, left_out)
        imported.append(f"model server {servers[0]['metadata'].get('name')}")
    models = []
    for resource in resources:
        models.append(_model(resource, left_out))
        imported.append(f"model {resource['metadata'].get('name')}")
    doc["models"] = models
    return ImportResult(doc, imported, left_out)


def _server(
    entity: dict[str, Any], apis: list[dict[str, Any]], left_out: list[str]
) -> dict[str, Any]:
    server = _base(entity)
    meta = entity.get("metadata", {})
    spec = entity.get("spec") or {}
    tags = [t for t in meta.get("tags") or [] if isinstance(t, str)]
    if AUTH_REQUIRED in tags or AUTH_NOT_REQUIRED in tags:
        server["authentication"] = AUTH_REQUIRED in tags
        tags = [t for t in tags if t not in (AUTH_REQUIRED, AUTH_NOT_REQUIRED)]
    if tags:
        server["tags"] = tags
    annotations = {k: str(v) for k, v in (meta.get("annotations") or {}).items()}
    if annotations:
        server["annotations"] = annotations
    provided = [str(p).split(":")[-1].split("/")[-1] for p in spec.get("providesApis") or []]
    api_entity = next((a for a in apis if a["metadata"].get("name") in provided), None)
    if api_entity is None and apis:
        api_entity = apis[0]
    for other in apis:
        if other is not api_entity:
            left_out.append(f"{_entity_label(other)}: only one API per server is imported")
    server_links = {"homepage": "homepageURL", "access": "homepageURL"}
    if api_entity is not None:
        server["API"] = _api(api_entity, left_out)
        server_links.update({"api": "API.url", "api url": "API.url"})
        # The server's own "API" link is the endpoint; the API entity's is often its docs.
        for link in meta.get("links") or []:
            if isinstance(link, dict) and str(link.get("title", "")).lower() in ("api", "api url"):
                dropped = server["API"].pop("url", None)
                if dropped and dropped != link.get("url"):  # the same URL loses nothing
                    left_out.append(
                        f"API {api_entity['metadata'].get('name')}: link "
                        f"({dropped}); the server's API link is used as its URL"
                    )
                break
        api_name = api_entity["metadata"].get("name")
        if api_name != server["name"]:
            left_out.append(
                f"API {api_name}: exported again under the server's name '{server['name']}'"
            )
    _links(entity, server_links, server, left_out)
    _leftover_meta(entity, left_out)
    _spec_leftovers(entity, {"type", "owner", "lifecycle", "dependsOn", "providesApis"}, left_out)
    return server


def _api(entity: dict[str, Any], left_out: list[str]) -> dict[str, Any]:
    meta = entity.get("metadata", {})
    spec = entity.get("spec") or {}
    definition = spec.get("definition")
    if isinstance(definition, dict) and "$text" in definition:
        definition = definition["$text"]
    api: dict[str, Any] = {
        "url": "",
        "type": str(spec.get("type", "openapi")),
        "spec": str(definition or ""),
    }
    links = meta.get("links") or []
    api_link = next(
        (
            li
            for li in links
            if isinstance(li, dict) and str(li.get("title", "")).lower() in ("api", "api url")
        ),
        None,
    )
    if api_link is None and links and isinstance(links[0], dict):
        api_link = links[0]
    if api_link is not None:
        api["url"] = str(api_link.get("url", ""))
    for link in links:
        if link is not api_link:
            left_out.append(
                f"{_entity_label(entity)}: link '{link.get('title', '')}' ({link.get('url')})"
            )
    tags = [
        t
        for t in meta.get("tags") or []
        if isinstance(t, str) and t not in (AUTH_REQUIRED, AUTH_NOT_REQUIRED)
    ]
    if tags:
        api["tags"] = tags
    annotations = {k: str(v) for k, v in (meta.get("annotations") or {}).items()}
    if annotations:
        api["annotations"] = annotations
    for key in ("title", "description"):
        if key in meta:
            left_out.append(f"{_entity_label(entity)}: metadata.{key} ({_preview(meta[key])})")
    for key in set(meta) - _HANDLED_META - {"title", "description"}:
        left_out.append(f"{_entity_label(entity)}: metadata.{key}")
    _spec_leftovers(entity, {"type", "owner", "lifecycle", "definition"}, left_out)
    return api


def _model(entity: dict[str, Any], left_out: list[str]) -> dict[str, Any]:
    model = _base(entity)
    meta = entity.get("metadata", {})
    tags = [t for t in meta.get("tags") or [] if isinstance(t, str)]
    if tags:
        model["tags"] = tags
    annotations = {k: str(v) for k, v in (meta.get("annotations") or {}).items()}
    ref = annotations.get(TECHDOCS_REF, "")
    if ref.startswith("url:"):
        annotations.pop(TECHDOCS_REF)
        annotations["TechDocs"] = ref[4:]
    if annotations:
        model["annotations"] = annotations
    _links(entity, MODEL_LINKS, model, left_out)
    _leftover_meta(entity, left_out)
    _spec_leftovers(entity, {"type", "owner", "lifecycle", "dependencyOf"}, left_out)
    return model


def import_catalog_info(data: bytes | str, name: str = "catalog-info.yaml") -> ImportResult:
    """Read a (multi-document) catalog-info.yaml and map it back to a model catalog."""
    docs = load_documents(data, name=name)
    entities = [d for d in docs if isinstance(d, dict)]
    if len(entities) != len(docs):
        raise InputError(f"{name}: every document must be an entity (a mapping with 'kind')")
    return from_entities(entities)
