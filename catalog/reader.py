"""Read JSON or YAML documents from untrusted bytes, safely and within bounds.

Every failure is an :class:`~catalog.errors.InputError` whose message names the line
when there is one, and says what to do.  YAML is read with the safe loader (libyaml's C
loader when present): no Python tags, no anchors or aliases (billion-laughs), bounded
nesting and size.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from catalog.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_DOCUMENTS = 1000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def decode_text(data: bytes, *, name: str = "input", max_bytes: int = MAX_BYTES) -> str:
    """Decode bytes as UTF-8 text, refusing binary data and oversized input."""
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: the file is {_size(len(data))}, larger than the limit of "
            f"{_size(max_bytes)}; split it or remove unused content"
        )
    if not data.strip():
        raise InputError(f"{name}: the file is empty; expected a JSON or YAML document")
    if data.startswith(b"\x89PNG") or b"\x00" in data[:8192]:
        raise InputError(f"{name}: this is a binary file, not JSON or YAML text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}: line {line}: the file is not UTF-8 text (byte {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None


def load_document(data: bytes | str, *, name: str = "input", max_bytes: int = MAX_BYTES) -> Any:
    """Parse one JSON or YAML document (detected by content) into plain Python data."""
    docs = load_documents(data, name=name, max_bytes=max_bytes)
    if len(docs) != 1:
        raise InputError(
            f"{name}: expected one document but found {len(docs)} (separated by '---'); "
            "a model catalog is a single document"
        )
    return docs[0]


def load_documents(
    data: bytes | str, *, name: str = "input", max_bytes: int = MAX_BYTES
) -> list[Any]:
    """Parse a JSON document or a (multi-document) YAML stream into plain Python data."""
    if isinstance(data, str):
        if len(data) > max_bytes:
            raise InputError(f"{name}: the text is larger than the limit of {_size(max_bytes)}")
        text = data.lstrip("\ufeff")
        if not text.strip():
            raise InputError(f"{name}: the text is empty; expected a JSON or YAML document")
        if "\x00" in text:
            raise InputError(f"{name}: this is binary data, not JSON or YAML text")
    else:
        text = decode_text(data, name=name, max_bytes=max_bytes)
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        docs = [_load_json(text, name)]
    else:
        docs = _load_yaml(text, name)
    docs = [d for d in docs if d is not None]
    if not docs:
        raise InputError(f"{name}: the file holds no document (only comments or '---')")
    for doc in docs:
        check_shape(doc, name)
    return docs


def _load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
            + ("; the file may be cut short" if exc.pos >= len(text.rstrip()) else "")
        ) from None
    except RecursionError:
        raise InputError(
            f"{name}: the JSON is nested too deeply (more than {MAX_DEPTH} levels)"
        ) from None


def _load_yaml(text: str, name: str) -> list[Any]:
    try:
        return list(yaml.load_all(text, Loader=_Loader))
    except yaml.constructor.ConstructorError as exc:
        where = _mark(exc.problem_mark)
        found = re.search(r"'([^']+)'", exc.problem or "")
        tag = f" ({found.group(1).replace('tag:yaml.org,2002:', '!!')})" if found else ""
        raise InputError(
            f"{name}: {where}the YAML uses a tag that is not allowed{tag}; "
            "only plain data (mappings, lists, text, numbers, booleans) is read"
        ) from None
    except yaml.MarkedYAMLError as exc:
        where = _mark(exc.problem_mark)
        raise InputError(f"{name}: {where}invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(
            f"{name}: the YAML is nested too deeply (more than {MAX_DEPTH} levels)"
        ) from None


def check_shape(document: Any, name: str = "input") -> None:
    """Refuse shared nodes (YAML aliases), deep nesting and non-string mapping keys."""
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise InputError(f"{name}: the document is nested too deeply (more than {MAX_DEPTH})")
        if id(node) in seen:
            raise InputError(
                f"{name}: the YAML uses anchors and aliases ('&' and '*'), which are not "
                "accepted here; write the values out in full"
            )
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(key, str):
                    raise InputError(f'{name}: mapping key {key!r} is not text; quote it ("{key}")')
                stack.append((value, depth + 1))
        else:
            stack.extend((item, depth + 1) for item in node)


def _mark(mark: Any) -> str:
    if mark is None:
        return ""
    return f"line {mark.line + 1}, column {mark.column + 1}: "


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{n / 1024:.0f} KB"
