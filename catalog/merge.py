"""Merge an imported catalog into the one being edited: replace it, or add its models.

Both inputs are left as they are; the result is a new document.  Adding keeps model names
unique the way validation compares them (whitespace removed, any letter case): a name
already taken gets ``-2``, ``-3``... within Backstage's 63 characters.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from catalog.convert import entity_name
from catalog.errors import InputError

MergeMode = Literal["replace", "add"]


class HasDocument(Protocol):
    """An import result (model card or catalog-info): anything with a ``document``."""

    @property
    def document(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Merged:
    """A merged catalog and the models renamed to keep names unique."""

    document: dict[str, Any]
    renamed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def merge(
    document: Mapping[str, Any] | None,
    imported: Mapping[str, Any] | HasDocument,
    mode: MergeMode,
) -> dict[str, Any]:
    """A new catalog: the imported one (``replace``), or the current one plus its models
    (``add``, a name already taken gets ``-2``, ``-3``...).  The inputs are not changed."""
    return merge_catalogs(document, imported, mode).document


def merge_catalogs(
    document: Mapping[str, Any] | None,
    imported: Mapping[str, Any] | HasDocument,
    mode: MergeMode,
) -> Merged:
    """Like :func:`merge`, also saying which models were renamed and what was not taken."""
    source = imported if isinstance(imported, Mapping) else imported.document
    new = copy.deepcopy(dict(source))
    if mode == "replace":
        return Merged(new)
    if mode != "add":
        raise ValueError(f"mode must be 'replace' or 'add', not {mode!r}")
    result = copy.deepcopy(dict(document or {}))
    models = result.setdefault("models", [])
    if not isinstance(models, list):
        raise InputError("the catalog's 'models' is not a list; fix it before adding models")
    taken = {
        entity_name(m["name"]).lower()
        for m in models
        if isinstance(m, dict) and isinstance(m.get("name"), str)
    }
    renamed: list[tuple[str, str]] = []
    notes: list[str] = []
    for model in new.get("models") or []:
        name = model.get("name") if isinstance(model, dict) else None
        if isinstance(name, str):
            unique = _unique(entity_name(name), taken)
            if unique != entity_name(name):
                renamed.append((name, unique))
                model["name"] = unique
            taken.add(unique.lower())
        models.append(model)
    if new.get("modelServer") is not None:
        if result.get("modelServer") is None:
            result["modelServer"] = new["modelServer"]
        else:
            notes.append("the imported model server was not added: the catalog has one")
    return Merged(result, renamed, notes)


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``... (kept within 63 characters) if it is taken."""
    if name.lower() not in taken:
        return name
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = name[: 63 - len(suffix)].rstrip("-_.") + suffix
        if candidate.lower() not in taken:
            return candidate
        n += 1
