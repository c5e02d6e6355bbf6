"""What one element costs each edit in Chromium, by kind: the price list behind a page's layout.

Run: ``python benchmarks/bench_elements.py [--count 20] [--repeat 10]``.

``bench_browser.py`` times the Author page against a bare app; this says where the
difference comes from.  Every Streamlit run makes the browser re-render every element on
the page, not only those the run sends (each element follows the run's state: running,
stale, finished), and some kinds cost far more than others.  So each app here is the
bare floor app (a ``st.text_area`` echoed into ``st.code``) with ``--count`` elements of
one kind above it, none of which the edit changes; Debian's Chromium times the same
edit (fill, Tab, until the code shows the text) in all of them, interleaved, on fresh
servers started together.

Printed per kind: the median edit, the extra over the bare app, and that extra divided
by the count: what one such element adds to every edit of any page that shows it.  The
figures are noisy on a shared machine: two runs of 20 edits each gave a button 1.4 and
2.2 ms, an expander 1.6 and 4.0 ms.  Take the order of the kinds, and the sum over a
page, not a single figure.  Page links inside a closed popover still cost: the browser
re-renders them although it does not show them.  A button with ``help`` (Streamlit also
draws a hidden second copy of it) cost about what one without does here, where nobody
hovers it.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_browser import FLOOR_APP, VISIBLE, edit, idle, key_selector, serve, until  # noqa: E402

from tests.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402

#: kind -> the body of a loop drawing element ``i`` (as the Author page draws them)
KINDS: dict[str, str] = {
    "bare app": "",
    "container (empty)": "with st.container(horizontal=True):\n        pass",
    "markdown": "st.markdown(f'**Item {i}** with an icon :material/check:')",
    "button": "st.button(f'Button {i}', icon=':material/add:', key=f'b{i}')",
    "button + help": "st.button(f'Button {i}', icon=':material/add:', key=f'c{i}', help='Does it')",
    "text_input": "st.text_input(f'Field {i}', key=f't{i}')",
    "text_input + help": "st.text_input(f'Field {i}', key=f'h{i}', help='What it means')",
    "page_link": "st.page_link('https://example.com', label=f'Page {i}', icon=':material/edit:')",
    "expander (closed)": "st.expander(f'Model {i}', key=f'e{i}', on_change='rerun')",
    "popover (closed)": "st.popover(f'Menu {i}', icon=':material/tune:', key=f'p{i}')",
    "6 page_links in a popover": "with st.popover(f'Pages {i}', key=f'q{i}'):\n"
    "        for j in range(6):\n"
    "            st.page_link('https://example.com', label=f'Page {j}')",
}


def app_source(body: str, count: int) -> str:
    """The floor app with ``count`` elements drawn by ``body`` above it."""
    loop = f"for i in range({count}):\n    {body}\n" if body else ""
    return "import streamlit as st\n\n" + loop + FLOOR_APP.split("\n", 1)[1]


def main(argv: list[str] | None = None) -> int:
    """Start one app per kind, time the edits interleaved, print the price list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="elements per app (20)")
    parser.add_argument("--repeat", type=int, default=10, help="edits per app (10)")
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    field = key_selector("text")
    with (
        tempfile.TemporaryDirectory(prefix="bench-elements-") as tmp,
        sync_playwright() as pw,
        contextlib.ExitStack() as servers,
    ):
        work = Path(tmp)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            pages: dict[str, Page] = {}
            for n, (kind, body) in enumerate(KINDS.items()):
                folder = work / f"app-{n}"
                folder.mkdir()
                (folder / "app.py").write_text(app_source(body, args.count), "utf-8")
                url = servers.enter_context(serve(folder / "app.py", folder, folder / "log"))
                page = browser.new_context(viewport=VIEWPORT).new_page()  # type: ignore[arg-type]
                page.goto(url)
                try:
                    until(page, VISIBLE, field)
                except PlaywrightTimeout:
                    shown = page.inner_text("body")[-500:]
                    message = f"the {kind!r} app never showed its text area:\n{shown}"
                    raise SystemExit(message) from None
                idle(page)
                edit(page, field, "warm up")()
                pages[kind] = page
            for i in range(args.repeat):
                order = list(pages.items())
                for kind, page in order if i % 2 else reversed(order):
                    idle(page)
                    page.wait_for_timeout(100)
                    start = time.perf_counter()
                    edit(page, field, f"edit {i}")()
                    times[kind].append(time.perf_counter() - start)
        finally:
            browser.close()
    bare = statistics.median(times["bare app"])
    print(f"Chromium, {args.count} elements per app, median of {args.repeat} edits each")
    print(f"{'kind':<20} {'edit':>8} {'extra':>8} {'per element':>12}")
    for kind, values in times.items():
        median = statistics.median(values)
        extra = median - bare
        each = f"{extra / args.count * 1000:9.1f} ms" if kind != "bare app" else ""
        print(f"{kind:<20} {median * 1000:6.0f}ms {extra * 1000:6.0f}ms {each:>12}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
