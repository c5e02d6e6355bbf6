"""The model catalog as pydantic models, mirroring ``model-catalog.schema.json``.

Field names, required fields, types and the API type enum follow the JSON Schema field
for field (a unit test compares the two), and the schema's descriptions are the field
descriptions.  ``json_schema_extra`` carries the one UI hint a form renderer needs,
under the key ``ui``:

========== ==============================================
``text``    one-line text (the default for ``str``)
``longtext`` multi-line text (description, usage, ...)
``url``     an absolute URL
``tags``    a list of short strings
``keyvalue`` a string-to-string map (annotations)
========== ==============================================

Enum, bool, nested model and list-of-models fields are recognised by their type.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_TYPES: tuple[str, ...] = ("openapi", "asyncapi", "graphql", "grpc")
ApiType = Literal["openapi", "asyncapi", "graphql", "grpc"]

_CONFIG = ConfigDict(extra="forbid", strict=True, populate_by_name=True)


def _ui(kind: str, **more: Any) -> dict[str, Any]:
    return {"ui": kind, **more}


class ModelServerAPI(BaseModel):
    """The API exposed by a model server."""

    model_config = ConfigDict(**_CONFIG, title="Model Server API", json_schema_extra=_ui("section"))

    url: str = Field(
        description=(
            "The URL that the model server's REST API is exposed over, "
            "how the model(s) are interacted with"
        ),
        json_schema_extra=_ui("url", placeholder="https://api.example.com"),
    )
    type: ApiType = Field(
        description="The type of API that the model server exposes",
        json_schema_extra=_ui("enum"),
    )
    spec: str = Field(
        description="A link to the schema used by the model server API",
        json_schema_extra=_ui(
            "longtext",
            placeholder="https://example.com/openapi.json, or paste the document",
        ),
    )
    tags: list[str] | None = Field(
        default=None,
        description="Descriptive tags for the model server's API",
        json_schema_extra=_ui("tags"),
    )
    annotations: dict[str, str] | None = Field(
        default=None,
        description="Annotations relating to the model, in key-value pair format",
        json_schema_extra=_ui("keyvalue"),
    )


class ModelServer(BaseModel):
    """A deployed model server running one or more models, exposed over an API."""

    model_config = ConfigDict(**_CONFIG, title="Model Server")

    name: str = Field(
        description="The name of the model server",
        json_schema_extra=_ui("text", placeholder="developer-model-service"),
    )
    owner: str = Field(
        description="The Backstage user that will be responsible for the model server",
        json_schema_extra=_ui("text", placeholder="user:jdoe or group:ai-platform"),
    )
    lifecycle: str = Field(
        description="The lifecycle state of the model server API",
        json_schema_extra=_ui(
            "text",
            placeholder="production",
            suggestions=["experimental", "production", "deprecated"],
        ),
    )
    description: str = Field(
        description="A description of the model server and what it's for",
        json_schema_extra=_ui("longtext"),
    )
    API: ModelServerAPI | None = Field(
        default=None,
        description="The API metadata associated with the model server",
    )
    authentication: bool | None = Field(
        default=None,
        description="Whether or not the model server requires authentication to access",
        json_schema_extra=_ui("bool"),
    )
    homepageURL: str | None = Field(
        default=None,
        description="The URL for the model server's homepage, if present",
        json_schema_extra=_ui("url"),
    )
    tags: list[str] | None = Field(
        default=None,
        description="Descriptive tags for the model server",
        json_schema_extra=_ui("tags"),
    )
    usage: str | None = Field(
        default=None,
        description="How to use and interact with the model server",
        json_schema_extra=_ui("longtext"),
    )
    annotations: dict[str, str] | None = Field(
        default=None,
        description="Annotations relating to the model server, in key-value pair format",
        json_schema_extra=_ui("keyvalue"),
    )


class Model(BaseModel):
    """An AI model to be imported into the Backstage catalog."""

    model_config = ConfigDict(**_CONFIG, title="Model")

    name: str = Field(
        description="The name of the model",
        json_schema_extra=_ui("text", placeholder="granite-3.1-8b-instruct"),
    )
    owner: str = Field(
        description="The Backstage user that will be responsible for the model",
        json_schema_extra=_ui("text", placeholder="user:jdoe or group:ai-platform"),
    )
    lifecycle: str = Field(
        description="The lifecycle state of the model server API",
        json_schema_extra=_ui(
            "text",
            placeholder="production",
            suggestions=["experimental", "production", "deprecated"],
        ),
    )
    description: str = Field(
        description="A description of the model and what it's for",
        json_schema_extra=_ui("longtext"),
    )
    artifactLocationURL: str | None = Field(
        default=None,
        description=(
            "A URL to access the model's artifacts, e.g. on HuggingFace, Minio, Github, etc"
        ),
        json_schema_extra=_ui("url"),
    )
    ethics: str | None = Field(
        default=None,
        description="Any ethical considerations for the model",
        json_schema_extra=_ui("longtext"),
    )
    license: str | None = Field(
        default=None,
        description="The license used by the model (e.g. Apache-2).",
        json_schema_extra=_ui("text", placeholder="Apache-2.0, or a URL"),
    )
    howToUseURL: str | None = Field(
        default=None,
        description=(
            "The URL pointing to any specific documentation on how to use the model "
            "on the model server"
        ),
        json_schema_extra=_ui("url"),
    )
    support: str | None = Field(
        default=None,
        description="Support information for the model / where to open issues",
        json_schema_extra=_ui("longtext"),
    )
    tags: list[str] | None = Field(
        default=None,
        description="Descriptive tags for the model",
        json_schema_extra=_ui("tags"),
    )
    training: str | None = Field(
        default=None,
        description="Information on how the model was trained",
        json_schema_extra=_ui("longtext"),
    )
    usage: str | None = Field(
        default=None,
        description="How to use and interact with the model",
        json_schema_extra=_ui("longtext"),
    )
    annotations: dict[str, str] | None = Field(
        default=None,
        description="Annotations relating to the model, in key-value pair format",
        json_schema_extra=_ui("keyvalue"),
    )


class ModelCatalog(BaseModel):
    """A model catalog: an optional model server and any number of models."""

    model_config = ConfigDict(**_CONFIG, title="Model Catalog")

    modelServer: ModelServer | None = Field(
        default=None,
        description="A deployed model server running one or more models, exposed over an API",
    )
    models: list[Model] = Field(
        description="An array of AI models to be imported into the Backstage catalog",
    )

    def to_document(self) -> dict[str, Any]:
        """Return the catalog as a plain JSON-ready dict, leaving out absent fields."""
        return self.model_dump(mode="json", exclude_none=True)
