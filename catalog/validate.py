"""Validate a model catalog document: every issue at once, each with its path.

``validate`` runs a pipeline of small checks over the raw document (so a field of the
wrong type does not hide the problems of its neighbours), adapts pydantic's errors into
the same :class:`~catalog.issues.Issue` shape, and, when nothing blocks conversion,
converts the catalog and checks every entity against Backstage's rules.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from catalog import checks, text_checks
from catalog.backstage import entity_problems, reference_problems
from catalog.convert import ConvertOptions, to_entities
from catalog.errors import LayoutError
from catalog.issues import Fix, Issue, apply_fixes, join_path
from catalog.schema import ModelCatalog

Check = Callable[[dict[str, Any], ConvertOptions], Iterator[Issue]]

#: The checks run on every document, in reporting order.
PIPELINE: tuple[Check, ...] = (
    checks.check_not_empty,
    checks.check_api_type_typo,
    checks.check_required_text,
    checks.check_empty_optional,
    checks.check_names,
    checks.check_duplicate_models,
    checks.check_owners,
    checks.check_lifecycles,
    checks.check_urls,
    checks.check_tags,
    checks.check_annotations,
    checks.check_licenses,
    checks.check_layout,
    text_checks.check_nul_characters,
)


@dataclass
class Report:
    """The outcome of validating one document."""

    issues: list[Issue] = field(default_factory=list)
    catalog: ModelCatalog | None = None
    entities: list[dict[str, Any]] | None = None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """No errors: the catalog can be exported."""
        return not self.errors

    def for_path(self, path: str) -> list[Issue]:
        """The issues about ``path`` itself or anything inside it."""
        prefix = path + "."
        return [i for i in self.issues if i.path == path or i.path.startswith(prefix)]


def _pydantic_path(loc: tuple[int | str, ...]) -> str:
    parts: list[int | str] = []
    for part in loc:
        parts.append(part)
        # Annotation keys may contain dots: keep the path at the map, the message names it.
        if part == "annotations":
            break
    return join_path(*parts)


_TYPE_WORDS = {
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of keys to text values",
    "model_type": "must be an object with fields",
    "model_attributes_type": "must be an object with fields",
}


def schema_issues(document: Any) -> tuple[ModelCatalog | None, list[Issue]]:
    """Validate against the pydantic models; adapt each error into an Issue."""
    try:
        return ModelCatalog.model_validate(document), []
    except ValidationError as exc:
        issues: list[Issue] = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            path = _pydantic_path(loc)
            kind = err["type"]
            if kind == "missing":
                field_name = str(loc[-1]) if loc else "field"
                issues.append(
                    Issue(path, "required", "error", f"{field_name} is required; fill it in")
                )
            elif kind == "extra_forbidden":
                issues.append(
                    Issue(
                        join_path(*loc),
                        "unknown-field",
                        "error",
                        f"'{loc[-1]}' is not a field of the model catalog schema; "
                        "remove it or move its value to a known field",
                        Fix("remove", join_path(*loc), f"Remove '{loc[-1]}'"),
                    )
                )
            elif kind == "literal_error":
                allowed = err.get("ctx", {}).get("expected", "")
                issues.append(Issue(path, "enum", "error", f"must be one of {allowed}"))
            else:
                words = _TYPE_WORDS.get(kind, err["msg"])
                issues.append(Issue(path, "type", "error", f"{words} (got {_type_name(err)})"))
        return None, _dedupe(issues)


def _type_name(err: Any) -> str:
    value = err.get("input")
    if value is None:
        return "nothing"
    return {
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for issue in issues:
        key = (issue.path, issue.code, issue.message)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out


def validate(document: Any, options: ConvertOptions | None = None) -> Report:
    """Validate ``document`` (plain data, as loaded from JSON/YAML): all issues at once."""
    options = options or ConvertOptions()
    if not isinstance(document, dict):
        return Report(
            [
                Issue(
                    "",
                    "not-an-object",
                    "error",
                    "a model catalog is an object with 'models' (and optionally 'modelServer')",
                )
            ]
        )
    report = Report()
    for check in PIPELINE:
        report.issues.extend(check(document, options))
    typo_fixed = checks.without_api_type_typo(document)
    catalog, issues = schema_issues(typo_fixed)
    known = {(i.path, i.code) for i in report.issues}
    report.issues.extend(i for i in issues if (i.path, "required-empty") not in known)
    report.catalog = catalog
    if catalog is not None and report.ok:
        try:
            entities = to_entities(catalog, options)
        except LayoutError as exc:
            report.issues.append(Issue("", "layout", "error", str(exc)))
            return report
        problems = [
            Issue("", "backstage", "error", f"{e['kind']} {e['metadata'].get('name')}: {p}")
            for e in entities
            for p in entity_problems(e)
        ]
        problems += [Issue("", "dangling-ref", "error", p) for p in reference_problems(entities)]
        report.issues.extend(problems)
        if not problems:
            report.entities = entities
    report.issues = _dedupe(report.issues)
    return report


def fix_all(
    document: dict[str, Any], options: ConvertOptions | None = None, rounds: int = 5
) -> tuple[dict[str, Any], Report]:
    """Apply every available fix (repeatedly, as one fix can reveal another); return the result."""
    doc = copy.deepcopy(document)
    report = validate(doc, options)
    for _ in range(rounds):
        if not any(i.fix for i in report.issues):
            break
        doc = apply_fixes(doc, report.issues)
        report = validate(doc, options)
    return doc, report
