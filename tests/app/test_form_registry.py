"""The form renderer's registry: every schema field gets a widget, or start-up fails."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, Field

import ui.form  # noqa: F401 - registers the widgets
from catalog.schema import Model, ModelCatalog, ModelServer, ModelServerAPI
from ui.form import arrange
from ui.registry import (
    WIDGETS,
    UnsupportedFieldError,
    blank,
    check_form,
    field_specs,
    make_spec,
    widget_path,
)


def kinds(model: type[BaseModel]) -> dict[str, str]:
    return {s.name: s.kind for s in field_specs(model)}


def test_every_field_of_the_catalog_has_the_widget_the_issue_asks_for() -> None:
    assert kinds(ModelCatalog) == {"modelServer": "section", "models": "models"}
    assert kinds(ModelServer) == {
        "name": "text",
        "owner": "text",
        "lifecycle": "text",
        "description": "longtext",
        "API": "section",
        "authentication": "bool",
        "homepageURL": "url",
        "tags": "tags",
        "usage": "longtext",
        "annotations": "keyvalue",
    }
    assert kinds(ModelServerAPI) == {
        "url": "url",
        "type": "enum",
        "spec": "longtext",
        "tags": "tags",
        "annotations": "keyvalue",
    }
    model = kinds(Model)
    assert {n for n, k in model.items() if k == "longtext"} == {
        "description",
        "ethics",
        "support",
        "training",
        "usage",
    }
    assert {n for n, k in model.items() if k == "url"} == {"artifactLocationURL", "howToUseURL"}


def test_specs_carry_labels_help_required_and_choices() -> None:
    api = {s.name: s for s in field_specs(ModelServerAPI)}
    assert api["type"].options == ("openapi", "asyncapi", "graphql", "grpc")
    assert api["type"].required and not api["tags"].required
    assert api["url"].label == "URL"
    assert api["url"].help == ModelServerAPI.model_fields["url"].description
    model = {s.name: s for s in field_specs(Model)}
    assert model["artifactLocationURL"].label == "Artifact location URL"
    assert model["lifecycle"].suggestions == ("experimental", "production", "deprecated")
    assert check_form(ModelCatalog) == 2 + 10 + 5 + 13


def test_a_ui_hint_overrides_the_default_widget() -> None:
    class Hinted(BaseModel):
        notes: str = Field(json_schema_extra={"ui": "longtext"})
        plain: str

    assert kinds(Hinted) == {"notes": "longtext", "plain": "text"}


class _Number(BaseModel):
    count: int


class _UnknownHint(BaseModel):
    name: str = Field(json_schema_extra={"ui": "colour-wheel"})


class _WrongShape(BaseModel):
    flag: bool = Field(json_schema_extra={"ui": "tags"})


class _Nested(BaseModel):
    inner: _Number | None = None


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (_Number, "_Number.count: no form shape for type <class 'int'>"),
        (_UnknownHint, "no widget is registered for kind 'colour-wheel'"),
        (_WrongShape, "the 'tags' widget cannot hold a bool value"),
        (_Nested, "_Number.count"),
    ],
)
def test_an_unsupported_field_fails_loudly_instead_of_vanishing(
    model: type[BaseModel], message: str
) -> None:
    with pytest.raises(
        UnsupportedFieldError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        check_form(model)


def test_new_widgets_register_by_kind() -> None:
    class Coloured(BaseModel):
        colour: Literal["red", "blue"] = Field(json_schema_extra={"ui": "swatch"})

    with pytest.raises(UnsupportedFieldError):
        make_spec(Coloured, "colour", Coloured.model_fields["colour"])
    WIDGETS["swatch"] = WIDGETS["enum"].__class__("swatch", WIDGETS["enum"].render, {"choice"})
    try:
        assert make_spec(Coloured, "colour", Coloured.model_fields["colour"]).kind == "swatch"
    finally:
        del WIDGETS["swatch"]


@pytest.mark.parametrize(
    ("issue_path", "widget"),
    [
        ("", ""),
        ("modelServer.name", "modelServer.name"),
        ("modelServer.API.type", "modelServer.API.type"),
        ("modelServer.API", "modelServer.API"),
        ("models.2.tags.1", "models.2.tags"),
        ("models.0.annotations", "models.0.annotations"),
        ("models.0.annotations.bad key", "models.0.annotations"),
        ("modelServer.unknownField", "modelServer"),
        ("models.3", "models.3"),
        ("models", "models"),
        ("extra", ""),
    ],
)
def test_each_issue_path_finds_the_widget_that_shows_it(issue_path: str, widget: str) -> None:
    assert widget_path(ModelCatalog, issue_path) == widget


def test_blank_items_hold_their_required_text_fields() -> None:
    assert blank(ModelServerAPI) == {"url": "", "spec": ""}
    assert blank(Model) == {"name": "", "owner": "", "lifecycle": "", "description": ""}


def test_layout_puts_required_fields_first_and_short_ones_side_by_side() -> None:
    rows = [[s.name for s in row] for row in arrange(field_specs(Model))]
    assert rows[:2] == [["name", "owner", "lifecycle"], ["description"]]
    assert rows[2:4] == [["artifactLocationURL", "license"], ["howToUseURL"]]
    assert rows[-1] == ["annotations"]
    server_rows = [[s.name for s in row] for row in arrange(field_specs(ModelServer))]
    assert server_rows[-1] == ["API"]
