"""Validate a model catalog document: every issue at once, each with its path.

``validate`` runs a pipeline of small checks over the raw document (so a field of the
wrong type does not hide the problems of its neighbours), adapts pydantic's errors into
the same :class:`~catalog.issues.Issue` shape, and, when nothing blocks conversion,
converts the catalog and checks every entity against Backstage's rules.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic_core import ValidationError

from catalog import annotation_case, checks, shape, text_checks
from catalog.backstage import entity_problems, reference_problems
from catalog.convert import ConvertOptions, to_entities
from catalog.errors import LayoutError
from catalog.issues import Fix, Issue, apply_fixes, get_at, join_path

if TYPE_CHECKING:
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
    checks.check_api_spec,
    checks.check_tags,
    checks.check_annotations,
    annotation_case.check_annotation_case,
    checks.check_licenses,
    checks.check_layout,
    text_checks.check_nul_characters,
)


@dataclass
class Report:
    """The outcome of validating one document."""

    issues: list[Issue] = field(default_factory=list)
    entities: list[dict[str, Any]] | None = None
    #: The catalog as checked, when its shape is right (plain objects; see ``catalog``).
    checked: shape.ModelCatalog | None = field(default=None, repr=False)
    _catalog: ModelCatalog | None = field(default=None, repr=False, compare=False)

    @property
    def catalog(self) -> ModelCatalog | None:
        """The catalog as :mod:`catalog.schema` models, when its shape is right.

        Built on first use: a command that only validates or converts never pays for
        building pydantic's models.
        """
        if self._catalog is None and self.checked is not None:
            self._catalog = shape.to_model(self.checked)
        return self._catalog

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


def schema_issues(document: Any) -> tuple[shape.ModelCatalog | None, list[Issue]]:
    """Validate against the catalog's shape; adapt each of pydantic's errors into an Issue."""
    try:
        return shape.validate_shape(document), []
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
    report.checked = catalog
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


@dataclass(frozen=True)
class AppliedFix:
    """One change ``fix_all`` made: the value at ``path`` before and after (``MISSING``)."""

    path: str
    before: Any
    after: Any

    def __str__(self) -> str:
        return f"{self.path or '(catalog)'}: {_shown(self.before)} -> {_shown(self.after)}"


class _Missing:
    """No value at a path: before a fix that adds one, or after one that removes it."""

    def __repr__(self) -> str:
        return "(none)"


#: The value at a path that has none.
MISSING: Any = _Missing()


def _shown(value: Any, limit: int = 80) -> str:
    if value is MISSING:
        return "(none)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _changes(path: str, before: Any, after: Any) -> Iterator[AppliedFix]:
    """The change at ``path``; a mapping rewritten whole is told key by key."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            old, new = before.get(key, MISSING), after.get(key, MISSING)
            if old != new:
                yield AppliedFix(join_path(path, key), old, new)
    elif before != after:
        yield AppliedFix(path, before, after)


def fix_all(
    document: dict[str, Any],
    options: ConvertOptions | None = None,
    rounds: int = 5,
    applied: list[AppliedFix] | None = None,
) -> tuple[dict[str, Any], Report]:
    """Apply every available fix (repeatedly, as one fix can reveal another); return the result.

    Each change made is appended to ``applied``, when given, in the order it was made.
    """
    doc = copy.deepcopy(document)
    report = validate(doc, options)
    for _ in range(rounds):
        fixes = [i.fix for i in report.issues if i.fix is not None]
        if not fixes:
            break
        before = doc
        doc = apply_fixes(doc, report.issues)
        if applied is not None:
            for fix in _in_order(fixes):
                old = get_at(before, fix.path, MISSING)
                new = MISSING if fix.op == "remove" else fix.value
                applied.extend(_changes(fix.path, old, new))
        report = validate(doc, options)
    return doc, report


def _in_order(fixes: list[Fix]) -> list[Fix]:
    """The fix that wins at each path, as ``apply_fixes`` applies them (sets, then removals)."""
    final: dict[str, Fix] = {}
    for fix in [f for f in fixes if f.op == "set"] + [f for f in fixes if f.op == "remove"]:
        final[fix.path] = fix
    return list(final.values())
