"""A zoomable, pannable chart for the SVG Graphviz drew: a Streamlit v2 component.

The SVG goes through :func:`catalog.graph.safe_svg` first and is parsed in the browser
as XML, never as HTML, then checked again; the vendored svg-pan-zoom
(``ui/vendor/svg-pan-zoom``, BSD-2-Clause) adds zoom (wheel, buttons, double click) and
pan (drag).  Clicking a folded group's "N more models" node (or Enter on it) returns
that node's id, so the page can expand the group.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
_LIBRARY = (HERE / "vendor" / "svg-pan-zoom" / "svg-pan-zoom.min.js").read_text("utf-8")
_JS = _LIBRARY + "\n" + (HERE / "graph_zoom.js").read_text("utf-8")
_CSS = """
.graph-zoom { width: 100%; overflow: hidden; border: 1px solid var(--st-border-color, #d7deea);
  border-radius: 0.5rem; cursor: grab; }
.graph-zoom:active { cursor: grabbing; }
.graph-zoom g.node.fold { cursor: pointer; }
.graph-zoom g.node.fold:hover polygon, .graph-zoom g.node.fold:focus polygon {
  stroke-width: 2.5; }
.graph-zoom g.node.fold:focus { outline: none; }
.graph-zoom #svg-pan-zoom-controls path { fill: var(--st-text-color, #1d2433); }
"""
_COMPONENT = st.components.v2.component(
    "model_catalog.graph_zoom",
    html='<div class="graph-zoom" data-testid="graph-zoom"></div>',
    css=_CSS,
    js=_JS,
)


def zoomable_svg(
    svg: str, *, key: str, label: str, height: int, on_expand: Callable[[], None]
) -> None:
    """Show ``svg`` (already safe) at ``height`` px.

    ``on_expand`` runs before the rerun a click on a fold node starts; the node's id is
    then ``st.session_state[key].expand``.
    """
    _COMPONENT(
        key=key,
        data={"svg": svg, "label": label, "height": height},
        height=height,
        on_expand_change=on_expand,
    )
