"""Author: describe a model server, its API and its models; see the YAML and issues live.

The page draws the title, the example menu and the places of what follows; what an edit
can change is in fragments, so that an edit redraws what it changed, not the page.  The
form is one: a tab switch or a page of the model list reruns only the form, and each
model in it is one more (opening or closing a model reruns that model).  The preview is
another, which every change of the catalog reruns, then autosaves.  A callback that
changes the catalog (:func:`ui.state.editor_callback`) reruns the preview, the form too
when what it shows besides the edited widget changed, and those of the other fragments
whose content changed: Start over, Undo and Redo (their labels), the issue summary, the
welcome, the preview's heading row (options, Download), and the sidebar's catalog box
(a fragment of the frame; the change is autosaved in the callback, so its status can
follow).  The whole page runs only when a panel above the editor must change.
"""

import streamlit as st

from catalog.schema import ModelCatalog
from ui import frame, persistence, preview, state
from ui.form import render_form
from ui.issues import show_summary
from ui.preview import head_shown, show_head, show_preview
from ui.report import current
from ui.toolbar import show_actions, show_toolbar, show_welcome

frame.require()  # a page opened by URL on a fresh server still gets the frame

st.title("Author a model catalog", anchor=False)
st.caption(
    "Describe a model server, its API and the models it serves. Required fields are "
    "marked :red[\\*]; hover :material/help: for what a field means."
)

actions = show_toolbar()  # the example menu; Start over, Undo and Redo come from the editor


@st.fragment(key=state.WELCOME_FRAGMENT)
def welcome_view() -> None:
    """The welcome, while the catalog is empty: an example loaded from it, or Start over,
    reruns it with the editor (and the sidebar), not the whole page."""
    state.init()
    with st.container():  # always one element, so the fragment keeps its place
        if current().is_empty:
            show_welcome()
    state.drew(state.WELCOME_FRAGMENT)


state.redraws_when(state.WELCOME_FRAGMENT, lambda: current().is_empty)
welcome_view()
summary = st.container()
form_column, preview_column = st.columns([3, 2], gap="large")
preview_head = preview_column.container()
preview_body = preview_column.container(key=preview.BODY_KEY)  # its YAML wraps: preview.STYLE


@st.fragment(key=state.DOCUMENT_FRAGMENT)
def document_view() -> None:
    """The preview, which every change of the catalog redraws; then the autosave."""
    state.init()
    with preview_body:
        show_preview(current())
    persistence.finish_editor(whole_page=frame.whole_page())


@st.fragment(key=state.PREVIEW_HEAD_FRAGMENT)
def preview_head_view() -> None:
    """The preview's title, output options and Download: an edit redraws them only when
    the options' label or Download's state change; opening the options reruns only this."""
    state.init()
    with preview_head:
        show_head(current())
    state.drew(state.PREVIEW_HEAD_FRAGMENT)


state.redraws_when(state.PREVIEW_HEAD_FRAGMENT, lambda: head_shown(current()))


@st.fragment(key=state.FORM_FRAGMENT)
def form_view() -> None:
    """The form: a tab switch or a page of the model list reruns only this."""
    state.init()
    render_form(ModelCatalog, current())


@st.fragment(key=state.ACTIONS_FRAGMENT)
def actions_view() -> None:
    """Start over, Undo and Redo, in the toolbar's row: an edit redraws them only when
    their labels change."""
    state.init()
    with actions:
        show_actions(current())
    state.drew(state.ACTIONS_FRAGMENT)


@st.fragment(key=state.SUMMARY_FRAGMENT)
def summary_view() -> None:
    """The issue summary above the form: an edit redraws it only when the issues change."""
    state.init()
    # Written on every run, even empty: a fragment keeps its place in a container of
    # the page only if it wrote there in the last full run.
    with summary, st.container():
        now = current()
        if not now.is_empty:
            show_summary(now)
    state.drew(state.SUMMARY_FRAGMENT)


# The preview first: it is what an edit is waited for, and Streamlit sends in order.
document_view()
with form_column:  # called there, not drawing into it: see state.MODEL_FRAGMENT
    form_view()
preview_head_view()
actions_view()
summary_view()
