"""What Backstage reports, as plain data: entity reports, locations, and comparing.

No network here: :mod:`catalog.backstage_api` fills these from Backstage's answers.
Also the ``backend.reading.allow`` lines an administrator needs, and reading Backstage's
"not allowed" message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

ORIGIN_ANNOTATION = "backstage.io/managed-by-origin-location"
LOCATION_ANNOTATION = "backstage.io/managed-by-location"
#: Annotations Backstage adds while processing; they are not part of what was published.
BACKSTAGE_ANNOTATIONS = (
    LOCATION_ANNOTATION,
    ORIGIN_ANNOTATION,
    "backstage.io/view-url",
    "backstage.io/edit-url",
    "backstage.io/source-location",
)
_NOT_ALLOWED = re.compile(r"Reading from '([^']+)' is not allowed")


def allow_host(url: str) -> str:
    """The ``host`` entry of ``backend.reading.allow`` that matches ``url``.

    Backstage's URL reader matches the host name, and the port only when the entry names
    one (an entry without a port matches only URLs without one), so a URL with an
    explicit port needs ``host: name:port``.
    """
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{host}:{parts.port}" if parts.port else host


def reading_allow_config(urls: Iterable[str]) -> str:
    """``backend.reading.allow`` lines (YAML) for every distinct host of ``urls``."""
    hosts = list(dict.fromkeys(allow_host(u) for u in urls))
    lines = ["backend:", "  reading:", "    allow:"]
    lines += [f"      - host: {json.dumps(h) if ':' in h else h}" for h in hosts]
    return "\n".join(lines)


def not_allowed_url(message: str) -> str | None:
    """The URL a Backstage "Reading from '...' is not allowed" message names, if it is one."""
    found = _NOT_ALLOWED.search(message)
    return found.group(1) if found else None


@dataclass(frozen=True)
class Location:
    """A registered location: Backstage's id, and what it reads."""

    id: str
    type: str
    target: str
    existed: bool = False


@dataclass(frozen=True)
class DryRun:
    """What Backstage would create for a location (nothing is stored)."""

    target: str
    entities: list[dict[str, Any]]
    exists: bool = False


@dataclass
class EntityReport:
    """One entity as Backstage has it: state, relations and processing errors."""

    ref: str
    kind: str
    name: str
    namespace: str = "default"
    #: ``processed`` (in the catalog), ``pending`` (not (yet) in it) or ``failed``.
    state: str = "processed"
    entity: dict[str, Any] = field(default_factory=dict)
    relations: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.state == "processed" and not self.errors


@dataclass
class LocationReport:
    """Everything Backstage made of one registered location."""

    target: str
    entities: list[EntityReport] = field(default_factory=list)
    #: False when the Backstage has no unprocessed-entities module (errors of entities
    #: that never validated cannot be seen then).
    sees_unprocessed: bool = True

    @property
    def processing(self) -> list[EntityReport]:
        """Entities Backstage has not finished with yet (not in the catalog, no error so far).

        That is pending ones, and "failed" ones without an error: those are being
        stitched (their final row exists, its entity not yet).
        """
        return [e for e in self.entities if e.state != "processed" and not e.errors]

    @property
    def with_errors(self) -> list[EntityReport]:
        return [e for e in self.entities if e.errors]

    @property
    def unreadable(self) -> list[str]:
        """URLs the errors say Backstage may not read (``backend.reading.allow``)."""
        urls = (not_allowed_url(m) for e in self.entities for m in e.errors)
        return list(dict.fromkeys(u for u in urls if u))

    def get(self, ref: str) -> EntityReport | None:
        ref = ref.lower()
        return next((e for e in self.entities if e.ref == ref), None)


def entity_ref(entity: dict[str, Any]) -> str:
    """``kind:namespace/name`` in lower case, as Backstage writes references."""
    meta = entity.get("metadata") or {}
    kind = str(entity.get("kind", "")).lower()
    namespace = str(meta.get("namespace") or "default").lower()
    return f"{kind}:{namespace}/{str(meta.get('name', '')).lower()}"


def status_errors(entity: dict[str, Any]) -> list[str]:
    items = (entity.get("status") or {}).get("items") or []
    out = []
    for item in items:
        if isinstance(item, dict) and item.get("level") == "error":
            error = item.get("error") if isinstance(item.get("error"), dict) else {}
            out.append(error_text(error or item))
    return out


def error_text(error: Any) -> str:
    if not isinstance(error, dict):
        return str(error)
    name = str(error.get("name") or "")
    message = str(error.get("message") or "")
    if name and name != "Error" and not message.startswith(name):
        return f"{name}: {message}"
    return message or name or "unknown error"


def entity_report(entity: dict[str, Any], state: str, errors: list[str]) -> EntityReport:
    meta = entity.get("metadata") or {}
    relations = [
        (str(r.get("type", "")), str(r.get("targetRef", "")).lower())
        for r in entity.get("relations") or []
        if isinstance(r, dict)
    ]
    return EntityReport(
        ref=entity_ref(entity),
        kind=str(entity.get("kind", "")),
        name=str(meta.get("name", "")),
        namespace=str(meta.get("namespace") or "default"),
        state=state,
        entity=entity,
        relations=sorted(relations),
        errors=errors,
    )


def published_entity(entity: dict[str, Any]) -> dict[str, Any]:
    """An entity as it was published: without what Backstage adds while processing."""
    meta = dict(entity.get("metadata") or {})
    for key in ("uid", "etag", "generation"):
        meta.pop(key, None)
    if meta.get("namespace") == "default":
        meta.pop("namespace")
    annotations = {
        k: v for k, v in (meta.get("annotations") or {}).items() if k not in BACKSTAGE_ANNOTATIONS
    }
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    out = {k: v for k, v in entity.items() if k not in ("relations", "status", "metadata")}
    out["metadata"] = meta
    return out


KIND_ORDER = {"Location": 0, "Component": 1, "API": 2, "AiModelServerAPI": 2, "Resource": 3}


def text_urls(entities: Iterable[dict[str, Any]]) -> list[str]:
    """Every ``spec.definition.$text`` URL of ``entities`` (Backstage reads each one)."""
    out = []
    for entity in entities:
        definition = (entity.get("spec") or {}).get("definition")
        if isinstance(definition, dict) and isinstance(definition.get("$text"), str):
            out.append(definition["$text"])
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Verdict:
    """Backstage's validate-entity answer for one entity."""

    ref: str
    errors: list[str]


def _comparable(entity: dict[str, Any], like: dict[str, Any] | None = None) -> dict[str, Any]:
    """``entity`` as published, for comparing: reference lists in any order, and
    ``$text`` as ``like`` writes it (Backstage replaces it by the text it read)."""
    found = published_entity(entity)
    spec = dict(found.get("spec") or {})
    for key, value in spec.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            spec[key] = sorted(value)
    wanted = ((like or {}).get("spec") or {}).get("definition")
    if isinstance(wanted, dict) and "$text" in wanted and "definition" in spec:
        spec["definition"] = wanted
    if "spec" in found:
        found["spec"] = spec
    return found


def out_of_step(expected: Iterable[dict[str, Any]], report: LocationReport) -> list[str]:
    """The refs of ``expected`` entities Backstage lacks or has in another version."""
    out = []
    for entity in expected:
        ref = entity_ref(entity)
        found = report.get(ref)
        same = (
            found is not None
            and found.state == "processed"
            and _comparable(found.entity, entity) == _comparable(entity)
        )
        if not same:
            out.append(ref)
    return out
