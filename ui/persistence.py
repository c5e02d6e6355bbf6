"""Saving the catalog being edited: the library store, autosave, ``?catalog=<id>`` and Save.

A session edits at most one stored catalog at a time.  Which one, and the revision its
editing started from, live in session state under ``_persist.*``; the document itself
stays in :mod:`ui.state`.

* :func:`bootstrap` (every run, from ``app.py``) opens the catalog named by
  ``?catalog=<id>`` when a session starts, and keeps the URL naming the open catalog
  afterwards (page links drop query parameters).
* :func:`autosave` is a :func:`ui.state.subscribe` listener: after every change it keeps
  the document as this session's working draft of the catalog.  A brand-new catalog is
  created on its first real change, so a refresh or a closed tab never loses work.
  Each session writes a draft of its own (``?draft=<token>`` in the URL brings it back
  after a refresh), so two people editing one catalog never overwrite each other's
  unsaved work; two tabs on the same draft notice each other and split.
* :func:`save_controls` is the sidebar's Save (with a note) and status; a save based on a
  revision someone else replaced shows both versions' difference and lets the person
  choose.
* :func:`open_catalog` and :func:`new_catalog` are what the Library page calls.
"""

from __future__ import annotations

import copy
import difflib
import secrets
from datetime import timedelta
from typing import Any

import streamlit as st

from catalog.emit import to_yaml
from catalog.store import (
    MAX_NOTE_CHARS,
    CatalogInfo,
    ConflictError,
    Draft,
    DraftConflictError,
    NotFoundError,
    Revision,
    Store,
    StoreError,
)
from catalog.store import resolve_url as resolve_store_url
from ui import output_options, state
from ui.text import escape_markdown

ID_KEY = "_persist.id"
BASE_KEY = "_persist.base"
SAVED_KEY = "_persist.saved"
NAME_KEY = "_persist.name"
BOOTED_KEY = "_persist.booted"
QUIET_KEY = "_persist.quiet"
CONFLICT_KEY = "_persist.conflict"
PROBLEM_KEY = "_persist.problem"
MISSING_KEY = "_persist.missing"
NOTE_KEY = "_persist.note"
EDITOR_KEY = "_persist.editor"
DRAFT_VERSION_KEY = "_persist.draft_version"
PARAM = "catalog"
DRAFT_PARAM = "draft"
#: The name the store gives a catalog whose document names nothing yet (see
#: ``catalog.store._document.UNTITLED``); such a catalog takes its document's name on Save.
UNTITLED = "Untitled catalog"


# -- the store ----------------------------------------------------------------------------


DELETED_KEPT_FOR = timedelta(days=30)


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


def _session() -> Any:
    return st.session_state


def catalog_id() -> str | None:
    """The id of the stored catalog this session edits (None: not stored yet)."""
    value = _session().get(ID_KEY)
    return str(value) if value else None


def base_revision() -> int:
    """The revision the working document was opened or last saved as (0: none)."""
    return int(_session().get(BASE_KEY) or 0)


def catalog_name() -> str | None:
    """The open catalog's name in the library, as last seen by this session."""
    value = _session().get(NAME_KEY)
    return str(value) if value else None


def has_unsaved_changes() -> bool:
    """Whether the working document differs from its base revision."""
    if catalog_id() is None:
        return not _is_empty(state.document())
    return bool(state.document() != _session().get(SAVED_KEY))


def renamed(renamed_id: str, name: str) -> None:
    """Tell the session that a catalog got a new name (the sidebar shows the open one's)."""
    if renamed_id == catalog_id():
        _session()[NAME_KEY] = name


def _is_empty(document: dict[str, Any]) -> bool:
    return document == state.empty_document() or not document


def _attach(info_id: str, name: str, number: int, document: dict[str, Any]) -> None:
    """Remember that this session edits catalog ``info_id`` from revision ``number``."""
    session = _session()
    session[ID_KEY] = info_id
    session[NAME_KEY] = name
    session[BASE_KEY] = number
    session[SAVED_KEY] = copy.deepcopy(document)
    session[CONFLICT_KEY] = None
    session[PROBLEM_KEY] = None
    session[MISSING_KEY] = None
    _forget_draft()
    if st.query_params.get(PARAM) != info_id:
        st.query_params[PARAM] = info_id


def _detach() -> None:
    session = _session()
    for key in (ID_KEY, NAME_KEY, BASE_KEY, SAVED_KEY, CONFLICT_KEY, PROBLEM_KEY):
        session[key] = None
    _forget_draft()
    if PARAM in st.query_params:
        del st.query_params[PARAM]


# -- this session's draft -----------------------------------------------------------------


def _editor() -> str:
    """The token naming this session's draft (made on first use)."""
    session = _session()
    if not session.get(EDITOR_KEY):
        session[EDITOR_KEY] = secrets.token_urlsafe(6)
        session[DRAFT_VERSION_KEY] = None
    return str(session[EDITOR_KEY])


def _forget_draft() -> None:
    """Stop writing the current draft: the next change starts a draft of a new token."""
    session = _session()
    session[EDITOR_KEY] = None
    session[DRAFT_VERSION_KEY] = None
    if DRAFT_PARAM in st.query_params:
        del st.query_params[DRAFT_PARAM]


def _adopt(draft: Draft) -> None:
    """Go on writing ``draft`` (a refresh, a link naming it, or the newest one)."""
    session = _session()
    if not draft.editor:  # a draft from before drafts had editors: give it a token
        _write_draft(draft.catalog_id, draft.document, draft.base_revision)
        store().discard_draft(draft.catalog_id, "")
        return
    session[EDITOR_KEY] = draft.editor
    session[DRAFT_VERSION_KEY] = draft.version
    st.query_params[DRAFT_PARAM] = draft.editor


def _write_draft(opened: str, document: dict[str, Any], base: int) -> None:
    """Autosave ``document`` as this session's draft; split off if another tab writes it."""
    session = _session()
    try:
        draft = store().save_draft(
            opened,
            document,
            base,
            editor=_editor(),
            expected_version=session.get(DRAFT_VERSION_KEY),
        )
    except DraftConflictError:
        # The same draft is open elsewhere (a link passed on, a duplicated tab): keep
        # both, this one under a new token.
        _forget_draft()
        draft = store().save_draft(opened, document, base, editor=_editor())
        st.toast(
            "This draft is also open elsewhere (the same link in another tab or browser). "
            "Your changes go on in a draft of their own; nothing was overwritten.",
            icon=":material/call_split:",
        )
    session[DRAFT_VERSION_KEY] = draft.version
    if st.query_params.get(DRAFT_PARAM) != draft.editor:
        st.query_params[DRAFT_PARAM] = draft.editor


def _discard_my_draft(opened: str) -> None:
    """Forget this session's draft in the store (others' drafts stay)."""
    editor = _session().get(EDITOR_KEY)
    if editor:
        store().discard_draft(opened, editor)
    _forget_draft()


def _load_document(document: dict[str, Any]) -> None:
    """Put ``document`` into the editor without autosaving it as a change."""
    session = _session()
    session[QUIET_KEY] = True
    try:
        state.replace(document)
    finally:
        session[QUIET_KEY] = False
    # Undo must not carry another catalog's document into this one.
    session[state.PREVIOUS_KEY] = None


# -- opening ------------------------------------------------------------------------------


def open_catalog(catalog_id: str, editor: str | None = None) -> CatalogInfo:
    """Load a stored catalog into the editor: an unsaved draft if it has one, else its latest.

    ``editor`` names the draft to go on with (``?draft=`` after a refresh); without it the
    most recently written draft is taken up, as someone coming back to their work wants.
    Raises :class:`NotFoundError` for an unknown or deleted id (the editor is untouched).
    """
    info = store().get(catalog_id)
    drafts = [d for d in store().drafts(catalog_id) if d.document != info.document]
    # Publish it again the way it was saved (layout, kind, API definition).
    output_options.adopt(store().revision(catalog_id, info.revision).output_options)
    _load_document(info.document)
    _attach(info.id, info.name, info.revision, info.document)
    if editor:
        draft = next((d for d in drafts if d.editor == editor), None)
    else:
        draft = drafts[0] if drafts else None
    if draft is None:
        return info
    _load_document(draft.document)
    when = f"{draft.updated_at:%Y-%m-%d %H:%M} UTC"
    message = f"Restored the unsaved changes from {when}; Save keeps them as a revision."
    if draft.stale:
        # The draft keeps its own base, so Save shows the difference to the newer
        # revision instead of silently replacing it.
        base = store().revision(catalog_id, draft.base_revision)
        _session()[BASE_KEY] = base.number
        _session()[SAVED_KEY] = copy.deepcopy(base.document)
        message = (
            f"Restored the unsaved changes from {when}, made on revision {base.number}; "
            f"revision {info.revision} was saved since, and Save shows both."
        )
    if others := len(drafts) - 1:
        message += (
            f" {others} other unsaved {'draft is' if others == 1 else 'drafts are'} kept "
            f"apart (someone else's edits); the Library lists {'it' if others == 1 else 'them'}."
        )
    _adopt(draft)
    st.toast(message, icon=":material/history:")
    return info


def link_params() -> dict[str, str]:
    """The query parameters that bring back what this session edits (catalog and draft)."""
    params: dict[str, str] = {}
    if opened := catalog_id():
        params[PARAM] = opened
        if editor := my_draft_editor():
            params[DRAFT_PARAM] = editor
    return params


def my_draft_editor() -> str | None:
    """The token of the draft this session writes (None: no draft written yet)."""
    editor = _session().get(EDITOR_KEY)
    return str(editor) if editor and _session().get(DRAFT_VERSION_KEY) else None


def new_catalog() -> None:
    """Start a new, empty catalog in the editor (the open one stays in the library)."""
    _detach()
    _load_document(state.empty_document())


def bootstrap() -> None:
    """Open ``?catalog=<id>`` when the session starts; keep the URL naming the open catalog.

    Call on every run, after ``state.init()`` and before the pages run.
    """
    state.subscribe(autosave)
    session = _session()
    if not session.get(BOOTED_KEY):
        session[BOOTED_KEY] = True
        wanted = st.query_params.get(PARAM)
        if wanted:
            try:
                open_catalog(wanted, st.query_params.get(DRAFT_PARAM))
            except NotFoundError:
                session[MISSING_KEY] = wanted
                del st.query_params[PARAM]
            except StoreError as exc:
                session[PROBLEM_KEY] = str(exc)
    elif catalog_id():
        # Page links drop query parameters: put them back.
        for name, value in link_params().items():
            if st.query_params.get(name) != value:
                st.query_params[name] = value
    if missing := session.get(MISSING_KEY):
        st.warning(
            f"There is no catalog with the id `{_code(missing)}` in the library: it may have "
            "been deleted, or the link is incomplete. You are editing a new, empty catalog; "
            "the Library page lists the saved ones.",
            icon=":material/link_off:",
        )
    if session.get(CONFLICT_KEY) is not None:
        _conflict_panel(session[CONFLICT_KEY])


def _code(text: str) -> str:
    """User text for an inline code span (which shows everything literally but backticks)."""
    return text.replace("`", "'")[:80]


# -- autosave -----------------------------------------------------------------------------


def autosave(document: dict[str, Any], revision: int) -> None:
    """Keep the working document in the store after a change (a :mod:`ui.state` listener)."""
    session = _session()
    if session.get(QUIET_KEY):
        return
    try:
        opened = catalog_id()
        if opened is None:
            if not _is_empty(document):
                info = store().create(
                    None,
                    document,
                    note="Started in the studio",
                    output_options=output_options.saved_record(),
                )
                _attach(info.id, info.name, info.revision, document)
            return
        if document == session.get(SAVED_KEY):
            _discard_my_draft(opened)
        else:
            _write_draft(opened, document, base_revision())
        session[PROBLEM_KEY] = None
    except NotFoundError:
        session[PROBLEM_KEY] = (
            "This catalog is no longer in the library (deleted?). Your changes are still "
            "here: Save stores them as a new catalog."
        )
    except StoreError as exc:
        session[PROBLEM_KEY] = f"Autosave failed: {exc}"


# -- saving -------------------------------------------------------------------------------


def save(note: str | None = None) -> None:
    """Save the working document as a new revision (or a new catalog); record a conflict."""
    session = _session()
    document = copy.deepcopy(state.document())
    opened = catalog_id()
    options = output_options.saved_record()  # they say how the revision is published
    try:
        if opened is None:
            info = store().create(None, document, note=note, output_options=options)
            _attach(info.id, info.name, info.revision, document)
        else:
            saved = store().save(
                opened, document, base_revision(), note=note, output_options=options
            )
            _discard_my_draft(opened)
            name = catalog_name()
            if name == UNTITLED:
                name = store().rename(opened, "").name
            _attach(opened, name or UNTITLED, saved.number, document)
        st.toast(f"Saved as revision {base_revision()}.", icon=":material/check_circle:")
    except ConflictError as conflict:
        session[CONFLICT_KEY] = conflict.latest
    except NotFoundError:
        info = store().create(None, document, note=note, output_options=options)
        _attach(info.id, info.name, info.revision, document)
        st.toast("Saved as a new catalog.", icon=":material/check_circle:")
    except StoreError as exc:
        session[PROBLEM_KEY] = f"Save failed: {exc}"


def _save_clicked() -> None:
    save(_session().get(NOTE_KEY))
    if _session().get(CONFLICT_KEY) is None:
        _session()[NOTE_KEY] = ""


def _take_theirs() -> None:
    latest: Revision = _session()[CONFLICT_KEY]
    opened = catalog_id()
    _load_document(latest.document)
    if opened is not None:
        _discard_my_draft(opened)
        _attach(opened, catalog_name() or UNTITLED, latest.number, latest.document)


def _save_mine() -> None:
    latest: Revision = _session()[CONFLICT_KEY]
    _session()[BASE_KEY] = latest.number
    _session()[CONFLICT_KEY] = None
    _save_clicked()


def yaml_diff(old: dict[str, Any], new: dict[str, Any], old_label: str, new_label: str) -> str:
    """The unified diff of two documents as YAML (empty when they are the same)."""
    lines = difflib.unified_diff(
        to_yaml([old]).splitlines(keepends=True),
        to_yaml([new]).splitlines(keepends=True),
        fromfile=old_label,
        tofile=new_label,
    )
    return "".join(lines)


def _conflict_panel(latest: Revision) -> None:
    with st.container(border=True, key="_persist.conflict_panel"):
        st.warning(
            f"Someone saved this catalog as revision {latest.number} after you opened "
            f"revision {base_revision()}. Nothing was overwritten. Choose which version to "
            "keep; the difference is below (`-` theirs, `+` yours).",
            icon=":material/call_split:",
        )
        diff = yaml_diff(
            latest.document,
            state.document(),
            f"theirs (revision {latest.number})",
            "yours (unsaved)",
        )
        st.code(diff or "The two versions are the same.", language="diff")
        with st.container(horizontal=True):
            st.button(
                "Load their version",
                key="_persist.take_theirs",
                icon=":material/download:",
                on_click=_take_theirs,
                help="Replace your changes with their revision",
            )
            st.button(
                "Save mine on top",
                key="_persist.save_mine",
                icon=":material/upload:",
                type="primary",
                on_click=_save_mine,
                help=f"Save your version as revision {latest.number + 1}",
            )


def status() -> str:
    """One line for the sidebar: what is saved and what is not."""
    if catalog_id() is None:
        if _is_empty(state.document()):
            return "Nothing to save yet: your first change starts a saved catalog."
        return "Not saved yet."
    if has_unsaved_changes():
        return "Unsaved changes (draft kept)"
    return f"Saved · revision {base_revision()}"


def save_controls() -> None:
    """The sidebar's catalog box: name, status, note, Save and New catalog."""
    session = _session()
    with st.sidebar, st.container(key="_persist.controls"):
        name = catalog_name()
        st.markdown("**Catalog**" if name is None else f"**{escape_markdown(name)}**")
        unsaved = has_unsaved_changes()
        st.caption(status())
        if catalog_id() is not None:
            st.caption(
                ":material/link: This page's address opens this catalog: share it, or "
                "come back to it later."
            )
        if problem := session.get(PROBLEM_KEY):
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
                disabled=not unsaved or session.get(CONFLICT_KEY) is not None,
                on_click=_save_clicked,
                help="Keep the catalog as a new revision in the library",
            )
            st.button(
                "New catalog",
                key="_persist.new",
                icon=":material/note_add:",
                disabled=catalog_id() is None and _is_empty(state.document()),
                on_click=new_catalog,
                help="Start an empty catalog; this one stays in the library",
            )
