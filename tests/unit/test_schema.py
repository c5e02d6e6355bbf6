"""The pydantic models mirror ``model-catalog.schema.json`` field for field, and carry UI hints.

The JSON Schema is read here and compared with ``model_fields`` / ``model_json_schema()``,
so the models and the schema cannot drift apart unnoticed.
"""

from __future__ import annotations

import json
import typing
from typing import Any

import jsonschema
import pytest
from core_helpers import EXAMPLE_IDS, MODEL_CATALOG_SCHEMA, example
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from catalog.schema import API_TYPES, Model, ModelCatalog, ModelServer, ModelServerAPI

SCHEMA: dict[str, Any] = json.loads(MODEL_CATALOG_SCHEMA.read_text("utf-8"))
DEFS = {
    "ModelCatalog": SCHEMA,
    "ModelServer": SCHEMA["$defs"]["modelServer"],
    "ModelServerAPI": SCHEMA["$defs"]["modelServer"]["$defs"]["modelServerAPI"],
    "Model": SCHEMA["$defs"]["model"],
}
#: The JSON Schema's definition names for our classes.
DEF_NAMES = {"ModelServer": "modelServer", "ModelServerAPI": "modelServerAPI", "Model": "model"}
MODELS: list[type[BaseModel]] = [ModelCatalog, ModelServer, ModelServerAPI, Model]
MODEL_IDS = [m.__name__ for m in MODELS]
UI_KINDS = {"text", "longtext", "url", "tags", "keyvalue", "enum", "bool"}


def _reference_shape(prop: dict[str, Any]) -> Any:
    """A comparable description of a JSON Schema property's type."""
    if "$ref" in prop:
        return ("object", prop["$ref"].rsplit("/", 1)[-1])
    if "enum" in prop:
        return ("enum", prop["type"], tuple(prop["enum"]))
    if prop["type"] == "array":
        return ("array", _reference_shape(prop["items"]))
    if prop["type"] == "object":
        return ("map", prop["additionalProperties"]["type"])
    return prop["type"]


def _pydantic_shape(prop: dict[str, Any]) -> Any:
    """The same description for a property of ``model_json_schema()``."""
    if "anyOf" in prop:  # an optional field: X or null
        options = [p for p in prop["anyOf"] if p != {"type": "null"}]
        assert len(options) == 1, prop
        return _pydantic_shape(options[0])
    if "$ref" in prop:
        return ("object", DEF_NAMES[prop["$ref"].rsplit("/", 1)[-1]])
    if "enum" in prop:
        return ("enum", prop["type"], tuple(prop["enum"]))
    if prop["type"] == "array":
        return ("array", _pydantic_shape(prop["items"]))
    if prop["type"] == "object":
        return ("map", prop["additionalProperties"]["type"])
    return prop["type"]


def _required(definition: dict[str, Any]) -> set[str]:
    """Required keys; the top level's ``anyOf`` (with its misspelt ``modelSever``) means
    that only what every branch requires is required."""
    if "anyOf" in definition:
        return set.intersection(*(set(branch["required"]) for branch in definition["anyOf"]))
    return set(definition.get("required", []))


def _pydantic_schema(model: type[BaseModel]) -> dict[str, Any]:
    full = ModelCatalog.model_json_schema()
    if model is ModelCatalog:
        return full
    schema: dict[str, Any] = full["$defs"][model.__name__]
    return schema


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_property_names_match_the_json_schema(model: type[BaseModel]) -> None:
    assert set(model.model_fields) == set(DEFS[model.__name__]["properties"])


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_required_fields_match_the_json_schema(model: type[BaseModel]) -> None:
    required = {name for name, info in model.model_fields.items() if info.is_required()}
    assert required == _required(DEFS[model.__name__])
    assert set(_pydantic_schema(model).get("required", [])) == required


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_types_match_the_json_schema(model: type[BaseModel]) -> None:
    reference = {k: _reference_shape(v) for k, v in DEFS[model.__name__]["properties"].items()}
    ours = {k: _pydantic_shape(v) for k, v in _pydantic_schema(model)["properties"].items()}
    assert ours == reference


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_descriptions_match_the_json_schema(model: type[BaseModel]) -> None:
    reference = {k: v["description"] for k, v in DEFS[model.__name__]["properties"].items()}
    ours = {name: info.description for name, info in model.model_fields.items()}
    assert ours == reference


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_unknown_keys_are_forbidden_as_in_the_json_schema(model: type[BaseModel]) -> None:
    assert DEFS[model.__name__]["additionalProperties"] is False
    assert model.model_config.get("extra") == "forbid"
    assert _pydantic_schema(model)["additionalProperties"] is False


@pytest.mark.parametrize("model", [ModelServer, ModelServerAPI, Model], ids=str)
def test_titles_match_the_json_schema(model: type[BaseModel]) -> None:
    assert model.model_config.get("title") == DEFS[model.__name__]["title"]


def test_api_type_enum_matches_the_json_schema() -> None:
    reference = DEFS["ModelServerAPI"]["properties"]["type"]["enum"]
    annotation = ModelServerAPI.model_fields["type"].annotation
    assert list(typing.get_args(annotation)) == reference
    assert list(API_TYPES) == reference


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_reference_examples_validate_and_dump_back_unchanged(name: str) -> None:
    document = example(name)
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    catalog = ModelCatalog.model_validate(document)
    assert catalog.to_document() == document


# --- UI hints --------------------------------------------------------------------------


def _is_model_or_list_of_models(annotation: Any) -> bool:
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    for arg in args:
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return True
        if typing.get_origin(arg) is list:
            (item,) = typing.get_args(arg)
            return isinstance(item, type) and issubclass(item, BaseModel)
    return False


def _ui(model: type[BaseModel], name: str) -> str | None:
    extra = model.model_fields[name].json_schema_extra
    hint = extra.get("ui") if isinstance(extra, dict) else None
    return str(hint) if hint is not None else None


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_every_field_has_a_ui_hint_or_is_a_nested_model(model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        hint = _ui(model, name)
        if hint is None:
            assert _is_model_or_list_of_models(info.annotation), f"{model.__name__}.{name}"
        else:
            assert hint in UI_KINDS, f"{model.__name__}.{name}: unknown widget {hint!r}"


@pytest.mark.parametrize(
    ("model", "name", "hint"),
    [
        (ModelServer, "homepageURL", "url"),
        (ModelServerAPI, "url", "url"),
        (Model, "artifactLocationURL", "url"),
        (Model, "howToUseURL", "url"),
        (ModelServerAPI, "type", "enum"),
        (ModelServer, "authentication", "bool"),
        (ModelServer, "tags", "tags"),
        (ModelServerAPI, "tags", "tags"),
        (Model, "tags", "tags"),
        (ModelServer, "annotations", "keyvalue"),
        (ModelServerAPI, "annotations", "keyvalue"),
        (Model, "annotations", "keyvalue"),
        (Model, "usage", "longtext"),
        (ModelServer, "description", "longtext"),
        (Model, "name", "text"),
    ],
)
def test_fields_get_the_widget_their_content_needs(
    model: type[BaseModel], name: str, hint: str
) -> None:
    assert _ui(model, name) == hint


# --- the models accept and refuse what the JSON Schema does ----------------------------

FIELD_VALUES = st.one_of(
    st.text(max_size=5),
    st.booleans(),
    st.integers(),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.lists(st.integers(), min_size=1, max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), min_size=1, max_size=2),
    st.sampled_from(["openapi", "grpc", "openai"]),
)
PLACES = [
    ("modelServer",),
    ("modelServer", "API"),
    ("models", 0),
]


def _keys(node: dict[str, Any] | list[Any]) -> Any:
    return node.keys() if isinstance(node, dict) else range(len(node))


@st.composite
def _mutated(draw: st.DrawFn) -> dict[str, Any]:
    document = example(draw(st.sampled_from(EXAMPLE_IDS)))
    for _ in range(draw(st.integers(1, 3))):
        place = draw(st.sampled_from(PLACES))
        node: Any = document
        for part in place:
            node = node[part] if isinstance(node, dict | list) and part in _keys(node) else None
        if not isinstance(node, dict):  # an earlier change replaced or removed it
            continue
        key = draw(
            st.sampled_from(
                [*(node.keys()), "type", "tags", "annotations", "authentication", "bogus"]
            )
        )
        if draw(st.booleans()) and key in node:
            del node[key]
        else:
            node[key] = draw(FIELD_VALUES)
    return document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_the_models_accept_exactly_what_the_json_schema_accepts(document: dict[str, Any]) -> None:
    by_schema = jsonschema.Draft202012Validator(SCHEMA).is_valid(document)
    try:
        ModelCatalog.model_validate(document)
        by_models = True
    except ValidationError:
        by_models = False
    assert by_models == by_schema


@pytest.mark.parametrize(
    "document",
    [
        {"models": [], "extra": 1},
        {"models": "granite"},
        {"modelServer": {"name": "s"}},
        {"models": [{"name": "m", "owner": "o", "lifecycle": "p", "description": 3}]},
        {"models": [{"name": "m", "owner": "o", "lifecycle": "p", "description": "d", "x": 1}]},
    ],
    ids=["unknown-key", "models-not-a-list", "models-missing", "number-as-text", "model-extra"],
)
def test_documents_the_json_schema_refuses_are_refused(document: dict[str, Any]) -> None:
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(document)
    with pytest.raises(ValidationError):
        ModelCatalog.model_validate(document)


def test_values_are_never_coerced() -> None:
    """Strict types: ``"true"`` is not a boolean and ``1`` is not text, as in the schema."""
    server = example("001-min-values")["modelServer"]
    with pytest.raises(ValidationError):
        ModelServer.model_validate({**server, "authentication": "true"})
    with pytest.raises(ValidationError):
        ModelServer.model_validate({**server, "name": 1})
    with pytest.raises(ValidationError):
        ModelServer.model_validate({**server, "tags": "vllm"})


def test_null_counts_as_absent_and_is_never_written() -> None:
    """Deliberately more lenient than the schema: ``null`` reads as a missing optional field,
    and ``to_document`` leaves absent fields out, so what we write always passes the schema."""
    document = example("001-min-values")
    document["modelServer"]["homepageURL"] = None
    catalog = ModelCatalog.model_validate(document)
    written = catalog.to_document()
    assert "homepageURL" not in written["modelServer"]
    jsonschema.Draft202012Validator(SCHEMA).validate(written)
