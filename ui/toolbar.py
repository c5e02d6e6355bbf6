"""The page header actions: load an example, start over, undo; and the first-visit welcome."""

from __future__ import annotations

import streamlit as st

from ui import examples, state
from ui.report import Current
from ui.text import escape_markdown

MENU_KEY = "_toolbar.examples"


def _load(stem: str) -> None:
    examples.load(stem)
    st.session_state[MENU_KEY] = False  # close the menu: the form behind it has changed


def _example_button(example: examples.Example, key: str, *, primary: bool = False) -> None:
    st.button(
        f"**{escape_markdown(example.title)}**  \n{escape_markdown(example.summary)}",
        key=key,
        help=f"Load the example catalog '{example.stem}'",
        icon=":material/library_books:",
        type="primary" if primary else "secondary",
        width="stretch",
        on_click=_load,
        args=(example.stem,),
    )


def show_toolbar(current: Current) -> None:
    """Example loader, start-over and undo, in one row."""
    with st.container(horizontal=True, vertical_alignment="center", key="toolbar"):
        # Tracked (on_change="rerun") only so that loading an example can close it.
        with st.popover(
            "Load example", icon=":material/library_books:", key=MENU_KEY, on_change="rerun"
        ):
            st.caption("Replaces the catalog in the form; **Undo** brings yours back.")
            for example in examples.examples():
                _example_button(example, f"_example:{example.stem}")
        st.button(
            "Start over",
            key="_toolbar.new",
            icon=":material/restart_alt:",
            disabled=current.is_empty,
            on_click=state.replace,
            args=(state.empty_document(),),
        )
        if state.can_undo():
            st.button("Undo", key="_toolbar.undo", icon=":material/undo:", on_click=state.undo)


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
