"""The editing session: one catalog document, its undo history, and where it is kept.

A person edits one document at a time.  Every change to it is a labelled :class:`Step`
("rename model 2") on an undo stack; undo and redo walk that stack one step at a time,
and a new change after an undo drops what could be redone.  Consecutive edits of one
field within :data:`COALESCE_SECONDS` are one step (typing is not a step per pause).

Where the document lives in the library is its :class:`Binding`: the catalog id (None
until the catalog enters the library), the revision the editing started from, what that
revision held, and the token of this session's own draft.  A step remembers the binding
before and after it, so undoing "load example as a new catalog" also puts the previous
catalog back in the editor, and a catalog never holds what another one held.

The library (:class:`catalog.store.Store`) is passed to the transitions that read or
write it.  Rules the transitions keep:

* an example opens as a new catalog that enters the library with its first edit or
  Save (:meth:`EditingSession.load` with ``pristine=True``): a demo leaves no clutter;
* a link (:meth:`EditingSession.open`) shows the last saved revision; a draft is taken
  up only when this browser wrote it, else at most *offered* to the browser that did;
* Save, Restore, Delete and Undo delete keep the session's own revisions and draft apart
  from everyone else's, so nothing of yours is reported as "someone else's".

No Streamlit here: the ``ui`` layer keeps one :class:`EditingSession` per browser
session and binds widgets, buttons and the URL to it.
"""

from __future__ import annotations

import copy
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from catalog.issues import Fix, Issue, apply_fix, apply_fixes, split_path
from catalog.publish import options_from, options_record
from catalog.store import (
    ConflictError,
    Draft,
    DraftConflictError,
    NotFoundError,
    Revision,
    RevisionInfo,
    Store,
)

Document = dict[str, Any]
#: Undo steps kept; older ones fall off (each holds two document snapshots).
HISTORY_LIMIT = 100
#: Edits of one field this close together are one undo step.
COALESCE_SECONDS = 3.0
#: The note of revision 1 of a catalog that entered the library by being edited.
STARTED_NOTE = "Started in the studio"


def same_options(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """Whether two stored output options write the same YAML (None and unknown values
    are the defaults)."""
    return options_record(options_from(a)) == options_record(options_from(b))


def unsaved_drafts(drafts: Iterable[Draft], latest: Revision) -> list[Draft]:
    """The ``drafts`` that hold something the catalog's ``latest`` revision does not
    (another document, or other output options), in their order."""
    return [
        d
        for d in drafts
        if d.document != latest.document
        or (
            d.output_options is not None
            and not same_options(d.output_options, latest.output_options)
        )
    ]


def empty_document() -> Document:
    """A catalog with nothing in it yet."""
    return {"models": []}


def is_empty(document: Document) -> bool:
    """Whether ``document`` holds nothing (no server, no models)."""
    return not document or document == empty_document()


def new_token() -> str:
    """A random token naming a draft or a browser (72 bits, URL-safe)."""
    return secrets.token_urlsafe(9)


def document_name(document: Document) -> str | None:
    """What the library would call ``document``: its server's name, else its first model's."""
    server = document.get("modelServer")
    models = document.get("models")
    for item in (server, *(models if isinstance(models, list) else [])):
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


# -- records --------------------------------------------------------------------------------


@dataclass(eq=False)
class Binding:
    """Where one document of the session is kept in the library (identity, not value).

    Steps hold bindings by reference: a Save updates the binding in place, so undoing
    into a step of this catalog continues from the newest revision, not an old one.
    """

    origin: Document
    """What the catalog held when it was opened or last saved (the example, for one)."""
    catalog_id: str | None = None
    base_revision: int = 0
    name: str | None = None
    draft_token: str = field(default_factory=new_token)
    draft_version: int | None = None
    """The version of this session's draft as last written (None: no draft in the store)."""
    origin_options: dict[str, str] | None = None
    """The output options the catalog's revision was opened with or last saved with."""


@dataclass(frozen=True)
class Step:
    """One undoable change: the document and its binding before and after it."""

    label: str
    before: Document
    after: Document
    before_binding: Binding
    after_binding: Binding
    path: str | None = None
    at: float = 0.0
    before_options: dict[str, str] | None = None
    """The output options chosen before it (see :func:`moves_options`)."""
    after_options: dict[str, str] | None = None


def moves_options(step: Step) -> bool:
    """Whether undoing or redoing ``step`` takes the output options along: it went to
    another catalog (each has the options chosen for it), or it changed them (a draft
    taken up).  An edit leaves them to the person's choice."""
    return step.before_binding is not step.after_binding or (
        step.before_options != step.after_options
    )


@dataclass(frozen=True)
class Notice:
    """Something to tell the person once (the UI shows it as a toast)."""

    text: str
    icon: str = ":material/info:"


@dataclass(frozen=True)
class Deleted:
    """A catalog deleted in this session, with what the editor held if it was open."""

    catalog_id: str
    name: str
    binding: Binding | None
    document: Document | None
    options: dict[str, str] | None = None
    """The output options the editor had chosen for it."""


# -- labels ---------------------------------------------------------------------------------


def _words(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ").lower()


def _subject(parts: list[str | int]) -> tuple[str, list[str | int]]:
    """Whose field ``parts`` names ("model 2", "the server", "the API") and the rest."""
    if parts[:1] == ["models"] and len(parts) > 1 and isinstance(parts[1], int):
        return f"model {parts[1] + 1}", parts[2:]
    if parts[:2] == ["modelServer", "API"]:
        return "the API", parts[2:]
    if parts[:1] == ["modelServer"]:
        return "the server", parts[1:]
    return "the catalog", parts


def edit_label(path: str, value: Any) -> str:
    """A short label for setting ``path`` to ``value``: ``rename model 2``."""
    parts = split_path(path)
    subject, rest = _subject(parts)
    if not rest:
        if value is None:
            return f"switch off {subject}"
        return f"switch on {subject}" if isinstance(value, dict) else f"edit {subject}"
    field_name = str(rest[0])
    if field_name == "name" and len(rest) == 1:
        return f"rename {subject}"
    owner = "the catalog's" if subject == "the catalog" else f"{subject}'s"
    return f"edit {owner} {_words(field_name)}"


def _set_at(document: Document, path: str, value: Any) -> Document:
    """A copy of ``document`` with ``path`` set (None removes it); only the path is copied."""
    parts = split_path(path)
    if not parts:
        raise ValueError("an edit needs a field path")
    result: Document = dict(document)
    parent: Any = result
    for index, part in enumerate(parts[:-1]):
        nxt = parts[index + 1]
        child = parent[part] if _has(parent, part) else None
        if isinstance(child, dict):
            child = dict(child)
        elif isinstance(child, list):
            child = list(child)
        else:
            if value is None:
                return document
            child = [] if isinstance(nxt, int) else {}
        _put(parent, part, child)
        parent = child
    last = parts[-1]
    if value is None:
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]
    else:
        _put(parent, last, value)
    return result


def _put(parent: Any, key: str | int, value: Any) -> None:
    if isinstance(parent, list) and isinstance(key, int) and key >= len(parent):
        parent.append(value)  # one past the end: a new item (a new model's first field)
    else:
        parent[key] = value


def _has(parent: Any, part: str | int) -> bool:
    if isinstance(parent, dict):
        return part in parent
    return isinstance(parent, list) and isinstance(part, int) and 0 <= part < len(parent)


def _models(document: Document) -> list[Any]:
    models = document.get("models")
    return list(models) if isinstance(models, list) else []


def _name_of(model: Any, index: int) -> str:
    name = model.get("name") if isinstance(model, dict) else None
    return f"model {index + 1}" + (f" ({name})" if isinstance(name, str) and name else "")


def unique_name(name: str, taken: Iterable[Any]) -> str:
    """``name``, or ``name-2``, ``name-3``... whichever is not in ``taken``."""
    used = set(taken)
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name}-{n}", n + 1
    return candidate


# -- the session ----------------------------------------------------------------------------


class EditingSession:
    """One person's editing of one catalog at a time: document, history, library binding.

    ``browser`` is the token of the browser this session runs in (kept in a cookie by
    the UI): drafts carry it, and a link offers a draft only to the browser that wrote
    it.  ``clock`` (seconds, monotonic) is for tests of edit coalescing.
    """

    def __init__(self, browser: str | None = None, *, clock: Callable[[], float] = time.monotonic):
        self.browser = browser or new_token()
        self._clock = clock
        self.document: Document = empty_document()
        self.binding = Binding(origin=empty_document())
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self.version = 0
        """Bumped by every change of the document or binding: a cache key."""
        self.dirty = False
        """Whether the library has not seen the latest change yet (see :meth:`autosave`)."""
        self.notices: list[Notice] = []
        self.problem: str | None = None
        self.conflict: Revision | None = None
        self.offer: Draft | None = None
        """This browser's unsaved draft of the open catalog, offered after a link."""
        self.own_revisions: set[tuple[str, int]] = set()
        self.deleted: list[Deleted] = []
        self.output_options: dict[str, str] | None = None
        """How saves are published (layout, kind, API definition): kept with each revision
        (the UI sets the person's choice; :meth:`open` takes up the revision's)."""

    # -- reading ----------------------------------------------------------------------------

    @property
    def catalog_id(self) -> str | None:
        """The open catalog's id in the library (None: not in the library yet)."""
        return self.binding.catalog_id

    @property
    def base_revision(self) -> int:
        """The revision the editing started from, or was last saved as (0: none)."""
        return self.binding.base_revision

    def can_undo(self) -> bool:
        """Whether there is a step to undo."""
        return bool(self._undo)

    def can_redo(self) -> bool:
        """Whether there is an undone step to redo."""
        return bool(self._redo)

    def undo_label(self) -> str | None:
        """What Undo would undo (``rename model 2``), or None."""
        return self._undo[-1].label if self._undo else None

    def redo_label(self) -> str | None:
        """What Redo would redo, or None."""
        return self._redo[-1].label if self._redo else None

    def history(self) -> list[str]:
        """The labels of the undoable steps, oldest first."""
        return [step.label for step in self._undo]

    def has_unsaved_changes(self) -> bool:
        """Whether the document differs from what its catalog last saved (or started as),
        or the output options from those its revision was saved with."""
        return self.document != self.binding.origin or self.options_changed()

    def options_changed(self) -> bool:
        """Whether the output options chosen differ from those of the open catalog's
        revision (a catalog not in the library has none to differ from)."""
        if self.catalog_id is None:
            return False
        return not same_options(self.output_options, self.binding.origin_options)

    def choose_options(self, options: Mapping[str, str] | None) -> None:
        """Take up the output options the person chose: drafts and saves keep them, so a
        change of the options alone is an unsaved change like an edit."""
        changed = not same_options(options, self.output_options)
        self.output_options = dict(options) if options is not None else None
        if changed:
            self.dirty = True

    def can_save(self) -> bool:
        """Whether Save would keep something new (a pristine example can be saved too)."""
        if self.catalog_id is None:
            return not is_empty(self.document)
        return self.has_unsaved_changes()

    def needs_choice(self) -> bool:
        """Whether loading another document should ask "a new catalog, or replace this one".

        Not for an empty editor or an untouched example: there is nothing to keep apart.
        """
        return self.catalog_id is not None or self.has_unsaved_changes()

    def name(self) -> str | None:
        """The open catalog's name: the library's, else what the library would call it."""
        return self.binding.name or document_name(self.document)

    def link(self) -> dict[str, str]:
        """Query parameters that bring this editing back in this browser (with the draft)."""
        if self.catalog_id is None:
            return {}
        params = {"catalog": self.catalog_id}
        if self.binding.draft_version is not None:
            params["draft"] = self.binding.draft_token
        return params

    def share_link(self) -> dict[str, str]:
        """Query parameters for others: the catalog only, so they see what was saved."""
        return {"catalog": self.catalog_id} if self.catalog_id else {}

    def take_notices(self) -> list[Notice]:
        """The notices gathered since the last call (each is shown once)."""
        taken, self.notices = self.notices, []
        return taken

    # -- the history ------------------------------------------------------------------------

    def _touch(self) -> None:
        self.version += 1
        self.dirty = True

    def _commit(
        self,
        document: Document,
        label: str,
        *,
        binding: Binding | None = None,
        path: str | None = None,
        options: dict[str, str] | Literal["same"] | None = "same",
    ) -> bool:
        """Make ``document`` (and ``binding``, and output ``options``) current as one
        undoable step; False, and no step, when the document and the catalog stay (the
        options still follow)."""
        after_binding = binding or self.binding
        after_options = self.output_options if options == "same" else options
        if document == self.document and after_binding is self.binding:
            self.output_options = after_options
            return False
        now = self._clock()
        last = self._undo[-1] if self._undo else None
        if (
            path is not None
            and last is not None
            and not self._redo
            and last.path == path
            and last.after_binding is self.binding is after_binding
            and now - last.at <= COALESCE_SECONDS
        ):
            self._undo.pop()
            if document != last.before:
                self._undo.append(
                    Step(
                        label,
                        last.before,
                        document,
                        last.before_binding,
                        after_binding,
                        path,
                        now,
                        after_options,  # an edit's: they stay as the person chose them
                        after_options,
                    )
                )
        else:
            self._undo.append(
                Step(
                    label,
                    self.document,
                    document,
                    self.binding,
                    after_binding,
                    path,
                    now,
                    self.output_options,
                    after_options,
                )
            )
            del self._undo[:-HISTORY_LIMIT]
        self._redo.clear()
        self.document = document
        self.binding = after_binding
        self.output_options = after_options
        self.offer = None if binding is not None else self.offer
        self._touch()
        return True

    def undo(self) -> str | None:
        """Put back the document (and catalog) as before the last step; its label."""
        if not self._undo:
            return None
        step = self._undo.pop()
        if moves_options(step):  # redo comes back to the options chosen since
            step = replace(step, after_options=self.output_options)
            self.output_options = step.before_options
        self._redo.append(step)
        self.document, self.binding = step.before, step.before_binding
        self.conflict = None
        self._touch()
        return step.label

    def redo(self) -> str | None:
        """Do again the last undone step; its label."""
        if not self._redo:
            return None
        step = self._redo.pop()
        if moves_options(step):
            step = replace(step, before_options=self.output_options)
            self.output_options = step.after_options
        self._undo.append(step)
        self.document, self.binding = step.after, step.after_binding
        self.conflict = None
        self._touch()
        return step.label

    # -- editing ----------------------------------------------------------------------------

    def edit(self, path: str, value: Any, label: str | None = None) -> bool:
        """Set the field at ``path`` (None removes it); edits of one field coalesce."""
        document = _set_at(self.document, path, copy.deepcopy(value))
        return self._commit(document, label or edit_label(path, value), path=path)

    def change(self, document: Document, label: str) -> bool:
        """Make ``document`` the whole new document, as one step called ``label``."""
        return self._commit(copy.deepcopy(document), label)

    def fix(self, fix: Fix) -> bool:
        """Apply one issue's fix."""
        return self._commit(apply_fix(self.document, fix), f"fix: {fix.label[:60]}")

    def fix_all(self, issues: Iterable[Issue]) -> bool:
        """Apply every fix among ``issues`` as one step."""
        issues = [i for i in issues if i.fix is not None]
        label = f"apply {len(issues)} fix{'' if len(issues) == 1 else 'es'}"
        return self._commit(apply_fixes(self.document, issues), label)

    def new_model(self) -> Document:
        """A new model: a unique placeholder name, owner and lifecycle from its neighbours."""
        models = _models(self.document)
        names = [m.get("name") for m in models if isinstance(m, dict)]
        server = self.document.get("modelServer")
        source = server if isinstance(server, dict) else None
        if source is None and models and isinstance(models[-1], dict):
            source = models[-1]
        source = source or {}
        return {
            "name": unique_name("new-model", names),
            "owner": str(source.get("owner") or ""),
            "lifecycle": str(source.get("lifecycle") or "experimental"),
            "description": "",
        }

    def add_model(self, model: Document | None = None) -> int:
        """Append ``model`` (default :meth:`new_model`); its index."""
        models = _models(self.document)
        models.append(copy.deepcopy(model) if model is not None else self.new_model())
        self._commit({**self.document, "models": models}, f"add model {len(models)}")
        return len(models) - 1

    def duplicate_model(self, index: int) -> int:
        """Insert a copy of model ``index`` after it, under a name not taken; its index."""
        models = _models(self.document)
        twin = copy.deepcopy(models[index])
        if isinstance(twin, dict):
            name = str(twin.get("name") or "model").strip() or "model"
            twin["name"] = unique_name(
                f"{name}-copy", [m.get("name") for m in models if isinstance(m, dict)]
            )
        models.insert(index + 1, twin)
        self._commit(
            {**self.document, "models": models}, f"duplicate {_name_of(models[index], index)}"
        )
        return index + 1

    def remove_model(self, index: int) -> None:
        """Delete model ``index``."""
        models = _models(self.document)
        gone = models.pop(index)
        self._commit({**self.document, "models": models}, f"remove {_name_of(gone, index)}")

    def move_model(self, index: int, offset: int) -> int:
        """Move model ``index`` by ``offset`` places (clamped); its new index."""
        models = _models(self.document)
        target = max(0, min(len(models) - 1, index + offset))
        if target != index:
            models.insert(target, models.pop(index))
            where = "up" if target < index else "down"
            self._commit({**self.document, "models": models}, f"move model {index + 1} {where}")
        return target

    # -- whole documents --------------------------------------------------------------------

    def load(self, document: Document, label: str, *, as_new: bool, pristine: bool) -> None:
        """Load ``document`` (an example, an import, an empty one for Start over).

        ``as_new`` opens it as a new catalog (the open one stays as it is in the library);
        otherwise it replaces what the open catalog holds (its draft until Save).  A
        ``pristine`` document (an example, an empty one) enters the library only once it
        is edited or saved; an import is the person's work and enters it at once.  When
        :meth:`needs_choice` is False there is nothing to replace: it is always new.
        """
        document = copy.deepcopy(document)
        if as_new or not self.needs_choice():
            origin = copy.deepcopy(document) if pristine else empty_document()
            self._commit(document, label, binding=Binding(origin=origin))
        else:
            self._commit(document, label)

    def new_catalog(self) -> None:
        """Start an empty catalog; the open one stays in the library."""
        self._commit(empty_document(), "new catalog", binding=Binding(origin=empty_document()))

    # -- the library: opening ----------------------------------------------------------------

    def open(
        self, store: Store, catalog_id: str, draft: str | None = None, *, record: bool = True
    ) -> None:
        """Open a catalog of the library: its last saved revision (a link, the Library).

        ``draft`` (a link's ``draft=`` token) is taken up only if this browser wrote it
        (a refresh); a draft of another browser is never shown.  This browser's newest
        draft of the catalog is :attr:`offer`-ed instead.  ``record=False`` (a session's
        first page) opens it without an undo step.  Raises :class:`NotFoundError`.
        """
        info = store.get(catalog_id)
        latest = store.revision(catalog_id, info.revision)
        saved_options = latest.output_options
        drafts = unsaved_drafts(store.drafts(catalog_id), latest)
        binding = Binding(
            origin=info.document,
            catalog_id=info.id,
            base_revision=info.revision,
            name=info.name,
            origin_options=saved_options,
        )
        named = next((d for d in drafts if d.editor == draft), None) if draft else None
        mine = [d for d in drafts if d.browser == self.browser]
        label = f"open “{info.name}”"
        self._switch(info.document, binding, label, record=record, options=saved_options)
        if named is not None and named.browser == self.browser:
            self._resume(store, named)
            self.notices.append(
                Notice(
                    f"Your unsaved changes from {named.updated_at:%Y-%m-%d %H:%M} UTC are back; "
                    "Save keeps them as a revision.",
                    ":material/history:",
                )
            )
            return
        if named is not None:
            self.notices.append(
                Notice(
                    f"This link was copied from someone's editor: you see the last saved "
                    f"revision, {info.revision}. Their unsaved changes stay theirs.",
                    ":material/link:",
                )
            )
        self.offer = mine[0] if mine else None

    def _switch(
        self,
        document: Document,
        binding: Binding,
        label: str,
        *,
        record: bool,
        options: dict[str, str] | Literal["same"] | None = "same",
    ) -> None:
        if record:
            self._commit(copy.deepcopy(document), label, binding=binding, options=options)
        else:
            self.document, self.binding = copy.deepcopy(document), binding
            if options != "same":
                self.output_options = options
            self._undo.clear()
            self._redo.clear()
            self._touch()
        self.conflict = None
        self.problem = None
        self.dirty = False  # what was opened is what the library holds

    def _resume(self, store: Store, draft: Draft) -> None:
        """Go on with ``draft`` of this browser in the open catalog's binding."""
        binding = self.binding
        binding.draft_token = draft.editor or new_token()
        binding.draft_version = draft.version if draft.editor else None
        if draft.stale:
            base = store.revision(draft.catalog_id, draft.base_revision)
            binding.base_revision, binding.origin = base.number, base.document
            binding.origin_options = base.output_options
            self.output_options = base.output_options
        if draft.output_options is not None:  # drafts written since migration 0005
            self.output_options = dict(draft.output_options)
        self.document = copy.deepcopy(draft.document)
        self.offer = None
        self._touch()
        self.dirty = not draft.editor  # a draft without a token is rewritten under ours

    def take_offer(self, store: Store) -> None:
        """Go on with the offered draft ("your unsaved draft from ...") as one step."""
        draft = self.offer
        if draft is None or draft.catalog_id != self.catalog_id:
            self.offer = None
            return
        before, binding, options = self.document, self.binding, self.output_options
        self._resume(store, draft)
        self._undo.append(
            Step(
                "go on with your draft",
                before,
                self.document,
                binding,
                binding,
                None,
                self._clock(),
                options,
                self.output_options,
            )
        )
        self._redo.clear()

    def open_draft(self, store: Store, catalog_id: str, editor: str) -> None:
        """Open a draft listed in the Library: yours goes on; another's opens as your copy."""
        self.open(store, catalog_id)
        draft = next((d for d in store.drafts(catalog_id) if d.editor == editor), None)
        if draft is None:
            return
        if draft.browser == self.browser:
            self.offer = draft
            self.take_offer(store)
            return
        # Someone else's work: take its text under a draft of your own, theirs stays.
        copied = Draft(
            catalog_id=draft.catalog_id,
            document=draft.document,
            base_revision=draft.base_revision,
            latest_revision=draft.latest_revision,
            updated_at=draft.updated_at,
            output_options=draft.output_options,
        )
        self.offer = copied
        self.take_offer(store)
        self.dirty = True

    # -- the library: writing -----------------------------------------------------------------

    def autosave(self, store: Store) -> None:
        """Bring the library up to date with the latest change (call once per page run).

        A catalog not in the library enters it once its document differs from what it
        was loaded as (an edited example); afterwards changes go to this session's draft,
        and a document back at its saved state drops the draft.
        """
        if not self.dirty:
            return
        self.dirty = False
        binding = self.binding
        try:
            if binding.catalog_id is None:
                if self.has_unsaved_changes() and not is_empty(self.document):
                    self._create(store, STARTED_NOTE)
            elif not self.has_unsaved_changes():
                self._discard_draft(store)
            else:
                self._write_draft(store)
            self.problem = None
        except NotFoundError:
            self.problem = (
                "This catalog is no longer in the library (deleted?). Your changes are still "
                "here: Save stores them as a new catalog."
            )
        except Exception as exc:  # noqa: BLE001 - any store failure: say so, keep the work
            self.problem = f"Autosave failed: {exc}"
            self.dirty = True

    def _create(self, store: Store, note: str | None) -> None:
        info = store.create(None, self.document, note=note, output_options=self.output_options)
        binding = self.binding
        binding.catalog_id, binding.base_revision, binding.name = info.id, 1, info.name
        binding.origin, binding.origin_options = self.document, self.output_options
        binding.draft_version = None
        self.own_revisions.add((info.id, 1))
        self.version += 1

    def _write_draft(self, store: Store) -> None:
        binding = self.binding
        assert binding.catalog_id is not None
        try:
            draft = store.save_draft(
                binding.catalog_id,
                self.document,
                binding.base_revision,
                editor=binding.draft_token,
                expected_version=binding.draft_version,
                browser=self.browser,
                output_options=self.output_options,
            )
        except DraftConflictError:
            # The same draft is written elsewhere (a duplicated tab): keep both.
            binding.draft_token, binding.draft_version = new_token(), None
            draft = store.save_draft(
                binding.catalog_id,
                self.document,
                binding.base_revision,
                editor=binding.draft_token,
                browser=self.browser,
                output_options=self.output_options,
            )
            self.notices.append(
                Notice(
                    "This draft is also open in another tab. Your changes go on in a draft "
                    "of their own; nothing was overwritten.",
                    ":material/call_split:",
                )
            )
        binding.draft_version = draft.version

    def _discard_draft(self, store: Store) -> None:
        binding = self.binding
        if binding.catalog_id is not None and binding.draft_version is not None:
            store.discard_draft(binding.catalog_id, binding.draft_token)
        binding.draft_version = None

    def save(self, store: Store, note: str | None = None) -> RevisionInfo | None:
        """Save the document as a new revision (or a new catalog); None on a conflict."""
        binding = self.binding
        self.dirty = False
        if binding.catalog_id is None:
            self._create(store, note)
            return RevisionInfo(
                catalog_id=str(binding.catalog_id), number=1, created_at=_now(), note=note
            )
        try:
            saved = store.save(
                binding.catalog_id,
                self.document,
                binding.base_revision,
                note,
                output_options=self.output_options,
            )
        except ConflictError as conflict:
            self.conflict = conflict.latest
            self.dirty = True
            return None
        except NotFoundError:
            self._discard_quietly(store)
            binding.catalog_id = None
            self._create(store, note)
            self.notices.append(Notice("Saved as a new catalog.", ":material/check_circle:"))
            return RevisionInfo(
                catalog_id=str(binding.catalog_id), number=1, created_at=_now(), note=note
            )
        self._discard_draft(store)
        self.own_revisions.add((binding.catalog_id, saved.number))
        binding.base_revision, binding.origin = saved.number, self.document
        binding.origin_options = self.output_options
        binding.name = store.get(binding.catalog_id).name
        self.conflict = None
        self.problem = None
        self.version += 1
        return saved

    def _discard_quietly(self, store: Store) -> None:
        try:
            self._discard_draft(store)
        except NotFoundError:
            self.binding.draft_version = None

    def conflict_is_mine(self) -> bool:
        """Whether the newer revision in the way of Save was written by this session."""
        latest = self.conflict
        return latest is not None and (latest.catalog_id, latest.number) in self.own_revisions

    def take_theirs(self, store: Store) -> None:
        """Resolve a conflict by loading the newer revision (one undoable step)."""
        latest = self.conflict
        if latest is None:
            return
        self.conflict = None
        self._discard_draft(store)
        binding = self.binding
        binding.base_revision, binding.origin = latest.number, latest.document
        binding.origin_options = latest.output_options
        label = f"load revision {latest.number}"
        self._commit(copy.deepcopy(latest.document), label, options=latest.output_options)
        self.dirty = False

    def save_mine(self, store: Store, note: str | None = None) -> RevisionInfo | None:
        """Resolve a conflict by saving this document on top of the newer revision."""
        latest = self.conflict
        if latest is None:
            return None
        self.conflict = None
        self.binding.base_revision = latest.number
        return self.save(store, note)

    def restore(self, store: Store, catalog_id: str, number: int) -> RevisionInfo:
        """Save revision ``number`` again as the newest; the open editor follows it.

        If the catalog is open, its document becomes the restored one as an undoable
        step (Undo gives back whatever was in the editor, as a draft).
        """
        restored = store.restore(catalog_id, number)
        self.own_revisions.add((catalog_id, restored.number))
        if self.catalog_id == catalog_id:
            kept = store.revision(catalog_id, restored.number)
            document = kept.document
            binding = self.binding
            unsaved = self.has_unsaved_changes()
            binding.base_revision, binding.origin = restored.number, document
            binding.origin_options = kept.output_options
            binding.name = store.get(catalog_id).name
            self.conflict = None
            label = f"restore revision {number}"
            if not self._commit(copy.deepcopy(document), label, options=kept.output_options):
                self._touch()
            if unsaved:
                self.notices.append(
                    Notice(
                        "The editor shows the restored revision; Undo brings back the "
                        "unsaved changes it had.",
                        ":material/restore:",
                    )
                )
        return restored

    def rename(self, store: Store, catalog_id: str, name: str) -> str:
        """Name a catalog (empty: its name follows its document again); the new name."""
        renamed = store.rename(catalog_id, name)
        if self.catalog_id == catalog_id:
            self.binding.name = renamed.name
            self.version += 1
        return renamed.name

    def delete(self, store: Store, catalog_id: str, name: str) -> None:
        """Delete a catalog; if it is open, the editor starts an empty one (Undo delete)."""
        store.delete(catalog_id)
        was_open = self.catalog_id == catalog_id
        entry = Deleted(
            catalog_id,
            name,
            self.binding if was_open else None,
            self.document if was_open else None,
            self.output_options if was_open else None,
        )
        self.deleted = [entry, *(d for d in self.deleted if d.catalog_id != catalog_id)]
        if was_open:
            # The history belongs to a catalog that is in the bin now; Undo delete is the
            # way back, with this editor's document and draft.
            self._switch(empty_document(), Binding(origin=empty_document()), "", record=False)

    def undo_delete(self, store: Store, catalog_id: str) -> str:
        """Bring a deleted catalog back; if the editor was on it, with your own document."""
        entry = next((d for d in self.deleted if d.catalog_id == catalog_id), None)
        self.deleted = [d for d in self.deleted if d.catalog_id != catalog_id]
        restored = store.undelete(catalog_id)
        blank = self.catalog_id is None and is_empty(self.document)
        if entry is not None and entry.binding is not None and entry.document is not None and blank:
            self._switch(entry.document, entry.binding, "", record=False, options=entry.options)
            self.dirty = self.has_unsaved_changes()
        return restored.name


def _now() -> datetime:
    return datetime.now(UTC)
