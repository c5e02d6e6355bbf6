"""Several processes on one store at once, and a writer killed in the middle of a save.

Workers are forked processes, each with its own ``Store`` and connections, started
together by one event; they report back through a pipe.  Forking (not spawning) spares
each worker the imports, which dominate the run time.  The parent holds no open database
connection while forking, so no SQLite or PostgreSQL connection is ever shared.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import threading
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

import pytest
from sqlalchemy import Engine, event

from catalog.store import ConflictError, Store, resolve_url

FORK = multiprocessing.get_context("fork")
WRITERS = 6
SAVES = 10
# Only a guard against a hung worker; no assertion depends on timing.
HANG_GUARD_S = 120.0

Say = Callable[[Any], None]


class Worker:
    """One forked process running ``target(say, go, *args)``."""

    def __init__(self, go: Any, target: Callable[..., None], *args: Any) -> None:
        self.inbox, outbox = FORK.Pipe(duplex=False)
        self.process = FORK.Process(target=_serve, args=(outbox, go, target, args), daemon=True)
        self.process.start()
        outbox.close()  # so that the worker's death reads as end of file here

    def read(self) -> Any:
        """The worker's next message; a failure in the worker fails the test."""
        assert self.inbox.poll(HANG_GUARD_S), "worker hung"
        try:
            kind, message = self.inbox.recv()
        except EOFError:
            pytest.fail(f"worker died with exit code {self.process.exitcode}", pytrace=False)
        if kind == "error":
            pytest.fail(f"worker failed:\n{message}", pytrace=False)
        return message

    def kill(self) -> int | None:
        """SIGKILL the worker: no cleanup, no rollback, no exit handlers."""
        assert self.process.pid is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(HANG_GUARD_S)
        return self.process.exitcode


def _serve(outbox: Connection, go: Any, target: Callable[..., None], args: tuple[Any]) -> None:
    def say(message: Any) -> None:
        outbox.send(("message", message))

    try:
        target(say, go, *args)
    except BaseException:
        outbox.send(("error", traceback.format_exc()))
        raise


@pytest.fixture
def start() -> Iterator[Callable[..., list[Worker]]]:
    """Start workers, wait until each is ready, then let them all go at once."""
    started: list[Worker] = []

    def start(count: int, target: Callable[..., None], *args: Any) -> list[Worker]:
        go = FORK.Event()
        batch = [Worker(go, target, *args) for _ in range(count)]
        started.extend(batch)
        for worker in batch:
            assert worker.read() == "ready"
        go.set()
        return batch

    yield start
    for worker in started:
        if worker.process.is_alive():
            worker.kill()


# -- what the workers do -----------------------------------------------------------------


def writer(say: Say, go: Any, url: str, catalog_id: str) -> None:
    """Land SAVES revisions, reading the latest before each attempt, retrying conflicts."""
    with Store(url) as store:
        say("ready")
        go.wait()
        outcomes = []
        for number in range(SAVES):
            while True:
                base = store.get(catalog_id).revision
                outcomes.append(attempt(store, catalog_id, base, f"pid{os.getpid()}-{number}"))
                if outcomes[-1]["outcome"] == "saved":
                    break
        say(outcomes)


def same_base_writer(say: Say, go: Any, url: str, catalog_id: str) -> None:
    """Save once on top of revision 1."""
    with Store(url) as store:
        say("ready")
        go.wait()
        say(attempt(store, catalog_id, 1, f"pid{os.getpid()}"))


def attempt(store: Store, catalog_id: str, base: int, label: str) -> dict[str, Any]:
    """Save once on top of ``base``: a saved revision or a reported conflict."""
    document = {"models": [], "saved_by": label}
    try:
        saved = store.save(catalog_id, document, base_revision=base)
    except ConflictError as conflict:
        latest = conflict.latest
        return {"outcome": "conflict", "base": base, "latest": latest.number,
                "latest_document": latest.document}  # fmt: skip
    return {"outcome": "saved", "base": base, "revision": saved.number, "document": document}


def opener(say: Say, go: Any, url: str) -> None:
    """Open (and so migrate) the store only once told to: all replicas start together."""
    say("ready")
    go.wait()
    Store(url).close()
    say("opened")


def crashing_writer(say: Say, go: Any, url: str, catalog_id: str, statement: str) -> None:
    """Save a large document, and hang inside the transaction once ``statement`` ran."""

    def hang(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        if sql.lstrip().upper().startswith(statement):
            say("inside")
            threading.Event().wait()  # until the test kills this process

    store = Store(url)
    event.listen(Engine, "after_cursor_execute", hang)
    # Over 4 MB, more than SQLite's page cache: pages spill to the WAL before the commit.
    big = {"models": [{"name": f"m{i}", "description": "x" * 1000} for i in range(4000)]}
    say("ready")
    go.wait()
    store.save(catalog_id, big, base_revision=2)
    say("committed")  # never reached


# -- the tests -----------------------------------------------------------------------------


def new_catalog(url: str, *documents: dict[str, Any]) -> str:
    """A catalog with these revisions; the store is closed again before any fork."""
    with Store(url) as store:
        catalog_id = store.create("Shared", documents[0]).id
        for base, document in enumerate(documents[1:], start=1):
            store.save(catalog_id, document, base_revision=base, note="committed")
    return catalog_id


def test_concurrent_writers_lose_no_save(db_url: str, start: Callable[..., list[Worker]]) -> None:
    catalog_id = new_catalog(db_url, {"models": []})

    outcomes = [o for w in start(WRITERS, writer, db_url, catalog_id) for o in w.read()]

    saved = [o for o in outcomes if o["outcome"] == "saved"]
    conflicts = [o for o in outcomes if o["outcome"] == "conflict"]
    # Every attempt ended as exactly one new revision or one reported conflict.
    assert len(saved) + len(conflicts) == len(outcomes)
    assert len(saved) == WRITERS * SAVES
    assert all(o["revision"] == o["base"] + 1 for o in saved)
    assert all(o["latest"] > o["base"] for o in conflicts)
    with Store(db_url) as store:
        # Contiguous numbers, one per saved attempt, each holding what its writer saved.
        numbers = [r.number for r in store.revisions(catalog_id)]
        assert numbers == list(range(len(saved) + 1, 0, -1))
        assert sorted(o["revision"] for o in saved) == numbers[-2::-1]
        for o in saved:
            assert store.revision(catalog_id, o["revision"]).document == o["document"]


def test_writers_on_the_same_base_one_wins_the_rest_see_it(
    db_url: str, start: Callable[..., list[Worker]]
) -> None:
    catalog_id = new_catalog(db_url, {"models": []})

    outcomes = [w.read() for w in start(WRITERS, same_base_writer, db_url, catalog_id)]

    (winner,) = [o for o in outcomes if o["outcome"] == "saved"]
    losers = [o for o in outcomes if o["outcome"] == "conflict"]
    assert len(losers) == WRITERS - 1
    assert winner["revision"] == 2
    assert all(o["latest"] == 2 and o["latest_document"] == winner["document"] for o in losers)
    with Store(db_url) as store:
        assert [r.number for r in store.revisions(catalog_id)] == [2, 1]
        assert store.get(catalog_id).document == winner["document"]


def test_replicas_creating_the_schema_together(
    db_url: str, start: Callable[..., list[Worker]]
) -> None:
    outcomes = [w.read() for w in start(WRITERS, opener, db_url)]

    assert outcomes == ["opened"] * WRITERS
    with Store(db_url) as store:
        assert store.get(store.create("After", {"models": []}).id).revision == 1


@pytest.mark.parametrize("statement", ["INSERT INTO REVISIONS", "UPDATE CATALOGS"])
def test_a_writer_killed_mid_save_loses_only_its_own_save(
    db_url: str, start: Callable[..., list[Worker]], statement: str
) -> None:
    committed = {"models": [{"name": "kept", "tags": ["safe"]}]}
    catalog_id = new_catalog(db_url, {"models": []}, committed)
    (worker,) = start(1, crashing_writer, db_url, catalog_id, statement)

    assert worker.read() == "inside"
    assert worker.kill() == -signal.SIGKILL

    with Store(db_url) as store:
        latest = store.get(catalog_id)
        assert (latest.revision, latest.document, latest.tags) == (2, committed, ("safe",))
        assert [(r.number, r.note) for r in store.revisions(catalog_id)] == [
            (2, "committed"),
            (1, None),
        ]
        assert store.save(catalog_id, {"models": []}, base_revision=2).number == 3
        assert [s.revision for s in store.list()] == [3]
    url = resolve_url(db_url)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
