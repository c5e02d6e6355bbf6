"""Fetching the browser code of the Author form's widgets while the first page is read.

Streamlit's browser code comes in chunks, one per kind of element, fetched the first
time a page shows that kind.  The welcome page shows buttons only, so the first example
loaded waited for the text area, select box, multiselect, table, code highlighter (and
some thirty modules they import) to be fetched and compiled one after the other, most
of a second on a fresh browser (measured by ``benchmarks/bench_browser.py``).  The
script from :func:`script` imports those chunks once the browser is idle, so the click
finds them ready.  The chunk names are read from Streamlit's own static folder (they
carry a content hash); it is the app's own code, never built from user text.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import streamlit

#: The components the Author form and preview use beyond what the first page shows.
COMPONENTS = (
    "TextArea",
    "Selectbox",
    "Multiselect",
    "DataFrame",
    "StreamlitSyntaxHighlighter",
    "Pagination",
    "Toast",
)
STATIC = Path(streamlit.__file__).parent / "static" / "static"
STATIC_JS = STATIC / "js"
STATIC_CSS = STATIC / "css"

_SCRIPT = """
<script>
(() => {
  if (window.__catalogPrefetch) return;
  window.__catalogPrefetch = true;
  const main = document.querySelector('script[type="module"][src*="/static/js/"]');
  if (!main) return;
  const base = new URL("..", main.src);
  const load = () => {
    // A chunk's import also waits for its style sheet: add it as the chunk would.
    for (const name of %s) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL("css/" + name, base).href;
      document.head.appendChild(link);
    }
    %s.forEach((name) => import(new URL("js/" + name, base).href).catch(() => {}));
  };
  if ("requestIdleCallback" in window) requestIdleCallback(load, {timeout: 1500});
  else setTimeout(load, 500);
})();
</script>
"""


def _named(folder: Path, suffix: str) -> tuple[str, ...]:
    try:
        files = sorted(p.name for p in folder.iterdir())
    except OSError:
        return ()
    found = []
    for component in COMPONENTS:
        pattern = re.compile(rf"^{re.escape(component)}\.[A-Za-z0-9_-]+\.{suffix}$")
        found.extend(name for name in files if pattern.match(name))
    return tuple(found)


@cache
def chunk_names() -> tuple[str, ...]:
    """The file names of :data:`COMPONENTS`' chunks in this Streamlit (absent ones left out)."""
    return _named(STATIC_JS, "js")


@cache
def style_names() -> tuple[str, ...]:
    """The style sheets of those chunks that have one (the table's)."""
    return _named(STATIC_CSS, "css")


def script() -> str:
    """The ``<script>`` that imports the chunks once (empty when none is known)."""
    names = chunk_names()
    if not names:
        return ""
    return _SCRIPT % (json.dumps(list(style_names())), json.dumps(list(names)))
