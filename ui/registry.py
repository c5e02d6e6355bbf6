"""From pydantic fields to widgets: field specs, value shapes and the widget registry.

A form is built in three steps, kept apart as in react-jsonschema-form:

1. :func:`field_specs` reads a model's ``model_fields`` once into :class:`FieldSpec`
   values: label, help (the schema description), required, and a *kind*.
2. The kind is the field's ``json_schema_extra["ui"]`` hint when given, else the
   default for the field's value *shape* (``str`` -> ``text``, ``bool`` -> ``bool``,
   ``Literal`` -> ``enum``, ``list[str]`` -> ``tags``, ``dict[str, str]`` ->
   ``keyvalue``, a model -> ``section``, a list of models -> ``models``).
3. :data:`WIDGETS` maps each kind to a render function; :func:`register` adds one.

A field whose type has no shape, a hint naming no registered widget, or a hint whose
widget cannot hold the field's shape raises :class:`UnsupportedFieldError` when the
specs are built (at start-up, via :func:`check_form`), so no field silently vanishes.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Protocol, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ui.text import humanize

Shape = Literal["str", "bool", "choice", "str_list", "str_map", "model", "model_list"]

DEFAULT_KIND: dict[str, str] = {
    "str": "text",
    "bool": "bool",
    "choice": "enum",
    "str_list": "tags",
    "str_map": "keyvalue",
    "model": "section",
    "model_list": "models",
}


class UnsupportedFieldError(TypeError):
    """A model field the form cannot render: a programming error, raised at start-up."""


@dataclass(frozen=True)
class FieldSpec:
    """Everything the form needs to know about one model field."""

    name: str
    label: str
    help: str | None
    required: bool
    kind: str
    shape: Shape
    options: tuple[str, ...] = ()
    placeholder: str | None = None
    suggestions: tuple[str, ...] = ()
    model: type[BaseModel] | None = None


class FormContext(Protocol):
    """What a widget may ask of the form that renders it."""

    def render_fields(self, model: type[BaseModel], prefix: str) -> None:
        """Render every field of ``model`` under the path ``prefix``."""

    def field_issues(self, path: str) -> None:
        """Show the issues that belong to the widget at ``path``."""

    def issue_counts(self, path: str) -> tuple[int, int]:
        """``(errors, warnings)`` at or under ``path``."""

    def tag_options(self) -> tuple[str, ...]:
        """Tags worth suggesting (those already used in the catalog)."""

    def is_tab(self, path: str) -> bool:
        """Whether the field at ``path`` is shown as a tab of its own (not in its parent)."""

    def part(self) -> FormContext:
        """The form for a part of it that reruns on its own (a fragment): it reads the
        catalog afresh, and :meth:`mark_required` marks only that part's fields."""

    def mark_required(self) -> None:
        """Mark the required fields drawn so far (a style sheet, drawn where it is called)."""


Render = Callable[[FieldSpec, str, FormContext], None]


@dataclass(frozen=True)
class Widget:
    """A registered widget: its render function and the value shapes it can hold."""

    kind: str
    render: Render
    shapes: frozenset[str]


WIDGETS: dict[str, Widget] = {}


def register(kind: str, *shapes: Shape) -> Callable[[Render], Render]:
    """Register ``render`` as the widget for ``kind``, able to hold ``shapes``."""

    def decorator(render: Render) -> Render:
        WIDGETS[kind] = Widget(kind, render, frozenset(shapes))
        return render

    return decorator


def widget_for(spec: FieldSpec) -> Widget:
    """The registered widget for a field spec (loud when missing)."""
    try:
        return WIDGETS[spec.kind]
    except KeyError:
        raise UnsupportedFieldError(
            f"field {spec.name!r}: no widget is registered for kind {spec.kind!r} "
            f"(known: {', '.join(sorted(WIDGETS))})"
        ) from None


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def value_shape(annotation: Any) -> tuple[Shape, type[BaseModel] | None, tuple[str, ...]]:
    """Classify a field type: its shape, nested model (if any) and choices (if any)."""
    ann = _strip_optional(annotation)
    origin, args = get_origin(ann), get_args(ann)
    if ann is bool:
        return "bool", None, ()
    if ann is str:
        return "str", None, ()
    if origin is Literal and args and all(isinstance(a, str) for a in args):
        return "choice", None, tuple(args)
    if _is_model(ann):
        return "model", ann, ()
    if origin is list and len(args) == 1:
        if args[0] is str:
            return "str_list", None, ()
        if _is_model(args[0]):
            return "model_list", args[0], ()
    if origin is dict and args == (str, str):
        return "str_map", None, ()
    raise UnsupportedFieldError(f"no form shape for type {annotation!r}")


def _extra(source: Any) -> dict[str, Any]:
    extra = getattr(source, "json_schema_extra", None)
    if isinstance(source, type) and _is_model(source):
        extra = source.model_config.get("json_schema_extra")
    return extra if isinstance(extra, dict) else {}


def make_spec(owner: type[BaseModel], name: str, info: FieldInfo) -> FieldSpec:
    """Build the spec of one field, checking that a registered widget can render it."""
    where = f"{owner.__name__}.{name}"
    try:
        shape, model, options = value_shape(info.annotation)
    except UnsupportedFieldError as exc:
        raise UnsupportedFieldError(f"{where}: {exc}; add a 'ui' hint or a widget") from None
    extra = _extra(info)
    if model is not None and "ui" not in extra:
        extra = {**_extra(model), **extra}
    kind = str(extra.get("ui") or DEFAULT_KIND[shape])
    spec = FieldSpec(
        name=name,
        label=info.title or humanize(name),
        help=info.description,
        required=info.is_required(),
        kind=kind,
        shape=shape,
        options=options,
        placeholder=extra.get("placeholder"),
        suggestions=tuple(extra.get("suggestions") or ()),
        model=model,
    )
    try:
        widget = widget_for(spec)
    except UnsupportedFieldError as exc:
        raise UnsupportedFieldError(f"{where}: {exc}") from None
    if shape not in widget.shapes:
        raise UnsupportedFieldError(
            f"{where}: the {kind!r} widget cannot hold a {shape} value "
            f"(it holds {', '.join(sorted(widget.shapes))})"
        )
    return spec


@cache
def field_specs(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The specs of ``model``'s fields, in declaration order (built once per model)."""
    return tuple(make_spec(model, name, info) for name, info in model.model_fields.items())


def check_form(model: type[BaseModel]) -> int:
    """Build the specs of ``model`` and every model nested in it; return the field count.

    Called at start-up so an unsupported field stops the app with a clear message.
    """
    count = 0
    for spec in field_specs(model):
        count += 1
        if spec.model is not None:
            count += check_form(spec.model)
    return count


def blank(model: type[BaseModel]) -> dict[str, Any]:
    """A new item of ``model``: required text fields present and empty, nothing else."""
    return {s.name: "" for s in field_specs(model) if s.required and s.shape == "str"}


def widget_path(model: type[BaseModel], path: str) -> str:
    """The path of the widget that shows an issue at ``path``.

    ``models.2.tags.1`` -> ``models.2.tags`` (one tag belongs to the tags widget),
    ``models.0.annotations.foo`` -> ``models.0.annotations``; an unknown key stops at
    its parent (``modelServer.extra`` -> ``modelServer``); ``""`` stays catalog-wide.
    """
    parts = path.split(".") if path else []
    current: type[BaseModel] | None = model
    kept: list[str] = []
    index = 0
    while index < len(parts) and current is not None:
        spec = next((s for s in field_specs(current) if s.name == parts[index]), None)
        if spec is None:
            break
        kept.append(parts[index])
        index += 1
        if spec.shape == "model":
            current = spec.model
        elif spec.shape == "model_list" and index < len(parts) and parts[index].isdigit():
            kept.append(parts[index])
            index += 1
            current = spec.model
        else:
            break
    return ".".join(kept)
