"""Map one entity's fields back to the model catalog's (the reverse of MAPPING.md section 2).

:mod:`catalog.reverse` decides which entities make one catalog; the functions here turn
the classic layout's entities (Component, API, Resource) into the catalog's fields, and
hold the helpers :mod:`catalog.reverse_layout` shares for the ``ai-model-server`` entity.
Whatever has no place in the schema is named on the result's ``left_out`` list with its
path (``Resource granite: metadata.links.2``), what was inferred goes to ``imported``, and
what the person should check to ``warnings``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from catalog import evidence
from catalog.convert import AUTH_NOT_REQUIRED, AUTH_REQUIRED, TECHDOCS_REF
from catalog.issues import get_at
from catalog.rules import parse_entity_ref, tag_slug

LAYOUT_TYPE = "ai-model-server"
_ENVELOPE = {"apiVersion", "kind", "metadata", "spec"}
_HANDLED_META = {"name", "description", "tags", "links", "annotations"}
_SPDX_LINK = "https://spdx.org/licenses/"

#: Link titles (lower case; "~" = contained in the title), the field each fills, and the
#: title the export writes for it.
SERVER_LINKS = {
    "homepage": ("homepageURL", "Homepage"),
    "access": ("homepageURL", "Homepage"),
}
SERVER_API_LINKS = {"api": ("API.url", "API"), "api url": ("API.url", "API")}
MODEL_LINKS = {
    "artifact location": ("artifactLocationURL", "Artifact Location"),
    "how to use": ("howToUseURL", "How to use"),
    "license": ("license", "License"),
    "~repository": ("artifactLocationURL", "Artifact Location"),
    "~artifact": ("artifactLocationURL", "Artifact Location"),
    "~licen": ("license", "License"),
    "~how to": ("howToUseURL", "How to use"),
}


@dataclass
class ImportResult:
    """One catalog read from entities, with what it could not carry."""

    document: dict[str, Any]
    imported: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    #: What was inferred or renamed that the person should check.
    warnings: list[str] = field(default_factory=list)
    #: Facts the file does not state but implies (also on ``imported``).
    inferred: list[str] = field(default_factory=list)
    #: The model server this catalog is for; None for models of no server in the file.
    server: str | None = None

    @property
    def label(self) -> str:
        """The catalog as a person names it: its server, or "models without a server"."""
        return self.server if self.server is not None else "models without a server"


def kind(entity: dict[str, Any]) -> str:
    return str(entity.get("kind", ""))


def spec(entity: dict[str, Any]) -> dict[str, Any]:
    value = entity.get("spec")
    return value if isinstance(value, dict) else {}


def meta(entity: dict[str, Any]) -> dict[str, Any]:
    value = entity.get("metadata")
    return value if isinstance(value, dict) else {}


def name(entity: dict[str, Any]) -> str:
    return str(meta(entity).get("name", ""))


def listed(entity: dict[str, Any], key: str) -> list[Any]:
    """``metadata.<key>`` as a list (anything else is reported by :func:`envelope`)."""
    value = meta(entity).get(key)
    return value if isinstance(value, list) else []


def label(entity: dict[str, Any]) -> str:
    return f"{kind(entity)} {name(entity)}"


def ref_name(ref: Any, default_kind: str | None = None) -> tuple[str | None, str]:
    """(kind in lower case or None, name) of an entity reference such as ``resource:x``."""
    ref_kind, _namespace, ref_name_ = parse_entity_ref(str(ref), default_kind)
    return (ref_kind.lower() if ref_kind else None), ref_name_


def preview(value: Any) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def _set(obj: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        obj = obj.setdefault(part, {})
    obj[parts[-1]] = value


def _owner(value: Any) -> str:
    text = str(value or "")
    return text[5:] if text.lower().startswith("user:") else text


def base(entity: dict[str, Any]) -> dict[str, Any]:
    """name, owner, lifecycle and description, as the entity gives them (none invented)."""
    return {
        "name": name(entity),
        "owner": _owner(spec(entity).get("owner")),
        "lifecycle": str(spec(entity).get("lifecycle", "") or ""),
        "description": str(meta(entity).get("description", "") or ""),
    }


# --- what every entity may carry ---------------------------------------------------------


def envelope(entity: dict[str, Any], result: ImportResult) -> set[str]:
    """Report what Backstage added and unknown top-level keys; return the dropped paths."""
    dropped = set()
    for path, value in evidence.catalog_added(entity):
        dropped.add(path)
        result.left_out.append(
            f"{label(entity)}: {path} ({preview(value)}): added by Backstage's catalog, "
            "which sets it again; dropped"
        )
    for key in entity:
        if key not in _ENVELOPE and key not in dropped:
            result.left_out.append(f"{label(entity)}: {key} ({preview(entity[key])})")
    for key in ("tags", "links"):
        value = meta(entity).get(key)
        if value is not None and not isinstance(value, list):
            result.left_out.append(
                f"{label(entity)}: metadata.{key} ({preview(value)}): not a list"
            )
    return dropped


def leftover_meta(
    entity: dict[str, Any],
    result: ImportResult,
    dropped: set[str],
    handled: frozenset[str] = frozenset(),
) -> None:
    for key, value in meta(entity).items():
        if key not in _HANDLED_META | handled and f"metadata.{key}" not in dropped:
            result.left_out.append(f"{label(entity)}: metadata.{key} ({preview(value)})")


def leftover_spec(entity: dict[str, Any], handled: set[str], result: ImportResult) -> None:
    for key, value in spec(entity).items():
        if key not in handled:
            result.left_out.append(f"{label(entity)}: spec.{key} ({preview(value)})")


def tags(entity: dict[str, Any], result: ImportResult, drop: tuple[str, ...] = ()) -> list[str]:
    """The entity's tags, made valid by the one tag fix; changes reported."""
    out: list[str] = []
    for i, raw in enumerate(listed(entity, "tags")):
        path = f"{label(entity)}: metadata.tags.{i}"
        if not isinstance(raw, str):
            result.left_out.append(f"{path} ({preview(raw)}): not text")
            continue
        if raw in drop:
            continue
        tag = tag_slug(raw)
        if not tag:
            result.left_out.append(f"{path} ('{preview(raw)}'): nothing of it is a valid tag")
        elif tag in out:
            result.warnings.append(f"{path}: tag '{raw}' is a duplicate, kept once")
        else:
            if tag != raw:
                result.warnings.append(f"{path}: tag '{raw}' became '{tag}' (a valid tag)")
            out.append(tag)
    return out


def entity_annotations(entity: dict[str, Any], dropped: set[str]) -> dict[str, str]:
    given = meta(entity).get("annotations") or {}
    if not isinstance(given, dict):
        return {}
    return {str(k): str(v) for k, v in given.items() if f"metadata.annotations.{k}" not in dropped}


def links(
    entity: dict[str, Any],
    mapping: dict[str, tuple[str, str]],
    target: dict[str, Any],
    result: ImportResult,
    skip: frozenset[int] = frozenset(),
) -> None:
    """Fill ``target``'s fields from the links ``mapping`` knows; report the rest."""
    for path, link, title in link_items(entity, result, skip):
        low = title.lower()
        found = mapping.get(low) or next(
            (v for k, v in mapping.items() if k.startswith("~") and k[1:] in low), None
        )
        url = link.get("url")
        if found is None or not isinstance(url, str) or get_at(target, found[0]) is not None:
            result.left_out.append(f"{path} '{title}' ({url})")
            continue
        key, exported = found
        if key == "license" and url.startswith(_SPDX_LINK) and url.endswith(".html"):
            url = url.removeprefix(_SPDX_LINK).removesuffix(".html")
        _set(target, key, url)
        if title != exported:
            result.left_out.append(
                f"{path}.title '{title}': the link becomes {key} and is exported as '{exported}'"
            )
        link_details(link, path, result)


def link_items(
    entity: dict[str, Any], result: ImportResult, skip: frozenset[int] = frozenset()
) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Each of the entity's links as (path, link, stripped title); a non-link is reported."""
    for j, link in enumerate(listed(entity, "links")):
        path = f"{label(entity)}: metadata.links.{j}"
        if j in skip:
            continue
        if not isinstance(link, dict):
            result.left_out.append(f"{path} ({preview(link)}): not a link")
            continue
        yield path, link, str(link.get("title", "") or "").strip()


def link_details(link: dict[str, Any], path: str, result: ImportResult) -> None:
    """A link's ``type``, ``icon`` and other keys: the export writes a title and a URL."""
    for key, value in link.items():
        if key not in ("url", "title"):
            result.left_out.append(
                f"{path}.{key} ({preview(value)}): links are exported with a title and URL only"
            )


def authentication(
    found: list[evidence.Evidence], target: dict[str, Any], result: ImportResult
) -> None:
    value, note, warning = evidence.authentication(found)
    if value is not None:
        target["authentication"] = value
    if note:
        result.imported.append(note)
        result.inferred.append(note)
    if warning:
        result.warnings.append(warning)


# --- the classic layout ------------------------------------------------------------------


def classic_server(
    entity: dict[str, Any], api_entity: dict[str, Any] | None, result: ImportResult
) -> dict[str, Any]:
    """A Component of type ``model-server`` (and its API) as the catalog's modelServer."""
    dropped = envelope(entity, result)
    server = base(entity)
    server_tags = tags(entity, result, (AUTH_REQUIRED, AUTH_NOT_REQUIRED))
    found = evidence.tag_evidence(
        [t for t in listed(entity, "tags") if isinstance(t, str)], "server"
    )
    if server_tags:
        server["tags"] = server_tags
    given = entity_annotations(entity, dropped)
    if given:
        server["annotations"] = given
    mapping = dict(SERVER_LINKS)
    if api_entity is not None:
        # The server's own "API" link is the endpoint; the API entity's is often its docs.
        endpoint = next(
            (
                str(li.get("url", ""))
                for li in listed(entity, "links")
                if isinstance(li, dict) and str(li.get("title", "")).lower() in SERVER_API_LINKS
            ),
            None,
        )
        server["API"] = api(api_entity, result, endpoint)
        if endpoint is not None:
            del server["API"]["url"]  # the server's link fills it
        api_tags = [t for t in listed(api_entity, "tags") if isinstance(t, str)]
        found += evidence.tag_evidence(api_tags, "API")
        found += evidence.definition_evidence(spec(api_entity).get("definition"))
        mapping.update(SERVER_API_LINKS)
        if name(api_entity) != server["name"]:
            result.left_out.append(
                f"{label(api_entity)}: metadata.name: exported again under the server's "
                f"name '{server['name']}'"
            )
    links(entity, mapping, server, result)
    authentication(found, server, result)
    leftover_meta(entity, result, dropped)
    leftover_spec(entity, {"type", "owner", "lifecycle", "dependsOn", "providesApis"}, result)
    if spec(entity).get("type") != "model-server":
        result.left_out.append(
            f"{label(entity)}: spec.type ({spec(entity).get('type')}): exported as model-server"
        )
    return server


def api(
    entity: dict[str, Any], result: ImportResult, endpoint: str | None = None
) -> dict[str, Any]:
    """An API entity as the server's API: URL, type, definition, tags, annotations.

    ``endpoint`` is the URL the server gives its API (its own "API" link), which wins
    over the API entity's links: a link to the same URL is kept, the others reported.
    """
    dropped = envelope(entity, result)
    definition = spec(entity).get("definition")
    if isinstance(definition, dict) and "$text" in definition:
        definition = definition["$text"]
    elif isinstance(definition, dict | list):  # a document written inline as YAML
        definition = json.dumps(definition, indent=2, ensure_ascii=False)
    out: dict[str, Any] = {
        "url": endpoint or "",
        "type": str(spec(entity).get("type", "") or ""),
        "spec": str(definition or ""),
    }
    all_links = listed(entity, "links")
    if endpoint is not None:
        chosen = next(
            (
                j
                for j, li in enumerate(all_links)
                if isinstance(li, dict) and str(li.get("url", "")).strip() == endpoint.strip()
            ),
            None,
        )
    else:
        chosen = next(
            (
                j
                for j, li in enumerate(all_links)
                if isinstance(li, dict) and str(li.get("title", "")).lower() in SERVER_API_LINKS
            ),
            0 if all_links and isinstance(all_links[0], dict) else None,
        )
    if chosen is not None:
        link = all_links[chosen]
        out["url"] = str(link.get("url", ""))
        path = f"{label(entity)}: metadata.links.{chosen}"
        if str(link.get("title", "")) != "API":
            result.left_out.append(
                f"{path}.title '{link.get('title', '')}': the link becomes API.url and is "
                "exported as 'API'"
            )
        link_details(link, path, result)
    for j, link in enumerate(all_links):
        if j != chosen:
            title = link.get("title", "") if isinstance(link, dict) else ""
            url = link.get("url") if isinstance(link, dict) else link
            why = "; the server's API link is used as the API URL" if endpoint else ""
            result.left_out.append(f"{label(entity)}: metadata.links.{j} '{title}' ({url}){why}")
    api_tags = tags(entity, result, (AUTH_REQUIRED, AUTH_NOT_REQUIRED))
    if api_tags:
        out["tags"] = api_tags
    given = entity_annotations(entity, dropped)
    if given:
        out["annotations"] = given
    for key in ("title", "description"):
        if key in meta(entity):
            result.left_out.append(
                f"{label(entity)}: metadata.{key} ({preview(meta(entity)[key])})"
            )
    leftover_meta(entity, result, dropped, frozenset({"title", "description"}))
    leftover_spec(entity, {"type", "owner", "lifecycle", "definition"}, result)
    return out


def model(entity: dict[str, Any], result: ImportResult) -> dict[str, Any]:
    """A Resource of type ``ai-model`` as a model."""
    dropped = envelope(entity, result)
    out = base(entity)
    model_tags = tags(entity, result)
    if model_tags:
        out["tags"] = model_tags
    given = entity_annotations(entity, dropped)
    ref = given.get(TECHDOCS_REF, "")
    if ref.startswith("url:"):
        given.pop(TECHDOCS_REF)
        given["TechDocs"] = ref[4:]
    if given:
        out["annotations"] = given
    links(entity, MODEL_LINKS, out, result)
    leftover_meta(entity, result, dropped)
    leftover_spec(entity, {"type", "owner", "lifecycle", "dependencyOf"}, result)
    return out
