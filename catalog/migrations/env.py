"""Alembic environment: the store passes its connection; the CLI builds one.

From the project root, ``alembic -c catalog/migrations/alembic.ini upgrade head`` migrates
the database the app would use (``$MODEL_CATALOG_DB_URL`` or the SQLite file);
``-x url=...`` picks another.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from catalog.store._engine import make_engine, resolve_url
from catalog.store._tables import metadata


def _run(connection: Connection) -> None:
    # transactional_ddl: SQLite can roll back DDL too once we control BEGIN, so a
    # migration that fails halfway leaves the schema as it was, on both backends.
    context.configure(
        connection=connection,
        target_metadata=metadata,
        transactional_ddl=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = make_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.config.config_file_name is not None:  # the CLI; the app keeps its own logging
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)
if context.is_offline_mode():
    raise SystemExit("offline (--sql) mode is not supported; run against a database")
_run_online()
