"""What an imported entity says for itself, and what the Backstage catalog added to it.

Two questions the reverse import (:mod:`catalog.reverse`) asks of every entity:

- :func:`authentication`: does the server need authentication?  Only evidence counts:
  ``spec.requiresApiKey``, the auth tags, and the ``security`` of an embedded OpenAPI
  definition.  No evidence is said, never guessed (MAPPING.md section 4).
- :func:`catalog_added`: which fields did Backstage's catalog add (``uid``, ``etag``,
  ``relations``, ``status``, the ``backstage.io/managed-by-*`` annotations...)?  They are
  the catalog's, not the author's: dropped, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.convert import AUTH_NOT_REQUIRED, AUTH_REQUIRED
from catalog.errors import InputError
from catalog.reader import load_documents

#: Tags people write by hand, and what they say about authentication.
AUTH_TAGS = {
    AUTH_REQUIRED: True,
    AUTH_NOT_REQUIRED: False,
    "authenticated": True,
    "authentication": True,
    "requires-auth": True,
    "api-key": True,
    "apikey": True,
    "secured": True,
    "unauthenticated": False,
    "no-auth": False,
}
#: Metadata the catalog sets on every entity it serves.
CATALOG_METADATA = ("uid", "etag", "generation")
#: Top-level keys the catalog adds to every entity it serves.
CATALOG_KEYS = ("relations", "status")
#: Annotations the catalog's processors always add.
CATALOG_ANNOTATIONS = (
    "backstage.io/managed-by-location",
    "backstage.io/managed-by-origin-location",
    "backstage.io/orphan",
)
#: Annotations the location processor adds too, when the entity came through it; an
#: author may write them by hand, so they count as Backstage's only beside the above.
LOCATION_ANNOTATIONS = (
    "backstage.io/view-url",
    "backstage.io/edit-url",
    "backstage.io/source-location",
)
_MAX_DEFINITION = 1024 * 1024


@dataclass(frozen=True)
class Evidence:
    """One fact about authentication, and where it was found."""

    value: bool
    source: str


def tag_evidence(tags: list[str], where: str) -> list[Evidence]:
    """What the auth tags among ``tags`` say."""
    return [Evidence(AUTH_TAGS[t], f"the {where} tag '{t}'") for t in tags if t in AUTH_TAGS]


def definition_evidence(definition: Any) -> list[Evidence]:
    """What an embedded OpenAPI definition's ``security`` says (a linked one is not read)."""
    if isinstance(definition, str) and len(definition) <= _MAX_DEFINITION:
        try:
            docs = load_documents(definition, name="API definition")
        except InputError:
            return []
        definition = docs[0] if len(docs) == 1 else None
    if not isinstance(definition, dict) or not any(k in definition for k in ("openapi", "swagger")):
        return []
    schemes = _scheme_names(definition)
    used = _required_schemes(definition.get("security"))
    for path_item in (definition.get("paths") or {}).values():
        if isinstance(path_item, dict):
            for operation in path_item.values():
                if isinstance(operation, dict):
                    used |= _required_schemes(operation.get("security"))
    if used:
        names = ", ".join(sorted(used))
        declared = " (declared in securitySchemes)" if used <= schemes else ""
        return [Evidence(True, f"the API definition's security: {names}{declared}")]
    if definition.get("security") == [] and "securitySchemes" not in (
        definition.get("components") or {}
    ):
        return [Evidence(False, "the API definition's empty security")]
    return []


def _scheme_names(definition: dict[str, Any]) -> set[str]:
    components = definition.get("components") or {}
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):  # Swagger 2 keeps them at the top
        schemes = definition.get("securityDefinitions")
    return {str(k) for k in schemes} if isinstance(schemes, dict) else set()


def _required_schemes(security: Any) -> set[str]:
    """The schemes a ``security`` list requires; ``{}`` in it means "or none"."""
    if not isinstance(security, list) or not security:
        return set()
    names: set[str] = set()
    for requirement in security:
        if not isinstance(requirement, dict) or not requirement:
            return set()  # one alternative needs nothing: authentication is optional
        names |= {str(k) for k in requirement}
    return names


def authentication(
    evidence: list[Evidence],
) -> tuple[bool | None, str | None, str | None]:
    """(the value, what it was inferred from, a warning) from what the file says."""
    if not evidence:
        return (
            None,
            None,
            "authentication: nothing in the file says whether the server needs "
            "authentication (no auth tag, no requiresApiKey, no security in an embedded "
            "API definition); left unset, which exports as auth-not-required: set it on "
            "the Author page if the server needs a key",
        )
    value = evidence[0].value
    sources = " and ".join(e.source for e in evidence if e.value == value)
    note = f"authentication: {str(value).lower()}, inferred from {sources}"
    other = [e.source for e in evidence if e.value != value]
    warning = None
    if other:
        warning = (
            f"authentication: the file disagrees with itself: {' and '.join(other)} "
            f"say{'s' if len(other) == 1 else ''} {str(not value).lower()}; kept "
            f"{str(value).lower()} from {evidence[0].source}: check it"
        )
    return value, note, warning


def catalog_added(entity: dict[str, Any]) -> list[tuple[str, Any]]:
    """(path, value) of each field Backstage's catalog added to ``entity``."""
    out: list[tuple[str, Any]] = [(k, entity[k]) for k in CATALOG_KEYS if k in entity]
    meta = entity.get("metadata") or {}
    out += [(f"metadata.{k}", meta[k]) for k in CATALOG_METADATA if k in meta]
    if meta.get("namespace") == "default":
        out.append(("metadata.namespace", "default"))
    annotations = meta.get("annotations") or {}
    if isinstance(annotations, dict):
        added = [k for k in CATALOG_ANNOTATIONS if k in annotations]
        if added:
            added += [k for k in LOCATION_ANNOTATIONS if k in annotations]
        out += [(f"metadata.annotations.{k}", annotations[k]) for k in added]
    return out
