"""Fixtures shared by every test folder.

``pg_server``  (session) the URL of a PostgreSQL database the tests may create schemas
               and databases in (:mod:`tests.postgres`)
``backstage``  (session) a running Backstage catalog backend (:mod:`tests.backstage_backend`):
               ``.url``, ``.token`` and helpers to register locations and read entities
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import URL

from tests import backstage_backend, postgres


@pytest.fixture(scope="session")
def pg_server() -> Iterator[URL]:
    """The URL of a PostgreSQL database in which the tests may create schemas."""
    with postgres.pg_server() as url:
        yield url


_running: list[backstage_backend.BackstageBackend] = []


@pytest.fixture(scope="session")
def backstage(pg_server: URL) -> Iterator[backstage_backend.BackstageBackend]:
    """A Backstage catalog backend on a loopback port, its database dropped afterwards."""
    with backstage_backend.start_backend(pg_server) as backend:
        _running.append(backend)
        try:
            yield backend
        finally:
            _running.remove(backend)


@pytest.fixture(scope="module", autouse=True)
def _backstage_left_as_found() -> Iterator[None]:
    """Unregister, after each test module, the locations it registered.

    The backend serves the whole session: a module's locations (and the entities still
    processing behind them) must not show up in the next module's lists and waits.
    """
    before = {location_id for b in _running for location_id in b.location_ids()}
    yield
    for backend in _running:
        for location_id in backend.location_ids() - before:
            backend.unregister(location_id)
