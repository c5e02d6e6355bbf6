"""Author: describe a model server, its API and its models; see the YAML and issues live."""

import streamlit as st

from catalog.schema import ModelCatalog
from ui import frame, state
from ui.form import render_form
from ui.issues import show_summary
from ui.preview import show_preview
from ui.report import current
from ui.toolbar import show_toolbar, show_welcome

frame.require()  # a page opened by URL on a fresh server still gets the frame

state.init()
now = current()

st.title("Author a model catalog", anchor=False)
st.caption(
    "Describe a model server, its API and the models it serves. Required fields are "
    "marked :red[\\*]; hover :material/help: for what a field means."
)
show_toolbar(now)
if now.is_empty:
    show_welcome()
else:
    show_summary(now)

form_column, preview_column = st.columns([3, 2], gap="large")
# The preview first: it is what an edit is waited for, and Streamlit sends in script order.
with preview_column:
    show_preview(now)
with form_column:
    render_form(ModelCatalog, now)
