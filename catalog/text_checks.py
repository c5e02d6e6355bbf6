"""Checks on the characters of every text in a catalog, whatever field it is in.

Found by publishing generated catalogs to a real Backstage: a NUL character (U+0000) in
any text (a description, a usage note, an annotation value) makes Backstage's
PostgreSQL refuse to store the entity ("invalid byte sequence for encoding UTF8: 0x00").
The entity then stays unprocessed for ever, and Backstage reports no error for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from catalog.convert import ConvertOptions
from catalog.issues import Fix, Issue, join_path

NUL = "\x00"


def _texts(node: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string value under ``node`` with its path (mapping keys are not values)."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, join_path(path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, join_path(path, index))


def check_nul_characters(doc: dict[str, Any], _: ConvertOptions) -> Iterator[Issue]:
    """No text may contain a NUL character: Backstage cannot store the entity."""
    for path, text in _texts(doc, ""):
        if NUL in text:
            yield Issue(
                path,
                "nul-character",
                "error",
                "contains a NUL character (U+0000), which Backstage cannot store: the "
                "entity would never appear in its catalog",
                Fix("set", path, "Remove the NUL characters", text.replace(NUL, "")),
            )
