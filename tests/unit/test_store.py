"""The catalog store, on SQLite and on PostgreSQL (see conftest.py for the databases)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, func, select, text

from catalog.errors import CatalogError
from catalog.store import (
    ENV_DATA_DIR,
    ENV_URL,
    MAX_DOCUMENT_BYTES,
    ConflictError,
    DraftConflictError,
    NotFoundError,
    Store,
    StoreError,
    _store,
    new_id,
    resolve_url,
)
from catalog.store._engine import MIGRATIONS_DIR, alembic_config, make_engine
from catalog.store._tables import SCHEMA_REVISION, metadata, revisions

ALPHA: dict[str, Any] = {
    "modelServer": {
        "name": "Granite Server",
        "owner": "team-a",
        "tags": ["vLLM", "IBM"],
        "API": {"url": "https://api.example.com", "type": "openapi", "tags": ["OpenAPI", "ibm"]},
    },
    "models": [
        {"name": "granite-20b", "tags": ["Granite", "20b"]},
        {"name": "granite-8b", "tags": ["granite"]},
    ],
}
BETA: dict[str, Any] = {"models": [{"name": "mistral-7b", "tags": ["Mistral"]}]}


def edited(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of ``document`` with some top-level keys changed."""
    return {**json.loads(json.dumps(document)), **changes}


# -- create, get, save ---------------------------------------------------------------------


def test_create_stores_revision_1_with_listing_fields(store: Store) -> None:
    info = store.create("Alpha", ALPHA, note="first")

    assert re.fullmatch(r"[A-Za-z0-9_-]{11}", info.id)
    got = store.get(info.id)
    assert got == info
    assert (got.name, got.revision, got.model_count) == ("Alpha", 1, 2)
    assert got.tags == ("20b", "granite", "ibm", "openapi", "vllm")
    assert got.document == ALPHA
    assert store.revisions(info.id)[0].note == "first"


@pytest.mark.parametrize(
    ("name", "document", "expected"),
    [
        ("  Mine  ", ALPHA, "Mine"),
        ("", ALPHA, "Granite Server"),
        (None, BETA, "mistral-7b"),
        ("   ", {"models": []}, "Untitled catalog"),
        ("", {"modelServer": "not an object", "models": "nor a list"}, "Untitled catalog"),
    ],
)
def test_name_defaults_to_the_documents_own(
    store: Store, name: str | None, document: dict[str, Any], expected: str
) -> None:
    assert store.get(store.create(name, document).id).name == expected


def test_document_comes_back_exactly_with_key_order(store: Store) -> None:
    document = {
        "zeta": 1,
        "alpha": {"y": [1, 2.5, None, True], "x": 'naïve 日本 \u0000 "quoted" \\'},
        "models": [],
    }

    got = store.get(store.create("Order", document).id).document

    assert json.dumps(got) == json.dumps(document)


def test_save_appends_and_never_overwrites(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    second = edited(ALPHA, models=[])
    third = edited(ALPHA, models=[{"name": "new"}])

    saved = store.save(info.id, second, base_revision=1, note="emptied")
    store.save(info.id, third, base_revision=2)

    assert saved.number == 2
    assert saved.note == "emptied"
    assert [r.number for r in store.revisions(info.id)] == [3, 2, 1]
    assert store.revision(info.id, 1).document == ALPHA
    assert store.revision(info.id, 2).document == second
    assert store.get(info.id).document == third


@pytest.mark.parametrize("stale_base", [1, 7])
def test_save_on_another_base_is_a_conflict_and_writes_nothing(
    store: Store, stale_base: int
) -> None:
    info = store.create("Alpha", ALPHA)
    theirs = edited(ALPHA, models=[])
    store.save(info.id, theirs, base_revision=1)

    with pytest.raises(ConflictError) as caught:
        store.save(info.id, edited(ALPHA, mine=True), base_revision=stale_base)

    assert isinstance(caught.value, CatalogError)
    assert caught.value.base_revision == stale_base
    assert (caught.value.latest.number, caught.value.latest.document) == (2, theirs)
    assert len(store.revisions(info.id)) == 2
    # The person chose theirs after all: saving on top of the winner works.
    assert store.save(info.id, {"mine": True}, base_revision=2).number == 3


def test_the_primary_key_refuses_a_writer_that_got_past_the_lock(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = store.create("Alpha", ALPHA)
    store.save(info.id, BETA, base_revision=1)
    real_live = _store.live

    def stale_live(*args: Any, **kwargs: Any) -> Any:
        # As if another writer had committed revision 2 after this one read the row.
        return SimpleNamespace(**{**real_live(*args, **kwargs)._asdict(), "latest_revision": 1})

    monkeypatch.setattr(_store, "live", stale_live)

    with pytest.raises(ConflictError) as caught:
        store.save(info.id, {"late": True}, base_revision=1)

    monkeypatch.undo()
    assert (caught.value.latest.number, caught.value.latest.document) == (2, BETA)
    assert [r.number for r in store.revisions(info.id)] == [2, 1]


def test_restore_appends_the_old_document(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    store.save(info.id, BETA, base_revision=1)

    restored = store.restore(info.id, 1)

    assert (restored.number, restored.note) == (3, "Restored revision 1")
    assert store.get(info.id).document == ALPHA
    assert store.get(info.id).model_count == 2
    assert store.revision(info.id, 2).document == BETA


def test_timestamps_are_aware_utc(db_url: str) -> None:
    paris_noon = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    with Store(db_url, clock=lambda: paris_noon) as store:
        info = store.get(store.create("Alpha", ALPHA).id)

    assert info.created_at == paris_noon
    assert info.created_at.tzinfo == UTC
    assert info.updated_at.hour == 10


# -- not found, limits ---------------------------------------------------------------------

OPERATIONS: dict[str, Callable[[Store, str], object]] = {
    "get": lambda s, i: s.get(i),
    "save": lambda s, i: s.save(i, ALPHA, base_revision=1),
    "revisions": lambda s, i: s.revisions(i),
    "revision": lambda s, i: s.revision(i, 1),
    "restore": lambda s, i: s.restore(i, 1),
    "rename": lambda s, i: s.rename(i, "New"),
    "duplicate": lambda s, i: s.duplicate(i),
    "delete": lambda s, i: s.delete(i),
    "undelete": lambda s, i: s.undelete(i),
    "save_draft": lambda s, i: s.save_draft(i, ALPHA, base_revision=1),
    "get_draft": lambda s, i: s.get_draft(i),
}


@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=OPERATIONS.keys())
def test_an_unknown_catalog_is_not_found(
    store: Store, operation: Callable[[Store, str], object]
) -> None:
    with pytest.raises(NotFoundError, match="no catalog 'nope'"):
        operation(store, "nope")


def test_an_unknown_revision_is_not_found(store: Store) -> None:
    info = store.create("Alpha", ALPHA)

    with pytest.raises(NotFoundError, match="no revision 9"):
        store.revision(info.id, 9)
    with pytest.raises(NotFoundError, match="no revision 9"):
        store.restore(info.id, 9)
    assert store.get(info.id).revision == 1


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda s: s.create("Big", {"x": "a" * MAX_DOCUMENT_BYTES}), StoreError, "limit is 5 MB"),
        (lambda s: s.create("NaN", {"x": float("nan")}), StoreError, "cannot be stored as JSON"),
        (lambda s: s.create("Odd", {"x": object()}), StoreError, "cannot be stored as JSON"),
        (lambda s: s.create("List", [ALPHA]), TypeError, "a dict, not list"),
        (lambda s: s.create("n" * 201, ALPHA), StoreError, "at most 200 characters"),
        (lambda s: s.create("Note", ALPHA, note="n" * 2001), StoreError, "at most 2000"),
    ],
    ids=["too-big", "nan", "not-json", "not-a-dict", "long-name", "long-note"],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    store: Store, call: Callable[[Store], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call(store)

    assert store.list() == []


def test_too_big_a_save_leaves_the_catalog_alone(store: Store) -> None:
    info = store.create("Alpha", ALPHA)

    with pytest.raises(StoreError, match="MB"):
        store.save(info.id, {"x": "a" * MAX_DOCUMENT_BYTES}, base_revision=1)

    assert store.get(info.id) == info


# -- the library: list, rename, duplicate, delete ------------------------------------------


def test_list_shows_newest_change_first(store: Store) -> None:
    a = store.create("A", ALPHA)
    b = store.create("B", BETA)
    c = store.create("C", BETA)
    store.save(a.id, ALPHA, base_revision=1)

    listed = store.list()

    assert [s.id for s in listed] == [a.id, c.id, b.id]
    assert (listed[0].revision, listed[0].model_count, listed[0].tags) == (2, 2, a.tags)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", ["Beta", "Alpha", "100% sure_thing"]),
        ("ALPHA", ["Alpha"]),
        ("granite-8", ["Alpha"]),  # a model's name
        ("granite server", ["Alpha"]),  # the server's name
        ("MISTRAL", ["Beta"]),
        ("%", ["100% sure_thing"]),  # LIKE wildcards match themselves
        ("_", ["100% sure_thing"]),
        ("nothing like it", []),
    ],
)
def test_list_searches_names_ignoring_case(store: Store, search: str, expected: list[str]) -> None:
    store.create("100% sure_thing", {"models": []})
    store.create("Alpha", ALPHA)
    store.create("Beta", BETA)

    assert [s.name for s in store.list(search=search)] == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("IBM", ["Alpha"]), ("openapi", ["Alpha"]), ("mistral", ["Beta"]), ("none", [])],
)
def test_list_filters_by_tag(store: Store, tag: str, expected: list[str]) -> None:
    store.create("Alpha", ALPHA)
    store.create("Beta", BETA)

    assert [s.name for s in store.list(tag=tag)] == expected


def test_all_tags_counts_live_catalogs(store: Store) -> None:
    store.create("Alpha", ALPHA)
    store.create("Beta", BETA)
    store.create("Gamma", {"models": [{"name": "g", "tags": ["granite", "mistral"]}]})
    store.delete(store.create("Gone", {"models": [{"name": "x", "tags": ["gone"]}]}).id)

    assert store.all_tags() == [
        ("granite", 2),
        ("mistral", 2),
        ("20b", 1),
        ("ibm", 1),
        ("openapi", 1),
        ("vllm", 1),
    ]


def test_listing_follows_the_latest_revision(store: Store) -> None:
    info = store.create("Alpha", ALPHA)

    store.save(info.id, BETA, base_revision=1)

    (summary,) = store.list()
    assert (summary.model_count, summary.tags) == (1, ("mistral",))
    assert store.list(search="granite") == []
    assert store.list(tag="ibm") == []
    assert store.list(search="mistral") == [summary]


def test_load_all_returns_latest_documents(store: Store) -> None:
    a = store.create("A", ALPHA)
    store.save(a.id, BETA, base_revision=1)
    store.delete(store.create("Gone", ALPHA).id)

    assert [(c.name, c.document) for c in store.load_all()] == [("A", BETA)]


def test_rename_changes_name_and_search_but_adds_no_revision(store: Store) -> None:
    info = store.create("Alpha", ALPHA)

    renamed = store.rename(info.id, " Omega ")

    assert renamed.name == "Omega"
    assert renamed.updated_at > info.updated_at
    assert store.get(info.id).name == "Omega"
    assert [s.name for s in store.list(search="omega")] == ["Omega"]
    assert store.list(search="alpha") == []
    assert len(store.revisions(info.id)) == 1
    assert store.rename(info.id, "").name == "Granite Server"


def test_duplicate_is_an_independent_catalog(store: Store) -> None:
    source = store.create("Alpha", ALPHA)
    store.save(source.id, BETA, base_revision=1)

    copy = store.duplicate(source.id)
    named = store.duplicate(source.id, "Named")
    store.save(copy.id, ALPHA, base_revision=1)

    assert copy.id != source.id
    assert (copy.name, copy.revision, copy.document) == ("Alpha (copy)", 1, BETA)
    assert named.name == "Named"
    assert store.revisions(copy.id)[-1].note == "Copied from “Alpha” revision 2"
    assert store.get(source.id).document == BETA


def test_delete_hides_until_undelete(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    store.save(info.id, BETA, base_revision=1)

    store.delete(info.id)

    assert store.list() == []
    with pytest.raises(NotFoundError):
        store.get(info.id)
    with pytest.raises(NotFoundError):
        store.delete(info.id)
    (binned,) = store.list(deleted=True)
    assert (binned.id, binned.deleted_at is not None) == (info.id, True)

    restored = store.undelete(info.id)

    assert restored.deleted_at is None
    assert store.get(info.id).document == BETA
    assert len(store.revisions(info.id)) == 2
    assert store.list(deleted=True) == []


def test_purge_removes_only_long_deleted_catalogs(store: Store, clock: Any, db_url: str) -> None:
    old, recent, _ = (store.create(n, ALPHA) for n in ("Old", "Recent", "Kept"))
    store.save_draft(old.id, BETA, base_revision=1)
    store.delete(old.id)
    clock.advance(timedelta(days=10))
    store.delete(recent.id)

    assert store.purge_deleted(older_than=timedelta(days=7)) == 1

    with pytest.raises(NotFoundError):
        store.undelete(old.id)
    assert store.undelete(recent.id).name == "Recent"
    assert [s.name for s in store.list()] == ["Kept", "Recent"]
    engine = create_engine(resolve_url(db_url))
    try:
        with engine.connect() as conn:
            left = (
                select(func.count()).select_from(revisions).where(revisions.c.catalog_id == old.id)
            )
            assert conn.scalar(left) == 0
    finally:
        engine.dispose()


# -- drafts ----------------------------------------------------------------------------------


def test_draft_is_kept_apart_from_revisions(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    assert store.get_draft(info.id) is None

    store.save_draft(info.id, edited(ALPHA, models=[]), base_revision=1)
    draft = store.save_draft(info.id, BETA, base_revision=1)

    assert store.get_draft(info.id) == draft
    assert (draft.document, draft.base_revision, draft.stale) == (BETA, 1, False)
    assert store.get(info.id).document == ALPHA
    assert len(store.revisions(info.id)) == 1
    store.discard_draft(info.id)
    assert store.get_draft(info.id) is None
    store.discard_draft(info.id)


def test_a_draft_older_than_the_latest_revision_is_still_offered(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    store.save_draft(info.id, BETA, base_revision=1)

    store.save(info.id, edited(ALPHA, someone="else"), base_revision=1)

    draft = store.get_draft(info.id)
    assert draft is not None
    assert (draft.document, draft.base_revision, draft.latest_revision) == (BETA, 1, 2)
    assert draft.stale


def test_each_editor_keeps_a_draft_of_their_own(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    mine = store.save_draft(info.id, edited(ALPHA, mine=1), base_revision=1, editor="me")
    theirs = store.save_draft(info.id, BETA, base_revision=1, editor="them")

    # Neither overwrote the other: two people's unsaved work side by side.
    assert store.get_draft(info.id, "me") == mine
    assert store.get_draft(info.id, "them") == theirs
    assert store.drafts(info.id) == [theirs, mine]  # the most recently written first
    assert store.get_draft(info.id) == theirs
    assert store.get_draft(info.id, "nobody") is None

    store.discard_draft(info.id, "them")  # their Save drops their draft only
    assert store.drafts(info.id) == [mine]
    store.discard_draft(info.id)  # all of them
    assert store.drafts(info.id) == []


def test_a_draft_someone_else_wrote_meanwhile_is_not_overwritten(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    first = store.save_draft(info.id, ALPHA, base_revision=1, editor="tab", expected_version=0)
    assert first.version == 1  # a new draft: whatever version was expected
    second = store.save_draft(info.id, BETA, base_revision=1, editor="tab", expected_version=1)
    assert second.version == 2

    # A second browser on the same draft, still believing it is at version 1:
    with pytest.raises(DraftConflictError) as caught:
        store.save_draft(info.id, edited(ALPHA, late=1), base_revision=1, editor="tab",
                         expected_version=1)  # fmt: skip

    assert caught.value.current.document == BETA
    assert caught.value.current.version == 2
    assert store.get_draft(info.id, "tab") == second
    # Without an expected version a write always lands (and still counts).
    assert store.save_draft(info.id, ALPHA, base_revision=1, editor="tab").version == 3


def test_abandoned_drafts_are_purged_after_a_while(store: Store, clock: Any) -> None:
    info = store.create("Alpha", ALPHA)
    store.save_draft(info.id, ALPHA, base_revision=1, editor="old")
    clock.advance(timedelta(days=31))
    recent = store.save_draft(info.id, BETA, base_revision=1, editor="recent")

    assert store.purge_drafts(older_than=timedelta(days=30)) == 1
    assert store.drafts(info.id) == [recent]


@contextmanager
def migrated(db_url: str, step: Callable[[Any, str], None], target: str) -> Iterator[Connection]:
    """A connection to ``db_url`` just after ``step`` (Alembic's upgrade or downgrade) to
    ``target``, in the same transaction."""
    engine = make_engine(resolve_url(db_url))
    try:
        with engine.begin() as conn:
            step(alembic_config(conn), target)
            yield conn
    finally:
        engine.dispose()


def test_the_one_draft_of_a_catalog_from_before_editors_is_kept_by_the_upgrade(
    db_url: str, open_store: Callable[[], Store]
) -> None:
    with migrated(db_url, command.upgrade, "0001") as conn:
        now = datetime(2025, 1, 1, tzinfo=UTC)
        conn.execute(
            text(
                "INSERT INTO catalogs (id, name, search_text, model_count, "
                "latest_revision, created_at, updated_at) "
                "VALUES ('old', 'Old', 'old', 1, 1, :now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO revisions (catalog_id, number, document, note, created_at) "
                "VALUES ('old', 1, :doc, NULL, :now)"
            ),
            {"doc": json.dumps(ALPHA), "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO drafts (catalog_id, base_revision, document, updated_at) "
                "VALUES ('old', 1, :doc, :now)"
            ),
            {"doc": json.dumps(BETA), "now": now},
        )

    with open_store() as store:
        (draft,) = store.drafts("old")
        assert (draft.document, draft.editor, draft.version) == (BETA, "", 1)
        store.save_draft("old", ALPHA, base_revision=1, editor="new")
        assert len(store.drafts("old")) == 2


def test_downgrading_keeps_each_catalogs_newest_draft(store: Store, db_url: str) -> None:
    info = store.create("Alpha", ALPHA)
    store.save_draft(info.id, ALPHA, base_revision=1, editor="older")
    store.save_draft(info.id, BETA, base_revision=1, editor="newer")
    store.close()
    with migrated(db_url, command.downgrade, "0001") as conn:
        rows = conn.execute(text("SELECT catalog_id, document FROM drafts")).all()

    assert [(r[0], r[1] if isinstance(r[1], dict) else json.loads(r[1])) for r in rows] == [
        (info.id, BETA)
    ]


@pytest.mark.parametrize("base", [0, 2])
def test_a_draft_needs_an_existing_base_revision(store: Store, base: int) -> None:
    info = store.create("Alpha", ALPHA)

    with pytest.raises(ValueError, match=f"no revision {base}"):
        store.save_draft(info.id, BETA, base_revision=base)


# -- opening, migrations, configuration ------------------------------------------------------


def test_reopening_keeps_everything_and_the_schema_is_at_head(
    store: Store, open_store: Callable[[], Store], db_url: str
) -> None:
    info = store.create("Alpha", ALPHA)

    again = open_store()

    assert again.get(info.id) == store.get(info.id)
    engine = create_engine(resolve_url(db_url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert context.get_current_revision() == SCHEMA_REVISION
            # The migrations build exactly the tables the code uses.
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_the_code_expects_the_newest_migration() -> None:
    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_heads() == [SCHEMA_REVISION]


def test_the_alembic_command_line_migrates_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ini = MIGRATIONS_DIR / "alembic.ini"
    command = [
        sys.executable,
        "-m",
        "alembic",
        "-c",
        str(ini),
        "-x",
        f"url={url}",
        "upgrade",
        "head",
    ]

    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, check=False)

    assert done.returncode == 0, done.stderr
    assert "Running upgrade  -> 0001" in done.stderr
    with Store(url) as store:
        assert store.list() == []


def test_a_schema_newer_than_the_code_is_refused(
    store: Store, open_store: Callable[[], Store], db_url: str
) -> None:
    engine = create_engine(resolve_url(db_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()

    with pytest.raises(StoreError, match="schema is unknown"):
        open_store()


def test_default_database_is_a_wal_sqlite_file_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "new" / "data"))

    with Store() as store:
        store.create("Alpha", ALPHA)

    path = tmp_path / "new" / "data" / "catalogs.db"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("SELECT name FROM catalogs").fetchall() == [("Alpha",)]


def test_an_in_memory_database_works_for_quick_experiments() -> None:
    with Store("sqlite://") as store:
        info = store.create("Alpha", ALPHA)
        store.save(info.id, BETA, base_revision=1)

        assert store.get(info.id).document == BETA


def test_the_url_from_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, f"sqlite:///{tmp_path / 'chosen.db'}")
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "unused"))

    with Store() as store:
        assert store.url.database == str(tmp_path / "chosen.db")

    assert not (tmp_path / "unused").exists()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://app:secret@db:5432/catalogs", "postgresql+psycopg"),
        ("postgres://app@db/catalogs", "postgresql+psycopg"),
        ("postgresql+psycopg://app@db/catalogs", "postgresql+psycopg"),
        ("sqlite:////srv/catalogs.db", "sqlite"),
    ],
)
def test_postgresql_urls_use_psycopg_3(url: str, driver: str) -> None:
    assert resolve_url(url).drivername == driver


def test_an_unreachable_database_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError, match="database failed") as caught:
        Store("postgresql://app:s3cret@127.0.0.1:1/catalogs?connect_timeout=5")

    assert "s3cret" not in str(caught.value)


def test_ids_are_url_safe_and_distinct() -> None:
    ids = {new_id() for _ in range(1000)}

    assert len(ids) == 1000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{11}", i) for i in ids)


def test_an_unnamed_catalog_follows_its_document_until_renamed(store: Store) -> None:
    info = store.create(None, {"models": [{"name": "all-minilm", "owner": "group:a"}]})
    assert (info.name, info.named, info.owner) == ("all-minilm", False, "group:a")
    triton = {"modelServer": {"name": "triton", "owner": "group:vision"}, "models": []}
    store.save(info.id, triton, base_revision=1)
    (row,) = store.list()
    assert (row.name, row.named, row.owner) == ("triton", False, "group:vision")
    assert store.list("triton") and not store.list("minilm")

    store.rename(info.id, "Vision")
    store.save(info.id, {"models": [{"name": "other"}]}, base_revision=2)
    (row,) = store.list()
    assert (row.name, row.named) == ("Vision", True)

    store.rename(info.id, "")  # back to following the document
    store.save(info.id, triton, base_revision=3)
    assert store.get(info.id).name == "triton"


def test_a_named_create_keeps_its_name(store: Store) -> None:
    info = store.create("Granite", ALPHA)
    store.save(info.id, BETA, base_revision=1)
    assert store.get(info.id).name == "Granite"


def test_a_draft_remembers_the_browser_that_wrote_it(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    store.save_draft(info.id, BETA, base_revision=1, editor="tab", browser="b1")
    (draft,) = store.drafts(info.id)
    assert (draft.editor, draft.browser) == ("tab", "b1")


def test_the_upgrade_to_0003_keeps_names_and_reads_each_owner_once(
    db_url: str, open_store: Callable[[], Store]
) -> None:
    owned = {"modelServer": {"name": "srv", "owner": "group:team"}, "models": []}
    with migrated(db_url, command.upgrade, "0002") as conn:
        now = datetime(2025, 1, 1, tzinfo=UTC)
        conn.execute(
            text(
                "INSERT INTO catalogs (id, name, search_text, model_count, "
                "latest_revision, created_at, updated_at) "
                "VALUES ('old', 'Hand-named', 'hand-named', 0, 1, :now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO revisions (catalog_id, number, document, note, created_at) "
                "VALUES ('old', 1, :doc, NULL, :now)"
            ),
            {"doc": json.dumps(owned), "now": now},
        )

    with open_store() as store:
        (row,) = store.list()
        # A name from before 0003 may have been given by hand: it is kept at the next save.
        assert (row.name, row.named, row.owner) == ("Hand-named", True, "group:team")
        store.save("old", {"models": [{"name": "m", "owner": "group:other"}]}, base_revision=1)
        assert store.get("old").name == "Hand-named"
        assert store.get("old").owner == "group:other"
