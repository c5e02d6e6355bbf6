"""The validation report of the working document, computed once per revision.

:func:`current` validates the document when its revision changed since the last
call, and keeps the report, the issues indexed by widget path, and the YAML text in
session state.  Opening an expander or switching pages therefore costs no validation.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import streamlit as st

from catalog.convert import ConvertOptions, to_entities
from catalog.emit import to_yaml_document
from catalog.errors import CatalogError
from catalog.issues import Issue
from catalog.schema import ModelCatalog
from catalog.validate import Report, validate
from ui import state
from ui.output_options import current_options
from ui.registry import widget_path

CACHE_KEY = "_report.current"


@dataclass
class IssueIndex:
    """Issues grouped by the widget that shows them, and counted under every path."""

    by_widget: dict[str, list[Issue]] = field(default_factory=dict)
    counts: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, issues: list[Issue]) -> IssueIndex:
        """Index ``issues`` by widget path; count errors and warnings per path prefix."""
        by_widget: dict[str, list[Issue]] = defaultdict(list)
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for issue in issues:
            by_widget[widget_path(ModelCatalog, issue.path)].append(issue)
            parts = issue.path.split(".") if issue.path else []
            slot = 0 if issue.severity == "error" else 1
            for end in range(len(parts) + 1):
                counts[".".join(parts[:end])][slot] += 1
        return cls(dict(by_widget), dict(counts))

    def at(self, path: str) -> list[Issue]:
        """The issues shown under the widget at ``path``."""
        return self.by_widget.get(path, [])

    def count(self, path: str) -> tuple[int, int]:
        """``(errors, warnings)`` at or under ``path``."""
        errors, warnings = self.counts.get(path, (0, 0))
        return errors, warnings


@dataclass
class Current:
    """Everything derived from one revision of the document."""

    revision: int
    report: Report
    index: IssueIndex
    yaml: str | None
    draft_yaml: str | None
    #: Nothing entered yet (no server, no models): the page greets instead of scolding.
    is_empty: bool = False
    #: The output options the report and YAML were made with (the Export page's).
    options: ConvertOptions = field(default_factory=ConvertOptions)


def is_blank(document: Any) -> bool:
    """Whether ``document`` has neither a model server nor any model."""
    return (
        isinstance(document, dict)
        and not document.get("modelServer")
        and not document.get("models")
    )


@lru_cache(maxsize=4096)
def _entity_yaml(entity_json: str) -> str:
    return to_yaml_document(json.loads(entity_json))


def entities_yaml(entities: list[dict[str, Any]]) -> str:
    """``catalog.emit.to_yaml``, remembering each entity's text.

    An edit changes one or two entities; the other hundred come from the memo, keyed by
    their JSON text (several times cheaper to make than their YAML).
    """
    return "---\n".join(_entity_yaml(json.dumps(e, ensure_ascii=False)) for e in entities)


def _draft(catalog: ModelCatalog | None, options: ConvertOptions) -> str | None:
    """Best-effort YAML of a catalog that fits the schema but still has errors."""
    if catalog is None:
        return None
    try:
        return entities_yaml(to_entities(catalog, options))
    except (CatalogError, ValueError, TypeError):
        return None


def build(document: Any, revision: int, options: ConvertOptions | None = None) -> Current:
    """Validate ``document`` and derive the index and YAML (no caching)."""
    options = options or ConvertOptions()
    report = validate(document, options)
    entities = report.entities if report.ok else None
    yaml_text = entities_yaml(entities) if entities else None
    draft = None if yaml_text is not None else _draft(report.catalog, options)
    empty = is_blank(document)
    # An empty catalog is an error ("nothing to convert"), but on a first visit the
    # welcome says so better than red text under every section.
    index = IssueIndex() if empty else IssueIndex.build(report.issues)
    return Current(revision, report, index, yaml_text, draft, empty, options)


def version() -> tuple[int, ConvertOptions]:
    """What :func:`current` is made from: the document's revision and the output options
    (a callback compares it before and after to know whether the preview changes)."""
    return state.revision(), current_options()


def current() -> Current:
    """The report of the working document with the chosen output options, recomputed
    only when the revision or the options changed."""
    revision, options = version()
    cached = st.session_state.get(CACHE_KEY)
    if isinstance(cached, Current) and (cached.revision, cached.options) == (revision, options):
        return cached
    fresh = build(state.document(), revision, options)
    st.session_state[CACHE_KEY] = fresh
    return fresh
