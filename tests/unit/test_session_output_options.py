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


def opened_example(library: Store) -> tuple[str, EditingSession]:
    """The example saved as a catalog (revision 1, without options), and Alice's session
    that opened it: the id and the session."""
    info = library.create(None, EXAMPLE)
    me = EditingSession("alice")
    me.open(library, info.id)
    return info.id, me


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


DEFAULTS = {"layout": "classic", "kind": "AiModelServerAPI", "api_definition": "ref"}


def test_a_change_of_the_options_alone_is_an_unsaved_change_kept_with_the_draft(
    library: Store,
) -> None:
    catalog_id, me = opened_example(library)

    me.choose_options(DEFAULTS)  # what the page shows for a revision saved without any
    assert not me.has_unsaved_changes() and not me.dirty

    me.choose_options(AI_SERVER)
    assert me.has_unsaved_changes() and me.can_save()
    me.autosave(library)
    draft = library.get_draft(catalog_id, me.link()["draft"])
    assert draft is not None
    assert (draft.document, draft.output_options) == (EXAMPLE, AI_SERVER)

    # This browser's reload (the link with its draft) brings the options back...
    again = EditingSession("alice")
    again.open(library, catalog_id, me.link()["draft"], record=False)
    assert again.output_options == AI_SERVER and again.has_unsaved_changes()
    # ...another browser sees what was saved, with the options it was saved with.
    other = EditingSession("bob")
    other.open(library, catalog_id, me.link()["draft"])
    assert other.output_options is None and not other.has_unsaved_changes()

    # Back to the saved options: nothing unsaved, and the draft goes.
    again.choose_options(DEFAULTS)
    again.autosave(library)
    assert not again.has_unsaved_changes()
    assert library.get_draft(catalog_id) is None


def test_a_draft_offered_by_a_plain_link_comes_back_with_its_options(library: Store) -> None:
    catalog_id, me = opened_example(library)
    me.choose_options(AI_SERVER)
    me.autosave(library)

    later = EditingSession("alice")
    later.open(library, catalog_id)  # the shared address, without the draft token
    assert later.offer is not None and later.output_options is None
    later.take_offer(library)
    assert later.output_options == AI_SERVER and later.document == EXAMPLE


def test_saving_a_change_of_the_options_alone_makes_a_revision_with_them(
    library: Store,
) -> None:
    catalog_id, me = opened_example(library)
    me.choose_options(AI_SERVER)

    saved = me.save(library)

    assert saved is not None and saved.number == 2
    assert library.revision(catalog_id, 2).output_options == AI_SERVER
    assert not me.has_unsaved_changes() and library.get_draft(catalog_id) is None


def test_an_example_does_not_enter_the_library_for_a_change_of_the_options(
    library: Store,
) -> None:
    me = EditingSession("alice")
    me.load(EXAMPLE, "load", as_new=True, pristine=True)
    me.choose_options(AI_SERVER)
    me.autosave(library)
    assert library.list() == [] and not me.has_unsaved_changes()


def test_undo_and_redo_give_each_catalog_the_options_chosen_for_it(library: Store) -> None:
    served = library.create(None, EXAMPLE, output_options=AI_SERVER)
    other = library.create(None, {"models": [{"name": "m", "owner": "o", "lifecycle": "x"}]})
    me = EditingSession("alice")
    me.open(library, served.id)
    me.choose_options(CLASSIC_URL)  # not saved: this catalog's draft keeps it
    me.autosave(library)
    me.open(library, other.id)
    assert me.output_options is None  # the other catalog's own

    assert me.undo() == f"open “{other.name}”"
    assert me.catalog_id == served.id and me.output_options == CLASSIC_URL
    me.autosave(library)  # the draft is not rewritten with the other catalog's options
    draft = library.get_draft(served.id, me.link()["draft"])
    assert draft is not None and draft.output_options == CLASSIC_URL
    me.redo()
    assert me.catalog_id == other.id and me.output_options is None


def test_undoing_go_on_with_your_draft_gives_back_the_saved_options(library: Store) -> None:
    catalog_id, first = opened_example(library)
    first.choose_options(AI_SERVER)
    first.autosave(library)

    me = EditingSession("alice")
    me.open(library, catalog_id)
    me.take_offer(library)
    assert me.output_options == AI_SERVER
    me.undo()
    assert me.output_options is None and not me.has_unsaved_changes()
    me.redo()
    assert me.output_options == AI_SERVER


def test_an_edit_undone_leaves_the_options_as_chosen(library: Store) -> None:
    _, me = opened_example(library)
    me.edit("modelServer.description", "One.")
    me.choose_options(AI_SERVER)
    me.edit("modelServer.description", "Two.")  # one step with the first (same field)
    me.undo()
    assert me.document == EXAMPLE and me.output_options == AI_SERVER


def test_undo_delete_brings_back_the_options_chosen_for_the_deleted_catalog(
    library: Store,
) -> None:
    catalog_id, me = opened_example(library)
    me.choose_options(AI_SERVER)
    me.autosave(library)

    me.delete(library, catalog_id, "developer-model-service")
    me.choose_options(CLASSIC_URL)  # chosen for the empty catalog the editor moved to
    me.undo_delete(library, catalog_id)

    assert me.catalog_id == catalog_id and me.output_options == AI_SERVER
    assert me.has_unsaved_changes()  # the options are not those of revision 1
