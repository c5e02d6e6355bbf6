"""The page header actions: load an example, start over, undo and redo; the welcome.

Loading an example or starting over while a catalog with changes is open asks first:
open it as a new catalog (the open one stays as it is in the Library) or replace what
the open catalog holds.  Undo and Redo name the step they would undo or redo.

The buttons carry no hover help: their labels say what they do, and a button with help
is a tooltip that opens under the pointer as it is clicked, and a hidden second copy
for the browser to render.  Without them, loading an example from the welcome was
15-55 ms faster in five of six paired runs timed as ``benchmarks/bench_browser.py``
times it; an edit showed no difference.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import examples, state
from ui.report import Current, current
from ui.text import escape_markdown

MENU_KEY = "_toolbar.examples"
PENDING_KEY = "_toolbar.pending"
"""What waits for "a new catalog, or replace this one": ``("example", stem)`` or
``("start-over", "")``."""


_undo = state.editor_callback(state.undo)
_redo = state.editor_callback(state.redo)


@state.editor_callback  # Start over and the welcome's examples: the page need not run
def _ask_or_load(kind: str, stem: str = "") -> None:
    st.session_state[MENU_KEY] = False  # close the menu: the form behind it changes
    if state.session().needs_choice():
        st.session_state[PENDING_KEY] = (kind, stem)
        return
    _do(kind, stem, as_new=True)


def _do(kind: str, stem: str, *, as_new: bool) -> None:
    st.session_state[PENDING_KEY] = None
    if kind == "example":
        examples.load(stem, as_new=as_new)
    elif as_new:
        state.new_catalog()
    else:
        state.replace(state.empty_document(), "start over", as_new=False, pristine=True)


def _example_button(example: examples.Example, key: str, *, primary: bool = False) -> None:
    st.button(
        f"**{escape_markdown(example.title)}**  \n{escape_markdown(example.summary)}",
        key=key,
        icon=":material/library_books:",
        type="primary" if primary else "secondary",
        width="stretch",
        on_click=_ask_or_load,
        args=("example", example.stem),
    )


def _choice() -> None:
    """The question a load waits on: a new catalog, or replace the open one."""
    # Always one element here, so the form below keeps its place in the page whether
    # the question shows or not (no stale copy of the form while the page reruns).
    with st.empty():
        _question()


def _question() -> None:
    pending = st.session_state.get(PENDING_KEY)
    if not pending:
        return
    kind, stem = pending
    name = escape_markdown(state.session().name() or "the open catalog")
    what = (
        f"the example “{escape_markdown(examples.find(stem).title)}”"
        if kind == "example"
        else "an empty catalog"
    )
    with st.container(border=True, key="toolbar-choice"):
        st.markdown(
            f"**Open {what} as a new catalog, or put it in “{name}”?**  \n"
            f"A new catalog leaves “{name}” as it is in the Library. Replacing keeps "
            "“" + name + "” and its history, with this as its unsaved draft until Save. "
            "Either way, Undo goes back."
        )
        with st.container(horizontal=True):
            st.button(
                "New catalog",
                key="_toolbar.choice.new",
                icon=":material/note_add:",
                type="primary",
                on_click=_do,
                args=(kind, stem),
                kwargs={"as_new": True},
            )
            st.button(
                f"Replace “{name}”",
                key="_toolbar.choice.replace",
                icon=":material/swap_horiz:",
                on_click=_do,
                args=(kind, stem),
                kwargs={"as_new": False},
            )
            st.button("Cancel", key="_toolbar.choice.cancel", on_click=_cancel)


def _cancel() -> None:
    st.session_state[PENDING_KEY] = None


def show_toolbar() -> Any:
    """The toolbar row: the example menu, then the place :func:`show_actions` fills.

    Drawn by the whole page, not by the editor fragment: an edit does not redraw the
    menu, and an example picked from it runs the page once.  A pending question shows
    below the row.
    """
    with st.container(horizontal=True, vertical_alignment="center", key="toolbar"):
        # Tracked (on_change="rerun") only so that loading an example can close it.
        with st.popover(
            "Load example", icon=":material/library_books:", key=MENU_KEY, on_change="rerun"
        ):
            st.caption("Opens the example as a new catalog, or in the open one if you say so.")
            for example in examples.examples():
                _example_button(example, f"_example:{example.stem}")
        actions = st.container(horizontal=True, vertical_alignment="center", gap="small")
    _choice()
    return actions


def show_actions(current: Current) -> None:
    """Start over, Undo and Redo (in the toolbar's place, drawn by a fragment of their own)."""
    st.button(
        "Start over",
        key="_toolbar.new",
        icon=":material/restart_alt:",
        disabled=current.is_empty,
        on_click=_ask_or_load,
        args=("start-over",),
    )
    undo, redo = state.undo_label(), state.redo_label()
    st.button(
        f"Undo: {undo}" if undo else "Undo",
        key="_toolbar.undo",
        icon=":material/undo:",
        disabled=undo is None,
        on_click=_undo,
        # Outside text fields only (there the browser's own undo of typing applies).
        shortcut="Ctrl+Z",
    )
    st.button(
        f"Redo: {redo}" if redo else "Redo",
        key="_toolbar.redo",
        icon=":material/redo:",
        disabled=redo is None,
        on_click=_redo,
        shortcut="Ctrl+Shift+Z",
    )


def actions_shown() -> tuple[Any, ...]:
    """What :func:`show_actions` shows: whether there is anything to start over from,
    and what Undo and Redo would do (their labels)."""
    return current().is_empty, state.undo_label(), state.redo_label()


state.redraws_when(state.ACTIONS_FRAGMENT, actions_shown)


def pending() -> tuple[str, str] | None:
    """The question a load waits on, if any (what the page above the editor shows)."""
    found = st.session_state.get(PENDING_KEY)
    return tuple(found) if found else None  # type: ignore[return-value]


def show_welcome() -> None:
    """What a first-time user sees above an empty form: one click to a full example."""
    with st.container(border=True, key="welcome"):
        st.markdown(
            "#### :material/waving_hand: Start from an example\n"
            "Load a catalog the team wrote, then change it: the form checks every field "
            "as you type and the YAML on the right is what Backstage will get."
        )
        shipped = examples.examples()
        for column, example in zip(st.columns(len(shipped) or 1), shipped, strict=False):
            with column:
                _example_button(example, f"_welcome:{example.stem}", primary=True)
        st.caption("Or start from scratch: switch on the model server below, or add a model.")
