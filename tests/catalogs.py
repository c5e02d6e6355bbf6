"""Catalogs the tests and benchmarks build from the shipped examples.

``with_models(100)`` is the vLLM example grown to a hundred models: copies of its first
model, named ``model-000`` to ``model-099``.  ``save_catalog(data_dir, name, document)``
saves a catalog where an app started on ``data_dir`` finds it (its Library).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from catalog.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def example(stem: str = "developer-model-service") -> dict[str, Any]:
    """A shipped example catalog, as a fresh document."""
    document: dict[str, Any] = json.loads((EXAMPLES / f"{stem}.json").read_text("utf-8"))
    return document


def with_models(count: int, stem: str = "developer-model-service") -> dict[str, Any]:
    """The example ``stem`` with ``count`` models: copies of its first, renamed
    ``model-000``, ``model-001`` and so on."""
    document = example(stem)
    template = document["models"][0]
    document["models"] = [
        dict(copy.deepcopy(template), name=f"model-{n:03d}") for n in range(count)
    ]
    return document


def save_catalog(data_dir: Path, name: str, document: dict[str, Any]) -> str:
    """Save ``document`` as a new catalog in the library of an app run on ``data_dir``
    (``MODEL_CATALOG_DATA_DIR``); return its id."""
    with Store(f"sqlite:///{data_dir / 'catalogs.db'}") as store:
        return store.create(name, document).id
