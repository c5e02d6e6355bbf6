"""A real Backstage catalog backend for the tests (``backstage-backend/``, built from npm).

:func:`start_backend` runs ``node backstage-backend/index.js`` (the catalog plugin and its
``unprocessed`` module) on a free loopback port, with a static external-access token, its
database in a fresh PostgreSQL database of ``pg`` (dropped afterwards), and a config that
lets it read any ``127.0.0.1`` port (the Studio under test) but nothing else::

    with pg_server() as pg, start_backend(pg) as backstage:
        location = backstage.register("http://127.0.0.1:8501/published/location.yaml")
        entities = backstage.wait_for_entities(lambda found: len(found) >= 3)

The session fixture ``backstage`` (tests/conftest.py) shares one backend between tests;
they keep apart by the locations they register (:meth:`BackstageBackend.entities` takes
a location target).  A URL on ``localhost`` (not ``127.0.0.1``) is one Backstage is *not*
allowed to read.  Without node or ``backstage-backend/node_modules`` (``./dev setup``
runs ``npm ci``), tests skip, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import requests
from psycopg import sql
from sqlalchemy import URL

from tests.postgres import admin_dsn, unavailable

ROOT = Path(__file__).resolve().parent.parent
BACKEND_DIR = ROOT / "backstage-backend"
#: How long the backend may take to start (it migrates its database first).
STARTUP_SECONDS = 120
#: How long a registered location's entities may take to appear (1-2 s on an idle machine).
SETTLE_SECONDS = 60
#: The kinds the catalog accepts: Backstage's built-in ones and the Studio's AiModelServerAPI.
ALLOWED_KINDS = (
    "Component", "API", "Resource", "System", "Domain", "Location", "Group", "User",
    "Template", "AiModelServerAPI",
)  # fmt: skip
STUDIO_HOST = "127.0.0.1"
#: The reading.allow entry of the test backend: every unprivileged port of the loopback.
READING_ALLOW = [{"host": f"{STUDIO_HOST}:1024-65535"}]


class BackstageError(AssertionError):
    """Backstage answered a test's request with an unexpected status."""


@dataclass
class BackstageBackend:
    """A running catalog backend: its base URL, token and a few API calls for tests."""

    url: str
    token: str
    log_path: Path
    session: requests.Session = field(default_factory=requests.Session, repr=False)

    def request(
        self, method: str, path: str, *, token: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """One call to the backend (``path`` from ``/api/...``) with the token by default."""
        headers = {"Authorization": f"Bearer {self.token if token is None else token}"}
        if token == "":
            headers = {}
        return self.session.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        """The JSON answer of a call that must return ``expect`` (an error names the body)."""
        response = self.request(method, path, **kwargs)
        if response.status_code != expect:
            raise BackstageError(
                f"{method} {path}: {response.status_code}, expected {expect}: "
                f"{response.text[:2000]}"
            )
        return response.json() if response.content else None

    def register(self, target: str, *, dry_run: bool = False) -> Any:
        """Register a ``url`` location (or dry-run it): Backstage's answer."""
        query = "?dryRun=true" if dry_run else ""
        return self.call(
            "POST",
            f"/api/catalog/locations{query}",
            expect=201,  # a dry run answers 201 too
            json={"type": "url", "target": target},
        )

    def unregister(self, location_id: str) -> None:
        """Delete a registered location (its entities go, if nothing else claims them)."""
        self.call("DELETE", f"/api/catalog/locations/{location_id}", expect=204)

    def location_ids(self) -> set[str]:
        """The ids of every registered location."""
        return {
            str(location.get("data", location)["id"])
            for location in self.call("GET", "/api/catalog/locations")
        }

    def refresh(self, entity_ref: str) -> None:
        """Ask Backstage to process an entity (e.g. ``location:default/x``) again now."""
        self.call("POST", "/api/catalog/refresh", expect=200, json={"entityRef": entity_ref})

    def all_entities(self) -> list[dict[str, Any]]:
        """Every entity in the catalog."""
        found: list[dict[str, Any]] = self.call("GET", "/api/catalog/entities")
        return found

    def entities(self, origin: str) -> list[dict[str, Any]]:
        """The entities whose origin location is ``origin`` (a location's target URL).

        Without the Location entity itself, whose origin is the location too.
        """
        return [
            entity
            for entity in self.all_entities()
            if origin_of(entity) == origin and not _is_location(entity, origin)
        ]

    def entities_at(self, target: str) -> list[dict[str, Any]]:
        """The entities read from one file (``backstage.io/managed-by-location``)."""
        return [e for e in self.all_entities() if managed_by(e) == target]

    def pending(self) -> list[dict[str, Any]]:
        """Entities Backstage read but could not (yet) process, with their errors."""
        answer = self.call("GET", "/api/catalog/entities/unprocessed/pending")
        return list(answer.get("entities", []))

    def failed(self) -> list[dict[str, Any]]:
        """Entities whose processing failed, with their errors."""
        answer = self.call("GET", "/api/catalog/entities/unprocessed/failed")
        return list(answer.get("entities", []))

    def validate_entity(self, entity: dict[str, Any], location: str) -> requests.Response:
        """Backstage's ``validate-entity`` answer for one entity (200, or 400 with errors)."""
        return self.request(
            "POST",
            "/api/catalog/validate-entity",
            json={"entity": entity, "location": f"url:{location}"},
        )

    def wait_for(self, what: str, probe: Callable[[], Any], timeout: float = SETTLE_SECONDS) -> Any:
        """Poll ``probe`` until it returns something truthy; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            result = probe()
            if result:
                return result
            if time.monotonic() > deadline:
                raise BackstageError(f"Backstage did not show {what} within {timeout:.0f} s")
            time.sleep(0.5)

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the backend's log, for failure messages."""
        return self.log_path.read_text("utf-8", "replace")[-chars:]


def origin_of(entity: dict[str, Any]) -> str:
    """The target URL of the location an entity came from (``url:`` prefix removed)."""
    annotations = entity.get("metadata", {}).get("annotations", {})
    origin = str(annotations.get("backstage.io/managed-by-origin-location", ""))
    return origin.removeprefix("url:")


def managed_by(entity: dict[str, Any]) -> str:
    """The URL of the file an entity was read from (``url:`` prefix removed)."""
    annotations = entity.get("metadata", {}).get("annotations", {})
    return str(annotations.get("backstage.io/managed-by-location", "")).removeprefix("url:")


def _is_location(entity: dict[str, Any], origin: str) -> bool:
    return bool(entity.get("kind") == "Location" and managed_by(entity) == origin)


def node_modules_ready() -> bool:
    """Whether ``npm ci`` has installed the backend's packages."""
    return (BACKEND_DIR / "node_modules" / "@backstage" / "plugin-catalog-backend").is_dir()


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((STUDIO_HOST, 0))
        return int(sock.getsockname()[1])


def _connection(pg: URL, database: str) -> dict[str, Any]:
    """The ``pg`` client's connection settings for ``database`` on the server of ``pg``."""
    host = pg.host or str(pg.query.get("host", "")) or "127.0.0.1"
    connection: dict[str, Any] = {
        "host": host,
        "port": pg.port or 5432,
        "user": pg.username or "postgres",
        "database": database,
    }
    if pg.password:
        connection["password"] = pg.password
    return connection


def backend_config(port: int, token: str, connection: dict[str, Any]) -> dict[str, Any]:
    """The app-config of the test backend (JSON is YAML, so the file is plain JSON)."""
    base = f"http://{STUDIO_HOST}:{port}"
    return {
        "app": {"baseUrl": base},
        "backend": {
            "baseUrl": base,
            "listen": {"host": STUDIO_HOST, "port": port},
            "database": {
                "client": "pg",
                "pluginDivisionMode": "schema",
                "connection": connection,
            },
            "auth": {
                "externalAccess": [
                    {
                        "type": "static",
                        "options": {"token": token, "subject": "model-catalog-studio-tests"},
                    }
                ]
            },
            "reading": {"allow": READING_ALLOW},
        },
        "catalog": {
            "rules": [{"allow": list(ALLOWED_KINDS)}],
            # Re-reads of registered locations (a new one is read at once anyway).
            "processingInterval": {"seconds": 2},
            "orphanStrategy": "keep",
        },
    }


@contextlib.contextmanager
def _database(pg: URL) -> Iterator[str]:
    """A fresh PostgreSQL database for one backend, dropped (connections and all) afterwards."""
    name = f"backstage_{secrets.token_hex(6)}"
    with psycopg.connect(admin_dsn(pg), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(admin_dsn(pg), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@contextlib.contextmanager
def start_backend(pg: URL) -> Iterator[BackstageBackend]:
    """Run the catalog backend until the block ends; then stop it and drop its database."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed: the Backstage backend tests need node 20")
    if not node_modules_ready():
        unavailable(f"{BACKEND_DIR}/node_modules is missing: run ./dev setup (npm ci)")
    work = Path(tempfile.mkdtemp(prefix="mct-backstage-"))
    log_path = work / "backend.log"
    token = secrets.token_urlsafe(24)
    port = free_port()
    try:
        with _database(pg) as database, log_path.open("wb") as log:
            config = work / "app-config.yaml"
            config.write_text(json.dumps(backend_config(port, token, _connection(pg, database))))
            env = {**os.environ, "NODE_ENV": "development", "LOG_LEVEL": "warn"}
            process = subprocess.Popen(
                [node, "index.js", "--config", str(config)],
                cwd=BACKEND_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )
            backend = BackstageBackend(f"http://{STUDIO_HOST}:{port}", token, log_path)
            try:
                _wait_until_up(backend, process)
                yield backend
            finally:
                _stop(process)
                backend.session.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _wait_until_up(backend: BackstageBackend, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise BackstageError(
                f"the Backstage backend exited ({process.returncode}):\n{backend.log_tail()}"
            )
        try:
            response = backend.request("GET", "/api/catalog/entities?limit=1")
            if response.status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise BackstageError(
                f"the Backstage backend did not answer within {STARTUP_SECONDS} s:\n"
                f"{backend.log_tail()}"
            )
        time.sleep(0.3)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the backend and anything it started (its process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
