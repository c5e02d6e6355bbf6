"""Putting a document into an AppTest session's editor, and reading it back."""

from __future__ import annotations

import copy
from typing import Any


def put_document(at: Any, document: dict[str, Any]) -> None:
    """Before ``at``'s first run: a session whose editor holds ``document`` (typed, unsaved)."""
    from catalog.session import EditingSession
    from ui import state

    editing = EditingSession()
    editing.document = copy.deepcopy(document)
    at.session_state[state.SESSION_KEY] = editing


def editor_document(at: Any) -> dict[str, Any]:
    """The document in ``at``'s editor."""
    from ui import state

    doc: dict[str, Any] = at.session_state[state.SESSION_KEY].document
    return doc
