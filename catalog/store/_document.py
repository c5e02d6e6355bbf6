"""What the store reads out of an otherwise opaque catalog document, and its size limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from catalog.store._errors import StoreError

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 2000
MAX_TAG_CHARS = 200
UNTITLED = "Untitled catalog"


@dataclass(frozen=True)
class Facts:
    """The listing and search fields derived from one document."""

    default_name: str
    model_count: int
    tags: tuple[str, ...]
    names: tuple[str, ...]
    """The server's and the models' names, for search."""
    owner: str | None = None
    """The server's owner, else the first model's that has one (tells catalogs apart)."""


def describe(document: dict[str, Any]) -> Facts:
    """Check that ``document`` can be stored and extract its listing fields."""
    if not isinstance(document, dict):
        raise TypeError(f"a catalog document is a dict, not {type(document).__name__}")
    _check_size(document)
    server = _mapping(document.get("modelServer"))
    models = [_mapping(m) for m in _sequence(document.get("models"))]
    names = tuple(
        n for n in (_text(server.get("name")), *(_text(m.get("name")) for m in models)) if n
    )
    tags = {tag for tag in _tags(server, models) if len(tag) <= MAX_TAG_CHARS}
    owners = (_text(owner.get("owner")) for owner in (server, *models))
    return Facts(
        default_name=names[0][:MAX_NAME_CHARS] if names else UNTITLED,
        model_count=len(models),
        tags=tuple(sorted(tags)),
        names=names,
        owner=next((o[:MAX_NAME_CHARS] for o in owners if o), None),
    )


def search_text(name: str, facts: Facts) -> str:
    """The case-folded text that ``Store.list(search=...)`` matches against."""
    return "\n".join((name, *facts.names)).casefold()


def clean_name(name: str | None, facts: Facts) -> str:
    """The catalog name to store: trimmed, defaulted from the document, bounded."""
    name = (name or "").strip() or facts.default_name
    if len(name) > MAX_NAME_CHARS:
        raise StoreError(f"A catalog name has at most {MAX_NAME_CHARS} characters.")
    return name


def clean_note(note: str | None) -> str | None:
    """The revision note to store: trimmed, ``None`` when empty, bounded."""
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise StoreError(f"A revision note has at most {MAX_NOTE_CHARS} characters.")
    return note


def _check_size(document: dict[str, Any]) -> None:
    # Serialising once here also rejects what the database's JSON would choke on later
    # (NaN from an imported YAML `.nan`, a stray object) with a message for a person.
    try:
        text = json.dumps(document, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"The catalog cannot be stored as JSON: {exc}.") from exc
    # ensure_ascii (the default) makes the text pure ASCII: one character, one byte.
    if len(text) > MAX_DOCUMENT_BYTES:
        raise StoreError(
            f"The catalog is {len(text) / 2**20:.1f} MB as JSON; "
            f"the limit is {MAX_DOCUMENT_BYTES // 2**20} MB."
        )


def _tags(server: dict[str, Any], models: list[dict[str, Any]]) -> Iterator[str]:
    for owner in (server, _mapping(server.get("API")), *models):
        for tag in _sequence(owner.get("tags")):
            if text := _text(tag):
                yield text.lower()


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _sequence(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
