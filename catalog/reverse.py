"""Read an existing catalog-info.yaml back into model catalogs (MAPPING.md section 4).

A file's entities make one catalog per model server: a Component of type
``model-server`` with its API and the ``ai-model`` Resources its relations name, or one
``ai-model-server`` entity (kind ``AiModelServerAPI``, or ``API`` with that type) with the
models of its ``spec.models``.  Models belong to the server the file's relations name
(``dependsOn``, ``dependencyOf``), never to whichever server came first.

Whatever has no place in the schema is named on each catalog's ``left_out`` list with
its path; what Backstage's catalog added (``uid``, ``relations``...) is dropped with a
note; facts such as ``authentication`` come from evidence, and none found is said.

- :func:`import_catalog_infos` / :func:`catalogs_from_entities`: every catalog in a file.
- :func:`import_catalog_info` / :func:`from_entities`: the one catalog (or the one of
  ``server``); a file with several raises :class:`ServerChoiceError`, naming them.
"""

from __future__ import annotations

from typing import Any

from catalog.errors import InputError
from catalog.reader import load_documents
from catalog.reverse_layout import layout_server
from catalog.reverse_map import (
    LAYOUT_TYPE,
    ImportResult,
    classic_server,
    kind,
    label,
    meta,
    model,
    name,
    preview,
    ref_name,
    spec,
)

__all__ = [
    "ImportResult",
    "ServerChoiceError",
    "catalogs_from_entities",
    "from_entities",
    "import_catalog_info",
    "import_catalog_infos",
]


class ServerChoiceError(InputError):
    """The file holds several model servers, each a catalog of its own: name one."""

    def __init__(self, message: str, servers: list[str | None]) -> None:
        super().__init__(message)
        self.servers = servers


def is_layout_server(entity: dict[str, Any]) -> bool:
    """The second layout: kind AiModelServerAPI, or API (or Component) of type ai-model-server."""
    if kind(entity) == "AiModelServerAPI":
        return True
    if spec(entity).get("type") != LAYOUT_TYPE:
        return False
    if kind(entity) == "API":
        return True
    return kind(entity) == "Component" and any(k in spec(entity) for k in ("serverUrl", "models"))


def is_classic_server(entity: dict[str, Any]) -> bool:
    """A Component of type model-server (or ai-model-server, without the layout's fields)."""
    return (
        kind(entity) == "Component"
        and spec(entity).get("type") in ("model-server", LAYOUT_TYPE)
        and not is_layout_server(entity)
    )


def _is_model(entity: dict[str, Any]) -> bool:
    return kind(entity) == "Resource" and spec(entity).get("type") == "ai-model"


def _refs(entity: dict[str, Any], key: str, default_kind: str | None = None) -> list[Any]:
    value = spec(entity).get(key)
    if isinstance(value, str):
        value = [value]
    return [r for r in value or [] if isinstance(r, str)] if isinstance(value, list) else []


def _check_envelope(entity: dict[str, Any], number: int) -> None:
    """Backstage's envelope: a kind, a metadata mapping with a name, a spec mapping."""
    where = f"entity {number}" + (
        f" ({entity['kind']})" if isinstance(entity.get("kind"), str) else ""
    )
    metadata = entity.get("metadata")
    if not isinstance(entity.get("kind"), str):
        raise InputError(f"{where}: 'kind' is missing or not text; every entity has a kind")
    if not isinstance(metadata, dict):
        raise InputError(f"{where}: 'metadata' must be a mapping with at least a 'name'")
    if not isinstance(metadata.get("name"), str) or not metadata["name"].strip():
        raise InputError(f"{where}: 'metadata.name' is missing or not text")
    if "spec" in entity and not isinstance(entity["spec"], dict):
        raise InputError(f"{where} {metadata['name']}: 'spec' must be a mapping")


class _File:
    """The entities of one file, sorted into servers, APIs, models and the rest."""

    def __init__(self, entities: list[dict[str, Any]]) -> None:
        self.servers: list[dict[str, Any]] = []
        self.apis: list[dict[str, Any]] = []
        self.models: list[dict[str, Any]] = []
        self.others: list[dict[str, Any]] = []
        for number, entity in enumerate(entities, 1):
            if is_layout_server(entity) or is_classic_server(entity):
                self.servers.append(entity)
            elif kind(entity) == "API":
                self.apis.append(entity)
            elif _is_model(entity):
                self.models.append(entity)
            else:  # only reported: its shape does not matter here
                self.others.append(entity)
                continue
            _check_envelope(entity, number)
        self.server_names = {name(s) for s in self.servers}
        # Which servers list each model name (their dependsOn, or spec.models).
        self.listing: dict[str, list[int]] = {}
        for i, server in enumerate(self.servers):
            for model_name in dict.fromkeys(self.listed_models(server)):
                self.listing.setdefault(model_name, []).append(i)
        self.index = {n: i for i, n in reversed(list(enumerate(name(s) for s in self.servers)))}

    def listed_models(self, server: dict[str, Any]) -> list[str]:
        """The model names a server's own spec lists."""
        if is_layout_server(server):
            models = spec(server).get("models")
            available = models.get("available") if isinstance(models, dict) else None
            return (
                [m for m in available if isinstance(m, str)] if isinstance(available, list) else []
            )
        refs = [ref_name(r) for r in _refs(server, "dependsOn")]
        return [n for k, n in refs if k == "resource"]

    def servers_of(self, resource: dict[str, Any]) -> tuple[list[int], list[str], list[str]]:
        """(indexes of the file's servers it belongs to, references to servers not in the
        file, references to other kinds of entity)."""
        targets, other = [], []
        for ref in _refs(resource, "dependencyOf"):
            ref_kind, ref_target = ref_name(ref)
            if ref_kind in (None, "component", "aimodelserverapi") or (
                ref_kind == "api" and ref_target in self.server_names
            ):
                targets.append(ref)
            else:
                other.append(ref)
        named = {ref_name(r)[1] for r in targets}
        found = set(self.listing.get(name(resource), []))
        found |= {self.index[n] for n in named if n in self.index}
        mine = sorted(found)
        missing = [r for r in targets if ref_name(r)[1] not in self.server_names]
        return mine, missing, other

    def named_apis(self, server: dict[str, Any]) -> list[str]:
        if is_layout_server(server):
            ref = spec(server).get("apiEntityRef")
            return [ref_name(ref, "api")[1]] if isinstance(ref, str) else []
        names = [ref_name(r, "api")[1] for r in _refs(server, "providesApis")]
        names += [n for k, n in (ref_name(r) for r in _refs(server, "dependsOn")) if k == "api"]
        return list(dict.fromkeys(names))


def catalogs_from_entities(
    entities: list[dict[str, Any]], source: str = "this file"
) -> list[ImportResult]:
    """Every catalog in ``entities``: one per model server, then the models of none.

    ``source`` names where the entities come from in the notes about a missing one.
    """
    file = _File(entities)
    if not file.servers and not file.models:
        api_names = ", ".join(name(a) for a in file.apis)
        raise InputError(
            "no model server (Component of type model-server, or an ai-model-server entity) "
            "and no model (Resource of type ai-model) found; is this a model catalog-info.yaml?"
            + (
                f" It holds the API {api_names}: an API is imported with the server providing it."
                if api_names
                else ""
            )
        )
    shared: list[str] = [
        f"{label(e)}: not a model server, API or ai-model resource" for e in file.others
    ]
    members: list[list[dict[str, Any]]] = [[] for _ in file.servers]
    # What each catalog (the servers', then the loose models') must say beyond its entities.
    notes = [ImportResult({}) for _ in range(len(file.servers) + 1)]
    loose: list[dict[str, Any]] = []
    for resource in file.models:
        mine, missing, other = file.servers_of(resource)
        where = notes[mine[0]] if mine else notes[-1]
        for target in missing:
            where.left_out.append(
                f"{label(resource)}: spec.dependencyOf {target}: that server is not in this "
                "file, so the link is not kept; import it with the server's file, or add "
                "the server on the Author page"
            )
        for target in other:
            where.left_out.append(
                f"{label(resource)}: spec.dependencyOf {target}: a model depends only on "
                "its server in a model catalog; not kept"
            )
        if not mine and not missing and len(file.servers) == 1:
            mine = [0]
            notes[0].warnings.append(
                f"{label(resource)}: names no model server (no spec.dependencyOf), and the "
                f"server does not list it: imported with the file's only server, "
                f"{name(file.servers[0])}, which the export names as its server"
            )
        for i in mine:
            members[i].append(resource)
        if not mine:
            loose.append(resource)
    apis = _apis_of(file, shared, notes, source)
    results = []
    resources = {name(r): r for r in file.models}
    for i, server in enumerate(file.servers):
        # In the order the server lists its models, then the others in file order.
        order = {n: k for k, n in reversed(list(enumerate(file.listed_models(server))))}
        members[i].sort(key=lambda r: order.get(name(r), len(order)))
        result = ImportResult({}, server=name(server))
        result.left_out += shared + notes[i].left_out
        result.warnings += notes[i].warnings
        if is_layout_server(server):
            document_server, models = layout_server(server, resources, apis[i], result)
            listed = set(file.listed_models(server))
            models += [model(r, result) for r in members[i] if name(r) not in listed]
        else:
            document_server = classic_server(server, apis[i], result)
            models = [model(r, result) for r in members[i]]
        for listed_name in file.listed_models(server):
            if listed_name not in resources and not is_layout_server(server):
                result.left_out.append(
                    f"{label(server)}: spec.dependsOn resource:{listed_name}: no such "
                    "Resource in this file"
                )
        result.document = {"modelServer": document_server, "models": models}
        result.imported.insert(0, f"model server {name(server)}")
        result.imported += [f"model {m['name']}" for m in models]
        results.append(result)
    if loose or not file.servers:
        result = ImportResult({}, server=None)
        result.left_out += shared + notes[-1].left_out
        result.warnings += notes[-1].warnings
        models = [model(r, result) for r in loose]
        result.document = {"models": models}
        result.imported += [f"model {m['name']}" for m in models]
        results.append(result)
    if len(results) > 1:
        names = ", ".join(r.label for r in results)
        for result in results:
            result.warnings.insert(
                0,
                f"this file holds {len(results)} catalogs ({names}); this one is {result.label}'s",
            )
    return results


def _apis_of(
    file: _File, shared: list[str], notes: list[ImportResult], source: str
) -> list[dict[str, Any] | None]:
    """Each server's API: the one its spec names; an API nobody provides is reported."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for api in file.apis:
        by_name.setdefault(name(api), []).append(api)
    chosen: list[dict[str, Any] | None] = []
    claimed: list[dict[str, Any]] = []
    for i, server in enumerate(file.servers):
        named = file.named_apis(server)
        found = [a for n in named for a in by_name.get(n, [])]
        for n in named:
            if n not in by_name:
                notes[i].left_out.append(
                    f"{label(server)}: names the API {n}, which is not in {source}: "
                    "the catalog gets no API"
                )
        for extra in found[1:]:
            notes[i].left_out.append(f"{label(extra)}: only one API per server is imported")
        chosen.append(found[0] if found else None)
        claimed += found
    taken = {id(a) for a in claimed}
    unclaimed = [a for a in file.apis if id(a) not in taken]
    lone = [i for i, s in enumerate(file.servers) if chosen[i] is None and not is_layout_server(s)]
    if len(unclaimed) == 1 and len(file.servers) == 1 and lone:
        lone_api = chosen[0] = unclaimed.pop()
        notes[0].warnings.append(
            f"{label(lone_api)}: the server does not name it in spec.providesApis; "
            "imported as its API, the file's only one"
        )
    for api in unclaimed:
        why = "no model server in this file provides it, so it is not imported"
        shared.append(f"{label(api)}: {why}")
        for key in ("title", "description", "links"):
            if key in meta(api):
                shared.append(f"{label(api)}: metadata.{key} ({preview(meta(api)[key])})")
        if "definition" in spec(api):
            shared.append(f"{label(api)}: spec.definition ({preview(spec(api)['definition'])})")
    return chosen


def from_entities(
    entities: list[dict[str, Any]], server: str | None = None, source: str = "this file"
) -> ImportResult:
    """The one catalog in ``entities`` (or ``server``'s); several raise ServerChoiceError."""
    return _choose(catalogs_from_entities(entities, source), server, "the entities")


def _choose(results: list[ImportResult], server: str | None, where: str) -> ImportResult:
    if server is not None:
        for result in results:
            if result.server == server or (server == "" and result.server is None):
                return result
        raise ServerChoiceError(
            f"{where}: no model server '{server}'; the servers are: {_names(results)}",
            [r.server for r in results],
        )
    if len(results) == 1:
        return results[0]
    raise ServerChoiceError(
        f"{where}: holds {len(results)} catalogs ({_names(results)}), each with its own "
        "models: choose one",
        [r.server for r in results],
    )


def _names(results: list[ImportResult]) -> str:
    return ", ".join(r.label for r in results)


def _entities(data: bytes | str, name_: str) -> list[dict[str, Any]]:
    """The entities of a YAML stream, or of a JSON list (or ``{"items": [...]}``) as
    Backstage's REST API serves them."""
    docs = load_documents(data, name=name_)
    if len(docs) == 1 and isinstance(docs[0], dict) and isinstance(docs[0].get("items"), list):
        docs = docs[0]["items"]  # GET /entities/by-query
    elif len(docs) == 1 and isinstance(docs[0], list):
        docs = docs[0]  # GET /entities
    entities = [d for d in docs if isinstance(d, dict)]
    if (
        len(entities) == 1
        and "kind" not in entities[0]
        and ("models" in entities[0] or "modelServer" in entities[0])
    ):
        raise InputError(
            f"{name_}: this is a model catalog already ('models' or 'modelServer', no "
            "'kind'), not a catalog-info.yaml: nothing to import; validate or convert it"
        )
    if len(entities) != len(docs):
        raise InputError(f"{name_}: every document must be an entity (a mapping with 'kind')")
    return entities


def import_catalog_infos(data: bytes | str, name: str = "catalog-info.yaml") -> list[ImportResult]:
    """Every catalog in a (multi-document) catalog-info.yaml: one per model server."""
    return catalogs_from_entities(_entities(data, name))


def import_catalog_info(
    data: bytes | str, name: str = "catalog-info.yaml", server: str | None = None
) -> ImportResult:
    """The one catalog of a catalog-info.yaml (or ``server``'s); see :func:`from_entities`."""
    return _choose(import_catalog_infos(data, name), server, name)
