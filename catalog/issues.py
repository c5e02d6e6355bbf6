"""Validation issues and their one-click fixes, as plain values.

An :class:`Issue` says what is wrong and where (``path``, the dotted field path from the
catalog root, e.g. ``models.2.tags.1`` -- the same string the app uses as widget key).
A :class:`Fix` is data a UI can apply without knowing the rule that produced it:
``set`` a value at a path, or ``remove`` the field at a path.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Fix:
    """A change to the catalog document that resolves an issue."""

    op: Literal["set", "remove"]
    path: str
    label: str
    value: Any = None


@dataclass(frozen=True)
class Issue:
    """One problem found in a catalog."""

    path: str
    code: str
    severity: Severity
    message: str
    fix: Fix | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.path or "(catalog)"
        return f"{where}: {self.message}"


def split_path(path: str) -> list[str | int]:
    """Turn ``models.2.tags`` into ``["models", 2, "tags"]``."""
    if not path:
        return []
    return [int(p) if p.isdigit() else p for p in path.split(".")]


def join_path(*parts: str | int) -> str:
    """Join path parts with dots, skipping empty ones."""
    return ".".join(str(p) for p in parts if p != "")


def _key(node: Any, parts: list[str], i: int) -> tuple[Any, int]:
    """The key at ``parts[i]`` in ``node``, and the index of the part after it.

    A mapping key may itself contain dots (``backstage.io/x``) or be all digits (``"123"``):
    in a dict the longest run of parts that is a key wins, and keys stay text.
    """
    if isinstance(node, dict):
        for j in range(len(parts), i + 1, -1):
            if ".".join(parts[i:j]) in node:
                return ".".join(parts[i:j]), j
        return parts[i], i + 1
    return (int(parts[i]) if parts[i].isdigit() else parts[i]), i + 1


def get_at(document: Any, path: str, default: Any = None) -> Any:
    """Return the value at ``path`` in a nested dict/list document, or ``default``."""
    node = document
    parts = path.split(".") if path else []
    i = 0
    while i < len(parts):
        key, i = _key(node, parts, i)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return default
    return node


def apply_fix(document: dict[str, Any], fix: Fix) -> dict[str, Any]:
    """Return a copy of ``document`` with ``fix`` applied; the input is left untouched."""
    result = copy.deepcopy(document)
    parts = fix.path.split(".") if fix.path else []
    if not parts:
        raise ValueError("a fix needs a path")
    parent: Any = result
    last, i = _key(parent, parts, 0)
    while i < len(parts):
        parent = parent.setdefault(last, {}) if isinstance(parent, dict) else parent[last]
        last, i = _key(parent, parts, i)
    if fix.op == "set":
        parent[last] = copy.deepcopy(fix.value)
    elif isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        del parent[last]
    return result


def apply_fixes(document: dict[str, Any], issues: Iterable[Issue]) -> dict[str, Any]:
    """Apply every fix in ``issues`` in turn (list removals last, highest index first)."""
    fixes = [i.fix for i in issues if i.fix is not None]
    sets = [f for f in fixes if f.op == "set"]
    removes = [f for f in fixes if f.op == "remove"]
    removes.sort(
        key=lambda f: [(0, p) if isinstance(p, int) else (1, 0) for p in split_path(f.path)],
        reverse=True,
    )
    for f in sets + removes:
        document = apply_fix(document, f)
    return document
