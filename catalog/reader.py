"""Read JSON or YAML documents from untrusted bytes, safely and within bounds.

Every failure is an :class:`~catalog.errors.InputError` whose message names the line
when there is one, and says what to do.  YAML is read with the safe loader (libyaml's C
loader when present): no Python tags, no anchors or aliases (billion-laughs), bounded
nesting and size.  A key given twice in one mapping is refused too (Backstage refuses it,
and YAML 1.2 forbids it): reading on would silently keep only the last value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from itertools import repeat
from typing import TYPE_CHECKING, Any

import yaml

from catalog.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_DOCUMENTS = 1000

if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's C parser when present; the constructor is the safe one either way
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FIRST_CHARACTER = re.compile(r"\S")
# Half of a UTF-16 surrogate pair: JSON may spell one as an escape, but it is no character
# (it cannot be written as UTF-8, and YAML readers refuse it).
_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class _DuplicateKey(Exception):
    """A key given twice in one mapping; the marks are YAML's (0-based), if known."""

    def __init__(self, key: object, first: Any = None, again: Any = None) -> None:
        super().__init__(key)
        self.key, self.first, self.again = key, first, again


class _Loader(_SafeLoader):
    """The safe loader, refusing a key given twice in one mapping.

    A key that comes from a merge (``<<: *defaults``) and is given again in the mapping
    itself is an override, as YAML means it, not a duplicate.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # For each mapping with merged pairs: how many of its pairs are its own (the last
        # ones, as flatten_mapping puts the merged pairs in front).
        self._own_pairs: dict[yaml.MappingNode, int] = {}

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        pairs = node.value
        super().flatten_mapping(node)
        if node.value is not pairs:  # merged pairs were added in front of the node's own
            self._own_pairs[node] = len(pairs)  # ``pairs`` lost its '<<' keys, in place

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        pairs = node.value
        if len(mapping) != len(pairs):  # a key repeated, or a merged key overridden
            seen: dict[Any, Any] = {}
            for key_node, _ in pairs[len(pairs) - self._own_pairs.get(node, len(pairs)) :]:
                key = self.construct_object(key_node, deep=deep)  # already built: cached
                if key in seen:
                    raise _DuplicateKey(key, seen[key].start_mark, key_node.start_mark)
                seen[key] = key_node
        return mapping


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json``'s object_pairs_hook: the object as a dict, unless a key is given twice."""
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return mapping


def decode_text(data: bytes, *, name: str = "input", max_bytes: int | None = None) -> str:
    """Decode bytes as UTF-8 text, refusing binary data and oversized input."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: the file is {_size(len(data))}, larger than the limit of "
            f"{_size(max_bytes)}; split it or remove unused content"
        )
    if not data or data.isspace():  # not data.strip(): no copy of a large file
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


def load_document(data: bytes | str, *, name: str = "input", max_bytes: int | None = None) -> Any:
    """Parse one JSON or YAML document (detected by content) into plain Python data."""
    docs = load_documents(data, name=name, max_bytes=max_bytes)
    if len(docs) != 1:
        raise InputError(
            f"{name}: expected one document but found {len(docs)} (separated by '---'); "
            "a model catalog is a single document"
        )
    return docs[0]


def load_documents(
    data: bytes | str, *, name: str = "input", max_bytes: int | None = None
) -> list[Any]:
    """Parse a JSON document or a (multi-document) YAML stream into plain Python data."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if isinstance(data, str):
        if len(data) > max_bytes:
            raise InputError(f"{name}: the text is larger than the limit of {_size(max_bytes)}")
        text = data.lstrip("\ufeff")
        if not text or text.isspace():
            raise InputError(f"{name}: the text is empty; expected a JSON or YAML document")
        if "\x00" in text:
            raise InputError(f"{name}: this is binary data, not JSON or YAML text")
    else:
        text = decode_text(data, name=name, max_bytes=max_bytes)
    first = _FIRST_CHARACTER.search(text)
    if first is not None and first.group() in ("{", "["):
        docs = _load_json_or_yaml(text, name)
    else:
        docs = _load_yaml(text, name)
    docs = [d for d in docs if d is not None]
    if len(docs) > MAX_DOCUMENTS:
        raise InputError(
            f"{name}: the file holds {len(docs)} documents, more than the limit of "
            f"{MAX_DOCUMENTS}; split it into smaller files"
        )
    if not docs:
        raise InputError(f"{name}: the file holds no document (only comments or '---')")
    for doc in docs:
        check_shape(doc, name)
    found = None
    if "\\ud" in text or "\\uD" in text:  # a cheap look first: the regex is slow
        found = _LONE_SURROGATE_ESCAPE.search(text)
    if found is None and isinstance(data, str):  # decoded bytes never hold surrogates
        found = _SURROGATE.search(text)
    if found and _holds_surrogate(docs):
        line = text.count("\n", 0, found.start()) + 1
        shown = found.group().encode("ascii", "backslashreplace").decode("ascii")
        raise InputError(
            f"{name}: line {line}: '{shown}' is half of a UTF-16 surrogate pair, not a "
            "character; remove it or write the whole character"
        )
    return docs


def _holds_surrogate(node: Any) -> bool:
    """Whether any text (key or value) in ``node`` holds a lone surrogate."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _load_json_or_yaml(text: str, name: str) -> list[Any]:
    """Text that starts like JSON: JSON, else YAML (a stream of JSON documents separated
    by ``---``, or flow-style YAML, is valid YAML), else the JSON error, which is the
    precise one for what was most likely meant as JSON."""
    try:
        return [_load_json(text, name)]
    except _JsonSyntaxError as json_error:
        try:
            return _load_yaml(text, name)
        except InputError:
            if json_error.extra_data:  # whole JSON, then more: a YAML stream, so YAML's word
                raise
            raise InputError(str(json_error)) from None


class _JsonSyntaxError(InputError):
    """The text is not JSON (as opposed to JSON refused for what it holds)."""

    def __init__(self, message: str, *, extra_data: bool) -> None:
        super().__init__(message)
        self.extra_data = extra_data


def _load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except _DuplicateKey as exc:
        # The hook knows no positions: find them by scanning again, only in this rare case.
        found = _json_duplicate(text)
        if found is None:  # cannot happen for text json accepted this far; say what we know
            raise InputError(
                f"{name}: the key {_shown(exc.key)} appears twice in the same object; "
                "keep one of them"
            ) from None
        key, first, again = found
        first_at, again_at = _position(text, first), _position(text, again)
        raise _duplicate_error(name, "object", key, first_at, again_at) from None
    except json.JSONDecodeError as exc:
        raise _JsonSyntaxError(
            f"{name}: line {exc.lineno}, column {exc.colno}: invalid JSON: {exc.msg}"
            + ("; the file may be cut short" if exc.pos >= len(text.rstrip()) else ""),
            extra_data=exc.msg == "Extra data",
        ) from None
    except RecursionError:
        raise InputError(
            f"{name}: the JSON is nested too deeply (more than {MAX_DEPTH} levels)"
        ) from None


def _load_yaml(text: str, name: str) -> list[Any]:
    try:
        return list(yaml.load_all(text, Loader=_Loader))
    except _DuplicateKey as exc:
        first = (exc.first.line + 1, exc.first.column + 1)
        again = (exc.again.line + 1, exc.again.column + 1)
        raise _duplicate_error(name, "mapping", exc.key, first, again) from None
    except yaml.constructor.ConstructorError as exc:
        where = _mark(exc.problem_mark)
        if "unhashable" in (exc.problem or ""):
            raise InputError(
                f"{name}: {where}a key is a list or a mapping (YAML's '? ' form); "
                "keys must be plain text"
            ) from None
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


# A JSON string, or one of the characters that give the structure (numbers, true, false and
# null are skipped: they hold none of these characters).
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],]')


def _json_duplicate(text: str) -> tuple[str, int, int] | None:
    """The first key given twice in one JSON object: (key, first offset, offset again)."""
    # One dict of key -> offset per open object; None for an open array.
    stack: list[dict[str, int] | None] = []
    expect_key = False
    for match in _JSON_TOKEN.finditer(text):
        part = match.group()
        if part[0] == '"':
            keys = stack[-1] if stack else None
            if expect_key and keys is not None:
                key = part[1:-1] if "\\" not in part else json.loads(part)
                if key in keys:
                    return key, keys[key], match.start()
                keys[key] = match.start()
            expect_key = False
        elif part == "{":
            stack.append({})
            expect_key = True
        elif part == "[":
            stack.append(None)
            expect_key = False
        elif part == ",":
            expect_key = bool(stack) and stack[-1] is not None
        elif stack:
            stack.pop()
    return None


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _duplicate_error(
    name: str, container: str, key: object, first: tuple[int, int], again: tuple[int, int]
) -> InputError:
    where = f"line {first[0]}" if first[0] != again[0] else f"line {first[0]}, column {first[1]}"
    hint = ""
    if isinstance(key, bool) and container == "mapping":
        hint = f"; YAML reads yes, no, on and off as {_shown(key)}: quote such keys"
    return InputError(
        f"{name}: line {again[0]}, column {again[1]}: the key {_shown(key)} appears twice "
        f"in the same {container} (first on {where}{hint}); keep one of them"
    )


def _shown(key: object) -> str:
    """A key as it reads in a message: text quoted and on one line, and not too long."""
    if isinstance(key, str):
        if len(key) > 60:
            key = key[:57] + "..."
        shown = json.dumps(key, ensure_ascii=False)
        return json.dumps(key) if _SURROGATE.search(shown) else shown
    if key is None or isinstance(key, bool | int | float):
        return json.dumps(key)
    return str(key)


def check_shape(document: Any, name: str = "input") -> None:
    """Refuse shared nodes (YAML aliases), deep nesting and non-string mapping keys."""
    if not isinstance(document, dict | list):
        return
    seen: set[int] = set()
    # Only containers go on the stack: large documents are mostly text.  The loop is
    # written for speed (a fifth of the time of reading a large catalog went here).
    stack: list[tuple[Any, int]] = [(document, 1)]
    pop, push, text = stack.pop, stack.append, repeat(str)
    while stack:
        node, depth = pop()
        if depth > MAX_DEPTH:
            raise InputError(f"{name}: the document is nested too deeply (more than {MAX_DEPTH})")
        if id(node) in seen:
            raise InputError(
                f"{name}: the YAML uses anchors and aliases ('&' and '*'), which are not "
                "accepted here; write the values out in full"
            )
        seen.add(id(node))
        if isinstance(node, dict):
            if not all(map(isinstance, node, text)):
                key = next(k for k in node if not isinstance(k, str))
                raise InputError(f'{name}: mapping key {key!r} is not text; quote it ("{key}")')
            children: Any = node.values()
        else:
            children = node
        depth += 1
        for child in children:
            if isinstance(child, _CONTAINERS):
                push((child, depth))


_CONTAINERS = (dict, list)


def _mark(mark: Any) -> str:
    if mark is None:
        return ""
    return f"line {mark.line + 1}, column {mark.column + 1}: "


def size_text(n: int) -> str:
    """A byte count as a person reads it (``64.0 MB``, ``12 KB``)."""
    return _size(n)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n < 1024:
        return f"{n} bytes"
    return f"{n / 1024:.0f} KB"
