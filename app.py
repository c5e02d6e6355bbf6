"""Model Catalog Studio: the entry point, router and frame (``streamlit run app.py``).

Pages live in ``pages/`` and are listed once in :data:`PAGES`; each reads and changes
the catalog being edited only through :mod:`ui.state`.
"""

from pathlib import Path

import streamlit as st

from catalog.schema import ModelCatalog
from ui import persistence, state
from ui.form import check_form

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Model Catalog Studio", page_icon=":material/hub:", layout="wide")
# An unsupported schema field stops the app here with a clear message, not later.
check_form(ModelCatalog)
state.init()

#: Every page of the app, in menu order.  A new page adds one line here:
#: st.Page(HERE / "pages" / "graph.py", title="Graph", icon=":material/share:").
PAGES = [
    st.Page(
        HERE / "pages" / "author.py", title="Author", icon=":material/edit_note:", default=True
    ),
    st.Page(HERE / "pages" / "graph.py", title="Graph", icon=":material/share:"),
    st.Page(HERE / "pages" / "export.py", title="Export", icon=":material/download:"),
    st.Page(HERE / "pages" / "importer.py", title="Import", icon=":material/upload_file:"),
    st.Page(HERE / "pages" / "library.py", title="Library", icon=":material/inventory_2:"),
]

st.logo(str(HERE / "ui" / "assets" / "logo.svg"), size="large")
persistence.bootstrap()  # opens ?catalog=<id>, autosaves the working draft
persistence.save_controls()  # sidebar: Save, note, status
st.navigation(PAGES, position="top").run()
