"""Database fixtures: every store test runs against SQLite and against PostgreSQL.

PostgreSQL is the session's ``pg_server`` (tests/conftest.py, :mod:`tests.postgres`):
``$MODEL_CATALOG_TEST_PG_URL``, else a throwaway server.  Without either, PostgreSQL tests
skip, except in CI (``CI=true``), where they fail.  Each test gets an empty schema of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import URL

from catalog.store import Store
from tests.postgres import admin_dsn

BACKENDS = ("sqlite", "postgresql")


class FakeClock:
    """A clock that moves one second per reading, so every change has its own time."""

    def __init__(self, start: datetime = datetime(2025, 1, 1, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def advance(self, delta: timedelta) -> None:
        """Jump ahead, e.g. past a retention period."""
        self.now += delta


@pytest.fixture
def pg_url(pg_server: URL) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test, dropped afterwards.

    A schema (as ``search_path``) isolates a test like a database of its own, but costs
    milliseconds instead of a CREATE DATABASE's quarter second.
    """
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = admin_dsn(pg_server)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        url = pg_server.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalogs.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def clock() -> FakeClock:
    """The store's clock in tests: one second per reading, from 2025-01-01 UTC."""
    return FakeClock()


@pytest.fixture
def store(db_url: str, clock: FakeClock) -> Iterator[Store]:
    """An open store on an empty database, once per backend."""
    with Store(db_url, clock=clock) as opened:
        yield opened


@pytest.fixture
def open_store(db_url: str) -> Iterator[Callable[[], Store]]:
    """A factory for more stores on the same database (as other processes would open)."""
    opened: list[Store] = []

    def factory() -> Store:
        opened.append(Store(db_url))
        return opened[-1]

    yield factory
    for each in opened:
        each.close()
