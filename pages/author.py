"""Author: describe a model server, its API and its models; see the YAML and issues live.

The page draws the title, the example menu and the places of what follows; the welcome
is a fragment, and the editor is two.  The form is one: a tab switch, an opened model or
a page of the model list reruns only the form.  The other is what an edit changes around the
form: Start over, Undo and Redo (in the toolbar's row), the issue summary and the
preview.  A callback that changes the catalog from either
(:func:`ui.state.editor_callback`) reruns the preview side, and the form too when what
it shows besides the edited widget changed; neither reruns the frame's navigation and
panels.  The change is autosaved in the callback, so the sidebar's catalog box (a
fragment of the frame) and the welcome rerun with the editor when what they show
changed (:func:`ui.persistence.follow_editor`); the whole page runs only when a panel
above the editor must change.
"""

import streamlit as st

from catalog.schema import ModelCatalog
from ui import frame, persistence, state
from ui.form import render_form
from ui.issues import show_summary
from ui.preview import show_preview
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


welcome_view()
summary = st.container()
form_column, preview_column = st.columns([3, 2], gap="large")


@st.fragment(key=state.DOCUMENT_FRAGMENT)
def document_view() -> None:
    """What an edit changes around the form: Start over, Undo and Redo, the summary and
    the preview; then the autosave."""
    state.init()
    now = current()
    with actions:
        show_actions(now)
    # Written on every run, even empty: a fragment keeps its place in a container of
    # the page only if it wrote there in the last full run.
    with summary, st.container():
        if not now.is_empty:
            show_summary(now)
    with preview_column:
        show_preview(now)
    persistence.finish_editor(whole_page=frame.whole_page())


@st.fragment(key=state.FORM_FRAGMENT)
def form_view() -> None:
    """The form: a tab switch or an opened model reruns only this."""
    state.init()
    with form_column:
        render_form(ModelCatalog, current())


# The preview first: it is what an edit is waited for, and Streamlit sends in order.
document_view()
form_view()
