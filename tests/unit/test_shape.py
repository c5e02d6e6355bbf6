"""The quick shape check (pydantic-core alone) and the pydantic models agree exactly:
same fields, same errors for any input, and the same catalog when the input is good."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from core_helpers import EXAMPLE_IDS, example, minimal_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from catalog import schema, shape
from catalog.validate import validate

PAIRS: list[tuple[type[BaseModel], type[Any]]] = [
    (schema.ModelServerAPI, shape.ModelServerAPI),
    (schema.ModelServer, shape.ModelServer),
    (schema.Model, shape.Model),
    (schema.ModelCatalog, shape.ModelCatalog),
]


def _fields(core: Any, cls: type[Any]) -> dict[str, Any]:
    """The model-fields schema of ``cls`` inside the shape's core schema."""
    if isinstance(core, dict):
        if core.get("type") == "model" and core.get("cls") is cls:
            fields: dict[str, Any] = core["schema"]["fields"]
            return fields
        for value in core.values():
            found = _fields(value, cls)
            if found:
                return found
    elif isinstance(core, list):
        for value in core:
            found = _fields(value, cls)
            if found:
                return found
    return {}


@pytest.mark.parametrize(("model", "plain"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_every_model_has_the_same_fields_in_the_same_order(
    model: type[BaseModel], plain: type[Any]
) -> None:
    fields = _fields(shape.core_schema(), plain)
    assert list(fields) == list(model.model_fields)
    assert list(plain.__annotations__) == list(model.model_fields)
    for name, info in model.model_fields.items():
        required = fields[name]["schema"]["type"] != "default"
        assert required == info.is_required(), name


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [{k: v for k, v in err.items() if k != "url"} for err in exc.errors(include_url=False)]


def assert_same_outcome(document: Any) -> None:
    try:
        expected = schema.ModelCatalog.model_validate(document)
    except ValidationError as exc:
        with pytest.raises(ValidationError) as caught:
            shape.validate_shape(document)
        assert _errors(caught.value) == _errors(exc)
        return
    built = shape.to_model(shape.validate_shape(document))
    assert built == expected
    assert built.model_dump(exclude_unset=True) == expected.model_dump(exclude_unset=True)
    assert built.model_dump(mode="json", exclude_none=True) == expected.to_document()
    assert built.model_fields_set == expected.model_fields_set
    if expected.modelServer is not None:
        assert built.modelServer is not None
        assert built.modelServer.model_fields_set == expected.modelServer.model_fields_set


FIELD_NAMES = sorted(
    {name for model, _ in PAIRS for name in model.model_fields} | {"extra", "Name", ""}
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, width=16),
    st.sampled_from(["", "x", "openapi", "grpc", "openai", "https://x.io"]),
    st.text(max_size=5),
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=6),
    ),
    max_leaves=30,
)


@st.composite
def near_catalogs(draw: st.DrawFn) -> Any:
    """A good catalog with a few fields replaced, removed or added, anywhere in it."""
    document: Any = copy.deepcopy(minimal_catalog())
    for _ in range(draw(st.integers(0, 4))):
        node = document
        path = draw(st.lists(st.sampled_from([*FIELD_NAMES, "0", "1"]), min_size=0, max_size=3))
        for part in path:
            if isinstance(node, dict) and part in node and isinstance(node[part], dict | list):
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
        if isinstance(node, dict):
            key = draw(st.sampled_from(sorted(node) + FIELD_NAMES))
            if draw(st.booleans()):
                node.pop(key, None)
            else:
                node[key] = draw(ANY_JSON)
        elif isinstance(node, list) and node:
            node[draw(st.integers(0, len(node) - 1))] = draw(ANY_JSON)
    return document


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_catalogs())
def test_same_errors_or_same_catalog_for_near_catalogs(document: Any) -> None:
    assert_same_outcome(document)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_JSON)
def test_same_errors_for_anything_at_all(document: Any) -> None:
    assert_same_outcome(document)


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_the_examples_give_the_same_catalog(name: str) -> None:
    assert_same_outcome(example(name))


def test_the_report_gives_the_pydantic_catalog_on_demand() -> None:
    document = minimal_catalog()
    report = validate(document)
    assert report.checked is not None and not isinstance(report.checked, BaseModel)
    catalog = report.catalog
    assert isinstance(catalog, schema.ModelCatalog)
    assert catalog == schema.ModelCatalog.model_validate(document)
    assert report.catalog is catalog  # built once


def test_the_report_catalog_does_not_follow_later_edits_of_the_document() -> None:
    document = minimal_catalog()
    report = validate(document)
    document["models"][0]["name"] = "renamed"
    document["models"][0]["tags"].append("later")
    assert report.catalog is not None
    assert report.catalog.models[0].name == "granite-8b"
    assert "later" not in (report.catalog.models[0].tags or [])


def test_a_catalog_with_the_wrong_shape_has_no_catalog() -> None:
    report = validate({"models": [{"name": 3}]})
    assert report.checked is None and report.catalog is None


def _with(path: list[Any], value: Any) -> dict[str, Any]:
    document = minimal_catalog()
    node: Any = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["modelServer", "authentication"], 1),
        (["modelServer", "authentication"], "true"),
        (["modelServer", "authentication"], "yes"),
        (["modelServer", "authentication"], 0.0),
        (["modelServer", "name"], 7),
        (["modelServer", "API", "type"], "openai"),
        (["modelServer", "API", "type"], "OpenAPI"),
        (["modelServer", "API"], []),
        (["models", 0, "tags"], "granite"),
        (["models", 0, "tags"], [1, None]),
        (["models", 0, "annotations"], {"a": 1}),
        (["models", 0, "annotations"], [["a", "b"]]),
        (["models", 0, "license"], None),
        (["models"], {}),
        (["models", 1], "granite"),
        (["modelServer", "homepageURL"], b"https://x.io"),
    ],
)
def test_same_outcome_for_each_kind_of_wrong_value(path: list[Any], value: Any) -> None:
    assert_same_outcome(_with(path, value))
