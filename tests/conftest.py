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


@pytest.fixture(scope="session")
def backstage(pg_server: URL) -> Iterator[backstage_backend.BackstageBackend]:
    """A Backstage catalog backend on a loopback port, its database dropped afterwards."""
    with backstage_backend.start_backend(pg_server) as backend:
        yield backend
