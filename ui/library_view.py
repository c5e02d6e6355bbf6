"""The Library page's parts: the saved catalogs, one catalog's history, the library graph.

Everything reads and writes the store through :func:`ui.persistence.store`; opening a
catalog goes through :func:`ui.persistence.open_catalog` so the editor, the URL and the
autosave agree.  Widget keys start with ``library.``; a row's keys carry the catalog id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import streamlit as st

from catalog.convert import ConvertOptions, Layout
from catalog.graph import count_models, library_to_dot
from catalog.session import unsaved_drafts
from catalog.store import CatalogSummary, NotFoundError, StoreError
from catalog.validate import validate
from ui import graph_view, persistence, publish_view, state
from ui.text import escape_markdown, plural

AUTHOR_PAGE = Path(__file__).resolve().parent.parent / "pages" / "author.py"
TAB_KEY = "library.tab"
TABS = ("Catalogs", "History", "Library graph")
HISTORY_KEY = "library.history.catalog"
TAG_KEY = "library.tag"
CONFIRM_KEY = "library.confirm_delete"
GRAPH_KEY = "library.graph"
UNDO_SHOWN = 3


def when(moment: datetime, now: datetime | None = None) -> str:
    """``5 min ago (2025-11-26 08:40 UTC)``: how long ago, then the exact time."""
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        ago = "just now"
    elif seconds < 3600:
        ago = f"{seconds // 60} min ago"
    elif seconds < 86400:
        ago = f"{seconds // 3600} h ago"
    else:
        ago = plural(seconds // 86400, "day") + " ago"
    return f"{ago} ({moment:%Y-%m-%d %H:%M} UTC)"


def _toast_error(exc: StoreError) -> None:
    st.toast(escape_markdown(str(exc)), icon=":material/error:")


# -- catalogs -----------------------------------------------------------------------------


def _duplicate(catalog_id: str) -> None:
    try:
        copy = persistence.store().duplicate(catalog_id)
    except StoreError as exc:
        _toast_error(exc)
        return
    st.toast(f"Duplicated as “{escape_markdown(copy.name)}”.", icon=":material/content_copy:")


def _rename(catalog_id: str) -> None:
    name = str(st.session_state.get(f"library.rename.{catalog_id}.name") or "")
    try:
        new_name = state.session().rename(persistence.store(), catalog_id, name)
    except StoreError as exc:
        _toast_error(exc)
        return
    st.toast(f"Renamed to “{escape_markdown(new_name)}”.", icon=":material/edit:")


def _ask_delete(catalog_id: str | None) -> None:
    st.session_state[CONFIRM_KEY] = catalog_id


def _delete(catalog_id: str, name: str) -> None:
    st.session_state[CONFIRM_KEY] = None
    was_open = persistence.catalog_id() == catalog_id
    try:
        state.session().delete(persistence.store(), catalog_id, name)
    except StoreError as exc:
        _toast_error(exc)
        return
    if was_open:
        state.forget_widgets(memory=True)


def _undelete(catalog_id: str) -> None:
    before = state.session().binding
    try:
        name = state.session().undo_delete(persistence.store(), catalog_id)
    except StoreError as exc:
        _toast_error(exc)
        return
    if state.session().binding is not before:
        state.forget_widgets(memory=True)
    st.toast(f"“{escape_markdown(name)}” is back.", icon=":material/restore_from_trash:")


def _show_history(catalog_id: str) -> None:
    st.session_state[HISTORY_KEY] = catalog_id
    st.session_state[TAB_KEY] = "History"


def undo_notices() -> None:
    """The catalogs deleted in this session, newest first, each with Undo delete."""
    for entry in state.session().deleted[:UNDO_SHOWN]:
        catalog_id, name = entry.catalog_id, entry.name
        with st.container(horizontal=True, vertical_alignment="center"):
            st.info(f"Deleted “{escape_markdown(name)}”.", icon=":material/delete:")
            st.button(
                "Undo delete",
                key=f"library.undelete.{catalog_id}",
                icon=":material/undo:",
                on_click=_undelete,
                args=(catalog_id,),
            )


def _filters(tag_counts: Sequence[tuple[str, int]]) -> tuple[str, str | None]:
    counts = dict(tag_counts)
    if st.session_state.get(TAG_KEY) not in counts:
        st.session_state.pop(TAG_KEY, None)  # its last catalog went away
    search_column, tag_column = st.columns([3, 2])
    search = search_column.text_input(
        "Search",
        key="library.search",
        placeholder="Name of a catalog, its server or a model",
        icon=":material/search:",
    )
    tag = tag_column.selectbox(
        "Tag",
        list(counts),
        index=None,
        format_func=lambda t: f"{t} ({counts[t]})",
        key=TAG_KEY,
        placeholder="Any tag",
        help="Tags of the servers, APIs and models; the number says how many catalogs have it",
    )
    return search, tag


def identity(item: CatalogSummary) -> str:
    """What tells a catalog from others of the same name: owner, revisions, last save.

    ``group:ai · 3 revisions · saved 5 min ago (2026-12-02 08:40 UTC)``; words, never a
    bare number in brackets that reads like a count.
    """
    owner = f"{item.owner} · " if item.owner else ""
    return f"{owner}{plural(item.revision, 'revision')} · saved {when(item.updated_at)}"


def choice_labels(items: Sequence[CatalogSummary]) -> dict[str, str]:
    """A distinct label per catalog id for a picker: the name, and for same-named ones
    what tells them apart (a picker showing one label twice cannot tell which is meant)."""
    twins = Counter(item.name.casefold() for item in items)
    labels: dict[str, str] = {}
    for item in items:
        label = item.name
        if twins[item.name.casefold()] > 1:
            # Exact times, not "5 min ago": a label must not change while it is picked.
            owner = f"{item.owner} · " if item.owner else ""
            label = (
                f"{item.name} · {owner}{plural(item.revision, 'revision')} · "
                f"saved {item.updated_at:%Y-%m-%d %H:%M} UTC"
            )
        if label in labels.values():
            label = f"{label} · id {item.id}"
        labels[item.id] = label
    return labels


def _identity_markdown(item: CatalogSummary) -> str:
    owner = f"{escape_markdown(item.owner)} · " if item.owner else ""
    return f"{owner}{plural(item.revision, 'revision')} · saved {when(item.updated_at)}"


def _summary_line(item: CatalogSummary, twins: int = 1) -> str:
    tags = ", ".join(item.tags) if item.tags else "no tags"
    same = f" · one of {twins} named alike, id `{item.id}`" if twins > 1 else ""
    return (
        f"{plural(item.model_count, 'model')} · {_identity_markdown(item)}{same}  \n"
        f":material/sell: {escape_markdown(tags)}"
    )


def _row(item: CatalogSummary, twins: int = 1) -> bool:
    """One catalog's line; True when its Open button was clicked."""
    is_open = persistence.catalog_id() == item.id
    with st.container(border=True, key=f"library.row.{item.id}"):
        badge = "  :blue-badge[:material/edit_note: open in the editor]" if is_open else ""
        st.markdown(f"**{escape_markdown(item.name)}**{badge}")
        st.caption(_summary_line(item, twins))
        with st.container(horizontal=True, gap="small"):
            opened = st.button(
                "Open",
                key=f"library.open.{item.id}",
                icon=":material/edit_note:",
                type="primary",
                help="Edit this catalog on the Author page",
            )
            st.button(
                "History",
                key=f"library.history.{item.id}",
                icon=":material/history:",
                on_click=_show_history,
                args=(item.id,),
            )
            st.button(
                "Duplicate",
                key=f"library.duplicate.{item.id}",
                icon=":material/content_copy:",
                on_click=_duplicate,
                args=(item.id,),
            )
            with st.popover("Rename", icon=":material/edit:", key=f"library.rename.{item.id}"):
                st.text_input("New name", value=item.name, key=f"library.rename.{item.id}.name")
                st.button(
                    "Rename",
                    key=f"library.rename.{item.id}.go",
                    on_click=_rename,
                    args=(item.id,),
                    help="An empty name takes the server's or first model's name",
                )
            st.button(
                "Delete",
                key=f"library.delete.{item.id}",
                icon=":material/delete:",
                on_click=_ask_delete,
                args=(item.id,),
            )
        if st.session_state.get(CONFIRM_KEY) == item.id:
            _confirm_delete(item)
    return opened


def _confirm_delete(item: CatalogSummary) -> None:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.warning(
            f"Delete “{escape_markdown(item.name)}” and its {plural(item.revision, 'revision')}? "
            "You can undo this until you close the app."
            + publish_view.delete_note(item.id, item.name, item.revision),
            icon=":material/warning:",
        )
        st.button(
            "Yes, delete",
            key=f"library.delete.{item.id}.yes",
            type="primary",
            on_click=_delete,
            args=(item.id, item.name),
        )
        st.button("Cancel", key=f"library.delete.{item.id}.no", on_click=_ask_delete, args=(None,))


def _open(catalog_id: str, editor: str | None = None) -> None:
    try:
        persistence.open_catalog(catalog_id, editor)
    except StoreError as exc:
        st.error(escape_markdown(str(exc)), icon=":material/error:")
        return
    st.switch_page(AUTHOR_PAGE, query_params=persistence.link_params())


def catalogs_tab() -> None:
    """Search, filter and the catalog rows."""
    every = persistence.store().list()
    if not every:
        st.info(
            "No saved catalogs yet. Start one on the Author page: it is saved here as you "
            "go, and **Save** in the sidebar keeps a revision with a note.",
            icon=":material/inventory_2:",
        )
        st.page_link(str(AUTHOR_PAGE), label="Open the Author page", icon=":material/edit_note:")
        return
    search, tag = _filters(persistence.store().all_tags())
    found = persistence.store().list(search, tag) if (search or tag) else every
    st.caption(f"{plural(len(found), 'catalog')} of {len(every)}, latest change first.")
    if not found:
        st.info("No catalog matches the search.", icon=":material/search_off:")
    to_open = None
    names = Counter(item.name.casefold() for item in every)
    for item in found:
        if _row(item, names[item.name.casefold()]):
            to_open = item.id
    if to_open is not None:
        _open(to_open)


# -- history ------------------------------------------------------------------------------


def _restore(catalog_id: str, number: int) -> None:
    was_open = persistence.catalog_id() == catalog_id
    try:
        restored = state.session().restore(persistence.store(), catalog_id, number)
    except StoreError as exc:
        _toast_error(exc)
        return
    if was_open:
        state.forget_widgets()
    where = " The editor shows it." if was_open else ""
    st.toast(
        f"Revision {number} restored as revision {restored.number}.{where}",
        icon=":material/restore:",
    )


def _revision_label(number: int, notes: dict[int, str | None]) -> str:
    note = notes.get(number)
    return f"Revision {number}" + (f" · {note[:60]}" if note else "")


def history_tab() -> None:
    """One catalog's revisions, the YAML diff between two, and restoring an old one."""
    every = persistence.store().list()
    if not every:
        st.info("Nothing saved yet, so no history.", icon=":material/history:")
        return
    names = choice_labels(every)
    if st.session_state.get(HISTORY_KEY) not in names:
        # Start with the catalog open in the editor (or drop one deleted meanwhile).
        opened = persistence.catalog_id()
        st.session_state[HISTORY_KEY] = opened if opened in names else next(iter(names))
    catalog_id = st.selectbox(
        "Catalog", list(names), format_func=names.__getitem__, key=HISTORY_KEY
    )
    try:
        revisions = persistence.store().revisions(catalog_id)
    except NotFoundError as exc:
        st.warning(escape_markdown(str(exc)), icon=":material/warning:")
        return
    st.dataframe(
        [
            {"Revision": r.number, "Saved (UTC)": r.created_at, "Note": r.note or ""}
            for r in revisions
        ],
        hide_index=True,
        width="stretch",
        column_config={"Saved (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
    )
    _drafts(catalog_id)
    numbers = [r.number for r in revisions]
    notes = {r.number: r.note for r in revisions}
    if len(numbers) < 2:
        st.caption("Only one revision so far: Save in the sidebar adds the next one.")
        return
    st.subheader("Compare two revisions", anchor=False)
    old_column, new_column = st.columns(2)
    old = old_column.selectbox(
        "From",
        numbers,
        index=1,
        format_func=lambda n: _revision_label(n, notes),
        key=f"library.history.{catalog_id}.old",
    )
    new = new_column.selectbox(
        "To",
        numbers,
        index=0,
        format_func=lambda n: _revision_label(n, notes),
        key=f"library.history.{catalog_id}.new",
    )
    store = persistence.store()
    diff = persistence.yaml_diff(
        store.revision(catalog_id, old).document,
        store.revision(catalog_id, new).document,
        f"revision {old}",
        f"revision {new}",
    )
    if diff:
        st.code(diff, language="diff")
    else:
        st.info(f"Revisions {old} and {new} are the same.", icon=":material/check:")
    st.subheader("Restore", anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        older = numbers[1:]
        number = st.selectbox(
            "Revision to restore",
            older,
            format_func=lambda n: _revision_label(n, notes),
            key=f"library.history.{catalog_id}.restore",
        )
        st.button(
            "Restore as new revision",
            key=f"library.history.{catalog_id}.restore.go",
            icon=":material/restore:",
            on_click=_restore,
            args=(catalog_id, number),
            help=f"Save revision {number}'s catalog as revision {numbers[0] + 1}; nothing is lost",
        )


def _drafts(catalog_id: str) -> None:
    """The catalog's unsaved drafts (one per person editing it), each to open."""
    try:
        library = persistence.store()
        latest = library.revision(catalog_id, library.get(catalog_id).revision)
        drafts = unsaved_drafts(library.drafts(catalog_id), latest)
    except StoreError:
        return
    if not drafts:
        return
    st.subheader("Unsaved drafts", anchor=False)
    st.caption(
        "Autosaved changes nobody has saved as a revision yet, one per person (or tab) "
        "editing this catalog. Yours go on in the editor; someone else's opens as a copy."
    )
    mine = persistence.my_draft_editor() if persistence.catalog_id() == catalog_id else None
    to_open = None
    for draft in drafts:
        with st.container(horizontal=True, vertical_alignment="center"):
            document = draft.document if isinstance(draft.document, dict) else {}
            models = document.get("models")
            count = len(models) if isinstance(models, list) else 0
            server = document.get("modelServer")
            name = server.get("name") if isinstance(server, dict) else None
            own = draft.browser == state.session().browser
            if draft.editor == mine:
                whose = "yours, open in the editor"
            else:
                whose = "yours (this browser)" if own else "someone else's"
            what = f"server “{escape_markdown(str(name)[:60])}”, " if name else ""
            if draft.document == latest.document:
                what = "other output options, " + what
            st.markdown(
                f"**{draft.updated_at:%Y-%m-%d %H:%M} UTC** · {whose} · {what}"
                f"{plural(count, 'model')} · edited from revision {draft.base_revision}",
                width="stretch",
            )
            if st.button(
                "Open" if own else "Open a copy",
                key=f"library.draft.{catalog_id}.{draft.editor}",
                icon=":material/edit_note:",
                disabled=draft.editor == mine,
                help="Go on with this draft in the editor"
                if own
                else "Edit a copy of it as your own draft; theirs stays as it is",
            ):
                to_open = draft.editor
    if to_open is not None:
        _open(catalog_id, to_open)


# -- library graph ------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=2000)
def _entities(catalog_id: str, revision: int, layout: str, _document: Any) -> list[Any] | None:
    """The entities of one stored revision, or None when it does not validate."""
    report = validate(_document, ConvertOptions(layout=layout))  # type: ignore[arg-type]
    return list(report.entities) if report.ok and report.entities else None


def _unique(info: Any, taken: set[str]) -> str:
    """A cluster title: the catalog's name, told apart from a namesake by when it was saved.

    Not "name (2)": in a graph that reads like a count of models.
    """
    candidates = [
        info.name,
        f"{info.name} · saved {info.updated_at:%Y-%m-%d %H:%M}",
        f"{info.name} · id {info.id}",
    ]
    candidate = next((c for c in candidates if c not in taken), candidates[-1])
    taken.add(candidate)
    return candidate


def _groups(layout: Layout) -> tuple[dict[str, list[Any]], list[str], list[Any]]:
    """The drawable catalogs by cluster title, the names of the others, their documents."""
    groups: dict[str, list[Any]] = {}
    skipped: list[str] = []
    documents: list[Any] = []
    taken: set[str] = set()
    for info in persistence.store().load_all():
        entities = _entities(info.id, info.revision, layout, info.document)
        if entities is None:
            skipped.append(info.name)
        else:
            groups[_unique(info, taken)] = entities
            documents.append(info.document)
    return groups, skipped, documents


def graph_tab() -> None:
    """Every catalog that validates in one picture, a cluster each."""
    st.caption(
        "All servers, APIs and models of the library at once, for reviews: one box per "
        "catalog (its latest revision)."
    )

    drawn: dict[Layout, tuple[dict[str, list[Any]], list[str], list[Any]]] = {}

    def groups_for(layout: Layout) -> tuple[dict[str, list[Any]], list[str], list[Any]]:
        if layout not in drawn:  # the controls ask first; read the library once
            drawn[layout] = _groups(layout)
        return drawn[layout]

    def model_count(layout: Layout) -> int:
        # What the picture draws: a model in several catalogs is one entity, drawn once.
        groups = groups_for(layout)[0]
        return count_models(entity for group in groups.values() for entity in group)

    choices = graph_view.controls(model_count, key=GRAPH_KEY)
    groups, skipped, documents = groups_for(choices.layout)
    if skipped:
        listed = ", ".join(f"“{escape_markdown(name)}”" for name in skipped)
        st.warning(
            f"Not drawn, because they have errors (open them to see which): {listed}.",
            icon=":material/warning:",
        )
    if not groups:
        st.info("No saved catalog can be drawn yet.", icon=":material/schema:")
        return
    entities = [entity for group in groups.values() for entity in group]
    models = count_models(entities)
    listed = sum(count_models(group) for group in groups.values())
    line = (
        f"{plural(len(groups), 'catalog')} · {plural(models, 'model')} · "
        f"{plural(len(entities), 'entity')}".replace("entitys", "entities")
    )
    if listed > models:
        line += (
            f" · the catalogs list {listed} models, but a model in several catalogs is one "
            "Backstage entity and is drawn once, in the first catalog"
        )
    st.markdown(line)
    graph_view.show_graph(
        library_to_dot(groups, choices.options),
        key=GRAPH_KEY,
        name="library-graph",
        alt=graph_view.alt_text(entities).replace("the catalog", "the library"),
    )
    graph_view.renamed_note(documents)


# -- the page -----------------------------------------------------------------------------


def render() -> None:
    """The whole Library page."""
    st.title("Library", anchor=False)
    st.caption(
        "Every saved catalog: open one to edit it, copy, rename or delete it, look at its "
        "history, or see the whole library as one graph."
    )
    undo_notices()
    catalogs, history, graph = st.tabs(list(TABS), key=TAB_KEY, on_change="rerun")
    try:
        with catalogs:
            catalogs_tab()
        with history:
            history_tab()
        if graph.open is not False:  # drawing the library is the costly part
            with graph:
                graph_tab()
    except StoreError as exc:
        st.error(
            f"The library cannot be read right now: {escape_markdown(str(exc))}",
            icon=":material/database:",
        )
