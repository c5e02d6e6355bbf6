"""Saving the catalog being edited: the library store, the URL, autosave and Save.

The rules live in :class:`catalog.session.EditingSession` (see :mod:`ui.state`); this
module binds them to Streamlit:

* :func:`bootstrap` (every run, before the page) opens the catalog named by
  ``?catalog=<id>`` when a session starts (its last saved revision; a ``draft=`` token
  only brings a draft back in the browser that wrote it), shows this browser's unsaved
  draft as an offer, the conflict panel, and the session's notices.
* :func:`finish` (every run, after the page has been drawn) autosaves the latest change
  (at most one write per run, off the path to what the person sees) and keeps the URL
  naming the open catalog and this browser's draft.
* :func:`follow_editor` autosaves as soon as a callback of the Author page's editor
  changed the catalog, so the sidebar's catalog box (a fragment) can say what was just
  saved in the same rerun; the whole page runs only when a panel above the editor
  changes (:func:`outside`).  :func:`finish_editor`, at the end of the editor, keeps
  the URL in step and checks.
* :func:`save_controls` is the sidebar's Save (with a note) and status, drawn by
  :func:`finish` into the place :func:`controls_slot` kept, so it tells what is saved
  after this run's autosave; the frame draws it as a fragment of its own.
* :func:`open_catalog` and :func:`new_catalog` are what the Library page calls.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import streamlit as st

from catalog.emit import to_yaml
from catalog.session import EditingSession, is_empty
from catalog.store import MAX_NOTE_CHARS, NotFoundError, Store, StoreError
from catalog.store import resolve_url as resolve_store_url
from ui import output_options, state, toolbar
from ui.text import escape_markdown, plural

BOOTED_KEY = "_persist.booted"
MISSING_KEY = "_persist.missing"
NOTE_KEY = "_persist.note"
COOKIE_KEY = "_persist.cookie_set"
#: What the page around the Author page's editor showed after the last whole-page run.
OUTSIDE_KEY = "_persist.outside"
PARAM = "catalog"
DRAFT_PARAM = "draft"
#: The name the store gives a catalog whose document names nothing yet.
UNTITLED = "Untitled catalog"
DELETED_KEPT_FOR = timedelta(days=30)


# -- the store ----------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    opened = Store(url)
    # Deleted catalogs stay restorable for a while (the Library's "Undo delete", or an
    # administrator), then go for good; so do drafts nobody came back to.  Once per
    # process start is often enough.
    opened.purge_deleted(older_than=DELETED_KEPT_FOR)
    opened.purge_drafts(older_than=DELETED_KEPT_FOR)
    return opened


def store() -> Store:
    """The process's one :class:`Store` for the configured database (opened once)."""
    # Keyed by the resolved URL: tests point MODEL_CATALOG_DATA_DIR elsewhere per test.
    return _open_store(str(resolve_store_url(None)))


# -- what the session has open ------------------------------------------------------------


def _session() -> EditingSession:
    return state.session()


def catalog_id() -> str | None:
    """The id of the stored catalog this session edits (None: not stored yet)."""
    return _session().catalog_id


def base_revision() -> int:
    """The revision the working document was opened or last saved as (0: none)."""
    return _session().base_revision


def catalog_name() -> str | None:
    """The open catalog's name (the library's, else what its document is called)."""
    return _session().name()


def has_unsaved_changes() -> bool:
    """Whether the working document differs from its base revision (or what it opened as)."""
    return _session().has_unsaved_changes()


def link_params() -> dict[str, str]:
    """The query parameters that bring back what this session edits (catalog and draft)."""
    return _session().link()


def my_draft_editor() -> str | None:
    """The token of the draft this session writes (None: no draft written yet)."""
    binding = _session().binding
    return binding.draft_token if binding.draft_version is not None else None


def open_catalog(catalog_id: str, editor: str | None = None) -> None:
    """Open a stored catalog in the editor (its last saved revision; undoable).

    ``editor`` names a draft listed in the Library: this browser's own goes on, another
    browser's opens as a copy of your own.  Raises :class:`NotFoundError`.
    """
    before = _session().binding
    if editor:
        _session().open_draft(store(), catalog_id, editor)
    else:
        _session().open(store(), catalog_id)
    state.forget_widgets(memory=_session().binding is not before)


def new_catalog() -> None:
    """Start a new, empty catalog in the editor (the open one stays in the library)."""
    state.new_catalog()


# -- every run ----------------------------------------------------------------------------


def bootstrap() -> None:
    """Open ``?catalog=<id>`` when the session starts; show offers, conflicts and notices.

    Call on every run, after ``state.init()`` and before the pages run.
    """
    session = st.session_state
    editing = _session()
    if not session.get(BOOTED_KEY):
        session[BOOTED_KEY] = True
        wanted = st.query_params.get(PARAM)
        if wanted:
            try:
                editing.open(store(), wanted, st.query_params.get(DRAFT_PARAM), record=False)
                state.forget_widgets(memory=True)
            except NotFoundError:
                session[MISSING_KEY] = wanted
            except StoreError as exc:
                editing.problem = str(exc)
        _sync_url()
    if missing := session.get(MISSING_KEY):
        if editing.catalog_id is None and is_empty(editing.document):
            st.warning(
                f"There is no catalog with the id `{_code(missing)}` in the library: it may "
                "have been deleted, or the link is incomplete. You are editing a new, empty "
                "catalog; the Library page lists the saved ones.",
                icon=":material/link_off:",
            )
        else:
            session[MISSING_KEY] = None
    if editing.offer is not None and editing.offer.catalog_id == editing.catalog_id:
        _offer_panel()
    if editing.conflict is not None:
        _conflict_panel()
    _notices()


def controls_slot() -> Any:
    """The sidebar's place for :func:`save_controls`, filled by :func:`finish`."""
    return st.sidebar.container()


def finish(slot: Any, box: Callable[[], None]) -> None:
    """After the page is drawn: autosave the latest change, keep the URL in step, and
    draw the sidebar's catalog box (``box``, in ``slot``) with what is saved now."""
    _after_change()
    with slot:
        box()
    st.session_state[OUTSIDE_KEY] = outside()
    editing = _session()
    if state.browser_token() is None and not st.session_state.get(COOKIE_KEY):
        # Name this browser for the sessions after this one (its drafts carry it).  The
        # token is ours (random, URL-safe): nothing of the user's goes into the script.
        st.session_state[COOKIE_KEY] = True
        st.html(
            f"<script>document.cookie = '{state.BROWSER_COOKIE}={editing.browser}; "
            "path=/; max-age=31536000; SameSite=Lax';</script>",
            unsafe_allow_javascript=True,
        )


def _autosave() -> None:
    _publish_as_chosen()
    _session().autosave(store())


def _after_change() -> None:
    _autosave()
    _sync_url()
    _notices()


def outside() -> tuple[Any, ...]:
    """What the panels above the Author page's editor show that an edit can change: the
    draft offer, the conflict and its diff, the missing-catalog warning, a pending
    question.  (The sidebar's catalog box, a fragment, follows :func:`box_state`.)"""
    editing = _session()
    missing = st.session_state.get(MISSING_KEY)
    if missing and not (editing.catalog_id is None and is_empty(editing.document)):
        missing = None
    offered = editing.offer is not None and editing.offer.catalog_id == editing.catalog_id
    return (
        editing.base_revision if offered else None,
        editing.version if editing.conflict is not None else None,
        missing,
        toolbar.pending(),  # "a new catalog, or replace this one?"
    )


def box_state() -> tuple[Any, ...]:
    """Everything :func:`save_controls` and the publishing notice under it show.

    While someone types, it stays the same from one edit to the next (the status says
    "Unsaved changes on revision N" throughout), so the editor redraws the sidebar only
    when it changes.
    """
    editing = _session()
    return (
        editing.catalog_id,
        editing.name(),
        status(),
        editing.problem,
        editing.can_save(),
        editing.conflict is not None,
        is_empty(editing.document),
    )


state.redraws_when(state.SIDEBAR_FRAGMENT, box_state)


def follow_editor() -> bool:
    """After a callback of the Author page's editor: autosave the change now, so that
    the sidebar's status can follow in the same rerun (the first edit of an example
    saves it as revision 1, the next starts a draft).  False when a panel above the
    editor must change too, which takes a run of the whole page.  The write is the one
    the rerun would make anyway.
    """
    _autosave()
    return st.session_state.get(OUTSIDE_KEY) == outside()


def finish_editor(*, whole_page: bool) -> None:
    """At the end of the Author page's editor (its fragment around the form).

    In a run of the whole page the frame's :func:`finish` comes next and does it all.
    When only the editor reran (an edit), this keeps the URL in step and shows notices
    as :func:`finish` would (:func:`follow_editor` has saved already), and runs the
    whole page if what surrounds the editor still shows something else.
    """
    if whole_page:
        return
    _after_change()
    if st.session_state.get(OUTSIDE_KEY) != outside() or state.stale_views(counting_pending=False):
        st.rerun()


def _sync_url() -> None:
    wanted = _session().link()
    for name in (PARAM, DRAFT_PARAM):
        value = wanted.get(name)
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value


def _notices() -> None:
    for notice in _session().take_notices():
        st.toast(escape_markdown(notice.text), icon=notice.icon)


def _code(text: str) -> str:
    """User text for an inline code span (which shows everything literally but backticks)."""
    return text.replace("`", "'")[:80]


# -- your draft ---------------------------------------------------------------------------


def _take_offer() -> None:
    _session().take_offer(store())
    state.forget_widgets()


def _dismiss_offer() -> None:
    _session().offer = None


def _offer_panel() -> None:
    draft = _session().offer
    assert draft is not None
    models = draft.document.get("models") if isinstance(draft.document, dict) else None
    count = plural(len(models) if isinstance(models, list) else 0, "model")
    stale = (
        f" It was made on revision {draft.base_revision}; Save will show what changed since."
        if draft.stale
        else ""
    )
    with st.container(border=True, key="_persist.offer"):
        st.info(
            f"You see the last saved revision, {_session().base_revision}. This browser has "
            f"your unsaved draft from {draft.updated_at:%Y-%m-%d %H:%M} UTC ({count}).{stale}",
            icon=":material/history:",
        )
        with st.container(horizontal=True):
            st.button(
                "Go on with my draft",
                key="_persist.offer.take",
                icon=":material/edit_note:",
                type="primary",
                on_click=_take_offer,
                help="Put your unsaved changes back in the editor (Undo goes back)",
            )
            st.button(
                "Keep the saved revision",
                key="_persist.offer.dismiss",
                on_click=_dismiss_offer,
                help="Your draft stays in the Library's History until you edit here",
            )


# -- saving -------------------------------------------------------------------------------


def save(note: str | None = None) -> None:
    """Save the working document as a new revision (or a new catalog); record a conflict."""
    _publish_as_chosen()
    try:
        saved = _session().save(store(), note)
    except StoreError as exc:
        _session().problem = f"Save failed: {exc}"
        return
    if saved is not None:
        st.toast(f"Saved as revision {saved.number}.", icon=":material/check_circle:")
        _sync_url()


def _publish_as_chosen() -> None:
    """Drafts and saves keep the output options chosen, written out in full (the
    defaults too): they say how Backstage gets the revision."""
    _session().choose_options(output_options.saved_record())


def _save_clicked() -> None:
    save(st.session_state.get(NOTE_KEY))
    if _session().conflict is None:
        st.session_state[NOTE_KEY] = ""
    st.rerun()  # the button is in the sidebar's fragment: the page shows the outcome


def _new_clicked() -> None:
    new_catalog()
    st.rerun()  # the button is in the sidebar's fragment: the whole page changes


def _take_theirs() -> None:
    _session().take_theirs(store())
    state.forget_widgets()


def _save_mine() -> None:
    _publish_as_chosen()
    try:
        saved = _session().save_mine(store(), st.session_state.get(NOTE_KEY))
    except StoreError as exc:
        _session().problem = f"Save failed: {exc}"
        return
    if saved is not None:
        st.session_state[NOTE_KEY] = ""
        st.toast(f"Saved as revision {saved.number}.", icon=":material/check_circle:")


def yaml_diff(old: dict[str, Any], new: dict[str, Any], old_label: str, new_label: str) -> str:
    """The unified diff of two documents as YAML (empty when they are the same)."""
    lines = difflib.unified_diff(
        to_yaml([old]).splitlines(keepends=True),
        to_yaml([new]).splitlines(keepends=True),
        fromfile=old_label,
        tofile=new_label,
    )
    return "".join(lines)


def _conflict_panel() -> None:
    editing = _session()
    latest = editing.conflict
    assert latest is not None
    who = (
        f"You saved revision {latest.number} yourself (a restore in the Library, or another tab)"
        if editing.conflict_is_mine()
        else f"Someone saved this catalog as revision {latest.number}"
    )
    with st.container(border=True, key="_persist.conflict_panel"):
        st.warning(
            f"{who} after these edits started from revision {editing.base_revision}. Nothing "
            "was overwritten. Choose which version to keep; the difference is below "
            "(`-` the saved one, `+` the editor's).",
            icon=":material/call_split:",
        )
        diff = yaml_diff(
            latest.document,
            editing.document,
            f"saved (revision {latest.number})",
            "in the editor (unsaved)",
        )
        st.code(diff or "The two versions are the same.", language="diff")
        with st.container(horizontal=True):
            st.button(
                f"Load revision {latest.number}",
                key="_persist.take_theirs",
                icon=":material/download:",
                on_click=_take_theirs,
                help="Replace the editor's changes with the saved revision (Undo goes back)",
            )
            st.button(
                "Save mine on top",
                key="_persist.save_mine",
                icon=":material/upload:",
                type="primary",
                on_click=_save_mine,
                help=f"Save the editor's version as revision {latest.number + 1}",
            )


def status() -> str:
    """One line for the sidebar: what is saved and what is not."""
    editing = _session()
    if editing.catalog_id is None:
        if is_empty(editing.document):
            return "Nothing to save yet: your first change starts a saved catalog."
        if not editing.has_unsaved_changes():
            return "An example, not in the Library: your first change or Save keeps it."
        return "Not saved yet."
    if editing.has_unsaved_changes():
        return f"Unsaved changes on revision {editing.base_revision} (draft kept)"
    return f"Saved · revision {editing.base_revision}"


def save_controls() -> None:
    """The sidebar's catalog box: name, status, note, Save and New catalog."""
    editing = _session()
    with st.container(key="_persist.controls"):
        name = editing.name()
        st.markdown("**Catalog**" if name is None else f"**{escape_markdown(name)}**")
        st.caption(status())
        if editing.catalog_id is not None:
            st.caption(
                ":material/link: This page's address opens this catalog. Others who open "
                "it see the last saved revision; your unsaved changes stay in this browser."
            )
        if problem := editing.problem:
            st.error(escape_markdown(problem), icon=":material/error:")
        st.text_input(
            "Note for this revision",
            key=NOTE_KEY,
            placeholder="What changed? (optional)",
            max_chars=MAX_NOTE_CHARS,
        )
        with st.container(horizontal=True):
            st.button(
                "Save",
                key="_persist.save",
                icon=":material/save:",
                type="primary",
                disabled=not editing.can_save() or editing.conflict is not None,
                on_click=_save_clicked,
            )
            st.button(
                "New catalog",
                key="_persist.new",
                icon=":material/note_add:",
                disabled=editing.catalog_id is None and is_empty(editing.document),
                on_click=_new_clicked,
            )
