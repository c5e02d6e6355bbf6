"""Each revision keeps the output options it was saved with: they say how it is published."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, text
from test_store import ALPHA, BETA, migrated

from catalog.store import Store

AI_SERVER = {"layout": "ai-model-server", "kind": "API", "api_definition": "ref"}
CLASSIC_URL = {"layout": "classic", "kind": "AiModelServerAPI", "api_definition": "url"}


def test_create_and_save_keep_the_options_of_each_revision(store: Store) -> None:
    info = store.create("Alpha", ALPHA, output_options=AI_SERVER)
    store.save(info.id, BETA, base_revision=1, output_options=CLASSIC_URL)

    assert store.revision(info.id, 1).output_options == AI_SERVER
    assert store.revision(info.id, 2).output_options == CLASSIC_URL


def test_a_revision_saved_without_options_has_none(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    assert store.revision(info.id, 1).output_options is None


def test_restore_and_duplicate_carry_the_options_along(store: Store) -> None:
    info = store.create("Alpha", ALPHA, output_options=AI_SERVER)
    store.save(info.id, BETA, base_revision=1, output_options=CLASSIC_URL)

    restored = store.restore(info.id, 1)
    copy = store.duplicate(info.id)

    assert store.revision(info.id, restored.number).output_options == AI_SERVER
    assert store.revision(copy.id, 1).output_options == AI_SERVER


@pytest.mark.parametrize(
    "options",
    [{"layout": 3}, {"layout": "x" * 65}, ["classic"]],
    ids=["not-text", "too-long", "not-a-mapping"],
)
def test_odd_options_are_refused_before_anything_is_written(store: Store, options: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        store.create("Alpha", ALPHA, output_options=options)
    assert store.list() == []


def test_unknown_option_keys_are_not_kept(store: Store) -> None:
    info = store.create("Alpha", ALPHA, output_options={**AI_SERVER, "colour": "red"})
    assert store.revision(info.id, 1).output_options == AI_SERVER


def old_catalog(conn: Connection) -> datetime:
    """Write catalog ``old`` with revision 1 (ALPHA) as the Studio did before migration
    0004 (no output options); return the time it says it was written."""
    now = datetime(2025, 1, 1, tzinfo=UTC)
    conn.execute(
        text(
            "INSERT INTO catalogs (id, name, named, search_text, model_count, "
            "latest_revision, created_at, updated_at) "
            "VALUES ('old', 'Old', true, 'old', 1, 1, :now, :now)"
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
    return now


def test_revisions_from_before_the_upgrade_have_no_options(db_url: str) -> None:
    with migrated(db_url, command.upgrade, "0003") as conn:
        old_catalog(conn)

    with Store(db_url) as store:
        old = store.revision("old", 1)
        assert (old.document, old.output_options) == (ALPHA, None)
        saved = store.save("old", BETA, base_revision=1, output_options=CLASSIC_URL)
        assert store.revision("old", saved.number).output_options == CLASSIC_URL


# -- drafts ---------------------------------------------------------------------------------


def test_a_draft_keeps_the_options_chosen_while_it_was_written(store: Store) -> None:
    info = store.create("Alpha", ALPHA, output_options=CLASSIC_URL)
    store.save_draft(info.id, BETA, 1, editor="tab-1", output_options=AI_SERVER)

    draft = store.get_draft(info.id, "tab-1")
    assert draft is not None
    assert (draft.document, draft.output_options) == (BETA, AI_SERVER)
    # Rewriting the draft without options says "the revision's", not the old choice.
    store.save_draft(info.id, BETA, 1, editor="tab-1")
    assert store.get_draft(info.id, "tab-1").output_options is None  # type: ignore[union-attr]


def test_a_draft_with_odd_options_is_refused_and_the_old_one_stays(store: Store) -> None:
    info = store.create("Alpha", ALPHA)
    store.save_draft(info.id, BETA, 1, editor="tab-1", output_options=AI_SERVER)
    with pytest.raises(ValueError, match="layout"):
        store.save_draft(info.id, ALPHA, 1, editor="tab-1", output_options={"layout": "x" * 65})
    draft = store.get_draft(info.id, "tab-1")
    assert draft is not None and (draft.document, draft.output_options) == (BETA, AI_SERVER)


def test_drafts_from_before_the_upgrade_have_no_options(db_url: str) -> None:
    with migrated(db_url, command.upgrade, "0004") as conn:
        now = old_catalog(conn)
        conn.execute(
            text(
                "INSERT INTO drafts (catalog_id, editor, browser, version, base_revision, "
                "document, updated_at) VALUES ('old', 'tab', 'b', 1, 1, :doc, :now)"
            ),
            {"doc": json.dumps(BETA), "now": now},
        )

    with Store(db_url) as store:
        old = store.get_draft("old", "tab")
        assert old is not None and (old.document, old.output_options) == (BETA, None)
        store.save_draft("old", BETA, 1, editor="tab", output_options=AI_SERVER)
        assert store.get_draft("old", "tab").output_options == AI_SERVER  # type: ignore[union-attr]
