"""The catalog's own checks: small pure functions, each yielding issues.

Each check reads the raw document defensively (a value of the wrong type is the schema
adapter's business, not theirs) and yields :class:`~catalog.issues.Issue` values whose
``path`` is the dotted field path and whose ``fix``, where there is one, is data.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from catalog.convert import (
    TECHDOCS_REF,
    ConvertOptions,
    entity_name,
    is_techdocs_key,
    normal_tag,
)
from catalog.issues import Fix, Issue, join_path
from catalog.licenses import canonical_spdx, suggest_spdx
from catalog.rules import (
    ENTITY_NAME_RULE,
    TAG_RULE,
    is_valid_annotation_key,
    is_valid_entity_name,
    is_valid_entity_ref,
    is_valid_tag,
    is_valid_url,
    slug,
    strip_whitespace,
    tag_slug,
)

LIFECYCLES = ("experimental", "production", "deprecated")
REQUIRED_TEXT = ("name", "owner", "lifecycle")
URL_FIELDS = ("homepageURL", "artifactLocationURL", "howToUseURL")
OPTIONAL_TEXT = {
    "server": ("homepageURL", "usage"),
    "api": (),
    "model": (
        "artifactLocationURL",
        "ethics",
        "license",
        "howToUseURL",
        "support",
        "training",
        "usage",
    ),
}


def _objects(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield ``(path, role, object)`` for the server, its API and each model."""
    server = doc.get("modelServer")
    if isinstance(server, dict):
        yield "modelServer", "server", server
        api = server.get("API")
        if isinstance(api, dict):
            yield "modelServer.API", "api", api
    models = doc.get("models")
    if isinstance(models, list):
        for i, model in enumerate(models):
            if isinstance(model, dict):
                yield f"models.{i}", "model", model


def _text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) else None


def check_not_empty(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """A catalog with neither a server nor any model has nothing to convert."""
    models = doc.get("models")
    if doc.get("modelServer") is None and isinstance(models, list) and not models:
        yield Issue(
            "models",
            "empty-catalog",
            "error",
            "the catalog has no model server and no models: add at least one model",
        )


def _api_type_is_typo(doc: dict[str, Any]) -> bool:
    server = doc.get("modelServer")
    api = server.get("API") if isinstance(server, dict) else None
    return isinstance(api, dict) and str(api.get("type", "")).strip().lower() == "openai"


def check_api_type_typo(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """``openai`` is a common typo for the ``openapi`` API type: accept it, visibly."""
    if _api_type_is_typo(doc):
        yield Issue(
            "modelServer.API.type",
            "api-type-typo",
            "warning",
            "'openai' is not an API type; read as 'openapi' (an OpenAI-compatible "
            "server exposes an OpenAPI document)",
            Fix("set", "modelServer.API.type", "Change to openapi", "openapi"),
        )


def without_api_type_typo(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document with the ``openai`` typo read as ``openapi``."""
    if _api_type_is_typo(doc):
        doc = copy.deepcopy(doc)
        doc["modelServer"]["API"]["type"] = "openapi"
    return doc


def check_required_text(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """Required text that is empty or only whitespace; an empty description is a warning."""
    for path, role, obj in _objects(doc):
        keys = ("url", "spec") if role == "api" else REQUIRED_TEXT
        for key in keys:
            value = _text(obj, key)
            if value is not None and not value.strip():
                yield Issue(
                    join_path(path, key),
                    "required-empty",
                    "error",
                    f"{key} is required and cannot be empty",
                )
        if role != "api":
            desc = _text(obj, "description")
            if desc is not None and (not desc or desc.isspace()):
                yield Issue(
                    join_path(path, "description"),
                    "description-empty",
                    "warning",
                    "the description is empty: say in a sentence what this is for",
                )


def check_empty_optional(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """An optional text field given as an empty string counts as absent."""
    for path, role, obj in _objects(doc):
        for key in OPTIONAL_TEXT[role]:
            value = _text(obj, key)
            # isspace, not strip: no copy of a long text to learn it is not blank.
            if value is not None and (not value or value.isspace()):
                field_path = join_path(path, key)
                yield Issue(
                    field_path,
                    "empty-optional",
                    "warning",
                    f"{key} is empty and is left out",
                    Fix("remove", field_path, f"Remove the empty {key}"),
                )


def check_names(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """Names must be valid Backstage entity names once whitespace is removed."""
    for path, role, obj in _objects(doc):
        name = _text(obj, "name")
        if role == "api" or name is None or not name.strip():
            continue
        normalised = entity_name(name)
        if normalised == name and is_valid_entity_name(name):
            continue  # the usual case
        field_path = join_path(path, "name")
        if not is_valid_entity_name(normalised):
            fixed = slug(name)
            yield Issue(
                field_path,
                "invalid-name",
                "error",
                f"'{_short(name)}' is not a valid Backstage name ({ENTITY_NAME_RULE})",
                Fix("set", field_path, f"Rename to {fixed}", fixed),
            )
        elif normalised != name:
            fixed = slug(name)
            yield Issue(
                field_path,
                "name-whitespace",
                "warning",
                f"whitespace is removed from names: the entity will be '{normalised}'",
                Fix("set", field_path, f"Rename to {fixed}", fixed),
            )


def check_duplicate_models(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """Model names must be unique after normalisation (a duplicate is renamed ``-2``...)."""
    models = doc.get("models")
    if not isinstance(models, list):
        return
    names = [
        entity_name(m["name"]) if isinstance(m, dict) and isinstance(m.get("name"), str) else None
        for m in models
    ]
    taken = {n.lower() for n in names if n}
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        key = name.lower()
        if key in seen:
            base = name if is_valid_entity_name(name) else slug(name)
            n = 2
            while f"{base}-{n}".lower() in taken:
                n += 1
            new = f"{base}-{n}"
            taken.add(new.lower())
            yield Issue(
                f"models.{i}.name",
                "duplicate-name",
                "error",
                f"model '{name}' is already used by model {seen[key] + 1}: names must be unique",
                Fix("set", f"models.{i}.name", f"Rename to {new}", new),
            )
        else:
            seen[key] = i


def check_owners(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """Owners become ``user:<owner>`` unless written as a user or group reference."""
    for path, role, obj in _objects(doc):
        owner = _text(obj, "owner")
        if role == "api" or owner is None or not owner.strip():
            continue
        problem = _owner_problem(owner)
        if problem is not None:
            message, fixed = problem
            field_path = join_path(path, "owner")
            yield Issue(
                field_path,
                "invalid-owner",
                "error",
                message,
                Fix("set", field_path, f"Use {fixed}", fixed),
            )


def _owner_problem(owner: str) -> tuple[str, str] | None:
    """Why ``owner`` makes no valid owner reference, and a value that does; None if fine."""
    stripped = strip_whitespace(owner)
    kind = stripped.split(":", 1)[0].lower() if ":" in stripped else None
    if kind in ("user", "group"):
        if is_valid_entity_ref(stripped):
            return None
        name = stripped.split(":", 1)[1]
        fixed = f"{stripped.split(':', 1)[0]}:{slug(name.split('/')[-1])}"
        return f"'{_short(owner)}' is not a valid {kind} reference", fixed
    if is_valid_entity_name(stripped):
        return None
    return (
        f"owner '{_short(owner)}' would become 'user:{_short(stripped)}', "
        f"which is not a valid user name ({ENTITY_NAME_RULE})",
        slug(stripped),
    )


def check_lifecycles(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """Backstage's usual lifecycles are experimental, production and deprecated."""
    for path, role, obj in _objects(doc):
        value = _text(obj, "lifecycle")
        if role == "api" or value is None or not value.strip() or value in LIFECYCLES:
            continue
        field_path = join_path(path, "lifecycle")
        fix = None
        if value.strip().lower() in LIFECYCLES:
            low = value.strip().lower()
            fix = Fix("set", field_path, f"Change to {low}", low)
        yield Issue(
            field_path,
            "lifecycle-unusual",
            "warning",
            f"'{_short(value)}' is not one of {', '.join(LIFECYCLES)}; "
            "Backstage accepts it, but its plugins may not show it",
            fix,
        )


def check_urls(doc: dict[str, Any], options: ConvertOptions) -> Iterator[Issue]:
    """URL fields are absolute URLs: a scheme and a location."""
    for path, role, obj in _objects(doc):
        keys = ("url",) if role == "api" else URL_FIELDS
        for key in keys:
            value = _text(obj, key)
            if value is None or not value.strip() or is_valid_url(value.strip()):
                continue
            field_path = join_path(path, key)
            candidate = "https://" + value.strip()
            fix = None
            if "://" not in value and is_valid_url(candidate) and "." in value:
                fix = Fix("set", field_path, f"Use {_short(candidate)}", candidate)
            elif value != value.strip() and is_valid_url(value.strip()):
                fix = Fix("set", field_path, "Remove the surrounding spaces", value.strip())
            yield Issue(
                field_path,
                "invalid-url",
                "error",
                f"'{_short(value)}' is not an absolute URL (like https://host/path)",
                fix,
            )
        if role == "api":
            spec = _text(obj, "spec")
            if (
                spec
                and "\n" not in spec.strip()
                and "://" in spec
                and not is_valid_url(spec.strip())
            ):
                yield Issue(
                    join_path(path, "spec"),
                    "invalid-url",
                    "error",
                    f"'{_short(spec)}' looks like a link but is not a valid URL",
                )
            elif spec and _unfetchable(spec.strip()) and _links_definition(options):
                yield Issue(
                    join_path(path, "spec"),
                    "unfetchable-spec",
                    "warning",
                    f"Backstage fetches a linked definition over http or https only, so "
                    f"'{_short(spec.strip())}' will not be read: link it over https, or paste "
                    "the definition text",
                )


#: API specs that stand in for a definition nobody has written yet (compared trimmed,
#: lower-cased, with inner spaces removed).
PLACEHOLDER_SPECS = frozenset(
    {
        "tbd", "tbc", "tba", "todo", "fixme", "xxx", "wip", "n/a", "na", "n.a.", "none",
        "null", "nil", "nothing", "empty", "unknown", "placeholder", "comingsoon",
        "-", "--", "---", "?", "??", "???", ".", "...", "\u2026", "\u2013", "\u2014",
        "{}", "[]", '""', "''",
    }
)  # fmt: skip


def is_placeholder_spec(spec: str) -> bool:
    """A spec such as ``TBD``, ``N/A``, ``-`` or ``none``: a stand-in, not a definition."""
    return "".join(spec.split()).lower() in PLACEHOLDER_SPECS


def check_api_spec(doc: dict[str, Any], options: ConvertOptions) -> Iterator[Issue]:
    """A placeholder spec would be embedded as the API's definition, which Backstage cannot show."""
    server = doc.get("modelServer")
    api = server.get("API") if isinstance(server, dict) else None
    spec = _text(api, "spec") if isinstance(api, dict) else None
    if spec is None or not spec.strip() or options.layout != "classic":
        return  # an empty spec is an error of its own; the other layout writes no definition
    if is_placeholder_spec(spec):
        yield Issue(
            "modelServer.API.spec",
            "placeholder-spec",
            "warning",
            f"'{_short(spec.strip())}' is a placeholder, not an API definition: it would "
            "become the API entity's definition, which Backstage's API page cannot render; "
            "link the real definition (e.g. https://host/openapi.json) or paste its text",
        )


def _unfetchable(spec: str) -> bool:
    """A URL Backstage's URL readers cannot fetch (they read http and https)."""
    return is_valid_url(spec) and spec.split(":", 1)[0].lower() not in ("http", "https")


def _links_definition(options: ConvertOptions) -> bool:
    """Whether the API entity's definition will be ``{$text: <spec>}``."""
    return options.layout == "classic" and options.api_definition == "ref"


def check_tags(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """Tags are normalised (no whitespace, lower case); invalid ones are left out."""
    for path, _role, obj in _objects(doc):
        tags = obj.get("tags")
        if not isinstance(tags, list):
            continue
        seen: set[str] = set()
        for i, tag in enumerate(tags):
            if not isinstance(tag, str):
                continue
            if tag in seen or normal_tag(tag) != tag:
                norm = strip_whitespace(tag).lower()
            else:  # the usual case: a valid, normalised tag seen for the first time
                seen.add(tag)
                continue
            tag_path = join_path(path, "tags", i)
            # The one tag fix (rules.tag_slug, as the importers use): 'Bad Tag' -> 'bad-tag'.
            fixed = tag_slug(tag)
            fix = (
                Fix("set", tag_path, f"Use {fixed}", fixed)
                if fixed and fixed not in seen
                else Fix("remove", tag_path, f"Remove '{_short(tag)}'")
            )
            if not is_valid_tag(norm):
                yield Issue(
                    tag_path,
                    "invalid-tag",
                    "warning",
                    f"tag '{_short(tag)}' is left out: not a valid Backstage tag ({TAG_RULE})",
                    fix,
                )
                continue
            if norm in seen:
                yield Issue(
                    tag_path,
                    "duplicate-tag",
                    "warning",
                    f"tag '{_short(tag)}' appears twice; the copy is left out",
                    Fix("remove", tag_path, f"Remove the second '{_short(tag)}'"),
                )
                continue
            seen.add(norm)
            if norm != tag:
                yield Issue(
                    tag_path,
                    "tag-case",
                    "warning",
                    f"tag '{_short(tag)}' is written as '{norm}' (tags are lower case)",
                    fix,
                )


def check_annotations(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """Annotation keys follow Backstage's rule; the ``TechDocs`` key is checked."""
    for path, role, obj in _objects(doc):
        annotations = obj.get("annotations")
        if not isinstance(annotations, dict):
            continue
        field_path = join_path(path, "annotations")
        techdocs_used: str | None = None  # the conversion uses the first non-blank one
        for key, value in annotations.items():
            if role == "model" and is_techdocs_key(key):
                if isinstance(value, str) and not value.strip():
                    yield Issue(
                        field_path,
                        "techdocs-empty",
                        "warning",
                        f"annotation '{key}' is empty and is left out",
                        Fix("set", field_path, f"Remove '{key}'", without(annotations, key)),
                    )
                elif TECHDOCS_REF in annotations:
                    yield Issue(
                        field_path,
                        "techdocs-conflict",
                        "warning",
                        f"both '{key}' and '{TECHDOCS_REF}' are given: '{TECHDOCS_REF}' is used",
                        Fix("set", field_path, f"Remove '{key}'", without(annotations, key)),
                    )
                elif techdocs_used is not None:
                    yield Issue(
                        field_path,
                        "techdocs-conflict",
                        "warning",
                        f"both '{techdocs_used}' and '{key}' are given: '{techdocs_used}' is used",
                        Fix("set", field_path, f"Remove '{key}'", without(annotations, key)),
                    )
                else:
                    techdocs_used = key
                continue
            if not is_valid_annotation_key(key):
                fixed_key = _annotation_key_fix(key)
                fix = None
                if fixed_key and fixed_key not in annotations:
                    renamed = {(fixed_key if k == key else k): v for k, v in annotations.items()}
                    fix = Fix("set", field_path, f"Rename key to {fixed_key}", renamed)
                yield Issue(
                    field_path,
                    "invalid-annotation-key",
                    "error",
                    f"annotation key '{_short(key)}' is not valid: use 'name' or "
                    "'prefix/name' (prefix a DNS name like example.com, name "
                    "letters, digits, '-', '_', '.')",
                    fix,
                )


def without(annotations: dict[str, Any], key: str) -> dict[str, Any]:
    """``annotations`` without ``key`` (a fix's new value)."""
    return {k: v for k, v in annotations.items() if k != key}


def _annotation_key_fix(key: str) -> str | None:
    if "/" in key:
        prefix, _, name = key.rpartition("/")
        prefix = ".".join(
            p
            for p in (
                tag_slug(x).replace(":", "").replace("+", "").replace("#", "")
                for x in prefix.split(".")
            )
            if p
        )
        fixed = f"{prefix}/{slug(name)}" if prefix else slug(name)
    else:
        fixed = slug(key)
    return fixed if is_valid_annotation_key(fixed) else None


def check_licenses(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """A licence is a URL or an SPDX id; anything else gets no link."""
    for path, role, obj in _objects(doc):
        value = _text(obj, "license")
        if role != "model" or value is None or not value.strip():
            continue
        text = value.strip()
        if is_valid_url(text) or canonical_spdx(text):
            continue
        field_path = join_path(path, "license")
        suggestion = suggest_spdx(text)
        fix = Fix("set", field_path, f"Use {suggestion}", suggestion) if suggestion else None
        yield Issue(
            field_path,
            "license-unknown",
            "warning",
            f"'{_short(text)}' is neither a URL nor an SPDX licence id: no licence "
            "link is made (the text goes to the TechDocs licence page)",
            fix,
        )


def check_layout(doc: dict[str, Any], options: ConvertOptions) -> Iterator[Issue]:
    """The ai-model-server layout needs a server with an API, and cannot carry model detail."""
    if options.layout != "ai-model-server":
        return
    server = doc.get("modelServer")
    if not isinstance(server, dict):
        yield Issue(
            "modelServer",
            "layout",
            "error",
            "the ai-model-server layout needs a model server: add one, or choose "
            "the classic layout",
        )
        return
    if not isinstance(server.get("API"), dict):
        yield Issue(
            "modelServer.API",
            "layout",
            "error",
            "the ai-model-server layout needs the server's API (its URL is the "
            "serverUrl): add it, or choose the classic layout",
        )
    yield from _default_model(doc, server)
    yield from _override_annotations(server)
    lost = ("tags", "license", "howToUseURL", "owner", "lifecycle", "description")
    for path, role, obj in _objects(doc):
        if role != "model":
            continue
        carried = [k for k in lost if obj.get(k)]
        if carried:
            yield Issue(
                path,
                "layout-drops",
                "warning",
                "the ai-model-server layout keeps only this model's name and artifact "
                f"link; its {', '.join(carried)} go to the TechDocs bundle only",
            )


def _override_annotations(server: dict[str, Any]) -> Iterator[Issue]:
    """``rhdh.io/owner`` and ``rhdh.io/system`` become ``spec.owner`` and ``spec.system``."""
    annotations = server.get("annotations")
    if not isinstance(annotations, dict):
        return
    path = "modelServer.annotations"
    owner, system = annotations.get("rhdh.io/owner"), annotations.get("rhdh.io/system")
    problem = _owner_problem(owner) if isinstance(owner, str) and owner.strip() else None
    if problem is not None:
        message, fixed = problem
        yield Issue(
            path,
            "invalid-owner",
            "error",
            f"annotation 'rhdh.io/owner' (the owner in this layout): {message}",
            Fix("set", path, f"Use {fixed}", {**annotations, "rhdh.io/owner": fixed}),
        )
    if isinstance(system, str) and system.strip() and not is_valid_entity_ref(system.strip()):
        fixed = slug(system.strip().split(":")[-1].split("/")[-1])
        yield Issue(
            path,
            "invalid-system",
            "error",
            f"annotation 'rhdh.io/system' is '{_short(system)}', which is not a valid system "
            f"reference: write [system:][namespace/]name ({ENTITY_NAME_RULE})",
            Fix("set", path, f"Use {fixed}", {**annotations, "rhdh.io/system": fixed}),
        )


def _default_model(doc: dict[str, Any], server: dict[str, Any]) -> Iterator[Issue]:
    """``rhdh.io/default`` becomes ``spec.models.default``: it must name one of the models."""
    annotations = server.get("annotations")
    default = annotations.get("rhdh.io/default") if isinstance(annotations, dict) else None
    models = doc.get("models")
    names = [
        entity_name(m["name"])
        for m in (models if isinstance(models, list) else [])
        if isinstance(m, dict) and isinstance(m.get("name"), str)
    ]
    if not isinstance(default, str) or not default.strip() or not names:
        return
    if entity_name(default) not in names:
        assert isinstance(annotations, dict)
        yield Issue(
            "modelServer.annotations",
            "default-model",
            "error",
            f"annotation 'rhdh.io/default' names '{_short(default)}', which is not a model of "
            "this catalog: name one of its models, or remove it to default to the first",
            Fix(
                "set",
                "modelServer.annotations",
                "Remove 'rhdh.io/default'",
                without(annotations, "rhdh.io/default"),
            ),
        )


def _short(value: str, limit: int = 60) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"
