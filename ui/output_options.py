"""The output options (layout, kind, API definition): one choice for every page.

The Export page writes the files with them and the Author page validates and previews
with them, so both show the same issues and the same YAML.  The choice lives in session
state under the widgets' keys, with a copy under a plain key: Streamlit forgets a
widget's value when a run does not draw it (another page, or the kind selector while
the classic layout is chosen), and the copy brings it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from catalog.convert import ConvertOptions
from catalog.publish import options_from, options_record
from ui import state

LAYOUT_KEY = "export.layout"
KIND_KEY = "export.kind"
API_DEFINITION_KEY = "export.api_definition"
_SAVED = "export._saved."

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
_DEFAULTS = {LAYOUT_KEY: "classic", KIND_KEY: "AiModelServerAPI", API_DEFINITION_KEY: "ref"}


def current_options() -> ConvertOptions:
    """The options chosen (the remembered ones, or the defaults)."""
    return ConvertOptions(
        layout=_value(LAYOUT_KEY),
        kind=_value(KIND_KEY),
        api_definition=_value(API_DEFINITION_KEY),
    )


def saved_record() -> dict[str, str]:
    """The options chosen, as a revision keeps them (the store's ``output_options``)."""
    return options_record(current_options())


def adopt(saved: Mapping[str, Any] | None) -> None:
    """Take up the options a revision was saved with (an opened catalog's), or the defaults.

    Call it before the option widgets are drawn in a run (a callback, the bootstrap), as
    Streamlit refuses to change a drawn widget's value.
    """
    options = options_from(saved)
    values = {
        LAYOUT_KEY: options.layout,
        KIND_KEY: options.kind,
        API_DEFINITION_KEY: options.api_definition,
    }
    for key, value in values.items():
        st.session_state[_SAVED + key] = value
        st.session_state[key] = value


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


def _value(key: str) -> Any:
    # The copy first: every change reaches it (the widgets' callback, adopt, use_classic),
    # while a widget's own key can hold a stale value on a page that does not draw it.
    return st.session_state.get(_SAVED + key, st.session_state.get(key, _DEFAULTS[key]))


def _remembered(key: str) -> dict[str, Any]:
    """Widget arguments that keep its choice across pages and runs where it is hidden.

    The value is set from the copy on every run: the Author and Export pages draw
    widgets of the same key, and a page's widget is new to Streamlit on the other page.
    """
    st.session_state[key] = st.session_state.get(
        _SAVED + key, st.session_state.get(key, _DEFAULTS[key])
    )
    return {"key": key, "on_change": _remember, "args": (key,)}


@state.editor_callback  # the layout changes which issues the form shows
def _remember(key: str) -> None:
    st.session_state[_SAVED + key] = st.session_state[key]
