"""Map one ``ai-model-server`` entity back to a catalog: MAPPING.md section 2's second
layout table, read the other way.

Kind ``AiModelServerAPI`` (or ``API`` with ``spec.type: ai-model-server``) gives the server,
its API URL (``serverUrl``), owner, lifecycle and the control annotations
(``rhdh.io/system``, ``rhdh.io/serverType``, ``rhdh.io/default``); ``spec.models`` gives
the models, each only a name unless the file also describes it as a Resource.  The layout
carries no API definition: the person gives it again, and is told so.
"""

from __future__ import annotations

from typing import Any

from catalog import evidence
from catalog.convert import AUTH_NOT_REQUIRED, AUTH_REQUIRED
from catalog.reverse_map import (
    SERVER_API_LINKS,
    SERVER_LINKS,
    ImportResult,
    api,
    authentication,
    base,
    entity_annotations,
    envelope,
    label,
    leftover_meta,
    leftover_spec,
    link_details,
    link_items,
    listed,
    meta,
    model,
    preview,
    spec,
    tags,
)

API_TYPES = ("openapi", "asyncapi", "graphql", "grpc")


def layout_server(
    entity: dict[str, Any],
    resources: dict[str, dict[str, Any]],
    api_entity: dict[str, Any] | None,
    result: ImportResult,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One ``ai-model-server`` entity as (modelServer, models): section 2's table read back.

    ``resources`` are the file's ai-model Resources by name: a model the entity lists and
    the file also describes comes from its Resource.
    """
    dropped = envelope(entity, result)
    given_spec = spec(entity)
    server = base(entity)
    server_tags = tags(entity, result, (AUTH_REQUIRED, AUTH_NOT_REQUIRED))
    if server_tags:
        server["tags"] = server_tags
    found = []
    if isinstance(given_spec.get("requiresApiKey"), bool):
        found.append(evidence.Evidence(given_spec["requiresApiKey"], "spec.requiresApiKey"))
    found += evidence.tag_evidence(
        [t for t in listed(entity, "tags") if isinstance(t, str)], "server"
    )
    given = entity_annotations(entity, dropped)
    server_type = str(given_spec.get("serverType", "") or "")
    the_api: dict[str, Any] = {"url": str(given_spec.get("serverUrl", "") or "")}
    if api_entity is not None:
        from_entity = api(api_entity, result)
        found += evidence.definition_evidence(spec(api_entity).get("definition"))
        the_api["type"], the_api["spec"] = from_entity["type"], from_entity["spec"]
        for key in ("tags", "annotations"):
            if key in from_entity:
                the_api[key] = from_entity[key]
        if from_entity["url"] and from_entity["url"] != the_api["url"]:
            result.left_out.append(
                f"{label(api_entity)}: metadata.links ({from_entity['url']}); the server's "
                "serverUrl is used as the API URL"
            )
    else:
        the_api["type"], the_api["spec"] = "", ""
        result.warnings.append(
            f"{label(entity)}: the ai-model-server layout carries no API definition: "
            "API.spec is empty; give its URL or text on the Author page"
        )
    if server_type in API_TYPES and the_api["type"] in ("", server_type):
        the_api["type"] = server_type
    elif server_type:
        given.setdefault("rhdh.io/serverType", server_type)
        if not the_api["type"]:
            the_api["type"] = "openapi"
            result.warnings.append(
                f"{label(entity)}: spec.serverType '{server_type}' is no API type of the "
                "model catalog (openapi, asyncapi, graphql, grpc): kept as the annotation "
                "rhdh.io/serverType, and API.type set to 'openapi': check it"
            )
    if not the_api["type"]:
        the_api["type"] = "openapi"
        result.warnings.append(f"{label(entity)}: no spec.serverType: API.type set to 'openapi'")
    server["API"] = the_api
    system = given_spec.get("system")
    if isinstance(system, str) and system.strip():
        given.setdefault("rhdh.io/system", system)
    models_given = given_spec.get("models")
    models_spec: dict[str, Any] = models_given if isinstance(models_given, dict) else {}
    given_models = models_spec.get("available")
    if not isinstance(given_models, list):
        if given_models is not None:
            result.left_out.append(
                f"{label(entity)}: spec.models.available ({preview(given_models)}): not a list"
            )
        given_models = []
    available = [m for m in given_models if isinstance(m, str) and m.strip()]
    for i, odd in enumerate(given_models):
        if not (isinstance(odd, str) and odd.strip()):
            result.left_out.append(
                f"{label(entity)}: spec.models.available.{i} ({preview(odd)}): not a model name"
            )
    default = models_spec.get("default")
    if isinstance(default, str) and default.strip() and available and default != available[0]:
        given.setdefault("rhdh.io/default", default)
    for key in ("discoverable",):
        if key in models_spec:
            result.left_out.append(f"{label(entity)}: spec.models.{key} ({models_spec[key]})")
    if given:
        server["annotations"] = given
    models: list[dict[str, Any]] = []
    artifact_links: dict[str, tuple[int, str]] = {}
    for j, link in enumerate(listed(entity, "links")):
        title = str(link.get("title", "")) if isinstance(link, dict) else ""
        if title.endswith(" artifact") and title[: -len(" artifact")] in available:
            artifact_links[title[: -len(" artifact")]] = (j, str(link.get("url", "")))
    bare = []
    for model_name in available:
        if model_name in resources:
            models.append(model(resources[model_name], result))
        else:
            models.append(
                {
                    "name": model_name,
                    "owner": server["owner"],
                    "lifecycle": server["lifecycle"],
                    "description": "",
                }
            )
            bare.append(model_name)
        if model_name in artifact_links:
            j, url = artifact_links[model_name]
            path = f"{label(entity)}: metadata.links.{j}"
            known = models[-1].get("artifactLocationURL")
            if known is None:
                models[-1]["artifactLocationURL"] = url
                link_details(meta(entity)["links"][j], path, result)
            elif known != url:
                result.left_out.append(
                    f"{path} '{model_name} artifact' ({url}): the model's Resource gives "
                    f"its artifact location ({known})"
                )
    if bare:
        result.warnings.append(
            f"{label(entity)}: spec.models names {', '.join(bare)} and nothing more: "
            "each takes the server's owner and lifecycle, with no description; "
            "complete them on the Author page"
        )
    _layout_links(entity, server, result, frozenset(j for j, _ in artifact_links.values()))
    authentication(found, server, result)
    leftover_meta(entity, result, dropped)
    handled = {"type", "owner", "lifecycle", "system", "serverType", "serverUrl"}
    leftover_spec(entity, handled | {"requiresApiKey", "models", "apiEntityRef"}, result)
    return server, models


def _layout_links(
    entity: dict[str, Any], server: dict[str, Any], result: ImportResult, skip: frozenset[int]
) -> None:
    """Homepage becomes homepageURL; the API link is serverUrl again (reported if not)."""
    for path, link, title in link_items(entity, result, skip):
        url = link.get("url")
        if title.lower() in SERVER_LINKS and isinstance(url, str) and "homepageURL" not in server:
            server["homepageURL"] = url
            exported = "Homepage"
        elif title.lower() in SERVER_API_LINKS and url == server["API"]["url"]:
            exported = "API"  # the serverUrl again
        else:
            result.left_out.append(f"{path} '{title}' ({url})")
            continue
        if title != exported:
            result.left_out.append(f"{path}.title '{title}': exported as '{exported}'")
        link_details(link, path, result)
