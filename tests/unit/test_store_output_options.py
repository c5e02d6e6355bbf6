"""Each revision keeps the output options it was saved with: they say how it is published."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text
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


def test_revisions_from_before_the_upgrade_have_no_options(db_url: str) -> None:
    with migrated(db_url, command.upgrade, "0003") as conn:
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

    with Store(db_url) as store:
        old = store.revision("old", 1)
        assert (old.document, old.output_options) == (ALPHA, None)
        saved = store.save("old", BETA, base_revision=1, output_options=CLASSIC_URL)
        assert store.revision("old", saved.number).output_options == CLASSIC_URL
