"""The app's frame: page set-up, sidebar, saved-catalog bootstrap and navigation.

``app.py`` calls :func:`run`.  Every page calls :func:`require` first, because Streamlit
runs a file of the ``pages/`` folder *directly* (without ``app.py``) when a freshly
started server's first visitor opens a page URL such as ``/export?catalog=<id>``: its
old multipage mode is on until ``st.navigation`` has been called once.  A page started
that way runs the frame itself, so a bookmark shows the whole app and its catalog.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

import streamlit as st

from catalog.schema import ModelCatalog
from ui import focus, persistence, prefetch, preview, publish_view, state, warmup
from ui.form import check_form

ROOT = Path(__file__).resolve().parent.parent
PAGES_DIR = ROOT / "pages"

ABOUT = (
    "**Model Catalog Studio** describes model servers, their APIs and models, and turns "
    "them into the `catalog-info.yaml` Backstage reads. Light or dark: the choice at "
    "the top of this menu."
)

_inside: ContextVar[bool] = ContextVar("ui.frame.inside", default=False)


def pages() -> list[st.Page]:
    """Every page of the app, in menu order (Author is the default)."""
    return [
        st.Page(PAGES_DIR / "author.py", title="Author", icon=":material/edit_note:", default=True),
        st.Page(PAGES_DIR / "graph.py", title="Graph", icon=":material/share:"),
        st.Page(PAGES_DIR / "export.py", title="Export", icon=":material/download:"),
        st.Page(PAGES_DIR / "importer.py", title="Import", icon=":material/upload_file:"),
        st.Page(PAGES_DIR / "library.py", title="Library", icon=":material/inventory_2:"),
        st.Page(PAGES_DIR / "backstage.py", title="Backstage", icon=":material/cloud_sync:"),
    ]


def run() -> None:
    """Set the page up, open the saved catalog, draw the sidebar and run the chosen page."""
    token = _inside.set(True)
    try:
        st.set_page_config(
            page_title="Model Catalog Studio",
            page_icon=":material/hub:",
            layout="wide",
            # With toolbarMode "minimal" the app menu (and its light/dark choice) shows
            # only when the app gives it an item: this one.
            menu_items={"About": ABOUT},
        )
        # An unsupported schema field stops the app here with a clear message, not later.
        check_form(ModelCatalog)
        state.init()
        st.logo(str(ROOT / "ui" / "assets" / "logo.svg"), size="large")
        persistence.bootstrap()  # opens ?catalog=<id>, offers this browser's draft
        controls = persistence.controls_slot()  # sidebar: Save, status
        every = pages()
        chosen = st.navigation(every, position="top")
        _phone_navigation(every)
        chosen.run()
        persistence.finish(controls, sidebar_box)  # autosave after the page, then the sidebar
    finally:
        _inside.reset(token)
        warmup.start()  # after the first page is sent: what the first click will need


#: Below this width Streamlit moves the top navigation into the collapsed sidebar, where
#: a first-time visitor on a phone never finds it.
PHONE_WIDTH_PX = 768
_STYLE = (
    "<style>"
    f"@media (min-width: {PHONE_WIDTH_PX}px) {{ .st-key-phone-navigation {{ display: none; }} }}"
    f"{preview.STYLE}"
    "</style>"
)


def _phone_navigation(every: list[st.Page]) -> None:
    """The pages as a row of links at the top of a narrow screen (hidden on wider ones)."""
    with st.container(horizontal=True, gap="small", key="phone-navigation"):
        for page in every:
            st.page_link(page, label=page.title, icon=page.icon, width="content")
        # In this row, hidden on a desk, so it takes no room; the scripts are our own.
        st.html(
            _STYLE + focus.SCRIPT + prefetch.script(),
            width="content",
            unsafe_allow_javascript=True,
        )


@st.fragment(key=state.SIDEBAR_FRAGMENT)
def sidebar_box() -> None:
    """The sidebar's catalog box: name, save status and Save; published or not.

    A fragment: the Author page's editor reruns it, without the rest of the page, when
    an edit changed what it shows (:func:`ui.persistence.box_state`).
    """
    state.init()
    persistence.save_controls()
    publish_view.sidebar_notice()
    state.drew(state.SIDEBAR_FRAGMENT)


def whole_page() -> bool:
    """Whether this run draws the whole page (False: only a fragment of it reruns)."""
    return _inside.get()


def require() -> None:
    """Make sure the page runs inside the frame; if Streamlit started it alone, run the frame."""
    if _inside.get():
        return
    run()
    st.stop()
