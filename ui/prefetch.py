"""Fetching the browser code of the Author form's widgets while the first page is read.

Streamlit's browser code comes in chunks, one per kind of element, fetched the first
time a page shows that kind.  The welcome page shows buttons only, so the first example
loaded waited for the text area, select box, multiselect, table, code highlighter (and
some thirty modules they import) to be fetched and compiled one after the other, most
of a second on a fresh browser (measured by ``benchmarks/bench_browser.py``).  The
script from :func:`script` imports those chunks as soon as the first page is drawn, so
the click finds them ready; the table's (drawn only once an annotations expander is
opened) waits until a catalog shows, so that it is not compiled while the person
clicks an example.  The chunk names are read from Streamlit's own static folder (they
carry a content hash); it is the app's own code, never built from user text.

Importing a chunk alone fetches its imports level by level (a chunk names its imports,
which name theirs): about six round trips, still in flight half a second after a click
that comes at once.  So the script first asks for the whole set at once, every module
those chunks import (read from the chunks' own ``import ... from "./x.js"`` lines), as
``modulepreload`` links.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import streamlit

#: The components the Author form and preview use beyond what the first page shows,
#: in the order they are fetched: first what loading an example shows, then the table
#: (the biggest chunk, drawn only once an annotations expander is opened).
WAVES: tuple[tuple[str, ...], ...] = (
    ("TextArea", "Selectbox", "Multiselect", "StreamlitSyntaxHighlighter", "Pagination", "Toast"),
    ("DataFrame",),
)
COMPONENTS = tuple(name for wave in WAVES for name in wave)
#: While this shows (the Author page's welcome), only the first wave is fetched.
WELCOME_SELECTOR = ".st-key-welcome"
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
  const add = (rel, href) => {
    const link = document.createElement("link");
    link.rel = rel;
    link.href = new URL(href, base).href;
    document.head.appendChild(link);
  };
  // One wave: every module its chunks need, asked for at once; the chunks' style sheets
  // (a chunk's import waits for them); then the chunks themselves.
  const wave = ({modules, styles, chunks}) => {
    modules.forEach((name) => add("modulepreload", "js/" + name));
    styles.forEach((name) => add("stylesheet", "css/" + name));
    return Promise.all(
      chunks.map((name) => import(new URL("js/" + name, base).href).catch(() => {})));
  };
  // The later waves wait until the page shows no welcome (a catalog is open), the app
  // is not running and the browser is idle: the table's chunk, the biggest, compiled
  // while a person clicked an example, slowed that click by about a third.
  const settled = () => new Promise((resolve) => {
    const check = () => {
      const app = document.querySelector('[data-testid="stApp"]');
      if (document.querySelector(%s)
          || !app || app.dataset.testScriptState !== "notRunning") {
        setTimeout(check, 1000);
      } else {
        (window.requestIdleCallback || setTimeout)(() => resolve());
      }
    };
    check();
  });
  // The first wave right after the next frame is painted, not when the browser is idle:
  // a person who clicks an example at once would otherwise find the chunks not even
  // requested.
  requestAnimationFrame(() => setTimeout(() => {
    const [first, ...later] = %s;
    later.reduce((done, next) => done.then(settled).then(() => wave(next)), wave(first));
  }, 0));
})();
</script>
"""


def _named(folder: Path, suffix: str, components: tuple[str, ...] = COMPONENTS) -> tuple[str, ...]:
    try:
        files = sorted(p.name for p in folder.iterdir())
    except OSError:
        return ()
    found = []
    for component in components:
        pattern = re.compile(rf"^{re.escape(component)}\.[A-Za-z0-9_-]+\.{suffix}$")
        found.extend(name for name in files if pattern.match(name))
    return tuple(found)


@cache
def chunk_names() -> tuple[str, ...]:
    """The file names of :data:`COMPONENTS`' chunks in this Streamlit (absent ones left out)."""
    return _named(STATIC_JS, "js")


#: A static import in a built chunk: ``import{a as b}from"./x.js"`` or ``import"./x.js"``
#: (a dynamic ``import("./x.js")`` is loaded only when needed, and left out).
_STATIC_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([A-Za-z0-9_.-]+\.js)"')


@cache
def module_closure(chunks: tuple[str, ...]) -> tuple[str, ...]:
    """``chunks`` and every module they import, directly or not (file names)."""
    seen: dict[str, None] = {}
    todo = list(chunks)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = None
        try:
            text = (STATIC_JS / name).read_text("utf-8", "replace")
        except OSError:
            continue
        todo.extend(m for m in _STATIC_IMPORT.findall(text) if m not in seen)
    return tuple(sorted(seen))


def waves() -> list[dict[str, list[str]]]:
    """Each wave's modules to preload (none twice), style sheets and chunks to import."""
    found: list[dict[str, list[str]]] = []
    asked: set[str] = set()
    for components in WAVES:
        chunks = _named(STATIC_JS, "js", components)
        if not chunks:
            continue
        modules = [m for m in module_closure(chunks) if m not in asked]
        asked.update(modules)
        styles = list(_named(STATIC_CSS, "css", components))
        found.append({"modules": modules, "styles": styles, "chunks": list(chunks)})
    return found


def script() -> str:
    """The ``<script>`` that fetches the waves once per page (empty when none is known)."""
    found = waves()
    if not found:
        return ""
    return _SCRIPT % (json.dumps(WELCOME_SELECTOR), json.dumps(found))
