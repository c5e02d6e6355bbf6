"""The editing session saves with the output options chosen and takes them up on open."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.session import EditingSession
from catalog.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE: dict[str, Any] = json.loads(
    (ROOT / "examples" / "developer-model-service.json").read_text()
)
AI_SERVER = {"layout": "ai-model-server", "kind": "API", "api_definition": "ref"}
CLASSIC_URL = {"layout": "classic", "kind": "AiModelServerAPI", "api_definition": "url"}


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'catalogs.db'}") as store:
        yield store


def test_the_first_autosave_and_each_save_keep_the_options_chosen(library: Store) -> None:
    me = EditingSession("alice")
    me.output_options = AI_SERVER
    me.load(EXAMPLE, "load", as_new=True, pristine=False)
    me.autosave(library)
    assert me.catalog_id is not None
    assert library.revision(me.catalog_id, 1).output_options == AI_SERVER

    me.edit("modelServer.description", "Changed.")
    me.output_options = CLASSIC_URL
    saved = me.save(library)

    assert saved is not None
    assert library.revision(me.catalog_id, saved.number).output_options == CLASSIC_URL


def test_opening_a_catalog_takes_up_its_last_revisions_options(library: Store) -> None:
    info = library.create(None, EXAMPLE, output_options=AI_SERVER)
    me = EditingSession("bob")
    me.open(library, info.id)
    assert me.output_options == AI_SERVER
