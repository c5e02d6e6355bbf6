"""The output options (layout, kind, API definition): one choice for every page.

The Export page writes the files with them and the Author page validates and previews
with them, so both show the same issues and the same YAML.  The choice lives in the
editing session (:attr:`catalog.session.EditingSession.output_options`), which keeps it
with drafts and revisions and takes up a catalog's own on open, undo and restore; the
widgets are set from it on every run (Streamlit forgets a widget's value when a run does
not draw it: another page, or the kind selector while the classic layout is chosen).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from catalog.convert import ConvertOptions
from catalog.publish import options_from, options_record
from ui import state

LAYOUT_KEY = "export.layout"
KIND_KEY = "export.kind"
API_DEFINITION_KEY = "export.api_definition"

LAYOUTS = {
    "classic": "Classic: a Component, an API and one Resource per model",
    "ai-model-server": "One ai-model-server entity for the server and its models",
}
SHORT_LAYOUTS = {"classic": "Classic layout", "ai-model-server": "ai-model-server layout"}
KINDS = {
    "AiModelServerAPI": "AiModelServerAPI (Red Hat Developer Hub)",
    "API": "API (upstream Backstage proposal)",
}
API_DEFINITIONS = {
    "ref": "Let Backstage fetch it ($text: URL), embed pasted text",
    "url": "The URL string itself (upstream generator's way)",
}
#: Each widget's key, and the option it chooses.
_FIELDS = {LAYOUT_KEY: "layout", KIND_KEY: "kind", API_DEFINITION_KEY: "api_definition"}


def current_options() -> ConvertOptions:
    """The options chosen (the session's, or the defaults)."""
    return options_from(state.session().output_options)


def saved_record() -> dict[str, str]:
    """The options chosen, as a revision keeps them (the store's ``output_options``)."""
    return options_record(current_options())


def describe(options: ConvertOptions) -> str:
    """``Classic layout`` or ``ai-model-server layout``: a short label for a button."""
    return SHORT_LAYOUTS[options.layout]


def use_classic() -> None:
    """Switch to the classic layout (a button's callback)."""
    st.session_state[LAYOUT_KEY] = "classic"
    _remember(LAYOUT_KEY)


def option_widgets(*, columns: bool = True) -> None:
    """The layout radio, then the kind (ai-model-server) or the API definition (classic)."""
    left, right = st.columns(2, gap="large") if columns else (st.container(), st.container())
    with left:
        st.radio(
            "Layout",
            list(LAYOUTS),
            format_func=LAYOUTS.__getitem__,
            help="Classic is what Backstage reads today. The ai-model-server layout "
            "writes one entity per server (MAPPING.md, section 2).",
            **_remembered(LAYOUT_KEY),
        )
    with right:
        if st.session_state[LAYOUT_KEY] == "ai-model-server":
            st.selectbox(
                "Kind of the ai-model-server entity",
                list(KINDS),
                format_func=KINDS.__getitem__,
                help="Red Hat Developer Hub reads AiModelServerAPI today; upstream "
                "Backstage proposes the same spec on kind API.",
                **_remembered(KIND_KEY),
            )
        else:
            st.radio(
                "API definition",
                list(API_DEFINITIONS),
                format_func=API_DEFINITIONS.__getitem__,
                help="How the API entity's spec.definition is written when the spec is a URL.",
                **_remembered(API_DEFINITION_KEY),
            )


def _remembered(key: str) -> dict[str, Any]:
    """Widget arguments that keep its choice across pages and runs where it is hidden.

    The value is set from the session on every run: the Author and Export pages draw
    widgets of the same key, a page's widget is new to Streamlit on the other page, and
    the session's choice changes without the widget (another catalog opened, Undo).
    """
    st.session_state[key] = getattr(current_options(), _FIELDS[key])
    return {"key": key, "on_change": _remember, "args": (key,)}


@state.editor_callback  # the layout changes which issues the form shows
def _remember(key: str) -> None:
    chosen = saved_record()
    chosen[_FIELDS[key]] = st.session_state[key]
    state.session().choose_options(chosen)
