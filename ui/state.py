"""The catalog being edited: one document in session state, read and written only here.

The working document is a plain JSON-ready dict shaped like the model catalog JSON
(``{"modelServer": {...}, "models": [...]}``).  Pages read it with :func:`document` and
:func:`get`, and change it only through the writers below.  Every writer bumps
:func:`revision` (caches key on it) and then calls the listeners given to
:func:`subscribe`: the one hook where autosave (and ``?catalog=<id>``) will attach.

Widget keys are field paths (``models.0.name``) and Streamlit keeps each widget's value
under its key.  So when the document changes from outside a widget (an example loaded,
a fix applied, models reordered), the writers drop those keys and the form reads the
document again on the next run.  Keys starting with ``_form.`` hold per-document form
memory (open expanders, switched-off sections; see :func:`form_key`); a new document
drops them too.  Other pages must not use widget keys starting with ``modelServer`` or
``models`` (see :func:`is_field_key`): those belong to the form.

API (all functions work on the current session)::

    init()                          create the empty document once per session
    document() -> dict              the live document (read only: use the writers)
    revision() -> int               bumped by every change
    get(path, default=None)         the value at a dotted path
    set(path, value)                set a value; None removes the field
    replace(doc)                    swap in a whole document (undoable once)
    can_undo() / undo()             put back the document before the last replace/remove
    apply_fix(fix)                  apply an Issue's Fix
    apply_fixes(issues)             apply all their fixes at once (undoable once)
    new_model() -> dict             a new model's defaults (unique name, neighbours' owner)
    add_model(model=None) -> int    append a model, return its index
    duplicate_model(i) -> int       insert a copy after model i, return its index
    remove_model(i)                 delete model i (undoable once)
    move_model(i, offset) -> int    move model i up (-1) or down (+1), return new index
    subscribe(listener)             listener(document, revision) after every change
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

import streamlit as st

from catalog.issues import Fix, Issue, get_at, split_path
from catalog.issues import apply_fix as _apply_fix
from catalog.issues import apply_fixes as _apply_fixes

DOCUMENT_KEY = "catalog.document"
REVISION_KEY = "catalog.revision"
PREVIOUS_KEY = "catalog.previous"
FORM_PREFIX = "_form."
FIELD_ROOTS = ("modelServer", "models")

Listener = Callable[[dict[str, Any], int], None]
# Process-wide on purpose: a listener (autosave) is registered once at import and is
# called inside each session's own script thread, where st.session_state is that user's.
_LISTENERS: list[Listener] = []


def empty_document() -> dict[str, Any]:
    """A catalog with nothing in it yet."""
    return {"models": []}


def _state() -> MutableMapping[str, Any]:
    return st.session_state


def init() -> None:
    """Create the working document once per session (safe to call on every run)."""
    state = _state()
    if DOCUMENT_KEY not in state:
        state[DOCUMENT_KEY] = empty_document()
        state[REVISION_KEY] = 0


def document() -> dict[str, Any]:
    """The working document itself; treat it as read-only and change it with the writers."""
    init()
    doc: dict[str, Any] = _state()[DOCUMENT_KEY]
    return doc


def revision() -> int:
    """A counter bumped on every change: a cheap cache key for the document."""
    init()
    return int(_state()[REVISION_KEY])


def get(path: str, default: Any = None) -> Any:
    """The value at dotted ``path`` (``models.0.name``), or ``default``."""
    return get_at(document(), path, default)


def subscribe(listener: Listener) -> None:
    """Call ``listener(document, revision)`` after every change (idempotent)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def changed() -> None:
    """Record that the document changed: bump the revision and tell the listeners."""
    state = _state()
    state[REVISION_KEY] = int(state.get(REVISION_KEY, 0)) + 1
    for listener in list(_LISTENERS):
        listener(state[DOCUMENT_KEY], state[REVISION_KEY])


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
    for key in [k for k in state if isinstance(k, str)]:
        if key.startswith(FORM_PREFIX):
            if not memory:
                continue
            path = key.partition(":")[2]
        elif is_field_key(key):
            path = key
        else:
            continue
        if not prefix or path == prefix or path.startswith(prefix + "."):
            del state[key]


def form_key(purpose: str, path: str) -> str:
    """The session-state key of form memory about ``path`` (dropped with its widgets)."""
    return f"{FORM_PREFIX}{purpose}:{path}"


def set(path: str, value: Any, *, from_widget: bool = False) -> None:
    """Set the field at ``path``; ``None`` removes it (how blank optional fields go).

    A widget's own callback passes ``from_widget=True``: its value is already on screen,
    and rewriting its key would send it back to the browser mid-typing.
    """
    doc = document()
    parts = split_path(path)
    if not parts:
        raise ValueError("set() needs a field path")
    parent: Any = doc
    for index, part in enumerate(parts[:-1]):
        nxt = parts[index + 1]
        if isinstance(parent, dict):
            if not isinstance(parent.get(part), dict | list):  # type: ignore[arg-type]
                if value is None:
                    return
                parent[part] = [] if isinstance(nxt, int) else {}  # type: ignore[index]
            parent = parent[part]  # type: ignore[index]
        else:
            parent = parent[part]
    last = parts[-1]
    if value is None:
        if isinstance(parent, dict):
            parent.pop(last, None)  # type: ignore[arg-type]
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]
    else:
        parent[last] = value
    if not from_widget:
        forget_widgets(path)
    changed()


def replace(new_document: dict[str, Any]) -> None:
    """Swap in a whole document (example, import, library); the old one can be undone."""
    state = _state()
    init()
    state[PREVIOUS_KEY] = state[DOCUMENT_KEY]
    state[DOCUMENT_KEY] = copy.deepcopy(new_document)
    forget_widgets(memory=True)
    changed()


def can_undo() -> bool:
    """Whether :func:`undo` has a document to put back."""
    return _state().get(PREVIOUS_KEY) is not None


def undo() -> None:
    """Put back the document as it was before the last :func:`replace` or removal."""
    state = _state()
    previous = state.get(PREVIOUS_KEY)
    if previous is None:
        return
    state[PREVIOUS_KEY] = None
    state[DOCUMENT_KEY] = previous
    forget_widgets(memory=True)
    changed()


def apply_fix(fix: Fix) -> None:
    """Apply an issue's one-click fix to the working document."""
    state = _state()
    state[DOCUMENT_KEY] = _apply_fix(document(), fix)
    # A fix may remove a list item (a tag), which shifts its siblings' paths.
    forget_widgets()
    changed()


def apply_fixes(issues: Iterable[Issue]) -> None:
    """Apply every fix among ``issues`` at once (undoable once)."""
    state = _state()
    state[PREVIOUS_KEY] = document()
    state[DOCUMENT_KEY] = _apply_fixes(document(), list(issues))
    forget_widgets()
    changed()


def _models() -> list[dict[str, Any]]:
    doc = document()
    models = doc.get("models")
    if not isinstance(models, list):
        models = doc["models"] = []
    return models


def new_model() -> dict[str, Any]:
    """A new model: a unique placeholder name, owner and lifecycle taken from its neighbours."""
    doc = document()
    models = _models()
    names = {m.get("name") for m in models if isinstance(m, dict)}
    name, n = "new-model", 2
    while name in names:
        name, n = f"new-model-{n}", n + 1
    # Models usually share their server's owner and lifecycle: saves typing, and the
    # user sees them filled in and can change them.
    source = doc.get("modelServer") if isinstance(doc.get("modelServer"), dict) else None
    if source is None and models and isinstance(models[-1], dict):
        source = models[-1]
    source = source or {}
    return {
        "name": name,
        "owner": str(source.get("owner") or ""),
        "lifecycle": str(source.get("lifecycle") or "experimental"),
        "description": "",
    }


def add_model(model: dict[str, Any] | None = None) -> int:
    """Append ``model`` (default :func:`new_model`) and return its index."""
    models = _models()
    models.append(copy.deepcopy(model) if model is not None else new_model())
    changed()
    return len(models) - 1


def duplicate_model(index: int) -> int:
    """Insert a copy of model ``index`` right after it and return the copy's index."""
    models = _models()
    models.insert(index + 1, copy.deepcopy(models[index]))
    forget_widgets("models")
    changed()
    return index + 1


def remove_model(index: int) -> None:
    """Delete model ``index`` (undoable once, like :func:`replace`)."""
    _state()[PREVIOUS_KEY] = copy.deepcopy(document())
    del _models()[index]
    forget_widgets("models")
    changed()


def move_model(index: int, offset: int) -> int:
    """Move model ``index`` by ``offset`` places (clamped) and return its new index."""
    models = _models()
    target = max(0, min(len(models) - 1, index + offset))
    if target != index:
        models.insert(target, models.pop(index))
        forget_widgets("models")
        changed()
    return target
