"""Where the database is, how to connect to it, and bringing its schema up to date."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.pool import StaticPool

from catalog.store._errors import StoreError
from catalog.store._tables import SCHEMA_REVISION

ENV_URL = "MODEL_CATALOG_DB_URL"
ENV_DATA_DIR = "MODEL_CATALOG_DATA_DIR"
DEFAULT_DATA_DIR = "data"
DEFAULT_FILE = "catalogs.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# How long a SQLite writer waits for another one before giving up ("database is locked").
SQLITE_BUSY_TIMEOUT_S = 30.0
# Execution option asking for a write transaction (SQLite: BEGIN IMMEDIATE).
WRITE = "model_catalog_write"
# Any fixed 64-bit number: replicas starting together take turns migrating.
_MIGRATION_LOCK_KEY = 0x6D6F64656C636174


def resolve_url(url: str | None = None) -> URL:
    """The database URL: ``url``, else ``$MODEL_CATALOG_DB_URL``, else the SQLite file."""
    url = url or os.environ.get(ENV_URL) or None
    if url is None:
        data_dir = Path(os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR)
        return URL.create("sqlite", database=str(data_dir.resolve() / DEFAULT_FILE))
    parsed = make_url(url)
    # A bare postgresql:// means psycopg2 to SQLAlchemy; we ship psycopg 3.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: URL) -> Engine:
    """An engine for ``url``, with SQLite set up for several processes writing at once."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    # Replicas live long and databases restart: test a pooled connection before use.
    return create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine) -> None:
    """Bring the schema to ``SCHEMA_REVISION`` with the shipped Alembic migrations.

    A database already there costs one query: Alembic (slow to import) is loaded only
    when there is something to do.  Replicas starting together take turns.
    """
    with engine.connect() as conn:
        if _revisions(conn) == [SCHEMA_REVISION]:
            return
    from alembic import command
    from alembic.util import CommandError

    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        try:
            command.upgrade(alembic_config(conn), "head")
        except CommandError as error:
            raise StoreError(
                f"The catalog database's schema is unknown to this version of the app: {error}"
            ) from error


def alembic_config(conn: Connection) -> Any:
    """An Alembic ``Config`` running the shipped migrations on ``conn`` (its transaction)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


def _revisions(conn: Connection) -> list[str]:
    """The migration revisions the database is at (none when new)."""
    if not inspect(conn).has_table("alembic_version"):
        return []
    return list(conn.scalars(text("SELECT version_num FROM alembic_version")))


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    connect_args: dict[str, Any] = {
        "timeout": SQLITE_BUSY_TIMEOUT_S,
        "check_same_thread": False,
    }
    if database in ("", ":memory:"):
        # One shared connection, or every checkout would see its own empty database.
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args=connect_args)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_on_begin): the sqlite3 module's own
    # transaction handling skips BEGIN before SELECT and DDL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch the database file to WAL (once: the mode is stored in the file).

    Several replicas opening a new database at once race for the switch, and SQLite
    answers "database is locked" straight away there, without waiting for its busy
    timeout: so look first, and retry the switch for a while.
    """
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_on_begin(conn: Connection) -> None:
    # A writer takes the write lock up front. A deferred transaction that reads and then
    # writes fails at once with "database is locked" when another writer got in between,
    # whatever the busy timeout; IMMEDIATE waits for its turn instead.
    immediate = conn.get_execution_options().get(WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
