"""Author: describe a model server, its API and its models; see the YAML and issues live.

Everything below the title is one fragment, the editor: the toolbar (examples, undo,
redo), the welcome or the issue summary, the form and the preview, and the sidebar's
catalog box (drawn into the frame's place for it).  An edit, a click on Undo, a tab
switch or an opened model reruns only the editor, not the frame's navigation and panels;
:func:`ui.persistence.finish_editor` autosaves as the frame would, and runs the whole
page when the panels above the editor must change too.
"""

from typing import Any

import streamlit as st

from catalog.schema import ModelCatalog
from ui import frame, persistence, state
from ui.form import render_form
from ui.issues import show_summary
from ui.preview import show_preview
from ui.report import current
from ui.toolbar import show_toolbar, show_welcome

frame.require()  # a page opened by URL on a fresh server still gets the frame

st.title("Author a model catalog", anchor=False)
st.caption(
    "Describe a model server, its API and the models it serves. Required fields are "
    "marked :red[\\*]; hover :material/help: for what a field means."
)


@st.fragment
def editor(sidebar_slot: Any) -> None:
    """The toolbar, summary, form and preview, then autosave and the sidebar's box."""
    state.init()
    now = current()
    show_toolbar(now)
    if now.is_empty:
        show_welcome()
    else:
        show_summary(now)
    form_column, preview_column = st.columns([3, 2], gap="large")
    # The preview first: it is what an edit is waited for, and Streamlit sends in order.
    with preview_column:
        show_preview(now)
    with form_column:
        render_form(ModelCatalog, now)
    persistence.finish_editor(sidebar_slot, frame.sidebar_box, whole_page=frame.whole_page())


editor(frame.take_sidebar_slot())
