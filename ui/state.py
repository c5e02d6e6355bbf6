"""The catalog being edited: one :class:`catalog.session.EditingSession` in session state.

The session object holds the document, its undo/redo history and where the catalog is
kept in the library; its rules are tested without Streamlit (``tests/unit``).  This
module is the Streamlit side: pages read the document with :func:`document` and
:func:`get` and change it only through the writers below, each of which is one labelled
undo step.  :func:`revision` is bumped by every change (caches key on it).

Widget keys are field paths (``models.0.name``) and Streamlit keeps each widget's value
under its key.  So when the document changes from outside a widget (an example loaded,
a fix applied, undo), the writers drop those keys and the form reads the document again
on the next run.  Keys starting with ``_form.`` hold per-document form memory (open
expanders, switched-off sections; see :func:`form_key`); a different catalog drops them
too.  Other pages must not use widget keys starting with ``modelServer`` or ``models``
(see :func:`is_field_key`): those belong to the form.

API (all functions work on the current session)::

    init() / session()              the session's EditingSession (made once)
    document() -> dict              the live document (read only: use the writers)
    revision() -> int               bumped by every change
    get(path, default=None)         the value at a dotted path
    set(path, value)                set a value; None removes the field
    replace(doc, label, as_new=..)  a whole document (example, import, start over)
    can_undo() / undo()             undo the last step (undo_label() says which)
    can_redo() / redo()             redo the last undone step (redo_label())
    apply_fix(fix) / apply_fixes(issues)
    new_model() / add_model() / duplicate_model(i) / remove_model(i) / move_model(i, d)
    @editor_callback                a widget callback of the Author editor (see there)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any, ParamSpec

import streamlit as st
from streamlit.errors import StreamlitAPIException

from catalog.issues import Fix, Issue, get_at
from catalog.session import EditingSession, new_token
from catalog.session import empty_document as _empty

SESSION_KEY = "catalog.session"
#: The Author page's editor is two fragments (``@st.fragment(key=...)``): the form, and
#: the preview (which every change of the catalog redraws, then autosaves).
FORM_FRAGMENT = "author-form"
DOCUMENT_FRAGMENT = "author-document"
#: Each model of the form's list is a fragment of its own inside the form, all under
#: this key (see :mod:`ui.sections`): opening a model reruns only that model.  The form
#: fragment is called inside its column rather than drawing into it from within: the
#: browser keeps a nested fragment's old elements when its parent fragment draws into a
#: container of the page (Streamlit 1.67), and each rerun of the form added a copy.
MODEL_FRAGMENT = "author-model"
#: In this order: the preview is what an edit is waited for, and Streamlit sends in order.
EDITOR_FRAGMENTS = (DOCUMENT_FRAGMENT, FORM_FRAGMENT)
#: Fragments around the editor, each redrawn with it only when what it shows changed
#: (see :func:`redraws_when`): Start over, Undo and Redo; the issue summary; the welcome
#: (while the catalog is empty); the preview's heading row; and the sidebar's catalog
#: box (name, status, Save).
ACTIONS_FRAGMENT = "author-actions"
SUMMARY_FRAGMENT = "author-summary"
WELCOME_FRAGMENT = "author-welcome"
SIDEBAR_FRAGMENT = "catalog-box"
#: The preview's heading row: its title, the output options and Download.
PREVIEW_HEAD_FRAGMENT = "author-preview-head"
#: The Author page's fragments whose widgets' callbacks may rerun fragments only.
AUTHOR_FRAGMENTS = (
    *EDITOR_FRAGMENTS,
    ACTIONS_FRAGMENT,
    SUMMARY_FRAGMENT,
    WELCOME_FRAGMENT,
    PREVIEW_HEAD_FRAGMENT,
)
#: Set when widget values were dropped (:func:`forget_widgets`): the form must redraw.
_RESET_KEY = "_editor.widgets_reset"
#: What each fragment of :data:`_SHOWS` showed when last drawn (see :func:`drew`).
_DRAWN_KEY = "_editor.drawn"
#: The fragments of :data:`_SHOWS` an editor callback asked to redraw, until they do.
_PENDING_KEY = "_editor.pending"
#: Fragment key -> what it shows, as a comparable value (see :func:`redraws_when`).
_SHOWS: dict[str, Callable[[], Any]] = {}
FORM_PREFIX = "_form."
FIELD_ROOTS = ("modelServer", "models")
#: The cookie naming this browser (drafts carry it; a link offers a draft only to it).
BROWSER_COOKIE = "mcs_browser"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def empty_document() -> dict[str, Any]:
    """A catalog with nothing in it yet."""
    return _empty()


def _state() -> MutableMapping[str, Any]:
    return st.session_state


def browser_token() -> str | None:
    """This browser's token from its cookie (None: a first visit, or cookies are off)."""
    try:
        token = st.context.cookies.get(BROWSER_COOKIE)
    except Exception:  # noqa: BLE001 - no browser context (a bare script run)
        return None
    return token if isinstance(token, str) and _TOKEN.match(token) else None


def init() -> EditingSession:
    """Create the session's editing session once (safe to call on every run)."""
    state = _state()
    current = state.get(SESSION_KEY)
    if not isinstance(current, EditingSession):
        current = EditingSession(browser_token() or new_token())
        state[SESSION_KEY] = current
    return current


def session() -> EditingSession:
    """The editing session of this browser session."""
    return init()


def document() -> dict[str, Any]:
    """The working document itself; treat it as read-only and change it with the writers."""
    return session().document


def revision() -> int:
    """A counter bumped on every change: a cheap cache key for the document."""
    return session().version


def get(path: str, default: Any = None) -> Any:
    """The value at dotted ``path`` (``models.0.name``), or ``default``."""
    return get_at(document(), path, default)


def is_field_key(key: str) -> bool:
    """Whether a session-state key is a form widget's (a catalog field path)."""
    return any(key == root or key.startswith(root + ".") for root in FIELD_ROOTS)


def forget_widgets(prefix: str = "", *, memory: bool = False) -> None:
    """Drop widget values at or under ``prefix`` (all when empty) so the form re-reads.

    ``memory=True`` also drops the form's memory about those paths (keys spelt
    ``_form.<purpose>:<path>``: open expanders, switched-off sections), as when a whole
    new document comes in.
    """
    state = _state()
    state[_RESET_KEY] = True
    for key, _, purpose in form_keys(prefix):
        if purpose is None or memory:
            del state[key]


def form_keys(prefix: str = "") -> list[tuple[str, str, str | None]]:
    """The form's session-state keys at or under the field path ``prefix`` (all when
    empty), each as ``(key, path, purpose)``: a widget's value (keyed by its path, purpose
    None) or form memory about the path (:func:`form_key`)."""
    found = []
    for key in [k for k in _state() if isinstance(k, str)]:
        purpose: str | None
        if key.startswith(FORM_PREFIX):
            purpose, _, path = key[len(FORM_PREFIX) :].partition(":")
        elif is_field_key(key):
            purpose, path = None, key
        else:
            continue
        if not prefix or path == prefix or path.startswith(prefix + "."):
            found.append((key, path, purpose))
    return found


def form_key(purpose: str, path: str) -> str:
    """The session-state key of form memory about ``path`` (dropped with its widgets)."""
    return f"{FORM_PREFIX}{purpose}:{path}"


def _redraw(before: Any) -> None:
    """After a change from outside the widgets: the form re-reads (all of it, per catalog)."""
    forget_widgets(memory=session().binding is not before)


def set(path: str, value: Any, *, from_widget: bool = False) -> None:
    """Set the field at ``path``; ``None`` removes it (how blank optional fields go).

    A widget's own callback passes ``from_widget=True``: its value is already on screen,
    and rewriting its key would send it back to the browser mid-typing.
    """
    if not path:
        raise ValueError("set() needs a field path")
    session().edit(path, value)
    if not from_widget:
        forget_widgets(path)


def replace(
    new_document: dict[str, Any],
    label: str = "replace the catalog",
    *,
    as_new: bool = False,
    pristine: bool = False,
) -> None:
    """Load a whole document (see :meth:`EditingSession.load`) as one undo step."""
    current = session()
    current.load(new_document, label, as_new=as_new, pristine=pristine)
    forget_widgets(memory=True)


def new_catalog() -> None:
    """Start an empty catalog; the open one stays in the library (undoable)."""
    session().new_catalog()
    forget_widgets(memory=True)


def can_undo() -> bool:
    """Whether :func:`undo` has a step to undo."""
    return session().can_undo()


def can_redo() -> bool:
    """Whether :func:`redo` has a step to redo."""
    return session().can_redo()


def undo_label() -> str | None:
    """What Undo would undo, e.g. ``rename model 2``."""
    return session().undo_label()


def redo_label() -> str | None:
    """What Redo would redo."""
    return session().redo_label()


def undo() -> None:
    """Undo the last step (one step, never more)."""
    before = session().binding
    if session().undo() is not None:
        _redraw(before)


def redo() -> None:
    """Redo the last undone step."""
    before = session().binding
    if session().redo() is not None:
        _redraw(before)


def apply_fix(fix: Fix) -> None:
    """Apply an issue's one-click fix to the working document."""
    session().fix(fix)
    # A fix may remove a list item (a tag), which shifts its siblings' paths.
    forget_widgets()


def apply_fixes(issues: Iterable[Issue]) -> None:
    """Apply every fix among ``issues`` at once (one undo step)."""
    session().fix_all(issues)
    forget_widgets()


def new_model() -> dict[str, Any]:
    """A new model: a unique placeholder name, owner and lifecycle taken from its neighbours."""
    return session().new_model()


def add_model(model: dict[str, Any] | None = None) -> int:
    """Append ``model`` (default :func:`new_model`) and return its index."""
    return session().add_model(model)


def duplicate_model(index: int) -> int:
    """Insert a copy of model ``index`` (under a free name) after it; the copy's index."""
    found = session().duplicate_model(index)
    forget_widgets("models")
    return found


def remove_model(index: int) -> None:
    """Delete model ``index`` (one undo step)."""
    session().remove_model(index)
    forget_widgets("models")


def move_model(index: int, offset: int) -> int:
    """Move model ``index`` by ``offset`` places (clamped) and return its new index."""
    target = session().move_model(index, offset)
    if target != index:
        forget_widgets("models")
    return target


_P = ParamSpec("_P")


def redraws_when(fragment: str, shows: Callable[[], Any]) -> None:
    """Have an editor's change redraw ``fragment`` when ``shows()`` (what it shows, as a
    comparable value) differs from when it was last drawn; the fragment calls
    :func:`drew` after drawing."""
    _SHOWS[fragment] = shows


def drew(fragment: str) -> None:
    """Record what ``fragment`` (one of :func:`redraws_when`'s) has just shown."""
    state = _state()
    state.setdefault(_DRAWN_KEY, {})[fragment] = _SHOWS[fragment]()
    state[_PENDING_KEY] = tuple(f for f in state.get(_PENDING_KEY, ()) if f != fragment)


def stale_views(*, counting_pending: bool = True) -> list[str]:
    """The fragments of :func:`redraws_when` that no longer show what they would now;
    without those a rerun on its way will redraw when ``counting_pending`` is False.
    (A rerun cut short by the next interaction leaves them stale: the next change
    redraws them.)"""
    state = _state()
    drawn = state.get(_DRAWN_KEY, {})
    pending = () if counting_pending else state.get(_PENDING_KEY, ())
    return [
        key
        for key, shows in _SHOWS.items()
        if key in drawn and key not in pending and drawn[key] != shows()
    ]


def editor_callback(callback: Callable[_P, None]) -> Callable[_P, None]:
    """A widget callback of the Author page's editor that may change what it shows.

    A widget inside a fragment reruns only its own fragment: opening a model or
    switching tabs redraws the form, not the preview beside it (with a hundred models,
    thousands of YAML lines).  When the callback changed the document or the output
    options, the preview reruns too; and the form does whenever what it draws besides
    the widgets' values changed (:func:`ui.form.form_signature`: the issues, the
    structure, the names) or widgets were reset (undo, a fix).  The change is autosaved
    at once (:func:`ui.persistence.follow_editor`), then the fragments around the editor
    whose content changed rerun with it (Undo's label, the summary, the welcome, the
    preview's heading row, the sidebar's status: :func:`redraws_when`), and the whole
    page only when a panel above the editor must change.  Outside the Author page's
    fragments (a page-level button, another page) the widget's own rerun stands.
    """

    @functools.wraps(callback)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> None:
        if not _in_editor_fragment():
            callback(*args, **kwargs)
            return
        # ui.form, ui.persistence and ui.report import this module.
        from ui import persistence
        from ui.form import form_signature
        from ui.report import current, version

        before = version()
        shown = form_signature(current())
        _state()[_RESET_KEY] = False
        callback(*args, **kwargs)
        if _state().get(_RESET_KEY):
            # The form first, with the reset widgets: when the preview then asks for
            # the whole page, a reset drawn only in that page run was sometimes lost in
            # the browser (the undone text stayed).
            fragments = [FORM_FRAGMENT, DOCUMENT_FRAGMENT]
        elif form_signature(current()) != shown:
            fragments = list(EDITOR_FRAGMENTS)
        elif version() != before:  # the document or the output options: the preview
            fragments = [DOCUMENT_FRAGMENT]
        else:
            fragments = []
        if not persistence.follow_editor():
            st.rerun()  # a panel above the editor changes: the whole page
        views = stale_views()
        _state()[_PENDING_KEY] = tuple(views)  # each is no longer pending once drawn
        if views and not fragments:
            st.rerun()  # (no change of the catalog redraws only those: not expected)
        if fragments:
            st.rerun(fragments + views)

    return run


def _in_editor_fragment() -> bool:
    """Whether this run is a rerun of the Author page's fragments only (the widget whose
    callback runs now is inside one); a run of the whole page redraws everything anyway."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run:
        return False
    try:
        editor = ctx.fragment_storage.resolve_target(list(AUTHOR_FRAGMENTS))
    except StreamlitAPIException:  # the editor has not been drawn in this session
        return False
    storage = ctx.fragment_storage
    # A model's fragment is inside the form's.
    return all(f in editor or storage.has_ancestor_in(f, editor) for f in ctx.fragment_ids_this_run)
