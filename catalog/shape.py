"""The catalog's shape checked by pydantic-core alone, for a quick command line.

:mod:`catalog.schema` is the catalog as pydantic models: the form renderer walks them and
the app works with them.  Building those models costs more than all the rest of a
``validate`` run (importing ``pydantic.BaseModel`` alone doubles the cost of ``import
pydantic``).  This module states the same fields, in the same order, with the same
rules (strict types, no unknown fields) straight to pydantic-core's validator, which
reports the same errors, and validates into small plain objects that
:mod:`catalog.convert` reads like the models.  A unit test holds the two to each other,
field by field and error by error.  :func:`to_model` turns a result into the pydantic
models when the app (or the TechDocs bundle) needs them.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic_core import SchemaValidator
from pydantic_core import core_schema as cs

if TYPE_CHECKING:
    from catalog import schema

API_TYPES = ("openapi", "asyncapi", "graphql", "grpc")


class _Plain:
    """A validated object: its fields are attributes, as on a pydantic model."""

    # What pydantic-core sets on the objects it validates into.
    __slots__ = (
        "__dict__",
        "__pydantic_extra__",
        "__pydantic_fields_set__",
        "__pydantic_private__",
    )
    __pydantic_fields_set__: set[str]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({vars(self)!r})"


class ModelServerAPI(_Plain):
    """The API exposed by a model server (see :class:`catalog.schema.ModelServerAPI`)."""

    url: str
    type: str
    spec: str
    tags: list[str] | None
    annotations: dict[str, str] | None


class ModelServer(_Plain):
    """A model server (see :class:`catalog.schema.ModelServer`)."""

    name: str
    owner: str
    lifecycle: str
    description: str
    API: ModelServerAPI | None
    authentication: bool | None
    homepageURL: str | None
    tags: list[str] | None
    usage: str | None
    annotations: dict[str, str] | None


class Model(_Plain):
    """A model (see :class:`catalog.schema.Model`)."""

    name: str
    owner: str
    lifecycle: str
    description: str
    artifactLocationURL: str | None
    ethics: str | None
    license: str | None
    howToUseURL: str | None
    support: str | None
    tags: list[str] | None
    training: str | None
    usage: str | None
    annotations: dict[str, str] | None


class ModelCatalog(_Plain):
    """A model catalog (see :class:`catalog.schema.ModelCatalog`)."""

    modelServer: ModelServer | None
    models: list[Model]


def _text() -> cs.CoreSchema:
    return cs.str_schema()


def _tags() -> cs.CoreSchema:
    return cs.list_schema(cs.str_schema())


def _map() -> cs.CoreSchema:
    return cs.dict_schema(cs.str_schema(), cs.str_schema())


def _flag() -> cs.CoreSchema:
    return cs.bool_schema()


def _optional(schema: cs.CoreSchema) -> cs.ModelField:
    return cs.model_field(cs.with_default_schema(cs.nullable_schema(schema), default=None))


def _required(schema: cs.CoreSchema) -> cs.ModelField:
    return cs.model_field(schema)


def _model(cls: type[_Plain], fields: dict[str, cs.ModelField]) -> cs.ModelSchema:
    config = cs.CoreConfig(title=cls.__name__, strict=True, extra_fields_behavior="forbid")
    return cs.model_schema(
        cls, cs.model_fields_schema(fields, model_name=cls.__name__), config=config
    )


def core_schema() -> cs.CoreSchema:
    """The catalog's shape: the fields of ``catalog.schema``, in the same order."""
    api = _model(
        ModelServerAPI,
        {
            "url": _required(_text()),
            "type": _required(cs.literal_schema(list(API_TYPES))),
            "spec": _required(_text()),
            "tags": _optional(_tags()),
            "annotations": _optional(_map()),
        },
    )
    server = _model(
        ModelServer,
        {
            "name": _required(_text()),
            "owner": _required(_text()),
            "lifecycle": _required(_text()),
            "description": _required(_text()),
            "API": _optional(api),
            "authentication": _optional(_flag()),
            "homepageURL": _optional(_text()),
            "tags": _optional(_tags()),
            "usage": _optional(_text()),
            "annotations": _optional(_map()),
        },
    )
    model = _model(
        Model,
        {
            "name": _required(_text()),
            "owner": _required(_text()),
            "lifecycle": _required(_text()),
            "description": _required(_text()),
            "artifactLocationURL": _optional(_text()),
            "ethics": _optional(_text()),
            "license": _optional(_text()),
            "howToUseURL": _optional(_text()),
            "support": _optional(_text()),
            "tags": _optional(_tags()),
            "training": _optional(_text()),
            "usage": _optional(_text()),
            "annotations": _optional(_map()),
        },
    )
    return _model(
        ModelCatalog,
        {"modelServer": _optional(server), "models": _required(cs.list_schema(model))},
    )


@cache
def _validator() -> SchemaValidator:
    return SchemaValidator(core_schema())


def validate_shape(document: Any) -> ModelCatalog:
    """Validate plain data; raise pydantic-core's ``ValidationError`` as the models would."""
    result: ModelCatalog = _validator().validate_python(document)
    return result


def to_model(catalog: ModelCatalog) -> schema.ModelCatalog:
    """The same catalog as :mod:`catalog.schema` models (no second validation)."""
    from catalog import schema

    def build(cls: type[Any], obj: _Plain, **parts: Any) -> Any:
        values = {**vars(obj), **parts}
        return cls.model_construct(_fields_set=set(obj.__pydantic_fields_set__), **values)

    server = catalog.modelServer
    built_server = None
    if server is not None:
        api = None if server.API is None else build(schema.ModelServerAPI, server.API)
        built_server = build(schema.ModelServer, server, API=api)
    models = [build(schema.Model, m) for m in catalog.models]
    result: schema.ModelCatalog = build(
        schema.ModelCatalog, catalog, modelServer=built_server, models=models
    )
    return result
