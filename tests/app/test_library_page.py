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


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own empty library (the app's Store is cached per database URL)."""
    monkeypatch.setenv("MODEL_CATALOG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MODEL_CATALOG_DB_URL", raising=False)
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPages)
    yield tmp_path


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """The same library the app uses, opened by the test (as a colleague's session would)."""
    with Store() as opened:
        yield opened


def start(**query: str) -> AppTest:
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
    return at.session_state["catalog.document"]  # type: ignore[no-any-return]


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


def test_the_first_change_stores_the_catalog_and_names_it_in_the_url(store: Store) -> None:
    at = load_example(start())
    catalog_id = at.query_params["catalog"]
    assert [c.id for c in store.list()] == [catalog_id]
    assert store.get(catalog_id).document == DOCUMENT
    assert status(at) == "Saved · revision 1"


def test_edits_are_kept_as_a_draft_until_save_makes_a_revision(store: Store) -> None:
    at = load_example(start())
    catalog_id = at.query_params["catalog"]
    run(at.text_input(key="modelServer.name").input("renamed-server"))
    assert status(at) == "Unsaved changes (draft kept)"
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


def test_a_link_brings_back_unsaved_work_from_the_draft(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    drafted = copy.deepcopy(DOCUMENT)
    drafted["models"].pop()
    store.save_draft(info.id, drafted, base_revision=1)
    at = start(catalog=info.id)
    assert document(at) == drafted
    assert status(at) == "Unsaved changes (draft kept)"
    assert "Restored the unsaved changes" in at.toast[0].value


def test_a_draft_older_than_a_colleagues_save_is_kept_and_saving_shows_both(
    store: Store,
) -> None:
    info = store.create("Shared", DOCUMENT)
    mine = copy.deepcopy(DOCUMENT)
    mine["modelServer"]["name"] = "my-server"
    store.save_draft(info.id, mine, base_revision=1)
    theirs = copy.deepcopy(DOCUMENT)
    theirs["modelServer"]["description"] = "Their description."
    store.save(info.id, theirs, base_revision=1)
    at = start(catalog=info.id)
    assert document(at) == mine
    assert "revision 2 was saved since" in at.toast[0].value
    save(at)
    assert "saved this catalog as revision 2 after you opened revision 1" in at.warning[0].value


def renamed(at: AppTest, name: str) -> AppTest:
    return run(at.text_input(key="modelServer.name").input(name))


def test_two_people_editing_one_catalog_each_get_their_own_work_back(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    alice, bob = start(catalog=info.id), start(catalog=info.id)
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
    alice_again, bob_again = start(**alice_link), start(**bob_link)
    assert document(alice_again)["modelServer"]["name"] == "alice-server-2"
    assert document(bob_again)["modelServer"]["name"] == "bob-server"
    assert "1 other unsaved draft is kept apart" in alice_again.toast[0].value

    # Bob saves; Alice's draft stays, and her Save shows both versions.
    save(bob_again)
    assert [d.document["modelServer"]["name"] for d in store.drafts(info.id)] == ["alice-server-2"]
    save(alice_again)
    assert "saved this catalog as revision 2 after you opened revision 1" in (
        alice_again.warning[0].value
    )


def test_the_same_draft_open_twice_splits_instead_of_overwriting(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    first = renamed(start(catalog=info.id), "first-tab")
    link = dict(first.query_params)
    second = start(**link)  # the link passed on while the first tab goes on editing
    assert document(second)["modelServer"]["name"] == "first-tab"
    renamed(first, "first-tab-2")
    renamed(second, "second-tab")

    assert "open elsewhere" in second.toast[0].value
    assert second.query_params["draft"] != link["draft"]
    names = sorted(d.document["modelServer"]["name"] for d in store.drafts(info.id))
    assert names == ["first-tab-2", "second-tab"]


def test_the_library_lists_unsaved_drafts_and_opens_one(store: Store) -> None:
    info = store.create("Shared", DOCUMENT)
    theirs = copy.deepcopy(DOCUMENT)
    theirs["models"].pop()
    store.save_draft(info.id, theirs, base_revision=1, editor="colleague")
    at = start()
    at.switch_page("pages/library.py").run()
    at.session_state["library.tab"] = "History"
    run(at)
    rows = [m.value for m in at.markdown if "edited from revision 1" in m.value]
    assert len(rows) == 1 and "1 model" in rows[0]
    run(at.button(key=f"library.draft.{info.id}.colleague").click())
    assert document(at) == theirs
    assert at.query_params["draft"] == "colleague"


def test_an_unknown_link_says_so_and_starts_empty(store: Store) -> None:
    at = start(catalog="no-such-id")
    warning = at.warning[0].value
    assert "no catalog with the id `no-such-id`" in warning
    assert document(at) == {"models": []}
    assert "catalog" not in at.query_params


def test_undoing_an_edit_by_hand_drops_the_draft(store: Store) -> None:
    at = load_example(start())
    catalog_id = at.query_params["catalog"]
    run(at.text_input(key="modelServer.name").input("renamed-server"))
    assert store.get_draft(catalog_id) is not None
    run(at.text_input(key="modelServer.name").input(DOCUMENT["modelServer"]["name"]))
    assert status(at) == "Saved · revision 1"
    assert store.get_draft(catalog_id) is None
    assert at.sidebar.button(key="_persist.save").disabled


def test_new_catalog_starts_empty_and_keeps_the_old_one(store: Store) -> None:
    at = load_example(start())
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
    assert "saved this catalog as revision 2" in at.warning[0].value
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
    assert "2 models · revision 1 · changed " in shown
    assert "1 model · revision 1" in shown
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


def test_deleting_the_open_catalog_starts_a_new_one(store: Store) -> None:
    at = load_example(start())
    catalog_id = at.query_params["catalog"]
    at = library(at)
    run(at.button(key=f"library.delete.{catalog_id}").click())
    run(at.button(key=f"library.delete.{catalog_id}.yes").click())
    assert document(at) == {"models": []} and "catalog" not in at.query_params
    run(at.button(key=f"library.undelete.{catalog_id}").click())
    assert document(at) == DOCUMENT and at.query_params["catalog"] == catalog_id


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
