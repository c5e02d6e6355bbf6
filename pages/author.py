"""Author: describe a model server, its API and its models; see the YAML and issues live.

The page draws the title, the example menu and the welcome; everything that follows an
edit is one fragment, the editor: Start over, Undo and Redo (in the toolbar's row), the
issue summary, the form and the preview.  An edit, a click on Undo, a tab switch or an
opened model reruns only the editor, not the frame's navigation, panels and sidebar;
:func:`ui.persistence.finish_editor` autosaves as the frame would, and runs the whole
page when what surrounds the editor must change too (the sidebar's save status after
the first edit, say).
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

now = current()
actions = show_toolbar()  # the example menu; Start over, Undo and Redo come from the editor
if now.is_empty:
    show_welcome()  # the whole page draws it: its example buttons run the page once
summary = st.container()


@st.fragment
def editor() -> None:
    """Start over, undo, redo, the summary, the form and the preview, then autosave."""
    state.init()
    now = current()
    with actions:
        show_actions(now)
    if not now.is_empty:
        with summary:
            show_summary(now)
    form_column, preview_column = st.columns([3, 2], gap="large")
    # The preview first: it is what an edit is waited for, and Streamlit sends in order.
    with preview_column:
        show_preview(now)
    with form_column:
        render_form(ModelCatalog, now)
    persistence.finish_editor(whole_page=frame.whole_page())


editor()
