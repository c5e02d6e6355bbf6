"""A throwaway PostgreSQL server for the tests (the store's and Backstage's).

:func:`pg_server` yields the URL of a database in which the tests may create schemas and
databases: ``$MODEL_CATALOG_TEST_PG_URL`` if set, else a server started here with the
local binaries (Debian's ``postgresql`` package), stopped and deleted afterwards.
Without either, tests that need it skip, except in CI (``CI=true``), where they fail: a
skip must not hide a failure there (:func:`unavailable`).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import URL

from catalog.store import resolve_url

PG_URL_ENV = "MODEL_CATALOG_TEST_PG_URL"
PG_BINDIR_ENV = "MODEL_CATALOG_TEST_PG_BINDIR"


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing part, or fail in CI (``CI=true``), where it is required."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: required)", pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def pg_server() -> Iterator[URL]:
    """The URL of a PostgreSQL database in which the tests may create schemas."""
    if url := os.environ.get(PG_URL_ENV):
        yield resolve_url(url)
        return
    bindir = _pg_bindir()
    if bindir is None:
        unavailable(
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


def admin_dsn(server: URL) -> str:
    """A libpq connection string (for psycopg) for the server's database."""
    return server.set(drivername="postgresql").render_as_string(hide_password=False)


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
        unavailable("running as root and `runuser` is missing: cannot start PostgreSQL")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        unavailable("running as root and there is no `postgres` OS user to run PostgreSQL as")
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
