"""Annotation keys that one entity would carry twice, spelt in different letter case.

Backstage takes such an entity (``validate-entity`` says yes, processing succeeds) but
can never store it: its stitcher lower-cases every key path for the search table and
fails on ``Entity has duplicate keys that vary only in casing``.  It records no error:
the entity stays pending forever and only Backstage's log says why.  So it is an error
here, under the annotations that bring the second spelling, with a fix that drops it.

Keys meet in one entity as the conversion puts them together (:mod:`catalog.convert`):

* classic layout: the Component takes the API's annotations, then the server's; each
  model's Resource takes its own, its ``TechDocs`` key becoming ``backstage.io/techdocs-ref``;
* ai-model-server layout: the one entity takes the API's and the server's (the control
  keys such as ``rhdh.io/owner`` are settings, not annotations) and the techdocs-ref of
  the first model that has one.

The same key spelt the same way twice is no clash: the later value wins, as it always
has (the server's over the API's).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from catalog.checks import without
from catalog.convert import CONTROL_ANNOTATIONS, TECHDOCS_REF, ConvertOptions, is_techdocs_key
from catalog.issues import Fix, Issue, join_path

CODE = "annotation-key-case"


@dataclass(frozen=True)
class _Key:
    """One annotation key as the entity gets it, and where it comes from."""

    emitted: str
    path: str
    """The annotations field it comes from (``models.0.annotations``)."""
    key: str
    """The key as written there (``TechDocs`` for an emitted techdocs-ref)."""
    annotations: dict[str, Any]


def _keys(obj: Any, path: str, *, model: bool = False, control: bool = False) -> list[_Key]:
    annotations = obj.get("annotations") if isinstance(obj, dict) else None
    if not isinstance(annotations, dict):
        return []
    field = join_path(path, "annotations")
    found = []
    techdocs_taken = TECHDOCS_REF in annotations
    for key in annotations:
        if not isinstance(key, str) or (control and key in CONTROL_ANNOTATIONS):
            continue
        emitted = key
        if model and is_techdocs_key(key):
            value = annotations[key]
            if techdocs_taken or not isinstance(value, str) or not value.strip():
                continue  # left out (another check warns): nothing reaches the entity
            techdocs_taken = True
            emitted = TECHDOCS_REF
        found.append(_Key(emitted, field, key, annotations))
    return found


def _entities(doc: dict[str, Any], options: ConvertOptions) -> Iterator[list[_Key]]:
    """The annotation keys of each entity the catalog becomes, in the order they meet."""
    server = doc.get("modelServer")
    api = server.get("API") if isinstance(server, dict) else None
    listed = doc.get("models")
    models = [
        _keys(m, f"models.{i}", model=True)
        for i, m in enumerate(listed if isinstance(listed, list) else [])
    ]
    if options.layout == "ai-model-server" and isinstance(server, dict):
        keys = _keys(api, "modelServer.API", control=True)
        keys += _keys(server, "modelServer", control=True)
        if TECHDOCS_REF not in {k.emitted for k in keys}:
            # The techdocs-ref of the first model that has one (none spelt otherwise).
            refs = ([k for k in m if k.emitted == TECHDOCS_REF] for m in models)
            keys += next((r for r in refs if r), [])
        yield keys
        return
    if isinstance(server, dict):
        yield _keys(api, "modelServer.API") + _keys(server, "modelServer")
    yield from models


def _owner(path: str) -> str:
    """Whose annotations ``path`` holds, in words: ``the API's annotations``."""
    if path.startswith("modelServer.API."):
        return "the API's annotations"
    if path.startswith("modelServer."):
        return "the server's annotations"
    number = path.split(".")[1]
    return f"model {int(number) + 1}'s annotations" if number.isdigit() else path


def check_annotation_case(doc: dict[str, Any], options: ConvertOptions) -> Iterator[Issue]:
    """An entity must not carry two annotation keys that differ only in letter case."""
    for keys in _entities(doc, options):
        first: dict[str, _Key] = {}
        for key in keys:
            earlier = first.setdefault(key.emitted.lower(), key)
            if earlier.emitted == key.emitted:
                continue  # the same key: the later value wins, as the conversion does
            shown = f"'{key.key}'"
            if key.key != key.emitted:
                shown += f" (which becomes '{key.emitted}')"
            where = "" if earlier.path == key.path else f" (in {_owner(earlier.path)})"
            yield Issue(
                key.path,
                CODE,
                "error",
                f"annotation keys '{earlier.emitted}'{where} and {shown} differ only in "
                "letter case: Backstage cannot store such an entity (it stays pending, "
                "with no error shown); keep one",
                Fix("set", key.path, f"Remove '{key.key}'", without(key.annotations, key.key)),
            )
