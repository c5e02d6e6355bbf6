"""Turn a model catalog into Backstage entities (MAPPING.md section 2).

``to_entities`` returns plain dicts in the order a person would write them: the
Component first, then the API, then one Resource per model (classic layout), or one
``ai-model-server`` entity (the second layout).  Keys are in Backstage's usual order
(apiVersion, kind, metadata, spec).  The functions here assume a catalog that passed
validation; they never raise on odd values, they leave them out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from catalog.errors import LayoutError
from catalog.licenses import license_url
from catalog.rules import is_valid_tag, is_valid_url, strip_whitespace

if TYPE_CHECKING:  # either the pydantic models or the plain objects of a shape check
    from catalog import schema, shape

    Model: TypeAlias = schema.Model | shape.Model
    ModelCatalog: TypeAlias = schema.ModelCatalog | shape.ModelCatalog
    ModelServer: TypeAlias = schema.ModelServer | shape.ModelServer
    ModelServerAPI: TypeAlias = schema.ModelServerAPI | shape.ModelServerAPI

API_VERSION = "backstage.io/v1alpha1"
TECHDOCS_REF = "backstage.io/techdocs-ref"
AUTH_REQUIRED = "auth-required"
AUTH_NOT_REQUIRED = "auth-not-required"
#: Server annotations the ai-model-server layout reads as settings, not as annotations.
CONTROL_ANNOTATIONS = (
    "rhdh.io/lifecycle",
    "rhdh.io/owner",
    "rhdh.io/system",
    "rhdh.io/serverType",
    "rhdh.io/default",
)
_OWNER_REF = re.compile(r"^(user|group):", re.IGNORECASE)

Layout = Literal["classic", "ai-model-server"]
ServerKind = Literal["AiModelServerAPI", "API"]
ApiDefinitionMode = Literal["ref", "url"]


@dataclass(frozen=True)
class ConvertOptions:
    """How to write the entities."""

    layout: Layout = "classic"
    kind: ServerKind = "AiModelServerAPI"
    api_definition: ApiDefinitionMode = "ref"


def entity_name(name: str) -> str:
    """The entity name for an input name: all whitespace removed."""
    return strip_whitespace(name)


@lru_cache(maxsize=16384)  # a catalog has few owners and many models
def owner_ref(owner: str) -> str:
    """``user:jdoe`` and ``group:team`` stay; anything else becomes ``user:<owner>``."""
    owner = strip_whitespace(owner)
    return owner if _OWNER_REF.match(owner) else f"user:{owner}"


def normalise_tags(tags: list[str] | None) -> list[str]:
    """Tags without whitespace, lower-cased, de-duplicated in order, invalid ones left out."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags or ():
        norm = normal_tag(tag)
        if norm is not None and norm not in seen:
            seen.add(norm)
            out.append(norm)
    return out


@lru_cache(maxsize=16384)  # the same tags recur across a catalog
def normal_tag(tag: str) -> str | None:
    """The tag as written to Backstage (no whitespace, lower case), or None when invalid."""
    norm = strip_whitespace(tag).lower()
    return norm if is_valid_tag(norm) else None


def present(value: str | None) -> str | None:
    """An optional text field: blank counts as absent."""
    return value if value and not value.isspace() else None  # no copy of a long text


def auth_tag(server: ModelServer) -> str:
    """``auth-required`` when the server needs authentication, else ``auth-not-required``."""
    return AUTH_REQUIRED if server.authentication else AUTH_NOT_REQUIRED


def is_techdocs_key(key: str) -> bool:
    """The special annotation key, spelt ``TechDocs`` in any letter case."""
    return key.lower() == "techdocs"


def model_annotations(model: Model) -> dict[str, str]:
    """Model annotations with the special ``TechDocs`` key turned into a techdocs-ref."""
    out: dict[str, str] = {}
    techdocs: str | None = None
    for key, value in (model.annotations or {}).items():
        if is_techdocs_key(key):
            if value.strip() and techdocs is None:
                techdocs = value.strip()
        else:
            out[key] = value
    if techdocs is not None and TECHDOCS_REF not in out:
        out[TECHDOCS_REF] = f"url:{techdocs}"
    return out


def _link(title: str, url: str | None) -> dict[str, str] | None:
    url = url.strip() if url is not None else None
    return {"url": url, "title": title} if url else None


def _metadata(
    name: str,
    description: str,
    tags: list[str],
    links: list[dict[str, str] | None],
    annotations: dict[str, str],
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if description and not description.isspace():
        meta["description"] = description
    if annotations:
        meta["annotations"] = annotations
    if tags:
        meta["tags"] = tags
    real_links = [link for link in links if link is not None]
    if real_links:
        meta["links"] = real_links
    return meta


def _with_auth(tags: list[str], server: ModelServer) -> list[str]:
    tag = auth_tag(server)
    return tags if tag in tags else [*tags, tag]


def server_annotations(server: ModelServer) -> dict[str, str]:
    """API annotations, then server annotations (the server wins on the same key)."""
    api = server.API.annotations if server.API else None
    return {**(api or {}), **(server.annotations or {})}


def component_entity(server: ModelServer, models: Sequence[Model]) -> dict[str, Any]:
    """The model server as a Component of type ``model-server``."""
    name = entity_name(server.name)
    api = server.API
    depends = [f"resource:{entity_name(m.name)}" for m in models]
    if api is not None:
        depends.append(f"api:{name}")
    spec: dict[str, Any] = {
        "type": "model-server",
        "lifecycle": server.lifecycle.strip(),
        "owner": owner_ref(server.owner),
    }
    if api is not None:
        spec["providesApis"] = [name]
    if depends:
        spec["dependsOn"] = depends
    return {
        "apiVersion": API_VERSION,
        "kind": "Component",
        "metadata": _metadata(
            name,
            server.description,
            _with_auth(normalise_tags(server.tags), server),
            [_link("API", api.url if api else None), _link("Homepage", server.homepageURL)],
            server_annotations(server),
        ),
        "spec": spec,
    }


def api_definition(api: ModelServerAPI, mode: ApiDefinitionMode) -> Any:
    """``{$text: url}`` for a URL spec, the document itself for pasted text (mode ``ref``)."""
    spec = api.spec.strip()
    if mode == "url":
        return api.spec
    if is_valid_url(spec):
        return {"$text": spec}
    return api.spec if api.spec.endswith("\n") else api.spec + "\n"


def api_entity(server: ModelServer, mode: ApiDefinitionMode = "ref") -> dict[str, Any]:
    """The server's API as an API entity, named like the server."""
    api = server.API
    if api is None:
        raise LayoutError("the model server has no API")
    return {
        "apiVersion": API_VERSION,
        "kind": "API",
        "metadata": _metadata(
            entity_name(server.name),
            "",
            _with_auth(normalise_tags(api.tags), server),
            [_link("API", api.url)],
            {},
        ),
        "spec": {
            "type": api.type,
            "lifecycle": server.lifecycle.strip(),
            "owner": owner_ref(server.owner),
            "definition": api_definition(api, mode),
        },
    }


def resource_entity(model: Model, server: ModelServer | None) -> dict[str, Any]:
    """A model as a Resource of type ``ai-model``."""
    return {
        "apiVersion": API_VERSION,
        "kind": "Resource",
        "metadata": _metadata(
            entity_name(model.name),
            model.description,
            normalise_tags(model.tags),
            [
                _link("Artifact Location", model.artifactLocationURL),
                _link("How to use", model.howToUseURL),
                _link("License", license_url(model.license)),
            ],
            model_annotations(model),
        ),
        "spec": {
            "type": "ai-model",
            "owner": owner_ref(model.owner),
            "lifecycle": model.lifecycle.strip(),
            "dependencyOf": [f"component:{entity_name(server.name)}"] if server else [],
        },
    }


def ai_model_server_entity(catalog: ModelCatalog, kind: ServerKind) -> dict[str, Any]:
    """The whole catalog as one ``ai-model-server`` entity (kind AiModelServerAPI or API)."""
    server = catalog.modelServer
    if server is None or server.API is None:
        raise LayoutError(
            "the ai-model-server layout needs a model server with an API; "
            "add one or use the classic layout"
        )
    given = server.annotations or {}
    annotations = {
        k: v for k, v in server_annotations(server).items() if k not in CONTROL_ANNOTATIONS
    }
    for model in catalog.models:
        ref = model_annotations(model).get(TECHDOCS_REF)
        if ref and TECHDOCS_REF not in annotations:
            annotations[TECHDOCS_REF] = ref
            break
    names = [entity_name(m.name) for m in catalog.models]
    spec: dict[str, Any] = {
        "type": "ai-model-server",
        "lifecycle": (present(given.get("rhdh.io/lifecycle")) or server.lifecycle).strip(),
        "owner": owner_ref(present(given.get("rhdh.io/owner")) or server.owner),
    }
    if present(given.get("rhdh.io/system")):
        spec["system"] = given["rhdh.io/system"].strip()
    spec["serverType"] = (present(given.get("rhdh.io/serverType")) or server.API.type).strip()
    spec["serverUrl"] = server.API.url.strip()
    spec["requiresApiKey"] = bool(server.authentication)
    if names:
        default = present(given.get("rhdh.io/default"))
        spec["models"] = {
            "available": names,
            "default": entity_name(default) if default else names[0],
        }
    links = [_link("API", server.API.url), _link("Homepage", server.homepageURL)]
    links += [
        _link(f"{entity_name(m.name)} artifact", m.artifactLocationURL) for m in catalog.models
    ]
    return {
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": _metadata(
            entity_name(server.name),
            server.description,
            _with_auth(normalise_tags(server.tags), server),
            links,
            annotations,
        ),
        "spec": spec,
    }


def to_entities(
    catalog: ModelCatalog, options: ConvertOptions | None = None
) -> list[dict[str, Any]]:
    """Return the Backstage entities for ``catalog`` in catalog-info.yaml order."""
    options = options or ConvertOptions()
    if options.layout == "ai-model-server":
        return [ai_model_server_entity(catalog, options.kind)]
    server = catalog.modelServer
    entities: list[dict[str, Any]] = []
    if server is not None:
        entities.append(component_entity(server, catalog.models))
        if server.API is not None:
            entities.append(api_entity(server, options.api_definition))
    entities.extend(resource_entity(m, server) for m in catalog.models)
    return entities
