"""Database fixtures: every store test runs against SQLite and against PostgreSQL.

PostgreSQL comes from ``$MODEL_CATALOG_TEST_PG_URL`` (a database in which that user may
create schemas), else from a throwaway server this session starts with the
local binaries (Debian's ``postgresql`` package).  Without either, PostgreSQL tests skip,
except in CI (``CI=true``), where they fail: a skip must not hide a failure there.
Each test gets an empty schema of its own.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import URL

from catalog.store import Store, resolve_url

PG_URL_ENV = "MODEL_CATALOG_TEST_PG_URL"
PG_BINDIR_ENV = "MODEL_CATALOG_TEST_PG_BINDIR"
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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[URL]:
    """The URL of a PostgreSQL database in which the tests may create schemas."""
    if url := os.environ.get(PG_URL_ENV):
        yield resolve_url(url)
        return
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable(
            "PostgreSQL binaries (initdb, pg_ctl) not found: install Debian's `postgresql`, "
            f"set {PG_BINDIR_ENV} to their directory, or {PG_URL_ENV} to a server's URL"
        )
    as_postgres = _as_postgres_user()
    # Not pytest's tmp_path: that lives under a 0700 directory the postgres user can't enter.
    # A short path also keeps the socket path within its 107-character limit.
    root = Path(tempfile.mkdtemp(prefix="mct-pg-"))
    data, log = root / "data", root / "server.log"
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    try:
        _run(as_postgres, bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")  # fmt: skip
        # Unix socket only: no TCP port that another process could already hold.
        # fsync off: the crash tests kill clients, never the server.
        options = f"-c listen_addresses='' -k {root} -p 5432 -F"
        _run(as_postgres, bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start",
             log=log)  # fmt: skip
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        yield URL.create(
            "postgresql+psycopg",
            username="postgres",
            database="postgres",
            query={"host": str(root)},
        )
    finally:
        _run(as_postgres, bindir / "pg_ctl", "-D", data, "-m", "immediate", "stop", check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: URL) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test, dropped afterwards.

    A schema (as ``search_path``) isolates a test like a database of its own, but costs
    milliseconds instead of a CREATE DATABASE's quarter second.
    """
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = pg_server.set(drivername="postgresql").render_as_string(hide_password=False)
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


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: required)", pytrace=False)
    pytest.skip(reason)


def _pg_bindir() -> Path | None:
    """The directory with initdb and pg_ctl, if PostgreSQL is installed."""
    candidates: list[Path] = []
    if configured := os.environ.get(PG_BINDIR_ENV):
        candidates.append(Path(configured))
    else:
        if found := shutil.which("pg_ctl"):
            candidates.append(Path(found).resolve().parent)
        # Debian keeps server binaries off PATH, one directory per major version.
        versions = Path("/usr/lib/postgresql").glob("*/bin")
        candidates += sorted(versions, key=lambda p: p.parent.name.zfill(4), reverse=True)
    return next(
        (c for c in candidates if (c / "initdb").exists() and (c / "pg_ctl").exists()), None
    )


def _as_postgres_user() -> bool:
    """Whether the server must run as the postgres OS user (it refuses to run as root)."""
    if os.geteuid() != 0:
        return False
    if shutil.which("runuser") is None:
        _unavailable("running as root and `runuser` is missing: cannot start PostgreSQL")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        _unavailable("running as root and there is no `postgres` OS user to run PostgreSQL as")
    return True


def _run(as_postgres: bool, *command: object, check: bool = True, log: Path | None = None) -> None:
    argv = [str(part) for part in command]
    if as_postgres:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        server_log = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        pytest.fail(
            f"{' '.join(argv)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            f"{server_log}",
            pytrace=False,
        )
