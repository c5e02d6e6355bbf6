"""The Studio and Backstage together: the real app serving ``/published``, a real backend.

``start_studio(data_dir)``  runs ``streamlit run app.py`` (the st.App with the publishing
                            routes) on a free loopback port; ``.url``, ``.store()``
``spec_server``             (session) a loopback HTTP server with an OpenAPI document,
                            for ``$text`` definitions Backstage is allowed to fetch
``expected_relations``      the relations Backstage's built-in processors compute for
                            a set of entities (its relation pairs, both directions)
"""

from __future__ import annotations

import contextlib
import http.server
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from catalog.store import Store
from tests.backstage_backend import STUDIO_HOST
from tests.streamlit_server import streamlit_app

ROOT = Path(__file__).resolve().parents[2]
# The catalog generators of the property tests (tests/unit/test_properties.py).
sys.path.insert(0, str(ROOT / "tests" / "unit"))
STARTUP_SECONDS = 90
OPENAPI = '{\n  "openapi": "3.0.0",\n  "info": {"title": "Served to Backstage", "version": "1"},\n  "paths": {}\n}\n'  # noqa: E501


@dataclass(frozen=True)
class Studio:
    """A running Studio: its base URL (no trailing slash) and data folder."""

    url: str
    data_dir: Path
    log_path: Path

    @property
    def location(self) -> str:
        """The URL an administrator registers in Backstage."""
        return f"{self.url}/published/location.yaml"

    def target(self, catalog_id: str) -> str:
        """Where Backstage reads one catalog (the Location's relative target, resolved)."""
        return f"{self.url}/published/{catalog_id}/catalog-info.yaml"

    def store(self) -> Store:
        """The Studio's library, opened as another process would (saving through it)."""
        return Store(f"sqlite:///{self.data_dir / 'catalogs.db'}")


@contextlib.contextmanager
def start_studio(data_dir: Path, public_url: str | None = None) -> Iterator[Studio]:
    """Run ``streamlit run app.py`` on a free loopback port until the block ends."""
    env = {**os.environ, "MODEL_CATALOG_DATA_DIR": str(data_dir)}
    env.pop("MODEL_CATALOG_DB_URL", None)
    if public_url is not None:
        env["MODEL_CATALOG_PUBLIC_URL"] = public_url
    log_path = data_dir / "studio.log"
    with streamlit_app(env, log_path, startup_seconds=STARTUP_SECONDS) as (url, _):
        yield Studio(url, data_dir, log_path)


@pytest.fixture(scope="session")
def spec_server() -> Iterator[str]:
    """The URL of an OpenAPI document on the loopback (Backstage may read it)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = OPENAPI.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer((STUDIO_HOST, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{STUDIO_HOST}:{server.server_address[1]}/openapi.json"
    finally:
        server.shutdown()
        server.server_close()


# -- the relations Backstage computes -----------------------------------------------------

#: Spec field -> (relation, its inverse, default kind of the target), as Backstage's
#: BuiltinKindsEntityProcessor reads them for Component, API and Resource.
_SPEC_RELATIONS = {
    "owner": ("ownedBy", "ownerOf", "group"),
    "dependsOn": ("dependsOn", "dependencyOf", None),
    "dependencyOf": ("dependencyOf", "dependsOn", None),
    "providesApis": ("providesApi", "apiProvidedBy", "api"),
    "consumesApis": ("consumesApi", "apiConsumedBy", "api"),
    "system": ("partOf", "hasPart", "system"),
}
#: What the test backend's AiModelServerAPI processor records (backstage-backend/index.js).
_KIND_FIELDS = {
    "Component": tuple(_SPEC_RELATIONS),
    "API": ("owner", "system"),
    "Resource": ("owner", "dependsOn", "dependencyOf", "system"),
    "AiModelServerAPI": ("owner",),
}


def ref(text: str, default_kind: str | None, namespace: str = "default") -> str:
    """An entity reference in full, lower-cased form: ``kind:namespace/name``."""
    kind, _, rest = text.partition(":") if ":" in text else (default_kind or "", "", text)
    space, _, name = rest.partition("/") if "/" in rest else (namespace, "", rest)
    return f"{kind}:{space}/{name}".lower()


def self_ref(entity: dict[str, Any]) -> str:
    """The entity's own reference."""
    namespace = entity["metadata"].get("namespace", "default")
    return f"{entity['kind']}:{namespace}/{entity['metadata']['name']}".lower()


def expected_relations(entities: Iterable[dict[str, Any]]) -> dict[str, set[tuple[str, str]]]:
    """Each entity's relations ``(type, target ref)``: its own and the inverse ones."""
    entities = list(entities)
    out: dict[str, set[tuple[str, str]]] = {self_ref(e): set() for e in entities}
    for entity in entities:
        source = self_ref(entity)
        spec = entity.get("spec", {})
        for field in _KIND_FIELDS.get(entity["kind"], ()):
            value = spec.get(field)
            if not value:
                continue
            relation, inverse, default_kind = _SPEC_RELATIONS[field]
            for target in [value] if isinstance(value, str) else value:
                target_ref = ref(target, default_kind)
                out[source].add((relation, target_ref))
                out.setdefault(target_ref, set()).add((inverse, source))
    return out


def actual_relations(entity: dict[str, Any]) -> set[tuple[str, str]]:
    """The relations Backstage reports on an entity, in the same form."""
    return {(r["type"], r["targetRef"].lower()) for r in entity.get("relations", [])}
