"""A zoomable, pannable chart for the SVG Graphviz drew: a Streamlit v2 component.

The SVG goes through :func:`catalog.graph.safe_svg` first and is parsed in the browser
as XML, never as HTML, then checked again; the vendored svg-pan-zoom
(``ui/vendor/svg-pan-zoom``, BSD-2-Clause) zooms and pans (drag).  Zoom: the + − Fit
buttons, Ctrl+scroll (or scroll once the chart was clicked), a double click, or the
+ − 0 and arrow keys on the focused chart.  Clicking a folded group's "N more models"
node (or Enter on it) returns that node's id, so the page can expand the group.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
_LIBRARY = (HERE / "vendor" / "svg-pan-zoom" / "svg-pan-zoom.min.js").read_text("utf-8")
_JS = _LIBRARY + "\n" + (HERE / "graph_zoom.js").read_text("utf-8")
TOOLBAR_PX = 38  # the zoom buttons' row above the chart
_CSS = """
.graph-wrap { font-family: var(--st-font, sans-serif); }
.graph-zoom { width: 100%; overflow: hidden; border: 1px solid var(--st-border-color, #d7deea);
  border-radius: var(--st-base-radius, 0.5rem); cursor: grab; box-sizing: border-box; }
.graph-zoom:active { cursor: grabbing; }
.graph-zoom:focus-visible { outline: 2px solid var(--st-primary-color, #2f6fde);
  outline-offset: 2px; }
.graph-zoom g.node.fold { cursor: pointer; }
.graph-zoom g.node.fold:hover polygon, .graph-zoom g.node.fold:focus polygon {
  stroke-width: 2.5; }
.graph-zoom g.node.fold:focus { outline: none; }
.graph-tools { display: flex; justify-content: flex-end; gap: 0.25rem;
  height: 2rem; margin-bottom: 0.375rem; }
.graph-tools button { font: inherit; font-size: 0.9rem; min-width: 2rem; height: 2rem;
  padding: 0 0.6rem; cursor: pointer; color: var(--st-text-color, #1d2433);
  background: var(--st-secondary-background-color, #f3f6fb);
  border: 1px solid var(--st-border-color, #d7deea);
  border-radius: var(--st-base-radius, 0.5rem); }
.graph-tools button:hover { border-color: var(--st-primary-color, #2f6fde); }
.graph-tools button:focus-visible { outline: 2px solid var(--st-primary-color, #2f6fde); }
"""
_HTML = """
<div class="graph-wrap">
  <div class="graph-tools" role="toolbar" aria-label="Zoom the graph">
    <button type="button" data-zoom="in" title="Zoom in (+)" aria-label="Zoom in">+</button>
    <button type="button" data-zoom="out" title="Zoom out (−)" aria-label="Zoom out">−</button>
    <button type="button" data-zoom="fit" title="Fit the whole graph (0)"
      aria-label="Fit the whole graph">Fit</button>
  </div>
  <div class="graph-zoom" data-testid="graph-zoom" tabindex="0"></div>
</div>
"""
_COMPONENT = st.components.v2.component("model_catalog.graph_zoom", html=_HTML, css=_CSS, js=_JS)


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
        height=height + TOOLBAR_PX,
        on_expand_change=on_expand,
    )
