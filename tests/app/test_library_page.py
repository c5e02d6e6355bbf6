"""Saving in AppTest: autosave, ``?catalog=<id>``, Save and conflicts, and the Library page."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from catalog.store import Store
from ui import state
from ui.library_view import when

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
EXAMPLE = "developer-model-service"
DOCUMENT: dict[str, Any] = json.loads((ROOT / "examples" / f"{EXAMPLE}.json").read_text("utf-8"))
MODELS_ONLY: dict[str, Any] = {
    "models": [
        {
            "name": "granite-8b",
            "owner": "group:ai-platform",
            "lifecycle": "production",
            "description": "Granite 8B for code.",
            "tags": ["granite", "code"],
        }
    ]
}


class _NavigationPages(PagesManager):
    """AppTest's pages manager, told that this app routes with ``st.navigation``.

    AppTest re-detects the app's mode on every run, and a ``pages/`` folder next to
    ``app.py`` makes it run only the page script after the first run (the old
    folder-based mode), skipping ``app.py``: the frame, the sidebar and ``bootstrap()``.
    ``streamlit run`` decides once per session and runs ``app.py`` every time.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


#: The browser the next ``start`` runs in (AppTest cannot send cookies: see ``start``).
BROWSER = {"token": "browser-alice"}


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own empty library (the app's Store is cached per database URL)."""
    monkeypatch.setenv("MODEL_CATALOG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MODEL_CATALOG_DB_URL", raising=False)
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPages)
    # The browser's cookie, as the session reads it when it starts.
    monkeypatch.setattr(state, "browser_token", lambda: BROWSER["token"])
    BROWSER["token"] = "browser-alice"
    yield tmp_path


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """The same library the app uses, opened by the test (as a colleague's session would)."""
    with Store() as opened:
        yield opened


def start(browser: str = "browser-alice", **query: str) -> AppTest:
    """A new session (a new tab, or a refresh) of ``browser`` opening ``?query``."""
    BROWSER["token"] = browser
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query)
    at.run()
    assert not at.exception
    return at


def run(target: Any) -> AppTest:
    """Run the app after ``target`` (an AppTest, or a widget just set) and check it."""
    at: AppTest = target.run()
    assert not at.exception, at.exception
    return at


def status(at: AppTest) -> str:
    return at.sidebar.caption[0].value


def document(at: AppTest) -> dict[str, Any]:
    return at.session_state[state.SESSION_KEY].document  # type: ignore[no-any-return]


def load_example(at: AppTest) -> AppTest:
    return run(at.button(key=f"_welcome:{EXAMPLE}").click())


def save(at: AppTest, note: str = "") -> AppTest:
    if note:
        at.sidebar.text_input(key="_persist.note").input(note)
    return run(at.sidebar.button(key="_persist.save").click())


def library(at: AppTest) -> AppTest:
    at.switch_page("pages/library.py")
    return run(at)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in ("info", "warning", "error", "success") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


# -- saving -------------------------------------------------------------------------------


def test_a_new_session_has_nothing_to_save(store: Store) -> None:
    at = start()
    assert status(at).startswith("Nothing to save yet")
    assert at.sidebar.button(key="_persist.save").disabled
    assert "catalog" not in at.query_params
    assert store.list() == []


def edited(at: AppTest, description: str = "Edited.") -> AppTest:
    return run(at.text_area(key="modelServer.description").input(description))


def test_an_example_enters_the_library_only_with_its_first_edit(store: Store) -> None:
    at = load_example(start())
    assert store.list() == [] and "catalog" not in at.query_params  # a demo leaves no clutter
    assert status(at).startswith("An example, not in the Library")
    edited(at)
    catalog_id = at.query_params["catalog"]
    assert [c.id for c in store.list()] == [catalog_id]
    assert store.get(catalog_id).document["modelServer"]["description"] == "Edited."
    assert status(at) == "Saved · revision 1"


def test_ten_example_clicks_leave_the_library_empty_and_save_keeps_one(store: Store) -> None:
    at = start()
    for _ in range(5):
        run(at.button(key=f"_example:{EXAMPLE}").click())
        run(at.button(key="_example:triton-grpc-server").click())
    assert store.list() == []
    save(at)
    (only,) = store.list()
    assert only.name == "vision-inference" and at.query_params["catalog"] == only.id


def test_edits_are_kept_as_a_draft_until_save_makes_a_revision(store: Store) -> None:
    at = edited(load_example(start()))
    catalog_id = at.query_params["catalog"]
    run(at.text_input(key="modelServer.name").input("renamed-server"))
    assert status(at) == "Unsaved changes on revision 1 (draft kept)"
    draft = store.get_draft(catalog_id)
    assert draft is not None and draft.document["modelServer"]["name"] == "renamed-server"

    save(at, "Renamed the server")
    assert status(at) == "Saved · revision 2"
    assert at.sidebar.text_input(key="_persist.note").value == ""
    assert store.get_draft(catalog_id) is None
    latest = store.revisions(catalog_id)[0]
    assert (latest.number, latest.note) == (2, "Renamed the server")
    assert store.get(catalog_id).document["modelServer"]["name"] == "renamed-server"


def test_an_untitled_catalog_takes_its_documents_name_on_save(store: Store) -> None:
    at = start()
    run(at.toggle(key="modelServer").set_value(True))
    catalog_id = at.query_params["catalog"]
    assert store.get(catalog_id).name == "Untitled catalog"
    run(at.text_input(key="modelServer.name").input("fresh-server"))
    save(at)
    assert store.get(catalog_id).name == "fresh-server"
    assert at.sidebar.markdown[0].value == "**fresh\\-server**"


def test_a_link_opens_the_saved_catalog(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    at = start(catalog=info.id)
    assert document(at) == DOCUMENT
    assert status(at) == "Saved · revision 1"
    assert at.sidebar.markdown[0].value == "**Shared**"
    assert at.text_input(key="modelServer.name").value == DOCUMENT["modelServer"]["name"]
    assert at.query_params["catalog"] == info.id


def test_a_link_shows_the_saved_revision_and_offers_a_draft_only_to_its_browser(
    store: Store,
) -> None:
    info = store.create("Shared", DOCUMENT)
    drafted = copy.deepcopy(DOCUMENT)
    drafted["models"].pop()
    store.save_draft(info.id, drafted, base_revision=1, editor="tab-1", browser="browser-alice")

    bob = start("browser-bob", catalog=info.id)
    assert document(bob) == DOCUMENT and status(bob) == "Saved · revision 1"
    assert not any(b.key == "_persist.offer.take" for b in bob.button)
    # Even a link that names Alice's draft shows Bob what was saved, and her draft stays.
    bob = start("browser-bob", catalog=info.id, draft="tab-1")
    assert document(bob) == DOCUMENT and "draft" not in bob.query_params
    assert "Their unsaved changes stay theirs" in bob.toast[0].value
    assert store.get_draft(info.id, "tab-1").document == drafted  # type: ignore[union-attr]

    alice = start("browser-alice", catalog=info.id)
    assert document(alice) == DOCUMENT
    assert "your unsaved draft from" in alice.info[0].value
    run(alice.button(key="_persist.offer.take").click())
    assert document(alice) == drafted
    assert status(alice) == "Unsaved changes on revision 1 (draft kept)"
    assert alice.query_params["draft"] == "tab-1"

    # A refresh (the address with her draft token) brings it straight back.
    again = start("browser-alice", **dict(alice.query_params))
    assert document(again) == drafted
    assert "Your unsaved changes from" in again.toast[0].value


def test_a_draft_older_than_a_colleagues_save_is_kept_and_saving_shows_both(
    store: Store,
) -> None:
    info = store.create("Shared", DOCUMENT)
    mine = copy.deepcopy(DOCUMENT)
    mine["modelServer"]["name"] = "my-server"
    store.save_draft(info.id, mine, base_revision=1, editor="mine", browser="browser-alice")
    theirs = copy.deepcopy(DOCUMENT)
    theirs["modelServer"]["description"] = "Their description."
    store.save(info.id, theirs, base_revision=1)
    at = start(catalog=info.id, draft="mine")
    assert document(at) == mine
    save(at)
    assert "Someone saved this catalog as revision 2 after these edits started from revision 1" in (
        at.warning[0].value
    )


def renamed(at: AppTest, name: str) -> AppTest:
    return run(at.text_input(key="modelServer.name").input(name))


def test_two_people_editing_one_catalog_each_get_their_own_work_back(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    alice, bob = start(catalog=info.id), start("browser-bob", catalog=info.id)
    renamed(alice, "alice-server")
    renamed(bob, "bob-server")
    renamed(alice, "alice-server-2")  # Bob's autosave did not replace Alice's draft
    alice_link, bob_link = dict(alice.query_params), dict(bob.query_params)
    assert alice_link["draft"] != bob_link["draft"]
    assert sorted(d.document["modelServer"]["name"] for d in store.drafts(info.id)) == [
        "alice-server-2",
        "bob-server",
    ]

    # Each refresh (the same URL, a new session) brings back that person's own work.
    alice_again, bob_again = start(**alice_link), start("browser-bob", **bob_link)
    assert document(alice_again)["modelServer"]["name"] == "alice-server-2"
    assert document(bob_again)["modelServer"]["name"] == "bob-server"
    # Bob's address opened in Alice's browser shows what was saved, not Bob's draft.
    assert document(start(**bob_link)) == DOCUMENT

    # Bob saves; Alice's draft stays, and her Save shows both versions.
    save(bob_again)
    assert [d.document["modelServer"]["name"] for d in store.drafts(info.id)] == ["alice-server-2"]
    save(alice_again)
    assert "Someone saved this catalog as revision 2" in alice_again.warning[0].value


def test_the_same_draft_open_twice_splits_instead_of_overwriting(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    first = renamed(start(catalog=info.id), "first-tab")
    link = dict(first.query_params)
    second = start(**link)  # the address in a second tab while the first goes on editing
    assert document(second)["modelServer"]["name"] == "first-tab"
    renamed(first, "first-tab-2")
    renamed(second, "second-tab")

    assert "also open in another tab" in second.toast[0].value
    assert second.query_params["draft"] != link["draft"]
    names = sorted(d.document["modelServer"]["name"] for d in store.drafts(info.id))
    assert names == ["first-tab-2", "second-tab"]


def test_the_library_lists_unsaved_drafts_and_opens_one(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    theirs = copy.deepcopy(DOCUMENT)
    theirs["models"].pop()
    store.save_draft(info.id, theirs, base_revision=1, editor="colleague", browser="theirs")
    at = start()
    at.switch_page("pages/library.py").run()
    at.session_state["library.tab"] = "History"
    run(at)
    rows = [m.value for m in at.markdown if "edited from revision 1" in m.value]
    assert len(rows) == 1 and "1 model" in rows[0]
    assert at.button(key=f"library.draft.{info.id}.colleague").label == "Open a copy"
    run(at.button(key=f"library.draft.{info.id}.colleague").click())
    assert document(at) == theirs
    # A copy of your own: their draft is neither taken over nor changed.
    assert at.query_params["draft"] != "colleague"
    assert store.get_draft(info.id, "colleague").document == theirs  # type: ignore[union-attr]
    assert len(store.drafts(info.id)) == 2


def test_an_unknown_link_says_so_and_starts_empty(store: Store) -> None:
    at = start(catalog="no-such-id")
    warning = at.warning[0].value
    assert "no catalog with the id `no-such-id`" in warning
    assert document(at) == {"models": []}
    assert "catalog" not in at.query_params


def test_undoing_an_edit_by_hand_drops_the_draft(store: Store) -> None:
    at = edited(load_example(start()))
    catalog_id = at.query_params["catalog"]
    run(at.text_input(key="modelServer.name").input("renamed-server"))
    assert store.get_draft(catalog_id) is not None
    run(at.text_input(key="modelServer.name").input(DOCUMENT["modelServer"]["name"]))
    assert status(at) == "Saved · revision 1"
    assert store.get_draft(catalog_id) is None
    assert at.sidebar.button(key="_persist.save").disabled


def test_new_catalog_starts_empty_and_keeps_the_old_one(store: Store) -> None:
    at = edited(load_example(start()))
    first = at.query_params["catalog"]
    run(at.sidebar.button(key="_persist.new").click())
    assert document(at) == {"models": []}
    assert "catalog" not in at.query_params
    assert [c.id for c in store.list()] == [first]


def _conflicted(store: Store) -> tuple[AppTest, str]:
    """Open revision 1, let someone else save revision 2, edit and save: a conflict."""
    info = store.create("Shared", DOCUMENT)
    at = start(catalog=info.id)
    theirs = copy.deepcopy(DOCUMENT)
    theirs["modelServer"]["description"] = "Their description."
    store.save(info.id, theirs, base_revision=1, note="theirs")
    run(at.text_input(key="modelServer.name").input("my-server"))
    save(at, "mine")
    return at, info.id


def test_a_conflicting_save_shows_both_versions(store: Store) -> None:
    at, catalog_id = _conflicted(store)
    assert "Someone saved this catalog as revision 2" in at.warning[0].value
    diff = next(c for c in at.code if c.language == "diff")
    assert "-  description: Their description." in diff.value
    assert "+  name: my-server" in diff.value
    assert store.revisions(catalog_id)[0].number == 2  # nothing written


def test_save_mine_on_top_adds_a_revision_after_theirs(store: Store) -> None:
    at, catalog_id = _conflicted(store)
    run(at.button(key="_persist.save_mine").click())
    assert status(at) == "Saved · revision 3"
    assert not at.get("code") or all(c.language != "diff" for c in at.code)
    saved = store.get(catalog_id)
    assert saved.revision == 3 and saved.document["modelServer"]["name"] == "my-server"
    assert store.revisions(catalog_id)[0].note == "mine"


def test_load_their_version_drops_mine(store: Store) -> None:
    at, catalog_id = _conflicted(store)
    run(at.button(key="_persist.take_theirs").click())
    assert status(at) == "Saved · revision 2"
    assert document(at)["modelServer"]["description"] == "Their description."
    assert store.get_draft(catalog_id) is None


# -- the library page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "ago"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=7), "7 min ago"),
        (timedelta(hours=3), "3 h ago"),
        (timedelta(days=1, hours=2), "1 day ago"),
        (timedelta(days=9), "9 days ago"),
    ],
)
def test_when_says_how_long_ago_then_the_time(elapsed: timedelta, ago: str) -> None:
    moment = datetime(2025, 3, 1, 8, 40, tzinfo=UTC)
    assert when(moment, moment + elapsed) == f"{ago} (2025-03-01 08:40 UTC)"


def test_an_empty_library_points_to_the_author_page() -> None:
    at = library(start())
    assert "No saved catalogs yet" in texts(at)


def test_rows_show_name_models_tags_and_last_change(store: Store) -> None:
    store.create("Granite server", DOCUMENT)
    store.create("Loose models", MODELS_ONLY)
    at = library(start())
    shown = texts(at)
    assert "**Granite server**" in shown and "**Loose models**" in shown
    # The owner, revision count and last save tell same-named catalogs apart.
    assert r"2 models · group\:ai\-platform · 1 revision · saved just now (" in shown
    assert r"1 model · group\:ai\-platform · 1 revision" in shown
    assert ":material/sell: code, granite" in shown


def test_search_and_tag_filter_the_rows(store: Store) -> None:
    server = store.create("Granite server", DOCUMENT)
    loose = store.create("Loose models", MODELS_ONLY)
    at = library(start())
    run(at.text_input(key="library.search").input("loose"))
    assert [b.key for b in at.button if b.key.startswith("library.open.")] == [
        f"library.open.{loose.id}"
    ]
    run(at.text_input(key="library.search").input(""))
    assert at.selectbox(key="library.tag").options[:2] == ["code (2)", "granite (2)"]
    run(at.selectbox(key="library.tag").select("vllm"))
    assert [b.key for b in at.button if b.key.startswith("library.open.")] == [
        f"library.open.{server.id}"
    ]
    run(at.text_input(key="library.search").input("nothing like this"))
    assert "No catalog matches" in texts(at)


def test_open_loads_the_catalog_on_the_author_page(store: Store) -> None:
    info = store.create("Granite server", DOCUMENT)
    at = library(start())
    run(at.button(key=f"library.open.{info.id}").click())
    assert at.title[0].value == "Author a model catalog"
    assert document(at) == DOCUMENT
    assert at.query_params["catalog"] == info.id
    assert status(at) == "Saved · revision 1"


def test_duplicate_and_rename(store: Store) -> None:
    info = store.create("Granite server", DOCUMENT)
    at = library(start())
    run(at.button(key=f"library.duplicate.{info.id}").click())
    assert sorted(c.name for c in store.list()) == ["Granite server", "Granite server (copy)"]
    at.text_input(key=f"library.rename.{info.id}.name").input("Production granite")
    run(at.button(key=f"library.rename.{info.id}.go").click())
    assert store.get(info.id).name == "Production granite"
    assert "**Production granite**" in texts(at)


def test_delete_asks_first_and_can_be_undone(store: Store) -> None:
    info = store.create("Granite server", DOCUMENT)
    at = library(start())
    run(at.button(key=f"library.delete.{info.id}").click())
    assert "Delete “Granite server”" in at.warning[0].value
    run(at.button(key=f"library.delete.{info.id}.no").click())
    assert store.list() and not at.warning

    run(at.button(key=f"library.delete.{info.id}").click())
    run(at.button(key=f"library.delete.{info.id}.yes").click())
    assert store.list() == []
    assert "Deleted “Granite server”." in texts(at)
    run(at.button(key=f"library.undelete.{info.id}").click())
    assert [c.id for c in store.list()] == [info.id]
    assert not any(b.key == f"library.undelete.{info.id}" for b in at.button)


def test_deleting_the_open_catalog_starts_a_new_one_and_undo_gives_back_my_draft(
    store: Store,
) -> None:
    at = edited(load_example(start()))
    catalog_id = at.query_params["catalog"]
    mine = edited(at, "My unsaved words.").query_params["draft"]
    # Someone else has a newer draft of the same catalog.
    theirs = copy.deepcopy(DOCUMENT)
    theirs["modelServer"]["description"] = "Their words."
    store.save_draft(catalog_id, theirs, base_revision=1, editor="bob", browser="browser-bob")
    at = library(at)
    run(at.button(key=f"library.delete.{catalog_id}").click())
    run(at.button(key=f"library.delete.{catalog_id}.yes").click())
    assert document(at) == {"models": []} and "catalog" not in at.query_params
    run(at.button(key=f"library.undelete.{catalog_id}").click())
    assert document(at)["modelServer"]["description"] == "My unsaved words."
    assert at.query_params["catalog"] == catalog_id and at.query_params["draft"] == mine


def test_history_shows_the_diff_and_restores_an_old_revision(store: Store) -> None:
    info = store.create("Granite server", DOCUMENT, note="first")
    changed = copy.deepcopy(DOCUMENT)
    changed["modelServer"]["lifecycle"] = "deprecated"
    store.save(info.id, changed, base_revision=1, note="retire it")
    at = library(start())
    run(at.button(key=f"library.history.{info.id}").click())
    assert at.session_state["library.tab"] == "History"
    table = at.dataframe[0].value
    assert list(table["Revision"]) == [2, 1]
    assert list(table["Note"]) == ["retire it", "first"]
    diff = at.code[0]
    assert diff.language == "diff"
    assert "-  lifecycle: production\n+  lifecycle: deprecated" in diff.value

    run(at.button(key=f"library.history.{info.id}.restore.go").click())
    assert store.get(info.id).revision == 3
    assert store.get(info.id).document == DOCUMENT
    assert store.revisions(info.id)[0].note == "Restored revision 1"


def test_the_library_graph_draws_every_valid_catalog(store: Store) -> None:
    store.create("Granite server", DOCUMENT)
    store.create("Loose models", MODELS_ONLY)
    store.create("Broken", {"models": [{"name": "no owner"}]})
    at = start()
    at.session_state["library.tab"] = "Library graph"
    at = library(at)
    assert len(at.get("bidi_component")) == 1  # the zoomable chart
    dot = at.session_state["library.graph.dot"]
    assert 'label="Granite server"' in dot and 'label="Loose models"' in dot
    assert "Broken" not in dot
    assert "Not drawn, because they have errors" in texts(at)
    assert "“Broken”" in texts(at)


# -- the traps of issue 10 ----------------------------------------------------------------


def test_undo_goes_back_one_labelled_step_at_a_time_and_redo_comes_back(store: Store) -> None:
    at = load_example(start())
    edited(at, "First words.")
    run(at.text_input(key="modelServer.name").input("renamed-server"))
    assert at.button(key="_toolbar.undo").label == "Undo: rename the server"
    run(at.button(key="_toolbar.undo").click())
    assert document(at)["modelServer"]["name"] == DOCUMENT["modelServer"]["name"]
    assert document(at)["modelServer"]["description"] == "First words."  # one step only
    assert at.text_input(key="modelServer.name").value == DOCUMENT["modelServer"]["name"]
    assert at.button(key="_toolbar.redo").label == "Redo: rename the server"
    assert at.button(key="_toolbar.undo").label == "Undo: edit the server's description"
    run(at.button(key="_toolbar.redo").click())
    assert document(at)["modelServer"]["name"] == "renamed-server"
    assert at.button(key="_toolbar.redo").disabled
    # The history survives a page switch.
    library(at)
    at.switch_page("pages/author.py")
    run(at)
    assert at.button(key="_toolbar.undo").label == "Undo: rename the server"
    run(at.button(key="_toolbar.undo").click())
    run(at.button(key="_toolbar.undo").click())
    run(at.button(key="_toolbar.undo").click())
    assert document(at) == {"models": []}  # back before the example, nothing jumped
    assert at.button(key="_toolbar.undo").disabled


def test_an_example_into_an_open_catalog_asks_new_or_replace(store: Store) -> None:
    at = edited(load_example(start()))
    first = at.query_params["catalog"]
    run(at.button(key="_example:standalone-models").click())
    assert document(at)["modelServer"]["description"] == "Edited."  # nothing changed yet
    assert at.button(key="_toolbar.choice.new").proto.type == "primary"
    run(at.button(key="_toolbar.choice.new").click())
    assert "catalog" not in at.query_params  # a new catalog, not in the Library yet
    assert [c.id for c in store.list()] == [first]
    assert store.get(first).document["modelServer"]["description"] == "Edited."

    run(at.button(key="_toolbar.undo").click())  # back to the first catalog
    assert at.query_params["catalog"] == first
    run(at.button(key="_example:triton-grpc-server").click())
    run(at.button(key="_toolbar.choice.replace").click())
    assert at.query_params["catalog"] == first
    save(at)
    # The name follows what it holds now, as nobody named it.
    assert store.get(first).name == "vision-inference"


def test_start_over_with_changes_asks_too(store: Store) -> None:
    at = edited(load_example(start()))
    first = at.query_params["catalog"]
    run(at.button(key="_toolbar.new").click())
    run(at.button(key="_toolbar.choice.new").click())
    assert document(at) == {"models": []} and "catalog" not in at.query_params
    assert store.get(first).document["modelServer"]["description"] == "Edited."


def test_restore_updates_the_editor_and_save_knows_it_was_me(store: Store) -> None:
    at = edited(load_example(start()), "Version one.")
    catalog_id = at.query_params["catalog"]
    save(edited(at, "Version two."))
    edited(at, "Unsaved three.")
    at = library(at)
    at.session_state["library.tab"] = "History"
    run(at)
    run(at.button(key=f"library.history.{catalog_id}.restore.go").click())
    assert store.get(catalog_id).revision == 3
    assert document(at)["modelServer"]["description"] == "Version one."
    assert status(at) == "Saved · revision 3"
    run(at.switch_page("pages/author.py"))
    assert at.text_area(key="modelServer.description").value == "Version one."
    run(at.button(key="_toolbar.undo").click())  # my unsaved words come back as a draft
    assert document(at)["modelServer"]["description"] == "Unsaved three."
    save(at)
    assert not at.warning and store.get(catalog_id).revision == 4


def test_a_conflict_with_my_own_restore_does_not_blame_someone(store: Store) -> None:
    at = edited(load_example(start()), "Version one.")
    catalog_id = at.query_params["catalog"]
    save(edited(at, "Version two."))
    run(at.sidebar.button(key="_persist.new").click())  # another catalog in the editor
    at = library(at)
    at.session_state["library.tab"] = "History"
    at.session_state["library.history.catalog"] = catalog_id
    run(at)
    run(at.button(key=f"library.history.{catalog_id}.restore.go").click())
    run(at.switch_page("pages/author.py"))
    run(at.button(key="_toolbar.undo").click())  # back to the catalog, on revision 2
    save(edited(at, "Version four."))
    warning = at.warning[0].value
    assert "You saved revision 3 yourself" in warning and "Someone" not in warning


def test_same_named_catalogs_are_told_apart(store: Store) -> None:
    store.create(None, DOCUMENT)
    store.create(None, DOCUMENT)
    at = library(start())
    shown = texts(at)
    assert shown.count("one of 2 named alike") == 2
    assert "(2)" not in shown


def test_the_library_graph_counts_agree_and_namesakes_are_told_apart_by_date(
    store: Store,
) -> None:
    # The same catalog saved twice: same name, same models (one Backstage entity each).
    many = copy.deepcopy(DOCUMENT)
    template = many["models"][0]
    many["models"] = [dict(template, name=f"model-{i:02d}") for i in range(35)]
    many["models"][0]["name"] = "Bad Name"  # whitespace is removed: the entity is BadName
    one, two = copy.deepcopy(many), copy.deepcopy(many)
    one["models"].append(dict(template, name="only-in-the-first"))
    two["models"].append(dict(template, name="only-in-the-second"))
    first, second = store.create("Demo", one), store.create("Demo", two)
    at = start()
    at.session_state["library.tab"] = "Library graph"
    at = library(at)
    shown = texts(at)
    # The toggle and the line under it count what the picture draws: 35 models, once.
    assert at.toggle(key="library.graph.expand").label == "All 37 models"
    assert "2 catalogs · 37 models" in shown
    assert "the catalogs list 72 models" in shown
    dot = at.session_state["library.graph.dot"]
    assert "label=Demo" in dot or 'label="Demo"' in dot
    saved = [store.get(c.id).updated_at for c in (first, second)]
    assert any(f"Demo · saved {when:%Y-%m-%d %H:%M}" in dot for when in saved)
    assert "(2)" not in dot
    assert "“Bad Name” as “BadName”" in shown and "Whitespace is removed from names" in shown


def test_the_history_picker_tells_same_named_catalogs_apart(store: Store) -> None:
    first = store.create(None, DOCUMENT)
    second = store.create(None, DOCUMENT)
    store.save(second.id, DOCUMENT, base_revision=1)
    at = library(start())
    at.session_state["library.tab"] = "History"
    run(at)
    picker = at.selectbox(key="library.history.catalog")
    labels = list(picker.options)  # as the person sees them
    assert len(set(labels)) == 2 and all("developer-model-service · " in x for x in labels)
    assert any("2 revisions" in x for x in labels) and any("· 1 revision" in x for x in labels)
    run(picker.select(next(x for x in labels if "· 1 revision" in x)))
    assert at.session_state["library.history.catalog"] == first.id
    assert list(at.dataframe[0].value["Revision"]) == [1]


def test_a_change_of_the_output_options_is_kept_with_the_draft_across_a_refresh(
    store: Store,
) -> None:
    info = store.create("Shared", DOCUMENT)
    at = start(catalog=info.id)
    at.switch_page("pages/export.py")
    run(at)
    run(at.radio(key="export.layout").set_value("ai-model-server"))

    # Like an edit: unsaved, kept as this browser's draft, named by the address.
    assert status(at) == "Unsaved changes on revision 1 (draft kept)"
    assert not at.sidebar.button(key="_persist.save").disabled
    draft = store.get_draft(info.id, at.query_params["draft"])
    assert draft is not None and draft.output_options is not None
    assert draft.output_options["layout"] == "ai-model-server"

    again = start(**dict(at.query_params))  # a refresh
    again.switch_page("pages/export.py")
    run(again)
    assert again.radio(key="export.layout").value == "ai-model-server"
    assert status(again) == "Unsaved changes on revision 1 (draft kept)"

    # A colleague's link shows the saved revision's options.
    bob = start("browser-bob", catalog=info.id)
    bob.switch_page("pages/export.py")
    run(bob)
    assert bob.radio(key="export.layout").value == "classic"

    # The Library lists it among the unsaved drafts, for what it is.
    library(bob)
    run(bob.button(key=f"library.history.{info.id}").click())
    assert "other output options" in texts(bob)

    # Going back to the saved options leaves nothing unsaved.
    run(again.radio(key="export.layout").set_value("classic"))
    assert status(again) == "Saved · revision 1"
    assert store.get_draft(info.id) is None


def test_undo_after_opening_another_catalog_brings_back_its_output_options(
    store: Store,
) -> None:
    served = store.create(
        "Served", DOCUMENT, output_options={"layout": "ai-model-server", "kind": "API"}
    )
    other = store.create("Models only", MODELS_ONLY)
    at = start(catalog=served.id)
    at = library(at)
    run(at.button(key=f"library.open.{other.id}").click())
    run(at.button(key="_toolbar.undo").click())  # "open “Models only”"

    assert at.query_params["catalog"] == served.id
    at.switch_page("pages/export.py")
    run(at)
    assert at.radio(key="export.layout").value == "ai-model-server"
    assert at.selectbox(key="export.kind").value == "API"
    assert status(at) == "Saved · revision 1"  # nothing unsaved: the options are its own
