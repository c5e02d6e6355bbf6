"""The example catalogs the project ships in ``examples/``, and loading one.

An example file is a plain model catalog (nothing else in it, so every tool can read
it); its title and one-line summary are derived from its content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ui import state

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"


@dataclass(frozen=True)
class Example:
    """One shipped example catalog."""

    stem: str
    title: str
    summary: str
    document: dict[str, Any]


def _describe(document: dict[str, Any]) -> tuple[str, str]:
    models = [m for m in document.get("models") or [] if isinstance(m, dict)]
    count = f"{len(models)} model{'' if len(models) == 1 else 's'}"
    server = document.get("modelServer")
    if isinstance(server, dict):
        api = server.get("API") if isinstance(server.get("API"), dict) else None
        kind = f"{api.get('type', 'API')} server" if api else "server without an API"
        return str(server.get("name", "Model server")), f"{kind} with {count}"
    return "Standalone models", f"{count}, no server"


@cache
def examples(directory: Path = EXAMPLES_DIR) -> tuple[Example, ...]:
    """Every ``*.json`` example in ``directory``, sorted by file name (read once)."""
    found = []
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        title, summary = _describe(document)
        found.append(Example(path.stem, title, summary, document))
    return tuple(found)


def find(stem: str) -> Example:
    """The shipped example ``stem`` (KeyError when there is none)."""
    for example in examples():
        if example.stem == stem:
            return example
    raise KeyError(f"no example named {stem!r}")


def load(stem: str, *, as_new: bool = True) -> None:
    """Load the example ``stem`` (one undo step).

    ``as_new`` opens it as a new catalog that enters the Library only once edited or
    saved; otherwise it replaces what the open catalog holds.
    """
    example = find(stem)
    state.replace(example.document, f"load example “{example.title}”", as_new=as_new, pristine=True)
