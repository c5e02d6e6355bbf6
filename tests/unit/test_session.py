"""The editing session without Streamlit: history, identity, links, drafts, saving.

Every transition of :class:`catalog.session.EditingSession` against a real store
(SQLite here; the store itself is tested on PostgreSQL too), and property tests over
random sequences of them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.issues import Fix
from catalog.session import (
    COALESCE_SECONDS,
    HISTORY_LIMIT,
    EditingSession,
    edit_label,
    same_options,
)
from catalog.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE: dict[str, Any] = json.loads(
    (ROOT / "examples" / "developer-model-service.json").read_text("utf-8")
)
OTHER: dict[str, Any] = json.loads(
    (ROOT / "examples" / "triton-grpc-server.json").read_text("utf-8")
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'lib.db'}") as opened:
        yield opened


def person(browser: str = "alice") -> tuple[EditingSession, Clock]:
    clock = Clock()
    return EditingSession(browser, clock=clock), clock


def step(clock: Clock) -> None:
    clock.now += COALESCE_SECONDS + 1


# -- history ------------------------------------------------------------------------------


def test_trap_1_undo_after_example_edit_and_fix_goes_back_one_step_each() -> None:
    me, clock = person()
    me.load(EXAMPLE, "load example", as_new=True, pristine=True)
    step(clock)
    me.edit("modelServer.description", "Changed.")
    step(clock)
    me.fix(Fix("set", "models.0.name", "Rename to granite", "granite"))
    assert me.undo_label() == "fix: Rename to granite"
    me.undo()
    assert me.document["modelServer"]["description"] == "Changed."
    assert me.document["models"][0]["name"] == EXAMPLE["models"][0]["name"]
    assert me.undo() == "edit the server's description"
    assert me.document == EXAMPLE
    assert me.redo_label() == "edit the server's description"
    me.redo()
    me.redo()
    assert me.document["models"][0]["name"] == "granite"
    assert not me.can_redo()


def test_a_new_edit_after_undo_clears_redo() -> None:
    me, clock = person()
    me.edit("modelServer.name", "a")
    step(clock)
    me.edit("modelServer.owner", "b")
    me.undo()
    assert me.can_redo()
    step(clock)
    me.edit("modelServer.owner", "c")
    assert not me.can_redo()


def test_typing_in_one_field_is_one_step_but_a_pause_or_another_field_is_not() -> None:
    me, clock = person()
    for text in ("G", "Gr", "Gra"):
        me.edit("models.0.name", text)
        clock.now += 0.5
    assert me.history() == ["rename model 1"]
    step(clock)
    me.edit("models.0.name", "Gran")
    me.edit("models.0.owner", "me")
    assert me.history() == ["rename model 1", "rename model 1", "edit model 1's owner"]


def test_typing_back_to_where_it_was_leaves_nothing_to_undo() -> None:
    me, _ = person()
    me.load(EXAMPLE, "load", as_new=True, pristine=True)
    me.edit("modelServer.name", "x")
    me.edit("modelServer.name", EXAMPLE["modelServer"]["name"])
    assert me.document == EXAMPLE and me.history() == ["load"]


def test_the_history_is_bounded() -> None:
    me, clock = person()
    for n in range(HISTORY_LIMIT + 20):
        step(clock)
        me.edit("modelServer.name", f"n{n}")
    assert len(me.history()) == HISTORY_LIMIT


@pytest.mark.parametrize(
    ("path", "value", "label"),
    [
        ("models.1.name", "x", "rename model 2"),
        ("models.0.description", "x", "edit model 1's description"),
        ("modelServer.name", "x", "rename the server"),
        ("modelServer.API.url", "x", "edit the API's url"),
        ("modelServer.API", None, "switch off the API"),
        ("modelServer", {}, "switch on the server"),
        ("modelServer.homepageURL", "x", "edit the server's homepage url"),
    ],
)
def test_edit_labels(path: str, value: Any, label: str) -> None:
    assert edit_label(path, value) == label


def test_trap_6_duplicate_gets_a_free_name() -> None:
    me, _ = person()
    me.load(EXAMPLE, "load", as_new=True, pristine=True)
    first = EXAMPLE["models"][0]["name"]
    me.duplicate_model(0)
    me.duplicate_model(0)
    names = [m["name"] for m in me.document["models"]]
    assert names[:3] == [first, f"{first}-copy-2", f"{first}-copy"]
    assert len(set(names)) == len(names)


# -- identity -----------------------------------------------------------------------------


def test_trap_3_examples_leave_no_clutter(library: Store) -> None:
    me, _ = person()
    for _ in range(10):
        me.load(EXAMPLE, "load", as_new=True, pristine=True)
        me.autosave(library)
    assert library.list() == []
    me.edit("modelServer.description", "Mine.")
    me.autosave(library)
    assert len(library.list()) == 1


def test_trap_2_a_catalog_name_follows_what_it_holds(library: Store) -> None:
    me, _ = person()
    me.load(EXAMPLE, "load", as_new=True, pristine=True)
    me.save(library)
    assert me.needs_choice()
    me.load(OTHER, "load other", as_new=False, pristine=True)  # replace, as chosen
    me.save(library)
    (only,) = library.list()
    assert only.name == OTHER["modelServer"]["name"]


def test_load_as_new_keeps_the_open_catalog_and_undo_goes_back_to_it(library: Store) -> None:
    me, _ = person()
    me.load(EXAMPLE, "load", as_new=True, pristine=True)
    me.edit("modelServer.description", "Mine.")
    me.autosave(library)
    first = me.catalog_id
    me.load(OTHER, "load other", as_new=True, pristine=True)
    assert me.catalog_id is None
    me.undo()
    assert me.catalog_id == first and me.document["modelServer"]["description"] == "Mine."


def test_start_over_into_the_open_catalog_empties_its_draft_only(library: Store) -> None:
    me, _ = person()
    me.load(EXAMPLE, "load", as_new=True, pristine=True)
    me.save(library)
    me.load({"models": []}, "start over", as_new=False, pristine=True)
    me.autosave(library)
    assert library.get(str(me.catalog_id)).document == EXAMPLE
    assert library.drafts(str(me.catalog_id))[0].document == {"models": []}


# -- links and drafts ---------------------------------------------------------------------


def _shared(library: Store) -> tuple[EditingSession, str]:
    alice, _ = person("alice")
    alice.load(EXAMPLE, "load", as_new=True, pristine=True)
    alice.save(library)
    alice.edit("modelServer.description", "Alice's unsaved words.")
    alice.autosave(library)
    return alice, str(alice.catalog_id)


def test_trap_4_a_link_in_another_browser_shows_the_saved_revision(library: Store) -> None:
    alice, catalog_id = _shared(library)
    bob, _ = person("bob")
    bob.open(library, catalog_id, record=False)
    assert bob.document == EXAMPLE and bob.offer is None
    bob.open(library, catalog_id, alice.link()["draft"], record=False)
    assert bob.document == EXAMPLE and "draft" not in bob.link()
    bob.edit("modelServer.name", "bob")
    bob.autosave(library)
    assert bob.link()["draft"] != alice.link()["draft"]
    assert library.get_draft(catalog_id, alice.link()["draft"]).document == alice.document  # type: ignore[union-attr]


def test_a_link_offers_the_draft_to_the_browser_that_wrote_it(library: Store) -> None:
    alice, catalog_id = _shared(library)
    again, _ = person("alice")  # the same browser, a new session
    again.open(library, catalog_id, record=False)
    assert again.document == EXAMPLE and again.offer is not None
    again.take_offer(library)
    assert again.document == alice.document
    assert again.link() == alice.link()
    refreshed, _ = person("alice")
    refreshed.open(library, catalog_id, alice.link()["draft"], record=False)
    assert refreshed.document == alice.document


def test_trap_4_undo_delete_gives_back_my_own_draft(library: Store) -> None:
    alice, catalog_id = _shared(library)
    bob, _ = person("bob")
    bob.open(library, catalog_id, record=False)
    bob.edit("modelServer.description", "Bob's newer words.")
    bob.autosave(library)
    alice.delete(library, catalog_id, "x")
    assert alice.document == {"models": []}
    alice.undo_delete(library, catalog_id)
    assert alice.document["modelServer"]["description"] == "Alice's unsaved words."
    assert alice.catalog_id == catalog_id


def test_trap_5_restore_updates_the_editor_and_save_is_not_someone_elses(
    library: Store,
) -> None:
    me, _ = person()
    me.load(EXAMPLE, "load", as_new=True, pristine=True)
    me.save(library)
    me.edit("modelServer.description", "Two.")
    me.save(library)
    catalog_id = str(me.catalog_id)
    me.restore(library, catalog_id, 1)
    assert me.document == EXAMPLE and me.base_revision == 3 and not me.has_unsaved_changes()
    me.edit("modelServer.description", "Four.")
    assert me.save(library) is not None and me.conflict is None


def test_a_conflict_with_my_own_revision_is_known_as_mine(library: Store) -> None:
    me, _ = person()
    me.load(EXAMPLE, "load", as_new=True, pristine=True)
    me.save(library)
    catalog_id = str(me.catalog_id)
    me.edit("modelServer.description", "Two.")
    me.save(library)
    me.new_catalog()
    me.restore(library, catalog_id, 1)  # not open: the editor does not follow
    me.undo()  # back to the catalog, still on revision 2
    me.edit("modelServer.description", "Mine.")
    assert me.save(library) is None and me.conflict_is_mine()
    other, _ = person("bob")
    other.open(library, catalog_id, record=False)
    other.edit("modelServer.description", "Bob.")
    other.save(library)
    me.save_mine(library)  # on top of my revision 3: Bob's 4 is in the way now
    assert me.conflict is not None and me.conflict.number == 4 and not me.conflict_is_mine()
    me.save_mine(library)
    assert me.conflict is None and library.get(catalog_id).revision == 5


# -- properties ---------------------------------------------------------------------------

PATHS = ["modelServer.name", "modelServer.description", "models.0.name", "models.1.owner"]
ACTIONS = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(PATHS), st.sampled_from(["a", "b", None])),
    st.tuples(st.just("add"), st.none(), st.none()),
    st.tuples(st.just("duplicate"), st.none(), st.none()),
    st.tuples(st.just("remove"), st.none(), st.none()),
    st.tuples(st.just("undo"), st.none(), st.none()),
    st.tuples(st.just("redo"), st.none(), st.none()),
    st.tuples(st.just("example"), st.booleans(), st.none()),
    st.tuples(st.just("start-over"), st.booleans(), st.none()),
    st.tuples(st.just("autosave"), st.none(), st.none()),
    st.tuples(st.just("save"), st.none(), st.none()),
    st.tuples(st.just("restore"), st.none(), st.none()),
    st.tuples(st.just("delete"), st.none(), st.none()),
    st.tuples(st.just("undo-delete"), st.none(), st.none()),
    st.tuples(st.just("bob-edits"), st.none(), st.none()),
    st.tuples(st.just("options"), st.sampled_from(["ai", "url", None]), st.none()),
    st.tuples(st.just("open"), st.none(), st.none()),
)
#: Output options a person may choose (``options`` actions).
CHOICES: dict[str | None, dict[str, str] | None] = {
    "ai": {"layout": "ai-model-server", "kind": "API", "api_definition": "ref"},
    "url": {"layout": "classic", "kind": "AiModelServerAPI", "api_definition": "url"},
    None: None,
}


def _act(me: EditingSession, library: Store, action: tuple[str, Any, Any], saved: list) -> None:
    kind, arg, value = action
    if kind == "edit":
        if arg.startswith("models.") and int(arg.split(".")[1]) >= len(me.document["models"]):
            return
        me.edit(arg, value)
    elif kind == "add":
        me.add_model()
    elif kind == "duplicate" and me.document.get("models"):
        me.duplicate_model(0)
    elif kind == "remove" and me.document.get("models"):
        me.remove_model(0)
    elif kind == "undo":
        me.undo()
    elif kind == "redo":
        me.redo()
    elif kind == "example":
        me.load(EXAMPLE, "load", as_new=arg, pristine=True)
    elif kind == "start-over":
        me.load({"models": []}, "start over", as_new=arg, pristine=True)
    elif kind == "autosave":
        me.autosave(library)
    elif kind == "save":
        result = me.save(library)
        if result is None:
            me.save_mine(library)
        saved.append((me.catalog_id, me.base_revision, copy.deepcopy(me.document)))
    elif kind == "restore" and me.catalog_id and me.base_revision > 1:
        me.restore(library, me.catalog_id, 1)
    elif kind == "delete" and me.catalog_id:
        me.delete(library, me.catalog_id, "x")
    elif kind == "undo-delete" and me.deleted:
        me.undo_delete(library, me.deleted[0].catalog_id)
    elif kind == "options":
        me.choose_options(CHOICES[arg])
    elif kind == "open" and library.list():
        me.open(library, library.list()[-1].id)
    elif kind == "bob-edits" and me.catalog_id:
        bob = EditingSession("bob")
        try:
            bob.open(library, me.catalog_id, me.link().get("draft"), record=False)
        except Exception:  # noqa: BLE001 - deleted meanwhile
            return
        bob.edit("modelServer.description", "bob was here")
        bob.autosave(library)


SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(st.lists(ACTIONS, max_size=25))
def test_undo_then_redo_returns_the_same_document(library: Store, actions: list) -> None:
    me = EditingSession("alice")
    for action in actions:
        _act(me, library, action, [])
        if me.can_undo():
            document, binding, options = copy.deepcopy(me.document), me.binding, me.output_options
            me.undo()
            me.redo()
            assert me.document == document and me.binding is binding
            assert me.output_options == options


@SETTINGS
@given(st.lists(ACTIONS, max_size=25))
def test_undo_brings_back_the_output_options_from_before_the_step(
    library: Store, actions: list
) -> None:
    """Another catalog opened, an example as a new catalog, a revision restored: undoing
    it gives back the options chosen before; an edit's undo leaves them as chosen."""
    me = EditingSession("alice")
    for action in actions:
        steps, options = len(me.history()), me.output_options
        _act(me, library, action, [])
        if len(me.history()) == steps + 1:
            after = me.output_options
            me.undo()
            assert me.output_options == options
            me.redo()
            assert me.output_options == after


@SETTINGS
@given(st.lists(ACTIONS, max_size=25))
def test_nothing_saved_is_ever_lost(library: Store, actions: list) -> None:
    me = EditingSession("alice")
    saved: list = []
    for action in actions:
        _act(me, library, action, saved)
    me.autosave(library)
    for catalog_id, number, document in saved:
        for info in library.list(deleted=True):
            if info.id == catalog_id:
                library.undelete(catalog_id)
        assert library.revision(catalog_id, number).document == document
    # And what the editor holds now is kept: as a revision or as my own draft.
    if me.catalog_id is not None and me.problem is None:
        kept = library.get(me.catalog_id).document
        if me.has_unsaved_changes():
            draft = library.get_draft(me.catalog_id, me.binding.draft_token)
            assert draft is not None and draft.document == me.document
            assert same_options(draft.output_options, me.output_options)
        else:
            assert me.document in (kept, me.binding.origin)


@SETTINGS
@given(st.lists(ACTIONS, max_size=25))
def test_a_link_never_yields_another_editors_draft(library: Store, actions: list) -> None:
    me = EditingSession("alice")
    for action in actions:
        _act(me, library, action, [])
    me.autosave(library)
    if me.catalog_id is None or me.problem is not None:
        return
    stranger = EditingSession("carol")
    stranger.open(library, me.catalog_id, me.link().get("draft"), record=False)
    assert stranger.document == library.get(me.catalog_id).document
    assert stranger.offer is None
