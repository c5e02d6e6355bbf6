"""The live preview: the catalog-info.yaml Backstage would get, or why export is blocked."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from ui.output_options import describe, option_widgets
from ui.report import Current
from ui.text import plural

FILE_NAME = "catalog-info.yaml"
#: The preview scrolls inside this height so the form beside it stays in view.
HEIGHT = 640
#: Longer YAML is shown without colours: highlighting a hundred models' YAML takes the
#: browser longer than the rest of a rerun (measured by benchmarks/bench_browser.py).
HIGHLIGHT_LINES = 600
#: The key of the preview's container (under its heading row), which :data:`STYLE` wraps.
BODY_KEY = "_preview-body"
#: Long lines wrap (at spaces, inside a word only when it does not fit), as with
#: ``st.code(wrap_lines=True)``; that option also makes the browser build an element per
#: line, which with a hundred models (3,000 lines) cost the browser about 60 ms of work
#: on every edit (a Chromium trace; no difference with two models).  The frame installs
#: it; ``!important`` because the highlighter sets ``white-space: pre`` on the element.
STYLE = (
    f'.st-key-{BODY_KEY} [data-testid="stCode"] pre {{ padding-right: 1rem; }}'
    f'.st-key-{BODY_KEY} [data-testid="stCode"] code '
    "{ white-space: pre-wrap !important; overflow-wrap: break-word; display: inline; }"
)
#: What the preview's code block holds while the catalog is empty.
EMPTY_YAML = "# Nothing yet: load an example, or fill in the form."
LATEST_KEY = "_preview.latest"


def entity_summary(current: Current) -> str:
    """``3 entities: 1 Component, 1 API, 1 Resource``."""
    entities = current.report.entities or []
    kinds = Counter(str(e.get("kind")) for e in entities)
    listed = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    noun = "entity" if len(entities) == 1 else "entities"
    return f"{len(entities)} {noun}: {listed}"


class _Latest:
    """The YAML the preview shows, which the Download button's deferred data reads.

    Streamlit calls that on another thread when the button is clicked, without the
    session: it reads this holder, which every preview run updates.  So an edit need
    not redraw the button (a new file each time, which the browser fetched at once to
    check it) for the download to be the YAML on screen.
    """

    def __init__(self) -> None:
        self.yaml = ""

    def read(self) -> str:
        return self.yaml


def _latest(current: Current) -> _Latest:
    """This session's holder, updated to ``current``'s YAML."""
    holder = st.session_state.get(LATEST_KEY)
    if not isinstance(holder, _Latest):
        holder = st.session_state[LATEST_KEY] = _Latest()
    holder.yaml = current.yaml or ""
    return holder


def head_shown(current: Current) -> tuple[str, bool]:
    """What the heading row shows: the options' label, and whether Download is off."""
    return describe(current.options), current.yaml is None


def show_head(current: Current) -> None:
    """The preview's heading row: its title, the output options and Download.

    An edit does not redraw it, only a change of what :func:`head_shown` says.
    """
    with st.container(horizontal=True, vertical_alignment="center"):
        st.subheader(":material/description: catalog-info.yaml", anchor=False, width="stretch")
        options = st.popover(
            describe(current.options),
            icon=":material/tune:",
            help="Output options: layout, kind and API definition (the Export page's too)",
            key="_preview.options",
            on_change="rerun",
        )
        if options.open:  # drawn only while open: an edit's rerun need not resend them
            with options:
                option_widgets(columns=False)
        st.download_button(
            "Download",
            data=_latest(current).read,
            file_name=FILE_NAME,
            mime="application/yaml",
            icon=":material/download:",
            disabled=current.yaml is None,
            help=None if current.yaml else "Fix the errors first: export is blocked.",
            key="_preview.download",
            on_click="ignore",
        )


def show_preview(current: Current) -> None:
    """Show the YAML (copyable; Download is in :func:`show_head`) or, while errors
    remain, why it is blocked."""
    _latest(current)
    if current.is_empty:
        # A code block already, where the YAML will be: the browser then only updates it
        # when an example loads.  Mounting the first code block of a page took it about
        # 200 ms, a third of the click (bench_browser.py, "load example").
        st.caption(
            "The catalog-info.yaml appears here as soon as the form describes a model "
            "server or a model."
        )
        st.code(EMPTY_YAML, language="yaml")
        return
    if current.yaml is not None:
        st.caption(f"{entity_summary(current)}. Use the copy button on the code to copy it.")
        _code(current.yaml)
        return
    errors = current.report.errors
    with st.container(border=True, key="export-blocked"):
        # The errors themselves are listed once at the top and once under their fields.
        st.markdown(
            f":red[:material/block: **Export blocked** by {plural(len(errors), 'error')}.] "
            "Backstage would reject this catalog: the list at the top of the page and the "
            "messages under the fields say what to fix."
        )
    if current.draft_yaml is not None:
        # Drawn only while open: a hundred models' draft is big, and mostly unwanted.
        draft = st.expander(
            "Draft YAML (not valid for Backstage yet)", key="_preview.draft", on_change="rerun"
        )
        if draft.open:
            with draft:
                _code(current.draft_yaml)


def _code(text: str) -> None:
    """The YAML, in colour unless it is long; :data:`STYLE` wraps its long lines."""
    highlight = text.count("\n") <= HIGHLIGHT_LINES
    st.code(text, language="yaml" if highlight else None, height=HEIGHT)
